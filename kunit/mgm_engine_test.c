// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for memberships and MFEs: the join and prune alert tables J and
 * P, local join/leave, the interaction sequences of Documentation/mgm.rst
 * ("Interaction sequences", "New sources", "Wrong interface", "MFE lifetimes",
 * "Changing an MFE") and enumeration ("Group enumeration", "MFE lookup and
 * enumeration"), the checklist of "Errors", vetoes, negative MFEs, lifetimes on
 * a fake clock, enumeration, and deferred answers.
 *
 * Every callback of every fake protocol goes into one log, so a test checks
 * who was told what, with which arguments, and in which order.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "../mgm_core.h"
#include "../mgm_ipmr.h"
#include "../mgm_mfe.h"
#include "../mgm_protocol.h"
#include "../mgm_route.h"
#include "mgm_test.h"

#define N_DEVS 5
static struct net_device *devs[N_DEVS];
#define IF(i) (devs[i]->ifindex)

#define ONES	htonl(0xffffffff)
#define S1	htonl(0x0a000001)	/* sources, routed by fake_rpf() */
#define S2	htonl(0x0a000002)
#define S3	htonl(0x0a000003)
#define NOROUTE	htonl(0x0b000001)	/* a source without a route */
#define G1	htonl(0xef010101)
#define G2	htonl(0xef010102)
#define UPSTREAM htonl(0xc0a80001)

#define P_ID	200
#define Q_ID	201

/* ---- the log of callbacks ------------------------------------------------ */

enum ev_type { RPF, CREATE, PRUNE, JOIN, WRONGIF, LJOIN, LLEAVE, DISABLE,
	       ENABLE };

struct fake_proto;

struct ev {
	enum ev_type type;
	struct fake_proto *to;
	struct mgm_sg sg;
	u32 ifindex;		/* rpf, create: the IIF */
	bool flag;		/* member_update / member_delete */
	unsigned int n;		/* create: the interfaces asked about */
	u32 oifs[N_DEVS];
	u64 cookie;
};

static struct ev evlog[64];
static int nev;

/* A fake protocol and what it answers. */
struct fake_proto {
	u32 id;
	u32 handle;
	u32 rpf_answer;		/* rpf: pick this IIF instead (0: keep) */
	u32 veto;		/* create: disable this interface */
	u32 timeout;		/* prune (not member_delete): set this */
	bool lose;		/* deferred: each question lost on the way */
};

static struct ev *ev_add(enum ev_type type, void *priv)
{
	struct ev *e = &evlog[nev];

	if (WARN_ON(nev >= ARRAY_SIZE(evlog)))
		return &evlog[0];
	nev++;
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->to = priv;
	return e;
}

static void rec_rpf(void *priv, struct mgm_rpf *rpf)
{
	struct fake_proto *p = priv;
	struct ev *e = ev_add(RPF, priv);

	e->sg = rpf->sg;
	e->ifindex = rpf->in_ifindex;
	e->cookie = rpf->cookie;
	if (p->rpf_answer)
		rpf->in_ifindex = p->rpf_answer;
	if (p->lose)
		mgm_question_undelivered(&init_net, rpf->cookie);
}

static void rec_create(void *priv, const struct mgm_sg *sg, u32 in_ifindex,
		       __be32 in_nexthop, unsigned int n,
		       struct mgm_if_entry *oifs, u64 cookie)
{
	struct fake_proto *p = priv;
	struct ev *e = ev_add(CREATE, priv);
	unsigned int i;

	e->sg = *sg;
	e->ifindex = in_ifindex;
	e->n = n;
	e->cookie = cookie;
	for (i = 0; i < n && i < N_DEVS; i++) {
		e->oifs[i] = oifs[i].ifindex;
		if (oifs[i].ifindex == p->veto)
			oifs[i].enabled = false;
	}
	if (p->lose)
		mgm_question_undelivered(&init_net, cookie);
}

static void rec_prune(void *priv, const struct mgm_sg *sg, u32 ifindex,
		      __be32 nexthop, bool member_delete, u32 *timeout,
		      u64 cookie)
{
	struct fake_proto *p = priv;
	struct ev *e = ev_add(PRUNE, priv);

	e->sg = *sg;
	e->ifindex = ifindex;
	e->flag = member_delete;
	e->cookie = cookie;
	if (!member_delete && p->timeout)
		*timeout = p->timeout;
	if (!member_delete && p->lose)
		mgm_question_undelivered(&init_net, cookie);
}

static void rec_join(void *priv, const struct mgm_sg *sg, bool member_update)
{
	struct ev *e = ev_add(JOIN, priv);

	e->sg = *sg;
	e->flag = member_update;
}

static void rec_wrongif(void *priv, __be32 source, __be32 group, u32 ifindex,
			__be32 nexthop, const void *hdr, unsigned int hdr_len)
{
	struct ev *e = ev_add(WRONGIF, priv);

	e->sg.source = source;
	e->sg.group = group;
	e->ifindex = ifindex;
	e->n = hdr_len;
}

static void rec_local(void *priv, const struct mgm_sg *sg, u32 ifindex,
		      __be32 nexthop, enum ev_type type)
{
	struct ev *e = ev_add(type, priv);

	e->sg = *sg;
	e->ifindex = ifindex;
}

static void rec_ljoin(void *priv, const struct mgm_sg *sg, u32 ifindex,
		      __be32 nexthop)
{
	rec_local(priv, sg, ifindex, nexthop, LJOIN);
}

static void rec_lleave(void *priv, const struct mgm_sg *sg, u32 ifindex,
		       __be32 nexthop)
{
	rec_local(priv, sg, ifindex, nexthop, LLEAVE);
}

static void rec_disable(void *priv, u32 ifindex, __be32 nexthop)
{
	ev_add(DISABLE, priv)->ifindex = ifindex;
}

static void rec_enable(void *priv, u32 ifindex, __be32 nexthop)
{
	ev_add(ENABLE, priv)->ifindex = ifindex;
}

#define REC_OPS								\
	.rpf = rec_rpf,							\
	.creation_alert = rec_create,					\
	.prune_alert = rec_prune,					\
	.join_alert = rec_join,						\
	.wrong_if = rec_wrongif,					\
	.local_join = rec_ljoin,					\
	.local_leave = rec_lleave,					\
	.disable_igmp = rec_disable,					\
	.enable_igmp = rec_enable

static const struct mgm_protocol_ops rec_ops = { REC_OPS };
/* A protocol that answers later, like one in userspace. */
static const struct mgm_protocol_ops deferred_ops = { .deferred = true, REC_OPS };
/* An IGMP component that only hears its own callbacks. */
static const struct mgm_protocol_ops igmp_ops = {
	.disable_igmp = rec_disable,
	.enable_igmp = rec_enable,
};

static struct fake_proto *proto_new(struct kunit *test, u32 id,
				    const struct mgm_protocol_ops *ops)
{
	struct fake_proto *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->id = id;
	KUNIT_ASSERT_EQ(test, mgm_register(&init_net, id, 1, ops, p, &p->handle,
					   NULL), 0);
	return p;
}

static void take(struct kunit *test, struct fake_proto *p, int dev)
{
	KUNIT_ASSERT_EQ(test, mgm_take_interface(&init_net, p->handle, IF(dev),
						 0, NULL), 0);
}

static struct mgm_sg sg_of(__be32 source, __be32 group)
{
	return (struct mgm_sg) {
		.source = source, .source_mask = source ? ONES : 0,
		.group = group, .group_mask = group ? ONES : 0,
	};
}

static int add(struct fake_proto *p, __be32 source, __be32 group, int dev, u32 flags)
{
	struct mgm_sg sg = sg_of(source, group);

	return mgm_add_membership(&init_net, p->handle, &sg, IF(dev), 0, flags,
				  NULL);
}

static int del(struct fake_proto *p, __be32 source, __be32 group, int dev, u32 flags)
{
	struct mgm_sg sg = sg_of(source, group);

	return mgm_delete_membership(&init_net, p->handle, &sg, IF(dev), 0,
				     flags, NULL);
}

#define JOINST MGM_FLAG_JOIN_STATE
#define FWDST MGM_FLAG_FORWARD_STATE

/* Assert the log from index @i on holds exactly @n events to be checked. */
#define EXPECT_NEV(test, n) KUNIT_EXPECT_EQ(test, nev, n)

static void expect_ev(struct kunit *test, int i, enum ev_type type,
		      struct fake_proto *to, __be32 source, __be32 group)
{
	KUNIT_ASSERT_LT(test, i, nev);
	KUNIT_EXPECT_EQ(test, evlog[i].type, type);
	KUNIT_EXPECT_PTR_EQ(test, evlog[i].to, to);
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[i].sg.source,
			(__force u32)source);
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[i].sg.group,
			(__force u32)group);
}

/* Does event @i go to one of the protocols in @set (each at most once)? */
static bool ev_set(int first, int n, enum ev_type type, struct fake_proto **set,
		   int n_set)
{
	int i, j, hits = 0;

	for (i = first; i < first + n && i < nev; i++) {
		if (evlog[i].type != type)
			return false;
		for (j = 0; j < n_set; j++)
			if (evlog[i].to == set[j]) {
				hits |= 1 << j;
				break;
			}
		if (j == n_set)
			return false;
	}
	return hits == (1 << n_set) - 1 && n == n_set;
}

/* ---- a fake world: clock, routes, forwarder ------------------------------- */

static u64 fake_ms;

static u64 fake_clock(void)
{
	return fake_ms;
}

/* The route toward S1: through dev s1_dev (0 unless a case moves it). */
static int s1_dev;
/* The route toward BULK/16, for many MFEs: through bulk_dev (0). */
#define BULK	0x0a010000
static int bulk_dev;

static __be32 upstream_via(int dev)
{
	return htonl(ntohl(UPSTREAM) + dev);
}

/*
 * S1 and S3 come in on dev 0, S2 on dev 1; NOROUTE has no route.  The
 * upstream neighbour tells the links apart.
 */
static int fake_rpf(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf)
{
	int dev = source == S2 ? 1 : 0;

	if (source == S1)
		dev = s1_dev;
	else if ((ntohl(source) & 0xffff0000) == BULK)
		dev = bulk_dev;
	else if (source != S2 && source != S3)
		return -ENETUNREACH;
	if (dev < 0)
		return -ENETUNREACH;
	rpf->in_ifindex = IF(dev);
	rpf->upstream = upstream_via(dev);
	rpf->route.prefix = source;
	rpf->route.prefix_len = 32;
	return 0;
}

