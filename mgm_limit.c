// SPDX-License-Identifier: GPL-2.0
/*
 * How much state one network namespace may hold, and the counters of what
 * the limits turned away.
 *
 * A router faces the network: every new (source, group) that any host
 * sends makes a pending flow and an MFE.  And the netlink family is open
 * to the root of a user namespace in its own network namespace: every
 * registration, membership and next hop it asks for is kernel memory.  So
 * each kind has a limit per netns; the defaults fit a large router.  A
 * request past a limit gets -ENOSPC and an extack naming it; traffic past
 * one is dropped, or a negative MFE (one that forwards nothing) makes
 * room.  Either way the counter of that limit moves.
 *
 * The admin of a netns may lower its limits; raising one needs
 * CAP_NET_ADMIN in the initial user namespace, so that a tenant cannot
 * lift the bounds the host set for it.
 */
#include <linux/netlink.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "mgm_core.h"

#define MGM_LIMIT_MFES		262144
#define MGM_LIMIT_PENDING	65536
#define MGM_LIMIT_QUESTIONS	65536
#define MGM_LIMIT_MEMBERS	262144
#define MGM_LIMIT_PROTOCOLS	4096
#define MGM_LIMIT_NEXTHOPS	4096
#define MGM_LIMIT_UPCALLS	65536	/* per second, and as a burst */

void mgm_limits_init(struct mgm_limits *limits)
{
	*limits = (struct mgm_limits) {
		.mfes = MGM_LIMIT_MFES,
		.pending = MGM_LIMIT_PENDING,
		.questions = MGM_LIMIT_QUESTIONS,
		.members = MGM_LIMIT_MEMBERS,
		.protocols = MGM_LIMIT_PROTOCOLS,
		.nexthops = MGM_LIMIT_NEXTHOPS,
		.upcalls = MGM_LIMIT_UPCALLS,
	};
}
EXPORT_SYMBOL_IF_KUNIT(mgm_limits_init);

/*
 * Set the limits of @net that @limits gives (0: unchanged).  Without
 * @may_raise, none may go up: -EPERM, nothing changes, and *@bad says
 * which one (its index in struct mgm_limits).
 */
int mgm_set_limits(struct net *net, const struct mgm_limits *limits,
		   bool may_raise, int *bad, struct netlink_ext_ack *extack)
{
	struct mgm_limits want = *limits;
	struct mgm_net *mn = mgm_pernet(net);
	u32 *cur = mgm_limits_array(&mn->limits);
	u32 *new = mgm_limits_array(&want);
	unsigned int i;
	int err;

	err = mgm_lock(mn, extack);
	if (err)
		return err;
	for (i = 0; i < MGM_N_LIMITS; i++) {
		if (!may_raise && new[i] > cur[i]) {
			NL_SET_ERR_MSG_MOD(extack,
					   "limits: raising a limit needs CAP_NET_ADMIN in the initial user namespace (lowering one does not)");
			*bad = i;
			err = -EPERM;
			goto unlock;
		}
	}
	for (i = 0; i < MGM_N_LIMITS; i++)
		if (new[i])
			cur[i] = new[i];
unlock:
	mutex_unlock(&mn->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_set_limits);

/*
 * The counters go to the monitor when a limit turns something away, at
 * most once a second: a flood is seen as it starts, not packet by packet.
 */
void mgm_limit_hit(struct mgm_net *mn, u64 *counter)
{
	u64 now = mgm_now(mn), last = mn->limits_event_time;

	lockdep_assert_held(&mn->lock);
	(*counter)++;
	if (last && now >= last && now - last < MSEC_PER_SEC)
		return;
	mn->limits_event_time = now;
	mgm_limits_event(mn);
}

/*
 * Every new source and wrong-interface packet the forwarder reports costs
 * the engine a lock, a route lookup and maybe questions: a flood of them
 * is handled at limits.upcalls per second, with a burst of as many (a
 * router coming back sees a burst of new flows), and the rest dropped and
 * counted.  ipmr asks again for a new source when its unresolved entry
 * expired (10 s).  Called with mn->lock held.
 */
bool mgm_upcall_allow(struct mgm_net *mn)
{
	u64 rate = mn->limits.upcalls, now = mgm_now(mn), add;
	u64 elapsed = now - mn->upcall_time;

	lockdep_assert_held(&mn->lock);
	/* a second (or a clock set back) refills the bucket */
	if (elapsed >= MSEC_PER_SEC || now < mn->upcall_time) {
		mn->upcall_tokens = rate;
		mn->upcall_time = now;
	} else {
		add = div_u64(elapsed * rate, MSEC_PER_SEC);
		if (add) {
			mn->upcall_tokens = min(mn->upcall_tokens + add, rate);
			mn->upcall_time = now;
		}
	}
	if (!mn->upcall_tokens) {
		mgm_limit_hit(mn, &mn->counters.upcall_drops);
		return false;
	}
	mn->upcall_tokens--;
	return true;
}

void mgm_get_stats(struct net *net, struct mgm_limits *limits,
		   struct mgm_limits *usage, struct mgm_counters *counters)
{
	struct mgm_net *mn = mgm_pernet(net);
	struct mgm_protocol *p;
	unsigned long idx;
	void *entry;

	mutex_lock(&mn->lock);
	*limits = mn->limits;
	*counters = mn->counters;
	*usage = (struct mgm_limits) {
		.mfes = mn->n_mfes,
		.pending = mn->n_newsrcs,
		.protocols = mn->n_protocols,
		/* of the current second's burst */
		.upcalls = mn->limits.upcalls > mn->upcall_tokens ?
			   mn->limits.upcalls - mn->upcall_tokens : 0,
	};
	/* the per-protocol and per-ifindex ones: the fullest */
	xa_for_each(&mn->protocols, idx, p) {
		usage->questions = max(usage->questions, p->n_requests);
		usage->members = max(usage->members, p->n_members);
	}
	xa_for_each(&mn->ifindex_records, idx, entry)
		usage->nexthops = max_t(u32, usage->nexthops,
					xa_to_value(entry));
	mutex_unlock(&mn->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_get_stats);
