// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast forwarding entries: the (S,G) table, outgoing lists derived
 * from memberships and owners' decisions (R-MFE-1), the new-source flow
 * (RPF lookup and callback, creation alerts), the MFE-change alerts, the
 * wrong-interface callback, lifetimes, and the questions that userspace
 * protocols answer later.
 *
 * An MFE is linked to its incoming interface and to each outgoing one, so
 * that a change on an interface touches only the MFEs that use it; the
 * table itself is a maple tree keyed by (group, source), which gives both
 * the lookup and the sorted, resumable enumeration.
 *
 * A burst of new sources toward a deferred protocol leaves thousands of
 * flows and questions pending at once, so none of them is ever searched
 * for along a list: flows are found by (S,G), questions by cookie, and a
 * flow holds its own questions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/xarray.h>
#include <net/ip_fib.h>
#include <kunit/visibility.h>

#include "mgm_core.h"

#define MGM_TIMEOUT_DEFAULT	900	/* s: the MFE lifetime (S21) */
#define MGM_HDR_MAX		128	/* bytes of the packet shown to callbacks */
#define MGM_NEWSRC_RESTARTS	3
#define MGM_WRONGIF_SLOTS	256
#define MGM_WRONGIF_INTERVAL	1000	/* ms between reports per (S,G,if) */
/*
 * The longest the timer work sleeps: msecs_to_jiffies() takes an unsigned
 * int.  A later deadline wakes it early; it finds nothing due and sleeps
 * again.
 */
#define MGM_TIMER_MAX_MS	(3600 * MSEC_PER_SEC)

static unsigned int reply_timeout_ms = 2000;
module_param(reply_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reply_timeout_ms,
		 "how long to wait for a userspace protocol's answer to rpf, creation and prune alerts (ms)");

struct mgm_wrongif_slot {
	__be32 source;
	__be32 group;
	u32 ifindex;
	u64 last;
};

/*
 * The interfaces one protocol disabled in its answer to a creation alert,
 * remembered until the MFE is made: each at most once, and only those it
 * was asked about, so a reply's size does not decide how much is kept.
 */
struct mgm_veto {
	struct list_head node;
	u32 handle;
	unsigned int n;
	struct mgm_if_entry oifs[];
};

/* A packet of a new (S,G) on its way to becoming an MFE (§4.5). */
struct mgm_newsrc {
	struct list_head node;		/* on mn->newsrcs */
	struct rhash_head hnode;	/* in mn->newsrcs_by_sg */
	unsigned long key;		/* mgm_mfe_key(source, group) */
	struct list_head requests;	/* its questions, on ns_node */
	__be32 source;
	__be32 group;
	struct mgm_rpf rpf;		/* the route lookup, then the answer */
	struct mgm_rpf lookup;		/* the route lookup */
	bool routed;			/* the lookup found a route */
	bool rerouted;			/* a route changed since the lookup */
	u32 rpf_handle;			/* who was asked; 0: nobody */
	unsigned int waiting;		/* answers outstanding */
	unsigned int restarts;
	struct list_head vetoes;
	unsigned int hdr_len;
	u8 hdr[MGM_HDR_MAX];
};

enum mgm_request_kind {
	MGM_REQ_RPF,
	MGM_REQ_CREATION,
	MGM_REQ_PRUNE,
};

/* A question to a deferred protocol, until it answers or the deadline. */
struct mgm_request {
	struct list_head node;		/* on mn->requests, by deadline */
	/* the asked protocol: its deregistration frees its requests first */
	struct mgm_protocol *p;
	struct list_head p_node;	/* on p->requests */
	struct list_head ns_node;	/* on ns->requests; empty without ns */
	u64 cookie;
	u64 deadline;
	enum mgm_request_kind kind;
	__be32 source;			/* PRUNE, RPF after a route change: */
	__be32 group;			/* the MFE */
	struct mgm_rpf rpf;		/* RPF after a route change: the lookup */
	struct mgm_newsrc *ns;		/* RPF of a new source, CREATION */
	unsigned int n;			/* CREATION: the interfaces asked about */
	struct mgm_if_entry oifs[];
};

/*
 * Pending flows by (S,G).  A hash, not a maple tree or an xarray like the
 * MFEs: nothing enumerates them in order, and removing one allocates
 * nothing, so a flow that ends can always leave the index (a maple tree
 * may need nodes to erase; an xarray on a sparse 64-bit key is deep).
 */
static const struct rhashtable_params mgm_newsrc_params = {
	.key_len = sizeof(unsigned long),
	.key_offset = offsetof(struct mgm_newsrc, key),
	.head_offset = offsetof(struct mgm_newsrc, hnode),
	.automatic_shrinking = true,
};

static u64 mgm_clock_boottime(void)
{
	return ktime_to_ms(ktime_get_boottime());
}

static struct mgm_sg mgm_sg_of(__be32 source, __be32 group)
{
	return (struct mgm_sg) {
		.source = source,
		.source_mask = htonl(0xffffffff),
		.group = group,
		.group_mask = htonl(0xffffffff),
	};
}

/* ---- route lookup --------------------------------------------------------- */

/* The unicast route toward @source in this netns decides the IIF (§4.5). */
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

/* ---- lifetimes ------------------------------------------------------------ */

