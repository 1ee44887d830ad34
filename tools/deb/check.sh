#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, checked on this machine before a qemu guest installs
# them (tools/tests/70-package.sh):
#
#   tools/deb/check.sh OUT ABI...
#
# builds them into OUT (tools/deb/build.sh), runs lintian on them, checks
# what they hold, the bash completion's words, and lets DKMS build the
# module from the packaged source for each kernel ABI (the Debian kernels
# the run boots; their headers are installed), as mgm-dkms's postinst
# would, in a DKMS tree of its own (OUT/dkms), and pack it as a DKMS
# binaries-only tarball, OUT/mgm-VERSION-ABI.dkms.tar.gz, for the guest.  Result lines in the
# harness's format ("ok - NAME", "not ok - NAME"); details after "#".
# Writes nothing outside OUT: the throwaway module signing key is OUT's.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
shift
version=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$repo/dkms.conf")

ok() { echo "ok - deb: $*"; }
not_ok() { echo "not ok - deb: $*"; }
indent() { sed 's/^/#     /'; }
# check NAME CMD...: ok when CMD succeeds; its output shown when not
check() {
	local name=$1 o
	shift
	if o=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; indent <<<"$o"; fi
}

rm -rf "$out"
if ! debs=$("$repo/tools/deb/build.sh" "$out" 2>&1); then
	not_ok "make deb builds mgm-dkms and mgm-tools"
	indent <<<"$debs"
	exit 0
fi
dkms_deb=$out/mgm-dkms_${version}_all.deb
tools_deb=$(ls "$out"/mgm-tools_"${version}"_*.deb 2>/dev/null | head -n 1)
if [ -f "$dkms_deb" ] && [ -n "$tools_deb" ]; then
	ok "make deb builds mgm-dkms and mgm-tools $version"
else
	not_ok "make deb builds mgm-dkms and mgm-tools $version"
	indent <<<"$debs"
	exit 0
fi

# every tag, down to pedantic, fails, except the overrides (debian/*.lintian-overrides, each explained)
check "lintian (-I --pedantic) finds nothing" \
	lintian -I --pedantic --fail-on error,warning,info,pedantic "$out"/mgm_*.changes

mkdir -p "$out/root" "$out/tools-root"
dpkg-deb -x "$dkms_deb" "$out/root"
dpkg-deb -x "$tools_deb" "$out/tools-root"
# has ROOT FILE...: every FILE is in the unpacked package ROOT
has() {
	local root=$1 f missing=()
	shift
	for f in "$@"; do
		[ -e "$root/$f" ] || missing+=("$f")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "missing: ${missing[*]}"; return 1; }
}
s=usr/src/mgm-$version
check "mgm-dkms holds the module's source and dkms.conf in /$s" \
	has "$out/root" "$s/dkms.conf" "$s/Kbuild" "$s/Makefile" "$s/mgm_main.c" \
	"$s/mgm_compat.h" "$s/include/uapi/linux/mgm.h" "$s/include/net/mgm.h" \
	usr/share/doc/mgm-dkms/examples/modules-load.d/mgm.conf
check "mgm-dkms holds no tests, tools or build output" \
	test -z "$(cd "$out/root/$s" && find . -name '*.o' -o -name '*.ko' -o \
		-path ./kunit -o -path ./tools -o -path ./bench -o -path ./debian)"
check "mgm-tools holds mgmctl, mgm-staticd, their man pages, the unit, the completion" \
	has "$out/tools-root" usr/sbin/mgmctl usr/sbin/mgm-staticd \
	usr/share/man/man8/mgmctl.8.gz usr/share/man/man8/mgm-staticd.8.gz \
	lib/systemd/system/mgm-staticd.service \
	usr/share/bash-completion/completions/mgmctl \
	usr/share/doc/mgm-tools/examples/example.conf
check "the unit reloads with SIGHUP (ExecReload), once the file checks" \
	bash -c "grep -x '^ExecReload=.*' '$out/tools-root/lib/systemd/system/mgm-staticd.service' |
		paste -sd ';' | grep -qx 'ExecReload=/usr/sbin/mgm-staticd -t -f /etc/mgm-staticd.conf;ExecReload=/bin/kill -HUP \\\$MAINPID'"

# libmgm: the runtime and development packages, and a daemon built from
# the development package alone, as pkg-config tells (the example)
lib_deb=$(ls "$out"/libmgm0_"${version}"_*.deb 2>/dev/null | head -n 1)
dev_deb=$(ls "$out"/libmgm-dev_"${version}"_*.deb 2>/dev/null | head -n 1)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
mkdir -p "$out/lib-root"
for d in "$lib_deb" "$dev_deb"; do
	[ -n "$d" ] && dpkg-deb -x "$d" "$out/lib-root"
