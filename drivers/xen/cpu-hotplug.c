// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU hotplug requested by the toolstack.
 *
 * "xl vcpu-set" (and the vcpus/maxvcpus settings at domain creation)
 * write "online" or "offline" into cpu/<N>/availability of our xenstore
 * home.  We watch the "cpu" directory and make the Linux CPU follow with
 * add_cpu()/remove_cpu(), which run the whole CPU hotplug machinery (and
 * through it the arch code that stops or restarts the vCPU).
 *
 * The watch fires once when it is registered: that pass goes over every
 * possible CPU, so CPUs the toolstack created offline are taken down as
 * soon as xenstore is reachable.  Later events name the node that changed.
 *
 * The node names and values come from the toolstack; a CPU number we do
 * not have or a value other than the two words is logged and ignored.
 */

#define pr_fmt(fmt) "xen-cpu-hotplug: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/xen.h>
#include <xen/xenbus.h>

#define HP_DIR		"cpu"
/* Longest value worth quoting in the log. */
#define HP_LOG_MAX	32
/* Room for "cpu/" and a CPU number. */
#define HP_PATH_MAX	24

/*
 * Read cpu/@cpu/availability: 1 for "online", 0 for "offline",
 * -ENOENT when there is no such node, -EINVAL (logged) for anything else.
 */
static int hp_read_availability(unsigned int cpu)
{
	char dir[HP_PATH_MAX];
	char *val;
	int ret;

	snprintf(dir, sizeof(dir), HP_DIR "/%u", cpu);
	val = xenbus_read(XBT_NIL, dir, "availability", NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);

	if (!strcmp(val, "online")) {
		ret = 1;
	} else if (!strcmp(val, "offline")) {
		ret = 0;
	} else {
		pr_warn("%s/availability: \"%*pE\" is neither online nor offline, ignored\n",
			dir, (int)strnlen(val, HP_LOG_MAX), val);
		ret = -EINVAL;
	}
	kfree(val);
	return ret;
}

/*
 * Bring CPU @cpu to the state the toolstack asks for.  No node at all is
 * no request: the toolstack writes one only for the vCPUs it manages.
 */
static void hp_apply(unsigned int cpu)
{
	int want, rc;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		pr_warn("request for CPU %u ignored: this guest has CPUs 0-%u\n",
			cpu, nr_cpu_ids - 1);
		return;
	}

	want = hp_read_availability(cpu);
	if (want < 0) {
		if (want != -EINVAL && want != -ENOENT)
			pr_warn("cannot read %s/%u/availability: %d\n", HP_DIR,
				cpu, want);
		return;
	}
	if (want == !!cpu_online(cpu))
		return;

	rc = want ? add_cpu(cpu) : remove_cpu(cpu);
	if (rc < 0)
		pr_warn("cannot take CPU %u %s: %d\n", cpu,
			want ? "online" : "offline", rc);
	else
		pr_info("CPU %u %s as the toolstack asked\n", cpu,
			want ? "online" : "offline");
}

/*
 * @path is "cpu" itself (the first event, or the directory being
 * created), "cpu/<N>" or "cpu/<N>/availability".  Returns the CPU named,
 * -ENOENT for the directory itself, -EINVAL for a malformed path.
 */
static int hp_parse_path(const char *path)
{
	char num[HP_PATH_MAX];
	const char *rest, *end;
	unsigned int cpu;
	size_t len;

	if (!strcmp(path, HP_DIR))
		return -ENOENT;
	if (strncmp(path, HP_DIR "/", sizeof(HP_DIR)))
		return -EINVAL;
	rest = path + sizeof(HP_DIR);

	end = strchrnul(rest, '/');
	len = end - rest;
	if (!len || len >= sizeof(num))
		return -EINVAL;
	if (*end && strcmp(end, "/availability"))
		return -EINVAL;
	memcpy(num, rest, len);
	num[len] = '\0';
	if (kstrtouint(num, 10, &cpu) || cpu > INT_MAX)
		return -EINVAL;
	return cpu;
}

static void hp_changed(struct xenbus_watch *watch, const char *path)
{
	unsigned int cpu;
	int which = hp_parse_path(path);

	if (which == -ENOENT) {
		for_each_possible_cpu(cpu)
			hp_apply(cpu);
		return;
	}
	if (which < 0) {
		pr_warn("change to \"%*pE\" ignored: not a CPU's node\n",
			(int)strnlen(path, HP_LOG_MAX), path);
		return;
	}
	/* "cpu/<N>" alone fires when the toolstack creates or removes it. */
	hp_apply(which);
}

static struct xenbus_watch hp_watch = {
	.node = HP_DIR,
	.callback = hp_changed,
};

static int hp_store_ready(struct notifier_block *nb, unsigned long event,
			  void *data)
{
	int rc = register_xenbus_watch(&hp_watch);

	if (rc)
		pr_err("cannot watch %s: %d\n", hp_watch.node, rc);
	return NOTIFY_DONE;
}

static struct notifier_block hp_store_nb = {
	.notifier_call = hp_store_ready,
};

static int __init hp_init(void)
{
	if (!xen_pv_domain())
		return 0;
	return register_xenstore_notifier(&hp_store_nb);
}
device_initcall(hp_init);
