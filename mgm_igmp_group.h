/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The groups of one interface as an IGMPv3 router keeps them (RFC 3376
 * §6): filter mode, group timer and source records with their timers, the
 * state changes of §6.4 for each group record received, and the timers'
 * expiry of §6.5; IGMPv1 and IGMPv2 hosts through the compatibility of
 * §7.3.2 (mgm_igmp_group.c).
 *
 * What a group's state asks of MGM comes out as differences, through
 * struct mgm_igmp_group_ops: receivers of (*,G) while in EXCLUDE mode, of
 * (S,G) for each source of INCLUDE mode, and the sources EXCLUDE mode
 * blocks.  Queries that a change calls for come out too; sending them is
 * the querier's.  Nothing here sleeps but the allocations, takes a lock
 * or reads a clock: the caller serializes and passes the time (ms).
 */
#ifndef _MGM_IGMP_GROUP_H
#define _MGM_IGMP_GROUP_H

#include <linux/types.h>
#include <linux/xarray.h>

/*
 * What the hosts' packets make the state allocate: charged to the memory
 * cgroup of whoever enabled IGMP, and refused (counted as nomem) rather
 * than reclaimed or killed for.
 */
#define MGM_IGMP_GFP	(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

/* Group record types (RFC 3376 §4.2.12), as the packet carries them. */
enum mgm_igmp_rec {
	MGM_IGMP_IS_IN = 1,	/* MODE_IS_INCLUDE */
	MGM_IGMP_IS_EX = 2,	/* MODE_IS_EXCLUDE */
	MGM_IGMP_TO_IN = 3,	/* CHANGE_TO_INCLUDE_MODE */
	MGM_IGMP_TO_EX = 4,	/* CHANGE_TO_EXCLUDE_MODE */
	MGM_IGMP_ALLOW = 5,	/* ALLOW_NEW_SOURCES */
	MGM_IGMP_BLOCK = 6,	/* BLOCK_OLD_SOURCES */
};

/* The timers of RFC 3376 §8, in ms (counts as counts). */
struct mgm_igmp_timers {
	unsigned int robustness;	/* RV, §8.1 */
	unsigned int query_interval;	/* QI, §8.2 */
	unsigned int response_interval;	/* QRI, §8.3 */
	unsigned int last_member_interval;	/* LMQI, §8.8 */
};

/* Defaults of RFC 3376 §8: RV 2, QI 125 s, QRI 10 s, LMQI 1 s. */
void mgm_igmp_timers_init(struct mgm_igmp_timers *t);
/* Group Membership Interval, §8.4: RV * QI + QRI. */
u64 mgm_igmp_gmi(const struct mgm_igmp_timers *t);
/* Last Member Query Time, §8.13: LMQI * LMQC (LMQC = RV). */
u64 mgm_igmp_lmqt(const struct mgm_igmp_timers *t);

/*
 * What the state asks for.  @source 0 in member() is (*,G).  query()
 * is a group-specific query when @n is 0, else a group-and-source-
 * specific one for @srcs.
 */
struct mgm_igmp_group_ops {
	void (*member)(void *ctx, __be32 group, __be32 source, bool join);
	void (*block)(void *ctx, __be32 group, __be32 source, bool block);
	void (*query)(void *ctx, __be32 group, const __be32 *srcs,
		      unsigned int n);
};

/* Why records were not applied, or only in part. */
struct mgm_igmp_group_counters {
	u64 group_refusals;	/* a new group past max_groups */
	u64 source_refusals;	/* new sources past max_sources */
	u64 compat_ignored;	/* BLOCK, a leave or a TO_EX source list */
	u64 nomem;		/* records lost for memory */
	u64 bad_sources;	/* 0.0.0.0, multicast, broadcast: skipped */
	u64 ssm_ignored;	/* any-source requests for SSM groups */
};

/* The groups of one interface. */
struct mgm_igmp_groups {
	struct xarray groups;		/* mgm_igmp_group by ntohl(group) */
	unsigned int n_groups;
	unsigned int max_groups;
	unsigned int max_sources;	/* per group */
	/* the querier lowers timers when it queries (§6.6.3) */
	bool querier;
	struct mgm_igmp_timers timers;
	const struct mgm_igmp_group_ops *ops;
	void *ctx;
	struct mgm_igmp_group_counters counters;
	/* no timer runs out before (a lower bound, exact after an expiry) */
	u64 next;
};

void mgm_igmp_groups_init(struct mgm_igmp_groups *gs,
			  const struct mgm_igmp_group_ops *ops, void *ctx,
			  unsigned int max_groups, unsigned int max_sources);
/* Every group goes, with what it asked of MGM taken back. */
void mgm_igmp_groups_flush(struct mgm_igmp_groups *gs);
/*
 * Everything the groups ask of MGM, told again as if each group were new
 * (after MGM dropped it all: mgm.rst, "The IGMP bracket").
 */
void mgm_igmp_groups_replay(struct mgm_igmp_groups *gs);

/*
 * One group record of a report, of IGMP version @version (1, 2 or 3)
 * received at @now: an IGMPv1 or IGMPv2 report is IS_EX({}), an IGMPv2
 * leave TO_IN({}) (§7.3.2).  @srcs may repeat and be in any order.  For
 * the SSM groups, 232.0.0.0/8, only IGMPv3's source-specific records
 * count (RFC 4604 §2.2.2).
 */
void mgm_igmp_record(struct mgm_igmp_groups *gs, u64 now, int version,
		     enum mgm_igmp_rec type, __be32 group, const __be32 *srcs,
		     unsigned int n);
/*
 * A query received from another router (or sent by this one): a
 * group-specific one lowers the group timer, a group-and-source-specific
 * one the source timers, to LMQT (§6.6.1, §6.6.2).  @n 0: Q(G).
 */
void mgm_igmp_query_seen(struct mgm_igmp_groups *gs, u64 now, __be32 group,
			 const __be32 *srcs, unsigned int n);
/* Whatever timers ran out by @now (§6.5, §7.3.2). */
void mgm_igmp_expire(struct mgm_igmp_groups *gs, u64 now);
/*
 * When the next timer runs out, or earlier (right after
 * mgm_igmp_expire()); U64_MAX: none runs.
 */
u64 mgm_igmp_next_expiry(struct mgm_igmp_groups *gs);

/* ---- reading the state (show, tests) ----------------------------------- */

struct mgm_igmp_source_info {
	__be32 addr;
	u64 expires;		/* 0: not running (EXCLUDE: blocked) */
};

struct mgm_igmp_group_info {
	__be32 group;
	bool exclude;
	u64 expires;		/* the group timer; 0: not running */
	int compat;		/* the group compatibility mode: 1, 2 or 3 */
	unsigned int n_sources;
};

/*
 * The group @group (@next: the first one after it), and up to @max of its
 * sources in address order; -ENOENT: none.
 */
int mgm_igmp_group_get(struct mgm_igmp_groups *gs, __be32 group,
		       bool next, u64 now, struct mgm_igmp_group_info *info,
		       struct mgm_igmp_source_info *srcs, unsigned int max);

#endif /* _MGM_IGMP_GROUP_H */
