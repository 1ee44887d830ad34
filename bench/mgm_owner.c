// SPDX-License-Identifier: GPL-2.0
/*
 * mgm_owner: the smallest in-kernel multicast routing protocol, for the
 * burst figures of make bench and the burst test of make check.  It uses
 * only include/net/mgm.h, as any protocol module outside MGM would.
 *
 * Written to /sys/kernel/debug/mgm_owner/ctl:
 *   start UP DOWN   register in the initial netns (protocol 202), own the
 *                   interfaces UP and DOWN (names) and join (*,*) on DOWN
 *   stop            deregister (MGM holds this module while registered,
 *                   so it cannot unload before)
 * Its callbacks answer at once: the RPF interface is the route lookup's,
 * every outgoing interface forwards.  They run with MGM's lock held and
 * only read their arguments.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/uaccess.h>
#include <net/mgm.h>
#include <net/net_namespace.h>

#define OWNER_PROTOCOL	202

static DEFINE_MUTEX(owner_lock);
static u32 owner_handle;	/* 0: not registered */
static u32 owner_ifx[2];	/* what it owns: up, down (0: none) */
static struct dentry *owner_dir;

/* The proposal is the answer: the lookup's incoming interface. */
static void owner_rpf(void *priv, struct mgm_rpf *rpf)
{
}

/* Every interface stays enabled. */
static void owner_creation(void *priv, const struct mgm_sg *sg,
			   u32 in_ifindex, __be32 in_nexthop,
			   unsigned int n_oifs, struct mgm_if_entry *oifs,
			   u64 cookie)
{
}

static const struct mgm_protocol_ops owner_ops = {
	.owner = THIS_MODULE,
	.rpf = owner_rpf,
	.creation_alert = owner_creation,
};

static int owner_ifindex(const char *name, u32 *ifindex)
{
	struct net_device *dev = dev_get_by_name(&init_net, name);

	if (!dev)
		return -ENODEV;
	*ifindex = dev->ifindex;
	dev_put(dev);
	return 0;
}

/* Releasing an interface drops the memberships on it too. */
static int owner_stop(void)
{
	int i, err;

	if (!owner_handle)
		return -ENOENT;
	for (i = 0; i < ARRAY_SIZE(owner_ifx); i++) {
		if (owner_ifx[i])
			mgm_release_interface(&init_net, owner_handle,
					      owner_ifx[i], 0, NULL);
		owner_ifx[i] = 0;
	}
	err = mgm_deregister(&init_net, owner_handle, NULL);
	owner_handle = 0;
	return err;
}

static int owner_start(const char *up, const char *down)
{
	struct mgm_sg all = {};
	u32 ifx[2];
	int i, err;

	if (owner_handle)
		return -EBUSY;
	err = owner_ifindex(up, &ifx[0]);
	if (!err)
		err = owner_ifindex(down, &ifx[1]);
	if (err)
		return err;
	err = mgm_register(&init_net, OWNER_PROTOCOL, 1, &owner_ops, NULL,
			   &owner_handle, NULL);
	if (err) {
		owner_handle = 0;
		return err;
	}
	for (i = 0; i < ARRAY_SIZE(ifx) && !err; i++) {
		err = mgm_take_interface(&init_net, owner_handle, ifx[i], 0,
					 NULL);
		if (!err)
			owner_ifx[i] = ifx[i];
	}
	if (!err)
		err = mgm_add_membership(&init_net, owner_handle, &all, ifx[1],
					 0, MGM_FLAG_JOIN_STATE, NULL);
	if (err)
		owner_stop();
	return err;
}

static ssize_t owner_ctl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[80], up[IFNAMSIZ], down[IFNAMSIZ];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	mutex_lock(&owner_lock);
	if (sscanf(buf, "start %15s %15s", up, down) == 2)
		err = owner_start(up, down);
	else if (sysfs_streq(buf, "stop"))
		err = owner_stop();
	else
		err = -EINVAL;
	mutex_unlock(&owner_lock);
	return err ? err : len;
}

static const struct file_operations owner_ctl_fops = {
	.owner = THIS_MODULE,
	.write = owner_ctl_write,
};

static int __init owner_init(void)
{
	owner_dir = debugfs_create_dir("mgm_owner", NULL);
	debugfs_create_file("ctl", 0200, owner_dir, NULL, &owner_ctl_fops);
	return 0;
}

static void __exit owner_exit(void)
{
	debugfs_remove_recursive(owner_dir);
}

module_init(owner_init);
module_exit(owner_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The smallest in-kernel MGM protocol, for the burst figures");
