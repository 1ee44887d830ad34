// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl igmp enable|disable|show: the in-kernel IGMP component, per
 * interface: where it runs, how, whether it queries the link, and what it
 * received and dropped.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "mgmctl.h"

/* One interface as igmp-get describes it. */
struct igmp_if {
	uint32_t ifindex;
	uint32_t conf[MGM_IGMP_A_MAX + 1];
	uint64_t state[MGM_IGMP_STATE_A_MAX + 1];
	bool querier;
	bool disabled;
};

struct igmp_list {
	struct igmp_if *ifs;
	unsigned int n, cap;
};

static void read_state(const struct nlattr *nest, struct igmp_if *i)
{
	const struct nlattr *attr;
	unsigned int type;

	if (!nest)
		return;
	mnl_attr_for_each_nested(attr, nest) {
		type = mnl_attr_get_type(attr);
		if (type > MGM_IGMP_STATE_A_MAX)
			continue;
		if (type == MGM_IGMP_STATE_A_QUERIER)
			i->querier = true;
		else if (type == MGM_IGMP_STATE_A_DISABLED)
			i->disabled = true;
		else if (!mnl_attr_validate(attr, MNL_TYPE_U64))
			i->state[type] = mnl_attr_get_u64(attr);
		else if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			i->state[type] = mnl_attr_get_u32(attr);
	}
}

static int igmp_reply(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct igmp_list *l = data;
	struct igmp_if *i, *ifs;

	(void)mc;
	if (mgm_nl_parse(nlh, tb) != MGM_CMD_IGMP_GET)
		return MNL_CB_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		ifs = realloc(l->ifs, l->cap * sizeof(*ifs));
		if (!ifs)
			return MNL_CB_ERROR;
		l->ifs = ifs;
	}
	i = &l->ifs[l->n++];
	memset(i, 0, sizeof(*i));
	i->ifindex = attr_u32(tb, MGM_A_IFINDEX, 0);
	read_nest(tb[MGM_A_IGMP_CONFIG], MGM_IGMP_A_MAX, i->conf, NULL);
	read_state(tb[MGM_A_IGMP_STATE], i);
	return MNL_CB_OK;
}

static void print_json(const struct igmp_list *l)
{
	char name[IF_NAMESIZE];
	const struct igmp_if *i;
	unsigned int k, t;

	jw_open('[');
	for (k = 0; k < l->n; k++) {
		i = &l->ifs[k];
		jw_open('{');
		jw_key("dev");
		jw_str(ifname(i->ifindex, name));
		jw_key("ifindex");
		jw_uint(i->ifindex);
		for (t = 1; t <= MGM_IGMP_A_MAX; t++) {
			jw_key(mgm_igmp_names[t]);
			jw_uint(i->conf[t]);
		}
		jw_key("querier");
		jw_bool(i->querier);
		jw_key("querier-addr");
		jw_ipv4(i->state[MGM_IGMP_STATE_A_QUERIER_ADDR]);
		jw_key("querier-since");
		jw_uint(i->state[MGM_IGMP_STATE_A_QUERIER_SINCE]);
		jw_key("disabled");
		jw_bool(i->disabled);
		jw_key("groups");
		jw_uint(i->state[MGM_IGMP_STATE_A_GROUPS]);
		jw_key("counters");
		jw_open('{');
		for (t = MGM_IGMP_STATE_A_QUERIES_SENT;
		     t <= MGM_IGMP_STATE_A_MAX; t++) {
			jw_key(mgm_igmp_state_names[t]);
			jw_uint(i->state[t]);
		}
		jw_close('}');
		jw_close('}');
	}
	jw_close(']');
	jw_end_line();
}

static void print_table(const struct igmp_list *l)
{
	static const char * const hdr[] = {
		"DEV", "VERSION", "QUERIER", "SINCE", "GROUPS", "QUERIES",
		"REPORTS", "DROPPED",
	};
	char name[IF_NAMESIZE], v[8], q[32], since[16], g[16], qs[24],
	     r[24], d[24];
	const struct igmp_if *i;
	struct table t;
	unsigned int k, c;
	uint64_t dropped;

	table_init(&t, ARRAY_SIZE(hdr), hdr);
	for (k = 0; k < l->n; k++) {
		i = &l->ifs[k];
		dropped = 0;
		for (c = MGM_IGMP_STATE_A_SHORT_PACKETS;
		     c <= MGM_IGMP_STATE_A_BAD_SOURCE; c++)
			if (c != MGM_IGMP_STATE_A_BAD_RECORD)
				dropped += i->state[c];
		snprintf(v, sizeof(v), "%u", i->conf[MGM_IGMP_A_VERSION]);
		snprintf(q, sizeof(q), "%s%s",
			 ipv4(i->state[MGM_IGMP_STATE_A_QUERIER_ADDR]),
			 i->querier ? " (this)" : "");
		snprintf(since, sizeof(since), "%llus", (unsigned long long)
			 i->state[MGM_IGMP_STATE_A_QUERIER_SINCE]);
		snprintf(g, sizeof(g), "%llu", (unsigned long long)
			 i->state[MGM_IGMP_STATE_A_GROUPS]);
		snprintf(qs, sizeof(qs), "%llu", (unsigned long long)
			 i->state[MGM_IGMP_STATE_A_QUERIES_SENT]);
		snprintf(r, sizeof(r), "%llu", (unsigned long long)
			 (i->state[MGM_IGMP_STATE_A_REPORTS_V1] +
			  i->state[MGM_IGMP_STATE_A_REPORTS_V2] +
			  i->state[MGM_IGMP_STATE_A_REPORTS_V3] +
			  i->state[MGM_IGMP_STATE_A_LEAVES]));
		snprintf(d, sizeof(d), "%llu", (unsigned long long)dropped);
		table_row(&t, (const char * const []){
			ifname(i->ifindex, name), v, q, since, g, qs, r, d });
	}
	table_print(&t);
}

