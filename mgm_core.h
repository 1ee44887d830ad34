/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core (mgm_core.c): the per-netns state, its lock, lookups, and the
 * dispatch of callbacks, monitor events and forwarder calls.  Writers hold
 * mgm_net.lock; readers may use RCU instead.  Each file above the core has
 * a header of its own for what the others may call (mgm_protocol.h,
 * mgm_member.h, mgm_mfe.h, mgm_newsrc.h, mgm_route.h, mgm_limit.h,
 * mgm_ipmr.h, mgm_netlink.h); protocol modules see include/net/mgm.h only.
 *
 * Comments cite the behaviour they implement as (mgm.rst, "Section"): a
 * section of Documentation/mgm.rst, which describes it for users.
 */
#ifndef _MGM_CORE_H
#define _MGM_CORE_H

#include <linux/hashtable.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "mgm_compat.h"
#include <net/mgm.h>
#include "mgm_forwarder.h"
#include "mgm_limit.h"

struct mgm_mfe;

struct mgm_protocol {
	u32 handle;
	u32 protocol_id;
	u32 component_id;
	const struct mgm_protocol_ops *ops;
	void *priv;
	/* interfaces this protocol owns or co-owns (as IGMP) */
	unsigned int n_ifs;
	/* MGM_ANSWER_*: what MGM takes without asking; READ_ONCE in dumps */
	u32 answers;
	/* the memberships it added, against mgm_limits.members */
	unsigned int n_members;
	/* its questions not answered yet (mgm_newsrc.c's mgm_request.p_node) */
	struct list_head requests;
	unsigned int n_requests;
	/*
	 * Graceful restart (mgm.rst, "Graceful restart"): MGM_PROTOCOL_STATE_*,
	 * the jiffies at which a hold or resync ends, and the standing answers
	 * a hold replaced.  READ_ONCE in dumps.
	 */
	u8 state;
	unsigned long state_until;
	u32 held_answers;
	struct rcu_head rcu;
};

/*
 * An interface record exists while at least one protocol owns it.  It
 * holds its netdev, so that an ifindex that a new netdev takes over before
 * the netdev work ran is not taken for the old one's.
 */
struct mgm_if {
	struct hlist_node node;
	u32 ifindex;
	__be32 nexthop;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct mgm_protocol __rcu *owner;	/* routing protocol */
	struct mgm_protocol __rcu *igmp;	/* IGMP co-owner */
	/* IGMP is between its disable and enable callbacks here */
	bool igmp_disabled;
	/* held from before a restart, not confirmed by a resync yet */
	bool owner_stale;
	bool igmp_stale;
	/* writer-side indexes, so a release touches only its own state */
	struct list_head mfes_in;	/* mgm_mfe.iif_node */
	struct list_head mfes_out;	/* mgm_oif_ref.node */
	struct list_head members;	/* mgm_member.if_node */
	struct list_head decisions;	/* mgm_decision.if_node */
	struct rcu_head rcu;
};

struct mgm_wrongif_slot;

/* An IPv4 prefix whose routes changed, host order (mgm_route.c). */
struct mgm_prefix {
	u32 addr;
	u8 len;
};

/* How many such prefixes a pass of route changes keeps apart */
#define MGM_ROUTE_CHANGES	16

