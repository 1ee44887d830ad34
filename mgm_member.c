// SPDX-License-Identifier: GPL-2.0
/*
 * Group memberships: which protocol has receivers for which (source, group)
 * on which interface, and the alerts their changes raise in the other
 * protocols (Documentation/mgm.rst, "Alert tables"; RFC 2715 §3.1.1).
 *
 * A membership is found by its (key, interface, adder) in a hash table, and
 * every membership of one key hangs off that key's record, so adding or
 * deleting one touches only its key, its interface and the MFEs they match.
 */
#include <linux/in.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "mgm_core.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_route.h"

/* The memberships of one (source, group) key, for alerts and enumeration. */
struct mgm_mkey {
	__be32 source;			/* 0: any source */
	__be32 group;			/* 0: any group */
	/* writer side */
	struct list_head members;	/* mgm_member.mkey_node */
	struct list_head clients;	/* mgm_mclient: who has receivers */
	unsigned int n_clients;
	/* (S,G): who heard of the receivers, as the RPF interface's owner */
	u32 rpf_handle;
	struct rcu_head rcu;
};

struct mgm_member_key {
	__be32 source;
	__be32 group;
	u32 ifindex;
	__be32 nexthop;
	u32 adder;			/* handle of the protocol that added it */
};

struct mgm_member {
	struct rhash_head node;
	struct mgm_member_key key;
	/* held from before a restart, not confirmed by a resync yet */
	bool stale;
	struct list_head if_node;	/* on ifp->members */
	struct list_head mkey_node;	/* on mk->members */
	struct mgm_if *ifp;
	struct mgm_mkey *mk;
	struct mgm_protocol *adder;
	/*
	 * who it counts as for the alerts: the interface's owner (mgm.rst, "Who
	 * counts as the client")
	 */
	struct mgm_protocol *client;
	struct rcu_head rcu;
};

/* A protocol with receivers for a key, on how many memberships. */
struct mgm_mclient {
	struct list_head node;
	struct mgm_protocol *p;
	unsigned int n;
};

static const struct rhashtable_params mgm_member_params = {
	.head_offset = offsetof(struct mgm_member, node),
	.key_offset = offsetof(struct mgm_member, key),
	.key_len = sizeof(struct mgm_member_key),
	.automatic_shrinking = true,
};

#define MGM_ALL_ONES	htonl(0xffffffff)

static struct mgm_sg mgm_mkey_sg(const struct mgm_mkey *mk)
{
	return (struct mgm_sg) {
		.source = mk->source,
		.source_mask = mk->source ? MGM_ALL_ONES : 0,
		.group = mk->group,
		.group_mask = mk->group ? MGM_ALL_ONES : 0,
	};
}

static struct mgm_member *mgm_member_find(struct mgm_net *mn, __be32 source,
					  __be32 group,
					  const struct mgm_if *ifp,
					  const struct mgm_protocol *adder)
{
	struct mgm_member_key key = {
		.source = source,
		.group = group,
		.ifindex = ifp->ifindex,
		.nexthop = ifp->nexthop,
		.adder = adder->handle,
	};

	return rhashtable_lookup_fast(&mn->members, &key, mgm_member_params);
}

/* Does a membership of (S,G), (*,G) or (*,*) send (S,G) out of @ifp? */
bool mgm_member_covers(struct mgm_net *mn, __be32 source, __be32 group,
		       struct mgm_if *ifp)
{
	const __be32 keys[3][2] = { { source, group }, { 0, group }, { 0, 0 } };
	struct mgm_protocol *adders[2] = { mgm_if_owner(mn, ifp),
					   mgm_if_igmp(mn, ifp) };
	int k, a;

	for (k = 0; k < 3; k++)
		for (a = 0; a < 2; a++)
			if (adders[a] &&
			    mgm_member_find(mn, keys[k][0], keys[k][1], ifp,
					    adders[a]))
				return true;
	return false;
}