/* dev NAME: its ifindex, or 0 after a usage error. */
static uint32_t dev_arg(int argc, char **argv)
{
	uint32_t ifindex;

	if (argc < 2 || !matches(argv[0], "dev")) {
		usage_error("expected dev NAME, not", argc ? argv[0] : "");
		return 0;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		usage_error("no such interface", argv[1]);
	return ifindex;
}

static int igmp_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct igmp_list l = { 0 };
	struct nlmsghdr *req;
	uint32_t ifindex = 0;
	struct mgm_err err;
	int ret;

	if (argc) {
		ifindex = dev_arg(argc, argv);
		if (!ifindex)
			return EXIT_USAGE;
		if (argc > 2)
			return usage_error("unexpected argument", argv[2]);
	}
	req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_GET,
			     ifindex ? NLM_F_ACK : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(req, MGM_A_IFINDEX, ifindex);
	ret = mgm_nl_transact(&nl, req, igmp_reply, NULL, &l, &err);
	if (ret) {
		fprintf(stderr, "mgmctl: igmp show: %s\n", strerror(-ret));
		free(l.ifs);
		return EXIT_ERROR;
	}
	if (err.err) {
		free(l.ifs);
		return request_failed("igmp show", &err);
	}
	if (json)
		print_json(&l);
	else
		print_table(&l);
	free(l.ifs);
	return 0;
}

/* enable dev NAME [SETTING VALUE ...]: the settings by their spec names */
static int igmp_enable(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], *end;
	uint32_t ifindex = dev_arg(argc, argv);
	struct nlmsghdr *req;
	struct nlattr *nest;
	struct mgm_err err;
	unsigned long v;
	unsigned int i;
	int ret;

	if (!ifindex)
		return EXIT_USAGE;
	argc -= 2;
	argv += 2;
	if (argc % 2)
		return usage_error("expected SETTING VALUE pairs, not",
				   argv[argc - 1]);
	req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_ENABLE, NLM_F_ACK);
	mnl_attr_put_u32(req, MGM_A_IFINDEX, ifindex);
	nest = mnl_attr_nest_start(req, MGM_A_IGMP_CONFIG);
	for (; argc; argc -= 2, argv += 2) {
		for (i = 1; i <= MGM_IGMP_A_MAX; i++)
			if (!strcmp(argv[0], mgm_igmp_names[i]))
				break;
		if (i > MGM_IGMP_A_MAX)
			return usage_error("unknown setting", argv[0]);
		errno = 0;
		v = strtoul(argv[1], &end, 0);
		if (errno || !*argv[1] || *end || v > UINT32_MAX)
			return usage_error("a setting is a number, not",
					   argv[1]);
		mnl_attr_put_u32(req, i, v);
	}
	mnl_attr_nest_end(req, nest);
	ret = mgm_nl_transact(&nl, req, NULL, NULL, NULL, &err);
	if (ret) {
		fprintf(stderr, "mgmctl: igmp enable: %s\n", strerror(-ret));
		return EXIT_ERROR;
	}
	return err.err ? request_failed("igmp enable", &err) : 0;
}

static int igmp_disable(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t ifindex = dev_arg(argc, argv);
	struct nlmsghdr *req;
	struct mgm_err err;
	int ret;

	if (!ifindex)
		return EXIT_USAGE;
	if (argc > 2)
		return usage_error("unexpected argument", argv[2]);
	req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_DISABLE, NLM_F_ACK);
	mnl_attr_put_u32(req, MGM_A_IFINDEX, ifindex);
	ret = mgm_nl_transact(&nl, req, NULL, NULL, NULL, &err);
	if (ret) {
		fprintf(stderr, "mgmctl: igmp disable: %s\n", strerror(-ret));
		return EXIT_ERROR;
	}
	return err.err ? request_failed("igmp disable", &err) : 0;
}

int do_igmp(int argc, char **argv)
{
	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return igmp_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "enable"))
		return igmp_enable(argc - 1, argv + 1);
	if (matches(argv[0], "disable"))
		return igmp_disable(argc - 1, argv + 1);
	return usage_error("unknown command", argv[0]);
}
