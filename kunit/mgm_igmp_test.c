// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the IGMPv3 router-side group state (mgm_igmp_group.c):
 * every row of the tables of RFC 3376 §6.4.1 and §6.4.2 (the new state,
 * the timers, the queries, and what MGM is told), the timers' expiry of
 * §6.5, the compatibility with IGMPv1 and IGMPv2 hosts of §7.3.2, and the
 * limits.  Time is a number the cases pass; nothing waits.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../mgm_igmp_group.h"

#define G	htonl(0xef010101)	/* 239.1.1.1 */
#define G2	htonl(0xef010102)
#define G_SSM	htonl(0xe8010101)	/* 232.1.1.1 */
#define S(n)	htonl(0x0a000000 + (n))	/* 10.0.0.n */

/* What the group state told, in order. */
enum ev_kind { EV_MEMBER, EV_BLOCK, EV_QUERY };

struct ev {
	enum ev_kind kind;
	__be32 group;
	__be32 src;		/* MEMBER, BLOCK; 0: (*,G) */
	bool on;
	unsigned int n;		/* QUERY: sources; 0: Q(G) */
	__be32 srcs[8];
};

static struct ev evs[32];
static unsigned int nev;

static void rec_member(void *ctx, __be32 group, __be32 source, bool join)
{
	if (nev < ARRAY_SIZE(evs))
		evs[nev] = (struct ev) { EV_MEMBER, group, source, join };
	nev++;
}

static void rec_block(void *ctx, __be32 group, __be32 source, bool block)
{
	if (nev < ARRAY_SIZE(evs))
		evs[nev] = (struct ev) { EV_BLOCK, group, source, block };
	nev++;
}

static void rec_query(void *ctx, __be32 group, const __be32 *srcs,
		      unsigned int n)
{
	struct ev *e = &evs[nev];

	if (nev++ >= ARRAY_SIZE(evs))
		return;
	*e = (struct ev) { .kind = EV_QUERY, .group = group, .n = n };
	memcpy(e->srcs, srcs, min_t(unsigned int, n, 8) * sizeof(*srcs));
}

static const struct mgm_igmp_group_ops rec_ops = {
	.member = rec_member,
	.block = rec_block,
	.query = rec_query,
};

/* The suite's defaults: GMI 260 s, LMQT 2 s. */
#define GMI	260000ULL
#define LMQT	2000ULL
#define T0	1000000ULL

static struct mgm_igmp_groups *groups_new(struct kunit *test, bool querier)
{
	struct mgm_igmp_groups *gs = kunit_kzalloc(test, sizeof(*gs),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, gs);
	mgm_igmp_groups_init(gs, &rec_ops, NULL, 16, 8);
	gs->querier = querier;
	KUNIT_ASSERT_EQ(test, mgm_igmp_gmi(&gs->timers), GMI);
	KUNIT_ASSERT_EQ(test, mgm_igmp_lmqt(&gs->timers), LMQT);
	nev = 0;
	return gs;
}

static void groups_free(struct mgm_igmp_groups *gs)
{
	mgm_igmp_groups_flush(gs);
}

/* A record of IGMPv3 with up to 8 sources, given as numbers (0 ends). */
static void rec(struct mgm_igmp_groups *gs, u64 now, enum mgm_igmp_rec type,
		const int *srcs)
{
	__be32 a[8];
	unsigned int n = 0;

	while (srcs && srcs[n])
		a[n] = S(srcs[n]), n++;
	mgm_igmp_record(gs, now, 3, type, G, a, n);
}

#define SRCS(...)	((const int []){ __VA_ARGS__, 0 })
#define NONE		NULL

/* One source of the expected state: its number and timer (0: none). */
struct want_src {
	int n;
	u64 timer;
};

#define WANT(...)	((const struct want_src []){ __VA_ARGS__, { 0 } })

