/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between the supported kernels (6.1 to 6.12), in one place. */
#ifndef _MGM_COMPAT_H
#define _MGM_COMPAT_H

#include <linux/version.h>

/* ---- mgm_ipmr.c ------------------------------------------------------------ */

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/*
 * @prot_ioctl (a struct proto's ioctl) if it takes a kernel pointer, NULL
 * otherwise.  It does since 6.5 ("net: ioctl: Use kernel memory on protocol
 * ioctl callbacks"); before, it takes a user address, which ipmr hands to
 * copy_from_user().
 */
#define mgm_compat_kernel_ioctl(prot_ioctl)				\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(prot_ioctl),	\
							   int (*)(struct sock *, int, int *)), \
			      prot_ioctl, NULL)

/*
 * Formatted extack messages came with 6.2: 6.1 names the table only when
 * it is the default one, in a constant string.
 */
static inline void mgm_compat_ipmr_table_busy_msg(struct netlink_ext_ack *extack,
						  u32 table)
{
#ifdef NL_SET_ERR_MSG_FMT_MOD
	NL_SET_ERR_MSG_FMT_MOD(extack,
			       "another multicast router owns ipmr table %u; use table= and ip mrule",
			       table);
#else
	BUILD_BUG_ON(RT_TABLE_DEFAULT != 253);
	if (table == RT_TABLE_DEFAULT)
		NL_SET_ERR_MSG_MOD(extack,
				   "another multicast router owns ipmr table 253; use table= and ip mrule");
	else
		NL_SET_ERR_MSG_MOD(extack,
				   "another multicast router owns MGM's ipmr table (parameter table); load mgm with table=<a free table id> and use ip mrule");
#endif
}

/* ---- mgm_netlink.c, mgm_nl_notify.c ---------------------------------------- */

#include <net/genetlink.h>

/*
 * The monitor group copies the questions to the protocols, whose cookies
 * answer them, and the packet headers they carry: only CAP_NET_ADMIN in
 * the user namespace of the netns may listen.  Genetlink checks that for
 * groups flagged so (6.7, and 6.1 since 6.1.69, which Debian 12 has); on
 * kernels without the flag the monitor gets no copy of the questions and
 * wrong-interface reports instead.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MGM_COMPAT_ADMIN_MCGRP(grp_name)				\
	{ .name = (grp_name), .flags = GENL_MCAST_CAP_NET_ADMIN }
#define MGM_COMPAT_MONITOR_QUESTIONS	true
#else
#define MGM_COMPAT_ADMIN_MCGRP(grp_name)	{ .name = (grp_name) }
#define MGM_COMPAT_MONITOR_QUESTIONS	false
#endif

/* ---- mgm_genl.c (generated from tools/spec/mgm.yaml) ----------------------- */

/*
 * The generated ops table is of struct genl_split_ops (one entry per do and
 * per dump), which came with 6.2; Kbuild defines MGM_HAVE_SPLIT_OPS where
 * <net/genetlink.h> has it.  On 6.1 the same struct is declared here, field
 * for field as 6.2+ has it, so that mgm_genl.c compiles unchanged;
 * mgm_netlink.c folds the table into struct genl_ops (one per command) on
 * every kernel: mgm_nl_fold_ops().
 */
#ifdef MGM_HAVE_SPLIT_OPS
/* what the family's pre_doit and post_doit are passed */
#define mgm_compat_doit_ops	genl_split_ops
#else
#define mgm_compat_doit_ops	genl_ops
struct genl_split_ops {
	union {
		struct {
			int (*pre_doit)(const struct genl_split_ops *ops,
					struct sk_buff *skb,
					struct genl_info *info);
			int (*doit)(struct sk_buff *skb,
				    struct genl_info *info);
			void (*post_doit)(const struct genl_split_ops *ops,
					  struct sk_buff *skb,
					  struct genl_info *info);
		};
		struct {
			int (*start)(struct netlink_callback *cb);
			int (*dumpit)(struct sk_buff *skb,
				      struct netlink_callback *cb);
			int (*done)(struct netlink_callback *cb);
		};
	};
	const struct nla_policy *policy;
	unsigned int		maxattr;
	u8			cmd;
	u8			internal_flags;
	u8			flags;
	u8			validate;
};

/*
 * The generator makes range tables const; 6.1's struct nla_policy points
 * to a mutable one (it never writes through it).
 */
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (typeof(((struct nla_policy *)0)->range))(_range),	\
}
#endif

/* ---- mgm_igmp_packet.c --------------------------------------------------- */

/*
 * <asm/unaligned.h> became <linux/unaligned.h> in 6.12; Kbuild defines
 * MGM_HAVE_LINUX_UNALIGNED where the kernel has the new one.
 */
#ifdef MGM_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _MGM_COMPAT_H */
