// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the event-channel core, run inside a PV guest.
 *
 * Each test builds a loopback pair: a port allocated for DOMID_SELF and a
 * second port bound to it, so sending on the first raises the second,
 * which carries the handler under test.  Off Xen every test is skipped.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/jiffies.h>
#include <linux/wait.h>
#include <asm/xen/hypercall.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "evtchn.h"

#define LOOP_TIMEOUT	(2 * HZ)
/* Long enough for a wrongly delivered event to have shown up. */
#define LOOP_QUIET_MS	50

struct loopback {
	evtchn_port_t sender;	/* from alloc_unbound; we notify this one */
	evtchn_port_t receiver;	/* bound to sender; carries the handler */
	int irq;
	atomic_t hits;
	wait_queue_head_t wq;
	/* Late EOI: the handler's own EOI, and what it says it found. */
	bool eoi_in_handler;
	bool found_work;
};

static irqreturn_t loopback_handler(int irq, void *dev)
{
	struct loopback *lb = dev;

	atomic_inc(&lb->hits);
	wake_up(&lb->wq);
	if (READ_ONCE(lb->eoi_in_handler))
		xen_evtchn_eoi(irq, READ_ONCE(lb->found_work));
	return IRQ_HANDLED;
}

static bool loopback_wait(struct loopback *lb, int hits)
{
	return wait_event_timeout(lb->wq, atomic_read(&lb->hits) >= hits,
				  LOOP_TIMEOUT) > 0;
}

static u32 port_status(struct kunit *test, evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	KUNIT_ASSERT_EQ(test, HYPERVISOR_event_channel_op(EVTCHNOP_status, &st),
			0);
	return st.status;
}

static int loopback_init(struct kunit *test)
{
	struct loopback *lb;
	int rc;

	if (!xen_pv_domain())
		kunit_skip(test, "not a Xen PV guest");

	lb = kunit_kzalloc(test, sizeof(*lb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lb);
	atomic_set(&lb->hits, 0);
	init_waitqueue_head(&lb->wq);

	rc = xen_evtchn_alloc_unbound(DOMID_SELF, &lb->sender);
	KUNIT_ASSERT_EQ(test, rc, 0);

	lb->irq = xen_evtchn_bind_interdomain(DOMID_SELF, lb->sender,
					      loopback_handler, 0,
					      "kunit-evtchn", lb);
	if (lb->irq < 0) {
		xen_evtchn_close(lb->sender);
		KUNIT_ASSERT_GT(test, lb->irq, 0);
	}
	lb->receiver = xen_evtchn_from_irq(lb->irq);
	KUNIT_EXPECT_NE(test, lb->receiver, 0U);
	KUNIT_EXPECT_NE(test, lb->receiver, lb->sender);

	/*
	 * Xen marks a freshly bound interdomain port pending, in case the
	 * other end notified while it was unbound: that event must arrive,
	 * and is not one of the test's.
	 */
	KUNIT_EXPECT_TRUE(test, loopback_wait(lb, 1));
	msleep(LOOP_QUIET_MS);
	atomic_set(&lb->hits, 0);

	test->priv = lb;
	return 0;
}

static void loopback_exit(struct kunit *test)
{
	struct loopback *lb = test->priv;

	if (!lb)
		return;
	if (lb->irq > 0)
		xen_evtchn_unbind(lb->irq, lb);
	if (lb->sender)
		xen_evtchn_close(lb->sender);
}

static void evtchn_loopback_delivers(struct kunit *test)
{
	struct loopback *lb = test->priv;

	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 1));

	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 2));

	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 2);
}

/* A masked port keeps its event pending; unmasking delivers it once. */
static void evtchn_mask_holds_event(struct kunit *test)
{
	struct loopback *lb = test->priv;

	/* Mask at disable time, not when the next event arrives. */
	irq_set_status_flags(lb->irq, IRQ_DISABLE_UNLAZY);
	disable_irq(lb->irq);

	xen_evtchn_notify(lb->sender);
	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 0);
	KUNIT_EXPECT_TRUE(test, xen_evtchn_is_pending(lb->receiver));

	enable_irq(lb->irq);
	irq_clear_status_flags(lb->irq, IRQ_DISABLE_UNLAZY);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 1));
	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 1);
}

