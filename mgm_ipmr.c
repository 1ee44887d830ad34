// SPDX-License-Identifier: GPL-2.0
/*
 * MGM's forwarder: the kernel's IPv4 multicast forwarder (ipmr).
 *
 * ipmr gives each of its tables to one owner per netns, a raw IGMP socket that
 * did MRT_INIT, and exports no table function to modules.  So MGM owns the
 * table through a kernel socket of its own and programs it with the MRT_*
 * options, as a multicast routing daemon would (mgm.rst, "Notes on the Linux
 * forwarder"). MGM's tables stay the truth; ipmr mirrors them: one VIF per
 * owned ifindex, one MFC entry per MFE.
 *
 * The socket exists while MGM has a VIF in the netns, so a netns where
 * nobody takes an interface costs nothing and leaves the table to others.
 * Closing it makes ipmr flush everything it installed.
 *
 * Locking: the forwarder ops run under mn->lock, which serializes every
 * change to struct mgm_ipmr and comes before RTNL (each MRT_* option takes
 * RTNL).  Upcalls arrive in softirq context, where sk_data_ready only queues
 * the upcall work.  The worker must not hold mn->lock (the engine it calls
 * takes it), so it reads the socket under mi->rx_lock instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mroute.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sizes.h>
#include <linux/skbuff.h>
#include <linux/stringify.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "mgm_core.h"
#include "mgm_ipmr.h"
#include "mgm_protocol.h"

static unsigned int mgm_ipmr_table = RT_TABLE_DEFAULT;
module_param_named(table, mgm_ipmr_table, uint, 0444);
MODULE_PARM_DESC(table,
		 "ipmr table that MGM owns in each network namespace (default 253, the main multicast table; another one needs 'ip mrule' rules)");

/* ipmr_new_table() refuses larger table ids */
#define MGM_IPMR_TABLE_MAX	999999999U

/* Upcalls handled per run of the worker before it lets other work run. */
#define MGM_IPMR_BUDGET		64

static unsigned int mgm_ipmr_net_id __read_mostly;
static struct workqueue_struct *mgm_ipmr_wq;
static void (*mgm_ipmr_igmp_rcv)(struct net *net, struct sk_buff *skb);

struct mgm_ipmr {
	struct net *net;
	/* owns the ipmr table while a VIF exists; NULL otherwise */
	struct socket *sock;
	/*
	 * rtnetlink, for counters where ipmr's ioctl takes user memory (6.1);
	 * opened at the first read, kept until the netns goes: its release
	 * calls the netlink notifiers, and mgm_ipmr_close() runs inside them
	 * when a protocol's socket closes (NETLINK_URELEASE).
	 */
	struct socket *rtnl;
	u32 rtnl_seq;
	/* keeps @sock alive while the worker reads from it */
	struct mutex rx_lock;
	struct work_struct upcall_work;
	void (*saved_data_ready)(struct sock *sk);
	bool dead;			/* the netns is going away */
	unsigned int n_vifs;
	/* where the search for a free VIF starts */
	unsigned int next_vif;
	/* parent of the MFEs without a VIF for their IIF, -1 for none yet */
	int no_vif;
	/* ifindex of each of our VIFs, 0 for none; READ_ONCE in the worker */
	u32 vif_ifindex[MAXVIFS];
};

static struct mgm_ipmr *mgm_ipmr(const struct net *net)
{
	return net_generic(net, mgm_ipmr_net_id);
}

static int mgm_ipmr_setopt(struct socket *sock, int opt, void *val,
			   unsigned int len)
{
	return sock->ops->setsockopt(sock, SOL_IP, opt, KERNEL_SOCKPTR(val),
				     len);
}

/* The VIF of @ifindex, -1 for none. */
static int mgm_ipmr_vif(const struct mgm_ipmr *mi, u32 ifindex)
{
	int vifi;

	if (!ifindex)		/* marks a free slot */
		return -1;
	for (vifi = 0; vifi < MAXVIFS; vifi++)
		if (mi->vif_ifindex[vifi] == ifindex)
			return vifi;
	return -1;
}

/* ---- upcalls ------------------------------------------------------------ */

