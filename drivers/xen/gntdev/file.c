// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/gntdev: the file, its ioctls and its table of grant maps.
 *
 * IOCTL_GNTDEV_MAP_GRANT_REF reserves a run of the file's offsets (in
 * pages) for a list of (domain, reference) pairs: nothing is mapped yet,
 * that happens when the process mmap()s the run (map.c).
 * IOCTL_GNTDEV_UNMAP_GRANT_REF gives the run back; a map that is still
 * mmapped lives on until munmap().  The table is kept sorted by offset so
 * a new run goes into the first gap that fits.
 */
#define pr_fmt(fmt) "xen-gntdev: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <xen/events.h>
#include <xen/xen.h>

#include "gntdev.h"

void gntdev_put_map(struct gntdev_map *map)
{
	if (!refcount_dec_and_test(&map->users))
		return;
	kvfree(map->refs);
	kfree(map);
}

/* Under f->lock: the map whose run holds page @index, or NULL. */
static struct gntdev_map *gntdev_find(struct gntdev_file *f, u64 index)
{
	struct gntdev_map *map;

	list_for_each_entry(map, &f->maps, node)
		if (index >= map->index && index - map->index < map->count)
			return map;
	return NULL;
}

/* Under f->lock: put @map into the first gap of the table that fits it. */
static void gntdev_insert(struct gntdev_file *f, struct gntdev_map *map)
{
	struct list_head *after = &f->maps;
	struct gntdev_map *m;
	u64 next = 0;

	list_for_each_entry(m, &f->maps, node) {
		if (m->index - next >= map->count)
			break;
		next = m->index + m->count;
		after = &m->node;
	}
	map->index = next;
	list_add(&map->node, after);
}

static long gntdev_ioctl_map(struct gntdev_file *f,
			     struct ioctl_gntdev_map_grant_ref __user *u)
{
	struct ioctl_gntdev_map_grant_ref op;
	struct gntdev_map *map;
	unsigned int i;
	long rc;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	if (!op.count || op.count > GNTDEV_MAX_GRANTS)
		return -EINVAL;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	refcount_set(&map->users, 1);
	map->count = op.count;
	map->refs = kvmalloc_array(op.count, sizeof(map->refs[0]), GFP_KERNEL);
	rc = -ENOMEM;
	if (!map->refs)
		goto free;
	rc = -EFAULT;
	if (copy_from_user(map->refs, u->refs, op.count * sizeof(map->refs[0])))
		goto free;
	rc = -EINVAL;
	for (i = 0; i < op.count; i++)
		if (map->refs[i].domid >= DOMID_FIRST_RESERVED)
			goto free;

	mutex_lock(&f->lock);
	if (f->nr_grants + op.count > GNTDEV_MAX_GRANTS) {
		mutex_unlock(&f->lock);
		pr_warn_ratelimited("%s: more than %u grants reserved\n",
				    current->comm, GNTDEV_MAX_GRANTS);
		rc = -ENOSPC;
		goto free;
	}
	gntdev_insert(f, map);
	f->nr_grants += op.count;
	op.index = map->index << PAGE_SHIFT;
	mutex_unlock(&f->lock);

	if (put_user(op.index, &u->index)) {
		mutex_lock(&f->lock);
		list_del(&map->node);
		f->nr_grants -= map->count;
		mutex_unlock(&f->lock);
		gntdev_put_map(map);
		return -EFAULT;
	}
	return 0;
free:
	kvfree(map->refs);
	kfree(map);
	return rc;
}

static long gntdev_ioctl_unmap(struct gntdev_file *f, void __user *udata)
{
	struct ioctl_gntdev_unmap_grant_ref op;
	struct gntdev_map *map;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (op.index & ~PAGE_MASK)
		return -EINVAL;
	mutex_lock(&f->lock);
	map = gntdev_find(f, op.index >> PAGE_SHIFT);
	if (!map || map->index != op.index >> PAGE_SHIFT ||
	    map->count != op.count) {
		mutex_unlock(&f->lock);
		return -ENOENT;
	}
	list_del(&map->node);
	f->nr_grants -= map->count;
	mutex_unlock(&f->lock);
	/* Still mmapped: the mapping holds its own reference. */
	gntdev_put_map(map);
	return 0;
}

