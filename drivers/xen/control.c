// SPDX-License-Identifier: GPL-2.0
/*
 * Requests from the toolstack through xenstore's "control" directory.
 *
 * "xl shutdown", "xl reboot" and "xl sysrq" write a word (or a key) into
 * control/shutdown or control/sysrq of our home directory.  We watch both
 * nodes; on a change we read the value and write it back empty in one
 * transaction, so a request is taken exactly once and the toolstack sees
 * that it was taken.  The toolstack only writes a request we advertise
 * with control/feature-<request> = "1".
 *
 * "suspend" (xl save, xl save -c, xl migrate) runs xen_suspend_domain()
 * from a work item: the toolstack waits for the request to be taken,
 * then for the domain to suspend.  One suspend at a time: a request while
 * one is under way (until the request node has been read once more after
 * the resume) is logged and dropped, as is one that comes before the boot
 * is over (before init runs) and any without CONFIG_XEN_SAVE_RESTORE.
 *
 * Powering off or rebooting the domain at the end of the kernel's own
 * shutdown (SCHEDOP_shutdown) is arch code's job, not this file's.
 */

#define pr_fmt(fmt) "xen-control: " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysrq.h>
#include <linux/workqueue.h>

#include <xen/suspend.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#define CTL_DIR		"control"
/* Longest request value worth quoting in the log. */
#define CTL_LOG_MAX	32

struct ctl_take {
	const char *node;
	char *value;		/* kmalloc'd, set when a request was taken */
};

/* One transaction: read the node and, if it holds a request, empty it. */
static int ctl_take_body(struct xenbus_transaction t, void *arg)
{
	struct ctl_take *take = arg;
	char *val;
	int rc;

	/* A retried transaction must not keep the previous attempt's value. */
	kfree(take->value);
	take->value = NULL;

	val = xenbus_read(t, CTL_DIR, take->node, NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	if (!*val) {
		/* Empty: our own clearing write, or nothing asked. */
		kfree(val);
		return -ENODATA;
	}
	rc = xenbus_write(t, CTL_DIR, take->node, "");
	if (rc) {
		kfree(val);
		return rc;
	}
	take->value = val;
	return 0;
}

/* The pending request of control/@node, kmalloc'd, or NULL if none. */
static char *ctl_take_request(const char *node)
{
	struct ctl_take take = { .node = node };
	int rc;

	rc = xenbus_transact(ctl_take_body, &take);
	if (rc) {
		kfree(take.value);
		if (rc != -ENOENT && rc != -ENODATA)
			pr_warn("cannot read %s/%s: %d\n", CTL_DIR, node, rc);
		return NULL;
	}
	return take.value;
}

#ifdef CONFIG_XEN_SAVE_RESTORE
static atomic_t ctl_suspending = ATOMIC_INIT(0);

static void ctl_shutdown_changed(struct xenbus_watch *watch, const char *path);

static void ctl_suspend_fn(struct work_struct *work)
{
	xen_suspend_domain();
	/*
	 * A request written while we were frozen or suspended may reach
	 * the watch only now, racing with the end of this suspend.  Take
	 * it here, while a "suspend" still counts as a second one: nobody
	 * waits for a second suspend, and the domain would stay suspended.
	 */
	ctl_shutdown_changed(NULL, NULL);
	atomic_set(&ctl_suspending, 0);
}

static DECLARE_WORK(ctl_suspend_work, ctl_suspend_fn);

static void ctl_suspend(void)
{
	/*
	 * Drivers still probing and no init yet: nothing is ready to be
	 * frozen and thawed.  The request was taken, so a toolstack waiting
	 * on it times out and says so; the guest boots on.
	 */
	if (system_state < SYSTEM_RUNNING) {
		pr_warn("toolstack asked to suspend during boot: refused\n");
		return;
	}
	if (atomic_xchg(&ctl_suspending, 1)) {
		pr_warn("toolstack asked to suspend during a suspend: ignored\n");
		return;
	}
	pr_info("toolstack asked to suspend\n");
	schedule_work(&ctl_suspend_work);
}
#else
static void ctl_suspend(void)
{
	pr_warn("toolstack asked to suspend: not built in, ignoring it\n");
}
#endif

static void ctl_shutdown_changed(struct xenbus_watch *watch, const char *path)
{
	char *req = ctl_take_request("shutdown");

	if (!req)
		return;

	if (!strcmp(req, "poweroff") || !strcmp(req, "halt")) {
		pr_info("toolstack asked to %s\n", req);
		orderly_poweroff(false);
	} else if (!strcmp(req, "reboot")) {
		pr_info("toolstack asked to reboot\n");
		orderly_reboot();
	} else if (!strcmp(req, "suspend")) {
		ctl_suspend();
	} else {
		pr_warn("unknown shutdown request \"%*pE\" ignored\n",
			(int)strnlen(req, CTL_LOG_MAX), req);
	}
	kfree(req);
}

static void ctl_sysrq_changed(struct xenbus_watch *watch, const char *path)
{
	char *req = ctl_take_request("sysrq");

	if (!req)
		return;
	if (strlen(req) != 1)
		pr_warn("sysrq request \"%*pE\" is not one key: ignored\n",
			(int)strnlen(req, CTL_LOG_MAX), req);
	else
		handle_sysrq(req[0]);
	kfree(req);
}

static struct xenbus_watch ctl_shutdown_watch = {
	.node = CTL_DIR "/shutdown",
	.callback = ctl_shutdown_changed,
};

static struct xenbus_watch ctl_sysrq_watch = {
	.node = CTL_DIR "/sysrq",
	.callback = ctl_sysrq_changed,
};

static int ctl_store_ready(struct notifier_block *nb, unsigned long event,
			   void *data)
{
	int rc;

	rc = register_xenbus_watch(&ctl_shutdown_watch);
	if (rc) {
		pr_err("cannot watch %s: %d\n", ctl_shutdown_watch.node, rc);
		return NOTIFY_DONE;
	}
	rc = register_xenbus_watch(&ctl_sysrq_watch);
	if (rc)
		pr_warn("cannot watch %s: %d\n", ctl_sysrq_watch.node, rc);

	/* Only now that someone listens may the toolstack ask. */
	rc = xenbus_write(XBT_NIL, CTL_DIR, "feature-poweroff", "1");
	if (!rc)
		rc = xenbus_write(XBT_NIL, CTL_DIR, "feature-reboot", "1");
	if (!rc && IS_ENABLED(CONFIG_XEN_SAVE_RESTORE) &&
	    !xen_initial_domain())
		rc = xenbus_write(XBT_NIL, CTL_DIR, "feature-suspend", "1");
	if (rc)
		pr_warn("cannot advertise our shutdown requests: %d\n", rc);
	return NOTIFY_DONE;
}

static struct notifier_block ctl_store_nb = {
	.notifier_call = ctl_store_ready,
};

static int __init ctl_init(void)
{
	if (!xen_pv_domain())
		return 0;
	return register_xenstore_notifier(&ctl_store_nb);
}
device_initcall(ctl_init);
