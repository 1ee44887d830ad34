// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl protocol|interface|mfe|group show: each reply of a dump becomes a
 * table row, or a JSON object in an array.  group show walks the groups
 * with libmgm's enumeration (libmgm(3)), as a daemon would; the others
 * read the replies' attributes themselves, to show every one.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../libmgm/libmgm.h"
#include "mgmctl.h"

struct show {
	struct table table;
	/* for mfe show */
	bool stats;
	bool by_group, by_source;
	uint32_t group, source;
};

static char *fmt_u32(char *buf, uint32_t v)
{
	sprintf(buf, "%u", v);
	return buf;
}

/* JSON goes to a buffer: a failed dump prints nothing on stdout */
struct output {
	char *text;
	size_t len;
};

static int output_begin(struct output *o)
{
	o->text = NULL;
	o->len = 0;
	if (json) {
		jw_out = open_memstream(&o->text, &o->len);
		if (!jw_out) {
			perror("mgmctl");
			return EXIT_ERROR;
		}
		jw_open('[');
	}
	ifname_cache_use(true);
	return 0;
}

/* The rows or the JSON array, if the dump went through (@ok). */
static void output_end(struct output *o, struct show *s, bool ok)
{
	ifname_cache_use(false);
	if (json) {
		jw_close(']');
		jw_end_line();
		fclose(jw_out);
		jw_out = stdout;
	}
	if (ok) {
		if (json)
			fwrite(o->text, 1, o->len, stdout);
		else
			table_print(&s->table);
	}
	free(o->text);
}

/* Send @req, print its replies through @cb, as table or JSON. */
static int show(const char *what, struct nlmsghdr *req, mgm_nl_cb cb,
		struct show *s)
{
	struct output o;
	struct mgm_err err;
	int ret;

	if (output_begin(&o))
		return EXIT_ERROR;
	ret = mgm_nl_transact(&nl, req, cb, NULL, s, &err);
	output_end(&o, s, !ret && !err.err);
	if (ret) {
		fprintf(stderr, "mgmctl: %s: %s\n", what, strerror(-ret));
		return EXIT_ERROR;
	}
	if (err.err)
		return request_failed(what, &err);
	return 0;
}

static int no_more_args(int argc, char **argv)
{
	if (argc > 0)
		return usage_error("unexpected argument", argv[0]);
	return 0;
}

/* The command word: "show" (also the default, as in iproute2). */
static int want_show(int *argc, char ***argv)
{
	if (!*argc)
		return 0;
	if (!matches((*argv)[0], "show") && !matches((*argv)[0], "list"))
		return usage_error("unknown command", (*argv)[0]);
	(*argc)--;
	(*argv)++;
	return 0;
}

/* "3" seconds as "3s", 0 as "-" where it means "never". */
static char *fmt_secs(char *buf, uint32_t secs, bool zero_is_never)
{
	if (!secs && zero_is_never)
		snprintf(buf, 16, "-");
	else
		sprintf(buf, "%us", secs);
	return buf;
}

