// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl monitor: every message of the monitor group, one line each:
 *
 *   TIME EVENT ATTR=VALUE...     (-j: one JSON object per line)
 *
 * Attributes are printed generically from the family's attribute table,
 * so that an event or attribute added to the family later still shows.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <linux/genetlink.h>

#include "mgmctl.h"

/* ISO 8601 UTC with microseconds: sortable, and free of time zones. */
static const char *timestamp(char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%06ldZ", (long)tv.tv_usec);
	return buf;
}

static void text_ifindex(uint32_t idx)
{
	char name[IF_NAMESIZE];

	if (ifname(idx, name)[0])
		printf("%u:%s", idx, name);
	else
		printf("%u", idx);
}

/* An oif as "IFINDEX:NAME[,nexthop=A][,igmp][,disabled]". */
static void text_oif(const struct nlattr *oif)
{
	const struct nlattr *tb[MGM_OIF_A_MAX + 1];

	mgm_nl_parse_oif(oif, tb);
	text_ifindex(attr_u32(tb, MGM_OIF_A_IFINDEX, 0));
	if (attr_u32(tb, MGM_OIF_A_NEXTHOP, 0))
		printf(",nexthop=%s", ipv4(attr_u32(tb, MGM_OIF_A_NEXTHOP, 0)));
	if (tb[MGM_OIF_A_IGMP])
		printf(",igmp");
	if (tb[MGM_OIF_A_DISABLED])
		printf(",disabled");
}

static void json_oif(const struct nlattr *oif)
{
	const struct nlattr *tb[MGM_OIF_A_MAX + 1];
	char name[IF_NAMESIZE];
	uint32_t idx;

	mgm_nl_parse_oif(oif, tb);
	idx = attr_u32(tb, MGM_OIF_A_IFINDEX, 0);
	jw_open('{');
	jw_key("ifindex");
	jw_uint(idx);
	jw_key("ifname");
	jw_str(ifname(idx, name));
	jw_key("nexthop");
	jw_ipv4(attr_u32(tb, MGM_OIF_A_NEXTHOP, 0));
	jw_key("igmp");
	jw_bool(tb[MGM_OIF_A_IGMP]);
	jw_key("disabled");
	jw_bool(tb[MGM_OIF_A_DISABLED]);
	jw_close('}');
}

/*
 * The names of the numbers in a nest (counters, limits), NULL for a nest
 * this mgmctl does not know; *@max is the highest type.
 */
static const char * const *nest_names(const struct nlattr *a,
				      unsigned int *max)
{
	switch (mnl_attr_get_type(a)) {
	case MGM_A_COUNTERS:
		*max = MGM_COUNTER_A_MAX;
		return mgm_counter_names;
	case MGM_A_LIMITS:
	case MGM_A_USAGE:
		*max = MGM_LIMIT_A_MAX;
		return mgm_limit_names;
	}
	return NULL;
}

/* Each named number of a nest, to @fn with its name and @first. */
static void nest_each(const struct nlattr *a,
		      void (*fn)(const char *name, uint64_t v, bool *first),
		      bool *first)
{
	const char * const *names;
	const struct nlattr *n;
	unsigned int max, t;

	names = nest_names(a, &max);
	if (!names)
		return;
	mnl_attr_for_each_nested(n, a) {
		t = mnl_attr_get_type(n);
		if (t > max || !names[t])
			continue;
		if (!mnl_attr_validate(n, MNL_TYPE_U64))
			fn(names[t], mnl_attr_get_u64(n), first);
		else if (!mnl_attr_validate(n, MNL_TYPE_U32))
			fn(names[t], mnl_attr_get_u32(n), first);
	}
}

static void text_nested(const char *name, uint64_t v, bool *first)
{
	printf("%s%s:%llu", *first ? "" : ",", name, (unsigned long long)v);
	*first = false;
}

static void json_nested(const char *name, uint64_t v, bool *first)
{
	(void)first;
	jw_key(name);
	jw_uint(v);
}

static void text_attr(const struct nlattr *a, const struct mgm_attr_info *ai)
{
	bool first = true;
	const unsigned char *p = mnl_attr_get_payload(a);
	unsigned int i;

	if (ai->kind == MGM_K_FLAG) {
		printf(" %s", ai->name);
		return;
	}
	printf(" %s=", ai->name);
	if (mnl_attr_get_type(a) == MGM_A_PROTOCOL_STATE) {
		printf("%s", protocol_state_name(mnl_attr_get_u32(a)));
		return;
	}
	switch (ai->kind) {
	case MGM_K_U8:
		printf("%u", mnl_attr_get_u8(a));
		break;
	case MGM_K_U32:
		printf("%u", mnl_attr_get_u32(a));
		break;
	case MGM_K_U64:
		printf("%llu", (unsigned long long)mnl_attr_get_u64(a));
		break;
	case MGM_K_IPV4:
		printf("%s", ipv4(mnl_attr_get_u32(a)));
		break;
	case MGM_K_IFINDEX:
		text_ifindex(mnl_attr_get_u32(a));
		break;
	case MGM_K_OIF:
		text_oif(a);
		break;
	case MGM_K_NEST:	/* NAME:VALUE,... */
		nest_each(a, text_nested, &first);
		break;
	default:	/* binary: hex */
		for (i = 0; i < mnl_attr_get_payload_len(a); i++)
			printf("%02x", p[i]);
		break;
	}
}

