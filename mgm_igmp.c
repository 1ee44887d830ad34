// SPDX-License-Identifier: GPL-2.0
/*
 * The IGMP component: an IGMPv3 router (RFC 3376) on the interfaces where
 * it is enabled, which learns the receivers of each link and reports them
 * to MGM as memberships; see mgm_igmp.h.
 *
 * It is a client of include/net/mgm.h as a protocol module would be, and
 * registers as protocol 10 (MGM_PROTO_IGMP) in a network namespace while
 * it runs on one of its interfaces.  IGMP packets reach it from MGM's
 * ipmr socket (mgm_ipmr_set_igmp_rcv()), which receives them all, with
 * or without Router Alert; queries leave by a raw socket of its own.
 *
 * Locking: one mutex per netns (mgm_igmp_net.lock) over its interfaces,
 * taken before MGM's lock when it reports memberships.  MGM's callbacks
 * run under MGM's lock, so they never take it: DISABLE_IGMP and
 * ENABLE_IGMP only mark the interface (found under RCU) and leave the
 * replay of its memberships to the work item (Documentation/mgm.rst,
 * "The IGMP bracket").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/igmp.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/mgm.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <kunit/visibility.h>

#include "mgm_compat.h"
#include "mgm_igmp.h"
#include "mgm_igmp_querier.h"
#include "mgm_ipmr.h"

/* Queries about sources name at most this many in one packet. */
#define MGM_IGMP_QUERY_SRCS	32
/* Group-specific queries waiting for their retransmission, per interface. */
#define MGM_IGMP_PENDING	16
/* Memberships MGM refused, asked for again one by one; past it, all. */
#define MGM_IGMP_REFUSED	32
#define MGM_IGMP_ALL_HOSTS	htonl(INADDR_ALLHOSTS_GROUP)

/* A specific query to send again (RFC 3376 §6.6.3: LMQC times, LMQI apart). */
struct mgm_igmp_pending {
	__be32 group;
	unsigned int left;
	u64 at;
	unsigned int n;
	__be32 srcs[MGM_IGMP_QUERY_SRCS];
};

/* A membership of IGMP's: (S,G), or (*,G) with source 0. */
struct mgm_igmp_key {
	__be32 group;
	__be32 source;
};

struct mgm_igmp_if {
	struct rcu_head rcu;	/* first: kfree_rcu() wants it near */
	u32 ifindex;
	struct mgm_igmp_net *in;
	struct mgm_igmp_config cfg;
	struct mgm_igmp_groups groups;
	struct mem_cgroup *memcg;	/* charged for the state */
	/* MGM's bracket: set by its callbacks, without the lock */
	bool disabled;
	bool routers_joined;	/* 224.0.0.22 and 224.0.0.2 */
	int replay;		/* set by ENABLE_IGMP (release), taken by xchg */
	/* its netdev unregistered: another may take its ifindex before the
	 * work item frees it
	 */
	bool gone;
	/* who queries the link, and the timers it runs by */
	struct mgm_igmp_querier q;
	struct mgm_igmp_pending pending[MGM_IGMP_PENDING];
	unsigned int n_pending;
	/* memberships MGM refused are asked for again, then and later */
	struct mgm_igmp_key refused[MGM_IGMP_REFUSED];
	unsigned int n_refused;
	bool refused_all;	/* more than fit: the whole state again */
	u64 retry_at;		/* 0: nothing refused */
	unsigned int retry_ms;
	u64 queries_sent;
	u64 send_errors;
	u64 query_drops;
	u64 member_refusals;
	struct mgm_igmp_rx_counters rx;
};

struct mgm_igmp_net {
	struct net *net;
	struct mutex lock;		/* over everything below */
	struct xarray ifs;		/* mgm_igmp_if by ifindex; RCU */
	unsigned int n_ifs;
	u32 handle;			/* with MGM; 0: not registered */
	struct socket *sock;		/* raw, to send queries */
	struct delayed_work work;
	spinlock_t sched_lock;		/* over scheduled */
	u64 scheduled;			/* the work runs then or sooner (ms) */
};

static unsigned int mgm_igmp_net_id __read_mostly;
static struct workqueue_struct *mgm_igmp_wq;
/* interfaces with IGMP in every netns: the ipmr hook is set while any */
static DEFINE_MUTEX(mgm_igmp_hook_lock);
static unsigned int mgm_igmp_hook_users;

static struct mgm_igmp_net *mgm_igmp_net(struct net *net)
{
	return net_generic(net, mgm_igmp_net_id);
}

static u64 mgm_igmp_now(void)
{
	return ktime_to_ms(ktime_get_boottime());
}

/*
 * The work runs at @at (ms) or sooner: never later than anyone asked for
 * since it last started, whether a packet (under in->lock), MGM's
 * callbacks or the netdev notifier (without it) ask; and only sooner,
 * so that a packet does not touch the timer unless one of its timers
 * runs out before the work would.
 */
static void mgm_igmp_arm(struct mgm_igmp_net *in, u64 at)
{
	u64 now = mgm_igmp_now();

	spin_lock_bh(&in->sched_lock);
	if (at < in->scheduled) {
		in->scheduled = at;
		mod_delayed_work(mgm_igmp_wq, &in->work,
				 msecs_to_jiffies(min_t(u64, at > now ?
							at - now : 0,
							3600 * MSEC_PER_SEC)));
	}
	spin_unlock_bh(&in->sched_lock);
}