static int protocol_row(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct show *s = data;
	char h[16], p[16], c[16], port[16], hold[16], state[32];
	uint32_t st, left;

	(void)mc;
	mgm_nl_parse(nlh, tb);
	st = attr_u32(tb, MGM_A_PROTOCOL_STATE, MGM_PROTOCOL_STATE_ACTIVE);
	left = attr_u32(tb, MGM_A_TIME_LEFT, 0);
	if (json) {
		jw_open('{');
		jw_key("handle");
		jw_uint(attr_u32(tb, MGM_A_HANDLE, 0));
		jw_key("protocol-id");
		jw_uint(attr_u32(tb, MGM_A_PROTOCOL_ID, 0));
		jw_key("component-id");
		jw_uint(attr_u32(tb, MGM_A_COMPONENT_ID, 0));
		jw_key("portid");
		jw_uint(attr_u32(tb, MGM_A_PORTID, 0));
		jw_key("hold-time");
		jw_uint(attr_u32(tb, MGM_A_HOLD_TIME, 0));
		jw_key("state");
		jw_str(protocol_state_name(st));
		/* MGM_ANSWER_* flags: the questions MGM does not ask */
		jw_key("answers");
		jw_uint(attr_u32(tb, MGM_A_ANSWERS, 0));
		if (tb[MGM_A_TIME_LEFT]) {
			jw_key("time-left");
			jw_uint(left);
		}
		jw_close('}');
		return MNL_CB_OK;
	}
	fmt_u32(port, attr_u32(tb, MGM_A_PORTID, 0));
	fmt_secs(hold, attr_u32(tb, MGM_A_HOLD_TIME, 0), true);
	if (tb[MGM_A_TIME_LEFT])
		snprintf(state, sizeof(state), "%s %us", protocol_state_name(st),
			 left);
	else
		snprintf(state, sizeof(state), "%s", protocol_state_name(st));
	table_row(&s->table, (const char * const []){
		fmt_u32(h, attr_u32(tb, MGM_A_HANDLE, 0)),
		fmt_u32(p, attr_u32(tb, MGM_A_PROTOCOL_ID, 0)),
		fmt_u32(c, attr_u32(tb, MGM_A_COMPONENT_ID, 0)),
		/* a held registration has no socket; one of 0 is the kernel's */
		st == MGM_PROTOCOL_STATE_HELD ? "-" :
		strcmp(port, "0") ? port : "kernel",
		hold, state });
	return MNL_CB_OK;
}

int do_protocol(int argc, char **argv)
{
	static const char * const hdr[] = {
		"HANDLE", "PROTOCOL", "COMPONENT", "PORTID", "HOLD", "STATE" };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct show s;
	int ret;

	ret = want_show(&argc, &argv);
	if (!ret)
		ret = no_more_args(argc, argv);
	if (ret)
		return ret;
	table_init(&s.table, 6, hdr);
	return show("protocol show",
		    mgm_nl_request(&nl, buf, MGM_CMD_GET_PROTOCOL, NLM_F_DUMP),
		    protocol_row, &s);
}

static int interface_row(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct show *s = data;
	char idx[16], name[IF_NAMESIZE], h[32], p[16], c[16], igmp[32];
	uint32_t ifindex, nexthop;

	(void)mc;
	mgm_nl_parse(nlh, tb);
	ifindex = attr_u32(tb, MGM_A_IFINDEX, 0);
	nexthop = attr_u32(tb, MGM_A_NEXTHOP, 0);
	ifname(ifindex, name);
	if (json) {
		jw_open('{');
		jw_key("ifindex");
		jw_uint(ifindex);
		jw_key("ifname");
		jw_str(name);
		jw_key("nexthop");
		jw_ipv4(nexthop);
		/* the routing protocol that owns it, if any */
		if (tb[MGM_A_HANDLE]) {
			jw_key("handle");
			jw_uint(attr_u32(tb, MGM_A_HANDLE, 0));
			jw_key("protocol-id");
			jw_uint(attr_u32(tb, MGM_A_PROTOCOL_ID, 0));
			jw_key("component-id");
			jw_uint(attr_u32(tb, MGM_A_COMPONENT_ID, 0));
		}
		jw_key("igmp");
		jw_bool(tb[MGM_A_IGMP]);
		if (tb[MGM_A_IGMP_HANDLE]) {
			jw_key("igmp-handle");
			jw_uint(attr_u32(tb, MGM_A_IGMP_HANDLE, 0));
		}
		jw_key("igmp-disabled");
		jw_bool(tb[MGM_A_IGMP_DISABLED]);
		if (tb[MGM_A_STALE]) {
			jw_key("stale");
			jw_bool(true);
		}
		jw_close('}');
		return MNL_CB_OK;
	}
	if (tb[MGM_A_IGMP])
		snprintf(igmp, sizeof(igmp), "%u%s",
			 attr_u32(tb, MGM_A_IGMP_HANDLE, 0),
			 tb[MGM_A_IGMP_DISABLED] ? " (disabled)" : "");
	else
		snprintf(igmp, sizeof(igmp), "-");
	if (tb[MGM_A_HANDLE])
		snprintf(h, sizeof(h), "%u%s", attr_u32(tb, MGM_A_HANDLE, 0),
			 tb[MGM_A_STALE] ? " (stale)" : "");
	table_row(&s->table, (const char * const []){
		fmt_u32(idx, ifindex), name[0] ? name : "-",
		nexthop ? ipv4(nexthop) : "-",
		tb[MGM_A_HANDLE] ? h : "-",
		tb[MGM_A_HANDLE] ?
			fmt_u32(p, attr_u32(tb, MGM_A_PROTOCOL_ID, 0)) : "-",
		tb[MGM_A_HANDLE] ?
			fmt_u32(c, attr_u32(tb, MGM_A_COMPONENT_ID, 0)) : "-",
		igmp });
	return MNL_CB_OK;
}

