#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs, with apt, the Debian 12 packages that `make check` needs and that
# are missing.  Does nothing when all of them are there.
set -euo pipefail

packages=(
	# the UML test kernels: their sources and what building them takes
	linux-source-6.12 xz-utils build-essential bc bison
	flex libelf-dev libssl-dev python3 ccache
	# compile checks against Debian's 6.1 and 6.12 kernels
	linux-headers-amd64 linux-headers-6.12-amd64 sparse perl
	# userspace tools and the integration tests inside UML
	pkg-config libmnl-dev python3-yaml python3-jsonschema iproute2 kmod
	util-linux
	# Debian's own kernels under qemu (tools/qemu/): the emulator, the
	# initramfs's busybox, cpio
	qemu-system-x86 busybox-static cpio
	# make deb and its checks (tools/deb/): packaging, lintian, DKMS, the
	# completion's library, /bin/kill of the unit's reload
	debhelper dh-dkms dkms lintian fakeroot bash-completion procps
	# make bench's plots (tools/bench/plot.gp), drawn in 50-bench too
	gnuplot-nox
)

# smcroute's daemon, for 32-smcroute-conf.sh to run the same file through
# both: fetched and unpacked into the cache, never installed (its package
# would start smcrouted on this machine, which must stay untouched).
fetch_smcroute() {
	local dir=${MGM_CACHE:-/var/cache/mgm}/smcroute tmp

	[ -x "$dir/usr/sbin/smcrouted" ] && return 0
	[ "$(id -u)" -eq 0 ] || return 0
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -q smcroute >/dev/null 2>&1 &&
		mkdir -p "$dir" && dpkg -x smcroute_*.deb "$dir"); then
		echo "mgm: smcroute unpacked into $dir (not installed)" >&2
	else
		echo "mgm: could not fetch smcroute; 32-smcroute-conf.sh will skip the comparison" >&2
	fi
	rm -rf "$tmp"
}

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	fetch_smcroute
	exit 0
fi

echo "mgm: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "mgm: not root; run: apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
fetch_smcroute
