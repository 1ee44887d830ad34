// SPDX-License-Identifier: GPL-2.0
/*
 * mgm-client: a small, scriptable client of the "mgm" generic netlink family,
 * written as a test driver.  A registration belongs to its netlink socket,
 * so a whole sequence of commands runs on one socket:
 *
 *   mgm-client COMMAND [ARG...]          one command
 *   mgm-client run 'COMMAND ARG...' ...  a sequence
 *   mgm-client run                       the commands read from stdin, one
 *                                        at a time, while what arrives on
 *                                        the socket is printed (and
 *                                        answered) as it comes
 *
 * Commands (IF is an ifindex or an interface name, NH, S, G and A dotted
 * IPv4 addresses, "*" for 0.0.0.0):
 *   register PROTO COMP [VAR]   register; the handle goes to $VAR (default H)
 *   register-hold PROTO COMP SECS [VAR]   the same with a hold time: MGM
 *                               keeps the state SECS after the socket
 *                               closes, for a register of the same pair
 *   resync-end H                end a resync now
 *   memberships H               get-membership dump: what H added
 *   deregister H
 *   take H IF [NH]              take-interface
 *   release H IF [NH]           release-interface
 *   owner IF [NH]               get-interface
 *   interfaces                  get-interface dump
 *   protocols                   get-protocol dump
 *   add H S G IF [NH [FLAGS]]   add-membership, masks derived from S and G;
 *                               FLAGS join (default), forward, both or a
 *                               number
 *   del H S G IF [NH [FLAGS]]   delete-membership
 *   set-mfe H S G A             set the MFE's upstream neighbour to A
 *   mfe S G [stats]             get-mfe
 *   mfes [stats]                get-mfe dump
 *   groups [any|all]            get-group dump
 *   answer rpf silent | answer rpf [iif=IF] [iif-nexthop=NH] [upstream=A]
 *   answer creation silent | accept | disable [IF...]
 *   answer prune silent | SECS
 *   answer delay SECS | answer acks on|off
 *                               how this socket answers the questions to its
 *                               registrations while it waits (hold, or
 *                               between the lines of stdin): rpf with what
 *                               the question proposed but for what is
 *                               given; creation with every interface, or
 *                               every one or those listed disabled; prune
 *                               with a timeout; each after a delay.  By
 *                               default nobody answers.  The answers due
 *                               go in the order the questions came, up to
 *                               64 replies to a sendmsg; with acks off
 *                               only a failed one is acked (and printed),
 *                               as iproute2's -batch does.
 *   answered                    how many answers were sent
 *   received                    how many datagrams and messages arrived
 *                               on the socket (MGM sends notifications
 *                               several to a datagram)
 *   batch on|off                with on, the requests whose one answer is
 *                               their ack (deregister, take, release, add,
 *                               del, set-mfe) are queued and sent together,
 *                               up to 32 KiB to a sendmsg, acked only when
 *                               they fail (tools/lib's mgm_batch): a
 *                               success prints nothing, a failure its
 *                               error line.  The queue goes out when full,
 *                               before any other command, and whenever no
 *                               further line of stdin has been read yet.
 *   questions                   how many questions wait for their answer
 *   send CMD [dump] [ATTR[=VALUE]...]   any request, attributes by spec
 *                               name; an oif as IF[/NH][/igmp][/disabled]
 *   monitor [SECS]              join the "monitor" group, then as below
 *   hold [SECS]                 keep the socket open, print what arrives
 *   sleep SECS                  keep the socket open, read nothing
 *   rcvbuf BYTES                the socket's receive buffer, so that a
 *                               burst of notifications does not overflow it
 *   echo WORD...                print the words
 *   expect-error ERRNO COMMAND...   COMMAND must fail with ERRNO (e.g. EBUSY)
 *   try COMMAND...              COMMAND may succeed or fail
 * $NAME in an argument is replaced by a variable: those set by register, and
 * PORTID (the socket's netlink port id).
 *
 * Output, one line each, attributes named as in tools/spec/mgm.yaml, in
 * the order of the message; addresses dotted, flags by name alone, binary
 * in hex, an oif as IFINDEX/NEXTHOP[/igmp][/disabled]:
 *   CMD ATTR=VALUE...           a reply or dump entry (CMD: register, ...)
 *   notify CMD ATTR=VALUE...    a unicast notification (disable-igmp, ...)
 *   event CMD ATTR=VALUE...     a message of the monitor group
 *   ok CMD [count=N]            the request succeeded (N: dump entries)
 *   error CMD ERRNO [missing=ATTR] [attr=ATTR] [msg="TEXT"]
 * An answer prints the result of its reply command the same way; a failed
 * answer is no unexpected result (a late one is meant to fail).
 * The exit status is 0, or 1 after the first unexpected result (the rest of
 * the sequence is skipped), or 2 for bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/mgm.h>

#include "lib/mgm_nl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS	32
#define EXPECT_ANY	(-1)	/* "try": any result is fine */
#define MAX_VARS	32
/* questions waiting for their answer: as many as MGM keeps open by default */
#define MAX_QUESTIONS	65536
#define BATCH_MAX	64	/* replies sent with one sendmsg */
#define REPLY_MAX	4096	/* the longest reply: a creation reply, 64 OIFs */
#define MAX_Q_OIFS	64	/* interfaces of a creation alert we keep */
#define MAX_DISABLE	16	/* interfaces "answer creation disable" lists */

/* How an attribute's value is written and read. */
enum attr_kind {
	K_U32,
	K_ADDR,		/* IPv4 address, network byte order */
	K_IFINDEX,	/* u32, also given as an interface name */
	K_FLAGS,	/* u32, also given as join, forward, both */
	K_ENUM,		/* u32, also given as any, all */
	K_U8,
	K_U64,
	K_FLAG,
	K_BINARY,	/* printed in hex */
	K_OIF,		/* nest: IFINDEX[/NEXTHOP][/igmp][/disabled] */
	K_PAD,		/* not printed */
};

/*
 * How an attribute of the family reads and writes: as the tools' shared
 * table says (tools/lib/mgm_names.c, from the spec), but the flags and
 * enum-type values may also be given by name.
 */
static enum attr_kind attr_kind(unsigned int type)
{
	if (type == MGM_A_FLAGS)
		return K_FLAGS;
	if (type == MGM_A_ENUM_TYPE)
		return K_ENUM;
	if (type > MGM_A_MAX || !mgm_attr_info[type].name)
		return K_BINARY;
	switch (mgm_attr_info[type].kind) {
	case MGM_K_NONE:
		return K_PAD;
	case MGM_K_U8:
		return K_U8;
	case MGM_K_U32:
		return K_U32;
	case MGM_K_U64:
		return K_U64;
	case MGM_K_IPV4:
		return K_ADDR;
	case MGM_K_IFINDEX:
		return K_IFINDEX;
	case MGM_K_FLAG:
		return K_FLAG;
	case MGM_K_OIF:
		return K_OIF;
	default:
		return K_BINARY;
	}
}

