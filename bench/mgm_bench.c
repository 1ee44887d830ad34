// SPDX-License-Identifier: GPL-2.0
/*
 * The MGM benchmark (make bench): what the engine's operations cost as its
 * tables grow, measured through its internal API inside the UML benchmark
 * kernel.  Built only for a kernel with KUnit, like the KUnit module, since
 * it uses what MGM exports for tests (mgm_mfe_add, mgm_new_source, ...).
 *
 * tools/bench/run.sh drives it through debugfs: each command written to
 * mgm_bench/ctl does one step and leaves "name value" lines to read back
 * from the same file.  Steps leave their state in place, so that the script
 * can read /proc/slabinfo between them for the memory figures.  An
 * operation that fails makes the write fail with its errno: figures for work
 * that was not done would be worse than none.
 *
 * The world is faked where it is not MGM's: no forwarder (ipmr would
 * measure itself, and has 32 VIFs), a route lookup that sends sources to
 * fixed interfaces, and a clock that moves only when told, so that
 * lifetimes expire on demand.  The protocols are in-kernel ones that
 * answer at once, except D, which answers later like one in userspace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "../mgm_core.h"
#include "../mgm_mfe.h"
#include "../mgm_protocol.h"
#include "../mgm_route.h"

/*
 * Dummy interfaces made by the script, mgmb0 to mgmb7.  P owns 0-4: 0 is
 * the incoming interface of the big table and 1 its outgoing one, 2-3 and
 * 4 carry small sets measured at every table size.  Q owns 5, where the
 * memberships are; D owns 6, the incoming interface of deferred flows.
 */
#define BENCH_DEVS	8

/* make check runs it small (tools/tests/50-bench.sh) */
static unsigned int small = 1000;
module_param(small, uint, 0444);
MODULE_PARM_DESC(small, "MFEs and memberships of the sets measured beside the big tables (at most 65536)");
static unsigned int tries = 3;
module_param(tries, uint, 0444);
MODULE_PARM_DESC(tries, "how often the sets beside the big tables are measured, the best counting");

#define BENCH_CHUNK	128	/* operations timed together */
/* random lookups: ten per MFE, at most this many */
#define BENCH_LOOKUPS	200000
#define BENCH_MAX	BIT(22)

static u32 ifx[BENCH_DEVS];
static u32 p_handle, q_handle, d_handle;
static bool set_up;

static const struct mgm_forwarder_ops *saved_fwd;
static struct mgm_limits saved_limits;
static u64 (*saved_clock)(void);
static int (*saved_rpf)(struct mgm_net *mn, __be32 source,
			struct mgm_rpf *rpf);

static DEFINE_MUTEX(bench_lock);
static char out[4096];
static size_t out_len;

static __printf(1, 2) void emit(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	out_len += vscnprintf(out + out_len, sizeof(out) - out_len, fmt, args);
	va_end(args);
}

/* "NAME ns-per-op" from a total over @n operations. */
static void emit_per_op(const char *name, u64 ns, u64 n)
{
	emit("%s %llu\n", name, n ? div64_u64(ns, n) : 0);
}

/*
 * Per-operation times that what else the host runs does not inflate: a
 * loop is timed in chunks of BENCH_CHUNK operations, and the figure is the
 * median chunk.  Inside UML the clock is the host's, and a chunk during
 * which the host ran something else is longer; the median leaves those
 * out, as long as they are fewer than half.
 */
struct chunks {
	u64 *ns;
	u32 n, max;
	u32 ops;		/* in the chunk under way */
	u64 t0;
};

static int chunks_start(struct chunks *c, u32 n_ops)
{
	c->max = n_ops / BENCH_CHUNK + 1;
	c->ns = kvmalloc_array(c->max, sizeof(*c->ns), GFP_KERNEL);
	c->n = 0;
	c->ops = 0;
	c->t0 = ktime_get_ns();
	return c->ns ? 0 : -ENOMEM;
}

