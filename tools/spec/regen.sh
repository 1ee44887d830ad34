#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The files generated from the family's one description, tools/spec/mgm.yaml,
# with the kernel's own YNL generator (ynl-gen-c.py of the cached 6.12
# source, as make check uses it):
#   include/uapi/linux/mgm.h   the uAPI header, with the spec's documentation
#                              added as comments (uapi-docs.py)
#   mgm_genl.h, mgm_genl.c     the kernel's policies and ops table
#   tools/lib/mgm_names.c      the names of commands and attributes that the
#                              C tools share (names.py)
# Usage: regen.sh          write them (make regen)
#        regen.sh --check  fail, with the difference, if one is out of date
#                          (make check), and if the ops cannot be folded as
#                          mgm_netlink.c folds them (check-fold.py)
#
# The generator looks upward from the spec for a MAINTAINERS file to find
# the tree's root, and in 6.12 never stops looking when there is none; it
# also validates the spec against ../<protocol>.yaml.  So it runs on a copy
# of the spec in a scratch tree of that layout, which also makes its "do
# not edit" line name tools/spec/mgm.yaml.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MGM_CACHE:-/var/cache/mgm}
ksrc=${MGM_KSRC:-$cache/src/linux-source-6.12}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
spec=$repo/tools/spec/mgm.yaml
proto=$(sed -n 's/^protocol: *\([a-z-]*\).*/\1/p' "$spec")
schema=$repo/tools/${proto:-genetlink}.yaml

if [ ! -f "$gen" ]; then
	echo "regen.sh: no $gen; tools/uml/deps.sh caches the kernel source" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tools/spec" "$tmp/out"
: >"$tmp/MAINTAINERS"
cp "$schema" "$tmp/tools/"
cp "$spec" "$tmp/tools/spec/mgm.yaml"

ynl() {
	# never hang, whatever the generator does
	(cd "$tmp" && timeout 60 python3 "$gen" \
		--spec "$tmp/tools/spec/mgm.yaml" "$@")
}
ynl --mode uapi --header -o "$tmp/mgm-bare.h"
ynl --mode kernel --header -o "$tmp/out/mgm_genl.h"
ynl --mode kernel --source -o "$tmp/out/mgm_genl.c"
timeout 60 python3 "$repo/tools/spec/uapi-docs.py" "$spec" \
	"$tmp/mgm-bare.h" "$tmp/out/mgm.h"
timeout 60 python3 "$repo/tools/spec/names.py" "$spec" "$tmp/out/mgm_names.c"

# generated name -> where it lives in the repository
declare -A dest=(
	[mgm.h]=include/uapi/linux/mgm.h
	[mgm_genl.h]=mgm_genl.h
	[mgm_genl.c]=mgm_genl.c
	[mgm_names.c]=tools/lib/mgm_names.c
)
if [ "${1:-}" = --check ]; then
	stale=0
	for f in "${!dest[@]}"; do
		if ! diff -u "$repo/${dest[$f]}" "$tmp/out/$f" \
			--label "${dest[$f]}" --label "${dest[$f]} (from the spec)"; then
			echo "regen.sh: ${dest[$f]} is out of date: run make regen" >&2
			stale=1
		fi
	done
	python3 "$repo/tools/spec/check-fold.py" "$spec" || stale=1
	exit $stale
fi
for f in "${!dest[@]}"; do
	cp "$tmp/out/$f" "$repo/${dest[$f]}"
done
echo "regen.sh: ${dest[*]} from tools/spec/mgm.yaml"
