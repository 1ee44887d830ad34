// SPDX-License-Identifier: GPL-2.0
/*
 * The get commands and dumps of the "mgm" family: interfaces, protocols,
 * MFEs and groups with members, as anyone in the netns may read them.  They
 * change nothing and need no handle; they read the core's tables under RCU,
 * except an MFE's counters, which come from mgm_get_mfe() and may sleep.
 *
 * Kept apart from the requests that change state (mgm_nl_request.c): these
 * are readers, with a concern of their own, dumps resumed from a key so
 * that an entry present for the whole dump is sent exactly once.  The MFE
 * message they build is also the monitor's MFE event (mgm_nl_notify.c).
 */

#include <linux/math64.h>
#include <linux/maple_tree.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "mgm_member.h"
#include "mgm_netlink.h"

static u64 mgm_nl_if_key(const struct mgm_if *ifp)
{
	return (u64)ifp->ifindex << 32 | ntohl(ifp->nexthop);
}

/* Called under rcu_read_lock(). */
static int mgm_nl_fill_if(struct sk_buff *skb, const struct mgm_if *ifp,
			  u32 portid, u32 seq, int flags)
{
	const struct mgm_protocol *owner = rcu_dereference(ifp->owner);
	const struct mgm_protocol *igmp = rcu_dereference(ifp->igmp);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, flags,
			  MGM_CMD_GET_INTERFACE);
	if (!hdr)
		return -EMSGSIZE;

	if (mgm_nl_put_if(skb, ifp->ifindex, ifp->nexthop) ||
	    (owner && mgm_nl_put_protocol(skb, owner)))
		goto nla_put_failure;
	/* a restart's owner has not confirmed it yet */
	if (((owner && READ_ONCE(ifp->owner_stale)) ||
	     (igmp && READ_ONCE(ifp->igmp_stale))) &&
	    nla_put_flag(skb, MGM_A_STALE))
		goto nla_put_failure;
	if (igmp &&
	    (nla_put_flag(skb, MGM_A_IGMP) ||
	     nla_put_u32(skb, MGM_A_IGMP_HANDLE, igmp->handle) ||
	     (READ_ONCE(ifp->igmp_disabled) &&
	      nla_put_flag(skb, MGM_A_IGMP_DISABLED))))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int mgm_nl_get_interface_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_net *mn = mgm_pernet(genl_info_net(info));
	struct mgm_if *ifp;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;

	msg = genlmsg_new(MGM_NL_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	ifp = mgm_if_lookup_rcu(mn, nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				mgm_nl_addr(info, MGM_A_NEXTHOP));
	if (ifp) {
		err = mgm_nl_fill_if(msg, ifp, info->snd_portid, info->snd_seq,
				     0);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MGM_A_IFINDEX],
				    "ifindex: no protocol owns this interface");
		err = -ENOENT;
	}
	rcu_read_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dumps resume from a key, not from a position, so that an interface which
 * stays owned during the whole dump is reported exactly once however the
 * table changes.  Within a hash bucket the interfaces go out in key order.
 */
struct mgm_nl_if_dump_ctx {
	u64 last_key;
	u32 bucket;
	bool started;	/* last_key was sent from this bucket */
};

static struct mgm_if *mgm_nl_next_if(struct hlist_head *head,
				     const struct mgm_nl_if_dump_ctx *ctx)
{
	struct mgm_if *ifp, *next = NULL;

	hlist_for_each_entry_rcu(ifp, head, node) {
		u64 key = mgm_nl_if_key(ifp);

		if (ctx->started && key <= ctx->last_key)
			continue;
		if (!next || key < mgm_nl_if_key(next))
			next = ifp;
	}
	return next;
}

int mgm_nl_get_interface_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mgm_nl_if_dump_ctx *ctx = (void *)cb->ctx;
	struct mgm_net *mn = mgm_pernet(sock_net(skb->sk));
	struct mgm_if *ifp;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));

	rcu_read_lock();
	for (; ctx->bucket < HASH_SIZE(mn->ifs);
	     ctx->bucket++, ctx->started = false) {
		while ((ifp = mgm_nl_next_if(&mn->ifs[ctx->bucket], ctx))) {
			err = mgm_nl_fill_if(skb, ifp,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				goto out;
			ctx->last_key = mgm_nl_if_key(ifp);
			ctx->started = true;
		}
	}
out:
	rcu_read_unlock();
	return mgm_nl_dump_result(skb, err);
}

