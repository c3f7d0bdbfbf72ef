// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/xenbus (and /proc/xen/xenbus): xenstore for processes, in the
 * wire protocol itself (libxenstore falls back to it when it cannot
 * reach xenstored's socket, as in a domU).
 *
 * A process write()s whole messages, header then payload, in as many
 * pieces as it likes; each complete message is checked and forwarded
 * through our own connection, and the reply, with the process's req_id,
 * becomes readable.  XS_WATCH and XS_UNWATCH are ours to implement: a
 * watch is a kernel watch whose events are queued to the file as
 * XS_WATCH_EVENT messages carrying the process's token, and
 * XS_RESET_WATCHES drops the file's watches only (the connection, and the
 * store's own reset, are the kernel's).  Transactions pass through; any
 * still open when the file closes are aborted.
 *
 * The process is not trusted to speak the protocol: a header claiming
 * more than XENSTORE_PAYLOAD_MAX bytes, an unknown type, an empty payload
 * or one whose strings are not terminated, or a transaction the file did
 * not start is
 * refused with an XS_ERROR reply and a rate-limited message; a broken
 * header makes the file unusable (EINVAL on further writes) because the
 * framing is lost.
 */
#define pr_fmt(fmt) "xenbus-dev: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <xen/xen.h>

#include "internal.h"

/* Watches and transactions one file may hold. */
#define XSD_MAX_WATCHES		128
#define XSD_MAX_TRANSACTIONS	64
/* Replies queued and not read before the file refuses more requests. */
#define XSD_MAX_QUEUED		(64 * 1024)

struct xsd_reply {
	struct list_head node;
	unsigned int len, off;
	char data[];			/* header + payload */
};

struct xsd_watch {
	struct list_head node;
	struct xenbus_watch watch;
	struct xsd_file *file;
	char *path, *token;
};

struct xsd_file {
	struct mutex lock;		/* requests, watches, transactions */
	struct xsd_sockmsg hdr;		/* the message being written */
	char *body;
	unsigned int got;		/* of header and body so far */
	bool broken;

	spinlock_t out_lock;		/* replies and their size */
	struct list_head replies;
	unsigned int queued;
	wait_queue_head_t wq;

	struct list_head watches;
	unsigned int nr_watches;
	u32 tx[XSD_MAX_TRANSACTIONS];	/* 0: free slot */
};

