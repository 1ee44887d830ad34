/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Limits on what a network namespace may hold, and the counters of what
 * they turned away (mgm_limit.c).
 */
#ifndef _MGM_LIMIT_H
#define _MGM_LIMIT_H

#include <linux/types.h>

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

struct mgm_net;
struct net;
struct netlink_ext_ack;

void mgm_limits_init(struct mgm_limits *limits);
int mgm_set_limits(struct net *net, const struct mgm_limits *limits,
		   bool may_raise, int *bad, struct netlink_ext_ack *extack);
/* Limits, what is in use against them, counters: a snapshot. */
void mgm_get_stats(struct net *net, struct mgm_limits *limits,
		   struct mgm_limits *usage, struct mgm_counters *counters);
/*
 * A limit turned something away: count it in *@counter (a field of
 * mn->counters); the monitor hears of the counters at most once a second.
 */
void mgm_limit_hit(struct mgm_net *mn, u64 *counter);
/* May one more report of the forwarder be handled now (and counted)? */
bool mgm_upcall_allow(struct mgm_net *mn);

#endif /* _MGM_LIMIT_H */