/* Softirq context: nothing but queueing the worker. */
static void mgm_ipmr_data_ready(struct sock *sk)
{
	struct mgm_ipmr *mi;

	read_lock_bh(&sk->sk_callback_lock);
	mi = sk->sk_user_data;
	if (mi)
		queue_work(mgm_ipmr_wq, &mi->upcall_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static struct sk_buff *mgm_ipmr_recv(struct mgm_ipmr *mi)
{
	struct sk_buff *skb = NULL;
	int err;

	mutex_lock(&mi->rx_lock);
	if (mi->sock)
		skb = skb_recv_datagram(mi->sock->sk, MSG_DONTWAIT, &err);
	/*
	 * A received skb is still charged to the socket (sock_rfree), which
	 * mgm_ipmr_close() may release while the worker handles the skb: the
	 * engine it calls may close it (the last VIF going), and so may the
	 * IGMP component.  Uncharge it while the socket is sure to exist.
	 */
	if (skb)
		skb_orphan(skb);
	mutex_unlock(&mi->rx_lock);
	return skb;
}

/*
 * An igmpmsg from ipmr: the IP header of the packet that caused it, with
 * the message in place of its ttl, protocol and checksum.  That header is
 * what the engine passes on to the protocols.
 */
static void mgm_ipmr_upcall(struct mgm_ipmr *mi, struct sk_buff *skb)
{
	const struct igmpmsg *msg;
	unsigned int vifi, hdr_len;
	u32 ifindex;

	if (!pskb_may_pull(skb, sizeof(*msg)))
		return;
	msg = (const struct igmpmsg *)skb->data;
	vifi = msg->im_vif | msg->im_vif_hi << 8;
	if (vifi >= MAXVIFS)
		return;
	/* 0 when the VIF went away after ipmr reported the packet */
	ifindex = READ_ONCE(mi->vif_ifindex[vifi]);
	if (!ifindex)
		return;
	hdr_len = min(skb_headlen(skb), ip_hdrlen(skb));

	switch (msg->im_msgtype) {
	case IGMPMSG_NOCACHE:
		mgm_new_source(mi->net, msg->im_src.s_addr, msg->im_dst.s_addr,
			       ifindex, skb->data, hdr_len);
		break;
	case IGMPMSG_WRONGVIF:
		mgm_wrong_if(mi->net, msg->im_src.s_addr, msg->im_dst.s_addr,
			     ifindex, skb->data, hdr_len);
		break;
	}
}

static void mgm_ipmr_igmp(struct mgm_ipmr *mi, struct sk_buff *skb)
{
	void (*rcv)(struct net *net, struct sk_buff *skb);

	rcv = READ_ONCE(mgm_ipmr_igmp_rcv);
	if (rcv)
		rcv(mi->net, skb);
}

static void mgm_ipmr_upcall_work(struct work_struct *work)
{
	struct mgm_ipmr *mi = container_of(work, struct mgm_ipmr, upcall_work);
	struct sk_buff *skb;
	int budget;

	for (budget = MGM_IPMR_BUDGET; budget; budget--) {
		skb = mgm_ipmr_recv(mi);
		if (!skb)
			break;
		skb_reset_network_header(skb);
		/* ipmr's own messages have protocol 0, packets never */
		if (pskb_may_pull(skb, sizeof(struct iphdr))) {
			if (!ip_hdr(skb)->protocol)
				mgm_ipmr_upcall(mi, skb);
			else if (ip_hdr(skb)->protocol == IPPROTO_IGMP)
				mgm_ipmr_igmp(mi, skb);
		}
		consume_skb(skb);
	}
	/* the questions and alerts of this pass go out together, now */
	mgm_notify_flush();
	if (!budget)
		queue_work(mgm_ipmr_wq, work);
}

/*
 * The IGMP component asks for the IGMP packets that arrive in any netns
 * where MGM owns an ipmr table (MGM's socket receives them anyway); they are
 * dropped while nobody asked.  @rcv runs in process context without MGM's
 * locks held, so it may call MGM; it borrows @skb, whose data starts at the
 * IP header.  After mgm_ipmr_set_igmp_rcv(NULL) returned, the previous
 * function is neither running nor called again; so that call must not come
 * from inside @rcv.
 */
void mgm_ipmr_set_igmp_rcv(void (*rcv)(struct net *net, struct sk_buff *skb))
{
	WRITE_ONCE(mgm_ipmr_igmp_rcv, rcv);
	if (!rcv)
		flush_workqueue(mgm_ipmr_wq);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_ipmr_set_igmp_rcv);

/* ---- the socket that owns the table -------------------------------------- */

static void mgm_ipmr_close(struct mgm_ipmr *mi)
{
	struct socket *sock = mi->sock;
	struct sock *sk;

	if (!sock)
		return;
	mutex_lock(&mi->rx_lock);
	mi->sock = NULL;
	mutex_unlock(&mi->rx_lock);

	sk = sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = mi->saved_data_ready;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
	/* ipmr flushes its owner's VIFs, entries and unresolved queue */
	sock_release(sock);

	memset(mi->vif_ifindex, 0, sizeof(mi->vif_ifindex));
	mi->n_vifs = 0;
	mi->no_vif = -1;
}

static void mgm_ipmr_set_busy_msg(struct netlink_ext_ack *extack)
{
	mgm_compat_ipmr_table_busy_msg(extack, mgm_ipmr_table);
	pr_notice_ratelimited("another multicast router owns ipmr table %u; load mgm with table=<a free table id> and steer MGM's interfaces to it with 'ip mrule add iif <dev> lookup <id>'\n",
			      mgm_ipmr_table);
}

static int mgm_ipmr_init_table(struct mgm_ipmr *mi,
			       struct netlink_ext_ack *extack)
{
	u32 table = mgm_ipmr_table;
	int one = 1, err;

	/* MRT_TABLE needs multiple-table support, and must precede MRT_INIT */
	if (table != RT_TABLE_DEFAULT) {
		err = mgm_ipmr_setopt(mi->sock, MRT_TABLE, &table,
				      sizeof(table));
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "ipmr refused the table in mgm's table parameter (MRT_TABLE)");
			return err;
		}
	}
	err = mgm_ipmr_setopt(mi->sock, MRT_INIT, &one, sizeof(one));
	if (err == -EADDRINUSE) {
		mgm_ipmr_set_busy_msg(extack);
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "ipmr refused MGM as the table's owner (MRT_INIT)");
		return err;
	}
	/*
	 * MRT_ASSERT alone reports only packets that arrive on an outgoing
	 * interface of their entry; with MRT_PIM ipmr reports a packet on any
	 * interface but the incoming one, which is the wrong-interface rule.
	 * Kernels without PIM-SM support only the former.
	 */
	err = mgm_ipmr_setopt(mi->sock, MRT_PIM, &one, sizeof(one));
	if (err == -ENOPROTOOPT)
		err = mgm_ipmr_setopt(mi->sock, MRT_ASSERT, &one, sizeof(one));
	if (err)
		NL_SET_ERR_MSG_MOD(extack,
				   "ipmr refused wrong-interface reports (MRT_PIM, MRT_ASSERT)");
	return err;
}

