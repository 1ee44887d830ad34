// SPDX-License-Identifier: GPL-2.0
/*
 * IGMPv3 router-side group state of one interface (RFC 3376 §6), see
 * mgm_igmp_group.h.
 *
 * A group's sources are one array sorted by address: in INCLUDE mode each
 * has a running timer (the list A of the RFC's tables); in EXCLUDE mode
 * those with a running timer are the requested list X, those with none
 * (timer 0) the exclude list Y.  Every change builds the group's new array
 * by one merge of the old one with the record's sources, then tells the
 * differences in what the group asks of MGM, so that each row of the
 * tables of §6.4 is a rule per source, not a sequence of list operations.
 */
#include <linux/bsearch.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/time64.h>
#include <asm/byteorder.h>
#include <kunit/visibility.h>

#include "mgm_igmp_group.h"

struct mgm_igmp_src {
	u32 addr;		/* host order: the sort key */
	u64 timer;		/* expiry (ms); 0: not running */
};

struct mgm_igmp_group {
	u32 addr;		/* host order */
	bool exclude;		/* filter mode */
	u64 timer;		/* group timer, EXCLUDE mode only; 0: none */
	/* older version host present timers, §7.3.2; 0: none */
	u64 v1_host;
	u64 v2_host;
	u64 next;		/* the first of all its timers to run out */
	unsigned int n;
	struct mgm_igmp_src *srcs;
};

void mgm_igmp_timers_init(struct mgm_igmp_timers *t)
{
	*t = (struct mgm_igmp_timers) {
		.robustness = 2,
		.query_interval = 125 * MSEC_PER_SEC,
		.response_interval = 10 * MSEC_PER_SEC,
		.last_member_interval = MSEC_PER_SEC,
	};
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_timers_init);

u64 mgm_igmp_gmi(const struct mgm_igmp_timers *t)
{
	return (u64)t->robustness * t->query_interval + t->response_interval;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_gmi);

u64 mgm_igmp_lmqt(const struct mgm_igmp_timers *t)
{
	return (u64)t->last_member_interval * t->robustness;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_lmqt);

void mgm_igmp_groups_init(struct mgm_igmp_groups *gs,
			  const struct mgm_igmp_group_ops *ops, void *ctx,
			  unsigned int max_groups, unsigned int max_sources)
{
	*gs = (struct mgm_igmp_groups) {
		.max_groups = max_groups,
		.max_sources = max_sources,
		.ops = ops,
		.ctx = ctx,
		.next = U64_MAX,
	};
	xa_init(&gs->groups);
	mgm_igmp_timers_init(&gs->timers);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_groups_init);

/* ---- what a group asks of MGM ------------------------------------------- */

enum mgm_igmp_role {
	MGM_IGMP_NONE,		/* covered by (*,G), or not there */
	MGM_IGMP_FWD,		/* an (S,G) receiver, INCLUDE mode */
	MGM_IGMP_BLK,		/* blocked, EXCLUDE mode's list Y */
};

static enum mgm_igmp_role mgm_igmp_role(bool exclude,
					const struct mgm_igmp_src *s)
{
	if (!s)
		return MGM_IGMP_NONE;
	if (!exclude)
		return MGM_IGMP_FWD;
	return s->timer ? MGM_IGMP_NONE : MGM_IGMP_BLK;
}

/* One side of a change: the mode and sources before, or after. */
struct mgm_igmp_side {
	bool exclude;
	const struct mgm_igmp_src *srcs;
	unsigned int n;
};

/*
 * Each source present on either side, in address order, with its role
 * before and after; @fn is called for those whose role changed.
 */
static void mgm_igmp_walk(struct mgm_igmp_groups *gs, u32 group,
			  const struct mgm_igmp_side *old,
			  const struct mgm_igmp_side *new,
			  void (*fn)(struct mgm_igmp_groups *gs, u32 group,
				     u32 src, enum mgm_igmp_role from,
				     enum mgm_igmp_role to))
{
	unsigned int i = 0, j = 0;
	const struct mgm_igmp_src *a, *b;
	enum mgm_igmp_role from, to;
	u32 addr;

