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
/* The longest MFE lifetime a prune reply may ask for: a day, in seconds. */
#define MGM_TIMEOUT_MAX		86400
/* The most interfaces (MGM_A_OIF) one creation reply may name. */
#define MGM_REPLY_OIFS_MAX	1024

#define MGM_FLAG_JOIN_STATE	0x1	/* receivers: update every matching MFE */
#define MGM_FLAG_FORWARD_STATE	0x2	/* this interface in these MFEs, or not */

/*
 * Standing answers (MGM_A_ANSWERS): the questions a protocol answers the
 * same way every time, so that MGM does not ask them (no round trip; a
 * burst of new sources is set up at once).  RPF: the route lookup's
 * interface; CREATION: every interface asked about enabled; PRUNE: the
 * default lifetime (the prune alert still comes, with cookie 0).
 */
#define MGM_ANSWER_RPF		0x1
#define MGM_ANSWER_CREATION	0x2
#define MGM_ANSWER_PRUNE	0x4

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
 * @MGM_A_SOURCE: u32 (network byte order), source address; 0: any source
 * @MGM_A_SOURCE_MASK: u32 (network byte order), 255.255.255.255 for a
 *	source, 0 for any source; absent means "derived from MGM_A_SOURCE"
 * @MGM_A_GROUP: u32 (network byte order), multicast group; 0: any group
 * @MGM_A_GROUP_MASK: u32 (network byte order), as MGM_A_SOURCE_MASK
 * @MGM_A_FLAGS: u32, MGM_FLAG_JOIN_STATE and/or MGM_FLAG_FORWARD_STATE
 * @MGM_A_UPSTREAM: u32 (network byte order), upstream neighbour of an MFE
 * @MGM_A_IIF: u32, incoming interface of an MFE (0: no route to the source)
 * @MGM_A_IIF_NEXTHOP: u32 (network byte order), next hop of that interface
 * @MGM_A_IIF_PROTOCOL: u32, protocol id of the incoming interface's owner
 * @MGM_A_ROUTE_PREFIX: u32 (network byte order), the route toward the
 *	source that chose the incoming interface
 * @MGM_A_ROUTE_PREFIX_LEN: u8, its prefix length
 * @MGM_A_ROUTE_PROTOCOL: u8, its routing protocol (RTPROT_*)
 * @MGM_A_UPTIME: u32, seconds since the MFE was made
 * @MGM_A_EXPIRY: u32, seconds until it goes; 0: it does not age
 * @MGM_A_TIMEOUT: u32, seconds: the MFE's lifetime; in a prune reply, the
 *	lifetime the protocol wants for it, at most %MGM_TIMEOUT_MAX (0: the
 *	MFE does not age)
 * @MGM_A_OIF: nested, enum mgm_oif_attrs; repeated, one per interface of
 *	an MFE's outgoing list or of a creation alert
 * @MGM_A_PKTS: u64, packets that matched the MFE and were forwarded
 * @MGM_A_BYTES: u64, their bytes
 * @MGM_A_WRONG_IF: u64, packets of the MFE that arrived on another interface
 * @MGM_A_PAD: padding for 64-bit attributes
 * @MGM_A_COOKIE: u64, names a question (rpf, creation alert, prune alert)
 *	that the protocol answers with the matching reply command
 * @MGM_A_MEMBER_UPDATE: flag, join alert: caused by a membership change
 *	(absent: by a change of an MFE's outgoing list)
 * @MGM_A_MEMBER_DELETE: flag, prune alert: caused by a membership delete
 *	(absent: an MFE's outgoing list became empty; then MGM_A_COOKIE asks
 *	for the MFE's lifetime)
 * @MGM_A_ENUM_TYPE: u32, enum mgm_enum_type of a group dump
 * @MGM_A_STATS: flag, in an MFE request: add the forwarder's counters
 * @MGM_A_PACKET: binary, the start of the packet (IP header first) that
 *	caused an rpf question or a wrong-interface notification
 * @MGM_A_LIMITS: nested, enum mgm_limit_attrs: how much state the network
 *	namespace may hold
 * @MGM_A_USAGE: nested, enum mgm_limit_attrs: how much it holds (for the
 *	per-protocol and per-interface limits: the fullest one)
 * @MGM_A_COUNTERS: nested, enum mgm_counter_attrs: what the limits turned
 *	away
 * @MGM_A_ANSWERS: u32, MGM_ANSWER_*: the standing answers of a protocol
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
	MGM_A_SOURCE,
	MGM_A_SOURCE_MASK,
	MGM_A_GROUP,
	MGM_A_GROUP_MASK,
	MGM_A_FLAGS,
	MGM_A_UPSTREAM,
	MGM_A_IIF,
	MGM_A_IIF_NEXTHOP,
	MGM_A_IIF_PROTOCOL,
	MGM_A_ROUTE_PREFIX,
	MGM_A_ROUTE_PREFIX_LEN,
	MGM_A_ROUTE_PROTOCOL,
	MGM_A_UPTIME,
	MGM_A_EXPIRY,
	MGM_A_TIMEOUT,
	MGM_A_OIF,
	MGM_A_PKTS,
	MGM_A_BYTES,
	MGM_A_WRONG_IF,
	MGM_A_PAD,
	MGM_A_COOKIE,
	MGM_A_MEMBER_UPDATE,
	MGM_A_MEMBER_DELETE,
	MGM_A_ENUM_TYPE,
	MGM_A_STATS,
	MGM_A_PACKET,
	MGM_A_LIMITS,
	MGM_A_USAGE,
	MGM_A_COUNTERS,
	MGM_A_ANSWERS,

	__MGM_A_MAX,
	MGM_A_MAX = __MGM_A_MAX - 1
};

/**
 * enum mgm_oif_attrs - one interface in MGM_A_OIF
 * @MGM_OIF_A_IFINDEX: u32
 * @MGM_OIF_A_NEXTHOP: u32 (network byte order)
 * @MGM_OIF_A_IGMP: flag, in a creation alert: IGMP runs on the interface
 * @MGM_OIF_A_DISABLED: flag, in a creation reply: do not forward there
 */
enum mgm_oif_attrs {
	MGM_OIF_A_UNSPEC,
	MGM_OIF_A_IFINDEX,
	MGM_OIF_A_NEXTHOP,
	MGM_OIF_A_IGMP,
	MGM_OIF_A_DISABLED,

	__MGM_OIF_A_MAX,
	MGM_OIF_A_MAX = __MGM_OIF_A_MAX - 1
};

/**
 * enum mgm_limit_attrs - the limits of a network namespace, u32 each
 * @MGM_LIMIT_A_MFES: MFEs; a new source past it is dropped, unless an MFE
 *	that forwards nothing can go to make room
 * @MGM_LIMIT_A_PENDING: new sources whose MFE is being decided
 * @MGM_LIMIT_A_QUESTIONS: questions open per protocol; past it MGM takes
 *	the default answer without asking
 * @MGM_LIMIT_A_MEMBERS: memberships per protocol (-ENOSPC past it)
 * @MGM_LIMIT_A_PROTOCOLS: registrations (-ENOSPC past it)
 * @MGM_LIMIT_A_NEXTHOPS: interfaces (next hops) per ifindex (-ENOSPC)
 * @MGM_LIMIT_A_UPCALLS: new sources and wrong-interface packets handled per
 *	second (and as a burst); those past it are dropped
 */
enum mgm_limit_attrs {
	MGM_LIMIT_A_UNSPEC,
	MGM_LIMIT_A_MFES,
	MGM_LIMIT_A_PENDING,
	MGM_LIMIT_A_QUESTIONS,
	MGM_LIMIT_A_MEMBERS,
	MGM_LIMIT_A_PROTOCOLS,
	MGM_LIMIT_A_NEXTHOPS,
	MGM_LIMIT_A_UPCALLS,

	__MGM_LIMIT_A_MAX,
	MGM_LIMIT_A_MAX = __MGM_LIMIT_A_MAX - 1
};

/**
 * enum mgm_counter_attrs - what the limits turned away, u64 each
 * @MGM_COUNTER_A_PAD: padding
 * @MGM_COUNTER_A_NEW_SOURCE_DROPS: new sources dropped: pending at its limit
 * @MGM_COUNTER_A_MFE_DROPS: new sources dropped: MFEs at their limit
 * @MGM_COUNTER_A_NEGATIVE_EVICTIONS: MFEs that forwarded nothing, deleted
 *	to make room for a new one
 * @MGM_COUNTER_A_QUESTION_DROPS: questions not asked (the default taken)
 * @MGM_COUNTER_A_PROTOCOL_REFUSALS: registrations refused
 * @MGM_COUNTER_A_MEMBER_REFUSALS: memberships refused
 * @MGM_COUNTER_A_NEXTHOP_REFUSALS: interfaces refused
 * @MGM_COUNTER_A_WRONG_IF_DROPS: wrong-interface reports not passed on
 *	(at most one per second per source, group and interface)
 * @MGM_COUNTER_A_UPCALL_DROPS: new sources and wrong-interface packets
 *	dropped past the upcalls rate
 * @MGM_COUNTER_A_QUESTION_OVERRUNS: questions lost on the way to their
 *	protocol (its socket full): the default taken at once
 */
enum mgm_counter_attrs {
	MGM_COUNTER_A_UNSPEC,
	MGM_COUNTER_A_PAD,
	MGM_COUNTER_A_NEW_SOURCE_DROPS,
	MGM_COUNTER_A_MFE_DROPS,
	MGM_COUNTER_A_NEGATIVE_EVICTIONS,
	MGM_COUNTER_A_QUESTION_DROPS,
	MGM_COUNTER_A_PROTOCOL_REFUSALS,
	MGM_COUNTER_A_MEMBER_REFUSALS,
	MGM_COUNTER_A_NEXTHOP_REFUSALS,
	MGM_COUNTER_A_WRONG_IF_DROPS,
	MGM_COUNTER_A_UPCALL_DROPS,
	MGM_COUNTER_A_QUESTION_OVERRUNS,

	__MGM_COUNTER_A_MAX,
	MGM_COUNTER_A_MAX = __MGM_COUNTER_A_MAX - 1
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
 * @MGM_CMD_ADD_MEMBERSHIP: %MGM_A_HANDLE reports receivers: (%MGM_A_SOURCE,
 *	%MGM_A_GROUP) with their masks on (%MGM_A_IFINDEX, %MGM_A_NEXTHOP),
 *	%MGM_A_FLAGS. Only (S,G), (*,G), (*,*); -EPERM on an interface of
 *	another protocol, -ENOENT on one nobody owns, -EAGAIN for IGMP between
 *	disable and enable. A duplicate changes nothing.
 * @MGM_CMD_DELETE_MEMBERSHIP: the reverse; -ENOENT if there is no such
 *	membership.
 * @MGM_CMD_SET_MFE: set %MGM_A_UPSTREAM of the MFE (%MGM_A_SOURCE,
 *	%MGM_A_GROUP); -ENOENT if there is none.
 * @MGM_CMD_GET_MFE: do: the MFE of (%MGM_A_SOURCE, %MGM_A_GROUP); dump:
 *	every MFE, sorted by group then source. %MGM_A_STATS adds counters.
 * @MGM_CMD_GET_GROUP: dump the membership keys, router-wide, sorted;
 *	%MGM_A_ENUM_TYPE chooses one entry per group or every key.
 * @MGM_CMD_RPF: question to the owner of an MFE's incoming interface:
 *	%MGM_A_COOKIE, %MGM_A_SOURCE, %MGM_A_GROUP, %MGM_A_IIF,
 *	%MGM_A_IIF_NEXTHOP, %MGM_A_UPSTREAM, the route, %MGM_A_PACKET.
 * @MGM_CMD_RPF_REPLY: its answer: %MGM_A_HANDLE, %MGM_A_COOKIE, and the
 *	incoming interface (one of the protocol's own) and upstream it wants.
 * @MGM_CMD_CREATION_ALERT: question to each protocol that owns candidate
 *	outgoing interfaces of a new MFE: %MGM_A_COOKIE, the (S,G), the IIF,
 *	one %MGM_A_OIF per candidate.
 * @MGM_CMD_CREATION_REPLY: its answer: %MGM_A_HANDLE, %MGM_A_COOKIE, an
 *	%MGM_A_OIF with %MGM_OIF_A_DISABLED for each interface not to use,
 *	at most %MGM_REPLY_OIFS_MAX of them (those left out stay enabled).
 * @MGM_CMD_PRUNE_ALERT: receivers went away elsewhere (the (S,G) with
 *	masks, %MGM_A_IFINDEX, %MGM_A_NEXTHOP, %MGM_A_MEMBER_DELETE); without
 *	%MGM_A_MEMBER_DELETE it carries %MGM_A_COOKIE and %MGM_A_TIMEOUT.
 * @MGM_CMD_PRUNE_REPLY: %MGM_A_HANDLE, %MGM_A_COOKIE, %MGM_A_TIMEOUT: how
 *	long the MFE stays.
 * @MGM_CMD_JOIN_ALERT: new receivers elsewhere: the (S,G) with masks,
 *	%MGM_A_MEMBER_UPDATE.
 * @MGM_CMD_WRONG_IF: a packet of (%MGM_A_SOURCE, %MGM_A_GROUP) arrived on
 *	(%MGM_A_IFINDEX, %MGM_A_NEXTHOP), not the MFE's incoming interface.
 * @MGM_CMD_LOCAL_JOIN: IGMP found receivers on the protocol's interface.
 * @MGM_CMD_LOCAL_LEAVE: IGMP found no more receivers there.
 * @MGM_CMD_MEMBERSHIP_NEW: monitor event, a membership was added.
 * @MGM_CMD_MEMBERSHIP_DEL: monitor event, a membership was deleted.
 * @MGM_CMD_MFE_NEW: monitor event, an MFE was made.
 * @MGM_CMD_MFE_CHANGE: monitor event, an MFE's outgoing list changed.
 * @MGM_CMD_MFE_DEL: monitor event, an MFE went.
 * @MGM_CMD_GET_STATS: the network namespace's %MGM_A_LIMITS, %MGM_A_USAGE
 *	and %MGM_A_COUNTERS.
 * @MGM_CMD_SET_LIMITS: set the limits given in %MGM_A_LIMITS (each at
 *	least 1; those absent stay).  Lowering one disturbs nothing already
 *	there; raising one needs CAP_NET_ADMIN in the initial user namespace
 *	(-EPERM naming it otherwise).
 * @MGM_CMD_LIMITS_HIT: monitor event, a limit turned something away:
 *	%MGM_A_COUNTERS; at most one a second.
 * @MGM_CMD_SET_ANSWERS: %MGM_A_HANDLE's standing answers are %MGM_A_ANSWERS
 *	from now on (0: every question is asked); questions already asked
 *	still wait for their answer.
 *
 * The notifications to a protocol are unicast to the socket that
 * registered it; every question has a deadline (module parameter
 * reply_timeout_ms) after which MGM keeps its default: the route lookup's
 * incoming interface, every interface enabled, the default lifetime. Each
 * notification to a protocol is also copied to the "monitor" multicast
 * group, which also carries the events above.  Joining it needs
 * CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (the questions' cookies answer them).
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
	MGM_CMD_ADD_MEMBERSHIP,
	MGM_CMD_DELETE_MEMBERSHIP,
	MGM_CMD_SET_MFE,
	MGM_CMD_GET_MFE,
	MGM_CMD_GET_GROUP,
	MGM_CMD_RPF,
	MGM_CMD_RPF_REPLY,
	MGM_CMD_CREATION_ALERT,
	MGM_CMD_CREATION_REPLY,
	MGM_CMD_PRUNE_ALERT,
	MGM_CMD_PRUNE_REPLY,
	MGM_CMD_JOIN_ALERT,
	MGM_CMD_WRONG_IF,
	MGM_CMD_LOCAL_JOIN,
	MGM_CMD_LOCAL_LEAVE,
	MGM_CMD_MEMBERSHIP_NEW,
	MGM_CMD_MEMBERSHIP_DEL,
	MGM_CMD_MFE_NEW,
	MGM_CMD_MFE_CHANGE,
	MGM_CMD_MFE_DEL,
	MGM_CMD_GET_STATS,
	MGM_CMD_SET_LIMITS,
	MGM_CMD_SET_ANSWERS,
	MGM_CMD_LIMITS_HIT,

	__MGM_CMD_MAX,
	MGM_CMD_MAX = __MGM_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_MGM_H */
