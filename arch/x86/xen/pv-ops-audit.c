// SPDX-License-Identifier: GPL-2.0
/*
 * A boot-time audit of the paravirt hooks a PV kernel runs on.
 *
 * pv_ops is a table of function pointers (a callee-save thunk is one
 * pointer too) that pv-cpu.c, pv-irq.c, mmu.c and multicall.c fill with
 * their Xen versions over native defaults.  Two kinds of slot are bugs waiting for
 * the first caller, and that caller may be any local user who finds the
 * path (a call through NULL on a rarely taken path once looked like one,
 * Documentation/xen/testing.rst):
 *
 *  - a NULL slot: its call sites are patched to paravirt_BUG, or called
 *    through NULL if they are not patched;
 *  - a slot pointing into init text, which is freed at the end of boot.
 *
 * A third, a slot pointing anywhere but kernel text, would be a corrupted
 * table.  The audit runs as a core initcall: after the table's writers
 * (all in xen_pv_start_kernel's install steps), the patching of the
 * kernel's own call sites and SMP bring-up, before any module is loaded
 * and patched against the table.  A bad slot panics the boot, naming its
 * place (slot index, byte offset and the functions either side of it, as
 * no names are kept for the slots).
 *
 * Nothing here comes from outside the kernel: the table is ours, read by
 * ourselves; pv-kunit.c feeds the checker tables of its own.
 */
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <asm/paravirt_types.h>
#include <asm/sections.h>

#include <asm/xen/guest.h>
#include <xen/xen.h>

#include "xen-pv.h"

/* What is wrong with one slot's value, or NULL if nothing. */
const char *xen_pv_ops_slot_fault(const void *fn)
{
	unsigned long addr = (unsigned long)fn;

	if (!fn)
		return "NULL";
	/* Before core_kernel_text(): it accepts init text until it is freed. */
	if (is_kernel_inittext(addr))
		return "in init text";
	if (!core_kernel_text(addr))
		return "outside kernel text";
	return NULL;
}

/* Index of the first bad slot of @tab at or after @from, or @n if none. */
size_t xen_pv_ops_next_fault(const void *const *tab, size_t n, size_t from)
{
	for (; from < n; from++)
		if (xen_pv_ops_slot_fault(tab[from]))
			break;
	return from;
}

static void __init pvaudit_report(const void *const *tab, size_t n, size_t i)
{
	const void *before = i ? tab[i - 1] : NULL;
	const void *after = i + 1 < n ? tab[i + 1] : NULL;

	pr_err("xen: pv_ops slot %zu (byte %zu, between %pS and %pS) is %s: %ps\n",
	       i, i * sizeof(void *), before, after,
	       xen_pv_ops_slot_fault(tab[i]), tab[i]);
}

/*
 * The slots a call site can reach: the lock ops have call sites only with
 * CONFIG_PARAVIRT_SPINLOCKS, and are left NULL without it (by
 * paravirt.c's own initializer as well as by us).
 */
size_t xen_pv_ops_reachable(void)
{
	BUILD_BUG_ON(sizeof(pv_ops) % sizeof(void *));
	BUILD_BUG_ON(offsetof(struct paravirt_patch_template, lock) +
		     sizeof(pv_ops.lock) != sizeof(pv_ops));
	if (IS_ENABLED(CONFIG_PARAVIRT_SPINLOCKS))
		return sizeof(pv_ops) / sizeof(void *);
	return offsetof(struct paravirt_patch_template, lock) / sizeof(void *);
}

static int __init pvaudit_run(void)
{
	const void *const *tab = (const void *const *)&pv_ops;
	size_t n = xen_pv_ops_reachable();
	size_t i, bad = 0;

	if (!xen_pv_domain())
		return 0;
	for (i = xen_pv_ops_next_fault(tab, n, 0); i < n;
	     i = xen_pv_ops_next_fault(tab, n, i + 1)) {
		pvaudit_report(tab, n, i);
		bad++;
	}
	if (bad)
		panic("xen: %zu of %zu pv_ops slots unusable\n", bad, n);
	pr_info("xen: pv_ops audit: %zu slots, all in kernel text\n", n);
	return 0;
}
core_initcall(pvaudit_run);
