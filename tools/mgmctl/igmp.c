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
		"REPORTS", "DROPPED", "REFUSED",
	};
	char name[IF_NAMESIZE], v[8], q[32], since[16], g[16], qs[24],
	     r[24], d[24], rf[24];
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
		/* state past the limits, the interface's and MGM's */
		snprintf(rf, sizeof(rf), "%llu", (unsigned long long)
			 (i->state[MGM_IGMP_STATE_A_GROUP_REFUSALS] +
			  i->state[MGM_IGMP_STATE_A_SOURCE_REFUSALS] +
			  i->state[MGM_IGMP_STATE_A_MEMBER_REFUSALS]));
		table_row(&t, (const char * const []){
			ifname(i->ifindex, name), v, q, since, g, qs, r, d,
			rf });
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
	ret = transact("igmp show", req, igmp_reply, &l);
	if (!ret && json)
		print_json(&l);
	else if (!ret)
		print_table(&l);
	free(l.ifs);
	return ret;
}

/* enable dev NAME [SETTING VALUE ...]: the settings by their spec names */
static int igmp_enable(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], *end;
	uint32_t ifindex = dev_arg(argc, argv);
	struct nlmsghdr *req;
	struct nlattr *nest;
	unsigned long v;
	unsigned int i;

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
	return transact("igmp enable", req, NULL, NULL);
}

static int igmp_disable(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t ifindex = dev_arg(argc, argv);
	struct nlmsghdr *req;

	if (!ifindex)
		return EXIT_USAGE;
	if (argc > 2)
		return usage_error("unexpected argument", argv[2]);
	req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_DISABLE, NLM_F_ACK);
	mnl_attr_put_u32(req, MGM_A_IFINDEX, ifindex);
	return transact("igmp disable", req, NULL, NULL);
}

/* ---- groups ------------------------------------------------------------------ */

#define MAX_SRCS	1024

struct igmp_group {
	uint32_t ifindex;
	uint32_t group;		/* network byte order */
	bool exclude;
	uint32_t expires, compat, n_sources;
	unsigned int n;
	uint32_t addr[MAX_SRCS];	/* network byte order */
	uint32_t src_expires[MAX_SRCS];
};

struct group_list {
	struct igmp_group *g;
	unsigned int n, cap;
};

static int group_reply(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1], *attr, *sattr;
	struct group_list *l = data;
	struct igmp_group *g, *gs;
	uint32_t v[MGM_IGMP_SOURCE_A_MAX + 1];

	(void)mc;
	if (mgm_nl_parse(nlh, tb) != MGM_CMD_IGMP_GROUP_GET ||
	    !tb[MGM_A_IGMP_GROUP])
		return MNL_CB_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		gs = realloc(l->g, l->cap * sizeof(*gs));
		if (!gs)
			return MNL_CB_ERROR;
		l->g = gs;
	}
	g = &l->g[l->n++];
	memset(g, 0, sizeof(*g));
	g->ifindex = attr_u32(tb, MGM_A_IFINDEX, 0);
	mnl_attr_for_each_nested(attr, tb[MGM_A_IGMP_GROUP]) {
		switch (mnl_attr_get_type(attr)) {
		case MGM_IGMP_GROUP_A_GROUP:
			g->group = mnl_attr_get_u32(attr);
			break;
		case MGM_IGMP_GROUP_A_EXCLUDE:
			g->exclude = true;
			break;
		case MGM_IGMP_GROUP_A_EXPIRES:
			g->expires = mnl_attr_get_u32(attr);
			break;
		case MGM_IGMP_GROUP_A_COMPAT:
			g->compat = mnl_attr_get_u32(attr);
			break;
		case MGM_IGMP_GROUP_A_SOURCES:
			g->n_sources = mnl_attr_get_u32(attr);
			break;
		case MGM_IGMP_GROUP_A_SOURCE:
			if (g->n == MAX_SRCS)
				break;
			memset(v, 0, sizeof(v));
			mnl_attr_for_each_nested(sattr, attr)
				if (mnl_attr_get_type(sattr) <=
				    MGM_IGMP_SOURCE_A_MAX &&
				    !mnl_attr_validate(sattr, MNL_TYPE_U32))
					v[mnl_attr_get_type(sattr)] =
						mnl_attr_get_u32(sattr);
			g->addr[g->n] = v[MGM_IGMP_SOURCE_A_ADDR];
			g->src_expires[g->n++] = v[MGM_IGMP_SOURCE_A_EXPIRES];
			break;
		}
	}
	return MNL_CB_OK;
}

