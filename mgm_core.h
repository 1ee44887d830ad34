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
#include <linux/netdevice.h>
#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "mgm_compat.h"
#include <net/mgm.h>

/* Per-MFE counters, as the forwarder keeps them. */
struct mgm_mfe_counters {
	u64 pkts;
	u64 bytes;
	u64 wrong_if;
};

struct mgm_protocol {
	u32 handle;
	u32 protocol_id;
	u32 component_id;
	const struct mgm_protocol_ops *ops;
	void *priv;
	/* interfaces this protocol owns or co-owns (as IGMP) */
	unsigned int n_ifs;
	/* MGM_ANSWER_*: what MGM takes without asking; READ_ONCE in dumps */
	u32 answers;
	/* the memberships it added, against mgm_limits.members */
	unsigned int n_members;
	/* its questions not answered yet (mgm_mfe.c's mgm_request.p_node) */
	struct list_head requests;
	unsigned int n_requests;
	struct rcu_head rcu;
};

/*
 * How much of each kind of state a netns may hold (mgm_limit.c): what a
 * request would add past a limit is refused with -ENOSPC, what traffic
 * would add is dropped and counted; nothing already there is disturbed
 * when a limit is lowered.
 */
struct mgm_limits {
	u32 mfes;		/* MFEs */
	u32 pending;		/* new-source flows under way */
	u32 questions;		/* open questions per protocol */
	u32 members;		/* memberships per protocol */
	u32 protocols;		/* registrations */
	u32 nexthops;		/* interface records per ifindex */
	u32 upcalls;		/* new-source and wrong-if reports per second */
};

/* The limits as an array, in the order of struct mgm_limits. */
#define MGM_N_LIMITS	(sizeof(struct mgm_limits) / sizeof(u32))

static inline u32 *mgm_limits_array(struct mgm_limits *limits)
{
	BUILD_BUG_ON(sizeof(*limits) % sizeof(u32));
	return (u32 *)limits;
}

/* Every drop and refusal a limit caused; under mn->lock. */
struct mgm_counters {
	u64 new_source_drops;	/* pending flows at their limit */
	u64 mfe_drops;		/* new sources not made: MFEs at their limit */
	u64 negative_evictions;	/* negative MFEs deleted to make room */
	u64 question_drops;	/* not asked (the default taken): too many open */
	u64 protocol_refusals;
	u64 member_refusals;
	u64 nexthop_refusals;
	u64 wrong_if_drops;	/* wrong-interface reports rate limited */
	u64 upcall_drops;	/* reports from the forwarder past the rate */
	u64 question_overruns;	/* questions a full socket lost: default now */
};

/*
 * An interface record exists while at least one protocol owns it.  It
 * holds its netdev, so that an ifindex that a new netdev takes over before
 * the netdev work ran is not taken for the old one's.
 */
