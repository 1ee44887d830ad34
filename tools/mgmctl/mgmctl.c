// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl: show and watch the state of the Multicast Group Manager (the
 * "mgm" generic netlink family), with the conventions of iproute2:
 *
 *   mgmctl [-j] [-n NETNS] OBJECT COMMAND [ARGS]
 *
 * The man page is mgmctl.8 next to this file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../libmgm/libmgm.h"
#include "mgmctl.h"

bool json;
struct mgm_nl nl;

static const char usage_text[] =
	"Usage: mgmctl [OPTIONS] OBJECT { COMMAND | help }\n"
	"where  OBJECT := { protocol | interface | mfe | group | monitor | limits |\n"
	"                   igmp | static }\n"
	"       OPTIONS := { -j[son] | -n[etns] NETNS | -h[elp] }\n"
	"\n"
	"       mgmctl protocol show\n"
	"       mgmctl interface show\n"
	"       mgmctl mfe show [ -s ] [ group GROUP ] [ source SOURCE ]\n"
	"       mgmctl group show [ all-sources | any-source ]\n"
	"       mgmctl monitor\n"
	"       mgmctl limits show\n"
	"       mgmctl limits set LIMIT VALUE [ LIMIT VALUE ... ]\n"
	"       mgmctl igmp { show | groups } [ dev DEV ]\n"
	"       mgmctl igmp { enable | disable } dev DEV [ SETTING VALUE ... ]\n"
	"       mgmctl static [ socket PATH ] { show | reload }\n"
	"       mgmctl static [ socket PATH ] { add | del } STATEMENT\n"
	"\n"
	"`mgmctl OBJECT help` describes each command; man 8 mgmctl.\n";

bool matches(const char *arg, const char *word)
{
	size_t len = strlen(arg);

	return len && len <= strlen(word) && !strncmp(arg, word, len);
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") ||
	       matches(arg, "help");
}

int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "mgmctl: %s \"%s\"\nTry `mgmctl --help'.\n", what, arg);
	return EXIT_USAGE;
}

static int say_failed(const char *what, int err, const char *msg)
{
	char buf[512];

	fprintf(stderr, "mgmctl: %s: Error: %s\n", what,
		mgm_err_str(err, msg, buf, sizeof(buf)));
	return EXIT_ERROR;
}

int request_failed(const char *what, const struct mgm_err *err)
{
	return say_failed(what, err->err, err->msg);
}

int request_failed_lib(const char *what, const struct mgm_error *err)
{
	return say_failed(what, err->err, err->msg);
}

int transact(const char *what, struct nlmsghdr *req, mgm_nl_cb reply,
	     void *data)
{
	struct mgm_err err;
	int ret = mgm_nl_transact(&nl, req, reply, NULL, data, &err);

	if (ret) {
		fprintf(stderr, "mgmctl: %s: %s\n", what, strerror(-ret));
		return EXIT_ERROR;
	}
	return err.err ? request_failed(what, &err) : 0;
}

