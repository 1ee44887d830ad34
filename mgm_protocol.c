// SPDX-License-Identifier: GPL-2.0
/*
 * Protocols and the interfaces they own: registration, ownership with the
 * IGMP disable/enable bracket, release, the shutdown sequence, and what
 * happens to the records of netdevs that go away.  Memberships live in
 * mgm_member.c, MFEs in mgm_mfe.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_newsrc.h"
#include "mgm_protocol.h"

static bool mgm_is_igmp_id(u32 protocol_id)
{
	return protocol_id == MGM_PROTO_IGMP || protocol_id == MGM_PROTO_MS_IGMP;
}

/* ---- protocols ---------------------------------------------------------- */

int mgm_register(struct net *net, u32 protocol_id, u32 component_id,
		 const struct mgm_protocol_ops *ops, void *priv, u32 *handle,
		 struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	unsigned long idx;
	int err;

	if (!ops || !handle) {
		NL_SET_ERR_MSG_MOD(extack, "a callback table and a handle pointer are required");
		return -EINVAL;
	}
	if (!protocol_id) {
		NL_SET_ERR_MSG_MOD(extack, "protocol-id: 0 is not a protocol id");
		return -EINVAL;
	}
	if (protocol_id == MGM_PROTO_MGM || protocol_id == MGM_PROTO_MS_MGM) {
		NL_SET_ERR_MSG_MOD(extack, "protocol-id: reserved for MGM itself");
		return -EINVAL;
	}

	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	err = -EEXIST;
	if (mgm_is_igmp_id(protocol_id) && mn->igmp) {
		NL_SET_ERR_MSG_MOD(extack,
				   "protocol-id: an IGMP component is already registered in this network namespace");
		goto unlock;
	}
	xa_for_each(&mn->protocols, idx, p) {
		if (p->protocol_id == protocol_id &&
		    p->component_id == component_id) {
			NL_SET_ERR_MSG_MOD(extack,
					   "component-id: this protocol id and component id are already registered");
			goto unlock;
		}
	}

	err = -ENOSPC;
	if (mn->n_protocols >= mn->limits.protocols) {
		mgm_limit_hit(mn, &mn->counters.protocol_refusals);
		NL_SET_ERR_MSG_MOD(extack,
				   "protocol-id: this network namespace has as many registrations as its limit (limits protocols) allows");
		goto unlock;
	}
	err = -ENODEV;
	if (!try_module_get(ops->owner)) {
		NL_SET_ERR_MSG_MOD(extack, "the protocol's module is being unloaded");
		goto unlock;
	}
	err = -ENOMEM;
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		goto put_owner;
	p->protocol_id = protocol_id;
	p->component_id = component_id;
	p->ops = ops;
	p->priv = priv;
	p->state = MGM_PROTOCOL_STATE_ACTIVE;
	INIT_LIST_HEAD(&p->requests);
	err = xa_alloc_cyclic(&mn->protocols, &p->handle, p, xa_limit_32b,
			      &mn->next_handle, GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		kfree(p);
		goto put_owner;
	}
	err = 0;
	if (mgm_is_igmp_id(protocol_id))
		mn->igmp = p;
	mn->n_protocols++;
	*handle = p->handle;
	mgm_event(mn, MGM_CMD_PROTOCOL_NEW, p, NULL);
	mutex_unlock(&mn->lock);
	return 0;

put_owner:
	module_put(ops->owner);
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_register);

static int mgm_deregister_locked(struct mgm_net *mn, struct mgm_protocol *p,
				 struct netlink_ext_ack *extack)
{
	if (p->n_ifs) {
		NL_SET_ERR_MSG_MOD(extack,
				   "handle: the protocol still owns interfaces; release them first");
		return -EBUSY;
	}
	/* the flows waiting for its answers go on with the defaults now */
	mgm_protocol_cancel_requests(mn, p);
	xa_erase(&mn->protocols, p->handle);
	mn->n_protocols--;
	if (mn->igmp == p)
		mn->igmp = NULL;
	mgm_event(mn, MGM_CMD_PROTOCOL_DEL, p, NULL);
	/* no callback reaches it from here on: its code may go */
	module_put(p->ops->owner);
	kfree_rcu(p, rcu);
	return 0;
}

int mgm_deregister(struct net *net, u32 handle, struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	int err;

	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	p = mgm_protocol_get(mn, handle, extack);
	err = p ? mgm_deregister_locked(mn, p, extack) : -ENOENT;
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_deregister);

