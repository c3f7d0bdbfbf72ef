// SPDX-License-Identifier: GPL-2.0
/*
 * The public xenstore helpers: each builds one request, waits for its
 * reply through xs_talk() and checks the reply's shape before handing
 * anything back.
 */
#define pr_fmt(fmt) "xenstore: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* Transaction bodies conflicting more often than this give up. */
#define XS_TRANSACT_TRIES	16

/* "<dir>/<node>", or just @dir when @node is empty; kmalloc'd. */
static char *xs_join(const char *dir, const char *node)
{
	char *path;

	if (node[0])
		path = kasprintf(GFP_KERNEL, "%s/%s", dir, node);
	else
		path = kstrdup(dir, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	if (strlen(path) >= XENSTORE_ABS_PATH_MAX) {
		kfree(path);
		return ERR_PTR(-ENAMETOOLONG);
	}
	return path;
}

/* A request whose payload is just the node's path. */
static void *xs_path_request(struct xenbus_transaction t,
			     enum xsd_sockmsg_type type, const char *dir,
			     const char *node, unsigned int *len)
{
	char *path = xs_join(dir, node);
	struct kvec iov;
	void *reply;

	if (IS_ERR(path))
		return path;
	iov.iov_base = path;
	iov.iov_len = strlen(path) + 1;
	reply = xs_talk(t.id, type, &iov, 1, len);
	kfree(path);
	return reply;
}

/* For requests whose only answer is "OK". */
static int xs_path_command(struct xenbus_transaction t,
			   enum xsd_sockmsg_type type, const char *dir,
			   const char *node)
{
	void *reply = xs_path_request(t, type, dir, node, NULL);

	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

void *xenbus_read(struct xenbus_transaction t, const char *dir,
		  const char *node, unsigned int *len)
{
	return xs_path_request(t, XS_READ, dir, node, len);
}
EXPORT_SYMBOL_GPL(xenbus_read);

int xenbus_write(struct xenbus_transaction t, const char *dir,
		 const char *node, const char *value)
{
	char *path = xs_join(dir, node);
	struct kvec iov[2];
	void *reply;

	if (IS_ERR(path))
		return PTR_ERR(path);
	iov[0].iov_base = path;
	iov[0].iov_len = strlen(path) + 1;
	/* The value is raw bytes: no NUL on the wire. */
	iov[1].iov_base = (void *)value;
	iov[1].iov_len = strlen(value);
	reply = xs_talk(t.id, XS_WRITE, iov, ARRAY_SIZE(iov), NULL);
	kfree(path);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_write);

int xenbus_mkdir(struct xenbus_transaction t, const char *dir,
		 const char *node)
{
	return xs_path_command(t, XS_MKDIR, dir, node);
}
EXPORT_SYMBOL_GPL(xenbus_mkdir);

int xenbus_rm(struct xenbus_transaction t, const char *dir, const char *node)
{
	return xs_path_command(t, XS_RM, dir, node);
}
EXPORT_SYMBOL_GPL(xenbus_rm);

bool xenbus_exists(struct xenbus_transaction t, const char *dir,
		   const char *node)
{
	/* Every node, directories included, has a (maybe empty) value. */
	void *reply = xs_path_request(t, XS_READ, dir, node, NULL);

	if (IS_ERR(reply))
		return false;
	kfree(reply);
	return true;
}
EXPORT_SYMBOL_GPL(xenbus_exists);

char **xenbus_directory(struct xenbus_transaction t, const char *dir,
			const char *node, unsigned int *num)
{
	unsigned int len, i;
	char **names;
	char *body, *copy;
	int count;

	body = xs_path_request(t, XS_DIRECTORY, dir, node, &len);
	if (IS_ERR(body))
		return (char **)body;
	count = xs_count_strings(body, len);
	if (count < 0) {
		pr_warn_ratelimited("malformed directory listing of %s/%s\n",
				    dir, node);
		kfree(body);
		return ERR_PTR(-EIO);
	}

	/* The pointer array and the strings share one allocation. */
	names = kmalloc(count * sizeof(*names) + len, GFP_KERNEL);
	if (!names) {
		kfree(body);
		return ERR_PTR(-ENOMEM);
	}
	copy = (char *)(names + count);
	memcpy(copy, body, len);
	kfree(body);
	for (i = 0; i < count; i++) {
		names[i] = copy;
		copy += strlen(copy) + 1;
	}
	*num = count;
	return names;
}
EXPORT_SYMBOL_GPL(xenbus_directory);

int xenbus_printf(struct xenbus_transaction t, const char *dir,
		  const char *node, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int err;

	va_start(ap, fmt);
	value = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!value)
		return -ENOMEM;
	err = xenbus_write(t, dir, node, value);
	kfree(value);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_printf);

int xenbus_scanf(struct xenbus_transaction t, const char *dir,
		 const char *node, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int ret;

	value = xenbus_read(t, dir, node, NULL);
	if (IS_ERR(value))
		return PTR_ERR(value);
	va_start(ap, fmt);
	ret = vsscanf(value, fmt, ap);
	va_end(ap);
	kfree(value);
	return ret > 0 ? ret : -ERANGE;
}
EXPORT_SYMBOL_GPL(xenbus_scanf);

int xenbus_read_uint(struct xenbus_transaction t, const char *dir,
		     const char *node, unsigned int *val)
{
	char *value;
	int err;

	value = xenbus_read(t, dir, node, NULL);
	if (IS_ERR(value))
		return PTR_ERR(value);
	err = kstrtouint(value, 10, val);
	kfree(value);
	return err ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(xenbus_read_uint);

int xenbus_gather(struct xenbus_transaction t, const char *dir, ...)
{
	const char *node, *fmt;
	va_list ap;
	void *result;
	char *value;
	int err = 0;

	va_start(ap, dir);
	while (!err && (node = va_arg(ap, const char *))) {
		fmt = va_arg(ap, const char *);
		result = va_arg(ap, void *);

		value = xenbus_read(t, dir, node, NULL);
		if (IS_ERR(value)) {
			err = PTR_ERR(value);
		} else if (!fmt) {
			*(char **)result = value;
		} else {
			if (sscanf(value, fmt, result) != 1)
				err = -EINVAL;
			kfree(value);
		}
	}
	va_end(ap);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_gather);

int xenbus_transaction_start(struct xenbus_transaction *t)
{
	struct kvec iov = { .iov_base = "", .iov_len = 1 };
	char *reply;
	int err;

	reply = xs_talk(0, XS_TRANSACTION_START, &iov, 1, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	err = kstrtou32(reply, 10, &t->id);
	if (err || t->id == 0) {
		pr_warn_ratelimited("bad transaction id \"%.16s\"\n", reply);
		err = -EIO;
	}
	kfree(reply);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_transaction_start);

int xenbus_transaction_end(struct xenbus_transaction t, bool abort)
{
	struct kvec iov = {
		.iov_base = abort ? "F" : "T",
		.iov_len = 2,
	};
	void *reply;

	reply = xs_talk(t.id, XS_TRANSACTION_END, &iov, 1, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_transaction_end);

int xenbus_transact(int (*body)(struct xenbus_transaction t, void *arg),
		    void *arg)
{
	struct xenbus_transaction t;
	unsigned int tries;
	int err;

	for (tries = 0; tries < XS_TRANSACT_TRIES; tries++) {
		err = xenbus_transaction_start(&t);
		if (err)
			return err;
		err = body(t, arg);
		if (err) {
			xenbus_transaction_end(t, true);
			return err;
		}
		err = xenbus_transaction_end(t, false);
		if (err != -EAGAIN)
			return err;
	}
	pr_warn_ratelimited("transaction still conflicting after %u tries\n",
			    tries);
	return -EAGAIN;
}
EXPORT_SYMBOL_GPL(xenbus_transact);
