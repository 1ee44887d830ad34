/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small helper layer over libmnl for the userspace tools of the "mgm"
 * generic netlink family (mgmctl, mgm-staticd): one socket with the family
 * resolved, requests with their replies and extended acks, and the tables
 * of the family's commands and attributes (mgm_names.c, generated from
 * tools/spec/mgm.yaml: names, and how to read each attribute) so that
 * messages can be printed generically.
 */
#ifndef MGM_NL_H
#define MGM_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/mgm.h>

struct mgm_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint16_t family;
	uint32_t monitor_grp;
	uint32_t seq;
	char buf[65536];	/* dumps fill up to 32 KiB per datagram */
};

/* The result of a request: 0 or a positive errno, and the extended ack. */
struct mgm_err {
	int err;
	char msg[256];
	int missing;		/* attribute the kernel named as missing */
	int bad_attr;		/* attribute at the offset the kernel named */
};

/* How an attribute's payload reads. */
enum mgm_kind {
	MGM_K_NONE,
	MGM_K_U8,
	MGM_K_U32,
	MGM_K_U64,
	MGM_K_IPV4,		/* u32, network byte order */
	MGM_K_IFINDEX,		/* u32, shown with the interface's name */
	MGM_K_FLAG,
	MGM_K_BINARY,
	MGM_K_OIF,		/* nested enum mgm_oif_attrs, repeated */
	MGM_K_NEST,		/* nested, another attribute set */
};

struct mgm_attr_info {
	const char *name;
	enum mgm_kind kind;
};

extern const struct mgm_attr_info mgm_attr_info[MGM_A_MAX + 1];
extern const struct mgm_attr_info mgm_oif_attr_info[MGM_OIF_A_MAX + 1];
/* the limits (enum mgm_limit_attrs) and counters (mgm_counter_attrs) */
extern const char * const mgm_limit_names[MGM_LIMIT_A_MAX + 1];
extern const char * const mgm_counter_names[MGM_COUNTER_A_MAX + 1];
extern const char * const mgm_cmd_names[MGM_CMD_MAX + 1];
/* the IGMP component's configuration and state (igmp-get) */
extern const char * const mgm_igmp_names[MGM_IGMP_A_MAX + 1];
extern const char * const mgm_igmp_state_names[MGM_IGMP_STATE_A_MAX + 1];

/* Called for each message; return MNL_CB_OK to go on. */
typedef int (*mgm_nl_cb)(const struct nlmsghdr *nlh, bool multicast,
			 void *data);

const char *mgm_cmd_name(unsigned int cmd);
const char *mgm_errno_name(int err);

/* Open the socket and resolve the family; -ENOENT if mgm is not loaded. */
int mgm_nl_open(struct mgm_nl *nl);
/* The same in two steps: a socket now, the family when it is needed. */
int mgm_nl_socket(struct mgm_nl *nl);
int mgm_nl_resolve(struct mgm_nl *nl);
void mgm_nl_close(struct mgm_nl *nl);
int mgm_nl_fd(const struct mgm_nl *nl);
int mgm_nl_join_monitor(struct mgm_nl *nl);

/* A request of the family in @buf (MNL_SOCKET_BUFFER_SIZE bytes). */
struct nlmsghdr *mgm_nl_request(struct mgm_nl *nl, void *buf, uint8_t cmd,
				uint16_t flags);

/*
 * Send @req and read until its ack or the end of its dump: @reply gets the
 * replies, @other everything else that arrives meanwhile (notifications,
 * monitor events, acks of other requests); either may be NULL.  Returns 0
 * when the exchange completed (the kernel's verdict is in @err), or a
 * negative errno of the socket.
 */
int mgm_nl_transact(struct mgm_nl *nl, struct nlmsghdr *req, mgm_nl_cb reply,
		    mgm_nl_cb other, void *data, struct mgm_err *err);

/* Send @req without waiting: its ack comes to a later @other callback. */
int mgm_nl_send(struct mgm_nl *nl, struct nlmsghdr *req);

/* Read one datagram and pass each message to @cb. */
int mgm_nl_recv(struct mgm_nl *nl, mgm_nl_cb cb, void *data);
/* The same with recvfrom()'s @flags: MSG_DONTWAIT returns -EAGAIN. */
int mgm_nl_recv_flags(struct mgm_nl *nl, int flags, mgm_nl_cb cb,
		      void *data);

/*
 * The attributes of a family message in @tb (MGM_A_MAX + 1 entries), those
 * of the wrong size left out; for MGM_A_OIF, the last one (walk them with
 * mnl_attr_for_each).  Returns the genetlink command.
 */
int mgm_nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
/* The same for one MGM_A_OIF (MGM_OIF_A_MAX + 1 entries). */
void mgm_nl_parse_oif(const struct nlattr *oif, const struct nlattr **tb);

/* The error carried by an NLMSG_ERROR message, with its extended ack. */
void mgm_nl_parse_error(const struct nlmsghdr *nlh,
			const struct nlmsghdr *req, struct mgm_err *err);

/* "MSG (ENAME)" or "strerror (ENAME)" for errno @err, in @buf. */
const char *mgm_err_str(int err, const char *msg, char *buf, size_t size);

/*
 * A batch of requests sent with one sendmsg, as iproute2's -batch sends
 * many: every request but the last goes without NLM_F_ACK, so the kernel
 * answers only those that fail (netlink acks a request without the flag
 * only with an error), and the last one's ack comes after the errors of
 * all the others, because the kernel handles the messages of a datagram
 * one after the other.  A thousand memberships cost a few round trips
 * instead of a thousand.
 *
 * Only requests whose one answer is their ack belong in a batch: the
 * start of a dump is never acked, and a reply would go to @other.  The
 * callbacks must not add to the batch that is being sent.
 */
#define MGM_BATCH_BYTES		32768	/* sent at once, at most */

/* A request of the batch failed: @err is the kernel's NLMSG_ERROR. */
typedef void (*mgm_batch_cb)(const struct nlmsghdr *err,
			     const struct nlmsghdr *req, void *data);

struct mgm_batch {
	struct mgm_nl *nl;
	mgm_batch_cb failed;	/* for each request that failed */
	mgm_nl_cb other;	/* what else arrives meanwhile; may be NULL */
	void *data;
	unsigned long n_failed;	/* since mgm_batch_init */
	size_t len;		/* the requests' bytes */
	size_t last;		/* where the last request starts */
	char buf[MGM_BATCH_BYTES];
};

void mgm_batch_init(struct mgm_batch *b, struct mgm_nl *nl,
		    mgm_batch_cb failed, mgm_nl_cb other, void *data);
/*
 * A copy of @req (from mgm_nl_request, its flags 0) at the end of the
 * batch; a batch without room for it is sent first.  Returns 0, what that
 * mgm_batch_flush() returned, or -EMSGSIZE for a request larger than any
 * batch.
 */
int mgm_batch_add(struct mgm_batch *b, const struct nlmsghdr *req);
/*
 * Send the batch and read until the kernel has handled all of it, the
 * failed requests going to @failed (and counted in @n_failed).  Returns 0,
 * or a negative errno of the socket: then how the requests not answered
 * yet fared is unknown (-ENOBUFS: answers were lost).  An empty batch
 * sends nothing.
 */
int mgm_batch_flush(struct mgm_batch *b);
/* Requests are waiting to be sent. */
static inline bool mgm_batch_pending(const struct mgm_batch *b)
{
	return b->len;
}

#endif /* MGM_NL_H */