int do_interface(int argc, char **argv)
{
	static const char * const hdr[] = {
		"IFINDEX", "IFNAME", "NEXTHOP", "HANDLE", "PROTOCOL",
		"COMPONENT", "IGMP" };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct show s;
	int ret;

	ret = want_show(&argc, &argv);
	if (!ret)
		ret = no_more_args(argc, argv);
	if (ret)
		return ret;
	table_init(&s.table, 7, hdr);
	return show("interface show",
		    mgm_nl_request(&nl, buf, MGM_CMD_GET_INTERFACE, NLM_F_DUMP),
		    interface_row, &s);
}

/* The outgoing interfaces as "d1,d2" (ifindex where there is no name). */
static void fmt_oifs(const struct nlmsghdr *nlh, char *out, size_t size)
{
	const struct nlattr *attr, *tb[MGM_OIF_A_MAX + 1];
	char name[IF_NAMESIZE];
	size_t len = 0;

	out[0] = '\0';
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		uint32_t idx, nh;

		if (mnl_attr_get_type(attr) != MGM_A_OIF)
			continue;
		mgm_nl_parse_oif(attr, tb);
		idx = attr_u32(tb, MGM_OIF_A_IFINDEX, 0);
		nh = attr_u32(tb, MGM_OIF_A_NEXTHOP, 0);
		ifname(idx, name);
		if (len >= size)
			break;
		if (name[0])
			len += snprintf(out + len, size - len, "%s%s",
					len ? "," : "", name);
		else
			len += snprintf(out + len, size - len, "%s%u",
					len ? "," : "", idx);
		if (nh && len < size)
			len += snprintf(out + len, size - len, "/%s", ipv4(nh));
	}
	if (!out[0])
		snprintf(out, size, "-");
}

static void json_oifs(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr, *tb[MGM_OIF_A_MAX + 1];
	char name[IF_NAMESIZE];

	jw_key("oifs");
	jw_open('[');
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != MGM_A_OIF)
			continue;
		mgm_nl_parse_oif(attr, tb);
		jw_open('{');
		jw_key("ifindex");
		jw_uint(attr_u32(tb, MGM_OIF_A_IFINDEX, 0));
		jw_key("ifname");
		jw_str(ifname(attr_u32(tb, MGM_OIF_A_IFINDEX, 0), name));
		jw_key("nexthop");
		jw_ipv4(attr_u32(tb, MGM_OIF_A_NEXTHOP, 0));
		jw_close('}');
	}
	jw_close(']');
}

