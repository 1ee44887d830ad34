// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast forwarding entries: the (S,G) table, outgoing lists derived from
 * memberships and owners' decisions (mgm.rst, "The outgoing list"), the
 * MFE-change alerts, what ownership and membership changes do to MFEs,
 * lifetimes, and the timer that ends them (and the questions' deadlines,
 * mgm_newsrc.c).  New entries come from the new-source flow (mgm_newsrc.c);
 * route changes move them (mgm_route.c).
 *
 * An MFE is linked to its incoming interface and to each outgoing one, so
 * that a change on an interface touches only the MFEs that use it; the
 * table itself is a maple tree keyed by (group, source), which gives both
 * the lookup and the sorted, resumable enumeration.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_newsrc.h"
#include "mgm_route.h"

/*
 * The longest the timer work sleeps: msecs_to_jiffies() takes an unsigned
 * int.  A later deadline wakes it early; it finds nothing due and sleeps
 * again.
 */
#define MGM_TIMER_MAX_MS	(3600 * MSEC_PER_SEC)

static u64 mgm_clock_boottime(void)
{
	return ktime_to_ms(ktime_get_boottime());
}

/* ---- lifetimes ------------------------------------------------------------ */

/* The timer work wakes for the first MFE to expire or question to be due. */
void mgm_timer_arm(struct mgm_net *mn)
{
	struct rb_node *first = rb_first(&mn->expiry);
	u64 next = mgm_questions_next(mn), now = mgm_now(mn);

	if (first)
		next = min(next, rb_entry(first, struct mgm_mfe,
					  expiry_node)->expires);
	if (next == U64_MAX)
		return;
	next = next > now ? min_t(u64, next - now, MGM_TIMER_MAX_MS) : 0;
	mod_delayed_work(mgm_workqueue(), &mn->timer_work,
			 msecs_to_jiffies(next));
}

static void mgm_expiry_remove(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	if (RB_EMPTY_NODE(&mfe->expiry_node))
		return;
	rb_erase(&mfe->expiry_node, &mn->expiry);
	RB_CLEAR_NODE(&mfe->expiry_node);
}

/*
 * Restart the lifetime of @mfe with @timeout seconds; 0 never ages.  What
 * an in-kernel protocol's prune alert returns is cut to MGM_TIMEOUT_MAX,
 * as the netlink policy cuts a prune reply.
 */
void mgm_mfe_restart(struct mgm_net *mn, struct mgm_mfe *mfe,
		     u32 timeout)
{
	struct rb_node **link = &mn->expiry.rb_node, *parent = NULL;
	u64 expires;

	timeout = min_t(u32, timeout, MGM_TIMEOUT_MAX);
	expires = mgm_now(mn) + (u64)timeout * MSEC_PER_SEC;
	mgm_expiry_remove(mn, mfe);
	WRITE_ONCE(mfe->timeout, timeout);
	WRITE_ONCE(mfe->expires, timeout ? expires : 0);
	if (!timeout)
		return;
	while (*link) {
		parent = *link;
		if (expires < rb_entry(parent, struct mgm_mfe,
				       expiry_node)->expires)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&mfe->expiry_node, parent, link);
	rb_insert_color(&mfe->expiry_node, &mn->expiry);
	mgm_timer_arm(mn);
}

/* ---- the table ------------------------------------------------------------ */

/*
 * Entries and their outgoing links come from caches of their own, sized
 * exactly: a million of them are the table's weight, and the general
 * caches round 184 and 48 bytes up to 192 and 64 (make bench's memory
 * rows, against ipmr's own entries).  An entry is freed after a grace
 * period by call_rcu(), which the module's rcu_barrier() at unload waits
 * for before the cache goes.
 */
static struct kmem_cache *mgm_mfe_cache __read_mostly;
static struct kmem_cache *mgm_oif_ref_cache __read_mostly;

int mgm_mfe_cache_init(void)
{
	mgm_mfe_cache = KMEM_CACHE(mgm_mfe, 0);
	mgm_oif_ref_cache = KMEM_CACHE(mgm_oif_ref, 0);
	if (mgm_mfe_cache && mgm_oif_ref_cache)
		return 0;
	mgm_mfe_cache_exit();
	return -ENOMEM;
}

/* After rcu_barrier(): no entry is waiting for its grace period. */
void mgm_mfe_cache_exit(void)
{
	kmem_cache_destroy(mgm_oif_ref_cache);
	kmem_cache_destroy(mgm_mfe_cache);
	mgm_oif_ref_cache = NULL;
	mgm_mfe_cache = NULL;
}

