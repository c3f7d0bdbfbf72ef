// SPDX-License-Identifier: GPL-2.0
/*
 * Platform hooks of a PV guest (x86_init / x86_platform / hypervisor_x86):
 * the memory map, the entry points Xen calls us through, interrupt setup
 * and the per-vCPU shared data.
 */
#include <linux/acpi.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/percpu.h>
#include <asm/e820/api.h>
#include <asm/hypervisor.h>
#include <asm/idtentry.h>
#include <asm/pgtable.h>
#include <asm/smp.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* Until shared_info is mapped: a vcpu_info with events masked. */
static struct vcpu_info xen_boot_vcpu_info = { .evtchn_upcall_mask = 1 };
static struct shared_info xen_boot_shared_info;

struct shared_info *HYPERVISOR_shared_info = &xen_boot_shared_info;
EXPORT_SYMBOL_GPL(HYPERVISOR_shared_info);
DEFINE_PER_CPU(struct vcpu_info *, xen_vcpu) = &xen_boot_vcpu_info;
EXPORT_PER_CPU_SYMBOL_GPL(xen_vcpu);
DEFINE_PER_CPU_ALIGNED(struct vcpu_info, xen_vcpu_info);
DEFINE_PER_CPU(u32, xen_vcpu_id);
EXPORT_PER_CPU_SYMBOL_GPL(xen_vcpu_id);
static DEFINE_PER_CPU(bool, xen_vcpu_info_placed);

/* ---- memory map ----------------------------------------------------------- */

static struct e820_entry xen_memmap[E820_MAX_ENTRIES_ZEROPAGE] __initdata;

/*
 * RAM the toolstack made room for (maxmem above memory) but Xen did not
 * populate: pfn ranges the balloon takes as already ballooned out.  The
 * room is capped: every page of it costs a struct page and direct-map
 * tables from the memory we do have.
 */
#define XEN_EXTRA_RANGES	8
#define XEN_EXTRA_RATIO		10

static struct {
	unsigned long start, end;	/* pfns */
} xen_extra[XEN_EXTRA_RANGES] __initdata;
static unsigned int xen_nr_extra __initdata;
static unsigned long xen_extra_end_pfn __initdata;

/*
 * The i-th unpopulated RAM range from the boot map, as far as the P2M
 * reaches (an empty range where it does not); false past the last.
 */
bool __init xen_boot_extra_ram(unsigned int i, unsigned long *start_pfn,
			       unsigned long *end_pfn)
{
	if (i >= xen_nr_extra)
		return false;
	*start_pfn = xen_extra[i].start;
	*end_pfn = max(*start_pfn, min(xen_extra[i].end, xen_p2m_size));
	return true;
}

/* The P2M must reach this pfn for the balloon to fill every range. */
unsigned long __init xen_boot_extra_end_pfn(void)
{
	return xen_extra_end_pfn;
}

/*
 * Keep [start, end) as RAM if the budget allows; how much of it was kept.
 * It stays reserved in memblock: no frame is behind it yet.
 */
static u64 __init xen_add_extra(u64 start, u64 end, u64 *budget)
{
	start = PFN_PHYS(PFN_UP(start));
	end = min_t(u64, PFN_PHYS(PFN_DOWN(end)), start + *budget);
	if (end <= start || xen_nr_extra == XEN_EXTRA_RANGES)
		return 0;
	xen_extra[xen_nr_extra].start = PFN_DOWN(start);
	xen_extra[xen_nr_extra].end = PFN_DOWN(end);
	xen_nr_extra++;
	xen_extra_end_pfn = max(xen_extra_end_pfn, PFN_DOWN(end));
	memblock_reserve(start, end - start);
	e820__range_add(start, end - start, E820_TYPE_RAM);
	*budget -= end - start;
	return end - start;
}

/*
 * Our RAM is the pseudo-physical range Xen populated: [0, nr_pages).  RAM
 * Xen describes beyond it is room to balloon up into: kept, reserved,
 * and handed to the balloon (xen_boot_extra_ram()).
 */
