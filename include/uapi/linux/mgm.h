/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	tools/spec/mgm.yaml */
/* YNL-GEN uapi header */

/*
 * Multicast Group Manager: multicast routing protocols register, take ownership
 * of interfaces, and MGM arbitrates between them.
 *
 * A registration belongs to the netlink socket that made it: only that socket
 * may use the handle (EPERM for any other), the callbacks of the registration
 * arrive on that socket as unicast notifications, and when the socket is closed
 * MGM releases every interface the registration owns (with the IGMP
 * disable/enable bracket) and deregisters it.
 *
 * Interfaces are (ifindex, next hop) pairs; the next hop is 0 except on
 * point-to-multipoint links, and a missing nexthop means 0.
 *
 * The notifications to a protocol are unicast to the socket that registered it;
 * every question (rpf, creation-alert, prune-alert with a cookie) has a
 * deadline (module parameter reply_timeout_ms) after which MGM keeps its
 * default. Each notification to a protocol is also copied to the monitor group,
 * which also carries the *-new, *-del and mfe-change events. Joining the
 * monitor group needs CAP_NET_ADMIN in the user namespace that owns the network
 * namespace (the questions' cookies answer them).
 *
 * Commands that change state need CAP_NET_ADMIN in the user namespace that owns
 * the network namespace (uns-admin-perm, GENL_UNS_ADMIN_PERM). Errors carry an
 * extended ack naming the attribute at fault.
 */

#ifndef _UAPI_LINUX_MGM_H
#define _UAPI_LINUX_MGM_H

#define MGM_FAMILY_NAME		"mgm"
#define MGM_FAMILY_VERSION	1

/* The protocol id of the IGMP component (at most one per netns). */
#define MGM_PROTO_IGMP		10
/* The IGMP component under its RRAS name, PROTOCOL_ID(MCAST, MS1, IGMP). */
#define MGM_PROTO_MS_IGMP	1094123530
/* Reserved for MGM itself; a registration with it is refused. */
#define MGM_PROTO_MGM		10009
/* Reserved for MGM itself (RRAS name); refused as well. */
#define MGM_PROTO_MS_MGM	2167875353
/* The longest MFE lifetime (seconds) a prune reply may ask for: a day. */
#define MGM_TIMEOUT_MAX		86400
/*
 * The most interfaces (oif) one creation reply may name; those left out stay
 * enabled.
 */
#define MGM_REPLY_OIFS_MAX	1024

/**
 * enum mgm_flag - Flags of a membership (the flags attribute).
 * @MGM_FLAG_JOIN_STATE: Receivers; update every matching MFE.
 * @MGM_FLAG_FORWARD_STATE: This interface in these MFEs, or not.
 */
enum mgm_flag {
	MGM_FLAG_JOIN_STATE = 1,
	MGM_FLAG_FORWARD_STATE = 2,
};

/**
 * enum mgm_answer - Standing answers (the answers attribute): the questions a
 *   protocol answers the same way every time, so that MGM does not ask them.
 * @MGM_ANSWER_RPF: The route lookup's interface.
 * @MGM_ANSWER_CREATION: Every interface asked about enabled.
 * @MGM_ANSWER_PRUNE: The default lifetime; the prune alert still comes, with
 *   cookie 0.
 */
enum mgm_answer {
	MGM_ANSWER_RPF = 1,
	MGM_ANSWER_CREATION = 2,
	MGM_ANSWER_PRUNE = 4,
};

/**
 * enum mgm_enum_type - What a group enumeration lists.
 * @MGM_ENUM_ANY_SOURCE: Each group with a membership once (source 0).
 * @MGM_ENUM_ALL_SOURCES: Every membership key: (S,G), (*,G) and (*,*).
 */
enum mgm_enum_type {
	MGM_ENUM_ANY_SOURCE,
	MGM_ENUM_ALL_SOURCES,
};

/* The longest hold time (seconds) a registration may ask for: an hour. */
#define MGM_HOLD_TIME_MAX	3600

