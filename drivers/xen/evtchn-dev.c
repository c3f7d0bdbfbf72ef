// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/evtchn: event channels for processes (libxenevtchn; xenstored,
 * xenconsoled, qemu and xl use it).
 *
 * Each open file owns the ports it bound.  A port is an ordinary event
 * channel irq of ours; its handler appends the port to the file's ring
 * of fired ports and disables the irq, so the port stays masked until
 * the process has handled it and write()s the port number back.  An
 * event that arrives while masked is latched by Xen and replayed on the
 * write.  read() hands out fired ports, poll() says when there are some.
 * A ring that fills up loses events; the file then reports EFBIG until
 * IOCTL_EVTCHN_RESET, as the library expects.
 *
 * Every port number a caller passes is looked up among the file's own
 * ports before it is used, so a process can only touch what it bound.
 * The remote domain and port of a bind are judged by Xen.
 */
#define pr_fmt(fmt) "xen-evtchn: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <uapi/xen/evtchn.h>
#include <xen/events.h>
#include <xen/xen.h>

/* Fired ports a file can hold before it overflows (a power of two). */
#define EVD_RING_SIZE	1024
/* Ports one file may have bound at once. */
#define EVD_MAX_PORTS	16384

struct evd_file;

struct evd_port {
	struct evd_file *file;
	evtchn_port_t port;
	int irq;
	bool masked;		/* by our handler, until user space says */
	char name[24];
};

struct evd_file {
	struct mutex bind_lock;		/* binding, unbinding, unmasking */
	struct xarray ports;		/* port -> struct evd_port */
	unsigned int nr_ports;
	domid_t restrict_to;		/* DOMID_INVALID: any domain */

	spinlock_t ring_lock;		/* the ring and its indexes */
	evtchn_port_t ring[EVD_RING_SIZE];
	unsigned int prod, cons;	/* free running */
	bool overflow;
	wait_queue_head_t wq;
	struct fasync_struct *fasync;
};

static irqreturn_t evd_interrupt(int irq, void *data)
{
	struct evd_port *p = data;
	struct evd_file *f = p->file;
	/* Not p->port: the first event may come before the bind returns. */
	evtchn_port_t port = xen_evtchn_from_irq(irq);

	/* Masked until the process writes the port back. */
	disable_irq_nosync(irq);
	WRITE_ONCE(p->masked, true);

	spin_lock(&f->ring_lock);
	if (f->prod - f->cons < EVD_RING_SIZE)
		f->ring[f->prod++ % EVD_RING_SIZE] = port;
	else
		f->overflow = true;
	spin_unlock(&f->ring_lock);

	wake_up_interruptible(&f->wq);
	kill_fasync(&f->fasync, SIGIO, POLL_IN);
	return IRQ_HANDLED;
}

/* Under bind_lock: adopt the irq a bind call just made for @port. */
static long evd_add(struct evd_file *f, struct evd_port *p, int irq)
{
	int rc;

	if (irq < 0)
		return irq;
	p->irq = irq;
	p->port = xen_evtchn_from_irq(irq);
	rc = xa_insert(&f->ports, p->port, p, GFP_KERNEL);
	if (rc) {
		xen_evtchn_unbind(irq, p);
		return rc;
	}
	f->nr_ports++;
	return p->port;
}

/*
 * The bind calls request the irq with @p as its cookie, before they
 * return the irq: the handler may run at once, so @p is filled first.
 */
static struct evd_port *evd_new_port(struct evd_file *f)
{
	struct evd_port *p;

	if (f->nr_ports >= EVD_MAX_PORTS)
		return ERR_PTR(-ENOSPC);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->file = f;
	snprintf(p->name, sizeof(p->name), "evtchn:%s", current->comm);
	return p;
}