/* Calls @fn for each interface with a membership that matches (S,G). */
void mgm_member_candidates(struct mgm_net *mn, __be32 source, __be32 group,
			   void (*fn)(struct mgm_net *mn, struct mgm_if *ifp,
				      void *arg),
			   void *arg)
{
	const __be32 keys[3][2] = { { source, group }, { 0, group }, { 0, 0 } };
	struct mgm_member *m;
	struct mgm_mkey *mk;
	int k;

	for (k = 0; k < 3; k++) {
		mk = mtree_load(&mn->mkeys, mgm_mfe_key(keys[k][0], keys[k][1]));
		if (!mk)
			continue;
		list_for_each_entry(m, &mk->members, mkey_node)
			fn(mn, m->ifp, arg);
	}
}

static struct mgm_mclient *mgm_mclient_find(struct mgm_mkey *mk,
					    const struct mgm_protocol *p)
{
	struct mgm_mclient *mc;

	list_for_each_entry(mc, &mk->clients, node)
		if (mc->p == p)
			return mc;
	return NULL;
}

/*
 * The protocol that owns the RPF interface toward @source gets the (S,G)
 * alerts; -ENOENT when there is none.
 */
static struct mgm_protocol *mgm_rpf_speaker(struct mgm_net *mn, __be32 source,
					    struct mgm_rpf *rpf)
{
	struct mgm_if *ifp;

	if (mgm_rpf_lookup(mn, source, rpf, &ifp) || !ifp)
		return NULL;
	return mgm_if_speaker(mn, ifp);
}

/* Table J: @c became a client of @mk, which had @n_before clients. */
static void mgm_member_join_alerts(struct mgm_net *mn, struct mgm_mkey *mk,
				   struct mgm_protocol *c,
				   unsigned int n_before)
{
	struct mgm_sg sg = mgm_mkey_sg(mk);
	struct mgm_mclient *mc;
	struct mgm_protocol *p;
	struct mgm_rpf rpf;
	unsigned long idx;

	if (mk->source) {
		if (n_before)
			return;
		p = mgm_rpf_speaker(mn, mk->source, &rpf);
		mk->rpf_handle = p ? p->handle : 0;
		if (p && p != c)
			mgm_join_alert(mn, p, &sg, true);
		return;
	}
	if (n_before == 0) {
		xa_for_each(&mn->protocols, idx, p)
			if (p != c)
				mgm_join_alert(mn, p, &sg, true);
	} else if (n_before == 1) {
		list_for_each_entry(mc, &mk->clients, node)
			if (mc->p != c)
				mgm_join_alert(mn, mc->p, &sg, true);
	}
}

/*
 * The RPF interface toward @source is @p's (NULL: nobody's), maybe since a
 * route change (mgm.rst, "Route changes"): (S,G) alerts go to it, and unless it
 * heard of the receivers already there, it hears of them now.  Not when they
 * are all its own: it knows of those.
 */
void mgm_member_rpf_moved(struct mgm_net *mn, __be32 source, __be32 group,
			  struct mgm_protocol *p)
{
	struct mgm_mkey *mk = mtree_load(&mn->mkeys,
					 mgm_mfe_key(source, group));
	struct mgm_mclient *mc;
	struct mgm_sg sg;

	if (!mk || !mk->n_clients || mk->rpf_handle == (p ? p->handle : 0))
		return;
	mk->rpf_handle = p ? p->handle : 0;
	if (!p)
		return;
	list_for_each_entry(mc, &mk->clients, node) {
		if (mc->p == p)
			continue;
		sg = mgm_mkey_sg(mk);
		mgm_join_alert(mn, p, &sg, true);
		return;
	}
}

/*
 * Routes changed under the @n prefixes of @changes: the (S,G) receivers
 * whose source is under one of them and has no MFE (an MFE tells its new
 * IIF owner itself, after its RPF question) are made known to the new
 * owner of the RPF interface toward S.  The keys are in group order, not
 * in the order of sources: each is looked at, and mn->lock is let go of
 * between batches as mgm_route.c does; a route is looked up only for the
 * keys under a changed prefix.
 */
