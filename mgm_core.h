/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MGM's state, shared by the core, the netlink family, the forwarder and the
 * KUnit suites.  Writers hold mgm_net.lock; readers may use RCU instead.
 */
#ifndef _MGM_CORE_H
#define _MGM_CORE_H

#include <linux/hashtable.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "mgm_compat.h"
#include <net/mgm.h>

struct mgm_protocol {
	u32 handle;
	u32 protocol_id;
	u32 component_id;
	const struct mgm_protocol_ops *ops;
	void *priv;
	/* interfaces this protocol owns or co-owns (as IGMP) */
	unsigned int n_ifs;
	struct rcu_head rcu;
};

/* An interface record exists while at least one protocol owns it. */
struct mgm_if {
	struct hlist_node node;
	u32 ifindex;
	__be32 nexthop;
	struct mgm_protocol __rcu *owner;	/* routing protocol */
	struct mgm_protocol __rcu *igmp;	/* IGMP co-owner */
	/* IGMP is between its disable and enable callbacks here */
	bool igmp_disabled;
	/* writer-side indexes, so a release touches only its own MFEs */
	struct list_head mfes_in;	/* mgm_mfe.iif_node */
	struct list_head mfes_out;	/* mgm_oif_ref.node */
	struct rcu_head rcu;
};

struct mgm_oif {
	u32 ifindex;
	__be32 nexthop;
};

/* What readers see of an MFE's outgoing interfaces; replaced, never edited. */
struct mgm_oif_set {
	struct rcu_head rcu;
	unsigned int n;
	struct mgm_oif oif[];
};

/* Links an MFE into the list of each of its outgoing interfaces. */
struct mgm_oif_ref {
	struct list_head node;		/* on ifp->mfes_out */
	struct list_head mfe_node;	/* on mfe->oif_refs */
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
};

struct mgm_mfe {
	__be32 source;
	__be32 group;
	u32 iif_ifindex;
	__be32 iif_nexthop;
	__be32 upstream;
	struct mgm_oif_set __rcu *oifs;
	/* writer side */
	struct list_head iif_node;	/* on the IIF's mfes_in */
	struct list_head oif_refs;	/* mgm_oif_ref, one per OIF */
	struct rcu_head rcu;
};

struct mgm_net {
	struct net *net;
	struct mutex lock;		/* serializes every change */
	/* the task running a callback, to refuse re-entry instead of deadlock */
	struct task_struct *cb_task;
	bool dead;
	struct xarray protocols;		/* handle -> mgm_protocol */
	u32 next_handle;
	struct mgm_protocol *igmp;		/* the IGMP component, if any */
	DECLARE_HASHTABLE(ifs, 8);		/* mgm_if by ifindex */
	/* MFEs keyed by mgm_mfe_key(): sorted by group, then source */
	struct maple_tree mfes;
	unsigned long n_mfes;
	struct work_struct netdev_work;
};

struct mgm_net *mgm_pernet(const struct net *net);

/* Maple tree index of an MFE: ascending group, then source, host order. */
static inline unsigned long mgm_mfe_key(__be32 source, __be32 group)
{
	return (unsigned long)ntohl(group) << 32 | ntohl(source);
}

struct mgm_if *mgm_if_lookup_rcu(struct mgm_net *mn, u32 ifindex,
				 __be32 nexthop);
struct mgm_protocol *mgm_protocol_lookup_rcu(struct mgm_net *mn, u32 handle);

/*
 * Monitor: the core reports each change as the uapi notification command
 * that describes it (MGM_CMD_PROTOCOL_NEW, ...).  Called with mn->lock held.
 */
struct mgm_monitor_ops {
	void (*event)(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
		      u32 ifindex, __be32 nexthop);
};

void mgm_set_monitor(const struct mgm_monitor_ops *ops);

/* Per-MFE counters, as the forwarder keeps them. */
struct mgm_mfe_counters {
	u64 pkts;
	u64 bytes;
	u64 wrong_if;
};

/*
 * The forwarder that MGM programs (mgm_ipmr.c).  MGM's tables stay the
 * truth; the forwarder mirrors them.  Called with mn->lock held, from
 * process context, never under RTNL, so the forwarder may take RTNL.
 *
 * @if_add: the first record of @ifindex is being created (a protocol takes
 *	it).  A failure refuses the take: -EADDRINUSE when another multicast
 *	router owns the table, -ENOSPC when the forwarder has no room for one
 *	more interface; the forwarder sets the extack message.
 * @if_del: the last record of @ifindex went away.
 * @mfe_set: install @mfe or replace what is installed for its (S,G).
 * @mfe_del: remove what is installed for @mfe.
 * @mfe_counters: read the counters of @mfe; -EOPNOTSUPP if the forwarder
 *	cannot (then an MFE lives exactly its timeout).
 */
struct mgm_forwarder_ops {
	int (*if_add)(struct mgm_net *mn, u32 ifindex,
		      struct netlink_ext_ack *extack);
	void (*if_del)(struct mgm_net *mn, u32 ifindex);
	void (*mfe_set)(struct mgm_net *mn, const struct mgm_mfe *mfe);
	void (*mfe_del)(struct mgm_net *mn, const struct mgm_mfe *mfe);
	int (*mfe_counters)(struct mgm_net *mn, const struct mgm_mfe *mfe,
			    struct mgm_mfe_counters *counters);
};

void mgm_set_forwarder(const struct mgm_forwarder_ops *ops);

/*
 * What the forwarder reports, from process context without locks held:
 * a packet of (@source, @group) arrived on @ifindex and matched no MFE, or
 * it matched one whose incoming interface is another.  @hdr is the start of
 * the packet (IP header first).
 */
void mgm_new_source(struct net *net, __be32 source, __be32 group, u32 ifindex,
		    const void *hdr, unsigned int hdr_len);
void mgm_wrong_if(struct net *net, __be32 source, __be32 group, u32 ifindex,
		  const void *hdr, unsigned int hdr_len);

/*
 * MFE table.  The new-source engine will be the normal way in; until then
 * this creates an entry from an explicit incoming and outgoing list.  Every
 * interface must be owned (-ENOENT otherwise); the IIF is never an OIF.
 */
int mgm_mfe_add(struct net *net, __be32 source, __be32 group,
		u32 iif_ifindex, __be32 iif_nexthop, __be32 upstream,
		unsigned int n_oifs, const struct mgm_oif *oifs);
/* Lockless lookup; the result is valid until rcu_read_unlock(). */
struct mgm_mfe *mgm_mfe_lookup_rcu(struct net *net, __be32 source,
				   __be32 group);

/* Run the shutdown sequence for a protocol: release all, then deregister. */
int mgm_shutdown_protocol(struct net *net, u32 handle);

int mgm_netlink_init(void);
void mgm_netlink_exit(void);

#endif /* _MGM_CORE_H */