/**
 * enum mgm_protocol_state - Where a registration stands in a graceful restart
 *   (the protocol-state attribute).
 * @MGM_PROTOCOL_STATE_ACTIVE: Its socket is open and everything it holds is
 *   confirmed.
 * @MGM_PROTOCOL_STATE_HELD: Its socket closed with a hold time: its
 *   interfaces, memberships and MFEs stay, and MGM takes the default answers
 *   for it, until the same protocol and component register again or the hold
 *   time ends (then the normal shutdown runs).
 * @MGM_PROTOCOL_STATE_RESYNC: Registered again within the hold time: what it
 *   held is marked stale until confirmed (take-interface, add-membership
 *   again), and what is still stale at resync-end or one more hold time later
 *   is released with the normal sequence.
 */
enum mgm_protocol_state {
	MGM_PROTOCOL_STATE_ACTIVE,
	MGM_PROTOCOL_STATE_HELD,
	MGM_PROTOCOL_STATE_RESYNC,
};

/**
 * enum mgm_attrs - attributes of the mgm family
 * @MGM_A_HANDLE: u32; A registration handle returned by register.
 * @MGM_A_PROTOCOL_ID: u32; The protocol id (type of routing protocol);
 *	proto-igmp or proto-ms-igmp marks the IGMP component.
 * @MGM_A_COMPONENT_ID: u32; The instance of that protocol.
 * @MGM_A_IFINDEX: u32; Interface index in the caller's network namespace.
 * @MGM_A_NEXTHOP: u32 (network byte order); IPv4 next hop on a
 *	point-to-multipoint interface, 0 otherwise; network byte order.
 * @MGM_A_IGMP: flag; In interface replies, the IGMP component co-owns the
 *	interface.
 * @MGM_A_PORTID: u32; In protocol replies, the netlink port id of the socket
 *	that owns the registration; 0 for a protocol inside the kernel.
 * @MGM_A_IGMP_HANDLE: u32; In interface replies, the handle of the IGMP
 *	component when it co-owns the interface.
 * @MGM_A_IGMP_DISABLED: flag; In interface replies, the IGMP component is
 *	between the disable and enable notifications on this interface.
 * @MGM_A_SOURCE: u32 (network byte order); Source address; 0 is any source.
 * @MGM_A_SOURCE_MASK: u32 (network byte order); 255.255.255.255 for a source, 0
 *	for any source; absent means derived from source.
 * @MGM_A_GROUP: u32 (network byte order); Multicast group; 0 is any group.
 * @MGM_A_GROUP_MASK: u32 (network byte order); As source-mask, for the group.
 * @MGM_A_FLAGS: u32, enum mgm_flag flags; join-state and/or forward-state.
 * @MGM_A_UPSTREAM: u32 (network byte order); Upstream neighbour of an MFE.
 * @MGM_A_IIF: u32; Incoming interface of an MFE (0 if there is no route to the
 *	source).
 * @MGM_A_IIF_NEXTHOP: u32 (network byte order); Next hop of the incoming
 *	interface.
 * @MGM_A_IIF_PROTOCOL: u32; Protocol id of the incoming interface's owner.
 * @MGM_A_ROUTE_PREFIX: u32 (network byte order); The route toward the source
 *	that chose the incoming interface.
 * @MGM_A_ROUTE_PREFIX_LEN: u8; Its prefix length.
 * @MGM_A_ROUTE_PROTOCOL: u8; Its routing protocol (RTPROT_*).
 * @MGM_A_UPTIME: u32; Seconds since the MFE was made.
 * @MGM_A_EXPIRY: u32; Seconds until the MFE goes; 0 if it does not age.
 * @MGM_A_TIMEOUT: u32; Seconds, the MFE's lifetime; in a prune reply, the
 *	lifetime the protocol wants for it, at most timeout-max (0: the MFE
 *	does not age).
 * @MGM_A_OIF: nested, enum mgm_oif_attrs, repeated; One interface of an MFE's
 *	outgoing list or of a creation alert; repeated.
 * @MGM_A_PKTS: u64; Packets that matched the MFE and were forwarded.
 * @MGM_A_BYTES: u64; Their bytes.
 * @MGM_A_WRONG_IF: u64; Packets of the MFE that arrived on another interface.
 * @MGM_A_PAD: binary; Padding for the 64-bit attributes. Declared binary rather
 *	than pad so that the 6.12 YNL client decodes (skips) it.
 * @MGM_A_COOKIE: u64; Names a question (rpf, creation-alert, prune-alert) that
 *	the protocol answers with the matching reply command.
 * @MGM_A_MEMBER_UPDATE: flag; In a join alert, caused by a membership change
 *	(absent: by a change of an MFE's outgoing list).
 * @MGM_A_MEMBER_DELETE: flag; In a prune alert, caused by a membership delete
 *	(absent: an MFE's outgoing list became empty; then cookie asks for the
 *	MFE's lifetime).
 * @MGM_A_ENUM_TYPE: u32, enum mgm_enum_type; What a group dump lists; absent
 *	means any-source.
 * @MGM_A_STATS: flag; In an MFE request, add the forwarder's counters.
 * @MGM_A_PACKET: binary; The start of the packet (IP header first) that caused
 *	an rpf question or a wrong-interface notification.
 * @MGM_A_LIMITS: nested, enum mgm_limit_attrs; How much state the network
 *	namespace may hold.
 * @MGM_A_USAGE: nested, enum mgm_limit_attrs; How much it holds; for the
 *	per-protocol and per-interface limits, the fullest one.
 * @MGM_A_COUNTERS: nested, enum mgm_counter_attrs; What the limits turned away.
 * @MGM_A_ANSWERS: u32, enum mgm_answer flags; The standing answers of a
 *	protocol.
 * @MGM_A_IGMP_CONFIG: nested, enum mgm_igmp_attrs; How the IGMP component runs
 *	on the interface; in igmp-enable the attributes left out take RFC
 *	3376's defaults.
 * @MGM_A_IGMP_STATE: nested, enum mgm_igmp_state_attrs; What the IGMP component
 *	does on the interface.
 * @MGM_A_IGMP_GROUP: nested, enum mgm_igmp_group_attrs; A group with receivers
 *	on the interface, as IGMP keeps it.
 * @MGM_A_HOLD_TIME: u32; Seconds: in register, how long MGM keeps the
 *	registration's state after its socket closes (0, the default: not at
 *	all); in protocol replies, the registration's hold time.
 * @MGM_A_PROTOCOL_STATE: u32, enum mgm_protocol_state; In protocol replies and
 *	events, where the registration stands.
 * @MGM_A_TIME_LEFT: u32; In protocol replies and events, seconds until a held
 *	registration's shutdown or a resync's end; absent when active.
 * @MGM_A_RESYNC: flag; In the register reply, the registration took over a held
 *	one of the same protocol and component: the handle is the old one and
 *	what it held waits to be confirmed.
 * @MGM_A_STALE: flag; In interface and membership replies, held from before a
 *	restart and not confirmed yet.
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
	MGM_A_IGMP_CONFIG,
	MGM_A_IGMP_STATE,
	MGM_A_IGMP_GROUP,
	MGM_A_HOLD_TIME,
	MGM_A_PROTOCOL_STATE,
	MGM_A_TIME_LEFT,
	MGM_A_RESYNC,
	MGM_A_STALE,

	__MGM_A_MAX,
	MGM_A_MAX = (__MGM_A_MAX - 1)
};

/**
 * enum mgm_limit_attrs - The limits of a network namespace.
 * @MGM_LIMIT_A_MFES: u32; MFEs; a new source past it is dropped, unless an MFE
 *	that forwards nothing can go to make room.
 * @MGM_LIMIT_A_PENDING: u32; New sources whose MFE is being decided.
 * @MGM_LIMIT_A_QUESTIONS: u32; Questions open per protocol; past it MGM takes
 *	the default answer without asking.
 * @MGM_LIMIT_A_MEMBERS: u32; Memberships per protocol (ENOSPC past it).
 * @MGM_LIMIT_A_PROTOCOLS: u32; Registrations (ENOSPC past it).
 * @MGM_LIMIT_A_NEXTHOPS: u32; Interfaces (next hops) per ifindex (ENOSPC past
 *	it).
 * @MGM_LIMIT_A_UPCALLS: u32; New sources and wrong-interface packets handled
 *	per second (and as a burst); those past it are dropped.
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
	MGM_LIMIT_A_MAX = (__MGM_LIMIT_A_MAX - 1)
};

/**
 * enum mgm_counter_attrs - What the limits of a network namespace turned away.
 * @MGM_COUNTER_A_PAD: binary; Padding for the counters (binary, as the mgm
 *	set's pad).
 * @MGM_COUNTER_A_NEW_SOURCE_DROPS: u64; New sources dropped, pending at its
 *	limit.
 * @MGM_COUNTER_A_MFE_DROPS: u64; New sources dropped, MFEs at their limit.
 * @MGM_COUNTER_A_NEGATIVE_EVICTIONS: u64; MFEs that forwarded nothing, deleted
 *	to make room.
 * @MGM_COUNTER_A_QUESTION_DROPS: u64; Questions not asked (the default taken).
 * @MGM_COUNTER_A_PROTOCOL_REFUSALS: u64
 * @MGM_COUNTER_A_MEMBER_REFUSALS: u64
 * @MGM_COUNTER_A_NEXTHOP_REFUSALS: u64
 * @MGM_COUNTER_A_WRONG_IF_DROPS: u64; Wrong-interface reports not passed on (at
 *	most one per second per source, group and interface).
 * @MGM_COUNTER_A_UPCALL_DROPS: u64; New sources and wrong-interface packets
 *	dropped past the upcalls rate.
 * @MGM_COUNTER_A_QUESTION_OVERRUNS: u64; Questions lost on the way to their
 *	protocol (its socket full): the default taken at once.
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
	MGM_COUNTER_A_MAX = (__MGM_COUNTER_A_MAX - 1)
};

/**
 * enum mgm_oif_attrs - One interface in the oif attribute.
 * @MGM_OIF_A_IFINDEX: u32
 * @MGM_OIF_A_NEXTHOP: u32 (network byte order)
 * @MGM_OIF_A_IGMP: flag; In a creation alert, IGMP runs on the interface.
 * @MGM_OIF_A_DISABLED: flag; In a creation reply, do not forward there.
 */