static void json_mfe(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     bool stats)
{
	char name[IF_NAMESIZE];
	uint32_t iif = attr_u32(tb, MGM_A_IIF, 0);

	jw_open('{');
	jw_key("source");
	jw_ipv4(attr_u32(tb, MGM_A_SOURCE, 0));
	jw_key("group");
	jw_ipv4(attr_u32(tb, MGM_A_GROUP, 0));
	jw_key("iif");
	jw_uint(iif);
	jw_key("iif-name");
	jw_str(ifname(iif, name));
	jw_key("iif-nexthop");
	jw_ipv4(attr_u32(tb, MGM_A_IIF_NEXTHOP, 0));
	jw_key("iif-protocol");
	jw_uint(attr_u32(tb, MGM_A_IIF_PROTOCOL, 0));
	jw_key("upstream");
	jw_ipv4(attr_u32(tb, MGM_A_UPSTREAM, 0));
	if (tb[MGM_A_ROUTE_PREFIX]) {
		jw_key("route-prefix");
		jw_ipv4(attr_u32(tb, MGM_A_ROUTE_PREFIX, 0));
		jw_key("route-prefix-len");
		jw_uint(tb[MGM_A_ROUTE_PREFIX_LEN] ?
			mnl_attr_get_u8(tb[MGM_A_ROUTE_PREFIX_LEN]) : 0);
		jw_key("route-protocol");
		jw_uint(tb[MGM_A_ROUTE_PROTOCOL] ?
			mnl_attr_get_u8(tb[MGM_A_ROUTE_PROTOCOL]) : 0);
	}
	jw_key("uptime");
	jw_uint(attr_u32(tb, MGM_A_UPTIME, 0));
	jw_key("expiry");
	jw_uint(attr_u32(tb, MGM_A_EXPIRY, 0));
	jw_key("timeout");
	jw_uint(attr_u32(tb, MGM_A_TIMEOUT, 0));
	json_oifs(nlh);
	if (stats) {
		jw_key("pkts");
		jw_uint(attr_u64(tb, MGM_A_PKTS));
		jw_key("bytes");
		jw_uint(attr_u64(tb, MGM_A_BYTES));
		jw_key("wrong-if");
		jw_uint(attr_u64(tb, MGM_A_WRONG_IF));
	}
	jw_close('}');
}

static int mfe_row(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct show *s = data;
	char name[IF_NAMESIZE], proto[16], up[16], exp[16], oifs[512];
	char pkts[24], bytes[24], wrong[24];
	uint32_t iif;

	(void)mc;
	mgm_nl_parse(nlh, tb);
	/* a dump has no filter of its own: select here */
	if ((s->by_group && attr_u32(tb, MGM_A_GROUP, 0) != s->group) ||
	    (s->by_source && attr_u32(tb, MGM_A_SOURCE, 0) != s->source))
		return MNL_CB_OK;
	if (json) {
		json_mfe(nlh, tb, s->stats);
		return MNL_CB_OK;
	}
	iif = attr_u32(tb, MGM_A_IIF, 0);
	ifname(iif, name);
	fmt_oifs(nlh, oifs, sizeof(oifs));
	snprintf(pkts, sizeof(pkts), "%llu",
		 (unsigned long long)attr_u64(tb, MGM_A_PKTS));
	snprintf(bytes, sizeof(bytes), "%llu",
		 (unsigned long long)attr_u64(tb, MGM_A_BYTES));
	snprintf(wrong, sizeof(wrong), "%llu",
		 (unsigned long long)attr_u64(tb, MGM_A_WRONG_IF));
	table_row(&s->table, (const char * const []){
		ipv4(attr_u32(tb, MGM_A_SOURCE, 0)),
		ipv4(attr_u32(tb, MGM_A_GROUP, 0)),
		!iif ? "-" : name[0] ? name : fmt_u32(name, iif),
		ipv4(attr_u32(tb, MGM_A_UPSTREAM, 0)),
		fmt_u32(proto, attr_u32(tb, MGM_A_IIF_PROTOCOL, 0)),
		fmt_secs(up, attr_u32(tb, MGM_A_UPTIME, 0), false),
		fmt_secs(exp, attr_u32(tb, MGM_A_EXPIRY, 0), true),
		/* with -s the counters come before the list, which is last */
		s->stats ? pkts : oifs, bytes, wrong, oifs });
	return MNL_CB_OK;
}

static int parse_addr(const char *what, const char *arg, uint32_t *addr)
{
	if (inet_pton(AF_INET, arg, addr) != 1)
		return usage_error(what, arg);
	return 0;
}

