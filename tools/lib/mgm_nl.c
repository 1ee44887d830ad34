// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The netlink helper layer of the mgm tools; see mgm_nl.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "mgm_nl.h"

/* The names of commands and attributes: mgm_names.c, from the spec. */

const char *mgm_cmd_name(unsigned int cmd)
{
	return cmd <= MGM_CMD_MAX && mgm_cmd_names[cmd] ? mgm_cmd_names[cmd] :
	       "unknown";
}

const char *mgm_errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

int mgm_nl_fd(const struct mgm_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

static struct nlmsghdr *put_header(struct mgm_nl *nl, void *buf,
				   uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = type == GENL_ID_CTRL ? 1 : MGM_FAMILY_VERSION;
	return nlh;
}

struct nlmsghdr *mgm_nl_request(struct mgm_nl *nl, void *buf, uint8_t cmd,
				uint16_t flags)
{
	return put_header(nl, buf, nl->family, cmd, flags);
}

static int ctrl_group_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= CTRL_ATTR_MCAST_GRP_ID)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int ctrl_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr *grp, *tb[CTRL_ATTR_MCAST_GRP_ID + 1];
	struct mgm_nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		nl->family = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			memset(tb, 0, sizeof(tb));
			mnl_attr_parse_nested(grp, ctrl_group_attr, tb);
			if (tb[CTRL_ATTR_MCAST_GRP_NAME] &&
			    tb[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				    MGM_MCGRP_MONITOR))
				nl->monitor_grp =
					mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		}
		break;
	}
	return MNL_CB_OK;
}

static int ctrl_reply(const struct nlmsghdr *nlh, bool multicast, void *data)
{
	(void)multicast;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctrl_attr, data);
	return MNL_CB_OK;
}

int mgm_nl_socket(struct mgm_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		mgm_nl_close(nl);
		return ret;
	}
	/* the kernel's messages, and no copy of our request in its errors */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

int mgm_nl_resolve(struct mgm_nl *nl)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct mgm_err err;
	struct nlmsghdr *nlh;
	int ret;

	if (nl->family)
		return 0;
	nlh = put_header(nl, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MGM_FAMILY_NAME);
	ret = mgm_nl_transact(nl, nlh, ctrl_reply, NULL, nl, &err);
	if (!ret && err.err)
		ret = -err.err;
	if (!ret && !nl->family)
		ret = -ENOENT;
	return ret;
}

int mgm_nl_open(struct mgm_nl *nl)
{
	int ret = mgm_nl_socket(nl);

	if (!ret)
		ret = mgm_nl_resolve(nl);
	if (ret)
		mgm_nl_close(nl);
	return ret;
}

void mgm_nl_close(struct mgm_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int mgm_nl_join_monitor(struct mgm_nl *nl)
{
	if (!nl->monitor_grp)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->monitor_grp, sizeof(nl->monitor_grp)))
		return -errno;
	return 0;
}

int mgm_nl_send(struct mgm_nl *nl, struct nlmsghdr *req)
{
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	return 0;
}

struct ext_ack {
	const struct nlmsghdr *req;
	struct mgm_err *err;
};

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ext_ack *ea = data;
	uint32_t off;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(ea->err->msg, sizeof(ea->err->msg), "%.*s",
			 (int)mnl_attr_get_payload_len(attr),
			 (const char *)mnl_attr_get_payload(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		/* the offset of the attribute at fault in our request */
		off = mnl_attr_get_u32(attr);
		if (ea->req && off + sizeof(struct nlattr) <= ea->req->nlmsg_len)
			ea->err->bad_attr = mnl_attr_get_type((const void *)
				((const char *)ea->req + off));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		ea->err->missing = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

void mgm_nl_parse_error(const struct nlmsghdr *nlh,
			const struct nlmsghdr *req, struct mgm_err *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct ext_ack ea = { .req = req, .err = err };
	unsigned int off = sizeof(*e);

	memset(err, 0, sizeof(*err));
	err->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	mnl_attr_parse(nlh, off, ext_ack_attr, &ea);
}

const char *mgm_err_str(int err, const char *msg, char *buf, size_t size)
{
	snprintf(buf, size, "%s (%s)", msg[0] ? msg : strerror(err),
		 mgm_errno_name(err));
	return buf;
}

static int recv_datagram_flags(struct mgm_nl *nl, bool *multicast,
			       int flags)
{
	struct sockaddr_nl addr;
	socklen_t alen = sizeof(addr);
	int n;

	n = recvfrom(mgm_nl_fd(nl), nl->buf, sizeof(nl->buf), flags,
		     (struct sockaddr *)&addr, &alen);
	*multicast = n >= 0 && addr.nl_groups;
	return n < 0 ? -errno : n;
}

static int recv_datagram(struct mgm_nl *nl, bool *multicast)
{
	return recv_datagram_flags(nl, multicast, 0);
}

int mgm_nl_recv_flags(struct mgm_nl *nl, int flags, mgm_nl_cb cb,
		      void *data)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)nl->buf;
	bool multicast;
	int n = recv_datagram_flags(nl, &multicast, flags);

	if (n < 0)
		return n;
	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
		if (cb(nlh, multicast, data) < MNL_CB_OK)
			return -ECANCELED;
	return 0;
}

int mgm_nl_recv(struct mgm_nl *nl, mgm_nl_cb cb, void *data)
{
	return mgm_nl_recv_flags(nl, 0, cb, data);
}