/*
 * With a lazy disable the event is taken, masked and remembered by the
 * irq core; enable_irq() then replays it through the chip's retrigger.
 */
static void evtchn_lazy_disable_replays(struct kunit *test)
{
	struct loopback *lb = test->priv;

	disable_irq(lb->irq);
	xen_evtchn_notify(lb->sender);
	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 0);

	enable_irq(lb->irq);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 1);
}

static void evtchn_close_frees(struct kunit *test)
{
	struct loopback *lb = test->priv;
	evtchn_port_t receiver = lb->receiver;
	int irq = lb->irq;

	KUNIT_EXPECT_EQ(test, port_status(test, receiver),
			(u32)EVTCHNSTAT_interdomain);

	xen_evtchn_unbind(irq, lb);
	lb->irq = 0;
	KUNIT_EXPECT_EQ(test, xen_evtchn_from_irq(irq), 0U);
	KUNIT_EXPECT_EQ(test, port_status(test, receiver),
			(u32)EVTCHNSTAT_closed);
	/* Its peer went back to waiting for a connection. */
	KUNIT_EXPECT_EQ(test, port_status(test, lb->sender),
			(u32)EVTCHNSTAT_unbound);

	xen_evtchn_close(lb->sender);
	KUNIT_EXPECT_EQ(test, port_status(test, lb->sender),
			(u32)EVTCHNSTAT_closed);
	lb->sender = 0;
}

/* Port numbers outside the ABI's range never reach its state. */
static void evtchn_bad_ports_refused(struct kunit *test)
{
	struct loopback *lb = test->priv;

	KUNIT_EXPECT_EQ(test, xen_evtchn_bind_port(0, loopback_handler, 0,
						   "kunit-bad", lb), -EINVAL);
	KUNIT_EXPECT_EQ(test,
			xen_evtchn_bind_port(EVTCHN_FIFO_NR_CHANNELS,
					     loopback_handler, 0,
					     "kunit-bad", lb), -EINVAL);
	KUNIT_EXPECT_EQ(test, xen_evtchn_bind_virq(NR_VIRQS, 0,
						   loopback_handler, 0,
						   "kunit-bad", lb), -EINVAL);
	KUNIT_EXPECT_FALSE(test, xen_evtchn_is_pending(EVTCHN_FIFO_NR_CHANNELS));
	KUNIT_EXPECT_EQ(test, xen_evtchn_from_irq(-1), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 0);
}

/*
 * Rebind the receiving end for late EOI: the ordinary irq goes, and the
 * new port's first event (Xen marks it pending) is taken and EOI'd.
 */
static void loopback_make_late(struct kunit *test, struct loopback *lb)
{
	xen_evtchn_unbind(lb->irq, lb);
	lb->irq = xen_evtchn_bind_interdomain_late(DOMID_SELF, lb->sender,
						   loopback_handler, 0,
						   "kunit-late", lb);
	KUNIT_ASSERT_GT(test, lb->irq, 0);
	lb->receiver = xen_evtchn_from_irq(lb->irq);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 1));
	xen_evtchn_eoi(lb->irq, true);
	msleep(LOOP_QUIET_MS);
	atomic_set(&lb->hits, 0);
}

/* Events after the one taken wait, pending, for the driver's EOI. */
static void evtchn_late_eoi_holds(struct kunit *test)
{
	struct loopback *lb = test->priv;
	int i;

	loopback_make_late(test, lb);
	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 1));
	for (i = 0; i < 3; i++)
		xen_evtchn_notify(lb->sender);
	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 1);
	KUNIT_EXPECT_TRUE(test, xen_evtchn_is_pending(lb->receiver));

	/* The three became one event; its EOI leaves the port quiet. */
	xen_evtchn_eoi(lb->irq, true);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 2));
	xen_evtchn_eoi(lb->irq, true);
	msleep(LOOP_QUIET_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&lb->hits), 2);
	/* An EOI nobody owes changes nothing. */
	xen_evtchn_eoi(lb->irq, true);
	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, 3));
	xen_evtchn_eoi(lb->irq, true);
}

