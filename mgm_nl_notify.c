// SPDX-License-Identifier: GPL-2.0
/*
 * What the "mgm" family sends unasked: the callbacks of the netlink
 * registrations, as notifications to the socket that registered (questions
 * among them, answered by the reply commands of mgm_nl_request.c), and the
 * events of the "monitor" group, which copies most of them.
 *
 * Kept apart from the commands because it runs the other way round: the
 * core calls in, with its per-netns mutex held, whenever its state changes,
 * and nothing here answers a request; all of it may run after the family
 * is gone, so all of it checks first that sending is still allowed.
 */

#include <linux/netlink.h>
#include <linux/rwsem.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "mgm_netlink.h"

/*
 * Callbacks and monitor events may arrive from the core at any time, also
 * from its netdev work and its pernet exit, which outlive the family.  They
 * send only while mgm_nl_live, read under mgm_nl_live_sem, so that nothing
 * is sent once unloading started.
 */
static DECLARE_RWSEM(mgm_nl_live_sem);
static bool mgm_nl_live;

static int mgm_nl_put_cookie(struct sk_buff *skb, u64 cookie)
{
	return nla_put_u64_64bit(skb, MGM_A_COOKIE, cookie, MGM_A_PAD);
}

static int mgm_nl_put_packet(struct sk_buff *skb, const void *hdr,
			     unsigned int len)
{
	return len ? nla_put(skb, MGM_A_PACKET, len, hdr) : 0;
}

/*
 * The start of the two questions about a new source (rpf, creation alert):
 * the cookie to answer with, the flow, and where it arrived.
 */