enum mgm_oif_attrs {
	MGM_OIF_A_UNSPEC,
	MGM_OIF_A_IFINDEX,
	MGM_OIF_A_NEXTHOP,
	MGM_OIF_A_IGMP,
	MGM_OIF_A_DISABLED,

	__MGM_OIF_A_MAX,
	MGM_OIF_A_MAX = (__MGM_OIF_A_MAX - 1)
};

/**
 * enum mgm_igmp_attrs - How the IGMP component runs on an interface (RFC 3376
 *	§8).
 * @MGM_IGMP_A_VERSION: u32; The version of the queries sent (3 by default).
 * @MGM_IGMP_A_ROBUSTNESS: u32; The Robustness Variable (2).
 * @MGM_IGMP_A_QUERY_INTERVAL: u32; Seconds between general queries (125).
 * @MGM_IGMP_A_RESPONSE_INTERVAL: u32; Milliseconds, the Max Response Time of
 *	general queries (10000); below the query interval, at most 25500 for
 *	version 2.
 * @MGM_IGMP_A_LAST_MEMBER_INTERVAL: u32; Milliseconds between group-specific
 *	queries (1000).
 * @MGM_IGMP_A_MAX_GROUPS: u32; Groups the interface keeps at most (4096); more
 *	are refused.
 * @MGM_IGMP_A_MAX_SOURCES: u32; Sources a group keeps at most (256); more are
 *	refused.
 */
