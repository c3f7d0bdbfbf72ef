// SPDX-License-Identifier: GPL-2.0
/*
 * The balloon: the domain's memory follows the toolstack's target.
 *
 * "xl mem-set" writes memory/target (KiB) in our home directory.  Our
 * size as Xen counts it is our reservation, the frames we own
 * (XENMEM_current_reservation, what "xl list" shows).  A work item moves
 * it toward the target one chunk at a time:
 *
 *   shrinking  pages taken from the page allocator, their frames handed
 *              back (xen_release_pages(), batched); the pages stay on
 *              bl_pages, offline and out of MemTotal;
 *   growing    pages from bl_pages repopulated (xen_populate_pages())
 *              and freed to the allocator.
 *
 * A guest created with maxmem above memory boots with room beyond the
 * pages Xen populated: that RAM is in our memory map, reserved, and its
 * pages start on bl_pages (bl_take_boot_room()), so the domain grows up
 * to maxmem.  Without memory hotplug it grows no further than that.
 * When the allocator or Xen has nothing to give, the work retries with a
 * growing delay (1 s doubling up to 32 s).
 *
 * Map: bl_target_changed() (the watch) and target_kb_store() set the
 * target through bl_set_target(); bl_work() steps toward it with
 * bl_shrink() / bl_grow(); the sysfs files at the end are the interface
 * users know, /sys/devices/system/xen_memory/xen_memory0.
 *
 * Trust: the toolstack may ask any size of us, but memory/target is
 * parsed strictly.  A value that is not a decimal number of KiB is
 * refused with a message and the old target kept; a target below
 * BL_FLOOR_KB is held at the floor (a guest ballooned to nothing is dead,
 * not small); beyond what we can hold we go as far as we can and say so.
 */
#define pr_fmt(fmt) "xen-balloon: " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/page-flags.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <asm/xen/hypercall.h>
#include <xen/reservation.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

/* Pages moved per step of the work item, and per populate call. */
#define BL_CHUNK	512
#define BL_GROW_SLICE	32
/* The smallest target we follow. */
#define BL_FLOOR_KB	(32UL * 1024)
#define BL_MAX_DELAY	(32 * HZ)

#define KB_TO_PAGES(kb)	((kb) >> (PAGE_SHIFT - 10))
#define PAGES_TO_KB(p)	((unsigned long)(p) << (PAGE_SHIFT - 10))

static DEFINE_MUTEX(bl_lock);
static LIST_HEAD(bl_pages);		/* ballooned, linked through lru */
static unsigned long bl_nr_ballooned;
static unsigned long bl_target;		/* pages */
static unsigned long bl_floor;		/* pages */
static unsigned long bl_delay;		/* jiffies; 0: not backing off */
static bool bl_said_limit;
static struct page *bl_batch[BL_CHUNK];

static void bl_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(bl_dwork, bl_work);

