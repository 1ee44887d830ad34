/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgm-staticd's configuration file; the format is described in
 * example.conf.
 */
#ifndef STATICD_CONF_H
#define STATICD_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#define CONF_MAX_IFS	32	/* ipmr has 32 VIFs per table */

struct conf_if {
	char name[IF_NAMESIZE];
	uint32_t ifindex;	/* 0: pending, no such interface yet */
	uint32_t nexthop;	/* network byte order */
};

struct conf_route {
	uint32_t source;	/* network byte order; 0/0: any source */
	uint32_t group;
	uint8_t source_len;	/* prefix lengths; 32: that one address */
	uint8_t group_len;
	int from;		/* index in conf.ifs, -1: any */
	int n_to;
	int to[CONF_MAX_IFS];	/* indexes in conf.ifs */
};

/* smcroute's mgroup: the router joins GROUP on ifs[at] as a host. */
struct conf_join {
	int at;
	uint32_t source;	/* network byte order; 0: any source */
	uint32_t group;
};

/* The most groups a prefix in mgroup, or a (*,G) set, stands for. */
#define CONF_MAX_EXPAND	256

struct conf {
	struct conf_if ifs[CONF_MAX_IFS];
	int n_ifs;
	struct conf_route *routes;
	int n_routes;
	struct conf_join *joins;
	int n_joins;
	uint32_t prune_lifetime;	/* seconds; 0: keep MGM's */
	/* "FILE:LINE: why" for each line left out, one per line; or NULL */
	char *warnings;
	/* it has interface statements: every interface must be declared */
	bool declaring;
	/* phyint NAME disable: routes through them are left out */
	char disabled[CONF_MAX_IFS][IF_NAMESIZE];
	int n_disabled;
};

/*
 * Read @path into @conf: mgm-staticd's own statements or smcroute's
 * (smcroute.conf(5): phyint, mgroup, mroute, include).  On a bad line,
 * print "FILE:LINE: why" to @err (a buffer of @size bytes), free what was
 * read and return -1.  Lines that are valid but cannot apply (IPv6, a
 * disabled interface) are left out and listed in conf.warnings.
 */
int conf_read(const char *path, struct conf *conf, char *err, size_t size);
void conf_free(struct conf *conf);

/*
 * The control socket's changes (mgm-staticd(8), "RUNTIME CONTROL"): @dst
 * becomes @src with one more statement (@add) or without one that is
 * there word for word (@del): an mroute or an mgroup line.  -1 with the
 * reason in @err; @dst is then empty.
 */
int conf_edit(struct conf *dst, const struct conf *src, const char *line,
	      bool add, char *err, size_t size);
/* @conf in mgm-staticd's own syntax, a file that reads back the same. */
void conf_print(const struct conf *conf, FILE *f);
/* @conf as one JSON object. */
void conf_print_json(const struct conf *conf, FILE *f);

/* The interface of @conf with @ifindex and @nexthop, or -1. */
int conf_find_if(const struct conf *conf, uint32_t ifindex,
		 uint32_t nexthop);

#endif /* STATICD_CONF_H */