/* The groups of @ifindex added to @l; 0 or an exit status. */
static int dump_groups(uint32_t ifindex, struct group_list *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;

	req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_GROUP_GET, NLM_F_DUMP);
	mnl_attr_put_u32(req, MGM_A_IFINDEX, ifindex);
	return transact("igmp groups", req, group_reply, l);
}

static void groups_json(const struct group_list *l)
{
	char name[IF_NAMESIZE];
	const struct igmp_group *g;
	unsigned int k, i;

	jw_open('[');
	for (k = 0; k < l->n; k++) {
		g = &l->g[k];
		jw_open('{');
		jw_key("dev");
		jw_str(ifname(g->ifindex, name));
		jw_key("group");
		jw_ipv4(g->group);
		jw_key("mode");
		jw_str(g->exclude ? "exclude" : "include");
		jw_key("expires-ms");
		jw_uint(g->expires);
		jw_key("compat");
		jw_uint(g->compat);
		jw_key("sources");
		jw_open('[');
		for (i = 0; i < g->n; i++) {
			jw_open('{');
			jw_key("addr");
			jw_ipv4(g->addr[i]);
			jw_key("expires-ms");
			jw_uint(g->src_expires[i]);
			jw_close('}');
		}
		jw_close(']');
		jw_close('}');
	}
	jw_close(']');
	jw_end_line();
}

static void groups_table(const struct group_list *l)
{
	static const char * const hdr[] = {
		"DEV", "GROUP", "MODE", "EXPIRES", "VERSION", "SOURCES",
	};
	char name[IF_NAMESIZE], exp[16], v[8], srcs[64];
	const struct igmp_group *g;
	struct table t;
	unsigned int k;

	table_init(&t, ARRAY_SIZE(hdr), hdr);
	for (k = 0; k < l->n; k++) {
		g = &l->g[k];
		snprintf(exp, sizeof(exp), "%u.%us", g->expires / 1000,
			 g->expires % 1000 / 100);
		snprintf(v, sizeof(v), "%u", g->compat);
		if (!g->n_sources)
			snprintf(srcs, sizeof(srcs), "-");
		else if (g->n_sources == 1)
			snprintf(srcs, sizeof(srcs), "%s%s", ipv4(g->addr[0]),
				 g->exclude && !g->src_expires[0] ?
				 " (blocked)" : "");
		else
			snprintf(srcs, sizeof(srcs), "%u", g->n_sources);
		table_row(&t, (const char * const []){
			ifname(g->ifindex, name), ipv4(g->group),
			g->exclude ? "exclude" : "include",
			g->exclude ? exp : "-", v, srcs });
	}
	table_print(&t);
}

/* groups [dev DEV]: of DEV, or of every interface where IGMP runs */
static int igmp_groups(int argc, char **argv)
{
	struct group_list groups = { 0 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct igmp_list ifs = { 0 };
	struct nlmsghdr *req;
	uint32_t ifindex = 0;
	unsigned int k;
	int ret = 0;

	if (argc) {
		ifindex = dev_arg(argc, argv);
		if (!ifindex)
			return EXIT_USAGE;
		if (argc > 2)
			return usage_error("unexpected argument", argv[2]);
		ret = dump_groups(ifindex, &groups);
	} else {
		req = mgm_nl_request(&nl, buf, MGM_CMD_IGMP_GET, NLM_F_DUMP);
		ret = transact("igmp groups", req, igmp_reply, &ifs);
		for (k = 0; k < ifs.n && !ret; k++)
			ret = dump_groups(ifs.ifs[k].ifindex, &groups);
		free(ifs.ifs);
	}
	if (!ret) {
		if (json)
			groups_json(&groups);
		else
			groups_table(&groups);
	}
	free(groups.g);
	return ret;
}

int do_igmp(int argc, char **argv)
{
	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return igmp_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "enable"))
		return igmp_enable(argc - 1, argv + 1);
	if (matches(argv[0], "disable"))
		return igmp_disable(argc - 1, argv + 1);
	if (matches(argv[0], "groups"))
		return igmp_groups(argc - 1, argv + 1);
	return usage_error("unknown command", argv[0]);
}
