// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for MGM's ipmr forwarder, on real netdevs: packets injected
 * with netif_rx() go through ipmr, and the test's netdevs count what they
 * transmit.  What MGM did to ipmr is checked through ipmr itself: a second
 * raw IGMP socket (ownership, SIOCGETSGCNT) and the devices' mc_forwarding
 * (one per VIF).
 *
 * Every case leaves the table free and the netdevs as they were, for the
 * cases and suites that run after it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/igmp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/mroute.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/raw.h>
#include <net/sock.h>

#include "../mgm_core.h"
#include "../mgm_ipmr.h"
#include "../mgm_mfe.h"
#include "../mgm_protocol.h"
#include "../mgm_route.h"
#include "mgm_test.h"

#define P_ID	210		/* a routing protocol */
#define Q_ID	211		/* another one */

#define S1	cpu_to_be32(0x0a000002)	/* 10.0.0.2 */
#define G1	cpu_to_be32(0xef010101)	/* 239.1.1.1 */
#define G2	cpu_to_be32(0xef010102)	/* 239.1.1.2 */
#define G_IGMP	cpu_to_be32(0xef010203)	/* 239.1.2.3, in IGMP reports */
#define TEST_GROUPS	0xef010000	/* 239.1.0.0/16: what the netdevs count */

#define PKT_LEN	(sizeof(struct iphdr) + sizeof(struct udphdr))

/* ---- netdevs that count the test's multicast packets ---------------------- */

struct cnt_priv {
	atomic_t tx;
};

static netdev_tx_t cnt_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct cnt_priv *priv = netdev_priv(dev);
	const struct iphdr *iph;

	/* not the IPv6 and IGMP chatter of the stack */
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_may_pull(skb, ETH_HLEN + sizeof(*iph))) {
		iph = (const struct iphdr *)(skb->data + ETH_HLEN);
		if ((ntohl(iph->daddr) & 0xffff0000) == TEST_GROUPS)
			atomic_inc(&priv->tx);
	}
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops cnt_netdev_ops = {
	.ndo_start_xmit = cnt_xmit,
};

static struct net_device *cnt_netdev_new(void)
{
	return mgm_test_netdev_open(&cnt_netdev_ops, sizeof(struct cnt_priv));
}

static int tx(struct net_device *dev)
{
	return atomic_read(&((struct cnt_priv *)netdev_priv(dev))->tx);
}

/* Has ipmr a VIF on @dev?  Each VIF counts once in its mc_forwarding. */
static int mc_forwarding(struct net_device *dev)
{
	struct in_device *in_dev;
	int val = -1;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev)
		val = IN_DEV_CONF_GET(in_dev, MC_FORWARDING);
	rcu_read_unlock();
	return val;
}

/* A UDP packet (or an IGMP report) from @s to @g arrives on @dev. */
static void inject(struct net_device *dev, __be32 s, __be32 g, u8 protocol)
{
	struct sk_buff *skb = alloc_skb(LL_MAX_HEADER + PKT_LEN, GFP_KERNEL);
	struct igmphdr *igmp;
	struct iphdr *iph;

	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_mac_header(skb);
	iph = skb_put_zero(skb, PKT_LEN);
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(PKT_LEN);
	iph->ttl = 64;
	iph->protocol = protocol;
	iph->saddr = s;
	iph->daddr = g;
	ip_send_check(iph);
	if (protocol == IPPROTO_IGMP) {
		igmp = (struct igmphdr *)(iph + 1);
		igmp->type = IGMPV2_HOST_MEMBERSHIP_REPORT;
		igmp->group = g;
		igmp->csum = ip_compute_csum(igmp, sizeof(*igmp));
	}
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_MULTICAST;
	skb->dev = dev;
	netif_rx(skb);
}

static void inject_udp(struct net_device *dev, __be32 s, __be32 g)
{
	inject(dev, s, g, IPPROTO_UDP);
}

/* Packets are forwarded in softirq context: give them two seconds. */
#define wait_for(cond) do {					\
	int __i;						\
	for (__i = 0; __i < 100 && !(cond); __i++)		\
		msleep(20);					\
} while (0)

/* ---- ipmr through a socket of the test's own -------------------------------- */