static int fwd_sets, fwd_dels;
static u64 fwd_pkts;

static int fake_if_add(struct mgm_net *mn, u32 ifindex,
		       struct netlink_ext_ack *extack)
{
	return 0;
}

static void fake_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone)
{
}

static void fake_mfe_set(struct mgm_net *mn, const struct mgm_fwd_entry *e)
{
	fwd_sets++;
}

static void fake_mfe_del(struct mgm_net *mn, const struct mgm_fwd_entry *e)
{
	fwd_dels++;
}

static int fake_mfe_counters(struct mgm_net *mn,
			     const struct mgm_fwd_entry *e,
			     struct mgm_mfe_counters *c)
{
	c->pkts = fwd_pkts;
	c->bytes = fwd_pkts * 100;
	c->wrong_if = 0;
	return 0;
}

static const struct mgm_forwarder_ops fake_fwd = {
	.family = AF_INET,
	.if_add = fake_if_add,
	.if_del = fake_if_del,
	.mfe_set = fake_mfe_set,
	.mfe_del = fake_mfe_del,
	.mfe_counters = fake_mfe_counters,
};

static const struct mgm_forwarder_ops *saved_fwd;
static u64 (*saved_clock)(void);
static int (*saved_rpf)(struct mgm_net *mn, __be32 source,
			struct mgm_rpf *rpf);

static int engine_test_init(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);

	nev = 0;
	s1_dev = 0;
	bulk_dev = 0;
	fake_ms = 1000000;
	fwd_sets = 0;
	fwd_dels = 0;
	fwd_pkts = 0;
	saved_clock = mn->clock;
	saved_rpf = mn->rpf_lookup;
	mn->clock = fake_clock;
	mn->rpf_lookup = fake_rpf;
	saved_fwd = mgm_get_forwarder();
	mgm_set_forwarder(&fake_fwd);
	return 0;
}

static void engine_test_exit(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);

	mgm_test_shutdown_all(&init_net);
	/* MFEs nobody's IIF held age out; make them go */
	fake_ms += 1000000000ULL;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mn->n_mfes, 0);
	KUNIT_EXPECT_EQ(test, mn->n_members, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&mn->requests));
	KUNIT_EXPECT_TRUE(test, list_empty(&mn->newsrcs));
	KUNIT_EXPECT_TRUE(test, xa_empty(&mn->requests_by_cookie));
	KUNIT_EXPECT_EQ(test, atomic_read(&mn->newsrcs_by_sg.nelems), 0);
	mgm_set_forwarder(saved_fwd);
	mn->clock = saved_clock;
	mn->rpf_lookup = saved_rpf;
	mgm_limits_init(&mn->limits);
}

static int engine_suite_init(struct kunit_suite *suite)
{
	return mgm_test_netdevs_new(devs, N_DEVS);
}

static void engine_suite_exit(struct kunit_suite *suite)
{
	mgm_test_netdevs_free(devs, N_DEVS);
}

/* MFE state as a test sees it. */
static int mfe_get(__be32 source, __be32 group, struct mgm_mfe_info *info,
		   u32 *oifs)
{
	struct mgm_oif o[N_DEVS];
	unsigned int i;
	int err;

	err = mgm_get_mfe(&init_net, source, group, false, info, o, N_DEVS);
	for (i = 0; !err && i < N_DEVS; i++)
		oifs[i] = i < info->n_oifs ? o[i].ifindex : 0;
	return err;
}

static bool mfe_has(__be32 source, __be32 group, int dev)
{
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	int i;

	if (mfe_get(source, group, &info, oifs))
		return false;
	for (i = 0; i < N_DEVS; i++)
		if (oifs[i] == IF(dev))
			return true;
	return false;
}

static unsigned int mfe_n_oifs(__be32 source, __be32 group)
{
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	return mfe_get(source, group, &info, oifs) ? UINT_MAX : info.n_oifs;
}

static void new_source(__be32 source, __be32 group, int dev)
{
	u8 hdr[20] = { 0x45 };

	mgm_new_source(&init_net, source, group, IF(dev), hdr, sizeof(hdr));
}

/* ---- table J --------------------------------------------------------------- */

static void engine_test_join_star_g(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);
	struct fake_proto *d = proto_new(test, 203, &rec_ops);
	struct fake_proto *others[] = { b, c, d };

	take(test, a, 1);
	take(test, a, 2);
	take(test, b, 3);
	take(test, c, 4);

	/* first client: all other registered clients */
	KUNIT_EXPECT_EQ(test, add(a, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 3, JOIN, others, 3));
	KUNIT_EXPECT_TRUE(test, evlog[0].flag);
	expect_ev(test, 0, JOIN, evlog[0].to, 0, G1);
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[0].sg.group_mask,
			(__force u32)ONES);
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[0].sg.source_mask, 0);
	EXPECT_NEV(test, 3);

	/* the same client on another interface: nobody */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(a, 0, G1, 2, JOINST), 0);
	EXPECT_NEV(test, 0);

	/* second client: only the first */
	KUNIT_EXPECT_EQ(test, add(b, 0, G1, 3, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, JOIN, a, 0, G1);

	/* third: nobody; a duplicate: nobody */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(c, 0, G1, 4, JOINST), 0);
	KUNIT_EXPECT_EQ(test, add(c, 0, G1, 4, JOINST), 0);
	EXPECT_NEV(test, 0);
}

static void engine_test_join_s_g(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);

	take(test, a, 0);	/* the RPF interface of S1 */
	take(test, b, 2);
	take(test, c, 3);

	/* first client of (S,G): the owner of the IIF toward S only */
	KUNIT_EXPECT_EQ(test, add(b, S1, G1, 2, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, JOIN, a, S1, G1);
	KUNIT_EXPECT_TRUE(test, evlog[0].flag);

	/* later clients: nobody */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(c, S1, G1, 3, JOINST), 0);
	EXPECT_NEV(test, 0);

	/* the IIF owner itself joining first: nobody (not to itself) */
	KUNIT_EXPECT_EQ(test, add(a, S3, G1, 0, JOINST), 0);
	EXPECT_NEV(test, 0);
}

static void engine_test_join_star_star(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);
	struct fake_proto *others[] = { b, c };

	take(test, a, 1);
	take(test, b, 2);
	take(test, c, 3);
	KUNIT_EXPECT_EQ(test, add(a, 0, 0, 1, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 2, JOIN, others, 2));
	expect_ev(test, 0, JOIN, evlog[0].to, 0, 0);
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[0].sg.group_mask, 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(b, 0, 0, 2, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, JOIN, a, 0, 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(c, 0, 0, 3, JOINST), 0);
	EXPECT_NEV(test, 0);
	/* (*,*) and (*,G) are counted apart: a is first for (*,G1) */
	KUNIT_EXPECT_EQ(test, add(a, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 2, JOIN, others, 2));
}

/* ---- table P --------------------------------------------------------------- */

static void engine_test_prune_star_g(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);
	struct fake_proto *others[] = { a, c };

	take(test, a, 1);
	take(test, a, 2);
	take(test, b, 3);
	take(test, c, 4);
	KUNIT_ASSERT_EQ(test, add(a, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(a, 0, G1, 2, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(b, 0, G1, 3, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(c, 0, G1, 4, JOINST), 0);
	nev = 0;

	/* three clients -> two: nobody */
	KUNIT_EXPECT_EQ(test, del(c, 0, G1, 4, JOINST), 0);
	EXPECT_NEV(test, 0);
	/* a still has another interface: nobody */
	KUNIT_EXPECT_EQ(test, del(a, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 0);
	/* two -> one: the remaining client, with the deleted interface */
	KUNIT_EXPECT_EQ(test, del(a, 0, G1, 2, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, PRUNE, b, 0, G1);
	KUNIT_EXPECT_TRUE(test, evlog[0].flag);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(2));
	/* one -> none: all other clients */
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(b, 0, G1, 3, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 2, PRUNE, others, 2));
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(3));
	/* a missing entry */
	KUNIT_EXPECT_EQ(test, del(b, 0, G1, 3, JOINST), -ENOENT);
}

static void engine_test_prune_s_g(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);

	take(test, a, 0);
	take(test, b, 2);
	take(test, c, 3);
	KUNIT_ASSERT_EQ(test, add(b, S1, G1, 2, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(c, S1, G1, 3, JOINST), 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(b, S1, G1, 2, JOINST), 0);
	EXPECT_NEV(test, 0);
	/*
	 * the last receiver: the RPF owner, with its RPF interface (mgm.rst,
	 * "Table P")
	 */
	KUNIT_EXPECT_EQ(test, del(c, S1, G1, 3, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, PRUNE, a, S1, G1);
	KUNIT_EXPECT_TRUE(test, evlog[0].flag);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(0));
}

static void engine_test_prune_star_star(struct kunit *test)
{
	struct fake_proto *a = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *b = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *c = proto_new(test, 202, &rec_ops);
	struct fake_proto *others[] = { a, c };

	take(test, a, 1);
	take(test, b, 2);
	take(test, c, 3);
	KUNIT_ASSERT_EQ(test, add(a, 0, 0, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(b, 0, 0, 2, JOINST), 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(a, 0, 0, 1, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, PRUNE, b, 0, 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(b, 0, 0, 2, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 2, PRUNE, others, 2));
}

/* ---- IGMP on a protocol's interface (mgm.rst, same title) -------------- */

static void engine_test_local_join_leave(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *q = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *igmp = proto_new(test, MGM_PROTO_IGMP, &igmp_ops);

	take(test, igmp, 1);
	take(test, p, 1);
	take(test, q, 2);
	nev = 0;

	/*
	 * P hears first, then the alerts name P as the client (mgm.rst, "Who
	 * counts as the client")
	 */
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 2);
	expect_ev(test, 0, LJOIN, p, 0, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(1));
	expect_ev(test, 1, JOIN, q, 0, G1);

	/* every call, not only transitions; a duplicate raises no alert */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, LJOIN, p, 0, G1);

	/* P's own entry for the same key: P is counted once */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 0);
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 0);

	KUNIT_EXPECT_EQ(test, del(igmp, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 2);
	expect_ev(test, 0, LLEAVE, p, 0, G1);
	expect_ev(test, 1, PRUNE, q, 0, G1);

	/*
	 * IGMP releasing the interface: a local leave for each entry (mgm.rst,
	 * "Releasing an interface")
	 */
	KUNIT_ASSERT_EQ(test, add(igmp, S1, G2, 1, JOINST), 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, igmp->handle,
						    IF(1), 0, NULL), 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, LLEAVE, p, S1, G2);
}

