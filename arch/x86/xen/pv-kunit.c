// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the PV core: hypercall batching, the P2M/M2P, page
 * table updates through Xen, and the clock against Xen's system time.
 * They skip on bare metal.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/paravirt.h>
#include <asm/sections.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#include <asm/xen/guest.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "xen-pv.h"

#define BATCH_PAGES	64

static int xen_pv_test_init(struct kunit *test)
{
	if (!xen_pv_domain())
		kunit_skip(test, "not a Xen PV guest");
	return 0;
}

/*
 * Multicall hypercalls issued by this CPU (call with preemption off): the
 * other CPUs' are not ours to count, and a busy dom0 issues plenty.
 */
static unsigned long mc_hypercalls(void)
{
	return this_cpu_read(xen_mc_hypercalls);
}

static pte_t *pte_of(unsigned long va)
{
	unsigned int level;
	pte_t *pte = lookup_address(va, &level);

	return level == PG_LEVEL_4K ? pte : NULL;
}

/*
 * 64 PTE writes into a live (pinned) kernel page table inside lazy MMU
 * mode reach Xen as one hypercall, and the mappings work afterwards.
 */
static void xen_pv_test_lazy_mmu_batches(struct kunit *test)
{
	struct vm_struct *area = xen_alloc_vm_area(BATCH_PAGES * PAGE_SIZE);
	struct page *pages[BATCH_PAGES] = {};
	unsigned long base, before, calls;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, area);
	base = (unsigned long)area->addr;
	for (i = 0; i < BATCH_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		memset(page_address(pages[i]), i + 1, PAGE_SIZE);
		KUNIT_ASSERT_NOT_NULL(test, pte_of(base + i * PAGE_SIZE));
	}

	preempt_disable();
	before = mc_hypercalls();
	arch_enter_lazy_mmu_mode();
	for (i = 0; i < BATCH_PAGES; i++)
		set_pte_at(&init_mm, base + i * PAGE_SIZE,
			   pte_of(base + i * PAGE_SIZE),
			   mk_pte(pages[i], PAGE_KERNEL));
	arch_leave_lazy_mmu_mode();
	calls = mc_hypercalls() - before;
	preempt_enable();
	flush_tlb_kernel_range(base, base + BATCH_PAGES * PAGE_SIZE);

	kunit_info(test, "%u PTE writes took %lu hypercall(s)\n",
		   BATCH_PAGES, calls);
	KUNIT_EXPECT_LE(test, calls, 2UL);
	for (i = 0; i < BATCH_PAGES; i++) {
		u8 *p = (u8 *)(base + i * PAGE_SIZE);

		KUNIT_EXPECT_EQ(test, p[0], (u8)(i + 1));
		KUNIT_EXPECT_EQ(test, p[PAGE_SIZE - 1], (u8)(i + 1));
		/* What Xen holds reads back as our pfn. */
		KUNIT_EXPECT_EQ(test, pte_pfn(*pte_of(base + i * PAGE_SIZE)),
				page_to_pfn(pages[i]));
	}

	for (i = 0; i < BATCH_PAGES; i++)
		pte_clear(&init_mm, base + i * PAGE_SIZE,
			  pte_of(base + i * PAGE_SIZE));
	flush_tlb_kernel_range(base, base + BATCH_PAGES * PAGE_SIZE);
	xen_free_vm_area(area);
	for (i = 0; i < BATCH_PAGES; i++)
		__free_page(pages[i]);
}

/* Outside lazy mode every write goes at once: nothing is left queued. */
static void xen_pv_test_unbatched_is_immediate(struct kunit *test)
{
	struct vm_struct *area = xen_alloc_vm_area(PAGE_SIZE);
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	unsigned long va;

	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_ASSERT_NOT_NULL(test, page);
	va = (unsigned long)area->addr;
	set_pte_at(&init_mm, va, pte_of(va), mk_pte(page, PAGE_KERNEL));
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	*(u32 *)va = 0x5a5aa5a5;
	KUNIT_EXPECT_EQ(test, *(u32 *)page_address(page), 0x5a5aa5a5U);
	pte_clear(&init_mm, va, pte_of(va));
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	xen_free_vm_area(area);
	__free_page(page);
}

/* P2M and M2P agree for our pages; foreign or absurd frames are refused. */
static void xen_pv_test_p2m_round_trip(struct kunit *test)
{
	unsigned long pfns[] = { 0, 1, xen_p2m_size / 2, xen_p2m_size - 1 };
	void *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		unsigned long mfn = pfn_to_mfn(pfns[i]);

		KUNIT_EXPECT_NE(test, mfn, XEN_INVALID_MFN);
		KUNIT_EXPECT_EQ(test, mfn_to_pfn(mfn), pfns[i]);
	}
	/* The page-table walk and the P2M name the same frame. */
	KUNIT_EXPECT_EQ(test, xen_walk_virt_to_mfn(buf), virt_to_mfn(buf));
	KUNIT_EXPECT_PTR_EQ(test, mfn_to_virt(virt_to_mfn(buf)), buf);
	KUNIT_EXPECT_EQ(test, pfn_to_mfn(xen_p2m_size), XEN_INVALID_MFN);
	KUNIT_EXPECT_EQ(test, mfn_to_pfn(xen_m2p_size + 7), XEN_INVALID_MFN);
	kfree(buf);
}

