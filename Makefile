# SPDX-License-Identifier: GPL-2.0-only
#
# sdm: a race-safe device-mapper core.
#
#   make              build sdm.ko here, against Debian's 6.12 headers
#   make KDIR=<tree>  build against another kernel tree or headers
#   make check        sparse (C=2), W=1 and checkpatch --strict, all clean
#   make test         install what is missing, build, check, run every VM suite
#   make vm           one VM pass: SUITE=core TEST=130 KERNEL=stock|rt|v61|debug
#                     DRIVER=sdm|dm_mod (each optional; see
#                     Documentation/testing.rst)
#   make durations    measured test durations (from the last run) into
#                     tests/vm/durations, which shards make test's VMs
#   make mutants      build sdm with each mutant of tests/mutants/table (a
#                     historical race put back), run the tests aimed at it
#                     on the debug kernel RUNS times (3) and the same tests
#                     on unmutated sdm; prints what caught each and
#                     `mutants: K/N caught`.  MUTANTS="a b" for some only
#   make fuzz         the control-device fuzzer (tests/suites/core/160):
#                     ITERATIONS requests (200000), then half as many
#                     racing, from SEED (1), on KERNEL=debug (or stock)
#                     with DRIVER=sdm (or dm_mod)
#   make stress       the stress test (tests/suites/core/150) racing SECS
#                     seconds (600) in one VM of 4 CPUs, on KERNEL=debug
#                     (or stock) with sdm
#   make demo         boot a VM and show dmsetup driving sdm
#   make bench        the raw device, dm_mod and sdm side by side in one VM
#                     boot, alternated over ROUNDS rounds (5): fio runs of
#                     BENCH_SECS (5) s, control path and memory with
#                     BENCH_N (1000) devices, BENCH_FULL=1 for creates
#                     among 10000 and 20000, CPUS=1 (or 2, or "1 2");
#                     ratios into .build/bench (Documentation/performance.rst)
#   make bench-smoke  the same, one short round (ROUNDS=1 BENCH_SECS=2)
#   make install      build and install sdm.ko for the running kernel (or
#                     KVER=), under /lib/modules/KVER/updates, and depmod
#                     (see README.md); make uninstall undoes it
#   make install-policy  /etc/modprobe.d/sdm.conf, which keeps dm_mod away
#                     (README.md); make uninstall-policy removes it
#   make dkms-install register the sources with DKMS and install for the
#                     running kernel (rebuilt on every kernel update);
#                     make dkms-uninstall removes them from DKMS

DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# install targets: the kernel (the running one), an optional staging root
# (INSTALL_MOD_PATH for the module, DESTDIR for the policy) and, for DKMS,
# its source tree and options (--dkmstree etc.; tests/scripts/install-check.sh)
KVER ?= $(shell uname -r)
KBUILD_DIR ?= /lib/modules/$(KVER)/build
INSTALL_MOD_PATH ?=
DEPMOD_BASE = $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH))
DESTDIR ?=
DKMS_SOURCETREE ?= /usr/src
DKMS_SRC = $(DKMS_SOURCETREE)/sdm-$(DKMS_VERSION)
DKMS_FLAGS ?=
STOCK_KVER := $(shell bash tests/scripts/common.sh stock_kver 2>/dev/null)
KDIR ?= /usr/src/linux-headers-$(STOCK_KVER)
# a product build: never a test build, whatever the environment says
PRODUCT := SDM_TEST_HOOKS= SDM_MUTANT= SDM_TEST_MODULES= SDM_FLOOR=

all: modules

modules:
ifeq ($(wildcard $(KDIR)/Makefile),)
	$(error no kernel headers in '$(KDIR)': install Debian's 6.12 headers \
	(apt-get install linux-headers-6.12-amd64) or give KDIR=<kernel tree>)
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(PRODUCT) modules

check:
	tests/scripts/check.sh

test:
	tests/scripts/test-all.sh

durations:
	tests/scripts/durations.sh write

vm:
	KERNEL="$(KERNEL)" DRIVER="$(DRIVER)" SUITE="$(SUITE)" TEST="$(TEST)" \
		tests/scripts/test-all.sh vm

# the KCSAN kernel's pass, which make test leaves out (its kernel's build
# does not fit make test's budget): the tests that name kcsan in their
# header; CI runs it after make test
kcsan:
	tests/scripts/test-all.sh kcsan

mutants:
	tests/scripts/mutants.sh $(if $(RUNS),--runs $(RUNS)) $(MUTANTS)

fuzz:
	SDM_FUZZ_ITERATIONS=$(or $(ITERATIONS),200000) SDM_FUZZ_SEED=$(or $(SEED),1) \
		KERNEL=$(or $(KERNEL),debug) DRIVER=$(or $(DRIVER),sdm) \
		SUITE=core TEST=160 tests/scripts/test-all.sh vm

stress:
	SDM_STRESS_SECS=$(or $(SECS),600) KERNEL=$(or $(KERNEL),debug) \
		DRIVER=$(or $(DRIVER),sdm) SUITE=core TEST=150 \
		tests/scripts/test-all.sh vm

demo:
	tests/scripts/demo.sh

BENCH_ENV = ROUNDS="$(ROUNDS)" BENCH_SECS="$(BENCH_SECS)" BENCH_N="$(BENCH_N)" \
	BENCH_K="$(BENCH_K)" BENCH_FULL="$(BENCH_FULL)" CPUS="$(CPUS)" \
	BENCH_PARTS="$(BENCH_PARTS)" BENCH_MEM="$(BENCH_MEM)" \
	BENCH_WORKLOADS="$(BENCH_WORKLOADS)" BENCH_BACKINGS="$(BENCH_BACKINGS)" \
	BENCH_TABLES="$(BENCH_TABLES)"

bench:
	$(BENCH_ENV) tests/scripts/bench.sh

bench-smoke:
	$(BENCH_ENV) tests/scripts/bench.sh smoke

install:
	$(MAKE) -C $(KBUILD_DIR) M=$(CURDIR) $(PRODUCT) modules
	$(MAKE) -C $(KBUILD_DIR) M=$(CURDIR) $(PRODUCT) \
		INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) modules_install
	depmod -a $(DEPMOD_BASE) $(KVER)

uninstall:
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/updates/sdm.ko \
		$(INSTALL_MOD_PATH)/lib/modules/$(KVER)/updates/sdm.ko.xz
	depmod -a $(DEPMOD_BASE) $(KVER)

install-policy:
	install -D -m 0644 modprobe.d/sdm.conf $(DESTDIR)/etc/modprobe.d/sdm.conf

uninstall-policy:
	rm -f $(DESTDIR)/etc/modprobe.d/sdm.conf

dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r Kbuild dkms.conf *.c include $(DKMS_SRC)/
	dkms install $(DKMS_FLAGS) sdm/$(DKMS_VERSION) -k $(KVER)

dkms-uninstall:
	dkms remove $(DKMS_FLAGS) sdm/$(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .build

.PHONY: all modules check test vm durations kcsan mutants fuzz stress demo bench bench-smoke install \
	uninstall install-policy uninstall-policy dkms-install dkms-uninstall clean
