// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the grant table: we grant our own pages to ourselves
 * and use them the way a backend would (map, copy), which exercises the
 * real hypervisor paths without a second domain.  Skipped unless running
 * as a Xen PV guest.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <xen/grant_table.h>
#include <xen/xen.h>

/*
 * Xen checks a grant's domid against the real id of the domain using it,
 * so DOMID_SELF will not do in an entry.  A PV guest has no direct way to
 * ask its id, but an unbound port offered to DOMID_SELF reports the
 * resolved id in its status.
 */
static domid_t gt_test_own_domid(struct kunit *test)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = DOMID_SELF,
	};
	struct evtchn_status status = { .dom = DOMID_SELF };
	struct evtchn_close close;
	int rc;

	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	KUNIT_ASSERT_EQ(test, rc, 0);
	status.port = alloc.port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &status);
	close.port = alloc.port;
	HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
	KUNIT_ASSERT_EQ(test, rc, 0);
	KUNIT_ASSERT_EQ(test, status.status, (u32)EVTCHNSTAT_unbound);
	return status.u.unbound.dom;
}

static int gt_test_init(struct kunit *test)
{
	if (!xen_pv_domain())
		kunit_skip(test, "not running as a Xen PV guest");
	if (!gnttab_max_entries())
		kunit_skip(test, "grant table not initialised");
	return 0;
}

/* A page granted read-write, mapped by "the other end", written through. */
static void gt_test_map_write_end(struct kunit *test)
{
	domid_t self = gt_test_own_domid(test);
	struct gnttab_unmap_grant_ref unmap;
	struct gnttab_map_grant_ref map;
	unsigned int parked_before;
	struct vm_struct *area;
	struct page *page;
	char *mine;
	int ref;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mine = page_address(page);

	ref = gnttab_grant_access(self, virt_to_mfn(mine), false);
	KUNIT_ASSERT_GE(test, ref, GNTTAB_NR_RESERVED_ENTRIES);

	area = xen_alloc_vm_area(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, area);

	gnttab_prep_map(&map, area->addr, GNTMAP_host_map, ref, self);
	KUNIT_ASSERT_EQ(test, gnttab_map_grants(&map, 1), 0);
	KUNIT_EXPECT_EQ(test, map.status, GNTST_okay);
	KUNIT_EXPECT_TRUE(test, gnttab_in_use(ref));

	strscpy(area->addr, "written through the grant mapping", 64);
	KUNIT_EXPECT_STREQ(test, mine, "written through the grant mapping");

	/* Still mapped: ending access must park the reference, not free it. */
	parked_before = gnttab_nr_deferred();
	KUNIT_EXPECT_FALSE(test, gnttab_end_access(ref, NULL));
	KUNIT_EXPECT_EQ(test, gnttab_nr_deferred(), parked_before + 1);
	gnttab_retry_deferred();
	KUNIT_EXPECT_EQ(test, gnttab_nr_deferred(), parked_before + 1);

	gnttab_prep_unmap(&unmap, area->addr, map.handle);
	KUNIT_EXPECT_EQ(test, gnttab_unmap_grants(&unmap, 1), 0);
	KUNIT_EXPECT_FALSE(test, gnttab_in_use(ref));

	/* Unmapped: the next retry releases it. */
	KUNIT_EXPECT_EQ(test, gnttab_retry_deferred(), parked_before);
	KUNIT_EXPECT_EQ(test, gnttab_nr_deferred(), parked_before);

	xen_free_vm_area(area);
	__free_page(page);
}

/* GNTTABOP_copy from a granted page into a local frame. */
static void gt_test_copy(struct kunit *test)
{
	domid_t self = gt_test_own_domid(test);
	struct gnttab_copy op = { };
	struct page *src, *dst;
	unsigned int i;
	u8 *s, *d;
	int ref;

	src = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	dst = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	s = page_address(src);
	d = page_address(dst);
	for (i = 0; i < PAGE_SIZE; i++)
		s[i] = i * 7 + 3;

	ref = gnttab_grant_access(self, virt_to_mfn(s), true);
	KUNIT_ASSERT_GE(test, ref, GNTTAB_NR_RESERVED_ENTRIES);

	op.source.u.ref = ref;
	op.source.domid = self;
	op.dest.u.gmfn = virt_to_mfn(d);
	op.dest.domid = DOMID_SELF;
	op.len = PAGE_SIZE;
	op.flags = GNTCOPY_source_gref;
	KUNIT_EXPECT_EQ(test, gnttab_copy_grants(&op, 1), 0);
	KUNIT_EXPECT_EQ(test, op.status, GNTST_okay);
	KUNIT_EXPECT_EQ(test, memcmp(s, d, PAGE_SIZE), 0);

	/* A copy leaves no mapping behind: the grant ends at once. */
	KUNIT_EXPECT_TRUE(test, gnttab_end_access(ref, NULL));
	__free_page(dst);
	__free_page(src);
}

