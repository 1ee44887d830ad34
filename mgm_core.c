// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast Group Manager core: the per-netns lock and the walks that let
 * go of it, lookups, and the dispatch of callbacks to protocols, events to
 * the monitor and MFEs to the forwarder.  The files above it (protocols,
 * memberships, MFEs) change the state; the netlink family and the ipmr
 * forwarder plug in through the ops that mgm_main.c sets, so this file
 * includes neither.
 *
 * Locking: every change runs under the per-netns mutex mn->lock, and so do
 * the callbacks into protocols.  Readers (netlink dumps, lookups) use RCU:
 * records are published with rcu_assign_pointer()/hash_add_rcu() and freed
 * with kfree_rcu().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <kunit/visibility.h>

#include "mgm_core.h"

static const struct mgm_monitor_ops *mgm_monitor;
static const struct mgm_forwarder_ops *mgm_fwd;

void mgm_set_monitor(const struct mgm_monitor_ops *ops)
{
	WRITE_ONCE(mgm_monitor, ops);
}

void mgm_set_forwarder(const struct mgm_forwarder_ops *ops)
{
	/* MGM's tables hold IPv4 entries only */
	if (WARN_ON_ONCE(ops && ops->family != AF_INET))
		return;
	WRITE_ONCE(mgm_fwd, ops);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_set_forwarder);

const struct mgm_forwarder_ops *mgm_get_forwarder(void)
{
	return READ_ONCE(mgm_fwd);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_get_forwarder);

int mgm_fwd_if_add(struct mgm_net *mn, u32 ifindex,
		   struct netlink_ext_ack *extack)
{
	const struct mgm_forwarder_ops *fwd = READ_ONCE(mgm_fwd);

	return fwd ? fwd->if_add(mn, ifindex, extack) : 0;
}

void mgm_fwd_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone)
{
	const struct mgm_forwarder_ops *fwd = READ_ONCE(mgm_fwd);

	if (fwd)
		fwd->if_del(mn, ifindex, dev_gone);
}

void mgm_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
	       const struct mgm_if *ifp)
{
	const struct mgm_monitor_ops *ops = READ_ONCE(mgm_monitor);

	if (ops)
		ops->event(mn, cmd, p, ifp ? ifp->ifindex : 0,
			   ifp ? ifp->nexthop : 0);
}

void mgm_member_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
		      const struct mgm_sg *sg, const struct mgm_if *ifp)
{
	const struct mgm_monitor_ops *ops = READ_ONCE(mgm_monitor);

	if (ops && ops->member_event)
		ops->member_event(mn, cmd, p, sg, ifp->ifindex, ifp->nexthop);
}

void mgm_mfe_event(struct mgm_net *mn, u8 cmd, const struct mgm_mfe *mfe)
{
	const struct mgm_monitor_ops *ops = READ_ONCE(mgm_monitor);

	if (ops && ops->mfe_event)
		ops->mfe_event(mn, cmd, mfe);
}

void mgm_limits_event(struct mgm_net *mn)
{
	const struct mgm_monitor_ops *ops = READ_ONCE(mgm_monitor);

	if (ops && ops->limits_event)
		ops->limits_event(mn);
}

void mgm_notify_flush(void)
{
	const struct mgm_monitor_ops *ops = READ_ONCE(mgm_monitor);

	if (ops && ops->flush)
		ops->flush();
}

/*
 * Callbacks run under mn->lock.  Remember which task runs one, so that a
 * call back into MGM from inside it fails instead of deadlocking.
 */
void mgm_callback_enter(struct mgm_net *mn)
{
	WRITE_ONCE(mn->cb_task, current);
}

void mgm_callback_exit(struct mgm_net *mn)
{
	WRITE_ONCE(mn->cb_task, NULL);
}

