# The ACPI power button (QEMU's system_powerdown, sent by the harness when
# it reads the line below) shuts dom0 down in order: the SCI reaches dom0
# as a PIRQ, ACPI's button driver reports the press, busybox's acpid runs
# the shutdown, and ACPI S5 through Xen turns the machine off, so QEMU
# exits by itself.  The harness checks the log for all of it.
. /tests/lib/xtest.sh
mkdir -p /etc/acpi/PWRF
cat >/etc/acpi/PWRF/00000080 <<'HANDLER'
#!/bin/sh
# acpid runs this with its own output: say it on the console.
exec >/dev/console 2>&1
echo "XTEST: power button pressed: orderly shutdown"
xl list >/dev/null && echo "XTEST-RESULT: PASS dom0-powerbutton"
sync
poweroff -f
HANDLER
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log || { fail "acpid"; exit 1; }
grep -q 'Power Button' /proc/bus/input/devices 2>/dev/null ||
	say "no power button input device listed"
echo "XTEST: press the power button"
sleep 120
fail "no power button event within 120 s"
cat /tmp/acpid.log 2>/dev/null | sed 's/^/    | /'
exit 1
