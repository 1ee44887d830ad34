// SPDX-License-Identifier: GPL-2.0
/*
 * The "mgm" generic netlink family: userspace routing protocols register,
 * take and release interfaces, report memberships, and receive their
 * callbacks as unicast notifications; the callbacks that return data (rpf,
 * creation and prune alerts) are questions answered by a reply command.
 * Tools dump the state and follow it on the "monitor" group.
 *
 * This file holds the family itself (policies, ops, multicast group, init
 * and exit) and the registrations that sockets own; what the commands do is
 * in mgm_nl_request.c (changes), mgm_nl_dump.c (gets and dumps) and
 * mgm_nl_notify.c (what goes out to userspace unasked), see mgm_netlink.h.
 *
 * A registration made here belongs to the socket that made it.  Its private
 * data (struct mgm_nl_reg) remembers that socket, so that only it may use
 * the handle, callbacks reach it, and its closing shuts the protocol down.
 * Registering, deregistering and socket close are kept together here
 * because they alone add to and take from the list of registrations.
 */

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "mgm_netlink.h"

/*
 * Every netlink registration, so that socket close finds its own and module
 * unload frees what the core still points to (the core's pernet exit shuts
 * those protocols down after this file is gone, and never frees our priv).
 */
static LIST_HEAD(mgm_nl_regs);
static DEFINE_MUTEX(mgm_nl_regs_lock);

/*
 * Look up MGM_A_HANDLE (present) and check that the requesting socket
 * registered it.  *@regp may be freed as soon as the RCU section ends, by
 * a concurrent DEREGISTER from another thread on the same socket: only the
 * caller whose mgm_deregister() succeeded may use it afterwards.  (The
 * socket itself cannot close while one of its requests runs.)
 */
int mgm_nl_get_reg(struct sk_buff *skb, struct genl_info *info,
		   struct mgm_nl_reg **regp)
{
	struct mgm_net *mn = mgm_pernet(genl_info_net(info));
	struct nlattr *attr = info->attrs[MGM_A_HANDLE];
	struct mgm_protocol *p;
	struct mgm_nl_reg *reg;
	int err = 0;