/* One more operation done; between chunks, others may have the CPU. */
static void chunks_tick(struct chunks *c)
{
	if (++c->ops < BENCH_CHUNK)
		return;
	if (c->n < c->max)
		c->ns[c->n++] = ktime_get_ns() - c->t0;
	c->ops = 0;
	cond_resched();
	c->t0 = ktime_get_ns();
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The median per operation; an unfinished chunk counts only alone. */
static u64 chunks_end(struct chunks *c)
{
	u64 per = 0;

	if (c->n) {
		sort(c->ns, c->n, sizeof(*c->ns), cmp_u64, NULL);
		per = div_u64(c->ns[c->n / 2], BENCH_CHUNK);
	} else if (c->ops) {
		per = div_u64(ktime_get_ns() - c->t0, c->ops);
	}
	kvfree(c->ns);
	c->ns = NULL;
	return per;
}

static struct mgm_net *bench_mn(void)
{
	return mgm_pernet(&init_net);
}

/* ---- keys ----------------------------------------------------------------- */

/*
 * Sixteen sources per group, as a router with a few sources per group sees
 * them; @set keeps the key ranges of different steps apart.
 */
static __be32 src_of(u32 set, u32 i)
{
	return htonl(0x0a000000 | set << 16 | (i % 16 + 1));
}

static __be32 grp_of(u32 set, u32 i)
{
	return htonl(0xe0000000 | (8 + set) << 24 | i / 16);
}

/* One group with many sources: 239.1.1.1 from 10.4.0.0/16. */
#define BIG_GROUP	htonl(0xef010101)
static __be32 big_src(u32 i)
{
	return htonl(0x0a040000 | i);
}

/* Sources of deferred flows, 10.6.0.0/16, routed to D's interface. */
static __be32 deferred_src(u32 i)
{
	return htonl(0x0a060000 | i);
}

static u32 xorshift(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- the fake world ------------------------------------------------------- */

static u64 bench_ms = 1000000;

static u64 bench_clock(void)
{
	return READ_ONCE(bench_ms);
}

/*
 * The route toward 10.4.0.0/16, BIG_GROUP's sources, goes by P's mgmb4,
 * their IIF, or while route_moved by P's mgmb3.
 */
static bool route_moved;

static int bench_rpf(struct mgm_net *mn, __be32 source, struct mgm_rpf *rpf)
{
	u32 net16 = ntohl(source) >> 16;

	rpf->in_ifindex = net16 == 0x0a06 ? ifx[6] : ifx[0];
	if (net16 == 0x0a04)
		rpf->in_ifindex = READ_ONCE(route_moved) ? ifx[3] : ifx[4];
	rpf->upstream = source;
	rpf->route.prefix = source & htonl(0xffff0000);
	rpf->route.prefix_len = 16;
	return 0;
}

static int null_if_add(struct mgm_net *mn, u32 ifindex,
		       struct netlink_ext_ack *extack)
{
	return 0;
}

static void null_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone)
{
}

static void null_mfe(struct mgm_net *mn, const struct mgm_fwd_entry *e)
{
}

static const struct mgm_forwarder_ops null_fwd = {
	.family = AF_INET,
	.if_add = null_if_add,
	.if_del = null_if_del,
	.mfe_set = null_mfe,
	.mfe_del = null_mfe,
};

/* Callbacks that do nothing, so that their dispatch is counted. */
static void nop_rpf(void *priv, struct mgm_rpf *rpf)
{
}

static void nop_create(void *priv, const struct mgm_sg *sg, u32 in_ifindex,
		       __be32 in_nexthop, unsigned int n_oifs,
		       struct mgm_if_entry *oifs, u64 cookie)
{
}

static void nop_prune(void *priv, const struct mgm_sg *sg, u32 ifindex,
		      __be32 nexthop, bool member_delete, u32 *timeout,
		      u64 cookie)
{
}

static void nop_join(void *priv, const struct mgm_sg *sg, bool member_update)
{
}

static const struct mgm_protocol_ops now_ops = {
	.rpf = nop_rpf,
	.creation_alert = nop_create,
	.prune_alert = nop_prune,
	.join_alert = nop_join,
};

/* D's questions, kept to answer them later. */
static u64 *cookies;
static u32 n_cookies, max_cookies;

static void deferred_rpf(void *priv, struct mgm_rpf *rpf)
{
	if (n_cookies < max_cookies)
		cookies[n_cookies] = rpf->cookie;
	n_cookies++;
}

static const struct mgm_protocol_ops deferred_ops = {
	.deferred = true,
	.rpf = deferred_rpf,
	.creation_alert = nop_create,
	.prune_alert = nop_prune,
	.join_alert = nop_join,
};

/* ---- set up and tear down ------------------------------------------------- */

static int take(u32 handle, int dev)
{
	return mgm_take_interface(&init_net, handle, ifx[dev], 0, NULL);
}

static int release(u32 handle, int dev)
{
	return mgm_release_interface(&init_net, handle, ifx[dev], 0, NULL);
}

/* Release @dev and take it again; the time of the release in *@ns. */
static int release_timed(u32 handle, int dev, u64 *ns)
{
	u64 t0 = ktime_get_ns();
	int err = release(handle, dev);

	*ns = ktime_get_ns() - t0;
	return err ?: take(handle, dev);
}

static void bench_teardown(void)
{
	struct mgm_net *mn = bench_mn();

	if (!set_up)
		return;
	if (p_handle)
		mgm_shutdown_protocol(&init_net, p_handle);
	if (q_handle)
		mgm_shutdown_protocol(&init_net, q_handle);
	if (d_handle)
		mgm_shutdown_protocol(&init_net, d_handle);
	p_handle = 0;
	q_handle = 0;
	d_handle = 0;
	/* what no interface held (none should be left) ages out */
	WRITE_ONCE(bench_ms, bench_ms + 10000000);
	mgm_run_timers(&init_net);
	WARN_ON(mn->n_mfes || mn->n_members);
	mutex_lock(&mn->lock);
	mn->clock = saved_clock;
	mn->rpf_lookup = saved_rpf;
	mn->limits = saved_limits;
	mutex_unlock(&mn->lock);
	mgm_set_forwarder(saved_fwd);
	set_up = false;
}

static int bench_setup(void)
{
	struct mgm_net *mn = bench_mn();
	struct net_device *dev;
	char name[IFNAMSIZ];
	int i, err;

	if (set_up)
		return -EBUSY;
	if (mn->n_mfes || mn->n_members || !list_empty(&mn->newsrcs))
		return -EBUSY;
	for (i = 0; i < BENCH_DEVS; i++) {
		snprintf(name, sizeof(name), "mgmb%d", i);
		dev = dev_get_by_name(&init_net, name);
		if (!dev) {
			pr_err("no interface %s (tools/bench/run.sh makes them)\n",
			       name);
			return -ENODEV;
		}
		ifx[i] = dev->ifindex;
		dev_put(dev);
	}
	saved_fwd = mgm_get_forwarder();
	mgm_set_forwarder(&null_fwd);
	mutex_lock(&mn->lock);
	saved_clock = mn->clock;
	saved_rpf = mn->rpf_lookup;
	mn->clock = bench_clock;
	mn->rpf_lookup = bench_rpf;
	/* the tables measured are larger than a netns's defaults allow */
	saved_limits = mn->limits;
	mn->limits.mfes = BENCH_MAX;
	mn->limits.members = BENCH_MAX;
	mn->limits.pending = BENCH_MAX;
	mn->limits.questions = BENCH_MAX;
	mutex_unlock(&mn->lock);
	set_up = true;

	err = mgm_register(&init_net, 250, 1, &now_ops, NULL, &p_handle, NULL) ?:
	      mgm_register(&init_net, 251, 1, &now_ops, NULL, &q_handle, NULL) ?:
	      mgm_register(&init_net, 252, 1, &deferred_ops, NULL, &d_handle,
			   NULL);
	for (i = 0; !err && i <= 4; i++)
		err = take(p_handle, i);
	err = err ?: take(q_handle, 5) ?: take(d_handle, 6);
	if (err)
		bench_teardown();
	return err;
}

/*
 * Wait for the kfree_rcu()s of the step, so that the memory read after it
 * counts only what lives on.  The UML kernels have one CPU and Tiny RCU,
 * where kfree_rcu() is a call_rcu(), which rcu_barrier() waits for.
 */
static void settle(void)
{
	rcu_barrier();
}

/* ---- MFEs ----------------------------------------------------------------- */

/*
 * @n MFEs of @set entering by @iif, forwarded out of @oif (-1: none); the
 * time per MFE in *@ns.  The big table's lifetimes end a millisecond apart
 * for each chunk, so that the timer can delete them a chunk at a time.
 */
static int mfes_add(u32 set, u32 n, int iif, int oif, u64 *ns)
{
	struct mgm_oif o = { .ifindex = oif >= 0 ? ifx[oif] : 0 };
	__be32 source, group;
	struct chunks c;
	u32 i;
	int err;

	err = chunks_start(&c, n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (set == 4) {
			source = big_src(i);
			group = BIG_GROUP;
		} else {
			source = src_of(set, i);
			group = grp_of(set, i);
		}
		err = mgm_mfe_add(&init_net, source, group, ifx[iif], 0,
				  source, oif >= 0, &o);
		if (err) {
			pr_err("mgm_mfe_add #%u: %d\n", i, err);
			chunks_end(&c);
			return err;
		}
		chunks_tick(&c);
		if (set == 0 && !c.ops)
			WRITE_ONCE(bench_ms, bench_ms + 1);
	}
	*ns = chunks_end(&c);
	return 0;
}

/* What the MFEs' own objects take, as the allocator rounds them. */
static u64 mfes_ksize(struct mgm_net *mn)
{
	struct mgm_oif_ref *ref;
	struct mgm_decision *dec;
	unsigned long idx = 0;
	struct mgm_mfe *mfe;
	u64 bytes = 0;

	mutex_lock(&mn->lock);
	mt_for_each(&mn->mfes, mfe, idx, ULONG_MAX) {
		bytes += ksize(mfe);
		bytes += ksize(rcu_dereference_protected(mfe->oifs,
				lockdep_is_held(&mn->lock)));
		hlist_for_each_entry(ref, &mfe->oif_refs, mfe_node)
			bytes += ksize(ref);
		hlist_for_each_entry(dec, &mfe->decisions, mfe_node)
			bytes += ksize(dec);
	}
	mutex_unlock(&mn->lock);
	return bytes;
}

/* when the last fill started, on the fake clock */
static u64 fill_ms;

static int cmd_mfe_fill(u32 n)
{
	struct mgm_net *mn = bench_mn();
	u64 ns;
	int err;

	if (mn->n_mfes)
		return -EBUSY;
	fill_ms = bench_ms;
	err = mfes_add(0, n, 0, 1, &ns);
	if (err)
		return err;
	emit("mfe_insert_ns %llu\n", ns);
	emit("mfe_ksize_bytes %llu\n", div64_u64(mfes_ksize(mn), n));
	settle();
	return 0;
}

static int lookups(u32 n)
{
	u32 state = 2463534242U, i, k, count = min_t(u32, BENCH_LOOKUPS, 10 * n);
	struct mgm_mfe_info info;
	struct mgm_oif oifs[2];
	struct mgm_mfe *mfe;
	struct chunks c;
	int err;

	err = chunks_start(&c, count);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		k = xorshift(&state) % n;
		err = mgm_get_mfe(&init_net, src_of(0, k), grp_of(0, k), false,
				  &info, oifs, ARRAY_SIZE(oifs));
		if (err) {
			pr_err("mgm_get_mfe #%u: %d\n", k, err);
			chunks_end(&c);
			return err;
		}
		chunks_tick(&c);
	}
	emit("mfe_get_ns %llu\n", chunks_end(&c));

	/* the forwarder's path: RCU, no lock, no copy */
	err = chunks_start(&c, count);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		k = xorshift(&state) % n;
		rcu_read_lock();
		mfe = mgm_mfe_lookup_rcu(&init_net, src_of(0, k), grp_of(0, k));
		rcu_read_unlock();
		if (!mfe) {
			pr_err("mgm_mfe_lookup_rcu #%u: not found\n", k);
			chunks_end(&c);
			return -ENOENT;
		}
		chunks_tick(&c);
	}
	emit("mfe_lookup_rcu_ns %llu\n", chunks_end(&c));
	return 0;
}

