// SPDX-License-Identifier: GPL-2.0
/*
 * mgm-staticd's configuration file: one statement per line, words parted
 * by blanks, "#" to the end of the line a comment (example.conf has the
 * statements).  A file is read whole before anything is applied, so that a
 * bad line changes nothing.
 *
 * smcroute's file is read as it is (mgm-staticd(8), "smcroute.conf"):
 * phyint, mgroup, mroute with prefixes, include.  A file without any
 * "interface" statement takes the interfaces its routes name, as smcroute
 * enables every interface; one with them must declare each.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define MAX_WORDS	(CONF_MAX_IFS + 8)

#define MAX_DEPTH	8	/* of include */

/* What holds for the whole file, includes and all. */
struct state {
	char *err;
	size_t size;
	/* an interface statement was seen: every interface is declared */
	bool declaring;
	/* the line that named an interface without declaring it, or 0 */
	int implicit_line[CONF_MAX_IFS];
	size_t warnings_len;
};

struct parser {
	const char *path;
	int line;
	int depth;
	char *err;
	size_t size;
	struct state *st;
};

static int bad(struct parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = snprintf(p->err, p->size, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	if (n < p->size)
		vsnprintf(p->err + n, p->size - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A line that is left out: noted in conf->warnings, the rest applies. */
static int warn(struct parser *p, struct conf *conf, const char *fmt, ...)
{
	size_t len = p->st->warnings_len, room = 256 + strlen(p->path);
	char *grown;
	va_list ap;
	int n;

	grown = realloc(conf->warnings, len + room);
	if (!grown)
		return bad(p, "%s", strerror(ENOMEM));
	conf->warnings = grown;
	n = snprintf(grown + len, room, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	n += vsnprintf(grown + len + n, room - n, fmt, ap);
	va_end(ap);
	if ((size_t)n >= room - 1)
		n = room - 2;
	grown[len + n] = '\n';
	grown[len + n + 1] = '\0';
	p->st->warnings_len = len + n + 1;
	return 0;
}

static int find_name(const struct conf *conf, const char *name)
{
	int i;

	for (i = 0; i < conf->n_ifs; i++)
		if (!strcmp(conf->ifs[i].name, name))
			return i;
	return -1;
}

int conf_find_if(const struct conf *conf, uint32_t ifindex,
		 uint32_t nexthop)
{
	int i;

	for (i = 0; i < conf->n_ifs; i++)
		if (conf->ifs[i].ifindex == ifindex &&
		    conf->ifs[i].nexthop == nexthop)
			return i;
	return -1;
}

static int parse_seconds(struct parser *p, const char *s, uint32_t *v)
{
	unsigned long x;
	char *end;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || x > UINT32_MAX)
		return bad(p, "bad number of seconds \"%s\"", s);
	*v = x;
	return 0;
}

static int parse_addr(struct parser *p, const char *what, const char *s,
		      uint32_t *addr)
{
	if (inet_pton(AF_INET, s, addr) != 1)
		return bad(p, "bad %s address \"%s\"", what, s);
	return 0;
}

static uint32_t prefix_mask(int len)
{
	return len ? htonl(~0U << (32 - len)) : 0;
}

/* ADDR or ADDR/LEN, into *@addr (its host bits cleared) and *@len. */
static int parse_prefix(struct parser *p, const char *what, const char *s,
			uint32_t *addr, uint8_t *len)
{
	char buf[INET_ADDRSTRLEN + 4], *slash, *end;
	long l = 32;

	if (strlen(s) >= sizeof(buf))
		return bad(p, "bad %s \"%s\"", what, s);
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		errno = 0;
		l = strtol(slash + 1, &end, 10);
		if (errno || slash[1] == '\0' || *end || l < 0 || l > 32)
			return bad(p, "bad %s prefix length in \"%s\"", what, s);
	}
	if (parse_addr(p, what, buf, addr))
		return -1;
	*addr &= prefix_mask(l);
	*len = l;
	return 0;
}

/* An IPv6 address among the values of a route: the line cannot apply. */
static bool has_ipv6(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if ((!strcmp(argv[i], "source") || !strcmp(argv[i], "group")) &&
		    strchr(argv[i + 1], ':'))
			return true;
	return false;
}

static bool is_disabled(const struct conf *conf, const char *name)
{
	int i;

	for (i = 0; i < conf->n_disabled; i++)
		if (!strcmp(conf->disabled[i], name))
			return true;
	return false;
}

/* A new interface of @conf: its name, index and next hop; its index. */
static int add_if(struct parser *p, struct conf *conf, const char *name,
		  const char *nexthop)
{
	struct conf_if *ci;

	if (conf->n_ifs == CONF_MAX_IFS)
		return bad(p, "more than %d interfaces", CONF_MAX_IFS);
	if (strlen(name) >= IF_NAMESIZE)
		return bad(p, "interface name too long: %s", name);
	ci = &conf->ifs[conf->n_ifs];
	memset(ci, 0, sizeof(*ci));
	snprintf(ci->name, sizeof(ci->name), "%s", name);
	/* 0: it does not exist yet (a ppp or VPN link): pending */
	ci->ifindex = if_nametoindex(name);
	if (nexthop && parse_addr(p, "nexthop", nexthop, &ci->nexthop))
		return -1;
	p->st->implicit_line[conf->n_ifs] = 0;
	return conf->n_ifs++;
}

/* interface NAME [nexthop ADDR] */
static int parse_interface(struct parser *p, struct conf *conf, int argc,
			   char **argv)
{
	int i;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "nexthop")))
		return bad(p, "usage: interface NAME [nexthop ADDRESS]");
	i = find_name(conf, argv[1]);
	if (i >= 0 && !p->st->implicit_line[i])
		return bad(p, "interface %s named twice", argv[1]);
	if (i >= 0)
		return bad(p, "interface %s is declared after a route named it",
			   argv[1]);
	/* a file that declares interfaces declares them all */
	for (i = 0; i < conf->n_ifs; i++)
		if (p->st->implicit_line[i])
			return bad(p, "interface %s (line %d) is not declared",
				   conf->ifs[i].name, p->st->implicit_line[i]);
	p->st->declaring = true;
	conf->declaring = true;
	return add_if(p, conf, argv[1], argc == 4 ? argv[3] : NULL) < 0 ? -1 : 0;
}