/* IGMP alone on a link is a client of its own (mgm.rst, "IGMP-only links"). */
static void engine_test_igmp_only_join(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *q = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *igmp = proto_new(test, MGM_PROTO_IGMP, &igmp_ops);
	struct fake_proto *routers[] = { p, q };

	take(test, igmp, 3);
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 3, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, ev_set(0, 2, JOIN, routers, 2));
	EXPECT_NEV(test, 2);
}

/* ---- MFEs ------------------------------------------------------------------ */

/*
 * mgm.rst, "New sources": RPF to the owner of the IIF toward S, creation alerts
 * to the owners of candidate OIFs (each with its own), the MFE-change alert to
 * the IIF owner, then the forwarder.
 */
static void engine_test_new_source(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *igmp = proto_new(test, MGM_PROTO_IGMP, &igmp_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 2);
	take(test, igmp, 3);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 2, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(igmp, 0, G1, 3, JOINST), 0);
	p->veto = IF(2);
	nev = 0;
	fwd_sets = 0;

	new_source(S1, G1, 0);
	EXPECT_NEV(test, 3);
	expect_ev(test, 0, RPF, up, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(0));
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[0].sg.source_mask,
			(__force u32)ONES);
	expect_ev(test, 1, CREATE, p, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[1].ifindex, IF(0));
	KUNIT_EXPECT_EQ(test, evlog[1].n, 2);
	KUNIT_EXPECT_EQ(test, evlog[1].oifs[0], IF(1));
	KUNIT_EXPECT_EQ(test, evlog[1].oifs[1], IF(2));
	expect_ev(test, 2, JOIN, up, S1, G1);
	KUNIT_EXPECT_FALSE(test, evlog[2].flag);
	KUNIT_EXPECT_EQ(test, fwd_sets, 1);

	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
	KUNIT_EXPECT_EQ(test, info.in_protocol, Q_ID);
	KUNIT_EXPECT_EQ(test, (__force u32)info.upstream,
			(__force u32)UPSTREAM);
	KUNIT_EXPECT_EQ(test, info.timeout, 900);
	KUNIT_EXPECT_EQ(test, info.n_oifs, 2);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 2));	/* vetoed */
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 3));	/* IGMP-only link */

	/* an MFE exists: no second flow */
	nev = 0;
	new_source(S1, G1, 0);
	EXPECT_NEV(test, 0);
}

/* The IIF owner may pick another of its interfaces, not someone else's. */
static void engine_test_rpf_answer(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, up, 4);
	take(test, p, 1);
	up->rpf_answer = IF(4);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(4));

	/* P's: ignored (mgm.rst, "The RPF question") */
	up->rpf_answer = IF(1);
	new_source(S3, G1, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S3, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
}

/*
 * A membership reaches existing MFEs; FALSE alerts before TRUE ones (mgm.rst,
 * "Adding receivers").
 */
static void engine_test_add_updates_mfes(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 2);
	new_source(S1, G1, 0);			/* negative: nobody wants it */
	KUNIT_ASSERT_EQ(test, mfe_n_oifs(S1, G1), 0);
	nev = 0;

	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	EXPECT_NEV(test, 2);
	expect_ev(test, 0, JOIN, up, S1, G1);	/* the MFE: empty -> not */
	KUNIT_EXPECT_FALSE(test, evlog[0].flag);
	expect_ev(test, 1, JOIN, up, 0, G1);	/* table J */
	KUNIT_EXPECT_TRUE(test, evlog[1].flag);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));

	/* n -> n+1: no MFE alert */
	nev = 0;
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 2, JOINST), 0);
	EXPECT_NEV(test, 0);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 2));
	/* another group's MFE is not touched */
	new_source(S3, G2, 0);
	KUNIT_EXPECT_EQ(test, mfe_n_oifs(S3, G2), 0);
}

/*
 * Delete; the prune alert on the MFE sets its lifetime (mgm.rst, "Removing
 * receivers").
 */
static void engine_test_delete_updates_mfes(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, S1, G1, 1, JOINST), 0);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_TRUE(test, mfe_has(S1, G1, 1));
	up->timeout = 30;
	nev = 0;

	/* (S,G) goes but (*,G) still covers the interface: table P only */
	KUNIT_EXPECT_EQ(test, del(p, S1, G1, 1, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, PRUNE, up, S1, G1);
	KUNIT_EXPECT_TRUE(test, evlog[0].flag);

	nev = 0;
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 1));
	KUNIT_ASSERT_GE(test, nev, 2);
	expect_ev(test, 0, PRUNE, up, S1, G1);	/* the MFE became empty */
	KUNIT_EXPECT_FALSE(test, evlog[0].flag);
	/* its IIF (mgm.rst, "MFE-change alerts") */
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(0));
	expect_ev(test, 1, PRUNE, up, 0, G1);	/* table P */
	KUNIT_EXPECT_TRUE(test, evlog[1].flag);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.timeout, 30);
	KUNIT_EXPECT_EQ(test, info.expiry, 30);
}

/* Negative MFEs: created empty, the IIF owner sets how long they stay. */
static void engine_test_negative_mfe(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	up->timeout = 60;
	new_source(S1, G1, 0);
	EXPECT_NEV(test, 2);
	expect_ev(test, 0, RPF, up, S1, G1);
	expect_ev(test, 1, PRUNE, up, S1, G1);
	KUNIT_EXPECT_FALSE(test, evlog[1].flag);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.n_oifs, 0);
	KUNIT_EXPECT_EQ(test, info.timeout, 60);

	/*
	 * no route: a negative MFE without IIF, nobody told (mgm.rst, "Negative
	 * MFEs")
	 */
	nev = 0;
	new_source(NOROUTE, G1, 1);
	EXPECT_NEV(test, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(NOROUTE, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, 0);
	KUNIT_EXPECT_EQ(test, info.n_oifs, 0);
	/* memberships do not make it forward */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_FALSE(test, mfe_has(NOROUTE, G1, 1));
}

/*
 * A veto holds against later membership changes; the owner's own FORWARD_STATE
 * add lifts it, its delete puts it back (mgm.rst, "The outgoing list").
 */
static void engine_test_veto_sticky(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 2);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 2, JOINST), 0);
	p->veto = IF(2);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_FALSE(test, mfe_has(S1, G1, 2));

	KUNIT_EXPECT_EQ(test, add(p, S1, G1, 2, JOINST), 0);
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 2));
	KUNIT_EXPECT_EQ(test, add(p, S1, G1, 2, FWDST), 0);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 2));
	KUNIT_EXPECT_EQ(test, del(p, S1, G1, 2, FWDST), 0);
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 2));
	/* an ON holds against membership deletes */
	KUNIT_EXPECT_EQ(test, add(p, S1, G1, 1, FWDST), 0);
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));
	/*
	 * FORWARD_STATE without an MFE: nothing, and no error (mgm.rst, "Adding
	 * and deleting memberships")
	 */
	KUNIT_EXPECT_EQ(test, add(p, S2, G2, 1, FWDST), 0);
	KUNIT_EXPECT_EQ(test, mgm_get_mfe(&init_net, S2, G2, false,
					  &(struct mgm_mfe_info){}, NULL, 0),
			-ENOENT);
}

/*
 * The owner of the arrival interface, rate limited per (S,G,if) (mgm.rst,
 * "Wrong interface").
 */
static void engine_test_wrong_if(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	u8 hdr[200] = { 0x45 };

	take(test, p, 1);
	mgm_wrong_if(&init_net, S1, G1, IF(1), hdr, sizeof(hdr));
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, WRONGIF, p, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(1));
	KUNIT_EXPECT_EQ(test, evlog[0].n, 128);		/* header, capped */
	mgm_wrong_if(&init_net, S1, G1, IF(1), hdr, sizeof(hdr));
	EXPECT_NEV(test, 1);
	mgm_wrong_if(&init_net, S2, G1, IF(1), hdr, sizeof(hdr));
	EXPECT_NEV(test, 2);
	fake_ms += 1000;
	mgm_wrong_if(&init_net, S1, G1, IF(1), hdr, sizeof(hdr));
	EXPECT_NEV(test, 3);
	/* an interface nobody owns: nobody to tell */
	mgm_wrong_if(&init_net, S1, G1, IF(4), hdr, sizeof(hdr));
	EXPECT_NEV(test, 3);
}

/*
 * Point-to-multipoint links: the RPF interface is the upstream neighbour's
 * (ifindex, next hop) where someone owns it; a wrong-interface packet,
 * from no known neighbour, goes to an owner of its ifindex.
 */
static void engine_test_nexthops(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *q = proto_new(test, Q_ID, &rec_ops);
	u8 hdr[20] = { 0x45 };
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	KUNIT_ASSERT_EQ(test, mgm_take_interface(&init_net, p->handle, IF(1),
						 upstream_via(1), NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(&init_net, q->handle, IF(1),
						 htonl(0xc0a800fe), NULL), 0);
	take(test, q, 2);
	KUNIT_ASSERT_EQ(test, add(q, 0, G1, 2, JOINST), 0);
	nev = 0;
	new_source(S2, G1, 1);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, RPF, p, S2, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(1));
	KUNIT_ASSERT_EQ(test, mfe_get(S2, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(1));
	KUNIT_EXPECT_EQ(test, (__force u32)info.in_nexthop,
			(__force u32)upstream_via(1));
	KUNIT_EXPECT_EQ(test, info.in_protocol, P_ID);
	KUNIT_EXPECT_TRUE(test, mfe_has(S2, G1, 2));

	/* IF(3) has a next-hop record only */
	KUNIT_ASSERT_EQ(test, mgm_take_interface(&init_net, q->handle, IF(3),
						 htonl(0xc0a80101), NULL), 0);
	nev = 0;
	mgm_wrong_if(&init_net, S2, G1, IF(3), hdr, sizeof(hdr));
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, WRONGIF, q, S2, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].ifindex, IF(3));
}

/*
 * Lifetimes on the fake clock; traffic keeps an MFE (mgm.rst, "MFE lifetimes").
 */
