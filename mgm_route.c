// SPDX-License-Identifier: GPL-2.0
/*
 * Routes toward the sources of MFEs: the RPF lookup that chooses an MFE's
 * incoming interface, and route changes (mgm.rst, "Route changes").  A FIB
 * notifier per network namespace hears of IPv4 unicast route, rule and next-hop
 * changes, and a work item then runs the RPF check of the MFEs again and moves
 * those whose route moved, at once and in place.
 *
 * The notifier runs in atomic context, under RTNL, for every route of the
 * namespace (and for all of them when it registers): it only queues the work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_newsrc.h"
#include "mgm_route.h"

/* ---- the RPF lookup ------------------------------------------------------ */

/*
 * The unicast route toward @source in this netns decides the IIF (mgm.rst, "The
 * RPF question").
 */
static int mgm_fib_rpf(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf)
{
	struct flowi4 fl4 = { .daddr = source };
	struct fib_nh_common *nhc;
	struct fib_result res;
	int err;

	rcu_read_lock();
	err = fib_lookup(mn->net, &fl4, &res, 0);
	if (!err && res.type != RTN_UNICAST)
		err = -ENETUNREACH;
	if (!err) {
		nhc = FIB_RES_NHC(res);
		rpf->in_ifindex = nhc->nhc_dev ? nhc->nhc_dev->ifindex : 0;
		rpf->in_nexthop = 0;
		/* on a connected route the source is its own upstream */
		rpf->upstream = nhc->nhc_gw_family == AF_INET ?
				nhc->nhc_gw.ipv4 : source;
		rpf->route.prefix = res.prefix;
		rpf->route.prefix_len = res.prefixlen;
		rpf->route.protocol = res.fi ? res.fi->fib_protocol : 0;
	}
	rcu_read_unlock();
	return err;
}

int mgm_rpf_lookup(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf,
		   struct mgm_if **ifp)
{
	int err;

	memset(rpf, 0, sizeof(*rpf));
	rpf->sg.source = source;
	rpf->sg.source_mask = htonl(0xffffffff);
	err = mn->rpf_lookup(mn, source, rpf);
	if (err) {
		*ifp = NULL;
		return err;
	}
	/* on a point-to-multipoint link, the upstream neighbour's interface */
	if (rpf->upstream &&
	    mgm_if_lookup_rcu(mn, rpf->in_ifindex, rpf->upstream))
		rpf->in_nexthop = rpf->upstream;
	*ifp = mgm_if_lookup_rcu(mn, rpf->in_ifindex, rpf->in_nexthop);
	return 0;
}

/* ---- moving MFEs ---------------------------------------------------------- */

/*
 * The route toward S went: the entry becomes what a new source without a route
 * makes, a negative MFE without IIF (mgm.rst, "Negative MFEs").  Nobody is
 * told: there is no IIF owner, and the old one learns of it from its own
 * routing.
 */
static void mgm_mfe_unroute(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_ref *ref;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(ref, tmp, &mfe->oif_refs, mfe_node)
		mgm_oif_ref_free(mfe, ref);
	list_move_tail(&mfe->iif_node, &mn->mfes_unowned);
	mfe->iif = NULL;
	WRITE_ONCE(mfe->iif_ifindex, 0);
	WRITE_ONCE(mfe->iif_nexthop, 0);
	WRITE_ONCE(mfe->iif_protocol, 0);
	WRITE_ONCE(mfe->upstream, 0);
	WRITE_ONCE(mfe->route, (struct mgm_route) {});
	mfe->rpf_ifindex = 0;
	mfe->rpf_nexthop = 0;
	mfe->rpf_upstream = 0;
	mgm_member_rpf_moved(mn, mfe->source, mfe->group, NULL);
	if (mgm_mfe_publish(mn, mfe)) {
		mgm_mfe_delete(mn, mfe);
		return;
	}
	mgm_mfe_event(mn, MGM_CMD_MFE_CHANGE, mfe);
	mgm_fwd_mfe_set(mn, mfe);
}

/*
 * Was the IIF left out of the list only for being the IIF (mgm.rst, "The
 * outgoing list")?
 */