static void expect_group(struct kunit *test, struct mgm_igmp_groups *gs,
			 bool exclude, u64 timer, const struct want_src *want)
{
	struct mgm_igmp_source_info srcs[16];
	struct mgm_igmp_group_info info;
	unsigned int i, n = 0;

	while (want && want[n].n)
		n++;
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G, false, T0, &info,
						 srcs, ARRAY_SIZE(srcs)), 0);
	KUNIT_EXPECT_EQ(test, info.exclude, exclude);
	KUNIT_EXPECT_EQ(test, info.expires, timer);
	KUNIT_ASSERT_EQ(test, info.n_sources, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, ntohl(srcs[i].addr),
				ntohl(S(want[i].n)));
		KUNIT_EXPECT_EQ(test, srcs[i].expires, want[i].timer);
	}
}

static void expect_no_group(struct kunit *test, struct mgm_igmp_groups *gs)
{
	struct mgm_igmp_group_info info;

	KUNIT_EXPECT_EQ(test, mgm_igmp_group_get(gs, G, false, T0, &info,
						 NULL, 0), -ENOENT);
}

/* Event @i: MEMBER or BLOCK of source number @src (0: (*,G)). */
static void expect_ev(struct kunit *test, unsigned int i, enum ev_kind kind,
		      int src, bool on)
{
	KUNIT_ASSERT_LT(test, i, nev);
	KUNIT_EXPECT_EQ(test, evs[i].kind, kind);
	KUNIT_EXPECT_EQ(test, ntohl(evs[i].group), ntohl(G));
	KUNIT_EXPECT_EQ(test, ntohl(evs[i].src), src ? ntohl(S(src)) : 0);
	KUNIT_EXPECT_EQ(test, evs[i].on, on);
}

/* Event @i: a query about the sources @srcs (NULL: Q(G)). */
static void expect_query(struct kunit *test, unsigned int i, const int *srcs)
{
	unsigned int k, n = 0;

	while (srcs && srcs[n])
		n++;
	KUNIT_ASSERT_LT(test, i, nev);
	KUNIT_EXPECT_EQ(test, evs[i].kind, EV_QUERY);
	KUNIT_EXPECT_EQ(test, ntohl(evs[i].group), ntohl(G));
	KUNIT_ASSERT_EQ(test, evs[i].n, n);
	for (k = 0; k < n; k++)
		KUNIT_EXPECT_EQ(test, ntohl(evs[i].srcs[k]), ntohl(S(srcs[k])));
}

/* INCLUDE ({1,2}) at T0 - 10 s: both timers T0 - 10 s + GMI. */
static struct mgm_igmp_groups *include_12(struct kunit *test, bool querier)
{
	struct mgm_igmp_groups *gs = groups_new(test, querier);

	rec(gs, T0 - 10000, MGM_IGMP_IS_IN, SRCS(1, 2));
	KUNIT_ASSERT_EQ(test, nev, 2);
	nev = 0;
	return gs;
}

/*
 * EXCLUDE (X, Y) at T0 - 10 s: @x and @y are source numbers; X's timers
 * and the group timer at T0 - 10 s + GMI.
 */
static struct mgm_igmp_groups *exclude_xy(struct kunit *test, bool querier,
					  const int *x, const int *y)
{
	struct mgm_igmp_groups *gs = groups_new(test, querier);
	int both[8];
	int n = 0, i;

	for (i = 0; x && x[i]; i++)
		both[n++] = x[i];
	for (i = 0; y && y[i]; i++)
		both[n++] = y[i];
	both[n] = 0;
	/* IS_EX (X+Y) makes them all Y; IS_IN (X) then runs X's timers */
	rec(gs, T0 - 10000, MGM_IGMP_IS_EX, n ? both : NONE);
	if (x)
		rec(gs, T0 - 10000, MGM_IGMP_IS_IN, x);
	nev = 0;
	return gs;
}

#define OLD	(T0 - 10000 + GMI)	/* timers set by the fixtures */

/* ---- RFC 3376 §6.4.1: current-state records ----------------------------- */

