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
#                   the unit; DESTDIR and PREFIX (/usr/local) honoured.
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
# with the netlink helpers of tools/lib/.
DIR_TOOLS := $(TOOLS_OUT)/mgmctl/mgmctl $(TOOLS_OUT)/mgm-staticd/mgm-staticd
TOOLS += $(DIR_TOOLS)
# the mroute daemon that make bench compares MGM with
TOOLS += $(TOOLS_OUT)/bench/mroute-anchor
# and the sender of its bursts
TOOLS += $(TOOLS_OUT)/bench/burst-send

tools: $(TOOLS)

$(TOOLS_OUT)/mgmctl/mgmctl: $(wildcard tools/mgmctl/*.[ch])
$(TOOLS_OUT)/mgm-staticd/mgm-staticd: $(wildcard tools/mgm-staticd/*.[ch])
$(DIR_TOOLS): $(wildcard tools/lib/*.[ch] include/uapi/linux/*.h)
	@mkdir -p $(@D)
	gcc $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmnl) -o $@ \
		$(filter %.c,$^) $(LDFLAGS) $(shell pkg-config --libs libmnl)

# mgm-client shares the names of commands, attributes and errors with the
# others (tools/lib, its tables generated from the spec).
$(TOOLS_OUT)/mgm-client: tools/mgm-client.c $(wildcard tools/lib/*.[ch] include/uapi/linux/*.h)
	@mkdir -p $(@D)
	gcc $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmnl) -o $@ \
		$(filter %.c,$^) $(LDFLAGS) $(shell pkg-config --libs libmnl)

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
INSTALLED_TOOLS := $(TOOLS_OUT)/mgmctl/mgmctl $(TOOLS_OUT)/mgm-staticd/mgm-staticd

install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install

install-tools: $(INSTALLED_TOOLS)
	install -D -m 755 -t $(DESTDIR)$(SBINDIR) $(INSTALLED_TOOLS)
	install -D -m 644 -t $(DESTDIR)$(MANDIR)/man8 tools/mgmctl/mgmctl.8 \
		tools/mgm-staticd/mgm-staticd.8
	install -D -m 644 tools/mgmctl/mgmctl.bash-completion \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/mgmctl
	install -D -m 644 tools/mgm-staticd/example.conf \
		$(DESTDIR)$(DATADIR)/doc/mgm/examples/mgm-staticd.conf
	sed 's|/usr/sbin/|$(SBINDIR)/|g' tools/mgm-staticd/mgm-staticd.service | \
		install -D -m 644 /dev/stdin $(DESTDIR)$(UNITDIR)/mgm-staticd.service

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
	rm -f $(TOOLS)
	rm -rf build

.PHONY: all modules tools install install-tools demo check kunit bench regen deb clean