static void engine_test_timeout(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	up->timeout = 10;
	new_source(S1, G1, 0);
	new_source(S3, G1, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.expiry, 10);
	fake_ms += 4000;
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.uptime, 4);
	KUNIT_EXPECT_EQ(test, info.expiry, 6);

	fake_ms += 5999;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mfe_n_oifs(S1, G1), 0);	/* still there */
	fake_ms += 1;
	fwd_pkts = 7;			/* both "moved"; S3 is looked at too */
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.expiry, 10);
	KUNIT_EXPECT_EQ(test, info.pkts, 7);

	/* no traffic for a whole lifetime: gone, from MGM and the forwarder */
	fwd_dels = 0;
	fake_ms += 10000;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, fwd_dels, 2);
	/* the next packet makes it again */
	new_source(S1, G1, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);

	/* a lifetime past the longest is cut to it, not wrapped */
	up->timeout = U32_MAX;
	new_source(S3, G1, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S3, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.timeout, MGM_TIMEOUT_MAX);
	KUNIT_EXPECT_EQ(test, info.expiry, MGM_TIMEOUT_MAX);
}

/*
 * An MFE is whole when readers can first find it: the route lookup made
 * for it runs while it is still out of the table.
 */
static bool peeked;

static int peeking_rpf(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf)
{
	rcu_read_lock();
	if (mgm_mfe_lookup_rcu(&init_net, source, G1))
		peeked = true;
	rcu_read_unlock();
	return fake_rpf(mn, source, rpf);
}

static void engine_test_mfe_whole(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct mgm_oif oif = { 0 };
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, up, 1);
	oif.ifindex = IF(1);
	peeked = false;
	mgm_pernet(&init_net)->rpf_lookup = peeking_rpf;
	KUNIT_EXPECT_EQ(test, mgm_mfe_add(&init_net, S1, G1, IF(0), 0, UPSTREAM,
					  1, &oif), 0);
	KUNIT_EXPECT_FALSE(test, peeked);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)info.upstream, (__force u32)UPSTREAM);
	KUNIT_EXPECT_EQ(test, info.n_oifs, 1);
	KUNIT_EXPECT_EQ(test, oifs[0], IF(1));
	KUNIT_EXPECT_EQ(test, info.expiry, 900);
}

/* mgm.rst, "Changing an MFE" */
static void engine_test_set_mfe(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	__be32 nbr = htonl(0xc0a80063);

	take(test, up, 0);
	new_source(S1, G1, 0);
	KUNIT_EXPECT_EQ(test, mgm_set_mfe(&init_net, up->handle, S1, G1, nbr,
					  NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)info.upstream, (__force u32)nbr);
	KUNIT_EXPECT_EQ(test, mgm_set_mfe(&init_net, up->handle, S2, G1, nbr,
					  NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_set_mfe(&init_net, 0x7ffffff0, S1, G1, nbr,
					  NULL), -ENOENT);
}

/*
 * Release (mgm.rst, "Release sequence") also removes the owner's memberships,
 * with their alerts.
 */
static void engine_test_release_memberships(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_net *mn = mgm_pernet(&init_net);

	take(test, up, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_TRUE(test, mfe_has(S1, G1, 1));
	nev = 0;
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, p->handle, IF(1),
						    0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mn->n_members, 0);
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 1));
	EXPECT_NEV(test, 2);
	expect_ev(test, 0, PRUNE, up, S1, G1);		/* MFE now empty */
	KUNIT_EXPECT_FALSE(test, evlog[0].flag);
	expect_ev(test, 1, PRUNE, up, 0, G1);		/* table P */
	KUNIT_EXPECT_TRUE(test, evlog[1].flag);
}

/*
 * Router-wide, de-duplicated, sorted, resumable keys (mgm.rst, "Group
 * enumeration").
 */
static void engine_test_group_enum(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *q = proto_new(test, Q_ID, &rec_ops);
	struct mgm_sg sg = {};
	int n;

	take(test, p, 1);
	take(test, q, 2);
	KUNIT_ASSERT_EQ(test, add(p, S1, G2, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(q, 0, G2, 2, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(q, 0, G1, 2, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(q, 0, 0, 2, JOINST), 0);

	/* ALL_SOURCES: (*,*), (*,G1), (*,G2), (S1,G2) */
	KUNIT_ASSERT_EQ(test, mgm_get_group(&init_net, MGM_ENUM_ALL_SOURCES,
					    false, &sg, NULL), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.group, 0);
	KUNIT_ASSERT_EQ(test, mgm_get_group(&init_net, MGM_ENUM_ALL_SOURCES,
					    true, &sg, NULL), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.group, (__force u32)G1);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.source, 0);
	KUNIT_ASSERT_EQ(test, mgm_get_group(&init_net, MGM_ENUM_ALL_SOURCES,
					    true, &sg, NULL), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.group, (__force u32)G2);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.source, 0);
	KUNIT_ASSERT_EQ(test, mgm_get_group(&init_net, MGM_ENUM_ALL_SOURCES,
					    true, &sg, NULL), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.source, (__force u32)S1);
	KUNIT_EXPECT_EQ(test, (__force u32)sg.source_mask, (__force u32)ONES);
	KUNIT_EXPECT_EQ(test, mgm_get_group(&init_net, MGM_ENUM_ALL_SOURCES,
					    true, &sg, NULL), -ENOENT);

	/* ANY_SOURCE: each group once */
	sg = (struct mgm_sg) {};
	n = 0;
	if (!mgm_get_group(&init_net, MGM_ENUM_ANY_SOURCE, false, &sg, NULL))
		for (n = 1; !mgm_get_group(&init_net, MGM_ENUM_ANY_SOURCE, true,
					   &sg, NULL); n++)
			KUNIT_EXPECT_EQ(test, (__force u32)sg.source, 0);
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, mgm_get_group(&init_net, 7, false, &sg, NULL),
			-EINVAL);
}

/*
 * mgm.rst, "MFE lookup and enumeration": MFEs in (group, source) order,
 * resumable from the last key even while entries come and go; one present
 * throughout is seen exactly once.
 */
static void engine_test_mfe_enum(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct mgm_mfe_info info;
	__be32 src, grp, last_src = 0, last_grp = 0;
	int i, seen = 0, steady = 0;

	take(test, up, 0);
	take(test, up, 1);
	for (i = 1; i <= 20; i++)
		KUNIT_ASSERT_EQ(test, mgm_mfe_add(&init_net, htonl(0x0a000000 + i),
						  i % 2 ? G1 : G2, IF(0), 0, 0,
						  0, NULL), 0);
	src = 0;
	grp = 0;
	while (!mgm_get_mfe(&init_net, src, grp, true, &info, NULL, 0)) {
		/* strictly ascending by (group, source), host order */
		KUNIT_EXPECT_TRUE(test, ntohl(info.group) > ntohl(last_grp) ||
				  (info.group == last_grp &&
				   ntohl(info.source) > ntohl(last_src)));
		last_src = info.source;
		last_grp = info.group;
		src = info.source;
		grp = info.group;
		seen++;
		if (ntohl(info.source) - 0x0a000000 <= 20)
			steady++;
		/* churn: delete what was seen, add before and after the cursor */
		if (seen == 5) {
			mgm_test_shutdown_all(&init_net);
			up = proto_new(test, Q_ID, &rec_ops);
			take(test, up, 0);
			for (i = 1; i <= 20; i++)
				KUNIT_ASSERT_EQ(test,
						mgm_mfe_add(&init_net,
							    htonl(0x0a000000 + i),
							    i % 2 ? G1 : G2,
							    IF(0), 0, 0, 0, NULL),
						0);
			KUNIT_ASSERT_EQ(test,
					mgm_mfe_add(&init_net, htonl(0x0a0000ff),
						    G2, IF(0), 0, 0, 0, NULL), 0);
		}
	}
	/* 20 entries, of which the first 5 seen before the churn */
	KUNIT_EXPECT_EQ(test, steady, 20);
	KUNIT_EXPECT_EQ(test, seen, 21);
}

/* ---- deferred answers ------------------------------------------------------ */

/* On time: the RPF and creation answers are used. */
static void engine_test_deferred_on_time(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct mgm_if_entry veto = { .ifindex = 0, .enabled = false };
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	u64 cookie;

	take(test, up, 0);
	take(test, up, 4);
	take(test, p, 1);
	take(test, p, 2);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 2, JOINST), 0);
	nev = 0;

	new_source(S1, G1, 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, RPF, up, S1, G1);
	cookie = evlog[0].cookie;
	KUNIT_EXPECT_NE(test, cookie, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	/* meanwhile MGM goes on, and the same (S,G) starts no second flow */
	new_source(S1, G1, 0);
	EXPECT_NEV(test, 1);
	KUNIT_EXPECT_EQ(test, add(p, 0, G2, 1, JOINST), 0);

	/* the answer of another protocol is refused */
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, p->handle, cookie, IF(4),
					    0, UPSTREAM, NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, cookie, IF(4),
					    0, UPSTREAM, NULL), 0);
	KUNIT_ASSERT_GE(test, nev, 3);
	expect_ev(test, 2, CREATE, p, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[2].ifindex, IF(4));
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	veto.ifindex = IF(2);
	KUNIT_EXPECT_EQ(test, mgm_reply_creation_alert(&init_net, p->handle,
						       evlog[2].cookie, 1,
						       &veto, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(4));
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));
	KUNIT_EXPECT_FALSE(test, mfe_has(S1, G1, 2));
	/* a second answer to the same question: too late */
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, cookie, IF(4),
					    0, UPSTREAM, NULL), -ENOENT);
}