/* Called under rcu_read_lock(). */
static int mgm_nl_fill_protocol(struct sk_buff *skb,
				const struct mgm_protocol *p,
				u32 portid, u32 seq)
{
	const struct mgm_nl_reg *reg = p->priv;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, NLM_F_MULTI,
			  MGM_CMD_GET_PROTOCOL);
	if (!hdr)
		return -EMSGSIZE;

	if (mgm_nl_put_protocol(skb, p) ||
	    nla_put_u32(skb, MGM_A_PORTID,
			p->ops == &mgm_nl_protocol_ops ?
			READ_ONCE(reg->portid) : 0) ||
	    nla_put_u32(skb, MGM_A_ANSWERS, READ_ONCE(p->answers)) ||
	    nla_put_u32(skb, MGM_A_HOLD_TIME,
			p->ops == &mgm_nl_protocol_ops ?
			READ_ONCE(reg->hold_time) : 0) ||
	    mgm_nl_put_protocol_state(skb, p)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct mgm_nl_protocol_dump_ctx {
	unsigned long next_handle;
};

int mgm_nl_get_protocol_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct mgm_nl_protocol_dump_ctx *ctx = (void *)cb->ctx;
	struct mgm_net *mn = mgm_pernet(sock_net(skb->sk));
	struct mgm_protocol *p;
	unsigned long handle;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));

	rcu_read_lock();
	xa_for_each_start(&mn->protocols, handle, p, ctx->next_handle) {
		err = mgm_nl_fill_protocol(skb, p, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq);
		if (err)
			break;
		ctx->next_handle = handle + 1;
	}
	rcu_read_unlock();
	return mgm_nl_dump_result(skb, err);
}

static u32 mgm_nl_ms_to_s(u64 ms)
{
	return div_u64(ms, MSEC_PER_SEC);
}

size_t mgm_nl_mfe_size(const struct mgm_oif_set *set)
{
	return MGM_NL_MSG_SIZE + set->n * MGM_NL_OIF_SIZE;
}

/*
 * An MFE as a message @cmd, with the counters in @stats if given.  Called
 * under rcu_read_lock(), or with mn->lock held (events), with @set the
 * outgoing list read under that protection.
 */
int mgm_nl_fill_mfe(struct sk_buff *skb, struct mgm_net *mn,
		    const struct mgm_mfe *mfe, const struct mgm_oif_set *set,
		    const struct mgm_mfe_info *stats,
		    u32 portid, u32 seq, int flags, u8 cmd)
{
	u64 now = mgm_now(mn), expires = READ_ONCE(mfe->expires);
	/* a route change moves a live entry (mgm_mfe_reroute) under RCU */
	struct mgm_route route = READ_ONCE(mfe->route);
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_in_addr(skb, MGM_A_SOURCE, mfe->source) ||
	    nla_put_in_addr(skb, MGM_A_GROUP, mfe->group) ||
	    nla_put_in_addr(skb, MGM_A_UPSTREAM, READ_ONCE(mfe->upstream)) ||
	    nla_put_u32(skb, MGM_A_IIF, READ_ONCE(mfe->iif_ifindex)) ||
	    nla_put_in_addr(skb, MGM_A_IIF_NEXTHOP,
			    READ_ONCE(mfe->iif_nexthop)) ||
	    nla_put_u32(skb, MGM_A_IIF_PROTOCOL, READ_ONCE(mfe->iif_protocol)) ||
	    mgm_nl_put_route(skb, &route) ||
	    nla_put_u32(skb, MGM_A_UPTIME, mgm_mfe_uptime(mfe, now)) ||
	    nla_put_u32(skb, MGM_A_EXPIRY, expires > now ?
			mgm_nl_ms_to_s(expires - now) : 0) ||
	    nla_put_u32(skb, MGM_A_TIMEOUT, READ_ONCE(mfe->timeout)))
		goto nla_put_failure;
	for (i = 0; i < set->n; i++)
		if (mgm_nl_put_oif(skb, set->oif[i].ifindex,
				   set->oif[i].nexthop, false))
			goto nla_put_failure;
	if (stats &&
	    (nla_put_u64_64bit(skb, MGM_A_PKTS, stats->pkts, MGM_A_PAD) ||
	     nla_put_u64_64bit(skb, MGM_A_BYTES, stats->bytes, MGM_A_PAD) ||
	     nla_put_u64_64bit(skb, MGM_A_WRONG_IF, stats->wrong_if,
			       MGM_A_PAD)))
		goto nla_put_failure;

	genlmsg_end(skb, hdr);
	return 0;

nla_put_failure:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The forwarder's counters of one MFE.  mgm_get_mfe() takes the core's
 * mutex and may ask the forwarder, which sleeps: never under RCU.
 */
static int mgm_nl_mfe_stats(struct net *net, __be32 source, __be32 group,
			    bool next, struct mgm_mfe_info *stats)
{
	struct mgm_oif unused;

	return mgm_get_mfe(net, source, group, next, stats, &unused, 1);
}

