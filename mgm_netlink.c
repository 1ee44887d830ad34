// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgm" generic netlink family: userspace routing protocols register,
 * take and release interfaces, report memberships, and receive their
 * callbacks as unicast notifications; the callbacks that return data (rpf,
 * creation and prune alerts) are questions answered by a reply command.
 * Tools dump the state and follow it on the "monitor" group.
 *
 * A registration made here belongs to the socket that made it.  Its private
 * data (struct mgm_nl_reg) remembers that socket, so that only it may use
 * the handle, callbacks reach it, and its closing shuts the protocol down.
 */

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "mgm_core.h"

struct mgm_nl_reg {
	struct list_head node;		/* in mgm_nl_regs */
	/*
	 * The socket that registered; only compared, except to test
	 * SOCK_DEAD.  NULL once that socket closed: the registration is
	 * then unusable and gets no notifications.
	 */
	struct sock *sk;
	struct net *net;
	u32 portid;
	u32 handle;
	/*
	 * Set as the reply announces the handle.  Until then the registering
	 * request still uses this struct, so other requests of the same
	 * socket (threads guessing the handle) must not deregister and free
	 * it: to them the handle does not exist yet.
	 */
	bool ready;
	struct rcu_head rcu;
};

/*
 * Every netlink registration, so that socket close finds its own and module
 * unload frees what the core still points to (the core's pernet exit shuts
 * those protocols down after this file is gone, and never frees our priv).
 */
static LIST_HEAD(mgm_nl_regs);
static DEFINE_MUTEX(mgm_nl_regs_lock);

/*
 * Callbacks and monitor events may arrive from the core at any time, also
 * from its netdev work and its pernet exit, which outlive the family.  They
 * send only while mgm_nl_live, read under mgm_nl_live_sem, so that nothing
 * is sent once unloading started.
 */
static DECLARE_RWSEM(mgm_nl_live_sem);
static bool mgm_nl_live;

enum mgm_nl_mcgrp {
	MGM_NLGRP_MONITOR,
};

static const struct genl_multicast_group mgm_nl_mcgrps[] = {
	[MGM_NLGRP_MONITOR] = { .name = MGM_MCGRP_MONITOR, },
};

static struct genl_family mgm_nl_family;
static const struct mgm_protocol_ops mgm_nl_protocol_ops;

/*
 * Room for the fixed attributes of any message of this family; the
 * outgoing interfaces (MGM_NL_OIF_SIZE each) and a packet come on top.
 */
#define MGM_NL_MSG_SIZE	(24 * nla_total_size(sizeof(u32)) +	\
			 4 * nla_total_size_64bit(sizeof(u64)))
#define MGM_NL_OIF_SIZE	(nla_total_size(0) +			\
			 2 * nla_total_size(sizeof(u32)) +	\
			 2 * nla_total_size(0))

#define MGM_NL_ALL_ONES	htonl(0xffffffff)

static u64 mgm_nl_if_key(const struct mgm_if *ifp)
{
	return (u64)ifp->ifindex << 32 | ntohl(ifp->nexthop);
}

/* An absent address is 0, an absent mask follows from its address. */
static __be32 mgm_nl_addr(const struct genl_info *info, int type)
{
	const struct nlattr *attr = info->attrs[type];

	return attr ? nla_get_in_addr(attr) : 0;
}

static __be32 mgm_nl_mask(const struct genl_info *info, int type,
			  __be32 addr)
{
	const struct nlattr *attr = info->attrs[type];

	if (attr)
		return nla_get_in_addr(attr);
	return addr ? MGM_NL_ALL_ONES : 0;
}

static void mgm_nl_get_sg(const struct genl_info *info, struct mgm_sg *sg)
{
	sg->source = mgm_nl_addr(info, MGM_A_SOURCE);
	sg->source_mask = mgm_nl_mask(info, MGM_A_SOURCE_MASK, sg->source);
	sg->group = mgm_nl_addr(info, MGM_A_GROUP);
	sg->group_mask = mgm_nl_mask(info, MGM_A_GROUP_MASK, sg->group);
}

static int mgm_nl_put_sg(struct sk_buff *skb, const struct mgm_sg *sg)
{
	if (nla_put_in_addr(skb, MGM_A_SOURCE, sg->source) ||
	    nla_put_in_addr(skb, MGM_A_SOURCE_MASK, sg->source_mask) ||
	    nla_put_in_addr(skb, MGM_A_GROUP, sg->group) ||
	    nla_put_in_addr(skb, MGM_A_GROUP_MASK, sg->group_mask))
		return -EMSGSIZE;
	return 0;
}

static int mgm_nl_put_if(struct sk_buff *skb, u32 ifindex, __be32 nexthop)
{
	if (nla_put_u32(skb, MGM_A_IFINDEX, ifindex) ||
	    nla_put_in_addr(skb, MGM_A_NEXTHOP, nexthop))
		return -EMSGSIZE;
	return 0;
}

static int mgm_nl_put_protocol(struct sk_buff *skb,
			       const struct mgm_protocol *p)
{
	if (nla_put_u32(skb, MGM_A_HANDLE, p->handle) ||
	    nla_put_u32(skb, MGM_A_PROTOCOL_ID, p->protocol_id) ||
	    nla_put_u32(skb, MGM_A_COMPONENT_ID, p->component_id))
		return -EMSGSIZE;
	return 0;
}

