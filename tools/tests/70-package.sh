#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages installed as an operator installs them, on Debian's
# own kernel (qemu-6.1, qemu-6.12): dpkg -i mgm-dkms and mgm-tools (built
# and checked on the machine by tools/deb/check.sh, in $MGM_PKG); DKMS's
# build of mgm.ko for this very kernel (made on the machine from the same
# package, below) installed by dkms; the module loads by itself when
# mgmctl first asks for its netlink family (modprobe, through the alias),
# and again when mgm-staticd does; mgm-staticd runs from the unit's own
# command lines, with the unit's capabilities, on /etc/mgm-staticd.conf,
# beside the module's IGMP router, and a real UDP flow reaches a receiver
# of each; the unit's reload (check, SIGHUP) drops a route; stop
# deregisters; rmmod, dpkg -r takes the module away again.
#
#   src 10.70.1.2 ---- pu  ROUTER  ps ---- 10.70.3.2 rs  (static route)
#                (mgm-staticd: pu, ps)  pd ---- 10.70.2.2 rd  (IGMP join)
#
# This guest's root is the machine's, read-only: the packages go into an
# overlay of it (tmpfs above), entered with chroot, and the kernel's
# module directory gets an overlay of its own, where modprobe looks.
# Runs inside a qemu guest as root (tools/uml/inside.sh); never on a
# real machine.

# shellcheck source=tools/tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEST=package
MCAST=(/usr/bin/python3 -B "$MGM_REPO/tools/tests/mcast.py")
NS=(mgm70-src mgm70-rd mgm70-rs)
SRC=10.70.1.2
G=239.70.0.1
PORT=5070
ABI=$(uname -r)
MODDIR=/lib/modules/$ABI
show() { sed 's/^/  | /'; }

if [[ ${MGM_KERNEL:-} != qemu-* ]]; then
	t_skip "$TEST: the packages install on Debian's kernels (qemu-6.1, qemu-6.12)"
	exit 0
fi
debs=("$MGM_PKG"/mgm-dkms_*_all.deb "$MGM_PKG"/mgm-tools_*_amd64.deb)
if [ ! -f "${debs[0]}" ] || [ ! -f "${debs[1]}" ]; then
	t_fail "$TEST: the packages were built (tools/deb/check.sh, $MGM_PKG)"
	exit 1
fi
version=$(dpkg-deb -f "${debs[0]}" Version)
tarball=$MGM_PKG/mgm-$version-$ABI.dkms.tar.gz
# Where DKMS builds the module: on the machine by default, from the same
# package, with the same DKMS, against the same Debian headers
# (tools/deb/check.sh), brought here as DKMS's binaries-only tarball,
# because building it under emulation takes minutes (2.5 for qemu-6.1
# alone, on 2 cores): the guest's dpkg -i finds no headers for its
# kernel, as on a router without them, and dkms ldtarball + dkms
# install do the rest.  MGM_PKG_BUILD=guest builds here, headers and all,
# as a router with its headers does: the postinst builds and installs.
build=${MGM_PKG_BUILD:-machine}

# in R, the overlay root
in_root() { chroot "$R" "$@"; }
mgmctl() { in_root mgmctl "$@"; }