int mgm_nl_transact(struct mgm_nl *nl, struct nlmsghdr *req, mgm_nl_cb reply,
		    mgm_nl_cb other, void *data, struct mgm_err *err)
{
	bool multicast;
	int n, ret;

	memset(err, 0, sizeof(*err));
	ret = mgm_nl_send(nl, req);
	if (ret)
		return ret;
	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)nl->buf;

		n = recv_datagram(nl, &multicast);
		if (n < 0)
			return n;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			if (multicast || nlh->nlmsg_seq != req->nlmsg_seq ||
			    nlh->nlmsg_pid != nl->portid) {
				if (other)
					other(nlh, multicast, data);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				mgm_nl_parse_error(nlh, req, err);
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				const int *e = mnl_nlmsg_get_payload(nlh);

				err->err = -*e;
				/* a failed dump says why in an ext ack too */
				if (*e && (nlh->nlmsg_flags & NLM_F_ACK_TLVS))
					mnl_attr_parse(nlh, sizeof(int),
						       ext_ack_attr,
						       &(struct ext_ack){ req, err });
				return 0;
			}
			if (reply && nlh->nlmsg_type != NLMSG_NOOP)
				reply(nlh, multicast, data);
		}
	}
}

void mgm_batch_init(struct mgm_batch *b, struct mgm_nl *nl,
		    mgm_batch_cb failed, mgm_nl_cb other, void *data)
{
	b->nl = nl;
	b->failed = failed;
	b->other = other;
	b->data = data;
	b->n_failed = 0;
	b->len = 0;
	b->last = 0;
}

int mgm_batch_add(struct mgm_batch *b, const struct nlmsghdr *req)
{
	size_t size = NLMSG_ALIGN(req->nlmsg_len);
	int ret;

	if (size > sizeof(b->buf))
		return -EMSGSIZE;
	if (b->len + size > sizeof(b->buf)) {
		ret = mgm_batch_flush(b);
		if (ret)
			return ret;
	}
	memcpy(b->buf + b->len, req, req->nlmsg_len);
	b->last = b->len;
	b->len += size;
	return 0;
}

/* The request of the batch with @seq, or NULL if none has it. */
static const struct nlmsghdr *batch_find(const struct mgm_batch *b,
					 size_t len, uint32_t seq)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)b->buf;
	int left = len;

	for (; mnl_nlmsg_ok(req, left); req = mnl_nlmsg_next(req, &left))
		if (req->nlmsg_seq == seq)
			return req;
	return NULL;
}

int mgm_batch_flush(struct mgm_batch *b)
{
	struct nlmsghdr *last = (struct nlmsghdr *)(b->buf + b->last);
	const struct nlmsghdr *req;
	const struct nlmsgerr *e;
	bool multicast, done = false;
	size_t len = b->len;
	int n;

	if (!len)
		return 0;
	b->len = 0;
	last->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(b->nl->sock, b->buf, len) < 0)
		return -errno;
	while (!done) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)b->nl->buf;

		n = recv_datagram(b->nl, &multicast);
		if (n < 0)
			return n;
		for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			req = NULL;
			if (!multicast && nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_pid == b->nl->portid)
				req = batch_find(b, len, nlh->nlmsg_seq);
			if (!req) {
				if (b->other)
					b->other(nlh, multicast, b->data);
				continue;
			}
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error) {
				b->n_failed++;
				b->failed(nlh, req, b->data);
			}
			/* what follows in this datagram goes to @other */
			if (req == last)
				done = true;
		}
	}
	return 0;
}

static int parse_attr(const struct nlattr *attr, void *data)
{
	static const enum mnl_attr_data_type types[] = {
		[MGM_K_U8] = MNL_TYPE_U8,
		[MGM_K_U32] = MNL_TYPE_U32,
		[MGM_K_U64] = MNL_TYPE_U64,
		[MGM_K_IPV4] = MNL_TYPE_U32,
		[MGM_K_IFINDEX] = MNL_TYPE_U32,
		[MGM_K_FLAG] = MNL_TYPE_FLAG,
		[MGM_K_BINARY] = MNL_TYPE_BINARY,
		[MGM_K_OIF] = MNL_TYPE_NESTED,
		[MGM_K_NEST] = MNL_TYPE_NESTED,
	};
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > MGM_A_MAX || !mgm_attr_info[type].kind)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, types[mgm_attr_info[type].kind]) < 0)
		return MNL_CB_OK;	/* a wrong size: left out */
	tb[type] = attr;
	return MNL_CB_OK;
}

int mgm_nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	memset(tb, 0, sizeof(*tb) * (MGM_A_MAX + 1));
	mnl_attr_parse(nlh, sizeof(*genl), parse_attr, tb);
	return genl->cmd;
}

static int parse_oif_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type t;

	if (type > MGM_OIF_A_MAX || !mgm_oif_attr_info[type].kind)
		return MNL_CB_OK;
	t = mgm_oif_attr_info[type].kind == MGM_K_FLAG ? MNL_TYPE_FLAG :
							   MNL_TYPE_U32;
	if (mnl_attr_validate(attr, t) >= 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

void mgm_nl_parse_oif(const struct nlattr *oif, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (MGM_OIF_A_MAX + 1));
	mnl_attr_parse_nested(oif, parse_oif_attr, tb);
}
