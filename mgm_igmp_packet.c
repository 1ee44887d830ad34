// SPDX-License-Identifier: GPL-2.0
/*
 * IGMP messages as a router reads and writes them, see mgm_igmp_packet.h.
 * What arrives is from the network: every length is checked against the
 * packet before it is used, and a message that is wrong in any part is
 * dropped whole, but an IGMPv3 record of a type or group this router does
 * not handle, which RFC 3376 §4.2.12 has it ignore alone.
 */
#include <linux/errno.h>
#include <linux/igmp.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <kunit/visibility.h>

#include "mgm_compat.h"
#include "mgm_igmp_packet.h"

/* RFC 3376 §4.1 and §4.2: the fixed parts. */
#define MGM_IGMP_V3_QUERY_LEN	12
#define MGM_IGMP_V3_REPORT_LEN	8
#define MGM_IGMP_V3_RECORD_LEN	8
/* RFC 2236 §2.2: an IGMPv1 query's response time (code 0) */
#define MGM_IGMP_V1_RESP_MS	10000

/* A group a router tracks: multicast, and not link-local (224.0.0.0/24). */
static bool mgm_igmp_routable(__be32 group)
{
	return ipv4_is_multicast(group) && !ipv4_is_local_multicast(group);
}

u8 mgm_igmp_code(unsigned int value)
{
	unsigned int exp;

	if (value < 128)
		return value;
	for (exp = 0; exp < 8; exp++)
		if (value >> (exp + 3) < 32)
			return 0x80 | exp << 4 | ((value >> (exp + 3)) & 0xf);
	return 0xff;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_code);

unsigned int mgm_igmp_decode(u8 code)
{
	if (code < 128)
		return code;
	return ((code & 0xf) | 0x10) << (((code >> 4) & 7) + 3);
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_decode);

static int mgm_igmp_parse_query(const u8 *igmp, unsigned int len,
				struct mgm_igmp_msg *msg,
				struct mgm_igmp_rx_counters *c)
{
	u8 code = igmp[1];
	unsigned int n;

	msg->kind = MGM_IGMP_QUERY;
	msg->group = get_unaligned((const __be32 *)(igmp + 4));
	if (msg->group && !ipv4_is_multicast(msg->group)) {
		c->bad_query++;
		return -EINVAL;
	}
	if (len == 8) {
		/* RFC 2236 §4: a Max Response Time of 0 is an IGMPv1 query */
		msg->version = code ? 2 : 1;
		msg->max_resp_ms = code ? code * 100 : MGM_IGMP_V1_RESP_MS;
		c->queries[msg->version - 1]++;
		return 0;
	}
	/* RFC 3376 §7.1: longer than 8 and shorter than 12 is no query */
	if (len < MGM_IGMP_V3_QUERY_LEN) {
		c->bad_query++;
		return -EINVAL;
	}
	n = get_unaligned_be16(igmp + 10);
	if (n > (len - MGM_IGMP_V3_QUERY_LEN) / 4) {
		c->truncated++;
		return -EINVAL;
	}
	/* sources name no group: a query about them needs one */
	if (n && !msg->group) {
		c->bad_query++;
		return -EINVAL;
	}
	msg->version = 3;
	msg->max_resp_ms = mgm_igmp_decode(code) * 100;
	msg->suppress = igmp[8] & 0x08;
	msg->qrv = igmp[8] & 0x07;
	msg->qqi = mgm_igmp_decode(igmp[9]);
	msg->n_srcs = n;
	msg->srcs = (const __be32 *)(igmp + MGM_IGMP_V3_QUERY_LEN);
	c->queries[2]++;
	return 0;
}

/* Each record of an IGMPv3 report must fit in it, sources and aux data. */
static int mgm_igmp_parse_v3_report(const u8 *igmp, unsigned int len,
				    struct mgm_igmp_msg *msg,
				    struct mgm_igmp_rx_counters *c)
{
	unsigned int i, n, pos = MGM_IGMP_V3_REPORT_LEN, size;
	const u8 *r;

	if (len < MGM_IGMP_V3_REPORT_LEN) {
		c->short_packets++;
		return -EINVAL;
	}
	n = get_unaligned_be16(igmp + 6);
	for (i = 0; i < n; i++) {
		if (len - pos < MGM_IGMP_V3_RECORD_LEN) {
			c->truncated++;
			return -EINVAL;
		}
		r = igmp + pos;
		size = MGM_IGMP_V3_RECORD_LEN + 4 * get_unaligned_be16(r + 2) +
		       4 * r[1];
		if (len - pos < size) {
			c->truncated++;
			return -EINVAL;
		}
		pos += size;
	}
	msg->kind = MGM_IGMP_REPORT;
	msg->version = 3;
	msg->records = igmp + MGM_IGMP_V3_REPORT_LEN;
	msg->n_records = n;
	msg->records_len = pos - MGM_IGMP_V3_REPORT_LEN;
	c->reports[2]++;
	return 0;
}