struct mgm_if {
	struct hlist_node node;
	u32 ifindex;
	__be32 nexthop;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct mgm_protocol __rcu *owner;	/* routing protocol */
	struct mgm_protocol __rcu *igmp;	/* IGMP co-owner */
	/* IGMP is between its disable and enable callbacks here */
	bool igmp_disabled;
	/* writer-side indexes, so a release touches only its own state */
	struct list_head mfes_in;	/* mgm_mfe.iif_node */
	struct list_head mfes_out;	/* mgm_oif_ref.node */
	struct list_head members;	/* mgm_member.if_node */
	struct list_head decisions;	/* mgm_decision.if_node */
	struct rcu_head rcu;
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

/*
 * The last word of an interface's owner on one MFE (R-MFE-1): OFF from a
 * creation-alert veto or a FORWARD_STATE delete, ON from a FORWARD_STATE
 * add.  It outlives membership changes, not the owner's ownership.
 */
struct mgm_decision {
	struct list_head mfe_node;	/* on mfe->decisions */
	struct list_head if_node;	/* on ifp->decisions */
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
	bool on;
};

struct mgm_mfe {
	__be32 source;
	__be32 group;
	u32 iif_ifindex;		/* 0: no route toward the source */
	__be32 iif_nexthop;
	__be32 upstream;		/* READ_ONCE: mgm_set_mfe() changes it */
	u32 iif_protocol;
	struct mgm_route route;
	/*
	 * The route lookup the IIF came from (0: no route), which the owner's
	 * RPF answer may have overridden; a route change is a change of these.
	 */
	u32 rpf_ifindex;
	__be32 rpf_nexthop;
	__be32 rpf_upstream;
	u64 rpf_cookie;			/* an RPF question after a route change */
	u64 created;			/* ms, mgm_net clock */
	u64 expires;			/* ms; READ_ONCE */
	u32 timeout;			/* s; READ_ONCE */
	struct mgm_oif_set __rcu *oifs;
	/* writer side */
	struct mgm_if *iif;		/* NULL: nobody owns the IIF */
	struct list_head iif_node;	/* on iif->mfes_in or mn->mfes_unowned */
	struct list_head oif_refs;	/* mgm_oif_ref, one per OIF */
	struct list_head decisions;	/* mgm_decision */
	unsigned int n_oifs;
	struct rb_node expiry_node;	/* in mn->expiry, if it ages */
	struct list_head negative_node;	/* on mn->mfes_negative, if so */
	struct mgm_mfe_counters seen;	/* counters at the last expiry check */
	struct rcu_head rcu;
};

/* The memberships of one (source, group) key, for alerts and enumeration. */
struct mgm_mkey {
	__be32 source;			/* 0: any source */
	__be32 group;			/* 0: any group */
	/* writer side */
	struct list_head members;	/* mgm_member.mkey_node */
	struct list_head clients;	/* mgm_mclient: who has receivers */
	unsigned int n_clients;
	/* (S,G): who heard of the receivers, as the RPF interface's owner */
	u32 rpf_handle;
	struct rcu_head rcu;
};

struct mgm_wrongif_slot;

struct mgm_net {
	struct net *net;
	struct mutex lock;		/* serializes every change */
	/* the task running a callback, to refuse re-entry instead of deadlock */
	struct task_struct *cb_task;
	/*
	 * The request whose walk over many MFEs let go of the lock between
	 * batches; other changes of protocols, interfaces and memberships
	 * wait on walk_wait until it is done (mgm_lock_excl()).
	 */
	struct task_struct *walker;
	wait_queue_head_t walk_wait;
	unsigned long walk_breaks;	/* for the tests: batches let go of */
	/* set under RTNL by the exit: no netdev work is queued after it */
	bool netdevs_closed;
	bool dead;
	struct xarray protocols;		/* handle -> mgm_protocol */
	u32 next_handle;
	struct mgm_protocol *igmp;		/* the IGMP component, if any */
	DECLARE_HASHTABLE(ifs, 8);		/* mgm_if by ifindex */
	/* MFEs keyed by mgm_mfe_key(): sorted by group, then source */
	struct maple_tree mfes;
	unsigned long n_mfes;
	struct list_head mfes_unowned;		/* MFEs whose IIF nobody owns */
	/* MFEs that forward nothing, the first to go when MFEs run out */
	struct list_head mfes_negative;
	unsigned int n_protocols;
	unsigned int n_newsrcs;
	/* ifindex -> how many records (next hops) it has, as an xa value */
	struct xarray ifindex_records;
	struct mgm_limits limits;
	struct mgm_counters counters;
	/* the forwarder's reports: a token bucket of limits.upcalls per s */
	u64 upcall_tokens;
	u64 upcall_time;			/* ms, when last refilled */
	u64 limits_event_time;			/* ms, last limits-hit event */
	struct rb_root expiry;			/* MFEs by expiry time */
	/* memberships: by (key, interface, adder), and keys in MFE order */
	struct rhashtable members;
	struct maple_tree mkeys;
	unsigned long n_members;
	struct list_head newsrcs;		/* new-source flows under way */
	struct rhashtable newsrcs_by_sg;	/* the same, by mgm_mfe_key() */
	struct list_head requests;		/* questions, by deadline */
	struct xarray requests_by_cookie;	/* the same, by cookie */
	u64 next_cookie;
	/* recent wrong-interface reports, for rate limiting */
	struct mgm_wrongif_slot *wrongif;
	struct work_struct netdev_work;
	struct delayed_work timer_work;
	/* IPv4 route changes, for the RPF checks of existing MFEs (Q15) */
	struct notifier_block fib_nb;
	struct delayed_work route_work;
	/* replaceable by tests: the clock (ms) and the RPF route lookup */
	u64 (*clock)(void);
	int (*rpf_lookup)(struct mgm_net *mn, __be32 source,
			  struct mgm_rpf *rpf);
};

struct mgm_net *mgm_pernet(const struct net *net);
/* MGM's workqueue, for everything that must not run under RTNL. */
struct workqueue_struct *mgm_workqueue(void);

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
	/* MGM_CMD_MEMBERSHIP_NEW/_DEL, by @p */
	void (*member_event)(struct mgm_net *mn, u8 cmd,
			     const struct mgm_protocol *p,
			     const struct mgm_sg *sg, u32 ifindex,
			     __be32 nexthop);
	/* MGM_CMD_MFE_NEW/_CHANGE/_DEL */
	void (*mfe_event)(struct mgm_net *mn, u8 cmd, const struct mgm_mfe *mfe);
	/* MGM_CMD_LIMITS_HIT: mn->counters moved */
	void (*limits_event)(struct mgm_net *mn);
};