void mgm_members_reroute(struct mgm_net *mn, const struct mgm_prefix *changes,
			 unsigned int n_changes)
{
	unsigned long index = 0;
	struct mgm_protocol *p;
	unsigned int n = 0;
	struct mgm_mkey *mk;
	struct mgm_rpf rpf;

	for (mk = mt_find(&mn->mkeys, &index, ULONG_MAX); mk;
	     mk = mt_find_after(&mn->mkeys, &index, ULONG_MAX)) {
		if (mk->source && mk->n_clients &&
		    mgm_route_changes_cover(changes, n_changes, mk->source) &&
		    !mtree_load(&mn->mfes, mgm_mfe_key(mk->source, mk->group))) {
			p = mgm_rpf_speaker(mn, mk->source, &rpf);
			mgm_member_rpf_moved(mn, mk->source, mk->group, p);
		}
		if (!mgm_lock_break(mn, &n))
			return;
	}
}

/* Table P: @c stopped being a client of @mk by deleting on @ifp. */
static void mgm_member_prune_alerts(struct mgm_net *mn, struct mgm_mkey *mk,
				    struct mgm_protocol *c,
				    const struct mgm_if *ifp)
{
	struct mgm_sg sg = mgm_mkey_sg(mk);
	struct mgm_mclient *mc;
	struct mgm_protocol *p;
	struct mgm_rpf rpf;
	unsigned long idx;

	if (mk->source) {
		/*
		 * the recipient's own upstream interface (mgm.rst, "Table P")
		 */
		p = mk->n_clients ? NULL : mgm_rpf_speaker(mn, mk->source, &rpf);
		if (p && p != c)
			mgm_prune_alert(mn, p, &sg, rpf.in_ifindex,
					rpf.in_nexthop);
		return;
	}
	if (mk->n_clients == 1) {
		mc = list_first_entry(&mk->clients, struct mgm_mclient, node);
		mgm_prune_alert(mn, mc->p, &sg, ifp->ifindex, ifp->nexthop);
	} else if (mk->n_clients == 0) {
		xa_for_each(&mn->protocols, idx, p)
			if (p != c)
				mgm_prune_alert(mn, p, &sg, ifp->ifindex,
						ifp->nexthop);
	}
}

/* Everything a new membership may need, allocated before anything changes. */
struct mgm_member_alloc {
	struct mgm_member *m;
	struct mgm_mkey *mk;
	struct mgm_mclient *mc;
};

static int mgm_member_alloc(struct mgm_member_alloc *a)
{
	a->m = kzalloc(sizeof(*a->m), GFP_KERNEL_ACCOUNT);
	a->mk = kzalloc(sizeof(*a->mk), GFP_KERNEL_ACCOUNT);
	a->mc = kzalloc(sizeof(*a->mc), GFP_KERNEL_ACCOUNT);
	if (a->m && a->mk && a->mc)
		return 0;
	return -ENOMEM;
}

static void mgm_member_alloc_free(struct mgm_member_alloc *a)
{
	kfree(a->m);
	kfree(a->mk);
	kfree(a->mc);
}

/*
 * Put a new membership into the indexes, where no protocol sees it yet, so that
 * nothing has happened when this fails.  *@mp is NULL for a duplicate, which
 * changes nothing and raises no alert (mgm.rst, "Adding and deleting
 * memberships").  Takes what it uses out of @a.
 */
static int mgm_member_insert(struct mgm_net *mn, struct mgm_member_alloc *a,
			     const struct mgm_sg *sg, struct mgm_if *ifp,
			     struct mgm_protocol *adder,
			     struct mgm_protocol *client,
			     struct mgm_member **mp,
			     struct netlink_ext_ack *extack)
{
	unsigned long index = mgm_mfe_key(sg->source, sg->group);
	struct mgm_member *m;
	struct mgm_mkey *mk;
	bool new_key = false;
	int err;