static bool mgm_mfe_wants_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			      struct mgm_if *ifp)
{
	struct mgm_decision *dec = mgm_mfe_decision(mfe, ifp);

	if (dec)
		return dec->on;
	return mgm_member_covers(mn, mfe->source, mfe->group, ifp);
}

/*
 * Move @mfe to the IIF the RPF check chose after a route change: the route
 * lookup @lookup, or what the lookup's owner (handle @asked, 0: none) answered
 * in @answer if that is its own interface (mgm.rst, "The RPF question").  The
 * new IIF leaves the outgoing list and the old one joins it where memberships
 * or its owner's word want it (mgm.rst, "The outgoing list").  A new owner
 * hears what a new MFE would have told it (mgm.rst, "MFE-change alerts"), then
 * of the (S,G) receivers (Table J); the old one learns of the change from its
 * own routing (RFC 2715 §2 Rule 1).  Without a new owner the list's empty <->
 * non-empty changes are alerted as always.  Returns false when @mfe is gone.
 */
static bool mgm_mfe_move(struct mgm_net *mn, struct mgm_mfe *mfe,
			 const struct mgm_rpf *lookup,
			 const struct mgm_rpf *answer, u32 asked)
{
	struct mgm_if *old_iif = mfe->iif, *iif;
	bool had = mgm_mfe_has_oifs(mfe);
	u32 ifindex = lookup->in_ifindex;
	__be32 nexthop = lookup->in_nexthop;
	struct mgm_protocol *old_p, *p;
	struct mgm_oif_ref *ref;

	iif = mgm_if_lookup_rcu(mn, answer->in_ifindex, answer->in_nexthop);
	if (asked && iif && mgm_if_speaker(mn, iif)->handle == asked) {
		ifindex = answer->in_ifindex;
		nexthop = answer->in_nexthop;
	}
	iif = mgm_if_lookup_rcu(mn, ifindex, nexthop);
	p = iif ? mgm_if_speaker(mn, iif) : NULL;
	/* it changed hands while its owner thought: the caller asks again */
	if ((p ? p->handle : 0) != asked)
		return true;
	old_p = old_iif ? mgm_if_speaker(mn, old_iif) : NULL;

	mfe->rpf_ifindex = lookup->in_ifindex;
	mfe->rpf_nexthop = lookup->in_nexthop;
	mfe->rpf_upstream = lookup->upstream;
	WRITE_ONCE(mfe->upstream, answer->upstream);
	WRITE_ONCE(mfe->route, answer->route);
	if (ifindex != mfe->iif_ifindex || nexthop != mfe->iif_nexthop) {
		list_move_tail(&mfe->iif_node,
			       iif ? &iif->mfes_in : &mn->mfes_unowned);
		mfe->iif = iif;
		WRITE_ONCE(mfe->iif_ifindex, ifindex);
		WRITE_ONCE(mfe->iif_nexthop, nexthop);
		WRITE_ONCE(mfe->iif_protocol, p ? p->protocol_id : 0);
		ref = iif ? mgm_mfe_ref(mfe, iif) : NULL;
		if (ref)
			mgm_oif_ref_free(mfe, ref);
		if ((old_iif && mgm_mfe_wants_oif(mn, mfe, old_iif) &&
		     mgm_mfe_link_oif(mfe, old_iif)) ||
		    mgm_mfe_publish(mn, mfe)) {
			mgm_mfe_delete(mn, mfe);
			return false;
		}
	}
	if ((p && p != old_p) || had != mgm_mfe_has_oifs(mfe))
		mgm_mfe_alert(mn, mfe);
	if (p != old_p)
		mgm_member_rpf_moved(mn, mfe->source, mfe->group, p);
	mgm_mfe_event(mn, MGM_CMD_MFE_CHANGE, mfe);
	mgm_fwd_mfe_set(mn, mfe);
	return true;
}

/*
 * A route changed: if the lookup toward S now says something else than when the
 * IIF was chosen, run the RPF check of @mfe again (mgm.rst, "The RPF question")
 * and move it, at once (mgm.rst, "Route changes").  O(its outgoing interfaces).
 */