int mgm_igmp_parse(const void *pkt, unsigned int len, struct mgm_igmp_msg *msg,
		   struct mgm_igmp_rx_counters *c)
{
	const struct iphdr *iph = pkt;
	unsigned int ihl, tot, igmp_len;
	const u8 *igmp;

	memset(msg, 0, sizeof(*msg));
	if (len < sizeof(*iph) || iph->version != 4) {
		c->short_packets++;
		return -EINVAL;
	}
	ihl = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (ihl < sizeof(*iph) || tot > len || tot < ihl + 8) {
		c->short_packets++;
		return -EINVAL;
	}
	if (iph->protocol != IPPROTO_IGMP) {
		c->bad_type++;
		return -EINVAL;
	}
	igmp = (const u8 *)pkt + ihl;
	igmp_len = tot - ihl;
	if (ip_compute_csum(igmp, igmp_len)) {
		c->bad_checksum++;
		return -EINVAL;
	}
	msg->saddr = iph->saddr;
	msg->daddr = iph->daddr;

	switch (igmp[0]) {
	case IGMP_HOST_MEMBERSHIP_QUERY:
		return mgm_igmp_parse_query(igmp, igmp_len, msg, c);
	case IGMPV3_HOST_MEMBERSHIP_REPORT:
		return mgm_igmp_parse_v3_report(igmp, igmp_len, msg, c);
	case IGMP_HOST_MEMBERSHIP_REPORT:
	case IGMPV2_HOST_MEMBERSHIP_REPORT:
	case IGMP_HOST_LEAVE_MESSAGE:
		break;
	default:
		c->bad_type++;
		return -EINVAL;
	}
	msg->group = get_unaligned((const __be32 *)(igmp + 4));
	if (!mgm_igmp_routable(msg->group)) {
		c->bad_group++;
		return -EINVAL;
	}
	if (igmp[0] == IGMP_HOST_LEAVE_MESSAGE) {
		msg->kind = MGM_IGMP_LEAVE;
		msg->version = 2;
		c->leaves++;
		return 0;
	}
	msg->kind = MGM_IGMP_REPORT;
	msg->version = igmp[0] == IGMP_HOST_MEMBERSHIP_REPORT ? 1 : 2;
	c->reports[msg->version - 1]++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_parse);

int mgm_igmp_next_record(const struct mgm_igmp_msg *msg, unsigned int *pos,
			 struct mgm_igmp_record *rec,
			 struct mgm_igmp_rx_counters *c)
{
	const u8 *r;
	unsigned int n;
	u8 type;

	while (*pos < msg->records_len) {
		r = msg->records + *pos;
		n = get_unaligned_be16(r + 2);
		*pos += MGM_IGMP_V3_RECORD_LEN + 4 * n + 4 * r[1];
		type = r[0];
		if (type < MGM_IGMP_IS_IN || type > MGM_IGMP_BLOCK) {
			c->bad_record++;
			continue;
		}
		rec->group = get_unaligned((const __be32 *)(r + 4));
		if (!mgm_igmp_routable(rec->group)) {
			c->bad_group++;
			continue;
		}
		rec->type = type;
		rec->n_srcs = n;
		rec->srcs = r + MGM_IGMP_V3_RECORD_LEN;
		return 1;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_next_record);

int mgm_igmp_build_query(void *buf, unsigned int size, __be32 group,
			 const __be32 *srcs, unsigned int n,
			 unsigned int max_resp_ms, bool suppress,
			 unsigned int qrv, unsigned int qqi)
{
	unsigned int len = MGM_IGMP_V3_QUERY_LEN + 4 * n;
	u8 *q = buf;

	if (size < len || n > U16_MAX)
		return -EMSGSIZE;
	q[0] = IGMP_HOST_MEMBERSHIP_QUERY;
	q[1] = mgm_igmp_code(max_resp_ms / 100);
	put_unaligned(0, (__sum16 *)(q + 2));
	put_unaligned(group, (__be32 *)(q + 4));
	/* RFC 3376 §4.1.6: a QRV past 7 is sent as 0 */
	q[8] = (suppress ? 0x08 : 0) | (qrv <= 7 ? qrv : 0);
	q[9] = mgm_igmp_code(qqi);
	put_unaligned_be16(n, q + 10);
	if (n)
		memcpy(q + MGM_IGMP_V3_QUERY_LEN, srcs, 4 * n);
	put_unaligned(ip_compute_csum(q, len), (__sum16 *)(q + 2));
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_igmp_build_query);