int mgm_nl_get_mfe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mgm_mfe_info stats, *statsp = NULL;
	const struct mgm_oif_set *set;
	__be32 source, group;
	struct sk_buff *msg;
	struct mgm_mfe *mfe;
	size_t size = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_SOURCE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_GROUP))
		return -EINVAL;
	source = nla_get_in_addr(info->attrs[MGM_A_SOURCE]);
	group = nla_get_in_addr(info->attrs[MGM_A_GROUP]);

	if (info->attrs[MGM_A_STATS]) {
		err = mgm_nl_mfe_stats(net, source, group, false, &stats);
		if (err)
			goto noent;
		statsp = &stats;
	}

	/* the outgoing list may grow between sizing and filling: size again */
	do {
		rcu_read_lock();
		mfe = mgm_mfe_lookup_rcu(net, source, group);
		if (mfe)
			size = mgm_nl_mfe_size(rcu_dereference(mfe->oifs));
		rcu_read_unlock();
		if (!mfe)
			goto noent;

		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg)
			return -ENOMEM;
		rcu_read_lock();
		mfe = mgm_mfe_lookup_rcu(net, source, group);
		set = mfe ? rcu_dereference(mfe->oifs) : NULL;
		err = mfe ? mgm_nl_fill_mfe(msg, mgm_pernet(net), mfe, set,
					    statsp, info->snd_portid,
					    info->snd_seq, 0,
					    MGM_CMD_GET_MFE) : -ENOENT;
		rcu_read_unlock();
		if (err)
			nlmsg_free(msg);
	} while (err == -EMSGSIZE);
	if (err)
		goto noent;
	return genlmsg_reply(msg, info);

noent:
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MGM_A_GROUP],
			    "group: no MFE for this source and group");
	return -ENOENT;
}

/*
 * Dumps resume after the (source, group) last sent, in the table's own
 * (group, source) order, so that an entry present for the whole dump is
 * sent exactly once however the table changes.  Key 0 is no MFE (group 0
 * is not multicast), so starting "after" it starts at the beginning.
 */
struct mgm_nl_mfe_dump_ctx {
	__be32 source;
	__be32 group;
	bool stats;
};

int mgm_nl_get_mfe_start(struct netlink_callback *cb)
{
	struct mgm_nl_mfe_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	/* the policy checked the request; its parsed form differs 6.1 / 6.12 */
	ctx->stats = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_STATS);
	return 0;
}

int mgm_nl_get_mfe_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mgm_nl_mfe_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_mfe_info stats;
	__be32 source, group;
	struct mgm_mfe *mfe;
	unsigned long index;
	int err = 0;

	for (;;) {
		/*
		 * With counters mgm_get_mfe() is the cursor: it names the next
		 * entry.  One gone before it is filled is skipped, as if it
		 * had never been there.
		 */
		if (ctx->stats &&
		    mgm_nl_mfe_stats(net, ctx->source, ctx->group, true, &stats))
			break;

		rcu_read_lock();
		if (ctx->stats) {
			mfe = mgm_mfe_lookup_rcu(net, stats.source, stats.group);
			source = stats.source;
			group = stats.group;
		} else {
			index = mgm_mfe_key(ctx->source, ctx->group) + 1;
			mfe = mt_find(&mn->mfes, &index, ULONG_MAX);
			source = mfe ? mfe->source : 0;
			group = mfe ? mfe->group : 0;
		}
		if (mfe)
			err = mgm_nl_fill_mfe(skb, mn, mfe,
					      rcu_dereference(mfe->oifs),
					      ctx->stats ? &stats : NULL,
					      NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, NLM_F_MULTI,
					      MGM_CMD_GET_MFE);
		rcu_read_unlock();
		/* group 0: no entry, the end */
		if (err || !group)
			break;
		ctx->source = source;
		ctx->group = group;
	}
	return mgm_nl_dump_result(skb, err);
}