static int mrt_set(struct socket *sock, int opt, void *val, unsigned int len)
{
	return sock->ops->setsockopt(sock, SOL_IP, opt, KERNEL_SOCKPTR(val),
				     len);
}

static struct socket *probe_new(struct kunit *test, struct net *net)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(net, PF_INET, SOCK_RAW,
					       IPPROTO_IGMP, &sock), 0);
	return sock;
}

static int probe_init(struct socket *sock)
{
	int one = 1;

	return mrt_set(sock, MRT_INIT, &one, sizeof(one));
}

/*
 * Where ipmr's ioctl takes user memory (6.1), the counters of (@s, @g) in
 * the table of @sock over a NETLINK_ROUTE socket of the test's own.
 */
static int sg_count_rtnl(struct socket *sock, __be32 s, __be32 g,
			 struct sioc_sg_req *req)
{
	struct mgm_mfe_counters c;
	struct socket *rtnl;
	int err;

	err = sock_create_kern(sock_net(sock->sk), AF_NETLINK, SOCK_RAW,
			       NETLINK_ROUTE, &rtnl);
	if (err)
		return err;
	err = mgm_ipmr_getroute(rtnl, 1, s, g,
				raw_sk(sock->sk)->ipmr_table ?: RT_TABLE_DEFAULT,
				&c);
	sock_release(rtnl);
	if (err == -ENOENT)
		return -EADDRNOTAVAIL;	/* what the ioctl says */
	req->pktcnt = c.pkts;
	req->bytecnt = c.bytes;
	req->wrong_if = c.wrong_if;
	return err;
}

/* 0 if ipmr has an entry for (@s, @g), -EADDRNOTAVAIL if not. */
static int sg_count(struct socket *sock, __be32 s, __be32 g,
		    struct sioc_sg_req *req)
{
	int (*ioctl)(struct sock *sk, int cmd, int *karg);

	memset(req, 0, sizeof(*req));
	req->src.s_addr = s;
	req->grp.s_addr = g;
	ioctl = mgm_compat_kernel_ioctl(sock->sk->sk_prot->ioctl);
	if (!ioctl)
		return sg_count_rtnl(sock, s, g, req);
	return ioctl(sock->sk, SIOCGETSGCNT, (int *)req);
}

/* ---- fixtures ------------------------------------------------------------ */

#define N_DEVS	4
static struct net_device *devs[N_DEVS];

#define A	(devs[0])
#define B	(devs[1])
#define C	(devs[2])
#define D	(devs[3])

#define MAX_EXTRA	(MAXVIFS + 1)

struct wrongif_rec {
	int n;
	__be32 source, group;
	u32 ifindex;
};

/* What one case set up, undone by its exit even after a failed assertion. */
struct ctx {
	struct net *net;
	u32 p, q;		/* two registered routing protocols */
	struct wrongif_rec p_wrongif, q_wrongif;
	struct socket *probe;
	struct net_device *extra[MAX_EXTRA];
	unsigned int n_extra;
	/* the engine's route lookup and clock, while a case replaces them */
	int (*saved_rpf)(struct mgm_net *mn, __be32 source,
			 struct mgm_rpf *rpf);
	u64 (*saved_clock)(void);
};

static void rec_wrong_if(void *priv, __be32 source, __be32 group,
			 u32 ifindex, __be32 nexthop, const void *hdr,
			 unsigned int hdr_len)
{
	struct wrongif_rec *r = priv;

	r->source = source;
	r->group = group;
	WRITE_ONCE(r->ifindex, ifindex);
	WRITE_ONCE(r->n, r->n + 1);
}

static const struct mgm_protocol_ops rec_ops = {
	.wrong_if = rec_wrong_if,
};

#define S_NOROUTE	cpu_to_be32(0x0b000001)	/* 11.0.0.1 */

static u64 fake_ms;

static u64 fake_clock(void)
{
	return fake_ms;
}

/* S1 is routed through A; other sources have no route. */
static int rpf_via_a(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf)
{
	if (source != S1)
		return -ENETUNREACH;
	rpf->in_ifindex = A->ifindex;
	rpf->upstream = source;
	rpf->route.prefix = source;
	rpf->route.prefix_len = 32;
	return 0;
}