	while (i < old->n || j < new->n) {
		a = i < old->n ? &old->srcs[i] : NULL;
		b = j < new->n ? &new->srcs[j] : NULL;
		if (a && (!b || a->addr < b->addr)) {
			b = NULL;
			i++;
		} else if (b && (!a || b->addr < a->addr)) {
			a = NULL;
			j++;
		} else {
			i++;
			j++;
		}
		addr = a ? a->addr : b->addr;
		from = mgm_igmp_role(old->exclude, a);
		to = mgm_igmp_role(new->exclude, b);
		if (from != to)
			fn(gs, group, addr, from, to);
	}
}

static void mgm_igmp_blocks_on(struct mgm_igmp_groups *gs, u32 group,
			       u32 src, enum mgm_igmp_role from,
			       enum mgm_igmp_role to)
{
	if (to == MGM_IGMP_BLK)
		gs->ops->block(gs->ctx, htonl(group), htonl(src), true);
}

static void mgm_igmp_blocks_off(struct mgm_igmp_groups *gs, u32 group,
				u32 src, enum mgm_igmp_role from,
				enum mgm_igmp_role to)
{
	if (from == MGM_IGMP_BLK)
		gs->ops->block(gs->ctx, htonl(group), htonl(src), false);
}

static void mgm_igmp_fwd_on(struct mgm_igmp_groups *gs, u32 group, u32 src,
			    enum mgm_igmp_role from, enum mgm_igmp_role to)
{
	if (to == MGM_IGMP_FWD)
		gs->ops->member(gs->ctx, htonl(group), htonl(src), true);
}

static void mgm_igmp_fwd_off(struct mgm_igmp_groups *gs, u32 group, u32 src,
			     enum mgm_igmp_role from, enum mgm_igmp_role to)
{
	if (from == MGM_IGMP_FWD)
		gs->ops->member(gs->ctx, htonl(group), htonl(src), false);
}

/*
 * Tell MGM what changed from @old to @new: what starts first, then what
 * stops, so that no receiver misses traffic while a group changes mode,
 * and a source to block is blocked before (*,G) lets it through.
 */
static void mgm_igmp_tell(struct mgm_igmp_groups *gs, u32 group,
			  const struct mgm_igmp_side *old,
			  const struct mgm_igmp_side *new)
{
	mgm_igmp_walk(gs, group, old, new, mgm_igmp_blocks_on);
	if (new->exclude && !old->exclude)
		gs->ops->member(gs->ctx, htonl(group), 0, true);
	mgm_igmp_walk(gs, group, old, new, mgm_igmp_fwd_on);
	mgm_igmp_walk(gs, group, old, new, mgm_igmp_fwd_off);
	if (old->exclude && !new->exclude)
		gs->ops->member(gs->ctx, htonl(group), 0, false);
	mgm_igmp_walk(gs, group, old, new, mgm_igmp_blocks_off);
}

/* ---- the groups ------------------------------------------------------------ */

static int mgm_igmp_compat(const struct mgm_igmp_group *g, u64 now)
{
	if (g->v1_host > now)
		return 1;
	if (g->v2_host > now)
		return 2;
	return 3;
}

/*
 * The first timer of @g to run out, and the interface's lower bound of
 * them all: a packet asks for the next expiry of the interface without a
 * walk over its groups (mgm_igmp_next_expiry()).
 */
static void mgm_igmp_update_next(struct mgm_igmp_groups *gs,
				 struct mgm_igmp_group *g)
{
	u64 next = U64_MAX;
	unsigned int i;

	if (g->exclude && g->timer)
		next = g->timer;
	for (i = 0; i < g->n; i++)
		if (g->srcs[i].timer)
			next = min(next, g->srcs[i].timer);
	if (g->v1_host)
		next = min(next, g->v1_host);
	if (g->v2_host)
		next = min(next, g->v2_host);
	g->next = next;
	gs->next = min(gs->next, next);
}

static void mgm_igmp_group_free(struct mgm_igmp_groups *gs,
				struct mgm_igmp_group *g)
{
	xa_erase(&gs->groups, g->addr);
	gs->n_groups--;
	kfree(g->srcs);
	kfree(g);
}

/* The group and what it asks of MGM go: INCLUDE mode without sources. */
static bool mgm_igmp_group_empty(const struct mgm_igmp_group *g)
{
	return !g->exclude && !g->n;
}

static int mgm_igmp_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The record's sources, sorted and each once, in @out (host order); those
 * no host sends from (0.0.0.0, multicast, class E and broadcast) are left
 * out and counted in *@bad: 0.0.0.0 would read as (*,G).
 */
