// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the MGM core: registration, interface ownership, the IGMP
 * disable/enable bracket, the release and shutdown sequences, re-entry,
 * network namespaces and netdevs that disappear.
 *
 * The callbacks of the fake protocols record what MGM told them and take a
 * snapshot of MGM's state at that moment, so that the order of the steps of
 * a sequence is checked, not only its outcome.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/net_namespace.h>

#include "../mgm_core.h"
#include "../mgm_ipmr.h"
#include "../mgm_mfe.h"
#include "../mgm_protocol.h"
#include "../mgm_route.h"
#include "mgm_test.h"

static int netns_pid;
module_param(netns_pid, int, 0444);
MODULE_PARM_DESC(netns_pid, "a process in a second network namespace, for the isolation test");

#define P_ID	200		/* a routing protocol */
#define Q_ID	201		/* another one */

#define S1	cpu_to_be32(0x0a000001)	/* 10.0.0.1 */
#define S2	cpu_to_be32(0x0a000002)
#define S3	cpu_to_be32(0x0a000003)
#define G1	cpu_to_be32(0xef010101)	/* 239.1.1.1 */
#define NH	cpu_to_be32(0xc0a80001)	/* 192.168.0.1 */

/* ---- fixtures ----------------------------------------------------------- */

#define N_DEVS 3
static struct net_device *devs[N_DEVS];

static int mgm_suite_init(struct kunit_suite *suite)
{
	return mgm_test_netdevs_new(devs, N_DEVS);
}

static void mgm_suite_exit(struct kunit_suite *suite)
{
	mgm_test_netdevs_free(devs, N_DEVS);
}

#define IF0 (devs[0]->ifindex)
#define IF1 (devs[1]->ifindex)
#define IF2 (devs[2]->ifindex)

/* What MGM looked like from inside a callback. */
struct snap {
	bool mfe_in;		/* the MFE that enters by the interface exists */
	bool mfe_out_lists_if;	/* the MFE that leaves by it still lists it */
	u32 owner;		/* protocol id of the routing owner, 0 if none */
};

struct rec_event {
	char what;		/* 'D'isable, 'E'nable */
	u32 ifindex;
	__be32 nexthop;
	struct snap snap;
	int reentry_err;	/* what a call back into MGM returned */
	int lookup_err;		/* what a read-only query returned */
};

/* A fake protocol. */
struct rec {
	struct net *net;
	u32 handle;
	/* the MFEs the snapshot looks at */
	__be32 in_source, out_source;
	bool reenter;
	int n;
	struct rec_event ev[16];
};

static bool oifs_list(struct mgm_mfe *mfe, u32 ifindex)
{
	struct mgm_oif_set *set = rcu_dereference(mfe->oifs);
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (set->oif[i].ifindex == ifindex)
			return true;
	return false;
}

static void rec_log(struct rec *r, char what, u32 ifindex, __be32 nexthop)
{
	struct rec_event *e = &r->ev[r->n];
	struct mgm_protocol *owner;
	struct mgm_mfe *mfe;
	struct mgm_if *ifp;
	u32 pid, cid;

	if (WARN_ON(r->n >= ARRAY_SIZE(r->ev)))
		return;
	r->n++;
	e->what = what;
	e->ifindex = ifindex;
	e->nexthop = nexthop;

	rcu_read_lock();
	if (r->in_source)
		e->snap.mfe_in = mgm_mfe_lookup_rcu(r->net, r->in_source, G1);
	if (r->out_source) {
		mfe = mgm_mfe_lookup_rcu(r->net, r->out_source, G1);
		e->snap.mfe_out_lists_if = mfe && oifs_list(mfe, ifindex);
	}
	ifp = mgm_if_lookup_rcu(mgm_pernet(r->net), ifindex, nexthop);
	owner = ifp ? rcu_dereference(ifp->owner) : NULL;
	e->snap.owner = owner ? owner->protocol_id : 0;
	rcu_read_unlock();

	if (r->reenter) {
		e->reentry_err = mgm_take_interface(r->net, r->handle, IF2, 0,
						    NULL);
		e->lookup_err = mgm_get_protocol_on_interface(r->net, ifindex,
							      nexthop, &pid,
							      &cid, NULL);
	}
}