char * __init xen_pv_memory_setup(void)
{
	struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(xen_memmap) };
	phys_addr_t populated = PFN_PHYS(xen_start_info->nr_pages);
	u64 budget = populated * XEN_EXTRA_RATIO, extra = 0;
	unsigned int i;
	int rc;

	if (IS_ENABLED(CONFIG_XEN_DOM0) && xen_initial_domain())
		return xen_dom0_memory_setup();

	set_xen_guest_handle(map.buffer, xen_memmap);
	rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);
	if (rc < 0) {
		/*
		 * The toolstack set no map for us (Xen says "not
		 * implemented"): our memory is one block of RAM.
		 */
		pr_info("Xen: no memory map (%d): using [0, nr_pages)\n", rc);
		xen_memmap[0].addr = 0;
		xen_memmap[0].size = populated;
		xen_memmap[0].type = E820_TYPE_RAM;
		map.nr_entries = 1;
	}
	if (map.nr_entries > ARRAY_SIZE(xen_memmap)) {
		pr_warn("Xen: memory map truncated to %zu entries\n",
			ARRAY_SIZE(xen_memmap));
		map.nr_entries = ARRAY_SIZE(xen_memmap);
	}

	e820_table->nr_entries = 0;
	for (i = 0; i < map.nr_entries; i++) {
		u64 start = xen_memmap[i].addr;
		u64 end = start + xen_memmap[i].size;

		if (xen_memmap[i].type == E820_TYPE_RAM && end > populated) {
			extra += xen_add_extra(max(start, populated), end,
					       &budget);
			end = populated;
		}
		if (end > start)
			e820__range_add(start, end - start, xen_memmap[i].type);
	}
	e820__update_table(e820_table);
	if (extra)
		pr_info("Xen: %llu MiB of RAM to balloon into above the %llu MiB populated\n",
			extra >> 20, (u64)populated >> 20);
	return "Xen";
}

/* ---- callbacks -------------------------------------------------------------- */

/* 0 or Xen's error.  Registers for the calling vCPU only. */
static int xen_callback_register(unsigned int type, void *entry)
{
	struct callback_register cb = {
		.type = type,
		.address = (unsigned long)entry,
		.flags = CALLBACKF_mask_events,
	};

	/* The event callback unmasks through the iret of its return. */
	if (type == CALLBACKTYPE_event)
		cb.flags = 0;
	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static void __init xen_register_callback(unsigned int type, void *entry,
					 const char *name)
{
	int rc = xen_callback_register(type, entry);

	if (rc)
		panic("Xen: callback_op(register %s) failed: %d\n", name, rc);
}

/*
 * 32-bit user processes enter through int $0x80 (trap table) or, from the
 * vDSO, through SYSCALL or SYSENTER, whichever the CPU supports in compat
 * mode.  These two callbacks are per vCPU and, unlike the others, not part
 * of the context VCPUOP_initialise takes, so every CPU registers its own.
 * A fast path Xen refuses on the boot CPU is dropped from the vDSO's
 * choices (the vendor code sets the features later; clearing now sticks);
 * int $0x80 always works.
 */
void xen_pv_compat_entries(bool boot_cpu)
{
	if (!IS_ENABLED(CONFIG_IA32_EMULATION))
		return;
	if (xen_callback_register(CALLBACKTYPE_syscall32,
				  xen_pv_syscall32_entry)) {
		if (boot_cpu)
			setup_clear_cpu_cap(X86_FEATURE_SYSCALL32);
		else
			pr_warn("CPU%d: Xen refused the syscall32 callback\n",
				smp_processor_id());
	}
	if (xen_callback_register(CALLBACKTYPE_sysenter,
				  xen_pv_sysenter_entry)) {
		if (boot_cpu)
			setup_clear_cpu_cap(X86_FEATURE_SYSENTER32);
		else
			pr_warn("CPU%d: Xen refused the sysenter callback\n",
				smp_processor_id());
	}
}

void __init xen_pv_arch_setup(void)
{
	xen_register_callback(CALLBACKTYPE_event, xen_asm_sysvec_xen_pv_upcall,
			      "event");
	xen_register_callback(CALLBACKTYPE_failsafe, xen_pv_failsafe,
			      "failsafe");
	xen_register_callback(CALLBACKTYPE_syscall, xen_pv_syscall_entry,
			      "syscall");
	xen_pv_compat_entries(true);

	xen_pv_reserve_bootstrap();
	xen_pv_install_power_ops();
	if (IS_ENABLED(CONFIG_XEN_DOM0) && xen_initial_domain())
		xen_dom0_init_platform();

	/* A domU has no firmware tables; dom0 reads the host's. */
	if (!xen_initial_domain())
		disable_acpi();
}

void __init xen_pv_banner(void)
{
	unsigned int version = HYPERVISOR_xen_version(XENVER_version, NULL);
	xen_extraversion_t extra;

	if (HYPERVISOR_xen_version(XENVER_extraversion, extra))
		extra[0] = '\0';
	extra[sizeof(extra) - 1] = '\0';
	pr_info("Booting on Xen %u.%u%s as a PV %s\n", version >> 16,
		version & 0xffff, extra,
		xen_initial_domain() ? "control domain (dom0)" : "guest");
}

void __init xen_pv_pagetable_init(void)
{
	if (!xen_initial_domain())
		xen_p2m_extend(xen_boot_extra_end_pfn());
	paging_init();
	xen_pv_track_kernel_tables();
}

void __init xen_pv_init_irq(void)
{
	bool dom0 = IS_ENABLED(CONFIG_XEN_DOM0) && xen_initial_domain();

	if (dom0)
		xen_dom0_init_irq();
	xen_evtchn_init();
	if (dom0)
		xen_dom0_init_pirqs();
}

/* ---- per-vCPU data ----------------------------------------------------------- */

/*
 * Move a vCPU's vcpu_info from shared_info into per-CPU memory: it then
 * sits next to the rest of the CPU's data and vCPUs beyond the 32 slots
 * of shared_info work too.
 *
 * Xen accepts this once per vCPU, from the vCPU itself or while it is
 * down; a CPU coming back from hotplug keeps the place it got first.
 */
void xen_pv_place_vcpu_info(unsigned int cpu)
{
	struct vcpu_info *info = &per_cpu(xen_vcpu_info, cpu);
	struct vcpu_register_vcpu_info reg = {
		.mfn = xen_walk_virt_to_mfn(info),
		.offset = offset_in_page(info),
	};
	int rc;

	if (per_cpu(xen_vcpu_info_placed, cpu))
		return;
	per_cpu(xen_vcpu_info_placed, cpu) = true;
	per_cpu(xen_vcpu_id, cpu) = cpu;
	rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, cpu, &reg);
	if (rc) {
		/*
		 * The boot CPU's success switched every CPU to the per-CPU
		 * interrupt-flag ops; a CPU without its own copy would be
		 * masking the wrong vcpu_info.
		 */
		if (cpu >= XEN_LEGACY_MAX_VCPUS || cpu != 0)
			panic("Xen: vcpu_op(register_vcpu_info) for CPU %u failed: %d\n",
			      cpu, rc);
		per_cpu(xen_vcpu, cpu) = &HYPERVISOR_shared_info->vcpu_info[cpu];
		return;
	}
	per_cpu(xen_vcpu, cpu) = info;
}