	rcu_read_lock();
	p = mgm_protocol_lookup_rcu(mn, nla_get_u32(attr));
	reg = p ? p->priv : NULL;
	/* one not yet announced does not exist yet (mgm_nl_reg.ready) */
	if (!p || (p->ops == &mgm_nl_protocol_ops && !READ_ONCE(reg->ready))) {
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

/* Free @reg, no longer on mgm_nl_regs, when RCU readers are done. */
static void mgm_nl_reg_free(struct mgm_nl_reg *reg)
{
	mgm_nl_reg_purge(reg);
	kfree_rcu(reg, rcu);
}

/* What waited for its socket goes first, then the registration. */
static void mgm_nl_reg_forget(struct mgm_nl_reg *reg)
{
	mutex_lock(&mgm_nl_regs_lock);
	mgm_nl_reg_flush(reg);
	list_del(&reg->node);
	mutex_unlock(&mgm_nl_regs_lock);
	mgm_nl_reg_free(reg);
}

/*
 * Graceful restart (mgm.rst, "Graceful restart").  A registration with a
 * hold time whose socket closes is held: it stays on mgm_nl_regs without a
 * socket, and the core keeps its state.  A register of the same protocol
 * and component in the same netns takes it over and resyncs.  Each netns
 * has one delayed work that ends the holds (the normal shutdown) and the
 * resyncs that are due; the netns's exit cancels it and shuts down what is
 * still held there, before the core's own exit (registered after it).
 */
struct mgm_nl_net {
	struct net *net;
	struct delayed_work expire;
	/* under mgm_nl_regs_lock: the work is queued to run at @when */
	bool armed;
	unsigned long when;
};

static unsigned int mgm_nl_net_id __read_mostly;

/* Called with mgm_nl_regs_lock held. */
static void mgm_nl_arm(struct net *net, unsigned long until)
{
	struct mgm_nl_net *nn = net_generic(net, mgm_nl_net_id);
	long delay = (long)(until - jiffies);

	if (nn->armed && time_before_eq(nn->when, until))
		return;
	nn->armed = true;
	nn->when = until;
	/* a shutdown's release sequences may take long: not system_wq */
	mod_delayed_work(mgm_workqueue(), &nn->expire, max(delay, 0L));
}

/* A due registration of @net, held or resyncing; NULL: none. */
static struct mgm_nl_reg *mgm_nl_due(struct net *net, unsigned long now)
{
	struct mgm_nl_reg *reg;

	list_for_each_entry(reg, &mgm_nl_regs, node)
		if (reg->net == net && (reg->held || reg->resyncing) &&
		    time_after_eq(now, reg->until))
			return reg;
	return NULL;
}

static void mgm_nl_expire_fn(struct work_struct *work)
{
	struct mgm_nl_net *nn = container_of(to_delayed_work(work),
					     struct mgm_nl_net, expire);
	struct mgm_nl_reg *reg;
	unsigned long until;
	u32 handle;
	bool held;

	mutex_lock(&mgm_nl_regs_lock);
	nn->armed = false;
	while ((reg = mgm_nl_due(nn->net, jiffies))) {
		handle = reg->handle;
		held = reg->held;
		until = reg->until;
		reg->resyncing = false;
		if (held)
			list_del(&reg->node);
		mutex_unlock(&mgm_nl_regs_lock);
		if (held) {
			/* the hold ran out: as if the socket closed now */
			mgm_shutdown_protocol(nn->net, handle);
			mgm_nl_reg_free(reg);
		} else {
			/*
			 * -EINVAL: a resync-end came first, or this resync
			 * ended and another began (its own deadline)
			 */
			mgm_protocol_resync_end(nn->net, handle, until, NULL);
		}
		mgm_nl_flush();
		mutex_lock(&mgm_nl_regs_lock);
	}
	list_for_each_entry(reg, &mgm_nl_regs, node)
		if (reg->net == nn->net && (reg->held || reg->resyncing))
			mgm_nl_arm(nn->net, reg->until);
	mutex_unlock(&mgm_nl_regs_lock);
}

static int __net_init mgm_nl_net_init(struct net *net)
{
	struct mgm_nl_net *nn = net_generic(net, mgm_nl_net_id);

	nn->net = net;
	INIT_DELAYED_WORK(&nn->expire, mgm_nl_expire_fn);
	return 0;
}

/*
 * What is held goes now, as if its hold ran out.  Nothing arms the work
 * again: a netns exits once its last socket is gone, and at module unload
 * the family and the close notifier are gone before this runs.
 */
static void __net_exit mgm_nl_net_exit(struct net *net)
{
	struct mgm_nl_net *nn = net_generic(net, mgm_nl_net_id);
	struct mgm_nl_reg *reg, *tmp;
	LIST_HEAD(held);

	cancel_delayed_work_sync(&nn->expire);
	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry_safe(reg, tmp, &mgm_nl_regs, node)
		if (reg->net == net && reg->held)
			list_move(&reg->node, &held);
	mutex_unlock(&mgm_nl_regs_lock);
	list_for_each_entry_safe(reg, tmp, &held, node) {
		list_del(&reg->node);
		mgm_shutdown_protocol(net, reg->handle);
		mgm_nl_reg_free(reg);
	}
}

/* A device op, as the core's, so that its exit runs before the core's. */
static struct pernet_operations mgm_nl_net_ops = {
	.init = mgm_nl_net_init,
	.exit = mgm_nl_net_exit,
	.id = &mgm_nl_net_id,
	.size = sizeof(struct mgm_nl_net),
};

/*
 * Keep the state of @reg (taken off mgm_nl_regs by the caller) without a
 * socket for its hold time, back on the list as held; false if the core
 * no longer knows it.
 */
static bool mgm_nl_hold(struct mgm_nl_reg *reg)
{
	unsigned long until = jiffies + reg->hold_time * HZ;

	if (mgm_protocol_hold(reg->net, reg->handle, until))
		return false;
	mutex_lock(&mgm_nl_regs_lock);
	WRITE_ONCE(reg->sk, NULL);
	WRITE_ONCE(reg->portid, 0);
	reg->held = true;
	reg->resyncing = false;
	reg->until = until;
	list_add(&reg->node, &mgm_nl_regs);
	mgm_nl_arm(reg->net, until);
	mutex_unlock(&mgm_nl_regs_lock);
	return true;
}

/*
 * A held registration of the same ids in @net becomes the requester's,
 * resyncing for one more of its old hold time; NULL if there is none.
 */
static struct mgm_nl_reg *mgm_nl_take_over(struct sk_buff *skb,
					   struct genl_info *info,
					   u32 protocol_id, u32 component_id,
					   u32 hold_time)
{
	struct net *net = genl_info_net(info);
	struct mgm_nl_reg *reg, *found = NULL;
	unsigned long until = 0;
	int err;

	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry(reg, &mgm_nl_regs, node) {
		if (reg->net == net && reg->held &&
		    reg->protocol_id == protocol_id &&
		    reg->component_id == component_id) {
			found = reg;
			break;
		}
	}
	if (found) {
		until = jiffies + found->hold_time * HZ;
		/* off the list until the core agrees: no work or close sees it */
		list_del(&found->node);
		found->held = false;
		/* as for a new one: the reply announces the handle again */
		WRITE_ONCE(found->ready, false);
	}
	mutex_unlock(&mgm_nl_regs_lock);
	if (!found)
		return NULL;

	err = mgm_protocol_resync(net, found->handle, until);
	if (err == -ENOENT || err == -ENODEV) {
		/* the core let it go (its netns is exiting): as if not found */
		mgm_nl_reg_free(found);
		return NULL;
	}
	if (err) {
		/* not taken over: held as before */
		mutex_lock(&mgm_nl_regs_lock);
		found->held = true;
		WRITE_ONCE(found->ready, true);
		list_add(&found->node, &mgm_nl_regs);
		mutex_unlock(&mgm_nl_regs_lock);
		return NULL;
	}
	mutex_lock(&mgm_nl_regs_lock);
	WRITE_ONCE(found->portid, info->snd_portid);
	WRITE_ONCE(found->hold_time, hold_time);
	found->resyncing = true;
	found->until = until;
	WRITE_ONCE(found->sk, NETLINK_CB(skb).sk);
	list_add(&found->node, &mgm_nl_regs);
	mgm_nl_arm(net, until);
	mutex_unlock(&mgm_nl_regs_lock);
	return found;
}

void mgm_nl_flush(void)
{
	struct mgm_nl_reg *reg;

	if (!mgm_nl_pending())
		return;
	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry(reg, &mgm_nl_regs, node)
		mgm_nl_reg_flush(reg);
	mutex_unlock(&mgm_nl_regs_lock);
}

/*
 * After each request: the notifications it caused go out before its ack
 * (netlink acks after this), to its own socket and to the others.  Within
 * a datagram of several requests without NLM_F_ACK (a daemon's batch of
 * replies), only after the last one, so that they share datagrams too.
 */
static void mgm_nl_post_doit(const struct mgm_compat_doit_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	if ((info->nlhdr->nlmsg_flags & NLM_F_ACK) ||
	    NLMSG_ALIGN(info->nlhdr->nlmsg_len) >= skb->len)
		mgm_nl_flush();
}

/*
 * A registration whose handle never reached its owner would hold
 * interfaces hostage until the socket closes: undo it, unless a guess of
 * the handle already did (and freed reg).  Only a successful deregister
 * makes reg ours to free: one taken over that owns interfaces (-EBUSY)
 * stays the socket's, whose close holds it again for the next register.
 */
static void mgm_nl_register_undo(struct net *net, struct mgm_nl_reg *reg,
				 u32 handle)
{
	if (!mgm_deregister(net, handle, NULL))
		mgm_nl_reg_forget(reg);
}

int mgm_nl_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 protocol_id, component_id, hold_time = 0;
	struct net *net = genl_info_net(info);
	bool resync = false;
	struct mgm_nl_reg *reg;
	struct sk_buff *msg;
	u32 handle;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_PROTOCOL_ID) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COMPONENT_ID))
		return -EINVAL;
	protocol_id = nla_get_u32(info->attrs[MGM_A_PROTOCOL_ID]);
	component_id = nla_get_u32(info->attrs[MGM_A_COMPONENT_ID]);
	if (info->attrs[MGM_A_HOLD_TIME])
		hold_time = nla_get_u32(info->attrs[MGM_A_HOLD_TIME]);

	/* Allocated first: once registered, only sending may fail. */
	msg = genlmsg_new(MGM_NL_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	reg = mgm_nl_take_over(skb, info, protocol_id, component_id,
			       hold_time);
	if (reg) {
		resync = true;
		handle = reg->handle;
		goto reply;
	}
	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg) {
		err = -ENOMEM;
		goto err_free_msg;
	}
	reg->sk = NETLINK_CB(skb).sk;
	reg->net = net;
	reg->portid = info->snd_portid;
	reg->protocol_id = protocol_id;
	reg->component_id = component_id;
	reg->hold_time = hold_time;
	mgm_nl_reg_init(reg);

	err = mgm_register(net, protocol_id, component_id,
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
reply:
	hdr = genlmsg_put_reply(msg, info, &mgm_nl_family, 0,
				MGM_CMD_REGISTER);
	if (!hdr || nla_put_u32(msg, MGM_A_HANDLE, handle) ||
	    (resync && nla_put_flag(msg, MGM_A_RESYNC))) {
		err = -EMSGSIZE;
		mgm_nl_register_undo(net, reg, handle);
		goto err_free_msg;
	}
	genlmsg_end(msg, hdr);

	/* ready before the reply: its reader may use the handle at once */
	WRITE_ONCE(reg->ready, true);
	err = genlmsg_reply(msg, info);
	if (err)
		mgm_nl_register_undo(net, reg, handle);
	return err;

err_free_msg:
	nlmsg_free(msg);
	return err;
}