enum mgm_igmp_attrs {
	MGM_IGMP_A_UNSPEC,
	MGM_IGMP_A_VERSION,
	MGM_IGMP_A_ROBUSTNESS,
	MGM_IGMP_A_QUERY_INTERVAL,
	MGM_IGMP_A_RESPONSE_INTERVAL,
	MGM_IGMP_A_LAST_MEMBER_INTERVAL,
	MGM_IGMP_A_MAX_GROUPS,
	MGM_IGMP_A_MAX_SOURCES,

	__MGM_IGMP_A_MAX,
	MGM_IGMP_A_MAX = (__MGM_IGMP_A_MAX - 1)
};

/**
 * enum mgm_igmp_state_attrs - What the IGMP component does on an interface, and
 *	its counters.
 * @MGM_IGMP_STATE_A_PAD: binary; Padding for the counters (binary, as the mgm
 *	set's pad).
 * @MGM_IGMP_STATE_A_QUERIER: flag; This router is the querier of the link.
 * @MGM_IGMP_STATE_A_QUERIER_ADDR: u32 (network byte order); The querier's
 *	address, this router's or another's.
 * @MGM_IGMP_STATE_A_QUERIER_SINCE: u32; Seconds since the querier last changed.
 * @MGM_IGMP_STATE_A_DISABLED: flag; Between MGM's disable-igmp and enable-igmp.
 * @MGM_IGMP_STATE_A_GROUPS: u32; Groups with receivers on the link.
 * @MGM_IGMP_STATE_A_QUERIES_SENT: u64
 * @MGM_IGMP_STATE_A_SEND_ERRORS: u64; Queries that could not be sent (no IPv4
 *	address, no memory).
 * @MGM_IGMP_STATE_A_QUERIES_V1: u64; Queries received, by version.
 * @MGM_IGMP_STATE_A_QUERIES_V2: u64
 * @MGM_IGMP_STATE_A_QUERIES_V3: u64
 * @MGM_IGMP_STATE_A_REPORTS_V1: u64; Reports received, by version.
 * @MGM_IGMP_STATE_A_REPORTS_V2: u64
 * @MGM_IGMP_STATE_A_REPORTS_V3: u64
 * @MGM_IGMP_STATE_A_LEAVES: u64
 * @MGM_IGMP_STATE_A_SHORT_PACKETS: u64; Dropped, shorter than their headers
 *	say.
 * @MGM_IGMP_STATE_A_BAD_CHECKSUM: u64
 * @MGM_IGMP_STATE_A_BAD_TYPE: u64; Dropped, not a message a router takes.
 * @MGM_IGMP_STATE_A_BAD_QUERY: u64
 * @MGM_IGMP_STATE_A_BAD_RECORD: u64; IGMPv3 records of an unknown type,
 *	skipped.
 * @MGM_IGMP_STATE_A_BAD_GROUP: u64; Not a routable multicast group.
 * @MGM_IGMP_STATE_A_TRUNCATED: u64; Sources or records past the packet's end.
 * @MGM_IGMP_STATE_A_BAD_SOURCE: u64; Not from the link.
 * @MGM_IGMP_STATE_A_GROUP_REFUSALS: u64; New groups past max-groups.
 * @MGM_IGMP_STATE_A_SOURCE_REFUSALS: u64; New sources past max-sources.
 * @MGM_IGMP_STATE_A_COMPAT_IGNORED: u64; Records older hosts on the link make
 *	the router ignore.
 * @MGM_IGMP_STATE_A_NOMEM: u64; Records lost for memory.
 * @MGM_IGMP_STATE_A_BAD_SOURCES: u64; Sources no host sends from (0.0.0.0,
 *	multicast, broadcast) that records named: skipped.
 * @MGM_IGMP_STATE_A_SSM_IGNORED: u64; Requests of any source for a group of the
 *	SSM range 232.0.0.0/8 (IGMPv1 and IGMPv2 reports and leaves, IS_EX and
 *	TO_EX records): ignored, as RFC 4604 asks.
 * @MGM_IGMP_STATE_A_QUERY_DROPS: u64; Group-specific queries sent once but not
 *	again as they should be: too many waiting already.
 * @MGM_IGMP_STATE_A_MEMBER_REFUSALS: u64; Memberships MGM refused (its limits,
 *	memory); asked for again later, while the hosts still want them.
 */
