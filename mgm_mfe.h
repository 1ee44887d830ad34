/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast forwarding entries (mgm_mfe.c): the table, the outgoing lists,
 * lifetimes.  Writers hold mn->lock; readers may use RCU.
 */
#ifndef _MGM_MFE_H
#define _MGM_MFE_H

#include <linux/list.h>
#include <linux/math64.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/time64.h>
#include <net/mgm.h>
#include "mgm_forwarder.h"

/* s: the MFE lifetime (mgm.rst, "MFE lifetimes") */
#define MGM_TIMEOUT_DEFAULT	900

struct mgm_if;
struct mgm_net;
struct mgm_protocol;

/* What readers see of an MFE's outgoing interfaces; replaced, never edited. */
struct mgm_oif_set {
	struct rcu_head rcu;
	unsigned int n;
	struct mgm_oif oif[];
};

/* Links an MFE into the list of each of its outgoing interfaces. */
struct mgm_oif_ref {
	struct list_head node;		/* on ifp->mfes_out */
	struct hlist_node mfe_node;	/* on mfe->oif_refs, in their order */
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
};

/*
 * The last word of an interface's owner on one MFE (mgm.rst, "The outgoing
 * list"): OFF from a creation-alert veto or a FORWARD_STATE delete, ON from a
 * FORWARD_STATE add.  It outlives membership changes, not the owner's
 * ownership.
 */
struct mgm_decision {
	struct hlist_node mfe_node;	/* on mfe->decisions */
	struct list_head if_node;	/* on ifp->decisions */
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
	bool on;
};

struct mgm_mfe {
	__be32 source;
	__be32 group;
	u32 iif_ifindex;		/* 0: no route toward the source */
	__be32 iif_nexthop;
	__be32 upstream;		/* READ_ONCE: mgm_set_mfe() changes it */
	u32 iif_protocol;
	struct mgm_route route;
	/*
	 * The route lookup the IIF came from (0: no route), which the owner's
	 * RPF answer may have overridden; a route change is a change of these.
	 */
	u32 rpf_ifindex;
	__be32 rpf_nexthop;
	__be32 rpf_upstream;
	u32 timeout;			/* s; READ_ONCE */
	/*
	 * The RPF question of a route change that is pending, by the low half
	 * of its cookie (mgm_question_cookie_tag()), 0: none.  Half is
	 * enough: an older question of the same (S,G) would have to be 2^32
	 * questions old, and every question ends at its deadline.
	 */
	u32 rpf_asked;
	u32 created;			/* ds (0.1 s), mgm_net clock */
	u64 expires;			/* ms; READ_ONCE */
	u64 seen_pkts;			/* packets at the last expiry check */
	struct mgm_oif_set __rcu *oifs;
	/* writer side */
	struct mgm_if *iif;		/* NULL: nobody owns the IIF */
	struct list_head iif_node;	/* on iif->mfes_in or mn->mfes_unowned */
	struct hlist_head oif_refs;	/* mgm_oif_ref, one per OIF */
	struct hlist_head decisions;	/* mgm_decision */
	struct list_head negative_node;	/* on mn->mfes_negative, if so */
	/* in mn->mfes_by_source, for route changes (mgm_route.c) */
	struct rb_node source_node;
	/*
	 * An entry leaves the expiry tree before it is freed, so the tree's
	 * node and the grace period's head share their bytes: a million
	 * MFEs are the table's weight (README, "Benchmarks").
	 */
	union {
		struct rb_node expiry_node;	/* in mn->expiry, if it ages */
		struct rcu_head rcu;
	};
};

/* Whether @mfe forwards anywhere (its outgoing list is not empty). */
static inline bool mgm_mfe_has_oifs(const struct mgm_mfe *mfe)
{
	return !hlist_empty(&mfe->oif_refs);
}

/*
 * Deciseconds on the mgm_net clock (@ms), 32 bits: an MFE's age is their
 * difference, right for 13 years.
 */
static inline u32 mgm_ds(u64 ms)
{
	return (u32)div_u64(ms, 100);
}

/* Whole seconds since @mfe was made, at @now (ms, mgm_net clock). */
static inline u32 mgm_mfe_uptime(const struct mgm_mfe *mfe, u64 now)
{
	return (mgm_ds(now) - mfe->created) / 10;
}

int mgm_mfe_cache_init(void);
void mgm_mfe_cache_exit(void);

/* Maple tree index of an MFE: ascending group, then source, host order. */
static inline unsigned long mgm_mfe_key(__be32 source, __be32 group)
{
	return (unsigned long)ntohl(group) << 32 | ntohl(source);
}

/*
 * The key of mn->mfes_by_source: ascending source, then group, host order,
 * so that the MFEs of a source prefix are one range (mgm_route.c).
 */