int mgm_nl_deregister_doit(struct sk_buff *skb, struct genl_info *info)
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

int mgm_nl_resync_end_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 handle;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	handle = nla_get_u32(info->attrs[MGM_A_HANDLE]);
	err = mgm_protocol_resync_end(genl_info_net(info), handle, 0,
				      info->extack);
	if (err == -EINVAL)
		NL_SET_BAD_ATTR(info->extack, info->attrs[MGM_A_HANDLE]);
	/*
	 * reg->resyncing stays: another thread's deregister may free reg now.
	 * The work's resync-end then finds the deadline gone (-EINVAL).
	 */
	return err;
}

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

	/*
	 * Process context, under netlink_chain's rwsem only (read): the core
	 * may sleep and call back, but must not release a netlink socket of
	 * its own from here, whose release would take the chain again.
	 */
	list_for_each_entry_safe(reg, tmp, &closing, node) {
		list_del(&reg->node);
		/* kept for a restart instead (mgm.rst, "Graceful restart") */
		if (reg->hold_time && mgm_nl_hold(reg))
			continue;
		err = mgm_shutdown_protocol(reg->net, reg->handle);
		mutex_lock(&mgm_nl_regs_lock);
		/* -ENOENT and -ENODEV: the core has no record of it any more */
		if (err && err != -ENOENT && err != -ENODEV) {
			/* orphaned (sk is NULL); freed at module unload */
			pr_warn("mgm: shutdown of handle %u failed: %d\n",
				reg->handle, err);
			list_add(&reg->node, &mgm_nl_regs);
			mutex_unlock(&mgm_nl_regs_lock);
			continue;
		}
		mutex_unlock(&mgm_nl_regs_lock);
		mgm_nl_reg_free(reg);
	}
	/* the alerts its shutdown sent to other protocols */
	mgm_nl_flush();
	return NOTIFY_OK;
}