enum mgm_igmp_state_attrs {
	MGM_IGMP_STATE_A_UNSPEC,
	MGM_IGMP_STATE_A_PAD,
	MGM_IGMP_STATE_A_QUERIER,
	MGM_IGMP_STATE_A_QUERIER_ADDR,
	MGM_IGMP_STATE_A_QUERIER_SINCE,
	MGM_IGMP_STATE_A_DISABLED,
	MGM_IGMP_STATE_A_GROUPS,
	MGM_IGMP_STATE_A_QUERIES_SENT,
	MGM_IGMP_STATE_A_SEND_ERRORS,
	MGM_IGMP_STATE_A_QUERIES_V1,
	MGM_IGMP_STATE_A_QUERIES_V2,
	MGM_IGMP_STATE_A_QUERIES_V3,
	MGM_IGMP_STATE_A_REPORTS_V1,
	MGM_IGMP_STATE_A_REPORTS_V2,
	MGM_IGMP_STATE_A_REPORTS_V3,
	MGM_IGMP_STATE_A_LEAVES,
	MGM_IGMP_STATE_A_SHORT_PACKETS,
	MGM_IGMP_STATE_A_BAD_CHECKSUM,
	MGM_IGMP_STATE_A_BAD_TYPE,
	MGM_IGMP_STATE_A_BAD_QUERY,
	MGM_IGMP_STATE_A_BAD_RECORD,
	MGM_IGMP_STATE_A_BAD_GROUP,
	MGM_IGMP_STATE_A_TRUNCATED,
	MGM_IGMP_STATE_A_BAD_SOURCE,
	MGM_IGMP_STATE_A_GROUP_REFUSALS,
	MGM_IGMP_STATE_A_SOURCE_REFUSALS,
	MGM_IGMP_STATE_A_COMPAT_IGNORED,
	MGM_IGMP_STATE_A_NOMEM,
	MGM_IGMP_STATE_A_BAD_SOURCES,
	MGM_IGMP_STATE_A_SSM_IGNORED,
	MGM_IGMP_STATE_A_QUERY_DROPS,
	MGM_IGMP_STATE_A_MEMBER_REFUSALS,