void mgm_set_monitor(const struct mgm_monitor_ops *ops);

/*
 * The forwarder that MGM programs (mgm_ipmr.c).  MGM's tables stay the
 * truth; the forwarder mirrors them.  Called with mn->lock held, from
 * process context, never under RTNL, so the forwarder may take RTNL.
 *
 * @if_add: the first record of @ifindex is being created (a protocol takes
 *	it).  A failure refuses the take: -EADDRINUSE when another multicast
 *	router owns the table, -ENOSPC when the forwarder has no room for one
 *	more interface; the forwarder sets the extack message.
 * @if_del: the last record of @ifindex went away; @dev_gone: with its
 *	netdev, which took the forwarder's interface with it (the ifindex may
 *	be another netdev's by now).
 * @mfe_set: install @mfe or replace what is installed for its (S,G).
 * @mfe_del: remove what is installed for @mfe.
 * @mfe_counters: read the counters of @mfe; -EOPNOTSUPP if the forwarder
 *	cannot (then an MFE lives exactly its timeout).
 */
struct mgm_forwarder_ops {
	int (*if_add)(struct mgm_net *mn, u32 ifindex,
		      struct netlink_ext_ack *extack);
	void (*if_del)(struct mgm_net *mn, u32 ifindex, bool dev_gone);
	void (*mfe_set)(struct mgm_net *mn, const struct mgm_mfe *mfe);
	void (*mfe_del)(struct mgm_net *mn, const struct mgm_mfe *mfe);
	int (*mfe_counters)(struct mgm_net *mn, const struct mgm_mfe *mfe,
			    struct mgm_mfe_counters *counters);
};

void mgm_set_forwarder(const struct mgm_forwarder_ops *ops);
const struct mgm_forwarder_ops *mgm_get_forwarder(void);

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
 * Create an MFE from an explicit incoming and outgoing list, bypassing the
 * new-source flow (for tests).  Every interface must be owned (-ENOENT
 * otherwise); the IIF is never an OIF.
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

/* Process the MFE lifetimes and reply deadlines that are due (for tests). */
void mgm_run_timers(struct net *net);
/* Run the RPF checks that a route change triggers, now (for tests). */
void mgm_run_reroute(struct net *net);

/* ---- between the core's own files ---------------------------------------- */

void mgm_callback_enter(struct mgm_net *mn);
void mgm_callback_exit(struct mgm_net *mn);
int mgm_lock_slow(struct mgm_net *mn, struct netlink_ext_ack *extack,
		  unsigned long caller);

/* Refuses re-entry from a callback; inlined so the warning names the caller. */
static __always_inline int mgm_lock(struct mgm_net *mn,
				    struct netlink_ext_ack *extack)
{
	return mgm_lock_slow(mn, extack, _RET_IP_);
}

void mgm_walk_wait(struct mgm_net *mn);

/*
 * mgm_lock() for the requests that change protocols, interfaces or
 * memberships: they also wait for another request's walk to end.
 */
static __always_inline int mgm_lock_excl(struct mgm_net *mn,
					 struct netlink_ext_ack *extack)
{
	int err = mgm_lock_slow(mn, extack, _RET_IP_);

