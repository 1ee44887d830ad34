/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgmctl: the shared parts of its files.
 */
#ifndef MGMCTL_H
#define MGMCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "../lib/mgm_nl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

extern bool json;		/* -j: JSON output */
extern struct mgm_nl nl;

/* Exit statuses: as the man page says. */
#define EXIT_ERROR	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* bad command line */

/* Whether @arg is a (possibly abbreviated) @word, as iproute2 reads them. */
bool matches(const char *arg, const char *word);
bool is_help(const char *arg);
/* "mgmctl: WHAT \"ARG\"" and a hint, on stderr; returns EXIT_USAGE. */
int usage_error(const char *what, const char *arg);
/* Report a failed request (the kernel's extack message), return EXIT_ERROR. */
int request_failed(const char *what, const struct mgm_err *err);
/* The same for one made through libmgm (libmgm.h) */
struct mgm_error;
int request_failed_lib(const char *what, const struct mgm_error *err);
/*
 * Send @req, its replies to @reply (may be NULL): 0, or the exit status
 * once what failed is said as "mgmctl: WHAT: ...".
 */
int transact(const char *what, struct nlmsghdr *req, mgm_nl_cb reply,
	     void *data);

/* Object handlers: argc/argv after the object word. */
int do_protocol(int argc, char **argv);
int do_interface(int argc, char **argv);
int do_mfe(int argc, char **argv);
int do_group(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_limits(int argc, char **argv);
int do_igmp(int argc, char **argv);
int do_static(int argc, char **argv);

/* output.c: aligned tables and JSON */
#define TABLE_MAX_COLS	12

/*
 * The rows, kept until all are known: their cells one after the other,
 * each ending in '\0', in one buffer (a dump of a million MFEs takes
 * some 70 bytes a row, not ten allocations), and each column's width.
 */
struct table {
	int ncols;
	const char *hdr[TABLE_MAX_COLS];
	int width[TABLE_MAX_COLS];
	char *text;
	size_t len, cap;
};

void table_init(struct table *t, int ncols, const char * const *hdr);
/* Add a row of @ncols strings (copied). */
void table_row(struct table *t, const char * const *cells);
void table_print(struct table *t);

/* Where the JSON writer prints: stdout, or a buffer until all is known. */
extern FILE *jw_out;

void jw_open(char bracket);		/* '{' or '[' */
void jw_close(char bracket);
void jw_key(const char *key);		/* dashes become underscores */
void jw_str(const char *s);
void jw_uint(uint64_t v);
void jw_bool(bool v);
void jw_ipv4(uint32_t addr_be);
void jw_end_line(void);			/* newline, and flush */

/* The name of an interface in @buf (IF_NAMESIZE), or "" if none (gone). */
const char *ifname(uint32_t ifindex, char *buf);
/* Within a dump, remember the names looked up (off by default). */
void ifname_cache_use(bool on);
/* Dotted quad of a network byte order address, in a static ring. */
const char *ipv4(uint32_t addr_be);
const char *protocol_state_name(uint32_t state);
/* An attribute of @tb as u32 or @dflt if absent. */
uint32_t attr_u32(const struct nlattr * const *tb, int type, uint32_t dflt);
uint64_t attr_u64(const struct nlattr * const *tb, int type);
/* The u32 (or u64) attributes of a nest, by type, into @out32 (@out64). */
void read_nest(const struct nlattr *nest, unsigned int max,
	       uint32_t *out32, uint64_t *out64);

#endif /* MGMCTL_H */
