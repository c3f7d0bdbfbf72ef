// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing the xenstore connection up at boot, and telling whoever waits
 * for it.
 *
 * Only a PV domU is handled here: its ring page and event channel come
 * ready-made in start_info.  (The control domain starts xenstored itself
 * and connects differently; that side is not written yet.)  This runs at
 * postcore_initcall time so the bus exists before any frontend driver
 * registers; event channels are set up earlier, at init_IRQ time.
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/export.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <asm/xen/guest.h>
#include <xen/xen.h>

#include "internal.h"

static BLOCKING_NOTIFIER_HEAD(xs_ready_chain);
/* Orders "is it up yet?" against joining the chain. */
static DEFINE_MUTEX(xs_ready_lock);
static bool xs_up;

bool xenstore_ready(void)
{
	return READ_ONCE(xs_up);
}
EXPORT_SYMBOL_GPL(xenstore_ready);

int register_xenstore_notifier(struct notifier_block *nb)
{
	bool up;
	int err = 0;

	mutex_lock(&xs_ready_lock);
	up = xs_up;
	if (!up)
		err = blocking_notifier_chain_register(&xs_ready_chain, nb);
	mutex_unlock(&xs_ready_lock);

	/* Called outside the lock so the notifier may register others. */
	if (up)
		nb->notifier_call(nb, 0, NULL);
	return err;
}
EXPORT_SYMBOL_GPL(register_xenstore_notifier);

void unregister_xenstore_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&xs_ready_chain, nb);
}
EXPORT_SYMBOL_GPL(unregister_xenstore_notifier);

void xs_set_ready(void)
{
	mutex_lock(&xs_ready_lock);
	WRITE_ONCE(xs_up, true);
	mutex_unlock(&xs_ready_lock);
	blocking_notifier_call_chain(&xs_ready_chain, 0, NULL);
}

static int __init xenbus_init(void)
{
	int err;

	if (!xen_pv_domain() || xen_initial_domain())
		return 0;
	if (!xen_start_info->store_evtchn) {
		pr_info("no store event channel in start_info: running without xenstore\n");
		return 0;
	}

	err = xs_ring_init();
	if (!err)
		err = xs_comms_start();
	if (!err)
		err = xs_watch_start();
	if (err) {
		pr_err("cannot connect to the store: %d\n", err);
		return err;
	}

	err = xenbus_frontend_init();
	if (err)
		pr_err("cannot set up the frontend bus: %d\n", err);

	xs_set_ready();
	pr_info("connected (event channel %u)\n", xen_start_info->store_evtchn);
	return 0;
}
postcore_initcall(xenbus_init);
