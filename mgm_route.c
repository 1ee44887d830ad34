// SPDX-License-Identifier: GPL-2.0
/*
 * Route changes toward the sources of MFEs (spec Q15): a FIB notifier per
 * network namespace hears of IPv4 unicast route, rule and next-hop changes,
 * and a work item then runs the RPF check of the MFEs again; mgm_mfe.c moves
 * those whose route moved, at once and in place.
 *
 * The notifier runs in atomic context, under RTNL, for every route of the
 * namespace (and for all of them when it registers): it only queues the work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <net/fib_notifier.h>
#include <kunit/visibility.h>

#include "mgm_core.h"

/*
 * A burst of route changes (a routing daemon installing a table) makes one
 * pass per period, not one per route.
 */
#define MGM_ROUTE_DELAY		(HZ / 10)

/*
 * Which MFEs a route change concerns is a longest-prefix question per
 * source, and one route may be the best one toward any number of sources;
 * so every MFE (and every (S,G) membership key without one) is looked at,
 * one FIB lookup each.  That is affordable because it happens once per
 * MGM_ROUTE_DELAY at most, however many routes changed, and an entry whose
 * lookup did not change costs nothing more.  Called with mn->lock held,
 * which it lets go of between batches (mgm_lock_break()): each entry is
 * moved on its own, and what changed meanwhile is looked at where the walk
 * is not yet, or by the next pass.
 */
static void mgm_route_rescan(struct mgm_net *mn)
{
	unsigned long index = 0;
	struct mgm_mfe *mfe;
	unsigned int n = 0;

	lockdep_assert_held(&mn->lock);
	mgm_newsrcs_reroute(mn);
	/* mt_find() moved the index past the entry, which may be gone now */
	for (mfe = mt_find(&mn->mfes, &index, ULONG_MAX); mfe;
	     mfe = mt_find_after(&mn->mfes, &index, ULONG_MAX)) {
		mgm_mfe_reroute(mn, mfe);
		if (!mgm_lock_break(mn, &n))
			return;
	}
	mgm_members_reroute(mn);
}

void mgm_run_reroute(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);

	mutex_lock(&mn->lock);
	mgm_route_rescan(mn);
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_run_reroute);

static void mgm_route_work(struct work_struct *work)
{
	struct mgm_net *mn = container_of(to_delayed_work(work), struct mgm_net,
					  route_work);

	/*
	 * A deletion is notified before the route leaves the table, under
	 * RTNL: once RTNL is free, the lookups see the table after the change.
	 * Not held with mn->lock, which comes first.
	 */
	rtnl_lock();
	rtnl_unlock();
	mutex_lock(&mn->lock);
	if (!mn->dead)
		mgm_route_rescan(mn);
	mutex_unlock(&mn->lock);
}

static int mgm_route_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct mgm_net *mn = container_of(nb, struct mgm_net, fib_nb);
	struct fib_notifier_info *info = ptr;

	/* ipmr notifies its own entries too: MGM's, among others */
	if (info->family != AF_INET)
		return NOTIFY_DONE;
	switch (event) {
	case FIB_EVENT_ENTRY_REPLACE:
	case FIB_EVENT_ENTRY_APPEND:
	case FIB_EVENT_ENTRY_ADD:
	case FIB_EVENT_ENTRY_DEL:
	case FIB_EVENT_RULE_ADD:
	case FIB_EVENT_RULE_DEL:
	case FIB_EVENT_NH_ADD:
	case FIB_EVENT_NH_DEL:
		queue_delayed_work(mgm_workqueue(), &mn->route_work,
				   MGM_ROUTE_DELAY);
		break;
	}
	return NOTIFY_DONE;
}

int mgm_route_net_init(struct mgm_net *mn)
{
	INIT_DELAYED_WORK(&mn->route_work, mgm_route_work);
	mn->fib_nb.notifier_call = mgm_route_event;
	return register_fib_notifier(mn->net, &mn->fib_nb, NULL, NULL);
}

void mgm_route_net_exit(struct mgm_net *mn)
{
	unregister_fib_notifier(mn->net, &mn->fib_nb);
	cancel_delayed_work_sync(&mn->route_work);
}
