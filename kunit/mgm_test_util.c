// SPDX-License-Identifier: GPL-2.0
/* Fixtures shared by the KUnit suites: netdevs and cleanup. */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "../mgm_core.h"
#include "../mgm_ipmr.h"
#include "../mgm_mfe.h"
#include "../mgm_protocol.h"
#include "../mgm_route.h"
#include "mgm_test.h"

struct mgm_test_netdev {
	atomic_t tx;
};

static netdev_tx_t mgm_test_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mgm_test_netdev *priv = netdev_priv(dev);

	atomic_inc(&priv->tx);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops mgm_test_netdev_ops = {
	.ndo_start_xmit = mgm_test_xmit,
};

/*
 * A registered, up Ethernet netdev with @ops and @priv_size of private
 * data, at @ifindex (0: the next free one).
 */
static struct net_device *mgm_test_netdev_open_at(const struct net_device_ops *ops,
						  size_t priv_size, int ifindex)
{
	struct net_device *dev = alloc_etherdev(priv_size);
	int err;

	if (!dev)
		return NULL;
	dev->ifindex = ifindex;
	dev->netdev_ops = ops;
	eth_hw_addr_random(dev);
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	rtnl_lock();
	err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err) {
		mgm_test_netdev_free(dev);
		return NULL;
	}
	return dev;
}

struct net_device *mgm_test_netdev_open(const struct net_device_ops *ops,
					size_t priv_size)
{
	return mgm_test_netdev_open_at(ops, priv_size, 0);
}

struct net_device *mgm_test_netdev_new(void)
{
	return mgm_test_netdev_open(&mgm_test_netdev_ops,
				    sizeof(struct mgm_test_netdev));
}

struct net_device *mgm_test_netdev_new_at(int ifindex)
{
	return mgm_test_netdev_open_at(&mgm_test_netdev_ops,
				       sizeof(struct mgm_test_netdev), ifindex);
}

void mgm_test_netdev_free(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

int mgm_test_netdevs_new(struct net_device **devs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		devs[i] = mgm_test_netdev_new();
		if (!devs[i]) {
			mgm_test_netdevs_free(devs, i);
			return -ENOMEM;
		}
	}
	return 0;
}

void mgm_test_netdevs_free(struct net_device **devs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (devs[i])
			mgm_test_netdev_free(devs[i]);
		devs[i] = NULL;
	}
}

unsigned int mgm_test_netdev_tx(struct net_device *dev)
{
	struct mgm_test_netdev *priv = netdev_priv(dev);

	return atomic_read(&priv->tx);
}

void mgm_test_shutdown_all(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	unsigned long idx;
	u32 handle;

	for (;;) {
		idx = 0;
		rcu_read_lock();
		p = xa_find(&mn->protocols, &idx, ULONG_MAX, XA_PRESENT);
		handle = p ? p->handle : 0;
		rcu_read_unlock();
		if (!handle)
			break;
		mgm_shutdown_protocol(net, handle);
	}
}