static int enumerate(u32 n)
{
	struct mgm_mfe_info info = {};
	struct mgm_oif oifs[2];
	struct chunks c;
	u32 count = 0;
	int err;

	err = chunks_start(&c, n + 1);
	if (err)
		return err;
	for (;;) {
		err = mgm_get_mfe(&init_net, info.source, info.group, true,
				  &info, oifs, ARRAY_SIZE(oifs));
		if (err)
			break;
		count++;
		chunks_tick(&c);
	}
	emit("mfe_enum_ns %llu\n", chunks_end(&c));
	if (err != -ENOENT || count != n) {
		pr_err("enumeration: %u MFEs of %u, then %d\n", count, n, err);
		return -EIO;
	}
	return 0;
}

/*
 * What a small set costs beside the table: @small MFEs inserted and
 * their interface released; a (*,G) added and deleted on a group of
 * @small sources.  Each the best of @tries: one-off figures of a
 * millisecond suffer most from whatever else the machine runs.
 */
/*
 * Whether all @small MFEs of BIG_GROUP enter by @dev.  The timed change must
 * have moved every one of them, or its figure means nothing.
 */
static bool big_group_by(int dev)
{
	struct mgm_mfe *mfe;
	bool all = true;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < small && all; i++) {
		mfe = mgm_mfe_lookup_rcu(&init_net, big_src(i), BIG_GROUP);
		all = mfe && READ_ONCE(mfe->iif_ifindex) == ifx[dev];
	}
	rcu_read_unlock();
	return all;
}