static int mgm_nl_put_cookie(struct sk_buff *skb, u64 cookie)
{
	return nla_put_u64_64bit(skb, MGM_A_COOKIE, cookie, MGM_A_PAD);
}

static int mgm_nl_put_packet(struct sk_buff *skb, const void *hdr,
			     unsigned int len)
{
	return len ? nla_put(skb, MGM_A_PACKET, len, hdr) : 0;
}

static bool mgm_nl_sk_closing(const struct mgm_nl_reg *reg)
{
	struct sock *sk;
	bool closing;

	/* netlink_release() frees the socket only after an RCU grace period */
	rcu_read_lock();
	sk = READ_ONCE(reg->sk);
	closing = !sk || sock_flag(sk, SOCK_DEAD);
	rcu_read_unlock();
	return closing;
}

/*
 * Look up MGM_A_HANDLE (present) and check that the requesting socket
 * registered it.  *@regp may be freed as soon as the RCU section ends, by
 * a concurrent DEREGISTER from another thread on the same socket: only the
 * caller whose mgm_deregister() succeeded may use it afterwards.  (The
 * socket itself cannot close while one of its requests runs.)
 */
static int mgm_nl_get_reg(struct sk_buff *skb, struct genl_info *info,
			  struct mgm_nl_reg **regp)
{
	struct mgm_net *mn = mgm_pernet(genl_info_net(info));
	struct nlattr *attr = info->attrs[MGM_A_HANDLE];
	struct mgm_protocol *p;
	struct mgm_nl_reg *reg;
	int err = 0;

	rcu_read_lock();
	p = mgm_protocol_lookup_rcu(mn, nla_get_u32(attr));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "handle: no such registration");
		err = -ENOENT;
		goto out;
	}
	reg = p->priv;
	if (p->ops == &mgm_nl_protocol_ops && !READ_ONCE(reg->ready)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "handle: no such registration");
		err = -ENOENT;
		goto out;
	}
	if (p->ops != &mgm_nl_protocol_ops ||
	    READ_ONCE(reg->sk) != NETLINK_CB(skb).sk ||
	    reg->portid != info->snd_portid) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "handle: registered by another netlink socket");
		err = -EPERM;
		goto out;
	}
	if (regp)
		*regp = reg;
out:
	rcu_read_unlock();
	return err;
}

static void mgm_nl_reg_forget(struct mgm_nl_reg *reg)
{
	mutex_lock(&mgm_nl_regs_lock);
	list_del(&reg->node);
	mutex_unlock(&mgm_nl_regs_lock);
	kfree_rcu(reg, rcu);
}

static int mgm_nl_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mgm_nl_reg *reg;
	struct sk_buff *msg;
	u32 handle;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_PROTOCOL_ID) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COMPONENT_ID))
		return -EINVAL;

	/* Allocated first: once registered, only sending may fail. */
	msg = genlmsg_new(MGM_NL_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg) {
		err = -ENOMEM;
		goto err_free_msg;
	}
	reg->sk = NETLINK_CB(skb).sk;
	reg->net = net;
	reg->portid = info->snd_portid;

	err = mgm_register(net, nla_get_u32(info->attrs[MGM_A_PROTOCOL_ID]),
			   nla_get_u32(info->attrs[MGM_A_COMPONENT_ID]),
			   &mgm_nl_protocol_ops, reg, &reg->handle,
			   info->extack);
	if (err) {
		kfree(reg);
		goto err_free_msg;
	}
	mutex_lock(&mgm_nl_regs_lock);
	list_add(&reg->node, &mgm_nl_regs);
	mutex_unlock(&mgm_nl_regs_lock);

	handle = reg->handle;
	hdr = genlmsg_put_reply(msg, info, &mgm_nl_family, 0,
				MGM_CMD_REGISTER);
	if (!hdr || nla_put_u32(msg, MGM_A_HANDLE, handle)) {
		err = -EMSGSIZE;
		goto err_deregister;
	}
	genlmsg_end(msg, hdr);

	/* ready before the reply: its reader may use the handle at once */
	WRITE_ONCE(reg->ready, true);
	err = genlmsg_reply(msg, info);
	if (err) {
		/*
		 * A registration whose handle never reached its owner would
		 * hold interfaces hostage until the socket closes: undo it,
		 * unless a guess of the handle already did (and freed reg).
		 */
		if (!mgm_deregister(net, handle, NULL))
			mgm_nl_reg_forget(reg);
		return err;
	}
	return 0;

err_deregister:
	mgm_deregister(net, handle, NULL);
	mgm_nl_reg_forget(reg);
err_free_msg:
	nlmsg_free(msg);
	return err;
}

static int mgm_nl_deregister_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_nl_reg *reg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, &reg);
	if (err)
		return err;

	err = mgm_deregister(genl_info_net(info),
			     nla_get_u32(info->attrs[MGM_A_HANDLE]), info->extack);
	if (err)
		return err;

	/* the core forgot reg; RCU readers (dumps, lookups) may still see it */
	mgm_nl_reg_forget(reg);
	return 0;
}

/* The request attributes of take and release, checked before any lookup. */
static int mgm_nl_if_req_check(struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;
	return 0;
}

static int mgm_nl_take_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	err = mgm_nl_if_req_check(info);
	if (err)
		return err;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_take_interface(genl_info_net(info),
				  nla_get_u32(info->attrs[MGM_A_HANDLE]),
				  nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				  mgm_nl_addr(info, MGM_A_NEXTHOP),
				  info->extack);
}

