#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite: harness self-tests, checks of the prepared base,
# the native boot of our kernel, and every Xen scenario for every pairing
# of dom0 and domU kernels that can run today.  Expects `make kernels
# initramfs` to have run (the Makefile's test target does that).
#
#   run-tests.sh [FILTER]   run only tests whose name contains FILTER
#
# Prints PASS/FAIL per test (with the log tail of a failure) and ends with
# "N passed, N failed".  Logs: out/logs/<test>.log
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/out/logs
img=$top/out/img
filter=${1:-}
mkdir -p "$logs"
passed=0
failed=0
failures=()

wanted() { [ -z "$filter" ] || [[ $1 == *"$filter"* ]]; }

report() { # NAME STATUS(0=pass) LOG [DETAIL]
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $1${4:+ ($4)}"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL $1${4:+ ($4)}"
		# The scenario's own verdicts first: a long log's tail may be cut.
		[ -f "$3" ] && grep -m 5 -E '^ *FAIL: |^\(no result|^\(dom0 is not' "$3" |
			sed 's/^ */    why: /'
		[ -f "$3" ] && tail -n 25 "$3" | sed 's/^/    | /'
	fi
}

# run_host NAME FUNCTION: a host-side check, its output in the log.
run_host() {
	local name=$1 log=$logs/$1.log
	wanted "$name" || return 0
	"$2" >"$log" 2>&1
	report "$name" $? "$log"
}

# --- checks of the prepared trees -----------------------------------------