static long evd_bind(struct evd_file *f, unsigned int cmd,
		     void __user *udata)
{
	struct ioctl_evtchn_bind_interdomain bi;
	struct ioctl_evtchn_bind_unbound_port bu;
	struct ioctl_evtchn_bind_virq bv;
	evtchn_port_t port;
	struct evd_port *p;
	long rc;
	int irq;

	mutex_lock(&f->bind_lock);
	p = evd_new_port(f);
	if (IS_ERR(p)) {
		rc = PTR_ERR(p);
		goto out;
	}
	rc = -EFAULT;
	switch (cmd) {
	case IOCTL_EVTCHN_BIND_VIRQ:
		if (copy_from_user(&bv, udata, sizeof(bv)))
			goto free;
		rc = -EPERM;
		if (f->restrict_to != DOMID_INVALID)
			goto free;
		/* A VIRQ the kernel (or another file) has is not shared. */
		rc = -EBUSY;
		if (xen_evtchn_virq_bound(bv.virq, 0))
			goto free;
		irq = xen_evtchn_bind_virq(bv.virq, 0, evd_interrupt, 0,
					   p->name, p);
		break;
	case IOCTL_EVTCHN_BIND_INTERDOMAIN:
		if (copy_from_user(&bi, udata, sizeof(bi)))
			goto free;
		rc = -EPERM;
		if (f->restrict_to != DOMID_INVALID &&
		    bi.remote_domain != f->restrict_to)
			goto free;
		rc = -EINVAL;
		if (bi.remote_domain >= DOMID_FIRST_RESERVED)
			goto free;
		irq = xen_evtchn_bind_interdomain(bi.remote_domain,
						  bi.remote_port, evd_interrupt,
						  0, p->name, p);
		break;
	default: /* IOCTL_EVTCHN_BIND_UNBOUND_PORT */
		if (copy_from_user(&bu, udata, sizeof(bu)))
			goto free;
		rc = -EPERM;
		if (f->restrict_to != DOMID_INVALID &&
		    bu.remote_domain != f->restrict_to)
			goto free;
		rc = -EINVAL;
		if (bu.remote_domain >= DOMID_FIRST_RESERVED &&
		    bu.remote_domain != DOMID_SELF)
			goto free;
		rc = xen_evtchn_alloc_unbound(bu.remote_domain, &port);
		if (rc)
			goto free;
		irq = xen_evtchn_bind_port(port, evd_interrupt, 0, p->name, p);
		if (irq < 0)
			xen_evtchn_close(port);
		break;
	}
	rc = evd_add(f, p, irq);
	if (rc >= 0)
		goto out;
free:
	kfree(p);
out:
	mutex_unlock(&f->bind_lock);
	return rc;
}

/* Under bind_lock: forget @p and close its port. */
static void evd_remove(struct evd_file *f, struct evd_port *p)
{
	xa_erase(&f->ports, p->port);
	f->nr_ports--;
	/* A disabled irq is freed as it is; nothing to re-enable. */
	xen_evtchn_unbind(p->irq, p);
	kfree(p);
}

static long evd_unbind(struct evd_file *f, void __user *udata)
{
	struct ioctl_evtchn_unbind u;
	struct evd_port *p;
	long rc = -ENOTCONN;

	if (copy_from_user(&u, udata, sizeof(u)))
		return -EFAULT;
	mutex_lock(&f->bind_lock);
	p = xa_load(&f->ports, u.port);
	if (p) {
		evd_remove(f, p);
		rc = 0;
	}
	mutex_unlock(&f->bind_lock);
	return rc;
}

/*
 * Through the irq: after a restore in a new domain a port bound to
 * another domain is gone (its irq has no port, ENOTCONN), and the number
 * the process knows may now be some other channel's, not to be signalled.
 */
static long evd_notify(struct evd_file *f, void __user *udata)
{
	struct ioctl_evtchn_notify n;
	evtchn_port_t port = 0;
	struct evd_port *p;

	if (copy_from_user(&n, udata, sizeof(n)))
		return -EFAULT;
	mutex_lock(&f->bind_lock);
	p = xa_load(&f->ports, n.port);
	if (p)
		port = xen_evtchn_from_irq(p->irq);
	if (port)
		xen_evtchn_notify(port);
	mutex_unlock(&f->bind_lock);
	return port ? 0 : -ENOTCONN;
}

static long evd_reset(struct evd_file *f)
{
	spin_lock_irq(&f->ring_lock);
	f->cons = f->prod;
	f->overflow = false;
	spin_unlock_irq(&f->ring_lock);
	return 0;
}

static long evd_restrict(struct evd_file *f, void __user *udata)
{
	struct ioctl_evtchn_restrict_domid r;
	long rc = 0;

	if (copy_from_user(&r, udata, sizeof(r)))
		return -EFAULT;
	if (r.domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	mutex_lock(&f->bind_lock);
	if (f->restrict_to == DOMID_INVALID)
		f->restrict_to = r.domid;
	else if (f->restrict_to != r.domid)
		rc = -EPERM;
	mutex_unlock(&f->bind_lock);
	return rc;
}

static long evd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct evd_file *f = file->private_data;
	void __user *udata = (void __user *)arg;

	switch (cmd) {
	case IOCTL_EVTCHN_BIND_VIRQ:
	case IOCTL_EVTCHN_BIND_INTERDOMAIN:
	case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
		return evd_bind(f, cmd, udata);
	case IOCTL_EVTCHN_UNBIND:
		return evd_unbind(f, udata);
	case IOCTL_EVTCHN_NOTIFY:
		return evd_notify(f, udata);
	case IOCTL_EVTCHN_RESET:
		return evd_reset(f);
	case IOCTL_EVTCHN_RESTRICT_DOMID:
		return evd_restrict(f, udata);
	default:
		return -ENOTTY;
	}
}