/* The work, now. */
static void mgm_igmp_kick(struct mgm_igmp_net *in)
{
	mgm_igmp_arm(in, 0);
}

static void mgm_igmp_hook_get(void)
{
	mutex_lock(&mgm_igmp_hook_lock);
	if (!mgm_igmp_hook_users++)
		mgm_ipmr_set_igmp_rcv(mgm_igmp_rcv);
	mutex_unlock(&mgm_igmp_hook_lock);
}

static void mgm_igmp_hook_put(void)
{
	mutex_lock(&mgm_igmp_hook_lock);
	if (!--mgm_igmp_hook_users)
		mgm_ipmr_set_igmp_rcv(NULL);
	mutex_unlock(&mgm_igmp_hook_lock);
}

void mgm_igmp_config_init(struct mgm_igmp_config *cfg)
{
	*cfg = (struct mgm_igmp_config) {
		.version = 3,
		.max_groups = 4096,
		.max_sources = 256,
	};
	mgm_igmp_timers_init(&cfg->timers);
}

/* ---- sending queries ------------------------------------------------------ */

/* The address the interface's queries come from; 0: it has none. */
static __be32 mgm_igmp_if_addr(struct net *net, u32 ifindex)
{
	struct net_device *dev;
	__be32 addr = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		addr = inet_select_addr(dev, 0, RT_SCOPE_LINK);
	rcu_read_unlock();
	return addr;
}

/*
 * One query out of @ifc: IP header with Router Alert, TTL 1, from the
 * interface's address (RFC 3376 §4), to all hosts for a general query,
 * else to the group.  IGMPv2 queries (RFC 2236 §2) name no sources.
 */
static void mgm_igmp_send(struct mgm_igmp_if *ifc, __be32 group,
			  const __be32 *srcs, unsigned int n,
			  unsigned int max_resp_ms, bool suppress)
{
	struct {
		struct iphdr iph;
		u8 ra[4];
		u8 igmp[12 + 4 * MGM_IGMP_QUERY_SRCS];
	} __packed pkt = {};
	struct in_pktinfo *info;
	struct sockaddr_in to = { .sin_family = AF_INET };
	char cbuf[CMSG_SPACE(sizeof(*info))] = {};
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct mgm_igmp_net *in = ifc->in;
	const struct mgm_igmp_timers *t = &ifc->q.timers;
	struct cmsghdr *cmsg = (struct cmsghdr *)cbuf;
	__be32 saddr = mgm_igmp_if_addr(in->net, ifc->ifindex);
	struct kvec iov = { .iov_base = &pkt };
	int len, err;

	if (!in->sock || !saddr) {
		ifc->send_errors++;
		return;
	}
	if (ifc->cfg.version == 2) {
		pkt.igmp[0] = IGMP_HOST_MEMBERSHIP_QUERY;
		pkt.igmp[1] = min(max_resp_ms / 100, 255U);
		memcpy(pkt.igmp + 4, &group, 4);
		*(__sum16 *)(pkt.igmp + 2) = ip_compute_csum(pkt.igmp, 8);
		len = 8;
	} else {
		len = mgm_igmp_build_query(pkt.igmp, sizeof(pkt.igmp), group,
					   srcs, n, max_resp_ms, suppress,
					   t->robustness,
					   t->query_interval / MSEC_PER_SEC);
		if (len < 0) {
			ifc->send_errors++;
			return;
		}
	}
	pkt.iph = (struct iphdr) {
		.version = 4,
		.ihl = (sizeof(pkt.iph) + sizeof(pkt.ra)) / 4,
		.tos = 0xc0,		/* Internetwork Control */
		.ttl = 1,
		.protocol = IPPROTO_IGMP,
		.saddr = saddr,
		.daddr = group ?: MGM_IGMP_ALL_HOSTS,
	};
	/* RFC 2113: Router Alert, value 0 */
	pkt.ra[0] = IPOPT_RA;
	pkt.ra[1] = 4;
	to.sin_addr.s_addr = pkt.iph.daddr;
	cmsg->cmsg_level = SOL_IP;
	cmsg->cmsg_type = IP_PKTINFO;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*info));
	info = (struct in_pktinfo *)CMSG_DATA(cmsg);
	info->ipi_ifindex = ifc->ifindex;
	iov.iov_len = sizeof(pkt.iph) + sizeof(pkt.ra) + len;
	err = kernel_sendmsg(in->sock, &msg, &iov, 1, iov.iov_len);
	if (err < 0)
		ifc->send_errors++;
	else
		ifc->queries_sent++;
}

/*
 * The group state runs by the timers the querier election left (its own
 * or the querier's), and lowers timers on its queries only if it sends
 * them (§6.6.1).
 */
static void mgm_igmp_if_sync(struct mgm_igmp_if *ifc)
{
	ifc->groups.querier = ifc->q.querier;
	ifc->groups.timers = ifc->q.timers;
}

