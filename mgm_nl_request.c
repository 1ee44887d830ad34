// SPDX-License-Identifier: GPL-2.0
/*
 * The requests of the "mgm" family that change state: taking and releasing
 * interfaces, adding and deleting memberships, changing an MFE's upstream,
 * and the answers to questions (rpf, creation and prune alerts).  Each
 * checks its attributes and the socket's ownership of the handle, then
 * hands over to the core, which does the rest under its own lock.
 *
 * Kept apart from mgm_netlink.c, which registers the family and owns the
 * registrations, because these are only translations of a message into one
 * core call; registering and deregistering stay there, with the list of
 * registrations they change.
 */

#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/genetlink.h>

#include "mgm_netlink.h"

#define MGM_NL_ALL_ONES	htonl(0xffffffff)

/* An absent mask follows from its address. */
static __be32 mgm_nl_mask(const struct genl_info *info, int type,
			  __be32 addr)
{
	const struct nlattr *attr = info->attrs[type];

	if (attr)
		return nla_get_in_addr(attr);
	return addr ? MGM_NL_ALL_ONES : 0;
}

static void mgm_nl_get_sg(const struct genl_info *info, struct mgm_sg *sg)
{
	sg->source = mgm_nl_addr(info, MGM_A_SOURCE);
	sg->source_mask = mgm_nl_mask(info, MGM_A_SOURCE_MASK, sg->source);
	sg->group = mgm_nl_addr(info, MGM_A_GROUP);
	sg->group_mask = mgm_nl_mask(info, MGM_A_GROUP_MASK, sg->group);
}

/* Take and release: one request, for either core call. */
static int mgm_nl_if_req(struct sk_buff *skb, struct genl_info *info,
			 int (*change)(struct net *net, u32 handle,
				       u32 ifindex, __be32 nexthop,
				       struct netlink_ext_ack *extack))
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return change(genl_info_net(info),
		      nla_get_u32(info->attrs[MGM_A_HANDLE]),
		      nla_get_u32(info->attrs[MGM_A_IFINDEX]),
		      mgm_nl_addr(info, MGM_A_NEXTHOP), info->extack);
}

int mgm_nl_take_interface_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgm_nl_if_req(skb, info, mgm_take_interface);
}

int mgm_nl_release_interface_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgm_nl_if_req(skb, info, mgm_release_interface);
}

/*
 * Add and delete membership: one request, for either core call.  A missing
 * source is any source, but the group is explicit, also for (*,*), so that
 * a forgotten attribute does not join everything.
 */
static int mgm_nl_membership_req(struct sk_buff *skb, struct genl_info *info,
				 int (*change)(struct net *net, u32 handle,
					       const struct mgm_sg *sg,
					       u32 ifindex, __be32 nexthop,
					       u32 flags,
					       struct netlink_ext_ack *extack))
{
	struct mgm_sg sg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_GROUP) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IFINDEX) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_FLAGS))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	mgm_nl_get_sg(info, &sg);

	return change(genl_info_net(info),
		      nla_get_u32(info->attrs[MGM_A_HANDLE]), &sg,
		      nla_get_u32(info->attrs[MGM_A_IFINDEX]),
		      mgm_nl_addr(info, MGM_A_NEXTHOP),
		      nla_get_u32(info->attrs[MGM_A_FLAGS]), info->extack);
}

int mgm_nl_add_membership_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgm_nl_membership_req(skb, info, mgm_add_membership);
}

int mgm_nl_delete_membership_doit(struct sk_buff *skb, struct genl_info *info)
{
	return mgm_nl_membership_req(skb, info, mgm_delete_membership);
}

int mgm_nl_set_mfe_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_SOURCE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_GROUP) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_UPSTREAM))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_set_mfe(genl_info_net(info),
			   nla_get_u32(info->attrs[MGM_A_HANDLE]),
			   nla_get_in_addr(info->attrs[MGM_A_SOURCE]),
			   nla_get_in_addr(info->attrs[MGM_A_GROUP]),
			   nla_get_in_addr(info->attrs[MGM_A_UPSTREAM]),
			   info->extack);
}

/*
 * Answers to questions.  Only the socket that got a question may answer
 * it: the handle must be its own (mgm_nl_get_reg), and the core checks that
 * the cookie was asked of that handle.
 *
 * The rpf answer states the incoming interface and upstream in full: the
 * core takes the upstream as given, so a missing one would silently be 0.
 */