static int xsd_queue(struct xsd_file *f, const struct xsd_sockmsg *hdr,
		     const void *body)
{
	struct xsd_reply *r = kmalloc(struct_size(r, data, sizeof(*hdr) + hdr->len),
				      GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->len = sizeof(*hdr) + hdr->len;
	r->off = 0;
	memcpy(r->data, hdr, sizeof(*hdr));
	memcpy(r->data + sizeof(*hdr), body, hdr->len);
	spin_lock(&f->out_lock);
	list_add_tail(&r->node, &f->replies);
	f->queued += r->len;
	spin_unlock(&f->out_lock);
	wake_up_interruptible(&f->wq);
	return 0;
}

/* Answer the current request ourselves: "OK", or an error by name. */
static int xsd_answer(struct xsd_file *f, u32 type, const char *text)
{
	struct xsd_sockmsg hdr = {
		.type = type,
		.req_id = f->hdr.req_id,
		.tx_id = f->hdr.tx_id,
		.len = strlen(text) + 1,
	};

	return xsd_queue(f, &hdr, text);
}

static int xsd_refuse(struct xsd_file *f, const char *why)
{
	pr_warn_ratelimited("%s: %s (type %u)\n", current->comm, why,
			    f->hdr.type);
	return xsd_answer(f, XS_ERROR, "EINVAL");
}

/* ---- watches ------------------------------------------------------------ */

static void xsd_watch_fired(struct xenbus_watch *watch, const char *path)
{
	struct xsd_watch *w = container_of(watch, struct xsd_watch, watch);
	size_t plen = strlen(path) + 1, tlen = strlen(w->token) + 1;
	struct xsd_sockmsg hdr = { .type = XS_WATCH_EVENT, .len = plen + tlen };
	char *body;

	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return;
	body = kmalloc(hdr.len, GFP_KERNEL);
	if (!body)
		return;
	memcpy(body, path, plen);
	memcpy(body + plen, w->token, tlen);
	/* A reader that does not read loses events, not the kernel memory. */
	if (READ_ONCE(w->file->queued) < XSD_MAX_QUEUED)
		xsd_queue(w->file, &hdr, body);
	kfree(body);
}

static void xsd_watch_free(struct xsd_watch *w)
{
	kfree(w->path);
	kfree(w->token);
	kfree(w);
}

/* Under f->lock; @body holds exactly "path\0token\0". */
static int xsd_watch(struct xsd_file *f, const char *body)
{
	const char *path = body, *token = body + strlen(body) + 1;
	struct xsd_watch *w;
	int err;

	if (f->nr_watches >= XSD_MAX_WATCHES)
		return xsd_answer(f, XS_ERROR, "E2BIG");
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->file = f;
	w->path = kstrdup(path, GFP_KERNEL);
	w->token = kstrdup(token, GFP_KERNEL);
	if (!w->path || !w->token) {
		xsd_watch_free(w);
		return -ENOMEM;
	}
	w->watch.node = w->path;
	w->watch.callback = xsd_watch_fired;
	/* Its first event may come before this reply; the library copes. */
	err = register_xenbus_watch(&w->watch);
	if (err) {
		xsd_watch_free(w);
		pr_warn_ratelimited("%s: watch on %.64s failed: %d\n",
				    current->comm, path, err);
		return xsd_answer(f, XS_ERROR, "EINVAL");
	}
	list_add(&w->node, &f->watches);
	f->nr_watches++;
	return xsd_answer(f, XS_WATCH, "OK");
}

/*
 * The store's XS_RESET_WATCHES would drop every watch of the connection,
 * the kernel's own with them: only this file's go.
 */
static int xsd_reset_watches(struct xsd_file *f)
{
	struct xsd_watch *w, *tmp;

	list_for_each_entry_safe(w, tmp, &f->watches, node) {
		list_del(&w->node);
		unregister_xenbus_watch(&w->watch);
		xsd_watch_free(w);
	}
	f->nr_watches = 0;
	return xsd_answer(f, XS_RESET_WATCHES, "OK");
}

static int xsd_unwatch(struct xsd_file *f, const char *body)
{
	const char *path = body, *token = body + strlen(body) + 1;
	struct xsd_watch *w;

	list_for_each_entry(w, &f->watches, node) {
		if (strcmp(w->path, path) || strcmp(w->token, token))
			continue;
		list_del(&w->node);
		f->nr_watches--;
		unregister_xenbus_watch(&w->watch);
		xsd_watch_free(w);
		return xsd_answer(f, XS_UNWATCH, "OK");
	}
	return xsd_answer(f, XS_ERROR, "ENOENT");
}

/* ---- forwarded requests -------------------------------------------------- */

static u32 *xsd_tx_slot(struct xsd_file *f, u32 id)
{
	unsigned int i;

	for (i = 0; i < XSD_MAX_TRANSACTIONS; i++)
		if (f->tx[i] == id)
			return &f->tx[i];
	return NULL;
}

/* The types a process may send on; the rest are the store's own. */
static bool xsd_forwardable(u32 type)
{
	switch (type) {
	case XS_DIRECTORY: case XS_READ: case XS_GET_PERMS: case XS_WRITE:
	case XS_MKDIR: case XS_RM: case XS_SET_PERMS: case XS_TRANSACTION_START:
	case XS_TRANSACTION_END: case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED: case XS_INTRODUCE: case XS_RELEASE:
	case XS_RESUME: case XS_SET_TARGET: case XS_DIRECTORY_PART:
	case XS_CONTROL:
		return true;
	default:
		return false;
	}
}

static int xsd_forward(struct xsd_file *f)
{
	struct kvec iov = { .iov_base = f->body, .iov_len = f->hdr.len };
	struct xsd_sockmsg hdr = f->hdr;
	unsigned int len;
	u32 rtype, *slot = NULL;
	void *reply;
	int err;

	if (f->hdr.tx_id && !xsd_tx_slot(f, f->hdr.tx_id))
		return xsd_refuse(f, "transaction it did not start");
	if (f->hdr.type == XS_TRANSACTION_START) {
		slot = xsd_tx_slot(f, 0);
		if (!slot)
			return xsd_answer(f, XS_ERROR, "EAGAIN");
	}
	reply = xs_exchange(f->hdr.tx_id, f->hdr.type, &iov, 1, &rtype, &len);
	if (IS_ERR(reply))
		return xsd_answer(f, XS_ERROR, "EIO");
	if (rtype == XS_TRANSACTION_START && slot &&
	    (kstrtou32(reply, 10, slot) || !*slot))
		*slot = 0;	/* not a usable id: never accept it back */
	if (f->hdr.type == XS_TRANSACTION_END && rtype != XS_ERROR)
		*xsd_tx_slot(f, f->hdr.tx_id) = 0;
	hdr.type = rtype;
	hdr.len = len;
	err = xsd_queue(f, &hdr, reply);
	kfree(reply);
	return err;
}

/* A whole message has arrived: check it, then act on it. */
static int xsd_dispatch(struct xsd_file *f)
{
	int strings = xs_count_strings(f->body, f->hdr.len);

	switch (f->hdr.type) {
	case XS_WATCH:
	case XS_UNWATCH:
		if (strings != 2 || !f->body[0])
			return xsd_refuse(f, "malformed watch request");
		return f->hdr.type == XS_WATCH ? xsd_watch(f, f->body) :
						 xsd_unwatch(f, f->body);
	case XS_RESET_WATCHES:
		return xsd_reset_watches(f);
	case XS_WRITE:
		/* "path\0value": the value need not be terminated. */
		if (!memchr(f->body, '\0', f->hdr.len))
			return xsd_refuse(f, "unterminated path");
		return xsd_forward(f);
	default:
		if (!xsd_forwardable(f->hdr.type))
			return xsd_refuse(f, "message type not allowed");
		/*
		 * Every forwarded request names something.  xenstored 4.17
		 * can leave an XS_DIRECTORY without a path unanswered: its
		 * canonicalize() of no name fails without setting errno.
		 */
		if (strings <= 0)
			return xsd_refuse(f, f->hdr.len ? "unterminated string" :
						      "empty request");
		return xsd_forward(f);
	}
}

static ssize_t xsd_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct xsd_file *f = file->private_data;
	size_t done = 0, n;
	int err = 0;

	mutex_lock(&f->lock);
	while (done < count && !err) {
		if (f->broken) {
			err = -EINVAL;
			break;
		}
		if (READ_ONCE(f->queued) >= XSD_MAX_QUEUED) {
			err = done ? 0 : -EAGAIN;
			break;
		}
		if (f->got < sizeof(f->hdr)) {
			n = min(count - done, sizeof(f->hdr) - f->got);
			if (copy_from_user((char *)&f->hdr + f->got, ubuf + done, n)) {
				err = -EFAULT;
				break;
			}
			f->got += n;
			done += n;
			if (f->got < sizeof(f->hdr))
				continue;
			if (f->hdr.len > XENSTORE_PAYLOAD_MAX) {
				pr_warn_ratelimited("%s: message of %u bytes\n",
						    current->comm, f->hdr.len);
				f->broken = true;
				err = -EINVAL;
				break;
			}
		}
		n = min_t(size_t, count - done, sizeof(f->hdr) + f->hdr.len - f->got);
		if (copy_from_user(f->body + f->got - sizeof(f->hdr), ubuf + done, n)) {
			err = -EFAULT;
			break;
		}
		f->got += n;
		done += n;
		if (f->got == sizeof(f->hdr) + f->hdr.len) {
			f->body[f->hdr.len] = '\0';
			err = xsd_dispatch(f);
			f->got = 0;
		}
	}
	mutex_unlock(&f->lock);
	return err ? err : done;
}