static void rec_disable(void *priv, u32 ifindex, __be32 nexthop)
{
	rec_log(priv, 'D', ifindex, nexthop);
}

static void rec_enable(void *priv, u32 ifindex, __be32 nexthop)
{
	rec_log(priv, 'E', ifindex, nexthop);
}

static const struct mgm_protocol_ops rec_ops = {
	.disable_igmp = rec_disable,
	.enable_igmp = rec_enable,
};

static const struct mgm_protocol_ops no_ops = {};

static struct rec *rec_register(struct kunit *test, struct net *net,
				u32 protocol_id, u32 component_id)
{
	struct rec *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->net = net;
	KUNIT_ASSERT_EQ(test, mgm_register(net, protocol_id, component_id,
					   &rec_ops, r, &r->handle, NULL), 0);
	return r;
}

static void expect_event(struct kunit *test, struct rec *r, int i, char what,
			 u32 ifindex)
{
	KUNIT_ASSERT_GT(test, r->n, i);
	KUNIT_EXPECT_EQ(test, r->ev[i].what, what);
	KUNIT_EXPECT_EQ(test, r->ev[i].ifindex, ifindex);
	KUNIT_EXPECT_EQ(test, (__force u32)r->ev[i].nexthop, 0);
}

static u32 owner_of(struct net *net, u32 ifindex)
{
	u32 pid = 0, cid;

	if (mgm_get_protocol_on_interface(net, ifindex, 0, &pid, &cid, NULL))
		return 0;
	return pid;
}

static int mfe_add(struct net *net, __be32 s, u32 iif, u32 oif)
{
	struct mgm_oif o = { .ifindex = oif };

	return mgm_mfe_add(net, s, G1, iif, 0, 0, oif ? 1 : 0, &o);
}

static bool mfe_exists(struct net *net, __be32 s)
{
	bool found;

	rcu_read_lock();
	found = mgm_mfe_lookup_rcu(net, s, G1);
	rcu_read_unlock();
	return found;
}

static bool mfe_lists(struct net *net, __be32 s, u32 ifindex)
{
	struct mgm_mfe *mfe;
	bool found;

	rcu_read_lock();
	mfe = mgm_mfe_lookup_rcu(net, s, G1);
	found = mfe && oifs_list(mfe, ifindex);
	rcu_read_unlock();
	return found;
}

static void mgm_test_exit(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);

	mgm_test_shutdown_all(&init_net);
	KUNIT_EXPECT_TRUE(test, hash_empty(mn->ifs));
	KUNIT_EXPECT_EQ(test, mn->n_mfes, 0);
}

/* ---- registration ------------------------------------------------------- */

static void core_test_register_duplicate(struct kunit *test)
{
	struct net *net = &init_net;
	u32 a, b, c, h;

	KUNIT_EXPECT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &h, NULL),
			-EEXIST);
	/* another instance of the same protocol, or another protocol */
	KUNIT_EXPECT_EQ(test, mgm_register(net, P_ID, 2, &no_ops, NULL, &b, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(net, Q_ID, 1, &no_ops, NULL, &c, NULL), 0);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_NE(test, b, c);

	/* one IGMP component per netns, under either of its ids */
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_IGMP, 1, &no_ops, NULL,
					   &h, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_IGMP, 2, &no_ops, NULL,
					   &a, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_MS_IGMP, 1, &no_ops,
					   NULL, &a, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, h, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_MS_IGMP, 1, &no_ops,
					   NULL, &a, NULL), 0);
}