/* Frames we own now, or a negative error. */
static long bl_reservation(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Under bl_lock: give back up to @nr frames; how many went. */
static unsigned long bl_shrink(unsigned long nr)
{
	unsigned long i, got;

	for (got = 0; got < nr; got++) {
		bl_batch[got] = alloc_page(GFP_HIGHUSER | __GFP_NOWARN |
					   __GFP_NORETRY | __GFP_NOMEMALLOC);
		if (!bl_batch[got])
			break;
	}
	if (got && xen_release_pages(bl_batch, got)) {
		for (i = 0; i < got; i++)
			__free_page(bl_batch[i]);
		return 0;
	}
	for (i = 0; i < got; i++) {
		struct page *page = bl_batch[i];

		adjust_managed_page_count(page, -1);
		__SetPageOffline(page);
		list_add(&page->lru, &bl_pages);
	}
	bl_nr_ballooned += got;
	return got;
}

/* Under bl_lock: take back up to @nr frames from Xen; how many came. */
static unsigned long bl_grow(unsigned long nr)
{
	unsigned long i, n, done = 0;

	nr = min(nr, bl_nr_ballooned);
	while (done < nr) {
		n = min_t(unsigned long, nr - done, BL_GROW_SLICE);
		for (i = 0; i < n; i++) {
			bl_batch[i] = list_first_entry(&bl_pages, struct page,
						       lru);
			list_del(&bl_batch[i]->lru);
		}
		if (xen_populate_pages(bl_batch, n)) {
			/* Xen has no memory for us now: keep them. */
			while (i--)
				list_add(&bl_batch[i]->lru, &bl_pages);
			break;
		}
		for (i = 0; i < n; i++) {
			__ClearPageOffline(bl_batch[i]);
			/* Also right for boot room, which was never free. */
			free_reserved_page(bl_batch[i]);
		}
		bl_nr_ballooned -= n;
		done += n;
	}
	return done;
}

/* One step toward the target; again at once while it makes progress. */
static void bl_work(struct work_struct *work)
{
	unsigned long moved = 0;
	long cur, want;

	mutex_lock(&bl_lock);
	cur = bl_reservation();
	if (cur < 0) {
		pr_err_ratelimited("current_reservation failed: %ld\n", cur);
		goto out;
	}
	want = (long)bl_target - cur;
	if (want < 0) {
		moved = bl_shrink(min_t(unsigned long, -want, BL_CHUNK));
	} else if (want > 0) {
		if (!bl_nr_ballooned) {
			if (!bl_said_limit)
				pr_info("target %lu kB is beyond what this domain can hold: stopped at %lu kB\n",
					PAGES_TO_KB(bl_target), PAGES_TO_KB(cur));
			bl_said_limit = true;
			goto out;
		}
		moved = bl_grow(min_t(unsigned long, want, BL_CHUNK));
	} else {
		goto out;
	}
	if (moved) {
		bl_delay = 0;
	} else {
		bl_delay = clamp(bl_delay * 2, (unsigned long)HZ,
				 (unsigned long)BL_MAX_DELAY);
		pr_info_ratelimited("%s stalled at %lu kB (target %lu kB): retrying in %lu s\n",
				    want < 0 ? "shrinking" : "growing",
				    PAGES_TO_KB(cur), PAGES_TO_KB(bl_target),
				    bl_delay / HZ);
	}
	queue_delayed_work(system_freezable_wq, &bl_dwork, bl_delay);
out:
	mutex_unlock(&bl_lock);
}

static void bl_set_target(unsigned long kb, const char *from)
{
	unsigned long pages = KB_TO_PAGES(kb);

	mutex_lock(&bl_lock);
	if (pages < bl_floor) {
		pr_warn_ratelimited("%s: target %lu kB is below the floor, holding %lu kB\n",
				    from, kb, PAGES_TO_KB(bl_floor));
		pages = bl_floor;
	}
	if (pages != bl_target)
		pr_info("%s: target %lu kB\n", from, PAGES_TO_KB(pages));
	bl_target = pages;
	bl_delay = 0;
	bl_said_limit = false;
	mutex_unlock(&bl_lock);
	mod_delayed_work(system_freezable_wq, &bl_dwork, 0);
}

/* "12345": KiB; anything else (sign, spaces, overflow) is refused. */
static int bl_parse_kb(const char *s, unsigned long *kb)
{
	unsigned long long v;

	if (kstrtoull(s, 10, &v) || v > ULONG_MAX >> PAGE_SHIFT)
		return -EINVAL;
	*kb = v;
	return 0;
}

static void bl_target_changed(struct xenbus_watch *watch, const char *path)
{
	unsigned long kb;
	char *val;

	val = xenbus_read(XBT_NIL, "memory", "target", NULL);
	if (IS_ERR(val))
		return;		/* no target: nothing asked */
	if (bl_parse_kb(val, &kb))
		pr_warn_ratelimited("memory/target \"%.32s\" is not a number of kB: ignored\n",
				    val);
	else
		bl_set_target(kb, "memory/target");
	kfree(val);
}

static struct xenbus_watch bl_watch = {
	.node = "memory/target",
	.callback = bl_target_changed,
};

static int bl_store_ready(struct notifier_block *nb, unsigned long event,
			  void *data)
{
	int rc = register_xenbus_watch(&bl_watch);

	if (rc)
		pr_err("cannot watch %s: %d\n", bl_watch.node, rc);
	return NOTIFY_DONE;
}

static struct notifier_block bl_store_nb = {
	.notifier_call = bl_store_ready,
};

/* ---- /sys/devices/system/xen_memory/xen_memory0 ---------------------------- */

static ssize_t target_kb_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", PAGES_TO_KB(READ_ONCE(bl_target)));
}