static void igmp_test_include_is_in(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_IS_IN, SRCS(2, 3));
	/* INCLUDE (A+B), (B)=GMI */
	expect_group(test, gs, false, 0,
		     WANT({ 1, OLD }, { 2, T0 + GMI }, { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_MEMBER, 3, true);
	groups_free(gs);
}

static void igmp_test_include_is_ex(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_IS_EX, SRCS(2, 3));
	/* EXCLUDE (A*B, B-A): (B-A)=0, Delete (A-B), Group Timer=GMI */
	expect_group(test, gs, true, T0 + GMI, WANT({ 2, OLD }, { 3, 0 }));
	/* block first, then (*,G), then the (S,G) go */
	KUNIT_EXPECT_EQ(test, nev, 4);
	expect_ev(test, 0, EV_BLOCK, 3, true);
	expect_ev(test, 1, EV_MEMBER, 0, true);
	expect_ev(test, 2, EV_MEMBER, 1, false);
	expect_ev(test, 3, EV_MEMBER, 2, false);
	groups_free(gs);
}

static void igmp_test_exclude_is_in(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), SRCS(2));

	expect_group(test, gs, true, OLD, WANT({ 1, OLD }, { 2, 0 }));
	rec(gs, T0, MGM_IGMP_IS_IN, SRCS(2, 3));
	/* EXCLUDE (X+A, Y-A), (A)=GMI */
	expect_group(test, gs, true, OLD,
		     WANT({ 1, OLD }, { 2, T0 + GMI }, { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_BLOCK, 2, false);
	groups_free(gs);
}

static void igmp_test_exclude_is_ex(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1, 2),
						SRCS(3, 4));

	rec(gs, T0, MGM_IGMP_IS_EX, SRCS(2, 4, 5));
	/*
	 * EXCLUDE (A-Y, Y*A): (A-X-Y)=GMI, Delete (X-A), Delete (Y-A),
	 * Group Timer=GMI
	 */
	expect_group(test, gs, true, T0 + GMI,
		     WANT({ 2, OLD }, { 4, 0 }, { 5, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_BLOCK, 3, false);
	groups_free(gs);
}

/* ---- RFC 3376 §6.4.2: filter-mode-change and source-list-change records -- */

static void igmp_test_include_allow(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_ALLOW, SRCS(3));
	/* INCLUDE (A+B), (B)=GMI */
	expect_group(test, gs, false, 0,
		     WANT({ 1, OLD }, { 2, OLD }, { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_MEMBER, 3, true);
	groups_free(gs);
}

static void igmp_test_include_block(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_BLOCK, SRCS(2, 3));
	/* INCLUDE (A), Send Q(G,A*B): its timers lowered to LMQT */
	expect_group(test, gs, false, 0, WANT({ 1, OLD }, { 2, T0 + LMQT }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_query(test, 0, SRCS(2));
	groups_free(gs);
}

static void igmp_test_include_to_ex(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_TO_EX, SRCS(2, 3));
	/*
	 * EXCLUDE (A*B, B-A): (B-A)=0, Delete (A-B), Send Q(G,A*B),
	 * Group Timer=GMI
	 */
	expect_group(test, gs, true, T0 + GMI,
		     WANT({ 2, T0 + LMQT }, { 3, 0 }));
	KUNIT_EXPECT_EQ(test, nev, 5);
	expect_query(test, 0, SRCS(2));
	expect_ev(test, 1, EV_BLOCK, 3, true);
	expect_ev(test, 2, EV_MEMBER, 0, true);
	expect_ev(test, 3, EV_MEMBER, 1, false);
	expect_ev(test, 4, EV_MEMBER, 2, false);
	groups_free(gs);
}

static void igmp_test_include_to_in(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_TO_IN, SRCS(2, 3));
	/* INCLUDE (A+B), (B)=GMI, Send Q(G,A-B) */
	expect_group(test, gs, false, 0, WANT({ 1, T0 + LMQT },
					      { 2, T0 + GMI },
					      { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_query(test, 0, SRCS(1));
	expect_ev(test, 1, EV_MEMBER, 3, true);
	groups_free(gs);
}

static void igmp_test_exclude_allow(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), SRCS(2));

	rec(gs, T0, MGM_IGMP_ALLOW, SRCS(2, 3));
	/* EXCLUDE (X+A, Y-A), (A)=GMI */
	expect_group(test, gs, true, OLD,
		     WANT({ 1, OLD }, { 2, T0 + GMI }, { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_BLOCK, 2, false);
	groups_free(gs);
}

static void igmp_test_exclude_block(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), SRCS(2));

	rec(gs, T0, MGM_IGMP_BLOCK, SRCS(1, 2, 3));
	/*
	 * EXCLUDE (X+(A-Y), Y): (A-X-Y)=Group Timer, Send Q(G,A-Y): 1 and 3
	 * lowered to LMQT; 2 stays blocked
	 */
	expect_group(test, gs, true, OLD,
		     WANT({ 1, T0 + LMQT }, { 2, 0 }, { 3, T0 + LMQT }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_query(test, 0, SRCS(1, 3));
	groups_free(gs);
}

static void igmp_test_exclude_to_ex(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1, 2),
						SRCS(3, 4));

	rec(gs, T0, MGM_IGMP_TO_EX, SRCS(2, 4, 5));
	/*
	 * EXCLUDE (A-Y, Y*A): (A-X-Y)=Group Timer, Delete (X-A),
	 * Delete (Y-A), Send Q(G,A-Y), Group Timer=GMI
	 */
	expect_group(test, gs, true, T0 + GMI, WANT({ 2, T0 + LMQT },
						    { 4, 0 },
						    { 5, T0 + LMQT }));
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_query(test, 0, SRCS(2, 5));
	expect_ev(test, 1, EV_BLOCK, 3, false);
	groups_free(gs);
}

static void igmp_test_exclude_to_in(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1, 2),
						SRCS(3));

	rec(gs, T0, MGM_IGMP_TO_IN, SRCS(2, 3));
	/*
	 * EXCLUDE (X+A, Y-A), (A)=GMI, Send Q(G,X-A), Send Q(G): the group
	 * timer lowered to LMQT too
	 */
	expect_group(test, gs, true, T0 + LMQT, WANT({ 1, T0 + LMQT },
						     { 2, T0 + GMI },
						     { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 3);
	expect_query(test, 0, SRCS(1));
	expect_query(test, 1, NONE);
	expect_ev(test, 2, EV_BLOCK, 3, false);
	groups_free(gs);
}

/* ---- RFC 3376 §6.5: timers ------------------------------------------------ */

static void igmp_test_expire_include(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, true);

	rec(gs, T0, MGM_IGMP_ALLOW, SRCS(2));
	KUNIT_EXPECT_EQ(test, mgm_igmp_next_expiry(gs), OLD);
	nev = 0;
	mgm_igmp_expire(gs, OLD - 1);
	KUNIT_EXPECT_EQ(test, nev, 0);
	/* INCLUDE mode: a source whose timer ran out goes */
	mgm_igmp_expire(gs, OLD);
	expect_group(test, gs, false, 0, WANT({ 2, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_MEMBER, 1, false);
	/* and the group with its last one */
	mgm_igmp_expire(gs, T0 + GMI);
	expect_no_group(test, gs);
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_ev(test, 1, EV_MEMBER, 2, false);
	KUNIT_EXPECT_EQ(test, mgm_igmp_next_expiry(gs), U64_MAX);
	groups_free(gs);
}

static void igmp_test_expire_exclude(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1, 2),
						SRCS(3));

	/* 2 runs past the group timer, 1 does not */
	rec(gs, T0, MGM_IGMP_ALLOW, SRCS(2));
	nev = 0;
	/* EXCLUDE mode: a source whose timer ran out is blocked (Y) ... */
	mgm_igmp_expire(gs, OLD);
	/* ... and when the group timer runs out, INCLUDE what still runs */
	expect_group(test, gs, false, 0, WANT({ 2, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 3);
	expect_ev(test, 0, EV_MEMBER, 2, true);
	expect_ev(test, 1, EV_MEMBER, 0, false);
	expect_ev(test, 2, EV_BLOCK, 3, false);
	groups_free(gs);
}

static void igmp_test_expire_exclude_source(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), NONE);

	/* the group timer runs on (IS_EX), source 1's does not */
	rec(gs, T0, MGM_IGMP_IS_EX, SRCS(1));
	nev = 0;
	mgm_igmp_expire(gs, OLD);
	expect_group(test, gs, true, T0 + GMI, WANT({ 1, 0 }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_BLOCK, 1, true);
	groups_free(gs);
}

/* ---- RFC 3376 §7.3.2: older hosts ------------------------------------------ */

static void igmp_test_v2_report_leave(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	struct mgm_igmp_group_info info;

	/* an IGMPv2 report is IS_EX ({}) */
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_IS_EX, G, NULL, 0);
	expect_group(test, gs, true, T0 + GMI, NONE);
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_MEMBER, 0, true);
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G, false, T0, &info,
						 NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.compat, 2);
	/* its leave TO_IN ({}): Q(G), the group timer down to LMQT */
	mgm_igmp_record(gs, T0 + 1000, 2, MGM_IGMP_TO_IN, G, NULL, 0);
	expect_group(test, gs, true, T0 + 1000 + LMQT, NONE);
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_query(test, 1, NONE);
	/* nobody answers: the group goes after LMQT */
	mgm_igmp_expire(gs, T0 + 1000 + LMQT);
	expect_no_group(test, gs);
	KUNIT_EXPECT_EQ(test, nev, 3);
	expect_ev(test, 2, EV_MEMBER, 0, false);
	groups_free(gs);
}