int mgm_set_answers(struct net *net, u32 handle, u32 answers,
		    struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	int err;

	if (answers & ~(MGM_ANSWER_RPF | MGM_ANSWER_CREATION |
			MGM_ANSWER_PRUNE)) {
		NL_SET_ERR_MSG_MOD(extack, "answers: unknown bits");
		return -EINVAL;
	}
	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	p = mgm_protocol_get(mn, handle, extack);
	if (p)
		WRITE_ONCE(p->answers, answers);
	mutex_unlock(&mn->lock);
	return p ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(mgm_set_answers);

/* ---- interface ownership ---------------------------------------------- */

/* How many records @ifindex has (one per next hop). */
static unsigned long mgm_ifindex_records(struct mgm_net *mn, u32 ifindex)
{
	void *entry = xa_load(&mn->ifindex_records, ifindex);

	return entry ? xa_to_value(entry) : 0;
}

/* A record of @ifindex, whatever its next hop; NULL: none. */
struct mgm_if *mgm_ifindex_first(struct mgm_net *mn, u32 ifindex)
{
	struct mgm_if *ifp;

	hash_for_each_possible_rcu(mn->ifs, ifp, node, ifindex,
				   lockdep_is_held(&mn->lock))
		if (ifp->ifindex == ifindex)
			return ifp;
	return NULL;
}

/* Records of one ifindex (several next hops) share one forwarder interface. */
bool mgm_ifindex_in_use(struct mgm_net *mn, u32 ifindex)
{
	return mgm_ifindex_records(mn, ifindex);
}

/* @ifindex has @n records again; neither a store nor an erase allocates. */
static void mgm_ifindex_unref(struct mgm_net *mn, u32 ifindex, unsigned long n)
{
	if (n)
		xa_store(&mn->ifindex_records, ifindex, xa_mk_value(n), 0);
	else
		xa_erase(&mn->ifindex_records, ifindex);
}

static struct mgm_if *mgm_if_new(struct mgm_net *mn, struct net_device *dev,
				 __be32 nexthop, struct netlink_ext_ack *extack)
{
	u32 ifindex = dev->ifindex;
	unsigned long n = mgm_ifindex_records(mn, ifindex);
	struct mgm_if *ifp;
	int err;

	if (n >= mn->limits.nexthops) {
		mgm_limit_hit(mn, &mn->counters.nexthop_refusals);
		NL_SET_ERR_MSG_MOD(extack,
				   "nexthop: this interface has as many next hops as its limit (limits nexthops) allows");
		return ERR_PTR(-ENOSPC);
	}
	ifp = kzalloc(sizeof(*ifp), GFP_KERNEL_ACCOUNT);
	if (!ifp)
		return ERR_PTR(-ENOMEM);
	err = xa_err(xa_store(&mn->ifindex_records, ifindex, xa_mk_value(n + 1),
			      GFP_KERNEL_ACCOUNT));
	if (!err && !n)
		err = mgm_fwd_if_add(mn, ifindex, extack);
	if (err) {
		mgm_ifindex_unref(mn, ifindex, n);
		kfree(ifp);
		return ERR_PTR(err);
	}
	ifp->dev = dev;
	netdev_hold(dev, &ifp->dev_tracker, GFP_KERNEL);
	ifp->ifindex = ifindex;
	ifp->nexthop = nexthop;
	INIT_LIST_HEAD(&ifp->mfes_in);
	INIT_LIST_HEAD(&ifp->mfes_out);
	INIT_LIST_HEAD(&ifp->members);
	INIT_LIST_HEAD(&ifp->decisions);
	hash_add_rcu(mn->ifs, &ifp->node, ifindex);
	mgm_if_claim_unowned(mn, ifp);
	return ifp;
}

/*
 * Has the record's netdev gone from this netns (unregistered, or moved to
 * another), whatever netdev has its ifindex now?  The record holds it, so
 * it is there to compare with.
 */
static bool mgm_if_dev_gone(struct mgm_net *mn, const struct mgm_if *ifp)
{
	bool gone;

	rcu_read_lock();
	gone = dev_get_by_index_rcu(mn->net, ifp->ifindex) != ifp->dev;
	rcu_read_unlock();
	return gone;
}

/* Are there records of @dev's ifindex that were another netdev's? */
static bool mgm_ifindex_stale(struct mgm_net *mn, const struct net_device *dev)
{
	struct mgm_if *ifp;

	hash_for_each_possible_rcu(mn->ifs, ifp, node, dev->ifindex,
				   lockdep_is_held(&mn->lock))
		if (ifp->ifindex == dev->ifindex && ifp->dev != dev)
			return true;
	return false;
}

/* The record goes with its last owner, and with it every MFE that uses it. */
static void mgm_if_put(struct mgm_net *mn, struct mgm_if *ifp)
{
	unsigned long n;

	if (mgm_if_owner(mn, ifp) || mgm_if_igmp(mn, ifp))
		return;
	mgm_if_flush_mfes(mn, ifp);
	hash_del_rcu(&ifp->node);
	n = mgm_ifindex_records(mn, ifp->ifindex) - 1;
	mgm_ifindex_unref(mn, ifp->ifindex, n);
	if (!n)
		mgm_fwd_if_del(mn, ifp->ifindex, mgm_if_dev_gone(mn, ifp));
	/* readers look at ifindex only, never at the netdev */
	netdev_put(ifp->dev, &ifp->dev_tracker);
	kfree_rcu(ifp, rcu);
}

static void mgm_if_igmp_disable(struct mgm_net *mn, struct mgm_protocol *igmp,
				struct mgm_if *ifp)
{
	WRITE_ONCE(ifp->igmp_disabled, true);
	mgm_event(mn, MGM_CMD_DISABLE_IGMP, igmp, ifp);
	if (igmp->ops->disable_igmp) {
		mgm_callback_enter(mn);
		igmp->ops->disable_igmp(igmp->priv, ifp->ifindex, ifp->nexthop);
		mgm_callback_exit(mn);
	}
}

static void mgm_if_igmp_enable(struct mgm_net *mn, struct mgm_protocol *igmp,
			       struct mgm_if *ifp)
{
	WRITE_ONCE(ifp->igmp_disabled, false);
	mgm_event(mn, MGM_CMD_ENABLE_IGMP, igmp, ifp);
	if (igmp->ops->enable_igmp) {
		mgm_callback_enter(mn);
		igmp->ops->enable_igmp(igmp->priv, ifp->ifindex, ifp->nexthop);
		mgm_callback_exit(mn);
	}
}

/*
 * The routing protocol @p becomes the owner of @ifp.  Where IGMP runs, the
 * change is bracketed by its disable and enable callbacks: IGMP's entries on
 * the interface go (it replays them, now on @p's interface: mgm.rst, "The IGMP
 * bracket"), and so do the MFEs that enter by it and IGMP's say in the others,
 * for the new owner to decide (mgm.rst, "Taking an interface").
 */
static void mgm_if_set_owner(struct mgm_net *mn, struct mgm_if *ifp,
			     struct mgm_protocol *p)
{
	struct mgm_protocol *igmp = mgm_if_igmp(mn, ifp);

	if (igmp) {
		mgm_if_igmp_disable(mn, igmp, ifp);
		mgm_if_drop_members(mn, ifp, igmp, false);
		mgm_if_flush_mfes(mn, ifp);
	}
	WRITE_ONCE(ifp->owner_stale, false);
	rcu_assign_pointer(ifp->owner, p);
	p->n_ifs++;
	mgm_event(mn, MGM_CMD_INTERFACE_NEW, p, ifp);
	if (igmp)
		mgm_if_igmp_enable(mn, igmp, ifp);
}

/*
 * The release sequence (mgm.rst, "Release sequence"): disable IGMP where it
 * runs; remove the owner's memberships there (with the prune alerts they
 * cause), take the interface out of every MFE and delete the MFEs that enter by
 * it, drop IGMP's entries (IGMP replays them), clear the owner; then enable
 * IGMP once all of that is done.  Without IGMP the record itself goes.
 */
static void mgm_if_release_owner(struct mgm_net *mn, struct mgm_if *ifp)
{
	struct mgm_protocol *p = mgm_if_owner(mn, ifp);
	struct mgm_protocol *igmp = mgm_if_igmp(mn, ifp);

	if (igmp)
		mgm_if_igmp_disable(mn, igmp, ifp);
	mgm_if_drop_members(mn, ifp, p, false);
	mgm_if_flush_mfes(mn, ifp);
	if (igmp)
		mgm_if_drop_members(mn, ifp, igmp, false);
	RCU_INIT_POINTER(ifp->owner, NULL);
	p->n_ifs--;
	mgm_event(mn, MGM_CMD_INTERFACE_DEL, p, ifp);
	if (igmp)
		mgm_if_igmp_enable(mn, igmp, ifp);
	else
		mgm_if_put(mn, ifp);
}

/*
 * IGMP leaving an interface needs no bracket: it is the caller (mgm.rst, "The
 * IGMP bracket"). Its entries go, each with a local leave to the owner.
 */
static void mgm_if_release_igmp(struct mgm_net *mn, struct mgm_if *ifp)
{
	struct mgm_protocol *igmp = mgm_if_igmp(mn, ifp);

	mgm_if_drop_members(mn, ifp, igmp, true);
	RCU_INIT_POINTER(ifp->igmp, NULL);
	igmp->n_ifs--;
	mgm_event(mn, MGM_CMD_INTERFACE_DEL, igmp, ifp);
	mgm_if_put(mn, ifp);
}

/*
 * NETDEV_UNREGISTER arrives under RTNL, and MGM's lock order is mn->lock
 * before RTNL, so the release runs from a work item.  It looks for every
 * record whose netdev is gone rather than keeping a queue of events.  The
 * netdev's unregistration waits for it: the records hold the netdev.
 */
static void mgm_netdevs_gone(struct mgm_net *mn)
{
	struct mgm_protocol *igmp;
	struct hlist_node *tmp;
	struct mgm_if *ifp;
	int bkt;

	lockdep_assert_held(&mn->lock);
	hash_for_each_safe(mn->ifs, bkt, tmp, ifp, node) {
		if (!mgm_if_dev_gone(mn, ifp))
			continue;
		/*
		 * The owner's release frees the record unless IGMP holds it
		 * too: ask before, not after.
		 */
		igmp = mgm_if_igmp(mn, ifp);
		if (mgm_if_owner(mn, ifp))
			mgm_if_release_owner(mn, ifp);
		if (igmp)
			mgm_if_release_igmp(mn, ifp);
	}
}

int mgm_take_interface(struct net *net, u32 handle, u32 ifindex,
		       __be32 nexthop, struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct net_device *dev = NULL;
	struct mgm_protocol *p, *owner;
	struct mgm_if *ifp;
	int err;

	if (!ifindex) {
		NL_SET_ERR_MSG_MOD(extack, "ifindex: 0 is not an interface");
		return -EINVAL;
	}
	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	err = -ENOENT;
	p = mgm_protocol_get(mn, handle, extack);
	if (!p)
		goto unlock;
	err = -ENODEV;
	dev = dev_get_by_index(net, ifindex);
	if (!dev) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: no such network device in this network namespace");
		goto unlock;
	}

	/* a netdev went and another took its ifindex: the work is late */
	if (mgm_ifindex_stale(mn, dev))
		mgm_netdevs_gone(mn);
	ifp = mgm_if_lookup_rcu(mn, ifindex, nexthop);
	owner = ifp ? mgm_if_owner(mn, ifp) : NULL;
	/* a restarted daemon confirms what it held (mgm.rst, "Graceful restart") */
	err = 0;
	if (ifp && owner == p && ifp->owner_stale) {
		WRITE_ONCE(ifp->owner_stale, false);
		goto unlock;
	}
	if (ifp && mgm_if_igmp(mn, ifp) == p && ifp->igmp_stale) {
		WRITE_ONCE(ifp->igmp_stale, false);
		goto unlock;
	}
	err = -EEXIST;
	if (ifp && (owner == p || mgm_if_igmp(mn, ifp) == p)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: this protocol owns the interface already");
		goto unlock;
	}
	err = -EBUSY;
	if (owner && p != mn->igmp) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: another routing protocol owns the interface");
		goto unlock;
	}
	if (!ifp) {
		ifp = mgm_if_new(mn, dev, nexthop, extack);
		err = PTR_ERR_OR_ZERO(ifp);
		if (err)
			goto unlock;
	}
	err = 0;
	if (p == mn->igmp) {
		/*
		 * IGMP joins whoever runs here, without a bracket (mgm.rst,
		 * "The IGMP bracket")
		 */
		WRITE_ONCE(ifp->igmp_stale, false);
		rcu_assign_pointer(ifp->igmp, p);
		p->n_ifs++;
		mgm_event(mn, MGM_CMD_INTERFACE_NEW, p, ifp);
	} else {
		mgm_if_set_owner(mn, ifp, p);
	}
