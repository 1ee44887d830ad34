/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgm-staticd's configuration file; the format is described in
 * example.conf.
 */
#ifndef STATICD_CONF_H
#define STATICD_CONF_H

#include <net/if.h>
#include <stdint.h>

#define CONF_MAX_IFS	32	/* ipmr has 32 VIFs per table */

struct conf_if {
	char name[IF_NAMESIZE];
	uint32_t ifindex;
	uint32_t nexthop;	/* network byte order */
};

struct conf_route {
	uint32_t source;	/* network byte order; 0: any source */
	uint32_t group;
	int from;		/* index in conf.ifs, -1: any */
	int n_to;
	int to[CONF_MAX_IFS];	/* indexes in conf.ifs */
};

struct conf {
	struct conf_if ifs[CONF_MAX_IFS];
	int n_ifs;
	struct conf_route *routes;
	int n_routes;
	uint32_t prune_lifetime;	/* seconds; 0: keep MGM's */
};

/*
 * Read @path into @conf.  On a bad line, print "FILE:LINE: why" to @err
 * (a buffer of @size bytes), free what was read and return -1.
 */
int conf_read(const char *path, struct conf *conf, char *err, size_t size);
void conf_free(struct conf *conf);

/* The interface of @conf with @ifindex and @nexthop, or -1. */
int conf_find_if(const struct conf *conf, uint32_t ifindex,
		 uint32_t nexthop);

#endif /* STATICD_CONF_H */