static void igmp_test_v2_compat(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	struct mgm_igmp_group_info info;
	__be32 s[] = { S(1) };

	mgm_igmp_record(gs, T0, 2, MGM_IGMP_IS_EX, G, NULL, 0);
	nev = 0;
	/* IGMPv2 hosts present: BLOCK unheeded, TO_EX's sources too */
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_BLOCK, G, s, 1);
	KUNIT_EXPECT_EQ(test, nev, 0);
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_TO_EX, G, s, 1);
	expect_group(test, gs, true, T0 + GMI, NONE);
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, gs->counters.compat_ignored, 2);
	/* the Older Host Present timer runs out: IGMPv3 again */
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G, false, T0 + GMI,
						 &info, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.compat, 3);
	groups_free(gs);
}

static void igmp_test_v1_compat(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	struct mgm_igmp_group_info info;

	mgm_igmp_record(gs, T0, 1, MGM_IGMP_IS_EX, G, NULL, 0);
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G, false, T0, &info,
						 NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.compat, 1);
	nev = 0;
	/* IGMPv1 hosts present: an IGMPv2 leave is unheeded */
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_TO_IN, G, NULL, 0);
	KUNIT_EXPECT_EQ(test, nev, 0);
	expect_group(test, gs, true, T0 + GMI, NONE);
	KUNIT_EXPECT_EQ(test, gs->counters.compat_ignored, 1);
	groups_free(gs);
}