	*mp = NULL;
	m = mgm_member_find(mn, sg->source, sg->group, ifp, adder);
	if (m) {
		/* a restarted daemon confirms it (mgm.rst, "Graceful restart") */
		m->stale = false;
		return 0;
	}
	m = a->m;
	if (adder->n_members >= mn->limits.members) {
		mgm_limit_hit(mn, &mn->counters.member_refusals);
		NL_SET_ERR_MSG_MOD(extack,
				   "group: the protocol has as many memberships as the limit (limits members) allows");
		return -ENOSPC;
	}

	mk = mtree_load(&mn->mkeys, index);
	if (!mk) {
		mk = a->mk;
		mk->source = sg->source;
		mk->group = sg->group;
		INIT_LIST_HEAD(&mk->members);
		INIT_LIST_HEAD(&mk->clients);
		err = mtree_insert(&mn->mkeys, index, mk, GFP_KERNEL_ACCOUNT);
		if (err)
			return err;
		a->mk = NULL;
		new_key = true;
	}

	m->key = (struct mgm_member_key) {
		.source = sg->source,
		.group = sg->group,
		.ifindex = ifp->ifindex,
		.nexthop = ifp->nexthop,
		.adder = adder->handle,
	};
	m->ifp = ifp;
	m->mk = mk;
	m->adder = adder;
	m->client = client;
	err = rhashtable_insert_fast(&mn->members, &m->node, mgm_member_params);
	if (err) {
		if (new_key) {
			mgm_mtree_erase(&mn->mkeys, index);
			kfree_rcu(mk, rcu);
		}
		return err;
	}
	a->m = NULL;
	*mp = m;
	return 0;
}

/* Count the membership, bring the MFEs it matches up to date, alert. */
static void mgm_member_commit(struct mgm_net *mn, struct mgm_member_alloc *a,
			      struct mgm_member *m, const struct mgm_sg *sg)
{
	struct mgm_mkey *mk = m->mk;
	unsigned int n_before = mk->n_clients;
	struct mgm_mclient *mc;

	mc = mgm_mclient_find(mk, m->client);
	if (!mc) {
		mc = a->mc;
		a->mc = NULL;
		mc->p = m->client;
		list_add_tail(&mc->node, &mk->clients);
		mk->n_clients++;
	}
	mc->n++;
	list_add_tail(&m->mkey_node, &mk->members);
	list_add_tail(&m->if_node, &m->ifp->members);
	mn->n_members++;
	m->adder->n_members++;
	mgm_member_event(mn, MGM_CMD_MEMBERSHIP_NEW, m->adder, sg, m->ifp);

	/*
	 * MFEs first, the membership alerts after (mgm.rst, "Adding receivers")
	 */
	mgm_mfes_member_added(mn, sg->source, sg->group, m->ifp);
	if (mk->n_clients > n_before)
		mgm_member_join_alerts(mn, mk, m->client, n_before);
}

static void mgm_local_callback(struct mgm_net *mn, struct mgm_if *ifp,
			       const struct mgm_sg *sg, bool join)
{
	struct mgm_protocol *owner = mgm_if_owner(mn, ifp);

	if (!owner)
		return;
	mgm_callback_enter(mn);
	if (join && owner->ops->local_join)
		owner->ops->local_join(owner->priv, sg, ifp->ifindex,
				       ifp->nexthop);
	else if (!join && owner->ops->local_leave)
		owner->ops->local_leave(owner->priv, sg, ifp->ifindex,
					ifp->nexthop);
	mgm_callback_exit(mn);
}

