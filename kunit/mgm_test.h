/* SPDX-License-Identifier: GPL-2.0 */
/* Fixtures shared by the KUnit suites. */
#ifndef _MGM_TEST_H
#define _MGM_TEST_H

#include <linux/netdevice.h>

/* A registered, running Ethernet netdev that counts what it transmits. */
struct net_device *mgm_test_netdev_open(const struct net_device_ops *ops,
					size_t priv_size);
struct net_device *mgm_test_netdev_new(void);
/* ... at @ifindex, which must be free */
struct net_device *mgm_test_netdev_new_at(int ifindex);
void mgm_test_netdev_free(struct net_device *dev);
unsigned int mgm_test_netdev_tx(struct net_device *dev);

/* @n of them for a suite, all or none; freeing skips the missing ones. */
int mgm_test_netdevs_new(struct net_device **devs, int n);
void mgm_test_netdevs_free(struct net_device **devs, int n);

/* Shut down every protocol registered in @net, whatever a test left. */
void mgm_test_shutdown_all(struct net *net);

#endif /* _MGM_TEST_H */