static struct notifier_block mgm_nl_notifier = {
	.notifier_call = mgm_nl_urelease,
};

static const struct genl_multicast_group mgm_nl_mcgrps[] = {
	/* it carries the questions' cookies: for the netns's admins only */
	[MGM_NLGRP_MONITOR] = MGM_COMPAT_ADMIN_MCGRP(MGM_MCGRP_MONITOR),
};

/*
 * The ops are generated from the spec (mgm_genl.c) as split ops, one per
 * do and per dump, which 6.1 does not have.  Both kernels register them
 * folded into struct genl_ops, one per command, whose one policy validates
 * the do and the dump alike: the same validation on every kernel (a
 * command without a policy takes no attributes at all).  A command's
 * policy is its do's when it has one (a superset of its dump's, which
 * make check verifies on the spec), else its dump's.  The generated table
 * lists a command's do before its dump, commands in order.
 */
static struct genl_ops mgm_nl_folded_ops[ARRAY_SIZE(mgm_nl_ops)] __ro_after_init;

static unsigned int mgm_nl_fold_ops(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(mgm_nl_ops); i++) {
		const struct genl_split_ops *s = &mgm_nl_ops[i];
		struct genl_ops *o = &mgm_nl_folded_ops[n];

		if (n && mgm_nl_folded_ops[n - 1].cmd == s->cmd)
			o = &mgm_nl_folded_ops[n - 1];
		else
			n++;
		o->cmd = s->cmd;
		o->flags = s->flags & ~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);
		o->validate = s->validate;
		if (s->flags & GENL_CMD_CAP_DO) {
			o->doit = s->doit;
		} else {
			o->start = s->start;
			o->dumpit = s->dumpit;
			o->done = s->done;
		}
		if (!o->policy) {
			o->policy = s->policy;
			o->maxattr = s->maxattr;
		}
	}
	return n;
}

