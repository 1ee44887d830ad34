/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multicast Group Manager: the in-kernel API for multicast routing
 * protocols written as modules.  Userspace protocols use the "mgm" generic
 * netlink family (include/uapi/linux/mgm.h), which maps onto these calls.
 *
 * The model is the RRAS MGM API and the interoperability rules of RFC 2715:
 * protocols register, take ownership of interfaces, report group membership,
 * and MGM arbitrates between them through the callbacks below.
 *
 * Context: every function may sleep and must be called from process
 * context.  Callbacks run in process context with MGM's per-netns lock held;
 * calling back into a mutating MGM function from inside a callback returns
 * -EDEADLK.  No callback reaches a protocol after mgm_deregister() returned.
 *
 * An interface is an (ifindex, next hop) pair; the next hop is 0 but on
 * point-to-multipoint links, where a protocol may own one per neighbour.
 * The RPF interface of a source is (ifindex, upstream neighbour) where
 * someone owns that pair, otherwise (ifindex, 0).  A packet does not say
 * which neighbour sent it: a wrong-interface report goes to the owner of
 * (ifindex, 0), or else of one of the ifindex's next hops, with next hop 0.
 */
#ifndef _NET_MGM_H
#define _NET_MGM_H

#include <linux/types.h>
#include <uapi/linux/mgm.h>

struct module;
struct net;
struct netlink_ext_ack;

/* An interface of an MFE's outgoing list. */
struct mgm_oif {
	u32 ifindex;
	__be32 nexthop;
};

/* A (source, group) with masks, as MGM passes it to callbacks. */
struct mgm_sg {
	__be32 source;
	__be32 source_mask;
	__be32 group;
	__be32 group_mask;
};

/* One outgoing interface in a creation alert; the callee clears @enabled. */
struct mgm_if_entry {
	u32 ifindex;
	__be32 nexthop;
	bool igmp;
	bool enabled;
};

/* The route that decided the incoming interface of a new MFE. */
struct mgm_route {
	__be32 prefix;
	u8 prefix_len;
	u8 protocol;
};

/* In/out arguments of the RPF callback. */
struct mgm_rpf {
	struct mgm_sg sg;
	u32 in_ifindex;
	__be32 in_nexthop;
	__be32 upstream;
	struct mgm_route route;
	const void *hdr;
	unsigned int hdr_len;
	u64 cookie;		/* for a deferred answer, see below */
};

/*
 * The nine MGM callbacks.  Any of them may be NULL; MGM skips it.  @priv is
 * the pointer given to mgm_register().  Return values are not consulted:
 * out-parameters are the only way a callback influences MGM.
 *
 * A protocol that cannot answer at once (one in userspace) sets @deferred:
 * its rpf, creation_alert and prune_alert (with member_delete false) then
 * only send the question with its @cookie, and the answer comes later with
 * mgm_reply_rpf(), mgm_reply_creation_alert() or mgm_reply_prune_alert().
 * MGM goes on with other work meanwhile; without an answer before the
 * deadline (module parameter reply_timeout_ms) it keeps its defaults: the
 * route lookup's incoming interface, every interface enabled, the default
 * MFE lifetime.
 */
struct mgm_protocol_ops {
	/*
	 * The module whose code these are: MGM holds it from mgm_register()
	 * until the deregistration (or the shutdown when the netns goes)
	 * returned, so it cannot unload under MGM.  A protocol module
	 * therefore deregisters on its own command, not in its exit.
	 */
	struct module *owner;
	bool deferred;
	void (*rpf)(void *priv, struct mgm_rpf *rpf);
	void (*creation_alert)(void *priv, const struct mgm_sg *sg,
			       u32 in_ifindex, __be32 in_nexthop,
			       unsigned int n_oifs, struct mgm_if_entry *oifs,
			       u64 cookie);
	void (*prune_alert)(void *priv, const struct mgm_sg *sg,
			    u32 ifindex, __be32 nexthop, bool member_delete,
			    u32 *timeout, u64 cookie);
	void (*join_alert)(void *priv, const struct mgm_sg *sg,
			   bool member_update);
	void (*wrong_if)(void *priv, __be32 source, __be32 group,
			 u32 ifindex, __be32 nexthop,
			 const void *hdr, unsigned int hdr_len);
	void (*local_join)(void *priv, const struct mgm_sg *sg,
			   u32 ifindex, __be32 nexthop);
	void (*local_leave)(void *priv, const struct mgm_sg *sg,
			    u32 ifindex, __be32 nexthop);
	void (*disable_igmp)(void *priv, u32 ifindex, __be32 nexthop);
	void (*enable_igmp)(void *priv, u32 ifindex, __be32 nexthop);
};

/*
 * Protocols are addressed by (netns, handle).  Handles come from a cyclic
 * allocator, so a stale handle is rejected with -ENOENT instead of reaching
 * someone else's registration.
 */
