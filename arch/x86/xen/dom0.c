// SPDX-License-Identifier: GPL-2.0
/*
 * The control domain's share of the platform, besides its memory map
 * (dom0-memory.c):
 *
 *  - interrupts: Xen owns every APIC.  GSIs keep their numbers as irqs:
 *    the dynamic irqs of event channels start above the GSI range, which
 *    the MADT's IOAPIC entries give (their sizes read through Xen,
 *    PHYSDEVOP_apic_read); ACPI's GSI registration goes to Xen as PIRQs
 *    (drivers/xen/events/pirq.c), with the trigger mode and polarity of
 *    the MADT's interrupt source overrides where the firmware gave one;
 *    the legacy ISA irqs, the ACPI SCI among them, are registered up
 *    front because their users request them by number;
 *  - time: setting the clock here sets the host's (XENPF_settime64), so
 *    guests created afterwards start with it;
 *  - the end: ACPI sleep states, S5 included, are entered by Xen
 *    (XENPF_enter_acpi_sleep), so a poweroff turns the machine off
 *    instead of leaving Xen halted.
 *
 * The firmware tables are trusted as the hardware's description, as on
 * bare metal; Xen's answers likewise.
 */
#define pr_fmt(fmt) "xen-dom0: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/pvclock_gtod.h>
#include <linux/reboot.h>
#include <linux/timekeeper_internal.h>
#include <linux/workqueue.h>
#include <asm/io_apic.h>
#include <asm/reboot.h>
#include <asm/x86_init.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/interface/platform.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* An IOAPIC whose size Xen will not tell: the common 24 pins. */
#define XEN_DEFAULT_IOAPIC_PINS	24

/* ---- interrupts ------------------------------------------------------------ */

/* What the MADT says of a GSI, when it says anything. */
struct xen_gsi_override {
	bool valid;
	bool level;
	bool active_low;
	u8 isa_irq;
};

static struct xen_gsi_override xen_overrides[NR_IRQS_LEGACY] __ro_after_init;

static int __init xen_parse_ioapic(union acpi_subtable_headers *header,
				   const unsigned long end)
{
	struct acpi_madt_io_apic *io = (struct acpi_madt_io_apic *)header;
	struct physdev_apic apic = { .apic_physbase = io->address, .reg = 1 };
	unsigned int pins = XEN_DEFAULT_IOAPIC_PINS;

	/* The version register: bits 16-23 hold the highest pin. */
	if (!HYPERVISOR_physdev_op(PHYSDEVOP_apic_read, &apic))
		pins = ((apic.value >> 16) & 0xff) + 1;
	gsi_top = max(gsi_top, io->global_irq_base + pins);
	return 0;
}

static int __init xen_parse_override(union acpi_subtable_headers *header,
				     const unsigned long end)
{
	struct acpi_madt_interrupt_override *o =
		(struct acpi_madt_interrupt_override *)header;
	struct xen_gsi_override *ov;
	u16 polarity = o->inti_flags & ACPI_MADT_POLARITY_MASK;
	u16 trigger = o->inti_flags & ACPI_MADT_TRIGGER_MASK;

	if (o->global_irq >= NR_IRQS_LEGACY)
		return 0;	/* only legacy lines are overridden in practice */
	ov = &xen_overrides[o->global_irq];
	ov->valid = true;
	ov->isa_irq = o->source_irq;
	/* "Conforming" means the bus's default: edge, active high for ISA. */
	ov->level = trigger == ACPI_MADT_TRIGGER_LEVEL;
	ov->active_low = polarity == ACPI_MADT_POLARITY_ACTIVE_LOW;
	return 0;
}

/* ACPI's __acpi_register_gsi for PCI and platform devices. */
static int xen_dom0_register_gsi(struct device *dev, u32 gsi, int trigger,
				 int polarity)
{
	bool level = trigger == ACPI_LEVEL_SENSITIVE;
	bool low = polarity == ACPI_ACTIVE_LOW;

	/*
	 * The firmware's word on how the IOAPIC pin is wired beats what a
	 * PCI interrupt link, evaluated in PIC mode, says about the line.
	 */
	if (gsi < NR_IRQS_LEGACY && xen_overrides[gsi].valid) {
		level = xen_overrides[gsi].level;
		low = xen_overrides[gsi].active_low;
	}
	return xen_pirq_register_gsi(gsi, level, low);
}

/*
 * ISA irq N is GSI N unless an override moved it; a moved one (the timer,
 * IRQ0 -> GSI 2) belongs to Xen.  Xen also keeps lines it drives itself
 * (its serial port); those fail to map and are skipped.
 */
