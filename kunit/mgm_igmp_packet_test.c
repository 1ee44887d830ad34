// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for IGMP messages as the router reads and writes them
 * (mgm_igmp_packet.c): queries and reports of each version, the codes of
 * RFC 3376 §4.1.1, and every class of malformed packet, each dropped and
 * counted where it belongs.
 */
#include <kunit/test.h>
#include <linux/igmp.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <net/checksum.h>

#include "../mgm_igmp_packet.h"

#define G	htonl(0xe8010101)	/* 232.1.1.1 */
#define HOST	htonl(0x0a000102)	/* 10.0.1.2 */

/* @len bytes of IGMP message after a 20-byte IP header of protocol @proto. */
static unsigned int ip_packet(u8 *buf, const void *igmp, unsigned int len,
			      u8 proto)
{
	struct iphdr *iph = (struct iphdr *)buf;

	*iph = (struct iphdr) {
		.version = 4,
		.ihl = 5,
		.tot_len = htons(sizeof(*iph) + len),
		.ttl = 1,
		.protocol = proto,
		.saddr = HOST,
		.daddr = htonl(0xe0000016),	/* 224.0.0.22 */
	};
	memcpy(buf + sizeof(*iph), igmp, len);
	return sizeof(*iph) + len;
}

/* An IGMP message of @len bytes with its checksum set. */
static unsigned int igmp_packet(u8 *buf, u8 *igmp, unsigned int len)
{
	igmp[2] = 0;
	igmp[3] = 0;
	*(__sum16 *)(igmp + 2) = ip_compute_csum(igmp, len);
	return ip_packet(buf, igmp, len, IPPROTO_IGMP);
}

/* An IGMPv1/v2 message: @type, @code, @group. */
static unsigned int v12_packet(u8 *buf, u8 type, u8 code, __be32 group)
{
	u8 igmp[8] = { type, code };

	memcpy(igmp + 4, &group, 4);
	return igmp_packet(buf, igmp, sizeof(igmp));
}

static void igmp_pkt_test_codes(struct kunit *test)
{
	unsigned int v;

	for (v = 0; v < 128; v++)
		KUNIT_EXPECT_EQ(test, mgm_igmp_decode(mgm_igmp_code(v)), v);
	KUNIT_EXPECT_EQ(test, mgm_igmp_code(128), 0x80);
	KUNIT_EXPECT_EQ(test, mgm_igmp_decode(0x80), 128);
	KUNIT_EXPECT_EQ(test, mgm_igmp_decode(0xff), 31744);
	KUNIT_EXPECT_EQ(test, mgm_igmp_code(31744), 0xff);
	KUNIT_EXPECT_EQ(test, mgm_igmp_code(100000), 0xff);
	/* the floating point keeps 4 bits: within 1/16 below the value */
	for (v = 128; v <= 31744; v += 37) {
		unsigned int d = mgm_igmp_decode(mgm_igmp_code(v));

		KUNIT_EXPECT_LE(test, d, v);
		KUNIT_EXPECT_GT(test, d * 16, v * 15);
	}
}

static void igmp_pkt_test_v1_v2(struct kunit *test)
{
	struct mgm_igmp_rx_counters c = {};
	struct mgm_igmp_msg msg;
	u8 buf[64];
	unsigned int len;

	len = v12_packet(buf, IGMP_HOST_MEMBERSHIP_REPORT, 0, G);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_REPORT);
	KUNIT_EXPECT_EQ(test, msg.version, 1);
	KUNIT_EXPECT_EQ(test, ntohl(msg.group), ntohl(G));
	KUNIT_EXPECT_EQ(test, ntohl(msg.saddr), ntohl(HOST));

	len = v12_packet(buf, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_REPORT);
	KUNIT_EXPECT_EQ(test, msg.version, 2);

	len = v12_packet(buf, IGMP_HOST_LEAVE_MESSAGE, 0, G);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_LEAVE);
	KUNIT_EXPECT_EQ(test, ntohl(msg.group), ntohl(G));

	/* an IGMPv1 query (code 0): 10 s; an IGMPv2 one in tenths */
	len = v12_packet(buf, IGMP_HOST_MEMBERSHIP_QUERY, 0, 0);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_QUERY);
	KUNIT_EXPECT_EQ(test, msg.version, 1);
	KUNIT_EXPECT_EQ(test, msg.max_resp_ms, 10000);
	len = v12_packet(buf, IGMP_HOST_MEMBERSHIP_QUERY, 100, G);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.version, 2);
	KUNIT_EXPECT_EQ(test, msg.max_resp_ms, 10000);
	KUNIT_EXPECT_EQ(test, ntohl(msg.group), ntohl(G));

	KUNIT_EXPECT_EQ(test, c.reports[0], 1);
	KUNIT_EXPECT_EQ(test, c.reports[1], 1);
	KUNIT_EXPECT_EQ(test, c.leaves, 1);
	KUNIT_EXPECT_EQ(test, c.queries[0], 1);
	KUNIT_EXPECT_EQ(test, c.queries[1], 1);
}