/* Is the CPU's vcpu_info its own per-CPU copy (not a shared_info slot)? */
bool xen_pv_vcpu_info_placed(unsigned int cpu)
{
	return per_cpu(xen_vcpu, cpu) == &per_cpu(xen_vcpu_info, cpu);
}

/*
 * Resume in a new domain, on each CPU for itself: Xen forgot where our
 * vcpu_info is and uses the shared_info slot again.  Register the same
 * per-CPU copy; Xen fills it from the slot (events masked: the suspend
 * saved the slots so) and flags a rescan of everything pending.
 */
void xen_pv_replace_vcpu_info(void)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu_info *info = &per_cpu(xen_vcpu_info, cpu);
	struct vcpu_register_vcpu_info reg = {
		.mfn = xen_walk_virt_to_mfn(info),
		.offset = offset_in_page(info),
	};
	int rc;

	rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, xen_vcpu_nr(cpu),
				&reg);
	if (rc)
		panic("Xen: resume: vcpu_op(register_vcpu_info) for CPU %u failed: %d\n",
		      cpu, rc);
}

static void __init xen_pv_smp_prepare_boot_cpu(void)
{
	unsigned int cpu;

	native_smp_prepare_boot_cpu();
	/*
	 * Every vCPU counted exists: present before the alternatives are
	 * applied, which would otherwise patch the kernel for one CPU and
	 * back at the first bring-up (half a second each under emulation).
	 */
	for_each_possible_cpu(cpu) {
		set_cpu_present(cpu, true);
		/*
		 * No local APIC of its own: Xen's CPUID shows APIC id 0 on
		 * every vCPU, so that is the id on record for each, as for
		 * the boot CPU (a secondary whose id differs from the
		 * firmware's is reported as a firmware bug).
		 */
		per_cpu(x86_cpu_to_apicid, cpu) = 0;
		per_cpu(x86_bios_cpu_apicid, cpu) = 0;
	}
	xen_pv_place_vcpu_info(0);
	/* Before paravirt patching, so the patched call sites get these. */
	if (per_cpu(xen_vcpu, 0) == &per_cpu(xen_vcpu_info, 0))
		xen_pv_install_percpu_irq_ops();
}

static void __init xen_pv_init_platform(void)
{
	xen_pv_install_smp_ops();
	smp_ops.smp_prepare_boot_cpu = xen_pv_smp_prepare_boot_cpu;
}

static u32 __init xen_pv_detect(void)
{
	return xen_pv_domain() ? 1 : 0;
}

const __initconst struct hypervisor_x86 x86_hyper_xen_pv = {
	.name			= "Xen PV",
	.detect			= xen_pv_detect,
	.type			= X86_HYPER_XEN_PV,
	.init.init_platform	= xen_pv_init_platform,
	.ignore_nopv		= true,
};

/*
 * ACPI asks whether a processor object has a physical CPU behind it; only
 * the control domain reads the host's ACPI tables, and it does not yet
 * manage physical CPUs, so none is reported.
 */
bool xen_processor_present(u32 acpi_id)
{
	return false;
}