static void mgm_mfe_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(mgm_mfe_cache, container_of(head, struct mgm_mfe, rcu));
}

static struct mgm_oif_set *mgm_mfe_oifs(struct mgm_net *mn,
					const struct mgm_mfe *mfe)
{
	return rcu_dereference_protected(mfe->oifs, lockdep_is_held(&mn->lock));
}

/*
 * The outgoing list keeps the order its interfaces came in, which the
 * readers' copy (mgm_mfe_publish()) and so the dumps show.  The walk to
 * the end is as long as the one mgm_mfe_ref() makes before every link.
 */
static void mgm_hlist_add_tail(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *last = h->first;

	if (!last) {
		hlist_add_head(n, h);
		return;
	}
	while (last->next)
		last = last->next;
	hlist_add_behind(n, last);
}

struct mgm_oif_ref *mgm_mfe_ref(struct mgm_mfe *mfe, const struct mgm_if *ifp)
{
	struct mgm_oif_ref *ref;

	hlist_for_each_entry(ref, &mfe->oif_refs, mfe_node)
		if (ref->ifp == ifp)
			return ref;
	return NULL;
}

struct mgm_decision *mgm_mfe_decision(struct mgm_mfe *mfe,
				      const struct mgm_if *ifp)
{
	struct mgm_decision *dec;

	hlist_for_each_entry(dec, &mfe->decisions, mfe_node)
		if (dec->ifp == ifp)
			return dec;
	return NULL;
}

static void mgm_decision_free(struct mgm_decision *dec)
{
	hlist_del(&dec->mfe_node);
	list_del(&dec->if_node);
	kfree(dec);
}

void mgm_oif_ref_free(struct mgm_mfe *mfe, struct mgm_oif_ref *ref)
{
	list_del(&ref->node);
	hlist_del(&ref->mfe_node);
	kmem_cache_free(mgm_oif_ref_cache, ref);
}

/* ---- the forwarder -------------------------------------------------------- */

/* @mfe as the forwarder sees it; its outgoing list is the one readers see. */
static void mgm_mfe_fwd_entry(struct mgm_net *mn, const struct mgm_mfe *mfe,
			      struct mgm_fwd_entry *e)
{
	const struct mgm_oif_set *set = mgm_mfe_oifs(mn, mfe);

	*e = (struct mgm_fwd_entry) {
		.family = AF_INET,
		.source.ip = mfe->source,
		.group.ip = mfe->group,
		.iif = mfe->iif_ifindex,
		.n_oifs = set ? set->n : 0,
		.oifs = set ? set->oif : NULL,
	};
}

void mgm_fwd_mfe_set(struct mgm_net *mn, const struct mgm_mfe *mfe)
{
	const struct mgm_forwarder_ops *fwd = mgm_get_forwarder();
	struct mgm_fwd_entry e;

	if (!fwd)
		return;
	mgm_mfe_fwd_entry(mn, mfe, &e);
	fwd->mfe_set(mn, &e);
}

void mgm_fwd_mfe_del(struct mgm_net *mn, const struct mgm_mfe *mfe)
{
	const struct mgm_forwarder_ops *fwd = mgm_get_forwarder();
	struct mgm_fwd_entry e;

	if (!fwd)
		return;
	mgm_mfe_fwd_entry(mn, mfe, &e);
	fwd->mfe_del(mn, &e);
}

int mgm_fwd_mfe_counters(struct mgm_net *mn, const struct mgm_mfe *mfe,
			 struct mgm_mfe_counters *counters)
{
	const struct mgm_forwarder_ops *fwd = mgm_get_forwarder();
	struct mgm_fwd_entry e;

	if (!fwd || !fwd->mfe_counters)
		return -EOPNOTSUPP;
	mgm_mfe_fwd_entry(mn, mfe, &e);
	return fwd->mfe_counters(mn, &e, counters);
}

/* The writer-side links of @mfe: its interfaces' lists, its lifetime. */
static void mgm_mfe_unlink(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_decision *dec;
	struct hlist_node *tmp;
	struct mgm_oif_ref *ref;

	mgm_expiry_remove(mn, mfe);
	list_del_init(&mfe->negative_node);
	hlist_for_each_entry_safe(ref, tmp, &mfe->oif_refs, mfe_node)
		mgm_oif_ref_free(mfe, ref);
	hlist_for_each_entry_safe(dec, tmp, &mfe->decisions, mfe_node)
		mgm_decision_free(dec);
}

