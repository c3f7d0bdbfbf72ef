// SPDX-License-Identifier: GPL-2.0
/*
 * The PV MMU: page tables that Xen validates.
 *
 * Every page-table page of an address space that is live on some CPU is
 * "pinned": typed as an L1..L4 table by Xen, mapped read-only in the
 * guest, and changed only through mmu_update (or, for stray direct writes,
 * Xen's writable-page-table emulation).  Entries hold machine frames; the
 * make_pte/pte_val family translate to and from the pfns generic code uses.
 *
 * Pinning is lazy, per mm: while a new address space is being built (fork
 * copying PTEs) its tables are ordinary writable memory and written
 * directly; it is pinned in one batch when it is about to be used
 * (dup_mmap's end, exec's activate_mm, or at the latest when it is loaded
 * into CR3), and unpinned when it is torn down (exit_mmap, unless another
 * CPU still runs on it lazily: then at pgd_free), so process exit
 * usually frees its page tables with plain stores too.  PG_pinned on a table
 * page says which regime it is in.
 *
 * A 64-bit PV guest also needs a second top-level table per process: Xen
 * runs user mode on a "user" L4 that maps only the user half.  It hangs off
 * the kernel pgd's struct page (page->private) and mirrors its user half.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/smp.h>
#include <asm/mmu_context.h>
#include <asm/paravirt.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include "xen-pv.h"

/*
 * Top-level slots of the user half.  Xen fills slots 256-271 of every L4 it
 * validates with its own mappings; they are never ours to walk.
 */
#define XEN_USER_PGD_PTRS	(PTRS_PER_PGD / 2)

/* struct pages exist and PG_pinned is kept for every table page. */
bool xen_pt_pages_tracked __read_mostly;

/* Until then: a table page known writable (xen_boot_table_live()). */
static unsigned long xen_boot_filling;

/* A page's access changes: what xen_boot_table_live() knew may not hold. */
static void xen_boot_forget(void)
{
	if (!xen_pt_pages_tracked)
		xen_boot_filling = 0;
}

/* The pseudo-physical CR3 each CPU runs on, or will once its queue goes. */
DEFINE_PER_CPU(unsigned long, xen_cr3);

/*
 * The CR3 Xen still has loaded while a switch away from it sits in the
 * multicall queue (a context switch batches it); 0 once the queue is issued.
 * Another CPU tearing down that address space must treat this CPU as still
 * on it.
 */
DEFINE_PER_CPU(unsigned long, xen_cr3_queued_from);

/* ---- pfn <-> mfn in entries --------------------------------------------- */

static pteval_t xen_entry_to_machine(pteval_t val)
{
	unsigned long pfn, mfn;

	if (!(val & _PAGE_PRESENT))
		return val;
	pfn = (val & PTE_PFN_MASK) >> PAGE_SHIFT;
	mfn = pfn_to_mfn(pfn);
	if (mfn == XEN_INVALID_MFN) {
		/* Past our memory: I/O space of the control domain. */
		if (pfn < xen_p2m_size || !xen_initial_domain())
			return 0;
		mfn = pfn;
	}
	return (val & ~PTE_PFN_MASK) | ((pteval_t)mfn << PAGE_SHIFT);
}

static pteval_t xen_entry_from_machine(pteval_t val)
{
	unsigned long mfn, pfn;

	if (!(val & _PAGE_PRESENT))
		return val;
	mfn = (val & PTE_PFN_MASK) >> PAGE_SHIFT;
	pfn = mfn_to_pfn(mfn);
	/* Not one of ours (foreign or I/O): show the frame as it is. */
	if (pfn == XEN_INVALID_MFN)
		pfn = mfn;
	return (val & ~PTE_PFN_MASK) | ((pteval_t)pfn << PAGE_SHIFT);
}

__visible pteval_t xen_pv_pte_val(pte_t pte)
{
	return xen_entry_from_machine(pte.pte);
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_pte_val);