/* ---- querier, limits, input -------------------------------------------- */

static void igmp_test_not_querier(struct kunit *test)
{
	struct mgm_igmp_groups *gs = include_12(test, false);
	__be32 s[] = { S(1) };

	/* only the querier asks; the others' timers wait for its query */
	rec(gs, T0, MGM_IGMP_BLOCK, SRCS(1));
	KUNIT_EXPECT_EQ(test, nev, 0);
	expect_group(test, gs, false, 0, WANT({ 1, OLD }, { 2, OLD }));
	mgm_igmp_query_seen(gs, T0, G, s, 1);
	expect_group(test, gs, false, 0, WANT({ 1, T0 + LMQT }, { 2, OLD }));
	groups_free(gs);
}

/*
 * Without the querier's queries, the sources that BLOCK and TO_EX add in
 * EXCLUDE mode keep the group timer they got (§6.4.2).
 */
static void igmp_test_not_querier_exclude(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, false, SRCS(1), SRCS(2));

	rec(gs, T0, MGM_IGMP_BLOCK, SRCS(3));
	expect_group(test, gs, true, OLD,
		     WANT({ 1, OLD }, { 2, 0 }, { 3, OLD }));
	rec(gs, T0, MGM_IGMP_TO_EX, SRCS(1, 2, 4));
	expect_group(test, gs, true, T0 + GMI,
		     WANT({ 1, OLD }, { 2, 0 }, { 4, OLD }));
	KUNIT_EXPECT_EQ(test, nev, 0);
	groups_free(gs);
}