/*
 * sock_create_kern() says ENFILE when it cannot allocate the socket; a
 * kernel socket takes no file from the table, so that is ENOMEM here.
 */
static int mgm_ipmr_sock_create(struct net *net, int family, int type,
				int protocol, struct socket **res)
{
	int err = sock_create_kern(net, family, type, protocol, res);

	return err == -ENFILE ? -ENOMEM : err;
}

static int mgm_ipmr_open(struct mgm_ipmr *mi, struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	err = mgm_ipmr_sock_create(mi->net, PF_INET, SOCK_RAW, IPPROTO_IGMP,
				   &sock);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot create the socket that owns the ipmr table");
		return err;
	}
	sk = sock->sk;
	/*
	 * A burst of new sources must not overflow the socket: ipmr drops the
	 * upcall then ("pending queue full") and the source waits 10 s for the
	 * next one.  FRR asks for the same.
	 */
	sock_set_rcvbuf(sk, SZ_8M);
	/* before MRT_INIT, so that no upcall can arrive unnoticed */
	write_lock_bh(&sk->sk_callback_lock);
	mi->saved_data_ready = sk->sk_data_ready;
	sk->sk_user_data = mi;
	sk->sk_data_ready = mgm_ipmr_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	mutex_lock(&mi->rx_lock);
	mi->sock = sock;
	mutex_unlock(&mi->rx_lock);

	err = mgm_ipmr_init_table(mi, extack);
	if (err)
		mgm_ipmr_close(mi);
	return err;
}

/* ---- the forwarder ops ---------------------------------------------------- */