/*
 * phyint NAME [enable|disable] [ttl-threshold N] [mrdisc]: smcroute's
 * interface.  Enabled, it is taken as "interface NAME" would be (without
 * making the file one that declares its interfaces); disabled, routes
 * through it are left out.  A TTL threshold and mrdisc have no counterpart
 * in MGM: noted, the interface is taken all the same.
 */
static int parse_phyint(struct parser *p, struct conf *conf, int argc,
			char **argv)
{
	bool enable = true;
	uint32_t ttl;
	int i;

	if (argc < 2)
		return bad(p, "usage: phyint NAME [enable|disable] [ttl-threshold N] [mrdisc]");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "enable")) {
			enable = true;
		} else if (!strcmp(argv[i], "disable")) {
			enable = false;
		} else if (!strcmp(argv[i], "ttl-threshold") && i + 1 < argc) {
			if (parse_seconds(p, argv[++i], &ttl) || ttl > 255)
				return bad(p, "bad ttl-threshold \"%s\"", argv[i]);
			if (ttl > 1 &&
			    warn(p, conf, "ttl-threshold %u on %s: not in MGM, ignored",
				 ttl, argv[1]))
				return -1;
		} else if (!strcmp(argv[i], "mrdisc")) {
			if (warn(p, conf, "mrdisc on %s: not supported, ignored",
				 argv[1]))
				return -1;
		} else {
			return bad(p, "unknown word \"%s\" in phyint", argv[i]);
		}
	}
	i = find_name(conf, argv[1]);
	if (!enable) {
		if (i >= 0)
			return bad(p, "phyint %s disable after a statement that takes it",
				   argv[1]);
		if (conf->n_disabled < CONF_MAX_IFS &&
		    !is_disabled(conf, argv[1]) && strlen(argv[1]) < IF_NAMESIZE)
			snprintf(conf->disabled[conf->n_disabled++],
				 IF_NAMESIZE, "%s", argv[1]);
		return 0;
	}
	if (is_disabled(conf, argv[1]))
		return bad(p, "phyint %s enable after phyint %s disable",
			   argv[1], argv[1]);
	if (i >= 0)
		return 0;
	return add_if(p, conf, argv[1], NULL) < 0 ? -1 : 0;
}

/*
 * The interface a route names: declared, or (in a file that declares none)
 * taken now.  -2: it is disabled (phyint NAME disable).
 */