static int mgm_nl_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	err = mgm_nl_if_req_check(info);
	if (err)
		return err;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_release_interface(genl_info_net(info),
				     nla_get_u32(info->attrs[MGM_A_HANDLE]),
				     nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				     mgm_nl_addr(info, MGM_A_NEXTHOP),
				     info->extack);
}

/*
 * The request of add and delete membership: a missing source is any
 * source, but the group is explicit, also for (*,*), so that a forgotten
 * attribute does not join everything.
 */
static int mgm_nl_membership_req(struct sk_buff *skb, struct genl_info *info,
				 struct mgm_sg *sg)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_GROUP) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_FLAGS))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	mgm_nl_get_sg(info, sg);
	return 0;
}

static int mgm_nl_add_membership_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct mgm_sg sg;
	int err;

	err = mgm_nl_membership_req(skb, info, &sg);
	if (err)
		return err;
	return mgm_add_membership(genl_info_net(info),
				  nla_get_u32(info->attrs[MGM_A_HANDLE]), &sg,
				  nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				  mgm_nl_addr(info, MGM_A_NEXTHOP),
				  nla_get_u32(info->attrs[MGM_A_FLAGS]),
				  info->extack);
}

static int mgm_nl_delete_membership_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct mgm_sg sg;
	int err;

	err = mgm_nl_membership_req(skb, info, &sg);
	if (err)
		return err;
	return mgm_delete_membership(genl_info_net(info),
				     nla_get_u32(info->attrs[MGM_A_HANDLE]),
				     &sg, nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				     mgm_nl_addr(info, MGM_A_NEXTHOP),
				     nla_get_u32(info->attrs[MGM_A_FLAGS]),
				     info->extack);
}

static int mgm_nl_set_mfe_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_SOURCE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_GROUP) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_UPSTREAM))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_set_mfe(genl_info_net(info),
			   nla_get_u32(info->attrs[MGM_A_HANDLE]),
			   nla_get_in_addr(info->attrs[MGM_A_SOURCE]),
			   nla_get_in_addr(info->attrs[MGM_A_GROUP]),
			   nla_get_in_addr(info->attrs[MGM_A_UPSTREAM]),
			   info->extack);
}

/*
 * Answers to questions.  Only the socket that got a question may answer
 * it: the handle must be its own (mgm_nl_get_reg), and the core checks that
 * the cookie was asked of that handle.
 *
 * The rpf answer states the incoming interface and upstream in full: the
 * core takes the upstream as given, so a missing one would silently be 0.
 */
static int mgm_nl_rpf_reply_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IIF) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_UPSTREAM))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_reply_rpf(genl_info_net(info),
			     nla_get_u32(info->attrs[MGM_A_HANDLE]),
			     nla_get_u64(info->attrs[MGM_A_COOKIE]),
			     nla_get_u32(info->attrs[MGM_A_IIF]),
			     mgm_nl_addr(info, MGM_A_IIF_NEXTHOP),
			     nla_get_in_addr(info->attrs[MGM_A_UPSTREAM]),
			     info->extack);
}

static const struct nla_policy mgm_nl_oif_policy[MGM_OIF_A_MAX + 1] = {
	[MGM_OIF_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_OIF_A_NEXTHOP] = { .type = NLA_BE32 },
	[MGM_OIF_A_IGMP] = { .type = NLA_FLAG },
	[MGM_OIF_A_DISABLED] = { .type = NLA_FLAG },
};

/* The interfaces listed in a creation reply; the policy checked each one. */
static int mgm_nl_get_oifs(struct genl_info *info, struct mgm_if_entry **oifs,
			   unsigned int *n_oifs)
{
	const struct nlattr *attr;
	struct nlattr *tb[MGM_OIF_A_MAX + 1];
	struct mgm_if_entry *e;
	unsigned int n = 0;
	int rem, err;

	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		n += nla_type(attr) == MGM_A_OIF;
	*n_oifs = 0;
	*oifs = kcalloc(n, sizeof(**oifs), GFP_KERNEL);
	if (!*oifs && n)
		return -ENOMEM;

	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != MGM_A_OIF)
			continue;
		err = nla_parse_nested(tb, MGM_OIF_A_MAX, attr,
				       mgm_nl_oif_policy, info->extack);
		if (err)
			return err;
		if (NL_REQ_ATTR_CHECK(info->extack, attr, tb,
				      MGM_OIF_A_IFINDEX))
			return -EINVAL;
		e = &(*oifs)[(*n_oifs)++];
		e->ifindex = nla_get_u32(tb[MGM_OIF_A_IFINDEX]);
		e->nexthop = tb[MGM_OIF_A_NEXTHOP] ?
			     nla_get_in_addr(tb[MGM_OIF_A_NEXTHOP]) : 0;
		e->enabled = !tb[MGM_OIF_A_DISABLED];
	}
	return 0;
}

static int mgm_nl_creation_reply_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct mgm_if_entry *oifs;
	unsigned int n_oifs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	err = mgm_nl_get_oifs(info, &oifs, &n_oifs);
	if (!err)
		err = mgm_reply_creation_alert(genl_info_net(info),
					       nla_get_u32(info->attrs[MGM_A_HANDLE]),
					       nla_get_u64(info->attrs[MGM_A_COOKIE]),
					       n_oifs, oifs, info->extack);
	kfree(oifs);
	return err;
}

