# SPDX-License-Identifier: GPL-2.0
# Out-of-tree build of mgm.ko and every developer entry point.
#   make            build mgm.ko against KDIR (default: the running kernel)
#   make check      the whole test suite (README), as CI runs it
#   make kunit      the KUnit suites only, in the cached UML kernel

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(shell pwd)

all: modules

modules:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "mgm: no kernel build directory at $(KDIR)." >&2; \
		echo "mgm: install the headers (apt install linux-headers-\$$(uname -r))" >&2; \
		echo "mgm: or point KDIR at a configured kernel tree: make KDIR=/path/to/linux" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -f tools/mgm-client

.PHONY: all modules clean