/*
 * The link's routers' groups: IGMPv3 reports go to 224.0.0.22, IGMPv2
 * leaves to 224.0.0.2 (RFC 3376 §4.2.14, RFC 2236 §3), link-local
 * groups that reach the router's sockets only where the interface is a
 * member.  The interface joins them itself, as a multicast router's
 * socket would, but without a socket's limit on memberships
 * (igmp_max_memberships) that many interfaces would reach.
 */
static void mgm_igmp_routers(struct mgm_igmp_if *ifc, bool join)
{
	static const __be32 groups[] = {
		htonl(0xe0000016),	/* 224.0.0.22 */
		htonl(0xe0000002),	/* 224.0.0.2 */
	};
	struct net_device *dev;
	struct in_device *idev;
	unsigned int i;

	rtnl_lock();
	/*
	 * A netdev that went took its groups with it; another with its
	 * ifindex has none of ours (gone is set under RTNL)
	 */
	dev = READ_ONCE(ifc->gone) ? NULL :
	      __dev_get_by_index(ifc->in->net, ifc->ifindex);
	idev = dev ? __in_dev_get_rtnl(dev) : NULL;
	if (!dev)
		ifc->routers_joined = false;
	if (idev && join != ifc->routers_joined) {
		for (i = 0; i < ARRAY_SIZE(groups); i++)
			if (join)
				ip_mc_inc_group(idev, groups[i]);
			else
				ip_mc_dec_group(idev, groups[i]);
		ifc->routers_joined = join;
	}
	rtnl_unlock();
}

/* ---- what the group state asks of MGM and of the link -------------------- */

/*
 * MGM refused a membership (its limit, memory): the hosts will not ask
 * again while their state stays, so it is asked for again later, 1 s,
 * then twice as long each time up to the query interval while refusals
 * go on; only what was refused, unless more than MGM_IGMP_REFUSED were.
 */
static void mgm_igmp_refused_add(struct mgm_igmp_if *ifc, __be32 group,
				 __be32 source)
{
	unsigned int i;

	for (i = 0; i < ifc->n_refused; i++)
		if (ifc->refused[i].group == group &&
		    ifc->refused[i].source == source)
			break;
	if (i == ifc->n_refused) {
		if (i < MGM_IGMP_REFUSED)
			ifc->refused[ifc->n_refused++] =
				(struct mgm_igmp_key) { group, source };
		else
			ifc->refused_all = true;
	}
	if (!ifc->retry_at) {
		ifc->retry_ms = clamp_t(unsigned int, ifc->retry_ms * 2,
					MSEC_PER_SEC,
					ifc->q.timers.query_interval);
		ifc->retry_at = mgm_igmp_now() + ifc->retry_ms;
	}
}

/* The hosts do not want it any more: not to be asked for again. */
static void mgm_igmp_refused_drop(struct mgm_igmp_if *ifc, __be32 group,
				  __be32 source)
{
	unsigned int i;

	for (i = 0; i < ifc->n_refused; i++)
		if (ifc->refused[i].group == group &&
		    ifc->refused[i].source == source) {
			ifc->refused[i] = ifc->refused[--ifc->n_refused];
			return;
		}
}

static void mgm_igmp_member(void *ctx, __be32 group, __be32 source, bool join)
{
	struct mgm_igmp_if *ifc = ctx;
	struct mgm_igmp_net *in = ifc->in;
	struct mgm_sg sg = {
		.source = source,
		.source_mask = source ? htonl(0xffffffff) : 0,
		.group = group,
		.group_mask = htonl(0xffffffff),
	};

	/* between disable and enable: the replay brings the state back */
	if (READ_ONCE(ifc->disabled) || !in->handle)
		return;
	if (!join) {
		mgm_igmp_refused_drop(ifc, group, source);
		mgm_delete_membership(in->net, in->handle, &sg, ifc->ifindex,
				      0, MGM_FLAG_JOIN_STATE, NULL);
		return;
	}
	if (mgm_add_membership(in->net, in->handle, &sg, ifc->ifindex, 0,
			       MGM_FLAG_JOIN_STATE, NULL)) {
		ifc->member_refusals++;
		mgm_igmp_refused_add(ifc, group, source);
	}
}

/*
 * Sources that EXCLUDE mode blocks are forwarded still: (*,G) brings
 * them, and the hosts' own filters drop them (RFC 3376 §3.2); MGM has no
 * per-interface source filter to say more.
 */
static void mgm_igmp_block(void *ctx, __be32 group, __be32 source, bool block)
{
}

/* The retransmissions of Q(@group) that wait, if any. */
static struct mgm_igmp_pending *mgm_igmp_pending_qg(struct mgm_igmp_if *ifc,
						    __be32 group)
{
	unsigned int i;

	for (i = 0; i < ifc->n_pending; i++)
		if (ifc->pending[i].group == group && !ifc->pending[i].n)
			return &ifc->pending[i];
	return NULL;
}

/*
 * A specific query now, and LMQC - 1 more, LMQI apart (§6.6.3); a
 * group-specific one asked for again while it waits is not sent twice
 * as often, its retransmissions start over.
 */