static int mgm_nl_prune_reply_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_TIMEOUT))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_reply_prune_alert(genl_info_net(info),
				     nla_get_u32(info->attrs[MGM_A_HANDLE]),
				     nla_get_u64(info->attrs[MGM_A_COOKIE]),
				     nla_get_u32(info->attrs[MGM_A_TIMEOUT]),
				     info->extack);
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

static int mgm_nl_get_if_doit(struct sk_buff *skb, struct genl_info *info)
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

/*
 * Dumpits return skb->len while there is more to come: 6.1 does not take
 * -EMSGSIZE for "skb full".
 */
static int mgm_nl_get_if_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
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
	if (err && !skb->len)
		return err;
	return err ? skb->len : 0;
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
			p->ops == &mgm_nl_protocol_ops ? reg->portid : 0)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct mgm_nl_protocol_dump_ctx {
	unsigned long next_handle;
};

static int mgm_nl_get_protocol_dumpit(struct sk_buff *skb,
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
	if (err && !skb->len)
		return err;
	return err ? skb->len : 0;
}

static u32 mgm_nl_ms_to_s(u64 ms)
{
	return div_u64(ms, MSEC_PER_SEC);
}

static size_t mgm_nl_mfe_size(const struct mgm_oif_set *set)
{
	return MGM_NL_MSG_SIZE + set->n * MGM_NL_OIF_SIZE;
}

/*
 * An MFE as a message @cmd, with the counters in @stats if given.  Called
 * under rcu_read_lock(), or with mn->lock held (events), with @set the
 * outgoing list read under that protection.
 */
static int mgm_nl_fill_mfe(struct sk_buff *skb, struct mgm_net *mn,
			   const struct mgm_mfe *mfe,
			   const struct mgm_oif_set *set,
			   const struct mgm_mfe_info *stats,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	u64 now = mgm_now(mn), expires = READ_ONCE(mfe->expires);
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_in_addr(skb, MGM_A_SOURCE, mfe->source) ||
	    nla_put_in_addr(skb, MGM_A_GROUP, mfe->group) ||
	    nla_put_in_addr(skb, MGM_A_UPSTREAM, READ_ONCE(mfe->upstream)) ||
	    nla_put_u32(skb, MGM_A_IIF, mfe->iif_ifindex) ||
	    nla_put_in_addr(skb, MGM_A_IIF_NEXTHOP, mfe->iif_nexthop) ||
	    nla_put_u32(skb, MGM_A_IIF_PROTOCOL, mfe->iif_protocol) ||
	    nla_put_in_addr(skb, MGM_A_ROUTE_PREFIX, mfe->route.prefix) ||
	    nla_put_u8(skb, MGM_A_ROUTE_PREFIX_LEN, mfe->route.prefix_len) ||
	    nla_put_u8(skb, MGM_A_ROUTE_PROTOCOL, mfe->route.protocol) ||
	    nla_put_u32(skb, MGM_A_UPTIME,
			mgm_nl_ms_to_s(now - mfe->created)) ||
	    nla_put_u32(skb, MGM_A_EXPIRY, expires > now ?
			mgm_nl_ms_to_s(expires - now) : 0) ||
	    nla_put_u32(skb, MGM_A_TIMEOUT, READ_ONCE(mfe->timeout)))
		goto nla_put_failure;
	for (i = 0; i < set->n; i++) {
		nest = nla_nest_start(skb, MGM_A_OIF);
		if (!nest ||
		    nla_put_u32(skb, MGM_OIF_A_IFINDEX, set->oif[i].ifindex) ||
		    nla_put_in_addr(skb, MGM_OIF_A_NEXTHOP, set->oif[i].nexthop))
			goto nla_put_failure;
		nla_nest_end(skb, nest);
	}
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

static int mgm_nl_get_mfe_doit(struct sk_buff *skb, struct genl_info *info)
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

static int mgm_nl_get_mfe_start(struct netlink_callback *cb)
{
	struct mgm_nl_mfe_dump_ctx *ctx = (void *)cb->ctx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	/* the policy checked the request; its parsed form differs 6.1 / 6.12 */
	ctx->stats = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_STATS);
	return 0;
}

static int mgm_nl_get_mfe_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
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
	if (err && !skb->len)
		return err;
	return err ? skb->len : 0;
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

/* mgm_get_group() is the cursor, resumed after the key last sent. */
struct mgm_nl_group_dump_ctx {
	struct mgm_sg sg;
	u32 type;
	bool started;
};

static int mgm_nl_get_group_start(struct netlink_callback *cb)
{
	struct mgm_nl_group_dump_ctx *ctx = (void *)cb->ctx;
	const struct nlattr *attr;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_ENUM_TYPE);
	ctx->type = attr ? nla_get_u32(attr) : MGM_ENUM_ANY_SOURCE;
	return 0;
}

static int mgm_nl_get_group_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
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
	if (err && (err != -EMSGSIZE || !skb->len))
		return err;
	return err ? skb->len : 0;
}

/* Called with mgm_nl_live_sem held for reading. */
static bool mgm_nl_monitored(struct net *net)
{
	return mgm_nl_live &&
	       genl_has_listeners(&mgm_nl_family, net, MGM_NLGRP_MONITOR);
}