static void core_test_register_bad_ids(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct net *net = &init_net;
	u32 h = 0, h2;

	KUNIT_EXPECT_EQ(test, mgm_register(net, 0, 1, &no_ops, NULL, &h, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_MGM, 1, &no_ops, NULL,
					   &h, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_register(net, MGM_PROTO_MS_MGM, 1, &no_ops,
					   NULL, &h, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_register(net, P_ID, 1, NULL, NULL, &h, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, NULL,
					   NULL), -EINVAL);
	KUNIT_EXPECT_TRUE(test, xa_empty(&mn->protocols));
	KUNIT_EXPECT_EQ(test, h, 0);

	/* handle 0 is never given out; a stale handle is not reused at once */
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, 0, NULL), -ENOENT);
	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &h, NULL), 0);
	KUNIT_EXPECT_NE(test, h, 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, h, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &h2, NULL), 0);
	KUNIT_EXPECT_NE(test, h, h2);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, h, IF0, 0, NULL), -ENOENT);
}

/* ---- ownership ---------------------------------------------------------- */

static void core_test_take_conflict(struct kunit *test)
{
	struct net *net = &init_net;
	u32 p, q;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_register(net, Q_ID, 1, &no_ops, NULL, &q, NULL), 0);

	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, IF0, 0, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);

	/* the same ifindex toward another next hop is another interface */
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, IF0, NH, NULL), 0);

	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, 0, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, 0x7ffffff0, 0, NULL),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, 0x7ffffff0, IF1, 0, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, q, IF0, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, q, IF1, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);

	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), Q_ID);
}

static void core_test_igmp_coownership(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p, q;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_register(net, Q_ID, 1, &no_ops, NULL, &q, NULL), 0);

	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), MGM_PROTO_IGMP);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL),
			-EEXIST);

	/*
	 * a routing protocol joins IGMP; it is the one reported (mgm.rst,
	 * "Owner of an interface")
	 */
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, q, IF0, 0, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, igmp->n, 2);

	/* IGMP joining or leaving a protocol's interface: no bracket */
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, igmp->handle, IF1, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, igmp->handle, IF0, 0, NULL),
			0);
	KUNIT_EXPECT_EQ(test, igmp->n, 2);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF1), P_ID);

	/* the routing protocol leaves: IGMP is the owner again */
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF1), MGM_PROTO_IGMP);
	KUNIT_EXPECT_EQ(test, igmp->n, 4);
}

/*
 * Taking an interface where IGMP runs: IGMP is disabled before anything
 * changes, enabled after everything did, and the MFEs that enter by the
 * interface are gone by then (the new owner must decide them).
 */
static void core_test_bracket_take(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S1, IF0, IF1), 0);
	igmp->in_source = S1;

	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, igmp->n, 2);
	expect_event(test, igmp, 0, 'D', IF0);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_in);
	KUNIT_EXPECT_EQ(test, igmp->ev[0].snap.owner, 0);
	expect_event(test, igmp, 1, 'E', IF0);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_in);
	KUNIT_EXPECT_EQ(test, igmp->ev[1].snap.owner, P_ID);
	KUNIT_EXPECT_FALSE(test, mfe_exists(net, S1));
}

/*
 * Releasing an interface where IGMP runs: inside disable the MFEs of the
 * interface still exist and the owner is set; inside enable they are gone
 * and the owner is cleared.
 */
static void core_test_bracket_release(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF2, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S1, IF0, IF1), 0);	/* enters by I */
	KUNIT_ASSERT_EQ(test, mfe_add(net, S2, IF1, IF0), 0);	/* leaves by I */
	KUNIT_ASSERT_EQ(test, mfe_add(net, S3, IF1, IF2), 0);	/* elsewhere */
	igmp->in_source = S1;
	igmp->out_source = S2;
	igmp->n = 0;

	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, igmp->n, 2);
	expect_event(test, igmp, 0, 'D', IF0);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_in);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_out_lists_if);
	KUNIT_EXPECT_EQ(test, igmp->ev[0].snap.owner, P_ID);
	expect_event(test, igmp, 1, 'E', IF0);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_in);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_out_lists_if);
	KUNIT_EXPECT_EQ(test, igmp->ev[1].snap.owner, 0);

	/* the MFE that left by I lives on without it; the other is untouched */
	KUNIT_EXPECT_TRUE(test, mfe_exists(net, S2));
	KUNIT_EXPECT_TRUE(test, mfe_lists(net, S3, IF2));
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), MGM_PROTO_IGMP);
}

