// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus bus type: device objects for store directories, driver
 * matching on the device class, and the probe/remove sequence that ties
 * a device to its other end.
 *
 * Everything here is parametrised by a struct xenbus_side so that the
 * frontend bus ("xen") and the backend bus ("xen-backend") share it; only
 * the enumeration of the store differs between them.
 *
 * Probing reads "<nodename>/<otherend_id_key>" and "<otherend_key>"
 * first.  A domain id that is not a plain number below
 * DOMID_FIRST_RESERVED, or a path that is not a well-formed absolute
 * store path naming an existing node, stops the probe with a message.
 *
 * Save/restore of a domU reaches the drivers through the bus's PM
 * callbacks: freeze, thaw (same domain) and restore (a new domain, where
 * the device is connected again to the backend the toolstack made).
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

bool xenbus_valid_name(const char *name, size_t max)
{
	size_t len = strnlen(name, max);
	size_t i;

	if (len == 0 || len >= max)
		return false;
	/* xenstored's node name alphabet, minus the separator. */
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("-_@", name[i]))
			return false;
	return true;
}

/* An absolute path of valid names: "/a/b", no empty component. */
static bool xenbus_valid_abs_path(const char *path)
{
	size_t len = strnlen(path, XENSTORE_ABS_PATH_MAX);
	size_t i;

	if (len < 2 || len >= XENSTORE_ABS_PATH_MAX || path[0] != '/' ||
	    path[len - 1] == '/')
		return false;
	for (i = 1; i < len; i++) {
		if (path[i] == '/' ? path[i - 1] == '/' :
		    !isalnum(path[i]) && !strchr("-_@", path[i]))
			return false;
	}
	return true;
}

static struct xenbus_side *xenbus_side_of(struct device *dev)
{
	return container_of(dev->bus, struct xenbus_side, bus);
}

static const struct xenbus_device_id *
xenbus_lookup_id(const struct xenbus_device_id *ids,
		 const struct xenbus_device *xdev)
{
	for (; ids && ids->devicetype[0]; ids++)
		if (!strcmp(ids->devicetype, xdev->devicetype))
			return ids;
	return NULL;
}

static int xenbus_match(struct device *dev, struct device_driver *drv)
{
	return xenbus_lookup_id(to_xenbus_driver(drv)->ids,
				to_xenbus_device(dev)) != NULL;
}

static int xenbus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_side *side = xenbus_side_of(dev);

	if (add_uevent_var(env, "MODALIAS=%s:%s", side->alias_prefix,
			   xdev->devicetype) ||
	    add_uevent_var(env, "XENBUS_TYPE=%s", xdev->devicetype) ||
	    add_uevent_var(env, "XENBUS_PATH=%s", xdev->nodename) ||
	    add_uevent_var(env, "XENBUS_BASE_PATH=%s", side->root))
		return -ENOMEM;
	return 0;
}

static int xenbus_read_otherend(struct xenbus_side *side,
				struct xenbus_device *xdev)
{
	struct device *dev = &xdev->dev;
	unsigned int id;
	char *path;
	int err;

	err = xenbus_read_uint(XBT_NIL, xdev->nodename, side->otherend_id_key,
			       &id);
	if (err || id >= DOMID_FIRST_RESERVED) {
		dev_warn(dev, "%s/%s missing or not a domain id (%d): not probed\n",
			 xdev->nodename, side->otherend_id_key, err);
		return -ENODEV;
	}

	path = xenbus_read(XBT_NIL, xdev->nodename, side->otherend_key, NULL);
	if (IS_ERR(path)) {
		dev_warn(dev, "no %s/%s (%ld): not probed\n", xdev->nodename,
			 side->otherend_key, PTR_ERR(path));
		return -ENODEV;
	}
	if (!xenbus_valid_abs_path(path) ||
	    !xenbus_exists(XBT_NIL, path, "")) {
		dev_warn(dev, "%s/%s is \"%.64s\", not an existing node: not probed\n",
			 xdev->nodename, side->otherend_key, path);
		kfree(path);
		return -ENODEV;
	}

	xdev->otherend = path;
	xdev->otherend_id = id;
	return 0;
}

static void xenbus_otherend_changed(struct xenbus_watch *watch,
				    const char *path)
{
	struct xenbus_device *xdev =
		container_of(watch, struct xenbus_device, otherend_watch);
	/* Stable: the watch only exists while a driver is bound. */
	struct xenbus_driver *drv = to_xenbus_driver(xdev->dev.driver);
	enum xenbus_state state;
	char *value;

	/* Only the node itself, not something created below it. */
	if (strcmp(path, watch->node))
		return;

	value = xenbus_read(XBT_NIL, path, "", NULL);
	if (IS_ERR(value)) {
		/* The other end is gone. */
		state = XenbusStateUnknown;
	} else {
		int bad = xenbus_parse_state(value, &state);

		if (bad)
			dev_warn_ratelimited(&xdev->dev,
					     "other end state \"%.16s\" ignored\n",
					     value);
		kfree(value);
		if (bad)
			return;
	}

	dev_dbg(&xdev->dev, "other end is now %s\n", xenbus_strstate(state));
	if (drv->otherend_changed)
		drv->otherend_changed(xdev, state);
}