void mgm_mfe_reroute(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	__be32 source = mfe->source, group = mfe->group;
	struct mgm_rpf lookup, rpf;
	struct mgm_protocol *p;
	struct mgm_if *iif;

	lockdep_assert_held(&mn->lock);
	/* its owner is thinking: the answer looks again */
	if (mfe->rpf_asked)
		return;
	if (mgm_rpf_lookup(mn, source, &lookup, &iif)) {
		lookup.in_ifindex = 0;
		lookup.in_nexthop = 0;
		lookup.upstream = 0;
		iif = NULL;
	}
	lookup.sg = mgm_sg_of(source, group);
	if (lookup.in_ifindex == mfe->rpf_ifindex &&
	    lookup.in_nexthop == mfe->rpf_nexthop &&
	    lookup.upstream == mfe->rpf_upstream)
		return;
	if (!lookup.in_ifindex) {
		mgm_mfe_unroute(mn, mfe);
		return;
	}
	/*
	 * Without a route the entry was made without questions: nobody was
	 * asked which interfaces forward it.  The new-source flow asks them
	 * now (mgm.rst, "New sources"), as the next packet would have.
	 */
	if (!mfe->rpf_ifindex) {
		mgm_mfe_delete(mn, mfe);
		mgm_newsrc_start(mn, source, group, NULL, 0);
		return;
	}
	p = iif ? mgm_if_speaker(mn, iif) : NULL;
	if (!p || !mgm_asks(p, p->ops->rpf, MGM_ANSWER_RPF)) {
		mgm_mfe_move(mn, mfe, &lookup, &lookup, p ? p->handle : 0);
		return;
	}
	rpf = lookup;
	if (p->ops->deferred) {
		rpf.cookie = mgm_question_reroute(mn, p, mfe, &lookup);
		/* no room to ask: the default answer */
		if (!rpf.cookie) {
			mgm_mfe_move(mn, mfe, &lookup, &lookup, p->handle);
			return;
		}
		mfe->rpf_asked = mgm_question_tag(rpf.cookie);
	}
	mgm_callback_enter(mn);
	p->ops->rpf(p->priv, &rpf);
	mgm_callback_exit(mn);
	if (!rpf.cookie)
		mgm_mfe_move(mn, mfe, &lookup, &rpf, p->handle);
}

/*
 * The deferred answer @answer (the lookup when none came before the
 * deadline) to the RPF question @cookie of a route change.  The entry may
 * have gone, or been made anew, meanwhile; the route may have changed
 * again.
 */
void mgm_mfe_rpf_answered(struct mgm_net *mn, __be32 source, __be32 group,
			  u64 cookie, u32 handle, const struct mgm_rpf *lookup,
			  const struct mgm_rpf *answer)
{
	struct mgm_mfe *mfe = mtree_load(&mn->mfes, mgm_mfe_key(source, group));

	if (!mfe || mfe->rpf_asked != mgm_question_tag(cookie))
		return;
	mfe->rpf_asked = 0;
	if (mgm_mfe_move(mn, mfe, lookup, answer, handle))
		mgm_mfe_reroute(mn, mfe);
}

/* ---- route changes ------------------------------------------------------- */

/*
 * A burst of route changes (a routing daemon installing a table) makes one
 * pass per period, not one per route.
 */
#define MGM_ROUTE_DELAY		(HZ / 10)

/*
 * Which MFEs a route change concerns.  A route to P/L takes part in the
 * lookup only of addresses inside P/L, whichever table or rule it is in: an
 * added, replaced or deleted route can change the lookup toward the sources
 * inside its prefix and no other.  Those MFEs are one range of
 * mn->mfes_by_source, which is all a pass looks at; a change of rules, or
 * of a next hop built into routes (the FIB's NH events), concerns every
 * source, 0.0.0.0/0.  Changes the FIB notifier does not report (nexthop
 * objects replaced, a route hidden behind a TOS route of its prefix) are
 * not seen, as before.
 *
 * A period's changes are kept as at most MGM_ROUTE_CHANGES prefixes, each
 * looked at once: a prefix inside one already kept adds nothing, one that
 * covers kept ones replaces them, and when all places are taken the new
 * prefix and the nearest kept one become the one prefix that covers both.
 * A daemon installing a table of routes ends as a few wide prefixes, at
 * worst 0.0.0.0/0: every MFE, as each change did before.
 */