/* Remove a membership, with the MFE changes and alerts it causes. */
static void mgm_member_remove(struct mgm_net *mn, struct mgm_member *m)
{
	struct mgm_mkey *mk = m->mk;
	struct mgm_mclient *mc = mgm_mclient_find(mk, m->client);
	struct mgm_sg sg = mgm_mkey_sg(mk);
	bool lost_client = false;

	rhashtable_remove_fast(&mn->members, &m->node, mgm_member_params);
	list_del(&m->if_node);
	list_del(&m->mkey_node);
	mn->n_members--;
	m->adder->n_members--;
	mgm_member_event(mn, MGM_CMD_MEMBERSHIP_DEL, m->adder, &sg, m->ifp);
	if (!--mc->n) {
		list_del(&mc->node);
		kfree(mc);
		mk->n_clients--;
		lost_client = true;
	}

	mgm_mfes_member_removed(mn, mk->source, mk->group, m->ifp);
	if (lost_client)
		mgm_member_prune_alerts(mn, mk, m->client, m->ifp);
	if (list_empty(&mk->members)) {
		mgm_mtree_erase(&mn->mkeys, mgm_mfe_key(mk->source, mk->group));
		kfree_rcu(mk, rcu);
	}
	kfree_rcu(m, rcu);
}

static void mgm_if_drop(struct mgm_net *mn, struct mgm_if *ifp,
			struct mgm_protocol *adder, bool local_leave,
			bool stale_only)
{
	struct mgm_member *m, *tmp;
	struct mgm_sg sg;

	list_for_each_entry_safe(m, tmp, &ifp->members, if_node) {
		if (m->adder != adder || (stale_only && !m->stale))
			continue;
		if (local_leave) {
			sg = mgm_mkey_sg(m->mk);
			mgm_local_callback(mn, ifp, &sg, false);
		}
		mgm_member_remove(mn, m);
	}
}

void mgm_if_drop_members(struct mgm_net *mn, struct mgm_if *ifp,
			 struct mgm_protocol *adder, bool local_leave)
{
	mgm_if_drop(mn, ifp, adder, local_leave, false);
}

/* A resync begins: what @adder added on @ifp waits to be confirmed. */
void mgm_if_mark_members(struct mgm_if *ifp, const struct mgm_protocol *adder)
{
	struct mgm_member *m;

	list_for_each_entry(m, &ifp->members, if_node)
		if (m->adder == adder)
			m->stale = true;
}

/* ... and what is still stale at its end goes as a delete of it would. */
void mgm_if_drop_stale_members(struct mgm_net *mn, struct mgm_if *ifp,
			       struct mgm_protocol *adder)
{
	mgm_if_drop(mn, ifp, adder, adder == mn->igmp, true);
}

/* A membership's place among those of its key and adder. */
static u64 mgm_member_if_key(const struct mgm_member *m)
{
	return (u64)m->key.ifindex << 32 | ntohl(m->key.nexthop);
}

int mgm_get_membership(struct net *net, u32 handle, unsigned long index,
		       u64 after, struct mgm_member_info *info)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_member *m, *found;
	unsigned long next = index;
	unsigned int n_keys = 0;
	struct mgm_mkey *mk;
	u64 key, best;
	int err = -ENOENT;

	/* under the writers' lock, as mgm_get_group() */
	mutex_lock(&mn->lock);
	while ((mk = mt_find(&mn->mkeys, &next, ULONG_MAX))) {
		/* the cursor's key is gone: the next one from its start */
		if (mgm_mfe_key(mk->source, mk->group) != index)
			after = 0;
		found = NULL;
		best = U64_MAX;
		list_for_each_entry(m, &mk->members, mkey_node) {
			key = mgm_member_if_key(m);
			if (m->key.adder == handle && key > after && key < best) {
				best = key;
				found = m;
			}
		}
		if (found) {
			info->sg = mgm_mkey_sg(mk);
			info->ifindex = found->ifp->ifindex;
			info->nexthop = found->ifp->nexthop;
			info->stale = found->stale;
			info->index = mgm_mfe_key(mk->source, mk->group);
			info->after = best;
			err = 0;
			break;
		}
		/* a walk that finds little lets go of the lock now and then */
		if (++n_keys >= MGM_BATCH) {
			info->index = next;
			info->after = 0;
			err = -EAGAIN;
			break;
		}
	}
	mutex_unlock(&mn->lock);
	return err;
}

