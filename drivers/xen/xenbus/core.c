// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing the xenstore connection up at boot, and telling whoever waits
 * for it.
 *
 * A PV domU's ring page and event channel come ready-made in start_info;
 * the control domain makes its own for the xenstored it starts later
 * (below).  This runs at postcore_initcall time so the bus exists before any frontend driver
 * registers; event channels are set up earlier, at init_IRQ time.
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/export.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/workqueue.h>
#include <asm/xen/guest.h>
#include <asm/xen/page.h>
#include <xen/events.h>
#include <xen/grant_table.h>
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

/* ---- a domU: the ring Xen's domain builder set up -------------------- */

static int __init xs_domu_ring(void)
{
	unsigned long mfn = xen_start_info->store_mfn;

	if (mfn_to_pfn(mfn) == XEN_INVALID_MFN) {
		pr_err("store_mfn %#lx is not one of our frames\n", mfn);
		return -EINVAL;
	}
	return xs_ring_init(mfn_to_virt(mfn), xen_start_info->store_evtchn);
}

/* ---- suspend and resume of a domU ------------------------------------ */

/*
 * Before the suspend: no request in flight (xenstored in a new domain
 * would never answer it) and none let out until xenbus_resume().
 */
int xenbus_suspend(void)
{
	int rc = xs_quiesce(10 * HZ);

	if (rc)
		pr_err("suspend: a store request is still unanswered after 10 s\n");
	return rc;
}

/*
 * After it.  A checkpoint kept the old connection.  A new domain has the
 * same ring page under a new port (start_info, rewritten by the restore)
 * and a xenstored that knows none of our watches.
 */
void xenbus_resume(bool new_domain)
{
	int rc = 0;

	if (new_domain)
		rc = xs_ring_resume(xen_start_info->store_evtchn);
	xs_unquiesce();
	if (new_domain && !rc)
		xs_watch_resume();
}

/* ---- the control domain: a ring for the xenstored it will start -------- */

/*
 * Nobody serves the store yet when the control domain boots: xenstored
 * is one of its own processes.  We make the ring page and an unbound
 * port that only this domain may bind; xenstored finds both through
 * xenfs (xsd_kva, xsd_port), binds the port and signals it once it
 * serves the ring.  That first event is what makes the store "ready":
 * until then every user of the store waits in its notifier.
 *
 * A xenstore domain can serve it instead (xenstore_local_move()).
 */
static struct xenstore_domain_interface *xs_local_intf;
static evtchn_port_t xs_local_port;
static bool xs_waiting_for_daemon;

static void xs_daemon_up(struct work_struct *work)
{
	pr_info("xenstored is serving the ring (event channel %u)\n",
		xs_local_port);
	xs_set_ready();
}

static DECLARE_WORK(xs_daemon_work, xs_daemon_up);

void xs_ring_event(void)
{
	if (READ_ONCE(xs_waiting_for_daemon) && xchg(&xs_waiting_for_daemon, false))
		schedule_work(&xs_daemon_work);
}

struct xenstore_domain_interface *xenstore_local_ring(evtchn_port_t *port)
{
	*port = READ_ONCE(xs_local_port);
	return xs_local_intf;
}
EXPORT_SYMBOL_GPL(xenstore_local_ring);

/* Map the ring page into a process: one page at offset 0. */
int xenstore_local_ring_mmap(struct vm_area_struct *vma)
{
	if (!xs_local_intf)
		return -ENODEV;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
	return remap_pfn_range(vma, vma->vm_start,
			       page_to_pfn(virt_to_page(xs_local_intf)),
			       PAGE_SIZE, vma->vm_page_prot);
}
EXPORT_SYMBOL_GPL(xenstore_local_ring_mmap);

/*
 * Let xenstored run in domain @domid (a stub domain Xen's
 * init-xenstore-domain builds) instead of in a process of ours: it may
 * map our ring page through the grant entry the ABI reserves for the
 * store and bind a new port of ours, which it learns from its command
 * line.  Only before anyone served the store: our requests and watches
 * would stay behind in the old xenstored.  Returns the new port.
 */
int xenstore_local_move(domid_t domid)
{
	evtchn_port_t port;
	int err;

	mutex_lock(&xs_ready_lock);
	err = -EEXIST;
	if (xs_up)
		goto out;
	err = -ENODEV;
	if (!xs_local_intf)
		goto out;
	err = gnttab_grant_abi_entry(GNTTAB_RESERVED_XENSTORE, domid,
				     virt_to_mfn(xs_local_intf), false);
	if (err)
		goto out;
	err = xen_evtchn_alloc_unbound(domid, &port);
	if (err)
		goto out;
	err = xs_ring_move(port);
	if (err) {
		xen_evtchn_close(port);
		goto out;
	}
	WRITE_ONCE(xs_local_port, port);
	pr_info("domain %u may serve the store ring (event channel %u)\n",
		domid, port);
	err = port;
out:
	mutex_unlock(&xs_ready_lock);
	return err;
}

static int __init xs_local_ring(void)
{
	int err;

	xs_local_intf = (void *)get_zeroed_page(GFP_KERNEL);
	if (!xs_local_intf)
		return -ENOMEM;
	err = xen_evtchn_alloc_unbound(DOMID_SELF, &xs_local_port);
	if (err) {
		pr_err("EVTCHNOP_alloc_unbound for the store: %d\n", err);
		goto fail;
	}
	WRITE_ONCE(xs_waiting_for_daemon, true);
	err = xs_ring_init(xs_local_intf, xs_local_port);
	if (!err)
		return 0;
	WRITE_ONCE(xs_waiting_for_daemon, false);
	xen_evtchn_close(xs_local_port);
	xs_local_port = 0;
fail:
	free_page((unsigned long)xs_local_intf);
	xs_local_intf = NULL;
	return err;
}

static int __init xenbus_init(void)
{
	bool local = xen_initial_domain();
	int err;

	if (!xen_pv_domain())
		return 0;
	if (!local && !xen_start_info->store_evtchn) {
		pr_info("no store event channel in start_info: running without xenstore\n");
		return 0;
	}

	err = local ? xs_local_ring() : xs_domu_ring();
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
	err = xenbus_backend_init();
	if (err)
		pr_err("cannot set up the backend bus: %d\n", err);

	if (local) {
		pr_info("store ring ready for xenstored (event channel %u)\n",
			xs_local_port);
		return 0;
	}
	xs_set_ready();
	pr_info("connected (event channel %u)\n", xen_start_info->store_evtchn);
	return 0;
}
postcore_initcall(xenbus_init);