/*
 * The callbacks of the netlink registrations.  They run in process context
 * with the core's per-netns mutex held, and send only while mgm_nl_live,
 * under mgm_nl_live_sem: once unloading started, @reg may be freed.
 * Delivery is best effort: a full socket buffer loses the notification, as
 * for any netlink notification; a lost question gets the default answer
 * at its deadline.
 *
 * A notification starts with the handle it is for.  NULL when nobody would
 * read it.  Called with mgm_nl_live_sem held for reading.
 */
static struct sk_buff *mgm_nl_note_new(struct mgm_nl_reg *reg, u8 cmd,
				       size_t size, bool copy)
{
	struct sk_buff *msg;

	if (!mgm_nl_live ||
	    (mgm_nl_sk_closing(reg) && !(copy && mgm_nl_monitored(reg->net))))
		return NULL;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, 0, 0, &mgm_nl_family, 0, cmd) ||
	    nla_put_u32(msg, MGM_A_HANDLE, reg->handle)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * To the registration's socket, and with @copy to the monitor group too.
 * A closing socket no longer owns its port id, which another socket may
 * already have bound: send nothing there.  The test and the send are not
 * atomic; a socket closing in between loses the message.
 */
static void mgm_nl_note_send(struct mgm_nl_reg *reg, struct sk_buff *msg,
			     bool copy)
{
	struct sk_buff *dup;

	nlmsg_end(msg, nlmsg_hdr(msg));
	if (copy && mgm_nl_monitored(reg->net)) {
		dup = skb_clone(msg, GFP_KERNEL);
		if (dup)
			genlmsg_multicast_netns(&mgm_nl_family, reg->net, dup,
						0, MGM_NLGRP_MONITOR,
						GFP_KERNEL);
	}
	if (mgm_nl_sk_closing(reg))
		nlmsg_free(msg);
	else
		genlmsg_unicast(reg->net, msg, reg->portid);
}

static void mgm_nl_rpf(void *priv, struct mgm_rpf *rpf)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, MGM_CMD_RPF,
			      MGM_NL_MSG_SIZE + nla_total_size(rpf->hdr_len),
			      true);
	if (msg &&
	    (mgm_nl_put_cookie(msg, rpf->cookie) ||
	     nla_put_in_addr(msg, MGM_A_SOURCE, rpf->sg.source) ||
	     nla_put_in_addr(msg, MGM_A_GROUP, rpf->sg.group) ||
	     nla_put_u32(msg, MGM_A_IIF, rpf->in_ifindex) ||
	     nla_put_in_addr(msg, MGM_A_IIF_NEXTHOP, rpf->in_nexthop) ||
	     nla_put_in_addr(msg, MGM_A_UPSTREAM, rpf->upstream) ||
	     nla_put_in_addr(msg, MGM_A_ROUTE_PREFIX, rpf->route.prefix) ||
	     nla_put_u8(msg, MGM_A_ROUTE_PREFIX_LEN, rpf->route.prefix_len) ||
	     nla_put_u8(msg, MGM_A_ROUTE_PROTOCOL, rpf->route.protocol) ||
	     mgm_nl_put_packet(msg, rpf->hdr, rpf->hdr_len))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, true);
	up_read(&mgm_nl_live_sem);
}

static int mgm_nl_put_if_entries(struct sk_buff *skb, unsigned int n,
				 const struct mgm_if_entry *oifs)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < n; i++) {
		nest = nla_nest_start(skb, MGM_A_OIF);
		if (!nest ||
		    nla_put_u32(skb, MGM_OIF_A_IFINDEX, oifs[i].ifindex) ||
		    nla_put_in_addr(skb, MGM_OIF_A_NEXTHOP, oifs[i].nexthop) ||
		    (oifs[i].igmp && nla_put_flag(skb, MGM_OIF_A_IGMP)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static void mgm_nl_creation_alert(void *priv, const struct mgm_sg *sg,
				  u32 in_ifindex, __be32 in_nexthop,
				  unsigned int n_oifs,
				  struct mgm_if_entry *oifs, u64 cookie)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, MGM_CMD_CREATION_ALERT,
			      MGM_NL_MSG_SIZE + n_oifs * MGM_NL_OIF_SIZE, true);
	if (msg &&
	    (mgm_nl_put_cookie(msg, cookie) ||
	     nla_put_in_addr(msg, MGM_A_SOURCE, sg->source) ||
	     nla_put_in_addr(msg, MGM_A_GROUP, sg->group) ||
	     nla_put_u32(msg, MGM_A_IIF, in_ifindex) ||
	     nla_put_in_addr(msg, MGM_A_IIF_NEXTHOP, in_nexthop) ||
	     mgm_nl_put_if_entries(msg, n_oifs, oifs))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, true);
	up_read(&mgm_nl_live_sem);
}

/* Only the MFE-level alert (member_delete false) is a question. */
static void mgm_nl_prune_alert(void *priv, const struct mgm_sg *sg,
			       u32 ifindex, __be32 nexthop, bool member_delete,
			       u32 *timeout, u64 cookie)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, MGM_CMD_PRUNE_ALERT, MGM_NL_MSG_SIZE, true);
	if (msg &&
	    (mgm_nl_put_sg(msg, sg) ||
	     mgm_nl_put_if(msg, ifindex, nexthop) ||
	     (member_delete && nla_put_flag(msg, MGM_A_MEMBER_DELETE)) ||
	     (!member_delete &&
	      (mgm_nl_put_cookie(msg, cookie) ||
	       nla_put_u32(msg, MGM_A_TIMEOUT, *timeout))))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, true);
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_join_alert(void *priv, const struct mgm_sg *sg,
			      bool member_update)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, MGM_CMD_JOIN_ALERT, MGM_NL_MSG_SIZE, true);
	if (msg &&
	    (mgm_nl_put_sg(msg, sg) ||
	     (member_update && nla_put_flag(msg, MGM_A_MEMBER_UPDATE)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, true);
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_wrong_if(void *priv, __be32 source, __be32 group,
			    u32 ifindex, __be32 nexthop, const void *hdr,
			    unsigned int hdr_len)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, MGM_CMD_WRONG_IF,
			      MGM_NL_MSG_SIZE + nla_total_size(hdr_len), true);
	if (msg &&
	    (nla_put_in_addr(msg, MGM_A_SOURCE, source) ||
	     nla_put_in_addr(msg, MGM_A_GROUP, group) ||
	     mgm_nl_put_if(msg, ifindex, nexthop) ||
	     mgm_nl_put_packet(msg, hdr, hdr_len))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, true);
	up_read(&mgm_nl_live_sem);
}