static void mgm_igmp_query(void *ctx, __be32 group, const __be32 *srcs,
			   unsigned int n)
{
	struct mgm_igmp_if *ifc = ctx;
	const struct mgm_igmp_timers *t = &ifc->q.timers;
	struct mgm_igmp_pending *p;
	unsigned int k;
	u64 now = mgm_igmp_now();

	do {
		k = min_t(unsigned int, n, MGM_IGMP_QUERY_SRCS);
		mgm_igmp_send(ifc, group, srcs, k, t->last_member_interval,
			      false);
		/* Q(G) again while its retransmissions run: they start over */
		p = k ? NULL : mgm_igmp_pending_qg(ifc, group);
		if (p && t->robustness > 1) {
			p->left = t->robustness - 1;
			p->at = now + t->last_member_interval;
		} else if (t->robustness > 1 &&
			   ifc->n_pending < MGM_IGMP_PENDING) {
			p = &ifc->pending[ifc->n_pending++];
			p->group = group;
			p->left = t->robustness - 1;
			p->at = now + t->last_member_interval;
			p->n = k;
			memcpy(p->srcs, srcs, k * sizeof(*srcs));
		} else if (t->robustness > 1) {
			ifc->query_drops++;
		}
		srcs += k;
		n -= k;
	} while (n);
}

static const struct mgm_igmp_group_ops mgm_igmp_group_ops = {
	.member = mgm_igmp_member,
	.block = mgm_igmp_block,
	.query = mgm_igmp_query,
};

/* ---- MGM's callbacks: under MGM's lock, never ours ------------------------ */

static void mgm_igmp_mgm_disable(void *priv, u32 ifindex, __be32 nexthop)
{
	struct mgm_igmp_net *in = priv;
	struct mgm_igmp_if *ifc;

	rcu_read_lock();
	ifc = xa_load(&in->ifs, ifindex);
	if (ifc)
		WRITE_ONCE(ifc->disabled, true);
	rcu_read_unlock();
}

/* MGM dropped IGMP's memberships there: the work item replays them. */
static void mgm_igmp_mgm_enable(void *priv, u32 ifindex, __be32 nexthop)
{
	struct mgm_igmp_net *in = priv;
	struct mgm_igmp_if *ifc;

	rcu_read_lock();
	ifc = xa_load(&in->ifs, ifindex);
	if (ifc) {
		WRITE_ONCE(ifc->disabled, false);
		/* the work that takes it sees the interface enabled */
		smp_store_release(&ifc->replay, 1);
		mgm_igmp_kick(in);
	}
	rcu_read_unlock();
}

/*
 * In the kernel, part of mgm: nothing to hold.  The questions (rpf,
 * creation and prune alerts) take MGM's defaults.
 */
static const struct mgm_protocol_ops mgm_igmp_mgm_ops = {
	.disable_igmp = mgm_igmp_mgm_disable,
	.enable_igmp = mgm_igmp_mgm_enable,
};

/* Every membership of @ifc again: MGM dropped them, or refused many. */
static void mgm_igmp_replay(struct mgm_igmp_if *ifc)
{
	ifc->n_refused = 0;
	ifc->refused_all = false;
	mgm_igmp_groups_replay(&ifc->groups);
}

/* What MGM refused, asked for again. */
static void mgm_igmp_retry(struct mgm_igmp_if *ifc)
{
	struct mgm_igmp_key keys[MGM_IGMP_REFUSED];
	unsigned int i, n = ifc->n_refused;

	if (ifc->refused_all) {
		mgm_igmp_replay(ifc);
		return;
	}
	memcpy(keys, ifc->refused, n * sizeof(*keys));
	ifc->n_refused = 0;
	for (i = 0; i < n; i++)
		mgm_igmp_member(ifc, keys[i].group, keys[i].source, true);
}

/* ---- timers ---------------------------------------------------------------- */

static u64 mgm_igmp_if_next(struct mgm_igmp_if *ifc)
{
	u64 next = mgm_igmp_next_expiry(&ifc->groups);
	unsigned int i;

	next = min(next, mgm_igmp_querier_next(&ifc->q));
	if (ifc->retry_at)
		next = min(next, ifc->retry_at);
	for (i = 0; i < ifc->n_pending; i++)
		next = min(next, ifc->pending[i].at);
	return next;
}

/*
 * Send @p again; false when there is no group left to ask about.  Hosts
 * that answered meanwhile raised the group timer above LMQT: the query
 * then sets the S flag, so that other routers do not lower it again
 * (§6.6.3.1).  Group-and-source-specific queries go without it.
 */
static bool mgm_igmp_retransmit(struct mgm_igmp_if *ifc,
				const struct mgm_igmp_pending *p, u64 now)
{
	const struct mgm_igmp_timers *t = &ifc->q.timers;
	struct mgm_igmp_group_info info;
	bool suppress = false;

	if (!p->n) {
		if (mgm_igmp_group_get(&ifc->groups, p->group, false, now,
				       &info, NULL, 0))
			return false;
		suppress = info.exclude &&
			   info.expires > now + mgm_igmp_lmqt(t);
	}
	mgm_igmp_send(ifc, p->group, p->srcs, p->n, t->last_member_interval,
		      suppress);
	return true;
}