/* Taking more references than are free grows the table. */
static void gt_test_grow(struct kunit *test)
{
	unsigned int before = gnttab_nr_entries();
	grant_ref_t *refs;
	unsigned int n;

	if (before >= gnttab_max_entries())
		kunit_skip(test, "table already at its maximum size");

	n = gnttab_nr_free() + 1;
	refs = kunit_kcalloc(test, n, sizeof(*refs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, refs);
	KUNIT_ASSERT_EQ(test, gnttab_alloc_refs(refs, n), 0);
	KUNIT_EXPECT_GT(test, gnttab_nr_entries(), before);
	gnttab_free_refs(refs, n);
}

static unsigned int gt_test_notified;

static void gt_test_notify(struct gnttab_waiter *waiter)
{
	gt_test_notified++;
}

/* A waiter is told once enough references come back, not before. */
static void gt_test_waiter(struct kunit *test)
{
	struct gnttab_waiter waiter = { .notify = gt_test_notify };
	grant_ref_t ref;

	KUNIT_ASSERT_EQ(test, gnttab_alloc_refs(&ref, 1), 0);
	gt_test_notified = 0;
	waiter.want = gnttab_nr_free() + 1;
	gnttab_wait_for_refs(&waiter);
	KUNIT_EXPECT_EQ(test, gt_test_notified, 0U);

	gnttab_free_refs(&ref, 1);
	KUNIT_EXPECT_EQ(test, gt_test_notified, 1U);
	KUNIT_EXPECT_FALSE(test, waiter.queued);
	gnttab_cancel_wait(&waiter);
}

#define GT_TEST_BATCH	4

/*
 * Ending a batch: the grants nobody maps go back at once, in one waiter
 * pass; the one "the other end" still maps is parked with a page
 * reference of its own, which the grant table drops once it is unmapped.
 */
static void gt_test_end_batch(struct kunit *test)
{
	struct gnttab_waiter waiter = { .notify = gt_test_notify };
	domid_t self = gt_test_own_domid(test);
	unsigned int i, parked_before, refs_before;
	struct page *pages[GT_TEST_BATCH] = { };
	struct gnttab_unmap_grant_ref unmap;
	grant_ref_t refs[GT_TEST_BATCH];
	struct gnttab_map_grant_ref map;
	struct vm_struct *area;

	for (i = 0; i < GT_TEST_BATCH; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	KUNIT_ASSERT_EQ(test, gnttab_alloc_refs(refs, GT_TEST_BATCH), 0);
	for (i = 0; i < GT_TEST_BATCH; i++) {
		unsigned long mfn = virt_to_mfn(page_address(pages[i]));

		KUNIT_ASSERT_EQ(test, gnttab_grant_access_ref(refs[i], self,
							      mfn, false), 0);
	}

	area = xen_alloc_vm_area(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, area);
	gnttab_prep_map(&map, area->addr, GNTMAP_host_map, refs[1], self);
	KUNIT_ASSERT_EQ(test, gnttab_map_grants(&map, 1), 0);
	KUNIT_ASSERT_EQ(test, map.status, GNTST_okay);

	/* Satisfied only by all the batch frees, told once. */
	gt_test_notified = 0;
	waiter.want = gnttab_nr_free() + GT_TEST_BATCH - 1;
	gnttab_wait_for_refs(&waiter);
	KUNIT_EXPECT_EQ(test, gt_test_notified, 0U);

	parked_before = gnttab_nr_deferred();
	refs_before = page_ref_count(pages[1]);
	KUNIT_EXPECT_EQ(test, gnttab_end_access_batch(refs, pages,
						      GT_TEST_BATCH), 1U);
	KUNIT_EXPECT_EQ(test, gt_test_notified, 1U);
	KUNIT_EXPECT_EQ(test, gnttab_nr_deferred(), parked_before + 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages[1]), refs_before + 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages[0]), 1);
	KUNIT_EXPECT_TRUE(test, gnttab_in_use(refs[1]));

	gnttab_prep_unmap(&unmap, area->addr, map.handle);
	KUNIT_EXPECT_EQ(test, gnttab_unmap_grants(&unmap, 1), 0);
	KUNIT_EXPECT_EQ(test, gnttab_retry_deferred(), parked_before);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages[1]), refs_before);

	gnttab_cancel_wait(&waiter);
	xen_free_vm_area(area);
	for (i = 0; i < GT_TEST_BATCH; i++)
		__free_page(pages[i]);
}

static struct kunit_case gt_test_cases[] = {
	KUNIT_CASE(gt_test_map_write_end),
	KUNIT_CASE(gt_test_copy),
	KUNIT_CASE(gt_test_grow),
	KUNIT_CASE(gt_test_waiter),
	KUNIT_CASE(gt_test_end_batch),
	{}
};

static struct kunit_suite gt_test_suite = {
	.name = "xen-grant-table",
	.init = gt_test_init,
	.test_cases = gt_test_cases,
};

kunit_test_suite(gt_test_suite);
