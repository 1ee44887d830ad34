// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl limits show|set: how much state the network namespace may hold,
 * how much it holds, and what the limits turned away.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "mgmctl.h"

struct stats {
	uint32_t limit[MGM_LIMIT_A_MAX + 1];
	uint32_t usage[MGM_LIMIT_A_MAX + 1];
	uint64_t counter[MGM_COUNTER_A_MAX + 1];
};

static int stats_reply(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct stats *s = data;

	(void)mc;
	mgm_nl_parse(nlh, tb);
	read_nest(tb[MGM_A_LIMITS], MGM_LIMIT_A_MAX, s->limit, NULL);
	read_nest(tb[MGM_A_USAGE], MGM_LIMIT_A_MAX, s->usage, NULL);
	read_nest(tb[MGM_A_COUNTERS], MGM_COUNTER_A_MAX, NULL, s->counter);
	return MNL_CB_OK;
}

/* "KEY":{"mfes":N,...} */
static void json_limits(const char *key, const uint32_t *v)
{
	unsigned int i;

	jw_key(key);
	jw_open('{');
	for (i = 1; i <= MGM_LIMIT_A_MAX; i++) {
		jw_key(mgm_limit_names[i]);
		jw_uint(v[i]);
	}
	jw_close('}');
}

static void print_json(const struct stats *s)
{
	unsigned int i;

	jw_open('{');
	json_limits("limits", s->limit);
	json_limits("usage", s->usage);
	jw_key("counters");
	jw_open('{');
	for (i = 1; i <= MGM_COUNTER_A_MAX; i++) {
		if (!mgm_counter_names[i])
			continue;
		jw_key(mgm_counter_names[i]);
		jw_uint(s->counter[i]);
	}
	jw_close('}');
	jw_close('}');
	jw_end_line();
}

static void print_tables(const struct stats *s)
{
	static const char * const lhdr[] = { "LIMIT", "MAX", "IN USE" };
	static const char * const chdr[] = { "TURNED AWAY", "COUNT" };
	char a[24], b[24];
	struct table t;
	unsigned int i;

	table_init(&t, 3, lhdr);
	for (i = 1; i <= MGM_LIMIT_A_MAX; i++) {
		snprintf(a, sizeof(a), "%u", s->limit[i]);
		snprintf(b, sizeof(b), "%u", s->usage[i]);
		table_row(&t, (const char * const []){ mgm_limit_names[i], a, b });
	}
	table_print(&t);
	putchar('\n');
	table_init(&t, 2, chdr);
	for (i = 1; i <= MGM_COUNTER_A_MAX; i++) {
		if (!mgm_counter_names[i])
			continue;
		snprintf(a, sizeof(a), "%llu", (unsigned long long)s->counter[i]);
		table_row(&t, (const char * const []){ mgm_counter_names[i], a });
	}
	table_print(&t);
}

static int limits_show(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stats s = { 0 };
	struct nlmsghdr *req;
	int ret;

	req = mgm_nl_request(&nl, buf, MGM_CMD_GET_STATS, NLM_F_ACK);
	ret = transact("limits show", req, stats_reply, &s);
	if (ret)
		return ret;
	if (json)
		print_json(&s);
	else
		print_tables(&s);
	return 0;
}

/* set NAME N [NAME N ...] */
static int limits_set(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], *end;
	struct nlmsghdr *req;
	struct nlattr *nest;
	unsigned long v;
	unsigned int i;

	if (!argc || argc % 2)
		return usage_error("expected LIMIT VALUE pairs after", "set");
	req = mgm_nl_request(&nl, buf, MGM_CMD_SET_LIMITS, NLM_F_ACK);
	nest = mnl_attr_nest_start(req, MGM_A_LIMITS);
	for (; argc; argc -= 2, argv += 2) {
		for (i = 1; i <= MGM_LIMIT_A_MAX; i++)
			if (!strcmp(argv[0], mgm_limit_names[i]))
				break;
		if (i > MGM_LIMIT_A_MAX)
			return usage_error("unknown limit", argv[0]);
		errno = 0;
		v = strtoul(argv[1], &end, 0);
		if (errno || !*argv[1] || *end || !v || v > UINT32_MAX)
			return usage_error("a limit is a number from 1 to 4294967295, not",
					   argv[1]);
		mnl_attr_put_u32(req, i, v);
	}
	mnl_attr_nest_end(req, nest);
	return transact("limits set", req, NULL, NULL);
}

int do_limits(int argc, char **argv)
{
	if (!argc || matches(argv[0], "show") || matches(argv[0], "list")) {
		if (argc > 1)
			return usage_error("unexpected argument", argv[1]);
		return limits_show();
	}
	if (matches(argv[0], "set"))
		return limits_set(argc - 1, argv + 1);
	return usage_error("unknown command", argv[0]);
}