/* the socket, the family and its monitor group (tools/lib) */
static struct mgm_nl lib;
static char buf[65536];		/* dumps fill up to 32 KiB per datagram */

static struct {
	char name[32];
	char value[32];
} vars[MAX_VARS];
static int n_vars;

/* The result of one request. */
struct result {
	int error;		/* 0 or a positive errno */
	/* attributes the kernel named as missing or at fault: "oif.ifindex" */
	char missing[48];
	char bad_attr[48];
	char msg[256];
	unsigned int count;	/* replies received */
	uint32_t handle;	/* MGM_A_HANDLE of the last reply */
};

static void set_var(const char *name, const char *value)
{
	int i;

	for (i = 0; i < n_vars; i++)
		if (!strcmp(vars[i].name, name))
			break;
	if (i == MAX_VARS)
		return;
	if (i == n_vars)
		n_vars++;
	snprintf(vars[i].name, sizeof(vars[i].name), "%s", name);
	snprintf(vars[i].value, sizeof(vars[i].value), "%s", value);
}

static const char *get_var(const char *name)
{
	int i;

	for (i = 0; i < n_vars; i++)
		if (!strcmp(vars[i].name, name))
			return vars[i].value;
	return NULL;
}

static const char *attr_name(unsigned int type)
{
	return type <= MGM_A_MAX && mgm_attr_info[type].name ?
	       mgm_attr_info[type].name : "?";
}

static int errno_by_name(const char *name)
{
	int i;

	for (i = 1; i < 256; i++) {
		const char *n = strerrorname_np(i);

		if (n && !strcmp(n, name))
			return i;
	}
	return 0;
}

static int attr_by_name(const char *name)
{
	int i;

	for (i = 1; i <= MGM_A_MAX; i++)
		if (mgm_attr_info[i].name && !strcmp(mgm_attr_info[i].name, name))
			return i;
	return 0;
}

static int cmd_by_name(const char *name)
{
	int i;

	for (i = 1; i <= MGM_CMD_MAX; i++)
		if (!strcmp(mgm_cmd_name(i), name))
			return i;
	return 0;
}

static const char *addr_str(uint32_t v)
{
	static char addr[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &v, addr, sizeof(addr));
}

static int oif_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= MGM_OIF_A_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static void print_oif(const struct nlattr *nest)
{
	const struct nlattr *tb[MGM_OIF_A_MAX + 1] = {};

	mnl_attr_parse_nested(nest, oif_attr, tb);
	printf(" oif=%u/%s",
	       tb[MGM_OIF_A_IFINDEX] ? mnl_attr_get_u32(tb[MGM_OIF_A_IFINDEX]) : 0,
	       addr_str(tb[MGM_OIF_A_NEXTHOP] ?
			mnl_attr_get_u32(tb[MGM_OIF_A_NEXTHOP]) : 0));
	if (tb[MGM_OIF_A_IGMP])
		printf("/igmp");
	if (tb[MGM_OIF_A_DISABLED])
		printf("/disabled");
}

/* One attribute as " NAME=VALUE", " NAME" for a flag; false if malformed. */
static bool print_attr(const struct nlattr *attr)
{
	unsigned int type = mnl_attr_get_type(attr);
	unsigned int len = mnl_attr_get_payload_len(attr);
	enum attr_kind kind = attr_kind(type);
	const uint8_t *p = mnl_attr_get_payload(attr);
	unsigned int i;

	switch (kind) {
	case K_PAD:
		return true;
	case K_FLAG:
		printf(" %s", attr_name(type));
		return len == 0;
	case K_OIF:
		print_oif(attr);
		return true;
	case K_U8:
		if (len != sizeof(uint8_t))
			return false;
		printf(" %s=%u", attr_name(type), mnl_attr_get_u8(attr));
		return true;
	case K_U64:
		if (len != sizeof(uint64_t))
			return false;
		printf(" %s=%llu", attr_name(type),
		       (unsigned long long)mnl_attr_get_u64(attr));
		return true;
	case K_BINARY:
		printf(" %s=", attr_name(type));
		for (i = 0; i < len; i++)
			printf("%02x", p[i]);
		return true;
	case K_ADDR:
		if (len != sizeof(uint32_t))
			return false;
		printf(" %s=%s", attr_name(type),
		       addr_str(mnl_attr_get_u32(attr)));
		return true;
	default:
		if (len != sizeof(uint32_t))
			return false;
		printf(" %s=%u", attr_name(type), mnl_attr_get_u32(attr));
		return true;
	}
}

/* Print a genetlink message of the family as "PREFIX CMD ATTR=VALUE...". */
static void print_msg(const char *prefix, const struct nlmsghdr *nlh,
		      struct result *res)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	printf("%s%s", prefix, mgm_cmd_name(genl->cmd));
	mnl_attr_for_each(attr, nlh, sizeof(*genl)) {
		if (!print_attr(attr))
			printf(" %s=?", attr_name(mnl_attr_get_type(attr)));
		if (mnl_attr_get_type(attr) == MGM_A_HANDLE && res)
			res->handle = mnl_attr_get_u32(attr);
	}
	printf("\n");
}

struct ext_ack {
	const struct nlmsghdr *req;
	struct result *res;
	uint32_t offs, miss_nest;	/* offsets in the request, 0: none */
	int miss_type;
};

static const char *oif_name(unsigned int type)
{
	return type <= MGM_OIF_A_MAX && mgm_oif_attr_info[type].name ?
	       mgm_oif_attr_info[type].name : "?";
}

/*
 * The name of the attribute at offset @off of request @req ("oif.ifindex"
 * inside a nest), and with @type that of the attribute @type inside it.
 */
static void name_at(const struct nlmsghdr *req, uint32_t off, int type,
		    char *name, size_t size)
{
	const struct nlattr *attr, *sub;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		uint32_t at = (const char *)attr - (const char *)req;

		if (off == at) {
			if (type)
				snprintf(name, size, "%s.%s",
					 attr_name(mnl_attr_get_type(attr)),
					 mnl_attr_get_type(attr) == MGM_A_OIF ?
					 oif_name(type) : "?");
			else
				snprintf(name, size, "%s",
					 attr_name(mnl_attr_get_type(attr)));
			return;
		}
		if (off < at || off >= at + mnl_attr_get_len(attr) ||
		    mnl_attr_get_type(attr) != MGM_A_OIF)
			continue;
		mnl_attr_for_each_nested(sub, attr) {
			if ((const char *)sub - (const char *)req == off) {
				snprintf(name, size, "oif.%s",
					 oif_name(mnl_attr_get_type(sub)));
				return;
			}
		}
	}
	snprintf(name, size, "?");
}

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ext_ack *ea = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(ea->res->msg, sizeof(ea->res->msg), "%.*s",
			 (int)mnl_attr_get_payload_len(attr),
			 (const char *)mnl_attr_get_payload(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		ea->offs = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		ea->miss_type = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		ea->miss_nest = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static void parse_error(const struct nlmsghdr *nlh,
			const struct nlmsghdr *req, struct result *res)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct ext_ack ea = { .req = req, .res = res };
	unsigned int off = sizeof(*err);

	res->error = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&err->msg);
	mnl_attr_parse(nlh, off, ext_ack_attr, &ea);
	/* no @req: a capped error, which does not quote the request */
	if (ea.offs && req)
		name_at(req, ea.offs, 0, res->bad_attr, sizeof(res->bad_attr));
	if (ea.miss_nest && req)
		name_at(req, ea.miss_nest, ea.miss_type, res->missing,
			sizeof(res->missing));
	else if (ea.miss_type)
		snprintf(res->missing, sizeof(res->missing), "%s",
			 attr_name(ea.miss_type));
}