void mgm_mfe_delete(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_set *set = mgm_mfe_oifs(mn, mfe);

	lockdep_assert_held(&mn->lock);
	mgm_mfe_event(mn, MGM_CMD_MFE_DEL, mfe);
	mgm_fwd_mfe_del(mn, mfe);
	mgm_mtree_erase(&mn->mfes, mgm_mfe_key(mfe->source, mfe->group));
	rb_erase(&mfe->source_node, &mn->mfes_by_source);
	mn->n_mfes--;
	mn->mfes_deleted++;
	list_del(&mfe->iif_node);
	mgm_mfe_unlink(mn, mfe);
	kfree_rcu(set, rcu);
	call_rcu(&mfe->rcu, mgm_mfe_free_rcu);
}

/*
 * A new entry, not in the table yet: incoming interface @rpf (NULL: no
 * route toward the source), from the route lookup @lookup.  The caller
 * links its outgoing interfaces and lifetime, then mgm_mfe_insert()
 * publishes it whole, or mgm_mfe_free_new() drops it.
 */
struct mgm_mfe *mgm_mfe_alloc(struct mgm_net *mn, __be32 source, __be32 group,
			      const struct mgm_rpf *rpf,
			      const struct mgm_rpf *lookup)
{
	struct mgm_mfe *mfe = kmem_cache_zalloc(mgm_mfe_cache, GFP_KERNEL);

	if (!mfe)
		return NULL;
	mfe->source = source;
	mfe->group = group;
	if (rpf) {
		mfe->iif_ifindex = rpf->in_ifindex;
		mfe->iif_nexthop = rpf->in_nexthop;
		mfe->upstream = rpf->upstream;
		mfe->route = rpf->route;
		mfe->iif = mgm_if_lookup_rcu(mn, rpf->in_ifindex,
					     rpf->in_nexthop);
	}
	if (lookup) {
		mfe->rpf_ifindex = lookup->in_ifindex;
		mfe->rpf_nexthop = lookup->in_nexthop;
		mfe->rpf_upstream = lookup->upstream;
	}
	if (mfe->iif)
		mfe->iif_protocol = mgm_if_speaker(mn, mfe->iif)->protocol_id;
	mfe->created = mgm_ds(mgm_now(mn));
	INIT_LIST_HEAD(&mfe->negative_node);
	RB_CLEAR_NODE(&mfe->expiry_node);
	return mfe;
}

/*
 * Room for one more MFE: below the limit, or once the MFE that has
 * forwarded nothing the longest is deleted (counted).  Negative MFEs only
 * spare the forwarder upcalls; RFC 2715 §1 lets MGM delete an MFE at any
 * time (§2.1: while Rules 4 and 5 still hold).
 */
bool mgm_mfe_room(struct mgm_net *mn)
{
	struct mgm_mfe *victim;

	if (mn->n_mfes < mn->limits.mfes)
		return true;
	victim = list_first_entry_or_null(&mn->mfes_negative, struct mgm_mfe,
					  negative_node);
	if (!victim)
		return false;
	mgm_limit_hit(mn, &mn->counters.negative_evictions);
	mgm_mfe_delete(mn, victim);
	return mn->n_mfes < mn->limits.mfes;
}

/* Readers never saw it: no grace period to wait for. */
void mgm_mfe_free_new(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	mgm_mfe_unlink(mn, mfe);
	kfree(mgm_mfe_oifs(mn, mfe));
	kmem_cache_free(mgm_mfe_cache, mfe);
}

int mgm_mfe_link_oif(struct mgm_mfe *mfe, struct mgm_if *ifp)
{
	struct mgm_oif_ref *ref = kmem_cache_alloc(mgm_oif_ref_cache,
						   GFP_KERNEL);

	if (!ref)
		return -ENOMEM;
	ref->mfe = mfe;
	ref->ifp = ifp;
	mgm_hlist_add_tail(&ref->mfe_node, &mfe->oif_refs);
	list_add_tail(&ref->node, &ifp->mfes_out);
	return 0;
}

