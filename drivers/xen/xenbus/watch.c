// SPDX-License-Identifier: GPL-2.0
/*
 * Xenstore watches.
 *
 * XS_WATCH registers a (path, token) pair with xenstored; whenever the
 * path or anything below it changes, and once right after registering,
 * an XS_WATCH_EVENT message "<path>\0<token>\0" arrives unsolicited on
 * the response ring.  Our tokens are "w<number>", a number handed out
 * per registration, so an event is matched to its watch by looking the
 * number up in our own list: nothing in the event is ever used as a
 * pointer.
 *
 * The receive thread only queues events; a separate "xenwatch" thread
 * runs the callbacks one at a time.  Callbacks may therefore sleep and
 * talk to the store (their replies come through the receive thread).
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "internal.h"

#define XS_TOKEN_LEN	12	/* "w" + 10 digits + NUL */

struct xs_watch_event {
	struct list_head node;
	u32 token;
	const char *path;	/* points into @body */
	char *body;
};

static DEFINE_SPINLOCK(xs_watches_lock);
static LIST_HEAD(xs_watches);
static u32 xs_next_token;

static DEFINE_SPINLOCK(xs_events_lock);
static LIST_HEAD(xs_events);
static DECLARE_WAIT_QUEUE_HEAD(xs_events_wq);

/* Held while a callback runs; see unregister_xenbus_watch(). */
static DEFINE_MUTEX(xs_callback_lock);
static struct task_struct *xs_watch_task;

int xs_parse_watch_event(const char *body, unsigned int len,
			 const char **path, u32 *token)
{
	const char *tok;

	if (xs_count_strings(body, len) < 2 || body[0] == '\0')
		return -EIO;
	tok = body + strlen(body) + 1;
	if (tok[0] != 'w' || kstrtou32(tok + 1, 10, token))
		return -EIO;
	*path = body;
	return 0;
}

void xs_watch_queue_event(char *body, const char *path, u32 token)
{
	struct xs_watch_event *ev = kmalloc(sizeof(*ev), GFP_KERNEL);

	if (!ev) {
		/* Dropped; the allocator has already warned. */
		kfree(body);
		return;
	}
	ev->token = token;
	ev->path = path;
	ev->body = body;
	spin_lock(&xs_events_lock);
	list_add_tail(&ev->node, &xs_events);
	spin_unlock(&xs_events_lock);
	wake_up(&xs_events_wq);
}

static struct xenbus_watch *xs_find_watch(u32 token)
{
	struct xenbus_watch *watch, *found = NULL;

	spin_lock(&xs_watches_lock);
	list_for_each_entry(watch, &xs_watches, list) {
		if (watch->token == token) {
			found = watch;
			break;
		}
	}
	spin_unlock(&xs_watches_lock);
	return found;
}

static struct xs_watch_event *xs_next_event(void)
{
	struct xs_watch_event *ev;

	spin_lock(&xs_events_lock);
	ev = list_first_entry_or_null(&xs_events, struct xs_watch_event, node);
	if (ev)
		list_del(&ev->node);
	spin_unlock(&xs_events_lock);
	return ev;
}

static void xs_dispatch(struct xs_watch_event *ev)
{
	struct xenbus_watch *watch;

	mutex_lock(&xs_callback_lock);
	watch = xs_find_watch(ev->token);
	if (watch)
		watch->callback(watch, ev->path);
	else
		pr_debug("event for gone watch w%u on %s\n", ev->token,
			 ev->path);
	mutex_unlock(&xs_callback_lock);
	kfree(ev->body);
	kfree(ev);
}

static int xs_watch_thread(void *unused)
{
	struct xs_watch_event *ev;

	while (!kthread_should_stop()) {
		wait_event_interruptible(xs_events_wq,
					 !list_empty(&xs_events) ||
					 kthread_should_stop());
		while ((ev = xs_next_event()))
			xs_dispatch(ev);
	}
	return 0;
}

int xs_watch_start(void)
{
	struct task_struct *task;

	task = kthread_run(xs_watch_thread, NULL, "xenwatch");
	if (IS_ERR(task))
		return PTR_ERR(task);
	xs_watch_task = task;
	return 0;
}