static void replace_engine(struct ctx *ctx)
{
	struct mgm_net *mn = mgm_pernet(ctx->net);

	mutex_lock(&mn->lock);
	ctx->saved_rpf = mn->rpf_lookup;
	ctx->saved_clock = mn->clock;
	fake_ms = 1000000;
	mn->rpf_lookup = rpf_via_a;
	mn->clock = fake_clock;
	mutex_unlock(&mn->lock);
}

/* MFEs whose IIF nobody owned outlive their protocols: let them age out. */
static void age_out(struct ctx *ctx)
{
	fake_ms += 1000000000ULL;
	mgm_run_timers(ctx->net);
}

static void restore_engine(struct ctx *ctx)
{
	struct mgm_net *mn = mgm_pernet(ctx->net);

	if (!ctx->saved_rpf)
		return;
	age_out(ctx);
	mutex_lock(&mn->lock);
	mn->rpf_lookup = ctx->saved_rpf;
	mn->clock = ctx->saved_clock;
	mutex_unlock(&mn->lock);
	ctx->saved_rpf = NULL;
}

static int mgm_ipmr_suite_init(struct kunit_suite *suite)
{
	int i;

	for (i = 0; i < N_DEVS; i++) {
		devs[i] = cnt_netdev_new();
		if (!devs[i])
			return -ENOMEM;
	}
	return 0;
}

static void mgm_ipmr_suite_exit(struct kunit_suite *suite)
{
	int i;

	for (i = 0; i < N_DEVS; i++)
		if (devs[i])
			mgm_test_netdev_free(devs[i]);
}

static int mgm_ipmr_test_init(struct kunit *test)
{
	struct ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->net = &init_net;
	if (mgm_register(ctx->net, P_ID, 1, &rec_ops, &ctx->p_wrongif,
			 &ctx->p, NULL))
		return -EINVAL;
	if (mgm_register(ctx->net, Q_ID, 1, &rec_ops, &ctx->q_wrongif,
			 &ctx->q, NULL)) {
		mgm_shutdown_protocol(ctx->net, ctx->p);
		return -EINVAL;
	}
	test->priv = ctx;
	/* a packet nobody expects must not leave an MFE to later cases */
	replace_engine(ctx);
	return 0;
}

static void mgm_ipmr_test_exit(struct kunit *test)
{
	struct ctx *ctx = test->priv;
	unsigned int i;

	mgm_ipmr_set_igmp_rcv(NULL);
	mgm_shutdown_protocol(ctx->net, ctx->p);
	mgm_shutdown_protocol(ctx->net, ctx->q);
	restore_engine(ctx);
	if (ctx->probe)
		sock_release(ctx->probe);
	for (i = 0; i < ctx->n_extra; i++)
		mgm_test_netdev_free(ctx->extra[i]);
}

static int take(struct ctx *ctx, u32 handle, struct net_device *dev)
{
	return mgm_take_interface(ctx->net, handle, dev->ifindex, 0, NULL);
}

static int release(struct ctx *ctx, u32 handle, struct net_device *dev)
{
	return mgm_release_interface(ctx->net, handle, dev->ifindex, 0, NULL);
}

static int mfe_add(struct ctx *ctx, __be32 g, struct net_device *iif,
		   unsigned int n, struct net_device **oifs)
{
	struct mgm_oif oif[N_DEVS] = {};
	unsigned int i;

	for (i = 0; i < n; i++)
		oif[i].ifindex = oifs[i]->ifindex;
	return mgm_mfe_add(ctx->net, S1, g, iif->ifindex, 0, 0, n, oif);
}

/* Protocol id of the owner of @ifindex, 0 for none. */
static u32 owner_of_ifindex(struct ctx *ctx, u32 ifindex)
{
	u32 pid, cid;

	if (mgm_get_protocol_on_interface(ctx->net, ifindex, 0, &pid, &cid,
					  NULL))
		return 0;
	return pid;
}

enum counter_path { VIA_OPS, VIA_RTNL };

/*
 * The counters of (S1, @g) through the forwarder op, or over rtnetlink.
 * Without an MFE for it, a stand-in with just its (S,G) goes instead.
 */
static int counters(struct ctx *ctx, __be32 g, enum counter_path path,
		    struct mgm_mfe_counters *c)
{
	struct mgm_fwd_entry e = {
		.family = AF_INET,
		.source.ip = S1,
		.group.ip = g,
	};
	struct mgm_net *mn = mgm_pernet(ctx->net);
	int err;

