/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routes toward sources: the RPF lookup and route changes (mgm_route.c).
 */
#ifndef _MGM_ROUTE_H
#define _MGM_ROUTE_H

#include <linux/types.h>

struct mgm_if;
struct mgm_mfe;
struct mgm_net;
struct mgm_prefix;
struct mgm_rpf;
struct net;

int mgm_route_net_init(struct mgm_net *mn);
void mgm_route_net_exit(struct mgm_net *mn);

/* The route toward @source and the interface record it leads to (*@ifp). */
int mgm_rpf_lookup(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf,
		   struct mgm_if **ifp);
/* Run the RPF check of @mfe again, and move it if the route moved. */
void mgm_mfe_reroute(struct mgm_net *mn, struct mgm_mfe *mfe);
/* The answer to mgm_question_reroute() (mgm_newsrc.h), or its default. */
void mgm_mfe_rpf_answered(struct mgm_net *mn, __be32 source, __be32 group,
			  u64 cookie, u32 handle, const struct mgm_rpf *lookup,
			  const struct mgm_rpf *answer);
/*
 * Add the prefix @addr/@len (host order) to the @n prefixes of @set (at
 * most MGM_ROUTE_CHANGES), merging as mgm_route.c explains.
 */
void mgm_route_changes_add(struct mgm_prefix *set, unsigned int *n,
			   u32 addr, unsigned int len);
/* Whether @source is under one of the @n prefixes of @set. */
bool mgm_route_changes_cover(const struct mgm_prefix *set, unsigned int n,
			     __be32 source);
/*
 * Run the RPF checks that a change of the routes to @prefix/@len triggers,
 * now; mgm_run_reroute(): of every route (for tests and make bench).
 */
void mgm_run_route_change(struct net *net, __be32 prefix, unsigned int len);
void mgm_run_reroute(struct net *net);

#endif /* _MGM_ROUTE_H */
