// SPDX-License-Identifier: GPL-2.0
/*
 * The toolstack's rate limit on what a guest sends ("rate=" in the vif
 * configuration): libxl writes "rate" = "BYTES,USECS" in our backend
 * directory, BYTES allowed per USECS.  A token bucket: every interval
 * adds BYTES, up to a cap that lets one largest packet through, and a
 * packet goes only when the bucket holds its size.  When it does not,
 * the packet stays on the ring (nbk_tx_take() does not consume it) and
 * a timer schedules the poll again when the next interval's bytes come.
 *
 * Only the guest-to-host direction is limited, as with upstream's
 * netback.  The bucket is the vif's: its queues' polls take from it
 * under its lock, so several flows together keep to the limit.  The
 * value comes from the toolstack, which is trusted, but it is still
 * parsed strictly: anything else than two decimal numbers, a zero, or
 * an interval over 10 s is ignored with a message.
 */
#include <linux/hrtimer.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "netback.h"

#define NBK_RATE_MAX_USECS	(10 * USEC_PER_SEC)

/* Every queue may have a packet waiting for the bucket: poll them all. */
static enum hrtimer_restart nbk_rate_refilled(struct hrtimer *timer)
{
	struct nbk_vif *vif = container_of(timer, struct nbk_vif, credit.timer);
	unsigned int i;

	for (i = 0; i < vif->nr_queues; i++)
		napi_schedule(&vif->queues[i].napi);
	return HRTIMER_NORESTART;
}

void nbk_rate_init(struct nbk_vif *vif)
{
	spin_lock_init(&vif->credit.lock);
	hrtimer_init(&vif->credit.timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	vif->credit.timer.function = nbk_rate_refilled;
}

/* "BYTES,USECS" -> @bytes, @usecs; -EINVAL unless exactly that. */
static int nbk_rate_parse(char *val, u64 *bytes, u32 *usecs)
{
	char *comma = strchr(val, ',');

	if (!comma)
		return -EINVAL;
	*comma = '\0';
	if (kstrtou64(val, 10, bytes) || kstrtou32(comma + 1, 10, usecs))
		return -EINVAL;
	if (!*bytes || !*usecs || *usecs > NBK_RATE_MAX_USECS)
		return -EINVAL;
	return 0;
}

/* At connect: the limit in force from now on, if any. */
void nbk_rate_read(struct nbk_vif *vif)
{
	struct nbk_credit *c = &vif->credit;
	u64 bytes;
	u32 usecs;
	char *val;

	c->bytes = 0;
	val = xenbus_read(XBT_NIL, vif->xdev->nodename, "rate", NULL);
	if (IS_ERR(val))
		return;
	if (nbk_rate_parse(val, &bytes, &usecs)) {
		dev_warn(&vif->xdev->dev, "rate \"%s\" is not BYTES,USECS: no limit\n",
			 val);
	} else {
		c->bytes = bytes;
		c->interval_ns = (u64)usecs * NSEC_PER_USEC;
		c->cap = max_t(u64, bytes, XEN_NETIF_MAX_TX_SIZE);
		c->left = bytes;
		c->next_ns = ktime_get_ns() + c->interval_ns;
		dev_info(&vif->xdev->dev, "guest may send %llu bytes per %u us\n",
			 bytes, usecs);
	}
	kfree(val);
}

/*
 * May a packet of @size bytes go now?  If so its bytes are taken from the
 * bucket; if not, the poll runs again once the bucket may hold them.
 */
bool nbk_rate_take(struct nbk_vif *vif, unsigned int size)
{
	struct nbk_credit *c = &vif->credit;
	bool ok = true;
	u64 now, n;

	if (!c->bytes)
		return true;
	spin_lock(&c->lock);
	if (size > c->left) {
		now = ktime_get_ns();
		if (now >= c->next_ns) {
			n = (now - c->next_ns) / c->interval_ns + 1;
			/* Whole intervals past; the cap bounds the sum. */
			n = min_t(u64, n, div64_u64(c->cap, c->bytes) + 1);
			c->left = min_t(u64, c->left + n * c->bytes, c->cap);
			c->next_ns += n * c->interval_ns;
			if (c->next_ns <= now)
				c->next_ns = now + c->interval_ns;
		}
		if (size > c->left) {
			hrtimer_start(&c->timer, ns_to_ktime(c->next_ns),
				      HRTIMER_MODE_ABS);
			ok = false;
		}
	}
	if (ok)
		c->left -= size;
	spin_unlock(&c->lock);
	return ok;
}

/* At disconnect, after the polls have stopped for good. */
void nbk_rate_stop(struct nbk_vif *vif)
{
	hrtimer_cancel(&vif->credit.timer);
}
