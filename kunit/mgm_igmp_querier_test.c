// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the querier election (mgm_igmp_querier.c): the startup
 * queries and the general queries' schedule (RFC 3376 §8.6, §8.7), the
 * lowest address winning (§6.6.2), the Other Querier Present timer and
 * the takeover when it runs out (§8.5), and the QRV and QQIC that a
 * non-querier adopts (§4.1.6, §4.1.7).  Time is a number the cases pass.
 */
#include <kunit/test.h>

#include "../mgm_igmp_querier.h"

#define A(n)	htonl(0x0a000000 + (n))	/* 10.0.0.n */
#define OURS	A(5)
#define T0	1000000ULL
#define QI	125000ULL
/* §8.5 with the defaults: 2 * 125 s + 10 s / 2 */
#define OQPI	255000ULL

static void querier_new(struct kunit *test, struct mgm_igmp_querier *q)
{
	struct mgm_igmp_timers t;

	mgm_igmp_timers_init(&t);
	mgm_igmp_querier_init(q, &t, OURS, T0);
	KUNIT_ASSERT_TRUE(test, q->querier);
	KUNIT_ASSERT_EQ(test, ntohl(q->addr), ntohl(OURS));
}

/* §8.7: RV startup queries, QI / 4 apart, then one every QI. */
static void querier_test_startup(struct kunit *test)
{
	struct mgm_igmp_querier q;

	querier_new(test, &q);
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), T0);
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_due(&q, OURS, T0));
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_due(&q, OURS, T0));
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), T0 + QI / 4);
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_due(&q, OURS,
						      T0 + QI / 4 - 1));
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_due(&q, OURS, T0 + QI / 4));
	/* the second (RV = 2) was the last startup query */
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), T0 + QI / 4 + QI);
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_due(&q, OURS,
						     T0 + QI / 4 + QI));
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), T0 + QI / 4 + 2 * QI);
	KUNIT_EXPECT_EQ(test, q.since, T0);
}

/* §6.6.2: the lowest address queries; a higher one changes nothing. */
static void querier_test_election(struct kunit *test)
{
	struct mgm_igmp_querier q;
	u64 t = T0 + 1000;

	querier_new(test, &q);
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, A(9), 0, 0,
							t));
	KUNIT_EXPECT_TRUE(test, q.querier);
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(OURS));
	KUNIT_EXPECT_EQ(test, q.since, T0);

	/* a lower one: this router stops, and says so once */
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_heard(&q, OURS, A(3), 0, 0,
						       t));
	KUNIT_EXPECT_FALSE(test, q.querier);
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(A(3)));
	KUNIT_EXPECT_EQ(test, q.since, t);
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), t + OQPI);
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_due(&q, OURS, t + 1000));

	/* the same querier again: its timer restarts, since stays */
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, A(3), 0, 0,
							t + 5000));
	KUNIT_EXPECT_EQ(test, q.since, t);
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), t + 5000 + OQPI);

	/* a still lower one takes over from it */
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, A(2), 0, 0,
							t + 6000));
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(A(2)));
	KUNIT_EXPECT_EQ(test, q.since, t + 6000);

	/*
	 * one above the querier, though below ours, keeps this router
	 * quiet but is not the querier, nor are its timers taken
	 */
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, A(4), 3, 30,
							t + 7000));
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(A(2)));
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), t + 7000 + OQPI);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 2);
	/* ... until the querier was not heard for OQPI: then it is */
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, A(4), 3, 30,
							t + 6000 + OQPI));
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(A(4)));
	KUNIT_EXPECT_EQ(test, q.since, t + 6000 + OQPI);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 3);
	KUNIT_EXPECT_FALSE(test, q.querier);
}

/* §6.6.2: the querier went quiet for OQPI: this router queries again. */
static void querier_test_takeover(struct kunit *test)
{
	struct mgm_igmp_querier q;
	u64 t = T0 + 1000;

	querier_new(test, &q);
	mgm_igmp_querier_heard(&q, OURS, A(3), 3, 30, t);
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_due(&q, OURS,
						      t + 3 * 30000 + 4999));
	KUNIT_EXPECT_FALSE(test, q.querier);
	/* at once, and without startup queries; its own timers again */
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_due(&q, OURS,
						     t + 3 * 30000 + 5000));
	KUNIT_EXPECT_TRUE(test, q.querier);
	KUNIT_EXPECT_EQ(test, ntohl(q.addr), ntohl(OURS));
	KUNIT_EXPECT_EQ(test, q.since, t + 3 * 30000 + 5000);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 2);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, QI);
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q),
			t + 3 * 30000 + 5000 + QI);
}

/* §4.1.6, §4.1.7: a non-querier runs by the querier's QRV and QQIC. */
static void querier_test_adopt(struct kunit *test)
{
	struct mgm_igmp_querier q;
	u64 t = T0 + 1000;

	querier_new(test, &q);
	mgm_igmp_querier_heard(&q, OURS, A(3), 3, 30, t);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 3);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, 30000);
	KUNIT_EXPECT_EQ(test, q.timers.response_interval, 10000);
	/* the group state's GMI follows: 3 * 30 s + 10 s */
	KUNIT_EXPECT_EQ(test, mgm_igmp_gmi(&q.timers), 100000ULL);
	KUNIT_EXPECT_EQ(test, mgm_igmp_querier_next(&q), t + 95000);
	/* a query interval below the response interval halves that */
	mgm_igmp_querier_heard(&q, OURS, A(3), 7, 1, t);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 7);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, 1000);
	KUNIT_EXPECT_EQ(test, q.timers.response_interval, 500);
	/* what could not be configured (nor sent) is kept in range */
	mgm_igmp_querier_heard(&q, OURS, A(3), 9, 40000, t);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 7);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, 31744000);
	/* an IGMPv2 querier (no QRV, no QQIC): the configured ones */
	mgm_igmp_querier_heard(&q, OURS, A(3), 0, 0, t);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 2);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, QI);
	KUNIT_EXPECT_EQ(test, q.timers.response_interval, 10000);
	/* a higher router's values are not taken */
	mgm_igmp_querier_heard(&q, OURS, A(4), 5, 60, t);
	KUNIT_EXPECT_EQ(test, q.timers.robustness, 2);
	KUNIT_EXPECT_EQ(test, q.timers.query_interval, QI);
}

/* An interface without an address loses to every querier. */
static void querier_test_no_address(struct kunit *test)
{
	struct mgm_igmp_querier q;

	querier_new(test, &q);
	KUNIT_EXPECT_TRUE(test, mgm_igmp_querier_heard(&q, 0, A(200), 0, 0,
						       T0));
	KUNIT_EXPECT_FALSE(test, q.querier);
	/* and a query from 0.0.0.0 elects nobody */
	querier_new(test, &q);
	KUNIT_EXPECT_FALSE(test, mgm_igmp_querier_heard(&q, OURS, 0, 0, 0,
							T0));
	KUNIT_EXPECT_TRUE(test, q.querier);
}

static struct kunit_case querier_test_cases[] = {
	KUNIT_CASE(querier_test_startup),
	KUNIT_CASE(querier_test_election),
	KUNIT_CASE(querier_test_takeover),
	KUNIT_CASE(querier_test_adopt),
	KUNIT_CASE(querier_test_no_address),
	{}
};

static struct kunit_suite querier_suite = {
	.name = "mgm_igmp_querier",
	.test_cases = querier_test_cases,
};

kunit_test_suites(&querier_suite);
