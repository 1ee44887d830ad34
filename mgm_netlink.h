/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the files of the "mgm" generic netlink family, and nothing else:
 * the module (mgm_main.c) knows only mgm_netlink_init() and
 * mgm_netlink_exit().
 *
 *   mgm_netlink.c     the family, its policies and ops, and the
 *                     registrations each socket owns (NETLINK_URELEASE)
 *   mgm_nl_request.c  the requests that change state, answers included
 *   mgm_nl_dump.c     the get commands and dumps
 *   mgm_nl_notify.c   the callbacks to userspace protocols and the events
 *                     of the monitor group
 *
 * What more than one of them writes into a message is here too, so that an
 * attribute is written the same way wherever it appears.
 */
#ifndef _MGM_NETLINK_H
#define _MGM_NETLINK_H

#include <net/genetlink.h>

#include "mgm_core.h"
#include "mgm_genl.h"
#include "mgm_mfe.h"
#include "mgm_protocol.h"

int mgm_netlink_init(void);
void mgm_netlink_exit(void);

/*
 * A registration made over netlink, the private data of its protocol: it
 * belongs to the socket that made it, so that only that socket may use the
 * handle, callbacks reach it, and its closing shuts the protocol down.
 */
struct mgm_nl_reg {
	struct list_head node;		/* in mgm_nl_regs */
	/*
	 * The socket that registered; only compared, except to test
	 * SOCK_DEAD.  NULL once that socket closed: the registration is
	 * then unusable and gets no notifications.
	 */
	struct sock *sk;
	struct net *net;
	u32 portid;
	u32 handle;
	/*
	 * Set as the reply announces the handle.  Until then the registering
	 * request still uses this struct, so other requests of the same
	 * socket (threads guessing the handle) must not deregister and free
	 * it: to them the handle does not exist yet.
	 */
	bool ready;
	/*
	 * Graceful restart (mgm.rst, "Graceful restart"), under
	 * mgm_nl_regs_lock: the ids a later register takes it over by, the
	 * hold time it asked for (s), held while its socket is gone, and the
	 * jiffies at which the hold, or a resync (resyncing), ends.
	 */
	u32 protocol_id;
	u32 component_id;
	u32 hold_time;
	bool held;
	bool resyncing;
	unsigned long until;
	/*
	 * Its notifications on their way to the socket, questions among
	 * them, and their bytes (under outq.lock): mgm_nl_reg_flush() sends
	 * them several to a datagram, so that a burst of new flows costs the
	 * daemon a read per datagram instead of one per question.
	 */
	struct sk_buff_head outq;
	unsigned int out_bytes;
	struct rcu_head rcu;
};

/* mgm_nl_notify.c: a registration's queue, sent or dropped */
void mgm_nl_reg_init(struct mgm_nl_reg *reg);
void mgm_nl_reg_flush(struct mgm_nl_reg *reg);
void mgm_nl_reg_purge(struct mgm_nl_reg *reg);
bool mgm_nl_pending(void);
/* mgm_netlink.c: every registration's queue, now */
void mgm_nl_flush(void);

/*
 * Room for the fixed attributes of any message of this family; the
 * outgoing interfaces (MGM_NL_OIF_SIZE each) and a packet come on top.
 */
#define MGM_NL_MSG_SIZE	(24 * nla_total_size(sizeof(u32)) +	\
			 4 * nla_total_size_64bit(sizeof(u64)))
#define MGM_NL_OIF_SIZE	(nla_total_size(0) +			\
			 2 * nla_total_size(sizeof(u32)) +	\
			 2 * nla_total_size(0))

extern struct genl_family mgm_nl_family;

/* MGM_LIMIT_A_* is the field of struct mgm_limits at index type - 1. */
static inline u32 *mgm_nl_limit_field(struct mgm_limits *limits, int type)
{
	BUILD_BUG_ON(MGM_N_LIMITS != MGM_LIMIT_A_MAX);
	BUILD_BUG_ON(offsetof(struct mgm_limits, upcalls) !=
		     (MGM_LIMIT_A_UPCALLS - 1) * sizeof(u32));
	return &mgm_limits_array(limits)[type - 1];
}

/* tells a netlink registration from one of a kernel protocol */
extern const struct mgm_protocol_ops mgm_nl_protocol_ops;

/* limits, usage and counters (get-stats, limits-hit) */
#define MGM_NL_STATS_SIZE						\
	(2 * nla_total_size(MGM_LIMIT_A_MAX * nla_total_size(sizeof(u32))) + \
	 nla_total_size(MGM_COUNTER_A_MAX * nla_total_size_64bit(sizeof(u64))))