	__MGM_IGMP_STATE_A_MAX,
	MGM_IGMP_STATE_A_MAX = (__MGM_IGMP_STATE_A_MAX - 1)
};

/**
 * enum mgm_igmp_group_attrs - A group of an interface as RFC 3376 §6 keeps it.
 * @MGM_IGMP_GROUP_A_GROUP: u32 (network byte order)
 * @MGM_IGMP_GROUP_A_EXCLUDE: flag; EXCLUDE filter mode (absent - INCLUDE).
 * @MGM_IGMP_GROUP_A_EXPIRES: u32; Milliseconds until the group timer runs out
 *	(EXCLUDE mode).
 * @MGM_IGMP_GROUP_A_COMPAT: u32; The group's compatibility mode - 1, 2 or 3
 *	(§7.3.2).
 * @MGM_IGMP_GROUP_A_SOURCES: u32; How many sources it keeps (those listed may
 *	be fewer).
 * @MGM_IGMP_GROUP_A_SOURCE: nested, enum mgm_igmp_source_attrs, repeated; One
 *	source, repeated.
 */
enum mgm_igmp_group_attrs {
	MGM_IGMP_GROUP_A_UNSPEC,
	MGM_IGMP_GROUP_A_GROUP,
	MGM_IGMP_GROUP_A_EXCLUDE,
	MGM_IGMP_GROUP_A_EXPIRES,
	MGM_IGMP_GROUP_A_COMPAT,
	MGM_IGMP_GROUP_A_SOURCES,
	MGM_IGMP_GROUP_A_SOURCE,

	__MGM_IGMP_GROUP_A_MAX,
	MGM_IGMP_GROUP_A_MAX = (__MGM_IGMP_GROUP_A_MAX - 1)
};

/**
 * enum mgm_igmp_source_attrs - A source of an IGMP group.
 * @MGM_IGMP_SOURCE_A_ADDR: u32 (network byte order)
 * @MGM_IGMP_SOURCE_A_EXPIRES: u32; Milliseconds until its timer runs out; 0 -
 *	none runs (in EXCLUDE mode, a blocked source).
 */
enum mgm_igmp_source_attrs {
	MGM_IGMP_SOURCE_A_UNSPEC,
	MGM_IGMP_SOURCE_A_ADDR,
	MGM_IGMP_SOURCE_A_EXPIRES,

	__MGM_IGMP_SOURCE_A_MAX,
	MGM_IGMP_SOURCE_A_MAX = (__MGM_IGMP_SOURCE_A_MAX - 1)
};

