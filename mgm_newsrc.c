// SPDX-License-Identifier: GPL-2.0
/*
 * The new-source flow: a packet of an (S,G) without MFE becomes one after the
 * RPF question to the owner of the interface toward S and the creation alerts
 * to the owners of the candidate outgoing interfaces (mgm.rst, "New sources");
 * the questions that deferred (userspace) protocols answer later, their
 * deadlines and defaults; and the wrong-interface callback (mgm.rst, "Wrong
 * interface").
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
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_newsrc.h"
#include "mgm_protocol.h"
#include "mgm_route.h"

#define MGM_HDR_MAX		128	/* bytes of the packet shown to callbacks */
#define MGM_NEWSRC_RESTARTS	3
#define MGM_WRONGIF_SLOTS	256
#define MGM_WRONGIF_INTERVAL	1000	/* ms between reports per (S,G,if) */

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

/*
 * A packet of a new (S,G) on its way to becoming an MFE (mgm.rst, "New
 * sources").
 */
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
	 * the pending ones are.  None has a low half of 0, which
	 * mgm_question_tag() keeps for "no question".
	 */
	do {
		req->cookie = ++mn->next_cookie;
	} while (!mgm_question_tag(req->cookie));
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

/* ---- the new-source flow (mgm.rst, "New sources") ------------------------ */

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
		 * entered by it went (mgm.rst, "Releasing an interface"), and
		 * so does this one.
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
 * should forward (mgm.rst, "Creation alerts"); the IIF is never a candidate.
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

	/*
	 * no route: a negative MFE that nobody forwards (mgm.rst, "Negative
	 * MFEs")
	 */
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

	/*
	 * an interface of someone else is ignored (mgm.rst, "The RPF question")
	 */
	if (ifp && mgm_if_speaker(mn, ifp)->handle == ns->rpf_handle) {
		ns->rpf.in_ifindex = ifindex;
		ns->rpf.in_nexthop = nexthop;
	}
	ns->rpf.upstream = upstream;
}

/*
 * Route lookup, then the RPF callback of the IIF owner (mgm.rst, "The RPF
 * question").
 */
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

void mgm_newsrc_start(struct mgm_net *mn, __be32 source, __be32 group,
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

/* ---- route changes toward the source (mgm.rst, "Route changes") ---------- */

/*
 * The RPF question about @mfe after a route change, with the route lookup
 * @lookup: its cookie, 0 when there is no room to ask (the default then).
 */
u64 mgm_question_reroute(struct mgm_net *mn, struct mgm_protocol *p,
			 const struct mgm_mfe *mfe,
			 const struct mgm_rpf *lookup)
{
	struct mgm_request *req = mgm_request_new(mn, p, MGM_REQ_RPF, 0);

	if (!req)
		return 0;
	req->source = mfe->source;
	req->group = mfe->group;
	req->rpf = *lookup;
	return req->cookie;
}

/* Flows under way looked the route up before it changed. */
void mgm_newsrcs_reroute(struct mgm_net *mn)
{
	struct mgm_newsrc *ns;

	list_for_each_entry(ns, &mn->newsrcs, node)
		ns->rerouted = true;
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
	__be32 source = req->source, group = req->group;
	u64 cookie = req->cookie;
	u32 handle = req->p->handle;

	mgm_request_free(mn, req);
	mgm_mfe_rpf_answered(mn, source, group, cookie, handle, &lookup, &ans);
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

/* No answer in time: keep the default (mgm.rst, "Questions and deadlines"). */
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

/*
 * The prune-alert question about @mfe whose outgoing list became empty:
 * its cookie, 0 when there is no room to ask (the default then).
 */
u64 mgm_question_prune(struct mgm_net *mn, struct mgm_protocol *p,
		       const struct mgm_mfe *mfe)
{
	struct mgm_request *req = mgm_request_new(mn, p, MGM_REQ_PRUNE, 0);

	if (!req)
		return 0;
	req->source = mfe->source;
	req->group = mfe->group;
	return req->cookie;
}

/* When the first question is due; U64_MAX: none pending. */
u64 mgm_questions_next(struct mgm_net *mn)
{
	struct mgm_request *req;

	req = list_first_entry_or_null(&mn->requests, struct mgm_request, node);
	return req ? req->deadline : U64_MAX;
}

/*
 * The questions due at @now take their defaults, in the timer work's
 * batches (@n counts them, mgm_lock_break()).  Returns false when the
 * netns went away meanwhile.
 */
bool mgm_questions_expire(struct mgm_net *mn, u64 now, unsigned int *n)
{
	struct mgm_request *req;

	/* expiring one may finish a flow and free its other requests */
	while ((req = list_first_entry_or_null(&mn->requests,
					       struct mgm_request, node)) &&
	       req->deadline <= now) {
		mgm_request_expire(mn, req);
		if (!mgm_lock_break(mn, n))
			return false;
	}
	return true;
}

/* ---- wrong interface (mgm.rst, "Wrong interface") ------------------------ */

/* Rate limited per (S,G,interface) (RFC 2715 §2, after Rule 2). */
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

/* ---- the netns ------------------------------------------------------------ */

int mgm_newsrc_net_init(struct mgm_net *mn)
{
	int err;

	/* made when a netns is, by whoever makes it: theirs to pay */
	mn->wrongif = kcalloc(MGM_WRONGIF_SLOTS, sizeof(*mn->wrongif),
			      GFP_KERNEL_ACCOUNT);
	if (!mn->wrongif)
		return -ENOMEM;
	err = rhashtable_init(&mn->newsrcs_by_sg, &mgm_newsrc_params);
	if (err) {
		kfree(mn->wrongif);
		return err;
	}
	INIT_LIST_HEAD(&mn->newsrcs);
	INIT_LIST_HEAD(&mn->requests);
	xa_init(&mn->requests_by_cookie);
	return 0;
}

/* After every protocol is gone and the timer work stopped. */
void mgm_newsrc_net_exit(struct mgm_net *mn)
{
	struct mgm_newsrc *ns, *ntmp;

	mutex_lock(&mn->lock);
	list_for_each_entry_safe(ns, ntmp, &mn->newsrcs, node)
		mgm_newsrc_free(mn, ns);
	while (!list_empty(&mn->requests))
		mgm_request_free(mn, list_first_entry(&mn->requests,
						      struct mgm_request, node));
	mutex_unlock(&mn->lock);
	rhashtable_destroy(&mn->newsrcs_by_sg);
	xa_destroy(&mn->requests_by_cookie);
	kfree(mn->wrongif);
}
