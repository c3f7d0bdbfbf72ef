// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor for a Xen guest: what Xen tells us about itself
 * (XENVER_* queries) and our VM's uuid from the store.
 *
 *   type                     "xen"
 *   version/{major,minor,extra}
 *   compilation/{compiler,compiled_by,compile_date}
 *   properties/{capabilities,changeset,virtual_start,pagesize,features,
 *               guest_type}
 *   uuid                     added once xenstore is up
 *
 * Every value is read from Xen when the file is read.  Xen's fixed-size
 * string buffers need not be NUL-terminated, so each is printed with its
 * buffer size as the bound.
 */
#define pr_fmt(fmt) "xen-sysfs: " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>
#include <asm/xen/hypercall.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>

/* Prints a Xen char[] that may fill its buffer without a NUL. */
#define xen_emit_chars(buf, arr) \
	sysfs_emit(buf, "%.*s\n", (int)sizeof(arr), arr)

#define XEN_SYSFS_ATTR(_name) \
	static struct kobj_attribute xen_attr_##_name = __ATTR_RO(_name)

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "xen\n");
}
XEN_SYSFS_ATTR(type);

/* ---------------------------------------------------------- version/ */

static ssize_t major_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int v = HYPERVISOR_xen_version(XENVER_version, NULL);

	return v < 0 ? v : sysfs_emit(buf, "%d\n", v >> 16);
}
XEN_SYSFS_ATTR(major);

static ssize_t minor_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	int v = HYPERVISOR_xen_version(XENVER_version, NULL);

	return v < 0 ? v : sysfs_emit(buf, "%d\n", v & 0xffff);
}
XEN_SYSFS_ATTR(minor);

static ssize_t extra_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	xen_extraversion_t extra;
	int err = HYPERVISOR_xen_version(XENVER_extraversion, extra);

	return err < 0 ? err : xen_emit_chars(buf, extra);
}
XEN_SYSFS_ATTR(extra);

static struct attribute *xen_version_attrs[] = {
	&xen_attr_major.attr,
	&xen_attr_minor.attr,
	&xen_attr_extra.attr,
	NULL,
};

static const struct attribute_group xen_version_group = {
	.name = "version",
	.attrs = xen_version_attrs,
};

/* ------------------------------------------------------ compilation/ */

enum xen_compile_field { XEN_CC, XEN_CC_BY, XEN_CC_DATE };

static ssize_t xen_compile_show(char *buf, enum xen_compile_field field)
{
	struct xen_compile_info *info;
	ssize_t ret;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = HYPERVISOR_xen_version(XENVER_compile_info, info);
	if (ret >= 0) {
		switch (field) {
		case XEN_CC:
			ret = xen_emit_chars(buf, info->compiler);
			break;
		case XEN_CC_BY:
			ret = sysfs_emit(buf, "%.*s@%.*s\n",
					 (int)sizeof(info->compile_by),
					 info->compile_by,
					 (int)sizeof(info->compile_domain),
					 info->compile_domain);
			break;
		case XEN_CC_DATE:
			ret = xen_emit_chars(buf, info->compile_date);
			break;
		}
	}
	kfree(info);
	return ret;
}

static ssize_t compiler_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return xen_compile_show(buf, XEN_CC);
}
XEN_SYSFS_ATTR(compiler);

static ssize_t compiled_by_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return xen_compile_show(buf, XEN_CC_BY);
}
XEN_SYSFS_ATTR(compiled_by);

static ssize_t compile_date_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return xen_compile_show(buf, XEN_CC_DATE);
}
XEN_SYSFS_ATTR(compile_date);

static struct attribute *xen_compilation_attrs[] = {
	&xen_attr_compiler.attr,
	&xen_attr_compiled_by.attr,
	&xen_attr_compile_date.attr,
	NULL,
};

static const struct attribute_group xen_compilation_group = {
	.name = "compilation",
	.attrs = xen_compilation_attrs,
};

/* ------------------------------------------------------- properties/ */

static ssize_t capabilities_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	char *caps;
	ssize_t ret;

	caps = kmalloc(XEN_CAPABILITIES_INFO_LEN, GFP_KERNEL);
	if (!caps)
		return -ENOMEM;
	ret = HYPERVISOR_xen_version(XENVER_capabilities, caps);
	if (ret >= 0)
		ret = sysfs_emit(buf, "%.*s\n", (int)XEN_CAPABILITIES_INFO_LEN,
				 caps);
	kfree(caps);
	return ret;
}
XEN_SYSFS_ATTR(capabilities);

