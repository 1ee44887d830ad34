#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots a Debian kernel (tools/qemu/kernel.sh) under qemu with two CPUs:
#
#   tools/qemu/boot.sh KDIR ABI LOG TIMEOUT RWDIR REPO [KEY=VALUE ...]
#
# KDIR/boot/vmlinuz-ABI with KDIR/initramfs.img (tools/qemu/init.sh), the
# machine's root read-only over virtio-9p, the kernel's modules from
# KDIR/lib/modules/ABI, REPO read-only and RWDIR writable as 9p shares;
# the KEY=VALUEs go on the kernel command line, where init hands them to
# tools/uml/init.c as its environment (MGM_INIT names it).  The serial
# console is written to LOG and to stdout.  No KVM here: TCG, one host
# thread per guest CPU.
#
# A watchdog: a guest whose console says nothing for MGM_QEMU_SILENCE
# seconds (default 300), or that runs past TIMEOUT seconds, is killed; the
# reason is the last line of LOG's sibling (.why for .log), and the exit
# status is 124.  Never loads anything into this machine's kernel.
set -euo pipefail

kdir=$1 abi=$2 log=$3 limit=$4 rw=$5 repo=$6
shift 6
silence=${MGM_QEMU_SILENCE:-300}
why=${log%.log}.why
: >"$log"
: >"$why"

share() {
	echo "-virtfs" "local,path=$1,mount_tag=$2,security_model=none,multidevs=remap${3:+,readonly=on}"
}

# shellcheck disable=SC2046 # share's words are split on purpose
qemu-system-x86_64 -nodefaults -nographic -no-reboot \
	-machine q35 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
	-serial stdio -monitor none \
	-kernel "$kdir/boot/vmlinuz-$abi" -initrd "$kdir/initramfs.img" \
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
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	idle=$(($(date +%s) - $(stat -c %Y "$log.raw")))
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
wait "$qpid" 2>/dev/null || true
wait "$tpid" 2>/dev/null || true
rm -f "$log.raw"
exit "$rc"