/* 0, -EADDRINUSE when someone else's static VIF has @vifi, or the error. */
static int mgm_ipmr_vif_try(struct mgm_ipmr *mi, int vifi, u32 ifindex,
			    struct netlink_ext_ack *extack)
{
	struct vifctl vc = {
		.vifc_vifi = vifi,
		.vifc_flags = VIFF_USE_IFINDEX,
		.vifc_threshold = 1,
		.vifc_lcl_ifindex = ifindex,
	};
	int err;

	err = mgm_ipmr_setopt(mi->sock, MRT_ADD_VIF, &vc, sizeof(vc));
	if (err == -EADDRNOTAVAIL)
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: ipmr cannot forward on an interface without IPv4");
	else if (err && err != -EADDRINUSE)
		NL_SET_ERR_MSG_MOD(extack,
				   "ifindex: ipmr refused the interface (MRT_ADD_VIF)");
	if (err)
		return err;
	WRITE_ONCE(mi->vif_ifindex[vifi], ifindex);
	mi->n_vifs++;
	mi->next_vif = (vifi + 1) % MAXVIFS;
	if (vifi == mi->no_vif)
		mi->no_vif = -1;
	return 0;
}

/*
 * Round robin, so that an upcall still queued for a VIF that just went is
 * not credited to the next interface to take its place; and the index that
 * MFEs without a VIF point at comes last.
 */
static int mgm_ipmr_vif_add(struct mgm_ipmr *mi, u32 ifindex,
			    struct netlink_ext_ack *extack)
{
	unsigned int i;
	int vifi, err;

	for (i = 0; i < MAXVIFS; i++) {
		vifi = (mi->next_vif + i) % MAXVIFS;
		if (mi->vif_ifindex[vifi] || vifi == mi->no_vif)
			continue;
		err = mgm_ipmr_vif_try(mi, vifi, ifindex, extack);
		if (err != -EADDRINUSE)
			return err;
	}
	if (mi->no_vif >= 0) {
		err = mgm_ipmr_vif_try(mi, mi->no_vif, ifindex, extack);
		if (err != -EADDRINUSE)
			return err;
	}
	NL_SET_ERR_MSG_MOD(extack,
			   "ifindex: no free VIF; ipmr forwards on at most "
			   __stringify(MAXVIFS) " interfaces (VIFs) per table");
	return -ENOSPC;
}

static int mgm_ipmr_if_add(struct mgm_net *mn, u32 ifindex,
			   struct netlink_ext_ack *extack)
{
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	int err;

	lockdep_assert_held(&mn->lock);
	if (mi->dead) {
		NL_SET_ERR_MSG_MOD(extack, "the network namespace is going away");
		return -ENODEV;
	}
	if (mgm_ipmr_vif(mi, ifindex) >= 0)
		return 0;
	if (!mi->sock) {
		err = mgm_ipmr_open(mi, extack);
		if (err)
			return err;
	}
	err = mgm_ipmr_vif_add(mi, ifindex, extack);
	if (err && !mi->n_vifs)
		mgm_ipmr_close(mi);
	return err;
}

static void mgm_ipmr_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone)
{
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	struct vifctl vc = {};
	int vifi;

	lockdep_assert_held(&mn->lock);
	vifi = mgm_ipmr_vif(mi, ifindex);
	if (vifi < 0)
		return;
	/*
	 * ipmr deleted the VIF itself when the netdev went away; its index
	 * may belong to someone else's VIF by now.
	 */
	if (!dev_gone) {
		vc.vifc_vifi = vifi;
		mgm_ipmr_setopt(mi->sock, MRT_DEL_VIF, &vc, sizeof(vc));
	}
	WRITE_ONCE(mi->vif_ifindex[vifi], 0);
	if (!--mi->n_vifs)
		mgm_ipmr_close(mi);
}

static void mgm_ipmr_mfe_del(struct mgm_net *mn,
			     const struct mgm_fwd_entry *e)
{
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	struct mfcctl mc = {
		.mfcc_origin.s_addr = e->source.ip,
		.mfcc_mcastgrp.s_addr = e->group.ip,
	};

	lockdep_assert_held(&mn->lock);
	/* -ENOENT: never installed, or flushed with its VIFs */
	if (mi->sock)
		mgm_ipmr_setopt(mi->sock, MRT_DEL_MFC, &mc, sizeof(mc));
}

