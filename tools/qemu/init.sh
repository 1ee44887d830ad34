#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# /init of the qemu guests' initramfs (tools/qemu/initramfs.sh): loads the
# modules for virtio-9p, mounts the machine's root read-only from the 9p
# share "root" (as UML's hostfs does), the guest kernel's own modules on
# /lib/modules/ABI from the share "modules", and hands over to $MGM_INIT,
# tools/uml/init.c, which does the rest as in UML.  Runs in the guest only.
bb=/bin/busybox
fail() {
	echo "mgm-initramfs: $*; the guest stops here"
	$bb poweroff -f
}
$bb mount -t proc proc /proc
$bb mount -t devtmpfs dev /dev
for m in $($bb cat /modules/order); do
	$bb insmod "/modules/$m" || fail "insmod $m failed"
done
o=trans=virtio,version=9p2000.L,msize=262144
$bb mount -t 9p -o "$o,ro,cache=loose" root /newroot ||
	fail "cannot mount the machine's root over 9p"
# (the mount point exists on the machine: its headers package for the
# kernel made /lib/modules/ABI/build)
$bb mount -t 9p -o "$o,ro" modules "/newroot/lib/modules/$($bb uname -r)" ||
	fail "cannot mount the kernel's modules over 9p"
$bb umount /proc
$bb umount /dev
exec $bb switch_root /newroot "${MGM_INIT:?no MGM_INIT on the command line}"