struct mgm_net {
	struct net *net;
	struct mutex lock;		/* serializes every change */
	/* the task running a callback, to refuse re-entry instead of deadlock */
	struct task_struct *cb_task;
	/*
	 * The request whose walk over many MFEs let go of the lock between
	 * batches; other changes of protocols, interfaces and memberships
	 * wait on walk_wait until it is done (mgm_lock_excl()).
	 */
	struct task_struct *walker;
	wait_queue_head_t walk_wait;
	unsigned long walk_breaks;	/* for the tests: batches let go of */
	/* set under RTNL by the exit: no netdev work is queued after it */
	bool netdevs_closed;
	bool dead;
	struct xarray protocols;		/* handle -> mgm_protocol */
	u32 next_handle;
	struct mgm_protocol *igmp;		/* the IGMP component, if any */
	DECLARE_HASHTABLE(ifs, 8);		/* mgm_if by ifindex */
	/* MFEs keyed by mgm_mfe_key(): sorted by group, then source */
	struct maple_tree mfes;
	unsigned long n_mfes;
	struct list_head mfes_unowned;		/* MFEs whose IIF nobody owns */
	/* the same MFEs by mgm_mfe_source_key(): sorted by source, then group */
	struct rb_root mfes_by_source;
	/* MFEs deleted so far: a walk's next entry may be one of them */
	unsigned long mfes_deleted;
	/* MFEs that forward nothing, the first to go when MFEs run out */
	struct list_head mfes_negative;
	unsigned int n_protocols;
	unsigned int n_newsrcs;
	/* ifindex -> how many records (next hops) it has, as an xa value */
	struct xarray ifindex_records;
	struct mgm_limits limits;
	struct mgm_counters counters;
	/* the forwarder's reports: a token bucket of limits.upcalls per s */
	u64 upcall_tokens;
	u64 upcall_time;			/* ms, when last refilled */
	u64 limits_event_time;			/* ms, last limits-hit event */
	struct rb_root expiry;			/* MFEs by expiry time */
	/* memberships: by (key, interface, adder), and keys in MFE order */
	struct rhashtable members;
	struct maple_tree mkeys;
	unsigned long n_members;
	struct list_head newsrcs;		/* new-source flows under way */
	struct rhashtable newsrcs_by_sg;	/* the same, by mgm_mfe_key() */
	struct list_head requests;		/* questions, by deadline */
	struct xarray requests_by_cookie;	/* the same, by cookie */
	u64 next_cookie;
	/* recent wrong-interface reports, for rate limiting */
	struct mgm_wrongif_slot *wrongif;
	struct work_struct netdev_work;
	struct delayed_work timer_work;
	/*
	 * IPv4 route changes, for the RPF checks of existing MFEs (mgm.rst,
	 * "Route changes")
	 */
	struct notifier_block fib_nb;
	struct delayed_work route_work;
	/* the prefixes that changed since the last pass (mgm_route.c) */
	spinlock_t route_lock;
	unsigned int n_route_changes;
	struct mgm_prefix route_changes[MGM_ROUTE_CHANGES];
	/* replaceable by tests: the clock (ms) and the RPF route lookup */
	u64 (*clock)(void);
	int (*rpf_lookup)(struct mgm_net *mn, __be32 source,
			  struct mgm_rpf *rpf);
};

struct mgm_net *mgm_pernet(const struct net *net);
/* MGM's workqueue, for everything that must not run under RTNL. */
struct workqueue_struct *mgm_workqueue(void);

struct mgm_if *mgm_if_lookup_rcu(struct mgm_net *mn, u32 ifindex,
				 __be32 nexthop);
struct mgm_protocol *mgm_protocol_lookup_rcu(struct mgm_net *mn, u32 handle);

/*
 * Monitor: the core reports each change as the uapi notification command
 * that describes it (MGM_CMD_PROTOCOL_NEW, ...).  Called with mn->lock held.
 */
struct mgm_monitor_ops {
	void (*event)(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
		      u32 ifindex, __be32 nexthop);
	/* MGM_CMD_MEMBERSHIP_NEW/_DEL, by @p */
	void (*member_event)(struct mgm_net *mn, u8 cmd,
			     const struct mgm_protocol *p,
			     const struct mgm_sg *sg, u32 ifindex,
			     __be32 nexthop);
	/* MGM_CMD_MFE_NEW/_CHANGE/_DEL */
	void (*mfe_event)(struct mgm_net *mn, u8 cmd, const struct mgm_mfe *mfe);
	/* MGM_CMD_LIMITS_HIT: mn->counters moved */
	void (*limits_event)(struct mgm_net *mn);
	/*
	 * Send what the callbacks left waiting (netlink registrations queue
	 * their notifications): the end of a burst, without mn->lock.
	 */
	void (*flush)(void);
};

void mgm_set_monitor(const struct mgm_monitor_ops *ops);

/* ---- between the core's own files ---------------------------------------- */

void mgm_callback_enter(struct mgm_net *mn);
void mgm_callback_exit(struct mgm_net *mn);
int mgm_lock_slow(struct mgm_net *mn, struct netlink_ext_ack *extack,
		  unsigned long caller);

/* Refuses re-entry from a callback; inlined so the warning names the caller. */
static __always_inline int mgm_lock(struct mgm_net *mn,
				    struct netlink_ext_ack *extack)
{
	return mgm_lock_slow(mn, extack, _RET_IP_);
}

