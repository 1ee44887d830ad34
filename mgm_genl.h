/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	tools/spec/mgm.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_MGM_GEN_H
#define _LINUX_MGM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/mgm.h>
#include <mgm_compat.h>

/* Common nested types */
extern const struct nla_policy mgm_igmp_conf_nl_policy[MGM_IGMP_A_MAX_SOURCES + 1];
extern const struct nla_policy mgm_limit_nl_policy[MGM_LIMIT_A_UPCALLS + 1];
extern const struct nla_policy mgm_oif_nl_policy[MGM_OIF_A_DISABLED + 1];

/* Ops table for mgm */
extern const struct genl_split_ops mgm_nl_ops[26];

int mgm_nl_get_mfe_start(struct netlink_callback *cb);
int mgm_nl_get_group_start(struct netlink_callback *cb);

int mgm_nl_register_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_deregister_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_take_interface_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_release_interface_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_interface_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_interface_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int mgm_nl_get_protocol_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int mgm_nl_add_membership_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_delete_membership_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_set_mfe_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_mfe_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_mfe_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgm_nl_get_group_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgm_nl_rpf_reply_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_creation_reply_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_prune_reply_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_set_limits_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_set_answers_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_igmp_enable_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_igmp_disable_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_igmp_get_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_igmp_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int mgm_nl_igmp_group_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int mgm_nl_resync_end_doit(struct sk_buff *skb, struct genl_info *info);
int mgm_nl_get_membership_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);

enum {
	MGM_NLGRP_MONITOR,
};

#endif /* _LINUX_MGM_GEN_H */
