/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The new-source flow, the questions to deferred protocols and their
 * deadlines, the wrong-interface callback (mgm_newsrc.c).
 */
#ifndef _MGM_NEWSRC_H
#define _MGM_NEWSRC_H

#include <linux/kernel.h>
#include <linux/types.h>

struct mgm_mfe;
struct mgm_net;
struct mgm_protocol;
struct mgm_rpf;

int mgm_newsrc_net_init(struct mgm_net *mn);
void mgm_newsrc_net_exit(struct mgm_net *mn);

/* A packet of (@source, @group) without MFE: make one (mgm_new_source()). */
void mgm_newsrc_start(struct mgm_net *mn, __be32 source, __be32 group,
		      const void *hdr, unsigned int hdr_len);
/* A route changed: the flows under way look the route up again. */
void mgm_newsrcs_reroute(struct mgm_net *mn);

/* Questions about existing MFEs: the cookie, 0 when there is no room. */
u64 mgm_question_prune(struct mgm_net *mn, struct mgm_protocol *p,
		       const struct mgm_mfe *mfe);
u64 mgm_question_reroute(struct mgm_net *mn, struct mgm_protocol *p,
			 const struct mgm_mfe *mfe,
			 const struct mgm_rpf *lookup);
/*
 * What an entry keeps of its pending question's cookie (mgm_mfe.h,
 * rpf_asked): never 0, which no cookie has as its low half.
 */
static inline u32 mgm_question_tag(u64 cookie)
{
	return lower_32_bits(cookie);
}

/* The deadlines, for the timer work (mgm_mfe.c). */
u64 mgm_questions_next(struct mgm_net *mn);
bool mgm_questions_expire(struct mgm_net *mn, u64 now, unsigned int *n);
/* @p deregisters: its questions take their defaults now. */
void mgm_protocol_cancel_requests(struct mgm_net *mn, struct mgm_protocol *p);

#endif /* _MGM_NEWSRC_H */