	memset(c, 0, sizeof(*c));
	mutex_lock(&mn->lock);
	if (path == VIA_OPS)
		err = mgm_ipmr_forwarder.mfe_counters(mn, &e, c);
	else
		err = mgm_ipmr_counters_rtnl(mn, &e, c);
	mutex_unlock(&mn->lock);
	return err;
}

/* Nobody owns the table, no VIF and no entry of the test is left. */
static void expect_table_free(struct kunit *test, struct ctx *ctx)
{
	struct socket *probe = probe_new(test, ctx->net);
	struct sioc_sg_req req;
	int i;

	KUNIT_EXPECT_EQ(test, mgm_pernet(ctx->net)->n_mfes, 0UL);
	for (i = 0; i < N_DEVS; i++)
		KUNIT_EXPECT_EQ(test, mc_forwarding(devs[i]), 0);
	KUNIT_EXPECT_EQ(test, IPV4_DEVCONF_ALL(ctx->net, MC_FORWARDING), 0);
	KUNIT_EXPECT_EQ(test, sg_count(probe, S1, G1, &req), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, sg_count(probe, S1, G2, &req), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, probe_init(probe), 0);
	sock_release(probe);
}

/* ---- cases ----------------------------------------------------------------- */

/* A VIF exists exactly while someone owns the interface. */
static void ipmr_test_vifs(struct kunit *test)
{
	struct ctx *ctx = test->priv;
	struct socket *probe;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(A), 1);
	KUNIT_EXPECT_EQ(test, mc_forwarding(B), 1);
	KUNIT_EXPECT_EQ(test, mc_forwarding(C), 0);
	/* two next hops of one interface are one VIF */
	KUNIT_ASSERT_EQ(test, mgm_take_interface(ctx->net, ctx->p, C->ifindex,
						 cpu_to_be32(0xc0a80001), NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(ctx->net, ctx->p, C->ifindex,
						 cpu_to_be32(0xc0a80002), NULL), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(C), 1);
	KUNIT_ASSERT_EQ(test, mgm_release_interface(ctx->net, ctx->p, C->ifindex,
						    cpu_to_be32(0xc0a80001), NULL), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(C), 1);
	KUNIT_ASSERT_EQ(test, mgm_release_interface(ctx->net, ctx->p, C->ifindex,
						    cpu_to_be32(0xc0a80002), NULL), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(C), 0);

	/* MGM owns the table: nobody else gets it */
	probe = probe_new(test, ctx->net);
	KUNIT_EXPECT_EQ(test, probe_init(probe), -EADDRINUSE);
	sock_release(probe);

	KUNIT_EXPECT_EQ(test, release(ctx, ctx->p, A), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(A), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(B), 1);
	KUNIT_EXPECT_EQ(test, release(ctx, ctx->q, B), 0);
	expect_table_free(test, ctx);
}

/* An MFE's packets leave on its outgoing interfaces and nowhere else. */
static void ipmr_test_forward(struct kunit *test)
{
	struct net_device *oifs[] = { B, C };
	struct ctx *ctx = test->priv;
	struct socket *probe;
	struct sioc_sg_req req;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, C), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, D), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(ctx, G1, A, 2, oifs), 0);
	probe = probe_new(test, ctx->net);
	ctx->probe = probe;
	KUNIT_EXPECT_EQ(test, sg_count(probe, S1, G1, &req), 0);

	inject_udp(A, S1, G1);
	wait_for(tx(B) == 1 && tx(C) == 1);
	KUNIT_EXPECT_EQ(test, tx(B), 1);
	KUNIT_EXPECT_EQ(test, tx(C), 1);
	/* one run of ip_mr_forward() sent to every OIF: D's count is final */
	KUNIT_EXPECT_EQ(test, tx(D), 0);
	KUNIT_EXPECT_EQ(test, tx(A), 0);

	/* another group, no MFE: nothing is forwarded */
	inject_udp(A, S1, G2);
	msleep(100);
	KUNIT_EXPECT_EQ(test, tx(B) + tx(C) + tx(D), 2);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	/* the MFE went with its IIF */
	KUNIT_EXPECT_EQ(test, sg_count(probe, S1, G1, &req), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	sock_release(probe);
	ctx->probe = NULL;
	expect_table_free(test, ctx);
}