static void mgm_igmp_if_timers(struct mgm_igmp_if *ifc, u64 now)
{
	const struct mgm_igmp_timers *t = &ifc->q.timers;
	__be32 ours = mgm_igmp_if_addr(ifc->in->net, ifc->ifindex);
	struct mgm_igmp_pending *p;
	unsigned int i;

	/* ordered after ENABLE_IGMP's clearing of disabled */
	if (xchg(&ifc->replay, 0)) {
		ifc->retry_at = 0;
		mgm_igmp_replay(ifc);
	} else if (ifc->retry_at && ifc->retry_at <= now) {
		ifc->retry_at = 0;
		mgm_igmp_retry(ifc);
	}
	/* all of it went through: the next refusal waits 1 s again */
	if (!ifc->retry_at)
		ifc->retry_ms = 0;
	mgm_igmp_expire(&ifc->groups, now);
	if (mgm_igmp_querier_due(&ifc->q, ours, now)) {
		mgm_igmp_if_sync(ifc);
		mgm_igmp_send(ifc, 0, NULL, 0, t->response_interval, false);
	}
	for (i = 0; i < ifc->n_pending; ) {
		p = &ifc->pending[i];
		if (p->at > now) {
			i++;
			continue;
		}
		if (ifc->q.querier && !mgm_igmp_retransmit(ifc, p, now))
			p->left = 1;
		if (--p->left && ifc->q.querier) {
			p->at = now + t->last_member_interval;
			i++;
			continue;
		}
		*p = ifc->pending[--ifc->n_pending];
	}
}

/* Drop what runs on interfaces whose netdev went away. */
static void mgm_igmp_if_free(struct mgm_igmp_net *in, struct mgm_igmp_if *ifc);

static void mgm_igmp_work(struct work_struct *work)
{
	struct mgm_igmp_net *in = container_of(to_delayed_work(work),
					       struct mgm_igmp_net, work);
	unsigned int freed = 0;
	struct mem_cgroup *old;
	struct mgm_igmp_if *ifc;
	u64 now, next = U64_MAX;
	unsigned long idx;
	bool gone;

	mutex_lock(&in->lock);
	/* from here on, whoever wants it sooner says so again */
	spin_lock_bh(&in->sched_lock);
	in->scheduled = U64_MAX;
	spin_unlock_bh(&in->sched_lock);
	now = mgm_igmp_now();
	xa_for_each(&in->ifs, idx, ifc) {
		rcu_read_lock();
		gone = READ_ONCE(ifc->gone) ||
		       !dev_get_by_index_rcu(in->net, ifc->ifindex);
		rcu_read_unlock();
		if (gone) {
			mgm_igmp_if_free(in, ifc);
			freed++;
			continue;
		}
		old = set_active_memcg(ifc->memcg);
		mgm_igmp_if_timers(ifc, now);
		set_active_memcg(old);
		next = min(next, mgm_igmp_if_next(ifc));
	}
	mgm_igmp_arm(in, next);
	mutex_unlock(&in->lock);
	while (freed--)
		mgm_igmp_hook_put();
}

/* ---- packets in ------------------------------------------------------------ */

/* Is @addr on the link of @ifindex, or one of the router's own there? */
static bool mgm_igmp_on_link(struct net *net, u32 ifindex, __be32 addr,
			     bool *ours)
{
	const struct in_ifaddr *ifa;
	struct net_device *dev;
	struct in_device *idev;
	bool on = false;

	*ours = false;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	idev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (idev) {
		in_dev_for_each_ifa_rcu(ifa, idev) {
			if (ifa->ifa_local == addr)
				*ours = true;
			if (inet_ifa_match(addr, ifa))
				on = true;
		}
	}
	rcu_read_unlock();
	return on;
}

static void mgm_igmp_rx_query(struct mgm_igmp_if *ifc,
			      const struct mgm_igmp_msg *msg, u64 now)
{
	__be32 *srcs;
	unsigned int i;

	if (mgm_igmp_querier_heard(&ifc->q,
				   mgm_igmp_if_addr(ifc->in->net, ifc->ifindex),
				   msg->saddr, msg->qrv, msg->qqi, now))
		ifc->n_pending = 0;
	mgm_igmp_if_sync(ifc);
	/* a specific query lowers the timers it asks about (§6.6.1) */
	if (!msg->group || msg->suppress)
		return;
	srcs = kmalloc_array(msg->n_srcs ?: 1, sizeof(*srcs), MGM_IGMP_GFP);
	if (!srcs)
		return;
	for (i = 0; i < msg->n_srcs; i++)
		srcs[i] = get_unaligned(&msg->srcs[i]);
	mgm_igmp_query_seen(&ifc->groups, now, msg->group, srcs, msg->n_srcs);
	kfree(srcs);
}

static void mgm_igmp_rx_v3(struct mgm_igmp_if *ifc,
			   const struct mgm_igmp_msg *msg, u64 now)
{
	struct mgm_igmp_record rec;
	unsigned int pos = 0, i;
	__be32 *srcs;

	while (mgm_igmp_next_record(msg, &pos, &rec, &ifc->rx)) {
		srcs = kmalloc_array(rec.n_srcs ?: 1, sizeof(*srcs),
				     MGM_IGMP_GFP);
		if (!srcs) {
			ifc->groups.counters.nomem++;
			continue;
		}
		for (i = 0; i < rec.n_srcs; i++)
			memcpy(&srcs[i], rec.srcs + 4 * i, 4);
		mgm_igmp_record(&ifc->groups, now, 3, rec.type, rec.group,
				srcs, rec.n_srcs);
		kfree(srcs);
	}
}