int do_mfe(int argc, char **argv)
{
	static const char * const hdr[] = {
		"SOURCE", "GROUP", "IIF", "UPSTREAM", "PROTOCOL", "UPTIME",
		"EXPIRY", "PACKETS", "BYTES", "WRONG-IF", "OIFS" };
	static const char * const hdr_short[] = {
		"SOURCE", "GROUP", "IIF", "UPSTREAM", "PROTOCOL", "UPTIME",
		"EXPIRY", "OIFS" };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *req;
	struct show s = { 0 };
	int ret;

	ret = want_show(&argc, &argv);
	if (ret)
		return ret;
	for (; argc; argc--, argv++) {
		if (!strcmp(argv[0], "-s") || !strcmp(argv[0], "-stats") ||
		    !strcmp(argv[0], "--stats")) {
			s.stats = true;
		} else if (argc > 1 && matches(argv[0], "group")) {
			ret = parse_addr("bad group address", *++argv, &s.group);
			s.by_group = true;
			argc--;
		} else if (argc > 1 && matches(argv[0], "source")) {
			ret = parse_addr("bad source address", *++argv, &s.source);
			s.by_source = true;
			argc--;
		} else {
			return usage_error("unexpected argument", argv[0]);
		}
		if (ret)
			return ret;
	}
	if (s.stats)
		table_init(&s.table, 11, hdr);
	else
		table_init(&s.table, 8, hdr_short);

	if (s.by_group && s.by_source) {
		/* one entry: the kernel says why there is none */
		req = mgm_nl_request(&nl, buf, MGM_CMD_GET_MFE, NLM_F_ACK);
		mnl_attr_put_u32(req, MGM_A_SOURCE, s.source);
		mnl_attr_put_u32(req, MGM_A_GROUP, s.group);
	} else {
		req = mgm_nl_request(&nl, buf, MGM_CMD_GET_MFE, NLM_F_DUMP);
	}
	if (s.stats)
		mnl_attr_put(req, MGM_A_STATS, 0, NULL);
	return show("mfe show", req, mfe_row, &s);
}

/* An address with its mask: "*" for the wildcard. */
static const char *fmt_key(uint32_t addr, uint32_t mask)
{
	return !addr && !mask ? "*" : ipv4(addr);
}

/* A key is (S,G), (*,G) or (*,*): each mask follows from its address. */
static int group_row(const struct mgm_sg *key, void *data)
{
	uint32_t src = key->source, grp = key->group;
	uint32_t smask = src ? 0xffffffff : 0, gmask = grp ? 0xffffffff : 0;
	struct show *s = data;

	if (json) {
		jw_open('{');
		jw_key("source");
		jw_ipv4(src);
		jw_key("source-mask");
		jw_ipv4(smask);
		jw_key("group");
		jw_ipv4(grp);
		jw_key("group-mask");
		jw_ipv4(gmask);
		jw_close('}');
		return 0;
	}
	table_row(&s->table, (const char * const []){
		fmt_key(src, smask), fmt_key(grp, gmask) });
	return 0;
}

int do_group(int argc, char **argv)
{
	static const char * const hdr[] = { "SOURCE", "GROUP" };
	bool all_sources = true;
	struct mgm_error err;
	struct output o;
	struct show s;
	struct mgm *m;
	int ret;

	ret = want_show(&argc, &argv);
	if (ret)
		return ret;
	if (argc && matches(argv[0], "all-sources")) {
		argc--, argv++;
	} else if (argc && matches(argv[0], "any-source")) {
		all_sources = false;
		argc--, argv++;
	}
	ret = no_more_args(argc, argv);
	if (ret)
		return ret;
	table_init(&s.table, 2, hdr);
	m = mgm_open(&err);
	if (!m)
		return request_failed_lib("group show", &err);
	ret = output_begin(&o);
	if (!ret) {
		ret = mgm_each_group(m, all_sources, group_row, &s, &err);
		output_end(&o, &s, !ret);
		if (ret)
			ret = request_failed_lib("group show", &err);
	}
	mgm_close(m);
	return ret;
}
