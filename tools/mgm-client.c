// SPDX-License-Identifier: GPL-2.0
/*
 * mgm-client: a small, scriptable client of the "mgm" generic netlink family,
 * written as a test driver.  A registration belongs to its netlink socket,
 * so a whole sequence of commands runs on one socket:
 *
 *   mgm-client COMMAND [ARG...]          one command
 *   mgm-client run 'COMMAND ARG...' ...  a sequence; without arguments the
 *                                        commands are read from stdin
 *
 * Commands (IF is an ifindex or an interface name, NH a dotted IPv4 address):
 *   register PROTO COMP [VAR]   register; the handle goes to $VAR (default H)
 *   deregister H
 *   take H IF [NH]              take-interface
 *   release H IF [NH]           release-interface
 *   owner IF [NH]               get-interface
 *   interfaces                  get-interface dump
 *   protocols                   get-protocol dump
 *   send CMD [dump] [ATTR[=VALUE]...]   any request, attributes by spec name
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
 * Output, one line each, attributes named as in tools/spec/mgm.yaml:
 *   CMD ATTR=VALUE...           a reply or dump entry (CMD: register, ...)
 *   notify CMD ATTR=VALUE...    a unicast notification (disable-igmp, ...)
 *   event CMD ATTR=VALUE...     a message of the monitor group
 *   ok CMD [count=N]            the request succeeded (N: dump entries)
 *   error CMD ERRNO [missing=ATTR] [attr=ATTR] [msg="TEXT"]
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

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS	32
#define EXPECT_ANY	(-1)	/* "try": any result is fine */
#define MAX_VARS	32

static const char * const attr_names[MGM_A_MAX + 1] = {
	[MGM_A_HANDLE] = "handle",
	[MGM_A_PROTOCOL_ID] = "protocol-id",
	[MGM_A_COMPONENT_ID] = "component-id",
	[MGM_A_IFINDEX] = "ifindex",
	[MGM_A_NEXTHOP] = "nexthop",
	[MGM_A_IGMP] = "igmp",
	[MGM_A_PORTID] = "portid",
	[MGM_A_IGMP_HANDLE] = "igmp-handle",
	[MGM_A_IGMP_DISABLED] = "igmp-disabled",
};

static const char * const cmd_names[MGM_CMD_MAX + 1] = {
	[MGM_CMD_REGISTER] = "register",
	[MGM_CMD_DEREGISTER] = "deregister",
	[MGM_CMD_TAKE_INTERFACE] = "take-interface",
	[MGM_CMD_RELEASE_INTERFACE] = "release-interface",
	[MGM_CMD_GET_INTERFACE] = "get-interface",
	[MGM_CMD_GET_PROTOCOL] = "get-protocol",
	[MGM_CMD_DISABLE_IGMP] = "disable-igmp",
	[MGM_CMD_ENABLE_IGMP] = "enable-igmp",
	[MGM_CMD_PROTOCOL_NEW] = "protocol-new",
	[MGM_CMD_PROTOCOL_DEL] = "protocol-del",
	[MGM_CMD_INTERFACE_NEW] = "interface-new",
	[MGM_CMD_INTERFACE_DEL] = "interface-del",
};

static struct mnl_socket *nl;
static uint32_t portid;
static uint16_t family_id;
static uint32_t monitor_grp;
static uint32_t seq;
static char buf[65536];		/* dumps fill up to 32 KiB per datagram */

static struct {
	char name[32];
	char value[32];
} vars[MAX_VARS];
static int n_vars;

/* The result of one request. */
struct result {
	int error;		/* 0 or a positive errno */
	int missing;		/* attribute named by the kernel as missing */
	int bad_attr;		/* attribute at the offset the kernel named */
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
	return type <= MGM_A_MAX && attr_names[type] ? attr_names[type] : "?";
}

static const char *cmd_name(unsigned int cmd)
{
	return cmd <= MGM_CMD_MAX && cmd_names[cmd] ? cmd_names[cmd] : "?";
}

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
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
		if (attr_names[i] && !strcmp(attr_names[i], name))
			return i;
	return 0;
}

static int cmd_by_name(const char *name)
{
	int i;

	for (i = 1; i <= MGM_CMD_MAX; i++)
		if (cmd_names[i] && !strcmp(cmd_names[i], name))
			return i;
	return 0;
}