static int mgm_nl_fill_group(struct sk_buff *skb, const struct mgm_sg *sg,
			     u32 portid, u32 seq)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, NLM_F_MULTI,
			  MGM_CMD_GET_GROUP);
	if (!hdr)
		return -EMSGSIZE;
	if (mgm_nl_put_sg(skb, sg)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* mgm_get_membership() is the cursor: a key's index, a place in it. */
struct mgm_nl_membership_dump_ctx {
	unsigned long index;
	u64 after;
	u32 handle;
	bool started;
};

static int mgm_nl_fill_membership(struct sk_buff *skb, u32 handle,
				  const struct mgm_member_info *m,
				  u32 portid, u32 seq)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, NLM_F_MULTI,
			  MGM_CMD_GET_MEMBERSHIP);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MGM_A_HANDLE, handle) ||
	    mgm_nl_put_sg(skb, &m->sg) ||
	    mgm_nl_put_if(skb, m->ifindex, m->nexthop) ||
	    (m->stale && nla_put_flag(skb, MGM_A_STALE))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int mgm_nl_get_membership_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct mgm_nl_membership_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct mgm_member_info m;
	const struct nlattr *attr;
	bool known;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	if (!ctx->started) {
		/* the policy checked it; its parsed form differs 6.1 / 6.12 */
		attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_HANDLE);
		if (!attr) {
			NL_SET_ERR_MSG_MOD(cb->extack, "handle: required");
			NL_SET_ERR_ATTR_MISS(cb->extack, NULL, MGM_A_HANDLE);
			return -EINVAL;
		}
		ctx->handle = nla_get_u32(attr);
		rcu_read_lock();
		known = mgm_protocol_lookup_rcu(mgm_pernet(net), ctx->handle);
		rcu_read_unlock();
		if (!known) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attr,
					    "handle: no such registration");
			return -ENOENT;
		}
		ctx->started = true;
	}
	for (;;) {
		err = mgm_get_membership(net, ctx->handle, ctx->index,
					 ctx->after, &m);
		if (err == -EAGAIN) {
			ctx->index = m.index;
			ctx->after = 0;
			cond_resched();
			continue;
		}
		if (!err)
			err = mgm_nl_fill_membership(skb, ctx->handle, &m,
						     NETLINK_CB(cb->skb).portid,
						     cb->nlh->nlmsg_seq);
		if (err)
			break;
		ctx->index = m.index;
		ctx->after = m.after;
	}
	return mgm_nl_dump_result(skb, err == -ENOENT ? 0 : err);
}

/* mgm_get_group() is the cursor, resumed after the key last sent. */
struct mgm_nl_group_dump_ctx {
	struct mgm_sg sg;
	u32 type;
	bool started;
};

int mgm_nl_get_group_start(struct netlink_callback *cb)
{
	struct mgm_nl_group_dump_ctx *ctx = (void *)cb->ctx;
	const struct nlattr *attr;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_ENUM_TYPE);
	ctx->type = attr ? nla_get_u32(attr) : MGM_ENUM_ANY_SOURCE;
	return 0;
}

int mgm_nl_get_group_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mgm_nl_group_dump_ctx *ctx = (void *)cb->ctx;
	struct net *net = sock_net(skb->sk);
	struct mgm_sg sg;
	int err;

	for (;;) {
		sg = ctx->sg;
		err = mgm_get_group(net, ctx->type, ctx->started, &sg,
				    cb->extack);
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		if (!err)
			err = mgm_nl_fill_group(skb, &sg,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq);
		if (err)
			break;
		ctx->sg = sg;
		ctx->started = true;
	}
	return mgm_nl_dump_result(skb, err);
}

/* ---- limits and counters -------------------------------------------------- */

static int mgm_nl_put_limits(struct sk_buff *skb, int type,
			     struct mgm_limits *limits)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= MGM_LIMIT_A_MAX; i++)
		if (nla_put_u32(skb, i, *mgm_nl_limit_field(limits, i)))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgm_nl_put_counter(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, MGM_COUNTER_A_PAD);
}

int mgm_nl_put_counters(struct sk_buff *skb, const struct mgm_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, MGM_A_COUNTERS);

	if (!nest ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_NEW_SOURCE_DROPS,
			       c->new_source_drops) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_MFE_DROPS, c->mfe_drops) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_NEGATIVE_EVICTIONS,
			       c->negative_evictions) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_QUESTION_DROPS,
			       c->question_drops) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_PROTOCOL_REFUSALS,
			       c->protocol_refusals) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_MEMBER_REFUSALS,
			       c->member_refusals) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_NEXTHOP_REFUSALS,
			       c->nexthop_refusals) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_WRONG_IF_DROPS,
			       c->wrong_if_drops) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_UPCALL_DROPS,
			       c->upcall_drops) ||
	    mgm_nl_put_counter(skb, MGM_COUNTER_A_QUESTION_OVERRUNS,
			       c->question_overruns))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int mgm_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_limits limits, usage;
	struct mgm_counters counters;
	struct sk_buff *msg;
	void *hdr;

	mgm_get_stats(genl_info_net(info), &limits, &usage, &counters);
	msg = genlmsg_new(MGM_NL_STATS_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mgm_nl_family, 0,
				MGM_CMD_GET_STATS);
	if (!hdr ||
	    mgm_nl_put_limits(msg, MGM_A_LIMITS, &limits) ||
	    mgm_nl_put_limits(msg, MGM_A_USAGE, &usage) ||
	    mgm_nl_put_counters(msg, &counters)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