static void igmp_test_limits(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	__be32 s[12];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s); i++)
		s[i] = S(i + 1);
	/* 8 sources a group: the 4 more are refused, and counted */
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_IS_IN, G, s, ARRAY_SIZE(s));
	KUNIT_EXPECT_EQ(test, nev, 8);
	KUNIT_EXPECT_EQ(test, gs->counters.source_refusals, 4);
	/* 16 groups an interface */
	for (i = 1; i < 20; i++)
		mgm_igmp_record(gs, T0, 2, MGM_IGMP_IS_EX,
				htonl(ntohl(G2) + i), NULL, 0);
	KUNIT_EXPECT_EQ(test, gs->n_groups, 16);
	KUNIT_EXPECT_EQ(test, gs->counters.group_refusals, 4);
	/* a group already there still takes records */
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_BLOCK, G, s, 1);
	KUNIT_EXPECT_EQ(test, gs->counters.group_refusals, 4);
	groups_free(gs);
}

/* Sources that sort before the kept ones do not get past max_sources. */
static void igmp_test_limit_sources_order(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	struct mgm_igmp_group_info info;
	__be32 high[8], low[8];
	unsigned int i;

	for (i = 0; i < 8; i++) {
		high[i] = S(100 + i);
		low[i] = S(1 + i);
	}
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_ALLOW, G, high, 8);
	nev = 0;
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_ALLOW, G, low, 8);
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, gs->counters.source_refusals, 8);
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G, false, T0, &info,
						 NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.n_sources, 8);
	groups_free(gs);
}

/* 0.0.0.0 would read as (*,G): no host sends from it, nor multicast. */
static void igmp_test_bad_sources(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	__be32 s[] = { 0, htonl(0xe0010101), htonl(0xffffffff), S(1) };

	mgm_igmp_record(gs, T0, 3, MGM_IGMP_IS_IN, G, s, ARRAY_SIZE(s));
	expect_group(test, gs, false, 0, WANT({ 1, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 1);
	expect_ev(test, 0, EV_MEMBER, 1, true);
	KUNIT_EXPECT_EQ(test, gs->counters.bad_sources, 3);
	groups_free(gs);
}

static void igmp_test_record_sources(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	__be32 s[] = { S(3), S(1), S(3), S(2), S(1) };

	/* in any order, repeated: each source once, in address order */
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_ALLOW, G, s, ARRAY_SIZE(s));
	expect_group(test, gs, false, 0,
		     WANT({ 1, T0 + GMI }, { 2, T0 + GMI }, { 3, T0 + GMI }));
	KUNIT_EXPECT_EQ(test, nev, 3);
	/* and nothing where there is nothing: BLOCK and leaves of no group */
	nev = 0;
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_BLOCK, G2, s, 1);
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_TO_IN, G2, NULL, 0);
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, gs->n_groups, 1);
	groups_free(gs);
}

static void igmp_test_flush(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), SRCS(2));

	/* every group goes, with all it asked of MGM taken back */
	mgm_igmp_groups_flush(gs);
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_ev(test, 0, EV_MEMBER, 0, false);
	expect_ev(test, 1, EV_BLOCK, 2, false);
	KUNIT_EXPECT_EQ(test, gs->n_groups, 0);
	expect_no_group(test, gs);
}

/*
 * The replay after MGM's bracket: what each group asks of MGM, told again
 * as for a new group (blocks before (*,G), as a change would), the state
 * itself unchanged and no query sent.
 */
static void igmp_test_replay(struct kunit *test)
{
	struct mgm_igmp_groups *gs = exclude_xy(test, true, SRCS(1), SRCS(2));

	mgm_igmp_groups_replay(gs);
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_ev(test, 0, EV_BLOCK, 2, true);
	expect_ev(test, 1, EV_MEMBER, 0, true);
	expect_group(test, gs, true, OLD, WANT({ 1, OLD }, { 2, 0 }));
	groups_free(gs);

	gs = include_12(test, true);
	mgm_igmp_groups_replay(gs);
	KUNIT_EXPECT_EQ(test, nev, 2);
	expect_ev(test, 0, EV_MEMBER, 1, true);
	expect_ev(test, 1, EV_MEMBER, 2, true);
	/* and again: a second replay tells the same, nothing more */
	nev = 0;
	mgm_igmp_groups_replay(gs);
	KUNIT_EXPECT_EQ(test, nev, 2);
	groups_free(gs);
}