/* Readers get a new outgoing list, never a half-edited one (nor none). */
int mgm_mfe_publish(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_set *old = mgm_mfe_oifs(mn, mfe), *set;
	struct mgm_oif_ref *ref;
	unsigned int n = 0;

	hlist_for_each_entry(ref, &mfe->oif_refs, mfe_node)
		n++;
	set = kmalloc(struct_size(set, oif, n), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	n = 0;
	hlist_for_each_entry(ref, &mfe->oif_refs, mfe_node) {
		set->oif[n].ifindex = ref->ifp->ifindex;
		set->oif[n].nexthop = ref->ifp->nexthop;
		n++;
	}
	set->n = n;
	rcu_assign_pointer(mfe->oifs, set);
	kfree_rcu(old, rcu);
	/* the oldest to forward nothing goes first (mgm_mfe_room()) */
	if (n)
		list_del_init(&mfe->negative_node);
	else if (list_empty(&mfe->negative_node))
		list_add_tail(&mfe->negative_node, &mn->mfes_negative);
	return 0;
}

/*
 * The second order of the table, by source: a route change concerns the
 * sources under its prefix, which the maple tree's (group, source) key
 * scatters (mgm_route.c).  A node inside the entry, rather than a second
 * maple tree, costs no allocation and so no failure here, and the same 24
 * bytes per entry wherever the keys fall.
 */
static void mgm_mfe_source_insert(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct rb_node **link = &mn->mfes_by_source.rb_node, *parent = NULL;
	u64 key = mgm_mfe_source_key(mfe->source, mfe->group);
	struct mgm_mfe *other;

	while (*link) {
		parent = *link;
		other = rb_entry(parent, struct mgm_mfe, source_node);
		if (key < mgm_mfe_source_key(other->source, other->group))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&mfe->source_node, parent, link);
	rb_insert_color(&mfe->source_node, &mn->mfes_by_source);
}

struct mgm_mfe *mgm_mfe_by_source(struct mgm_net *mn, u64 key)
{
	struct rb_node *node = mn->mfes_by_source.rb_node;
	struct mgm_mfe *mfe, *found = NULL;

	lockdep_assert_held(&mn->lock);
	while (node) {
		mfe = rb_entry(node, struct mgm_mfe, source_node);
		if (key <= mgm_mfe_source_key(mfe->source, mfe->group)) {
			found = mfe;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

struct mgm_mfe *mgm_mfe_next_by_source(struct mgm_mfe *mfe)
{
	struct rb_node *node = rb_next(&mfe->source_node);

	return node ? rb_entry(node, struct mgm_mfe, source_node) : NULL;
}

/*
 * Readers find @mfe from here on, with its outgoing list; the forwarder
 * and the monitor are the caller's to tell.  On failure the caller still
 * has it, for mgm_mfe_free_new().
 */
int mgm_mfe_insert(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	int err;

	err = mgm_mfe_publish(mn, mfe);
	if (err)
		return err;
	err = mtree_insert(&mn->mfes, mgm_mfe_key(mfe->source, mfe->group),
			   mfe, GFP_KERNEL);
	if (err)
		return err;
	mgm_mfe_source_insert(mn, mfe);
	list_add_tail(&mfe->iif_node,
		      mfe->iif ? &mfe->iif->mfes_in : &mn->mfes_unowned);
	mn->n_mfes++;
	return 0;
}

/*
 * The MFE-change alerts (mgm.rst, "MFE-change alerts"): the owner of the IIF
 * hears when the outgoing list becomes non-empty, and when it becomes empty,
 * when it may also set how long the entry stays (mgm.rst, "MFE lifetimes").  A
 * deferred owner's entry lives the default lifetime from now until its answer
 * sets another, so that one that never answers still gets the default.
 */
static void mgm_mfe_prune_alert(struct mgm_net *mn, struct mgm_mfe *mfe,
				struct mgm_protocol *p)
{
	struct mgm_sg sg = mgm_sg_of(mfe->source, mfe->group);
	u32 timeout = MGM_TIMEOUT_DEFAULT;
	u64 cookie = 0;

	if (!p->ops->prune_alert)
		return;
	/* a standing answer: the alert without a question (cookie 0) */
	if (p->ops->deferred && !(p->answers & MGM_ANSWER_PRUNE)) {
		cookie = mgm_question_prune(mn, p, mfe);
		if (!cookie)
			return;
	}
	mgm_callback_enter(mn);
	p->ops->prune_alert(p->priv, &sg, mfe->iif_ifindex, mfe->iif_nexthop,
			    false, &timeout, cookie);
	mgm_callback_exit(mn);
	if (p->answers & MGM_ANSWER_PRUNE)
		timeout = MGM_TIMEOUT_DEFAULT;
	mgm_mfe_restart(mn, mfe, cookie ? MGM_TIMEOUT_DEFAULT : timeout);
}

void mgm_mfe_alert(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_protocol *p = mfe->iif ? mgm_if_speaker(mn, mfe->iif) : NULL;
	struct mgm_sg sg;

	if (!p)
		return;
	if (mgm_mfe_has_oifs(mfe)) {
		sg = mgm_sg_of(mfe->source, mfe->group);
		mgm_join_alert(mn, p, &sg, false);
	} else {
		mgm_mfe_prune_alert(mn, mfe, p);
	}
}

/*
 * The outgoing list of @mfe changed (it had interfaces if @had): show it to
 * readers and the forwarder, and alert on empty <-> non-empty.  Without
 * memory the entry goes instead: an MFE may be deleted at any time (RFC
 * 2715 §1, §2.1) and the next packet builds it again from the memberships.
 * Returns false when @mfe is gone.
 */
static bool mgm_mfe_changed(struct mgm_net *mn, struct mgm_mfe *mfe,
			    bool had)
{
	if (mgm_mfe_publish(mn, mfe)) {
		mgm_mfe_delete(mn, mfe);
		return false;
	}
	if (had != mgm_mfe_has_oifs(mfe))
		mgm_mfe_alert(mn, mfe);
	mgm_mfe_event(mn, MGM_CMD_MFE_CHANGE, mfe);
	mgm_fwd_mfe_set(mn, mfe);
	return true;
}

static void mgm_mfe_add_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			    struct mgm_if *ifp)
{
	bool had = mgm_mfe_has_oifs(mfe);

	/*
	 * without a route toward S the entry only stops upcalls (mgm.rst,
	 * "Negative MFEs")
	 */
	if (!mfe->iif_ifindex || mfe->iif == ifp || mgm_mfe_ref(mfe, ifp))
		return;
	if (mgm_mfe_link_oif(mfe, ifp)) {
		mgm_mfe_delete(mn, mfe);
		return;
	}
	mgm_mfe_changed(mn, mfe, had);
}

static void mgm_mfe_drop_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			     struct mgm_oif_ref *ref)
{
	bool had = mgm_mfe_has_oifs(mfe);

	mgm_oif_ref_free(mfe, ref);
	mgm_mfe_changed(mn, mfe, had);
}

/* ---- what ownership changes do to MFEs ------------------------------------ */

/*
 * The interface changes hands or goes: the MFEs that enter by it go, it
 * leaves every outgoing list, and its owner's decisions are forgotten.
 */
void mgm_if_flush_mfes(struct mgm_net *mn, struct mgm_if *ifp)
{
	struct mgm_decision *dec;
	struct mgm_oif_ref *ref;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	/*
	 * Each step takes the first entry off its list, which therefore may
	 * change while the walk lets go of the lock (new flows go on, and
	 * are taken off too).
	 */
	while ((mfe = list_first_entry_or_null(&ifp->mfes_in, struct mgm_mfe,
					       iif_node))) {
		mgm_mfe_delete(mn, mfe);
		mgm_walk_break(mn, &n);
	}
	while ((ref = list_first_entry_or_null(&ifp->mfes_out,
					       struct mgm_oif_ref, node))) {
		mgm_mfe_drop_oif(mn, ref->mfe, ref);
		mgm_walk_break(mn, &n);
	}
	while ((dec = list_first_entry_or_null(&ifp->decisions,
					       struct mgm_decision, if_node))) {
		mgm_decision_free(dec);
		mgm_walk_break(mn, &n);
	}
	mgm_walk_end(mn);
}

/* MFEs made while nobody owned their IIF go when someone takes it. */
void mgm_if_claim_unowned(struct mgm_net *mn, struct mgm_if *ifp)
{
	struct mgm_mfe *mfe, *tmp;

	/*
	 * In one hold of the lock: the record is not whole yet (no owner),
	 * and nothing may see it so.
	 */
	list_for_each_entry_safe(mfe, tmp, &mn->mfes_unowned, iif_node)
		if (mfe->iif_ifindex == ifp->ifindex &&
		    mfe->iif_nexthop == ifp->nexthop)
			mgm_mfe_delete(mn, mfe);
}

/* ---- what membership changes do to MFEs ----------------------------------- */

/* A walk over the MFEs a membership key matches: one, a group's, or all. */
struct mgm_key_walk {
	unsigned long index;
	unsigned long last;
};

static struct mgm_mfe *mgm_key_first(struct mgm_net *mn,
				     struct mgm_key_walk *w,
				     __be32 source, __be32 group)
{
	if (source) {
		w->index = mgm_mfe_key(source, group);
		w->last = w->index;
	} else if (group) {
		w->index = mgm_mfe_key(0, group);
		w->last = mgm_mfe_key(htonl(0xffffffff), group);
	} else {
		w->index = 0;
		w->last = ULONG_MAX;
	}
	return mt_find(&mn->mfes, &w->index, w->last);
}

/* mt_find() moved the index past the last entry, which may be gone now. */
static struct mgm_mfe *mgm_key_next(struct mgm_net *mn,
				    struct mgm_key_walk *w)
{
	return mt_find_after(&mn->mfes, &w->index, w->last);
}

/*
 * The next MFE of a request's walk, letting go of mn->lock every
 * MGM_BATCH of them (mgm_walk_break()): a (*,*) membership walks every
 * MFE of the netns.  The walk ends with mgm_walk_end().
 */
static struct mgm_mfe *mgm_walk_next(struct mgm_net *mn,
				     struct mgm_key_walk *w, unsigned int *n)
{
	mgm_walk_break(mn, n);
	return mgm_key_next(mn, w);
}

void mgm_mfes_member_added(struct mgm_net *mn, __be32 source, __be32 group,
			   struct mgm_if *ifp)
{
	struct mgm_decision *dec;
	struct mgm_key_walk w;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	for (mfe = mgm_key_first(mn, &w, source, group); mfe;
	     mfe = mgm_walk_next(mn, &w, &n)) {
		dec = mgm_mfe_decision(mfe, ifp);
		if (!dec || dec->on)
			mgm_mfe_add_oif(mn, mfe, ifp);
	}
	mgm_walk_end(mn);
}

/* @ifp stays where another membership or its owner's ON still holds it. */
static void mgm_mfe_recheck_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
				struct mgm_oif_ref *ref)
{
	struct mgm_decision *dec = mgm_mfe_decision(mfe, ref->ifp);

	if ((dec && dec->on) ||
	    mgm_member_covers(mn, mfe->source, mfe->group, ref->ifp))
		return;
	mgm_mfe_drop_oif(mn, mfe, ref);
}

/*
 * Only the MFEs the key matches and that list @ifp: for (*,*) those are
 * on the interface's own list, otherwise the key's MFEs are fewer.
 */
void mgm_mfes_member_removed(struct mgm_net *mn, __be32 source,
			     __be32 group, struct mgm_if *ifp)
{
	struct mgm_oif_ref *ref;
	struct mgm_key_walk w;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	/*
	 * The interface's own list, taken aside so that the walk may let go
	 * of the lock: each entry goes back before its recheck, which may
	 * free it; what expires meanwhile leaves either list.
	 */
	if (!group) {
		LIST_HEAD(todo);

		list_splice_init(&ifp->mfes_out, &todo);
		while ((ref = list_first_entry_or_null(&todo, struct mgm_oif_ref,
						       node))) {
			list_move_tail(&ref->node, &ifp->mfes_out);
			mgm_mfe_recheck_oif(mn, ref->mfe, ref);
			mgm_walk_break(mn, &n);
		}
		mgm_walk_end(mn);
		return;
	}
	for (mfe = mgm_key_first(mn, &w, source, group); mfe;
	     mfe = mgm_walk_next(mn, &w, &n)) {
		ref = mgm_mfe_ref(mfe, ifp);
		if (ref)
			mgm_mfe_recheck_oif(mn, mfe, ref);
	}
	mgm_walk_end(mn);
}

int mgm_mfe_decide(struct mgm_mfe *mfe, struct mgm_if *ifp, bool on)
{
	struct mgm_decision *dec = mgm_mfe_decision(mfe, ifp);

	if (!dec) {
		dec = kmalloc(sizeof(*dec), GFP_KERNEL);
		if (!dec)
			return -ENOMEM;
		dec->mfe = mfe;
		dec->ifp = ifp;
		hlist_add_head(&dec->mfe_node, &mfe->decisions);
		list_add_tail(&dec->if_node, &ifp->decisions);
	}
	dec->on = on;
	return 0;
}

/*
 * FORWARD_STATE: the owner's own word on its interface in these MFEs, which
 * later membership changes do not override (mgm.rst, "The outgoing list").  No
 * MFE yet: nothing to do (mgm.rst, "Adding and deleting memberships").
 */
void mgm_mfes_forward(struct mgm_net *mn, __be32 source, __be32 group,
		      struct mgm_if *ifp, bool on)
{
	struct mgm_oif_ref *ref;
	struct mgm_key_walk w;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	for (mfe = mgm_key_first(mn, &w, source, group); mfe;
	     mfe = mgm_walk_next(mn, &w, &n)) {
		if (mfe->iif == ifp)
			continue;
		if (mgm_mfe_decide(mfe, ifp, on)) {
			mgm_mfe_delete(mn, mfe);
			continue;
		}
		ref = mgm_mfe_ref(mfe, ifp);
		if (on)
			mgm_mfe_add_oif(mn, mfe, ifp);
		else if (ref)
			mgm_mfe_drop_oif(mn, mfe, ref);
	}
	mgm_walk_end(mn);
}

/* ---- the API on existing MFEs --------------------------------------------- */

int mgm_set_mfe(struct net *net, u32 handle, __be32 source, __be32 group,
		__be32 upstream, struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_mfe *mfe;
	int err;

	err = mgm_lock(mn, extack);
	if (err)
		return err;
	err = -ENOENT;
	if (!mgm_protocol_get(mn, handle, extack))
		goto unlock;
	mfe = mtree_load(&mn->mfes, mgm_mfe_key(source, group));
	if (!mfe) {
		NL_SET_ERR_MSG_MOD(extack, "group: no MFE for this source and group");
		goto unlock;
	}
	WRITE_ONCE(mfe->upstream, upstream);
	err = 0;
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_set_mfe);

static u32 mgm_ms_to_s(u64 ms)
{
	return div_u64(ms, MSEC_PER_SEC);
}

/*
 * Read-only, so allowed from inside a callback, where the lock is ours
 * already (mgm.rst, "Locking and re-entry").
 */
int mgm_get_mfe(struct net *net, __be32 source, __be32 group, bool next,
		struct mgm_mfe_info *info, struct mgm_oif *oifs,
		unsigned int max_oifs)
{
	struct mgm_net *mn = mgm_pernet(net);
	bool in_callback = READ_ONCE(mn->cb_task) == current;
	unsigned long index = mgm_mfe_key(source, group);
	struct mgm_mfe_counters c = {};
	struct mgm_oif_set *set;
	struct mgm_mfe *mfe;
	u64 now;

	if (!in_callback)
		mutex_lock(&mn->lock);
	if (next) {
		index++;
		mfe = mt_find(&mn->mfes, &index, ULONG_MAX);
	} else {
		mfe = mtree_load(&mn->mfes, index);
	}
	if (mfe) {
		now = mgm_now(mn);
		set = mgm_mfe_oifs(mn, mfe);
		*info = (struct mgm_mfe_info) {
			.source = mfe->source,
			.group = mfe->group,
			.upstream = mfe->upstream,
			.in_ifindex = mfe->iif_ifindex,
			.in_nexthop = mfe->iif_nexthop,
			.in_protocol = mfe->iif_protocol,
			.route = mfe->route,
			.uptime = mgm_mfe_uptime(mfe, now),
			.expiry = mfe->expires > now ?
				  mgm_ms_to_s(mfe->expires - now) : 0,
			.timeout = mfe->timeout,
			.n_oifs = set->n,
		};
		memcpy(oifs, set->oif, min(max_oifs, set->n) * sizeof(*oifs));
		if (!mgm_fwd_mfe_counters(mn, mfe, &c)) {
			info->pkts = c.pkts;
			info->bytes = c.bytes;
			info->wrong_if = c.wrong_if;
		}
	}
	if (!in_callback)
		mutex_unlock(&mn->lock);
	return mfe ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(mgm_get_mfe);

/* For tests: an MFE from explicit interfaces, without the new-source flow. */
int mgm_mfe_add(struct net *net, __be32 source, __be32 group,
		u32 iif_ifindex, __be32 iif_nexthop, __be32 upstream,
		unsigned int n_oifs, const struct mgm_oif *oifs)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_rpf rpf, iif;
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
	unsigned int i;
	bool routed;
	int err;

	if (!ipv4_is_multicast(group) || ipv4_is_multicast(source) || !source)
		return -EINVAL;
	err = mgm_lock(mn, NULL);
	if (err)
		return err;
	err = -ENOENT;
	if (!mgm_if_lookup_rcu(mn, iif_ifindex, iif_nexthop))
		goto unlock;
	for (i = 0; i < n_oifs; i++)
		if (!mgm_if_lookup_rcu(mn, oifs[i].ifindex, oifs[i].nexthop))
			goto unlock;
	err = -ENOSPC;
	if (!mgm_mfe_room(mn))
		goto unlock;
	iif = (struct mgm_rpf) {
		.in_ifindex = iif_ifindex,
		.in_nexthop = iif_nexthop,
		.upstream = upstream,
	};
	/* the route is what it is now: a change of it moves the entry */
	routed = !mgm_rpf_lookup(mn, source, &rpf, &ifp);
	mfe = mgm_mfe_alloc(mn, source, group, &iif, routed ? &rpf : NULL);
	err = -ENOMEM;
	if (!mfe)
		goto unlock;
	err = 0;
	for (i = 0; i < n_oifs && !err; i++) {
		ifp = mgm_if_lookup_rcu(mn, oifs[i].ifindex, oifs[i].nexthop);
		if (ifp != mfe->iif && !mgm_mfe_ref(mfe, ifp))
			err = mgm_mfe_link_oif(mfe, ifp);
	}
	mgm_mfe_restart(mn, mfe, MGM_TIMEOUT_DEFAULT);
	if (err || mgm_mfe_insert(mn, mfe)) {
		mgm_mfe_free_new(mn, mfe);
		err = -ENOMEM;
		goto unlock;
	}
	mgm_mfe_event(mn, MGM_CMD_MFE_NEW, mfe);
	mgm_fwd_mfe_set(mn, mfe);
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_mfe_add);

struct mgm_mfe *mgm_mfe_lookup_rcu(struct net *net, __be32 source,
				   __be32 group)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "MFE lookup outside an RCU read-side section");
	return mtree_load(&mgm_pernet(net)->mfes, mgm_mfe_key(source, group));
}
EXPORT_SYMBOL_IF_KUNIT(mgm_mfe_lookup_rcu);