/*
 * An MFE whose IIF has no VIF (no route toward the source, or nobody owns
 * the IIF) cannot forward: ipmr never sees what arrives on that interface.
 * Installed with a parent that is none of our VIFs and no outgoing VIF, it
 * still has ipmr drop the (S,G) at once, count it, and report it from the
 * wrong interface, instead of queueing it unresolved and asking again every
 * 10 s.  The index stays until the 32nd VIF needs it; then those entries
 * accept what arrives there, and still forward nothing.
 */
static int mgm_ipmr_no_vif(struct mgm_ipmr *mi)
{
	unsigned int i;
	int vifi;

	if (mi->no_vif >= 0)
		return mi->no_vif;
	/* the free index that the round robin reaches last */
	for (i = MAXVIFS; i; i--) {
		vifi = (mi->next_vif + i - 1) % MAXVIFS;
		if (!mi->vif_ifindex[vifi]) {
			mi->no_vif = vifi;
			break;
		}
	}
	return mi->no_vif;
}

/*
 * One ttl per VIF, however many next hops of it the list names.  ipmr
 * cannot address a next hop, so nothing goes back out of the incoming
 * interface: all of that link would get a duplicate.
 */
static void mgm_ipmr_ttls(const struct mgm_ipmr *mi,
			  const struct mgm_fwd_entry *e, int parent,
			  unsigned char *ttls)
{
	unsigned int i;
	int vifi;

	for (i = 0; i < e->n_oifs; i++) {
		vifi = mgm_ipmr_vif(mi, e->oifs[i].ifindex);
		if (vifi >= 0 && vifi != parent)
			ttls[vifi] = 1;
	}
}

static void mgm_ipmr_mfe_set(struct mgm_net *mn,
			     const struct mgm_fwd_entry *e)
{
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	struct mfcctl mc = {
		.mfcc_origin.s_addr = e->source.ip,
		.mfcc_mcastgrp.s_addr = e->group.ip,
	};
	int parent, err;

	lockdep_assert_held(&mn->lock);
	if (!mi->sock)
		return;
	parent = mgm_ipmr_vif(mi, e->iif);
	if (parent >= 0)
		mgm_ipmr_ttls(mi, e, parent, mc.mfcc_ttls);
	else
		parent = mgm_ipmr_no_vif(mi);
	/* all 32 VIFs are ours: nothing left to point at */
	if (parent < 0) {
		mgm_ipmr_mfe_del(mn, e);
		return;
	}
	mc.mfcc_parent = parent;
	/* an upsert: ipmr replaces what it has for the (S,G) */
	err = mgm_ipmr_setopt(mi->sock, MRT_ADD_MFC, &mc, sizeof(mc));
	if (err)
		pr_warn_ratelimited("cannot install (%pI4, %pI4) in ipmr: %d\n",
				    &e->source.ip, &e->group.ip, err);
}

static int mgm_ipmr_rtnl_open(struct mgm_ipmr *mi)
{
	if (mi->rtnl)
		return 0;
	return mgm_ipmr_sock_create(mi->net, AF_NETLINK, SOCK_RAW,
				    NETLINK_ROUTE, &mi->rtnl);
}

/* The counters of @e where ipmr's ioctl takes user memory (6.1). */
VISIBLE_IF_KUNIT int mgm_ipmr_counters_rtnl(struct mgm_net *mn,
					    const struct mgm_fwd_entry *e,
					    struct mgm_mfe_counters *c)
{
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	int err;

	lockdep_assert_held(&mn->lock);
	if (!mi->sock)
		return -ENOENT;
	err = mgm_ipmr_rtnl_open(mi);
	if (err)
		return err;
	return mgm_ipmr_getroute(mi->rtnl, ++mi->rtnl_seq, e->source.ip,
				 e->group.ip, mgm_ipmr_table, c);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_ipmr_counters_rtnl);

static int mgm_ipmr_mfe_counters(struct mgm_net *mn,
				 const struct mgm_fwd_entry *e,
				 struct mgm_mfe_counters *c)
{
	int (*ioctl)(struct sock *sk, int cmd, int *karg);
	struct mgm_ipmr *mi = mgm_ipmr(mn->net);
	struct sioc_sg_req req = {
		.src.s_addr = e->source.ip,
		.grp.s_addr = e->group.ip,
	};
	struct sock *sk;
	int err;