/*
 * A route change under which lie the @small MFEs of BIG_GROUP, beside the
 * big table: the route toward 10.4.0.0/16 moves from mgmb4 to mgmb3, then
 * back, each moving all of them (an RPF question to P, answered at once,
 * and the alerts).  The better of the two in *@ns.
 */
static int route_change(u64 *ns)
{
	bool to3;
	u64 t0;

	*ns = U64_MAX;
	for (to3 = true; ; to3 = false) {
		WRITE_ONCE(route_moved, to3);
		t0 = ktime_get_ns();
		mgm_run_route_change(&init_net, htonl(0x0a040000), 16);
		*ns = min(*ns, ktime_get_ns() - t0);
		if (!big_group_by(to3 ? 3 : 4)) {
			pr_err("the route change moved not all %u MFEs\n",
			       small);
			return -EIO;
		}
		if (!to3)
			return 0;
	}
}

static int small_sets(void)
{
	struct mgm_sg sg = { .group = BIG_GROUP, .group_mask = htonl(0xffffffff) };
	u64 ins = U64_MAX, rel = U64_MAX, add = U64_MAX, del = U64_MAX;
	u64 route = U64_MAX, t0, ns;
	int r, err;

	for (r = 0; r < tries; r++) {
		err = mfes_add(2, small, 2, 3, &ns);
		if (err)
			return err;
		ins = min(ins, ns);
		err = release_timed(p_handle, 2, &ns);
		if (err)
			return err;
		rel = min(rel, ns);

		err = mfes_add(4, small, 4, -1, &ns);
		if (err)
			return err;
		t0 = ktime_get_ns();
		err = mgm_add_membership(&init_net, q_handle, &sg, ifx[5], 0,
					 MGM_FLAG_JOIN_STATE, NULL);
		if (err)
			return err;
		add = min(add, ktime_get_ns() - t0);
		t0 = ktime_get_ns();
		err = mgm_delete_membership(&init_net, q_handle, &sg, ifx[5], 0,
					    MGM_FLAG_JOIN_STATE, NULL);
		if (err)
			return err;
		del = min(del, ktime_get_ns() - t0);
		err = route_change(&ns);
		if (err)
			return err;
		route = min(route, ns);
		err = release_timed(p_handle, 4, &ns);
		if (err)
			return err;
	}
	emit("small_insert_ns %llu\n", ins);
	emit_per_op("small_release_ns", rel, small);
	emit("star_g_add_us %llu\n", div_u64(add, NSEC_PER_USEC));
	emit("star_g_del_us %llu\n", div_u64(del, NSEC_PER_USEC));
	emit_per_op("route_change_ns", route, small);
	/* mn->lock is let go of every MGM_BATCH entries of the walk */
	emit("route_hold_us %llu\n",
	     div_u64(route * MGM_BATCH, (u64)small * NSEC_PER_USEC));
	return 0;
}

