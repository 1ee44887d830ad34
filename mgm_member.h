/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memberships (mgm_member.c): who has receivers of which (S,G) on which
 * interface, and the join and prune alerts that changes of them cause.
 */
#ifndef _MGM_MEMBER_H
#define _MGM_MEMBER_H

#include <linux/types.h>

#include <net/mgm.h>

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
void mgm_if_mark_members(struct mgm_if *ifp, const struct mgm_protocol *adder);
void mgm_if_drop_stale_members(struct mgm_net *mn, struct mgm_if *ifp,
			       struct mgm_protocol *adder);
void mgm_member_candidates(struct mgm_net *mn, __be32 source, __be32 group,
			   void (*fn)(struct mgm_net *mn, struct mgm_if *ifp,
				      void *arg),
			   void *arg);
void mgm_member_rpf_moved(struct mgm_net *mn, __be32 source, __be32 group,
			  struct mgm_protocol *p);
void mgm_members_reroute(struct mgm_net *mn, const struct mgm_prefix *changes,
			 unsigned int n_changes);

/*
 * A dump's view of one membership of a protocol, and where it stands in
 * the dump's order: the index of its key, then its interface (ifindex,
 * nexthop as one number), unique among that protocol's memberships of
 * the key.
 */
struct mgm_member_info {
	struct mgm_sg sg;
	u32 ifindex;
	__be32 nexthop;
	bool stale;
	unsigned long index;
	u64 after;
};

/*
 * The membership @handle added in the key at @index after the interface
 * @after (0: the key's first), or the first of a later key; -ENOENT past
 * the last.  -EAGAIN after MGM_BATCH keys without one, the cursor in
 * @info: the caller calls again, the lock let go of meanwhile.
 */
int mgm_get_membership(struct net *net, u32 handle, unsigned long index,
		       u64 after, struct mgm_member_info *info);

#endif /* _MGM_MEMBER_H */