int mgm_lock_slow(struct mgm_net *mn, struct netlink_ext_ack *extack,
		  unsigned long caller)
{
	if (READ_ONCE(mn->cb_task) == current) {
		pr_warn_once("%pS called MGM from inside an MGM callback; refused with -EDEADLK\n",
			     (void *)caller);
		NL_SET_ERR_MSG_MOD(extack,
				   "MGM may not be called from inside an MGM callback");
		return -EDEADLK;
	}
	mutex_lock(&mn->lock);
	if (mn->dead) {
		mutex_unlock(&mn->lock);
		NL_SET_ERR_MSG_MOD(extack, "the network namespace is going away");
		return -ENODEV;
	}
	return 0;
}

/* Called with mn->lock held; may let go of it and take it again. */
void mgm_walk_wait(struct mgm_net *mn)
{
	lockdep_assert_held(&mn->lock);
	while (mn->walker && mn->walker != current) {
		mutex_unlock(&mn->lock);
		wait_event(mn->walk_wait, !READ_ONCE(mn->walker));
		mutex_lock(&mn->lock);
	}
}

void mgm_walk_break(struct mgm_net *mn, unsigned int *n)
{
	lockdep_assert_held(&mn->lock);
	if (++*n < MGM_BATCH)
		return;
	*n = 0;
	WRITE_ONCE(mn->walker, current);
	mn->walk_breaks++;
	mutex_unlock(&mn->lock);
	cond_resched();
	mutex_lock(&mn->lock);
}

void mgm_walk_end(struct mgm_net *mn)
{
	lockdep_assert_held(&mn->lock);
	if (mn->walker != current)
		return;
	WRITE_ONCE(mn->walker, NULL);
	wake_up_all(&mn->walk_wait);
}

void mgm_join_alert(struct mgm_net *mn, struct mgm_protocol *p,
		    const struct mgm_sg *sg, bool member_update)
{
	if (!p->ops->join_alert)
		return;
	mgm_callback_enter(mn);
	p->ops->join_alert(p->priv, sg, member_update);
	mgm_callback_exit(mn);
}

/*
 * A membership-level prune alert: its timeout means nothing (mgm.rst, "Table
 * P").
 */
void mgm_prune_alert(struct mgm_net *mn, struct mgm_protocol *p,
		     const struct mgm_sg *sg, u32 ifindex, __be32 nexthop)
{
	u32 unused = 0;

	if (!p->ops->prune_alert)
		return;
	mgm_callback_enter(mn);
	p->ops->prune_alert(p->priv, sg, ifindex, nexthop, true, &unused, 0);
	mgm_callback_exit(mn);
}

/* ---- lookups ---------------------------------------------------------- */

struct mgm_protocol *mgm_protocol_lookup_rcu(struct mgm_net *mn, u32 handle)
{
	return xa_load(&mn->protocols, handle);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_protocol_lookup_rcu);

struct mgm_protocol *mgm_protocol_get(struct mgm_net *mn, u32 handle,
				      struct netlink_ext_ack *extack)
{
	struct mgm_protocol *p;

	lockdep_assert_held(&mn->lock);
	p = handle ? xa_load(&mn->protocols, handle) : NULL;
	if (!p)
		NL_SET_ERR_MSG_MOD(extack,
				   "handle: no such registration (never registered or deregistered)");
	return p;
}

struct mgm_if *mgm_if_lookup_rcu(struct mgm_net *mn, u32 ifindex,
				 __be32 nexthop)
{
	struct mgm_if *ifp;

	hash_for_each_possible_rcu(mn->ifs, ifp, node, ifindex,
				   lockdep_is_held(&mn->lock))
		if (ifp->ifindex == ifindex && ifp->nexthop == nexthop)
			return ifp;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_if_lookup_rcu);

/*
 * Take @index out of @mt, which must not fail: the caller frees the entry
 * next, and readers would still find it in the tree.  mtree_erase() gives
 * up when the tree needs a node it cannot allocate (a store of NULL may
 * split or rebalance), and leaves the entry in place; here the allocation
 * waits for memory instead (a maple node is 256 bytes).
 */
void mgm_mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	int err;

	mtree_lock(mt);
	err = mas_store_gfp(&mas, NULL, GFP_KERNEL | __GFP_NOFAIL);
	mtree_unlock(mt);
	WARN_ON_ONCE(err);
}
