/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The "mgm" generic netlink family: the Multicast Group Manager's interface
 * for multicast routing protocols that run in userspace, and for tools.
 *
 * The same family is described by tools/spec/mgm.yaml; the two must agree.
 *
 * Addresses (MGM_A_NEXTHOP) are IPv4 addresses in network byte order.
 * Interfaces are (ifindex, next hop) pairs; the next hop is 0 except on
 * point-to-multipoint links, and a missing MGM_A_NEXTHOP means 0.
 *
 * A registration belongs to the netlink socket that made it: only that
 * socket may use the handle (-EPERM for any other), callbacks for it arrive
 * on that socket as unicast notifications, and when the socket is closed
 * MGM releases every interface the registration owns (with the IGMP
 * disable/enable bracket) and deregisters it.
 *
 * Commands that change state need CAP_NET_ADMIN in the user namespace that
 * owns the network namespace.  Every error carries an extended ack message
 * naming the attribute at fault.
 */
#ifndef _UAPI_LINUX_MGM_H
#define _UAPI_LINUX_MGM_H

#define MGM_FAMILY_NAME		"mgm"
#define MGM_FAMILY_VERSION	1
#define MGM_MCGRP_MONITOR	"monitor"

/* The protocol id of the IGMP component (at most one per netns). */
#define MGM_PROTO_IGMP		10
/* The same component under its RRAS name, PROTOCOL_ID(MCAST, MS1, IGMP). */
#define MGM_PROTO_MS_IGMP	0x4137000A
/* Reserved for MGM itself; a registration with these ids is refused. */
#define MGM_PROTO_MGM		10009
#define MGM_PROTO_MS_MGM	0x81372719

/* Flags of a membership (MGM_A_FLAGS). */
#define MGM_FLAG_JOIN_STATE	0x1	/* receivers: update every matching MFE */
#define MGM_FLAG_FORWARD_STATE	0x2	/* this interface in these MFEs, or not */

/**
 * enum mgm_enum_type - what a group enumeration lists
 * @MGM_ENUM_ANY_SOURCE: each group with a membership once (source 0)
 * @MGM_ENUM_ALL_SOURCES: every membership key: (S,G), (*,G) and (*,*)
 */
enum mgm_enum_type {
	MGM_ENUM_ANY_SOURCE,
	MGM_ENUM_ALL_SOURCES,
};

/**
 * enum mgm_attrs - attributes of the mgm family
 * @MGM_A_HANDLE: u32, a registration handle returned by %MGM_CMD_REGISTER
 * @MGM_A_PROTOCOL_ID: u32, the protocol id (type of routing protocol);
 *	%MGM_PROTO_IGMP marks the IGMP component
 * @MGM_A_COMPONENT_ID: u32, the instance of that protocol
 * @MGM_A_IFINDEX: u32, interface index in the caller's network namespace
 * @MGM_A_NEXTHOP: u32 (network byte order), next hop on a
 *	point-to-multipoint interface, 0 otherwise
 * @MGM_A_IGMP: flag, in interface replies: the IGMP component co-owns it
 * @MGM_A_PORTID: u32, in protocol replies: netlink port id of the socket
 *	that owns the registration, 0 for a protocol inside the kernel
 * @MGM_A_IGMP_HANDLE: u32, in interface replies: handle of the IGMP
 *	component when it co-owns the interface
 * @MGM_A_IGMP_DISABLED: flag, in interface replies: the IGMP component is
 *	between the disable and enable callbacks on this interface
 */
enum mgm_attrs {
	MGM_A_UNSPEC,
	MGM_A_HANDLE,
	MGM_A_PROTOCOL_ID,
	MGM_A_COMPONENT_ID,
	MGM_A_IFINDEX,
	MGM_A_NEXTHOP,
	MGM_A_IGMP,
	MGM_A_PORTID,
	MGM_A_IGMP_HANDLE,
	MGM_A_IGMP_DISABLED,

	__MGM_A_MAX,
	MGM_A_MAX = __MGM_A_MAX - 1
};

/**
 * enum mgm_cmds - commands and notifications of the mgm family
 * @MGM_CMD_REGISTER: register a protocol. Needs %MGM_A_PROTOCOL_ID and
 *	%MGM_A_COMPONENT_ID; the reply carries %MGM_A_HANDLE. -EEXIST if the
 *	pair is registered already, or if an IGMP component exists already.
 * @MGM_CMD_DEREGISTER: deregister %MGM_A_HANDLE. -EBUSY while it still owns
 *	interfaces; afterwards the handle is dead (-ENOENT) for every command.
 * @MGM_CMD_TAKE_INTERFACE: %MGM_A_HANDLE takes ownership of (%MGM_A_IFINDEX,
 *	%MGM_A_NEXTHOP). -ENODEV if there is no such netdev, -EBUSY if another
 *	routing protocol owns it, -EEXIST if the caller owns it already. A
 *	routing protocol taking an interface where IGMP runs brackets the change
 *	with %MGM_CMD_DISABLE_IGMP and %MGM_CMD_ENABLE_IGMP to the IGMP component.
 * @MGM_CMD_RELEASE_INTERFACE: give the interface up: the bracket as above,
 *	every forwarding entry on it deleted. -ENOENT if the caller does not
 *	own it.
 * @MGM_CMD_GET_INTERFACE: do: owner of (%MGM_A_IFINDEX, %MGM_A_NEXTHOP),
 *	-ENOENT if nobody owns it; dump: every owned interface.
 * @MGM_CMD_GET_PROTOCOL: dump every registered protocol.
 * @MGM_CMD_DISABLE_IGMP: notification to the IGMP component: stop changing
 *	memberships on (%MGM_A_IFINDEX, %MGM_A_NEXTHOP) until enabled again.
 * @MGM_CMD_ENABLE_IGMP: notification to the IGMP component: the ownership
 *	change is complete; re-add the memberships on that interface.
 * @MGM_CMD_PROTOCOL_NEW: monitor event, a protocol registered.
 * @MGM_CMD_PROTOCOL_DEL: monitor event, a protocol deregistered.
 * @MGM_CMD_INTERFACE_NEW: monitor event, a protocol took an interface.
 * @MGM_CMD_INTERFACE_DEL: monitor event, a protocol released an interface
 *	(explicitly, at socket close, or because its netdev went away).
 *
 * The IGMP notifications are also sent to the "monitor" multicast group,
 * together with the events above.
 */
enum mgm_cmds {
	MGM_CMD_UNSPEC,
	MGM_CMD_REGISTER,
	MGM_CMD_DEREGISTER,
	MGM_CMD_TAKE_INTERFACE,
	MGM_CMD_RELEASE_INTERFACE,
	MGM_CMD_GET_INTERFACE,
	MGM_CMD_GET_PROTOCOL,
	MGM_CMD_DISABLE_IGMP,
	MGM_CMD_ENABLE_IGMP,
	MGM_CMD_PROTOCOL_NEW,
	MGM_CMD_PROTOCOL_DEL,
	MGM_CMD_INTERFACE_NEW,
	MGM_CMD_INTERFACE_DEL,

	__MGM_CMD_MAX,
	MGM_CMD_MAX = __MGM_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_MGM_H */