static int xenbus_watch_otherend(struct xenbus_device *xdev)
{
	struct xenbus_watch *watch = &xdev->otherend_watch;
	char *node;
	int err;

	node = kasprintf(GFP_KERNEL, "%s/state", xdev->otherend);
	if (!node)
		return -ENOMEM;
	watch->node = node;
	watch->callback = xenbus_otherend_changed;
	err = register_xenbus_watch(watch);
	if (err) {
		kfree(node);
		watch->node = NULL;
	}
	return err;
}

static void xenbus_unwatch_otherend(struct xenbus_device *xdev)
{
	struct xenbus_watch *watch = &xdev->otherend_watch;

	if (!watch->node)
		return;
	unregister_xenbus_watch(watch);
	kfree(watch->node);
	watch->node = NULL;
}

static void xenbus_forget_otherend(struct xenbus_device *xdev)
{
	kfree(xdev->otherend);
	xdev->otherend = NULL;
	xdev->otherend_id = 0;
}

static int xenbus_probe(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_driver *drv = to_xenbus_driver(dev->driver);
	const struct xenbus_device_id *id = xenbus_lookup_id(drv->ids, xdev);
	int err;

	if (!id || !drv->probe)
		return -ENODEV;
	err = xenbus_read_otherend(xenbus_side_of(dev), xdev);
	if (err)
		return err;

	err = drv->probe(xdev, id);
	if (err)
		goto out_forget;

	/* Fires once at once: the driver sees the other end's state. */
	err = xenbus_watch_otherend(xdev);
	if (err) {
		dev_warn(dev, "cannot watch %s/state: %d\n", xdev->otherend,
			 err);
		if (drv->remove)
			drv->remove(xdev);
		goto out_forget;
	}
	return 0;

out_forget:
	xenbus_forget_otherend(xdev);
	return err;
}

static void xenbus_remove(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_driver *drv = to_xenbus_driver(dev->driver);

	/* First, so no state change reaches a half-removed driver. */
	xenbus_unwatch_otherend(xdev);
	if (drv->remove)
		drv->remove(xdev);
	xenbus_forget_otherend(xdev);
}

/* ---- save and restore of a domU (drivers/xen/suspend.c) */

static struct xenbus_driver *xenbus_bound_driver(struct device *dev)
{
	return dev->driver ? to_xenbus_driver(dev->driver) : NULL;
}

static int xenbus_pm_freeze(struct device *dev)
{
	struct xenbus_driver *drv = xenbus_bound_driver(dev);

	return drv && drv->freeze ? drv->freeze(to_xenbus_device(dev)) : 0;
}

static int xenbus_pm_thaw(struct device *dev)
{
	struct xenbus_driver *drv = xenbus_bound_driver(dev);

	return drv && drv->thaw ? drv->thaw(to_xenbus_device(dev)) : 0;
}

/*
 * Drops the connection of a driver without a restore callback: it is
 * removed and probed again, as if the device had been unplugged and
 * plugged back.
 */
static int xenbus_restore_by_reprobe(struct xenbus_driver *drv,
				     struct xenbus_device *xdev)
{
	if (drv->remove)
		drv->remove(xdev);
	return drv->probe(xdev, xenbus_lookup_id(drv->ids, xdev));
}

/*
 * Resumed in a new domain: the toolstack wrote our directory again, with
 * a new backend directory (its path holds our new domain id) whose
 * driver waits in InitWait.  The driver drops its dead connection, we
 * say Initialising and watch the new other end; its state changes then
 * drive the driver as after a probe.  Nothing is asked of the old other
 * end: it went with the old domain.
 */
static int xenbus_pm_restore(struct device *dev)
{
	struct xenbus_driver *drv = xenbus_bound_driver(dev);
	struct xenbus_device *xdev = to_xenbus_device(dev);
	const char *old = xdev->otherend;
	bool found;
	int err;

	if (!drv)
		return 0;
	xenbus_unwatch_otherend(xdev);
	/* On failure xdev->otherend stays the old path: never NULL. */
	found = !xenbus_read_otherend(xenbus_side_of(dev), xdev);
	if (found)
		kfree(old);

	xdev->state = XenbusStateUnknown;
	err = drv->restore ? drv->restore(xdev) :
		xenbus_restore_by_reprobe(drv, xdev);
	if (err)
		dev_warn(dev, "restore: the driver failed to reset: %d\n", err);
	if (!found || err)
		return 0;

	xenbus_switch_state(xdev, XenbusStateInitialising);
	err = xenbus_watch_otherend(xdev);
	if (err)
		dev_warn(dev, "restore: cannot watch %s/state: %d\n",
			 xdev->otherend, err);
	return 0;
}