/*
 * At table size @n: lookups, a full enumeration, then the small sets
 * beside the big table (they should not depend on @n).
 */
static int cmd_mfe_ops(u32 n)
{
	struct mgm_net *mn = bench_mn();
	u64 t0;
	int err;

	if (mn->n_mfes != n)
		return -EINVAL;
	err = lookups(n) ?: enumerate(n) ?: small_sets();
	if (err)
		return err;
	/* a change of rules or next hops: every MFE's lookup, none moves */
	t0 = ktime_get_ns();
	mgm_run_reroute(&init_net);
	emit("route_all_ms %llu\n", div_u64(ktime_get_ns() - t0,
					    NSEC_PER_MSEC));
	return mn->n_mfes == n ? 0 : -EIO;
}

/* The lifetimes end, a chunk of MFEs each millisecond: the timer deletes them. */
static int cmd_mfe_expire(u32 n)
{
	struct mgm_net *mn = bench_mn();
	struct chunks c;
	u32 k;
	int err;

	if (mn->n_mfes != n || !list_empty(&mn->requests))
		return -EINVAL;
	err = chunks_start(&c, n);
	if (err)
		return err;
	for (k = 0; k <= n / BENCH_CHUNK; k++) {
		WRITE_ONCE(bench_ms, fill_ms + 900 * MSEC_PER_SEC + k);
		c.t0 = ktime_get_ns();
		mgm_run_timers(&init_net);
		/* a whole chunk each, but for the last */
		if (k < n / BENCH_CHUNK)
			c.ns[c.n++] = ktime_get_ns() - c.t0;
		else if (!c.n)
			c.ops = n;
		cond_resched();
	}
	emit("mfe_expire_ns %llu\n", chunks_end(&c));
	if (mn->n_mfes) {
		pr_err("%lu MFEs left after their lifetime\n", mn->n_mfes);
		return -EIO;
	}
	settle();
	return 0;
}

