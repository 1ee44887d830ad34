// SPDX-License-Identifier: GPL-2.0
/*
 * The commands of the "mgm" family for the in-kernel IGMP component
 * (mgm_igmp.c): igmp-enable, igmp-disable, igmp-get.  They translate a
 * message into one call of the component, which checks the rest.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "mgm_igmp.h"
#include "mgm_netlink.h"

/* The configuration given, on RFC 3376's defaults (the policy checked it). */
static int mgm_nl_igmp_config(const struct genl_info *info,
			      struct mgm_igmp_config *cfg)
{
	struct nlattr *tb[MGM_IGMP_A_MAX + 1];
	struct mgm_igmp_timers *t = &cfg->timers;
	int err;

	mgm_igmp_config_init(cfg);
	if (!info->attrs[MGM_A_IGMP_CONFIG])
		return 0;
	err = nla_parse_nested(tb, MGM_IGMP_A_MAX,
			       info->attrs[MGM_A_IGMP_CONFIG],
			       mgm_igmp_conf_nl_policy, info->extack);
	if (err)
		return err;
	if (tb[MGM_IGMP_A_VERSION])
		cfg->version = nla_get_u32(tb[MGM_IGMP_A_VERSION]);
	if (tb[MGM_IGMP_A_ROBUSTNESS])
		t->robustness = nla_get_u32(tb[MGM_IGMP_A_ROBUSTNESS]);
	if (tb[MGM_IGMP_A_QUERY_INTERVAL])
		t->query_interval = nla_get_u32(tb[MGM_IGMP_A_QUERY_INTERVAL]) *
				    MSEC_PER_SEC;
	if (tb[MGM_IGMP_A_RESPONSE_INTERVAL])
		t->response_interval =
			nla_get_u32(tb[MGM_IGMP_A_RESPONSE_INTERVAL]);
	if (tb[MGM_IGMP_A_LAST_MEMBER_INTERVAL])
		t->last_member_interval =
			nla_get_u32(tb[MGM_IGMP_A_LAST_MEMBER_INTERVAL]);
	if (tb[MGM_IGMP_A_MAX_GROUPS])
		cfg->max_groups = nla_get_u32(tb[MGM_IGMP_A_MAX_GROUPS]);
	if (tb[MGM_IGMP_A_MAX_SOURCES])
		cfg->max_sources = nla_get_u32(tb[MGM_IGMP_A_MAX_SOURCES]);
	return 0;
}

int mgm_nl_igmp_enable_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_igmp_config cfg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;
	err = mgm_nl_igmp_config(info, &cfg);
	if (err)
		return err;
	return mgm_igmp_enable(genl_info_net(info),
			       nla_get_u32(info->attrs[MGM_A_IFINDEX]), &cfg,
			       info->extack);
}

int mgm_nl_igmp_disable_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;
	return mgm_igmp_disable(genl_info_net(info),
				nla_get_u32(info->attrs[MGM_A_IFINDEX]),
				info->extack);
}

static int mgm_nl_igmp_put_config(struct sk_buff *skb,
				  const struct mgm_igmp_config *cfg)
{
	const struct mgm_igmp_timers *t = &cfg->timers;
	struct nlattr *nest = nla_nest_start(skb, MGM_A_IGMP_CONFIG);

	if (!nest ||
	    nla_put_u32(skb, MGM_IGMP_A_VERSION, cfg->version) ||
	    nla_put_u32(skb, MGM_IGMP_A_ROBUSTNESS, t->robustness) ||
	    nla_put_u32(skb, MGM_IGMP_A_QUERY_INTERVAL,
			t->query_interval / MSEC_PER_SEC) ||
	    nla_put_u32(skb, MGM_IGMP_A_RESPONSE_INTERVAL,
			t->response_interval) ||
	    nla_put_u32(skb, MGM_IGMP_A_LAST_MEMBER_INTERVAL,
			t->last_member_interval) ||
	    nla_put_u32(skb, MGM_IGMP_A_MAX_GROUPS, cfg->max_groups) ||
	    nla_put_u32(skb, MGM_IGMP_A_MAX_SOURCES, cfg->max_sources))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgm_nl_igmp_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, MGM_IGMP_STATE_A_PAD);
}

