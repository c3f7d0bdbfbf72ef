// SPDX-License-Identifier: GPL-2.0
/*
 * The backend side of xenbus: bus "xen-backend", one device per store
 * directory "backend/<class>/<frontend-domid>/<id>" under our domain's
 * home, named "<class>-<domid>-<id>" (vbd-3-51712).
 *
 * The toolstack creates such a directory, with the frontend's twin,
 * when it gives a guest a device, and removes it once the device is torn
 * down; a watch on "backend" keeps our devices in step.  The drivers
 * (blkback, netback) follow the frontend's state from there.
 *
 * Trust: the backend directory is written by the toolstack, which we
 * trust; the frontend's directory and everything in it is the guest's.
 * Names are still checked against the store's alphabet and limits before
 * they become paths, and the domid level must be a plain number.
 */
#define pr_fmt(fmt) "xenbus-backend: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define XENBE_ID_MAX	64	/* longest device id we accept, with NUL */

static struct xenbus_side xenbe_side = {
	.bus.name = "xen-backend",
	.alias_prefix = "xen-backend",
	.root = "backend",
	.otherend_key = "frontend",
	.otherend_id_key = "frontend-id",
};

static bool xenbe_valid_domid(const char *s)
{
	unsigned int domid;

	return !kstrtouint(s, 10, &domid) && domid < DOMID_FIRST_RESERVED &&
	       s[0] != '+' && (s[0] != '0' || s[1] == '\0');
}

/* Makes our devices agree with the store for backend/<class>/<dom>/<id>. */
static void xenbe_sync_device(const char *class, const char *dom,
			      const char *id)
{
	char *nodename, *name;

	if (!xenbus_valid_name(class,
			       sizeof_field(struct xenbus_device_id, devicetype)) ||
	    !xenbe_valid_domid(dom) || !xenbus_valid_name(id, XENBE_ID_MAX)) {
		pr_warn_ratelimited("ignoring backend/%.32s/%.8s/%.64s: bad name\n",
				    class, dom, id);
		return;
	}
	nodename = kasprintf(GFP_KERNEL, "%s/%s/%s/%s", xenbe_side.root,
			     class, dom, id);
	name = kasprintf(GFP_KERNEL, "%s-%s-%s", class, dom, id);
	if (nodename && name)
		xenbus_side_sync(&xenbe_side, class, nodename, name);
	kfree(name);
	kfree(nodename);
}

static void xenbe_scan_domain(const char *class, const char *dom)
{
	unsigned int i, n;
	char *dir;
	char **ids;

	dir = kasprintf(GFP_KERNEL, "%s/%s/%s", xenbe_side.root, class, dom);
	if (!dir)
		return;
	ids = xenbus_directory(XBT_NIL, dir, "", &n);
	kfree(dir);
	if (IS_ERR(ids))
		return;
	for (i = 0; i < n; i++)
		xenbe_sync_device(class, dom, ids[i]);
	kfree(ids);
}

static void xenbe_scan_class(const char *class)
{
	unsigned int i, n;
	char **doms;

	doms = xenbus_directory(XBT_NIL, xenbe_side.root, class, &n);
	if (IS_ERR(doms))
		return;
	for (i = 0; i < n; i++)
		xenbe_scan_domain(class, doms[i]);
	kfree(doms);
}

/* Adds what the store has and we lack, then drops what it lost. */
static void xenbe_scan_all(void)
{
	unsigned int i, n;
	char **classes;

	classes = xenbus_directory(XBT_NIL, xenbe_side.root, "", &n);
	if (!IS_ERR(classes)) {
		for (i = 0; i < n; i++)
			xenbe_scan_class(classes[i]);
		kfree(classes);
	}
	xenbus_side_prune(&xenbe_side);
}

/*
 * Watch on "backend": @path is "backend[/<class>[/<dom>[/<id>[/...]]]]".
 * Most events are the drivers' own writes below a device: those resolve
 * to a device that exists and cost one lookup.
 */
static void xenbe_hotplug(struct xenbus_watch *watch, const char *path)
{
	size_t root_len = strlen(xenbe_side.root);
	char *copy, *rest, *class, *dom, *id;

	if (strncmp(path, xenbe_side.root, root_len) ||
	    (path[root_len] != '/' && path[root_len] != '\0'))
		return;
	copy = kstrdup(path + root_len, GFP_KERNEL);
	if (!copy)
		return;

	rest = copy;
	if (*rest == '/')
		rest++;
	class = strsep(&rest, "/");
	dom = rest ? strsep(&rest, "/") : NULL;
	id = rest ? strsep(&rest, "/") : NULL;

	mutex_lock(&xenbe_side.scan_lock);
	if (class && *class && dom && *dom && id && *id)
		xenbe_sync_device(class, dom, id);
	else if (class && *class && dom && *dom)
		xenbe_scan_domain(class, dom);
	else
		xenbe_scan_all();
	mutex_unlock(&xenbe_side.scan_lock);
	kfree(copy);
}

static struct xenbus_watch xenbe_hotplug_watch = {
	.node = "backend",
	.callback = xenbe_hotplug,
};

static int xenbe_store_ready(struct notifier_block *nb, unsigned long event,
			     void *data)
{
	int err;

	mutex_lock(&xenbe_side.scan_lock);
	xenbe_scan_all();
	mutex_unlock(&xenbe_side.scan_lock);

	err = register_xenbus_watch(&xenbe_hotplug_watch);
	if (err)
		pr_err("cannot watch %s, no backend devices: %d\n",
		       xenbe_hotplug_watch.node, err);
	return NOTIFY_DONE;
}

static struct notifier_block xenbe_ready_nb = {
	.notifier_call = xenbe_store_ready,
};

int __xenbus_register_backend(struct xenbus_driver *drv,
			      struct module *owner, const char *mod_name)
{
	return xenbus_side_register_driver(&xenbe_side, drv, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__xenbus_register_backend);

bool xenbus_backend_online(struct xenbus_device *dev)
{
	unsigned int online;

	return !xenbus_read_uint(XBT_NIL, dev->nodename, "online", &online) &&
	       online;
}
EXPORT_SYMBOL_GPL(xenbus_backend_online);

int __init xenbus_backend_init(void)
{
	int err = xenbus_side_register(&xenbe_side);

	if (err)
		return err;
	return register_xenstore_notifier(&xenbe_ready_nb);
}
