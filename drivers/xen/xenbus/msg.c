// SPDX-License-Identifier: GPL-2.0
/*
 * Xenstore messages: a struct xsd_sockmsg header followed by hdr.len
 * bytes of payload, usually NUL-terminated strings.
 *
 * Any number of callers may have a request outstanding.  Each request
 * gets a fresh req_id and waits on its own completion; one receive
 * thread reads every message coming back, hands replies to the waiter
 * whose req_id they echo and watch events to watch.c.
 *
 * Everything in a message comes from another domain.  The header is
 * checked before the payload is read: a length above XENSTORE_PAYLOAD_MAX
 * leaves no way to find the next message, so the ring is declared broken
 * and every request fails with -EIO.  A reply of an unknown or unexpected
 * type, or a malformed error string, fails only its own request.
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "internal.h"

struct xs_pending {
	struct list_head node;
	u32 req_id;
	struct completion done;
	/* Filled by the receive thread before it completes @done. */
	int err;
	u32 rtype;
	u32 len;
	char *body;
};

/*
 * Held for reading over each exchange, request to reply; for writing by a
 * suspend, which must find the ring idle: xenstored in a new domain has
 * never seen the requests of the old one.
 */
static DECLARE_RWSEM(xs_quiet_sem);

/* Keeps the bytes of one message together on the ring. */
static DEFINE_MUTEX(xs_send_lock);
static u32 xs_next_req_id;

static DEFINE_SPINLOCK(xs_pending_lock);
static LIST_HEAD(xs_pending_list);

/* Receive buffer: only the receive thread touches it. */
static char xs_rx_buf[XENSTORE_PAYLOAD_MAX + 1];

/* @name is an XS_ERROR payload of @len bytes, NUL-terminated at [len]. */
int xs_error_to_errno(const char *name, unsigned int len)
{
	size_t n = strnlen(name, len);
	unsigned int i;

	/* One string, with or without its NUL on the wire. */
	if (n == 0 || n + 1 < len) {
		pr_warn_ratelimited("malformed error reply\n");
		return -EIO;
	}
	/* xs_wire.h's table of the names xenstored uses. */
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	pr_warn_ratelimited("unknown error \"%.16s\"\n", name);
	return -EIO;
}

int xs_count_strings(const char *body, unsigned int len)
{
	unsigned int i;
	int count = 0;

	if (len && body[len - 1] != '\0')
		return -EIO;
	for (i = 0; i < len; i++)
		if (body[i] == '\0')
			count++;
	return count;
}

static struct xs_pending *xs_claim_pending(u32 req_id)
{
	struct xs_pending *req;

	spin_lock(&xs_pending_lock);
	list_for_each_entry(req, &xs_pending_list, node) {
		if (req->req_id == req_id) {
			list_del_init(&req->node);
			spin_unlock(&xs_pending_lock);
			return req;
		}
	}
	spin_unlock(&xs_pending_lock);
	return NULL;
}

/* Once the ring is broken nothing will answer: fail every waiter. */
static void xs_fail_all_pending(void)
{
	struct xs_pending *req, *tmp;

	spin_lock(&xs_pending_lock);
	list_for_each_entry_safe(req, tmp, &xs_pending_list, node) {
		list_del_init(&req->node);
		req->err = -EIO;
		complete(&req->done);
	}
	spin_unlock(&xs_pending_lock);
}

static void xs_deliver_reply(const struct xsd_sockmsg *hdr)
{
	struct xs_pending *req = xs_claim_pending(hdr->req_id);

	if (!req) {
		pr_warn_ratelimited("reply with unknown req_id %u dropped\n",
				    hdr->req_id);
		return;
	}
	if (hdr->type >= XS_TYPE_COUNT) {
		pr_warn_ratelimited("reply of unknown type %u\n", hdr->type);
		req->err = -EIO;
	} else {
		req->body = kmemdup(xs_rx_buf, hdr->len + 1, GFP_KERNEL);
		req->err = req->body ? 0 : -ENOMEM;
		req->rtype = hdr->type;
		req->len = hdr->len;
	}
	complete(&req->done);
}

static void xs_deliver_event(const struct xsd_sockmsg *hdr)
{
	const char *path;
	char *copy;
	u32 token;

	if (xs_parse_watch_event(xs_rx_buf, hdr->len, &path, &token)) {
		pr_warn_ratelimited("malformed watch event dropped\n");
		return;
	}
	/* On failure the allocator has already warned. */
	copy = kmemdup(xs_rx_buf, hdr->len + 1, GFP_KERNEL);
	if (!copy)
		return;
	xs_watch_queue_event(copy, copy + (path - xs_rx_buf), token);
}

static int xs_receive_one(void)
{
	struct xsd_sockmsg hdr;
	int err;

	err = xs_ring_read(&hdr, sizeof(hdr));
	if (err)
		return err;
	if (hdr.len > XENSTORE_PAYLOAD_MAX) {
		pr_err("message type %u req_id %u claims %u bytes\n",
		       hdr.type, hdr.req_id, hdr.len);
		xs_ring_mark_broken("lost message framing");
		return -EIO;
	}
	err = xs_ring_read(xs_rx_buf, hdr.len);
	if (err)
		return err;
	xs_rx_buf[hdr.len] = '\0';

	if (hdr.type == XS_WATCH_EVENT)
		xs_deliver_event(&hdr);
	else
		xs_deliver_reply(&hdr);
	return 0;
}

