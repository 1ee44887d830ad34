// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of an ipmr entry as "ip mroute" reads them, over a kernel
 * NETLINK_ROUTE socket: the path of kernels whose ipmr ioctl takes user
 * memory only (6.1; mgm_compat_kernel_ioctl() in mgm_compat.h says which).
 * Later kernels read them with SIOCGETSGCNT (mgm_ipmr.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mroute.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "mgm_forwarder.h"
#include "mgm_ipmr.h"

/* The request of mgm_ipmr_getroute(), one RTM_GETROUTE. */
struct mgm_ipmr_getroute {
	struct nlmsghdr nlh;
	struct rtmsg rtm;
	struct nlattr src_attr;
	__be32 src;
	struct nlattr dst_attr;
	__be32 dst;
	struct nlattr table_attr;
	u32 table;
};

static int mgm_ipmr_rtnl_request(struct socket *rtnl, u32 seq, __be32 source,
				 __be32 group, u32 table)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
	};
	struct mgm_ipmr_getroute req = {
		.nlh.nlmsg_len = sizeof(req),
		.nlh.nlmsg_type = RTM_GETROUTE,
		.nlh.nlmsg_flags = NLM_F_REQUEST,
		.nlh.nlmsg_seq = seq,
		.rtm.rtm_family = RTNL_FAMILY_IPMR,
		.rtm.rtm_src_len = 32,
		.rtm.rtm_dst_len = 32,
		.src_attr = { .nla_len = NLA_HDRLEN + 4, .nla_type = RTA_SRC },
		.src = source,
		.dst_attr = { .nla_len = NLA_HDRLEN + 4, .nla_type = RTA_DST },
		.dst = group,
		.table_attr = { .nla_len = NLA_HDRLEN + 4, .nla_type = RTA_TABLE },
		.table = table,
	};
	struct kvec iov = { .iov_base = &req, .iov_len = sizeof(req) };
	int err;

	/* no padding: rtnetlink parses what the struct holds */
	BUILD_BUG_ON(sizeof(req) != NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(req.rtm)) +
		     3 * NLA_ALIGN(NLA_HDRLEN + 4));
	err = kernel_sendmsg(rtnl, &msg, &iov, 1, sizeof(req));
	return err < 0 ? err : 0;
}

static int mgm_ipmr_rtnl_parse(const struct nlmsghdr *nlh,
			       struct mgm_mfe_counters *c)
{
	struct rta_mfc_stats stats;
	const struct nlmsgerr *e;
	struct nlattr *attr;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*e)))
			return -EPROTO;
		e = nlmsg_data(nlh);
		return e->error ?: -EPROTO;
	}
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < nlmsg_msg_size(sizeof(struct rtmsg)))
		return -EPROTO;
	attr = nlmsg_find_attr(nlh, sizeof(struct rtmsg), RTA_MFC_STATS);
	if (!attr || nla_len(attr) < sizeof(stats))
		return -EPROTO;
	memcpy(&stats, nla_data(attr), sizeof(stats));
	c->pkts = stats.mfcs_packets;
	c->bytes = stats.mfcs_bytes;
	c->wrong_if = stats.mfcs_wrong_if;
	return 0;
}

/*
 * The counters of (@source, @group) in ipmr table @table as "ip mroute"
 * gets them: an RTM_GETROUTE request with sequence number @seq over @rtnl,
 * a kernel NETLINK_ROUTE socket; rtnetlink asks no capability for a get.
 * It answers before kernel_sendmsg() returns, so the reply is waiting on
 * the socket.  -ENOENT: ipmr has no such entry.
 */
int mgm_ipmr_getroute(struct socket *rtnl, u32 seq, __be32 source,
		      __be32 group, u32 table, struct mgm_mfe_counters *c)
{
	const struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int err;

	err = mgm_ipmr_rtnl_request(rtnl, seq, source, group, table);
	if (err)
		return err;
	/* a reply to an earlier request that failed halfway is stale */
	while ((skb = skb_recv_datagram(rtnl->sk, MSG_DONTWAIT, &err))) {
		nlh = nlmsg_hdr(skb);
		if (nlmsg_ok(nlh, skb->len) && nlh->nlmsg_seq == seq) {
			err = mgm_ipmr_rtnl_parse(nlh, c);
			consume_skb(skb);
			return err;
		}
		consume_skb(skb);
	}
	return -EPROTO;
}
EXPORT_SYMBOL_IF_KUNIT(mgm_ipmr_getroute);
