# A PV guest boots to userspace and tells us about itself: kernel version,
# vCPUs and memory as the guest sees them, its console through xenconsoled.
# On failure the hypervisor's log (xl dmesg) shows why a guest died early.
. /tests/lib/xtest.sh
name=boot
cfg=/tmp/$name.cfg
vcpus=${XTEST_VCPUS:-1}
mem=${XTEST_MEM:-128}
trap 'cleanup_domain $name' EXIT

dump() {
	echo "  --- xl dmesg (tail)"
	xl dmesg | tail -n 40 | sed 's/^/    | /'
	echo "  --- guest console"
	tr -d '\r' <"$(console_log $name)" 2>/dev/null | tail -n 60 | sed 's/^/    | /'
	xl list
}

rm -f "$(console_log $name)"
tasks=sysinfo
# 32-bit userland: our kernel has IA32 emulation, the reference's config not.
[ "$XTEST_DOMU" = ours ] && tasks=sysinfo,compat32
write_cfg $cfg $name $tasks "vcpus = $vcpus" "memory = $mem" "extra += earlyprintk=xen"
# Early messages go to the console ring too, for a guest that dies young.
xl create $cfg || { fail "xl create"; dump; exit 1; }
line=$(wait_console $name 'AGENT: up ' 120) || { fail "guest never reached userspace"; dump; exit 1; }
say "guest: ${line#AGENT: up }"
case $line in
*"kernel=6.1."*"-$XTEST_DOMU "*) ;;
*) fail "guest runs the wrong kernel (want the $XTEST_DOMU one)"; exit 1 ;;
esac
case $line in
*" cpus=$vcpus "*) ;;
*) fail "guest sees the wrong number of vCPUs (want $vcpus)"; exit 1 ;;
esac
kb=${line##*mem_kb=}
[ "$kb" -gt $((mem * 1024 * 80 / 100)) ] && [ "$kb" -le $((mem * 1024)) ] ||
	{ fail "guest MemTotal $kb kB for $mem MiB"; exit 1; }

# /sys/hypervisor describes this hypervisor and domain.
line=$(wait_console $name 'AGENT: hyp ' 30) || { fail "no /sys/hypervisor report"; exit 1; }
say "${line#AGENT: }"
uuid=$(xl list -v $name | awk -v n=$name '$1 == n { print $7 }')
case $line in
*"type=xen version=4.17 uuid=$uuid") ;;
*) fail "/sys/hypervisor does not match (want xen 4.17, uuid $uuid)"; exit 1 ;;
esac
# Event channels show up as interrupts, and the timer ticks.
line=$(wait_console $name 'AGENT: irqs ' 30) || { fail "no /proc/interrupts report"; exit 1; }
say "${line#AGENT: }"
ticks=${line##*timer0=}
[ "${ticks:-0}" -gt 0 ] || { fail "no timer interrupts in /proc/interrupts"; exit 1; }
case $line in
*"evtchn=0 "*) fail "no xen-evtchn interrupts listed"; exit 1 ;;
esac

if [ "$XTEST_DOMU" = ours ]; then
	line=$(wait_console $name 'AGENT: compat32' 60) || { fail "no 32-bit process report"; exit 1; }
	say "32-bit process: ${line#AGENT: compat32}"
	[ "$line" = "AGENT: compat32 int80 ok vsyscall ok" ] ||
		{ fail "32-bit system calls (int \$0x80, vDSO) broken"; exit 1; }
fi

xl destroy $name && wait_gone $name 30 || { fail "xl destroy"; exit 1; }
say "destroyed"