/*
 * Only (S,G), (*,G) and (*,*), with masks 0 or all-ones (mgm.rst,
 * "Memberships").
 */
static int mgm_sg_check(const struct mgm_sg *sg, u32 flags,
			struct netlink_ext_ack *extack)
{
	bool any_source = !sg->source && !sg->source_mask;
	bool one_source = sg->source && sg->source_mask == MGM_ALL_ONES;
	bool any_group = !sg->group && !sg->group_mask;
	bool one_group = sg->group_mask == MGM_ALL_ONES;

	if (!any_group && !one_group) {
		NL_SET_ERR_MSG_MOD(extack,
				   "group-mask: must be 255.255.255.255 for a group, 0 with group 0 for any group");
		return -EINVAL;
	}
	if (one_group && !ipv4_is_multicast(sg->group)) {
		NL_SET_ERR_MSG_MOD(extack, "group: not a multicast group (224.0.0.0/4)");
		return -EINVAL;
	}
	if (!any_source && !one_source) {
		NL_SET_ERR_MSG_MOD(extack,
				   "source-mask: must be 255.255.255.255 for a source, 0 with source 0 for any source");
		return -EINVAL;
	}
	if (one_source && (ipv4_is_multicast(sg->source) ||
			   ipv4_is_lbcast(sg->source))) {
		NL_SET_ERR_MSG_MOD(extack, "source: not a unicast address");
		return -EINVAL;
	}
	if (one_source && any_group) {
		NL_SET_ERR_MSG_MOD(extack,
				   "group: a specific source needs a specific group; (S,*) is not supported");
		return -EINVAL;
	}
	if (!flags || flags & ~(MGM_FLAG_JOIN_STATE | MGM_FLAG_FORWARD_STATE)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "flags: must be join-state, forward-state or both");
		return -EINVAL;
	}
	return 0;
}

/*
 * The caller may change memberships on an interface it owns, and IGMP on one
 * where it runs, except between its disable and enable (mgm.rst, "The IGMP
 * bracket").
 */
static int mgm_member_target(struct mgm_net *mn, u32 handle, u32 ifindex,
			     __be32 nexthop, struct mgm_protocol **p,
			     struct mgm_if **ifp,
			     struct netlink_ext_ack *extack)
{
	*p = mgm_protocol_get(mn, handle, extack);
	if (!*p)
		return -ENOENT;
	*ifp = mgm_if_lookup_rcu(mn, ifindex, nexthop);
	if (!*ifp) {
		NL_SET_ERR_MSG_MOD(extack, "ifindex: no protocol owns this interface");
		return -ENOENT;
	}
	if (*p == mn->igmp) {
		if (mgm_if_igmp(mn, *ifp) != *p) {
			NL_SET_ERR_MSG_MOD(extack,
					   "ifindex: IGMP does not run on this interface");
			return -EPERM;
		}
		if ((*ifp)->igmp_disabled) {
			NL_SET_ERR_MSG_MOD(extack,
					   "ifindex: IGMP is disabled here until MGM enables it again");
			return -EAGAIN;
		}
	} else if (mgm_if_owner(mn, *ifp) != *p) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: the interface is owned by another protocol");
		return -EPERM;
	}
	return 0;
}