/* Release of an outgoing interface stops forwarding there, and only there. */
static void ipmr_test_release_oif(struct kunit *test)
{
	struct net_device *oifs[] = { B, C };
	struct ctx *ctx = test->priv;
	int b, c;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, C), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(ctx, G1, A, 2, oifs), 0);
	b = tx(B);
	c = tx(C);
	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 1 && tx(C) == c + 1);
	KUNIT_ASSERT_EQ(test, tx(C), c + 1);

	KUNIT_ASSERT_EQ(test, release(ctx, ctx->q, C), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(C), 0);
	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 2);
	KUNIT_EXPECT_EQ(test, tx(B), b + 2);
	KUNIT_EXPECT_EQ(test, tx(C), c + 1);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	expect_table_free(test, ctx);
}

static void expect_counters(struct kunit *test, struct ctx *ctx, u64 pkts,
			    u64 wrong_if)
{
	struct mgm_mfe_counters c, r;
	struct mgm_mfe_info info;

	KUNIT_EXPECT_EQ(test, counters(ctx, G1, VIA_OPS, &c), 0);
	KUNIT_EXPECT_EQ(test, c.pkts, pkts);
	KUNIT_EXPECT_EQ(test, c.bytes, pkts * PKT_LEN);
	KUNIT_EXPECT_EQ(test, c.wrong_if, wrong_if);
	/* the way 6.1 gets them */
	KUNIT_EXPECT_EQ(test, counters(ctx, G1, VIA_RTNL, &r), 0);
	KUNIT_EXPECT_EQ(test, r.pkts, c.pkts);
	KUNIT_EXPECT_EQ(test, r.bytes, c.bytes);
	KUNIT_EXPECT_EQ(test, r.wrong_if, c.wrong_if);
	/* and as MGM reports them */
	KUNIT_EXPECT_EQ(test, mgm_get_mfe(ctx->net, S1, G1, false, &info,
					  NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.pkts, c.pkts);
	KUNIT_EXPECT_EQ(test, info.bytes, c.bytes);
	KUNIT_EXPECT_EQ(test, info.wrong_if, c.wrong_if);
}

/* Counters move with the traffic, also that from the wrong interface. */
static void ipmr_test_counters(struct kunit *test)
{
	struct net_device *oifs[] = { B };
	struct ctx *ctx = test->priv;
	struct mgm_mfe_counters c;
	int b;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, C), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(ctx, G1, A, 1, oifs), 0);
	expect_counters(test, ctx, 0, 0);

	b = tx(B);
	inject_udp(A, S1, G1);
	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 2);
	KUNIT_ASSERT_EQ(test, tx(B), b + 2);
	expect_counters(test, ctx, 2, 0);

	/* on an OIF and on an interface of the router that is neither */
	inject_udp(B, S1, G1);
	inject_udp(C, S1, G1);
	wait_for(!counters(ctx, G1, VIA_OPS, &c) && c.wrong_if == 2);
	expect_counters(test, ctx, 4, 2);
	KUNIT_EXPECT_EQ(test, tx(B), b + 2);

	/* an (S,G) that ipmr does not have */
	KUNIT_EXPECT_EQ(test, counters(ctx, G2, VIA_OPS, &c), -ENOENT);
	KUNIT_EXPECT_EQ(test, counters(ctx, G2, VIA_RTNL, &c), -ENOENT);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	expect_table_free(test, ctx);
}

/* ipmr has 32 VIFs per table; the 33rd interface is refused, clearly. */
static void ipmr_test_vif_limit(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct ctx *ctx = test->priv;
	struct net_device *dev;
	unsigned int i;

	for (i = 0; i < MAXVIFS + 1; i++) {
		dev = cnt_netdev_new();
		KUNIT_ASSERT_NOT_NULL(test, dev);
		ctx->extra[ctx->n_extra++] = dev;
	}
	for (i = 0; i < MAXVIFS; i++)
		KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, ctx->extra[i]), 0);
	dev = ctx->extra[MAXVIFS];
	KUNIT_EXPECT_EQ(test, mgm_take_interface(ctx->net, ctx->q,
						 dev->ifindex, 0, &extack),
			-ENOSPC);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "at most 32 interfaces"));
	KUNIT_EXPECT_EQ(test, mc_forwarding(dev), 0);
	KUNIT_EXPECT_EQ(test, owner_of_ifindex(ctx, dev->ifindex), 0);

	/* a VIF freed is a VIF to take */
	KUNIT_EXPECT_EQ(test, release(ctx, ctx->p, ctx->extra[0]), 0);
	KUNIT_EXPECT_EQ(test, take(ctx, ctx->q, dev), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(dev), 1);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	for (i = 0; i < ctx->n_extra; i++)
		KUNIT_EXPECT_EQ(test, mc_forwarding(ctx->extra[i]), 0);
	expect_table_free(test, ctx);
}

