# Not run by make test: where a guest's boot time goes, for each guest
# kernel booted the way make bench boots it (512 MiB, bench initramfs, a
# disk and a vif).  Prints the seconds from xl create to the agent, the
# kernel's own timestamp at /init, and every console line that came
# more than 0.2 s after the one before it.
. /tests/lib/xtest.sh
name=bootprof
cfg=/tmp/$name.cfg
disk=/tmp/$name.img
trap 'cleanup_domain $name; rm -f $disk' EXIT
dd if=/dev/zero of=$disk bs=1M count=64 2>/dev/null
for kind in ${XTEST_BENCH_KINDS:-upstream ours}; do
	XTEST_DOMU=$kind
	GUEST_KERNEL=/guest/$kind/vmlinuz
	GUEST_INITRD=/guest/domu-bench-initrd.gz
	rm -f "$(console_log $name)"
	write_cfg $cfg $name "" "memory = 512" "extra += kunit.enable=0" \
		"disk = ['format=raw, vdev=xvda, access=rw, target=$disk']" \
		"vif = ['bridge=xenbr0,mac=00:16:3e:5a:00:0a']"
	start=$(cut -d' ' -f1 /proc/uptime)
	xl create $cfg >/dev/null 2>&1 || { fail "$kind: xl create"; exit 1; }
	created=$(cut -d' ' -f1 /proc/uptime)
	wait_console $name 'AGENT: up ' 300 >/dev/null || { fail "$kind: no userspace"; exit 1; }
	up=$(cut -d' ' -f1 /proc/uptime)
	say "$kind: xl create returned after $(awk -v a=$start -v b=$created 'BEGIN { printf "%.1f", b - a }') s, agent up after $(awk -v a=$start -v b=$up 'BEGIN { printf "%.1f", b - a }') s"
	tr -d '\r' <"$(console_log $name)" | awk -v k=$kind '
		/^\[ *[0-9]+\.[0-9]+\]/ {
			t = substr($0, 2, index($0, "]") - 2) + 0
			if (t - last > 0.2) printf "  %s: +%.2f %s\n", k, t - last, substr($0, 1, 110)
			last = t
		}
		/Run \/init/ { printf "  %s: /init at %s\n", k, $2 }'
	xl destroy $name
	wait_gone $name 30
done