static int mgm_igmp_set(const __be32 *srcs, unsigned int n, u32 **out,
			u64 *bad)
{
	unsigned int i, k = 0, m = 0;
	u32 *set, a;

	*out = NULL;
	if (!n)
		return 0;
	set = kmalloc_array(n, sizeof(*set), MGM_IGMP_GFP);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		a = ntohl(srcs[i]);
		if (!a || a >= 0xe0000000) {
			(*bad)++;
			continue;
		}
		set[m++] = a;
	}
	sort(set, m, sizeof(*set), mgm_igmp_cmp_u32, NULL);
	for (i = 0; i < m; i++)
		if (!k || set[k - 1] != set[i])
			set[k++] = set[i];
	*out = set;
	return k;
}

static int mgm_igmp_cmp_src(const void *key, const void *elt)
{
	u32 addr = *(const u32 *)key;
	const struct mgm_igmp_src *s = elt;

	return addr < s->addr ? -1 : addr > s->addr;
}

static struct mgm_igmp_src *mgm_igmp_find(const struct mgm_igmp_group *g,
					  u32 addr)
{
	return bsearch(&addr, g->srcs, g->n, sizeof(*g->srcs),
		       mgm_igmp_cmp_src);
}

/*
 * Send Q(G,S) (@n > 0) or Q(G) (§6.4.2): only the querier does; it lowers
 * the timers it asks about to LMQT (§6.6.3).
 */
static void mgm_igmp_ask(struct mgm_igmp_groups *gs, struct mgm_igmp_group *g,
			 u64 now, const u32 *srcs, unsigned int n,
			 __be32 *buf)
{
	u64 lmqt = now + mgm_igmp_lmqt(&gs->timers);
	struct mgm_igmp_src *s;
	unsigned int i;

	if (!gs->querier)
		return;
	if (!n) {
		if (g->exclude && g->timer > lmqt)
			g->timer = lmqt;
		gs->ops->query(gs->ctx, htonl(g->addr), NULL, 0);
		return;
	}
	for (i = 0; i < n; i++) {
		s = mgm_igmp_find(g, srcs[i]);
		if (s && s->timer > lmqt)
			s->timer = lmqt;
		buf[i] = htonl(srcs[i]);
	}
	gs->ops->query(gs->ctx, htonl(g->addr), buf, n);
}

/*
 * What becomes of one source under a record (RFC 3376 §6.4.1, §6.4.2):
 * @o its entry before (NULL: none), @in whether the record names it.
 * Sets *@keep, *@timer for the new entry, and *@ask whether the query
 * the row sends asks about it.
 */
static void mgm_igmp_rule(bool exclude, enum mgm_igmp_rec type,
			  const struct mgm_igmp_src *o, bool in, u64 gmi,
			  u64 group_timer, bool *keep, u64 *timer, bool *ask)
{
	bool in_y = o && !o->timer;

	*keep = o;
	*timer = o ? o->timer : 0;
	*ask = false;
	switch (type) {
	case MGM_IGMP_IS_IN:
	case MGM_IGMP_ALLOW:
		/* INCLUDE (A+B), EXCLUDE (X+A, Y-A): (B)=GMI */
		if (in) {
			*keep = true;
			*timer = gmi;
		}
		break;
	case MGM_IGMP_TO_IN:
		/* as IS_IN; Q(G,A-B), or Q(G,X-A) (and Q(G): the caller) */
		if (in) {
			*keep = true;
			*timer = gmi;
		} else {
			*ask = o && o->timer;
		}
		break;
	case MGM_IGMP_BLOCK:
		/* INCLUDE (A): Q(G,A*B) */
		if (!exclude) {
			*ask = o && in;
			break;
		}
		/* EXCLUDE (X+(A-Y), Y): (A-X-Y)=Group Timer; Q(G,A-Y) */
		if (in && !o) {
			*keep = true;
			*timer = group_timer;
		}
		*ask = in && !in_y;
		break;
	case MGM_IGMP_IS_EX:
	case MGM_IGMP_TO_EX:
		/* the sources the record does not name go */
		*keep = in;
		if (!exclude) {
			/* EXCLUDE (A*B, B-A): (B-A)=0; Q(G,A*B) on TO_EX */
			*ask = type == MGM_IGMP_TO_EX && o && in;
			break;
		}
		/*
		 * EXCLUDE (A-Y, Y*A): (A-X-Y)=GMI on IS_EX, =Group Timer on
		 * TO_EX, which asks Q(G,A-Y)
		 */
		if (in && !o)
			*timer = type == MGM_IGMP_IS_EX ? gmi : group_timer;
		*ask = type == MGM_IGMP_TO_EX && in && !in_y;
		break;
	}
}