/* Another multicast router on the table: a clear -EADDRINUSE, no damage. */
static void ipmr_test_table_owned(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct ctx *ctx = test->priv;
	char want[64];

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	ctx->probe = probe_new(test, ctx->net);
	KUNIT_EXPECT_EQ(test, probe_init(ctx->probe), -EADDRINUSE);
	KUNIT_ASSERT_EQ(test, release(ctx, ctx->p, A), 0);

	/* now the other one is first */
	KUNIT_ASSERT_EQ(test, probe_init(ctx->probe), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(ctx->net, ctx->p, A->ifindex,
						 0, &extack), -EADDRINUSE);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	snprintf(want, sizeof(want),
		 "another multicast router owns ipmr table %u", RT_TABLE_DEFAULT);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "table="));
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "ip mrule"));
	KUNIT_EXPECT_EQ(test, owner_of_ifindex(ctx, A->ifindex), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(A), 0);
	/* the other router's table is untouched, and MGM works once it left */
	KUNIT_EXPECT_EQ(test, IPV4_DEVCONF_ALL(ctx->net, MC_FORWARDING), 1);
	sock_release(ctx->probe);
	ctx->probe = NULL;
	KUNIT_EXPECT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_EXPECT_EQ(test, mc_forwarding(A), 1);
	KUNIT_EXPECT_EQ(test, release(ctx, ctx->p, A), 0);
	expect_table_free(test, ctx);
}

/* ipmr drops the VIF of a netdev that goes away; MGM copes. */
static void ipmr_test_netdev_gone(struct kunit *test)
{
	struct ctx *ctx = test->priv;
	struct net_device *oifs[2], *x;
	struct mgm_net *mn = mgm_pernet(ctx->net);
	int b;

	x = cnt_netdev_new();
	KUNIT_ASSERT_NOT_NULL(test, x);
	ctx->extra[ctx->n_extra++] = x;
	oifs[0] = B;
	oifs[1] = x;
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, x), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(ctx, G1, A, 2, oifs), 0);

	ctx->n_extra--;
	mgm_test_netdev_free(x);
	flush_work(&mn->netdev_work);

	b = tx(B);
	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 1);
	KUNIT_EXPECT_EQ(test, tx(B), b + 1);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	expect_table_free(test, ctx);
}

/* ---- through the engine ------------------------------------------------------ */

static int join(struct ctx *ctx, u32 handle, __be32 g, struct net_device *dev)
{
	struct mgm_sg sg = {
		.group = g,
		.group_mask = htonl(0xffffffff),
	};

	return mgm_add_membership(ctx->net, handle, &sg, dev->ifindex, 0,
				  MGM_FLAG_JOIN_STATE, NULL);
}

/*
 * A packet of an unknown source: ipmr asks MGM, the engine decides, and the
 * packet ipmr held meanwhile leaves on exactly the interfaces with members.
 */