/* An absent address is 0. */
static inline __be32 mgm_nl_addr(const struct genl_info *info, int type)
{
	const struct nlattr *attr = info->attrs[type];

	return attr ? nla_get_in_addr(attr) : 0;
}

static inline int mgm_nl_put_sg(struct sk_buff *skb, const struct mgm_sg *sg)
{
	if (nla_put_in_addr(skb, MGM_A_SOURCE, sg->source) ||
	    nla_put_in_addr(skb, MGM_A_SOURCE_MASK, sg->source_mask) ||
	    nla_put_in_addr(skb, MGM_A_GROUP, sg->group) ||
	    nla_put_in_addr(skb, MGM_A_GROUP_MASK, sg->group_mask))
		return -EMSGSIZE;
	return 0;
}

static inline int mgm_nl_put_if(struct sk_buff *skb, u32 ifindex,
				__be32 nexthop)
{
	if (nla_put_u32(skb, MGM_A_IFINDEX, ifindex) ||
	    nla_put_in_addr(skb, MGM_A_NEXTHOP, nexthop))
		return -EMSGSIZE;
	return 0;
}

static inline int mgm_nl_put_protocol(struct sk_buff *skb,
				      const struct mgm_protocol *p)
{
	if (nla_put_u32(skb, MGM_A_HANDLE, p->handle) ||
	    nla_put_u32(skb, MGM_A_PROTOCOL_ID, p->protocol_id) ||
	    nla_put_u32(skb, MGM_A_COMPONENT_ID, p->component_id))
		return -EMSGSIZE;
	return 0;
}

/* Where a registration stands in a graceful restart, and for how long. */
static inline int mgm_nl_put_protocol_state(struct sk_buff *skb,
					    const struct mgm_protocol *p)
{
	u8 state = READ_ONCE(p->state);
	long left = (long)(READ_ONCE(p->state_until) - jiffies);

	if (nla_put_u32(skb, MGM_A_PROTOCOL_STATE, state))
		return -EMSGSIZE;
	if (state == MGM_PROTOCOL_STATE_ACTIVE)
		return 0;
	/* whole seconds, rounded up: 0 only once it is due */
	left = left > 0 ? DIV_ROUND_UP(left, HZ) : 0;
	return nla_put_u32(skb, MGM_A_TIME_LEFT, left);
}

static inline int mgm_nl_put_route(struct sk_buff *skb,
				   const struct mgm_route *route)
{
	if (nla_put_in_addr(skb, MGM_A_ROUTE_PREFIX, route->prefix) ||
	    nla_put_u8(skb, MGM_A_ROUTE_PREFIX_LEN, route->prefix_len) ||
	    nla_put_u8(skb, MGM_A_ROUTE_PROTOCOL, route->protocol))
		return -EMSGSIZE;
	return 0;
}

/* One outgoing interface; only creation alerts say which are IGMP's. */
static inline int mgm_nl_put_oif(struct sk_buff *skb, u32 ifindex,
				 __be32 nexthop, bool igmp)
{
	struct nlattr *nest = nla_nest_start(skb, MGM_A_OIF);

	if (!nest ||
	    nla_put_u32(skb, MGM_OIF_A_IFINDEX, ifindex) ||
	    nla_put_in_addr(skb, MGM_OIF_A_NEXTHOP, nexthop) ||
	    (igmp && nla_put_flag(skb, MGM_OIF_A_IGMP)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* mgm_netlink.c */
int mgm_nl_get_reg(struct sk_buff *skb, struct genl_info *info,
		   struct mgm_nl_reg **regp);

/*
 * What a dumpit returns once @skb is full (-EMSGSIZE), the end is reached
 * (0) or it failed: skb->len while there is more to come, since 6.1 does
 * not take -EMSGSIZE for "skb full"; the error itself when nothing fit.
 */
static inline int mgm_nl_dump_result(struct sk_buff *skb, int err)
{
	if (err && (err != -EMSGSIZE || !skb->len))
		return err;
	return err ? skb->len : 0;
}

/* The command handlers: mgm_genl.h (generated). */

/* mgm_nl_dump.c */
int mgm_nl_put_counters(struct sk_buff *skb, const struct mgm_counters *c);
size_t mgm_nl_mfe_size(const struct mgm_oif_set *set);
int mgm_nl_fill_mfe(struct sk_buff *skb, struct mgm_net *mn,
		    const struct mgm_mfe *mfe, const struct mgm_oif_set *set,
		    const struct mgm_mfe_info *stats,
		    u32 portid, u32 seq, int flags, u8 cmd);

/*
 * mgm_nl_notify.c: sending starts once the family is registered and stops
 * before it is unregistered.
 */
void mgm_nl_notify_start(void);
void mgm_nl_notify_stop(void);

#endif /* _MGM_NETLINK_H */