/*
 * RFC 4604 §2.2.2: for an SSM group only source-specific records count;
 * IS_EX, TO_EX and IGMPv1 and IGMPv2 reports and leaves are ignored and
 * counted, INCLUDE mode works as for any group.
 */
static void igmp_test_ssm(struct kunit *test)
{
	struct mgm_igmp_groups *gs = groups_new(test, true);
	struct mgm_igmp_group_info info;
	const __be32 s1 = S(1);

	mgm_igmp_record(gs, T0, 3, MGM_IGMP_IS_EX, G_SSM, NULL, 0);
	mgm_igmp_record(gs, T0, 3, MGM_IGMP_TO_EX, G_SSM, &s1, 1);
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_IS_EX, G_SSM, NULL, 0);
	mgm_igmp_record(gs, T0, 1, MGM_IGMP_IS_EX, G_SSM, NULL, 0);
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, gs->n_groups, 0);
	KUNIT_EXPECT_EQ(test, gs->counters.ssm_ignored, 4);

	mgm_igmp_record(gs, T0, 3, MGM_IGMP_ALLOW, G_SSM, &s1, 1);
	KUNIT_ASSERT_EQ(test, nev, 1);
	KUNIT_EXPECT_EQ(test, ntohl(evs[0].group), ntohl(G_SSM));
	KUNIT_EXPECT_EQ(test, ntohl(evs[0].src), ntohl(S(1)));
	KUNIT_EXPECT_TRUE(test, evs[0].on);
	KUNIT_ASSERT_EQ(test, mgm_igmp_group_get(gs, G_SSM, false, T0, &info,
						 NULL, 0), 0);
	KUNIT_EXPECT_FALSE(test, info.exclude);
	/* an IGMPv2 leave does not end it either */
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_TO_IN, G_SSM, NULL, 0);
	KUNIT_EXPECT_EQ(test, gs->counters.ssm_ignored, 5);
	KUNIT_EXPECT_EQ(test, nev, 1);
	/* the same records for another group count */
	mgm_igmp_record(gs, T0, 2, MGM_IGMP_IS_EX, G, NULL, 0);
	KUNIT_EXPECT_EQ(test, nev, 2);
	groups_free(gs);
}

static struct kunit_case igmp_test_cases[] = {
	KUNIT_CASE(igmp_test_include_is_in),
	KUNIT_CASE(igmp_test_include_is_ex),
	KUNIT_CASE(igmp_test_exclude_is_in),
	KUNIT_CASE(igmp_test_exclude_is_ex),
	KUNIT_CASE(igmp_test_include_allow),
	KUNIT_CASE(igmp_test_include_block),
	KUNIT_CASE(igmp_test_include_to_ex),
	KUNIT_CASE(igmp_test_include_to_in),
	KUNIT_CASE(igmp_test_exclude_allow),
	KUNIT_CASE(igmp_test_exclude_block),
	KUNIT_CASE(igmp_test_exclude_to_ex),
	KUNIT_CASE(igmp_test_exclude_to_in),
	KUNIT_CASE(igmp_test_expire_include),
	KUNIT_CASE(igmp_test_expire_exclude),
	KUNIT_CASE(igmp_test_expire_exclude_source),
	KUNIT_CASE(igmp_test_v2_report_leave),
	KUNIT_CASE(igmp_test_v2_compat),
	KUNIT_CASE(igmp_test_v1_compat),
	KUNIT_CASE(igmp_test_not_querier),
	KUNIT_CASE(igmp_test_not_querier_exclude),
	KUNIT_CASE(igmp_test_limits),
	KUNIT_CASE(igmp_test_limit_sources_order),
	KUNIT_CASE(igmp_test_bad_sources),
	KUNIT_CASE(igmp_test_record_sources),
	KUNIT_CASE(igmp_test_flush),
	KUNIT_CASE(igmp_test_replay),
	KUNIT_CASE(igmp_test_ssm),
	{}
};

static struct kunit_suite igmp_suite = {
	.name = "mgm_igmp",
	.test_cases = igmp_test_cases,
};

kunit_test_suites(&igmp_suite);