/**
 * enum mgm_cmds - commands and notifications of the mgm family
 * @MGM_CMD_REGISTER: do (uns-admin-perm): Register a protocol; the reply
 *	carries its handle. EEXIST if the (protocol-id, component-id) pair is
 *	registered already, or if an IGMP component exists already; EINVAL for
 *	a protocol id reserved for MGM. With hold-time, the registration's
 *	state outlives its socket for that long; a register of the same pair in
 *	that time takes it over (resync in the reply, the old handle) instead
 *	of failing.
 * @MGM_CMD_DEREGISTER: do (uns-admin-perm): Deregister a handle. EBUSY while it
 *	still owns interfaces; afterwards the handle is dead (ENOENT) for every
 *	command.
 * @MGM_CMD_TAKE_INTERFACE: do (uns-admin-perm): Take ownership of (ifindex,
 *	nexthop). ENODEV if there is no such netdev, EBUSY if another routing
 *	protocol owns it, EEXIST if the caller owns it already. A routing
 *	protocol taking an interface where IGMP runs brackets the change with
 *	disable-igmp and enable-igmp to the IGMP component.
 * @MGM_CMD_RELEASE_INTERFACE: do (uns-admin-perm): Give the interface up: the
 *	IGMP bracket as for take-interface, every forwarding entry on it
 *	deleted. ENOENT if the caller does not own it.
 * @MGM_CMD_GET_INTERFACE: do/dump: Get the owners of (ifindex, nexthop), ENOENT
 *	if nobody owns it; or dump every owned interface. The owning routing
 *	protocol, if any, is given by handle, protocol-id and component-id; the
 *	IGMP component, if it co-owns the interface, by igmp and igmp-handle.
 * @MGM_CMD_GET_PROTOCOL: dump: Dump every registered protocol.
 * @MGM_CMD_DISABLE_IGMP: event: To the IGMP component's socket (with handle,
 *	ifindex and nexthop): stop changing memberships on the interface until
 *	enable-igmp. Also sent to the monitor group, with protocol-id and
 *	component-id too.
 * @MGM_CMD_ENABLE_IGMP: event: To the IGMP component's socket (with handle,
 *	ifindex and nexthop): the ownership change is complete; re-add the
 *	memberships on the interface. Also sent to the monitor group, with
 *	protocol-id and component-id too.
 * @MGM_CMD_PROTOCOL_NEW: event: Monitor event, a protocol registered.
 * @MGM_CMD_PROTOCOL_DEL: event: Monitor event, a protocol deregistered.
 * @MGM_CMD_INTERFACE_NEW: event: Monitor event, a protocol took an interface.
 * @MGM_CMD_INTERFACE_DEL: event: Monitor event, a protocol released an
 *	interface (explicitly, at socket close, or because its netdev went
 *	away).
 * @MGM_CMD_ADD_MEMBERSHIP: do (uns-admin-perm): Report receivers: (source,
 *	group) with their masks on (ifindex, nexthop), with flags. Only (S,G),
 *	(*,G) and (*,*). Needs handle, group (0 for (*,*)), ifindex and flags;
 *	a missing source is any source, and a missing mask follows from its
 *	address (0 for 0, 255.255.255.255 otherwise). EINVAL naming the
 *	attribute for any other shape, a non-multicast group or a non-unicast
 *	source; EPERM on an interface of another protocol, ENOENT on one nobody
 *	owns, EAGAIN for IGMP between disable and enable. A duplicate changes
 *	nothing.
 * @MGM_CMD_DELETE_MEMBERSHIP: do (uns-admin-perm): The reverse of
 *	add-membership; ENOENT if there is no such membership.
 * @MGM_CMD_SET_MFE: do (uns-admin-perm): Set the upstream neighbour of the MFE
 *	(source, group); ENOENT if there is none. Every attribute is needed.
 * @MGM_CMD_GET_MFE: do/dump: Get the MFE of (source, group), or dump every MFE,
 *	sorted by group then source; a dump resumed while the table changes
 *	lists every entry that stays the whole time exactly once. The stats
 *	flag adds the forwarder's counters (pkts, bytes, wrong-if, 64 bits
 *	each).
 * @MGM_CMD_GET_GROUP: dump: Dump the membership keys, router-wide, sorted by
 *	group then source; enum-type chooses one entry per group (source 0) or
 *	every key.
 * @MGM_CMD_RPF: event: Question to the owner of a new MFE's incoming interface;
 *	answered by rpf-reply with the same cookie.
 * @MGM_CMD_RPF_REPLY: do (uns-admin-perm): The answer to rpf: the incoming
 *	interface (one of the protocol's own; another is ignored) and the
 *	upstream neighbour it wants, both needed. ENOENT once the deadline
 *	passed or for an unknown cookie, EPERM for a question to another
 *	protocol.
 * @MGM_CMD_CREATION_ALERT: event: Question to each protocol that owns candidate
 *	outgoing interfaces of a new MFE, one oif per candidate; answered by
 *	creation-reply.
 * @MGM_CMD_CREATION_REPLY: do (uns-admin-perm): The answer to creation-alert:
 *	an oif with the disabled flag for each interface not to use (interfaces
 *	not asked about are ignored), at most reply-oifs-max of them.
 * @MGM_CMD_PRUNE_ALERT: event: Receivers went away elsewhere. Without
 *	member-delete it carries a cookie and a timeout, answered by
 *	prune-reply.
 * @MGM_CMD_PRUNE_REPLY: do (uns-admin-perm): The answer to prune-alert, how
 *	long the MFE stays.
 * @MGM_CMD_JOIN_ALERT: event: New receivers elsewhere.
 * @MGM_CMD_WRONG_IF: event: A packet of (source, group) arrived on (ifindex,
 *	nexthop), not the MFE's incoming interface.
 * @MGM_CMD_LOCAL_JOIN: event: IGMP found receivers on the protocol's interface.
 * @MGM_CMD_LOCAL_LEAVE: event: IGMP found no more receivers there.
 * @MGM_CMD_MEMBERSHIP_NEW: event: Monitor event, a membership was added.
 * @MGM_CMD_MEMBERSHIP_DEL: event: Monitor event, a membership was deleted.
 * @MGM_CMD_MFE_NEW: event: Monitor event, an MFE was made.
 * @MGM_CMD_MFE_CHANGE: event: Monitor event, an MFE's outgoing list changed.
 * @MGM_CMD_MFE_DEL: event: Monitor event, an MFE went (as it was last).
 * @MGM_CMD_GET_STATS: do: The network namespace's limits, usage and counters.
 * @MGM_CMD_SET_LIMITS: do (uns-admin-perm): Set the limits given (those absent
 *	stay). Lowering one disturbs nothing already there; raising one needs
 *	CAP_NET_ADMIN in the initial user namespace (EPERM naming it
 *	otherwise).
 * @MGM_CMD_SET_ANSWERS: do (uns-admin-perm): The protocol's standing answers
 *	from now on (0: every question is asked): MGM takes them without
 *	asking, so that new sources need no round trip. Questions already asked
 *	still wait for their answer.
 * @MGM_CMD_LIMITS_HIT: event: Monitor event, a limit turned something away: the
 *	counters, at most once a second.
 * @MGM_CMD_IGMP_ENABLE: do (uns-admin-perm): Run the in-kernel IGMP component
 *	(RFC 3376 router side) on ifindex: it registers as protocol 10 in the
 *	netns if it is not yet, takes the interface as IGMP and reports the
 *	link's receivers as memberships. EEXIST where it runs already, or when
 *	another IGMP component is registered in the netns; EINVAL naming the
 *	igmp-config attribute out of range.
 * @MGM_CMD_IGMP_DISABLE: do (uns-admin-perm): Stop IGMP on ifindex: its
 *	memberships there go, it releases the interface, and deregisters with
 *	its last one. ENOENT where it does not run.
 * @MGM_CMD_IGMP_GET: do/dump: The IGMP component on ifindex (ENOENT where it
 *	does not run), or a dump of every interface where it runs: its
 *	configuration, whether it is the querier, and its counters.
 * @MGM_CMD_IGMP_GROUP_GET: dump: Dump the groups IGMP keeps on ifindex, in
 *	address order, each with its filter mode, timers and sources. ENOENT
 *	where IGMP does not run.
 * @MGM_CMD_PROTOCOL_CHANGE: event: Monitor event, a registration's
 *	protocol-state changed: held (its socket closed), resync (registered
 *	again), active (resync ended).
 * @MGM_CMD_RESYNC_END: do (uns-admin-perm): End a resync now rather than one
 *	hold time after it began: what is still stale is released with the
 *	normal sequence (interfaces released, memberships deleted). EINVAL when
 *	the handle is not resyncing.
 * @MGM_CMD_GET_MEMBERSHIP: dump: Dump the memberships one protocol added
 *	(handle), each with its interface, and stale while a resync has not
 *	confirmed it.
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
	MGM_CMD_IGMP_ENABLE,
	MGM_CMD_IGMP_DISABLE,
	MGM_CMD_IGMP_GET,
	MGM_CMD_IGMP_GROUP_GET,
	MGM_CMD_PROTOCOL_CHANGE,
	MGM_CMD_RESYNC_END,
	MGM_CMD_GET_MEMBERSHIP,

	__MGM_CMD_MAX,
	MGM_CMD_MAX = (__MGM_CMD_MAX - 1)
};

#define MGM_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_MGM_H */