/*
 * The time, read when a datagram arrived or a wait ended, not for each
 * question: a burst brings thousands, and UML makes clock_gettime() a
 * system call.
 */
static struct timespec now;

static void clock_now(void)
{
	clock_gettime(CLOCK_MONOTONIC, &now);
}

static void deadline(struct timespec *t, double secs)
{
	*t = now;
	t->tv_sec += (time_t)secs;
	t->tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

static long ms_until(const struct timespec *t)
{
	return (t->tv_sec - now.tv_sec) * 1000 +
	       (t->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * Questions of MGM to our registrations (rpf, creation-alert, prune-alert
 * with a cookie), kept until answered as "answer" said; by default nobody
 * answers, and MGM falls back to its defaults at the deadline.
 */
struct question {
	uint8_t cmd;
	uint32_t handle;
	uint64_t cookie;
	uint32_t iif, iif_nexthop, upstream;
	unsigned int n_oifs;
	struct {
		uint32_t ifindex, nexthop;
	} oifs[MAX_Q_OIFS];
	struct timespec due;
};

enum answer_mode { A_SILENT, A_ACCEPT, A_DISABLE };

static struct {
	enum answer_mode rpf, creation, prune;
	/* rpf: what to say instead of what the question proposed */
	bool set_iif, set_iif_nexthop, set_upstream;
	uint32_t iif, iif_nexthop, upstream;
	/* creation, A_DISABLE: these interfaces, or all if none is listed */
	unsigned int n_disable;
	uint32_t disable[MAX_DISABLE];
	uint32_t prune_timeout;
	double delay;
	bool no_acks;
} answer;

static unsigned long n_answered;

/* in the order they came */
static struct question *questions;
static unsigned int n_questions, questions_room;

/* Room for one more question; false when there is none (MGM's default). */
static bool question_room(void)
{
	struct question *more;
	unsigned int room;

	if (n_questions < questions_room)
		return true;
	if (questions_room == MAX_QUESTIONS)
		return false;
	room = questions_room ? 2 * questions_room : 64;
	more = realloc(questions, room * sizeof(*questions));
	if (!more)
		return false;
	questions = more;
	questions_room = room;
	return true;
}

static void keep_question(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr, *tb[MGM_OIF_A_MAX + 1];
	struct question *q;
	bool cookie = false;

	if ((genl->cmd == MGM_CMD_RPF && answer.rpf == A_SILENT) ||
	    (genl->cmd == MGM_CMD_CREATION_ALERT &&
	     answer.creation == A_SILENT) ||
	    (genl->cmd == MGM_CMD_PRUNE_ALERT && answer.prune == A_SILENT) ||
	    !question_room())
		return;
	q = &questions[n_questions];
	memset(q, 0, sizeof(*q));
	q->cmd = genl->cmd;
	mnl_attr_for_each(attr, nlh, sizeof(*genl)) {
		switch (mnl_attr_get_type(attr)) {
		case MGM_A_HANDLE:
			q->handle = mnl_attr_get_u32(attr);
			break;
		case MGM_A_COOKIE:
			q->cookie = mnl_attr_get_u64(attr);
			cookie = true;
			break;
		case MGM_A_IIF:
			q->iif = mnl_attr_get_u32(attr);
			break;
		case MGM_A_IIF_NEXTHOP:
			q->iif_nexthop = mnl_attr_get_u32(attr);
			break;
		case MGM_A_UPSTREAM:
			q->upstream = mnl_attr_get_u32(attr);
			break;
		case MGM_A_OIF:
			if (q->n_oifs == MAX_Q_OIFS)
				break;
			memset(tb, 0, sizeof(tb));
			mnl_attr_parse_nested(attr, oif_attr, tb);
			if (tb[MGM_OIF_A_IFINDEX])
				q->oifs[q->n_oifs].ifindex =
					mnl_attr_get_u32(tb[MGM_OIF_A_IFINDEX]);
			if (tb[MGM_OIF_A_NEXTHOP])
				q->oifs[q->n_oifs].nexthop =
					mnl_attr_get_u32(tb[MGM_OIF_A_NEXTHOP]);
			q->n_oifs++;
			break;
		}
	}
	/* a prune alert of a membership delete asks nothing */
	if (!cookie)
		return;
	deadline(&q->due, answer.delay);
	n_questions++;
}

static void print_result(const char *name, const struct result *res,
			 bool dump);
/*
 * The error of a reply sent without an ack ("answer acks off"): the error
 * message quotes the reply, which names the command.
 */
static void print_reply_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct genlmsghdr *genl;
	struct result res;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*err) + GENL_HDRLEN) ||
	    !err->error || err->msg.nlmsg_type != lib.family)
		return;
	genl = mnl_nlmsg_get_payload(&err->msg);
	memset(&res, 0, sizeof(res));
	/* the attributes are quoted only where the error names one */
	parse_error(nlh, nlh->nlmsg_flags & NLM_F_CAPPED ? NULL : &err->msg,
		    &res);
	print_result(mgm_cmd_name(genl->cmd), &res, false);
}

/* A message that is not an answer to the request under way. */
static void print_unsolicited(const struct nlmsghdr *nlh, uint32_t groups)
{
	if (nlh->nlmsg_type == NLMSG_ERROR && !groups) {
		print_reply_error(nlh);
		return;
	}
	if (nlh->nlmsg_type != lib.family)
		return;
	print_msg(groups ? "event " : "notify ", nlh, NULL);
	if (!groups)
		keep_question(nlh);
}

/* messages were lost since send_batch() looked */
static bool overran;

/* what arrived on the socket ("received") */
static unsigned long n_datagrams, n_messages;

static void count_received(const void *data, int len)
{
	const struct nlmsghdr *nlh = data;

	if (len < 0)
		return;
	n_datagrams++;
	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		n_messages++;
}

/* "batch on": requests queued, sent together (mgm_batch) */
static struct mgm_batch batch;
static bool batching;

static void batch_failed(const struct nlmsghdr *err,
			 const struct nlmsghdr *req, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	struct result res;

	(void)data;
	memset(&res, 0, sizeof(res));
	parse_error(err, req, &res);
	print_result(mgm_cmd_name(genl->cmd), &res, false);
}