static int route_if(struct parser *p, struct conf *conf, const char *name)
{
	int i = find_name(conf, name);

	if (i >= 0)
		return i;
	if (is_disabled(conf, name))
		return -2;
	if (p->st->declaring)
		return bad(p, "interface %s is not declared (interface %s)",
			   name, name);
	i = add_if(p, conf, name, NULL);
	if (i >= 0)
		p->st->implicit_line[i] = p->line;
	return i;
}

/* A route through a disabled interface is left out, as smcroute does. */
static int disabled_route(struct parser *p, struct conf *conf,
			  const char *name)
{
	return warn(p, conf, "%s is disabled (phyint %s disable): route left out",
		    name, name) ?: 1;
}

/*
 * mroute [from NAME] [source ADDR[/LEN]] group ADDR[/LEN] to NAME...
 * Returns 1 when the line is left out (noted), 0 when taken, -1 on error.
 */
static int parse_mroute(struct parser *p, struct conf *conf, int argc,
			char **argv)
{
	struct conf_route r = { .from = -1 };
	struct conf_route *routes;
	bool has_group = false;
	int i, j, k;

	if (has_ipv6(argc, argv))
		return warn(p, conf, "IPv6 is not supported yet: line left out") ?: 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "to"))
			break;
		if (i + 1 == argc)
			return bad(p, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "from")) {
			r.from = route_if(p, conf, argv[++i]);
			if (r.from == -2)
				return disabled_route(p, conf, argv[i]);
			if (r.from < 0)
				return -1;
		} else if (!strcmp(argv[i], "source")) {
			if (parse_prefix(p, "source", argv[++i], &r.source,
					 &r.source_len))
				return -1;
			if ((!r.source && r.source_len) ||
			    IN_MULTICAST(ntohl(r.source)))
				return bad(p, "source %s is not a unicast address",
					   argv[i]);
		} else if (!strcmp(argv[i], "group")) {
			if (parse_prefix(p, "group", argv[++i], &r.group,
					 &r.group_len))
				return -1;
			if (!IN_MULTICAST(ntohl(r.group)) || r.group_len < 4)
				return bad(p, "group %s is not a multicast address or prefix",
					   argv[i]);
			has_group = true;
		} else {
			return bad(p, "unknown word \"%s\" in mroute", argv[i]);
		}
	}
	if (!has_group)
		return bad(p, "mroute without a group");
	if (i + 1 >= argc)
		return bad(p, "mroute without outgoing interfaces (to NAME...)");
	for (i++; i < argc; i++) {
		k = route_if(p, conf, argv[i]);
		if (k == -2)
			return disabled_route(p, conf, argv[i]);
		if (k < 0)
			return -1;
		if (k == r.from)
			return bad(p, "%s is both incoming and outgoing",
				   argv[i]);
		for (j = 0; j < r.n_to && r.to[j] != k; j++)
			;
		if (j == r.n_to)
			r.to[r.n_to++] = k;
	}
	routes = realloc(conf->routes, (conf->n_routes + 1) * sizeof(r));
	if (!routes)
		return bad(p, "%s", strerror(ENOMEM));
	conf->routes = routes;
	conf->routes[conf->n_routes++] = r;
	return 0;
}

/*
 * mgroup from NAME [source ADDR] group ADDR[/LEN]: the router joins the
 * group (from that source only) on NAME as a host would, so that the
 * routers upstream send it; a prefix joins each of its groups.
 */