void mgm_walk_wait(struct mgm_net *mn);

/*
 * mgm_lock() for the requests that change protocols, interfaces or
 * memberships: they also wait for another request's walk to end.
 */
static __always_inline int mgm_lock_excl(struct mgm_net *mn,
					 struct netlink_ext_ack *extack)
{
	int err = mgm_lock_slow(mn, extack, _RET_IP_);

	if (err)
		return err;
	mgm_walk_wait(mn);
	if (mn->dead) {
		mutex_unlock(&mn->lock);
		NL_SET_ERR_MSG_MOD(extack, "the network namespace is going away");
		return -ENODEV;
	}
	return 0;
}

struct mgm_protocol *mgm_protocol_get(struct mgm_net *mn, u32 handle,
				      struct netlink_ext_ack *extack);
void mgm_mtree_erase(struct maple_tree *mt, unsigned long index);

static inline struct mgm_protocol *mgm_if_owner(struct mgm_net *mn,
						const struct mgm_if *ifp)
{
	return rcu_dereference_protected(ifp->owner, lockdep_is_held(&mn->lock));
}

static inline struct mgm_protocol *mgm_if_igmp(struct mgm_net *mn,
					       const struct mgm_if *ifp)
{
	return rcu_dereference_protected(ifp->igmp, lockdep_is_held(&mn->lock));
}

/*
 * Who speaks for an interface: its routing protocol, else IGMP (mgm.rst, "Who
 * counts as the client").
 */
static inline struct mgm_protocol *mgm_if_speaker(struct mgm_net *mn,
						  const struct mgm_if *ifp)
{
	return mgm_if_owner(mn, ifp) ?: mgm_if_igmp(mn, ifp);
}

/* Whether @p is to be asked: it has the callback and no standing answer. */
static inline bool mgm_asks(const struct mgm_protocol *p, const void *cb,
			    u32 answer)
{
	return cb && !(p->answers & answer);
}

static inline u64 mgm_now(struct mgm_net *mn)
{
	return mn->clock();
}

/*
 * The walks over a whole table (route changes, expiry bursts) let go of
 * mn->lock every MGM_BATCH entries, so that at a million MFEs no request,
 * upcall or other netns's work waits for all of them (about a millisecond
 * of work per batch).  Returns false when the netns went away meanwhile.
 */
#define MGM_BATCH	256

static inline bool mgm_lock_break(struct mgm_net *mn, unsigned int *n)
{
	if (++*n < MGM_BATCH)
		return true;
	*n = 0;
	mutex_unlock(&mn->lock);
	cond_resched();
	mutex_lock(&mn->lock);
	return !mn->dead;
}

/*
 * The same for a request's walk over the MFEs a membership matches (all
 * of them for (*,*)): meanwhile upcalls, answers, timers and route changes
 * go on, which change MFEs only (the walk's cursor is a key, not a
 * pointer); changes of protocols, interfaces and memberships, on which the
 * walk relies, wait for mgm_walk_end() (mgm_lock_excl()).
 */
void mgm_walk_break(struct mgm_net *mn, unsigned int *n);
void mgm_walk_end(struct mgm_net *mn);

/* Callback dispatch and monitor events (mgm_core.c). */
void mgm_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
	       const struct mgm_if *ifp);
void mgm_member_event(struct mgm_net *mn, u8 cmd, const struct mgm_protocol *p,
		      const struct mgm_sg *sg, const struct mgm_if *ifp);
void mgm_mfe_event(struct mgm_net *mn, u8 cmd, const struct mgm_mfe *mfe);
void mgm_limits_event(struct mgm_net *mn);
void mgm_notify_flush(void);
void mgm_join_alert(struct mgm_net *mn, struct mgm_protocol *p,
		    const struct mgm_sg *sg, bool member_update);
void mgm_prune_alert(struct mgm_net *mn, struct mgm_protocol *p,
		     const struct mgm_sg *sg, u32 ifindex, __be32 nexthop);
int mgm_fwd_if_add(struct mgm_net *mn, u32 ifindex,
		   struct netlink_ext_ack *extack);
void mgm_fwd_if_del(struct mgm_net *mn, u32 ifindex, bool dev_gone);

#endif /* _MGM_CORE_H */
