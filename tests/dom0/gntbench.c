// SPDX-License-Identifier: GPL-2.0
/*
 * gntbench: how fast dom0's gntdev maps and unmaps grants, for make bench
 * (tests/bench/bench-dom0.sh).
 *
 *   gntbench SECONDS BATCH
 *
 * Grants BATCH of its own pages to domain 0 itself through gntalloc,
 * then for SECONDS maps them as a backend would: IOCTL_GNTDEV_MAP_GRANT_REF,
 * mmap() (which maps the grants), a read of every page, munmap() and
 * IOCTL_GNTDEV_UNMAP_GRANT_REF.  Prints "gntdev_map_pages_s N", the pages
 * mapped and unmapped per second, after checking that the pages read
 * through the mapping are the ones granted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#define PAGE 4096

static void die(const char *what)
{
	fprintf(stderr, "gntbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct ioctl_gntalloc_alloc_gref *alloc;
	struct ioctl_gntdev_map_grant_ref *map;
	struct ioctl_gntdev_unmap_grant_ref unmap;
	unsigned int n, i, bad = 0;
	unsigned long long pages = 0;
	double secs, t0, t;
	unsigned char *own, *va;
	volatile unsigned char sink;
	int afd, dfd;

	if (argc != 3) {
		fprintf(stderr, "usage: gntbench SECONDS BATCH\n");
		return 2;
	}
	secs = atof(argv[1]);
	n = atoi(argv[2]);
	if (secs <= 0 || n == 0 || n > 1024) {
		fprintf(stderr, "gntbench: bad arguments\n");
		return 2;
	}
	afd = open("/dev/xen/gntalloc", O_RDWR);
	dfd = open("/dev/xen/gntdev", O_RDWR);
	if (afd < 0 || dfd < 0)
		die("open gntalloc/gntdev");
	alloc = calloc(1, sizeof(*alloc) + n * sizeof(uint32_t));
	map = calloc(1, sizeof(*map) + n * sizeof(map->refs[0]));
	if (!alloc || !map)
		die("calloc");
	alloc->domid = 0;
	alloc->flags = GNTALLOC_FLAG_WRITABLE;
	alloc->count = n;
	if (ioctl(afd, IOCTL_GNTALLOC_ALLOC_GREF, alloc))
		die("IOCTL_GNTALLOC_ALLOC_GREF");
	own = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   afd, alloc->index);
	if (own == MAP_FAILED)
		die("mmap gntalloc");
	for (i = 0; i < n; i++)
		memset(own + (size_t)i * PAGE, i & 0xff, PAGE);
	map->count = n;
	for (i = 0; i < n; i++) {
		map->refs[i].domid = 0;
		map->refs[i].ref = alloc->gref_ids[i];
	}

	t0 = now();
	do {
		if (ioctl(dfd, IOCTL_GNTDEV_MAP_GRANT_REF, map))
			die("IOCTL_GNTDEV_MAP_GRANT_REF");
		va = mmap(NULL, (size_t)n * PAGE, PROT_READ, MAP_SHARED, dfd,
			  map->index);
		if (va == MAP_FAILED)
			die("mmap gntdev");
		for (i = 0; i < n; i++) {
			sink = va[(size_t)i * PAGE + 7];
			bad += sink != (i & 0xff);
		}
		munmap(va, (size_t)n * PAGE);
		unmap.index = map->index;
		unmap.count = n;
		if (ioctl(dfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap))
			die("IOCTL_GNTDEV_UNMAP_GRANT_REF");
		pages += n;
		t = now();
	} while (t - t0 < secs);
	if (bad) {
		fprintf(stderr, "gntbench: %u pages read back wrong\n", bad);
		return 1;
	}
	printf("gntdev_map_pages_s %.0f\n", pages / (t - t0));
	return 0;
}