/* A record of @type for @group with @n sources 10.0.0.1..n, at @p. */
static unsigned int record(u8 *p, u8 type, __be32 group, unsigned int n,
			   u8 aux_words)
{
	unsigned int i, len = 8 + 4 * n + 4 * aux_words;

	memset(p, 0, len);
	p[0] = type;
	p[1] = aux_words;
	p[3] = n;
	memcpy(p + 4, &group, 4);
	for (i = 0; i < n; i++) {
		__be32 s = htonl(0x0a000001 + i);

		memcpy(p + 8 + 4 * i, &s, 4);
	}
	return len;
}

static void igmp_pkt_test_v3_report(struct kunit *test)
{
	struct mgm_igmp_rx_counters c = {};
	struct mgm_igmp_record rec;
	struct mgm_igmp_msg msg;
	unsigned int len = 8, pos = 0;
	u8 igmp[256] = { IGMPV3_HOST_MEMBERSHIP_REPORT };
	u8 buf[300];
	__be32 s;

	igmp[7] = 4;
	len += record(igmp + len, MGM_IGMP_TO_EX, G, 2, 1);
	len += record(igmp + len, 9, G, 1, 0);			/* unknown type */
	len += record(igmp + len, MGM_IGMP_ALLOW, htonl(0xe0000005), 1, 0);
	len += record(igmp + len, MGM_IGMP_BLOCK, G, 3, 0);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, igmp_packet(buf, igmp, len),
					     &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_REPORT);
	KUNIT_EXPECT_EQ(test, msg.version, 3);
	KUNIT_EXPECT_EQ(test, msg.n_records, 4);

	/* the records a router handles; the others skipped and counted */
	KUNIT_ASSERT_EQ(test, mgm_igmp_next_record(&msg, &pos, &rec, &c), 1);
	KUNIT_EXPECT_EQ(test, rec.type, MGM_IGMP_TO_EX);
	KUNIT_EXPECT_EQ(test, ntohl(rec.group), ntohl(G));
	KUNIT_EXPECT_EQ(test, rec.n_srcs, 2);
	memcpy(&s, rec.srcs + 4, 4);
	KUNIT_EXPECT_EQ(test, ntohl(s), ntohl(htonl(0x0a000002)));
	KUNIT_ASSERT_EQ(test, mgm_igmp_next_record(&msg, &pos, &rec, &c), 1);
	KUNIT_EXPECT_EQ(test, rec.type, MGM_IGMP_BLOCK);
	KUNIT_EXPECT_EQ(test, rec.n_srcs, 3);
	KUNIT_EXPECT_EQ(test, mgm_igmp_next_record(&msg, &pos, &rec, &c), 0);
	KUNIT_EXPECT_EQ(test, c.bad_record, 1);
	KUNIT_EXPECT_EQ(test, c.bad_group, 1);
	KUNIT_EXPECT_EQ(test, c.reports[2], 1);
}

static void igmp_pkt_test_v3_query(struct kunit *test)
{
	__be32 srcs[2] = { htonl(0x0a000001), htonl(0x0a000002) };
	struct mgm_igmp_rx_counters c = {};
	struct mgm_igmp_msg msg;
	u8 igmp[64], buf[96];
	unsigned int plen;
	__be32 s;
	int len;

	len = mgm_igmp_build_query(igmp, sizeof(igmp), G, srcs, 2, 1000, true,
				   2, 125);
	KUNIT_ASSERT_EQ(test, len, 20);
	/* its checksum is right as built */
	KUNIT_EXPECT_EQ(test, (__force u16)ip_compute_csum(igmp, len), 0);
	plen = ip_packet(buf, igmp, len, IPPROTO_IGMP);
	KUNIT_ASSERT_EQ(test, mgm_igmp_parse(buf, plen, &msg, &c), 0);
	KUNIT_EXPECT_EQ(test, msg.kind, MGM_IGMP_QUERY);
	KUNIT_EXPECT_EQ(test, msg.version, 3);
	KUNIT_EXPECT_EQ(test, ntohl(msg.group), ntohl(G));
	KUNIT_EXPECT_EQ(test, msg.max_resp_ms, 1000);
	KUNIT_EXPECT_TRUE(test, msg.suppress);
	KUNIT_EXPECT_EQ(test, msg.qrv, 2);
	KUNIT_EXPECT_EQ(test, msg.qqi, 125);
	KUNIT_ASSERT_EQ(test, msg.n_srcs, 2);
	memcpy(&s, &msg.srcs[1], 4);
	KUNIT_EXPECT_EQ(test, ntohl(s), ntohl(srcs[1]));
	/* a general query, and one too long for its buffer */
	KUNIT_EXPECT_EQ(test, mgm_igmp_build_query(igmp, sizeof(igmp), 0, NULL,
						   0, 10000, false, 9, 125), 12);
	KUNIT_EXPECT_EQ(test, igmp[8], 0);	/* a QRV past 7 goes as 0 */
	KUNIT_EXPECT_EQ(test, mgm_igmp_build_query(igmp, 16, G, srcs, 2, 1000,
						   false, 2, 125), -EMSGSIZE);
}