/* How many of @g's sources @type with @set keeps. */
static unsigned int mgm_igmp_old_kept(const struct mgm_igmp_group *g,
				      enum mgm_igmp_rec type, const u32 *set,
				      unsigned int n, u64 gmi)
{
	unsigned int i, kept = 0;
	bool in, keep, ask;
	u64 timer;

	for (i = 0; i < g->n; i++) {
		in = bsearch(&g->srcs[i].addr, set, n, sizeof(*set),
			     mgm_igmp_cmp_u32);
		mgm_igmp_rule(g->exclude, type, &g->srcs[i], in, gmi, g->timer,
			      &keep, &timer, &ask);
		kept += keep;
	}
	return kept;
}

/*
 * Apply @type with sources @set (sorted, each once) to @g, received at
 * @now; returns -ENOMEM (nothing changed) or 0.
 */
static int mgm_igmp_apply(struct mgm_igmp_groups *gs, struct mgm_igmp_group *g,
			  u64 now, enum mgm_igmp_rec type, const u32 *set,
			  unsigned int n)
{
	u64 gmi = now + mgm_igmp_gmi(&gs->timers), timer;
	unsigned int i = 0, j = 0, k = 0, n_ask = 0, room;
	struct mgm_igmp_side old = {
		.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
	};
	struct mgm_igmp_src *srcs = NULL, *o;
	bool in, keep, ask, to_exclude;
	u32 *asked = NULL, addr;
	__be32 *buf = NULL;
	int err = -ENOMEM;

	if (g->n + n) {
		srcs = kmalloc_array(g->n + n, sizeof(*srcs), MGM_IGMP_GFP);
		asked = kmalloc_array(g->n + n, sizeof(*asked), MGM_IGMP_GFP);
		buf = kmalloc_array(g->n + n, sizeof(*buf), MGM_IGMP_GFP);
		if (!srcs || !asked || !buf)
			goto out;
	}
	/* new sources fill what the ones kept leave of max_sources */
	room = gs->max_sources - min(gs->max_sources,
				     mgm_igmp_old_kept(g, type, set, n, gmi));
	while (i < g->n || j < n) {
		if (j == n || (i < g->n && g->srcs[i].addr < set[j])) {
			o = &g->srcs[i++];
			in = false;
		} else if (i == g->n || set[j] < g->srcs[i].addr) {
			o = NULL;
			in = true;
			j++;
		} else {
			o = &g->srcs[i++];
			in = true;
			j++;
		}
		addr = o ? o->addr : set[j - 1];
		mgm_igmp_rule(g->exclude, type, o, in, gmi, g->timer, &keep,
			      &timer, &ask);
		if (ask)
			asked[n_ask++] = addr;
		if (!keep)
			continue;
		/* a new source past the limit: as if the record left it out */
		if (!o) {
			if (!room) {
				gs->counters.source_refusals++;
				continue;
			}
			room--;
		}
		srcs[k++] = (struct mgm_igmp_src) { .addr = addr, .timer = timer };
	}

	to_exclude = g->exclude || type == MGM_IGMP_IS_EX ||
		     type == MGM_IGMP_TO_EX;
	g->srcs = srcs;
	g->n = k;
	if (to_exclude && (type == MGM_IGMP_IS_EX || type == MGM_IGMP_TO_EX))
		g->timer = gmi;
	g->exclude = to_exclude;
	srcs = (struct mgm_igmp_src *)old.srcs;

	if (n_ask)
		mgm_igmp_ask(gs, g, now, asked, n_ask, buf);
	/* EXCLUDE (X,Y) + TO_IN (A): Send Q(G) too */
	if (old.exclude && type == MGM_IGMP_TO_IN)
		mgm_igmp_ask(gs, g, now, NULL, 0, buf);
	mgm_igmp_update_next(gs, g);
	mgm_igmp_tell(gs, g->addr, &old, &(struct mgm_igmp_side) {
		.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
	});
	err = 0;
out:
	kfree(srcs);
	kfree(asked);
	kfree(buf);
	return err;
}