static void json_attr(const struct nlattr *a, const struct mgm_attr_info *ai)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	char name[IF_NAMESIZE], key[64], hex[1025];
	unsigned int i, len;
	bool first = true;

	jw_key(ai->name);
	if (mnl_attr_get_type(a) == MGM_A_PROTOCOL_STATE) {
		jw_str(protocol_state_name(mnl_attr_get_u32(a)));
		return;
	}
	switch (ai->kind) {
	case MGM_K_FLAG:
		jw_bool(true);
		break;
	case MGM_K_U8:
		jw_uint(mnl_attr_get_u8(a));
		break;
	case MGM_K_U32:
		jw_uint(mnl_attr_get_u32(a));
		break;
	case MGM_K_U64:
		jw_uint(mnl_attr_get_u64(a));
		break;
	case MGM_K_IPV4:
		jw_ipv4(mnl_attr_get_u32(a));
		break;
	case MGM_K_IFINDEX:
		/* the number, and its name next to it: "iif-name", "ifname" */
		jw_uint(mnl_attr_get_u32(a));
		snprintf(key, sizeof(key), "%s", ai->name);
		if (!strcmp(key, "ifindex"))
			snprintf(key, sizeof(key), "ifname");
		else
			strncat(key, "-name", sizeof(key) - strlen(key) - 1);
		jw_key(key);
		jw_str(ifname(mnl_attr_get_u32(a), name));
		break;
	case MGM_K_NEST:
		jw_open('{');
		nest_each(a, json_nested, &first);
		jw_close('}');
		break;
	default:	/* binary: a hex string (the first 512 bytes) */
		len = mnl_attr_get_payload_len(a);
		if (len > sizeof(hex) / 2)
			len = sizeof(hex) / 2;
		for (i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", p[i]);
		hex[2 * i] = '\0';
		jw_str(hex);
		break;
	}
}

static int print_event(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	bool oifs = false;
	char ts[40];

	(void)data;
	if (!mc || nlh->nlmsg_type != nl.family)
		return MNL_CB_OK;
	timestamp(ts, sizeof(ts));
	if (json) {
		jw_open('{');
		jw_key("time");
		jw_str(ts);
		jw_key("event");
		jw_str(mgm_cmd_name(genl->cmd));
	} else {
		printf("%s %s", ts, mgm_cmd_name(genl->cmd));
	}
	mnl_attr_for_each(a, nlh, sizeof(*genl)) {
		unsigned int type = mnl_attr_get_type(a);
		const struct mgm_attr_info *ai;

		if (type > MGM_A_MAX || type == MGM_A_PAD)
			continue;
		ai = &mgm_attr_info[type];
		if (!ai->name) {
			/* not in this mgmctl's table: say so, do not guess */
			if (!json)
				printf(" attr%u=?", type);
			continue;
		}
		if (ai->kind == MGM_K_OIF) {
			/* repeated: one JSON array "oif" for all of them */
			if (json && !oifs) {
				jw_key("oif");
				jw_open('[');
			}
			oifs = true;
			if (json)
				json_oif(a);
			else
				text_attr(a, ai);
			continue;
		}
		if (json)
			json_attr(a, ai);
		else
			text_attr(a, ai);
	}
	if (json) {
		if (oifs)
			jw_close(']');
		jw_close('}');
		jw_end_line();
	} else {
		putchar('\n');
		fflush(stdout);
	}
	return MNL_CB_OK;
}

int do_monitor(int argc, char **argv)
{
	int size = 4 << 20, ret;

	if (argc)
		return usage_error("unexpected argument", argv[0]);
	/* a burst of events must not overflow the socket */
	if (setsockopt(mgm_nl_fd(&nl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(mgm_nl_fd(&nl), SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));
	ret = mgm_nl_join_monitor(&nl);
	if (ret) {
		fprintf(stderr, "mgmctl: monitor: %s\n", strerror(-ret));
		return EXIT_ERROR;
	}
	for (;;) {
		ret = mgm_nl_recv(&nl, print_event, NULL);
		if (ret == -ENOBUFS) {
			/* the kernel dropped events: say it, and go on */
			if (json) {
				jw_open('{');
				jw_key("event");
				jw_str("lost-events");
				jw_close('}');
				jw_end_line();
			} else {
				puts("lost events (the socket overflowed)");
				fflush(stdout);
			}
			continue;
		}
		if (ret && ret != -EINTR) {
			fprintf(stderr, "mgmctl: monitor: %s\n",
				strerror(-ret));
			return EXIT_ERROR;
		}
	}
}