/* Print a genetlink message of the family as "PREFIX CMD ATTR=VALUE...". */
static void print_msg(const char *prefix, const struct nlmsghdr *nlh,
		      struct result *res)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	char addr[INET_ADDRSTRLEN];

	printf("%s%s", prefix, cmd_name(genl->cmd));
	mnl_attr_for_each(attr, nlh, sizeof(*genl)) {
		unsigned int type = mnl_attr_get_type(attr);
		uint32_t v;

		if (mnl_attr_get_payload_len(attr) == 0) {
			printf(" %s", attr_name(type));
			continue;
		}
		if (mnl_attr_get_payload_len(attr) != sizeof(v)) {
			printf(" %s=?", attr_name(type));
			continue;
		}
		v = mnl_attr_get_u32(attr);
		if (type == MGM_A_NEXTHOP)
			printf(" %s=%s", attr_name(type),
			       inet_ntop(AF_INET, &v, addr, sizeof(addr)));
		else
			printf(" %s=%u", attr_name(type), v);
		if (type == MGM_A_HANDLE && res)
			res->handle = v;
	}
	printf("\n");
}

struct ext_ack {
	const struct nlmsghdr *req;
	struct result *res;
};

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ext_ack *ea = data;
	uint32_t off;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(ea->res->msg, sizeof(ea->res->msg), "%.*s",
			 (int)mnl_attr_get_payload_len(attr),
			 (const char *)mnl_attr_get_payload(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		/* the offset of the attribute at fault in our request */
		off = mnl_attr_get_u32(attr);
		if (off + sizeof(struct nlattr) <= ea->req->nlmsg_len)
			ea->res->bad_attr = mnl_attr_get_type((const void *)
				((const char *)ea->req + off));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		ea->res->missing = mnl_attr_get_u32(attr);
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
}

/* A message that is not an answer to the request under way. */
static void print_unsolicited(const struct nlmsghdr *nlh, uint32_t groups)
{
	if (nlh->nlmsg_type != family_id)
		return;
	print_msg(groups ? "event " : "notify ", nlh, NULL);
}

static int recv_datagram(uint32_t *groups)
{
	struct sockaddr_nl addr;
	socklen_t alen = sizeof(addr);
	int n;

	n = recvfrom(mnl_socket_get_fd(nl), buf, sizeof(buf), 0,
		     (struct sockaddr *)&addr, &alen);
	*groups = n >= 0 ? addr.nl_groups : 0;
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
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		n = recv_datagram(&groups);
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
				return 0;
			}
			if (nlh->nlmsg_type == family_id) {
				res->count++;
				print_msg("", nlh, res);
			}
		}
	}
}

static int ctrl_group_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= CTRL_ATTR_MCAST_GRP_ID)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int ctrl_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr *grp, *tb[CTRL_ATTR_MCAST_GRP_ID + 1];

	(void)data;
	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		family_id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			memset(tb, 0, sizeof(tb));
			mnl_attr_parse_nested(grp, ctrl_group_attr, tb);
			if (tb[CTRL_ATTR_MCAST_GRP_NAME] &&
			    tb[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				    MGM_MCGRP_MONITOR))
				monitor_grp = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		}
		break;
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *put_request(uint16_t type, uint16_t flags,
				    uint8_t cmd, uint8_t version)
{
	static char reqbuf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(reqbuf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int lookup_family(void)
{
	struct nlmsghdr *nlh;
	int n;

	if (family_id)
		return 0;
	nlh = put_request(GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MGM_FAMILY_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (e->error)
					return e->error;
				return family_id ? 0 : -ENOENT;
			}
			if (nlh->nlmsg_type == GENL_ID_CTRL)
				mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
					       ctrl_attr, NULL);
		}
	}
}

/* Resolve the family on first use, so that hold and sleep work without it. */
static int resolve_family(const char *cmd)
{
	int err = lookup_family();

	if (err)
		printf("error %s %s msg=\"no family %s\"\n", cmd,
		       errno_name(-err), MGM_FAMILY_NAME);
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

/* Print and read what arrives for @secs seconds (forever if negative). */
static int hold(double secs)
{
	struct timespec now, end;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	uint32_t groups;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)secs;
	end.tv_nsec += (long)((secs - (time_t)secs) * 1e9);
	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		int timeout = -1;

		if (secs >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			timeout = (end.tv_sec - now.tv_sec) * 1000 +
				  (end.tv_nsec - now.tv_nsec) / 1000000;
			if (timeout <= 0)
				return 0;
		}
		if (poll(&pfd, 1, timeout) < 0)
			return -errno;
		if (!(pfd.revents & POLLIN))
			continue;
		n = recv_datagram(&groups);
		if (n < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
			print_unsolicited(nlh, groups);
	}
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
	printf("error %s %s", name, errno_name(res->error));
	if (res->missing)
		printf(" missing=%s", attr_name(res->missing));
	if (res->bad_attr)
		printf(" attr=%s", attr_name(res->bad_attr));
	if (res->msg[0])
		printf(" msg=\"%s\"", res->msg);
	printf("\n");
}

