/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between MGM and the forwarder it programs (mgm_ipmr.c for
 * IPv4): what MGM asks of it, and what it reports to MGM.  A forwarder
 * sees MFEs as struct mgm_fwd_entry, never MGM's own records, and says
 * which address family it forwards: what an ip6mr backend would provide
 * beside ipmr.  MGM's tables hold IPv4 entries only today, so the one
 * forwarder is AF_INET's.
 */
#ifndef _MGM_FORWARDER_H
#define _MGM_FORWARDER_H

#include <linux/in6.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <net/mgm.h>

/* Per-MFE counters, as the forwarder keeps them. */
struct mgm_mfe_counters {
	u64 pkts;
	u64 bytes;
	u64 wrong_if;
};

/* An address of the forwarder's family. */
union mgm_fwd_addr {
	__be32 ip;
	struct in6_addr in6;
};

/*
 * An MFE as MGM installs it: (@source, @group) of @family, the incoming
 * interface @iif (0: none, the entry only stops upcalls) and @n_oifs
 * outgoing interfaces, valid for the duration of the call.
 */
struct mgm_fwd_entry {
	sa_family_t family;
	union mgm_fwd_addr source;
	union mgm_fwd_addr group;
	u32 iif;
	unsigned int n_oifs;
	const struct mgm_oif *oifs;
};

struct mgm_net;
struct net;
struct netlink_ext_ack;

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
 * @mfe_set: install @e or replace what is installed for its (S,G).
 * @mfe_del: remove what is installed for @e's (S,G).
 * @mfe_counters: read the counters of @e's (S,G); -EOPNOTSUPP if the
 *	forwarder cannot (then an MFE lives exactly its timeout).
 * @family: the address family of its entries (AF_INET).
 */
struct mgm_forwarder_ops {
	sa_family_t family;
	int (*if_add)(struct mgm_net *mn, u32 ifindex,
		      struct netlink_ext_ack *extack);
	void (*if_del)(struct mgm_net *mn, u32 ifindex, bool dev_gone);
	void (*mfe_set)(struct mgm_net *mn, const struct mgm_fwd_entry *e);
	void (*mfe_del)(struct mgm_net *mn, const struct mgm_fwd_entry *e);
	int (*mfe_counters)(struct mgm_net *mn, const struct mgm_fwd_entry *e,
			    struct mgm_mfe_counters *counters);
};

/* The forwarder of AF_INET's MFEs; one of another family is refused. */
void mgm_set_forwarder(const struct mgm_forwarder_ops *ops);
const struct mgm_forwarder_ops *mgm_get_forwarder(void);

/*
 * What the IPv4 forwarder reports, from process context without locks held:
 * a packet of (@source, @group) arrived on @ifindex and matched no MFE, or
 * it matched one whose incoming interface is another.  @hdr is the start of
 * the packet (IP header first).
 */
void mgm_new_source(struct net *net, __be32 source, __be32 group, u32 ifindex,
		    const void *hdr, unsigned int hdr_len);
void mgm_wrong_if(struct net *net, __be32 source, __be32 group, u32 ifindex,
		  const void *hdr, unsigned int hdr_len);

#endif /* _MGM_FORWARDER_H */