/* Fired ports available, or -EFBIG after an overflow. */
static int evd_available(struct evd_file *f)
{
	int n;

	spin_lock_irq(&f->ring_lock);
	n = f->overflow ? -EFBIG : f->prod - f->cons;
	spin_unlock_irq(&f->ring_lock);
	return n;
}

static ssize_t evd_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	struct evd_file *f = file->private_data;
	evtchn_port_t ports[64];
	unsigned int want, n, i;
	int avail;

	want = min_t(size_t, count / sizeof(evtchn_port_t), ARRAY_SIZE(ports));
	if (!want)
		return 0;
	for (;;) {
		avail = evd_available(f);
		if (avail)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(f->wq, evd_available(f)))
			return -ERESTARTSYS;
	}
	if (avail < 0)
		return avail;

	spin_lock_irq(&f->ring_lock);
	n = min_t(unsigned int, want, f->prod - f->cons);
	for (i = 0; i < n; i++)
		ports[i] = f->ring[(f->cons + i) % EVD_RING_SIZE];
	f->cons += n;
	spin_unlock_irq(&f->ring_lock);

	if (copy_to_user(buf, ports, n * sizeof(ports[0])))
		return -EFAULT;
	return n * sizeof(ports[0]);
}

/* Each port written back is unmasked, if it is ours and we masked it. */
static ssize_t evd_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	struct evd_file *f = file->private_data;
	evtchn_port_t ports[64];
	unsigned int n, i;
	struct evd_port *p;

	n = min_t(size_t, count / sizeof(evtchn_port_t), ARRAY_SIZE(ports));
	if (!n)
		return 0;
	if (copy_from_user(ports, buf, n * sizeof(ports[0])))
		return -EFAULT;

	mutex_lock(&f->bind_lock);
	for (i = 0; i < n; i++) {
		p = xa_load(&f->ports, ports[i]);
		if (p && READ_ONCE(p->masked)) {
			WRITE_ONCE(p->masked, false);
			enable_irq(p->irq);
		}
	}
	mutex_unlock(&f->bind_lock);
	return n * sizeof(ports[0]);
}

static __poll_t evd_poll(struct file *file, poll_table *wait)
{
	struct evd_file *f = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &f->wq, wait);
	if (evd_available(f))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int evd_fasync(int fd, struct file *file, int on)
{
	struct evd_file *f = file->private_data;

	return fasync_helper(fd, file, on, &f->fasync);
}

static int evd_open(struct inode *inode, struct file *file)
{
	struct evd_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->bind_lock);
	xa_init(&f->ports);
	spin_lock_init(&f->ring_lock);
	init_waitqueue_head(&f->wq);
	f->restrict_to = DOMID_INVALID;
	file->private_data = f;
	return stream_open(inode, file);
}

static int evd_release(struct inode *inode, struct file *file)
{
	struct evd_file *f = file->private_data;
	struct evd_port *p;
	unsigned long port;

	mutex_lock(&f->bind_lock);
	xa_for_each(&f->ports, port, p)
		evd_remove(f, p);
	mutex_unlock(&f->bind_lock);
	xa_destroy(&f->ports);
	kfree(f);
	return 0;
}

static const struct file_operations evd_fops = {
	.owner		= THIS_MODULE,
	.open		= evd_open,
	.release	= evd_release,
	.read		= evd_read,
	.write		= evd_write,
	.poll		= evd_poll,
	.fasync		= evd_fasync,
	.unlocked_ioctl	= evd_ioctl,
	.llseek		= no_llseek,
};

static struct miscdevice evd_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/evtchn",
	.fops	= &evd_fops,
};

static int __init evd_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	return misc_register(&evd_dev);
}
module_init(evd_init);

static void __exit evd_exit(void)
{
	misc_deregister(&evd_dev);
}
module_exit(evd_exit);

MODULE_DESCRIPTION("Xen event channels for user space");
MODULE_LICENSE("GPL");