static int xs_rx_thread(void *unused)
{
	while (!kthread_should_stop()) {
		if (xs_receive_one() && xs_ring_broken())
			break;
	}
	xs_fail_all_pending();
	return 0;
}

int xs_comms_start(void)
{
	struct task_struct *task;

	task = kthread_run(xs_rx_thread, NULL, "xenstore-rx");
	return PTR_ERR_OR_ZERO(task);
}

static int xs_send(const struct xsd_sockmsg *hdr, const struct kvec *iov,
		   unsigned int nr_iov)
{
	unsigned int i;
	int err;

	err = xs_ring_write(hdr, sizeof(*hdr));
	for (i = 0; i < nr_iov && !err; i++)
		err = xs_ring_write(iov[i].iov_base, iov[i].iov_len);
	return err;
}

/*
 * Wait for @req's reply.  A process's request (dev.c) may be given up on
 * a fatal signal, so that a store that never answers (xenstored 4.17
 * sends nothing back for some malformed requests) leaves no unkillable
 * task: the request leaves the list, and its reply, should one come, is
 * dropped as one for an unknown req_id.  If the receive thread has
 * already claimed it, its completion is on the way.
 */
static int xs_wait(struct xs_pending *req, bool killable)
{
	bool mine;

	if (!killable) {
		wait_for_completion(&req->done);
		return 0;
	}
	if (!wait_for_completion_killable(&req->done))
		return 0;
	spin_lock(&xs_pending_lock);
	mine = !list_empty(&req->node);
	list_del_init(&req->node);
	spin_unlock(&xs_pending_lock);
	if (mine)
		return -EINTR;
	wait_for_completion(&req->done);
	return 0;
}

static void *xs_do_exchange(u32 tx_id, u32 type, const struct kvec *iov,
			    unsigned int nr_iov, u32 *rtype, unsigned int *len,
			    bool killable)
{
	struct xsd_sockmsg hdr = { .type = type, .tx_id = tx_id };
	struct xs_pending req = { .err = 0 };
	bool queued, listed;
	unsigned int i;
	size_t total = 0;
	int err;

	for (i = 0; i < nr_iov; i++)
		total += iov[i].iov_len;
	if (total > XENSTORE_PAYLOAD_MAX)
		return ERR_PTR(-E2BIG);
	hdr.len = total;
	init_completion(&req.done);
	INIT_LIST_HEAD(&req.node);

	down_read(&xs_quiet_sem);
	mutex_lock(&xs_send_lock);
	req.req_id = xs_next_req_id++;
	hdr.req_id = req.req_id;
	/*
	 * Checked under the lock the receive thread takes to fail everyone,
	 * so a request is either refused here or failed there.
	 */
	spin_lock(&xs_pending_lock);
	listed = !xs_ring_broken();
	if (listed)
		list_add_tail(&req.node, &xs_pending_list);
	spin_unlock(&xs_pending_lock);
	err = listed ? xs_send(&hdr, iov, nr_iov) : -EIO;
	mutex_unlock(&xs_send_lock);

	if (err) {
		spin_lock(&xs_pending_lock);
		queued = !list_empty(&req.node);
		list_del_init(&req.node);
		spin_unlock(&xs_pending_lock);
		/* Never listed, or taken back here: nobody will complete it. */
		if (!listed || queued) {
			up_read(&xs_quiet_sem);
			return ERR_PTR(err);
		}
		/* Already answered or failed by the receive thread. */
	}

	err = xs_wait(&req, killable);
	up_read(&xs_quiet_sem);
	if (err)
		return ERR_PTR(err);
	if (req.err)
		return ERR_PTR(req.err);
	*rtype = req.rtype;
	*len = req.len;
	return req.body;
}

/*
 * Wait until no request is outstanding and hold new ones back, for at
 * most @timeout jiffies (a store that never answers must not hang the
 * suspend).  Returns 0 or -ETIMEDOUT.
 */
int xs_quiesce(unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (!down_write_trylock(&xs_quiet_sem)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(20);
	}
	return 0;
}

void xs_unquiesce(void)
{
	up_write(&xs_quiet_sem);
}

void *xs_exchange(u32 tx_id, u32 type, const struct kvec *iov,
		  unsigned int nr_iov, u32 *rtype, unsigned int *len)
{
	return xs_do_exchange(tx_id, type, iov, nr_iov, rtype, len, true);
}

void *xs_talk(u32 tx_id, enum xsd_sockmsg_type type,
	      const struct kvec *iov, unsigned int nr_iov, unsigned int *len)
{
	unsigned int rlen;
	void *body;
	u32 rtype;
	int err;

	body = xs_do_exchange(tx_id, type, iov, nr_iov, &rtype, &rlen, false);
	if (IS_ERR(body))
		return body;
	if (rtype == XS_ERROR) {
		err = xs_error_to_errno(body, rlen);
		kfree(body);
		return ERR_PTR(err);
	}
	if (rtype != type) {
		pr_warn_ratelimited("reply type %u to request type %u\n",
				    rtype, type);
		kfree(body);
		return ERR_PTR(-EIO);
	}
	if (len)
		*len = rlen;
	return body;
}