void mgm_igmp_record(struct mgm_igmp_groups *gs, u64 now, int version,
		     enum mgm_igmp_rec type, __be32 group, const __be32 *srcs,
		     unsigned int n)
{
	u64 ohpi = now + mgm_igmp_gmi(&gs->timers);
	struct mgm_igmp_group *g;
	u32 addr = ntohl(group);
	u32 *set = NULL;
	int k, compat;

	/*
	 * RFC 4604 §2.2.2: an SSM-aware router ignores the requests of any
	 * source (IGMPv1 and IGMPv2 reports and leaves, IS_EX and TO_EX)
	 * for the SSM range, 232.0.0.0/8 as IANA allocated it (§1)
	 */
	if ((addr >> 24) == 232 &&
	    (version < 3 || type == MGM_IGMP_IS_EX || type == MGM_IGMP_TO_EX)) {
		gs->counters.ssm_ignored++;
		return;
	}
	g = xa_load(&gs->groups, addr);
	compat = g ? mgm_igmp_compat(g, now) : 3;
	/*
	 * §7.3.2: with older hosts on the link, BLOCK goes unheeded and
	 * TO_EX's sources too; with IGMPv1 hosts, IGMPv2 leaves as well.
	 */
	if ((compat < 3 && type == MGM_IGMP_BLOCK) ||
	    (compat == 1 && version == 2 && type == MGM_IGMP_TO_IN)) {
		gs->counters.compat_ignored++;
		return;
	}
	if (compat < 3 && type == MGM_IGMP_TO_EX && n) {
		gs->counters.compat_ignored++;
		n = 0;
	}
	/* INCLUDE ({}): BLOCK and an empty list change nothing, ask nothing */
	if (!g && (type == MGM_IGMP_BLOCK ||
		   (!n && (type == MGM_IGMP_IS_IN || type == MGM_IGMP_ALLOW ||
			   type == MGM_IGMP_TO_IN))))
		return;
	if (!g) {
		if (gs->n_groups >= gs->max_groups) {
			gs->counters.group_refusals++;
			return;
		}
		g = kzalloc(sizeof(*g), MGM_IGMP_GFP);
		if (!g || xa_insert(&gs->groups, addr, g, MGM_IGMP_GFP)) {
			kfree(g);
			gs->counters.nomem++;
			return;
		}
		g->addr = addr;
		gs->n_groups++;
	}
	k = mgm_igmp_set(srcs, n, &set, &gs->counters.bad_sources);
	if (k < 0 || mgm_igmp_apply(gs, g, now, type, set, k))
		gs->counters.nomem++;
	else if (version == 1)
		g->v1_host = ohpi;
	else if (version == 2 && type == MGM_IGMP_IS_EX)
		g->v2_host = ohpi;
	kfree(set);
	mgm_igmp_update_next(gs, g);
	if (mgm_igmp_group_empty(g))
		mgm_igmp_group_free(gs, g);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_record);

void mgm_igmp_query_seen(struct mgm_igmp_groups *gs, u64 now, __be32 group,
			 const __be32 *srcs, unsigned int n)
{
	u64 lmqt = now + mgm_igmp_lmqt(&gs->timers);
	struct mgm_igmp_group *g;
	struct mgm_igmp_src *s;
	unsigned int i;

	g = xa_load(&gs->groups, ntohl(group));
	if (!g)
		return;
	if (!n && g->exclude && g->timer > lmqt)
		g->timer = lmqt;
	for (i = 0; i < n; i++) {
		s = mgm_igmp_find(g, ntohl(srcs[i]));
		if (s && s->timer > lmqt)
			s->timer = lmqt;
	}
	mgm_igmp_update_next(gs, g);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_query_seen);

/*
 * The timers of @g that ran out by @now (§6.5): in INCLUDE mode a source
 * goes; in EXCLUDE mode it is blocked (Y), and when the group timer runs
 * out the group turns to INCLUDE mode with the sources still running.
 */
static void mgm_igmp_group_expire(struct mgm_igmp_groups *gs,
				  struct mgm_igmp_group *g, u64 now)
{
	struct mgm_igmp_side old = {
		.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
	};
	bool to_include = g->exclude && g->timer <= now;
	struct mgm_igmp_src *srcs = NULL, s;
	unsigned int i, k = 0;

