// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	tools/spec/mgm.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "mgm_genl.h"

#include <uapi/linux/mgm.h>
#include <mgm_compat.h>

/* Integer value ranges */
static const struct netlink_range_validation mgm_a_timeout_range = {
	.max	= MGM_TIMEOUT_MAX,
};

static const struct netlink_range_validation mgm_igmp_a_max_groups_range = {
	.min	= 1ULL,
	.max	= 65536ULL,
};

/* Common nested types */
const struct nla_policy mgm_igmp_conf_nl_policy[MGM_IGMP_A_MAX_SOURCES + 1] = {
	[MGM_IGMP_A_VERSION] = NLA_POLICY_RANGE(NLA_U32, 2, 3),
	[MGM_IGMP_A_ROBUSTNESS] = NLA_POLICY_RANGE(NLA_U32, 1, 7),
	[MGM_IGMP_A_QUERY_INTERVAL] = NLA_POLICY_RANGE(NLA_U32, 1, 31744),
	[MGM_IGMP_A_RESPONSE_INTERVAL] = NLA_POLICY_MIN(NLA_U32, 100),
	[MGM_IGMP_A_LAST_MEMBER_INTERVAL] = NLA_POLICY_RANGE(NLA_U32, 100, 25500),
	[MGM_IGMP_A_MAX_GROUPS] = NLA_POLICY_FULL_RANGE(NLA_U32, &mgm_igmp_a_max_groups_range),
	[MGM_IGMP_A_MAX_SOURCES] = NLA_POLICY_MAX(NLA_U32, 1024),
};

const struct nla_policy mgm_limit_nl_policy[MGM_LIMIT_A_UPCALLS + 1] = {
	[MGM_LIMIT_A_MFES] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_PENDING] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_QUESTIONS] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_MEMBERS] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_PROTOCOLS] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_NEXTHOPS] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_LIMIT_A_UPCALLS] = NLA_POLICY_MIN(NLA_U32, 1),
};

const struct nla_policy mgm_oif_nl_policy[MGM_OIF_A_DISABLED + 1] = {
	[MGM_OIF_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_OIF_A_NEXTHOP] = { .type = NLA_U32, },
	[MGM_OIF_A_IGMP] = { .type = NLA_FLAG, },
	[MGM_OIF_A_DISABLED] = { .type = NLA_FLAG, },
};

/* MGM_CMD_REGISTER - do */
static const struct nla_policy mgm_register_nl_policy[MGM_A_HOLD_TIME + 1] = {
	[MGM_A_PROTOCOL_ID] = { .type = NLA_U32, },
	[MGM_A_COMPONENT_ID] = { .type = NLA_U32, },
	[MGM_A_HOLD_TIME] = NLA_POLICY_MAX(NLA_U32, MGM_HOLD_TIME_MAX),
};

/* MGM_CMD_DEREGISTER - do */
static const struct nla_policy mgm_deregister_nl_policy[MGM_A_HANDLE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
};

/* MGM_CMD_TAKE_INTERFACE - do */
static const struct nla_policy mgm_take_interface_nl_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_U32, },
};

/* MGM_CMD_RELEASE_INTERFACE - do */
static const struct nla_policy mgm_release_interface_nl_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_U32, },
};

/* MGM_CMD_GET_INTERFACE - do */
static const struct nla_policy mgm_get_interface_nl_policy[MGM_A_NEXTHOP + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_U32, },
};

/* MGM_CMD_ADD_MEMBERSHIP - do */
static const struct nla_policy mgm_add_membership_nl_policy[MGM_A_FLAGS + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_SOURCE] = { .type = NLA_U32, },
	[MGM_A_SOURCE_MASK] = { .type = NLA_U32, },
	[MGM_A_GROUP] = { .type = NLA_U32, },
	[MGM_A_GROUP_MASK] = { .type = NLA_U32, },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_U32, },
	[MGM_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* MGM_CMD_DELETE_MEMBERSHIP - do */
static const struct nla_policy mgm_delete_membership_nl_policy[MGM_A_FLAGS + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_SOURCE] = { .type = NLA_U32, },
	[MGM_A_SOURCE_MASK] = { .type = NLA_U32, },
	[MGM_A_GROUP] = { .type = NLA_U32, },
	[MGM_A_GROUP_MASK] = { .type = NLA_U32, },
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_NEXTHOP] = { .type = NLA_U32, },
	[MGM_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* MGM_CMD_SET_MFE - do */
static const struct nla_policy mgm_set_mfe_nl_policy[MGM_A_UPSTREAM + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_SOURCE] = { .type = NLA_U32, },
	[MGM_A_GROUP] = { .type = NLA_U32, },
	[MGM_A_UPSTREAM] = { .type = NLA_U32, },
};

