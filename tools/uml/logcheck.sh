#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tools/uml/logcheck.sh CONSOLE-LOG [KERNEL]
#
# Looks for kernel splats in a UML or qemu guest's console log.  Prints one "not ok - ..."
# line per pattern found, followed by the offending lines, or a single
# "ok - ..." line when the log is clean.  Exits 1 when something was found.
# KERNEL is check.sh's name of the kernel.
set -euo pipefail

log=$1
kernel=${2:-}
bad=0
# what the results call the log; the taint flags a run may have: O
# (out-of-tree module), N (KUnit ran), and in a Debian kernel E (mgm.ko
# is not signed with Debian's key)
name="uml log"
allowed=ON
if [[ $kernel == qemu-* ]]; then
	name="console log"
	allowed=ONE
fi

patterns=(
	"BUG:"
	"WARNING:"
	"possible recursive locking"
	"lockdep"
	"suspicious RCU usage"
	"INFO: task"
	"sleeping function called from invalid context"
	"Call Trace"
	"Kernel panic"
	"KASAN"
	"Oops"
	"general protection"
	# the sanitizer kernel (tools/uml/sanitize.kunitconfig): kmemleak's
	# report and its giving up, debug objects, list debugging, and a
	# netdev reference never put (ref_tracker's reports end in a WARNING)
	"unreferenced object"
	"suspected memory leak"
	"leak detector disabled"
	"Cannot allocate a kmemleak_object"
	"ODEBUG"
	"corruption"
	"to become free"
)

# report NAME LINES: one failure, with at most 20 of its lines.
report() {
	bad=1
	echo "not ok - $name: $1"
	head -n 20 <<<"$2" | sed 's/^/#     /'
	if [ "$(wc -l <<<"$2")" -gt 20 ]; then
		echo "#     ... $(($(wc -l <<<"$2") - 20)) more lines"
	fi
}

# Stack frames (" [<60025a40>] ? show_stack+0x0/0xc0") are left out: their
# symbol names would match, and every trace already matches "Call Trace".
for p in "${patterns[@]}"; do
	if hits=$(grep -nF -- "$p" "$log" | grep -vE '^[0-9]+: *\[<'); then
		report "\"$p\"" "$hits"
	fi
done

# Taint flags other than O (out-of-tree module) and N (KUnit test ran), in
# splat headers, "Tainted: G        W  O      N 6.12.117" or "Tainted:
# [W]=WARN, [O]=OOT_MODULE", and in the value of /proc/sys/kernel/tainted
# that inside.sh prints at the end of the run.
if hits=$(awk '/Tainted: / {
		f = $0
		sub(/.*Tainted: /, "", f)
		sub(/[0-9].*/, "", f)		# the kernel release
		gsub(/=[A-Z_]+,?/, "", f)	# the names of the verbose form
		gsub("[][G " allowed "]", "", f)
		if (f != "")
			print NR ":" $0
	}' allowed="$allowed" "$log") && [ -n "$hits" ]; then
	report "taint flags other than $(sed 's/./&, /g; s/, $//' <<<"$allowed")" "$hits"
fi

flags=PFSRMBUDAWCIOELKXTN	# bit 0 upwards, kernel/panic.c taint_flags
tainted=$(sed -n 's/^mgm-harness: tainted \([0-9]*\)$/\1/p' "$log" | tail -n 1)
if [ -n "$tainted" ]; then
	other=""
	for ((i = 0; i < ${#flags}; i++)); do
		if (((tainted >> i) & 1)) && [[ $allowed != *"${flags:i:1}"* ]]; then
			other+=${flags:i:1}
		fi
	done
	if [ -n "$other" ]; then
		report "kernel tainted with $other (/proc/sys/kernel/tainted = $tainted)" \
			"$(grep -n '^mgm-harness: tainted' "$log")"
	fi
fi

if [ "$bad" -eq 0 ]; then
	echo "ok - $name: no kernel warnings, no unexpected taint"
fi
exit "$bad"