/*
 * The seed interaction: a routing protocol releases each of its two
 * interfaces, IGMP running on both, then deregisters; the handle is dead.
 */
static void core_test_seed_shutdown(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p, q;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_register(net, Q_ID, 1, &no_ops, NULL, &q, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, q, IF2, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S1, IF0, IF1), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S2, IF2, IF0), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S3, IF1, IF2), 0);
	igmp->in_source = S1;
	igmp->n = 0;

	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, igmp->n, 4);
	expect_event(test, igmp, 0, 'D', IF0);
	expect_event(test, igmp, 1, 'E', IF0);
	expect_event(test, igmp, 2, 'D', IF1);
	expect_event(test, igmp, 3, 'E', IF1);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_in);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_in);
	KUNIT_EXPECT_EQ(test, igmp->ev[1].snap.owner, 0);
	KUNIT_EXPECT_EQ(test, igmp->ev[3].snap.owner, 0);

	/* every MFE associated with I0 or I1 is gone or no longer lists them */
	KUNIT_EXPECT_FALSE(test, mfe_exists(net, S1));
	KUNIT_EXPECT_FALSE(test, mfe_exists(net, S3));
	KUNIT_EXPECT_TRUE(test, mfe_exists(net, S2));
	KUNIT_EXPECT_FALSE(test, mfe_lists(net, S2, IF0));
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), MGM_PROTO_IGMP);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF1), MGM_PROTO_IGMP);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF2), Q_ID);

	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, igmp->n, 4);
}

static void core_test_deregister_busy(struct kunit *test)
{
	struct net *net = &init_net;
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), -EBUSY);
	/* nothing changed: still registered, still the owner */
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), 0);
}

static void core_test_no_callback_after_deregister(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, igmp->n, 2);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, igmp->handle, IF0, 0, NULL),
			0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, igmp->handle, NULL), 0);

	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, igmp->n, 2);
}

/* A callback calling back into MGM gets -EDEADLK; read-only queries work. */
static void core_test_reentry(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF0, 0, NULL), 0);
	igmp->reenter = true;

	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, igmp->n, 2);
	KUNIT_EXPECT_EQ(test, igmp->ev[0].reentry_err, -EDEADLK);
	KUNIT_EXPECT_EQ(test, igmp->ev[1].reentry_err, -EDEADLK);
	KUNIT_EXPECT_EQ(test, igmp->ev[0].lookup_err, 0);
	KUNIT_EXPECT_EQ(test, igmp->ev[1].lookup_err, 0);
	/* the refused call changed nothing, and MGM still works afterwards */
	KUNIT_EXPECT_EQ(test, owner_of(net, IF2), 0);
	igmp->reenter = false;
	KUNIT_EXPECT_EQ(test, mgm_take_interface(net, igmp->handle, IF2, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF2), MGM_PROTO_IGMP);
}

/* What the netlink family runs when a protocol's socket closes. */
static void core_test_shutdown_protocol(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	u32 p;

	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF1, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S1, IF1, IF0), 0);
	igmp->in_source = S1;
	igmp->n = 0;

	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(net, p), 0);
	KUNIT_ASSERT_EQ(test, igmp->n, 2);
	expect_event(test, igmp, 0, 'D', IF1);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_in);
	expect_event(test, igmp, 1, 'E', IF1);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_in);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF1), MGM_PROTO_IGMP);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(net, p), -ENOENT);
}

/* ---- network namespaces and netdevs ------------------------------------ */

/*
 * KUnit in 6.1 runs a module's suites as the module is coming, before its
 * parameters are set (lib/kunit/test.c, MODULE_STATE_COMING; 6.12 waits
 * for it to be live): netns_pid is 0 there, so the test looks for a
 * process in another netns itself.
 */
static struct net *other_netns(void)
{
	struct net *net = ERR_PTR(-ESRCH);
	struct task_struct *p;

	if (netns_pid)
		return get_net_ns_by_pid(netns_pid);
	rcu_read_lock();
	for_each_process(p) {
		task_lock(p);
		if (p->nsproxy && p->nsproxy->net_ns != &init_net)
			net = get_net(p->nsproxy->net_ns);
		task_unlock(p);
		if (!IS_ERR(net))
			break;
	}
	rcu_read_unlock();
	return net;
}