static int batch_other(const struct nlmsghdr *nlh, bool multicast, void *data)
{
	(void)data;
	print_unsolicited(nlh, multicast);
	return MNL_CB_OK;
}

/*
 * @err of a batch's sending, or 1 (as a failed command) if requests
 * failed since the last look: also those of a full batch that
 * mgm_batch_add() sent.
 */
static int batch_result(int err)
{
	static unsigned long reported;
	unsigned long failed = batch.n_failed - reported;

	if (err)
		return err;
	if (!failed)
		return 0;
	reported = batch.n_failed;
	fflush(stdout);
	fprintf(stderr, "mgm-client: %lu batched requests failed\n", failed);
	return 1;
}

/* Send what is queued. */
static int batch_flush(void)
{
	return batch_result(mgm_batch_flush(&batch));
}

static int recv_datagram(uint32_t *groups, int flags)
{
	struct sockaddr_nl addr;
	socklen_t alen = sizeof(addr);
	int n;

	/* messages were lost: say so, and read on */
	while ((n = recvfrom(mnl_socket_get_fd(lib.sock), buf, sizeof(buf), flags,
			     (struct sockaddr *)&addr, &alen)) < 0 &&
	       errno == ENOBUFS) {
		printf("overrun\n");
		overran = true;
	}
	*groups = n >= 0 ? addr.nl_groups : 0;
	count_received(buf, n);
	if (n > 0)
		clock_now();
	return n;
}

/*
 * Send @req and print everything that arrives until its ack (or the end of
 * the dump).  Notifications in between are printed as they come.
 */
static int transact(struct nlmsghdr *req, struct result *res)
{
	uint32_t groups;
	int n;

	memset(res, 0, sizeof(*res));
	if (mnl_socket_sendto(lib.sock, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		n = recv_datagram(&groups, 0);
		if (n < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			if (groups || nlh->nlmsg_seq != req->nlmsg_seq) {
				print_unsolicited(nlh, groups);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_error(nlh, req, res);
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *err = mnl_nlmsg_get_payload(nlh);

				res->error = -*err;
				/* a failed dump says why in an ext ack too */
				if (*err && (nlh->nlmsg_flags & NLM_F_ACK_TLVS))
					mnl_attr_parse(nlh, sizeof(int),
						       ext_ack_attr,
						       &(struct ext_ack){
							.req = req,
							.res = res });
				return 0;
			}
			if (nlh->nlmsg_type == lib.family) {
				res->count++;
				print_msg("", nlh, res);
			}
		}
	}
}

static struct nlmsghdr *put_request_at(void *at, uint16_t type,
				       uint16_t flags, uint8_t cmd,
				       uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++lib.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *put_request(uint16_t type, uint16_t flags,
				    uint8_t cmd, uint8_t version)
{
	static char reqbuf[4096];

	return put_request_at(reqbuf, type, flags, cmd, version);
}

/* Resolve the family on first use, so that hold and sleep work without it. */
static int resolve_family(const char *cmd)
{
	int err = mgm_nl_resolve(&lib);

	if (err)
		printf("error %s %s msg=\"no family %s\"\n", cmd,
		       mgm_errno_name(-err), MGM_FAMILY_NAME);
	return err;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || !*s || *end || x > UINT32_MAX)
		return false;
	*v = x;
	return true;
}

static bool parse_ifindex(const char *s, uint32_t *v)
{
	if (parse_u32(s, v))
		return true;
	*v = if_nametoindex(s);
	return *v != 0;
}

static bool parse_nexthop(const char *s, uint32_t *v)
{
	return inet_pton(AF_INET, s, v) == 1;
}

static bool parse_seconds(const char *s, double *secs)
{
	char *end;

	*secs = strtod(s, &end);
	return *s && !*end && *secs >= 0;
}

static void print_result(const char *name, const struct result *res,
			 bool dump)
{
	if (!res->error) {
		if (dump)
			printf("ok %s count=%u\n", name, res->count);
		else
			printf("ok %s\n", name);
		return;
	}
	printf("error %s %s", name, mgm_errno_name(res->error));
	if (res->missing[0])
		printf(" missing=%s", res->missing);
	if (res->bad_attr[0])
		printf(" attr=%s", res->bad_attr);
	if (res->msg[0])
		printf(" msg=\"%s\"", res->msg);
	printf("\n");
}

/* The answer to @q that "answer" configured, written at @at. */
static struct nlmsghdr *put_answer(void *at, const struct question *q)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i, j;
	bool off;
	uint8_t cmd;

	cmd = q->cmd == MGM_CMD_RPF ? MGM_CMD_RPF_REPLY :
	      q->cmd == MGM_CMD_CREATION_ALERT ? MGM_CMD_CREATION_REPLY :
	      MGM_CMD_PRUNE_REPLY;
	nlh = put_request_at(at, lib.family, answer.no_acks ? 0 : NLM_F_ACK,
			     cmd, MGM_FAMILY_VERSION);
	mnl_attr_put_u32(nlh, MGM_A_HANDLE, q->handle);
	mnl_attr_put_u64(nlh, MGM_A_COOKIE, q->cookie);
	switch (cmd) {
	case MGM_CMD_RPF_REPLY:
		mnl_attr_put_u32(nlh, MGM_A_IIF,
				 answer.set_iif ? answer.iif : q->iif);
		mnl_attr_put_u32(nlh, MGM_A_IIF_NEXTHOP,
				 answer.set_iif_nexthop ? answer.iif_nexthop :
				 answer.set_iif ? 0 : q->iif_nexthop);
		mnl_attr_put_u32(nlh, MGM_A_UPSTREAM,
				 answer.set_upstream ? answer.upstream :
				 q->upstream);
		break;
	case MGM_CMD_CREATION_REPLY:
		for (i = 0; answer.creation == A_DISABLE && i < q->n_oifs; i++) {
			off = !answer.n_disable;
			for (j = 0; j < answer.n_disable; j++)
				off |= answer.disable[j] == q->oifs[i].ifindex;
			if (!off)
				continue;
			nest = mnl_attr_nest_start(nlh, MGM_A_OIF);
			mnl_attr_put_u32(nlh, MGM_OIF_A_IFINDEX,
					 q->oifs[i].ifindex);
			mnl_attr_put_u32(nlh, MGM_OIF_A_NEXTHOP,
					 q->oifs[i].nexthop);
			mnl_attr_put(nlh, MGM_OIF_A_DISABLED, 0, NULL);
			mnl_attr_nest_end(nlh, nest);
		}
		break;
	default:
		mnl_attr_put_u32(nlh, MGM_A_TIMEOUT, answer.prune_timeout);
		break;
	}
	return nlh;
}

/*
 * Send the @n replies in @batch with one sendmsg and print each one's
 * result as its ack comes; what else arrives meanwhile is printed (and
 * kept, if a question) as always.  The kernel handles the messages of one
 * datagram in order, so the acks come in order too.
 */
static int send_batch(const char *batch, size_t len,
		      struct nlmsghdr *const *sent, unsigned int n)
{
	uint32_t first = sent[0]->nlmsg_seq, groups;
	const struct genlmsghdr *genl;
	unsigned int acked = 0;
	struct result res;
	int r;