int mgm_nl_rpf_reply_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_IIF) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_UPSTREAM))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_reply_rpf(genl_info_net(info),
			     nla_get_u32(info->attrs[MGM_A_HANDLE]),
			     nla_get_u64(info->attrs[MGM_A_COOKIE]),
			     nla_get_u32(info->attrs[MGM_A_IIF]),
			     mgm_nl_addr(info, MGM_A_IIF_NEXTHOP),
			     nla_get_in_addr(info->attrs[MGM_A_UPSTREAM]),
			     info->extack);
}

/* The interfaces listed in a creation reply; the policy checked each one. */
static int mgm_nl_get_oifs(struct genl_info *info, struct mgm_if_entry **oifs,
			   unsigned int *n_oifs)
{
	const struct nlattr *attr;
	struct nlattr *tb[MGM_OIF_A_MAX + 1];
	struct mgm_if_entry *e;
	unsigned int n = 0;
	int rem, err;

	*n_oifs = 0;
	*oifs = NULL;
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != MGM_A_OIF)
			continue;
		/* the reply's sender decides its size: bound what it costs */
		if (++n > MGM_REPLY_OIFS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "oif: at most "
					    __stringify(MGM_REPLY_OIFS_MAX)
					    " in a creation reply; name only the disabled ones");
			return -EINVAL;
		}
	}
	*oifs = kcalloc(n, sizeof(**oifs), GFP_KERNEL_ACCOUNT);
	if (!*oifs && n)
		return -ENOMEM;

	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != MGM_A_OIF)
			continue;
		err = nla_parse_nested(tb, MGM_OIF_A_MAX, attr,
				       mgm_oif_nl_policy, info->extack);
		if (err)
			return err;
		if (NL_REQ_ATTR_CHECK(info->extack, attr, tb,
				      MGM_OIF_A_IFINDEX))
			return -EINVAL;
		e = &(*oifs)[(*n_oifs)++];
		e->ifindex = nla_get_u32(tb[MGM_OIF_A_IFINDEX]);
		e->nexthop = tb[MGM_OIF_A_NEXTHOP] ?
			     nla_get_in_addr(tb[MGM_OIF_A_NEXTHOP]) : 0;
		e->enabled = !tb[MGM_OIF_A_DISABLED];
	}
	return 0;
}

int mgm_nl_creation_reply_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mgm_if_entry *oifs;
	unsigned int n_oifs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	err = mgm_nl_get_oifs(info, &oifs, &n_oifs);
	if (!err)
		err = mgm_reply_creation_alert(genl_info_net(info),
					       nla_get_u32(info->attrs[MGM_A_HANDLE]),
					       nla_get_u64(info->attrs[MGM_A_COOKIE]),
					       n_oifs, oifs, info->extack);
	kfree(oifs);
	return err;
}

int mgm_nl_prune_reply_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_COOKIE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_TIMEOUT))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;

	return mgm_reply_prune_alert(genl_info_net(info),
				     nla_get_u32(info->attrs[MGM_A_HANDLE]),
				     nla_get_u64(info->attrs[MGM_A_COOKIE]),
				     nla_get_u32(info->attrs[MGM_A_TIMEOUT]),
				     info->extack);
}

/*
 * Limits: a netns's admin may lower them; raising one needs CAP_NET_ADMIN
 * in the initial user namespace (mgm_limit.c), checked on the socket's
 * opener and the sender as for GENL_ADMIN_PERM.
 */
int mgm_nl_set_limits_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MGM_LIMIT_A_MAX + 1] = {};
	struct mgm_limits limits = {};
	int type, bad = -1, err;

	if (info->attrs[MGM_A_LIMITS]) {
		err = nla_parse_nested(tb, MGM_LIMIT_A_MAX,
				       info->attrs[MGM_A_LIMITS],
				       mgm_limit_nl_policy, info->extack);
		if (err)
			return err;
	}
	for (type = 1; type <= MGM_LIMIT_A_MAX; type++)
		if (tb[type])
			*mgm_nl_limit_field(&limits, type) = nla_get_u32(tb[type]);
	err = mgm_set_limits(genl_info_net(info), &limits,
			     netlink_capable(skb, CAP_NET_ADMIN), &bad,
			     info->extack);
	if (bad >= 0)
		NL_SET_BAD_ATTR(info->extack, tb[bad + 1]);
	return err;
}

int mgm_nl_set_answers_doit(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MGM_A_HANDLE) ||
	    GENL_REQ_ATTR_CHECK(info, MGM_A_ANSWERS))
		return -EINVAL;
	err = mgm_nl_get_reg(skb, info, NULL);
	if (err)
		return err;
	return mgm_set_answers(genl_info_net(info),
			       nla_get_u32(info->attrs[MGM_A_HANDLE]),
			       nla_get_u32(info->attrs[MGM_A_ANSWERS]),
			       info->extack);
}