static void core_test_netns_isolation(struct kunit *test)
{
	struct net *other;
	u32 a, b, pid, cid;

	other = other_netns();
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(other),
			       "load with netns_pid=<a process in another netns>, or run one");
	KUNIT_ASSERT_TRUE(test, other != &init_net);

	/* the same ids register in both; each side sees only its own */
	KUNIT_EXPECT_EQ(test, mgm_register(&init_net, P_ID, 1, &no_ops, NULL, &a,
					   NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(other, P_ID, 1, &no_ops, NULL, &b,
					   NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(other, b, LOOPBACK_IFINDEX, 0,
						 NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_get_protocol_on_interface(&init_net,
							    LOOPBACK_IFINDEX, 0,
							    &pid, &cid, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, a, LOOPBACK_IFINDEX, 0,
						 NULL), 0);
	/* a handle means nothing in another namespace */
	if (a != b)
		KUNIT_EXPECT_EQ(test, mgm_take_interface(other, a, IF0, 0, NULL),
				-ENOENT);
	/* an ifindex of this namespace is no device over there */
	KUNIT_EXPECT_EQ(test, mgm_take_interface(other, b, IF0, 0, NULL), -ENODEV);
	KUNIT_EXPECT_EQ(test, mgm_release_interface(&init_net, a, LOOPBACK_IFINDEX,
						    0, NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(other, LOOPBACK_IFINDEX), P_ID);

	mgm_test_shutdown_all(other);
	KUNIT_EXPECT_TRUE(test, xa_empty(&mgm_pernet(other)->protocols));
	put_net(other);
}

/* A netdev that goes away is released by its owners, bracket included. */
static void core_test_netdev_unregister(struct kunit *test)
{
	struct net *net = &init_net;
	struct rec *igmp = rec_register(test, net, MGM_PROTO_IGMP, 1);
	struct net_device *dev = mgm_test_netdev_new();
	u32 p, ifindex;

	KUNIT_ASSERT_NOT_NULL(test, dev);
	ifindex = dev->ifindex;
	KUNIT_ASSERT_EQ(test, mgm_register(net, P_ID, 1, &no_ops, NULL, &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, igmp->handle, ifindex, 0, NULL),
			0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, ifindex, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S1, ifindex, IF0), 0);
	KUNIT_ASSERT_EQ(test, mfe_add(net, S2, IF0, ifindex), 0);
	igmp->in_source = S1;
	igmp->out_source = S2;
	igmp->n = 0;

	mgm_test_netdev_free(dev);
	flush_work(&mgm_pernet(net)->netdev_work);

	KUNIT_ASSERT_EQ(test, igmp->n, 2);
	expect_event(test, igmp, 0, 'D', ifindex);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_in);
	KUNIT_EXPECT_TRUE(test, igmp->ev[0].snap.mfe_out_lists_if);
	expect_event(test, igmp, 1, 'E', ifindex);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_in);
	KUNIT_EXPECT_FALSE(test, igmp->ev[1].snap.mfe_out_lists_if);

	/* both owners are gone from it; the rest is as it was */
	KUNIT_EXPECT_EQ(test, owner_of(net, ifindex), 0);
	KUNIT_EXPECT_EQ(test, owner_of(net, IF0), P_ID);
	KUNIT_EXPECT_TRUE(test, mfe_exists(net, S2));
	KUNIT_EXPECT_EQ(test, mgm_release_interface(net, p, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, p, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_deregister(net, igmp->handle, NULL), 0);
}

/*
 * A forwarder whose counters hang in one netns, as a slow callback or a
 * long expiry run would hold up that netns's timer work.
 */
static struct {
	struct net *net;
	struct completion entered, release;
	u64 ms;
} stall;

static int stall_if_add(struct mgm_net *mn, u32 ifindex,
			struct netlink_ext_ack *extack)
{
	return 0;
}

static void stall_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone)
{
}

static void stall_mfe(struct mgm_net *mn, const struct mgm_fwd_entry *e)
{
}

