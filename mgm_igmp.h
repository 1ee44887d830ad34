/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IGMP component (mgm_igmp.c): an IGMPv3 router (RFC 3376) in the
 * kernel, registered with MGM as protocol 10 in each network namespace
 * where it runs on an interface, and a client of include/net/mgm.h like
 * any protocol module.  The netlink family turns it on and off per
 * interface and shows it.
 */
#ifndef _MGM_IGMP_H
#define _MGM_IGMP_H

#include <linux/types.h>

#include "mgm_igmp_group.h"
#include "mgm_igmp_packet.h"

struct net;
struct netlink_ext_ack;

/* How IGMP runs on an interface. */
struct mgm_igmp_config {
	u32 version;			/* of the queries sent: 2 or 3 */
	struct mgm_igmp_timers timers;	/* ms, and the robustness */
	u32 max_groups;
	u32 max_sources;		/* per group */
};

/* RFC 3376 §8's timers, IGMPv3, 4096 groups of 256 sources at most. */
void mgm_igmp_config_init(struct mgm_igmp_config *cfg);

/*
 * Run IGMP on @ifindex with @cfg: -EINVAL naming the attribute at fault
 * for a config out of range, -EEXIST where it runs already, -EEXIST too
 * when another IGMP component is registered in the netns, and what
 * taking the interface fails with.
 */
int mgm_igmp_enable(struct net *net, u32 ifindex,
		    const struct mgm_igmp_config *cfg,
		    struct netlink_ext_ack *extack);
/* -ENOENT where it does not run. */
int mgm_igmp_disable(struct net *net, u32 ifindex,
		     struct netlink_ext_ack *extack);

/* What IGMP is doing on an interface. */
struct mgm_igmp_if_info {
	u32 ifindex;
	struct mgm_igmp_config cfg;
	bool querier;			/* this router queries the link */
	__be32 querier_addr;		/* the querier's address, ours or not */
	u64 querier_since;		/* ms ago */
	bool disabled;			/* between MGM's disable and enable */
	unsigned int n_groups;
	u64 queries_sent;
	u64 send_errors;
	u64 query_drops;		/* retransmissions with no room */
	u64 member_refusals;		/* memberships MGM refused */
	struct mgm_igmp_rx_counters rx;
	struct mgm_igmp_group_counters groups;
};

/* The interface @ifindex (@next: the first after it); -ENOENT: none. */
int mgm_igmp_if_get(struct net *net, u32 ifindex, bool next,
		    struct mgm_igmp_if_info *info);
/*
 * The group @group of interface @ifindex (@next: the first after it),
 * with up to @max sources, its timers as what is left of them (ms);
 * -ENOENT: none.
 */
int mgm_igmp_if_group(struct net *net, u32 ifindex, __be32 group, bool next,
		      struct mgm_igmp_group_info *info,
		      struct mgm_igmp_source_info *srcs, unsigned int max);

int mgm_igmp_init(void);
void mgm_igmp_exit(void);

/* An IGMP packet from MGM's ipmr socket (IP header first). */
struct sk_buff;
void mgm_igmp_rcv(struct net *net, struct sk_buff *skb);

#endif /* _MGM_IGMP_H */
