// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgm" generic netlink family: userspace routing protocols register,
 * take and release interfaces, and receive their callbacks as unicast
 * notifications; tools dump the state and follow it on the "monitor" group.
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

/* Room for every attribute any message of this family carries. */
#define MGM_NL_MSG_SIZE	(9 * nla_total_size(sizeof(u32)))

static u64 mgm_nl_if_key(const struct mgm_if *ifp)
{
	return (u64)ifp->ifindex << 32 | ntohl(ifp->nexthop);
}

static __be32 mgm_nl_nexthop(const struct genl_info *info)
{
	const struct nlattr *attr = info->attrs[MGM_A_NEXTHOP];

	return attr ? nla_get_in_addr(attr) : 0;
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
				  mgm_nl_nexthop(info), info->extack);
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
				     mgm_nl_nexthop(info), info->extack);
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

	if (nla_put_u32(skb, MGM_A_IFINDEX, ifp->ifindex) ||
	    nla_put_in_addr(skb, MGM_A_NEXTHOP, ifp->nexthop))
		goto nla_put_failure;
	if (owner &&
	    (nla_put_u32(skb, MGM_A_HANDLE, owner->handle) ||
	     nla_put_u32(skb, MGM_A_PROTOCOL_ID, owner->protocol_id) ||
	     nla_put_u32(skb, MGM_A_COMPONENT_ID, owner->component_id)))
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
				mgm_nl_nexthop(info));
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

	if (nla_put_u32(skb, MGM_A_HANDLE, p->handle) ||
	    nla_put_u32(skb, MGM_A_PROTOCOL_ID, p->protocol_id) ||
	    nla_put_u32(skb, MGM_A_COMPONENT_ID, p->component_id) ||
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

/*
 * The callbacks of the netlink registrations.  They run in process context
 * with the core's per-netns mutex held.  Delivery is best effort: a full
 * socket buffer loses the notification, as for any netlink notification.
 */
static void mgm_nl_igmp_notify(struct mgm_nl_reg *reg, u8 cmd, u32 ifindex,
			       __be32 nexthop)
{
	struct sk_buff *msg;
	void *hdr;

	down_read(&mgm_nl_live_sem);
	/*
	 * A closing socket no longer owns its port id, which another socket
	 * may already have bound: send nothing there.  The test and the send
	 * are not atomic; a socket closing in between loses the message.
	 */
	if (!mgm_nl_live || mgm_nl_sk_closing(reg))
		goto out;

	msg = genlmsg_new(MGM_NL_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &mgm_nl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(msg, MGM_A_HANDLE, reg->handle) ||
	    nla_put_u32(msg, MGM_A_IFINDEX, ifindex) ||
	    nla_put_in_addr(msg, MGM_A_NEXTHOP, nexthop)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_unicast(reg->net, msg, reg->portid);
out:
	up_read(&mgm_nl_live_sem);
}

static void mgm_nl_disable_igmp(void *priv, u32 ifindex, __be32 nexthop)
{
	mgm_nl_igmp_notify(priv, MGM_CMD_DISABLE_IGMP, ifindex, nexthop);
}

static void mgm_nl_enable_igmp(void *priv, u32 ifindex, __be32 nexthop)
{
	mgm_nl_igmp_notify(priv, MGM_CMD_ENABLE_IGMP, ifindex, nexthop);
}

static const struct mgm_protocol_ops mgm_nl_protocol_ops = {
	.disable_igmp = mgm_nl_disable_igmp,
	.enable_igmp = mgm_nl_enable_igmp,
};

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
	struct net *net = mn->net;
	struct sk_buff *msg;
	void *hdr;

	down_read(&mgm_nl_live_sem);
	if (!mgm_nl_live ||
	    !genl_has_listeners(&mgm_nl_family, net, MGM_NLGRP_MONITOR))
		goto out;

	msg = genlmsg_new(MGM_NL_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &mgm_nl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (p &&
	    (nla_put_u32(msg, MGM_A_HANDLE, p->handle) ||
	     nla_put_u32(msg, MGM_A_PROTOCOL_ID, p->protocol_id) ||
	     nla_put_u32(msg, MGM_A_COMPONENT_ID, p->component_id)))
		goto err_free;
	if (mgm_nl_is_if_event(cmd) &&
	    (nla_put_u32(msg, MGM_A_IFINDEX, ifindex) ||
	     nla_put_in_addr(msg, MGM_A_NEXTHOP, nexthop)))
		goto err_free;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mgm_nl_family, net, msg, 0,
				MGM_NLGRP_MONITOR, GFP_KERNEL);
	goto out;

err_free:
	nlmsg_free(msg);
out:
	up_read(&mgm_nl_live_sem);
}

static const struct mgm_monitor_ops mgm_nl_monitor_ops = {
	.event = mgm_nl_monitor_event,
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
	[MGM_A_IFINDEX] = { .type = NLA_U32 },
	[MGM_A_NEXTHOP] = { .type = NLA_BE32 },
};

static const struct nla_policy mgm_nl_get_if_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_IFINDEX] = { .type = NLA_U32 },
	[MGM_A_NEXTHOP] = { .type = NLA_BE32 },
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
