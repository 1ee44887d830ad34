/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memberships (mgm_member.c): who has receivers of which (S,G) on which
 * interface, and the join and prune alerts that changes of them cause.
 */
#ifndef _MGM_MEMBER_H
#define _MGM_MEMBER_H

#include <linux/types.h>

struct mgm_if;
struct mgm_net;
struct mgm_prefix;
struct mgm_protocol;

/* Memberships (mgm_member.c). */
int mgm_member_net_init(struct mgm_net *mn);
void mgm_member_net_exit(struct mgm_net *mn);
bool mgm_member_covers(struct mgm_net *mn, __be32 source, __be32 group,
		       struct mgm_if *ifp);
void mgm_if_drop_members(struct mgm_net *mn, struct mgm_if *ifp,
			 struct mgm_protocol *adder, bool local_leave);
void mgm_member_candidates(struct mgm_net *mn, __be32 source, __be32 group,
			   void (*fn)(struct mgm_net *mn, struct mgm_if *ifp,
				      void *arg),
			   void *arg);
void mgm_member_rpf_moved(struct mgm_net *mn, __be32 source, __be32 group,
			  struct mgm_protocol *p);
void mgm_members_reroute(struct mgm_net *mn, const struct mgm_prefix *changes,
			 unsigned int n_changes);

#endif /* _MGM_MEMBER_H */