static int parse_mgroup(struct parser *p, struct conf *conf, int argc,
			char **argv)
{
	struct conf_join j = { .at = -1 }, *joins;
	uint8_t source_len = 32, group_len = 0;
	uint32_t n, g;
	int i;

	if (has_ipv6(argc, argv))
		return warn(p, conf, "IPv6 is not supported yet: line left out");
	for (i = 1; i < argc; i += 2) {
		if (i + 1 == argc)
			return bad(p, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "from")) {
			j.at = route_if(p, conf, argv[i + 1]);
			if (j.at == -2)
				return disabled_route(p, conf, argv[i + 1]) < 0 ?
				       -1 : 0;
			if (j.at < 0)
				return -1;
		} else if (!strcmp(argv[i], "source")) {
			if (parse_prefix(p, "source", argv[i + 1], &j.source,
					 &source_len))
				return -1;
			if (source_len != 32 || !j.source ||
			    IN_MULTICAST(ntohl(j.source)))
				return bad(p, "source %s is not a unicast address",
					   argv[i + 1]);
		} else if (!strcmp(argv[i], "group")) {
			if (parse_prefix(p, "group", argv[i + 1], &j.group,
					 &group_len))
				return -1;
			if (!IN_MULTICAST(ntohl(j.group)) || group_len < 4)
				return bad(p, "group %s is not a multicast address or prefix",
					   argv[i + 1]);
		} else {
			return bad(p, "unknown word \"%s\" in mgroup", argv[i]);
		}
	}
	if (j.at < 0 || !group_len)
		return bad(p, "usage: mgroup from NAME [source ADDRESS] group GROUP[/LEN]");
	n = 1U << (32 - group_len);
	if (n > CONF_MAX_EXPAND)
		return bad(p, "mgroup of %u groups: at most %d", n,
			   CONF_MAX_EXPAND);
	joins = realloc(conf->joins, (conf->n_joins + n) * sizeof(j));
	if (!joins)
		return bad(p, "%s", strerror(ENOMEM));
	conf->joins = joins;
	for (g = 0; g < n; g++) {
		joins[conf->n_joins] = j;
		joins[conf->n_joins++].group = htonl(ntohl(j.group) + g);
	}
	return 0;
}

static int read_file(struct parser *parent, struct state *st,
		     const char *path, struct conf *conf);

/*
 * include FILE|GLOB: each file in turn (sorted), relative to the file
 * that includes it; a glob that matches nothing includes nothing.
 */
static int parse_include(struct parser *p, struct conf *conf, int argc,
			 char **argv)
{
	char *copy, *pattern = NULL;
	int flags = 0, ret;
	size_t i;
	glob_t g;

	if (argc != 2)
		return bad(p, "usage: include FILE|GLOB");
	if (p->depth >= MAX_DEPTH)
		return bad(p, "includes nested deeper than %d", MAX_DEPTH);
	copy = strdup(p->path);
	if (copy && argv[1][0] == '/')
		pattern = strdup(argv[1]);
	else if (copy && asprintf(&pattern, "%s/%s", dirname(copy), argv[1]) < 0)
		pattern = NULL;
	free(copy);
	if (!pattern)
		return bad(p, "%s", strerror(ENOMEM));
	/* a file named without wildcards must exist: it is read, and fails */
	if (!strpbrk(argv[1], "*?["))
		flags = GLOB_NOCHECK;
	ret = glob(pattern, flags, NULL, &g);
	free(pattern);
	if (ret == GLOB_NOMATCH)
		return 0;
	if (ret)
		return bad(p, "include %s: %s", argv[1], strerror(ENOMEM));
	for (i = 0, ret = 0; i < g.gl_pathc && !ret; i++)
		ret = read_file(p, p->st, g.gl_pathv[i], conf);
	globfree(&g);
	return ret;
}

static int parse_line(struct parser *p, struct conf *conf, char *line)
{
	char *argv[MAX_WORDS + 1], *save, *w;
	int argc = 0;

	line[strcspn(line, "#\n")] = '\0';
	for (w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (argc == MAX_WORDS)
			return bad(p, "too many words");
		argv[argc++] = w;
	}
	if (!argc)
		return 0;
	if (!strcmp(argv[0], "interface"))
		return parse_interface(p, conf, argc, argv);
	if (!strcmp(argv[0], "mroute"))
		return parse_mroute(p, conf, argc, argv) < 0 ? -1 : 0;
	if (!strcmp(argv[0], "phyint"))
		return parse_phyint(p, conf, argc, argv);
	if (!strcmp(argv[0], "mgroup"))
		return parse_mgroup(p, conf, argc, argv);
	if (!strcmp(argv[0], "include"))
		return parse_include(p, conf, argc, argv);
	if (!strcmp(argv[0], "prune-lifetime")) {
		if (argc != 2)
			return bad(p, "usage: prune-lifetime SECONDS");
		return parse_seconds(p, argv[1], &conf->prune_lifetime);
	}
	return bad(p, "unknown statement \"%s\"", argv[0]);
}

