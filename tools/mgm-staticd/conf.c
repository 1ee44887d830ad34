// SPDX-License-Identifier: GPL-2.0
/*
 * mgm-staticd's configuration file: one statement per line, words parted
 * by blanks, "#" to the end of the line a comment (example.conf has the
 * statements).  A file is read whole before anything is applied, so that a
 * bad line changes nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define MAX_WORDS	(CONF_MAX_IFS + 8)

struct parser {
	const char *path;
	int line;
	char *err;
	size_t size;
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

/* interface NAME [nexthop ADDR] */
static int parse_interface(struct parser *p, struct conf *conf, int argc,
			   char **argv)
{
	struct conf_if *ci;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "nexthop")))
		return bad(p, "usage: interface NAME [nexthop ADDRESS]");
	if (find_name(conf, argv[1]) >= 0)
		return bad(p, "interface %s named twice", argv[1]);
	if (conf->n_ifs == CONF_MAX_IFS)
		return bad(p, "more than %d interfaces", CONF_MAX_IFS);
	ci = &conf->ifs[conf->n_ifs];
	memset(ci, 0, sizeof(*ci));
	if (strlen(argv[1]) >= IF_NAMESIZE)
		return bad(p, "interface name too long: %s", argv[1]);
	snprintf(ci->name, sizeof(ci->name), "%s", argv[1]);
	ci->ifindex = if_nametoindex(argv[1]);
	if (!ci->ifindex)
		return bad(p, "no interface %s", argv[1]);
	if (argc == 4 && parse_addr(p, "nexthop", argv[3], &ci->nexthop))
		return -1;
	conf->n_ifs++;
	return 0;
}

static int route_if(struct parser *p, const struct conf *conf,
		    const char *name)
{
	int i = find_name(conf, name);

	if (i < 0)
		return bad(p, "interface %s is not declared (interface %s)",
			   name, name);
	return i;
}

/* mroute [from NAME] [source ADDR] group ADDR to NAME... */
static int parse_mroute(struct parser *p, struct conf *conf, int argc,
			char **argv)
{
	struct conf_route r = { .from = -1 };
	struct conf_route *routes;
	bool has_group = false;
	int i, j, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "to"))
			break;
		if (i + 1 == argc)
			return bad(p, "%s needs a value", argv[i]);
		if (!strcmp(argv[i], "from")) {
			r.from = route_if(p, conf, argv[++i]);
			if (r.from < 0)
				return -1;
		} else if (!strcmp(argv[i], "source")) {
			if (parse_addr(p, "source", argv[++i], &r.source))
				return -1;
			if (!r.source || IN_MULTICAST(ntohl(r.source)))
				return bad(p, "source %s is not a unicast address",
					   argv[i]);
		} else if (!strcmp(argv[i], "group")) {
			if (parse_addr(p, "group", argv[++i], &r.group))
				return -1;
			if (!IN_MULTICAST(ntohl(r.group)))
				return bad(p, "group %s is not a multicast address",
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
		return parse_mroute(p, conf, argc, argv);
	if (!strcmp(argv[0], "prune-lifetime")) {
		if (argc != 2)
			return bad(p, "usage: prune-lifetime SECONDS");
		return parse_seconds(p, argv[1], &conf->prune_lifetime);
	}
	return bad(p, "unknown statement \"%s\"", argv[0]);
}

int conf_read(const char *path, struct conf *conf, char *err, size_t size)
{
	struct parser p = { .path = path, .err = err, .size = size };
	char *line = NULL;
	size_t len = 0;
	int ret = 0;
	FILE *f;

	memset(conf, 0, sizeof(*conf));
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && getline(&line, &len, f) > 0) {
		p.line++;
		ret = parse_line(&p, conf, line);
	}
	free(line);
	fclose(f);
	if (ret)
		conf_free(conf);
	return ret;
}

void conf_free(struct conf *conf)
{
	free(conf->routes);
	conf->routes = NULL;
	conf->n_routes = 0;
}
