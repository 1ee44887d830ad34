// SPDX-License-Identifier: GPL-2.0
/*
 * The module and its network namespaces: per-netns state is created and
 * torn down here, the netdev notifier hands netdevs that go away to
 * mgm_protocol.c, and module init plugs the ipmr forwarder and the netlink
 * family into the core.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_igmp.h"
#include "mgm_ipmr.h"
#include "mgm_member.h"
#include "mgm_mfe.h"
#include "mgm_netlink.h"
#include "mgm_newsrc.h"
#include "mgm_protocol.h"
#include "mgm_route.h"

static unsigned int mgm_net_id __read_mostly;
static struct workqueue_struct *mgm_wq;

struct mgm_net *mgm_pernet(const struct net *net)
{
	return net_generic(net, mgm_net_id);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_pernet);

struct workqueue_struct *mgm_workqueue(void)
{
	return mgm_wq;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_workqueue);

static int mgm_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mgm_net *mn = mgm_pernet(dev_net(dev));

	/* called under RTNL, as netdevs_closed is set */
	if (event == NETDEV_UNREGISTER && mn && !mn->netdevs_closed)
		queue_work(mgm_wq, &mn->netdev_work);
	return NOTIFY_DONE;
}

static struct notifier_block mgm_netdev_notifier = {
	.notifier_call = mgm_netdev_event,
};

/* ---- network namespaces and the module ---------------------------------- */

static int __net_init mgm_net_init(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);
	int err;

	mn->net = net;
	mutex_init(&mn->lock);
	init_waitqueue_head(&mn->walk_wait);
	mgm_limits_init(&mn->limits);
	mn->upcall_tokens = mn->limits.upcalls;
	mgm_protocol_net_init(mn);
	mgm_mfe_net_init(mn);
	err = mgm_member_net_init(mn);
	if (err)
		return err;
	err = mgm_newsrc_net_init(mn);
	if (err)
		goto member_exit;
	err = mgm_route_net_init(mn);
	if (err)
		goto newsrc_exit;
	return 0;

newsrc_exit:
	mgm_newsrc_net_exit(mn);
member_exit:
	mgm_member_net_exit(mn);
	return err;
}

static void __net_exit mgm_net_exit(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);

	mgm_route_net_exit(mn);
	/*
	 * The netns's netdevs are unregistered after this exit (a device
	 * op): their events must not queue work on what is freed then.
	 */
	rtnl_lock();
	mn->netdevs_closed = true;
	rtnl_unlock();
	mgm_protocol_net_exit(mn);
	/* the timer work takes the lock: stopped outside it */
	mgm_mfe_net_exit(mn);
	mgm_newsrc_net_exit(mn);
	mgm_member_net_exit(mn);
}

static struct pernet_operations mgm_net_ops = {
	.init = mgm_net_init,
	.exit = mgm_net_exit,
	.id = &mgm_net_id,
	.size = sizeof(struct mgm_net),
};

static int __init mgm_init(void)
{
	int err;

	/*
	 * Not ordered: the work of one netns (a protocol's slow callback, a
	 * long expiry run) must not hold up the timers, route changes and
	 * netdev cleanup of the others.  Each work item takes its own
	 * netns's lock, and a work item never runs twice at once.
	 */
	err = mgm_mfe_cache_init();
	if (err)
		return err;
	mgm_wq = alloc_workqueue("mgm", WQ_UNBOUND, 0);
	if (!mgm_wq) {
		err = -ENOMEM;
		goto destroy_caches;
	}
	/*
	 * A device op: when a netns goes, its exit runs before the netdevs
	 * are unregistered, so the interface records let go of their netdevs
	 * without the netdev work.  That work may not run then: while mgm
	 * unloads, its notifier is gone and unregister_pernet waits for the
	 * netns cleanup, which would wait for the netdevs MGM holds.
	 */
	err = register_pernet_device(&mgm_net_ops);
	if (err)
		goto destroy_wq;
	err = mgm_ipmr_init();
	if (err)
		goto unregister_pernet;
	err = register_netdevice_notifier(&mgm_netdev_notifier);
	if (err)
		goto ipmr_exit;
	/* after MGM's pernet ops: the IGMP component's exit runs first */
	err = mgm_igmp_init();
	if (err)
		goto unregister_notifier;
	err = mgm_netlink_init();
	if (err)
		goto igmp_exit;
	return 0;

igmp_exit:
	mgm_igmp_exit();
unregister_notifier:
	unregister_netdevice_notifier(&mgm_netdev_notifier);
ipmr_exit:
	mgm_ipmr_exit();
unregister_pernet:
	unregister_pernet_device(&mgm_net_ops);
destroy_wq:
	destroy_workqueue(mgm_wq);
	rcu_barrier();
destroy_caches:
	mgm_mfe_cache_exit();
	return err;
}

/*
 * Netlink goes first so no request arrives while namespaces are torn down;
 * rcu_barrier() keeps kfree_rcu() work from outliving the module text,
 * and the MFEs' call_rcu() frees from outliving their cache.
 */
static void __exit mgm_exit(void)
{
	mgm_netlink_exit();
	mgm_igmp_exit();
	unregister_netdevice_notifier(&mgm_netdev_notifier);
	mgm_ipmr_exit();
	unregister_pernet_device(&mgm_net_ops);
	destroy_workqueue(mgm_wq);
	rcu_barrier();
	mgm_mfe_cache_exit();
}

module_init(mgm_init);
module_exit(mgm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multicast Group Manager: several multicast routing protocols on one router");
MODULE_AUTHOR("The mgm developers");
MODULE_ALIAS_GENL_FAMILY(MGM_FAMILY_NAME);
#ifdef MGM_VERSION
MODULE_VERSION(MGM_VERSION);
#endif