/* One file, from the top or included by @parent (NULL: the top). */
static int read_file(struct parser *parent, struct state *st,
		     const char *path, struct conf *conf)
{
	struct parser p = {
		.path = path, .err = st->err, .size = st->size, .st = st,
		.depth = parent ? parent->depth + 1 : 0,
	};
	char *line = NULL;
	size_t len = 0;
	int ret = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		if (parent)
			return bad(parent, "include %s: %s", path,
				   strerror(errno));
		snprintf(st->err, st->size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && getline(&line, &len, f) > 0) {
		p.line++;
		ret = parse_line(&p, conf, line);
	}
	free(line);
	fclose(f);
	return ret;
}

int conf_read(const char *path, struct conf *conf, char *err, size_t size)
{
	struct state st = { .err = err, .size = size };
	int ret;

	memset(conf, 0, sizeof(*conf));
	ret = read_file(NULL, &st, path, conf);
	if (ret)
		conf_free(conf);
	return ret;
}

void conf_free(struct conf *conf)
{
	free(conf->routes);
	free(conf->joins);
	free(conf->warnings);
	conf->routes = NULL;
	conf->n_routes = 0;
	conf->joins = NULL;
	conf->n_joins = 0;
	conf->warnings = NULL;
}

/* A deep copy of @src, without its warnings. */
static int conf_copy(struct conf *dst, const struct conf *src)
{
	*dst = *src;
	dst->warnings = NULL;
	dst->routes = malloc((src->n_routes + 1) * sizeof(*src->routes));
	dst->joins = malloc((src->n_joins + 1) * sizeof(*src->joins));
	if (!dst->routes || !dst->joins) {
		conf_free(dst);
		return -1;
	}
	memcpy(dst->routes, src->routes, src->n_routes * sizeof(*src->routes));
	memcpy(dst->joins, src->joins, src->n_joins * sizeof(*src->joins));
	return 0;
}

static bool same_route(const struct conf_route *a, const struct conf_route *b)
{
	int i, j;

	if (a->source != b->source || a->source_len != b->source_len ||
	    a->group != b->group || a->group_len != b->group_len ||
	    a->from != b->from || a->n_to != b->n_to)
		return false;
	for (i = 0; i < a->n_to; i++) {
		for (j = 0; j < b->n_to && b->to[j] != a->to[i]; j++)
			;
		if (j == b->n_to)
			return false;
	}
	return true;
}

static bool same_join(const struct conf_join *a, const struct conf_join *b)
{
	return a->at == b->at && a->source == b->source && a->group == b->group;
}

/*
 * Remove from @dst what @line, parsed into @one (a copy of @dst's
 * interfaces, nothing else), added: each route, or each join.
 */
static int conf_remove(struct parser *p, struct conf *dst,
		       const struct conf *one)
{
	int i, k, found = 0;

	for (i = 0; i < one->n_routes; i++)
		for (k = dst->n_routes - 1; k >= 0; k--)
			if (same_route(&dst->routes[k], &one->routes[i])) {
				dst->routes[k] = dst->routes[--dst->n_routes];
				found++;
			}
	for (i = 0; i < one->n_joins; i++)
		for (k = dst->n_joins - 1; k >= 0; k--)
			if (same_join(&dst->joins[k], &one->joins[i])) {
				dst->joins[k] = dst->joins[--dst->n_joins];
				found++;
			}
	return found ? 0 : bad(p, "no such statement in force");
}

int conf_edit(struct conf *dst, const struct conf *src, const char *line,
	      bool add, char *err, size_t size)
{
	struct state st = {
		.err = err, .size = size, .declaring = src->declaring,
	};
	struct parser p = {
		.path = "control", .line = 1, .err = err, .size = size,
		.st = &st, .depth = MAX_DEPTH,
	};
	struct conf one = { 0 };
	char *copy = strdup(line);
	int ret = -1;

	memset(dst, 0, sizeof(*dst));
	if (!copy || conf_copy(dst, src)) {
		free(copy);
		snprintf(err, size, "%s", strerror(ENOMEM));
		return -1;
	}
	if (strncmp(line, "mroute ", 7) && strncmp(line, "mgroup ", 7)) {
		ret = bad(&p, "only mroute and mgroup statements can be %s",
			  add ? "added" : "deleted");
	} else if (add) {
		ret = parse_line(&p, dst, copy);
		/* a line left out (IPv6, disabled) is refused here */
		if (!ret && dst->warnings) {
			const char *why = dst->warnings + strlen("control:1: ");

			ret = bad(&p, "%.*s", (int)strcspn(why, "\n"), why);
		}
	} else {
		memcpy(one.ifs, dst->ifs, sizeof(one.ifs));
		one.n_ifs = dst->n_ifs;
		one.declaring = dst->declaring;
		memcpy(one.disabled, dst->disabled, sizeof(one.disabled));
		one.n_disabled = dst->n_disabled;
		ret = parse_line(&p, &one, copy) ?:
		      conf_remove(&p, dst, &one);
		conf_free(&one);
	}
	free(copy);
	if (ret)
		conf_free(dst);
	return ret;
}