/*
 * @dev carries all @n of what *@left counts: its release, whose time goes
 * to *@ns and, per item, to the figure @name, must take them all.
 */
static int release_all(u32 handle, int dev, const unsigned long *left,
		       u32 n, const char *name, u64 *ns)
{
	int err;

	if (*left != n)
		return -EINVAL;
	err = release_timed(handle, dev, ns);
	if (err)
		return err;
	emit_per_op(name, *ns, n);
	if (*left) {
		pr_err("%lu of %u left after the release\n", *left, n);
		return -EIO;
	}
	return 0;
}

/* The incoming interface of all @n MFEs is released. */
static int cmd_mfe_release(u32 n)
{
	u64 ns;
	int err;

	err = release_all(p_handle, 0, &bench_mn()->n_mfes, n,
			  "mfe_release_ns", &ns);
	if (err)
		return err;
	emit("mfe_release_ms %llu\n", div_u64(ns, NSEC_PER_MSEC));
	settle();
	return 0;
}

/* ---- memberships ---------------------------------------------------------- */

/* (S,G) memberships of @set on Q's interface, added or deleted; per op in *@ns. */
static int members(u32 set, u32 n, bool add, u64 *ns)
{
	struct mgm_sg sg = { .source_mask = htonl(0xffffffff),
			     .group_mask = htonl(0xffffffff) };
	struct chunks c;
	u32 i;
	int err;

	err = chunks_start(&c, n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		sg.source = src_of(set, i);
		sg.group = grp_of(set, i);
		if (add)
			err = mgm_add_membership(&init_net, q_handle, &sg,
						 ifx[5], 0,
						 MGM_FLAG_JOIN_STATE, NULL);
		else
			err = mgm_delete_membership(&init_net, q_handle, &sg,
						    ifx[5], 0,
						    MGM_FLAG_JOIN_STATE, NULL);
		if (err) {
			pr_err("membership %s #%u: %d\n", add ? "add" : "delete",
			       i, err);
			chunks_end(&c);
			return err;
		}
		chunks_tick(&c);
	}
	*ns = chunks_end(&c);
	return 0;
}