/*
 * Notifications about an interface.  The core copies disable/enable to the
 * monitor group itself (its event()), so they go to the socket only.
 */
static void mgm_nl_if_note(struct mgm_nl_reg *reg, u8 cmd,
			   const struct mgm_sg *sg, u32 ifindex,
			   __be32 nexthop, bool copy)
{
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_note_new(reg, cmd, MGM_NL_MSG_SIZE, copy);
	if (msg &&
	    ((sg && mgm_nl_put_sg(msg, sg)) ||
	     mgm_nl_put_if(msg, ifindex, nexthop))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, copy);
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_local_join(void *priv, const struct mgm_sg *sg,
			      u32 ifindex, __be32 nexthop)
{
	mgm_nl_if_note(priv, MGM_CMD_LOCAL_JOIN, sg, ifindex, nexthop, true);
}

static void mgm_nl_local_leave(void *priv, const struct mgm_sg *sg,
			       u32 ifindex, __be32 nexthop)
{
	mgm_nl_if_note(priv, MGM_CMD_LOCAL_LEAVE, sg, ifindex, nexthop, true);
}

static void mgm_nl_disable_igmp(void *priv, u32 ifindex, __be32 nexthop)
{
	mgm_nl_if_note(priv, MGM_CMD_DISABLE_IGMP, NULL, ifindex, nexthop,
		       false);
}

static void mgm_nl_enable_igmp(void *priv, u32 ifindex, __be32 nexthop)
{
	mgm_nl_if_note(priv, MGM_CMD_ENABLE_IGMP, NULL, ifindex, nexthop,
		       false);
}

/* A userspace protocol answers rpf, creation and prune alerts later. */
static const struct mgm_protocol_ops mgm_nl_protocol_ops = {
	.deferred = true,
	.rpf = mgm_nl_rpf,
	.creation_alert = mgm_nl_creation_alert,
	.prune_alert = mgm_nl_prune_alert,
	.join_alert = mgm_nl_join_alert,
	.wrong_if = mgm_nl_wrong_if,
	.local_join = mgm_nl_local_join,
	.local_leave = mgm_nl_local_leave,
	.disable_igmp = mgm_nl_disable_igmp,
	.enable_igmp = mgm_nl_enable_igmp,
};

/*
 * Monitor events: a message for the group, NULL when nobody listens.
 * Called with mgm_nl_live_sem held for reading.
 */
static struct sk_buff *mgm_nl_event_new(struct net *net, u8 cmd, size_t size)
{
	struct sk_buff *msg;

	if (!mgm_nl_monitored(net))
		return NULL;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (msg && !genlmsg_put(msg, 0, 0, &mgm_nl_family, 0, cmd)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static void mgm_nl_event_send(struct net *net, struct sk_buff *msg)
{
	nlmsg_end(msg, nlmsg_hdr(msg));
	genlmsg_multicast_netns(&mgm_nl_family, net, msg, 0, MGM_NLGRP_MONITOR,
				GFP_KERNEL);
}

static bool mgm_nl_is_if_event(u8 cmd)
{
	switch (cmd) {
	case MGM_CMD_INTERFACE_NEW:
	case MGM_CMD_INTERFACE_DEL:
	case MGM_CMD_DISABLE_IGMP:
	case MGM_CMD_ENABLE_IGMP:
		return true;
	default:
		return false;
	}
}

static void mgm_nl_monitor_event(struct mgm_net *mn, u8 cmd,
				 const struct mgm_protocol *p,
				 u32 ifindex, __be32 nexthop)
{
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_event_new(mn->net, cmd, MGM_NL_MSG_SIZE);
	if (msg &&
	    ((p && mgm_nl_put_protocol(msg, p)) ||
	     (mgm_nl_is_if_event(cmd) &&
	      mgm_nl_put_if(msg, ifindex, nexthop)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_event_send(mn->net, msg);
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_member_event(struct mgm_net *mn, u8 cmd,
				const struct mgm_protocol *p,
				const struct mgm_sg *sg, u32 ifindex,
				__be32 nexthop)
{
	struct sk_buff *msg;

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_event_new(mn->net, cmd, MGM_NL_MSG_SIZE);
	if (msg &&
	    (mgm_nl_put_protocol(msg, p) || mgm_nl_put_sg(msg, sg) ||
	     mgm_nl_put_if(msg, ifindex, nexthop))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_event_send(mn->net, msg);
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_mfe_event(struct mgm_net *mn, u8 cmd,
			     const struct mgm_mfe *mfe)
{
	const struct mgm_oif_set *set;
	struct sk_buff *msg;

	lockdep_assert_held(&mn->lock);
	set = rcu_dereference_protected(mfe->oifs, lockdep_is_held(&mn->lock));

	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_monitored(mn->net) ?
	      genlmsg_new(mgm_nl_mfe_size(set), GFP_KERNEL) : NULL;
	if (msg && mgm_nl_fill_mfe(msg, mn, mfe, set, NULL, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		genlmsg_multicast_netns(&mgm_nl_family, mn->net, msg, 0,
					MGM_NLGRP_MONITOR, GFP_KERNEL);
	up_read(&mgm_nl_live_sem);
}

static const struct mgm_monitor_ops mgm_nl_monitor_ops = {
	.event = mgm_nl_monitor_event,
	.member_event = mgm_nl_member_event,
	.mfe_event = mgm_nl_mfe_event,
};

/*
 * A closed socket takes its registrations with it.  netlink_release() has
 * unlinked the socket before this notifier runs, so another socket may
 * already have bound the same port id, and even registered: the port id
 * alone does not identify the closing socket, SOCK_DEAD (set by
 * sock_orphan() before the notifier) does.  reg->sk is safe to test under
 * mgm_nl_regs_lock because a socket is freed only after its own notifier
 * cleared its registrations' sk under that lock.
 */
static int mgm_nl_urelease(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct mgm_nl_reg *reg, *tmp;
	LIST_HEAD(closing);
	int err;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;

	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry_safe(reg, tmp, &mgm_nl_regs, node) {
		if (reg->net != n->net || reg->portid != n->portid ||
		    !reg->sk || !sock_flag(reg->sk, SOCK_DEAD))
			continue;
		WRITE_ONCE(reg->sk, NULL);
		list_move(&reg->node, &closing);
	}
	mutex_unlock(&mgm_nl_regs_lock);

	/* process context, no lock held: the core may sleep and call back */
	list_for_each_entry_safe(reg, tmp, &closing, node) {
		err = mgm_shutdown_protocol(reg->net, reg->handle);
		mutex_lock(&mgm_nl_regs_lock);
		/* -ENOENT and -ENODEV: the core has no record of it any more */
		if (err && err != -ENOENT && err != -ENODEV) {
			/* orphaned (sk is NULL); freed at module unload */
			pr_warn("mgm: shutdown of handle %u failed: %d\n",
				reg->handle, err);
			list_move(&reg->node, &mgm_nl_regs);
			mutex_unlock(&mgm_nl_regs_lock);
			continue;
		}
		list_del(&reg->node);
		mutex_unlock(&mgm_nl_regs_lock);
		kfree_rcu(reg, rcu);
	}
	return NOTIFY_OK;
}

static struct notifier_block mgm_nl_notifier = {
	.notifier_call = mgm_nl_urelease,
};

static const struct nla_policy mgm_nl_register_policy[MGM_A_COMPONENT_ID + 1] = {
	[MGM_A_PROTOCOL_ID] = { .type = NLA_U32 },
	[MGM_A_COMPONENT_ID] = { .type = NLA_U32 },
};

static const struct nla_policy mgm_nl_handle_policy[MGM_A_HANDLE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
};

static const struct nla_policy mgm_nl_take_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_BE32 },
};

static const struct nla_policy mgm_nl_get_if_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_BE32 },
};

static const struct nla_policy mgm_nl_membership_policy[MGM_A_FLAGS + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_BE32 },
	[MGM_A_SOURCE] = { .type = NLA_BE32 },
	[MGM_A_SOURCE_MASK] = { .type = NLA_BE32 },
	[MGM_A_GROUP] = { .type = NLA_BE32 },
	[MGM_A_GROUP_MASK] = { .type = NLA_BE32 },
	[MGM_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, MGM_FLAG_JOIN_STATE |
						 MGM_FLAG_FORWARD_STATE),
};

static const struct nla_policy mgm_nl_set_mfe_policy[MGM_A_UPSTREAM + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_SOURCE] = { .type = NLA_BE32 },
	[MGM_A_GROUP] = { .type = NLA_BE32 },
	[MGM_A_UPSTREAM] = { .type = NLA_BE32 },
};

static const struct nla_policy mgm_nl_get_mfe_policy[MGM_A_STATS + 1] = {
	[MGM_A_SOURCE] = { .type = NLA_BE32 },
	[MGM_A_GROUP] = { .type = NLA_BE32 },
	[MGM_A_STATS] = { .type = NLA_FLAG },
};

static const struct nla_policy mgm_nl_get_group_policy[MGM_A_ENUM_TYPE + 1] = {
	[MGM_A_ENUM_TYPE] = NLA_POLICY_MAX(NLA_U32, MGM_ENUM_ALL_SOURCES),
};

static const struct nla_policy mgm_nl_rpf_reply_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_COOKIE] = { .type = NLA_U64 },
	[MGM_A_IIF] = { .type = NLA_U32 },
	[MGM_A_IIF_NEXTHOP] = { .type = NLA_BE32 },
	[MGM_A_UPSTREAM] = { .type = NLA_BE32 },
};

static const struct nla_policy mgm_nl_creation_reply_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_COOKIE] = { .type = NLA_U64 },
	[MGM_A_OIF] = NLA_POLICY_NESTED(mgm_nl_oif_policy),
};

static const struct nla_policy mgm_nl_prune_reply_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32 },
	[MGM_A_COOKIE] = { .type = NLA_U64 },
	[MGM_A_TIMEOUT] = { .type = NLA_U32 },
};