/* ---- timers --------------------------------------------------------------- */

/*
 * An MFE whose counters moved since the last look is in use and lives on (an
 * idle timeout: mgm.rst, "MFE lifetimes"); without counters it goes at timeout.
 */
static void mgm_mfe_expire(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_mfe_counters c;

	if (!mgm_fwd_mfe_counters(mn, mfe, &c) && c.pkts != mfe->seen_pkts) {
		mfe->seen_pkts = c.pkts;
		mgm_mfe_restart(mn, mfe, mfe->timeout);
		return;
	}
	mgm_mfe_delete(mn, mfe);
}

/*
 * What is due now, MGM_BATCH entries per hold of mn->lock: MFEs made by a
 * burst expire together.  Called with mn->lock held, which it lets go of
 * between batches.
 */
static void mgm_timers_run(struct mgm_net *mn)
{
	u64 now = mgm_now(mn);
	struct rb_node *first;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	while ((first = rb_first(&mn->expiry))) {
		mfe = rb_entry(first, struct mgm_mfe, expiry_node);
		if (mfe->expires > now)
			break;
		mgm_mfe_expire(mn, mfe);
		if (!mgm_lock_break(mn, &n))
			return;
	}
	if (!mgm_questions_expire(mn, now, &n))
		return;
	mgm_timer_arm(mn);
}

