/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IGMP messages as a router reads and writes them (mgm_igmp_packet.c):
 * queries and reports of IGMPv1 (RFC 1112), IGMPv2 (RFC 2236) and IGMPv3
 * (RFC 3376 §4), checked before anything of them is believed.  Nothing
 * here allocates or keeps state; counters say what was dropped and why.
 */
#ifndef _MGM_IGMP_PACKET_H
#define _MGM_IGMP_PACKET_H

#include <linux/types.h>

#include "mgm_igmp_group.h"

/* What an interface received, and what it dropped and why. */
struct mgm_igmp_rx_counters {
	u64 queries[3];		/* IGMPv1, v2, v3 */
	u64 reports[3];		/* IGMPv1, v2, v3 */
	u64 leaves;
	u64 short_packets;	/* shorter than its headers say */
	u64 bad_checksum;
	u64 bad_type;		/* not a message a router takes */
	u64 bad_query;		/* a length or group no query has */
	u64 bad_record;		/* unknown record type: the record is skipped */
	u64 bad_group;		/* not a routable multicast group */
	u64 truncated;		/* sources or records past the packet's end */
	u64 bad_source;		/* not from the link (mgm_igmp.c) */
};

enum mgm_igmp_kind {
	MGM_IGMP_QUERY,
	MGM_IGMP_REPORT,	/* IGMPv1, IGMPv2 report, or IGMPv3 */
	MGM_IGMP_LEAVE,		/* IGMPv2 */
};

/* A message that passed every check. */
struct mgm_igmp_msg {
	enum mgm_igmp_kind kind;
	int version;
	__be32 saddr;		/* IP source */
	__be32 daddr;		/* IP destination */
	__be32 group;		/* query: 0 for a general one; v1/v2 report */
	/* query */
	unsigned int max_resp_ms;
	bool suppress;		/* IGMPv3 S flag */
	unsigned int qrv;	/* IGMPv3; 0: none given */
	unsigned int qqi;	/* IGMPv3, seconds; 0: none given */
	unsigned int n_srcs;
	const __be32 *srcs;	/* into the packet, maybe unaligned */
	/* IGMPv3 report: its group records, to be read with next_record */
	const u8 *records;
	unsigned int n_records;
	unsigned int records_len;
};

/*
 * Check the IP packet @pkt of @len bytes (IP header first) and read its
 * IGMP message into @msg; -EINVAL (counted in @c) when it must be dropped.
 */
int mgm_igmp_parse(const void *pkt, unsigned int len, struct mgm_igmp_msg *msg,
		   struct mgm_igmp_rx_counters *c);

/* One group record of an IGMPv3 report; its sources may be unaligned. */
struct mgm_igmp_record {
	enum mgm_igmp_rec type;
	__be32 group;
	unsigned int n_srcs;
	const u8 *srcs;
};

/*
 * The next record of @msg at *@pos (start at 0): 1 with @rec filled in,
 * 0 at the end.  Records of unknown type or group are skipped and
 * counted; mgm_igmp_parse() checked that all of them fit the packet.
 */
int mgm_igmp_next_record(const struct mgm_igmp_msg *msg, unsigned int *pos,
			 struct mgm_igmp_record *rec,
			 struct mgm_igmp_rx_counters *c);

/*
 * The 8-bit codes of RFC 3376 §4.1.1 and §4.1.7: values below 128 as
 * they are, larger ones as a floating point of 3 bits exponent and 4 bits
 * mantissa (the largest, 31744, for anything above).
 */
u8 mgm_igmp_code(unsigned int value);
unsigned int mgm_igmp_decode(u8 code);

/*
 * An IGMPv3 query (RFC 3376 §4.1) in @buf of @size bytes: general when
 * @group is 0, else group-specific, or group-and-source-specific with
 * @n sources.  Returns its length, or -EMSGSIZE.  The checksum is set.
 */
int mgm_igmp_build_query(void *buf, unsigned int size, __be32 group,
			 const __be32 *srcs, unsigned int n,
			 unsigned int max_resp_ms, bool suppress,
			 unsigned int qrv, unsigned int qqi);

#endif /* _MGM_IGMP_PACKET_H */