static const char *ip(uint32_t addr, char *buf)
{
	return inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

/* "/LEN", or nothing for a single address. */
static const char *prefix_len(unsigned int l, char *buf)
{
	if (l == 32)
		return "";
	snprintf(buf, 8, "/%u", l & 63);
	return buf;
}

void conf_print(const struct conf *conf, FILE *f)
{
	char a[INET_ADDRSTRLEN], len[8];
	int i, t;

	for (i = 0; i < conf->n_ifs; i++) {
		fprintf(f, "interface %s", conf->ifs[i].name);
		if (conf->ifs[i].nexthop)
			fprintf(f, " nexthop %s", ip(conf->ifs[i].nexthop, a));
		fprintf(f, "%s\n", conf->ifs[i].ifindex ? "" :
			"	# pending: it does not exist yet");
	}
	for (i = 0; i < conf->n_routes; i++) {
		const struct conf_route *r = &conf->routes[i];

		fprintf(f, "mroute");
		if (r->from >= 0)
			fprintf(f, " from %s", conf->ifs[r->from].name);
		if (r->source_len)
			fprintf(f, " source %s%s", ip(r->source, a),
				prefix_len(r->source_len, len));
		fprintf(f, " group %s%s to", ip(r->group, a),
			prefix_len(r->group_len, len));
		for (t = 0; t < r->n_to; t++)
			fprintf(f, " %s", conf->ifs[r->to[t]].name);
		fprintf(f, "\n");
	}
	for (i = 0; i < conf->n_joins; i++) {
		const struct conf_join *j = &conf->joins[i];

		fprintf(f, "mgroup from %s", conf->ifs[j->at].name);
		if (j->source)
			fprintf(f, " source %s", ip(j->source, a));
		fprintf(f, " group %s\n", ip(j->group, a));
	}
	if (conf->prune_lifetime)
		fprintf(f, "prune-lifetime %u\n", conf->prune_lifetime);
}

/* @s as a JSON string: an interface's name may hold any character. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void conf_print_json(const struct conf *conf, FILE *f)
{
	char a[INET_ADDRSTRLEN];
	int i, t;

	fprintf(f, "{\"interfaces\":[");
	for (i = 0; i < conf->n_ifs; i++) {
		fprintf(f, "%s{\"ifname\":", i ? "," : "");
		json_str(f, conf->ifs[i].name);
		fprintf(f, ",\"ifindex\":%u,\"nexthop\":\"%s\",\"pending\":%s}",
			conf->ifs[i].ifindex, ip(conf->ifs[i].nexthop, a),
			conf->ifs[i].ifindex ? "false" : "true");
	}
	fprintf(f, "],\"routes\":[");
	for (i = 0; i < conf->n_routes; i++) {
		const struct conf_route *r = &conf->routes[i];

		fprintf(f, "%s{\"from\":", i ? "," : "");
		json_str(f, r->from >= 0 ? conf->ifs[r->from].name : "");
		fprintf(f, ",\"source\":\"%s/%u\",", ip(r->source, a),
			r->source_len);
		fprintf(f, "\"group\":\"%s/%u\",\"to\":[", ip(r->group, a),
			r->group_len);
		for (t = 0; t < r->n_to; t++) {
			fputs(t ? "," : "", f);
			json_str(f, conf->ifs[r->to[t]].name);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "],\"joins\":[");
	for (i = 0; i < conf->n_joins; i++) {
		const struct conf_join *j = &conf->joins[i];

		fprintf(f, "%s{\"from\":", i ? "," : "");
		json_str(f, conf->ifs[j->at].name);
		fprintf(f, ",\"source\":\"%s\",", ip(j->source, a));
		fprintf(f, "\"group\":\"%s\"}", ip(j->group, a));
	}
	fprintf(f, "],\"prune_lifetime\":%u}\n", conf->prune_lifetime);
}
