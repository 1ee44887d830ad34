#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tools/bench/run.sh [OUT]
#
# The MGM benchmark, inside a UML kernel (never on a real machine): loads
# mgm.ko and mgm_bench.ko (bench/mgm_bench.c), drives the steps through
# /sys/kernel/debug/mgm_bench/ctl at each size, and writes the table of
# figures to OUT (default $MGM_RW/bench.txt) and stdout.
# tools/uml/bench.sh boots it for make bench; tools/tests/50-bench.sh runs
# it at a small size in make check.
#
# Times per operation are the median of chunks of 128 operations
# (bench/mgm_bench.c says why); the releases of a whole table are one
# operation each, timed once.
#
# Memory is read between steps from /proc/slabinfo (the sum of active
# objects times their size, all caches: the allocator's rounding and the
# maple tree and hash table nodes count) plus VmallocUsed of /proc/meminfo
# (large hash table bucket arrays).
#
# Environment (lists of sizes, commas or spaces):
#   MGM_KO             mgm.ko; mgm_bench.ko lies next to it
#   MGM_RW             a writable directory, for OUT's default
#   MGM_BENCH_SMALL    the sets measured beside the big tables, default 1000
#   MGM_BENCH_TRIES    how often those (and the netlink runs) are measured,
#                      the best counting, default 3
#   MGM_BENCH_HOSTLOAD the host's load average, for the table's header: UML
#                      runs on the host's clock, and a busy host slows it
#   MGM_BENCH_MFES     MFE table sizes, default 1000,10000,100000,1000000
#   MGM_BENCH_MEMBERS  membership counts, default 1000,10000,100000
#   MGM_BENCH_FLOWS    new-source bursts, default 1000,4000,16000
#   MGM_BENCH_NETLINK  memberships added and deleted from userspace over
#                      generic netlink, default 1000,10000 (at most 1048576;
#                      needs MGM_TOOLS, the directory of the built
#                      tools/mgm-client; without it this part is left out)
#   MGM_BENCH_ANCHOR   static tables of the mroute daemon (mroute-anchor
#                      -n), default 1000,10000,100000 (at most 1048576;
#                      needs MGM_TOOLS): MRT_ADD_MFC per second, ipmr's
#                      memory per entry, ip mroute show per entry, beside
#                      MGM's tables of the same size
#   MGM_BENCH_BURSTS   bursts of new flows with real packets, each through
#                      a plain mroute daemon and MGM's three kinds of owner
#                      (tools/bench/burst.sh), default 2000,10000 (at most
#                      65536; needs MGM_TOOLS too)
#
# Exits non-zero, saying which step, when any step fails; figures are
# never judged (a slow machine is not a failure).
set -euo pipefail

out=${1:-${MGM_RW:?usage: $0 OUT}/bench.txt}
repo=$(cd "$(dirname "$0")/../.." && pwd)
ko=${MGM_KO:-$repo/mgm.ko}
bench_ko=$(dirname "$ko")/mgm_bench.ko
IFS=', ' read -ra mfes <<<"${MGM_BENCH_MFES:-1000,10000,100000,1000000}"
IFS=', ' read -ra members <<<"${MGM_BENCH_MEMBERS:-1000,10000,100000}"
IFS=', ' read -ra flows <<<"${MGM_BENCH_FLOWS:-1000,4000,16000}"
IFS=', ' read -ra nl_sizes <<<"${MGM_BENCH_NETLINK:-1000,10000}"
IFS=', ' read -ra bursts <<<"${MGM_BENCH_BURSTS:-2000,10000}"
IFS=', ' read -ra anchor_sizes <<<"${MGM_BENCH_ANCHOR:-1000,10000,100000}"
small=${MGM_BENCH_SMALL:-1000}
tries=${MGM_BENCH_TRIES:-3}
client=${MGM_TOOLS:+$MGM_TOOLS/mgm-client}
mgmctl=${MGM_TOOLS:+$MGM_TOOLS/mgmctl/mgmctl}
anchor=${MGM_TOOLS:+$MGM_TOOLS/bench/mroute-anchor}
if [ ! -x "${client:-/}" ]; then
	nl_sizes=()
	bursts=()
	anchor_sizes=()
