// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the xenstore client and the xenbus helpers.
 *
 * "xenbus-parse" checks the validation of what the store sends us and
 * runs anywhere.  "xenbus-store" talks to the real store under our own
 * data/kunit-xenbus directory and is skipped unless this is a Xen PV
 * domU connected to xenstore.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <xen/xen.h>

#include "internal.h"

#define KT_DIR		"data/kunit-xenbus"
#define KT_TIMEOUT	(5 * HZ)

/* ------------------------------------------------ parsing, anywhere */

static void xenbus_kunit_error_names(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xs_error_to_errno("ENOENT", 7), -ENOENT);
	/* The NUL may be missing on the wire. */
	KUNIT_EXPECT_EQ(test, xs_error_to_errno("EAGAIN", 6), -EAGAIN);
	KUNIT_EXPECT_EQ(test, xs_error_to_errno("EBOGUS", 7), -EIO);
	KUNIT_EXPECT_EQ(test, xs_error_to_errno("", 1), -EIO);
	KUNIT_EXPECT_EQ(test, xs_error_to_errno("EIO\0junk", 9), -EIO);
}

static void xenbus_kunit_strings(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xs_count_strings("a\0bc", 5), 2);
	KUNIT_EXPECT_EQ(test, xs_count_strings("a\0bc", 4), -EIO);
	KUNIT_EXPECT_EQ(test, xs_count_strings("", 0), 0);
}

static void xenbus_kunit_watch_events(struct kunit *test)
{
	const char *path = NULL;
	u32 token = 0;

	KUNIT_EXPECT_EQ(test, xs_parse_watch_event("device/vbd\0w12", 15,
						   &path, &token), 0);
	KUNIT_EXPECT_STREQ(test, path, "device/vbd");
	KUNIT_EXPECT_EQ(test, token, 12U);

	/* Not our token format, one string only, empty path, no NUL. */
	KUNIT_EXPECT_NE(test, xs_parse_watch_event("a\0x12", 6, &path,
						   &token), 0);
	KUNIT_EXPECT_NE(test, xs_parse_watch_event("a", 2, &path, &token), 0);
	KUNIT_EXPECT_NE(test, xs_parse_watch_event("\0w1", 4, &path, &token),
			0);
	KUNIT_EXPECT_NE(test, xs_parse_watch_event("a\0w1", 4, &path, &token),
			0);
	KUNIT_EXPECT_NE(test, xs_parse_watch_event("a\0w1x", 6, &path,
						   &token), 0);
}

static void xenbus_kunit_states(struct kunit *test)
{
	enum xenbus_state state = XenbusStateUnknown;

	KUNIT_EXPECT_EQ(test, xenbus_parse_state("4", &state), 0);
	KUNIT_EXPECT_EQ(test, state, XenbusStateConnected);
	KUNIT_EXPECT_NE(test, xenbus_parse_state("9", &state), 0);
	KUNIT_EXPECT_NE(test, xenbus_parse_state("-1", &state), 0);
	KUNIT_EXPECT_NE(test, xenbus_parse_state("four", &state), 0);
	KUNIT_EXPECT_NE(test, xenbus_parse_state("", &state), 0);
	KUNIT_EXPECT_STREQ(test, xenbus_strstate(XenbusStateClosing),
			   "Closing");
	KUNIT_EXPECT_STREQ(test, xenbus_strstate(42), "Invalid");
}

static void xenbus_kunit_names(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xenbus_valid_name("vbd", 32));
	KUNIT_EXPECT_TRUE(test, xenbus_valid_name("51712", 32));
	KUNIT_EXPECT_FALSE(test, xenbus_valid_name("", 32));
	KUNIT_EXPECT_FALSE(test, xenbus_valid_name("a/b", 32));
	KUNIT_EXPECT_FALSE(test, xenbus_valid_name("..", 32));
	KUNIT_EXPECT_FALSE(test, xenbus_valid_name("abcd", 4));
}

static struct kunit_case xenbus_parse_cases[] = {
	KUNIT_CASE(xenbus_kunit_error_names),
	KUNIT_CASE(xenbus_kunit_strings),
	KUNIT_CASE(xenbus_kunit_watch_events),
	KUNIT_CASE(xenbus_kunit_states),
	KUNIT_CASE(xenbus_kunit_names),
	{}
};

static struct kunit_suite xenbus_parse_suite = {
	.name = "xenbus-parse",
	.test_cases = xenbus_parse_cases,
};

/* ------------------------------------------------ the real store */

static int xenbus_kunit_store_init(struct kunit *test)
{
	if (!xen_pv_domain() || xen_initial_domain() || !xenstore_ready())
		kunit_skip(test, "not a Xen PV domU with xenstore");
	/* Start from nothing; a missing directory is fine. */
	xenbus_rm(XBT_NIL, KT_DIR, "");
	return 0;
}

static void xenbus_kunit_store_exit(struct kunit *test)
{
	if (xenstore_ready())
		xenbus_rm(XBT_NIL, KT_DIR, "");
}

static void xenbus_kunit_read_back(struct kunit *test)
{
	unsigned int len = 0, val = 0;
	char *value;

	KUNIT_ASSERT_EQ(test, xenbus_write(XBT_NIL, KT_DIR, "a", "hello"), 0);
	value = xenbus_read(XBT_NIL, KT_DIR, "a", &len);
	KUNIT_ASSERT_FALSE(test, IS_ERR(value));
	KUNIT_EXPECT_STREQ(test, value, "hello");
	KUNIT_EXPECT_EQ(test, len, 5U);
	kfree(value);

	KUNIT_ASSERT_EQ(test, xenbus_printf(XBT_NIL, KT_DIR, "n", "%u", 42U),
			0);
	KUNIT_EXPECT_EQ(test, xenbus_read_uint(XBT_NIL, KT_DIR, "n", &val), 0);
	KUNIT_EXPECT_EQ(test, val, 42U);
	KUNIT_EXPECT_EQ(test, xenbus_read_uint(XBT_NIL, KT_DIR, "a", &val),
			-EINVAL);

	value = xenbus_read(XBT_NIL, KT_DIR, "missing", NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(value), -ENOENT);
}

