// SPDX-License-Identifier: GPL-2.0
/*
 * The frontend side of xenbus: bus "xen", one device per store directory
 * "device/<class>/<id>" under our domain's home, named "<class>-<id>".
 *
 * The set of devices follows the store: a full scan once the store is
 * up, then a watch on "device" adds a device whose directory appears
 * (xl block-attach) and removes one whose directory disappears (xl
 * block-detach).  Class and id names are checked against the store's
 * node name alphabet and length limits before they are used in a path.
 */
#define pr_fmt(fmt) "xenbus: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define XENFE_ID_MAX	64	/* longest device id we accept, with NUL */

static struct xenbus_side xenfe_side = {
	.bus.name = "xen",
	.alias_prefix = "xen",
	.root = "device",
	.otherend_key = "backend",
	.otherend_id_key = "backend-id",
};

/* Makes our devices agree with the store for device/<class>/<id>. */
static void xenfe_sync_device(const char *class, const char *id)
{
	char *nodename, *name;

	if (!xenbus_valid_name(class,
			       sizeof_field(struct xenbus_device_id, devicetype)) ||
	    !xenbus_valid_name(id, XENFE_ID_MAX)) {
		pr_warn_ratelimited("ignoring device/%.32s/%.64s: bad name\n",
				    class, id);
		return;
	}
	nodename = kasprintf(GFP_KERNEL, "%s/%s/%s", xenfe_side.root, class,
			     id);
	name = kasprintf(GFP_KERNEL, "%s-%s", class, id);
	if (nodename && name)
		xenbus_side_sync(&xenfe_side, class, nodename, name);
	kfree(name);
	kfree(nodename);
}

static void xenfe_scan_class(const char *class)
{
	unsigned int i, n;
	char **ids;

	ids = xenbus_directory(XBT_NIL, xenfe_side.root, class, &n);
	if (IS_ERR(ids))
		return;
	for (i = 0; i < n; i++)
		xenfe_sync_device(class, ids[i]);
	kfree(ids);
}

/* Adds what the store has and we lack, then drops what it lost. */
static void xenfe_scan_all(void)
{
	unsigned int i, n;
	char **classes;

	classes = xenbus_directory(XBT_NIL, xenfe_side.root, "", &n);
	if (!IS_ERR(classes)) {
		for (i = 0; i < n; i++)
			xenfe_scan_class(classes[i]);
		kfree(classes);
	}
	xenbus_side_prune(&xenfe_side);
}

/* Watch on "device": @path is "device[/<class>[/<id>[/...]]]". */
static void xenfe_hotplug(struct xenbus_watch *watch, const char *path)
{
	size_t root_len = strlen(xenfe_side.root);
	char *copy, *rest, *class, *id;

	if (strncmp(path, xenfe_side.root, root_len) ||
	    (path[root_len] != '/' && path[root_len] != '\0'))
		return;
	copy = kstrdup(path + root_len, GFP_KERNEL);
	if (!copy)
		return;

	rest = copy;
	if (*rest == '/')
		rest++;
	class = strsep(&rest, "/");
	id = rest ? strsep(&rest, "/") : NULL;

	mutex_lock(&xenfe_side.scan_lock);
	if (class && *class && id && *id)
		xenfe_sync_device(class, id);
	else
		xenfe_scan_all();
	mutex_unlock(&xenfe_side.scan_lock);
	kfree(copy);
}

static struct xenbus_watch xenfe_hotplug_watch = {
	.node = "device",
	.callback = xenfe_hotplug,
};

static int xenfe_store_ready(struct notifier_block *nb, unsigned long event,
			     void *data)
{
	int err;

	mutex_lock(&xenfe_side.scan_lock);
	xenfe_scan_all();
	mutex_unlock(&xenfe_side.scan_lock);

	err = register_xenbus_watch(&xenfe_hotplug_watch);
	if (err)
		pr_err("cannot watch %s, no hotplug: %d\n",
		       xenfe_hotplug_watch.node, err);
	return NOTIFY_DONE;
}

static struct notifier_block xenfe_ready_nb = {
	.notifier_call = xenfe_store_ready,
};

int __xenbus_register_frontend(struct xenbus_driver *drv,
			       struct module *owner, const char *mod_name)
{
	return xenbus_side_register_driver(&xenfe_side, drv, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__xenbus_register_frontend);

int __init xenbus_frontend_init(void)
{
	int err = xenbus_side_register(&xenfe_side);

	if (err)
		return err;
	return register_xenstore_notifier(&xenfe_ready_nb);
}