unlock:
	mutex_unlock(&mn->lock);
	dev_put(dev);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_take_interface);

int mgm_release_interface(struct net *net, u32 handle, u32 ifindex,
			  __be32 nexthop, struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	struct mgm_if *ifp;
	int err;

	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	err = -ENOENT;
	p = mgm_protocol_get(mn, handle, extack);
	if (!p)
		goto unlock;
	ifp = mgm_if_lookup_rcu(mn, ifindex, nexthop);
	if (ifp && mgm_if_owner(mn, ifp) == p) {
		mgm_if_release_owner(mn, ifp);
		err = 0;
	} else if (ifp && mgm_if_igmp(mn, ifp) == p) {
		mgm_if_release_igmp(mn, ifp);
		err = 0;
	} else {
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: the interface is not owned by this protocol");
	}
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_GPL(mgm_release_interface);

int mgm_get_protocol_on_interface(struct net *net, u32 ifindex,
				  __be32 nexthop, u32 *protocol_id,
				  u32 *component_id,
				  struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p = NULL;
	struct mgm_if *ifp;

	rcu_read_lock();
	ifp = mgm_if_lookup_rcu(mn, ifindex, nexthop);
	if (ifp) {
		/*
		 * the routing protocol when there is one (mgm.rst, "Owner of an
		 * interface")
		 */
		p = rcu_dereference(ifp->owner) ?: rcu_dereference(ifp->igmp);
		if (p) {
			*protocol_id = p->protocol_id;
			*component_id = p->component_id;
		}
	}
	rcu_read_unlock();
	if (!p) {
		NL_SET_ERR_MSG_MOD(extack, "ifindex: no protocol owns this interface");
		return -ENOENT;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(mgm_get_protocol_on_interface);

/* Release everything @p owns, then deregister it. */
static void mgm_shutdown_locked(struct mgm_net *mn, struct mgm_protocol *p)
{
	struct hlist_node *tmp;
	struct mgm_if *ifp;
	int bkt;

	hash_for_each_safe(mn->ifs, bkt, tmp, ifp, node) {
		if (mgm_if_owner(mn, ifp) == p)
			mgm_if_release_owner(mn, ifp);
		else if (mgm_if_igmp(mn, ifp) == p)
			mgm_if_release_igmp(mn, ifp);
	}
	WARN_ON_ONCE(mgm_deregister_locked(mn, p, NULL));
}

int mgm_shutdown_protocol(struct net *net, u32 handle)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	int err;

	err = mgm_lock_excl(mn, NULL);
	if (err)
		return err;
	p = mgm_protocol_get(mn, handle, NULL);
	if (p)
		mgm_shutdown_locked(mn, p);
	mutex_unlock(&mn->lock);
	return p ? 0 : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_shutdown_protocol);

/* ---- graceful restart ------------------------------------------------- */

#define MGM_ANSWER_ALL	(MGM_ANSWER_RPF | MGM_ANSWER_CREATION | MGM_ANSWER_PRUNE)

static void mgm_protocol_set_state(struct mgm_net *mn, struct mgm_protocol *p,
				   u8 state, unsigned long until)
{
	WRITE_ONCE(p->state, state);
	WRITE_ONCE(p->state_until, until);
	mgm_event(mn, MGM_CMD_PROTOCOL_CHANGE, p, NULL);
}

/*
 * The registration's socket closed with a hold time: everything it holds
 * stays, and MGM answers its questions with the defaults, those already
 * waiting at once (mgm.rst, "Graceful restart").
 */
int mgm_protocol_hold(struct net *net, u32 handle, unsigned long until)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	int err;

	err = mgm_lock_excl(mn, NULL);
	if (err)
		return err;
	p = mgm_protocol_get(mn, handle, NULL);
	if (p) {
		if (p->state != MGM_PROTOCOL_STATE_HELD) {
			p->held_answers = p->answers;
			WRITE_ONCE(p->answers, MGM_ANSWER_ALL);
		}
		mgm_protocol_cancel_requests(mn, p);
		mgm_protocol_set_state(mn, p, MGM_PROTOCOL_STATE_HELD, until);
	}
	mutex_unlock(&mn->lock);
	return p ? 0 : -ENOENT;
}

/*
 * The same protocol and component registered again while held: it has its
 * standing answers back, and all it holds is stale until it confirms it.
 */
int mgm_protocol_resync(struct net *net, u32 handle, unsigned long until)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	struct mgm_if *ifp;
	int bkt, err;

	err = mgm_lock_excl(mn, NULL);
	if (err)
		return err;
	p = mgm_protocol_get(mn, handle, NULL);
	err = -ENOENT;
	if (!p)
		goto unlock;
	err = -EBUSY;
	if (p->state != MGM_PROTOCOL_STATE_HELD)
		goto unlock;
	hash_for_each(mn->ifs, bkt, ifp, node) {
		if (mgm_if_owner(mn, ifp) == p)
			WRITE_ONCE(ifp->owner_stale, true);
		else if (mgm_if_igmp(mn, ifp) == p)
			WRITE_ONCE(ifp->igmp_stale, true);
		else
			continue;
		mgm_if_mark_members(ifp, p);
	}
	WRITE_ONCE(p->answers, p->held_answers);
	mgm_protocol_set_state(mn, p, MGM_PROTOCOL_STATE_RESYNC, until);
	err = 0;
unlock:
	mutex_unlock(&mn->lock);
	return err;
}