static void mgm_timer_arm(struct mgm_net *mn)
{
	struct rb_node *first = rb_first(&mn->expiry);
	u64 next = U64_MAX, now = mgm_now(mn);
	struct mgm_request *req;

	if (first)
		next = rb_entry(first, struct mgm_mfe, expiry_node)->expires;
	req = list_first_entry_or_null(&mn->requests, struct mgm_request, node);
	if (req)
		next = min(next, req->deadline);
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
static void mgm_mfe_restart(struct mgm_net *mn, struct mgm_mfe *mfe,
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

/* ---- questions to deferred protocols -------------------------------------- */

static struct mgm_request *mgm_request_new(struct mgm_net *mn,
					   struct mgm_protocol *p,
					   enum mgm_request_kind kind,
					   unsigned int n)
{
	struct mgm_request *req, *pos;

	/* a protocol that does not answer gets the defaults, not more memory */
	if (p->n_requests >= mn->limits.questions) {
		mgm_limit_hit(mn, &mn->counters.question_drops);
		return NULL;
	}
	req = kzalloc(struct_size(req, oifs, n), GFP_KERNEL);
	if (!req)
		return NULL;
	/*
	 * Cookies only grow (64 bits never wrap), so a late answer never
	 * finds a newer question.  Indexed by cookie, the xarray's nodes
	 * hold runs of recent cookies: the deadline bounds how far apart
	 * the pending ones are.
	 */
	req->cookie = ++mn->next_cookie;
	if (xa_insert(&mn->requests_by_cookie, req->cookie, req, GFP_KERNEL)) {
		kfree(req);
		return NULL;
	}
	req->deadline = mgm_now(mn) + READ_ONCE(reply_timeout_ms);
	req->kind = kind;
	req->n = n;
	INIT_LIST_HEAD(&req->ns_node);
	req->p = p;
	list_add_tail(&req->p_node, &p->requests);
	p->n_requests++;
	/*
	 * The timer looks at the first only.  Deadlines come in order but
	 * when reply_timeout_ms was lowered: look from the latest.
	 */
	list_for_each_entry_reverse(pos, &mn->requests, node)
		if (pos->deadline <= req->deadline)
			break;
	list_add(&req->node, &pos->node);
	mgm_timer_arm(mn);
	return req;
}

/*
 * Called from inside a deferred protocol's rpf, creation_alert or
 * prune_alert callback (MGM's lock held): the question with @cookie did
 * not reach whoever answers it, its socket being full.  No answer can
 * come, so the default is taken now, by the timer work, not at the
 * deadline: a burst that overflows a protocol's socket does not hold its
 * flows for reply_timeout_ms.  Counted; the protocol learns of it from
 * its socket (ENOBUFS).
 */
void mgm_question_undelivered(struct net *net, u64 cookie)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_request *req;

	lockdep_assert_held(&mn->lock);
	req = xa_load(&mn->requests_by_cookie, cookie);
	if (!req)
		return;
	mgm_limit_hit(mn, &mn->counters.question_overruns);
	/* due first: the timer looks at the head of the list */
	req->deadline = mgm_now(mn);
	list_move(&req->node, &mn->requests);
	mgm_timer_arm(mn);
}
EXPORT_SYMBOL_GPL(mgm_question_undelivered);

/* A question about the flow @ns, to go when the flow goes. */
static void mgm_request_attach(struct mgm_request *req, struct mgm_newsrc *ns)
{
	req->ns = ns;
	list_add_tail(&req->ns_node, &ns->requests);
}

static void mgm_request_free(struct mgm_net *mn, struct mgm_request *req)
{
	req->p->n_requests--;
	xa_erase(&mn->requests_by_cookie, req->cookie);
	list_del(&req->node);
	list_del(&req->p_node);
	list_del(&req->ns_node);
	kfree(req);
}

static struct mgm_request *mgm_request_get(struct mgm_net *mn, u32 handle,
					   u64 cookie,
					   enum mgm_request_kind kind,
					   struct netlink_ext_ack *extack,
					   int *err)
{
	struct mgm_request *req;

	*err = -ENOENT;
	if (!mgm_protocol_get(mn, handle, extack))
		return NULL;
	req = xa_load(&mn->requests_by_cookie, cookie);
	if (!req) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cookie: no such question pending (answered already, past its deadline, or never asked)");
		return NULL;
	}
	if (req->p->handle != handle) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cookie: the question went to another protocol");
		*err = -EPERM;
		return NULL;
	}
	if (req->kind != kind) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cookie: the question was of another kind");
		*err = -EINVAL;
		return NULL;
	}
	*err = 0;
	return req;
}

/* ---- the table ------------------------------------------------------------ */

static struct mgm_oif_set *mgm_mfe_oifs(struct mgm_net *mn,
					const struct mgm_mfe *mfe)
{
	return rcu_dereference_protected(mfe->oifs, lockdep_is_held(&mn->lock));
}

static struct mgm_oif_ref *mgm_mfe_ref(struct mgm_mfe *mfe,
				       const struct mgm_if *ifp)
{
	struct mgm_oif_ref *ref;

	list_for_each_entry(ref, &mfe->oif_refs, mfe_node)
		if (ref->ifp == ifp)
			return ref;
	return NULL;
}

static struct mgm_decision *mgm_mfe_decision(struct mgm_mfe *mfe,
					     const struct mgm_if *ifp)
{
	struct mgm_decision *dec;

	list_for_each_entry(dec, &mfe->decisions, mfe_node)
		if (dec->ifp == ifp)
			return dec;
	return NULL;
}

static void mgm_decision_free(struct mgm_decision *dec)
{
	list_del(&dec->mfe_node);
	list_del(&dec->if_node);
	kfree(dec);
}

static void mgm_oif_ref_free(struct mgm_mfe *mfe, struct mgm_oif_ref *ref)
{
	list_del(&ref->node);
	list_del(&ref->mfe_node);
	mfe->n_oifs--;
	kfree(ref);
}

/* The writer-side links of @mfe: its interfaces' lists, its lifetime. */
static void mgm_mfe_unlink(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_ref *ref, *rtmp;
	struct mgm_decision *dec, *dtmp;

	mgm_expiry_remove(mn, mfe);
	list_del_init(&mfe->negative_node);
	list_for_each_entry_safe(ref, rtmp, &mfe->oif_refs, mfe_node)
		mgm_oif_ref_free(mfe, ref);
	list_for_each_entry_safe(dec, dtmp, &mfe->decisions, mfe_node)
		mgm_decision_free(dec);
}

void mgm_mfe_delete(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_set *set = mgm_mfe_oifs(mn, mfe);

	lockdep_assert_held(&mn->lock);
	mgm_mfe_event(mn, MGM_CMD_MFE_DEL, mfe);
	mgm_fwd_mfe_del(mn, mfe);
	mgm_mtree_erase(&mn->mfes, mgm_mfe_key(mfe->source, mfe->group));
	mn->n_mfes--;
	list_del(&mfe->iif_node);
	mgm_mfe_unlink(mn, mfe);
	kfree_rcu(set, rcu);
	kfree_rcu(mfe, rcu);
}

