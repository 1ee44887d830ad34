/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmgm: a multicast routing daemon's side of the Multicast Group
 * Manager (libmgm(3), Documentation/mgm.rst).
 *
 * A daemon opens one connection (a generic netlink socket), registers one
 * or more protocols on it, each with a callbacks struct that mirrors the
 * nine callbacks of RFC 2715's MGM, and from then on polls mgm_fd() in its
 * own loop and calls mgm_dispatch() when it is readable.  Questions (rpf,
 * creation alert, prune alert) are answered from inside their callback or
 * later with mgm_answer_*(); answers are queued and go out together, one
 * datagram for many, at the end of mgm_dispatch() or with mgm_flush().
 *
 * Requests (register, take, release, memberships, enumerations) wait for
 * the kernel's verdict and return 0 or a negative errno, with the kernel's
 * extended ack in *err when err is not NULL.  What arrives for the
 * callbacks meanwhile is kept and passed on before the request returns,
 * so a callback may itself make requests.  Callbacks never nest: one
 * made from inside a callback runs after it returns.  Addresses are IPv4, in network
 * byte order; a source or group of 0 means any.
 *
 * One connection is for one thread at a time.
 */
#ifndef LIBMGM_H
#define LIBMGM_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/mgm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mgm;

/* The kernel's verdict: errno (positive) and its extended ack. */
struct mgm_error {
	int err;		/* 0: no error */
	char msg[256];		/* the kernel's message, "" if none */
	char attr[32];		/* the attribute it named, "" if none */
};

struct mgm_sg {
	uint32_t source;
	uint32_t group;
};

/* An interface: ifindex, and the next hop on a point-to-multipoint one. */
struct mgm_if {
	uint32_t ifindex;
	uint32_t nexthop;
};

/* An interface of a creation alert or of an MFE's outgoing list. */
struct mgm_oif {
	struct mgm_if ifp;
	bool igmp;		/* IGMP runs there (creation alerts) */
};

struct mgm_rpf_question {
	uint64_t cookie;
	struct mgm_sg sg;
	struct mgm_if iif;		/* the route lookup's proposal */
	uint32_t upstream;
	uint32_t route_prefix;
	uint8_t route_prefix_len;
	uint8_t route_protocol;		/* RTPROT_* */
	const void *packet;		/* its first bytes, IP header first */
	unsigned int packet_len;
};

struct mgm_creation_question {
	uint64_t cookie;
	struct mgm_sg sg;
	struct mgm_if iif;
	unsigned int n_oifs;
	const struct mgm_oif *oifs;	/* the interfaces asked about */
};

struct mgm_prune_alert {
	uint64_t cookie;	/* 0: a membership went, nothing to answer */
	struct mgm_sg sg;
	struct mgm_if oif;
	uint32_t timeout;	/* the default lifetime (seconds) */
};

/*
 * The nine callbacks; any may be NULL.  A NULL rpf, creation_alert or
 * prune_alert makes that question's default answer standing (set-answers,
 * MGM_ANSWER_*): MGM then takes it without asking.  The pointers a
 * callback gets are valid until it returns.  @handle says which of the
 * connection's registrations it is for; @arg is mgm_register()'s.
 */
struct mgm_callbacks {
	void (*rpf)(struct mgm *m, uint32_t handle,
		    const struct mgm_rpf_question *q, void *arg);
	void (*creation_alert)(struct mgm *m, uint32_t handle,
			       const struct mgm_creation_question *q,
			       void *arg);
	void (*prune_alert)(struct mgm *m, uint32_t handle,
			    const struct mgm_prune_alert *a, void *arg);
	void (*join_alert)(struct mgm *m, uint32_t handle,
			   const struct mgm_sg *sg, bool member_update,
			   void *arg);
	void (*wrong_if)(struct mgm *m, uint32_t handle,
			 const struct mgm_sg *sg, const struct mgm_if *ifp,
			 const void *packet, unsigned int packet_len,
			 void *arg);
	void (*local_join)(struct mgm *m, uint32_t handle,
			   const struct mgm_sg *sg, const struct mgm_if *ifp,
			   void *arg);
	void (*local_leave)(struct mgm *m, uint32_t handle,
			    const struct mgm_sg *sg, const struct mgm_if *ifp,
			    void *arg);
	void (*disable_igmp)(struct mgm *m, uint32_t handle,
			     const struct mgm_if *ifp, void *arg);
	void (*enable_igmp)(struct mgm *m, uint32_t handle,
			    const struct mgm_if *ifp, void *arg);
	/*
	 * A queued answer the kernel refused (its deadline had passed,
	 * say): the question's cookie, and the kernel's verdict.
	 */
	void (*answer_failed)(struct mgm *m, uint32_t handle, uint64_t cookie,
			      const struct mgm_error *err, void *arg);
};

/* A connection; NULL with *err set (ENOENT: mgm is not loaded). */
struct mgm *mgm_open(struct mgm_error *err);
/*
 * Closes the socket: registrations with a hold time are held.  Not from
 * inside a callback or an enumeration: @m is freed.
 */
void mgm_close(struct mgm *m);