	lockdep_assert_held(&mn->lock);
	if (!mi->sock)
		return -ENOENT;
	sk = mi->sock->sk;
	ioctl = mgm_compat_kernel_ioctl(sk->sk_prot->ioctl);
	if (!ioctl)
		return mgm_ipmr_counters_rtnl(mn, e, c);
	err = ioctl(sk, SIOCGETSGCNT, (int *)&req);
	if (err == -EADDRNOTAVAIL)	/* ipmr has no such entry */
		return -ENOENT;
	if (err)
		return err;
	c->pkts = req.pktcnt;
	c->bytes = req.bytecnt;
	c->wrong_if = req.wrong_if;
	return 0;
}

VISIBLE_IF_KUNIT const struct mgm_forwarder_ops mgm_ipmr_forwarder = {
	.family = AF_INET,
	.if_add = mgm_ipmr_if_add,
	.if_del = mgm_ipmr_if_del,
	.mfe_set = mgm_ipmr_mfe_set,
	.mfe_del = mgm_ipmr_mfe_del,
	.mfe_counters = mgm_ipmr_mfe_counters,
};
EXPORT_SYMBOL_IF_KUNIT(mgm_ipmr_forwarder);

/* ---- network namespaces and the module ------------------------------------- */

static int __net_init mgm_ipmr_net_init(struct net *net)
{
	struct mgm_ipmr *mi = mgm_ipmr(net);

	mi->net = net;
	mi->no_vif = -1;
	mutex_init(&mi->rx_lock);
	INIT_WORK(&mi->upcall_work, mgm_ipmr_upcall_work);
	return 0;
}

/*
 * When a netns goes, runs after the core's exit (a device op, mgm_main.c),
 * which released every interface through the forwarder ops; when mgm
 * unloads, before it (mgm_exit()), and the core's exit finds nothing left
 * to do here.  The work is cancelled without mn->lock: the worker may
 * wait for it in the engine.
 */
static void __net_exit mgm_ipmr_net_exit(struct net *net)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_ipmr *mi = mgm_ipmr(net);

	mutex_lock(&mn->lock);
	mi->dead = true;
	mgm_ipmr_close(mi);
	mutex_unlock(&mn->lock);
	cancel_work_sync(&mi->upcall_work);
	/* no reader is left; the notifiers it calls may take mn->lock */
	if (mi->rtnl)
		sock_release(mi->rtnl);
	mutex_destroy(&mi->rx_lock);
}

static struct pernet_operations mgm_ipmr_net_ops = {
	.init = mgm_ipmr_net_init,
	.exit = mgm_ipmr_net_exit,
	.id = &mgm_ipmr_net_id,
	.size = sizeof(struct mgm_ipmr),
};

static int mgm_ipmr_check_table(void)
{
	if (!mgm_ipmr_table || mgm_ipmr_table > MGM_IPMR_TABLE_MAX) {
		pr_err("table=%u: ipmr table ids go from 1 to %u\n",
		       mgm_ipmr_table, MGM_IPMR_TABLE_MAX);
		return -EINVAL;
	}
	if (mgm_ipmr_table != RT_TABLE_DEFAULT &&
	    !IS_ENABLED(CONFIG_IP_MROUTE_MULTIPLE_TABLES)) {
		pr_err("table=%u: this kernel has only the main ipmr table, %u (no CONFIG_IP_MROUTE_MULTIPLE_TABLES)\n",
		       mgm_ipmr_table, RT_TABLE_DEFAULT);
		return -EINVAL;
	}
	return 0;
}

/*
 * Call after the core registered its pernet operations and before anyone
 * can reach MGM; mgm_ipmr_exit() before the core unregisters them.
 */
int mgm_ipmr_init(void)
{
	int err;

	err = mgm_ipmr_check_table();
	if (err)
		return err;
	/* not ordered: one netns waiting for a protocol must not stall others */
	mgm_ipmr_wq = alloc_workqueue("mgm_ipmr", WQ_UNBOUND, 0);
	if (!mgm_ipmr_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&mgm_ipmr_net_ops);
	if (err) {
		destroy_workqueue(mgm_ipmr_wq);
		return err;
	}
	mgm_set_forwarder(&mgm_ipmr_forwarder);
	return 0;
}

/*
 * The core calls the forwarder under mn->lock and looks it up there, and
 * each netns exit takes mn->lock: after it, no op is running or will run.
 */
void mgm_ipmr_exit(void)
{
	mgm_set_forwarder(NULL);
	unregister_pernet_subsys(&mgm_ipmr_net_ops);
	destroy_workqueue(mgm_ipmr_wq);
}
