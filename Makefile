# SPDX-License-Identifier: GPL-2.0
# Out-of-tree build of mgm.ko and every developer entry point.
#   make            build mgm.ko against KDIR (default: the running kernel)
#   make tools      build the userspace tools (tools/*.c) into TOOLS_OUT
#   make demo       a virtual router in the cached UML kernel: two protocols,
#                   IGMP, real multicast, mgmctl at each step (tools/demo/)
#   make check      the whole test suite (README), as CI runs it
#   make kunit      the KUnit suites only, in the cached UML kernel
#   make bench      figures, not tests: the engine's speed and memory at
#                   1k to 1M MFEs in a UML kernel (tools/uml/bench.sh)
#   make regen      the uAPI header and mgm_genl.[ch] from the family's
#                   spec, tools/spec/mgm.yaml (tools/spec/regen.sh)
#   make deb        the Debian packages mgm-dkms and mgm-tools into
#                   build/deb/ (tools/deb/build.sh; debian/)
#   make install    mgm.ko into KDIR's module tree (updates/), mgmctl and
#                   mgm-staticd, their man pages, mgmctl's completion and
#                   the unit, libmgm (library, headers, pkg-config file,
#                   libmgm(3)); DESTDIR and PREFIX (/usr/local) honoured.
#                   make install-tools: all but the module
# The tests never load the module into the running kernel, only into UML;
# tools/uml/check.sh describes the harness, logs land in build/last/.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(shell pwd)

