// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of a PV boot: xen_pv_entry (xen-head.S) lands here on vCPU 0
 * with Xen's bootstrap page tables, no trap table and events masked.
 *
 * The order matters:
 *  1. remember start_info and learn what Xen offers (features, P2M, M2P);
 *  2. switch the x86 paravirt hooks (pv_ops) and platform hooks (x86_init,
 *     x86_platform) to their Xen versions, so generic code that runs later
 *     asks Xen instead of touching hardware;
 *  3. move onto the kernel's own page tables (mmu-boot.c) and map
 *     shared_info;
 *  4. fill boot_params from start_info and continue into the generic
 *     x86-64 start path, exactly as a bare-metal boot would.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <asm/bootparam.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/i8259.h>
#include <asm/pci_x86.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/x86_init.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* Set by xen_pv_entry before any C runs, so it must not live in .bss. */
struct start_info *xen_start_info __section(".data");
unsigned int xen_domain_flags __ro_after_init;
EXPORT_SYMBOL(xen_domain_flags);

static void __init xen_pv_fill_boot_params(void)
{
	struct setup_header *hdr = &boot_params.hdr;

	/* Our own loader type, and a header version new enough for setup_arch. */
	hdr->type_of_loader = (9 << 4) | 0;
	hdr->version = 0x020f;
	hdr->hardware_subarch = X86_SUBARCH_XEN;

	strscpy(boot_command_line, xen_start_info->cmd_line,
		min_t(size_t, COMMAND_LINE_SIZE, MAX_GUEST_CMDLINE));
	hdr->cmd_line_ptr = __pa_symbol(boot_command_line);

	/* XEN_ELFNOTE_MOD_START_PFN: mod_start is a frame number. */
	if (xen_start_info->mod_start) {
		u64 start = PFN_PHYS((u64)xen_start_info->mod_start);

		hdr->ramdisk_image = lower_32_bits(start);
		boot_params.ext_ramdisk_image = upper_32_bits(start);
		hdr->ramdisk_size = lower_32_bits(xen_start_info->mod_len);
		boot_params.ext_ramdisk_size =
			upper_32_bits(xen_start_info->mod_len);
	}
}

static void __init xen_pv_cpu_caps(void)
{
	setup_force_cpu_cap(X86_FEATURE_XENPV);
	/*
	 * Things a PV guest cannot drive itself: Xen owns the APIC, the
	 * MTRRs, machine checks and thermal control, and does not let a PV
	 * kernel set CR4.FSGSBASE.
	 */
	setup_clear_cpu_cap(X86_FEATURE_APIC);
	setup_clear_cpu_cap(X86_FEATURE_X2APIC);
	setup_clear_cpu_cap(X86_FEATURE_MTRR);
	setup_clear_cpu_cap(X86_FEATURE_ACC);
	setup_clear_cpu_cap(X86_FEATURE_MCE);
	setup_clear_cpu_cap(X86_FEATURE_MCA);
	setup_clear_cpu_cap(X86_FEATURE_DCA);
	setup_clear_cpu_cap(X86_FEATURE_APERFMPERF);
	setup_clear_cpu_cap(X86_FEATURE_FSGSBASE);
	setup_clear_cpu_cap(X86_FEATURE_TSC_DEADLINE_TIMER);
	setup_clear_cpu_cap(X86_FEATURE_MWAIT);
	setup_clear_cpu_cap(X86_FEATURE_PCID);
	setup_clear_cpu_cap(X86_FEATURE_INVPCID);
	setup_clear_cpu_cap(X86_FEATURE_PKU);
	setup_clear_cpu_cap(X86_FEATURE_LA57);
}

/*
 * Virtual IOPL 1, per vCPU: port I/O from the kernel is then emulated by
 * Xen (ports a domU does not own read as all ones) instead of faulting.
 */
void xen_pv_enable_port_io(void)
{
	struct physdev_set_iopl iopl = { .iopl = 1 };

	xen_boot_check("physdev_op(set_iopl)",
		       HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl));
}

static int xen_pv_no_pci(void)
{
	/* A domU has no PCI bus of its own: skip the config-space probes. */
	return 0;
}

static void __init xen_pv_platform_hooks(void)
{
	/* No PCI BIOS for a PV guest; no PCI bus at all for a domU. */
	pci_probe &= ~PCI_PROBE_BIOS;
	if (!xen_initial_domain())
		pci_probe = 0;

	x86_init.resources.memory_setup = xen_pv_memory_setup;
	x86_init.resources.probe_roms = x86_init_noop;
	x86_init.mpparse.find_smp_config = x86_init_noop;
	x86_init.mpparse.get_smp_config = xen_pv_count_vcpus;
	x86_init.irqs.intr_init = xen_pv_init_irq;
	x86_init.irqs.intr_mode_select = x86_init_noop;
	x86_init.irqs.intr_mode_init = x86_init_noop;
	x86_init.oem.arch_setup = xen_pv_arch_setup;
	x86_init.oem.banner = xen_pv_banner;
	x86_init.paging.pagetable_init = xen_pv_pagetable_init;
	x86_init.timers.timer_init = xen_pv_time_init;
	x86_init.timers.setup_percpu_clockev = x86_init_noop;
	x86_init.timers.wallclock_init = x86_init_noop;
	if (!xen_initial_domain())
		x86_init.pci.arch_init = xen_pv_no_pci;

	x86_platform.calibrate_tsc = xen_pv_tsc_khz;
	x86_platform.calibrate_cpu = xen_pv_tsc_khz;
	x86_platform.get_wallclock = xen_pv_get_wallclock;
	x86_platform.set_wallclock = xen_pv_set_wallclock;
	x86_platform.realmode_reserve = x86_init_noop;
	x86_platform.realmode_init = x86_init_noop;
	x86_platform.legacy.rtc = 0;
	x86_platform.legacy.reserve_bios_regions = 0;

	/* Interrupts come through event channels, never the 8259. */
	legacy_pic = &null_legacy_pic;
}

asmlinkage __visible void __init xen_pv_start_kernel(void)
{
	if (!xen_start_info ||
	    strncmp(xen_start_info->magic, "xen-3.0", 7) != 0) {
		static const char msg[] = "Linux: not started by Xen\n";

		HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
		for (;;)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}

	xen_domain_flags = XEN_DOMAIN_GUEST | XEN_DOMAIN_PV;
	if (xen_start_info->flags & SIF_INITDOMAIN)
		xen_domain_flags |= XEN_DOMAIN_CONTROL;

	xen_read_features();
	xen_p2m_init_boot();

	xen_pv_install_cpu_ops();
	xen_pv_install_irq_ops();
	xen_pv_install_mmu_ops();
	xen_pv_cpu_caps();
	xen_pv_platform_hooks();

	xen_pv_hook_iret();
	xen_pv_adopt_pagetables();
	xen_pv_setup_boot_gdt();
	xen_pv_map_shared_info();

	/* Let Xen emulate stray direct writes to our read-only page tables. */
	xen_boot_check("vm_assist(writable_pagetables)",
		       HYPERVISOR_vm_assist(VMASST_CMD_enable,
					    VMASST_TYPE_writable_pagetables));

	xen_pv_enable_port_io();

	xen_pv_fill_boot_params();
	cr4_init_shadow();

	x86_64_start_reservations((char *)__pa_symbol(&boot_params));
}
