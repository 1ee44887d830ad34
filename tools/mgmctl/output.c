// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl output: aligned tables (rows are kept until all are known, so that
 * each column is as wide as its widest cell) and a small JSON writer.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmctl.h"

static void out_of_memory(void)
{
	perror("mgmctl");
	exit(EXIT_ERROR);
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		out_of_memory();
	return p;
}

void table_init(struct table *t, int ncols, const char * const *hdr)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	memcpy(t->hdr, hdr, ncols * sizeof(*hdr));
	for (i = 0; i < ncols; i++)
		t->width[i] = strlen(hdr[i]);
}

void table_row(struct table *t, const char * const *cells)
{
	size_t n[TABLE_MAX_COLS], need = 0;
	int i;

	for (i = 0; i < t->ncols; i++) {
		n[i] = strlen(cells[i]);
		need += n[i] + 1;
		if ((int)n[i] > t->width[i])
			t->width[i] = n[i];
	}
	if (t->len + need > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		if (t->cap < t->len + need)
			t->cap = t->len + need;
		t->text = xrealloc(t->text, t->cap);
	}
	for (i = 0; i < t->ncols; i++) {
		memcpy(t->text + t->len, cells[i], n[i] + 1);
		t->len += n[i] + 1;
	}
}

/* Cell @i of a row: padded to its column's width, but the last. */
static void print_cell(const struct table *t, int i, const char *cell)
{
	/* the last column is not padded: no trailing blanks */
	if (i + 1 < t->ncols)
		printf("%-*s  ", t->width[i], cell);
	else
		printf("%s\n", cell);
}

void table_print(struct table *t)
{
	const char *cell = t->text;
	int i;

	for (i = 0; i < t->ncols; i++)
		print_cell(t, i, t->hdr[i]);
	while (cell && cell < t->text + t->len) {
		for (i = 0; i < t->ncols; i++) {
			print_cell(t, i, cell);
			cell += strlen(cell) + 1;
		}
	}
	free(t->text);
	t->text = NULL;
	t->len = 0;
	t->cap = 0;
}

FILE *jw_out;

static void fputc_jw(int c)
{
	fputc(c, jw_out);
}

/* JSON: one flag per nesting level says whether a comma is due. */
static bool jw_comma[16];
static int jw_depth;
static bool jw_after_key;

static void jw_value_start(void)
{
	if (jw_after_key) {
		jw_after_key = false;
		return;
	}
	if (jw_depth && jw_comma[jw_depth])
		fputc_jw(',');
	jw_comma[jw_depth] = true;
}

void jw_open(char bracket)
{
	jw_value_start();
	fputc_jw(bracket);
	if (jw_depth + 1 < (int)ARRAY_SIZE(jw_comma))
		jw_depth++;
	jw_comma[jw_depth] = false;
}

void jw_close(char bracket)
{
	fputc_jw(bracket);
	if (jw_depth)
		jw_depth--;
}

void jw_key(const char *key)
{
	jw_value_start();
	fputc_jw('"');
	for (; *key; key++)
		fputc_jw(*key == '-' ? '_' : *key);
	fprintf(jw_out, "\":");
	jw_after_key = true;
}

void jw_str(const char *s)
{
	jw_value_start();
	fputc_jw('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(jw_out, "\\%c", c);
		else if (c < 0x20)
			fprintf(jw_out, "\\u%04x", c);
		else
			fputc_jw(c);
	}
	fputc_jw('"');
}

void jw_uint(uint64_t v)
{
	jw_value_start();
	fprintf(jw_out, "%llu", (unsigned long long)v);
}

void jw_bool(bool v)
{
	jw_value_start();
	fprintf(jw_out, v ? "true" : "false");
}

void jw_ipv4(uint32_t addr_be)
{
	jw_str(ipv4(addr_be));
}

void jw_end_line(void)
{
	fputc_jw('\n');
	fflush(jw_out);
	jw_depth = 0;
	jw_comma[0] = false;
}

/*
 * Names looked up during one dump: if_indextoname() is a socket and an
 * ioctl, per cell otherwise (a million of each for a million MFEs).  Only
 * within a dump, where a name is one instant's anyway; the monitor, which
 * runs for days, asks every time.
 */
#define IFNAME_CACHE	64
static struct {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
} ifname_cache[IFNAME_CACHE];
static bool ifname_caching;

void ifname_cache_use(bool on)
{
	ifname_caching = on;
	memset(ifname_cache, 0, sizeof(ifname_cache));
}

const char *ifname(uint32_t ifindex, char *buf)
{
	unsigned int slot = ifindex % IFNAME_CACHE;

	if (ifname_caching && ifindex && ifname_cache[slot].ifindex == ifindex) {
		memcpy(buf, ifname_cache[slot].name, IF_NAMESIZE);
		return buf;
	}
	if (!ifindex || !if_indextoname(ifindex, buf))
		buf[0] = '\0';
	if (ifname_caching && ifindex) {
		ifname_cache[slot].ifindex = ifindex;
		memcpy(ifname_cache[slot].name, buf, IF_NAMESIZE);
	}
	return buf;
}

const char *ipv4(uint32_t addr_be)
{
	static char ring[4][INET_ADDRSTRLEN];
	static int next;
	char *s = ring[next++ % 4];

	return inet_ntop(AF_INET, &addr_be, s, INET_ADDRSTRLEN);
}

uint32_t attr_u32(const struct nlattr * const *tb, int type, uint32_t dflt)
{
	return tb[type] ? mnl_attr_get_u32(tb[type]) : dflt;
}

uint64_t attr_u64(const struct nlattr * const *tb, int type)
{
	return tb[type] ? mnl_attr_get_u64(tb[type]) : 0;
}

/* The u32 (or u64) attributes of a nest, by type, into @out. */
void read_nest(const struct nlattr *nest, unsigned int max,
	       uint32_t *out32, uint64_t *out64)
{
	const struct nlattr *attr;
	unsigned int type;

	if (!nest)
		return;
	mnl_attr_for_each_nested(attr, nest) {
		type = mnl_attr_get_type(attr);
		if (type > max)
			continue;
		if (out32 && !mnl_attr_validate(attr, MNL_TYPE_U32))
			out32[type] = mnl_attr_get_u32(attr);
		if (out64 && !mnl_attr_validate(attr, MNL_TYPE_U64))
			out64[type] = mnl_attr_get_u64(attr);
	}
}

/* A registration's graceful-restart state, as the spec names it. */
const char *protocol_state_name(uint32_t state)
{
	switch (state) {
	case MGM_PROTOCOL_STATE_ACTIVE:
		return "active";
	case MGM_PROTOCOL_STATE_HELD:
		return "held";
	case MGM_PROTOCOL_STATE_RESYNC:
		return "resync";
	default:
		return "unknown";
	}
}