int mgm_register(struct net *net, u32 protocol_id, u32 component_id,
		 const struct mgm_protocol_ops *ops, void *priv, u32 *handle,
		 struct netlink_ext_ack *extack);
int mgm_deregister(struct net *net, u32 handle,
		   struct netlink_ext_ack *extack);

int mgm_take_interface(struct net *net, u32 handle, u32 ifindex,
		       __be32 nexthop, struct netlink_ext_ack *extack);
int mgm_release_interface(struct net *net, u32 handle, u32 ifindex,
			  __be32 nexthop, struct netlink_ext_ack *extack);
int mgm_get_protocol_on_interface(struct net *net, u32 ifindex,
				  __be32 nexthop, u32 *protocol_id,
				  u32 *component_id,
				  struct netlink_ext_ack *extack);

/*
 * Memberships: (S,G), (*,G) or (*,*) on an interface the caller owns (IGMP:
 * on an interface where it runs); masks are 0 for a wildcard and all-ones
 * otherwise.  @flags: MGM_FLAG_JOIN_STATE, MGM_FLAG_FORWARD_STATE or both.
 */
int mgm_add_membership(struct net *net, u32 handle, const struct mgm_sg *sg,
		       u32 ifindex, __be32 nexthop, u32 flags,
		       struct netlink_ext_ack *extack);
int mgm_delete_membership(struct net *net, u32 handle,
			  const struct mgm_sg *sg, u32 ifindex,
			  __be32 nexthop, u32 flags,
			  struct netlink_ext_ack *extack);

/*
 * Group enumeration (RRAS MgmGroupEnumeration*) as a cursor: the
 * membership key at @sg, or with @next the first one after it, in (group,
 * source) order; @type is an enum mgm_enum_type.  Keys are router-wide:
 * every protocol and interface, each key once.  -ENOENT: no more.
 */
int mgm_get_group(struct net *net, u32 type, bool next, struct mgm_sg *sg,
		  struct netlink_ext_ack *extack);

/*
 * Standing answers: MGM_ANSWER_* for the questions @handle answers the same
 * way every time (0: every question is asked).  MGM takes them without
 * asking: a deferred protocol's new sources need no round trip.
 */
int mgm_set_answers(struct net *net, u32 handle, u32 answers,
		    struct netlink_ext_ack *extack);

/* Change the upstream neighbour of an existing MFE. */
int mgm_set_mfe(struct net *net, u32 handle, __be32 source, __be32 group,
		__be32 upstream, struct netlink_ext_ack *extack);

/* One MFE as MGM reports it. */
struct mgm_mfe_info {
	__be32 source;
	__be32 group;
	__be32 upstream;
	u32 in_ifindex;
	__be32 in_nexthop;
	u32 in_protocol;	/* protocol id of the IIF owner, 0 if none */
	struct mgm_route route;
	u32 uptime;		/* seconds */
	u32 expiry;		/* seconds left */
	u32 timeout;		/* seconds */
	unsigned int n_oifs;
	u64 pkts;		/* from the forwarder; 0 where it has none */
	u64 bytes;
	u64 wrong_if;
};

/*
 * Copy out the MFE of (@source, @group), or with @next the first one after
 * it in (group, source) order; @oifs receives up to @max_oifs outgoing
 * interfaces (info->n_oifs says how many there are).  -ENOENT: none.
 */
int mgm_get_mfe(struct net *net, __be32 source, __be32 group, bool next,
		struct mgm_mfe_info *info, struct mgm_oif *oifs,
		unsigned int max_oifs);

/*
 * Deferred answers; -ENOENT once the deadline passed or for a bad cookie.
 * A prune alert's @timeout (seconds, 0: never ages) is at most
 * MGM_TIMEOUT_MAX: -EINVAL above it here; what a prune_alert callback sets
 * in *timeout is cut to it.
 */
int mgm_reply_rpf(struct net *net, u32 handle, u64 cookie,
		  u32 in_ifindex, __be32 in_nexthop, __be32 upstream,
		  struct netlink_ext_ack *extack);
int mgm_reply_creation_alert(struct net *net, u32 handle, u64 cookie,
			     unsigned int n_oifs,
			     const struct mgm_if_entry *oifs,
			     struct netlink_ext_ack *extack);
int mgm_reply_prune_alert(struct net *net, u32 handle, u64 cookie,
			  u32 timeout, struct netlink_ext_ack *extack);

/*
 * Only from inside a deferred protocol's rpf, creation_alert or
 * prune_alert callback: the question with @cookie could not be passed on
 * (a full socket, no memory), so no answer will come.  MGM takes its
 * default at once instead of at the deadline, and counts it
 * (question_overruns).
 */
void mgm_question_undelivered(struct net *net, u64 cookie);

#endif /* _NET_MGM_H */