/* Each malformed packet is dropped, counted in its own counter. */
static void igmp_pkt_test_malformed(struct kunit *test)
{
	struct mgm_igmp_rx_counters c = {};
	struct mgm_igmp_msg msg;
	u8 buf[128], igmp[64];
	struct iphdr *iph = (struct iphdr *)buf;
	unsigned int len;

	/* shorter than an IP header */
	len = v12_packet(buf, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, 19, &msg, &c), -EINVAL);
	/* an IP length past the buffer, and one too short for IGMP */
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len - 1, &msg, &c), -EINVAL);
	iph->tot_len = htons(27);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	/* a header length below 20 bytes */
	len = v12_packet(buf, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
	iph->ihl = 4;
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.short_packets, 4);

	/* a wrong checksum */
	len = v12_packet(buf, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, G);
	buf[len - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.bad_checksum, 1);

	/* not IGMP; an IGMP type a router does not take (DVMRP) */
	memset(igmp, 0, sizeof(igmp));
	len = ip_packet(buf, igmp, 8, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	len = v12_packet(buf, 0x13, 0, G);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.bad_type, 2);

	/* reports of a unicast and of a link-local group */
	len = v12_packet(buf, IGMPV2_HOST_MEMBERSHIP_REPORT, 0, HOST);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	len = v12_packet(buf, IGMP_HOST_LEAVE_MESSAGE, 0, htonl(0xe0000001));
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.bad_group, 2);

	/* queries: 10 bytes long; about a unicast group; sources, no group */
	memset(igmp, 0, sizeof(igmp));
	igmp[0] = IGMP_HOST_MEMBERSHIP_QUERY;
	len = igmp_packet(buf, igmp, 10);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	len = v12_packet(buf, IGMP_HOST_MEMBERSHIP_QUERY, 100, HOST);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	memset(igmp, 0, sizeof(igmp));
	igmp[0] = IGMP_HOST_MEMBERSHIP_QUERY;
	igmp[11] = 1;
	len = igmp_packet(buf, igmp, 16);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.bad_query, 3);

	/* more sources than the query holds; a record past the report */
	igmp[11] = 2;
	memcpy(igmp + 4, &(__be32){ G }, 4);
	len = igmp_packet(buf, igmp, 16);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	memset(igmp, 0, sizeof(igmp));
	igmp[0] = IGMPV3_HOST_MEMBERSHIP_REPORT;
	igmp[7] = 1;
	record(igmp + 8, MGM_IGMP_IS_IN, G, 3, 0);
	len = igmp_packet(buf, igmp, 8 + 8 + 8);	/* 2 of its 3 sources */
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	igmp[7] = 2;					/* a record not there */
	len = igmp_packet(buf, igmp, 8 + 8 + 12);
	KUNIT_EXPECT_EQ(test, mgm_igmp_parse(buf, len, &msg, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, c.truncated, 3);

	/* and nothing of it was taken for a message */
	KUNIT_EXPECT_EQ(test, c.reports[0] + c.reports[1] + c.reports[2] +
			c.queries[0] + c.queries[1] + c.queries[2] + c.leaves, 0);
}

static struct kunit_case igmp_pkt_test_cases[] = {
	KUNIT_CASE(igmp_pkt_test_codes),
	KUNIT_CASE(igmp_pkt_test_v1_v2),
	KUNIT_CASE(igmp_pkt_test_v3_report),
	KUNIT_CASE(igmp_pkt_test_v3_query),
	KUNIT_CASE(igmp_pkt_test_malformed),
	{}
};

static struct kunit_suite igmp_pkt_suite = {
	.name = "mgm_igmp_packet",
	.test_cases = igmp_pkt_test_cases,
};

kunit_test_suites(&igmp_pkt_suite);