/* MGM_CMD_GET_MFE - do */
static const struct nla_policy mgm_get_mfe_do_nl_policy[MGM_A_STATS + 1] = {
	[MGM_A_SOURCE] = { .type = NLA_U32, },
	[MGM_A_GROUP] = { .type = NLA_U32, },
	[MGM_A_STATS] = { .type = NLA_FLAG, },
};

/* MGM_CMD_GET_MFE - dump */
static const struct nla_policy mgm_get_mfe_dump_nl_policy[MGM_A_STATS + 1] = {
	[MGM_A_STATS] = { .type = NLA_FLAG, },
};

/* MGM_CMD_GET_GROUP - dump */
static const struct nla_policy mgm_get_group_nl_policy[MGM_A_ENUM_TYPE + 1] = {
	[MGM_A_ENUM_TYPE] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* MGM_CMD_RPF_REPLY - do */
static const struct nla_policy mgm_rpf_reply_nl_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_COOKIE] = { .type = NLA_U64, },
	[MGM_A_IIF] = { .type = NLA_U32, },
	[MGM_A_IIF_NEXTHOP] = { .type = NLA_U32, },
	[MGM_A_UPSTREAM] = { .type = NLA_U32, },
};

/* MGM_CMD_CREATION_REPLY - do */
static const struct nla_policy mgm_creation_reply_nl_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_COOKIE] = { .type = NLA_U64, },
	[MGM_A_OIF] = NLA_POLICY_NESTED(mgm_oif_nl_policy),
};

/* MGM_CMD_PRUNE_REPLY - do */
static const struct nla_policy mgm_prune_reply_nl_policy[MGM_A_COOKIE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_COOKIE] = { .type = NLA_U64, },
	[MGM_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &mgm_a_timeout_range),
};

/* MGM_CMD_SET_LIMITS - do */
static const struct nla_policy mgm_set_limits_nl_policy[MGM_A_LIMITS + 1] = {
	[MGM_A_LIMITS] = NLA_POLICY_NESTED(mgm_limit_nl_policy),
};

/* MGM_CMD_SET_ANSWERS - do */
static const struct nla_policy mgm_set_answers_nl_policy[MGM_A_ANSWERS + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
	[MGM_A_ANSWERS] = NLA_POLICY_MASK(NLA_U32, 0x7),
};

/* MGM_CMD_IGMP_ENABLE - do */
static const struct nla_policy mgm_igmp_enable_nl_policy[MGM_A_IGMP_CONFIG + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MGM_A_IGMP_CONFIG] = NLA_POLICY_NESTED(mgm_igmp_conf_nl_policy),
};

