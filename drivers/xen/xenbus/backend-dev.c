// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/xenbus_backend: the control domain's store ring for the tool
 * that starts xenstored in a domain of its own (Xen's
 * init-xenstore-domain) rather than as a process here.
 *
 *   IOCTL_XENBUS_BACKEND_EVTCHN   the port the ring is signalled on
 *   IOCTL_XENBUS_BACKEND_SETUP    hand the ring to the domain given as
 *                                 argument (xenstore_local_move()): it
 *                                 may map the page through the store's
 *                                 reserved grant and bind the port this
 *                                 returns; EEXIST once the store is up
 *   mmap(), one page at offset 0  the ring page
 *
 * Only CAP_SYS_ADMIN may open it.  The ioctl argument is a domain id and
 * is refused outside the range of real domains.
 */
#define pr_fmt(fmt) "xenbus-backend: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <uapi/xen/xenbus_dev.h>
#include <xen/interface/xen.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

static int xsbe_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static long xsbe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	evtchn_port_t port;

	switch (cmd) {
	case IOCTL_XENBUS_BACKEND_EVTCHN:
		if (!xenstore_local_ring(&port) || !port)
			return -ENODEV;
		return port;
	case IOCTL_XENBUS_BACKEND_SETUP:
		if (arg >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		return xenstore_local_move(arg);
	default:
		return -ENOTTY;
	}
}

static int xsbe_mmap(struct file *file, struct vm_area_struct *vma)
{
	return xenstore_local_ring_mmap(vma);
}

static const struct file_operations xsbe_fops = {
	.owner		= THIS_MODULE,
	.open		= xsbe_open,
	.unlocked_ioctl	= xsbe_ioctl,
	.mmap		= xsbe_mmap,
	.llseek		= no_llseek,
};

static struct miscdevice xsbe_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/xenbus_backend",
	.fops	= &xsbe_fops,
};

static int __init xsbe_init(void)
{
	if (!xen_initial_domain())
		return -ENODEV;
	return misc_register(&xsbe_dev);
}
device_initcall(xsbe_init);