/* Never (or late): at the deadline MGM keeps its defaults. */
static void engine_test_deferred_never(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct mgm_if_entry veto = { .enabled = false };
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	u64 rpf_cookie, create_cookie, prune_cookie;

	take(test, up, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	nev = 0;
	new_source(S1, G1, 0);
	rpf_cookie = evlog[0].cookie;
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_ASSERT_EQ(test, nev, 2);
	expect_ev(test, 1, CREATE, p, S1, G1);
	create_cookie = evlog[1].cookie;
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));	/* the lookup's */
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));	/* enabled */
	/* late answers change nothing */
	veto.ifindex = IF(1);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, rpf_cookie,
					    IF(0), 0, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_reply_creation_alert(&init_net, p->handle,
						       create_cookie, 1, &veto,
						       NULL), -ENOENT);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));

	/*
	 * The prune alert's timeout: the default lifetime restarts at the
	 * alert, 5 s after the entry's first one, and runs on if no answer
	 * comes; an answer replaces it.
	 */
	fake_ms += 5000;
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, PRUNE, up, S1, G1);
	KUNIT_EXPECT_FALSE(test, evlog[0].flag);
	prune_cookie = evlog[0].cookie;
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.timeout, 900);
	KUNIT_EXPECT_EQ(test, info.expiry, 900);
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.expiry, 898);
	KUNIT_EXPECT_EQ(test, mgm_reply_prune_alert(&init_net, up->handle,
						    prune_cookie, 45, NULL),
			-ENOENT);

	/* a second prune alert, answered in time */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, PRUNE, up, S1, G1);
	prune_cookie = evlog[0].cookie;
	KUNIT_EXPECT_EQ(test, mgm_reply_prune_alert(&init_net, up->handle,
						    prune_cookie,
						    MGM_TIMEOUT_MAX + 1, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_reply_prune_alert(&init_net, up->handle,
						    prune_cookie, 45, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.timeout, 45);
	KUNIT_EXPECT_EQ(test, mgm_reply_prune_alert(&init_net, up->handle,
						    prune_cookie, 45, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_reply_prune_alert(&init_net, up->handle,
						    rpf_cookie, 45, NULL),
			-ENOENT);
}

/*
 * A (*,*) membership walks every MFE of the netns: the request lets go of
 * the lock every MGM_BATCH of them, and ends its walk, so that upcalls and
 * timers are not held up at a million MFEs; every MFE gets the interface
 * all the same, and leaves it again when the membership goes.  So does
 * the release of an interface that many MFEs use.
 */
static void engine_test_star_star_batched(struct kunit *test)
{
	/* no callbacks: hundreds of MFEs would fill the event log */
	static const struct mgm_protocol_ops quiet_ops = {};
	struct fake_proto *up = proto_new(test, Q_ID, &quiet_ops);
	struct fake_proto *p = proto_new(test, P_ID, &quiet_ops);
	struct mgm_net *mn = mgm_pernet(&init_net);
	unsigned int i, n = 3 * MGM_BATCH, with = 0;
	struct mgm_mfe_info info;
	unsigned long breaks;
	u32 oifs[N_DEVS];
	__be32 src;

	take(test, up, 0);
	take(test, p, 1);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, mgm_mfe_add(&init_net,
						  htonl(0x0a000000 + i), G1,
						  IF(0), 0, 0, 0, NULL), 0);
	breaks = mn->walk_breaks;
	KUNIT_ASSERT_EQ(test, add(p, 0, 0, 1, JOINST), 0);
	KUNIT_EXPECT_GE(test, mn->walk_breaks - breaks, 2UL);
	KUNIT_EXPECT_NULL(test, mn->walker);
	for (i = 0; i < n; i++) {
		src = htonl(0x0a000000 + i);
		with += mfe_has(src, G1, 1);
	}
	KUNIT_EXPECT_EQ(test, with, n);
	/* so does the delete, over the interface's own list */
	breaks = mn->walk_breaks;
	KUNIT_ASSERT_EQ(test, del(p, 0, 0, 1, JOINST), 0);
	KUNIT_EXPECT_GE(test, mn->walk_breaks - breaks, 2UL);
	KUNIT_EXPECT_NULL(test, mn->walker);
	for (i = 0, with = 0; i < n; i++)
		with += mfe_has(htonl(0x0a000000 + i), G1, 1);
	KUNIT_EXPECT_EQ(test, with, 0U);
	/* and FORWARD_STATE, on and off */
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, FWDST), 0);
	for (i = 0, with = 0; i < n; i++)
		with += mfe_has(htonl(0x0a000000 + i), G1, 1);
	KUNIT_EXPECT_EQ(test, with, n);
	breaks = mn->walk_breaks;
	KUNIT_ASSERT_EQ(test, del(p, 0, G1, 1, FWDST), 0);
	KUNIT_EXPECT_GE(test, mn->walk_breaks - breaks, 2UL);
	KUNIT_EXPECT_NULL(test, mn->walker);
	for (i = 0, with = 0; i < n; i++)
		with += mfe_has(htonl(0x0a000000 + i), G1, 1);
	KUNIT_EXPECT_EQ(test, with, 0U);
	/* releasing their incoming interface deletes them, in batches too */
	breaks = mn->walk_breaks;
	KUNIT_ASSERT_EQ(test, mgm_release_interface(&init_net, up->handle,
						    IF(0), 0, NULL), 0);
	KUNIT_EXPECT_GE(test, mn->walk_breaks - breaks, 2UL);
	KUNIT_EXPECT_NULL(test, mn->walker);
	KUNIT_EXPECT_EQ(test, mfe_get(htonl(0x0a000000), G1, &info, oifs),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, mfe_get(htonl(0x0a000000 + n - 1), G1, &info,
				      oifs), -ENOENT);
}

/*
 * A question lost on the way to a deferred protocol (its socket full) will
 * never be answered: the flow goes on with the defaults at once, from the
 * timer work, not at the deadline.  Counted.
 */
static void engine_test_deferred_undelivered(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct mgm_net *mn = mgm_pernet(&init_net);
	u64 c0 = mn->counters.question_overruns;
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	up->lose = true;
	p->lose = true;
	nev = 0;
	new_source(S1, G1, 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, RPF, up, S1, G1);
	/*
	 * The clock has not moved: nothing but the loss makes them due.  The
	 * timer work may have run already; it takes the lock as we do.
	 */
	mgm_run_timers(&init_net);
	KUNIT_ASSERT_GE(test, nev, 2);
	expect_ev(test, 1, CREATE, p, S1, G1);
	mgm_run_timers(&init_net);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));	/* the lookup's */
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));	/* enabled */
	KUNIT_EXPECT_EQ(test, mn->counters.question_overruns, c0 + 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&mn->requests));
	/* an answer with a lost cookie finds nothing */
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle,
					    evlog[0].cookie, IF(0), 0, 0, NULL),
			-ENOENT);
}

/*
 * A protocol that deregisters will never answer: the flows waiting for it
 * go on with the defaults at once, not at the deadline.
 */
static void engine_test_deferred_deregistered(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	nev = 0;
	new_source(S1, G1, 0);
	KUNIT_ASSERT_EQ(test, nev, 2);
	expect_ev(test, 1, CREATE, p, S1, G1);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, p->handle, IF(1),
						    0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(&init_net, p->handle, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
	KUNIT_EXPECT_EQ(test, info.n_oifs, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&mgm_pernet(&init_net)->requests));
}

/*
 * Standing answers: a deferred protocol that always answers the same is
 * not asked; the MFE is made at once, as with the answers it would give.
 */
static void engine_test_standing_answers(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, p, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_EQ(test, mgm_set_answers(&init_net, p->handle, 8, NULL),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, mgm_set_answers(&init_net, p->handle,
					      MGM_ANSWER_RPF |
					      MGM_ANSWER_CREATION |
					      MGM_ANSWER_PRUNE, NULL), 0);
	nev = 0;
	new_source(S1, G1, 0);
	/* no question; the join alert of the new MFE only */
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, JOIN, p, S1, G1);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G1, 1));
	KUNIT_EXPECT_TRUE(test, list_empty(&mgm_pernet(&init_net)->requests));

	/* the prune alert still comes, with no question (cookie 0) */
	fake_ms += 5000;
	nev = 0;
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, PRUNE, p, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[0].cookie, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.expiry, 900);
	KUNIT_EXPECT_TRUE(test, list_empty(&mgm_pernet(&init_net)->requests));

	/* without them, asked again */
	KUNIT_ASSERT_EQ(test, mgm_set_answers(&init_net, p->handle, 0, NULL), 0);
	nev = 0;
	new_source(S3, G1, 0);
	EXPECT_NEV(test, 1);
	expect_ev(test, 0, RPF, p, S3, G1);
	KUNIT_EXPECT_NE(test, evlog[0].cookie, 0);
}

/* ---- limits --------------------------------------------------------------- */

static void set_limits(struct kunit *test, struct mgm_limits l)
{
	int bad = -1;

	KUNIT_ASSERT_EQ(test, mgm_set_limits(&init_net, &l, true, &bad, NULL),
			0);
}

/*
 * Traffic past the pending limit is dropped; a protocol with as many open
 * questions as allowed gets no more: MGM takes the default at once.
 */
static void engine_test_limit_pending(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct mgm_counters c0 = mn->counters;
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	set_limits(test, (struct mgm_limits){ .pending = 2 });
	nev = 0;
	new_source(S1, G1, 0);
	new_source(S3, G1, 0);
	new_source(S1, G2, 0);
	KUNIT_EXPECT_EQ(test, nev, 2);
	KUNIT_EXPECT_EQ(test, mn->n_newsrcs, 2);
	KUNIT_EXPECT_EQ(test, mn->counters.new_source_drops,
			c0.new_source_drops + 1);
	/* the deadlines pass: room again; then those of the prune alerts */
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mn->n_newsrcs, 0);
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_TRUE(test, list_empty(&mn->requests));

	set_limits(test, (struct mgm_limits){ .pending = 100, .questions = 1 });
	nev = 0;
	new_source(S1, G2, 0);
	new_source(S3, G2, 0);
	/* S3's rpf question is not asked, nor the prune alert of its MFE */
	KUNIT_EXPECT_EQ(test, nev, 1);
	KUNIT_EXPECT_EQ(test, mn->counters.question_drops,
			c0.question_drops + 2);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G2, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G2, &info, oifs), -ENOENT);
}

/*
 * At the MFE limit, the MFE that has forwarded nothing the longest makes
 * room for a new one; with none such, the new source is dropped.
 */