/* MGM_CMD_IGMP_DISABLE - do */
static const struct nla_policy mgm_igmp_disable_nl_policy[MGM_A_IFINDEX + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* MGM_CMD_IGMP_GET - do */
static const struct nla_policy mgm_igmp_get_nl_policy[MGM_A_IFINDEX + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* MGM_CMD_IGMP_GROUP_GET - dump */
static const struct nla_policy mgm_igmp_group_get_nl_policy[MGM_A_IFINDEX + 1] = {
	[MGM_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* MGM_CMD_RESYNC_END - do */
static const struct nla_policy mgm_resync_end_nl_policy[MGM_A_HANDLE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
};

/* MGM_CMD_GET_MEMBERSHIP - dump */
static const struct nla_policy mgm_get_membership_nl_policy[MGM_A_HANDLE + 1] = {
	[MGM_A_HANDLE] = { .type = NLA_U32, },
};

/* Ops table for mgm */
const struct genl_split_ops mgm_nl_ops[26] = {
	{
		.cmd		= MGM_CMD_REGISTER,
		.doit		= mgm_nl_register_doit,
		.policy		= mgm_register_nl_policy,
		.maxattr	= MGM_A_HOLD_TIME,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_DEREGISTER,
		.doit		= mgm_nl_deregister_doit,
		.policy		= mgm_deregister_nl_policy,
		.maxattr	= MGM_A_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_TAKE_INTERFACE,
		.doit		= mgm_nl_take_interface_doit,
		.policy		= mgm_take_interface_nl_policy,
		.maxattr	= MGM_A_NEXTHOP,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_RELEASE_INTERFACE,
		.doit		= mgm_nl_release_interface_doit,
		.policy		= mgm_release_interface_nl_policy,
		.maxattr	= MGM_A_NEXTHOP,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_GET_INTERFACE,
		.doit		= mgm_nl_get_interface_doit,
		.policy		= mgm_get_interface_nl_policy,
		.maxattr	= MGM_A_NEXTHOP,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= MGM_CMD_GET_INTERFACE,
		.dumpit	= mgm_nl_get_interface_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd	= MGM_CMD_GET_PROTOCOL,
		.dumpit	= mgm_nl_get_protocol_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGM_CMD_ADD_MEMBERSHIP,
		.doit		= mgm_nl_add_membership_doit,
		.policy		= mgm_add_membership_nl_policy,
		.maxattr	= MGM_A_FLAGS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_DELETE_MEMBERSHIP,
		.doit		= mgm_nl_delete_membership_doit,
		.policy		= mgm_delete_membership_nl_policy,
		.maxattr	= MGM_A_FLAGS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_SET_MFE,
		.doit		= mgm_nl_set_mfe_doit,
		.policy		= mgm_set_mfe_nl_policy,
		.maxattr	= MGM_A_UPSTREAM,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_GET_MFE,
		.doit		= mgm_nl_get_mfe_doit,
		.policy		= mgm_get_mfe_do_nl_policy,
		.maxattr	= MGM_A_STATS,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_GET_MFE,
		.start		= mgm_nl_get_mfe_start,
		.dumpit		= mgm_nl_get_mfe_dumpit,
		.policy		= mgm_get_mfe_dump_nl_policy,
		.maxattr	= MGM_A_STATS,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGM_CMD_GET_GROUP,
		.start		= mgm_nl_get_group_start,
		.dumpit		= mgm_nl_get_group_dumpit,
		.policy		= mgm_get_group_nl_policy,
		.maxattr	= MGM_A_ENUM_TYPE,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGM_CMD_RPF_REPLY,
		.doit		= mgm_nl_rpf_reply_doit,
		.policy		= mgm_rpf_reply_nl_policy,
		.maxattr	= MGM_A_COOKIE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_CREATION_REPLY,
		.doit		= mgm_nl_creation_reply_doit,
		.policy		= mgm_creation_reply_nl_policy,
		.maxattr	= MGM_A_COOKIE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_PRUNE_REPLY,
		.doit		= mgm_nl_prune_reply_doit,
		.policy		= mgm_prune_reply_nl_policy,
		.maxattr	= MGM_A_COOKIE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= MGM_CMD_GET_STATS,
		.doit	= mgm_nl_get_stats_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_SET_LIMITS,
		.doit		= mgm_nl_set_limits_doit,
		.policy		= mgm_set_limits_nl_policy,
		.maxattr	= MGM_A_LIMITS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_SET_ANSWERS,
		.doit		= mgm_nl_set_answers_doit,
		.policy		= mgm_set_answers_nl_policy,
		.maxattr	= MGM_A_ANSWERS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_IGMP_ENABLE,
		.doit		= mgm_nl_igmp_enable_doit,
		.policy		= mgm_igmp_enable_nl_policy,
		.maxattr	= MGM_A_IGMP_CONFIG,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_IGMP_DISABLE,
		.doit		= mgm_nl_igmp_disable_doit,
		.policy		= mgm_igmp_disable_nl_policy,
		.maxattr	= MGM_A_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_IGMP_GET,
		.doit		= mgm_nl_igmp_get_doit,
		.policy		= mgm_igmp_get_nl_policy,
		.maxattr	= MGM_A_IFINDEX,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= MGM_CMD_IGMP_GET,
		.dumpit	= mgm_nl_igmp_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGM_CMD_IGMP_GROUP_GET,
		.dumpit		= mgm_nl_igmp_group_get_dumpit,
		.policy		= mgm_igmp_group_get_nl_policy,
		.maxattr	= MGM_A_IFINDEX,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MGM_CMD_RESYNC_END,
		.doit		= mgm_nl_resync_end_doit,
		.policy		= mgm_resync_end_nl_policy,
		.maxattr	= MGM_A_HANDLE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MGM_CMD_GET_MEMBERSHIP,
		.dumpit		= mgm_nl_get_membership_dumpit,
		.policy		= mgm_get_membership_nl_policy,
		.maxattr	= MGM_A_HANDLE,
		.flags		= GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group mgm_nl_mcgrps[] = {
	[MGM_NLGRP_MONITOR] = { "monitor", },
};