/* What the table walk of the last test visited. */
static void *walk_seen[8];
static unsigned int walk_count;

static void walk_record(void *table, bool writable)
{
	if (walk_count < ARRAY_SIZE(walk_seen))
		walk_seen[walk_count] = table;
	walk_count++;
}

static u64 table_entry(void *table)
{
	return ((u64)virt_to_mfn(table) << PAGE_SHIFT) | _PAGE_PRESENT |
	       _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
}

/*
 * The pin/unpin walk visits exactly the table pages an address space
 * has: not empty top-level slots (with four-level paging the generic
 * pgd_present() calls every slot present), not large-page entries, not
 * frames that are not ours.  Plain unpinned pages serve as the tables.
 */
static void xen_pv_test_table_walk(struct kunit *test)
{
	u64 *pgd = (u64 *)get_zeroed_page(GFP_KERNEL);
	u64 *pud = (u64 *)get_zeroed_page(GFP_KERNEL);
	u64 *pmd = (u64 *)get_zeroed_page(GFP_KERNEL);
	u64 *pte = (u64 *)get_zeroed_page(GFP_KERNEL);

	KUNIT_ASSERT_TRUE(test, pgd && pud && pmd && pte);
	pgd[3] = table_entry(pud);
	pud[5] = table_entry(pmd);
	pmd[7] = table_entry(pte);
	/* A 2 MiB mapping and a frame beyond the M2P: neither is a table. */
	pmd[8] = table_entry(pte) | _PAGE_PSE;
	pgd[9] = ((u64)(xen_m2p_size + 1) << PAGE_SHIFT) | _PAGE_PRESENT;
	/* A slot of the kernel half: not the user walk's business. */
	pgd[300] = table_entry(pud);

	KUNIT_EXPECT_PTR_EQ(test, xen_lower_table(pgd[3]), (void *)pud);
	KUNIT_EXPECT_NULL(test, xen_lower_table(pgd[0]));
	KUNIT_EXPECT_NULL(test, xen_lower_table(pmd[8]));
	KUNIT_EXPECT_NULL(test, xen_lower_table(pgd[9]));

	walk_count = 0;
	xen_walk_user_tables((pgd_t *)pgd, walk_record, false);
	KUNIT_EXPECT_EQ(test, walk_count, 3U);
	KUNIT_EXPECT_PTR_EQ(test, walk_seen[0], (void *)pud);
	KUNIT_EXPECT_PTR_EQ(test, walk_seen[1], (void *)pmd);
	KUNIT_EXPECT_PTR_EQ(test, walk_seen[2], (void *)pte);

	free_page((unsigned long)pte);
	free_page((unsigned long)pmd);
	free_page((unsigned long)pud);
	free_page((unsigned long)pgd);
}

/*
 * Xen's own reservation count matches the frames our P2M holds: slots
 * of ballooned pages, of boot room above memory (domU) and of the host
 * map's holes (dom0, identity slots) hold none.
 */
static void xen_pv_test_reservation(struct kunit *test)
{
	domid_t self = DOMID_SELF;
	long pages = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	unsigned long pfn, held = 0;

	for (pfn = 0; pfn < xen_p2m_size; pfn++) {
		unsigned long mfn = READ_ONCE(xen_p2m[pfn]);

		held += mfn != XEN_INVALID_MFN && !(mfn & XEN_IDENTITY_BIT);
	}
	KUNIT_ASSERT_GT(test, pages, 0L);
	KUNIT_EXPECT_EQ(test, (unsigned long)pages, held);
}