static int cmd_member_fill(u32 n)
{
	struct mgm_net *mn = bench_mn();
	u64 ns;
	int err;

	if (mn->n_members)
		return -EBUSY;
	err = members(4, n, true, &ns);
	if (err)
		return err;
	emit("member_add_ns %llu\n", ns);
	settle();
	return 0;
}

/* Beside @n memberships: a few more added and deleted, the best of tries. */
static int cmd_member_ops(u32 n)
{
	struct mgm_net *mn = bench_mn();
	u64 add = U64_MAX, del = U64_MAX, ns;
	int r, err;

	if (mn->n_members != n)
		return -EINVAL;
	for (r = 0; r < tries; r++) {
		err = members(5, small, true, &ns);
		if (err)
			return err;
		add = min(add, ns);
		err = members(5, small, false, &ns);
		if (err)
			return err;
		del = min(del, ns);
	}
	emit("small_member_add_ns %llu\n", add);
	emit("small_member_del_ns %llu\n", del);
	return mn->n_members == n ? 0 : -EIO;
}

static int cmd_member_del(u32 n)
{
	struct mgm_net *mn = bench_mn();
	u64 ns;
	int err;

	if (mn->n_members != n)
		return -EINVAL;
	err = members(4, n, false, &ns);
	if (err)
		return err;
	emit("member_del_ns %llu\n", ns);
	return mn->n_members ? -EIO : 0;
}

static int cmd_member_release(u32 n)
{
	u64 ns;

	return release_all(q_handle, 5, &bench_mn()->n_members, n,
			   "member_release_ns", &ns);
}

/* ---- new-source flows ----------------------------------------------------- */

static const struct mgm_sg star_star = {};

/*
 * A burst of @n packets of distinct (S,G), each a new-source flow, with a
 * (*,*) membership on Q's interface so that each asks Q about it.  @deferred:
 * the sources are D's, whose RPF answers come after the whole burst.
 */