	if (err)
		return err;
	mgm_walk_wait(mn);
	if (mn->dead) {
		mutex_unlock(&mn->lock);
		NL_SET_ERR_MSG_MOD(extack, "the network namespace is going away");
		return -ENODEV;
	}
	return 0;
}

struct mgm_protocol *mgm_protocol_get(struct mgm_net *mn, u32 handle,
				      struct netlink_ext_ack *extack);
void mgm_mtree_erase(struct maple_tree *mt, unsigned long index);

static inline struct mgm_protocol *mgm_if_owner(struct mgm_net *mn,
						const struct mgm_if *ifp)
{
	return rcu_dereference_protected(ifp->owner, lockdep_is_held(&mn->lock));
}

static inline struct mgm_protocol *mgm_if_igmp(struct mgm_net *mn,
					       const struct mgm_if *ifp)
{
	return rcu_dereference_protected(ifp->igmp, lockdep_is_held(&mn->lock));
}

/* Who speaks for an interface: its routing protocol, else IGMP (Q39). */
static inline struct mgm_protocol *mgm_if_speaker(struct mgm_net *mn,
						  const struct mgm_if *ifp)
{
	return mgm_if_owner(mn, ifp) ?: mgm_if_igmp(mn, ifp);
}

/* Whether @p is to be asked: it has the callback and no standing answer. */
static inline bool mgm_asks(const struct mgm_protocol *p, const void *cb,
			    u32 answer)
{
	return cb && !(p->answers & answer);
}

static inline u64 mgm_now(struct mgm_net *mn)
{
	return mn->clock();
}

/*
 * The walks over a whole table (route changes, expiry bursts) let go of
 * mn->lock every MGM_BATCH entries, so that at a million MFEs no request,
 * upcall or other netns's work waits for all of them (about a millisecond
 * of work per batch).  Returns false when the netns went away meanwhile.
 */
#define MGM_BATCH	256

static inline bool mgm_lock_break(struct mgm_net *mn, unsigned int *n)
{
	if (++*n < MGM_BATCH)
		return true;
	*n = 0;
	mutex_unlock(&mn->lock);
	cond_resched();
	mutex_lock(&mn->lock);
	return !mn->dead;
}

/*
 * The same for a request's walk over the MFEs a membership matches (all
 * of them for (*,*)): meanwhile upcalls, answers, timers and route changes
 * go on, which change MFEs only (the walk's cursor is a key, not a
 * pointer); changes of protocols, interfaces and memberships, on which the
 * walk relies, wait for mgm_walk_end() (mgm_lock_excl()).
 */
void mgm_walk_break(struct mgm_net *mn, unsigned int *n);
void mgm_walk_end(struct mgm_net *mn);

/* Callback dispatch and monitor events (mgm_core.c). */
void mgm_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
	       const struct mgm_if *ifp);
void mgm_member_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
		      const struct mgm_sg *sg, const struct mgm_if *ifp);
void mgm_mfe_event(struct mgm_net *mn, u8 cmd, const struct mgm_mfe *mfe);
void mgm_limits_event(struct mgm_net *mn);
void mgm_join_alert(struct mgm_net *mn, struct mgm_protocol *p,
		    const struct mgm_sg *sg, bool member_update);
void mgm_prune_alert(struct mgm_net *mn, struct mgm_protocol *p,
		     const struct mgm_sg *sg, u32 ifindex, __be32 nexthop);
int mgm_fwd_if_add(struct mgm_net *mn, u32 ifindex,
		   struct netlink_ext_ack *extack);
void mgm_fwd_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone);
void mgm_fwd_mfe_set(struct mgm_net *mn, const struct mgm_mfe *mfe);
void mgm_fwd_mfe_del(struct mgm_net *mn, const struct mgm_mfe *mfe);
int mgm_fwd_mfe_counters(struct mgm_net *mn, const struct mgm_mfe *mfe,
			 struct mgm_mfe_counters *counters);