# Rules every scenario keeps (Documentation/xen/testing.rst): one that
# creates a domain cleans up on any exit (they share a Xen boot), and the
# KUnit suites kunit.sh waits for are exactly those the sources define.
check_scenario_rules() {
	local f bad=0 listed defined
	for f in "$top"/tests/scenarios/*.sh "$top"/tests/bench/*.sh; do
		grep -q 'xl create' "$f" || continue
		grep -qE '^[[:space:]]*trap .+ EXIT' "$f" && continue
		echo "$(basename "$f"): creates a domain without an EXIT trap"
		bad=1
	done
	listed=$(sed -n 's/^suites=\${XTEST_KUNIT_SUITES:-\(.*\)}$/\1/p' \
		"$top/tests/scenarios/kunit.sh" | tr ' ' '\n' | sort)
	defined=$(cd "$top" && git ls-files -- '*kunit*.c' | xargs sed -n \
		's/^\t\.name = "\([^"]*\)",$/\1/p' | sort)
	echo "kunit.sh waits for: $(echo $listed)"
	echo "the sources define: $(echo $defined)"
	[ -n "$listed" ] && [ "$listed" = "$defined" ] ||
		{ echo "the suite list of kunit.sh is not the sources' list"; bad=1; }
	return $bad
}

# Our include/xen/interface matches Xen's public headers (libxen-dev): every
# structure's size and member offsets, every constant, and the ring macros'
# behaviour.  Host-only; needs no kernel tree.
check_abi() {
	"$top/tests/abi/run.sh"
}

# No file of upstream's Xen implementation survives in our tree: every file
# under a manifest path is gone or, where our overlay re-creates a directory,
# differs from upstream's; and none of our overlay files is a byte copy of
# any upstream Xen file, wherever it sits.
check_base_clean() {
	local tree=$top/out/ours/linux ref=$top/out/upstream/linux
	local paths upfiles bad=0 f
	[ -d "$tree" ] && [ -d "$ref" ] || { echo "trees not prepared"; return 1; }
	paths=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/scripts/upstream-xen.manifest")
	upfiles=$(cd "$ref" && find $paths -type f) || { echo "manifest path missing upstream"; return 1; }
	for f in $upfiles; do
		if [ -e "$tree/$f" ] && cmp -s "$ref/$f" "$tree/$f"; then
			echo "upstream file survives: $f"
			bad=1
		fi
	done
	comm -12 <(cd "$ref" && sha1sum $upfiles | cut -d' ' -f1 | sort -u) \
		<(cd "$tree" && sed 's/^/.\//' "$top/out/ours/.overlay-files" | xargs sha1sum | cut -d' ' -f1 | sort -u) \
		>"$logs/.copies"
	if [ -s "$logs/.copies" ]; then
		echo "overlay files identical to upstream Xen files (sha1):"
		cat "$logs/.copies"
		bad=1
	fi
	echo "$(echo "$paths" | wc -l) manifest paths, $(echo "$upfiles" | wc -w) upstream files checked"
	return $bad
}

# Preparing again must not touch a single file (incremental builds).
check_prepare_idempotent() {
	local stamp=$top/out/ours/.idem-stamp changed
	touch "$stamp"
	sleep 1
	"$top/scripts/prepare-tree.sh" ours || return 1
	changed=$(find "$top/out/ours/linux" -newer "$stamp" -type f | head)
	rm -f "$stamp"
	if [ -n "$changed" ]; then
		echo "second prepare modified:"
		echo "$changed"
		return 1
	fi
	echo "second prepare changed nothing"
}

# --- boots ----------------------------------------------------------------

# The harness turns a kernel that panics into a FAIL quickly, not a hang:
# boot a kernel with no init and panic=0 (it would sit there forever).
check_harness_panic() {
	local log=$logs/harness-panic.serial rc
	BOOT_TIMEOUT=240 "$top/scripts/boot.sh" native "$top/out/upstream/bzImage" \
		"$img/domu-initrd.gz" "$log" "panic=0 rdinit=/no-such-init init=/no-such-init"
	rc=$?
	tail -n 5 "$log"
	[ $rc = 2 ] || { echo "boot.sh returned $rc, expected 2 (panic)"; return 1; }
	grep -q 'Kernel panic' "$log"
}

# Our kernel with our Xen options as configured boots natively to userspace.
check_native_ours() {
	local log=$logs/native-ours.serial
	BOOT_TIMEOUT=300 "$top/scripts/boot.sh" native "$top/out/ours/bzImage" \
		"$img/domu-initrd.gz" "$log" "xtest.agent=" || { tail -n 20 "$log"; return 1; }
	grep -E 'AGENT: up' "$log" | tr -d '\r'
	grep -qE 'AGENT: up kernel=6\.1\.[0-9]+-ours ' "$log" && grep -q 'AGENT: tasks-done' "$log"
}

# serial_text LOG: LOG without carriage returns, as LOG.txt; prints its name.
serial_text() {
	tr -d '\r' <"$1" >"$1.txt"
	echo "$1.txt"
}

# run_xen DOM0 DOMU SCENARIO...: one Xen boot with DOM0 as dom0 running the
# scenarios with DOMU as the guest kernel; one result per scenario.
run_xen() {
	local dom0=$1 domu=$2 group s want=() log text rc line res dom0ok
	shift 2
	group="xen[dom0=$dom0,domU=$domu]"
	for s in "$@"; do wanted "$group:$s" && want+=("$s"); done
	[ ${#want[@]} -gt 0 ] || return 0
	log=$logs/xen-$dom0-$domu${XEN_BOOT_TAG:+-$XEN_BOOT_TAG}.serial
	echo "---- booting Xen with $dom0 dom0, $domu domU: ${want[*]}"
	# 400 s a scenario; the whole selftest run (two guests) up to 1500 s.
	local budget=$((240 + 400 * ${#want[@]}))
	case " ${want[*]} " in *" selftests "*) budget=$((budget + 1100)) ;; esac
	BOOT_TIMEOUT=$budget "$top/scripts/boot.sh" xen \
		"$top/out/$dom0/bzImage" "$img/dom0-initrd.gz" "$log" \
		"xtest.domu=$domu xtest.run=$(IFS=,; echo "${want[*]}")${XTEST_ARGS:+ $XTEST_ARGS}"
	rc=$?
	# Search a copy without carriage returns, never a pipe into grep -q or
	# grep -m: under pipefail the writer's SIGPIPE, when grep stops early
	# on a long log, would turn a match into a failure.
	text=$(serial_text "$log")
	# A result only counts from the dom0 kernel this pairing asked for.
	# dom0's init names it at its start and its end (console line and
	# kernel message) and in each scenario's begin line; a kernel message
	# can land in the middle of a console line, so any of them counts and
	# the name may be followed by such a message.
	dom0ok=0
	grep -qE "XTEST: (dom0 kernel |begin .*dom0=)6\.1\.[0-9]+-$dom0(\$|[^-[:alnum:]])" "$text" && dom0ok=1
	for s in "${want[@]}"; do
		line=$(grep -m1 -E "XTEST-RESULT: (PASS|FAIL) $s( |$)" "$text")
		res=1
		[ "${line#XTEST-RESULT: PASS}" != "$line" ] && [ $dom0ok = 1 ] && res=0
		# The scenario's own output, for the per-test log.
		sed -n "/XTEST: begin $s /,/XTEST-RESULT: .* $s /p" "$text" >"$logs/$group:$s.log"
		[ $dom0ok = 1 ] || echo "(dom0 is not the $dom0 kernel)" >>"$logs/$group:$s.log"
		if [ -z "$line" ]; then
			echo "(no result: boot status $rc)" >>"$logs/$group:$s.log"
			tail -n 30 "$text" >>"$logs/$group:$s.log"
		fi
		report "$group:$s" $res "$logs/$group:$s.log" "${line##* }"
		# Test cases a scenario ran inside the guest (KUnit), one result each.
		sed -n 's/^XTEST-CASE: \(PASS\|FAIL\) \(.*\)$/\1 \2/p' \
			"$logs/$group:$s.log" >"$logs/.cases"
		while read -r verdict case; do
			[ $dom0ok = 1 ] || verdict=FAIL
			report "$group:$case" $([ "$verdict" = PASS ] && echo 0 || echo 1) \
				"$logs/$group:$s.log"
		done <"$logs/.cases"
	done
}

# run_end NAME SCENARIO REGEX...: a Xen boot with our dom0 whose scenario
# ends the machine (power button, reboot); passes if QEMU went away by
# itself and the serial log matches every REGEX.  MONITOR_TRIGGER and
# XEN_CMDLINE pass through to boot.sh.
run_end() {
	local name=$1 scenario=$2 log=$logs/$1.serial text re rc bad=0
	shift 2
	wanted "$name" || return 0
	echo "---- booting Xen with ours dom0 until the machine ends: $scenario"
	BOOT_UNTIL_EXIT=1 BOOT_TIMEOUT=400 \
		BOOT_MONITOR_TRIGGER=${MONITOR_TRIGGER:-} \
		"$top/scripts/boot.sh" xen "$top/out/ours/bzImage" \
		"$img/dom0-initrd.gz" "$log" "xtest.domu=ours xtest.run=$scenario" \
		>"$logs/$name.log" 2>&1
	rc=$?
	[ $rc = 0 ] || { echo "boot status $rc" >>"$logs/$name.log"; bad=1; }
	text=$(serial_text "$log")
	for re in "$@"; do
		if grep -qE "$re" "$text"; then
			echo "found: $re" >>"$logs/$name.log"
		else
			echo "missing: $re" >>"$logs/$name.log"
			bad=1
		fi
	done
	[ $bad = 0 ] || tail -n 30 "$text" >>"$logs/$name.log"
	report "$name" $bad "$logs/$name.log"
}

# The machine dom0 drives in the hardware scenarios: a virtio-blk and an
# AHCI disk whose first 4 MiB hold a pattern dom0 must read, two e1000
# NICs on one QEMU hub and two virtio-net NICs on another.
hw_pattern() { yes "$1" | head -c 4194304; }
hw_prepare() {
	local kind f
	for kind in virtio ahci; do
		f=$logs/hw-$kind.img
		rm -f "$f"
		truncate -s 64M "$f"
		hw_pattern "host-wrote-$kind" | dd of="$f" conv=notrunc 2>/dev/null
	done
	echo "-drive file=$logs/hw-virtio.img,if=none,id=hwv,format=raw" \
		"-device virtio-blk-pci,drive=hwv" \
		"-device ahci,id=ahci -drive file=$logs/hw-ahci.img,if=none,id=hwa,format=raw" \
		"-device ide-hd,drive=hwa,bus=ahci.0" \
		"-netdev hubport,id=he0,hubid=1 -device e1000,netdev=he0" \
		"-netdev hubport,id=he1,hubid=1 -device e1000,netdev=he1" \
		"-netdev hubport,id=hv0,hubid=2 -device virtio-net-pci,netdev=hv0" \
		"-netdev hubport,id=hv1,hubid=2 -device virtio-net-pci,netdev=hv1"
}
# After the boot: what dom0 wrote is in the image files.
check_hw_images() {
	local kind want got bad=0
	for kind in virtio ahci; do
		want=$(hw_pattern "dom0-wrote-$kind" | md5sum | cut -d' ' -f1)
		got=$(dd if="$logs/hw-$kind.img" bs=1M skip=8 count=4 2>/dev/null | md5sum | cut -d' ' -f1)
		echo "$kind image at 8 MiB: $got (dom0 wrote $want)"
		[ "$got" = "$want" ] || bad=1
	done
	return $bad
}

echo "== checks of the prepared trees"
run_host abi-conformance check_abi
run_host scenario-rules check_scenario_rules
run_host base-no-upstream-xen check_base_clean
run_host prepare-idempotent check_prepare_idempotent
echo "== harness self-tests and native boot"
run_host harness-detects-panic check_harness_panic
run_host native-boot-ours check_native_ours
echo "== Xen 4.17 scenarios"
# The reference pairing: upstream dom0, upstream PV domU.
# (balloon and selftest-silent-guest of the upstream guest run under our
# dom0; here the scenarios that judge dom0 and the toolstack.)
run_xen upstream upstream dom0-basics lifecycle save-restore save-rounds migrate \
	dom0-settime
# Our PV guest under the reference dom0, then our frontends against
# upstream's backends (blkback, netback), in one boot.
# save-workload: 3 rounds here, the 5 of the issue under our dom0 below.
XTEST_ARGS=xtest.save_rounds=3 \
	run_xen upstream ours domu-boot domu-boot-smp2 domu-boot-smp4 domu-boot-1g \
	kunit kunit-2l domu-control vcpu-hotplug mmu-hammer mmu-hammer-smp4 \
	domu-cycles clock-migrate domu-steal balloon selftests lifecycle \
	save-workload migrate blk-integrity blk-features blk-hotplug net-integrity \
	net-hotplug frontend-hostile
# Our kernel as dom0, hosting the toolstack and serving disks and vifs with
# our blkback and netback: the reference guest (upstream's frontends), then
# ours.  Not blk-features (it checks our blkfront's parameters) nor
# blk-hotplug here: upstream's blkfront stops its queues when the backend
# closes and del_gendisk then waits for requests that can no longer be
# sent, so a dd on a disk detached under load hangs now and then.
# Guest churn under our dom0 is backend-cycles (our guest, with devices:
# domu-cycles' checks and more).  Scenarios that only exercise the guest
# and Xen (domu-boot-smp4, domu-boot-1g, kunit, vcpu-hotplug,
# mmu-hammer-smp4, clock-migrate) run under the reference dom0 only, to
# keep the suite within CI's time.
# The kernel's x86 selftests as dom0's own processes end the first boot
# (a test that took dom0 down would take nothing else with it).
run_xen ours upstream dom0-basics dom0-xsbackend save-restore balloon selftest-silent-guest \
	qdisk blk-integrity lifecycle net-integrity net-hotplug net-rate dom0-selftests
run_xen ours ours domu-boot domu-control balloon save-workload qdisk dom0-settime \
	dom0-ifuzz blk-integrity blk-features blk-hotplug lifecycle net-integrity \
	net-hotplug net-guests backend-hostile backend-cycles
# The machine's own devices for dom0 to drive (dom0-hw-*), in a boot of
# their own: with them present (AHCI, virtio-blk, two e1000s, two
# virtio-nets) the guests' disks served by our blkback ran 5-8 times
# slower (blk-integrity 365-527 s against 63-69 s) while Xen scrubbed its
# free RAM in the background (Documentation/xen/dom0.rst).
XEN_BOOT_TAG=hw QEMU_EXTRA=$(hw_prepare) XTEST_ARGS=xtest.xs_domain=0 \
	run_xen ours ours dom0-hw-disk dom0-hw-net dom0-xsbackend
wanted "xen[dom0=ours,domU=ours]:dom0-hw-disk" &&
	run_host "xen[dom0=ours]:dom0-hw-disk-image" check_hw_images
# The same machine with every DMA bounced through swiotlb-xen's pool
# (no guests: a short boot).
XEN_BOOT_TAG=bounce QEMU_EXTRA=$(hw_prepare) XTEST_ARGS=swiotlb=force \
	run_xen ours ours dom0-hw-bounce
wanted "xen[dom0=ours,domU=ours]:dom0-hw-bounce" &&
	run_host "xen[dom0=ours]:dom0-hw-bounce-image" check_hw_images
# dom0's RAM above 4 GiB (a 6 GiB machine) and two NICs limited to 32-bit
# DMA (AMD PCnet) on one hub: every packet buffer bounced because it must
# be, not because swiotlb=force says so.
XEN_BOOT_TAG=high QEMU_MEM=6144 \
	QEMU_EXTRA="-netdev hubport,id=hp0,hubid=3 -device pcnet,netdev=hp0 -netdev hubport,id=hp1,hubid=3 -device pcnet,netdev=hp1" \
	run_xen ours ours dom0-hw-high
# The machine's end, driven by our dom0: the ACPI power button (QEMU's
# system_powerdown) powers it off through ACPI S5; dom0's reboot resets it
# (Xen without "noreboot"; QEMU runs with -no-reboot, so it exits).
MONITOR_TRIGGER='XTEST: press the power button=>system_powerdown' \
	run_end "xen[dom0=ours]:dom0-powerbutton" dom0-powerbutton \
	'XTEST: power button pressed' 'XTEST-RESULT: PASS dom0-powerbutton' \
	'\(XEN\) Entering ACPI S5 state'
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all" \
	run_end "xen[dom0=ours]:dom0-reboot" dom0-reboot \
	'XTEST-RESULT: PASS dom0-reboot-requested' 'reboot: Restarting system' \
	'\(XEN\) Hardware Dom0 shutdown: rebooting machine'

echo
[ $failed -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