/* A message of the link of @ifc, checked, into its state. */
static void mgm_igmp_rx(struct mgm_igmp_if *ifc, const struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	bool on_link = false, ours = false;
	struct mgm_igmp_msg msg;
	u64 now;

	/*
	 * The router's own messages, looped back: its queries, and its host
	 * side's reports (224.0.0.22 and 224.0.0.2, the groups it joined
	 * for the routers, are reported too), neither counted nor taken
	 */
	if (skb->len >= sizeof(*iph)) {
		on_link = mgm_igmp_on_link(ifc->in->net, ifc->ifindex,
					   iph->saddr, &ours);
		if (ours)
			return;
	}
	if (mgm_igmp_parse(skb->data, skb->len, &msg, &ifc->rx))
		return;
	now = mgm_igmp_now();
	/*
	 * RFC 3376 §9: from the link only; reports may come from 0.0.0.0
	 * (IGMPv3 hosts without an address, and snooping switches that
	 * report for their hosts, RFC 4541 §2.1.1)
	 */
	if (!on_link && !(msg.saddr == 0 && msg.kind != MGM_IGMP_QUERY)) {
		ifc->rx.bad_source++;
		return;
	}
	switch (msg.kind) {
	case MGM_IGMP_QUERY:
		mgm_igmp_rx_query(ifc, &msg, now);
		break;
	case MGM_IGMP_LEAVE:
		mgm_igmp_record(&ifc->groups, now, 2, MGM_IGMP_TO_IN,
				msg.group, NULL, 0);
		break;
	case MGM_IGMP_REPORT:
		if (msg.version == 3)
			mgm_igmp_rx_v3(ifc, &msg, now);
		else
			mgm_igmp_record(&ifc->groups, now, msg.version,
					MGM_IGMP_IS_EX, msg.group, NULL, 0);
		break;
	}
	mgm_igmp_arm(ifc->in, mgm_igmp_if_next(ifc));
}

void mgm_igmp_rcv(struct net *net, struct sk_buff *skb)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	struct mem_cgroup *old;
	struct mgm_igmp_if *ifc;

	if (skb_linearize(skb))
		return;
	mutex_lock(&in->lock);
	ifc = xa_load(&in->ifs, skb->skb_iif);
	if (ifc && !READ_ONCE(ifc->gone)) {
		/* what the link's hosts make it keep: whoever enabled it pays */
		old = set_active_memcg(ifc->memcg);
		mgm_igmp_rx(ifc, skb);
		set_active_memcg(old);
	}
	mutex_unlock(&in->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_rcv);

/* ---- enabling and disabling -------------------------------------------- */

static int mgm_igmp_check(const struct mgm_igmp_config *cfg,
			  struct netlink_ext_ack *extack)
{
	const struct mgm_igmp_timers *t = &cfg->timers;

	if (cfg->version != 2 && cfg->version != 3) {
		NL_SET_ERR_MSG_MOD(extack, "igmp-version: 2 or 3");
		return -EINVAL;
	}
	/* RFC 3376 §8.1: not 0; a QRV above 7 cannot be sent */
	if (!t->robustness || t->robustness > 7) {
		NL_SET_ERR_MSG_MOD(extack, "igmp-robustness: 1 to 7");
		return -EINVAL;
	}
	/* the largest QQIC (§4.1.7) */
	if (t->query_interval < MSEC_PER_SEC ||
	    t->query_interval > 31744 * MSEC_PER_SEC) {
		NL_SET_ERR_MSG_MOD(extack, "igmp-query-interval: 1 to 31744 s");
		return -EINVAL;
	}
	/* §8.3: shorter than the query interval; IGMPv2 counts tenths */
	if (t->response_interval < 100 ||
	    t->response_interval >= t->query_interval ||
	    (cfg->version == 2 && t->response_interval > 25500)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "igmp-response-interval: 100 ms to below the query interval (25500 ms for IGMPv2)");
		return -EINVAL;
	}
	if (t->last_member_interval < 100 ||
	    t->last_member_interval > 25500) {
		NL_SET_ERR_MSG_MOD(extack,
				   "igmp-last-member-interval: 100 to 25500 ms");
		return -EINVAL;
	}
	if (!cfg->max_groups || cfg->max_groups > 65536) {
		NL_SET_ERR_MSG_MOD(extack, "igmp-max-groups: 1 to 65536");
		return -EINVAL;
	}
	if (cfg->max_sources > 1024) {
		NL_SET_ERR_MSG_MOD(extack, "igmp-max-sources: 0 to 1024");
		return -EINVAL;
	}
	return 0;
}

/* The socket and the registration the first interface needs. */
static int mgm_igmp_net_up(struct mgm_igmp_net *in,
			   struct netlink_ext_ack *extack)
{
	int zero = 0, err;