static void xenbus_kunit_directory(struct kunit *test)
{
	unsigned int n = 0, i;
	bool seen_x = false, seen_y = false;
	char **names;

	KUNIT_ASSERT_EQ(test, xenbus_write(XBT_NIL, KT_DIR "/dir", "x", "1"),
			0);
	KUNIT_ASSERT_EQ(test, xenbus_mkdir(XBT_NIL, KT_DIR "/dir", "y"), 0);
	names = xenbus_directory(XBT_NIL, KT_DIR, "dir", &n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(names));
	for (i = 0; i < n; i++) {
		seen_x |= !strcmp(names[i], "x");
		seen_y |= !strcmp(names[i], "y");
	}
	kfree(names);
	KUNIT_EXPECT_EQ(test, n, 2U);
	KUNIT_EXPECT_TRUE(test, seen_x && seen_y);
}

static int xenbus_kunit_tx_body(struct xenbus_transaction t, void *arg)
{
	int err = xenbus_write(t, KT_DIR, "tx1", "one");

	return err ?: xenbus_write(t, KT_DIR, "tx2", "two");
}

static void xenbus_kunit_transaction(struct kunit *test)
{
	struct xenbus_transaction t;
	char *one, *two;

	KUNIT_ASSERT_EQ(test, xenbus_transact(xenbus_kunit_tx_body, NULL), 0);
	one = xenbus_read(XBT_NIL, KT_DIR, "tx1", NULL);
	two = xenbus_read(XBT_NIL, KT_DIR, "tx2", NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(one) || IS_ERR(two));
	if (!IS_ERR(one))
		KUNIT_EXPECT_STREQ(test, one, "one");
	if (!IS_ERR(two))
		KUNIT_EXPECT_STREQ(test, two, "two");
	if (!IS_ERR(one))
		kfree(one);
	if (!IS_ERR(two))
		kfree(two);

	/* An aborted transaction leaves nothing behind. */
	KUNIT_ASSERT_EQ(test, xenbus_transaction_start(&t), 0);
	KUNIT_EXPECT_EQ(test, xenbus_write(t, KT_DIR, "tx3", "three"), 0);
	KUNIT_EXPECT_EQ(test, xenbus_transaction_end(t, true), 0);
	KUNIT_EXPECT_FALSE(test, xenbus_exists(XBT_NIL, KT_DIR, "tx3"));
}

struct xenbus_kunit_watch {
	struct xenbus_watch watch;
	atomic_t hits;
	wait_queue_head_t wq;
};

static void xenbus_kunit_watch_cb(struct xenbus_watch *watch,
				  const char *path)
{
	struct xenbus_kunit_watch *kw =
		container_of(watch, struct xenbus_kunit_watch, watch);

	atomic_inc(&kw->hits);
	wake_up(&kw->wq);
}

static void xenbus_kunit_watch(struct kunit *test)
{
	struct xenbus_kunit_watch *kw;
	long left;

	kw = kunit_kzalloc(test, sizeof(*kw), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kw);
	init_waitqueue_head(&kw->wq);
	kw->watch.node = KT_DIR "/watched";
	kw->watch.callback = xenbus_kunit_watch_cb;

	KUNIT_ASSERT_EQ(test, register_xenbus_watch(&kw->watch), 0);
	/* xenstored fires every new watch once. */
	left = wait_event_timeout(kw->wq, atomic_read(&kw->hits) >= 1,
				  KT_TIMEOUT);
	KUNIT_EXPECT_GT(test, left, 0L);

	KUNIT_EXPECT_EQ(test, xenbus_write(XBT_NIL, KT_DIR, "watched", "1"),
			0);
	left = wait_event_timeout(kw->wq, atomic_read(&kw->hits) >= 2,
				  KT_TIMEOUT);
	KUNIT_EXPECT_GT(test, left, 0L);

	unregister_xenbus_watch(&kw->watch);
}

static void xenbus_kunit_rm(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, xenbus_write(XBT_NIL, KT_DIR "/gone", "leaf",
					   "x"), 0);
	KUNIT_EXPECT_TRUE(test, xenbus_exists(XBT_NIL, KT_DIR, "gone/leaf"));
	KUNIT_EXPECT_EQ(test, xenbus_rm(XBT_NIL, KT_DIR, "gone"), 0);
	KUNIT_EXPECT_FALSE(test, xenbus_exists(XBT_NIL, KT_DIR, "gone/leaf"));
	KUNIT_EXPECT_FALSE(test, xenbus_exists(XBT_NIL, KT_DIR, "gone"));
}

static struct kunit_case xenbus_store_cases[] = {
	KUNIT_CASE(xenbus_kunit_read_back),
	KUNIT_CASE(xenbus_kunit_directory),
	KUNIT_CASE(xenbus_kunit_transaction),
	KUNIT_CASE(xenbus_kunit_watch),
	KUNIT_CASE(xenbus_kunit_rm),
	{}
};

static struct kunit_suite xenbus_store_suite = {
	.name = "xenbus-store",
	.init = xenbus_kunit_store_init,
	.exit = xenbus_kunit_store_exit,
	.test_cases = xenbus_store_cases,
};

kunit_test_suites(&xenbus_parse_suite, &xenbus_store_suite);