	if (mnl_socket_sendto(lib.sock, batch, len) < 0)
		return -errno;
	n_answered += n;
	/* without acks, a failure comes later, as any message */
	if (answer.no_acks)
		return 0;
	overran = false;
	/* after an overrun the acks still missing may be lost with it */
	while (acked < n && !overran) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		r = recv_datagram(&groups, 0);
		if (r < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, r); nlh = mnl_nlmsg_next(nlh, &r)) {
			if (groups || nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq - first >= n) {
				print_unsolicited(nlh, groups);
				continue;
			}
			memset(&res, 0, sizeof(res));
			parse_error(nlh, sent[nlh->nlmsg_seq - first], &res);
			genl = mnl_nlmsg_get_payload(sent[nlh->nlmsg_seq - first]);
			/* not fatal: a late answer fails, and may be meant to */
			print_result(mgm_cmd_name(genl->cmd), &res, false);
			acked++;
		}
	}
	return 0;
}

/*
 * Answer the questions that are due, in the order they came, up to
 * BATCH_MAX replies to a sendmsg (as iproute2's -batch sends several
 * requests at once): under a burst of new flows one round trip serves
 * many of them.
 */
static int answer_due(void)
{
	static char batch[BATCH_MAX * REPLY_MAX];
	struct nlmsghdr *sent[BATCH_MAX];
	unsigned int i, j, n;
	size_t len;
	int err;

	do {
		n = 0;
		len = 0;
		for (i = 0, j = 0; i < n_questions; i++) {
			if (n < BATCH_MAX && ms_until(&questions[i].due) <= 0) {
				sent[n] = put_answer(batch + len, &questions[i]);
				len += NLMSG_ALIGN(sent[n]->nlmsg_len);
				n++;
				continue;
			}
			questions[j++] = questions[i];
		}
		n_questions = j;
		if (!n)
			return 0;
		err = send_batch(batch, len, sent, n);
		if (err)
			return err;
	} while (n == BATCH_MAX);
	return 0;
}

/* How long until the first question is due: 0 if one is, -1 if none. */
static long next_due(void)
{
	long t, first = -1;
	unsigned int i;

	for (i = 0; i < n_questions; i++) {
		t = ms_until(&questions[i].due);
		if (t <= 0)
			return 0;
		if (first < 0 || t < first)
			first = t;
	}
	return first;
}

/* Command lines read from stdin, one at a time. */
static char inbuf[8192];
static size_t inlen;
static bool in_eof;

/* The next whole line of stdin in @line, if one was read already. */
static bool take_line(char *line, size_t size)
{
	char *nl_at = memchr(inbuf, '\n', inlen);
	size_t len;

	if (!nl_at && !(in_eof && inlen))
		return false;
	len = nl_at ? (size_t)(nl_at - inbuf) + 1 : inlen;
	snprintf(line, size, "%.*s", (int)len, inbuf);
	memmove(inbuf, inbuf + len, inlen - len);
	inlen -= len;
	return true;
}

static int run_line(const char *text);

/*
 * Print what arrives and answer the questions when due, for @secs seconds
 * (forever if negative); with @commands also run the command lines read
 * from stdin, until it ends.  What is queued on the socket goes first, so
 * that a line printed by a command ("echo") comes after every notification
 * that arrived before that command was read.
 */
