/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between MGM and the forwarder it programs (mgm_ipmr.c for
 * IPv4): what MGM asks of it, and what it reports to MGM.
 */
#ifndef _MGM_FORWARDER_H
#define _MGM_FORWARDER_H

#include <linux/types.h>

/* Per-MFE counters, as the forwarder keeps them. */
struct mgm_mfe_counters {
	u64 pkts;
	u64 bytes;
	u64 wrong_if;
};

struct mgm_mfe;
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

#endif /* _MGM_FORWARDER_H */