/* The clock follows Xen's system time, and sleeps last what they should. */
static void xen_pv_test_clock(struct kunit *test)
{
	struct vcpu_time_info *t;
	u64 xen0, ours0, ours1, mono0, mono1, sys;
	u32 version;

	preempt_disable();
	t = &this_cpu_read(xen_vcpu)->time;
	/* Xen bumps version around each update: odd means in progress. */
	do {
		version = READ_ONCE(t->version);
		rmb(); /* version before the data it guards */
		sys = t->system_time;
		rmb(); /* the data before the version check */
	} while ((version & 1) || version != READ_ONCE(t->version));
	xen0 = xen_pv_clock_ns();
	preempt_enable();
	/* The extrapolated clock is at or after Xen's last stamp. */
	KUNIT_EXPECT_GE(test, xen0, sys);
	KUNIT_EXPECT_LT(test, xen0 - sys, 10ULL * NSEC_PER_SEC);

	ours0 = xen_pv_clock_ns();
	mono0 = ktime_get_ns();
	msleep(200);
	ours1 = xen_pv_clock_ns();
	mono1 = ktime_get_ns();

	kunit_info(test, "msleep(200): xen clock %llu ns, monotonic %llu ns\n",
		   ours1 - ours0, mono1 - mono0);
	KUNIT_EXPECT_GE(test, ours1 - ours0, 200ULL * NSEC_PER_MSEC);
	/* Emulated CPUs are slow, but not 500 ms late on a 200 ms timer. */
	KUNIT_EXPECT_LT(test, ours1 - ours0, 700ULL * NSEC_PER_MSEC);
	/*
	 * ktime runs on the Xen clock: the two intervals differ only by the
	 * time between the paired reads (an interrupt at most).
	 */
	KUNIT_EXPECT_LT(test, abs((s64)((ours1 - ours0) - (mono1 - mono0))),
			(s64)(40 * NSEC_PER_MSEC));
}

static u64 runstate_sum(const struct vcpu_runstate_info *rs)
{
	return rs->time[RUNSTATE_running] + rs->time[RUNSTATE_runnable] +
	       rs->time[RUNSTATE_blocked] + rs->time[RUNSTATE_offline];
}

/*
 * Xen keeps our runstate record: we are running while we read it, time
 * moves on across a sleep, and each state change adds exactly the time
 * since the last one, so the sum of the times minus the entry stamp is
 * the same in every consistent copy.  Steal time reads from it.
 */
static void xen_pv_test_runstate(struct kunit *test)
{
	struct vcpu_runstate_info a, b;
	unsigned int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	xen_pv_runstate_read(cpu, &a);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, a.state, RUNSTATE_running);
	KUNIT_EXPECT_GT(test, a.time[RUNSTATE_running], 0ULL);

	msleep(100);
	xen_pv_runstate_read(cpu, &b);
	KUNIT_EXPECT_GT(test, b.state_entry_time, a.state_entry_time);
	KUNIT_EXPECT_EQ(test, runstate_sum(&b) - b.state_entry_time,
			runstate_sum(&a) - a.state_entry_time);
	KUNIT_EXPECT_GE(test, paravirt_steal_clock(cpu),
			a.time[RUNSTATE_runnable] + a.time[RUNSTATE_offline]);
}

/*
 * The boot audit (pv-ops-audit.c) passed if we got here; check here that
 * it can fail: a NULL slot, one in init text and one outside the kernel
 * are each found, at their index, and a good table has none.  Then the
 * live table once more, now that every initcall has run.
 */
static void xen_pv_test_ops_audit(struct kunit *test)
{
	const void *good = xen_pv_ops_slot_fault;
	const void *tab[] = { good, good, NULL, good, (void *)_sinittext,
			      good, (void *)PAGE_OFFSET, good };
	const void *const *live = (const void *const *)&pv_ops;
	size_t n = ARRAY_SIZE(tab), live_n = xen_pv_ops_reachable();

	KUNIT_EXPECT_NULL(test, xen_pv_ops_slot_fault(good));
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(tab, n, 0), 2);
	KUNIT_EXPECT_STREQ(test, xen_pv_ops_slot_fault(tab[2]), "NULL");
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(tab, n, 3), 4);
	KUNIT_EXPECT_STREQ(test, xen_pv_ops_slot_fault(tab[4]), "in init text");
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(tab, n, 5), 6);
	KUNIT_EXPECT_STREQ(test, xen_pv_ops_slot_fault(tab[6]),
			   "outside kernel text");
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(tab, n, 7), n);
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(tab, 2, 0), 2);
	KUNIT_EXPECT_EQ(test, xen_pv_ops_next_fault(live, live_n, 0), live_n);
}

static struct kunit_case xen_pv_test_cases[] = {
	KUNIT_CASE(xen_pv_test_ops_audit),
	KUNIT_CASE(xen_pv_test_lazy_mmu_batches),
	KUNIT_CASE(xen_pv_test_unbatched_is_immediate),
	KUNIT_CASE(xen_pv_test_p2m_round_trip),
	KUNIT_CASE(xen_pv_test_table_walk),
	KUNIT_CASE(xen_pv_test_reservation),
	KUNIT_CASE(xen_pv_test_clock),
	KUNIT_CASE(xen_pv_test_runstate),
	{}
};

static struct kunit_suite xen_pv_test_suite = {
	.name = "xen-pv-core",
	.init = xen_pv_test_init,
	.test_cases = xen_pv_test_cases,
};

kunit_test_suite(xen_pv_test_suite);
