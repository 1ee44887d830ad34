/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who queries a link (mgm_igmp_querier.c): the querier election of RFC
 * 3376 §6.6.2 (the lowest address wins, the others wait for the Other
 * Querier Present timer), the startup queries of §8.6-§8.7, the general
 * queries' schedule, and the timers a non-querier takes over from the
 * querier's queries (QRV and QQIC, §4.1.6-§4.1.7).  Like the group state
 * it reads no clock, takes no lock and sends nothing: the caller passes
 * the time (ms) and sends what it is told to.
 */
#ifndef _MGM_IGMP_QUERIER_H
#define _MGM_IGMP_QUERIER_H

#include <linux/types.h>

#include "mgm_igmp_group.h"

struct mgm_igmp_querier {
	bool querier;		/* this router queries the link */
	__be32 addr;		/* who does: this router's address or another's */
	u64 since;		/* when that one became the querier */
	u64 heard;		/* when that one was heard last (non-querier) */
	u64 other_present;	/* Other Querier Present timer (non-querier) */
	unsigned int startup_left;	/* startup queries still to send */
	u64 next_general;	/* the next general query (querier) */
	/*
	 * The timers the link runs by: as configured, or the querier's QRV
	 * and query interval while another router queries.
	 */
	struct mgm_igmp_timers timers;
	struct mgm_igmp_timers conf;
};

/*
 * A router starts as the querier of its link (§6.6.2), with @ours as its
 * address, and sends the startup queries, the first one at @now.
 */
void mgm_igmp_querier_init(struct mgm_igmp_querier *q,
			   const struct mgm_igmp_timers *conf, __be32 ours,
			   u64 now);

/*
 * A query from @from on the link (not this router's own) with the QRV
 * @qrv and the query interval @qqi_s (IGMPv3; 0: none given).  Returns
 * true when this router stopped being the querier: the specific queries
 * it still had to send are not its to send any more.
 */
bool mgm_igmp_querier_heard(struct mgm_igmp_querier *q, __be32 ours,
			    __be32 from, unsigned int qrv, unsigned int qqi_s,
			    u64 now);

/*
 * At @now: true when a general query is due (it is counted as sent).  A
 * non-querier whose Other Querier Present timer ran out becomes the
 * querier first, with @ours, and the timers it was configured with.
 */
bool mgm_igmp_querier_due(struct mgm_igmp_querier *q, __be32 ours, u64 now);

/* When mgm_igmp_querier_due() has something to do next. */
u64 mgm_igmp_querier_next(const struct mgm_igmp_querier *q);

#endif /* _MGM_IGMP_QUERIER_H */
