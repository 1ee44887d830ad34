/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ipmr forwarder (mgm_ipmr.c): MGM as the owner of the IPv4 multicast
 * routing table of each network namespace.
 */
#ifndef _MGM_IPMR_H
#define _MGM_IPMR_H

#include <linux/types.h>

struct mgm_fwd_entry;
struct mgm_mfe_counters;
struct mgm_net;
struct net;
struct sk_buff;
struct socket;

/*
 * The ipmr forwarder (mgm_ipmr.c).  mgm_ipmr_init() after the core's pernet
 * operations are registered, mgm_ipmr_exit() before they are unregistered.
 */
int mgm_ipmr_init(void);
void mgm_ipmr_exit(void);
/* IGMP packets from MGM's ipmr socket, for the IGMP component (NULL: none). */
void mgm_ipmr_set_igmp_rcv(void (*rcv)(struct net *net, struct sk_buff *skb));

/*
 * The counters of (@source, @group) in ipmr table @table, by RTM_GETROUTE
 * over the kernel NETLINK_ROUTE socket @rtnl (mgm_ipmr_rtnl.c).
 */
int mgm_ipmr_getroute(struct socket *rtnl, u32 seq, __be32 source,
		      __be32 group, u32 table, struct mgm_mfe_counters *c);

#if IS_ENABLED(CONFIG_KUNIT)
/* mgm_ipmr.c internals, for its KUnit suite */
extern const struct mgm_forwarder_ops mgm_ipmr_forwarder;
int mgm_ipmr_counters_rtnl(struct mgm_net *mn, const struct mgm_fwd_entry *e,
			   struct mgm_mfe_counters *c);
#endif

#endif /* _MGM_IPMR_H */
