#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots a Debian kernel (tools/qemu/kernel.sh) under qemu with two CPUs:
#
#   tools/qemu/boot.sh KDIR ABI INITRAMFS LOG TIMEOUT SILENCE RWDIR REPO \
#       [KEY=VALUE ...]
#
# KDIR/boot/vmlinuz-ABI with INITRAMFS (tools/qemu/initramfs.sh), the
# machine's root read-only over virtio-9p, the kernel's modules from
# KDIR/lib/modules/ABI, REPO read-only and RWDIR writable as 9p shares;
# the KEY=VALUEs go on the kernel command line, where init hands them to
# tools/uml/init.c as its environment (MGM_INIT names it).  The serial
# console is written to LOG and to stdout.  No KVM here: TCG, one host
# thread per guest CPU.
#
# A watchdog: a guest whose console says nothing for SILENCE seconds, or
# that runs past TIMEOUT seconds, is killed, the reason written to LOG's
# sibling .why file, and the exit status is 124; otherwise it is qemu's.
# qemu goes with this script, however it ends.  Never loads anything into
# this machine's kernel.
set -euo pipefail

kdir=$1 abi=$2 initramfs=$3 log=$4 limit=$5 silence=$6 rw=$7 repo=$8
shift 8
why=${log%.log}.why
: >"$log"
: >"$why"
qpid=""
trap '[ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null; exit 124' TERM INT HUP
trap '[ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null; rm -f "$log.raw"' EXIT

share() {
	echo "-virtfs" "local,path=$1,mount_tag=$2,security_model=none,multidevs=remap${3:+,readonly=on}"
}

# shellcheck disable=SC2046 # share's words are split on purpose
qemu-system-x86_64 -nodefaults -nographic -no-reboot \
	-machine q35 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
	-serial stdio -monitor none \
	-kernel "$kdir/boot/vmlinuz-$abi" -initrd "$initramfs" \
	-append "console=ttyS0 panic=-1 $*" \
	$(share / root ro) $(share "$kdir/lib/modules/$abi" modules ro) \
	$(share "$repo" repo ro) $(share "$rw" rw) \
	</dev/null >"$log.raw" 2>&1 &
qpid=$!
# the console as it comes, without the serial line's CRs
tail -n +1 -F --pid="$qpid" "$log.raw" 2>/dev/null | tr -d '\r' | tee "$log" &
tpid=$!

start=$SECONDS
rc=0
while [ -n "$(jobs -rp | grep -x "$qpid" || true)" ]; do
	sleep 2
	idle=$(($(date +%s) - $(stat -c %Y "$log.raw" 2>/dev/null || date +%s)))
	if [ "$idle" -ge "$silence" ]; then
		echo "killed: the console was silent for $idle s" >>"$why"
	elif [ $((SECONDS - start)) -ge "$limit" ]; then
		echo "killed: still running after $limit s" >>"$why"
	else
		continue
	fi
	kill -KILL "$qpid" 2>/dev/null || true
	rc=124
	break
done
qrc=0
wait "$qpid" 2>/dev/null || qrc=$?
[ "$rc" -ne 0 ] || rc=$qrc
qpid=""
wait "$tpid" 2>/dev/null || true
exit "$rc"