static ssize_t target_kb_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	unsigned long kb;
	char s[24];

	strscpy(s, buf, sizeof(s));
	if (bl_parse_kb(strim(s), &kb))
		return -EINVAL;
	bl_set_target(kb, "sysfs");
	return count;
}
static DEVICE_ATTR_RW(target_kb);

static ssize_t target_show(struct device *dev,
			   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)READ_ONCE(bl_target) << PAGE_SHIFT);
}

static ssize_t target_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long long bytes;

	if (kstrtoull(buf, 10, &bytes))
		return -EINVAL;
	bl_set_target(bytes >> 10, "sysfs");
	return count;
}
static DEVICE_ATTR_RW(target);

static ssize_t current_kb_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	long cur = bl_reservation();

	if (cur < 0)
		return cur;
	return sysfs_emit(buf, "%lu\n", PAGES_TO_KB(cur));
}
static DEVICE_ATTR_RO(current_kb);

/* Ballooned memory; x86-64 has no high memory. */
static ssize_t low_kb_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%lu\n", PAGES_TO_KB(READ_ONCE(bl_nr_ballooned)));
}
static DEVICE_ATTR_RO(low_kb);

static ssize_t high_kb_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(high_kb);

static struct attribute *bl_attrs[] = {
	&dev_attr_target_kb.attr,
	&dev_attr_target.attr,
	NULL,
};

static const struct attribute_group bl_group = {
	.attrs = bl_attrs,
};

static struct attribute *bl_info_attrs[] = {
	&dev_attr_current_kb.attr,
	&dev_attr_low_kb.attr,
	&dev_attr_high_kb.attr,
	NULL,
};

static const struct attribute_group bl_info_group = {
	.name = "info",
	.attrs = bl_info_attrs,
};

static const struct attribute_group *bl_groups[] = {
	&bl_group,
	&bl_info_group,
	NULL,
};

static struct bus_type bl_subsys = {
	.name = "xen_memory",
	.dev_name = "xen_memory",
};

static struct device bl_dev = {
	.id = 0,
	.bus = &bl_subsys,
	.groups = bl_groups,
};

static int __init bl_sysfs_init(void)
{
	int rc = subsys_system_register(&bl_subsys, NULL);

	if (rc)
		return rc;
	rc = device_register(&bl_dev);
	if (rc) {
		put_device(&bl_dev);
		bus_unregister(&bl_subsys);
	}
	return rc;
}

/* The boot map's unpopulated RAM: ballooned out from the start. */
static unsigned long __init bl_take_boot_room(void)
{
	unsigned long start, end, pfn, nr = 0;
	unsigned int i;

	for (i = 0; xen_boot_extra_ram(i, &start, &end); i++) {
		for (pfn = start; pfn < end; pfn++) {
			struct page *page = pfn_to_page(pfn);

			__SetPageOffline(page);
			list_add_tail(&page->lru, &bl_pages);
		}
		nr += end - start;
	}
	bl_nr_ballooned += nr;
	return nr;
}

static int __init bl_init(void)
{
	long cur;
	int rc;

	if (!xen_pv_domain())
		return 0;
	cur = bl_reservation();
	if (cur <= 0) {
		pr_err("current_reservation failed: %ld: no ballooning\n", cur);
		return 0;
	}
	bl_target = cur;
	bl_floor = min_t(unsigned long, cur, KB_TO_PAGES(BL_FLOOR_KB));
	rc = bl_sysfs_init();
	if (rc)
		pr_warn("no sysfs interface: %d\n", rc);
	pr_info("%lu kB, room to grow by %lu kB, following memory/target\n",
		PAGES_TO_KB(cur), PAGES_TO_KB(bl_take_boot_room()));
	return register_xenstore_notifier(&bl_store_nb);
}
device_initcall(bl_init);