/*
 * A new entry, not in the table yet: incoming interface @rpf (NULL: no
 * route toward the source), from the route lookup @lookup.  The caller
 * links its outgoing interfaces and lifetime, then mgm_mfe_insert()
 * publishes it whole, or mgm_mfe_free_new() drops it.
 */
static struct mgm_mfe *mgm_mfe_alloc(struct mgm_net *mn, __be32 source,
				     __be32 group, const struct mgm_rpf *rpf,
				     const struct mgm_rpf *lookup)
{
	struct mgm_mfe *mfe = kzalloc(sizeof(*mfe), GFP_KERNEL);

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
	mfe->created = mgm_now(mn);
	INIT_LIST_HEAD(&mfe->negative_node);
	INIT_LIST_HEAD(&mfe->oif_refs);
	INIT_LIST_HEAD(&mfe->decisions);
	RB_CLEAR_NODE(&mfe->expiry_node);
	return mfe;
}

/*
 * Room for one more MFE: below the limit, or once the MFE that has
 * forwarded nothing the longest is deleted (counted).  Negative MFEs only
 * spare the forwarder upcalls; RFC 2715 §2.1 lets MGM delete an MFE at
 * any time.
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
static void mgm_mfe_free_new(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	mgm_mfe_unlink(mn, mfe);
	kfree(mgm_mfe_oifs(mn, mfe));
	kfree(mfe);
}

static int mgm_mfe_link_oif(struct mgm_mfe *mfe, struct mgm_if *ifp)
{
	struct mgm_oif_ref *ref = kmalloc(sizeof(*ref), GFP_KERNEL);

	if (!ref)
		return -ENOMEM;
	ref->mfe = mfe;
	ref->ifp = ifp;
	list_add_tail(&ref->mfe_node, &mfe->oif_refs);
	list_add_tail(&ref->node, &ifp->mfes_out);
	mfe->n_oifs++;
	return 0;
}

/* Readers get a new outgoing list, never a half-edited one (nor none). */
static int mgm_mfe_publish(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_set *old = mgm_mfe_oifs(mn, mfe), *set;
	struct mgm_oif_ref *ref;
	unsigned int n = 0;

	set = kmalloc(struct_size(set, oif, mfe->n_oifs), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	list_for_each_entry(ref, &mfe->oif_refs, mfe_node) {
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
 * Readers find @mfe from here on, with its outgoing list; the forwarder
 * and the monitor are the caller's to tell.  On failure the caller still
 * has it, for mgm_mfe_free_new().
 */
static int mgm_mfe_insert(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	int err;

	err = mgm_mfe_publish(mn, mfe);
	if (err)
		return err;
	err = mtree_insert(&mn->mfes, mgm_mfe_key(mfe->source, mfe->group),
			   mfe, GFP_KERNEL);
	if (err)
		return err;
	list_add_tail(&mfe->iif_node,
		      mfe->iif ? &mfe->iif->mfes_in : &mn->mfes_unowned);
	mn->n_mfes++;
	return 0;
}

/*
 * The MFE-change alerts (§3.10, Q25): the owner of the IIF hears when the
 * outgoing list becomes non-empty, and when it becomes empty, when it may
 * also set how long the entry stays (R-MFE-4).  A deferred owner's entry
 * lives the default lifetime from now until its answer sets another, so
 * that one that never answers still gets the default.
 */
static void mgm_mfe_prune_alert(struct mgm_net *mn, struct mgm_mfe *mfe,
				struct mgm_protocol *p)
{
	struct mgm_sg sg = mgm_sg_of(mfe->source, mfe->group);
	struct mgm_request *req = NULL;
	u32 timeout = MGM_TIMEOUT_DEFAULT;

	if (!p->ops->prune_alert)
		return;
	/* a standing answer: the alert without a question (cookie 0) */
	if (p->ops->deferred && !(p->answers & MGM_ANSWER_PRUNE)) {
		req = mgm_request_new(mn, p, MGM_REQ_PRUNE, 0);
		if (!req)
			return;
		req->source = mfe->source;
		req->group = mfe->group;
	}
	mgm_callback_enter(mn);
	p->ops->prune_alert(p->priv, &sg, mfe->iif_ifindex, mfe->iif_nexthop,
			    false, &timeout, req ? req->cookie : 0);
	mgm_callback_exit(mn);
	if (p->answers & MGM_ANSWER_PRUNE)
		timeout = MGM_TIMEOUT_DEFAULT;
	mgm_mfe_restart(mn, mfe, req ? MGM_TIMEOUT_DEFAULT : timeout);
}

static void mgm_mfe_alert(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_protocol *p = mfe->iif ? mgm_if_speaker(mn, mfe->iif) : NULL;
	struct mgm_sg sg;

	if (!p)
		return;
	if (mfe->n_oifs) {
		sg = mgm_sg_of(mfe->source, mfe->group);
		mgm_join_alert(mn, p, &sg, false);
	} else {
		mgm_mfe_prune_alert(mn, mfe, p);
	}
}

/*
 * The outgoing list of @mfe changed from @old_n interfaces: show it to
 * readers and the forwarder, and alert on empty <-> non-empty.  Without
 * memory the entry goes instead: an MFE may be deleted at any time (RFC
 * 2715 §2.1) and the next packet builds it again from the memberships.
 * Returns false when @mfe is gone.
 */
static bool mgm_mfe_changed(struct mgm_net *mn, struct mgm_mfe *mfe,
			    unsigned int old_n)
{
	if (mgm_mfe_publish(mn, mfe)) {
		mgm_mfe_delete(mn, mfe);
		return false;
	}
	if (!old_n != !mfe->n_oifs)
		mgm_mfe_alert(mn, mfe);
	mgm_mfe_event(mn, MGM_CMD_MFE_CHANGE, mfe);
	mgm_fwd_mfe_set(mn, mfe);
	return true;
}

static void mgm_mfe_add_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			    struct mgm_if *ifp)
{
	unsigned int old_n = mfe->n_oifs;

	/* without a route toward S the entry only stops upcalls (Q33) */
	if (!mfe->iif_ifindex || mfe->iif == ifp || mgm_mfe_ref(mfe, ifp))
		return;
	if (mgm_mfe_link_oif(mfe, ifp)) {
		mgm_mfe_delete(mn, mfe);
		return;
	}
	mgm_mfe_changed(mn, mfe, old_n);
}

static void mgm_mfe_drop_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			     struct mgm_oif_ref *ref)
{
	unsigned int old_n = mfe->n_oifs;

	mgm_oif_ref_free(mfe, ref);
	mgm_mfe_changed(mn, mfe, old_n);
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

static int mgm_mfe_decide(struct mgm_mfe *mfe, struct mgm_if *ifp, bool on)
{
	struct mgm_decision *dec = mgm_mfe_decision(mfe, ifp);

	if (!dec) {
		dec = kmalloc(sizeof(*dec), GFP_KERNEL);
		if (!dec)
			return -ENOMEM;
		dec->mfe = mfe;
		dec->ifp = ifp;
		list_add_tail(&dec->mfe_node, &mfe->decisions);
		list_add_tail(&dec->if_node, &ifp->decisions);
	}
	dec->on = on;
	return 0;
}

/*
 * FORWARD_STATE: the owner's own word on its interface in these MFEs,
 * which later membership changes do not override (R-MFE-1, Q12).  No MFE
 * yet: nothing to do (Q9).
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

/* ---- the new-source flow (§4.5) ------------------------------------------- */

static void mgm_newsrc_rpf(struct mgm_net *mn, struct mgm_newsrc *ns);

static void mgm_newsrc_forget_vetoes(struct mgm_newsrc *ns)
{
	struct mgm_veto *v, *tmp;

	list_for_each_entry_safe(v, tmp, &ns->vetoes, node) {
		list_del(&v->node);
		kfree(v);
	}
}

static void mgm_newsrc_free(struct mgm_net *mn, struct mgm_newsrc *ns)
{
	struct mgm_request *req, *tmp;

	list_for_each_entry_safe(req, tmp, &ns->requests, ns_node)
		mgm_request_free(mn, req);
	mgm_newsrc_forget_vetoes(ns);
	rhashtable_remove_fast(&mn->newsrcs_by_sg, &ns->hnode,
			       mgm_newsrc_params);
	list_del(&ns->node);
	mn->n_newsrcs--;
	kfree(ns);
}

static bool mgm_newsrc_vetoed(struct mgm_net *mn, struct mgm_newsrc *ns,
			      struct mgm_if *ifp)
{
	struct mgm_protocol *speaker = mgm_if_speaker(mn, ifp);
	struct mgm_veto *v;
	unsigned int i;

	list_for_each_entry(v, &ns->vetoes, node) {
		if (v->handle != speaker->handle)
			continue;
		for (i = 0; i < v->n; i++)
			if (v->oifs[i].ifindex == ifp->ifindex &&
			    v->oifs[i].nexthop == ifp->nexthop)
				return true;
	}
	return false;
}

struct mgm_mfe_build {
	struct mgm_newsrc *ns;
	struct mgm_mfe *mfe;
	int err;
};

static void mgm_newsrc_add_candidate(struct mgm_net *mn, struct mgm_if *ifp,
				     void *arg)
{
	struct mgm_mfe_build *b = arg;
	struct mgm_mfe *mfe = b->mfe;

	if (b->err || mfe->iif == ifp || mgm_mfe_ref(mfe, ifp) ||
	    mgm_mfe_decision(mfe, ifp))
		return;
	if (mgm_newsrc_vetoed(mn, b->ns, ifp))
		b->err = mgm_mfe_decide(mfe, ifp, false);
	else
		b->err = mgm_mfe_link_oif(mfe, ifp);
}

/*
 * Every answer is in (or its deadline passed): make the MFE from what the
 * memberships say now, minus the vetoes, tell the IIF owner, install it.
 */
static void mgm_newsrc_finish(struct mgm_net *mn, struct mgm_newsrc *ns)
{
	struct mgm_mfe_build b = { .ns = ns };
	bool rerouted = ns->rerouted;
	struct mgm_mfe *mfe = NULL;
	struct mgm_if *iif = NULL;
	struct mgm_protocol *speaker;

	if (ns->routed)
		iif = mgm_if_lookup_rcu(mn, ns->rpf.in_ifindex,
					ns->rpf.in_nexthop);
	speaker = iif ? mgm_if_speaker(mn, iif) : NULL;
	if ((speaker ? speaker->handle : 0) != ns->rpf_handle) {
		/*
		 * Released while we waited, and nobody took it: the MFEs that
		 * entered by it went (R-OWN-4), and so does this one.
		 */
		if (!speaker)
			goto out;
		/* it changed hands: ask its new owner */
		if (ns->restarts++ < MGM_NEWSRC_RESTARTS) {
			mgm_newsrc_rpf(mn, ns);
			return;
		}
	}
	if (mtree_load(&mn->mfes, mgm_mfe_key(ns->source, ns->group)))
		goto out;
	if (!mgm_mfe_room(mn)) {
		mgm_limit_hit(mn, &mn->counters.mfe_drops);
		goto out;
	}

	mfe = mgm_mfe_alloc(mn, ns->source, ns->group,
			    ns->routed ? &ns->rpf : NULL,
			    ns->routed ? &ns->lookup : NULL);
	if (!mfe)
		goto out;
	if (ns->routed) {
		b.mfe = mfe;
		mgm_member_candidates(mn, ns->source, ns->group,
				      mgm_newsrc_add_candidate, &b);
	}
	mgm_mfe_restart(mn, mfe, MGM_TIMEOUT_DEFAULT);
	if (b.err || mgm_mfe_insert(mn, mfe)) {
		mgm_mfe_free_new(mn, mfe);
		mfe = NULL;
		goto out;
	}
	mgm_mfe_alert(mn, mfe);
	/* the route may have moved since the (S,G) receivers were alerted */
	mgm_member_rpf_moved(mn, ns->source, ns->group, speaker);
	mgm_mfe_event(mn, MGM_CMD_MFE_NEW, mfe);
	mgm_fwd_mfe_set(mn, mfe);
out:
	mgm_newsrc_free(mn, ns);
	/* the route changed while the protocols thought: check it again */
	if (mfe && rerouted)
		mgm_mfe_reroute(mn, mfe);
}

/* Which protocol speaks for a candidate, and whether it was asked yet. */
struct mgm_creation_group {
	struct mgm_protocol *p;
	unsigned int n, max;
	struct mgm_if_entry *oifs;
	int err;
};

static void mgm_creation_collect(struct mgm_net *mn, struct mgm_if *ifp,
				 void *arg)
{
	struct mgm_creation_group *g = arg;
	struct mgm_if_entry *e;
	unsigned int i;

	if (g->err || mgm_if_speaker(mn, ifp) != g->p)
		return;
	for (i = 0; i < g->n; i++)
		if (g->oifs[i].ifindex == ifp->ifindex &&
		    g->oifs[i].nexthop == ifp->nexthop)
			return;
	if (g->n == g->max) {
		g->max = max(8U, 2 * g->max);
		e = krealloc_array(g->oifs, g->max, sizeof(*e), GFP_KERNEL);
		if (!e) {
			g->err = -ENOMEM;
			return;
		}
		g->oifs = e;
	}
	g->oifs[g->n++] = (struct mgm_if_entry) {
		.ifindex = ifp->ifindex,
		.nexthop = ifp->nexthop,
		.igmp = !!mgm_if_igmp(mn, ifp),
		.enabled = true,
	};
}

/*
 * Remember the entries of @oifs (distinct interfaces, those asked about)
 * that protocol @handle disabled; nothing to remember is no allocation.
 */
static int mgm_newsrc_veto(struct mgm_newsrc *ns, u32 handle,
			   const struct mgm_if_entry *oifs, unsigned int n)
{
	unsigned int i, k = 0;
	struct mgm_veto *v;

	for (i = 0; i < n; i++)
		k += !oifs[i].enabled;
	if (!k)
		return 0;
	v = kmalloc(struct_size(v, oifs, k), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	v->handle = handle;
	v->n = 0;
	for (i = 0; i < n; i++)
		if (!oifs[i].enabled)
			v->oifs[v->n++] = oifs[i];
	list_add_tail(&v->node, &ns->vetoes);
	return 0;
}

/*
 * Ask each protocol that owns candidate outgoing interfaces which of them
 * should forward (§4.5 step 6); the IIF is never a candidate.
 */
static void mgm_newsrc_creation_alerts(struct mgm_net *mn,
				       struct mgm_newsrc *ns)
{
	struct mgm_sg sg = mgm_sg_of(ns->source, ns->group);
	struct mgm_creation_group g;
	struct mgm_request *req;
	struct mgm_protocol *p;
	unsigned long idx;
	unsigned int i, j;

	/* no route: a negative MFE that nobody forwards (Q33) */
	if (!ns->routed) {
		mgm_newsrc_finish(mn, ns);
		return;
	}
	xa_for_each(&mn->protocols, idx, p) {
		/* a standing answer enables them all: nothing to ask */
		if (!mgm_asks(p, p->ops->creation_alert, MGM_ANSWER_CREATION))
			continue;
		g = (struct mgm_creation_group) { .p = p };
		mgm_member_candidates(mn, ns->source, ns->group,
				      mgm_creation_collect, &g);
		/* the IIF is never an OIF, so never asked about */
		for (i = 0, j = 0; i < g.n; i++)
			if (g.oifs[i].ifindex != ns->rpf.in_ifindex ||
			    g.oifs[i].nexthop != ns->rpf.in_nexthop)
				g.oifs[j++] = g.oifs[i];
		g.n = j;
		if (g.err || !g.n)
			goto next;
		req = NULL;
		if (p->ops->deferred) {
			req = mgm_request_new(mn, p, MGM_REQ_CREATION, g.n);
			if (!req)
				goto next;
			mgm_request_attach(req, ns);
			memcpy(req->oifs, g.oifs, g.n * sizeof(*g.oifs));
			ns->waiting++;
		}
		mgm_callback_enter(mn);
		p->ops->creation_alert(p->priv, &sg, ns->rpf.in_ifindex,
				       ns->rpf.in_nexthop, g.n, g.oifs,
				       req ? req->cookie : 0);
		mgm_callback_exit(mn);
		/* without memory for the veto, as if it had enabled them all */
		if (!req)
			mgm_newsrc_veto(ns, p->handle, g.oifs, g.n);
next:
		kfree(g.oifs);
	}
	if (!ns->waiting)
		mgm_newsrc_finish(mn, ns);
}

/* The answer of the IIF's owner: it may pick another of its interfaces. */
static void mgm_newsrc_apply_rpf(struct mgm_net *mn, struct mgm_newsrc *ns,
				 u32 ifindex, __be32 nexthop, __be32 upstream)
{
	struct mgm_if *ifp = mgm_if_lookup_rcu(mn, ifindex, nexthop);

	/* an interface of someone else is ignored (Q33) */
	if (ifp && mgm_if_speaker(mn, ifp)->handle == ns->rpf_handle) {
		ns->rpf.in_ifindex = ifindex;
		ns->rpf.in_nexthop = nexthop;
	}
	ns->rpf.upstream = upstream;
}

/* §4.5 steps 2-3: route lookup, then the RPF callback of the IIF owner. */
static void mgm_newsrc_rpf(struct mgm_net *mn, struct mgm_newsrc *ns)
{
	struct mgm_request *req;
	struct mgm_protocol *p;
	struct mgm_if *iif;
	struct mgm_rpf rpf;

	mgm_newsrc_forget_vetoes(ns);
	ns->routed = !mgm_rpf_lookup(mn, ns->source, &ns->rpf, &iif);
	ns->rpf.sg = mgm_sg_of(ns->source, ns->group);
	ns->lookup = ns->rpf;
	ns->rerouted = false;
	p = iif ? mgm_if_speaker(mn, iif) : NULL;
	ns->rpf_handle = p ? p->handle : 0;
	if (!ns->routed || !p || !mgm_asks(p, p->ops->rpf, MGM_ANSWER_RPF)) {
		mgm_newsrc_creation_alerts(mn, ns);
		return;
	}

	req = NULL;
	if (p->ops->deferred) {
		req = mgm_request_new(mn, p, MGM_REQ_RPF, 0);
		if (!req) {
			mgm_newsrc_creation_alerts(mn, ns);
			return;
		}
		mgm_request_attach(req, ns);
		ns->waiting = 1;
	}
	rpf = ns->rpf;
	rpf.hdr = ns->hdr;
	rpf.hdr_len = ns->hdr_len;
	rpf.cookie = req ? req->cookie : 0;
	mgm_callback_enter(mn);
	p->ops->rpf(p->priv, &rpf);
	mgm_callback_exit(mn);
	if (req)
		return;
	ns->rpf.route = rpf.route;
	mgm_newsrc_apply_rpf(mn, ns, rpf.in_ifindex, rpf.in_nexthop,
			     rpf.upstream);
	mgm_newsrc_creation_alerts(mn, ns);
}

static struct mgm_newsrc *mgm_newsrc_find(struct mgm_net *mn, __be32 source,
					  __be32 group)
{
	unsigned long key = mgm_mfe_key(source, group);

	return rhashtable_lookup_fast(&mn->newsrcs_by_sg, &key,
				      mgm_newsrc_params);
}

static void mgm_newsrc_start(struct mgm_net *mn, __be32 source, __be32 group,
			     const void *hdr, unsigned int hdr_len)
{
	struct mgm_newsrc *ns;

	if (mtree_load(&mn->mfes, mgm_mfe_key(source, group)) ||
	    mgm_newsrc_find(mn, source, group))
		return;
	/*
	 * Traffic makes these: past a limit the packet is dropped, and ipmr
	 * asks again when its unresolved entry expired.  No MFE could be made
	 * either when every one forwards something.
	 */
	if (mn->n_newsrcs >= mn->limits.pending) {
		mgm_limit_hit(mn, &mn->counters.new_source_drops);
		return;
	}
	if (mn->n_mfes >= mn->limits.mfes && list_empty(&mn->mfes_negative)) {
		mgm_limit_hit(mn, &mn->counters.mfe_drops);
		return;
	}
	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return;
	ns->key = mgm_mfe_key(source, group);
	ns->source = source;
	ns->group = group;
	INIT_LIST_HEAD(&ns->vetoes);
	INIT_LIST_HEAD(&ns->requests);
	ns->hdr_len = hdr ? min(hdr_len, MGM_HDR_MAX) : 0;
	if (ns->hdr_len)
		memcpy(ns->hdr, hdr, ns->hdr_len);
	/* no room to remember it: as if the packet were lost */
	if (rhashtable_insert_fast(&mn->newsrcs_by_sg, &ns->hnode,
				   mgm_newsrc_params)) {
		kfree(ns);
		return;
	}
	list_add_tail(&ns->node, &mn->newsrcs);
	mn->n_newsrcs++;
	mgm_newsrc_rpf(mn, ns);
}

void mgm_new_source(struct net *net, __be32 source, __be32 group, u32 ifindex,
		    const void *hdr, unsigned int hdr_len)
{
	struct mgm_net *mn = mgm_pernet(net);

	if (!ipv4_is_multicast(group) || mgm_lock(mn, NULL))
		return;
	/*
	 * The forwarder reported the packet before its interface was released:
	 * nobody speaks for it any more, and no VIF will bring the next one.
	 */
	if (mgm_ifindex_in_use(mn, ifindex) && mgm_upcall_allow(mn))
		mgm_newsrc_start(mn, source, group, hdr, hdr_len);
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_new_source);

/* ---- route changes toward the source (Q15) -------------------------------- */

/* Flows under way looked the route up before it changed. */
void mgm_newsrcs_reroute(struct mgm_net *mn)
{
	struct mgm_newsrc *ns;

	list_for_each_entry(ns, &mn->newsrcs, node)
		ns->rerouted = true;
}

/*
 * The route toward S went: the entry becomes what a new source without a
 * route makes, a negative MFE without IIF (Q33).  Nobody is told: there is
 * no IIF owner, and the old one learns of it from its own routing.
 */
static void mgm_mfe_unroute(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_oif_ref *ref, *tmp;

	list_for_each_entry_safe(ref, tmp, &mfe->oif_refs, mfe_node)
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

/* Was the IIF left out of the list only for being the IIF (R-MFE-1)? */
static bool mgm_mfe_wants_oif(struct mgm_net *mn, struct mgm_mfe *mfe,
			      struct mgm_if *ifp)
{
	struct mgm_decision *dec = mgm_mfe_decision(mfe, ifp);

	if (dec)
		return dec->on;
	return mgm_member_covers(mn, mfe->source, mfe->group, ifp);
}

/*
 * Move @mfe to the IIF the RPF check chose after a route change: the
 * route lookup @lookup, or what the lookup's owner (handle @asked, 0: none)
 * answered in @answer if that is its own interface (Q33).  The new IIF
 * leaves the outgoing list and the old one joins it where memberships or
 * its owner's word want it (R-MFE-1).  A new owner hears what a new MFE
 * would have told it (§4.5 step 8), then of the (S,G) receivers (Table J);
 * the old one learns of the change from its own routing (RFC 2715 §2 Rule
 * 1).  Without a new owner the list's empty <-> non-empty changes are
 * alerted as always.  Returns false when @mfe is gone.
 */
static bool mgm_mfe_move(struct mgm_net *mn, struct mgm_mfe *mfe,
			 const struct mgm_rpf *lookup,
			 const struct mgm_rpf *answer, u32 asked)
{
	struct mgm_if *old_iif = mfe->iif, *iif;
	unsigned int old_n = mfe->n_oifs;
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
	if ((p && p != old_p) || !old_n != !mfe->n_oifs)
		mgm_mfe_alert(mn, mfe);
	if (p != old_p)
		mgm_member_rpf_moved(mn, mfe->source, mfe->group, p);
	mgm_mfe_event(mn, MGM_CMD_MFE_CHANGE, mfe);
	mgm_fwd_mfe_set(mn, mfe);
	return true;
}

/*
 * A route changed: if the lookup toward S now says something else than
 * when the IIF was chosen, run the RPF check of @mfe again (§4.5 steps
 * 2-3) and move it, at once (Q15).  O(its outgoing interfaces).
 */
void mgm_mfe_reroute(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	__be32 source = mfe->source, group = mfe->group;
	struct mgm_rpf lookup, rpf;
	struct mgm_request *req;
	struct mgm_protocol *p;
	struct mgm_if *iif;

	lockdep_assert_held(&mn->lock);
	/* its owner is thinking: the answer looks again */
	if (mfe->rpf_cookie)
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
	 * now (§4.5), as the next packet would have.
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
	req = NULL;
	if (p->ops->deferred) {
		req = mgm_request_new(mn, p, MGM_REQ_RPF, 0);
		/* no room to ask: the default answer */
		if (!req) {
			mgm_mfe_move(mn, mfe, &lookup, &lookup, p->handle);
			return;
		}
		req->source = source;
		req->group = group;
		req->rpf = lookup;
		mfe->rpf_cookie = req->cookie;
		rpf.cookie = req->cookie;
	}
	mgm_callback_enter(mn);
	p->ops->rpf(p->priv, &rpf);
	mgm_callback_exit(mn);
	if (!req)
		mgm_mfe_move(mn, mfe, &lookup, &rpf, p->handle);
}

/*
 * The deferred answer (@answer; NULL: none before the deadline) to the RPF
 * question of a route change.  The entry may have gone, or been made anew,
 * meanwhile; the route may have changed again.
 */
static void mgm_mfe_rpf_done(struct mgm_net *mn, struct mgm_request *req,
			     const struct mgm_rpf *answer)
{
	struct mgm_rpf lookup = req->rpf, ans = answer ? *answer : req->rpf;
	struct mgm_mfe *mfe = mtree_load(&mn->mfes,
					 mgm_mfe_key(req->source, req->group));
	u64 cookie = req->cookie;
	u32 handle = req->p->handle;

	mgm_request_free(mn, req);
	if (!mfe || mfe->rpf_cookie != cookie)
		return;
	mfe->rpf_cookie = 0;
	if (mgm_mfe_move(mn, mfe, &lookup, &ans, handle))
		mgm_mfe_reroute(mn, mfe);
}

int mgm_reply_rpf(struct net *net, u32 handle, u64 cookie,
		  u32 in_ifindex, __be32 in_nexthop, __be32 upstream,
		  struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_request *req;
	struct mgm_newsrc *ns;
	struct mgm_rpf answer;
	int err;

	err = mgm_lock(mn, extack);
	if (err)
		return err;
	req = mgm_request_get(mn, handle, cookie, MGM_REQ_RPF, extack, &err);
	if (req && !req->ns) {
		answer = req->rpf;
		answer.in_ifindex = in_ifindex;
		answer.in_nexthop = in_nexthop;
		answer.upstream = upstream;
		mgm_mfe_rpf_done(mn, req, &answer);
	} else if (req) {
		ns = req->ns;
		mgm_request_free(mn, req);
		ns->waiting = 0;
		mgm_newsrc_apply_rpf(mn, ns, in_ifindex, in_nexthop, upstream);
		mgm_newsrc_creation_alerts(mn, ns);
	}
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_reply_rpf);

int mgm_reply_creation_alert(struct net *net, u32 handle, u64 cookie,
			     unsigned int n_oifs,
			     const struct mgm_if_entry *oifs,
			     struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_request *req;
	struct mgm_newsrc *ns;
	unsigned int i, j;
	int err;

	err = mgm_lock(mn, extack);
	if (err)
		return err;
	req = mgm_request_get(mn, handle, cookie, MGM_REQ_CREATION, extack,
			      &err);
	if (!req)
		goto unlock;
	/*
	 * Only the interfaces asked about count, each once however often
	 * the reply names it; the rest stay enabled.  The question's own
	 * list, all enabled until now, takes the answer.
	 */
	ns = req->ns;
	for (i = 0; i < n_oifs; i++) {
		if (oifs[i].enabled)
			continue;
		for (j = 0; j < req->n; j++)
			if (req->oifs[j].ifindex == oifs[i].ifindex &&
			    req->oifs[j].nexthop == oifs[i].nexthop)
				req->oifs[j].enabled = false;
	}
	err = mgm_newsrc_veto(ns, handle, req->oifs, req->n);
	if (err) {
		/* unanswered still: a retry starts from the question again */
		for (j = 0; j < req->n; j++)
			req->oifs[j].enabled = true;
		goto unlock;
	}
	mgm_request_free(mn, req);
	if (!--ns->waiting)
		mgm_newsrc_finish(mn, ns);
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_reply_creation_alert);

int mgm_reply_prune_alert(struct net *net, u32 handle, u64 cookie,
			  u32 timeout, struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_request *req;
	struct mgm_mfe *mfe;
	int err;

	if (timeout > MGM_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "timeout: at most "
				   __stringify(MGM_TIMEOUT_MAX) " s (MGM_TIMEOUT_MAX)");
		return -EINVAL;
	}
	err = mgm_lock(mn, extack);
	if (err)
		return err;
	req = mgm_request_get(mn, handle, cookie, MGM_REQ_PRUNE, extack, &err);
	if (req) {
		mfe = mtree_load(&mn->mfes, mgm_mfe_key(req->source, req->group));
		if (mfe)
			mgm_mfe_restart(mn, mfe, timeout);
		mgm_request_free(mn, req);
	}
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_reply_prune_alert);

/* No answer in time: keep the default (§5.7, design.md). */
static void mgm_request_expire(struct mgm_net *mn, struct mgm_request *req)
{
	struct mgm_newsrc *ns = req->ns;
	enum mgm_request_kind kind = req->kind;

	if (kind == MGM_REQ_RPF && !ns) {
		mgm_mfe_rpf_done(mn, req, NULL);
		return;
	}
	mgm_request_free(mn, req);
	if (kind == MGM_REQ_RPF) {
		ns->waiting = 0;
		mgm_newsrc_creation_alerts(mn, ns);
	} else if (kind == MGM_REQ_CREATION && !--ns->waiting) {
		mgm_newsrc_finish(mn, ns);
	}
}

/*
 * @p deregisters: its questions will never be answered, so their deadlines
 * pass now.  What that does (a flow goes on with its creation alerts or is
 * made) may free other questions of @p, never ask it new ones: it owns no
 * interface any more.
 */
void mgm_protocol_cancel_requests(struct mgm_net *mn, struct mgm_protocol *p)
{
	lockdep_assert_held(&mn->lock);
	while (!list_empty(&p->requests))
		mgm_request_expire(mn, list_first_entry(&p->requests,
							struct mgm_request,
							p_node));
}

/* ---- wrong interface (§4.6) ----------------------------------------------- */

/* Rate limited per (S,G,interface) (RFC 2715 §2 Rule 2). */
static bool mgm_wrongif_allow(struct mgm_net *mn, __be32 source, __be32 group,
			      u32 ifindex)
{
	u32 hash = jhash_3words((__force u32)source, (__force u32)group,
				ifindex, 0);
	struct mgm_wrongif_slot *slot = &mn->wrongif[hash % MGM_WRONGIF_SLOTS];
	u64 now = mgm_now(mn);

	if (slot->source == source && slot->group == group &&
	    slot->ifindex == ifindex && now - slot->last < MGM_WRONGIF_INTERVAL) {
		mgm_limit_hit(mn, &mn->counters.wrong_if_drops);
		return false;
	}
	*slot = (struct mgm_wrongif_slot) {
		.source = source, .group = group, .ifindex = ifindex, .last = now,
	};
	return true;
}

void mgm_wrong_if(struct net *net, __be32 source, __be32 group, u32 ifindex,
		  const void *hdr, unsigned int hdr_len)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	struct mgm_if *ifp;

	if (mgm_lock(mn, NULL))
		return;
	/* the packet does not say from which neighbour (include/net/mgm.h) */
	ifp = mgm_if_lookup_rcu(mn, ifindex, 0) ?: mgm_ifindex_first(mn, ifindex);
	p = ifp ? mgm_if_speaker(mn, ifp) : NULL;
	if (p && p->ops->wrong_if &&
	    mgm_wrongif_allow(mn, source, group, ifindex) &&
	    mgm_upcall_allow(mn)) {
		mgm_callback_enter(mn);
		p->ops->wrong_if(p->priv, source, group, ifindex, 0, hdr,
				 min(hdr_len, MGM_HDR_MAX));
		mgm_callback_exit(mn);
	}
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_wrong_if);

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
 * already (R-CONC-3).
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
			.uptime = mgm_ms_to_s(now - mfe->created),
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
 * An MFE whose counters moved since the last look is in use and lives on
 * (Q14 as decided: an idle timeout); without counters it goes at timeout.
 */
static void mgm_mfe_expire(struct mgm_net *mn, struct mgm_mfe *mfe)
{
	struct mgm_mfe_counters c;

	if (!mgm_fwd_mfe_counters(mn, mfe, &c) && c.pkts != mfe->seen.pkts) {
		mfe->seen = c;
		mgm_mfe_restart(mn, mfe, mfe->timeout);
		return;
	}
	mgm_mfe_delete(mn, mfe);
}

static struct mgm_request *mgm_request_due(struct mgm_net *mn, u64 now)
{
	struct mgm_request *req;

	req = list_first_entry_or_null(&mn->requests, struct mgm_request, node);
	return req && req->deadline <= now ? req : NULL;
}

/*
 * What is due now, MGM_BATCH entries per hold of mn->lock: MFEs made by a
 * burst expire together.  Called with mn->lock held, which it lets go of
 * between batches.
 */
static void mgm_timers_run(struct mgm_net *mn)
{
	struct mgm_request *req;
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
	/* expiring one may finish a flow and free its other requests */
	while ((req = mgm_request_due(mn, now))) {
		mgm_request_expire(mn, req);
		if (!mgm_lock_break(mn, &n))
			return;
	}
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

int mgm_mfe_net_init(struct mgm_net *mn)
{
	int err;

	mn->wrongif = kcalloc(MGM_WRONGIF_SLOTS, sizeof(*mn->wrongif),
			      GFP_KERNEL);
	if (!mn->wrongif)
		return -ENOMEM;
	err = rhashtable_init(&mn->newsrcs_by_sg, &mgm_newsrc_params);
	if (err) {
		kfree(mn->wrongif);
		return err;
	}
	mt_init_flags(&mn->mfes, MT_FLAGS_USE_RCU);
	INIT_LIST_HEAD(&mn->mfes_unowned);
	INIT_LIST_HEAD(&mn->mfes_negative);
	INIT_LIST_HEAD(&mn->newsrcs);
	INIT_LIST_HEAD(&mn->requests);
	xa_init(&mn->requests_by_cookie);
	mn->expiry = RB_ROOT;
	INIT_DELAYED_WORK(&mn->timer_work, mgm_timer_work);
	mn->clock = mgm_clock_boottime;
	mn->rpf_lookup = mgm_fib_rpf;
	return 0;
}

/* After every protocol is gone, only MFEs nobody's IIF held may remain. */
void mgm_mfe_net_exit(struct mgm_net *mn)
{
	struct mgm_newsrc *ns, *ntmp;
	struct mgm_mfe *mfe, *mtmp;

	cancel_delayed_work_sync(&mn->timer_work);
	mutex_lock(&mn->lock);
	list_for_each_entry_safe(ns, ntmp, &mn->newsrcs, node)
		mgm_newsrc_free(mn, ns);
	list_for_each_entry_safe(mfe, mtmp, &mn->mfes_unowned, iif_node)
		mgm_mfe_delete(mn, mfe);
	while (!list_empty(&mn->requests))
		mgm_request_free(mn, list_first_entry(&mn->requests,
						      struct mgm_request, node));
	WARN_ON_ONCE(mn->n_mfes);
	mutex_unlock(&mn->lock);
	mtree_destroy(&mn->mfes);
	rhashtable_destroy(&mn->newsrcs_by_sg);
	xa_destroy(&mn->requests_by_cookie);
	kfree(mn->wrongif);
}