__visible pte_t xen_pv_make_pte(pteval_t val)
{
	return native_make_pte(xen_entry_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_make_pte);

__visible pmdval_t xen_pv_pmd_val(pmd_t pmd)
{
	return xen_entry_from_machine(pmd.pmd);
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_pmd_val);

__visible pmd_t xen_pv_make_pmd(pmdval_t val)
{
	return native_make_pmd(xen_entry_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_make_pmd);

__visible pudval_t xen_pv_pud_val(pud_t pud)
{
	return xen_entry_from_machine(pud.pud);
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_pud_val);

__visible pud_t xen_pv_make_pud(pudval_t val)
{
	return native_make_pud(xen_entry_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_make_pud);

__visible pgdval_t xen_pv_pgd_val(pgd_t pgd)
{
	return xen_entry_from_machine(pgd.pgd);
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_pgd_val);

__visible pgd_t xen_pv_make_pgd(pgdval_t val)
{
	return native_make_pgd(xen_entry_to_machine(val));
}

PV_CALLEE_SAVE_REGS_THUNK(xen_pv_make_pgd);

/* ---- read-only mappings of table pages ---------------------------------- */

/*
 * Point the kernel mapping at VA (direct map or vmalloc) at MFN, read-only
 * or writable, keeping its NX bit.  Nothing to do where VA is unmapped.
 */
void xen_set_va_access(unsigned long va, unsigned long mfn, bool writable)
{
	unsigned int level;
	pte_t *pte;
	pteval_t val;

	xen_boot_forget();
	pte = lookup_address(va, &level);
	if (!pte || !(native_pte_val(*pte) & _PAGE_PRESENT))
		return;
	val = ((pteval_t)mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED |
	      (native_pte_val(*pte) & _PAGE_NX);
	if (writable)
		val |= _PAGE_RW | _PAGE_DIRTY;
	xen_boot_check(writable ? "update_va_mapping(rw)" :
				  "update_va_mapping(ro)",
		       HYPERVISOR_update_va_mapping(va, val, UVMF_INVLPG));
}

/* The frame's direct-map alias, if it has one (not yet mapped: none). */
static void xen_set_frame_access(unsigned long mfn, bool writable)
{
	unsigned long pfn = mfn_to_pfn(mfn);

	if (pfn == XEN_INVALID_MFN)
		return;
	xen_set_va_access((unsigned long)__va(PFN_PHYS(pfn)), mfn, writable);
}

void xen_make_frame_readonly(unsigned long mfn)
{
	xen_set_frame_access(mfn, false);
}

void xen_make_frame_writable(unsigned long mfn)
{
	xen_set_frame_access(mfn, true);
}

/* Batched variant for pinning walks: no flush per page. */
static void xen_queue_page_access(void *va, bool writable)
{
	pteval_t val = ((pteval_t)virt_to_mfn(va) << PAGE_SHIFT) |
		       _PAGE_PRESENT | _PAGE_ACCESSED | (__supported_pte_mask & _PAGE_NX);

	if (writable)
		val |= _PAGE_RW | _PAGE_DIRTY;
	xen_boot_forget();
	xen_mc_update_va_mapping((unsigned long)va, val, UVMF_NONE);
}

/*
 * Before struct pages carry PG_pinned (early boot), the kernel mapping
 * of the table page says it: Xen lets no live table be mapped writable,
 * so a page mapped writable is one init_mem_mapping() is still filling
 * and takes plain stores.  (An mmu_update per entry made mapping 1 GiB
 * of memory cost 262144 hypercalls: six seconds under emulation.)  The
 * page last found writable is remembered, as its 512 entries come one
 * after the other; any change of a page's access forgets it.
 */
static bool xen_boot_table_live(const void *table)
{
	const pteval_t rw = _PAGE_PRESENT | _PAGE_RW;
	unsigned long page = (unsigned long)table & PAGE_MASK;
	unsigned int level;
	pte_t *pte;

	if (page == xen_boot_filling)
		return false;
	pte = lookup_address(page, &level);
	if (!pte || (native_pte_val(*pte) & rw) != rw)
		return true;
	xen_boot_filling = page;
	return false;
}

static bool xen_table_pinned(const void *table)
{
	if (!xen_pt_pages_tracked)
		return xen_boot_table_live(table);
	return PagePinned(virt_to_page(table));
}

/* ---- entry writes --------------------------------------------------------- */

static void xen_write_entry(void *entry, u64 val)
{
	if (!xen_table_pinned(entry)) {
		WRITE_ONCE(*(u64 *)entry, val);
		return;
	}
	xen_mmu_update(virt_to_machine(entry) | MMU_NORMAL_PT_UPDATE, val);
}

static void xen_pv_set_pte(pte_t *ptep, pte_t pte)
{
	xen_write_entry(ptep, pte.pte);
}

static void xen_pv_set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	xen_write_entry(pmdp, pmd.pmd);
}

static void xen_pv_set_pud(pud_t *pudp, pud_t pud)
{
	xen_write_entry(pudp, pud.pud);
}

static pgd_t *xen_user_pgd(pgd_t *pgd)
{
	struct page *page = virt_to_page(pgd);

	return (pgd_t *)page_private(page);
}

/* A top-level entry; user-half entries go to the user L4 as well. */
static void xen_pv_set_p4d(p4d_t *p4dp, p4d_t p4d)
{
	pgd_t *pgdp = (pgd_t *)p4dp;
	unsigned long idx = offset_in_page(pgdp) / sizeof(pgd_t);
	pgd_t *user = NULL;

	if (xen_pt_pages_tracked && idx < XEN_USER_PGD_PTRS)
		user = xen_user_pgd((pgd_t *)((unsigned long)pgdp & PAGE_MASK));

	xen_write_entry(pgdp, native_p4d_val(p4d));
	if (user)
		xen_write_entry(&user[idx], native_p4d_val(p4d));
}

/* mprotect: keep the A/D bits the hardware set meanwhile. */
static pte_t xen_pv_ptep_modify_prot_start(struct vm_area_struct *vma,
					   unsigned long addr, pte_t *ptep)
{
	return *ptep;
}

static void xen_pv_ptep_modify_prot_commit(struct vm_area_struct *vma,
					   unsigned long addr, pte_t *ptep,
					   pte_t pte)
{
	if (!xen_table_pinned(ptep)) {
		WRITE_ONCE(*ptep, pte);
		return;
	}
	xen_mmu_update(virt_to_machine(ptep) | MMU_PT_UPDATE_PRESERVE_AD,
		       pte.pte);
}

/*
 * Natively these two are atomic instructions on the entry; on a pinned
 * table each would trap into Xen's page-table write emulation.  As
 * mmu_update requests they cost a hypercall, or nothing extra inside a
 * lazy-MMU batch (munmap, fork).
 *
 * Clearing by request is a read followed by a queued write: a Dirty bit
 * the CPU sets in between would be lost, where the exchange would have
 * returned it.  So only when nothing can be writing through the mapping:
 * the kernel's own tables (their users unmap before they clear), or an
 * address space whose only user is the caller.
 */
static bool xen_mm_quiet(struct mm_struct *mm)
{
	return mm == &init_mm ||
	       (mm == current->mm && atomic_read(&mm->mm_users) == 1);
}

static pte_t xen_pv_ptep_get_and_clear(struct mm_struct *mm,
				       unsigned long addr, pte_t *ptep)
{
	pte_t old;

	if (!xen_table_pinned(ptep) || !xen_mm_quiet(mm))
		return native_ptep_get_and_clear(ptep);
	old = READ_ONCE(*ptep);
	xen_mmu_update(virt_to_machine(ptep) | MMU_NORMAL_PT_UPDATE, 0);
	return old;
}

/*
 * Taking _PAGE_RW away is safe for any address space: Xen ORs in the
 * Accessed/Dirty bits the entry has when it applies the request, and the
 * caller holds the page-table lock against every other kind of change.
 */
static void xen_pv_ptep_set_wrprotect(struct mm_struct *mm,
				      unsigned long addr, pte_t *ptep)
{
	if (!xen_table_pinned(ptep)) {
		native_ptep_set_wrprotect(mm, addr, ptep);
		return;
	}
	xen_mmu_update(virt_to_machine(ptep) | MMU_PT_UPDATE_PRESERVE_AD,
		       native_pte_val(READ_ONCE(*ptep)) & ~_PAGE_RW);
}

/* ---- pinning -------------------------------------------------------------- */

/*
 * The table a raw (machine) upper-level entry points to, or NULL when it
 * is empty or maps a large page.  Walks read entries raw: the generic
 * helpers would translate every entry, empty or not, and with four-level
 * paging pgd_present() is always true, which would send a walk into
 * whatever frame an empty top-level slot names.
 */
void *xen_lower_table(u64 entry)
{
	unsigned long pfn;

	if ((entry & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
		return NULL;
	pfn = mfn_to_pfn((entry & PTE_PFN_MASK) >> PAGE_SHIFT);
	/* Not our memory: no table of ours lives there. */
	if (pfn == XEN_INVALID_MFN)
		return NULL;
	return __va(PFN_PHYS(pfn));
}

/* Call fn on every table page below the user half of pgd. */
void xen_walk_user_tables(pgd_t *pgd, xen_table_fn fn, bool writable)
{
	unsigned int i, j, k;

	for (i = 0; i < XEN_USER_PGD_PTRS; i++) {
		u64 *pud = xen_lower_table(native_pgd_val(pgd[i]));

		if (!pud)
			continue;
		fn(pud, writable);
		for (j = 0; j < PTRS_PER_PUD; j++) {
			u64 *pmd = xen_lower_table(pud[j]);

			if (!pmd)
				continue;
			fn(pmd, writable);
			for (k = 0; k < PTRS_PER_PMD; k++) {
				void *pte = xen_lower_table(pmd[k]);

				if (pte)
					fn(pte, writable);
			}
		}
	}
}

static void xen_mark_table(void *table, bool writable)
{
	struct page *page = virt_to_page(table);

	xen_queue_page_access(table, writable);
	if (writable)
		ClearPagePinned(page);
	else
		SetPagePinned(page);
}

static void xen_pin_top(pgd_t *pgd, unsigned int cmd)
{
	struct mmuext_op op = {
		.cmd = cmd,
		.arg1.mfn = virt_to_mfn(pgd),
	};

	xen_mmuext_queue(&op);
}

void xen_pin_pgd(pgd_t *pgd)
{
	pgd_t *user = xen_user_pgd(pgd);
	unsigned long flags;

	if (PagePinned(virt_to_page(pgd)))
		return;

	/*
	 * One multicall: every table read-only, then the pins (Xen runs the
	 * entries in order).  In a context switch it joins that batch.
	 */
	local_irq_save(flags);
	xen_mc_hold();
	xen_walk_user_tables(pgd, xen_mark_table, false);
	xen_mark_table(pgd, false);
	if (user)
		xen_mark_table(user, false);
	xen_pin_top(pgd, MMUEXT_PIN_L4_TABLE);
	if (user)
		xen_pin_top(user, MMUEXT_PIN_L4_TABLE);
	xen_mc_release();
	local_irq_restore(flags);
}

static void xen_unpin_pgd(pgd_t *pgd)
{
	pgd_t *user = xen_user_pgd(pgd);
	unsigned long flags;

	if (!PagePinned(virt_to_page(pgd)))
		return;

	/*
	 * The unpins, then every table writable again, in one multicall.
	 * Stale read-only TLB entries are harmless: they fault and refill.
	 */
	local_irq_save(flags);
	xen_mc_hold();
	xen_pin_top(pgd, MMUEXT_UNPIN_TABLE);
	if (user)
		xen_pin_top(user, MMUEXT_UNPIN_TABLE);
	xen_mark_table(pgd, true);
	if (user)
		xen_mark_table(user, true);
	xen_walk_user_tables(pgd, xen_mark_table, true);
	xen_mc_release();
	local_irq_restore(flags);
}

/*
 * Suspend: the toolstack's save rewrites the MFNs in our page tables as
 * pfns, and the restore back, only in tables Xen knows as such: pinned
 * ones.  Pin every pgd that is not (an mm between pgd_alloc() and its
 * first switch_mm(), or past exit_mmap()), marked to be unpinned after.
 * On one CPU inside stop_machine(): no table changes meanwhile.
 */
void xen_pin_all_for_suspend(void)
{
	struct page *page;

	spin_lock(&pgd_lock);
	list_for_each_entry(page, &pgd_list, lru) {
		if (PagePinned(page))
			continue;
		xen_pin_pgd(page_address(page));
		SetPageSavePinned(page);
	}
	spin_unlock(&pgd_lock);
}

void xen_unpin_after_suspend(void)
{
	struct page *page;

	spin_lock(&pgd_lock);
	list_for_each_entry(page, &pgd_list, lru) {
		if (!PageSavePinned(page))
			continue;
		ClearPageSavePinned(page);
		xen_unpin_pgd(page_address(page));
	}
	spin_unlock(&pgd_lock);
}

static void xen_pin_mm(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	xen_pin_pgd(mm->pgd);
	spin_unlock(&mm->page_table_lock);
}

static void xen_pv_activate_mm(struct mm_struct *prev, struct mm_struct *next)
{
	xen_pin_mm(next);
}

static void xen_pv_dup_mmap(struct mm_struct *oldmm, struct mm_struct *mm)
{
	xen_pin_mm(mm);
}

/* Does cpu run on pgd, or did it when its pending batch was queued? */
static bool xen_cpu_uses_pgd(unsigned int cpu, pgd_t *pgd)
{
	unsigned long pa = __pa(pgd);

	if (per_cpu(xen_cr3, cpu) == pa)
		return true;
	/* Pairs with the smp_wmb() in xen_pv_write_cr3(). */
	smp_rmb();
	return per_cpu(xen_cr3_queued_from, cpu) == pa;
}

/*
 * The last user is gone: unpin, so the teardown writes plain memory.
 * Not while another CPU still runs on the tables (lazy TLB, or a CR3
 * switch it has queued): Xen keeps a base pointer's tables typed, so they
 * would stay read-only.  Sending that CPU away would cost a synchronous
 * IPI at every process exit, to a vCPU that is usually idle or not
 * running at all; instead the tables stay pinned, the teardown goes
 * through mmu_update batches, and pgd_free() unpins what is left (the
 * lazy CPU holds the mm until it has loaded another CR3).
 */
static void xen_pv_exit_mmap(struct mm_struct *mm)
{
	unsigned int cpu, me = get_cpu();

	if (this_cpu_read(xen_cr3) == __pa(mm->pgd))
		switch_mm(NULL, &init_mm, NULL);
	for_each_online_cpu(cpu) {
		if (cpu != me && xen_cpu_uses_pgd(cpu, mm->pgd)) {
			put_cpu();
			return;
		}
	}
	put_cpu();

	spin_lock(&mm->page_table_lock);
	xen_unpin_pgd(mm->pgd);
	spin_unlock(&mm->page_table_lock);
}

static int xen_pv_pgd_alloc(struct mm_struct *mm)
{
	void *user = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);

	if (!user)
		return -ENOMEM;
	set_page_private(virt_to_page(mm->pgd), (unsigned long)user);
	return 0;
}

static void xen_pv_pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	struct page *page = virt_to_page(pgd);
	unsigned long user = page_private(page);

	xen_unpin_pgd(pgd);
	set_page_private(page, 0);
	free_page(user);
}

/* A new table page of mm: read-only before it is linked, if mm is live. */
static void xen_alloc_table(struct mm_struct *mm, unsigned long pfn)
{
	if (xen_pt_pages_tracked) {
		if (mm != &init_mm && !PagePinned(virt_to_page(mm->pgd)))
			return;
		SetPagePinned(pfn_to_page(pfn));
	}
	xen_make_frame_readonly(pfn_to_mfn(pfn));
}

static void xen_release_table(unsigned long pfn)
{
	if (xen_pt_pages_tracked) {
		if (!TestClearPagePinned(pfn_to_page(pfn)))
			return;
	}
	xen_make_frame_writable(pfn_to_mfn(pfn));
}

/* ---- CR3, CR2 and TLB ---------------------------------------------------- */

static unsigned long xen_pv_read_cr3(void)
{
	return this_cpu_read(xen_cr3);
}

static void xen_pv_write_cr3(unsigned long cr3)
{
	pgd_t *pgd = __va(cr3 & CR3_ADDR_MASK);
	pgd_t *user = xen_pt_pages_tracked ? xen_user_pgd(pgd) : NULL;
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR };
	unsigned long flags;

	/* Pin (if needed) and both base pointers: one batch. */
	local_irq_save(flags);
	xen_mc_hold();
	if (xen_pt_pages_tracked && !PagePinned(virt_to_page(pgd)))
		xen_pin_pgd(pgd);

	op.arg1.mfn = virt_to_mfn(pgd);
	xen_mmuext_queue(&op);
	op.cmd = MMUEXT_NEW_USER_BASEPTR;
	op.arg1.mfn = user ? virt_to_mfn(user) : 0;
	xen_mmuext_queue(&op);

	/*
	 * Both switches are queued now, so the next flush issues them.  Until
	 * then Xen runs on the old tables: publish them before the new value,
	 * in the order xen_cpu_uses_pgd() reads the two.  Only the first
	 * switch of a batch counts: that one is what Xen has loaded.
	 */
	if (!this_cpu_read(xen_cr3_queued_from))
		this_cpu_write(xen_cr3_queued_from, this_cpu_read(xen_cr3));
	/* Pairs with the smp_rmb() in xen_cpu_uses_pgd(). */
	smp_wmb();
	this_cpu_write(xen_cr3, cr3 & CR3_ADDR_MASK);
	xen_mc_release();
	local_irq_restore(flags);
}

__visible noinstr unsigned long xen_pv_read_cr2(void)
{
	return this_cpu_read(xen_vcpu)->arch.cr2;
}

__PV_CALLEE_SAVE_REGS_THUNK(xen_pv_read_cr2, ".noinstr.text");

static void xen_pv_write_cr2(unsigned long cr2)
{
	this_cpu_read(xen_vcpu)->arch.cr2 = cr2;
}

static void xen_tlb_op(unsigned int cmd, unsigned long addr,
		       const struct cpumask *cpus)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.linear_addr = addr;
	if (cpus)
		set_xen_guest_handle(op.arg2.vcpumask,
				     (void *)cpumask_bits(cpus));
	xen_mmuext_queue(&op);
}

static void xen_pv_flush_tlb(void)
{
	xen_tlb_op(MMUEXT_TLB_FLUSH_LOCAL, 0, NULL);
}

static void xen_pv_flush_tlb_one_user(unsigned long addr)
{
	xen_tlb_op(MMUEXT_INVLPG_LOCAL, addr & PAGE_MASK, NULL);
}

static void xen_pv_flush_tlb_multi(const struct cpumask *cpus,
				   const struct flush_tlb_info *info)
{
	cpumask_var_t mask;

	if (!alloc_cpumask_var(&mask, GFP_ATOMIC)) {
		xen_tlb_op(MMUEXT_TLB_FLUSH_ALL, 0, NULL);
		return;
	}
	cpumask_and(mask, cpus, cpu_online_mask);
	if (info->end != TLB_FLUSH_ALL &&
	    info->end - info->start <= PAGE_SIZE)
		xen_tlb_op(MMUEXT_INVLPG_MULTI, info->start, mask);
	else
		xen_tlb_op(MMUEXT_TLB_FLUSH_MULTI, 0, mask);
	/* The mask lives on only until the queue is flushed. */
	xen_mc_flush();
	free_cpumask_var(mask);
}

/* ---- fixmap --------------------------------------------------------------- */

static void xen_pv_set_fixmap(unsigned int idx, phys_addr_t phys,
			      pgprot_t prot)
{
	unsigned long va = __fix_to_virt(idx);
	pte_t pte;

	/* shared_info is a machine frame that is not part of our memory. */
	if (idx == FIX_PARAVIRT_BOOTMAP)
		pte = native_make_pte((phys & PTE_PFN_MASK) |
				      (pgprot_val(prot) & __supported_pte_mask));
	else
		pte = pfn_pte(phys >> PAGE_SHIFT, prot);
	set_pte_vaddr(va, pte);
}

void __init xen_pv_install_mmu_ops(void)
{
	pv_ops.mmu.flush_tlb_user = xen_pv_flush_tlb;
	pv_ops.mmu.flush_tlb_kernel = xen_pv_flush_tlb;
	pv_ops.mmu.flush_tlb_one_user = xen_pv_flush_tlb_one_user;
	pv_ops.mmu.flush_tlb_multi = xen_pv_flush_tlb_multi;
	pv_ops.mmu.tlb_remove_table = tlb_remove_table;
	pv_ops.mmu.exit_mmap = xen_pv_exit_mmap;

	pv_ops.mmu.read_cr2 = __PV_IS_CALLEE_SAVE(xen_pv_read_cr2);
	pv_ops.mmu.write_cr2 = xen_pv_write_cr2;
	pv_ops.mmu.read_cr3 = xen_pv_read_cr3;
	pv_ops.mmu.write_cr3 = xen_pv_write_cr3;

	pv_ops.mmu.activate_mm = xen_pv_activate_mm;
	pv_ops.mmu.dup_mmap = xen_pv_dup_mmap;
	pv_ops.mmu.pgd_alloc = xen_pv_pgd_alloc;
	pv_ops.mmu.pgd_free = xen_pv_pgd_free;

	pv_ops.mmu.alloc_pte = xen_alloc_table;
	pv_ops.mmu.alloc_pmd = xen_alloc_table;
	pv_ops.mmu.alloc_pud = xen_alloc_table;
	pv_ops.mmu.alloc_p4d = xen_alloc_table;
	pv_ops.mmu.release_pte = xen_release_table;
	pv_ops.mmu.release_pmd = xen_release_table;
	pv_ops.mmu.release_pud = xen_release_table;
	pv_ops.mmu.release_p4d = xen_release_table;

	pv_ops.mmu.set_pte = xen_pv_set_pte;
	pv_ops.mmu.set_pmd = xen_pv_set_pmd;
	pv_ops.mmu.set_pud = xen_pv_set_pud;
	pv_ops.mmu.set_p4d = xen_pv_set_p4d;
	pv_ops.mmu.ptep_modify_prot_start = xen_pv_ptep_modify_prot_start;
	pv_ops.mmu.ptep_modify_prot_commit = xen_pv_ptep_modify_prot_commit;
	pv_ops.mmu.ptep_get_and_clear = xen_pv_ptep_get_and_clear;
	pv_ops.mmu.ptep_set_wrprotect = xen_pv_ptep_set_wrprotect;

	pv_ops.mmu.pte_val = PV_CALLEE_SAVE(xen_pv_pte_val);
	pv_ops.mmu.make_pte = PV_CALLEE_SAVE(xen_pv_make_pte);
	pv_ops.mmu.pmd_val = PV_CALLEE_SAVE(xen_pv_pmd_val);
	pv_ops.mmu.make_pmd = PV_CALLEE_SAVE(xen_pv_make_pmd);
	pv_ops.mmu.pud_val = PV_CALLEE_SAVE(xen_pv_pud_val);
	pv_ops.mmu.make_pud = PV_CALLEE_SAVE(xen_pv_make_pud);
	pv_ops.mmu.pgd_val = PV_CALLEE_SAVE(xen_pv_pgd_val);
	pv_ops.mmu.make_pgd = PV_CALLEE_SAVE(xen_pv_make_pgd);

	pv_ops.mmu.set_fixmap = xen_pv_set_fixmap;
	xen_mc_install_lazy_mmu();

	/*
	 * Xen flushes our TLB on every guest mode switch; global kernel
	 * mappings would only outlive the user page tables they belong to.
	 */
	__supported_pte_mask &= ~_PAGE_GLOBAL;
}