static u32 mgm_prefix_mask(unsigned int len)
{
	return len ? ~0U << (32 - len) : 0;
}

static bool mgm_prefix_covers(const struct mgm_prefix *a,
			      const struct mgm_prefix *b)
{
	return a->len <= b->len &&
	       !((a->addr ^ b->addr) & mgm_prefix_mask(a->len));
}

/* The longest prefix that covers both @a and @b. */
static struct mgm_prefix mgm_prefix_join(const struct mgm_prefix *a,
					 const struct mgm_prefix *b)
{
	unsigned int len = min(a->len, b->len);
	u32 diff = a->addr ^ b->addr;

	if (diff)
		len = min(len, 31 - __fls(diff));
	return (struct mgm_prefix) {
		.addr = a->addr & mgm_prefix_mask(len),
		.len = len,
	};
}

void mgm_route_changes_add(struct mgm_prefix *set, unsigned int *n,
			   u32 addr, unsigned int len)
{
	struct mgm_prefix p, join, best = {};
	unsigned int i, k, at = 0;

	len = min(len, 32U);
	p.addr = addr & mgm_prefix_mask(len);
	p.len = len;
	for (i = 0; i < *n; i++)
		if (mgm_prefix_covers(&set[i], &p))
			return;
	for (i = 0, k = 0; i < *n; i++)
		if (!mgm_prefix_covers(&p, &set[i]))
			set[k++] = set[i];
	*n = k;
	if (*n < MGM_ROUTE_CHANGES) {
		set[(*n)++] = p;
		return;
	}
	for (i = 0; i < *n; i++) {
		join = mgm_prefix_join(&set[i], &p);
		if (!i || join.len > best.len) {
			best = join;
			at = i;
		}
	}
	/* a place is free now; the join may cover others too */
	set[at] = set[--*n];
	mgm_route_changes_add(set, n, best.addr, best.len);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_route_changes_add);

bool mgm_route_changes_cover(const struct mgm_prefix *set, unsigned int n,
			     __be32 source)
{
	struct mgm_prefix p = { .addr = ntohl(source), .len = 32 };
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mgm_prefix_covers(&set[i], &p))
			return true;
	return false;
}

static void mgm_route_changed(struct mgm_net *mn, u32 addr, unsigned int len)
{
	spin_lock_bh(&mn->route_lock);
	mgm_route_changes_add(mn->route_changes, &mn->n_route_changes, addr,
			      len);
	spin_unlock_bh(&mn->route_lock);
}

/*
 * The RPF check of every MFE whose source is in @p, in the order of sources.
 * One FIB lookup each; an entry whose lookup did not change costs nothing
 * more.  mn->lock is let go of between batches (mgm_lock_break()): each
 * entry is moved on its own, and what changed meanwhile is looked at where
 * the walk is not yet, or by the next pass.  False when the netns went.
 */
static bool mgm_route_rescan(struct mgm_net *mn, const struct mgm_prefix *p)
{
	u64 key = (u64)p->addr << 32;
	u64 last = (u64)(p->addr | ~mgm_prefix_mask(p->len)) << 32 | U32_MAX;
	struct mgm_mfe *mfe, *next;
	unsigned long deleted;
	unsigned int n = 0;

	for (mfe = mgm_mfe_by_source(mn, key); mfe; mfe = next) {
		key = mgm_mfe_source_key(mfe->source, mfe->group);
		if (key > last)
			break;
		next = mgm_mfe_next_by_source(mfe);
		deleted = mn->mfes_deleted;
		mgm_mfe_reroute(mn, mfe);
		if (key == last || !mgm_lock_break(mn, &n))
			return key == last;
		/*
		 * The next entry is still in the table unless an entry was
		 * deleted (a new source's room, mgm_mfe_room()) or the lock
		 * was let go of (n back at 0): then the key finds it again.
		 */
		if (!n || deleted != mn->mfes_deleted)
			next = mgm_mfe_by_source(mn, key + 1);
	}
	return true;
}