/*
 * A peer that notifies without pause, every event without work: the
 * delayed unmask lets a few dozen through in half a second where the
 * ordinary flow would take every one (hundreds at least).  Work found
 * ends the penalty.
 */
static void evtchn_late_eoi_storm(struct kunit *test)
{
	struct loopback *lb = test->priv;
	unsigned long start, end;
	unsigned int sent = 0, ms;
	int hits;

	loopback_make_late(test, lb);
	WRITE_ONCE(lb->found_work, false);
	WRITE_ONCE(lb->eoi_in_handler, true);
	/* At least 500 ms and 500 notifications, however slow the host. */
	start = jiffies;
	end = start + msecs_to_jiffies(500);
	while (time_before(jiffies, end) || sent < 500) {
		xen_evtchn_notify(lb->sender);
		sent++;
		usleep_range(20, 50);
	}
	ms = jiffies_to_msecs(jiffies - start);
	hits = atomic_read(&lb->hits);
	kunit_info(test, "storm: %u notifications in %u ms, %d events handled\n",
		   sent, ms, hits);
	/*
	 * Free events, the ramp from 1 to 128 ms, then one every 128 ms;
	 * without the throttle every notification would be one.
	 */
	KUNIT_EXPECT_LT(test, hits, (int)(30 + ms / 100));
	KUNIT_EXPECT_LT(test, hits, (int)(sent / 4));

	/* The last delay (128 ms at most) runs out; then work is prompt. */
	WRITE_ONCE(lb->found_work, true);
	msleep(300);
	hits = atomic_read(&lb->hits);
	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, hits + 1));
	xen_evtchn_notify(lb->sender);
	KUNIT_ASSERT_TRUE(test, loopback_wait(lb, hits + 2));
	WRITE_ONCE(lb->eoi_in_handler, false);
}

/* One port, one EOI mode: a second bind in the other mode is refused. */
static void evtchn_late_mode_fixed(struct kunit *test)
{
	struct loopback *lb = test->priv;

	KUNIT_EXPECT_EQ(test, xen_evtchn_bind_port_late(lb->receiver,
							loopback_handler,
							IRQF_SHARED,
							"kunit-late", lb),
			-EBUSY);
}

/*
 * Xen 4.17 offers the FIFO ABI, so it is in use unless the command line
 * said xen.fifo_events=0; and then the 2-level ABI's range applies.
 */
static void evtchn_abi_as_asked(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, evtchn_fifo_on, evtchn_fifo_wanted);
	KUNIT_EXPECT_EQ(test, evtchn_port_valid(EVTCHN_2L_NR_CHANNELS),
			evtchn_fifo_on);
	kunit_info(test, "event channel ABI: %s\n",
		   evtchn_fifo_on ? "FIFO" : "2-level");
}

static struct kunit_case evtchn_cases[] = {
	KUNIT_CASE(evtchn_abi_as_asked),
	KUNIT_CASE(evtchn_loopback_delivers),
	KUNIT_CASE(evtchn_mask_holds_event),
	KUNIT_CASE(evtchn_lazy_disable_replays),
	KUNIT_CASE(evtchn_close_frees),
	KUNIT_CASE(evtchn_bad_ports_refused),
	KUNIT_CASE(evtchn_late_eoi_holds),
	KUNIT_CASE(evtchn_late_eoi_storm),
	KUNIT_CASE(evtchn_late_mode_fixed),
	{}
};

static struct kunit_suite evtchn_suite = {
	.name = "xen-evtchn",
	.init = loopback_init,
	.exit = loopback_exit,
	.test_cases = evtchn_cases,
};

kunit_test_suite(evtchn_suite);