static void engine_test_limit_mfes(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_counters c0 = mn->counters;
	struct mgm_limits limits, usage;
	struct mgm_counters counters;
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, p, 0);
	take(test, p, 1);
	KUNIT_ASSERT_EQ(test, add(p, 0, G2, 1, JOINST), 0);
	set_limits(test, (struct mgm_limits){ .mfes = 2 });
	new_source(S1, G1, 0);		/* negative: nobody wants G1 */
	new_source(S1, G2, 0);
	KUNIT_ASSERT_EQ(test, mn->n_mfes, 2);
	new_source(S3, G2, 0);
	KUNIT_EXPECT_EQ(test, mn->n_mfes, 2);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G2, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mn->counters.negative_evictions,
			c0.negative_evictions + 1);
	/* both forward: nothing to make room with */
	new_source(S3, G1, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mn->counters.mfe_drops, c0.mfe_drops + 1);
	KUNIT_EXPECT_TRUE(test, mfe_has(S1, G2, 1));
	KUNIT_EXPECT_TRUE(test, mfe_has(S3, G2, 1));

	mgm_get_stats(&init_net, &limits, &usage, &counters);
	KUNIT_EXPECT_EQ(test, limits.mfes, 2);
	KUNIT_EXPECT_EQ(test, usage.mfes, 2);
	KUNIT_EXPECT_EQ(test, usage.members, 1);
	KUNIT_EXPECT_EQ(test, counters.mfe_drops, c0.mfe_drops + 1);
}

/*
 * The forwarder's reports past the upcalls rate are dropped and counted;
 * the bucket fills again with time, up to a second's worth.
 */
static void engine_test_limit_upcalls(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_counters c0 = mn->counters;
	struct mgm_mfe_info info;
	u8 hdr[20] = { 0x45 };
	u32 oifs[N_DEVS];

	take(test, p, 0);
	set_limits(test, (struct mgm_limits){ .upcalls = 2 });
	fake_ms += 1000;		/* a full bucket: 2 */
	new_source(S1, G1, 0);
	new_source(S3, G1, 0);
	new_source(S1, G2, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G2, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mn->counters.upcall_drops, c0.upcall_drops + 1);
	/* wrong-interface packets draw on the same bucket */
	nev = 0;
	mgm_wrong_if(&init_net, S1, G1, IF(0), hdr, sizeof(hdr));
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, mn->counters.upcall_drops, c0.upcall_drops + 2);
	fake_ms += 500;			/* half a second: one more */
	new_source(S1, G2, 0);
	new_source(S3, G2, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G2, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G2, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mn->counters.upcall_drops, c0.upcall_drops + 3);
}

/* Requests past a limit: ENOSPC, nothing changed, counted. */
static void engine_test_limit_requests(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_counters c0 = mn->counters;
	struct mgm_limits lower = { .members = 1 };
	int bad = -1;
	u32 h;

	take(test, p, 1);
	set_limits(test, (struct mgm_limits){
		.protocols = mn->n_protocols, .nexthops = 2, .members = 2 });
	KUNIT_EXPECT_EQ(test, mgm_register(&init_net, Q_ID, 1, &rec_ops, NULL,
					   &h, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, mn->counters.protocol_refusals,
			c0.protocol_refusals + 1);

	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, p->handle, IF(1),
						 htonl(0x0a090001), NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, p->handle, IF(1),
						 htonl(0x0a090002), NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, mn->counters.nexthop_refusals,
			c0.nexthop_refusals + 1);

	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_EQ(test, add(p, 0, G2, 1, JOINST), 0);
	KUNIT_EXPECT_EQ(test, add(p, S1, G2, 1, JOINST), -ENOSPC);
	KUNIT_EXPECT_EQ(test, mn->counters.member_refusals,
			c0.member_refusals + 1);
	KUNIT_EXPECT_EQ(test, mn->n_members, 2);
	/* a duplicate adds nothing, so it is no refusal */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);

	/* lowering below what is held keeps it; raising needs the host */
	KUNIT_EXPECT_EQ(test, mgm_set_limits(&init_net, &lower, false, &bad,
					     NULL), 0);
	KUNIT_EXPECT_EQ(test, mn->n_members, 2);
	lower.members = 3;
	KUNIT_EXPECT_EQ(test, mgm_set_limits(&init_net, &lower, false, &bad,
					     NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, bad, 3);	/* members, the fourth limit */
	KUNIT_EXPECT_EQ(test, mn->limits.members, 1);
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), -ENOSPC);
}

/* An IIF that changes hands while its owner thinks: ask the new owner. */
static void engine_test_deferred_owner_change(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	u64 cookie;

	take(test, up, 0);
	new_source(S1, G1, 0);
	cookie = evlog[0].cookie;
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, up->handle,
						    IF(0), 0, NULL), 0);
	take(test, p, 0);
	nev = 0;
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, cookie, IF(0),
					    0, 0, NULL), 0);
	KUNIT_ASSERT_GE(test, nev, 1);
	expect_ev(test, 0, RPF, p, S1, G1);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_protocol, P_ID);
}

/*
 * Released while its owner thought about the RPF question, and nobody took it:
 * the answer is accepted and makes no MFE, as the release deleted the MFEs
 * entering by it (mgm.rst, "Releasing an interface"); nor does a packet the
 * forwarder reported from it before the release.
 */
static void engine_test_deferred_released(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	u64 cookie;

	take(test, up, 0);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_EQ(test, nev, 1);
	cookie = evlog[0].cookie;
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, up->handle,
						    IF(0), 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, cookie, IF(0),
					    0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	nev = 0;
	new_source(S1, G1, 0);
	KUNIT_EXPECT_EQ(test, nev, 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
}

/*
 * Flows under way side by side: each answer reaches the question its
 * cookie names, and the deadlines decide which question expires first,
 * not the order of asking (here a clock set back; or reply_timeout_ms
 * lowered meanwhile).
 */
static void engine_test_deferred_interleaved(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	u64 c1, c3;

	take(test, up, 0);
	new_source(S1, G1, 0);
	KUNIT_ASSERT_EQ(test, nev, 1);
	c1 = evlog[0].cookie;
	fake_ms -= 1000;
	new_source(S3, G1, 0);
	KUNIT_ASSERT_EQ(test, nev, 2);
	c3 = evlog[1].cookie;
	KUNIT_EXPECT_NE(test, c1, c3);
	/* S3's deadline, not yet S1's */
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	KUNIT_EXPECT_EQ(test, mfe_get(S3, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, mfe_get(S1, G1, &info, oifs), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, c3, IF(0),
					    0, UPSTREAM, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle, c1, IF(0),
					    0, upstream_via(7), NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, (__force u32)info.upstream,
			(__force u32)upstream_via(7));
}

/* ---- mgm.rst, "Errors", one case per rule -------------------------------- */

static void engine_test_validation(struct kunit *test)
{
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *q = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *igmp = proto_new(test, MGM_PROTO_IGMP, &igmp_ops);
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct mgm_sg sg;
	struct mgm_if *ifp;

	take(test, p, 1);
	take(test, q, 2);
	take(test, igmp, 3);

	/* unknown or stale handle */
	sg = sg_of(0, G1);
	KUNIT_EXPECT_EQ(test, mgm_add_membership(&init_net, 0x7ffffff0, &sg,
						 IF(1), 0, JOINST, NULL),
			-ENOENT);
	/* not the owner / unknown interface, both directions */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 2, JOINST), -EPERM);
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 2, JOINST), -EPERM);
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 4, JOINST), -ENOENT);
	KUNIT_EXPECT_EQ(test, del(p, 0, G1, 4, JOINST), -ENOENT);
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 1, JOINST), -EPERM);
	/* release / owner query of an unknown interface */
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, p->handle, IF(4),
						    0, NULL), -ENOENT);
	/* shapes: ranges, (S,*), non-class-D, a mask without an address */
	sg = (struct mgm_sg) { .group = G1, .group_mask = htonl(0xffffff00) };
	KUNIT_EXPECT_EQ(test, mgm_add_membership(&init_net, p->handle, &sg,
						 IF(1), 0, JOINST, NULL),
			-EINVAL);
	sg = (struct mgm_sg) { .source = S1, .source_mask = htonl(0xffff0000),
			       .group = G1, .group_mask = ONES };
	KUNIT_EXPECT_EQ(test, mgm_add_membership(&init_net, p->handle, &sg,
						 IF(1), 0, JOINST, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, add(p, S1, 0, 1, JOINST), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(p, 0, htonl(0x0a010101), 1, JOINST), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(p, G2, G1, 1, JOINST), -EINVAL);
	sg = (struct mgm_sg) { .source = 0, .source_mask = ONES,
			       .group = G1, .group_mask = ONES };
	KUNIT_EXPECT_EQ(test, mgm_add_membership(&init_net, p->handle, &sg,
						 IF(1), 0, JOINST, NULL),
			-EINVAL);
	/* flags */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, 4), -EINVAL);
	/* none of that left anything behind */
	KUNIT_EXPECT_EQ(test, mn->n_members, 0);
	EXPECT_NEV(test, 0);

	/*
	 * duplicate add idempotent, delete of a missing one -ENOENT (mgm.rst,
	 * "Adding and deleting memberships")
	 */
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_EXPECT_EQ(test, add(p, 0, G1, 1, JOINST | FWDST), 0);
	KUNIT_EXPECT_EQ(test, mn->n_members, 1);
	KUNIT_EXPECT_EQ(test, del(p, S1, G1, 1, JOINST), -ENOENT);

	/* IGMP between its disable and enable (mgm.rst, "The IGMP bracket") */
	mutex_lock(&mn->lock);
	ifp = mgm_if_lookup_rcu(mn, IF(3), 0);
	ifp->igmp_disabled = true;
	mutex_unlock(&mn->lock);
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 3, JOINST), -EAGAIN);
	mutex_lock(&mn->lock);
	ifp->igmp_disabled = false;
	mutex_unlock(&mn->lock);
	KUNIT_EXPECT_EQ(test, add(igmp, 0, G1, 3, JOINST), 0);
}

/* ---- route changes toward the source (mgm.rst, "Route changes") ---------- */

/* MFE state in one go: IIF, its owner's protocol id, outgoing interfaces. */
static void expect_mfe(struct kunit *test, __be32 source, __be32 group,
		       int iif, u32 protocol, const int *want, int n)
{
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];
	int i;

	KUNIT_ASSERT_EQ(test, mfe_get(source, group, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, iif < 0 ? 0 : IF(iif));
	KUNIT_EXPECT_EQ(test, info.in_protocol, protocol);
	KUNIT_EXPECT_EQ(test, info.n_oifs, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, mfe_has(source, group, want[i]));
	if (iif >= 0)
		KUNIT_EXPECT_EQ(test, (__force u32)info.upstream,
				(__force u32)upstream_via(iif));
}

static void expect_rpf(struct kunit *test, int i, struct fake_proto *to,
		       __be32 group, int dev)
{
	expect_ev(test, i, RPF, to, S1, group);
	KUNIT_EXPECT_EQ(test, evlog[i].ifindex, IF(dev));
}