fi
owners=(anchor asked standing kernel)
# the data of the plots (tools/bench/plot.gp, run by tools/uml/bench.sh)
plots=$(dirname "$out")/plots
mkdir -p "$plots"
ctl=/sys/kernel/debug/mgm_bench/ctl
n_devs=8

say() { echo "mgm-bench: $*"; }
die() { say "FAILED: $*"; exit 1; }

declare -A fig=()
loaded_mgm=false

cleanup() {
	if [ -e "$ctl" ]; then
		echo teardown >"$ctl" 2>/dev/null || true
	fi
	[ -d /sys/module/mgm_bench ] && rmmod mgm_bench
	if $loaded_mgm && [ -d /sys/module/mgm ]; then
		rmmod mgm
	fi
	for ((i = 0; i < n_devs; i++)); do
		ip link del "mgmb$i" 2>/dev/null || true
	done
}
trap cleanup EXIT

# step CMD N: runs one step of mgm_bench; its figures go to fig[SIZE:NAME].
step() {
	local name value

	if ! echo "$1 $2" >"$ctl"; then
		dmesg | tail -n 5 | sed 's/^/mgm-bench:   /'
		die "step '$1 $2' failed"
	fi
	while read -r name value; do
		fig[$2:$name]=$value
	done <"$ctl"
}

# mem: bytes the kernel has allocated in slabs and vmalloc.
mem() {
	local slab vmalloc

	slab=$(awk 'NR > 2 { s += $2 * $4 } END { printf "%d", s }' /proc/slabinfo)
	vmalloc=$(awk '$1 == "VmallocUsed:" { print $2 * 1024 }' /proc/meminfo)
	echo $((slab + vmalloc))
}

# per N NAME BEFORE AFTER: the memory of a step, per item, in fig[N:NAME].
per() {
	fig[$1:$2]=$((($4 - $3) / $1))
}

# dump N KEY CMD...: the fastest of $tries runs of a dump of N entries
# (CMD's output, to a file) in fig[N:KEY], ns per entry; a dump that
# shows fewer than N lines fails the run.
dump() {
	local n=$1 key=$2 best t0 t lines i

	shift 2
	for ((i = 0; i < tries; i++)); do
		t0=$(date +%s%N)
		"$@" >/tmp/mgm-bench.dump || die "$* (a dump of $n)"
		t=$(($(date +%s%N) - t0))
		if [ -z "${best:-}" ] || [ "$t" -lt "$best" ]; then
			best=$t
		fi
	done
	lines=$(wc -l </tmp/mgm-bench.dump)
	[ "$lines" -ge "$n" ] || die "$*: $lines lines for $n entries"
	fig[$n:$key]=$((best / n))
}

for ((i = 0; i < n_devs; i++)); do
	ip link add "mgmb$i" type dummy
	ip link set "mgmb$i" up
done
if [ ! -d /sys/module/mgm ]; then
	insmod "$ko"
	loaded_mgm=true
fi
insmod "$bench_ko" small="$small" tries="$tries"
step setup 0

for n in "${mfes[@]}"; do
	say "MFEs: $n"
	m0=$(mem)
	step mfe-fill "$n"
	per "$n" mfe_mem_bytes "$m0" "$(mem)"
	if [ -x "${mgmctl:-/}" ]; then
		dump "$n" mfe_dump_ns "$mgmctl" mfe show
	fi
	step mfe-ops "$n"
	step mfe-expire "$n"
	first=${fig[$n:mfe_insert_ns]}
	step mfe-fill "$n"
	step mfe-release "$n"
	# the better of the two fills
	if [ "$first" -lt "${fig[$n:mfe_insert_ns]}" ]; then
		fig[$n:mfe_insert_ns]=$first
	fi