static void __init xen_register_legacy_irqs(void)
{
	unsigned int gsi, n = 0;

	for (gsi = 1; gsi < NR_IRQS_LEGACY && gsi < gsi_top; gsi++) {
		struct xen_gsi_override *ov = &xen_overrides[gsi];

		if (gsi == 2 || (ov->valid && ov->isa_irq != gsi))
			continue;
		if (xen_pirq_register_gsi(gsi, ov->valid && ov->level,
					  ov->valid && ov->active_low) >= 0)
			n++;
	}
	pr_info("%u GSIs, %u legacy irqs through Xen\n", gsi_top, n);
}

/* At init_IRQ time, before any event channel gets a (dynamic) irq. */
void __init xen_dom0_init_irq(void)
{
	if (acpi_disabled ||
	    acpi_table_parse_madt(ACPI_MADT_TYPE_IO_APIC, xen_parse_ioapic, 0) <= 0)
		gsi_top = NR_IRQS_LEGACY;
	if (!acpi_disabled)
		acpi_table_parse_madt(ACPI_MADT_TYPE_INTERRUPT_OVERRIDE,
				      xen_parse_override, 0);
	__acpi_register_gsi = xen_dom0_register_gsi;
	__acpi_unregister_gsi = NULL;
}

/* After the event channel core is up. */
void __init xen_dom0_init_pirqs(void)
{
	xen_pirq_init();
	xen_register_legacy_irqs();
}

/* ---- time -------------------------------------------------------------------- */

static struct xenpf_settime64 xen_settime;
static DEFINE_SPINLOCK(xen_settime_lock);

static void xen_settime_fn(struct work_struct *work)
{
	struct xen_platform_op op = {
		.cmd = XENPF_settime64,
		.interface_version = XENPF_INTERFACE_VERSION,
	};
	int rc;

	spin_lock_irq(&xen_settime_lock);
	op.u.settime64 = xen_settime;
	spin_unlock_irq(&xen_settime_lock);
	rc = HYPERVISOR_platform_op(&op);
	if (rc)
		pr_warn("XENPF_settime64 failed: %d\n", rc);
}

static DECLARE_WORK(xen_settime_work, xen_settime_fn);

/*
 * Runs inside the timekeeping update, so the time is taken from the
 * timekeeper itself; the hypercall waits for a work item.
 */
static int xen_clock_was_set(struct notifier_block *nb, unsigned long was_set,
			     void *priv)
{
	struct timekeeper *tk = priv;
	unsigned long flags;

	if (!was_set)
		return NOTIFY_OK;
	spin_lock_irqsave(&xen_settime_lock, flags);
	xen_settime.secs = tk->xtime_sec;
	xen_settime.nsecs = tk->tkr_mono.xtime_nsec >> tk->tkr_mono.shift;
	xen_settime.mbz = 0;
	xen_settime.system_time = xen_pv_clock_ns();
	spin_unlock_irqrestore(&xen_settime_lock, flags);
	schedule_work(&xen_settime_work);
	return NOTIFY_OK;
}

static struct notifier_block xen_clock_nb = {
	.notifier_call = xen_clock_was_set,
};

/* ---- ACPI sleep and poweroff ------------------------------------------------- */

static int xen_acpi_sleep(u8 state, u32 val_a, u32 val_b, bool extended)
{
	struct xen_platform_op op = {
		.cmd = XENPF_enter_acpi_sleep,
		.interface_version = XENPF_INTERFACE_VERSION,
		.u.enter_acpi_sleep = {
			.val_a = val_a,
			.val_b = val_b,
			.sleep_state = state,
			.flags = extended ? XENPF_ACPI_SLEEP_EXTENDED : 0,
		},
	};
	int rc;

	if (WARN_ON((val_a | val_b) >> 16))
		return -EINVAL;
	rc = HYPERVISOR_platform_op(&op);
	if (rc) {
		pr_err("XENPF_enter_acpi_sleep(S%u) failed: %d\n", state, rc);
		return rc;
	}
	/* Positive: the hardware registers are not to be written by ACPI. */
	return 1;
}

static int xen_acpi_prepare_sleep(u8 state, u32 pm1a, u32 pm1b)
{
	return xen_acpi_sleep(state, pm1a, pm1b, false);
}

static int xen_acpi_prepare_extended_sleep(u8 state, u32 type_a, u32 type_b)
{
	return xen_acpi_sleep(state, type_a, type_b, true);
}

/* Poweroff itself is ACPI S5 through these (power.c). */
void __init xen_dom0_init_platform(void)
{
#ifdef CONFIG_PCI_MSI
	x86_init.irqs.create_pci_msi_domain = xen_pirq_create_msi_domain;
#endif
	acpi_os_set_prepare_sleep(xen_acpi_prepare_sleep);
	acpi_os_set_prepare_extended_sleep(xen_acpi_prepare_extended_sleep);
}

/*
 * Once work items can run.  Registering reports the current time once,
 * which sets the host's clock to what it already is.
 */
static int __init xen_dom0_clock_init(void)
{
	if (xen_initial_domain())
		pvclock_gtod_register_notifier(&xen_clock_nb);
	return 0;
}
late_initcall(xen_dom0_clock_init);