static int idle(double secs, bool commands)
{
	struct pollfd pfd[2] = {
		{ .fd = mnl_socket_get_fd(lib.sock), .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	char line[sizeof(inbuf) + 1];
	struct nlmsghdr *nlh;
	struct timespec end;
	uint32_t groups;
	long timeout, t;
	ssize_t r;
	unsigned int i;
	int n, err;

	clock_now();
	deadline(&end, secs);
	for (;;) {
		bool have_line = commands && take_line(line, sizeof(line));

		/*
		 * While a batch fills, the lines go without a look at the
		 * socket, a system call each: what arrives meanwhile is read
		 * when the batch is sent, before any command that prints.
		 */
		if (have_line && mgm_batch_pending(&batch)) {
			err = run_line(line);
			if (err)
				return err;
			continue;
		}
		clock_now();
		timeout = secs >= 0 ? ms_until(&end) : -1;
		if (secs >= 0 && timeout <= 0)
			return 0;
		/* a question past its time is due now, not never (poll's -1) */
		t = next_due();
		if (t >= 0)
			timeout = timeout < 0 || t < timeout ? t : timeout;
		if (have_line) {
			timeout = 0;
		} else if (mgm_batch_pending(&batch)) {
			/* no line at hand: what is queued goes before we wait */
			err = batch_flush();
			if (err)
				return err;
		}
		pfd[0].revents = 0;
		pfd[1].revents = 0;
		if (timeout)
			fflush(stdout);
		if (poll(pfd, commands && !have_line && !in_eof ? 2 : 1,
			 timeout > INT_MAX ? INT_MAX : (int)timeout) < 0)
			return -errno;
		if (timeout)
			clock_now();

		/*
		 * A batch at a time, then the answers due: under a burst the
		 * first questions are answered while the later ones come.
		 */
		if (pfd[0].revents & POLLIN) {
			for (i = 0; i < BATCH_MAX &&
			     (n = recv_datagram(&groups, MSG_DONTWAIT)) > 0; i++)
				for (nlh = (struct nlmsghdr *)buf;
				     mnl_nlmsg_ok(nlh, n);
				     nlh = mnl_nlmsg_next(nlh, &n))
					print_unsolicited(nlh, groups);
			if (n < 0 && errno != EAGAIN)
				return -errno;
		}
		err = answer_due();
		if (err)
			return err;
		if (have_line) {
			err = run_line(line);
			if (err)
				return err;
			continue;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			if (inlen == sizeof(inbuf))
				return -E2BIG;	/* a line longer than inbuf */
			r = read(STDIN_FILENO, inbuf + inlen,
				 sizeof(inbuf) - inlen);
			if (r < 0 && errno != EINTR)
				return -errno;
			if (r > 0)
				inlen += r;
			in_eof = r == 0;
		}
		if (commands && in_eof && !inlen)
			return 0;
	}
}

static int hold(double secs)
{
	return idle(secs, false);
}

static int usage(const char *what)
{
	fflush(stdout);
	fprintf(stderr, "mgm-client: bad command or argument: %s\n%s", what,
		"commands: register PROTO COMP [VAR] | deregister H | take H IF [NH]\n"
		"  | release H IF [NH] | owner IF [NH] | interfaces | protocols\n"
		"  | add H S G IF [NH [FLAGS]] | del H S G IF [NH [FLAGS]]\n"
		"  | set-mfe H S G UPSTREAM | mfe S G [stats] | mfes [stats]\n"
		"  | groups [any|all]\n"
		"  | answer rpf|creation|prune|delay ... | questions\n"
		"  | send CMD [dump] [ATTR[=VALUE]...] | monitor [SECS] | hold [SECS]\n"
		"  | sleep SECS | rcvbuf BYTES | echo WORD...\n"
		"  | expect-error ERRNO COMMAND... | try COMMAND...\n");
	return -EINVAL;
}

/* An address: dotted, "*" for 0, or a number taken as it is. */
static bool parse_addr(const char *s, uint32_t *v)
{
	if (!strcmp(s, "*")) {
		*v = 0;
		return true;
	}
	return parse_nexthop(s, v) || parse_u32(s, v);
}

static bool parse_name(const char *s, const char * const *names,
		       const uint32_t *values, uint32_t *v)
{
	for (; *names; names++, values++) {
		if (!strcmp(s, *names)) {
			*v = *values;
			return true;
		}
	}
	return parse_u32(s, v);
}

static bool parse_flags(const char *s, uint32_t *v)
{
	static const char * const names[] = {
		"join", "forward", "both", "join,forward", NULL
	};
	static const uint32_t values[] = {
		MGM_FLAG_JOIN_STATE, MGM_FLAG_FORWARD_STATE,
		MGM_FLAG_JOIN_STATE | MGM_FLAG_FORWARD_STATE,
		MGM_FLAG_JOIN_STATE | MGM_FLAG_FORWARD_STATE,
	};

	return parse_name(s, names, values, v);
}

static bool parse_enum(const char *s, uint32_t *v)
{
	static const char * const names[] = { "any", "all", NULL };
	static const uint32_t values[] = {
		MGM_ENUM_ANY_SOURCE, MGM_ENUM_ALL_SOURCES,
	};

	return parse_name(s, names, values, v);
}

/* IF[/NH][/igmp][/disabled] */
static int put_oif(struct nlmsghdr *nlh, int type, const char *val)
{
	char copy[128], *rest = copy, *save, *w;
	struct nlattr *nest;
	uint32_t v;

	snprintf(copy, sizeof(copy), "%s", val);
	nest = mnl_attr_nest_start(nlh, type);
	/* "/..." leaves the ifindex out, for tests of that error */
	if (*copy != '/') {
		w = strtok_r(copy, "/", &save);
		if (!w || !parse_ifindex(w, &v))
			return -EINVAL;
		mnl_attr_put_u32(nlh, MGM_OIF_A_IFINDEX, v);
		rest = NULL;
	}
	for (w = strtok_r(rest, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		if (!strcmp(w, "igmp"))
			mnl_attr_put(nlh, MGM_OIF_A_IGMP, 0, NULL);
		else if (!strcmp(w, "disabled"))
			mnl_attr_put(nlh, MGM_OIF_A_DISABLED, 0, NULL);
		else if (parse_addr(w, &v))
			mnl_attr_put_u32(nlh, MGM_OIF_A_NEXTHOP, v);
		else
			return -EINVAL;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int put_hex(struct nlmsghdr *nlh, int type, const char *val)
{
	uint8_t bytes[256];
	size_t n = strlen(val) / 2, i;
	unsigned int b;

	if (strlen(val) % 2 || n > sizeof(bytes))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (sscanf(val + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		bytes[i] = b;
	}
	mnl_attr_put(nlh, type, n, bytes);
	return 0;
}

/*
 * Put attribute @type with the value written @val into a request: the
 * "send" syntax (ATTR[=VALUE]...) and the positional arguments of the
 * commands both come here.  A flag takes no value (one given is ignored).
 */
static int put_attr(struct nlmsghdr *nlh, int type, const char *val)
{
	unsigned long long x;
	uint32_t v = 0;
	char *end;
	bool ok;

	if (attr_kind(type) == K_FLAG) {
		mnl_attr_put(nlh, type, 0, NULL);
		return 0;
	}
	if (!val)
		return -EINVAL;
	switch (attr_kind(type)) {
	case K_OIF:
		return put_oif(nlh, type, val);
	case K_BINARY:
	case K_PAD:
		return put_hex(nlh, type, val);
	case K_U64:
		errno = 0;
		x = strtoull(val, &end, 0);
		if (errno || !*val || *end)
			return -EINVAL;
		mnl_attr_put_u64(nlh, type, x);
		return 0;
	case K_U8:
		if (!parse_u32(val, &v) || v > UINT8_MAX)
			return -EINVAL;
		mnl_attr_put_u8(nlh, type, v);
		return 0;
	case K_ADDR:
		ok = parse_addr(val, &v);
		break;
	case K_IFINDEX:
		ok = parse_ifindex(val, &v);
		break;
	case K_FLAGS:
		ok = parse_flags(val, &v);
		break;
	case K_ENUM:
		ok = parse_enum(val, &v);
		break;
	default:
		ok = parse_u32(val, &v);
		break;
	}
	if (!ok)
		return -EINVAL;
	mnl_attr_put_u32(nlh, type, v);
	return 0;
}

/*
 * answer rpf silent | answer rpf [iif=IF] [iif-nexthop=NH] [upstream=A]
 * answer creation silent | accept | disable [IF...]
 * answer prune silent | SECS
 * answer delay SECS
 */
static int answer_cmd(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	double secs;
	uint32_t v;
	int i;

	if (!strcmp(what, "rpf")) {
		answer.rpf = argc == 3 && !strcmp(argv[2], "silent") ?
			     A_SILENT : A_ACCEPT;
		answer.set_iif = false;
		answer.set_iif_nexthop = false;
		answer.set_upstream = false;
		for (i = 2; i < argc && answer.rpf == A_ACCEPT; i++) {
			if (!strncmp(argv[i], "iif=", 4) &&
			    parse_ifindex(argv[i] + 4, &answer.iif))
				answer.set_iif = true;
			else if (!strncmp(argv[i], "iif-nexthop=", 12) &&
				 parse_addr(argv[i] + 12, &answer.iif_nexthop))
				answer.set_iif_nexthop = true;
			else if (!strncmp(argv[i], "upstream=", 9) &&
				 parse_addr(argv[i] + 9, &answer.upstream))
				answer.set_upstream = true;
			else
				return usage(argv[i]);
		}
		return 0;
	}
	if (!strcmp(what, "creation") && argc >= 3) {
		if (!strcmp(argv[2], "silent") && argc == 3)
			answer.creation = A_SILENT;
		else if (!strcmp(argv[2], "accept") && argc == 3)
			answer.creation = A_ACCEPT;
		else if (!strcmp(argv[2], "disable") &&
			 argc - 3 <= MAX_DISABLE)
			answer.creation = A_DISABLE;
		else
			return usage(argv[2]);
		answer.n_disable = 0;
		for (i = 3; i < argc; i++) {
			if (!parse_ifindex(argv[i], &v))
				return usage(argv[i]);
			answer.disable[answer.n_disable++] = v;
		}
		return 0;
	}
	if (!strcmp(what, "prune") && argc == 3) {
		if (!strcmp(argv[2], "silent"))
			answer.prune = A_SILENT;
		else if (parse_u32(argv[2], &answer.prune_timeout))
			answer.prune = A_ACCEPT;
		else
			return usage(argv[2]);
		return 0;
	}
	if (!strcmp(what, "delay") && argc == 3 &&
	    parse_seconds(argv[2], &secs)) {
		answer.delay = secs;
		return 0;
	}
	if (!strcmp(what, "acks") && argc == 3 &&
	    (!strcmp(argv[2], "on") || !strcmp(argv[2], "off"))) {
		answer.no_acks = !strcmp(argv[2], "off");
		return 0;
	}
	return usage(argc > 1 ? argv[1] : argv[0]);
}

/*
 * Run one command; @expect is 0 (must succeed), an errno (must fail with
 * it) or EXPECT_ANY.  Returns 0 (as expected), 1 (unexpected), or < 0.
 */
static int run_cmd(int argc, char **argv, int expect)
{
	static const struct {
		const char *name;
		uint8_t cmd;
		bool dump;
		int min, max;		/* positional arguments */
		int attrs[6];
	} simple[] = {
		{ "deregister", MGM_CMD_DEREGISTER, false, 1, 1,
		  { MGM_A_HANDLE } },
		{ "take", MGM_CMD_TAKE_INTERFACE, false, 2, 3,
		  { MGM_A_HANDLE, MGM_A_IFINDEX, MGM_A_NEXTHOP } },
		{ "release", MGM_CMD_RELEASE_INTERFACE, false, 2, 3,
		  { MGM_A_HANDLE, MGM_A_IFINDEX, MGM_A_NEXTHOP } },
		{ "owner", MGM_CMD_GET_INTERFACE, false, 1, 2,
		  { MGM_A_IFINDEX, MGM_A_NEXTHOP } },
		{ "interfaces", MGM_CMD_GET_INTERFACE, true, 0, 0, { 0 } },
		{ "protocols", MGM_CMD_GET_PROTOCOL, true, 0, 0, { 0 } },
		{ "register", MGM_CMD_REGISTER, false, 2, 3,
		  { MGM_A_PROTOCOL_ID, MGM_A_COMPONENT_ID } },
		{ "register-hold", MGM_CMD_REGISTER, false, 3, 4,
		  { MGM_A_PROTOCOL_ID, MGM_A_COMPONENT_ID, MGM_A_HOLD_TIME } },
		{ "resync-end", MGM_CMD_RESYNC_END, false, 1, 1,
		  { MGM_A_HANDLE } },
		{ "memberships", MGM_CMD_GET_MEMBERSHIP, true, 1, 1,
		  { MGM_A_HANDLE } },
		{ "add", MGM_CMD_ADD_MEMBERSHIP, false, 4, 6,
		  { MGM_A_HANDLE, MGM_A_SOURCE, MGM_A_GROUP, MGM_A_IFINDEX,
		    MGM_A_NEXTHOP, MGM_A_FLAGS } },
		{ "del", MGM_CMD_DELETE_MEMBERSHIP, false, 4, 6,
		  { MGM_A_HANDLE, MGM_A_SOURCE, MGM_A_GROUP, MGM_A_IFINDEX,
		    MGM_A_NEXTHOP, MGM_A_FLAGS } },
		{ "set-mfe", MGM_CMD_SET_MFE, false, 4, 4,
		  { MGM_A_HANDLE, MGM_A_SOURCE, MGM_A_GROUP, MGM_A_UPSTREAM } },
		{ "mfe", MGM_CMD_GET_MFE, false, 2, 3,
		  { MGM_A_SOURCE, MGM_A_GROUP, MGM_A_STATS } },
		{ "mfes", MGM_CMD_GET_MFE, true, 0, 1, { MGM_A_STATS } },
		{ "groups", MGM_CMD_GET_GROUP, true, 0, 1, { MGM_A_ENUM_TYPE } },
	};
	static const char * const batchable[] = {
		"deregister", "take", "release", "add", "del", "set-mfe",
	};
	const char *cmd = argv[0];
	bool dump, queue = false;
	struct nlmsghdr *nlh;
	struct result res;
	double secs = -1;
	int i, err;

	for (i = 0; batching && !expect && i < (int)ARRAY_SIZE(batchable); i++)
		queue |= !strcmp(cmd, batchable[i]);
	/* what comes after the queue is done after it */
	if (!queue && mgm_batch_pending(&batch)) {
		err = batch_flush();
		if (err)
			return err;
	}
	if (!strcmp(cmd, "batch")) {
		if (expect || argc != 2 ||
		    (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
			return usage(cmd);
		batching = !strcmp(argv[1], "on");
		return 0;
	}
	if (!strcmp(cmd, "expect-error")) {
		int want = argc < 3 || expect ? 0 : errno_by_name(argv[1]);

		if (!want)
			return usage(cmd);
		return run_cmd(argc - 2, argv + 2, want);
	}
	if (!strcmp(cmd, "try")) {
		if (argc < 2 || expect)
			return usage(cmd);
		return run_cmd(argc - 1, argv + 1, EXPECT_ANY);
	}
	if (expect && (!strcmp(cmd, "echo") || !strcmp(cmd, "hold") ||
		       !strcmp(cmd, "sleep") || !strcmp(cmd, "monitor") ||
		       !strcmp(cmd, "rcvbuf") || !strcmp(cmd, "answer") ||
		       !strcmp(cmd, "questions") || !strcmp(cmd, "answered") ||
		       !strcmp(cmd, "received")))
		return usage(cmd);	/* these cannot fail with an errno */
	if (!strcmp(cmd, "answer"))
		return answer_cmd(argc, argv);
	if (!strcmp(cmd, "questions")) {
		/* how many questions wait for an answer "answer" will send */
		printf("questions count=%u\n", n_questions);
		return 0;
	}
	if (!strcmp(cmd, "answered")) {
		printf("answered count=%lu\n", n_answered);
		return 0;
	}
	if (!strcmp(cmd, "received")) {
		printf("received datagrams=%lu messages=%lu\n", n_datagrams,
		       n_messages);
		return 0;
	}
	if (!strcmp(cmd, "rcvbuf")) {
		uint32_t size;
		int fd = mnl_socket_get_fd(lib.sock);

		if (argc != 2 || !parse_u32(argv[1], &size) || size > INT_MAX)
			return usage(cmd);
		/* beyond net.core.rmem_max needs CAP_NET_ADMIN */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			       sizeof(size)) &&
		    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
			return -errno;
		return 0;
	}
	if (!strcmp(cmd, "echo")) {
		for (i = 1; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
		return 0;
	}
	if (!strcmp(cmd, "hold")) {
		if (argc > 2 || (argc == 2 && !parse_seconds(argv[1], &secs)))
			return usage(cmd);
		return hold(secs);
	}
	if (!strcmp(cmd, "sleep")) {
		struct timespec ts;

		if (argc != 2 || !parse_seconds(argv[1], &secs))
			return usage(cmd);
		ts.tv_sec = (time_t)secs;
		ts.tv_nsec = (long)((secs - (time_t)secs) * 1e9);
		return nanosleep(&ts, NULL) ? -errno : 0;
	}

	if (!strcmp(cmd, "monitor")) {
		if (argc > 2 || (argc == 2 && !parse_seconds(argv[1], &secs)))
			return usage(cmd);
		if (resolve_family(cmd))
			return 1;
		if (mnl_socket_setsockopt(lib.sock, NETLINK_ADD_MEMBERSHIP,
					  &lib.monitor_grp, sizeof(lib.monitor_grp)))
			return -errno;
		printf("ok monitor\n");
		fflush(stdout);
		return hold(secs);
	}

	if (!strcmp(cmd, "send")) {
		int c = argc > 1 ? cmd_by_name(argv[1]) : 0;

		if (!c)
			return usage(cmd);
		if (resolve_family(cmd))
			return 1;
		dump = argc > 2 && !strcmp(argv[2], "dump");
		nlh = put_request(lib.family, dump ? NLM_F_DUMP : NLM_F_ACK, c,
				  MGM_FAMILY_VERSION);
		for (i = dump ? 3 : 2; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			int type;

			if (eq)
				*eq++ = '\0';
			type = attr_by_name(argv[i]);
			if (!type || put_attr(nlh, type, eq))
				return usage(argv[i]);
		}
		cmd = mgm_cmd_name(c);
	} else {
		for (i = 0; i < (int)ARRAY_SIZE(simple); i++)
			if (!strcmp(cmd, simple[i].name))
				break;
		if (i == (int)ARRAY_SIZE(simple) ||
		    argc - 1 < simple[i].min || argc - 1 > simple[i].max)
			return usage(cmd);
		if (resolve_family(cmd))
			return 1;
		dump = simple[i].dump;
		nlh = put_request(lib.family, dump ? NLM_F_DUMP :
				  queue ? 0 : NLM_F_ACK, simple[i].cmd,
				  MGM_FAMILY_VERSION);
		/*
		 * register's optional third argument names the variable; a
		 * flag attribute is given by its name ("stats").
		 */
		for (int a = 1; a < argc && simple[i].attrs[a - 1]; a++) {
			int type = simple[i].attrs[a - 1];

			if ((attr_kind(type) == K_FLAG &&
			     strcmp(argv[a], attr_name(type))) ||
			    put_attr(nlh, type, argv[a]))
				return usage(argv[a]);
		}
		/* a membership is join-state unless said otherwise */
		if ((simple[i].cmd == MGM_CMD_ADD_MEMBERSHIP ||
		     simple[i].cmd == MGM_CMD_DELETE_MEMBERSHIP) && argc < 7)
			mnl_attr_put_u32(nlh, MGM_A_FLAGS, MGM_FLAG_JOIN_STATE);
		cmd = mgm_cmd_name(simple[i].cmd);
	}

	if (queue)
		return batch_result(mgm_batch_add(&batch, nlh));
	err = transact(nlh, &res);
	if (err)
		return err;
	print_result(cmd, &res, dump);
	if (!res.error && !strncmp(argv[0], "register", 8)) {
		int var = argv[0][8] ? 4 : 3;
		char value[16];

		snprintf(value, sizeof(value), "%u", res.handle);
		set_var(argc > var ? argv[var] : "H", value);
	}

	if (expect > 0 && res.error != expect) {
		fflush(stdout);
		fprintf(stderr, "mgm-client: %s: expected %s, got %s\n",
			argv[0], mgm_errno_name(expect),
			res.error ? mgm_errno_name(res.error) : "success");
		return 1;
	}
	if (!expect && res.error) {
		fflush(stdout);
		fprintf(stderr, "mgm-client: %s failed: %s\n", argv[0],
			mgm_errno_name(res.error));
		return 1;
	}
	return 0;
}

/* Copy @w to @out (of @size bytes) with every $NAME replaced. */
static int expand(const char *w, char *out, size_t size)
{
	size_t len = 0;

	while (*w) {
		char name[32];
		const char *v;
		size_t n = 0;

		if (*w != '$') {
			if (len + 1 >= size)
				return -E2BIG;
			out[len++] = *w++;
			continue;
		}
		for (w++; (isalnum((unsigned char)*w) || *w == '_') &&
		     n < sizeof(name) - 1; w++)
			name[n++] = *w;
		name[n] = '\0';
		v = get_var(name);
		if (!v) {
			fflush(stdout);
			fprintf(stderr, "mgm-client: $%s is not set\n", name);
			return -EINVAL;
		}
		n = strlen(v);
		if (len + n >= size)
			return -E2BIG;
		memcpy(out + len, v, n);
		len += n;
	}
	out[len] = '\0';
	return len + 1;
}

/* Split @line into words in @arena, with variables expanded. */
static int split(char *line, char **argv, char *arena, size_t size)
{
	char *save, *w;
	int argc = 0, n;

	for (w = strtok_r(line, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		if (*w == '#')
			break;
		if (argc == MAX_ARGS - 1)
			return -E2BIG;
		n = expand(w, arena, size);
		if (n < 0)
			return n;
		argv[argc++] = arena;
		arena += n;
		size -= n;
	}
	argv[argc] = NULL;
	return argc;
}

static int run_line(const char *text)
{
	char *argv[MAX_ARGS], *line = strdup(text), arena[4096];
	int argc, err;

	if (!line)
		return -ENOMEM;
	argc = split(line, argv, arena, sizeof(arena));
	err = argc > 0 ? run_cmd(argc, argv, 0) : argc;
	fflush(stdout);
	free(line);
	return err;
}

static int finish(int err)
{
	/* what was queued before a failed or bad line still goes */
	if (mgm_batch_pending(&batch)) {
		int ret = batch_flush();

		if (!err)
			err = ret;
	}
	fflush(stdout);
	if (err < 0 && err != -EINVAL)
		fprintf(stderr, "mgm-client: %s\n", strerror(-err));
	mgm_nl_close(&lib);
	return err == -EINVAL ? 2 : err ? 1 : 0;
}

int main(int argc, char **argv)
{
	char value[16];
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mgm-client COMMAND [ARG...] | run [LINE...]\n");
		return 2;
	}
	/*
	 * The output is read by scripts while we run: it goes out after each
	 * command and before each wait (idle()), not line by line, since
	 * under a burst of questions a write for each would cost as much as
	 * reading them.
	 */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	err = mgm_nl_socket(&lib);
	if (err) {
		fflush(stdout);
		fprintf(stderr, "mgm-client: netlink socket: %s\n", strerror(-err));
		return 1;
	}
	snprintf(value, sizeof(value), "%u", lib.portid);
	set_var("PORTID", value);
	mgm_batch_init(&batch, &lib, batch_failed, batch_other, NULL);

	if (strcmp(argv[1], "run"))
		return finish(run_cmd(argc - 1, argv + 1, 0));

	if (argc > 2) {
		for (int i = 2; i < argc && !err; i++)
			err = run_line(argv[i]);
		return finish(err);
	}
	return finish(idle(-1, true));
}