	if (in->handle)
		return 0;
	err = sock_create_kern(in->net, PF_INET, SOCK_RAW, IPPROTO_RAW,
			       &in->sock);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot create the socket for queries");
		return err == -ENFILE ? -ENOMEM : err;
	}
	/* our queries do not come back to us */
	in->sock->ops->setsockopt(in->sock, SOL_IP, IP_MULTICAST_LOOP,
				  KERNEL_SOCKPTR(&zero), sizeof(zero));
	err = mgm_register(in->net, MGM_PROTO_IGMP, 1, &mgm_igmp_mgm_ops, in,
			   &in->handle, extack);
	if (err) {
		sock_release(in->sock);
		in->sock = NULL;
		in->handle = 0;
	}
	return err;
}

static void mgm_igmp_net_down(struct mgm_igmp_net *in)
{
	if (in->n_ifs || !in->handle)
		return;
	mgm_deregister(in->net, in->handle, NULL);
	in->handle = 0;
	sock_release(in->sock);
	in->sock = NULL;
}

/*
 * IGMP leaves @ifc: its memberships, the interface, the record.  The
 * caller puts the ipmr hook (mgm_igmp_hook_put()) after letting go of
 * the lock: clearing the hook waits for the packet in flight, whose
 * handler takes the lock.
 */
static void mgm_igmp_if_free(struct mgm_igmp_net *in, struct mgm_igmp_if *ifc)
{
	lockdep_assert_held(&in->lock);
	mgm_igmp_routers(ifc, false);
	mgm_igmp_groups_flush(&ifc->groups);
	mgm_release_interface(in->net, in->handle, ifc->ifindex, 0, NULL);
	xa_erase(&in->ifs, ifc->ifindex);
	in->n_ifs--;
	mem_cgroup_put(ifc->memcg);
	kfree_rcu(ifc, rcu);
	mgm_igmp_net_down(in);
}

int mgm_igmp_enable(struct net *net, u32 ifindex,
		    const struct mgm_igmp_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	struct mgm_igmp_if *ifc, *old;
	bool put_old = false;
	int err;

	err = mgm_igmp_check(cfg, extack);
	if (err)
		return err;
	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL_ACCOUNT);
	if (!ifc)
		return -ENOMEM;
	/* before the interface is there, so no disable puts it first */
	mgm_igmp_hook_get();
	ifc->ifindex = ifindex;
	ifc->in = in;
	ifc->cfg = *cfg;
	/* the requester's memory cgroup, for what the link makes it keep */
	ifc->memcg = get_mem_cgroup_from_mm(current->mm);
	mgm_igmp_groups_init(&ifc->groups, &mgm_igmp_group_ops, ifc,
			     cfg->max_groups, cfg->max_sources);

	mutex_lock(&in->lock);
	/* what ran on a netdev gone, whose ifindex a new one took */
	old = xa_load(&in->ifs, ifindex);
	if (old && READ_ONCE(old->gone)) {
		mgm_igmp_if_free(in, old);
		put_old = true;
		old = NULL;
	}
	err = -EEXIST;
	if (old) {
		NL_SET_ERR_MSG_MOD(extack, "ifindex: IGMP runs there already");
		goto unlock;
	}
	err = mgm_igmp_net_up(in, extack);
	if (err)
		goto unlock;
	err = xa_insert(&in->ifs, ifindex, ifc, GFP_KERNEL_ACCOUNT);
	if (err)
		goto down;
	in->n_ifs++;
	err = mgm_take_interface(net, in->handle, ifindex, 0, extack);
	if (err) {
		xa_erase(&in->ifs, ifindex);
		in->n_ifs--;
		mgm_igmp_net_down(in);
		mutex_unlock(&in->lock);
		mgm_igmp_hook_put();
		if (put_old)
			mgm_igmp_hook_put();
		mem_cgroup_put(ifc->memcg);
		/* MGM's callbacks look it up under RCU */
		kfree_rcu(ifc, rcu);
		return err;
	}
	mgm_igmp_routers(ifc, true);
	mgm_igmp_querier_init(&ifc->q, &cfg->timers,
			      mgm_igmp_if_addr(net, ifindex), mgm_igmp_now());
	mgm_igmp_if_sync(ifc);
	mgm_igmp_kick(in);
	mutex_unlock(&in->lock);
	if (put_old)
		mgm_igmp_hook_put();
	return 0;

down:
	mgm_igmp_net_down(in);
unlock:
	mutex_unlock(&in->lock);
	mgm_igmp_hook_put();
	if (put_old)
		mgm_igmp_hook_put();
	mem_cgroup_put(ifc->memcg);
	kfree(ifc);
	return err;
}

int mgm_igmp_disable(struct net *net, u32 ifindex,
		     struct netlink_ext_ack *extack)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	struct mgm_igmp_if *ifc;

	mutex_lock(&in->lock);
	ifc = xa_load(&in->ifs, ifindex);
	if (ifc)
		mgm_igmp_if_free(in, ifc);
	else
		NL_SET_ERR_MSG_MOD(extack, "ifindex: IGMP does not run there");
	mutex_unlock(&in->lock);
	if (!ifc)
		return -ENOENT;
	mgm_igmp_hook_put();
	return 0;
}