static const struct dev_pm_ops xenbus_pm_ops = {
	.freeze = xenbus_pm_freeze,
	.thaw = xenbus_pm_thaw,
	.restore = xenbus_pm_restore,
};

/* The sysfs view of a device: what udev and the toolstack's scripts read. */
static ssize_t nodename_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_xenbus_device(dev)->nodename);
}
static DEVICE_ATTR_RO(nodename);

static ssize_t devtype_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(devtype);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s:%s\n", xenbus_side_of(dev)->alias_prefix,
			  to_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  xenbus_strstate(to_xenbus_device(dev)->state));
}
static DEVICE_ATTR_RO(state);

static struct attribute *xenbus_dev_attrs[] = {
	&dev_attr_nodename.attr,
	&dev_attr_devtype.attr,
	&dev_attr_modalias.attr,
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xenbus_dev);

int xenbus_side_register(struct xenbus_side *side)
{
	int err;

	side->bus.match = xenbus_match;
	side->bus.uevent = xenbus_uevent;
	side->bus.probe = xenbus_probe;
	side->bus.remove = xenbus_remove;
	side->bus.dev_groups = xenbus_dev_groups;
	side->bus.pm = &xenbus_pm_ops;
	mutex_init(&side->scan_lock);
	err = bus_register(&side->bus);
	side->registered = !err;
	return err;
}

static void xenbus_release(struct device *dev)
{
	kfree(to_xenbus_device(dev));
}

int xenbus_side_add_device(struct xenbus_side *side, const char *type,
			   const char *nodename, const char *name)
{
	size_t type_len = strlen(type) + 1;
	size_t node_len = strlen(nodename) + 1;
	struct xenbus_device *xdev;
	char *strings;
	int err;

	/* The two strings live right after the structure. */
	xdev = kzalloc(sizeof(*xdev) + type_len + node_len, GFP_KERNEL);
	if (!xdev)
		return -ENOMEM;
	strings = (char *)(xdev + 1);
	memcpy(strings, type, type_len);
	memcpy(strings + type_len, nodename, node_len);
	xdev->devicetype = strings;
	xdev->nodename = strings + type_len;
	xdev->state = XenbusStateInitialising;

	device_initialize(&xdev->dev);
	xdev->dev.bus = &side->bus;
	xdev->dev.release = xenbus_release;
	err = dev_set_name(&xdev->dev, "%s", name);
	if (!err)
		err = device_add(&xdev->dev);
	if (err) {
		pr_warn("xenbus: cannot add device %s: %d\n", nodename, err);
		put_device(&xdev->dev);
	}
	return err;
}

/*
 * Makes the side's device @name agree with the store directory @nodename:
 * added if the directory appeared, removed if it went, probed again if an
 * earlier probe found its entries incomplete.  Under side->scan_lock.
 */
void xenbus_side_sync(struct xenbus_side *side, const char *type,
		      const char *nodename, const char *name)
{
	bool present = xenbus_exists(XBT_NIL, nodename, "");
	struct xenbus_device *xdev = xenbus_side_find(side, name);

	if (xdev && strcmp(xdev->nodename, nodename)) {
		pr_warn_ratelimited("xenbus: %s and %s both map to %s: second ignored\n",
				    xdev->nodename, nodename, name);
	} else if (present && !xdev) {
		xenbus_side_add_device(side, type, nodename, name);
	} else if (!present && xdev) {
		device_unregister(&xdev->dev);
	} else if (present && xdev && !xdev->dev.driver) {
		if (device_attach(&xdev->dev) < 0)
			dev_dbg(&xdev->dev, "attach retry failed\n");
	}
	if (xdev)
		put_device(&xdev->dev);
}

static int xenbus_prune_one(struct device *dev, void *unused)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);

	if (!xenbus_exists(XBT_NIL, xdev->nodename, ""))
		device_unregister(dev);
	return 0;
}

/* Removes every device of the side whose directory is gone. */
void xenbus_side_prune(struct xenbus_side *side)
{
	bus_for_each_dev(&side->bus, NULL, NULL, xenbus_prune_one);
}

/* With a reference the caller drops with put_device(), or NULL. */
struct xenbus_device *xenbus_side_find(struct xenbus_side *side,
				       const char *name)
{
	struct device *dev = bus_find_device_by_name(&side->bus, NULL, name);

	return dev ? to_xenbus_device(dev) : NULL;
}

int xenbus_side_register_driver(struct xenbus_side *side,
				struct xenbus_driver *drv,
				struct module *owner, const char *mod_name)
{
	/* No store, no bus: say so rather than let the driver core fail. */
	if (!side->registered)
		return -ENODEV;
	drv->driver.name = drv->name ? drv->name : mod_name;
	drv->driver.bus = &side->bus;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	return driver_register(&drv->driver);
}

void xenbus_unregister_driver(struct xenbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(xenbus_unregister_driver);
