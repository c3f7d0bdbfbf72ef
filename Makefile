# SPDX-License-Identifier: GPL-2.0
#
# Xen support for Linux 6.1, written from scratch: build and test driver.
#   make run            build everything and boot Xen with a dom0 under QEMU
#   make test           the whole suite, ending with "N passed, N failed"
#   make bench          guest workloads, ours/upstream ratios in one boot
#   make kernel [IMPL=ours|upstream]
# See README.

IMPL ?= ours
T ?=

.PHONY: all deps prepare kernel kernels initramfs test run bench checkpatch clean distclean

all: kernels initramfs

deps:
	@scripts/install-deps.sh

prepare: deps
	@scripts/prepare-tree.sh $(IMPL)

kernel: deps
	@scripts/build-kernel.sh $(IMPL)

kernels: deps
	@scripts/build-kernel.sh ours
	@scripts/build-kernel.sh upstream

initramfs: kernels
	@scripts/mk-initramfs.sh domu
	@scripts/mk-initramfs.sh dom0

# T=substring runs only the matching tests.
test: initramfs
	@scripts/run-tests.sh $(T)

run: initramfs
	@scripts/run-demo.sh

# Same guest workloads on our domU kernel and upstream's, ratios.
bench: initramfs
	@scripts/run-bench.sh

checkpatch: prepare
	@scripts/checkpatch-ours.sh

clean:
	rm -rf out/img out/logs

distclean:
	rm -rf out