int mgm_igmp_if_get(struct net *net, u32 ifindex, bool next,
		    struct mgm_igmp_if_info *info)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	unsigned long idx = ifindex + next;
	struct mgm_igmp_if *ifc;
	u64 now = mgm_igmp_now();

	mutex_lock(&in->lock);
	ifc = next ? xa_find(&in->ifs, &idx, ULONG_MAX, XA_PRESENT) :
		     xa_load(&in->ifs, ifindex);
	if (ifc) {
		*info = (struct mgm_igmp_if_info) {
			.ifindex = ifc->ifindex,
			.cfg = ifc->cfg,
			.querier = ifc->q.querier,
			.querier_addr = ifc->q.addr,
			.querier_since = now - ifc->q.since,
			.disabled = READ_ONCE(ifc->disabled),
			.n_groups = ifc->groups.n_groups,
			.queries_sent = ifc->queries_sent,
			.send_errors = ifc->send_errors,
			.query_drops = ifc->query_drops,
			.member_refusals = ifc->member_refusals,
			.rx = ifc->rx,
			.groups = ifc->groups.counters,
		};
		/* what it runs by: a querier's QRV and QQIC are adopted */
		info->cfg.timers = ifc->q.timers;
	}
	mutex_unlock(&in->lock);
	return ifc ? 0 : -ENOENT;
}

int mgm_igmp_if_group(struct net *net, u32 ifindex, __be32 group, bool next,
		      struct mgm_igmp_group_info *info,
		      struct mgm_igmp_source_info *srcs, unsigned int max)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	struct mgm_igmp_if *ifc;
	u64 now = mgm_igmp_now();
	unsigned int i;
	int err = -ENOENT;

	mutex_lock(&in->lock);
	ifc = xa_load(&in->ifs, ifindex);
	if (ifc)
		err = mgm_igmp_group_get(&ifc->groups, group, next, now, info,
					 srcs, max);
	mutex_unlock(&in->lock);
	if (err)
		return err;
	/* what is left of the timers; a source's 0 stays "none runs" */
	info->expires = info->expires > now ? info->expires - now : 0;
	for (i = 0; i < min(max, info->n_sources); i++)
		if (srcs[i].expires)
			srcs[i].expires = srcs[i].expires > now ?
					  srcs[i].expires - now : 1;
	return 0;
}

/* ---- network namespaces and the module ------------------------------------ */

static int mgm_igmp_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mgm_igmp_net *in = mgm_igmp_net(dev_net(dev));
	struct mgm_igmp_if *ifc;

	if (event != NETDEV_UNREGISTER || !in)
		return NOTIFY_DONE;
	rcu_read_lock();
	ifc = xa_load(&in->ifs, dev->ifindex);
	if (ifc) {
		WRITE_ONCE(ifc->gone, true);
		mgm_igmp_kick(in);
	}
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block mgm_igmp_netdev_notifier = {
	.notifier_call = mgm_igmp_netdev_event,
};

static int __net_init mgm_igmp_net_init(struct net *net)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);

	in->net = net;
	mutex_init(&in->lock);
	xa_init(&in->ifs);
	INIT_DELAYED_WORK(&in->work, mgm_igmp_work);
	spin_lock_init(&in->sched_lock);
	in->scheduled = U64_MAX;
	return 0;
}

/* Before MGM's own exit (registered after it): IGMP leaves cleanly. */
static void __net_exit mgm_igmp_net_exit(struct net *net)
{
	struct mgm_igmp_net *in = mgm_igmp_net(net);
	unsigned int freed = 0;
	struct mgm_igmp_if *ifc;
	unsigned long idx;

	mutex_lock(&in->lock);
	xa_for_each(&in->ifs, idx, ifc) {
		mgm_igmp_if_free(in, ifc);
		freed++;
	}
	mutex_unlock(&in->lock);
	while (freed--)
		mgm_igmp_hook_put();
	cancel_delayed_work_sync(&in->work);
	xa_destroy(&in->ifs);
}

static struct pernet_operations mgm_igmp_net_ops = {
	.init = mgm_igmp_net_init,
	.exit = mgm_igmp_net_exit,
	.id = &mgm_igmp_net_id,
	.size = sizeof(struct mgm_igmp_net),
};

int mgm_igmp_init(void)
{
	int err;

	mgm_igmp_wq = alloc_workqueue("mgm_igmp", WQ_UNBOUND, 0);
	if (!mgm_igmp_wq)
		return -ENOMEM;
	err = register_pernet_device(&mgm_igmp_net_ops);
	if (err)
		goto destroy_wq;
	err = register_netdevice_notifier(&mgm_igmp_netdev_notifier);
	if (err)
		goto unregister_pernet;
	return 0;

unregister_pernet:
	unregister_pernet_device(&mgm_igmp_net_ops);
destroy_wq:
	destroy_workqueue(mgm_igmp_wq);
	return err;
}

void mgm_igmp_exit(void)
{
	unregister_netdevice_notifier(&mgm_igmp_netdev_notifier);
	unregister_pernet_device(&mgm_igmp_net_ops);
	destroy_workqueue(mgm_igmp_wq);
}