/* The MFE engine (mgm_mfe.c). */
int mgm_mfe_net_init(struct mgm_net *mn);
void mgm_mfe_net_exit(struct mgm_net *mn);
void mgm_mfe_delete(struct mgm_net *mn, struct mgm_mfe *mfe);
bool mgm_ifindex_in_use(struct mgm_net *mn, u32 ifindex);
struct mgm_if *mgm_ifindex_first(struct mgm_net *mn, u32 ifindex);
void mgm_if_flush_mfes(struct mgm_net *mn, struct mgm_if *ifp);
void mgm_if_claim_unowned(struct mgm_net *mn, struct mgm_if *ifp);
void mgm_mfes_member_added(struct mgm_net *mn, __be32 source, __be32 group,
			   struct mgm_if *ifp);
void mgm_mfes_member_removed(struct mgm_net *mn, __be32 source,
			     __be32 group, struct mgm_if *ifp);
void mgm_mfes_forward(struct mgm_net *mn, __be32 source, __be32 group,
		      struct mgm_if *ifp, bool on);
int mgm_rpf_lookup(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf,
		   struct mgm_if **ifp);
void mgm_mfe_reroute(struct mgm_net *mn, struct mgm_mfe *mfe);
void mgm_protocol_cancel_requests(struct mgm_net *mn, struct mgm_protocol *p);
/*
 * A limit turned something away: count it in *@counter (a field of
 * mn->counters); the monitor hears of the counters at most once a second.
 */
void mgm_limit_hit(struct mgm_net *mn, u64 *counter);
/* May one more report of the forwarder be handled now (and counted)? */
bool mgm_upcall_allow(struct mgm_net *mn);
/* Room for one more MFE, a negative one deleted if need be. */
bool mgm_mfe_room(struct mgm_net *mn);
void mgm_newsrcs_reroute(struct mgm_net *mn);

/* Protocols and their interfaces (mgm_protocol.c). */
void mgm_protocol_net_init(struct mgm_net *mn);
void mgm_protocol_net_exit(struct mgm_net *mn);

/* Limits and counters (mgm_limit.c). */
void mgm_limits_init(struct mgm_limits *limits);
int mgm_set_limits(struct net *net, const struct mgm_limits *limits,
		   bool may_raise, int *bad, struct netlink_ext_ack *extack);
/* Limits, what is in use against them, counters: a snapshot. */
void mgm_get_stats(struct net *net, struct mgm_limits *limits,
		   struct mgm_limits *usage, struct mgm_counters *counters);

/* Route changes (mgm_route.c). */
int mgm_route_net_init(struct mgm_net *mn);
void mgm_route_net_exit(struct mgm_net *mn);

/* Memberships (mgm_member.c). */
int mgm_member_net_init(struct mgm_net *mn);
void mgm_member_net_exit(struct mgm_net *mn);
bool mgm_member_covers(struct mgm_net *mn, __be32 source, __be32 group,
		       struct mgm_if *ifp);
void mgm_if_drop_members(struct mgm_net *mn, struct mgm_if *ifp,
			 struct mgm_protocol *adder, bool local_leave);
void mgm_member_candidates(struct mgm_net *mn, __be32 source, __be32 group,
			   void (*fn)(struct mgm_net *mn, struct mgm_if *ifp,
				      void *arg),
			   void *arg);
void mgm_member_rpf_moved(struct mgm_net *mn, __be32 source, __be32 group,
			  struct mgm_protocol *p);
void mgm_members_reroute(struct mgm_net *mn);

/*
 * The ipmr forwarder (mgm_ipmr.c).  mgm_ipmr_init() after the core's pernet
 * operations are registered, mgm_ipmr_exit() before they are unregistered.
 */
int mgm_ipmr_init(void);
void mgm_ipmr_exit(void);
/* IGMP packets from MGM's ipmr socket, for the IGMP component (NULL: none). */
void mgm_ipmr_set_igmp_rcv(void (*rcv)(struct net *net, struct sk_buff *skb));

#if IS_ENABLED(CONFIG_KUNIT)
/* mgm_ipmr.c internals, for its KUnit suite */
extern const struct mgm_forwarder_ops mgm_ipmr_forwarder;
int mgm_ipmr_counters_rtnl(struct mgm_net *mn, const struct mgm_mfe *mfe,
			   struct mgm_mfe_counters *c);
struct socket;
int mgm_ipmr_getroute(struct socket *rtnl, u32 seq, __be32 source,
		      __be32 group, u32 table, struct mgm_mfe_counters *c);
#endif

#endif /* _MGM_CORE_H */