static ssize_t xsd_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct xsd_file *f = file->private_data;
	struct xsd_reply *r;
	size_t done = 0, n;
	int err;

	err = wait_event_interruptible(f->wq, !list_empty(&f->replies) ||
				       (file->f_flags & O_NONBLOCK));
	if (err)
		return err;
	spin_lock(&f->out_lock);
	while (done < count &&
	       (r = list_first_entry_or_null(&f->replies, struct xsd_reply, node))) {
		n = min_t(size_t, count - done, r->len - r->off);
		spin_unlock(&f->out_lock);
		if (copy_to_user(ubuf + done, r->data + r->off, n))
			return done ? done : -EFAULT;
		spin_lock(&f->out_lock);
		r->off += n;
		done += n;
		if (r->off == r->len) {
			list_del(&r->node);
			f->queued -= r->len;
			kfree(r);
		}
	}
	spin_unlock(&f->out_lock);
	return done ? done : -EAGAIN;
}

static __poll_t xsd_poll(struct file *file, poll_table *wait)
{
	struct xsd_file *f = file->private_data;

	poll_wait(file, &f->wq, wait);
	return EPOLLOUT | EPOLLWRNORM |
	       (list_empty(&f->replies) ? 0 : EPOLLIN | EPOLLRDNORM);
}

static int xsd_open(struct inode *inode, struct file *file)
{
	struct xsd_file *f;

	if (!xenstore_ready())
		return -ENOENT;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->body = kmalloc(XENSTORE_PAYLOAD_MAX + 1, GFP_KERNEL);
	if (!f->body) {
		kfree(f);
		return -ENOMEM;
	}
	mutex_init(&f->lock);
	spin_lock_init(&f->out_lock);
	INIT_LIST_HEAD(&f->replies);
	INIT_LIST_HEAD(&f->watches);
	init_waitqueue_head(&f->wq);
	file->private_data = f;
	return stream_open(inode, file);
}

static int xsd_release(struct inode *inode, struct file *file)
{
	struct xsd_file *f = file->private_data;
	struct xsd_watch *w, *wt;
	struct xsd_reply *r, *rt;
	struct xenbus_transaction t;
	unsigned int i;

	list_for_each_entry_safe(w, wt, &f->watches, node) {
		unregister_xenbus_watch(&w->watch);
		xsd_watch_free(w);
	}
	for (i = 0; i < XSD_MAX_TRANSACTIONS; i++) {
		if (!f->tx[i])
			continue;
		t.id = f->tx[i];
		xenbus_transaction_end(t, true);
	}
	list_for_each_entry_safe(r, rt, &f->replies, node)
		kfree(r);
	kfree(f->body);
	kfree(f);
	return 0;
}

const struct file_operations xenbus_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= xsd_open,
	.release	= xsd_release,
	.read		= xsd_read,
	.write		= xsd_write,
	.poll		= xsd_poll,
	.llseek		= no_llseek,
};
EXPORT_SYMBOL_GPL(xenbus_dev_fops);

static struct miscdevice xsd_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/xenbus",
	.fops	= &xenbus_dev_fops,
};

static int __init xsd_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	return misc_register(&xsd_dev);
}
device_initcall(xsd_init);