static void expect_alert(struct kunit *test, int i, enum ev_type type,
			 struct fake_proto *to, __be32 group, bool flag)
{
	expect_ev(test, i, type, to, S1, group);
	KUNIT_EXPECT_EQ(test, evlog[i].flag, flag);
}

/* The route moves to another interface of the same owner: only it is asked. */
static void route_test_same_owner(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	const int oifs[] = { 3 };
	struct mgm_mfe_info info;
	u32 o[N_DEVS];
	int sets;

	take(test, up, 0);
	take(test, up, 2);
	take(test, p, 3);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	new_source(S1, G1, 0);
	expect_mfe(test, S1, G1, 0, Q_ID, oifs, 1);
	nev = 0;
	sets = fwd_sets;

	/* a change that moves no source's route: nothing */
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 0);
	KUNIT_EXPECT_EQ(test, fwd_sets, sets);

	s1_dev = 2;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	expect_rpf(test, 0, up, G1, 2);
	expect_mfe(test, S1, G1, 2, Q_ID, oifs, 1);
	KUNIT_EXPECT_EQ(test, fwd_sets, sets + 1);

	/* the owner keeps its pick among its own while the route stays */
	nev = 0;
	up->rpf_answer = IF(2);
	s1_dev = 0;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	expect_rpf(test, 0, up, G1, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, o), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(2));
	KUNIT_EXPECT_EQ(test, (__force u32)info.upstream,
			(__force u32)upstream_via(0));
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
}

/*
 * The route moves to another owner: it is asked, then told what a new MFE
 * would tell it and of the (S,G) receivers; the old owner hears nothing.
 */
static void route_test_new_owner(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *r = proto_new(test, 202, &rec_ops);
	const int oifs[] = { 3, 4 };
	struct mgm_mfe_info info;
	u32 o[N_DEVS];

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 3);
	take(test, r, 4);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(r, S1, G1, 4, JOINST), 0);
	new_source(S1, G1, 0);
	new_source(S1, G2, 0);			/* negative: nobody wants G2 */
	expect_mfe(test, S1, G1, 0, Q_ID, oifs, 2);
	p->timeout = 30;
	nev = 0;

	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 5);
	expect_rpf(test, 0, p, G1, 1);
	expect_alert(test, 1, JOIN, p, G1, false);
	expect_alert(test, 2, JOIN, p, G1, true);	/* r's (S1,G1) */
	KUNIT_EXPECT_EQ(test, (__force u32)evlog[2].sg.source_mask,
			(__force u32)ONES);
	expect_rpf(test, 3, p, G2, 1);
	expect_alert(test, 4, PRUNE, p, G2, false);
	/* its IIF (mgm.rst, "MFE-change alerts") */
	KUNIT_EXPECT_EQ(test, evlog[4].ifindex, IF(1));
	expect_mfe(test, S1, G1, 1, P_ID, oifs, 2);
	expect_mfe(test, S1, G2, 1, P_ID, NULL, 0);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G2, &info, o), 0);
	KUNIT_EXPECT_EQ(test, info.timeout, 30);	/* its answer */
}

/*
 * The route moves to an interface nobody owns: no question, no alert (mgm.rst,
 * "Route changes"); the old IIF forwards where memberships want it (mgm.rst,
 * "The outgoing list").
 */
static void route_test_unowned(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	const int before[] = { 3 }, after[] = { 3, 0 };
	int sets;

	take(test, up, 0);
	take(test, p, 3);
	KUNIT_ASSERT_EQ(test, add(up, 0, G1, 0, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	new_source(S1, G1, 0);
	expect_mfe(test, S1, G1, 0, Q_ID, before, 1);
	nev = 0;
	sets = fwd_sets;

	s1_dev = 4;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 0);
	expect_mfe(test, S1, G1, 4, 0, after, 2);
	KUNIT_EXPECT_EQ(test, fwd_sets, sets + 1);

	/*
	 * whoever takes the interface decides anew: the MFE goes (mgm.rst,
	 * "Taking an interface")
	 */
	take(test, p, 4);
	KUNIT_EXPECT_EQ(test, mfe_n_oifs(S1, G1), UINT_MAX);
}

/*
 * The route goes: a negative MFE without IIF, as a new source without a
 * route makes, and nobody is told.  It comes back: the new-source flow
 * runs at once, for that entry and for one made while there was no route.
 */
static void route_test_removed(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	const int oifs[] = { 3 };
	int sets, dels;

	take(test, up, 0);
	take(test, p, 3);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	new_source(S1, G1, 0);
	nev = 0;
	sets = fwd_sets;

	s1_dev = -1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 0);
	expect_mfe(test, S1, G1, -1, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, fwd_sets, sets + 1);
	/* it keeps stopping upcalls */
	new_source(S1, G1, 0);
	new_source(S1, G2, 0);
	EXPECT_NEV(test, 0);
	expect_mfe(test, S1, G1, -1, 0, NULL, 0);
	expect_mfe(test, S1, G2, -1, 0, NULL, 0);

	dels = fwd_dels;
	s1_dev = 0;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 5);
	expect_rpf(test, 0, up, G1, 0);
	expect_ev(test, 1, CREATE, p, S1, G1);
	KUNIT_EXPECT_EQ(test, evlog[1].n, 1);
	KUNIT_EXPECT_EQ(test, evlog[1].oifs[0], IF(3));
	expect_alert(test, 2, JOIN, up, G1, false);
	expect_rpf(test, 3, up, G2, 0);
	expect_alert(test, 4, PRUNE, up, G2, false);
	KUNIT_EXPECT_EQ(test, fwd_dels, dels + 2);
	expect_mfe(test, S1, G1, 0, Q_ID, oifs, 1);
	expect_mfe(test, S1, G2, 0, Q_ID, NULL, 0);
}

/* The new IIF was an OIF: it leaves the list; the old one may join it. */
static void route_test_iif_was_oif(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	const int both[] = { 1, 3 }, only3[] = { 3 }, only1[] = { 1 };

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 3);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 1, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	KUNIT_ASSERT_EQ(test, add(p, S1, G1, 3, JOINST), 0);
	new_source(S1, G1, 0);
	expect_mfe(test, S1, G1, 0, Q_ID, both, 2);
	nev = 0;

	/* a new owner whose own receivers are the only (S,G) ones */
	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 2);
	expect_rpf(test, 0, p, G1, 1);
	expect_alert(test, 1, JOIN, p, G1, false);
	expect_mfe(test, S1, G1, 1, P_ID, only3, 1);

	/* the same owner: one OIF for another, no alert */
	nev = 0;
	s1_dev = 3;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	expect_rpf(test, 0, p, G1, 3);
	expect_mfe(test, S1, G1, 3, P_ID, only1, 1);

	/* the only OIF becomes the IIF: empty, so the owner hears a prune */
	KUNIT_ASSERT_EQ(test, del(p, 0, G1, 3, JOINST), 0);
	KUNIT_ASSERT_EQ(test, del(p, S1, G1, 3, JOINST), 0);
	nev = 0;
	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 2);
	expect_rpf(test, 0, p, G1, 1);
	expect_alert(test, 1, PRUNE, p, G1, false);
	KUNIT_EXPECT_EQ(test, evlog[1].ifindex, IF(1));
	expect_mfe(test, S1, G1, 1, P_ID, NULL, 0);
}

/*
 * A deferred new owner: the entry stays as it is until the answer, or
 * the deadline and then the lookup's interface; one question at a time.
 */
static void route_test_deferred(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &deferred_ops);
	struct fake_proto *r = proto_new(test, 202, &rec_ops);
	const int oifs[] = { 3 };
	u64 cookie;

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 4);
	take(test, r, 3);
	KUNIT_ASSERT_EQ(test, add(r, 0, G1, 3, JOINST), 0);
	new_source(S1, G1, 0);
	nev = 0;

	/* no answer in time */
	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	expect_rpf(test, 0, p, G1, 1);
	cookie = evlog[0].cookie;
	KUNIT_EXPECT_NE(test, cookie, 0);
	expect_mfe(test, S1, G1, 0, Q_ID, oifs, 1);
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	fake_ms += 2000;
	mgm_run_timers(&init_net);
	EXPECT_NEV(test, 2);
	expect_alert(test, 1, JOIN, p, G1, false);
	expect_mfe(test, S1, G1, 1, P_ID, oifs, 1);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, p->handle, cookie, IF(1),
					    0, UPSTREAM, NULL), -ENOENT);

	/*
	 * an answer: someone else's interface is ignored (mgm.rst, "The RPF
	 * question")
	 */
	nev = 0;
	s1_dev = 4;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	expect_rpf(test, 0, p, G1, 4);
	expect_mfe(test, S1, G1, 1, P_ID, oifs, 1);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, p->handle,
					    evlog[0].cookie, IF(3), 0,
					    upstream_via(4), NULL), 0);
	EXPECT_NEV(test, 1);
	expect_mfe(test, S1, G1, 4, P_ID, oifs, 1);
}

/* The route changed while a new source's owner thought: checked after. */
static void route_test_during_new_source(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &deferred_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	const int oifs[] = { 3 };

	take(test, up, 0);
	take(test, p, 1);
	take(test, p, 3);
	KUNIT_ASSERT_EQ(test, add(p, 0, G1, 3, JOINST), 0);
	nev = 0;
	new_source(S1, G1, 0);
	EXPECT_NEV(test, 1);
	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	KUNIT_EXPECT_EQ(test, mgm_reply_rpf(&init_net, up->handle,
					    evlog[0].cookie, IF(0), 0,
					    UPSTREAM, NULL), 0);
	EXPECT_NEV(test, 5);
	expect_ev(test, 1, CREATE, p, S1, G1);
	expect_alert(test, 2, JOIN, up, G1, false);
	expect_rpf(test, 3, p, G1, 1);
	expect_alert(test, 4, JOIN, p, G1, false);
	expect_mfe(test, S1, G1, 1, P_ID, oifs, 1);
}

/*
 * (S,G) receivers without an MFE: the new owner of the RPF interface hears
 * of them, once, unless they are its own; back again, it hears again.
 */
