/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocols and the interfaces they own (mgm_protocol.c).
 */
#ifndef _MGM_PROTOCOL_H
#define _MGM_PROTOCOL_H

#include <linux/types.h>

struct mgm_if;
struct mgm_net;
struct net;
struct netlink_ext_ack;

void mgm_protocol_net_init(struct mgm_net *mn);
void mgm_protocol_net_exit(struct mgm_net *mn);
/* Run the shutdown sequence for a protocol: release all, then deregister. */
int mgm_shutdown_protocol(struct net *net, u32 handle);
/* Graceful restart: held at socket close, resynced at register, ended. */
int mgm_protocol_hold(struct net *net, u32 handle, unsigned long until);
int mgm_protocol_resync(struct net *net, u32 handle, unsigned long until);
int mgm_protocol_resync_end(struct net *net, u32 handle, unsigned long until,
			    struct netlink_ext_ack *extack);
/* A record of @ifindex, whatever its next hop; NULL: none. */
struct mgm_if *mgm_ifindex_first(struct mgm_net *mn, u32 ifindex);
/* Records of one ifindex (several next hops) share one forwarder interface. */
bool mgm_ifindex_in_use(struct mgm_net *mn, u32 ifindex);

#endif /* _MGM_PROTOCOL_H */