static int stall_counters(struct mgm_net *mn, const struct mgm_fwd_entry *e,
			  struct mgm_mfe_counters *c)
{
	if (mn->net == stall.net) {
		complete(&stall.entered);
		/* bounded, so that a failed case cannot hang the suite */
		wait_for_completion_timeout(&stall.release, 10 * HZ);
	}
	return -EOPNOTSUPP;	/* the MFE goes at its timeout */
}

static const struct mgm_forwarder_ops stall_fwd = {
	.family = AF_INET,
	.if_add = stall_if_add,
	.if_del = stall_if_del,
	.mfe_set = stall_mfe,
	.mfe_del = stall_mfe,
	.mfe_counters = stall_counters,
};

static u64 stall_clock(void)
{
	return READ_ONCE(stall.ms);
}

/* Age the MFEs of @net out now, from its timer work. */
static void expire_now(struct net *net)
{
	mod_delayed_work(mgm_workqueue(), &mgm_pernet(net)->timer_work, 0);
}

/* One netns's stuck work does not hold up another's timers. */
static void core_test_netns_work_apart(struct kunit *test)
{
	const struct mgm_forwarder_ops *saved_fwd = mgm_get_forwarder();
	struct mgm_net *mn = mgm_pernet(&init_net), *omn;
	u64 (*saved_oclock)(void);
	u64 (*saved_clock)(void);
	struct net *other;
	u32 a, b;
	int i;

	other = other_netns();
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(other),
			       "load with netns_pid=<a process in another netns>, or run one");
	omn = mgm_pernet(other);
	init_completion(&stall.entered);
	init_completion(&stall.release);
	stall.net = other;
	stall.ms = 1000000;
	mgm_set_forwarder(&stall_fwd);
	mutex_lock(&mn->lock);
	saved_clock = mn->clock;
	mn->clock = stall_clock;
	mutex_unlock(&mn->lock);
	mutex_lock(&omn->lock);
	saved_oclock = omn->clock;
	omn->clock = stall_clock;
	mutex_unlock(&omn->lock);

	KUNIT_EXPECT_EQ(test, mgm_register(&init_net, P_ID, 1, &no_ops, NULL,
					   &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_register(other, P_ID, 1, &no_ops, NULL, &b,
					   NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, a, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(other, b, LOOPBACK_IFINDEX, 0,
						 NULL), 0);
	KUNIT_EXPECT_EQ(test, mfe_add(&init_net, S1, IF0, 0), 0);
	KUNIT_EXPECT_EQ(test, mfe_add(other, S1, LOOPBACK_IFINDEX, 0), 0);

	WRITE_ONCE(stall.ms, stall.ms + 1000 * 1000);
	expire_now(other);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&stall.entered, 2 * HZ),
			0UL);
	expire_now(&init_net);
	for (i = 0; i < 100 && mfe_exists(&init_net, S1); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, mfe_exists(&init_net, S1));
	KUNIT_EXPECT_TRUE(test, mfe_exists(other, S1));

	complete(&stall.release);
	flush_delayed_work(&omn->timer_work);
	KUNIT_EXPECT_FALSE(test, mfe_exists(other, S1));
	mgm_test_shutdown_all(other);
	mgm_set_forwarder(saved_fwd);
	mutex_lock(&mn->lock);
	mn->clock = saved_clock;
	mutex_unlock(&mn->lock);
	mutex_lock(&omn->lock);
	omn->clock = saved_oclock;
	mutex_unlock(&omn->lock);
	stall.net = NULL;
	put_net(other);
}

/* A protocol's module is held from its registration to its end. */
static const struct mgm_protocol_ops owned_ops = { .owner = THIS_MODULE };