static long gntdev_ioctl_offset(struct file *file, void __user *udata)
{
	struct ioctl_gntdev_get_offset_for_vaddr op;
	struct vm_area_struct *vma;
	struct gntdev_map *map;
	long rc = -EINVAL;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, op.vaddr);
	if (vma && vma->vm_file == file && vma->vm_start == op.vaddr) {
		map = vma->vm_private_data;
		op.offset = map->index << PAGE_SHIFT;
		op.count = map->count;
		rc = 0;
	}
	mmap_read_unlock(current->mm);
	if (!rc && copy_to_user(udata, &op, sizeof(op)))
		rc = -EFAULT;
	return rc;
}

static long gntdev_ioctl_notify(struct gntdev_file *f, void __user *udata)
{
	struct ioctl_gntdev_unmap_notify op;
	struct gntdev_map *map;
	long rc = 0;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (op.action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
		return -EINVAL;
	if ((op.action & UNMAP_NOTIFY_SEND_EVENT) && !op.event_channel_port)
		return -EINVAL;

	mutex_lock(&f->lock);
	map = gntdev_find(f, op.index >> PAGE_SHIFT);
	if (!map) {
		rc = -ENOENT;
	} else if ((op.action & UNMAP_NOTIFY_CLEAR_BYTE) && map->vma &&
		   map->readonly) {
		rc = -EINVAL;	/* there is no byte we may write */
	} else {
		map->notify_action = op.action;
		map->notify_port = op.event_channel_port;
		map->notify_offset = op.index - (map->index << PAGE_SHIFT);
	}
	mutex_unlock(&f->lock);
	return rc;
}

static long gntdev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct gntdev_file *f = file->private_data;
	void __user *udata = (void __user *)arg;

	switch (cmd) {
	case IOCTL_GNTDEV_MAP_GRANT_REF:
		return gntdev_ioctl_map(f, udata);
	case IOCTL_GNTDEV_UNMAP_GRANT_REF:
		return gntdev_ioctl_unmap(f, udata);
	case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR:
		return gntdev_ioctl_offset(file, udata);
	case IOCTL_GNTDEV_SET_UNMAP_NOTIFY:
		return gntdev_ioctl_notify(f, udata);
	case IOCTL_GNTDEV_GRANT_COPY:
		return gntdev_ioctl_grant_copy(udata);
	default:
		/* SET_MAX_GRANTS included: the library takes ENOTTY as "ok". */
		return -ENOTTY;
	}
}

static int gntdev_open(struct inode *inode, struct file *file)
{
	struct gntdev_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->maps);
	file->private_data = f;
	return 0;
}

/* Every mapping of the file is gone by now: they hold the file open. */
static int gntdev_release(struct inode *inode, struct file *file)
{
	struct gntdev_file *f = file->private_data;
	struct gntdev_map *map, *tmp;

	list_for_each_entry_safe(map, tmp, &f->maps, node) {
		list_del(&map->node);
		gntdev_put_map(map);
	}
	kfree(f);
	return 0;
}

static const struct file_operations gntdev_fops = {
	.owner		= THIS_MODULE,
	.open		= gntdev_open,
	.release	= gntdev_release,
	.mmap		= gntdev_mmap,
	.unlocked_ioctl	= gntdev_ioctl,
};

static struct miscdevice gntdev_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/gntdev",
	.fops	= &gntdev_fops,
};

static int __init gntdev_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	if (!gntdev_supported())
		pr_warn("Xen cannot mark grant PTEs: mapping disabled\n");
	return misc_register(&gntdev_dev);
}
module_init(gntdev_init);

static void __exit gntdev_exit(void)
{
	misc_deregister(&gntdev_dev);
}
module_exit(gntdev_exit);

MODULE_DESCRIPTION("Other domains' grants for user space");
MODULE_LICENSE("GPL");