/* Drops queued events of a watch that is going away. */
static void xs_purge_events(u32 token)
{
	struct xs_watch_event *ev, *tmp;
	LIST_HEAD(gone);

	spin_lock(&xs_events_lock);
	list_for_each_entry_safe(ev, tmp, &xs_events, node)
		if (ev->token == token)
			list_move(&ev->node, &gone);
	spin_unlock(&xs_events_lock);

	list_for_each_entry_safe(ev, tmp, &gone, node) {
		kfree(ev->body);
		kfree(ev);
	}
}

static void *xs_watch_request(enum xsd_sockmsg_type type,
			      struct xenbus_watch *watch)
{
	char token[XS_TOKEN_LEN];
	struct kvec iov[2];

	snprintf(token, sizeof(token), "w%u", watch->token);
	iov[0].iov_base = (void *)watch->node;
	iov[0].iov_len = strlen(watch->node) + 1;
	iov[1].iov_base = token;
	iov[1].iov_len = strlen(token) + 1;
	return xs_talk(0, type, iov, ARRAY_SIZE(iov), NULL);
}

int register_xenbus_watch(struct xenbus_watch *watch)
{
	void *reply;

	if (!watch->node || !watch->callback)
		return -EINVAL;

	/* Listed first: the first event may overtake the reply. */
	spin_lock(&xs_watches_lock);
	watch->token = xs_next_token++;
	list_add(&watch->list, &xs_watches);
	spin_unlock(&xs_watches_lock);

	reply = xs_watch_request(XS_WATCH, watch);
	if (IS_ERR(reply)) {
		spin_lock(&xs_watches_lock);
		list_del(&watch->list);
		spin_unlock(&xs_watches_lock);
		xs_purge_events(watch->token);
		return PTR_ERR(reply);
	}
	kfree(reply);
	return 0;
}
EXPORT_SYMBOL_GPL(register_xenbus_watch);

/*
 * Under xs_watches_lock: a copy of the watch after token @after, in token
 * order, or NULL at the end.  The copy may be sent without the lock; a
 * watch that goes meanwhile leaves a stray registration whose events
 * find no watch and are dropped.
 */
static struct xenbus_watch *xs_watch_copy_next(u32 after, bool first)
{
	struct xenbus_watch *watch, *next = NULL, *copy;

	list_for_each_entry(watch, &xs_watches, list)
		if ((first || watch->token > after) &&
		    (!next || watch->token < next->token))
			next = watch;
	if (!next)
		return NULL;
	copy = kmalloc(sizeof(*copy), GFP_ATOMIC);
	if (copy) {
		*copy = *next;
		copy->node = kstrdup(next->node, GFP_ATOMIC);
	}
	if (!copy || !copy->node) {
		kfree(copy);
		return ERR_PTR(-ENOMEM);
	}
	return copy;
}

/*
 * Resume in a new domain: its xenstored never heard of our watches.
 * Each fires once on registering, as at first, which also tells its
 * owner to look again at what may have changed while we were away.
 */
void xs_watch_resume(void)
{
	struct xenbus_watch *copy;
	bool first = true;
	u32 token = 0;
	void *reply;

	for (;;) {
		spin_lock(&xs_watches_lock);
		copy = xs_watch_copy_next(token, first);
		spin_unlock(&xs_watches_lock);
		if (IS_ERR_OR_NULL(copy))
			break;
		first = false;
		token = copy->token;
		reply = xs_watch_request(XS_WATCH, copy);
		if (IS_ERR(reply))
			pr_warn("resume: watch of %s lost: %ld\n", copy->node,
				PTR_ERR(reply));
		else
			kfree(reply);
		kfree(copy->node);
		kfree(copy);
	}
	if (IS_ERR(copy))
		pr_err("resume: out of memory: watches lost\n");
}

void unregister_xenbus_watch(struct xenbus_watch *watch)
{
	void *reply;

	reply = xs_watch_request(XS_UNWATCH, watch);
	if (IS_ERR(reply))
		pr_warn("unwatch of %s failed: %ld\n", watch->node,
			PTR_ERR(reply));
	else
		kfree(reply);

	spin_lock(&xs_watches_lock);
	list_del(&watch->list);
	spin_unlock(&xs_watches_lock);
	xs_purge_events(watch->token);

	/*
	 * A callback that found the watch before it left the list may still
	 * be running: wait for it, unless it is the one calling us.
	 */
	if (current != xs_watch_task) {
		mutex_lock(&xs_callback_lock);
		mutex_unlock(&xs_callback_lock);
	}
}
EXPORT_SYMBOL_GPL(unregister_xenbus_watch);