/* -n NETNS: run in /run/netns/NETNS, as `ip -n` does. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/')) {
		fprintf(stderr, "mgmctl: bad network namespace name \"%s\"\n",
			name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr,
			"mgmctl: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_ERROR;
	}
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} objects[] = {
	{ "protocol", do_protocol,
	  "Usage: mgmctl [-j] [-n NETNS] protocol show\n"
	  "The registered protocols: handle, protocol id, component id, and\n"
	  "the netlink port id of the socket that owns each (kernel: 0).\n" },
	{ "interface", do_interface,
	  "Usage: mgmctl [-j] [-n NETNS] interface show\n"
	  "The owned interfaces: the routing protocol that owns each, and the\n"
	  "IGMP component's handle when it co-owns it (\"disabled\": between\n"
	  "its disable and enable notifications).\n" },
	{ "mfe", do_mfe,
	  "Usage: mgmctl [-j] [-n NETNS] mfe show [ -s ] [ group GROUP ] [ source SOURCE ]\n"
	  "The multicast forwarding entries, sorted by group then source: incoming\n"
	  "interface, upstream neighbour, owner of the incoming interface, age,\n"
	  "time left, outgoing interfaces.  -s (-stats) adds the forwarder's\n"
	  "counters: packets, bytes, packets on a wrong interface.  With both\n"
	  "GROUP and SOURCE, the one entry (an error if there is none).\n" },
	{ "group", do_group,
	  "Usage: mgmctl [-j] [-n NETNS] group show [ all-sources | any-source ]\n"
	  "The membership keys router-wide, sorted: all-sources (the default)\n"
	  "lists every (S,G), (*,G) and (*,*); any-source each group once.\n"
	  "\"*\" is the wildcard.\n" },
	{ "monitor", do_monitor,
	  "Usage: mgmctl [-j] [-n NETNS] monitor\n"
	  "Every event of the monitor group, one line each with a timestamp,\n"
	  "until interrupted; -j prints JSON lines.\n" },
	{ "limits", do_limits,
	  "Usage: mgmctl [-j] [-n NETNS] limits show\n"
	  "       mgmctl [-n NETNS] limits set LIMIT VALUE [ LIMIT VALUE ... ]\n"
	  "How much state the network namespace may hold (LIMIT: mfes, pending,\n"
	  "questions, members, protocols, nexthops; upcalls, a rate per second),\n"
	  "how much it holds (for the per-protocol and per-interface ones, the\n"
	  "fullest; for upcalls, this second's), and the counters\n"
	  "of what the limits turned away.  Lowering a limit disturbs nothing\n"
	  "already there; raising one needs CAP_NET_ADMIN in the initial user\n"
	  "namespace.\n" },
	{ "igmp", do_igmp,
	  "Usage: mgmctl [-j] [-n NETNS] igmp show [ dev DEV ]\n"
	  "       mgmctl [-j] [-n NETNS] igmp groups [ dev DEV ]\n"
	  "       mgmctl [-n NETNS] igmp enable dev DEV [ SETTING VALUE ... ]\n"
	  "       mgmctl [-n NETNS] igmp disable dev DEV\n"
	  "The IGMP router inside mgm (RFC 3376), per interface.  enable runs it\n"
	  "on DEV, where it learns the link's receivers and reports them as\n"
	  "memberships; SETTING: version (2, 3), robustness, query-interval (s),\n"
	  "response-interval (ms), last-member-interval (ms), max-groups,\n"
	  "max-sources.  show: the version, the querier of the link, the groups\n"
	  "with receivers, queries sent, reports received, packets dropped.\n"
	  "groups: each group with its filter mode, group timer, version and\n"
	  "sources (-j: every source with its timer).\n" },
	{ "static", do_static,
	  "Usage: mgmctl [-j] static [ socket PATH ] show\n"
	  "       mgmctl static [ socket PATH ] reload\n"
	  "       mgmctl static [ socket PATH ] { add | del } STATEMENT\n"
	  "mgm-staticd's configuration in force, through its control socket\n"
	  "(default /run/mgm-staticd.sock): show prints it in the file's own\n"
	  "syntax (-j: JSON); add and del change an mroute or mgroup statement\n"
	  "until the next reload, which rereads the file.\n" },
};

int main(int argc, char **argv)
{
	const char *netns = NULL;
	unsigned int i;
	int ret;

	for (argc--, argv++; argc && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0] + 1 + (argv[0][1] == '-');

		if (!strcmp(argv[0], "--")) {
			argc--, argv++;
			break;
		} else if (matches(opt, "json")) {
			json = true;
		} else if (matches(opt, "netns")) {
			if (argc < 2)
				return usage_error("missing NETNS after", argv[0]);
			netns = *++argv;
			argc--;
		} else if (matches(opt, "help")) {
			fputs(usage_text, stdout);
			return 0;
		} else {
			return usage_error("unknown option", argv[0]);
		}
	}
	jw_out = stdout;
	if (!argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[0])) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (matches(argv[0], objects[i].name))
			break;
	if (i == ARRAY_SIZE(objects))
		return usage_error("unknown object", argv[0]);

	/* help needs neither the namespace nor the module */
	for (int a = 1; a < argc; a++) {
		if (is_help(argv[a])) {
			fputs(objects[i].help, stdout);
			return 0;
		}
	}

	if (netns) {
		ret = enter_netns(netns);
		if (ret)
			return ret;
	}
	/* mgm-staticd's socket, not the kernel's family */
	if (objects[i].fn == do_static)
		return do_static(argc - 1, argv + 1);
	ret = mgm_nl_open(&nl);
	if (ret) {
		if (ret == -ENOENT)
			fprintf(stderr,
				"mgmctl: no generic netlink family \"%s\" (is mgm.ko loaded?)\n",
				MGM_FAMILY_NAME);
		else
			fprintf(stderr, "mgmctl: netlink: %s\n",
				strerror(-ret));
		return EXIT_ERROR;
	}
	ret = objects[i].fn(argc - 1, argv + 1);
	mgm_nl_close(&nl);
	return ret;
}