# ---- the overlays: the machine's root, the kernel's modules ----------------
# They live outside $tmp, which lib.sh removes with rm -rf: a root still
# mounted there would be walked.  Undone at exit, lazily (a process left
# in the root would keep a plain umount from working).
W=$(mktemp -d /tmp/mgm70.XXXXXX)
R=$W/root
t_defer "umount -R -l '$R'; umount -l '$MODDIR'; rm -rf --one-file-system '$W'"
unload_mgm() { if [ -d /sys/module/mgm ]; then rmmod mgm; fi; }
unload_mgm
# slim_modules DIR: the kernel's index files (modules.*) and the modules
# this test loads (veth, with what it depends on) in DIR.  DKMS runs
# depmod at every install and removal, and depmod reads every module of
# the tree: Debian's 4000, through virtio-9p under emulation, take a
# minute each time.  On this slim copy it reads a few, and still writes
# the index modprobe then finds mgm by, as on a router.  Whatever the
# earlier tests loaded stays loaded.
slim_modules() {
	local m

	mkdir -p "$1" && cp -a "$MODDIR"/modules.* "$1/" || return 1
	for m in $(modprobe --show-depends veth | awk '$1 == "insmod" { print $2 }'); do
		mkdir -p "$1/$(dirname "${m#"$MODDIR"/}")" &&
			cp "$m" "$1/${m#"$MODDIR"/}" || return 1
	done
}
overlays() {
	local d

	mkdir -p "$W"/{up,work,root,mup,mwork} || return 1
	slim_modules "$W/modules" || return 1
	mount -t overlay overlay \
		-o "lowerdir=$W/modules,upperdir=$W/mup,workdir=$W/mwork" "$MODDIR" ||
		return 1
	# what the kernel's headers package makes on a router (the
	# headers are the machine's, seen through its root)
	if [ "$build" = guest ]; then
		ln -sfn "/usr/src/linux-headers-$ABI" "$MODDIR/build" || return 1
	fi
	mount -t overlay overlay -o "lowerdir=/,upperdir=$W/up,workdir=$W/work" "$R" ||
		return 1
	# Only this kernel is installed here: DKMS builds for it alone (the
	# machine's other kernels, seen through its root, are not this
	# guest's)
	mount -t tmpfs tmpfs "$R/lib/modules" && mkdir "$R$MODDIR" || return 1
	# the guest's own /proc, /sys, /dev and /run (no systemd runs here:
	# the postinst enables the unit without starting it)
	for d in proc sys dev run "${MODDIR#/}"; do
		mount --rbind "/$d" "$R/$d" || return 1
	done
	cp "${debs[@]}" "$tarball" "$R/tmp/" || return 1
	# as on a router installed without man-db's index updates
	# (man-db/auto-update false): its trigger would take a minute
	rm -f "$R/var/lib/man-db/auto-update"
}
if overlays; then
	t_ok "$TEST: an overlay root to install into, $MODDIR writable"
else
	t_fail "$TEST: an overlay root to install into, $MODDIR writable"
	exit 1
fi

# ---- dpkg -i: DKMS builds and installs the module for this kernel ---------
# stamped: each line with the seconds since dpkg began
stamped() {
	local t0=$SECONDS line

	while IFS= read -r line; do
		printf '%4d %s\n' $((SECONDS - t0)) "$line"
	done
}
start=$SECONDS
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/${debs[0]##*/}" \
	"/tmp/${debs[1]##*/}" 2>&1 | stamped >"$tmp/dpkg.log"
if [ "${PIPESTATUS[0]}" -eq 0 ]; then
	t_ok "$TEST: dpkg -i mgm-dkms mgm-tools ($version)"
else
	t_fail "$TEST: dpkg -i mgm-dkms mgm-tools ($version)"
fi
echo "# package: dpkg -i took $((SECONDS - start)) s (DKMS builds: $build)"
show <"$tmp/dpkg.log"
if [ "$build" != guest ]; then
	t_check "$TEST: the postinst skips the build: no headers for $ABI here" \
		grep -q 'headers for this kernel do not seem to be installed' "$tmp/dpkg.log"
	start=$SECONDS
	# dkms 3.0's ldtarball refuses a version already added (exit 8;
	# 3 with --force), which the postinst has done: drop that
	# registration first, as the postinst itself does before it loads
	# a tarball.  The source in /usr/src stays: it is the package's.
	in_root dkms remove -m mgm -v "$version" --all 2>&1 | show
	t_check "$TEST: dkms remove mgm/$version (the postinst's registration)" \
		test "${PIPESTATUS[0]}" -eq 0
	in_root dkms ldtarball "/tmp/${tarball##*/}" 2>&1 | show
	t_check "$TEST: dkms ldtarball: the machine's build for $ABI" \
		test "${PIPESTATUS[0]}" -eq 0
	in_root dkms install -m mgm -v "$version" -k "$ABI" 2>&1 | show
	t_check "$TEST: dkms install -m mgm -v $version -k $ABI" \
		test "${PIPESTATUS[0]}" -eq 0
	echo "# package: dkms ldtarball and install took $((SECONDS - start)) s"
fi
t_check_out "$TEST: dkms status: mgm $version installed for $ABI" \
	"^mgm/$version, $ABI, [^:]*: installed" in_root dkms status mgm
# shellcheck disable=SC2016 # expanded by that bash
t_check_out "$TEST: modinfo mgm: DKMS's module of version $version" \
	"^$MODDIR/updates/dkms/mgm\\.ko(\\.xz)? $version\$" \
	bash -c 'echo "$(modinfo -F filename mgm) $(modinfo -F version mgm)"'
t_check "$TEST: mgm-staticd's unit is enabled, and systemd-analyze verify passes" \
	in_root bash -c 'systemctl is-enabled mgm-staticd.service &&
		systemd-analyze verify --man=no mgm-staticd.service'

# ---- the module loads on first use -----------------------------------------
t_check "$TEST: mgm is not loaded yet" test ! -d /sys/module/mgm
t_check_out "$TEST: mgmctl protocol show loads it (the family's alias)" \
	'^HANDLE' mgmctl protocol show
t_check_out "$TEST: the module loaded is DKMS's, version $version" "^$version $version\$" \
	bash -c "echo \"\$(cat /sys/module/mgm/version) \$(modinfo -F version mgm)\" &&
		test \"\$(cat /sys/module/mgm/srcversion)\" = \"\$(modinfo -F srcversion mgm)\""

# ---- the router: a source, two receivers ---------------------------------
setup_net() {
	local i l=(pu pd ps) h=(s70 d70 t70)

	for i in 0 1 2; do
		ip netns add "${NS[i]}" &&
		ip netns exec "${NS[i]}" ip link set lo up &&
		ip link add "${l[i]}" type veth peer name "${h[i]}" netns "${NS[i]}" &&
		ip addr add "10.70.$((i + 1)).1/24" dev "${l[i]}" &&
		ip link set "${l[i]}" up &&
		ip netns exec "${NS[i]}" ip addr add "10.70.$((i + 1)).2/24" dev "${h[i]}" &&
		ip netns exec "${NS[i]}" ip link set "${h[i]}" up &&
		ip netns exec "${NS[i]}" ip route add default via "10.70.$((i + 1)).1" ||
			return 1
	done
}
t_netns "${NS[@]}"
t_links pu pd ps
t_check "$TEST: a source and two receivers behind the router" setup_net

# unit KEY: the command lines of the packaged unit's KEY=, one a line
unit() {
	sed -n "s/^$1=//p" "$R/lib/systemd/system/mgm-staticd.service"
}
# unit_run KEY: those command lines in the root, in order, with $MAINPID
unit_run() {
	local cmd

	while read -r cmd; do
		# shellcheck disable=SC2086 # the unit's words, as systemd splits them
		in_root ${cmd//\$MAINPID/$mainpid} || return 1
	done < <(unit "$1")
}
cat >"$R/etc/mgm-staticd.conf" <<'CONF'
interface pu
interface ps
mroute from pu source 10.70.1.2 group 239.70.0.1 to ps
CONF
# shellcheck disable=SC2046 # the unit's words, as systemd splits them
t_check "$TEST: the unit's ExecStartPre checks /etc/mgm-staticd.conf" \
	in_root $(unit ExecStartPre)
# mgm-staticd loads the module itself, as at boot
t_check "$TEST: rmmod mgm, for mgm-staticd to load it" rmmod mgm
# With the unit's capabilities (CapabilityBoundingSet=CAP_NET_ADMIN,
# NoNewPrivileges); chroot and setpriv exec it: its pid is $!, the
# unit's MAINPID.
grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN' \
	"$R/lib/systemd/system/mgm-staticd.service" ||
	t_fail "$TEST: the unit bounds mgm-staticd to CAP_NET_ADMIN"
# shellcheck disable=SC2046
chroot "$R" setpriv --bounding-set=-all,+net_admin --inh-caps=-all \
	--no-new-privs $(unit ExecStart) >"$tmp/d.log" 2>&1 &
mainpid=$!
bg_pids+=("$mainpid")
t_defer "kill -KILL $mainpid 2>/dev/null"
# applied N: mgm-staticd has applied a file N times
applied() { [ "$(grep -c 'configuration applied' "$tmp/d.log")" -ge "$1" ]; }
t_check "$TEST: the unit's ExecStart: mgm-staticd, CAP_NET_ADMIN only, loads mgm and applies the file" \
	wait_for 10 applied 1
t_check "$TEST: mgm-staticd's capabilities: CAP_NET_ADMIN, no more" \
	grep -qx 'CapBnd:[[:space:]]*0*1000' "/proc/$mainpid/status"
t_check "$TEST: mgmctl igmp enable dev pd" \
	mgmctl igmp enable dev pd query-interval 5 response-interval 1000 \
	last-member-interval 200

ip netns exec "${NS[0]}" "${MCAST[@]}" send "$G" "$PORT" "$SRC" 0.02 >/dev/null 2>&1 &
bg_pids+=("$!")
for i in 1 2; do
	ip netns exec "${NS[i]}" "${MCAST[@]}" recv "$G" "$PORT" "10.70.$((i + 1)).2" \
		>"$tmp/rcv$i.rx" 2>&1 &
	bg_pids+=("$!")
done
# got I [N]: receiver I (1: IGMP's, 2: the static route's) has N datagrams
got() {
	[ "$(grep -c "^$SRC " "$tmp/rcv$1.rx")" -ge "${2:-1}" ]
}
t_check "$TEST: the receiver on IGMP's link gets the flow" wait_for 15 got 1
t_check "$TEST: the receiver on the static route gets the flow" wait_for 15 got 2
{ mgmctl protocol show; mgmctl mfe show; } | show
mgmctl -j protocol show >"$tmp/p.json"
mgmctl -j mfe show >"$tmp/m.json"
t_check "$TEST: two protocols (mgm-staticd 300, IGMP 10), one MFE from pu to ps and pd" \
	python3 -c "
import json, sys
p = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))
assert sorted(e['protocol_id'] for e in p) == [10, 300], p
e = [e for e in m if e['group'] == '$G' and e['source'] == '$SRC']
assert len(e) == 1 and e[0]['iif_name'] == 'pu', m
assert sorted(o['ifname'] for o in e[0]['oifs']) == ['pd', 'ps'], e
" "$tmp/p.json" "$tmp/m.json"

# ---- reload: the route goes, IGMP's receiver keeps the flow ---------------
sed -i '/^mroute/d' "$R/etc/mgm-staticd.conf"
t_check "$TEST: the unit's ExecReload ($(unit ExecReload | paste -sd ';')) with MAINPID" \
	unit_run ExecReload
# oifs: the OIFs of the flow's MFE, sorted, one line
oifs() {
	mgmctl -j mfe show group "$G" | python3 -c "
import json, sys
print(' '.join(sorted(o['ifname'] for e in json.load(sys.stdin) for o in e['oifs'])))"
}
reloaded() { applied 2 && [ "$(oifs)" = pd ]; }
t_check "$TEST: reload: mgm-staticd applies the file again, ps leaves the MFE" \
	wait_for 10 reloaded
echo 'not a statement' >>"$R/etc/mgm-staticd.conf"
bad_reload() { ! unit_run ExecReload 2>/dev/null && sleep 1 && kill -0 "$mainpid"; }
t_check "$TEST: a reload of a file that does not parse fails, mgm-staticd runs on" \
	bad_reload
sed -i '$d' "$R/etc/mgm-staticd.conf"
sleep 0.5
n=$(grep -c "^$SRC " "$tmp/rcv2.rx")
m=$(grep -c "^$SRC " "$tmp/rcv1.rx")
sleep 1
t_check "$TEST: reload: the static receiver gets nothing more, IGMP's still does" \
	test "$(grep -c "^$SRC " "$tmp/rcv2.rx")" -eq "$n" -a \
	"$(grep -c "^$SRC " "$tmp/rcv1.rx")" -ge $((m + 20))

# ---- stop (SIGTERM), rmmod, dpkg -r ---------------------------------------
kill -TERM "$mainpid"
rc=0
wait "$mainpid" || rc=$?
t_check "$TEST: stop (SIGTERM): mgm-staticd exits 0" test "$rc" -eq 0
igmp_alone() {
	grep -q 'deregistered handle' "$tmp/d.log" &&
		[ "$(mgmctl -j protocol show | python3 -c '
import json, sys
print([p["protocol_id"] for p in json.load(sys.stdin)])')" = '[10]' ]
}
t_check "$TEST: stop: mgm-staticd deregistered, IGMP alone is left" igmp_alone
t_check "$TEST: mgmctl igmp disable dev pd" mgmctl igmp disable dev pd
for p in "${bg_pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
wait 2>/dev/null
bg_pids=()
t_check "$TEST: rmmod mgm" rmmod mgm
if in_root dpkg -r mgm-tools mgm-dkms >"$tmp/dpkg.log" 2>&1; then
	t_ok "$TEST: dpkg -r mgm-tools mgm-dkms"
else
	t_fail "$TEST: dpkg -r mgm-tools mgm-dkms"
	show <"$tmp/dpkg.log"
fi
t_check "$TEST: dpkg -r: DKMS took the module away, modprobe finds none" \
	bash -c "! ls $MODDIR/updates/dkms/mgm.ko* 2>/dev/null && ! modinfo mgm >/dev/null 2>&1"
t_check "$TEST: dpkg -r: dkms status knows no mgm" \
	test -z "$(in_root dkms status mgm 2>&1)"