static ssize_t changeset_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	xen_changeset_info_t changeset;
	int err = HYPERVISOR_xen_version(XENVER_changeset, changeset);

	return err < 0 ? err : xen_emit_chars(buf, changeset);
}
XEN_SYSFS_ATTR(changeset);

static ssize_t virtual_start_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct xen_platform_parameters params;
	int err = HYPERVISOR_xen_version(XENVER_platform_parameters, &params);

	return err < 0 ? err :
		sysfs_emit(buf, "0x%llx\n", (unsigned long long)params.virt_start);
}
XEN_SYSFS_ATTR(virtual_start);

static ssize_t pagesize_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	int size = HYPERVISOR_xen_version(XENVER_pagesize, NULL);

	return size < 0 ? size : sysfs_emit(buf, "%x\n", size);
}
XEN_SYSFS_ATTR(pagesize);

/* The XENFEAT_* bitmap as one hex number, highest submap first. */
static ssize_t features_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct xen_feature_info info;
	ssize_t len = 0;
	int map, err;

	for (map = XENFEAT_NR_SUBMAPS - 1; map >= 0; map--) {
		info.submap_idx = map;
		err = HYPERVISOR_xen_version(XENVER_get_features, &info);
		if (err < 0)
			return err;
		len += sysfs_emit_at(buf, len, "%08x", info.submap);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
XEN_SYSFS_ATTR(features);

static ssize_t guest_type_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", xen_pv_domain() ? "PV" : "HVM");
}
XEN_SYSFS_ATTR(guest_type);

static struct attribute *xen_properties_attrs[] = {
	&xen_attr_capabilities.attr,
	&xen_attr_changeset.attr,
	&xen_attr_virtual_start.attr,
	&xen_attr_pagesize.attr,
	&xen_attr_features.attr,
	&xen_attr_guest_type.attr,
	NULL,
};

static const struct attribute_group xen_properties_group = {
	.name = "properties",
	.attrs = xen_properties_attrs,
};

/* ------------------------------------------------------------- uuid */

/*
 * Xen keeps every domain's handle, which the toolstack sets to the
 * domain's uuid (the control domain's stays all zeros unless set); older
 * Xens without XENVER_guest_handle are answered from the store: our "vm"
 * node names the VM's directory ("/vm/<uuid>"), whose "uuid" node holds
 * it.  Both come from outside, so a store answer is checked to be a uuid.
 */
static ssize_t uuid_from_store(char *buf)
{
	char *vm, *uuid;
	ssize_t ret;

	vm = xenbus_read(XBT_NIL, "vm", "", NULL);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	uuid = vm[0] == '/' ? xenbus_read(XBT_NIL, vm, "uuid", NULL) :
			      ERR_PTR(-EINVAL);
	kfree(vm);
	if (IS_ERR(uuid))
		return PTR_ERR(uuid);
	ret = uuid_is_valid(uuid) ? sysfs_emit(buf, "%s\n", uuid) : -EINVAL;
	kfree(uuid);
	return ret;
}

static ssize_t uuid_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	xen_domain_handle_t handle;

	if (HYPERVISOR_xen_version(XENVER_guest_handle, handle))
		return uuid_from_store(buf);
	return sysfs_emit(buf, "%pU\n", handle);
}
XEN_SYSFS_ATTR(uuid);

static int xen_sysfs_store_ready(struct notifier_block *nb,
				 unsigned long event, void *data)
{
	if (sysfs_create_file(hypervisor_kobj, &xen_attr_uuid.attr))
		pr_warn("cannot create /sys/hypervisor/uuid\n");
	return NOTIFY_DONE;
}

static struct notifier_block xen_sysfs_ready_nb = {
	.notifier_call = xen_sysfs_store_ready,
};

static const struct attribute_group *xen_sysfs_groups[] = {
	&xen_version_group,
	&xen_compilation_group,
	&xen_properties_group,
	NULL,
};

static int __init xen_sysfs_init(void)
{
	int err;

	if (!xen_domain() || !hypervisor_kobj)
		return 0;

	err = sysfs_create_file(hypervisor_kobj, &xen_attr_type.attr);
	if (!err)
		err = sysfs_create_groups(hypervisor_kobj, xen_sysfs_groups);
	if (err) {
		pr_err("cannot populate /sys/hypervisor: %d\n", err);
		return err;
	}
	return register_xenstore_notifier(&xen_sysfs_ready_nb);
}
device_initcall(xen_sysfs_init);