/*
 * struct genl_ops with per-op policies: the one form that means the same
 * on 6.1 and 6.12.  An op without a policy accepts no attributes at all.
 */
static const struct genl_ops mgm_nl_ops[] = {
	{
		.cmd = MGM_CMD_REGISTER,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_register_doit,
		.policy = mgm_nl_register_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_register_policy) - 1,
	},
	{
		.cmd = MGM_CMD_DEREGISTER,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_deregister_doit,
		.policy = mgm_nl_handle_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_handle_policy) - 1,
	},
	{
		.cmd = MGM_CMD_TAKE_INTERFACE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_take_doit,
		.policy = mgm_nl_take_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_take_policy) - 1,
	},
	{
		.cmd = MGM_CMD_RELEASE_INTERFACE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_release_doit,
		.policy = mgm_nl_take_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_take_policy) - 1,
	},
	{
		.cmd = MGM_CMD_GET_INTERFACE,
		.doit = mgm_nl_get_if_doit,
		.dumpit = mgm_nl_get_if_dumpit,
		.policy = mgm_nl_get_if_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_get_if_policy) - 1,
	},
	{
		.cmd = MGM_CMD_GET_PROTOCOL,
		.dumpit = mgm_nl_get_protocol_dumpit,
	},
	{
		.cmd = MGM_CMD_ADD_MEMBERSHIP,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_add_membership_doit,
		.policy = mgm_nl_membership_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_membership_policy) - 1,
	},
	{
		.cmd = MGM_CMD_DELETE_MEMBERSHIP,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_delete_membership_doit,
		.policy = mgm_nl_membership_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_membership_policy) - 1,
	},
	{
		.cmd = MGM_CMD_SET_MFE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_set_mfe_doit,
		.policy = mgm_nl_set_mfe_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_set_mfe_policy) - 1,
	},
	{
		.cmd = MGM_CMD_GET_MFE,
		.doit = mgm_nl_get_mfe_doit,
		.start = mgm_nl_get_mfe_start,
		.dumpit = mgm_nl_get_mfe_dumpit,
		.policy = mgm_nl_get_mfe_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_get_mfe_policy) - 1,
	},
	{
		.cmd = MGM_CMD_GET_GROUP,
		.start = mgm_nl_get_group_start,
		.dumpit = mgm_nl_get_group_dumpit,
		.policy = mgm_nl_get_group_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_get_group_policy) - 1,
	},
	{
		.cmd = MGM_CMD_RPF_REPLY,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_rpf_reply_doit,
		.policy = mgm_nl_rpf_reply_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_rpf_reply_policy) - 1,
	},
	{
		.cmd = MGM_CMD_CREATION_REPLY,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_creation_reply_doit,
		.policy = mgm_nl_creation_reply_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_creation_reply_policy) - 1,
	},
	{
		.cmd = MGM_CMD_PRUNE_REPLY,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = mgm_nl_prune_reply_doit,
		.policy = mgm_nl_prune_reply_policy,
		.maxattr = ARRAY_SIZE(mgm_nl_prune_reply_policy) - 1,
	},
};