done

for n in "${members[@]}"; do
	say "memberships: $n"
	m0=$(mem)
	step member-fill "$n"
	per "$n" member_mem_bytes "$m0" "$(mem)"
	step member-ops "$n"
	step member-del "$n"
	step member-fill "$n"
	step member-release "$n"
done

for n in "${flows[@]}"; do
	say "new-source flows: $n"
	step newsrc "$n"
	step newsrc-deferred "$n"
done

# nl_run ADDS DELS [batch]: how long (ns) one mgm-client takes to register,
# take mgmb7, add ADDS (S,G) memberships there (16 sources per group, as in
# the kernel's figures), delete DELS of them and exit, all on one socket:
# one request and its ack at a time, or with "batch" as many requests to a
# sendmsg as 32 KiB hold, acked only when they fail (mgm-client's batch on).
nl_run() {
	local t0

	# the interface by its index: a name costs the client a lookup
	awk -v adds="$1" -v dels="$2" -v batch="${3:-}" \
		-v ifx="$(</sys/class/net/mgmb7/ifindex)" 'BEGIN {
		print "register 260 1 H"
		print "take $H " ifx
		if (batch != "")
			print "batch on"
		for (i = 0; i < adds; i++)
			printf "add $H 10.7.0.%d 232.7.%d.%d %d\n",
				i % 16 + 1, i / 4096, i / 16 % 256, ifx
		for (i = 0; i < dels; i++)
			printf "del $H 10.7.0.%d 232.7.%d.%d %d\n",
				i % 16 + 1, i / 4096, i / 16 % 256, ifx
		# the queue goes before any other command: all are handled
		print "echo done"
	}' >/tmp/mgm-bench.cmds
	t0=$(date +%s%N)
	if ! "$client" run </tmp/mgm-bench.cmds >/tmp/mgm-bench.out 2>&1 ||
		[ "$(tail -n 1 /tmp/mgm-bench.out)" != "done" ]; then
		tail -n 3 /tmp/mgm-bench.out | sed 's/^/mgm-bench:   /'
		die "mgm-client: $1 adds, $2 deletes${3:+, batched}"
	fi
	echo $(($(date +%s%N) - t0))
}

# nl_best ADDS DELS [batch]: the fastest of $tries runs, the others having
# shared the host with more.
nl_best() {
	local best t i

	for ((i = 0; i < tries; i++)); do
		t=$(nl_run "$@")
		if [ -z "${best:-}" ] || [ "$t" -lt "$best" ]; then
			best=$t
		fi
	done
	echo "$best"
}

# rate N NS: operations per second; "?" when the noise was larger.
rate() {
	if [ "$2" -gt 0 ]; then
		echo $(($1 * 1000000000 / $2))
	else
		echo "?"
	fi
}

for n in "${nl_sizes[@]}"; do
	say "memberships over netlink: $n"
	base=$(nl_best 0 0)
	adds=$(nl_best "$n" 0)
	both=$(nl_best "$n" "$n")
	say "netlink $n: runs of $base, $adds and $both ns"
	fig[$n:nl_add_per_s]=$(rate "$n" $((adds - base)))
	fig[$n:nl_del_per_s]=$(rate "$n" $((both - adds)))
	adds=$(nl_best "$n" 0 batch)
	both=$(nl_best "$n" "$n" batch)
	say "netlink $n, batched: runs of $adds and $both ns"
	fig[$n:nl_add_batch_per_s]=$(rate "$n" $((adds - base)))
	fig[$n:nl_del_batch_per_s]=$(rate "$n" $((both - adds)))
done
step teardown 0