void mgm_run_timers(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);

	mutex_lock(&mn->lock);
	mgm_timers_run(mn);
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_run_timers);

static void mgm_timer_work(struct work_struct *work)
{
	struct mgm_net *mn = container_of(to_delayed_work(work), struct mgm_net,
					  timer_work);

	mutex_lock(&mn->lock);
	if (!mn->dead)
		mgm_timers_run(mn);
	mutex_unlock(&mn->lock);
}

void mgm_mfe_net_init(struct mgm_net *mn)
{
	mt_init_flags(&mn->mfes, MT_FLAGS_USE_RCU);
	INIT_LIST_HEAD(&mn->mfes_unowned);
	INIT_LIST_HEAD(&mn->mfes_negative);
	mn->expiry = RB_ROOT;
	mn->mfes_by_source = RB_ROOT;
	INIT_DELAYED_WORK(&mn->timer_work, mgm_timer_work);
	mn->clock = mgm_clock_boottime;
}

/* After every protocol is gone, only MFEs nobody's IIF held may remain. */
void mgm_mfe_net_exit(struct mgm_net *mn)
{
	struct mgm_mfe *mfe, *mtmp;

	cancel_delayed_work_sync(&mn->timer_work);
	mutex_lock(&mn->lock);
	list_for_each_entry_safe(mfe, mtmp, &mn->mfes_unowned, iif_node)
		mgm_mfe_delete(mn, mfe);
	WARN_ON_ONCE(mn->n_mfes);
	mutex_unlock(&mn->lock);
	mtree_destroy(&mn->mfes);
}