/*
 * What a resync did not confirm goes as a release-interface or a
 * delete-membership of it would.  @until: 0 for a resync-end request, or
 * the deadline of the resync the hold work ends.
 */
int mgm_protocol_resync_end(struct net *net, u32 handle, unsigned long until,
			    struct netlink_ext_ack *extack)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct hlist_node *tmp;
	struct mgm_protocol *p;
	struct mgm_if *ifp;
	int bkt, err;

	err = mgm_lock_excl(mn, extack);
	if (err)
		return err;
	err = -ENOENT;
	p = mgm_protocol_get(mn, handle, extack);
	if (!p)
		goto unlock;
	err = -EINVAL;
	/* with @until, only the resync that ends then (not a later one) */
	if (p->state != MGM_PROTOCOL_STATE_RESYNC ||
	    (until && p->state_until != until)) {
		NL_SET_ERR_MSG_MOD(extack, "handle: the registration is not resyncing");
		goto unlock;
	}
	hash_for_each_safe(mn->ifs, bkt, tmp, ifp, node) {
		if (mgm_if_owner(mn, ifp) == p) {
			if (ifp->owner_stale)
				mgm_if_release_owner(mn, ifp);
			else
				mgm_if_drop_stale_members(mn, ifp, p);
		} else if (mgm_if_igmp(mn, ifp) == p) {
			if (ifp->igmp_stale)
				mgm_if_release_igmp(mn, ifp);
			else
				mgm_if_drop_stale_members(mn, ifp, p);
		}
	}
	mgm_protocol_set_state(mn, p, MGM_PROTOCOL_STATE_ACTIVE, 0);
	err = 0;