	if (g->v1_host && g->v1_host <= now)
		g->v1_host = 0;
	if (g->v2_host && g->v2_host <= now)
		g->v2_host = 0;
	if (g->n) {
		/*
		 * expiry gives memory back: past the memory cgroup's limit
		 * the smaller list goes uncharged rather than not at all
		 */
		srcs = kmalloc_array(g->n, sizeof(*srcs), MGM_IGMP_GFP);
		if (!srcs)
			srcs = kmalloc_array(g->n, sizeof(*srcs),
					     GFP_KERNEL | __GFP_NOWARN);
		/* without memory, in a second */
		if (!srcs) {
			gs->counters.nomem++;
			g->next = now + MSEC_PER_SEC;
			return;
		}
	}
	for (i = 0; i < g->n; i++) {
		s = g->srcs[i];
		if (s.timer && s.timer <= now) {
			if (!g->exclude)
				continue;
			s.timer = 0;
		}
		if (to_include && !s.timer)
			continue;
		srcs[k++] = s;
	}
	g->srcs = srcs;
	g->n = k;
	if (to_include) {
		g->exclude = false;
		g->timer = 0;
	}
	mgm_igmp_update_next(gs, g);
	mgm_igmp_tell(gs, g->addr, &old, &(struct mgm_igmp_side) {
		.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
	});
	kfree(old.srcs);
	if (mgm_igmp_group_empty(g))
		mgm_igmp_group_free(gs, g);
}

/* The walk over every group is here, where the lower bound becomes exact. */
void mgm_igmp_expire(struct mgm_igmp_groups *gs, u64 now)
{
	struct mgm_igmp_group *g;
	unsigned long idx;

	xa_for_each(&gs->groups, idx, g)
		if (g->next <= now)
			mgm_igmp_group_expire(gs, g, now);
	gs->next = U64_MAX;
	xa_for_each(&gs->groups, idx, g)
		gs->next = min(gs->next, g->next);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_expire);

u64 mgm_igmp_next_expiry(struct mgm_igmp_groups *gs)
{
	return gs->next;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_next_expiry);

void mgm_igmp_groups_flush(struct mgm_igmp_groups *gs)
{
	struct mgm_igmp_side none = {};
	struct mgm_igmp_group *g;
	unsigned long idx;

	xa_for_each(&gs->groups, idx, g) {
		mgm_igmp_tell(gs, g->addr, &(struct mgm_igmp_side) {
			.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
		}, &none);
		mgm_igmp_group_free(gs, g);
	}
	xa_destroy(&gs->groups);
	gs->next = U64_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_groups_flush);

void mgm_igmp_groups_replay(struct mgm_igmp_groups *gs)
{
	struct mgm_igmp_side none = {};
	struct mgm_igmp_group *g;
	unsigned long idx;

	xa_for_each(&gs->groups, idx, g)
		mgm_igmp_tell(gs, g->addr, &none, &(struct mgm_igmp_side) {
			.exclude = g->exclude, .srcs = g->srcs, .n = g->n,
		});
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_groups_replay);

int mgm_igmp_group_get(struct mgm_igmp_groups *gs, __be32 group,
		       bool next, u64 now, struct mgm_igmp_group_info *info,
		       struct mgm_igmp_source_info *srcs, unsigned int max)
{
	unsigned long idx = ntohl(group);
	struct mgm_igmp_group *g;
	unsigned int i;

	if (next) {
		idx++;
		g = idx <= U32_MAX ? xa_find(&gs->groups, &idx, U32_MAX,
					     XA_PRESENT) : NULL;
	} else {
		g = xa_load(&gs->groups, idx);
	}
	if (!g)
		return -ENOENT;
	*info = (struct mgm_igmp_group_info) {
		.group = htonl(g->addr),
		.exclude = g->exclude,
		.expires = g->exclude ? g->timer : 0,
		.compat = mgm_igmp_compat(g, now),
		.n_sources = g->n,
	};
	for (i = 0; i < min(max, g->n); i++)
		srcs[i] = (struct mgm_igmp_source_info) {
			.addr = htonl(g->srcs[i].addr),
			.expires = g->srcs[i].timer,
		};
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_group_get);