static inline u64 mgm_mfe_source_key(__be32 source, __be32 group)
{
	return (u64)ntohl(source) << 32 | ntohl(group);
}

/* A key of exactly one (S,G), as the callbacks take it. */
static inline struct mgm_sg mgm_sg_of(__be32 source, __be32 group)
{
	return (struct mgm_sg) {
		.source = source,
		.source_mask = htonl(0xffffffff),
		.group = group,
		.group_mask = htonl(0xffffffff),
	};
}

void mgm_mfe_net_init(struct mgm_net *mn);
void mgm_mfe_net_exit(struct mgm_net *mn);

/*
 * Building an entry: mgm_mfe_alloc(), its outgoing interfaces linked and
 * its lifetime set, then mgm_mfe_insert() publishes it whole, or
 * mgm_mfe_free_new() drops it.
 */
struct mgm_mfe *mgm_mfe_alloc(struct mgm_net *mn, __be32 source, __be32 group,
			      const struct mgm_rpf *rpf,
			      const struct mgm_rpf *lookup);
int mgm_mfe_link_oif(struct mgm_mfe *mfe, struct mgm_if *ifp);
int mgm_mfe_insert(struct mgm_net *mn, struct mgm_mfe *mfe);
void mgm_mfe_free_new(struct mgm_net *mn, struct mgm_mfe *mfe);
/* Room for one more MFE, a negative one deleted if need be. */
bool mgm_mfe_room(struct mgm_net *mn);
void mgm_mfe_delete(struct mgm_net *mn, struct mgm_mfe *mfe);

/* Editing the outgoing list of an entry in the table. */
struct mgm_oif_ref *mgm_mfe_ref(struct mgm_mfe *mfe, const struct mgm_if *ifp);
void mgm_oif_ref_free(struct mgm_mfe *mfe, struct mgm_oif_ref *ref);
struct mgm_decision *mgm_mfe_decision(struct mgm_mfe *mfe,
				      const struct mgm_if *ifp);
int mgm_mfe_decide(struct mgm_mfe *mfe, struct mgm_if *ifp, bool on);
int mgm_mfe_publish(struct mgm_net *mn, struct mgm_mfe *mfe);
/* The IIF owner's join or prune alert for the list's state now. */
void mgm_mfe_alert(struct mgm_net *mn, struct mgm_mfe *mfe);

/* What the forwarder (mgm_forwarder.h) installs, removes and counts. */
void mgm_fwd_mfe_set(struct mgm_net *mn, const struct mgm_mfe *mfe);
void mgm_fwd_mfe_del(struct mgm_net *mn, const struct mgm_mfe *mfe);
int mgm_fwd_mfe_counters(struct mgm_net *mn, const struct mgm_mfe *mfe,
			 struct mgm_mfe_counters *counters);

/* Lifetimes: @timeout s from now, 0 never; the timer work follows. */
void mgm_mfe_restart(struct mgm_net *mn, struct mgm_mfe *mfe, u32 timeout);
void mgm_timer_arm(struct mgm_net *mn);

/* What changes of ownership and membership do to MFEs. */
void mgm_if_flush_mfes(struct mgm_net *mn, struct mgm_if *ifp);
void mgm_if_claim_unowned(struct mgm_net *mn, struct mgm_if *ifp);
void mgm_mfes_member_added(struct mgm_net *mn, __be32 source, __be32 group,
			   struct mgm_if *ifp);
void mgm_mfes_member_removed(struct mgm_net *mn, __be32 source,
			     __be32 group, struct mgm_if *ifp);
void mgm_mfes_forward(struct mgm_net *mn, __be32 source, __be32 group,
		      struct mgm_if *ifp, bool on);

/*
 * Create an MFE from an explicit incoming and outgoing list, bypassing the
 * new-source flow (for tests).  Every interface must be owned (-ENOENT
 * otherwise); the IIF is never an OIF.
 */
int mgm_mfe_add(struct net *net, __be32 source, __be32 group,
		u32 iif_ifindex, __be32 iif_nexthop, __be32 upstream,
		unsigned int n_oifs, const struct mgm_oif *oifs);
/*
 * The first MFE at or after @key (mgm_mfe_source_key()) in the order of
 * sources, and the next after @mfe; mn->lock held.
 */
struct mgm_mfe *mgm_mfe_by_source(struct mgm_net *mn, u64 key);
struct mgm_mfe *mgm_mfe_next_by_source(struct mgm_mfe *mfe);

/* Lockless lookup; the result is valid until rcu_read_unlock(). */
struct mgm_mfe *mgm_mfe_lookup_rcu(struct net *net, __be32 source,
				   __be32 group);

/* Process the MFE lifetimes and reply deadlines that are due (for tests). */
void mgm_run_timers(struct net *net);

#endif /* _MGM_MFE_H */