int mgm_add_membership(struct net *net, u32 handle, const struct mgm_sg *sg,
		       u32 ifindex, __be32 nexthop, u32 flags,
		       struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_member_alloc a = {};
	struct mgm_protocol *p, *client;
	struct mgm_member *m = NULL;
	struct mgm_if *ifp;
	int err;

	err = mgm_sg_check(sg, flags, extack);
	if (err)
		return err;
	if (flags & MGM_FLAG_JOIN_STATE) {
		err = mgm_member_alloc(&a);
		if (err)
			goto free;
	}
	err = mgm_lock_excl(mn, extack);
	if (err)
		goto free;
	err = mgm_member_target(mn, handle, ifindex, nexthop, &p, &ifp, extack);
	if (err)
		goto unlock;

	/*
	 * IGMP on a protocol's interface counts as the owner's (mgm.rst, "Who
	 * counts as the client")
	 */
	client = p == mn->igmp && mgm_if_owner(mn, ifp) ? mgm_if_owner(mn, ifp) : p;
	if (flags & MGM_FLAG_JOIN_STATE) {
		err = mgm_member_insert(mn, &a, sg, ifp, p, client, &m,
					extack);
		if (err)
			goto unlock;
	}
	/*
	 * ... and the owner hears of it first, on every call (mgm.rst, "Local
	 * join and leave")
	 */
	if (client != p)
		mgm_local_callback(mn, ifp, sg, true);
	if (m)
		mgm_member_commit(mn, &a, m, sg);
	if (flags & MGM_FLAG_FORWARD_STATE)
		mgm_mfes_forward(mn, sg->source, sg->group, ifp, true);
unlock:
	mutex_unlock(&mn->lock);
free:
	mgm_member_alloc_free(&a);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_add_membership);

int mgm_delete_membership(struct net *net, u32 handle,
			  const struct mgm_sg *sg, u32 ifindex,
			  __be32 nexthop, u32 flags,
			  struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_member *m = NULL;
	struct mgm_protocol *p;
	struct mgm_if *ifp;
	int err;

	err = mgm_sg_check(sg, flags, extack);
	if (err)
		return err;
	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	err = mgm_member_target(mn, handle, ifindex, nexthop, &p, &ifp, extack);
	if (err)
		goto unlock;
	if (flags & MGM_FLAG_JOIN_STATE) {
		m = mgm_member_find(mn, sg->source, sg->group, ifp, p);
		if (!m) {
			NL_SET_ERR_MSG_MOD(extack,
					   "group: no such membership on this interface");
			err = -ENOENT;
			goto unlock;
		}
	}
	if (p == mn->igmp)
		mgm_local_callback(mn, ifp, sg, false);
	if (m)
		mgm_member_remove(mn, m);
	if (flags & MGM_FLAG_FORWARD_STATE)
		mgm_mfes_forward(mn, sg->source, sg->group, ifp, false);
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_delete_membership);

int mgm_get_group(struct net *net, u32 type, bool next, struct mgm_sg *sg,
		  struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	bool in_callback = READ_ONCE(mn->cb_task) == current;
	unsigned long index;
	struct mgm_mkey *mk;

	switch (type) {
	case MGM_ENUM_ANY_SOURCE:
		/* after a group comes the next group, whatever its sources */
		index = next ? mgm_mfe_key(htonl(0xffffffff), sg->group) + 1 :
			       mgm_mfe_key(0, sg->group);
		break;
	case MGM_ENUM_ALL_SOURCES:
		index = mgm_mfe_key(sg->source, sg->group) + next;
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "enum-type: must be any-source or all-sources");
		return -EINVAL;
	}
	/*
	 * Under the writers' lock, as mgm_get_mfe(): a lockless mt_find()
	 * racing with memberships added and deleted on other CPUs oopsed in
	 * Debian 6.1's maple tree (mas_next_entry(), 63-stress on qemu-6.1).
	 */
	if (!in_callback)
		mutex_lock(&mn->lock);
	mk = mt_find(&mn->mkeys, &index, ULONG_MAX);
	if (mk) {
		*sg = mgm_mkey_sg(mk);
		if (type == MGM_ENUM_ANY_SOURCE) {
			sg->source = 0;
			sg->source_mask = 0;
		}
	}
	if (!in_callback)
		mutex_unlock(&mn->lock);
	return mk ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(mgm_get_group);

int mgm_member_net_init(struct mgm_net *mn)
{
	mt_init_flags(&mn->mkeys, MT_FLAGS_USE_RCU);
	return rhashtable_init(&mn->members, &mgm_member_params);
}

void mgm_member_net_exit(struct mgm_net *mn)
{
	WARN_ON_ONCE(mn->n_members);
	rhashtable_destroy(&mn->members);
	mtree_destroy(&mn->mkeys);
}