struct genl_family mgm_nl_family __ro_after_init = {
	.name = MGM_FAMILY_NAME,
	.version = MGM_FAMILY_VERSION,
	.netnsok = true,
	/* the core serializes writers with its own per-netns mutex */
	.parallel_ops = true,
	/* strict header and attribute validation for every command */
	.resv_start_op = 0,
	/* policies and ops: mgm_genl.c, generated from tools/spec/mgm.yaml */
	.ops = mgm_nl_folded_ops,
	/* .n_ops: mgm_nl_fold_ops() */
	.mcgrps = mgm_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mgm_nl_mcgrps),
	.post_doit = mgm_nl_post_doit,
	.module = THIS_MODULE,
};

int mgm_netlink_init(void)
{
	int err;

	err = register_pernet_device(&mgm_nl_net_ops);
	if (err)
		return err;
	err = netlink_register_notifier(&mgm_nl_notifier);
	if (err)
		goto unregister_pernet;
	mgm_nl_family.n_ops = mgm_nl_fold_ops();
	err = genl_register_family(&mgm_nl_family);
	if (err) {
		netlink_unregister_notifier(&mgm_nl_notifier);
		goto unregister_pernet;
	}

	mgm_nl_notify_start();
	return 0;

unregister_pernet:
	unregister_pernet_device(&mgm_nl_net_ops);
	return err;
}

/*
 * Called before the core's pernet exit, which shuts down whatever is still
 * registered, ours included, and calls our callbacks on the way: they must
 * find sending stopped and our registrations must stay untouched by them.
 */
void mgm_netlink_exit(void)
{
	struct mgm_nl_reg *reg, *tmp;

	mgm_nl_notify_stop();

	/* waits for requests in flight */
	genl_unregister_family(&mgm_nl_family);
	/* waits for socket closes in flight */
	netlink_unregister_notifier(&mgm_nl_notifier);
	/* what is still held goes, in every netns */
	unregister_pernet_device(&mgm_nl_net_ops);

	/* The core keeps pointers to these, but passes them only to us. */
	mutex_lock(&mgm_nl_regs_lock);
	list_for_each_entry_safe(reg, tmp, &mgm_nl_regs, node) {
		list_del(&reg->node);
		mgm_nl_reg_free(reg);
	}
	mutex_unlock(&mgm_nl_regs_lock);
}