static void route_test_memberships(struct kunit *test)
{
	struct fake_proto *up = proto_new(test, Q_ID, &rec_ops);
	struct fake_proto *p = proto_new(test, P_ID, &rec_ops);
	struct fake_proto *r = proto_new(test, 202, &rec_ops);

	take(test, up, 0);
	take(test, p, 1);
	take(test, r, 3);
	KUNIT_ASSERT_EQ(test, add(r, S1, G1, 3, JOINST), 0);
	EXPECT_NEV(test, 1);
	expect_alert(test, 0, JOIN, up, G1, true);
	nev = 0;

	/* a change of another source's routes: nobody hears */
	s1_dev = 1;
	mgm_run_route_change(&init_net, S3, 32);
	EXPECT_NEV(test, 0);
	mgm_run_route_change(&init_net, S1, 32);
	EXPECT_NEV(test, 1);
	expect_alert(test, 0, JOIN, p, G1, true);
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);

	/* to the receivers' own interface, to nobody's, back to p's */
	s1_dev = 3;
	mgm_run_reroute(&init_net);
	s1_dev = 4;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 1);
	s1_dev = 1;
	mgm_run_reroute(&init_net);
	EXPECT_NEV(test, 2);
	expect_alert(test, 1, JOIN, p, G1, true);

	/* an MFE made after the route moved tells its IIF owner too */
	s1_dev = 0;
	nev = 0;
	new_source(S1, G1, 0);
	EXPECT_NEV(test, 4);
	expect_rpf(test, 0, up, G1, 0);
	expect_ev(test, 1, CREATE, r, S1, G1);
	expect_alert(test, 2, JOIN, up, G1, false);
	expect_alert(test, 3, JOIN, up, G1, true);
}

/* How many of the @n MFEs route_test_prefix() made enter by @ifindex. */
static unsigned int bulk_by(struct kunit *test, unsigned int n, u32 ifindex)
{
	struct mgm_mfe_info info;
	unsigned int i, by = 0;
	u32 oifs[N_DEVS];

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, mfe_get(htonl(BULK + i), i & 1 ? G2 : G1,
					      &info, oifs), 0);
		by += info.in_ifindex == ifindex;
	}
	return by;
}

/*
 * A route change concerns the sources under its prefix only: the walk
 * takes that range of the table in the order of sources, however many
 * entries lie outside it, and lets go of the lock between batches as the
 * walk over all of them does (mgm_route.c).
 */
static void route_test_prefix(struct kunit *test)
{
	static const struct mgm_protocol_ops quiet_ops = {};
	struct fake_proto *up = proto_new(test, Q_ID, &quiet_ops);
	unsigned int i, n = 3 * MGM_BATCH;
	const __be32 outside = htonl(BULK | 0x0401);
	struct mgm_mfe_info info;
	u32 oifs[N_DEVS];

	take(test, up, 0);
	take(test, up, 2);
	new_source(S1, G1, 0);
	/* 10.1.0.0 to 10.1.2.255, two groups, and 10.1.4.1 */
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, mgm_mfe_add(&init_net, htonl(BULK + i),
						  i & 1 ? G2 : G1, IF(0), 0,
						  0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_mfe_add(&init_net, outside, G1, IF(0), 0, 0,
					  0, NULL), 0);

	/* both routes moved, but the change was of S3/32: neither follows */
	s1_dev = 2;
	bulk_dev = 2;
	mgm_run_route_change(&init_net, S3, 32);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));

	/* a change of 10.1.0.0/22 moves the entries under it, no other */
	mgm_run_route_change(&init_net, htonl(BULK), 22);
	KUNIT_EXPECT_EQ(test, bulk_by(test, n, IF(2)), n);
	KUNIT_ASSERT_EQ(test, mfe_get(outside, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));

	/* the route goes: negative entries without IIF, in place */
	bulk_dev = -1;
	mgm_run_route_change(&init_net, htonl(BULK), 16);
	KUNIT_EXPECT_EQ(test, bulk_by(test, n, 0), n);
	/*
	 * and comes back: each entry is deleted and made anew by the
	 * new-source flow while the walk goes on past it
	 */
	bulk_dev = 0;
	mgm_run_route_change(&init_net, htonl(BULK), 16);
	KUNIT_EXPECT_EQ(test, bulk_by(test, n, IF(0)), n);
	KUNIT_ASSERT_EQ(test, mfe_get(outside, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(0));
	KUNIT_EXPECT_EQ(test, mgm_pernet(&init_net)->n_mfes, n + 2UL);

	/* a change of every route reaches S1 too */
	mgm_run_reroute(&init_net);
	KUNIT_ASSERT_EQ(test, mfe_get(S1, G1, &info, oifs), 0);
	KUNIT_EXPECT_EQ(test, info.in_ifindex, IF(2));
}

static bool has_prefix(const struct mgm_prefix *set, unsigned int n,
		       u32 addr, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (set[i].addr == addr && set[i].len == len)
			return true;
	return false;
}

/*
 * The prefixes of a period: one inside another adds nothing, a wider one
 * replaces those it covers, and past MGM_ROUTE_CHANGES the nearest two
 * become the prefix that covers both; 0.0.0.0/0 covers every one.
 */
static void route_test_changes_merge(struct kunit *test)
{
	struct mgm_prefix set[MGM_ROUTE_CHANGES];
	unsigned int n = 0, i;

	mgm_route_changes_add(set, &n, 0x0a010200, 24);
	mgm_route_changes_add(set, &n, 0x0a010203, 32);
	KUNIT_EXPECT_EQ(test, n, 1U);
	mgm_route_changes_add(set, &n, 0x0a0100ff, 16);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0x0a010000, 16));
	mgm_route_changes_add(set, &n, 0x0a010000, 16);
	KUNIT_EXPECT_EQ(test, n, 1U);
	for (i = 0; i < MGM_ROUTE_CHANGES - 1; i++)
		mgm_route_changes_add(set, &n, 0xc0a80000 | i << 8, 24);
	KUNIT_EXPECT_EQ(test, n, MGM_ROUTE_CHANGES);
	/* 192.168.15.0/24 and its nearest, .14.0/24, become .14.0/23 */
	mgm_route_changes_add(set, &n, 0xc0a80f00, 24);
	KUNIT_EXPECT_EQ(test, n, MGM_ROUTE_CHANGES);
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0xc0a80e00, 23));
	KUNIT_EXPECT_FALSE(test, has_prefix(set, n, 0xc0a80e00, 24));
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0xc0a80d00, 24));
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0x0a010000, 16));
	/* 1.0.0.0/8's nearest is 10.1.0.0/16: both become 0.0.0.0/4 */
	mgm_route_changes_add(set, &n, 0x01000000, 8);
	KUNIT_EXPECT_EQ(test, n, MGM_ROUTE_CHANGES);
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0, 4));
	KUNIT_EXPECT_FALSE(test, has_prefix(set, n, 0x0a010000, 16));
	/* what covers kept ones replaces them all */
	mgm_route_changes_add(set, &n, 0xc0a80000, 16);
	KUNIT_EXPECT_EQ(test, n, 2U);
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0xc0a80000, 16));
	mgm_route_changes_add(set, &n, 0x7f000000, 0);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_TRUE(test, has_prefix(set, n, 0, 0));
}

static struct kunit_case route_cases[] = {
	KUNIT_CASE(route_test_prefix),
	KUNIT_CASE(route_test_changes_merge),
	KUNIT_CASE(route_test_same_owner),
	KUNIT_CASE(route_test_new_owner),
	KUNIT_CASE(route_test_unowned),
	KUNIT_CASE(route_test_removed),
	KUNIT_CASE(route_test_iif_was_oif),
	KUNIT_CASE(route_test_deferred),
	KUNIT_CASE(route_test_during_new_source),
	KUNIT_CASE(route_test_memberships),
	{}
};

static struct kunit_case engine_cases[] = {
	KUNIT_CASE(engine_test_join_star_g),
	KUNIT_CASE(engine_test_join_s_g),
	KUNIT_CASE(engine_test_join_star_star),
	KUNIT_CASE(engine_test_prune_star_g),
	KUNIT_CASE(engine_test_prune_s_g),
	KUNIT_CASE(engine_test_prune_star_star),
	KUNIT_CASE(engine_test_local_join_leave),
	KUNIT_CASE(engine_test_igmp_only_join),
	KUNIT_CASE(engine_test_new_source),
	KUNIT_CASE(engine_test_rpf_answer),
	KUNIT_CASE(engine_test_add_updates_mfes),
	KUNIT_CASE(engine_test_delete_updates_mfes),
	KUNIT_CASE(engine_test_negative_mfe),
	KUNIT_CASE(engine_test_veto_sticky),
	KUNIT_CASE(engine_test_wrong_if),
	KUNIT_CASE(engine_test_nexthops),
	KUNIT_CASE(engine_test_timeout),
	KUNIT_CASE(engine_test_mfe_whole),
	KUNIT_CASE(engine_test_set_mfe),
	KUNIT_CASE(engine_test_release_memberships),
	KUNIT_CASE(engine_test_group_enum),
	KUNIT_CASE(engine_test_mfe_enum),
	KUNIT_CASE(engine_test_deferred_on_time),
	KUNIT_CASE(engine_test_deferred_never),
	KUNIT_CASE(engine_test_deferred_owner_change),
	KUNIT_CASE(engine_test_deferred_deregistered),
	KUNIT_CASE(engine_test_deferred_undelivered),
	KUNIT_CASE(engine_test_star_star_batched),
	KUNIT_CASE(engine_test_standing_answers),
	KUNIT_CASE(engine_test_limit_pending),
	KUNIT_CASE(engine_test_limit_mfes),
	KUNIT_CASE(engine_test_limit_upcalls),
	KUNIT_CASE(engine_test_limit_requests),
	KUNIT_CASE(engine_test_deferred_released),
	KUNIT_CASE(engine_test_deferred_interleaved),
	KUNIT_CASE(engine_test_validation),
	{}
};

static struct kunit_suite engine_suite = {
	.name = "mgm_engine",
	.suite_init = engine_suite_init,
	.suite_exit = engine_suite_exit,
	.init = engine_test_init,
	.exit = engine_test_exit,
	.test_cases = engine_cases,
};

/*
 * The same world, its own results: what a route change does (mgm.rst, "Route
 * changes").
 */
static struct kunit_suite route_suite = {
	.name = "mgm_route",
	.suite_init = engine_suite_init,
	.suite_exit = engine_suite_exit,
	.init = engine_test_init,
	.exit = engine_test_exit,
	.test_cases = route_cases,
};

kunit_test_suites(&engine_suite, &route_suite);
