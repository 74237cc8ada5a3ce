# SPDX-License-Identifier: GPL-2.0
#
# netvirt: out-of-tree module, nvctl, tests.
#
#   make [KVER=release]   build netvirt.ko and nvctl
#   make install          install the module and nvctl (as root)
#   make check            W=1, sparse and checkpatch on src/ and include/
#   make test             KUnit, nvctl tests, selftests in a VM
#   make demo             boot a VM and show the module answering

KVER ?= $(shell scripts/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build/$(KVER)
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) CONFIG_NETVIRT=m W=1

KSRC_FILES := Kbuild Kconfig VERSION src include tests/kunit

all: module nvctl

# Objects of each kernel release go to their own tree of links to the
# sources, so modules for several kernels coexist.
tree:
	@mkdir -p $(BUILD)/tests
	@for f in $(KSRC_FILES); do cp -asf $(CURDIR)/$$f $(BUILD)/$$(dirname $$f)/; done

module: tree
	$(KMAKE) modules

nvctl:
	$(MAKE) -C tools/nvctl

# Test programs that run on the host or in the test VM.
testprogs: nvctl
	$(MAKE) -C tests/nvctl
	$(MAKE) -C tests/selftests
	$(MAKE) -C tests/fuzz

install: all
	$(KMAKE) modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools/nvctl install

check: tree
	scripts/check.sh $(KDIR) $(CURDIR)/$(BUILD)

test:
	scripts/deps.sh
	$(MAKE) all testprogs
	tests/run

# LPM lookup and update costs under callgrind; fails if a target is missed.
bench-lpm:
	$(MAKE) -C bench/lpm run

demo:
	scripts/deps.sh
	$(MAKE) all
	tests/vm/run -- scripts/demo.sh

clean:
	rm -rf build
	$(MAKE) -C tools/nvctl clean
	$(MAKE) -C tests/nvctl clean
	$(MAKE) -C tests/selftests clean
	$(MAKE) -C tests/fuzz clean
	rm -rf tests/out

.PHONY: all tree module nvctl testprogs install check test demo clean \
	bench-lpm