static int cmd_newsrc(u32 n, bool deferred)
{
	struct mgm_net *mn = bench_mn();
	int iif = deferred ? 6 : 0;
	u32 handle = deferred ? d_handle : p_handle;
	u8 hdr[20] = { 0x45 };
	__be32 source, group;
	u64 ask, answer, ns;
	struct chunks c;
	u32 i;
	int err;

	if (mn->n_mfes || (deferred && n > 0x10000))
		return -EINVAL;
	err = mgm_add_membership(&init_net, q_handle, &star_star, ifx[5], 0,
				 MGM_FLAG_JOIN_STATE, NULL);
	if (err)
		return err;
	n_cookies = 0;
	err = chunks_start(&c, n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		source = deferred ? deferred_src(i) : src_of(3, i);
		group = grp_of(6, i);
		mgm_new_source(&init_net, source, group, ifx[iif], hdr,
			       sizeof(hdr));
		chunks_tick(&c);
	}
	ask = chunks_end(&c);
	if (deferred) {
		emit("newsrc_deferred_ask_ns %llu\n", ask);
		if (n_cookies != n) {
			pr_err("%u RPF questions for %u flows\n", n_cookies, n);
			return -EIO;
		}
		err = chunks_start(&c, n);
		if (err)
			return err;
		for (i = 0; i < n; i++) {
			err = mgm_reply_rpf(&init_net, d_handle, cookies[i],
					    ifx[6], 0, deferred_src(i), NULL);
			if (err) {
				pr_err("mgm_reply_rpf #%u: %d\n", i, err);
				chunks_end(&c);
				return err;
			}
			chunks_tick(&c);
		}
		answer = chunks_end(&c);
		emit("newsrc_deferred_answer_ns %llu\n", answer);
		emit("newsrc_deferred_per_s %llu\n",
		     div64_u64(NSEC_PER_SEC, ask + answer ?: 1));
	} else {
		emit("newsrc_ns %llu\n", ask);
		emit("newsrc_per_s %llu\n", div64_u64(NSEC_PER_SEC, ask ?: 1));
	}
	if (mn->n_mfes != n || !list_empty(&mn->newsrcs)) {
		pr_err("%lu MFEs from %u flows\n", mn->n_mfes, n);
		return -EIO;
	}
	err = release_timed(handle, iif, &ns) ?:
	      mgm_delete_membership(&init_net, q_handle, &star_star, ifx[5], 0,
				    MGM_FLAG_JOIN_STATE, NULL);
	settle();
	return err;
}

/* ---- the control file ----------------------------------------------------- */

static int bench_run(const char *cmd, u32 n)
{
	static const struct {
		const char *name;
		int (*fn)(u32 n);
	} cmds[] = {
		{ "mfe-fill", cmd_mfe_fill },
		{ "mfe-ops", cmd_mfe_ops },
		{ "mfe-expire", cmd_mfe_expire },
		{ "mfe-release", cmd_mfe_release },
		{ "member-fill", cmd_member_fill },
		{ "member-ops", cmd_member_ops },
		{ "member-del", cmd_member_del },
		{ "member-release", cmd_member_release },
	};
	unsigned int i;

	if (!strcmp(cmd, "setup"))
		return bench_setup();
	if (!set_up)
		return -ENOTCONN;
	if (!strcmp(cmd, "teardown")) {
		bench_teardown();
		return 0;
	}
	if (!n || n > BENCH_MAX)
		return -ERANGE;
	if (!strcmp(cmd, "newsrc"))
		return cmd_newsrc(n, false);
	if (!strcmp(cmd, "newsrc-deferred")) {
		kvfree(cookies);
		max_cookies = 0;
		cookies = kvmalloc_array(n, sizeof(*cookies), GFP_KERNEL);
		if (!cookies)
			return -ENOMEM;
		max_cookies = n;
		return cmd_newsrc(n, true);
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].fn(n);
	return -EOPNOTSUPP;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[64], cmd[32];
	u32 n = 0;
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%31s %u", cmd, &n) < 1)
		return -EINVAL;
	mutex_lock(&bench_lock);
	out_len = 0;
	out[0] = '\0';
	err = bench_run(cmd, n);
	mutex_unlock(&bench_lock);
	return err ?: count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, out, out_len);
	mutex_unlock(&bench_lock);
	return ret;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.write = ctl_write,
	.read = ctl_read,
	.llseek = default_llseek,
};

static struct dentry *bench_dir;

static int __init mgm_bench_init(void)
{
	if (!small || small > 0x10000 || !tries)
		return -EINVAL;
	bench_dir = debugfs_create_dir("mgm_bench", NULL);
	debugfs_create_file("ctl", 0600, bench_dir, NULL, &ctl_fops);
	return 0;
}

static void __exit mgm_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	mutex_lock(&bench_lock);
	bench_teardown();
	mutex_unlock(&bench_lock);
	kvfree(cookies);
}

module_init(mgm_bench_init);
module_exit(mgm_bench_exit);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark of the Multicast Group Manager engine (make bench)");