done
l=usr/lib/$multiarch
check "libmgm0 and libmgm-dev hold the library, its headers, pkg-config file and man page" \
	has "$out/lib-root" "$l/libmgm.so.$version" "$l/libmgm.so.0" "$l/libmgm.so" \
	"$l/libmgm.a" "$l/pkgconfig/libmgm.pc" usr/include/libmgm/libmgm.h \
	usr/include/libmgm/linux/mgm.h usr/share/man/man3/libmgm.3.gz \
	usr/share/doc/libmgm-dev/examples/example.c
check "libmgm.so.0 exports libmgm.h's functions only, versioned LIBMGM_0" \
	bash -c "nm -D --defined-only '$out/lib-root/$l/libmgm.so.$version' |
		awk '{ print \$3 }' | grep -v '^LIBMGM_0\$' | sort >'$out/exported'
		grep -o '^[a-z].*\\<mgm_[a-z_]*(' '$repo/tools/libmgm/libmgm.h' |
		grep -o 'mgm_[a-z_]*' | sed 's/\$/@@LIBMGM_0/' | sort >'$out/declared'
		diff -u '$out/declared' '$out/exported'"
check "a daemon builds against libmgm-dev with pkg-config (the example)" \
	bash -c "export PKG_CONFIG_PATH='$out/lib-root/$l/pkgconfig'
		export PKG_CONFIG_SYSROOT_DIR='$out/lib-root'
		gcc -Wall -Werror -o '$out/example' \
			'$out/lib-root/usr/share/doc/libmgm-dev/examples/example.c' \
			\$(pkg-config --cflags --libs libmgm)"

# The completion, as bash would run it: its words against mgmctl's own
# (the names tables of tools/lib/mgm_names.c)
complete_words() {
	bash -c '. /usr/share/bash-completion/bash_completion
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_mgmctl mgmctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		echo "${COMPREPLY[*]}"' - \
		"$out/tools-root/usr/share/bash-completion/completions/mgmctl" "$@"
}
# names TABLE: the strings of mgm_names.c's TABLE
names() {
	sed -n "/^const char \* const $1\[/,/^};/p" "$repo/tools/lib/mgm_names.c" |
		grep -o '"[^"]*"' | tr -d '"' | sort | tr '\n' ' '
}
sorted() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }
comp_check() {
	local got want=$1
	shift
	got=$(complete_words "$@" | sorted)
	want=$(sorted <<<"$want")
	[ "$got" = "$want" ] || { echo "mgmctl ${*:1:$#-1} <TAB>: \"$got\", wanted \"$want\""; return 1; }
}
check "completion: objects, igmp commands, limits and IGMP settings are mgmctl's" \
	bash -c "$(declare -f complete_words sorted comp_check); out='$out'
	comp_check 'protocol interface mfe group monitor limits igmp static help' mgmctl '' &&
	comp_check 'socket show reload add del help' mgmctl static '' &&
	comp_check 'show groups enable disable help' mgmctl -j igmp '' &&
	comp_check 'show help' mgmctl group '' &&
	comp_check 'all-sources any-source' mgmctl group show '' &&
	comp_check '' mgmctl mfe show group '' &&
	comp_check '$(names mgm_limit_names)' mgmctl limits set '' &&
	comp_check '$(names mgm_limit_names)' mgmctl limits set mfes 10 '' &&
	comp_check '' mgmctl limits set mfes '' &&
	comp_check '$(names mgm_igmp_names)' mgmctl igmp enable dev lo ''"

# DKMS, as mgm-dkms's postinst runs it, into OUT/dkms
for abi in "$@"; do
	mkdir -p "$out/dkms"
	# (mgm.ko.xz for a kernel whose modules are compressed: 6.12's)
	if mok_signing_key=$out/mok.key mok_certificate=$out/mok.pub \
		dkms build -m mgm -v "$version" -k "$abi" \
		--sourcetree "$out/root/usr/src" --dkmstree "$out/dkms" \
		>"$out/dkms-$abi.log" 2>&1 &&
		ko=$(ls "$out/dkms/mgm/$version/$abi"/*/module/mgm.ko*); then
		ok "dkms builds mgm $version for $abi from the packaged source"
	else
		not_ok "dkms builds mgm $version for $abi from the packaged source"
		tail -n 20 "$out/dkms-$abi.log" | indent
		find "$out/dkms" -name make.log -exec tail -n 20 {} \; | indent
		continue
	fi
	check "modinfo: the module of $abi is version $version, for $abi" \
		bash -c "modinfo '$ko' | grep -qx 'version: *$version' &&
			modinfo '$ko' | grep -q '^vermagic: *$abi '"
	# for the guest of that kernel (tools/tests/70-package.sh): the
	# build as DKMS distributes prebuilt modules, a binaries-only tarball
	check "dkms mktarball --binaries-only for $abi" \
		dkms mktarball -m mgm -v "$version" -k "$abi" --binaries-only \
		--archive "$out/mgm-$version-$abi.dkms.tar.gz" \
		--sourcetree "$out/root/usr/src" --dkmstree "$out/dkms"
done
exit 0
