// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor/pv: how much this guest talks to Xen.
 *
 *   hypercalls          hypercalls issued, all CPUs
 *   hypercalls_by_op    the same by hypercall number ("nr count" lines)
 *   batched_requests    requests that went through the multicall queue
 *   batches             hypercalls that carried those requests
 *   grants_parked       grants whose revoke waits for the other end to
 *                       unmap them (their references are not reused)
 *
 * Read before and after a workload to get its hypercall cost (make bench
 * reports hypercalls per fork this way).
 */
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/sysfs.h>

#include <asm/xen/hypercall.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "xen-pv.h"

DEFINE_PER_CPU(unsigned long [XEN_HYPERCALL_COUNTERS], xen_hypercall_count);
EXPORT_PER_CPU_SYMBOL_GPL(xen_hypercall_count);

static unsigned long xen_hypercalls_of(unsigned int nr)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(xen_hypercall_count, cpu)[nr];
	return sum;
}

static unsigned long xen_hypercalls_total(void)
{
	unsigned long sum = 0;
	unsigned int nr;

	for (nr = 0; nr < XEN_HYPERCALL_COUNTERS; nr++)
		sum += xen_hypercalls_of(nr);
	return sum;
}

static ssize_t hypercalls_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", xen_hypercalls_total());
}

static struct kobj_attribute hypercalls_attr = __ATTR_RO(hypercalls);

static ssize_t hypercalls_by_op_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	unsigned int nr;
	int len = 0;

	for (nr = 0; nr < XEN_HYPERCALL_COUNTERS; nr++)
		if (xen_hypercalls_of(nr))
			len += sysfs_emit_at(buf, len, "%u %lu\n", nr,
					     xen_hypercalls_of(nr));
	return len;
}

static struct kobj_attribute hypercalls_by_op_attr =
	__ATTR_RO(hypercalls_by_op);

static unsigned long xen_sum(unsigned long __percpu *counter)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(counter, cpu);
	return sum;
}

#define XEN_STAT(file, counter)						\
static ssize_t file##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lu\n", xen_sum(&(counter)));		\
}									\
static struct kobj_attribute file##_attr = __ATTR_RO(file)

XEN_STAT(batched_requests, xen_mc_requests);
XEN_STAT(batches, xen_mc_hypercalls);

static ssize_t grants_parked_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", gnttab_nr_deferred());
}

static struct kobj_attribute grants_parked_attr = __ATTR_RO(grants_parked);

static struct attribute *xen_pv_stat_attrs[] = {
	&hypercalls_attr.attr,
	&hypercalls_by_op_attr.attr,
	&batched_requests_attr.attr,
	&batches_attr.attr,
	&grants_parked_attr.attr,
	NULL,
};

static const struct attribute_group xen_pv_stat_group = {
	.name = "pv",
	.attrs = xen_pv_stat_attrs,
};

static int __init xen_pv_stats_init(void)
{
	if (!xen_pv_domain())
		return 0;
	return sysfs_create_group(hypervisor_kobj, &xen_pv_stat_group);
}
device_initcall(xen_pv_stats_init);