unlock:
	mutex_unlock(&mn->lock);
	return err;
}

/* ---- netdevs that go away, and the netns ------------------------------- */

/* Queued by mgm_main.c's netdev notifier, which runs under RTNL. */
static void mgm_netdev_work(struct work_struct *work)
{
	struct mgm_net *mn = container_of(work, struct mgm_net, netdev_work);

	mutex_lock(&mn->lock);
	mgm_walk_wait(mn);
	mgm_netdevs_gone(mn);
	mutex_unlock(&mn->lock);
}

void mgm_protocol_net_init(struct mgm_net *mn)
{
	xa_init_flags(&mn->protocols, XA_FLAGS_ALLOC1);
	xa_init(&mn->ifindex_records);
	hash_init(mn->ifs);
	INIT_WORK(&mn->netdev_work, mgm_netdev_work);
}

/*
 * Protocols still registered get the full shutdown sequence, callbacks
 * too; the netns is dead after it.  No netdev work may be queued any more
 * (mn->netdevs_closed): this exit releases every record itself.
 */
void mgm_protocol_net_exit(struct mgm_net *mn)
{
	struct mgm_protocol *p;
	unsigned long idx;

	cancel_work_sync(&mn->netdev_work);
	mutex_lock(&mn->lock);
	mgm_walk_wait(mn);
	xa_for_each(&mn->protocols, idx, p)
		mgm_shutdown_locked(mn, p);
	mn->dead = true;
	WARN_ON_ONCE(!hash_empty(mn->ifs));
	WARN_ON_ONCE(!xa_empty(&mn->ifindex_records));
	xa_destroy(&mn->protocols);
	mutex_unlock(&mn->lock);
}