static void core_test_owner_held(struct kunit *test)
{
	int refs = module_refcount(THIS_MODULE);
	u32 h;

	KUNIT_ASSERT_EQ(test, mgm_register(&init_net, P_ID, 1, &owned_ops, NULL,
					   &h, NULL), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	/* a refused registration holds nothing */
	KUNIT_EXPECT_EQ(test, mgm_register(&init_net, P_ID, 1, &owned_ops, NULL,
					   &h, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	KUNIT_EXPECT_EQ(test, mgm_deregister(&init_net, h, NULL), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);

	/* the shutdown sequence lets go of it as well */
	KUNIT_ASSERT_EQ(test, mgm_register(&init_net, P_ID, 1, &owned_ops, NULL,
					   &h, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, h, IF0, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(&init_net, h), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
}

/* A netdev unregistered from a work item (the caller holds mn->lock). */
struct unreg_work {
	struct work_struct work;
	struct net_device *dev;
};

static void unreg_fn(struct work_struct *work)
{
	mgm_test_netdev_free(container_of(work, struct unreg_work, work)->dev);
}

static bool netdev_at(u32 ifindex)
{
	bool found;

	rcu_read_lock();
	found = dev_get_by_index_rcu(&init_net, ifindex);
	rcu_read_unlock();
	return found;
}

/*
 * A netdev goes and another one takes its ifindex before the netdev work
 * ran: the record was the old netdev's and goes with it; the new netdev
 * is nobody's until taken.
 */
static void core_test_ifindex_reused(struct kunit *test)
{
	struct mgm_net *mn = mgm_pernet(&init_net);
	struct net_device *a = mgm_test_netdev_new(), *b;
	struct unreg_work uw;
	u32 p, ifindex;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	ifindex = a->ifindex;
	KUNIT_ASSERT_EQ(test, mgm_register(&init_net, P_ID, 1, &no_ops, NULL,
					   &p, NULL), 0);
	KUNIT_ASSERT_EQ(test, mgm_take_interface(&init_net, p, ifindex, 0,
						 NULL), 0);

	/* the netdev work waits for the lock while a goes and b comes */
	mutex_lock(&mn->lock);
	uw.dev = a;
	INIT_WORK_ONSTACK(&uw.work, unreg_fn);
	schedule_work(&uw.work);
	for (i = 0; i < 100 && netdev_at(ifindex); i++)
		msleep(20);
	b = netdev_at(ifindex) ? NULL : mgm_test_netdev_new_at(ifindex);
	mutex_unlock(&mn->lock);
	flush_work(&uw.work);
	destroy_work_on_stack(&uw.work);
	flush_work(&mn->netdev_work);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->ifindex, ifindex);
	KUNIT_EXPECT_EQ(test, owner_of(&init_net, ifindex), 0);
	KUNIT_EXPECT_EQ(test, mgm_take_interface(&init_net, p, ifindex, 0,
						 NULL), 0);
	KUNIT_EXPECT_EQ(test, owner_of(&init_net, ifindex), P_ID);
	KUNIT_EXPECT_EQ(test, mgm_shutdown_protocol(&init_net, p), 0);
	mgm_test_netdev_free(b);
}

static struct kunit_case mgm_core_cases[] = {
	KUNIT_CASE(core_test_register_duplicate),
	KUNIT_CASE(core_test_register_bad_ids),
	KUNIT_CASE(core_test_take_conflict),
	KUNIT_CASE(core_test_igmp_coownership),
	KUNIT_CASE(core_test_bracket_take),
	KUNIT_CASE(core_test_bracket_release),
	KUNIT_CASE(core_test_seed_shutdown),
	KUNIT_CASE(core_test_deregister_busy),
	KUNIT_CASE(core_test_no_callback_after_deregister),
	KUNIT_CASE(core_test_reentry),
	KUNIT_CASE(core_test_shutdown_protocol),
	KUNIT_CASE(core_test_owner_held),
	KUNIT_CASE(core_test_netns_isolation),
	KUNIT_CASE(core_test_netns_work_apart),
	KUNIT_CASE(core_test_netdev_unregister),
	KUNIT_CASE(core_test_ifindex_reused),
	{}
};

static struct kunit_suite mgm_core_suite = {
	.name = "mgm_core",
	.suite_init = mgm_suite_init,
	.suite_exit = mgm_suite_exit,
	.exit = mgm_test_exit,
	.test_cases = mgm_core_cases,
};

kunit_test_suite(mgm_core_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the Multicast Group Manager core");