# Today's way with the same tables: mroute-anchor adds N static entries
# (16 sources per group, one OIF, as mfe-fill above), then ipmr's memory
# and its dump are measured while it holds them; closing its stdin ends
# it, and its socket's close flushes the table.
for n in "${anchor_sizes[@]}"; do
	say "mroute daemon's static table: $n"
	m0=$(mem)
	coproc anchor_proc { "$anchor" -n "$n" mgmb0 mgmb1; }
	read -r added _ _ ns <&"${anchor_proc[0]}" || true
	read -r ready <&"${anchor_proc[0]}" || true
	if [ "${added:-}" != added ] || [ "${ready:-}" != ready ]; then
		die "mroute-anchor -n $n: ${added:-} ${ready:-}"
	fi
	fig[$n:anchor_add_per_s]=$(rate "$n" "$ns")
	per "$n" anchor_mem_bytes "$m0" "$(mem)"
	dump "$n" anchor_dump_ns ip mroute show
	# shellcheck disable=SC2154 # set by coproc
	pid=$anchor_proc_PID
	eval "exec ${anchor_proc[1]}>&-"
	wait "$pid" || die "mroute-anchor -n $n"
done

# bursts KIND KEY: the bursts of MGM_BURST_KIND=KIND (tools/bench/burst.sh),
# each owner's best of $tries runs (its flows per second, with that run's
# delays) in fig[N:KEY_OWNER_*]; the ratios are to the anchor's best.
bursts() {
	local kind=$1 key=$2 n i kv owner

	for n in "${bursts[@]}"; do
		say "bursts of new flows, distinct $kind: $n"
		for ((i = 0; i < tries; i++)); do
			if ! MGM_KO=$ko MGM_BURST_KIND=$kind \
				MGM_BURST_DELAYS=/tmp/mgm-burst.delays \
				"$repo/tools/bench/burst.sh" "$n" "${owners[@]}" \
				>/tmp/mgm-burst.out 2>&1; then
				tail -n 3 /tmp/mgm-burst.out | sed 's/^/mgm-bench:   /'
				die "tools/bench/burst.sh $n ($kind)"
			fi
			sed 's/^/mgm-bench:   /' /tmp/mgm-burst.out
			while read -r _ owner _ kvs; do
				declare -A b=()
				for kv in $kvs; do
					b[${kv%%=*}]=${kv#*=}
				done
				if [ "${b[flows_per_s]}" -ge "${fig[$n:${key}_${owner}_per_s]:-0}" ]; then
					fig[$n:${key}_${owner}_per_s]=${b[flows_per_s]}
					fig[$n:${key}_${owner}_delay]=${b[p50_ms]}/${b[p99_ms]}
					fig[$n:${key}_${owner}_p99]=${b[p99_ms]}
					fig[$n:${key}_${owner}_lost]=$((n - b[got]))/$((n - b[mfes]))/${b[backlog_drops]}
					fig[$n:${key}_${owner}_answers]=${b[answers]}/${b[late]}/${b[overruns]}
					# the best run's delays at the largest size
					if [ "$n" = "${bursts[-1]}" ]; then
						cp "/tmp/mgm-burst.delays-$owner" \
							"$plots/delay-$kind-$owner.dat"
					fi
				fi
				unset b
			done </tmp/mgm-burst.out
		done
	done
	for owner in "${owners[@]}"; do
		ratio "${key}_${owner}_ratio" "${key}_${owner}_per_s" "${key}_anchor_per_s" "${bursts[@]}"
		# p99 delay: MGM's to the anchor's (issue 14: no worse, <= 1.0x)
		ratio "${key}_${owner}_p99_ratio" "${key}_${owner}_p99" "${key}_anchor_p99" "${bursts[@]}"
	done
}

# ratio KEY A B SIZES...: fig[N:KEY] = fig[N:A] / fig[N:B], as "1.23x",
# where both figures exist.
ratio() {
	local key=$1 num=$2 den=$3 n

	shift 3
	for n in "$@"; do
		[ -n "${fig[$n:$num]:-}" ] && [ -n "${fig[$n:$den]:-}" ] || continue
		fig[$n:$key]=$(awk -v a="${fig[$n:$num]}" -v b="${fig[$n:$den]}" \
			'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "?" }')
	done
}

bursts groups burst
bursts sources burst_src
ratio nl_add_ratio nl_add_per_s anchor_add_per_s "${anchor_sizes[@]}"
ratio nl_batch_ratio nl_add_batch_per_s anchor_add_per_s "${anchor_sizes[@]}"
ratio nl_batch_gain nl_add_batch_per_s nl_add_per_s "${nl_sizes[@]}"
ratio mem_ratio mfe_mem_bytes anchor_mem_bytes "${anchor_sizes[@]}"
# speed: the anchor's time per entry to MGM's
ratio dump_ratio anchor_dump_ns mfe_dump_ns "${anchor_sizes[@]}"
# a route change under $small MFEs beside each table, to beside the smallest
for n in "${mfes[@]}"; do
	fig[$n:route_base_ns]=${fig[${mfes[0]}:route_change_ns]:-}
done
ratio route_ratio route_change_ns route_base_ns "${mfes[@]}"

# plot_data FILE KEY...: one line per size of the anchor's tables, the
# size and each figure ("NaN" where there is none), for gnuplot.
plot_data() {
	local file=$1 n k line

	shift
	for n in "${anchor_sizes[@]}"; do
		line=$n
		for k; do
			line+=" ${fig[$n:$k]:-NaN}"
		done
		echo "$line"
	done >"$plots/$file"
}
# per entry, ns: rates become times
for n in "${anchor_sizes[@]}"; do
	for k in anchor_add nl_add nl_add_batch; do
		v=${fig[$n:${k}_per_s]:-}
		if [[ $v =~ ^[0-9]+$ ]] && [ "$v" -gt 0 ]; then
			fig[$n:${k}_ns]=$((1000000000 / v))
		fi
	done
done
plot_data cost.dat anchor_add_ns nl_add_ns nl_add_batch_ns anchor_dump_ns mfe_dump_ns
plot_data memory.dat anchor_mem_bytes mfe_mem_bytes

# row LABEL KEY SIZES...: one line of a table, "-" where a figure is missing.
# With target="OP LIMIT" set (ge 1.5, le 1.5), the line ends with the
# target and whether the ratio at the largest size with a figure meets it:
# at small sizes a process's start and the allocator's slack weigh more
# than the entries (issue 14 sets its targets at size).
row() {
	local label=$1 key=$2 n v at="" verdict="no figure"

	shift 2
	printf '  %-52s' "$label"
	for n in "$@"; do
		v=${fig[$n:$key]:-}
		printf ' %9s' "${v:--}"
		if [ -n "$v" ] && [ "$v" != "?" ]; then
			at=$n
		fi
	done
	if [ -n "${target:-}" ]; then
		if [ -n "$at" ]; then
			v=${fig[$at:$key]}
			if awk -v v="${v%x}" -v op="${target% *}" -v l="${target#* }" \
				'BEGIN { exit !(op == "ge" ? v >= l : v <= l) }'; then
				verdict="met at $at"
			else
				verdict="not met at $at"
			fi
		fi
		printf '   %s %sx: %s' "${target% *}" "${target#* }" "$verdict"
	fi
	printf '\n'
}

header() {
	local title=$1 n

	shift
	printf '\n%-54s' "$title"
	for n in "$@"; do
		printf ' %9s' "$n"
	done
	printf '\n'
}

# burst_table KEY TITLE: the rows of one kind of burst.
burst_table() {
	local k=$1

	header "$2" "${bursts[@]}"
	row "mroute daemon (the anchor): flows/s" "${k}_anchor_per_s" "${bursts[@]}"
	row "  first packet's delay p50/p99, ms" "${k}_anchor_delay" "${bursts[@]}"
	row "  lost/not forwarded/backlog drops" "${k}_anchor_lost" "${bursts[@]}"
	row "MGM, userspace owner, asked: flows/s" "${k}_asked_per_s" "${bursts[@]}"
	target="ge 1.0" row "  to the anchor" "${k}_asked_ratio" "${bursts[@]}"
	row "  first packet's delay p50/p99, ms" "${k}_asked_delay" "${bursts[@]}"
	target="le 1.0" row "  p99 to the anchor's" "${k}_asked_p99_ratio" "${bursts[@]}"
	row "  lost/not forwarded/backlog drops" "${k}_asked_lost" "${bursts[@]}"
	row "  answers/late/questions lost (default taken)" "${k}_asked_answers" "${bursts[@]}"
	row "MGM, userspace owner, standing answers: flows/s" "${k}_standing_per_s" "${bursts[@]}"
	row "  to the anchor" "${k}_standing_ratio" "${bursts[@]}"
	row "  first packet's delay p50/p99, ms" "${k}_standing_delay" "${bursts[@]}"
	row "  lost/not forwarded/backlog drops" "${k}_standing_lost" "${bursts[@]}"
	row "MGM, in-kernel owner: flows/s" "${k}_kernel_per_s" "${bursts[@]}"
	target="ge 1.5" row "  to the anchor" "${k}_kernel_ratio" "${bursts[@]}"
	row "  first packet's delay p50/p99, ms" "${k}_kernel_delay" "${bursts[@]}"
	target="le 1.0" row "  p99 to the anchor's" "${k}_kernel_p99_ratio" "${bursts[@]}"
	row "  lost/not forwarded/backlog drops" "${k}_kernel_lost" "${bursts[@]}"
}

{
	echo "mgm benchmark: $(uname -r), $(nproc) CPU, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "(ns per operation, the median of chunks of 128, unless said; no forwarder;"
	echo "one netns; the host's load average at the start: ${MGM_BENCH_HOSTLOAD:-unknown})"

	header "MFEs in the table (1 OIF each, 16 sources/group)" "${mfes[@]}"
	row "insert (mgm_mfe_add), ns/MFE" mfe_insert_ns "${mfes[@]}"
	row "lookup, mgm_get_mfe (lock, copy), random" mfe_get_ns "${mfes[@]}"
	row "lookup under RCU (forwarder's path), random" mfe_lookup_rcu_ns "${mfes[@]}"
	row "enumeration (mgm_get_mfe next), ns/MFE" mfe_enum_ns "${mfes[@]}"
	row "delete by expiry (all at once), ns/MFE" mfe_expire_ns "${mfes[@]}"
	row "release the IIF of all of them, ns/MFE" mfe_release_ns "${mfes[@]}"
	row "release the IIF of all of them, ms" mfe_release_ms "${mfes[@]}"
	row "memory, bytes/MFE (slab + vmalloc)" mfe_mem_bytes "${mfes[@]}"
	row "memory, bytes/MFE (ksize of its own objects)" mfe_ksize_bytes "${mfes[@]}"
	row "dump, mgmctl mfe show, ns/MFE" mfe_dump_ns "${mfes[@]}"
	row "a rule change: every MFE's RPF check, ms" route_all_ms "${mfes[@]}"
	echo "  beside that table:"
	row "insert $small more, ns/MFE" small_insert_ns "${mfes[@]}"
	row "release an interface carrying $small, ns/MFE" small_release_ns "${mfes[@]}"
	row "(*,G) add on a group of $small sources, us" star_g_add_us "${mfes[@]}"
	row "(*,G) delete on a group of $small sources, us" star_g_del_us "${mfes[@]}"
	row "a route change moving $small of them, ns/MFE" route_change_ns "${mfes[@]}"
	target="le 1.5" row "  to the same beside ${mfes[0]}" route_ratio "${mfes[@]}"
	row "  one hold of the lock (MGM_BATCH MFEs), us" route_hold_us "${mfes[@]}"

	header "Memberships ((S,G), 16 sources/group, one IF)" "${members[@]}"
	row "add, ns" member_add_ns "${members[@]}"
	row "delete, ns" member_del_ns "${members[@]}"
	row "release their interface, ns/membership" member_release_ns "${members[@]}"
	row "memory, bytes/membership (slab + vmalloc)" member_mem_bytes "${members[@]}"
	echo "  beside them:"
	row "add $small more, ns" small_member_add_ns "${members[@]}"
	row "delete those $small, ns" small_member_del_ns "${members[@]}"

	header "New-source flows (one burst of distinct (S,G))" "${flows[@]}"
	row "in-kernel owner answers at once, ns/flow" newsrc_ns "${flows[@]}"
	row "in-kernel owner answers at once, flows/s" newsrc_per_s "${flows[@]}"
	row "deferred owner: burst of questions, ns/flow" newsrc_deferred_ask_ns "${flows[@]}"
	row "deferred owner: answers, ns/flow" newsrc_deferred_answer_ns "${flows[@]}"
	row "deferred owner: flows/s, burst to last MFE" newsrc_deferred_per_s "${flows[@]}"

	if [ ${#nl_sizes[@]} -gt 0 ]; then
		header "Memberships over generic netlink (mgm-client)" "${nl_sizes[@]}"
		row "added per second" nl_add_per_s "${nl_sizes[@]}"
		row "deleted per second" nl_del_per_s "${nl_sizes[@]}"
		row "batched: added per second" nl_add_batch_per_s "${nl_sizes[@]}"
		target="ge 5.0" row "  to one request at a time" nl_batch_gain "${nl_sizes[@]}"
		row "batched: deleted per second" nl_del_batch_per_s "${nl_sizes[@]}"
		echo "  (one socket, UML's system calls: one request and its ack at a time,"
		echo "  or batched, as many requests to a sendmsg as 32 KiB hold, acked only"
		echo "  when they fail; the best of $tries runs each)"
	fi

	if [ ${#anchor_sizes[@]} -gt 0 ]; then
		header "Today's way, same boot: static tables of N entries" "${anchor_sizes[@]}"
		row "mroute daemon: MRT_ADD_MFC per second" anchor_add_per_s "${anchor_sizes[@]}"
		row "MGM: memberships added per second (netlink)" nl_add_per_s "${anchor_sizes[@]}"
		row "  to the anchor" nl_add_ratio "${anchor_sizes[@]}"
		row "MGM: the same, batched" nl_add_batch_per_s "${anchor_sizes[@]}"
		target="ge 1.0" row "  to the anchor" nl_batch_ratio "${anchor_sizes[@]}"
		row "ipmr's memory, bytes/entry (slab + vmalloc)" anchor_mem_bytes "${anchor_sizes[@]}"
		row "MGM's own, bytes/MFE (no forwarder)" mfe_mem_bytes "${anchor_sizes[@]}"
		target="le 1.5" row "  to ipmr's" mem_ratio "${anchor_sizes[@]}"
		row "ip mroute show, ns/entry" anchor_dump_ns "${anchor_sizes[@]}"
		row "mgmctl mfe show, ns/MFE" mfe_dump_ns "${anchor_sizes[@]}"
		target="ge 2.0" row "  mgmctl's speed to ip mroute's" dump_ratio "${anchor_sizes[@]}"
		echo "  (tools/bench/mroute-anchor -n N: one MRT_ADD_MFC per entry; MGM's"
		echo "  memberships one request and its ack at a time, or batched; the"
		echo "  targets are issue 14's)"
	fi

	if [ ${#bursts[@]} -gt 0 ]; then
		burst_table burst "New flows in one burst, one source, N groups"
		burst_table burst_src "New flows in one burst, N sources, one group"
		echo "  (tools/bench/burst.sh: sent at once from a C sender, sendmmsg, another"
		echo "  netns; a flow is set up when its first datagram reaches the"
		echo "  downstream link; lost: first datagrams that never reached it; not"
		echo "  forwarded: flows ipmr did not forward; backlog drops: the system's,"
		echo "  softnet_stat; p99 to the anchor's: MGM's first-packet delay over the"
		echo "  daemon's; each owner's best of $tries runs)"
	fi
} | tee "$out"