TOOLS_OUT ?= tools
TOOLS := $(patsubst tools/%.c,$(TOOLS_OUT)/%,$(wildcard tools/*.c))
TOOLS_CFLAGS := -O2 -Wall -Wextra -Werror -Iinclude/uapi
# CPPFLAGS, CFLAGS and LDFLAGS from the environment come after ours
# (dpkg-buildflags' hardening, when debian/rules builds them)

all: modules

modules:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "mgm: no kernel build directory at $(KDIR)." >&2; \
		echo "mgm: install the headers (apt install linux-headers-\$$(uname -r))" >&2; \
		echo "mgm: or point KDIR at a configured kernel tree: make KDIR=/path/to/linux" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(PWD) modules

# Tools with a directory of their own (tools/NAME/NAME): every .c there,
# linked with libmgm.a: mgm-staticd uses the daemon's API (libmgm.h),
# as mgmctl's group show does; the rest of mgmctl and mgm-client use the
# netlink layer beneath it (tools/lib/mgm_nl.h), for they show or send
# any message of the family, malformed ones included.
DIR_TOOLS := $(TOOLS_OUT)/mgmctl/mgmctl $(TOOLS_OUT)/mgm-staticd/mgm-staticd
TOOLS += $(DIR_TOOLS)
# the mroute daemon that make bench compares MGM with
TOOLS += $(TOOLS_OUT)/bench/mroute-anchor
# and the sender of its bursts
TOOLS += $(TOOLS_OUT)/bench/burst-send

# libmgm (tools/libmgm/, libmgm(3)): a daemon's side of MGM, over the
# same netlink helpers; the shared library exports only libmgm.map's
# symbols.  libmgm-example links the shared one, as a daemon would.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$$/\1/p' dkms.conf)
LIBMGM_SRC := tools/libmgm/libmgm.c tools/lib/mgm_nl.c tools/lib/mgm_names.c
LIBMGM_DEPS := $(LIBMGM_SRC) $(wildcard tools/libmgm/*.h tools/lib/*.h \
	include/uapi/linux/*.h) tools/libmgm/libmgm.map
LIBMGM_SO := $(TOOLS_OUT)/libmgm/libmgm.so.$(VERSION)
LIBMGM := $(LIBMGM_SO) $(TOOLS_OUT)/libmgm/libmgm.a \
	$(TOOLS_OUT)/libmgm/libmgm.pc
TOOLS += $(LIBMGM) $(TOOLS_OUT)/libmgm/libmgm-example
MNL_CFLAGS = $(shell pkg-config --cflags libmnl)
MNL_LIBS = $(shell pkg-config --libs libmnl)

tools: $(TOOLS)

$(LIBMGM_SO): $(LIBMGM_DEPS)
	@mkdir -p $(@D)
	gcc $(TOOLS_CFLAGS) -fPIC -shared $(CPPFLAGS) $(CFLAGS) $(MNL_CFLAGS) \
		-Wl,-soname,libmgm.so.0 \
		-Wl,--version-script=tools/libmgm/libmgm.map -o $@ \
		$(LIBMGM_SRC) $(LDFLAGS) $(MNL_LIBS)
	ln -sf $(@F) $(@D)/libmgm.so.0
	ln -sf libmgm.so.0 $(@D)/libmgm.so

$(TOOLS_OUT)/libmgm/libmgm.a: $(LIBMGM_DEPS)
	@mkdir -p $(@D)/obj
	for f in $(LIBMGM_SRC); do \
		o=$(@D)/obj/$$(basename $$f .c).o; \
		gcc $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(MNL_CFLAGS) \
			-c -o $$o $$f || exit 1; \
	done
	rm -f $@
	ar rcs $@ $(patsubst %.c,$(@D)/obj/%.o,$(notdir $(LIBMGM_SRC)))

$(TOOLS_OUT)/libmgm/libmgm.pc: tools/libmgm/libmgm.pc.in dkms.conf
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		$< > $@

$(TOOLS_OUT)/libmgm/libmgm-example: tools/libmgm/example.c $(LIBMGM_SO)
	gcc $(TOOLS_CFLAGS) -Itools/libmgm $(CPPFLAGS) $(CFLAGS) -o $@ $< \
		-L$(@D) -Wl,-rpath,'$$ORIGIN' $(LDFLAGS) -lmgm

$(TOOLS_OUT)/mgmctl/mgmctl: $(wildcard tools/mgmctl/*.[ch])
$(TOOLS_OUT)/mgm-staticd/mgm-staticd: $(wildcard tools/mgm-staticd/*.[ch])
# mgm-client shares the names of commands, attributes and errors with the
# others (tools/lib, its tables generated from the spec).
$(TOOLS_OUT)/mgm-client: tools/mgm-client.c
$(DIR_TOOLS) $(TOOLS_OUT)/mgm-client: $(TOOLS_OUT)/libmgm/libmgm.a \
	$(wildcard tools/lib/*.h tools/libmgm/*.h include/uapi/linux/*.h)
	@mkdir -p $(@D)
	gcc $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(MNL_CFLAGS) -o $@ \
		$(filter %.c,$^) $(filter %.a,$^) $(LDFLAGS) $(MNL_LIBS)

$(TOOLS_OUT)/%: tools/%.c $(wildcard include/uapi/linux/*.h)
	@mkdir -p $(@D)
	gcc $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmnl) -o $@ $< \
		$(LDFLAGS) $(shell pkg-config --libs libmnl)

# Where make install puts things; a router is better served by make deb,
# whose DKMS package rebuilds the module for each new kernel (README).
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
UNITDIR ?= $(PREFIX)/lib/systemd/system
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
INSTALLED_TOOLS := $(TOOLS_OUT)/mgmctl/mgmctl $(TOOLS_OUT)/mgm-staticd/mgm-staticd

install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install

install-tools: $(INSTALLED_TOOLS) install-lib
	install -D -m 755 -t $(DESTDIR)$(SBINDIR) $(INSTALLED_TOOLS)
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man8 tools/mgmctl/mgmctl.8 \
		tools/mgm-staticd/mgm-staticd.8
	install -D -m 644 tools/mgmctl/mgmctl.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/mgmctl
	install -D -m 644 tools/mgm-staticd/example.conf \
		$(DESTDIR)$(DATADIR)/doc/mgm/examples/mgm-staticd.conf
	sed 's|/usr/sbin/|$(SBINDIR)/|g' tools/mgm-staticd/mgm-staticd.service | \
		install -D -m 644 /dev/stdin $(DESTDIR)$(UNITDIR)/mgm-staticd.service

# libmgm: the library, its archive, headers (the uAPI header beside its
# own, under include/libmgm/), pkg-config file and man page
install-lib: $(LIBMGM)
	install -D -m 644 -t $(DESTDIR)$(LIBDIR) $(LIBMGM_SO) \
		$(TOOLS_OUT)/libmgm/libmgm.a
	ln -sf $(notdir $(LIBMGM_SO)) $(DESTDIR)$(LIBDIR)/libmgm.so.0
	ln -sf libmgm.so.0 $(DESTDIR)$(LIBDIR)/libmgm.so
	install -D -m 644 -t $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(TOOLS_OUT)/libmgm/libmgm.pc
	install -D -m 644 -t $(DESTDIR)$(INCLUDEDIR)/libmgm \
		tools/libmgm/libmgm.h
	install -D -m 644 -t $(DESTDIR)$(INCLUDEDIR)/libmgm/linux \
		include/uapi/linux/mgm.h
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man3 tools/libmgm/libmgm.3

demo:
	tools/uml/deps.sh
	tools/demo/demo.sh

check:
	tools/uml/deps.sh
	tools/uml/check.sh check

kunit:
	tools/uml/deps.sh
	tools/uml/check.sh kunit

bench:
	tools/uml/deps.sh
	tools/uml/bench.sh

regen:
	tools/uml/deps.sh
	tools/spec/regen.sh

deb:
	tools/deb/build.sh build/deb

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -f $(TOOLS) $(TOOLS_OUT)/libmgm/libmgm.so*
	rm -rf $(TOOLS_OUT)/libmgm/obj
	rm -rf build

.PHONY: all modules tools install install-tools install-lib demo check kunit bench regen deb clean