static void ipmr_test_new_source(struct kunit *test)
{
	struct ctx *ctx = test->priv;
	struct mgm_mfe_counters c;
	struct sioc_sg_req req;
	int b, cc, d;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, C), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, D), 0);
	KUNIT_ASSERT_EQ(test, join(ctx, ctx->q, G1, B), 0);
	KUNIT_ASSERT_EQ(test, join(ctx, ctx->q, G1, C), 0);
	b = tx(B);
	cc = tx(C);
	d = tx(D);

	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 1 && tx(C) == cc + 1);
	KUNIT_EXPECT_EQ(test, tx(B), b + 1);
	KUNIT_EXPECT_EQ(test, tx(C), cc + 1);
	KUNIT_EXPECT_EQ(test, tx(D), d);
	KUNIT_EXPECT_EQ(test, tx(A), 0);
	KUNIT_EXPECT_EQ(test, counters(ctx, G1, VIA_OPS, &c), 0);
	KUNIT_EXPECT_EQ(test, c.pkts, 1ULL);

	/* installed: the next one takes ipmr's fast path */
	ctx->probe = probe_new(test, ctx->net);
	KUNIT_EXPECT_EQ(test, sg_count(ctx->probe, S1, G1, &req), 0);
	inject_udp(A, S1, G1);
	wait_for(tx(B) == b + 2);
	KUNIT_EXPECT_EQ(test, tx(B), b + 2);
	KUNIT_EXPECT_EQ(test, tx(C), cc + 2);
	KUNIT_EXPECT_EQ(test, tx(D), d);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, sg_count(ctx->probe, S1, G1, &req), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	sock_release(ctx->probe);
	ctx->probe = NULL;
	expect_table_free(test, ctx);
}

/* A packet from the wrong interface reaches that interface's owner. */
static void ipmr_test_wrong_if(struct kunit *test)
{
	struct net_device *oifs[] = { B };
	struct ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, C), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(ctx, G1, A, 1, oifs), 0);

	/* C is no OIF either: with MRT_PIM ipmr reports it all the same */
	inject_udp(C, S1, G1);
	wait_for(READ_ONCE(ctx->q_wrongif.n) > 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->q_wrongif.n), 1);
	KUNIT_EXPECT_EQ(test, ctx->q_wrongif.ifindex, C->ifindex);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ctx->q_wrongif.source), 0x0a000002U);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ctx->q_wrongif.group), 0xef010101U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->p_wrongif.n), 0);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	expect_table_free(test, ctx);
}

/*
 * A source without a route gets a negative MFE with no IIF: ipmr drops its
 * packets at once, counts them and reports them as from the wrong interface.
 */
static void ipmr_test_no_route(struct kunit *test)
{
	struct ctx *ctx = test->priv;
	struct sioc_sg_req req;
	struct mgm_mfe *mfe;
	u32 iif = ~0U;
	int b;

	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->q, B), 0);
	KUNIT_ASSERT_EQ(test, join(ctx, ctx->q, G1, B), 0);
	ctx->probe = probe_new(test, ctx->net);
	b = tx(B);

	/* the packet ipmr held is resolved as one from the wrong interface */
	inject_udp(A, S_NOROUTE, G1);
	wait_for(READ_ONCE(ctx->p_wrongif.n) > 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->p_wrongif.n), 1);
	KUNIT_EXPECT_EQ(test, ctx->p_wrongif.ifindex, A->ifindex);
	rcu_read_lock();
	mfe = mgm_mfe_lookup_rcu(ctx->net, S_NOROUTE, G1);
	if (mfe)
		iif = mfe->iif_ifindex;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, iif, 0U);

	/* ipmr has the entry: the next one is dropped at once, and counted */
	inject_udp(A, S_NOROUTE, G1);
	wait_for(!sg_count(ctx->probe, S_NOROUTE, G1, &req) && req.pktcnt == 2);
	KUNIT_EXPECT_EQ(test, sg_count(ctx->probe, S_NOROUTE, G1, &req), 0);
	KUNIT_EXPECT_EQ(test, req.pktcnt, 2UL);
	KUNIT_EXPECT_EQ(test, req.wrong_if, 2UL);
	KUNIT_EXPECT_EQ(test, tx(B), b);

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->p), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(ctx->net, ctx->q), 0);
	sock_release(ctx->probe);
	ctx->probe = NULL;
	age_out(ctx);
	expect_table_free(test, ctx);
}

static struct {
	struct completion done;
	__be32 saddr, daddr, group;
	u8 type;
} igmp_seen;

static void rec_igmp(struct net *net, struct sk_buff *skb)
{
	const struct igmphdr *igmp;
	const struct iphdr *iph;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return;
	iph = (const struct iphdr *)skb->data;
	if (!pskb_may_pull(skb, iph->ihl * 4 + sizeof(*igmp)))
		return;
	iph = (const struct iphdr *)skb->data;
	igmp = (const struct igmphdr *)(skb->data + iph->ihl * 4);
	igmp_seen.saddr = iph->saddr;
	igmp_seen.daddr = iph->daddr;
	igmp_seen.group = igmp->group;
	igmp_seen.type = igmp->type;
	complete(&igmp_seen.done);
}