static int usage(const char *what)
{
	fprintf(stderr, "mgm-client: bad command or argument: %s\n%s", what,
		"commands: register PROTO COMP [VAR] | deregister H | take H IF [NH]\n"
		"  | release H IF [NH] | owner IF [NH] | interfaces | protocols\n"
		"  | send CMD [dump] [ATTR[=VALUE]...] | monitor [SECS] | hold [SECS]\n"
		"  | sleep SECS | rcvbuf BYTES | echo WORD...\n"
		"  | expect-error ERRNO COMMAND... | try COMMAND...\n");
	return -EINVAL;
}

/*
 * Build the request of a family command from its arguments: either the
 * "send" syntax (ATTR[=VALUE]...) or positional arguments named by @attrs.
 */
static int put_attr(struct nlmsghdr *nlh, int type, const char *val)
{
	uint32_t v = 0;
	bool ok;

	if (type == MGM_A_IGMP || type == MGM_A_IGMP_DISABLED) {
		mnl_attr_put(nlh, type, 0, NULL);
		return 0;
	}
	if (!val)
		return -EINVAL;
	if (type == MGM_A_NEXTHOP)
		ok = parse_nexthop(val, &v) || parse_u32(val, &v);
	else if (type == MGM_A_IFINDEX)
		ok = parse_ifindex(val, &v);
	else
		ok = parse_u32(val, &v);
	if (!ok)
		return -EINVAL;
	mnl_attr_put_u32(nlh, type, v);
	return 0;
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
		int attrs[3];
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
	};
	const char *cmd = argv[0];
	struct nlmsghdr *nlh;
	struct result res;
	double secs = -1;
	bool dump;
	int i, err;

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
		       !strcmp(cmd, "rcvbuf")))
		return usage(cmd);	/* these cannot fail with an errno */
	if (!strcmp(cmd, "rcvbuf")) {
		uint32_t size;
		int fd = mnl_socket_get_fd(nl);

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
		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP,
					  &monitor_grp, sizeof(monitor_grp)))
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
		nlh = put_request(family_id, dump ? NLM_F_DUMP : NLM_F_ACK, c,
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
		cmd = cmd_name(c);
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
		nlh = put_request(family_id, dump ? NLM_F_DUMP : NLM_F_ACK,
				  simple[i].cmd, MGM_FAMILY_VERSION);
		/* register's optional third argument names the variable */
		for (int a = 1; a < argc && simple[i].attrs[a - 1]; a++)
			if (put_attr(nlh, simple[i].attrs[a - 1], argv[a]))
				return usage(argv[a]);
		cmd = cmd_name(simple[i].cmd);
	}

	err = transact(nlh, &res);
	if (err)
		return err;
	print_result(cmd, &res, dump);
	if (!res.error && !strcmp(argv[0], "register")) {
		char value[16];

		snprintf(value, sizeof(value), "%u", res.handle);
		set_var(argc > 3 ? argv[3] : "H", value);
	}

	if (expect > 0 && res.error != expect) {
		fprintf(stderr, "mgm-client: %s: expected %s, got %s\n",
			argv[0], errno_name(expect),
			res.error ? errno_name(res.error) : "success");
		return 1;
	}
	if (!expect && res.error) {
		fprintf(stderr, "mgm-client: %s failed: %s\n", argv[0],
			errno_name(res.error));
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
	if (err < 0 && err != -EINVAL)
		fprintf(stderr, "mgm-client: %s\n", strerror(-err));
	mnl_socket_close(nl);
	return err == -EINVAL ? 2 : err ? 1 : 0;
}

int main(int argc, char **argv)
{
	char value[16], *line = NULL;
	size_t len = 0;
	int one = 1;
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mgm-client COMMAND [ARG...] | run [LINE...]\n");
		return 2;
	}
	/* the output is read by scripts while we run: one line at a time */
	setvbuf(stdout, NULL, _IOLBF, 0);

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("mgm-client: netlink socket");
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(nl);
	snprintf(value, sizeof(value), "%u", portid);
	set_var("PORTID", value);

	if (strcmp(argv[1], "run"))
		return finish(run_cmd(argc - 1, argv + 1, 0));

	if (argc > 2) {
		for (int i = 2; i < argc && !err; i++)
			err = run_line(argv[i]);
		return finish(err);
	}
	while (!err && getline(&line, &len, stdin) > 0)
		err = run_line(line);
	free(line);
	return finish(err);
}
