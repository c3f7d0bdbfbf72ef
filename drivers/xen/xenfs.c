// SPDX-License-Identifier: GPL-2.0
/*
 * xenfs, mounted on /proc/xen: what the toolstack of the control domain
 * looks for there.
 *
 *   capabilities  "control_d" in the control domain (the start scripts
 *                 and the libraries check it), empty elsewhere
 *   privcmd       the same device as /dev/xen/privcmd, for old tools
 *   xenbus        the same as /dev/xen/xenbus: the store for processes
 *   xsd_port      the event channel xenstored binds to serve our store
 *                 ring, in decimal
 *   xsd_kva       that ring: mmap() of one page maps it; read() gives an
 *                 address-like token for tools that print it
 *
 * privcmd and the xsd_* files exist only in the control domain, the only
 * place a toolstack or a xenstored could use them.
 */
#define pr_fmt(fmt) "xenfs: " fmt

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>

#include <xen/xenbus.h>
#include <xen/xen.h>

#include "privcmd/privcmd.h"

#define XENFS_SUPER_MAGIC	0xabba1974

static ssize_t xenfs_caps_read(struct file *file, char __user *buf,
			       size_t size, loff_t *off)
{
	static const char caps[] = "control_d\n";

	if (!xen_initial_domain())
		return 0;
	return simple_read_from_buffer(buf, size, off, caps, sizeof(caps) - 1);
}

static const struct file_operations xenfs_caps_fops = {
	.read = xenfs_caps_read,
	.llseek = default_llseek,
};

static ssize_t xenfs_port_read(struct file *file, char __user *buf,
			       size_t size, loff_t *off)
{
	evtchn_port_t port;
	char text[16];
	int len;

	if (!xenstore_local_ring(&port))
		return -ENODEV;
	len = scnprintf(text, sizeof(text), "%u", port);
	return simple_read_from_buffer(buf, size, off, text, len);
}

static const struct file_operations xenfs_port_fops = {
	.read = xenfs_port_read,
	.llseek = default_llseek,
};

static ssize_t xenfs_kva_read(struct file *file, char __user *buf,
			      size_t size, loff_t *off)
{
	evtchn_port_t port;
	void *ring = xenstore_local_ring(&port);
	char text[32];
	int len;

	if (!ring)
		return -ENODEV;
	/* A hashed pointer: nothing of our layout leaks. */
	len = scnprintf(text, sizeof(text), "0x%p", ring);
	return simple_read_from_buffer(buf, size, off, text, len);
}

static int xenfs_kva_mmap(struct file *file, struct vm_area_struct *vma)
{
	return xenstore_local_ring_mmap(vma);
}

static const struct file_operations xenfs_kva_fops = {
	.read = xenfs_kva_read,
	.mmap = xenfs_kva_mmap,
	.llseek = default_llseek,
};

static int xenfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	static const struct tree_descr domu_files[] = {
		[2] = { "capabilities", &xenfs_caps_fops, 0444 },
		{ "xenbus", &xenbus_dev_fops, 0600 },
		{ "" },
	};
	static const struct tree_descr dom0_files[] = {
		[2] = { "capabilities", &xenfs_caps_fops, 0444 },
		{ "privcmd", &xen_privcmd_fops, 0400 },
		{ "xenbus", &xenbus_dev_fops, 0600 },
		{ "xsd_kva", &xenfs_kva_fops, 0600 },
		{ "xsd_port", &xenfs_port_fops, 0400 },
		{ "" },
	};

	return simple_fill_super(sb, XENFS_SUPER_MAGIC,
				 xen_initial_domain() ? dom0_files : domu_files);
}

static int xenfs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, xenfs_fill_super);
}

static const struct fs_context_operations xenfs_context_ops = {
	.get_tree = xenfs_get_tree,
};

static int xenfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &xenfs_context_ops;
	return 0;
}

static struct file_system_type xenfs_type = {
	.owner			= THIS_MODULE,
	.name			= "xenfs",
	.init_fs_context	= xenfs_init_fs_context,
	.kill_sb		= kill_litter_super,
};
MODULE_ALIAS_FS("xenfs");

static int __init xenfs_init(void)
{
	int rc;

	if (!xen_pv_domain())
		return 0;
	rc = register_filesystem(&xenfs_type);
	if (rc) {
		pr_err("cannot register: %d\n", rc);
		return rc;
	}
	/* Where the tools expect it mounted. */
	proc_create_mount_point("xen");
	return 0;
}
module_init(xenfs_init);

static void __exit xenfs_exit(void)
{
	remove_proc_entry("xen", NULL);
	unregister_filesystem(&xenfs_type);
}
module_exit(xenfs_exit);

MODULE_DESCRIPTION("Xen filesystem for /proc/xen");
MODULE_LICENSE("GPL");
