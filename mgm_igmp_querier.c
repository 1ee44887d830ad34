// SPDX-License-Identifier: GPL-2.0
/*
 * The querier of a link, as RFC 3376 §6.6.2 elects it; see
 * mgm_igmp_querier.h.
 */
#include <linux/kernel.h>
#include <linux/time64.h>
#include <kunit/visibility.h>

#include "mgm_igmp_querier.h"

/* Other Querier Present Interval, §8.5: RV * QI + QRI / 2. */
static u64 mgm_igmp_oqpi(const struct mgm_igmp_timers *t)
{
	return (u64)t->robustness * t->query_interval +
	       t->response_interval / 2;
}

static void mgm_igmp_querier_become(struct mgm_igmp_querier *q, __be32 ours,
				    u64 now)
{
	q->querier = true;
	q->addr = ours;
	q->since = now;
	/* the querier announces its own timers, not the last one's */
	q->timers = q->conf;
	q->next_general = now;
}

void mgm_igmp_querier_init(struct mgm_igmp_querier *q,
			   const struct mgm_igmp_timers *conf, __be32 ours,
			   u64 now)
{
	*q = (struct mgm_igmp_querier) { .conf = *conf };
	mgm_igmp_querier_become(q, ours, now);
	/* §8.7: Startup Query Count is RV, the first one now */
	q->startup_left = conf->robustness - 1;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_querier_init);

bool mgm_igmp_querier_heard(struct mgm_igmp_querier *q, __be32 ours,
			    __be32 from, unsigned int qrv, unsigned int qqi_s,
			    u64 now)
{
	bool was = q->querier;

	/*
	 * §6.6.2: a query from a lower address makes this router a
	 * non-querier; one from a higher address changes nothing (its
	 * sender stops querying when it hears ours).  A router without an
	 * address yet loses to everyone.
	 */
	if (!from || (ours && ntohl(from) >= ntohl(ours)))
		return false;
	/*
	 * Every such query keeps this router quiet, but the querier is the
	 * lowest one heard, until it has not been heard for as long as
	 * another querier's presence lasts: then the one heard now.
	 */
	if (!q->querier && ntohl(from) > ntohl(q->addr) &&
	    q->heard + mgm_igmp_oqpi(&q->timers) > now) {
		q->other_present = now + mgm_igmp_oqpi(&q->timers);
		return false;
	}
	if (q->querier || q->addr != from)
		q->since = now;
	q->querier = false;
	q->addr = from;
	q->heard = now;
	q->startup_left = 0;
	/*
	 * §4.1.6, §4.1.7: the querier's QRV and QQIC become ours, unless 0
	 * (an IGMPv2 query has neither), then the configured ones count;
	 * kept within what could be configured.
	 */
	q->timers.robustness = qrv ? clamp(qrv, 1U, 7U) : q->conf.robustness;
	q->timers.query_interval = qqi_s ?
		clamp_t(unsigned int, qqi_s, 1, 31744) * MSEC_PER_SEC :
		q->conf.query_interval;
	/* §8.3: the response interval stays below the query interval */
	q->timers.response_interval =
		q->conf.response_interval < q->timers.query_interval ?
		q->conf.response_interval : q->timers.query_interval / 2;
	q->other_present = now + mgm_igmp_oqpi(&q->timers);
	return was;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_querier_heard);

bool mgm_igmp_querier_due(struct mgm_igmp_querier *q, __be32 ours, u64 now)
{
	/* the other querier went quiet: this router queries (§6.6.2) */
	if (!q->querier && q->other_present <= now)
		mgm_igmp_querier_become(q, ours, now);
	if (!q->querier || q->next_general > now)
		return false;
	/* §8.6: the startup queries are QI / 4 apart */
	if (q->startup_left) {
		q->startup_left--;
		q->next_general = now + q->timers.query_interval / 4;
	} else {
		q->next_general = now + q->timers.query_interval;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_querier_due);

u64 mgm_igmp_querier_next(const struct mgm_igmp_querier *q)
{
	return q->querier ? q->next_general : q->other_present;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_querier_next);