/* IGMP reports on an interface reach the IGMP component once it asked. */
static void ipmr_test_igmp_hook(struct kunit *test)
{
	struct ctx *ctx = test->priv;

	init_completion(&igmp_seen.done);
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	/* nobody asked: dropped (the NULL waits until the worker is done) */
	inject(A, S1, G_IGMP, IPPROTO_IGMP);
	msleep(100);
	mgm_ipmr_set_igmp_rcv(NULL);
	mgm_ipmr_set_igmp_rcv(rec_igmp);
	KUNIT_EXPECT_FALSE(test, completion_done(&igmp_seen.done));

	inject(A, S1, G_IGMP, IPPROTO_IGMP);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&igmp_seen.done, 2 * HZ),
			0UL);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(igmp_seen.saddr), 0x0a000002U);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(igmp_seen.daddr), 0xef010203U);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(igmp_seen.group), 0xef010203U);
	KUNIT_EXPECT_EQ(test, igmp_seen.type, IGMPV2_HOST_MEMBERSHIP_REPORT);

	mgm_ipmr_set_igmp_rcv(NULL);
	KUNIT_EXPECT_EQ(test, release(ctx, ctx->p, A), 0);
	expect_table_free(test, ctx);
}

/*
 * The skb the worker handles must not belong to MGM's socket any more: what
 * the worker calls may close that socket (here the IGMP component releases
 * the last interface from its hook).  A charged skb would make the socket's
 * release warn about receive memory still in use, and consuming it after
 * would change the socket's counters after it was freed.
 */
static struct {
	struct completion done;
	struct ctx *ctx;
	bool owned;		/* the skb still pointed at a socket */
	int release;		/* what the release from the hook returned */
} igmp_closer;

static void rec_igmp_close(struct net *net, struct sk_buff *skb)
{
	struct ctx *ctx = igmp_closer.ctx;

	igmp_closer.owned = skb->sk || skb->destructor;
	igmp_closer.release = release(ctx, ctx->p, A);
	complete(&igmp_closer.done);
}

static void ipmr_test_igmp_hook_closes(struct kunit *test)
{
	struct ctx *ctx = test->priv;

	init_completion(&igmp_closer.done);
	igmp_closer.ctx = ctx;
	igmp_closer.release = -EINPROGRESS;
	KUNIT_ASSERT_EQ(test, take(ctx, ctx->p, A), 0);
	mgm_ipmr_set_igmp_rcv(rec_igmp_close);
	inject(A, S1, G_IGMP, IPPROTO_IGMP);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&igmp_closer.done,
							  2 * HZ), 0UL);
	/* the worker has consumed the skb once the hook is unset */
	mgm_ipmr_set_igmp_rcv(NULL);
	KUNIT_EXPECT_FALSE(test, igmp_closer.owned);
	KUNIT_EXPECT_EQ(test, igmp_closer.release, 0);
	expect_table_free(test, ctx);
}

static struct kunit_case mgm_ipmr_cases[] = {
	KUNIT_CASE(ipmr_test_vifs),
	KUNIT_CASE(ipmr_test_forward),
	KUNIT_CASE(ipmr_test_release_oif),
	KUNIT_CASE(ipmr_test_counters),
	KUNIT_CASE(ipmr_test_vif_limit),
	KUNIT_CASE(ipmr_test_table_owned),
	KUNIT_CASE(ipmr_test_netdev_gone),
	KUNIT_CASE(ipmr_test_igmp_hook),
	KUNIT_CASE(ipmr_test_igmp_hook_closes),
	KUNIT_CASE(ipmr_test_new_source),
	KUNIT_CASE(ipmr_test_wrong_if),
	KUNIT_CASE(ipmr_test_no_route),
	{}
};

static struct kunit_suite mgm_ipmr_suite = {
	.name = "mgm_ipmr",
	.suite_init = mgm_ipmr_suite_init,
	.suite_exit = mgm_ipmr_suite_exit,
	.init = mgm_ipmr_test_init,
	.exit = mgm_ipmr_test_exit,
	.test_cases = mgm_ipmr_cases,
};

kunit_test_suite(mgm_ipmr_suite);