/*
 * The event loop hook: poll mgm_fd() for POLLIN, then mgm_dispatch(): it
 * reads what is there without blocking, calls back, and sends the answers
 * queued.  Returns 0, or a negative errno: -ENOBUFS when messages were
 * lost, the socket's overflow or libmgm's queue full (4096 kept while
 * requests ran): a lost question takes its default, at once (the socket,
 * counted in question-overruns) or at its deadline (the queue).  The
 * daemon goes on.
 */
int mgm_fd(const struct mgm *m);
int mgm_dispatch(struct mgm *m);

struct mgm_register_opts {
	uint32_t hold_time;	/* graceful restart, seconds; 0: none */
	uint32_t answers;	/* MGM_ANSWER_* standing from the start */
};

/*
 * Register (@protocol, @component); @opts may be NULL.  *@resync is set
 * when a held registration was taken over: *@handle is its handle, and
 * what it held is stale until confirmed by mgm_take() and
 * mgm_add_membership(), or until mgm_resync_end() (mgm.rst, "Graceful
 * restart").  @cb is used, not copied: it must outlive the registration.
 * Nothing is registered when it fails, except a takeover whose standing
 * answers could not be set and that still owns interfaces: *@handle
 * then names it, for the caller to release and deregister.
 */
int mgm_register(struct mgm *m, uint32_t protocol, uint32_t component,
		 const struct mgm_register_opts *opts,
		 const struct mgm_callbacks *cb, void *arg,
		 uint32_t *handle, bool *resync, struct mgm_error *err);
int mgm_deregister(struct mgm *m, uint32_t handle, struct mgm_error *err);
int mgm_resync_end(struct mgm *m, uint32_t handle, struct mgm_error *err);
int mgm_set_answers(struct mgm *m, uint32_t handle, uint32_t answers,
		    struct mgm_error *err);

int mgm_take(struct mgm *m, uint32_t handle, const struct mgm_if *ifp,
	     struct mgm_error *err);
int mgm_release(struct mgm *m, uint32_t handle, const struct mgm_if *ifp,
		struct mgm_error *err);
/* @flags: MGM_FLAG_JOIN_STATE and/or MGM_FLAG_FORWARD_STATE */
int mgm_add_membership(struct mgm *m, uint32_t handle,
		       const struct mgm_sg *sg, const struct mgm_if *ifp,
		       uint32_t flags, struct mgm_error *err);
int mgm_delete_membership(struct mgm *m, uint32_t handle,
			  const struct mgm_sg *sg, const struct mgm_if *ifp,
			  uint32_t flags, struct mgm_error *err);

/*
 * Answers, queued; sent at the end of mgm_dispatch(), of a request, or
 * by mgm_flush().  A refused one comes to the answer_failed callback.
 * -ENOMEM or -EMSGSIZE if it could not be queued.
 */
int mgm_answer_rpf(struct mgm *m, uint32_t handle, uint64_t cookie,
		   const struct mgm_if *iif, uint32_t upstream);
/* @disabled: the interfaces asked about that are not to forward, at
 * most MGM_REPLY_OIFS_MAX (-EINVAL past it)
 */
int mgm_answer_creation(struct mgm *m, uint32_t handle, uint64_t cookie,
			unsigned int n_disabled,
			const struct mgm_if *disabled);
/* @timeout: the MFE's lifetime in seconds, 0: it does not age */
int mgm_answer_prune(struct mgm *m, uint32_t handle, uint64_t cookie,
		     uint32_t timeout);
int mgm_flush(struct mgm *m);

/* A forwarding entry, as get-mfe lists it. */
struct mgm_mfe {
	struct mgm_sg sg;
	struct mgm_if iif;		/* ifindex 0: no route to the source */
	uint32_t iif_protocol;
	uint32_t upstream;
	uint32_t route_prefix;
	uint8_t route_prefix_len;
	uint8_t route_protocol;
	uint32_t uptime;		/* seconds */
	uint32_t expiry;		/* seconds left, 0: does not age */
	uint32_t timeout;
	unsigned int n_oifs;
	const struct mgm_oif *oifs;
	bool has_stats;			/* the next three are set */
	uint64_t pkts, bytes, wrong_if;
};

/*
 * Enumerations: @fn for each entry, in the kernel's order; a nonzero
 * return stops the walk and is returned.  Callbacks that arrive
 * meanwhile wait until the walk is over.
 */
int mgm_each_mfe(struct mgm *m, bool stats,
		 int (*fn)(const struct mgm_mfe *e, void *arg), void *arg,
		 struct mgm_error *err);
/* every membership key, or (@all_sources false) one entry per group */
int mgm_each_group(struct mgm *m, bool all_sources,
		   int (*fn)(const struct mgm_sg *sg, void *arg), void *arg,
		   struct mgm_error *err);
/* the memberships of @handle; stale: held from before a restart */
int mgm_each_membership(struct mgm *m, uint32_t handle,
			int (*fn)(const struct mgm_sg *sg,
				  const struct mgm_if *ifp, bool stale,
				  void *arg),
			void *arg, struct mgm_error *err);

/* "MSG (ENAME)" or "strerror (ENAME)" for @err, in @buf. */
const char *mgm_strerror(const struct mgm_error *err, char *buf,
			 unsigned long size);

#ifdef __cplusplus
}
#endif

#endif /* LIBMGM_H */