/* The prefixes that changed since the last call, into @changes; how many. */
static unsigned int mgm_route_take(struct mgm_net *mn,
				   struct mgm_prefix *changes)
{
	unsigned int n;

	spin_lock_bh(&mn->route_lock);
	n = mn->n_route_changes;
	memcpy(changes, mn->route_changes, n * sizeof(changes[0]));
	mn->n_route_changes = 0;
	spin_unlock_bh(&mn->route_lock);
	return n;
}

/* A pass over the @n prefixes of @changes. */
static void mgm_route_pass(struct mgm_net *mn,
			   const struct mgm_prefix *changes, unsigned int n)
{
	unsigned int i;

	lockdep_assert_held(&mn->lock);
	if (!n)
		return;
	mgm_newsrcs_reroute(mn);
	for (i = 0; i < n; i++)
		if (!mgm_route_rescan(mn, &changes[i]))
			return;
	mgm_members_reroute(mn, changes, n);
}

void mgm_run_route_change(struct net *net, __be32 prefix, unsigned int len)
{
	struct mgm_prefix changes[MGM_ROUTE_CHANGES];
	struct mgm_net *mn = mgm_pernet(net);
	unsigned int n;

	mgm_route_changed(mn, ntohl(prefix), len);
	n = mgm_route_take(mn, changes);
	mutex_lock(&mn->lock);
	mgm_route_pass(mn, changes, n);
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_run_route_change);

void mgm_run_reroute(struct net *net)
{
	mgm_run_route_change(net, 0, 0);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_run_reroute);

static void mgm_route_work(struct work_struct *work)
{
	struct mgm_net *mn = container_of(to_delayed_work(work), struct mgm_net,
					  route_work);
	struct mgm_prefix changes[MGM_ROUTE_CHANGES];
	unsigned int n;

	/*
	 * A deletion is notified before the route leaves the table, under
	 * RTNL: the changes taken under RTNL are complete, and the lookups
	 * that follow see the table after them.  One notified after that
	 * queues this work again.  Not held with mn->lock, which comes first.
	 */
	rtnl_lock();
	n = mgm_route_take(mn, changes);
	rtnl_unlock();
	mutex_lock(&mn->lock);
	if (!mn->dead)
		mgm_route_pass(mn, changes, n);
	mutex_unlock(&mn->lock);
}

static int mgm_route_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct mgm_net *mn = container_of(nb, struct mgm_net, fib_nb);
	struct fib_entry_notifier_info *fen;
	struct fib_notifier_info *info = ptr;

	/* ipmr notifies its own entries too: MGM's, among others */
	if (info->family != AF_INET)
		return NOTIFY_DONE;
	switch (event) {
	case FIB_EVENT_ENTRY_REPLACE:
	case FIB_EVENT_ENTRY_APPEND:
	case FIB_EVENT_ENTRY_ADD:
	case FIB_EVENT_ENTRY_DEL:
		fen = container_of(info, struct fib_entry_notifier_info, info);
		mgm_route_changed(mn, fen->dst, max(fen->dst_len, 0));
		break;
	case FIB_EVENT_RULE_ADD:
	case FIB_EVENT_RULE_DEL:
	case FIB_EVENT_NH_ADD:
	case FIB_EVENT_NH_DEL:
		mgm_route_changed(mn, 0, 0);
		break;
	default:
		return NOTIFY_DONE;
	}
	queue_delayed_work(mgm_workqueue(), &mn->route_work, MGM_ROUTE_DELAY);
	return NOTIFY_DONE;
}

int mgm_route_net_init(struct mgm_net *mn)
{
	mn->rpf_lookup = mgm_fib_rpf;
	spin_lock_init(&mn->route_lock);
	INIT_DELAYED_WORK(&mn->route_work, mgm_route_work);
	mn->fib_nb.notifier_call = mgm_route_event;
	return register_fib_notifier(mn->net, &mn->fib_nb, NULL, NULL);
}

void mgm_route_net_exit(struct mgm_net *mn)
{
	unregister_fib_notifier(mn->net, &mn->fib_nb);
	cancel_delayed_work_sync(&mn->route_work);
}