static int mgm_nl_igmp_put_state(struct sk_buff *skb,
				 const struct mgm_igmp_if_info *i)
{
	const struct mgm_igmp_rx_counters *rx = &i->rx;
	const struct mgm_igmp_group_counters *g = &i->groups;
	struct nlattr *nest = nla_nest_start(skb, MGM_A_IGMP_STATE);
	const struct {
		int type;
		u64 value;
	} c[] = {
		{ MGM_IGMP_STATE_A_QUERIES_SENT, i->queries_sent },
		{ MGM_IGMP_STATE_A_SEND_ERRORS, i->send_errors },
		{ MGM_IGMP_STATE_A_QUERIES_V1, rx->queries[0] },
		{ MGM_IGMP_STATE_A_QUERIES_V2, rx->queries[1] },
		{ MGM_IGMP_STATE_A_QUERIES_V3, rx->queries[2] },
		{ MGM_IGMP_STATE_A_REPORTS_V1, rx->reports[0] },
		{ MGM_IGMP_STATE_A_REPORTS_V2, rx->reports[1] },
		{ MGM_IGMP_STATE_A_REPORTS_V3, rx->reports[2] },
		{ MGM_IGMP_STATE_A_LEAVES, rx->leaves },
		{ MGM_IGMP_STATE_A_SHORT_PACKETS, rx->short_packets },
		{ MGM_IGMP_STATE_A_BAD_CHECKSUM, rx->bad_checksum },
		{ MGM_IGMP_STATE_A_BAD_TYPE, rx->bad_type },
		{ MGM_IGMP_STATE_A_BAD_QUERY, rx->bad_query },
		{ MGM_IGMP_STATE_A_BAD_RECORD, rx->bad_record },
		{ MGM_IGMP_STATE_A_BAD_GROUP, rx->bad_group },
		{ MGM_IGMP_STATE_A_TRUNCATED, rx->truncated },
		{ MGM_IGMP_STATE_A_BAD_SOURCE, rx->bad_source },
		{ MGM_IGMP_STATE_A_GROUP_REFUSALS, g->group_refusals },
		{ MGM_IGMP_STATE_A_SOURCE_REFUSALS, g->source_refusals },
		{ MGM_IGMP_STATE_A_COMPAT_IGNORED, g->compat_ignored },
		{ MGM_IGMP_STATE_A_NOMEM, g->nomem },
		{ MGM_IGMP_STATE_A_BAD_SOURCES, g->bad_sources },
		{ MGM_IGMP_STATE_A_SSM_IGNORED, g->ssm_ignored },
		{ MGM_IGMP_STATE_A_QUERY_DROPS, i->query_drops },
		{ MGM_IGMP_STATE_A_MEMBER_REFUSALS, i->member_refusals },
	};
	unsigned int k;

	if (!nest ||
	    (i->querier && nla_put_flag(skb, MGM_IGMP_STATE_A_QUERIER)) ||
	    nla_put_in_addr(skb, MGM_IGMP_STATE_A_QUERIER_ADDR,
			    i->querier_addr) ||
	    nla_put_u32(skb, MGM_IGMP_STATE_A_QUERIER_SINCE,
			div_u64(i->querier_since, MSEC_PER_SEC)) ||
	    (i->disabled && nla_put_flag(skb, MGM_IGMP_STATE_A_DISABLED)) ||
	    nla_put_u32(skb, MGM_IGMP_STATE_A_GROUPS, i->n_groups))
		return -EMSGSIZE;
	for (k = 0; k < ARRAY_SIZE(c); k++)
		if (mgm_nl_igmp_put_u64(skb, c[k].type, c[k].value))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int mgm_nl_igmp_fill(struct sk_buff *skb,
			    const struct mgm_igmp_if_info *i, u32 portid,
			    u32 seq, int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family, flags,
				MGM_CMD_IGMP_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MGM_A_IFINDEX, i->ifindex) ||
	    mgm_nl_igmp_put_config(skb, &i->cfg) ||
	    mgm_nl_igmp_put_state(skb, i)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int mgm_nl_igmp_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_igmp_if_info i;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;
	err = mgm_igmp_if_get(genl_info_net(info),
			      nla_get_u32(info->attrs[MGM_A_IFINDEX]), false,
			      &i);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MGM_A_IFINDEX],
				    "IGMP does not run on this interface");
		return err;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = mgm_nl_igmp_fill(msg, &i, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The dump resumes after the last interface it listed (0: none yet). */
struct mgm_nl_igmp_dump_ctx {
	u32 last;
};

int mgm_nl_igmp_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mgm_nl_igmp_dump_ctx *ctx = (void *)cb->ctx;
	struct mgm_igmp_if_info i;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	while (!mgm_igmp_if_get(sock_net(skb->sk), ctx->last, true, &i)) {
		err = mgm_nl_igmp_fill(skb, &i, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		ctx->last = i.ifindex;
	}
	return mgm_nl_dump_result(skb, err);
}

/* One group of an interface, with up to @n of its sources. */
static int mgm_nl_igmp_fill_group(struct sk_buff *skb, u32 ifindex,
				  const struct mgm_igmp_group_info *g,
				  const struct mgm_igmp_source_info *srcs,
				  unsigned int n, u32 portid, u32 seq)
{
	void *hdr = genlmsg_put(skb, portid, seq, &mgm_nl_family,
				NLM_F_MULTI, MGM_CMD_IGMP_GROUP_GET);
	struct nlattr *nest, *src;
	unsigned int i;

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MGM_A_IFINDEX, ifindex))
		goto cancel;
	nest = nla_nest_start(skb, MGM_A_IGMP_GROUP);
	if (!nest ||
	    nla_put_in_addr(skb, MGM_IGMP_GROUP_A_GROUP, g->group) ||
	    (g->exclude && nla_put_flag(skb, MGM_IGMP_GROUP_A_EXCLUDE)) ||
	    nla_put_u32(skb, MGM_IGMP_GROUP_A_EXPIRES, g->expires) ||
	    nla_put_u32(skb, MGM_IGMP_GROUP_A_COMPAT, g->compat) ||
	    nla_put_u32(skb, MGM_IGMP_GROUP_A_SOURCES, g->n_sources))
		goto cancel;
	for (i = 0; i < n; i++) {
		src = nla_nest_start(skb, MGM_IGMP_GROUP_A_SOURCE);
		if (!src ||
		    nla_put_in_addr(skb, MGM_IGMP_SOURCE_A_ADDR, srcs[i].addr) ||
		    nla_put_u32(skb, MGM_IGMP_SOURCE_A_EXPIRES, srcs[i].expires))
			goto cancel;
		nla_nest_end(skb, src);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The dump resumes after the last group it listed. */
struct mgm_nl_igmp_group_ctx {
	__be32 last;
	bool started;
};

/*
 * A group with more sources than fit a message lists those that fit:
 * its sources attribute says how many there are.
 */
int mgm_nl_igmp_group_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct mgm_nl_igmp_group_ctx *ctx = (void *)cb->ctx;
	struct mgm_igmp_source_info *srcs;
	const struct nlattr *attr;
	struct mgm_igmp_group_info g;
	unsigned int max = 1024, n;
	u32 ifindex;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof_field(struct netlink_callback, ctx));
	/* the policy checked it; its parsed form differs 6.1 / 6.12 */
	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, MGM_A_IFINDEX);
	if (!attr) {
		NL_SET_ERR_MSG_MOD(cb->extack, "ifindex: required");
		return -EINVAL;
	}
	ifindex = nla_get_u32(attr);
	srcs = kmalloc_array(max, sizeof(*srcs), GFP_KERNEL);
	if (!srcs)
		return -ENOMEM;
	/* no group is 0.0.0.0: the first is the one after it */
	while (!(err = mgm_igmp_if_group(sock_net(skb->sk), ifindex,
					 ctx->last, true, &g, srcs, max))) {
		n = min(max, g.n_sources);
		/* as many sources as fit an empty message */
		while ((err = mgm_nl_igmp_fill_group(skb, ifindex, &g, srcs, n,
						     NETLINK_CB(cb->skb).portid,
						     cb->nlh->nlmsg_seq)) &&
		       !skb->len && n)
			n /= 2;
		if (err)
			break;
		ctx->last = g.group;
		ctx->started = true;
	}
	kfree(srcs);
	/* the end of the groups, or IGMP not there at all */
	if (err == -ENOENT && !ctx->started) {
		if (!mgm_igmp_if_get(sock_net(skb->sk), ifindex, false,
				     &(struct mgm_igmp_if_info){}))
			return 0;
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "ifindex: IGMP does not run on this interface");
		return -ENOENT;
	}
	return mgm_nl_dump_result(skb, err == -ENOENT ? 0 : err);
}