static struct genl_family mgm_nl_family __ro_after_init = {
	.name = MGM_FAMILY_NAME,
	.version = MGM_FAMILY_VERSION,
	.netnsok = true,
	/* the core serializes writers with its own per-netns mutex */
	.parallel_ops = true,
	/* strict header and attribute validation for every command */
	.resv_start_op = 0,
	.ops = mgm_nl_ops,
	.n_ops = ARRAY_SIZE(mgm_nl_ops),
	.mcgrps = mgm_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mgm_nl_mcgrps),
	.module = THIS_MODULE,
};

int mgm_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&mgm_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&mgm_nl_family);
	if (err) {
		netlink_unregister_notifier(&mgm_nl_notifier);
		return err;
	}

	down_write(&mgm_nl_live_sem);
	mgm_nl_live = true;
	up_write(&mgm_nl_live_sem);
	mgm_set_monitor(&mgm_nl_monitor_ops);
	return 0;
}

/*
 * Called before the core's pernet exit, which shuts down whatever is still
 * registered, ours included, and calls our callbacks on the way: they must
 * find mgm_nl_live false and our registrations must stay untouched by them.
 */
void mgm_netlink_exit(void)
{
	struct mgm_nl_reg *reg, *tmp;

	down_write(&mgm_nl_live_sem);
	mgm_nl_live = false;
	up_write(&mgm_nl_live_sem);
	mgm_set_monitor(NULL);

	/* waits for requests in flight */
	genl_unregister_family(&mgm_nl_family);
	/* waits for socket closes in flight */
	netlink_unregister_notifier(&mgm_nl_notifier);

	/* The core keeps pointers to these, but passes them only to us. */
	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry_safe(reg, tmp, &mgm_nl_regs, node) {
		list_del(&reg->node);
		kfree_rcu(reg, rcu);
	}
	mutex_unlock(&mgm_nl_regs_lock);
}
