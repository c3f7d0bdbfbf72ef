// SPDX-License-Identifier: GPL-2.0
/*
 * xsbe: drive /dev/xen/xenbus_backend the way Xen's init-xenstore-domain
 * does, and check its answers.
 *
 *   xsbe setup DOMID   IOCTL_XENBUS_BACKEND_SETUP: hand the store ring to
 *                      DOMID before xenstored starts; prints the new port
 *   xsbe check         with the store up: EVTCHN gives /proc/xen/xsd_port,
 *                      SETUP is refused (EEXIST, or EINVAL for a reserved
 *                      domid), an unknown ioctl gets ENOTTY, mmap() takes
 *                      one page at offset 0 only and shows the page
 *                      /proc/xen/xsd_kva shows, and a process without
 *                      CAP_SYS_ADMIN cannot open the device
 *
 * Prints "ok ..." or "FAIL ..." per check; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Xen's tools/include/xen-sys/Linux/xenbus_dev.h */
#define IOCTL_XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)
#define IOCTL_XENBUS_BACKEND_SETUP _IOC(_IOC_NONE, 'B', 1, 0)

#define DEV "/dev/xen/xenbus_backend"

static int failed;

static void check(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, detail ? ": " : "",
	       detail ? detail : "");
	failed |= !ok;
}

/* ioctl's result, or -errno. */
static long xioctl(int fd, unsigned long cmd, unsigned long arg)
{
	long r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static int xsd_port(void)
{
	FILE *f = fopen("/proc/xen/xsd_port", "r");
	int port = -1;

	if (f) {
		if (fscanf(f, "%d", &port) != 1)
			port = -1;
		fclose(f);
	}
	return port;
}

static void *map_page(const char *path, int *err)
{
	int fd = open(path, O_RDWR);
	void *p;

	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, 0);
	*err = p == MAP_FAILED ? errno : 0;
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	return p;
}

static void check_mmap(int fd)
{
	static unsigned char pa[4096], pb[4096];
	long pg = getpagesize();
	int err, i, same, nonzero = 0;
	void *a, *b;
	char d[96];

	a = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, fd, 0);
	check(a == MAP_FAILED && errno == EINVAL, "mmap of two pages refused", NULL);
	if (a != MAP_FAILED)
		munmap(a, 2 * pg);
	a = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, pg);
	check(a == MAP_FAILED && errno == EINVAL, "mmap at offset one page refused", NULL);
	if (a != MAP_FAILED)
		munmap(a, pg);

	/*
	 * Both are VM_PFNMAP, which /proc/self/pagemap does not show: compare
	 * the pages instead.  The ring holds the history of every store
	 * message so far; a message passing between the two reads can make
	 * them differ, so a few tries.
	 */
	a = map_page(DEV, &err);
	b = map_page("/proc/xen/xsd_kva", &err);
	same = 0;
	for (i = 0; a && b && i < 20 && !same; i++) {
		memcpy(pa, a, sizeof(pa));
		memcpy(pb, b, sizeof(pb));
		same = !memcmp(pa, pb, sizeof(pa));
		if (!same)
			usleep(10000);
	}
	for (i = 0, nonzero = 0; same && i < (int)sizeof(pa); i++)
		nonzero += pa[i] != 0;
	snprintf(d, sizeof(d), "%s, %d non-zero bytes",
		 !a || !b ? "not mapped" : same ? "same bytes" : "different bytes",
		 nonzero);
	check(same && nonzero > 64, "mmap maps the store ring", d);
}

/* A process without CAP_SYS_ADMIN (nobody) must not open it. */
static void check_unprivileged(void)
{
	pid_t pid = fork();
	int status, fd;

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(DEV, O_RDWR);
		_exit(fd < 0 && (errno == EPERM || errno == EACCES) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "open refused without CAP_SYS_ADMIN", NULL);
}

static int do_check(void)
{
	int fd = open(DEV, O_RDWR), want = xsd_port();
	long r;
	char d[64];

	if (fd < 0) {
		check(0, "open " DEV, strerror(errno));
		return 1;
	}
	r = xioctl(fd, IOCTL_XENBUS_BACKEND_EVTCHN, 0);
	snprintf(d, sizeof(d), "%ld, xsd_port %d", r, want);
	check(r > 0 && r == want, "EVTCHN is the store's port", d);
	r = xioctl(fd, IOCTL_XENBUS_BACKEND_SETUP, 0);
	snprintf(d, sizeof(d), "%ld", r);
	check(r == -EEXIST, "SETUP refused once the store is up", d);
	r = xioctl(fd, IOCTL_XENBUS_BACKEND_SETUP, 0x7ff0);
	snprintf(d, sizeof(d), "%ld", r);
	check(r == -EINVAL, "SETUP of a reserved domid refused", d);
	r = xioctl(fd, IOCTL_XENBUS_BACKEND_SETUP, ~0UL);
	snprintf(d, sizeof(d), "%ld", r);
	check(r == -EINVAL, "SETUP of domid ~0 refused", d);
	r = xioctl(fd, _IOC(_IOC_NONE, 'B', 7, 0), 0);
	snprintf(d, sizeof(d), "%ld", r);
	check(r == -ENOTTY, "unknown ioctl refused", d);
	check(xsd_port() == want, "the store's port unchanged", NULL);
	check_mmap(fd);
	close(fd);
	check_unprivileged();
	return failed;
}

int main(int argc, char **argv)
{
	long r;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "setup")) {
		fd = open(DEV, O_RDWR);
		if (fd < 0) {
			perror(DEV);
			return 1;
		}
		r = xioctl(fd, IOCTL_XENBUS_BACKEND_SETUP, strtoul(argv[2], NULL, 0));
		if (r < 0) {
			fprintf(stderr, "SETUP: %s\n", strerror(-r));
			return 1;
		}
		printf("%ld\n", r);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "check"))
		return do_check();
	fprintf(stderr, "usage: xsbe setup DOMID | xsbe check\n");
	return 2;
}