static int mgm_nl_put_new_source(struct sk_buff *skb, u64 cookie,
				 const struct mgm_sg *sg, u32 in_ifindex,
				 __be32 in_nexthop)
{
	if (mgm_nl_put_cookie(skb, cookie) ||
	    nla_put_in_addr(skb, MGM_A_SOURCE, sg->source) ||
	    nla_put_in_addr(skb, MGM_A_GROUP, sg->group) ||
	    nla_put_u32(skb, MGM_A_IIF, in_ifindex) ||
	    nla_put_in_addr(skb, MGM_A_IIF_NEXTHOP, in_nexthop))
		return -EMSGSIZE;
	return 0;
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
 * at once (mgm_nl_lost()).
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
 * Notifications to a registration's socket wait on its queue, several of
 * them going to one datagram when the queue is sent (mgm_nl_reg_flush()):
 * after each request that asked for an ack or ends its datagram
 * (mgm_nl_post_doit(), so that what a request caused arrives before its
 * ack), after a socket's close, at the end of each pass over ipmr's
 * reports (the core's flush), and otherwise from mgm_nl_flush_work a tick
 * later: not at once, because on another CPU it would send each message
 * of a burst alone.  The core calls back with its mutex held, which the
 * sending must not need.
 */
static atomic_t mgm_nl_queued = ATOMIC_INIT(0);

static void mgm_nl_flush_fn(struct work_struct *work)
{
	mgm_nl_flush();
}

static DECLARE_DELAYED_WORK(mgm_nl_flush_work, mgm_nl_flush_fn);

void mgm_nl_reg_init(struct mgm_nl_reg *reg)
{
	skb_queue_head_init(&reg->outq);
	reg->out_bytes = 0;
}

/*
 * Queue @msg for the registration's socket.  The queue holds at most what
 * the socket's receive buffer does (but always one message): past that the
 * daemon is not reading, and the message is lost as a full socket would
 * lose it (-ENOBUFS).
 */
static int mgm_nl_queue(struct mgm_nl_reg *reg, struct sk_buff *msg)
{
	unsigned int room;
	struct sock *sk;
	int err = 0;

	rcu_read_lock();
	sk = READ_ONCE(reg->sk);
	room = sk ? READ_ONCE(sk->sk_rcvbuf) : 0;
	rcu_read_unlock();

	spin_lock(&reg->outq.lock);
	if (reg->out_bytes && reg->out_bytes + msg->len > room) {
		err = -ENOBUFS;
	} else {
		__skb_queue_tail(&reg->outq, msg);
		reg->out_bytes += msg->len;
	}
	spin_unlock(&reg->outq.lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	atomic_inc(&mgm_nl_queued);
	schedule_delayed_work(&mgm_nl_flush_work, 1);
	return 0;
}

/* Take the registration's queue into @q. */
static void mgm_nl_take_queue(struct mgm_nl_reg *reg, struct sk_buff_head *q)
{
	__skb_queue_head_init(q);
	spin_lock(&reg->outq.lock);
	skb_queue_splice_init(&reg->outq, q);
	reg->out_bytes = 0;
	spin_unlock(&reg->outq.lock);
	atomic_sub(skb_queue_len(q), &mgm_nl_queued);
}

void mgm_nl_reg_purge(struct mgm_nl_reg *reg)
{
	struct sk_buff_head q;

	mgm_nl_take_queue(reg, &q);
	__skb_queue_purge(&q);
}

/*
 * Send one datagram of queued messages.  If the socket has no room, it
 * goes to @lost, whose questions then take their defaults.
 */
static void mgm_nl_send_out(struct mgm_nl_reg *reg, struct sk_buff *out,
			    struct sk_buff_head *lost)
{
	/* a reference of our own, to read the cookies of a lost datagram */
	skb_get(out);
	if (genlmsg_unicast(reg->net, out, reg->portid))
		__skb_queue_tail(lost, out);
	else
		consume_skb(out);
}

/*
 * The questions of datagrams that did not reach the socket cannot be
 * answered: MGM takes their defaults now (mgm_nl_lost()).
 */
static void mgm_nl_lost_out(struct net *net, struct sk_buff_head *lost)
{
	struct mgm_net *mn = mgm_pernet(net);
	const struct nlattr *cookie;
	struct nlmsghdr *nlh;
	struct sk_buff *out;
	int rem;

	if (mgm_lock(mn, NULL)) {
		__skb_queue_purge(lost);
		return;
	}
	while ((out = __skb_dequeue(lost))) {
		nlmsg_for_each_msg(nlh, (struct nlmsghdr *)out->data, out->len,
				   rem) {
			cookie = nlmsg_find_attr(nlh, GENL_HDRLEN,
						 MGM_A_COOKIE);
			if (cookie && nla_len(cookie) == sizeof(u64))
				mgm_question_undelivered(net,
							 nla_get_u64(cookie));
		}
		kfree_skb(out);
	}
	mutex_unlock(&mn->lock);
}

/*
 * Send the registration's queue, as many messages to a datagram as fit in
 * NLMSG_DEFAULT_SIZE (a reader needs a buffer of 8 KiB, as for dumps).
 * Called with mgm_nl_regs_lock held, which keeps @reg.  A closing socket
 * no longer owns its port id, which another socket may already have bound:
 * nothing is sent there.  The test and the send are not atomic; a socket
 * closing in between loses the messages.
 */
void mgm_nl_reg_flush(struct mgm_nl_reg *reg)
{
	struct sk_buff *msg, *out = NULL;
	struct sk_buff_head q, lost;
	bool drop;

	if (skb_queue_empty_lockless(&reg->outq))
		return;
	mgm_nl_take_queue(reg, &q);
	__skb_queue_head_init(&lost);

	down_read(&mgm_nl_live_sem);
	/* nobody to answer: the deregistration that follows takes defaults */
	drop = !mgm_nl_live || mgm_nl_sk_closing(reg);
	while (!drop && (msg = __skb_dequeue(&q))) {
		if (out && skb_tailroom(out) < msg->len) {
			mgm_nl_send_out(reg, out, &lost);
			out = NULL;
		}
		if (!out) {
			out = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
			/* no memory or a message too big: alone, as it is */
			if (!out || skb_tailroom(out) < msg->len) {
				kfree_skb(out);
				out = msg;
				continue;
			}
		}
		skb_put_data(out, msg->data, msg->len);
		consume_skb(msg);
	}
	if (out)
		mgm_nl_send_out(reg, out, &lost);
	up_read(&mgm_nl_live_sem);
	__skb_queue_purge(&q);
	if (!skb_queue_empty(&lost))
		mgm_nl_lost_out(reg->net, &lost);
}

/* Some registration's queue holds a message. */
bool mgm_nl_pending(void)
{
	return atomic_read(&mgm_nl_queued);
}

/*
 * To the registration's queue, and with @copy to the monitor group too,
 * at once.  Returns what mgm_nl_queue() does.
 */
static int mgm_nl_note_send(struct mgm_nl_reg *reg, struct sk_buff *msg,
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
	/* nobody to answer: the deregistration that follows takes defaults */
	if (mgm_nl_sk_closing(reg)) {
		nlmsg_free(msg);
		return 0;
	}
	return mgm_nl_queue(reg, msg);
}

/*
 * The error of a question that could not be sent: no memory, or (from
 * mgm_nl_note_send()) a full queue, the daemon not reading.
 * Not one for a closing socket, nor while unloading.  Called with
 * mgm_nl_live_sem held for reading.
 */
static int mgm_nl_unsent(struct mgm_nl_reg *reg)
{
	return mgm_nl_live && !mgm_nl_sk_closing(reg) ? -ENOMEM : 0;
}

/*
 * A question (@cookie set) that did not reach the socket cannot be
 * answered, so MGM is told to take the default now.  Called after
 * mgm_nl_live_sem was let go of (MGM may send a limits-hit event), so with
 * the netns read before, while the registration was still ours.
 */
static void mgm_nl_lost(struct net *net, int err, u64 cookie)
{
	/* no @net: unloading, where the netns exits clean up */
	if (net && err && cookie)
		mgm_question_undelivered(net, cookie);
}

static void mgm_nl_rpf(void *priv, struct mgm_rpf *rpf)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;
	struct net *net;
	int err;

	down_read(&mgm_nl_live_sem);
	net = mgm_nl_live ? reg->net : NULL;
	msg = mgm_nl_note_new(reg, MGM_CMD_RPF,
			      MGM_NL_MSG_SIZE + nla_total_size(rpf->hdr_len),
			      MGM_COMPAT_MONITOR_QUESTIONS);
	if (msg &&
	    (mgm_nl_put_new_source(msg, rpf->cookie, &rpf->sg,
				   rpf->in_ifindex, rpf->in_nexthop) ||
	     nla_put_in_addr(msg, MGM_A_UPSTREAM, rpf->upstream) ||
	     mgm_nl_put_route(msg, &rpf->route) ||
	     mgm_nl_put_packet(msg, rpf->hdr, rpf->hdr_len))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = msg ? mgm_nl_note_send(reg, msg, MGM_COMPAT_MONITOR_QUESTIONS) :
		    mgm_nl_unsent(reg);
	up_read(&mgm_nl_live_sem);
	mgm_nl_lost(net, err, rpf->cookie);
}

static int mgm_nl_put_if_entries(struct sk_buff *skb, unsigned int n,
				 const struct mgm_if_entry *oifs)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mgm_nl_put_oif(skb, oifs[i].ifindex, oifs[i].nexthop,
				   oifs[i].igmp))
			return -EMSGSIZE;
	return 0;
}

static void mgm_nl_creation_alert(void *priv, const struct mgm_sg *sg,
				  u32 in_ifindex, __be32 in_nexthop,
				  unsigned int n_oifs,
				  struct mgm_if_entry *oifs, u64 cookie)
{
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;
	struct net *net;
	int err;

	down_read(&mgm_nl_live_sem);
	net = mgm_nl_live ? reg->net : NULL;
	msg = mgm_nl_note_new(reg, MGM_CMD_CREATION_ALERT,
			      MGM_NL_MSG_SIZE + n_oifs * MGM_NL_OIF_SIZE,
			      MGM_COMPAT_MONITOR_QUESTIONS);
	if (msg &&
	    (mgm_nl_put_new_source(msg, cookie, sg, in_ifindex, in_nexthop) ||
	     mgm_nl_put_if_entries(msg, n_oifs, oifs))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = msg ? mgm_nl_note_send(reg, msg, MGM_COMPAT_MONITOR_QUESTIONS) :
		    mgm_nl_unsent(reg);
	up_read(&mgm_nl_live_sem);
	mgm_nl_lost(net, err, cookie);
}

/* Only the MFE-level alert (member_delete false) is a question. */
static void mgm_nl_prune_alert(void *priv, const struct mgm_sg *sg,
			       u32 ifindex, __be32 nexthop, bool member_delete,
			       u32 *timeout, u64 cookie)
{
	bool copy = member_delete || MGM_COMPAT_MONITOR_QUESTIONS;
	struct mgm_nl_reg *reg = priv;
	struct sk_buff *msg;
	struct net *net;
	int err;

	down_read(&mgm_nl_live_sem);
	net = mgm_nl_live ? reg->net : NULL;
	msg = mgm_nl_note_new(reg, MGM_CMD_PRUNE_ALERT, MGM_NL_MSG_SIZE, copy);
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
	err = msg ? mgm_nl_note_send(reg, msg, copy) : mgm_nl_unsent(reg);
	up_read(&mgm_nl_live_sem);
	if (!member_delete)
		mgm_nl_lost(net, err, cookie);
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
			      MGM_NL_MSG_SIZE + nla_total_size(hdr_len),
			      MGM_COMPAT_MONITOR_QUESTIONS);
	if (msg &&
	    (nla_put_in_addr(msg, MGM_A_SOURCE, source) ||
	     nla_put_in_addr(msg, MGM_A_GROUP, group) ||
	     mgm_nl_put_if(msg, ifindex, nexthop) ||
	     mgm_nl_put_packet(msg, hdr, hdr_len))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_note_send(reg, msg, MGM_COMPAT_MONITOR_QUESTIONS);
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
const struct mgm_protocol_ops mgm_nl_protocol_ops = {
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
	     (cmd == MGM_CMD_PROTOCOL_CHANGE &&
	      mgm_nl_put_protocol_state(msg, p)) ||
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

static void mgm_nl_limits_event(struct mgm_net *mn)
{
	struct sk_buff *msg;

	lockdep_assert_held(&mn->lock);
	down_read(&mgm_nl_live_sem);
	msg = mgm_nl_event_new(mn->net, MGM_CMD_LIMITS_HIT, MGM_NL_STATS_SIZE);
	if (msg && mgm_nl_put_counters(msg, &mn->counters)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (msg)
		mgm_nl_event_send(mn->net, msg);
	up_read(&mgm_nl_live_sem);
}

static const struct mgm_monitor_ops mgm_nl_monitor_ops = {
	.event = mgm_nl_monitor_event,
	.member_event = mgm_nl_member_event,
	.mfe_event = mgm_nl_mfe_event,
	.limits_event = mgm_nl_limits_event,
	.flush = mgm_nl_flush,
};

void mgm_nl_notify_start(void)
{
	down_write(&mgm_nl_live_sem);
	mgm_nl_live = true;
	up_write(&mgm_nl_live_sem);
	mgm_set_monitor(&mgm_nl_monitor_ops);
}

/*
 * Once this returns, nothing more is sent and no registration is used
 * but to empty its queue (mgm_nl_reg_purge()).
 */
void mgm_nl_notify_stop(void)
{
	down_write(&mgm_nl_live_sem);
	mgm_nl_live = false;
	up_write(&mgm_nl_live_sem);
	mgm_set_monitor(NULL);
	cancel_delayed_work_sync(&mgm_nl_flush_work);
}
