// SPDX-License-Identifier: GPL-2.0
/*
 * Guest micro-benchmarks for `make bench`, built static into the domU
 * initramfs.  Each prints one "name value unit" line.
 *
 *   xbench fork N        N x fork + exec(/bin/true) + wait: processes/s
 *   xbench fault MIB R   R x (mmap MIB anonymous, touch every page, munmap):
 *                        page faults/s
 *   xbench mprotect MIB R  R x mprotect a touched MIB region RO then RW:
 *                        pages/s
 *   xbench hammer W R    not a benchmark: W workers x R rounds of fork with
 *                        copy-on-write checks, mmap/touch/munmap, mprotect
 *                        that must fault, exec; prints "hammer ok" or why not
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_fork(long n)
{
	double t0 = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "child %ld failed\n", i);
			return 1;
		}
	}
	printf("fork_exec %.1f per_s\n", n / (now() - t0));
	return 0;
}

static char *map_touch(size_t len, long page)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t off;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (off = 0; off < len; off += page)
		p[off] = (char)off;
	return p;
}

static int bench_fault(long mib, long rounds)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)mib << 20;
	double t0 = now();
	long r;

	for (r = 0; r < rounds; r++) {
		char *p = map_touch(len, page);
		size_t off;

		/* The data must be there: a wrong PTE shows up here. */
		for (off = 0; off < len; off += page)
			if (p[off] != (char)off) {
				fprintf(stderr, "bad data at %zu\n", off);
				return 1;
			}
		munmap(p, len);
	}
	printf("page_fault %.1f per_s\n", rounds * (len / page) / (now() - t0));
	return 0;
}

static int bench_mprotect(long mib, long rounds)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)mib << 20;
	char *p = map_touch(len, page);
	double t0 = now();
	long r;

	for (r = 0; r < rounds; r++) {
		if (mprotect(p, len, PROT_READ) || mprotect(p, len, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			return 1;
		}
		p[(r * page) % len] = 1;
	}
	printf("mprotect %.1f pages_per_s\n", 2.0 * rounds * (len / page) / (now() - t0));
	munmap(p, len);
	return 0;
}

/* Fill a region with a pattern that depends on the page and a seed. */
static void fill(char *p, size_t len, long page, unsigned int seed)
{
	size_t off;

	for (off = 0; off < len; off += page)
		memset(p + off, (int)((off / page + seed) & 0xff), 64);
}

static int check(const char *p, size_t len, long page, unsigned int seed)
{
	size_t off;
	int i;

	for (off = 0; off < len; off += page)
		for (i = 0; i < 64; i++)
			if (p[off + i] != (char)((off / page + seed) & 0xff))
				return -1;
	return 0;
}

/* One round of everything that rewrites page tables, checked. */
static int hammer_round(unsigned int seed)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = 8 << 20;
	char *p = map_touch(len, page);
	pid_t pid;
	int status;

	fill(p, len, page, seed);
	/* Copy-on-write: the child sees our data, then writes its own. */
	pid = fork();
	if (pid == 0) {
		if (check(p, len, page, seed))
			_exit(1);
		fill(p, len, page, seed + 1);
		_exit(check(p, len, page, seed + 1) ? 2 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "cow child failed (status %d)\n", status);
		return 1;
	}
	if (check(p, len, page, seed)) {
		fprintf(stderr, "parent data changed by the child\n");
		return 1;
	}
	/* A read-only mapping must fault on write, and still read right. */
	if (mprotect(p, len, PROT_READ)) {
		perror("mprotect");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		if (check(p, len, page, seed))
			_exit(3);
		p[page * 3] = 0;	/* must die here */
		_exit(4);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGSEGV) {
		fprintf(stderr, "write to a read-only page did not fault (status %d)\n",
			status);
		return 1;
	}
	if (mprotect(p, len, PROT_READ | PROT_WRITE)) {
		perror("mprotect");
		return 1;
	}
	fill(p, len, page, seed + 2);
	if (check(p, len, page, seed + 2)) {
		fprintf(stderr, "data wrong after mprotect back to RW\n");
		return 1;
	}
	/* Unmap half, map it again: fresh zero pages, the rest intact. */
	munmap(p, len / 2);
	if (mmap(p, len / 2, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p) {
		perror("mmap");
		return 1;
	}
	if (p[0] != 0 || p[len / 2 - page] != 0 ||
	    check(p + len / 2, len / 2, page, seed + 2 + (len / 2) / page)) {
		fprintf(stderr, "munmap/mmap left wrong data\n");
		return 1;
	}
	munmap(p, len);
	return bench_fork(5) ? 1 : 0;
}

static int hammer(long workers, long rounds)
{
	long w, r;
	int status, bad = 0;

	for (w = 0; w < workers; w++) {
		pid_t pid = fork();

		if (pid == 0) {
			freopen("/dev/null", "w", stdout);
			for (r = 0; r < rounds; r++)
				if (hammer_round((unsigned int)(w * 131 + r)))
					_exit(1);
			_exit(0);
		}
		if (pid < 0) {
			perror("fork");
			return 1;
		}
	}
	for (w = 0; w < workers; w++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	if (bad) {
		printf("hammer FAIL %d of %ld workers\n", bad, workers);
		return 1;
	}
	printf("hammer ok %ld workers x %ld rounds\n", workers, rounds);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hammer"))
		return hammer(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fork"))
		return bench_fork(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return bench_fault(atol(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mprotect"))
		return bench_mprotect(atol(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: xbench fork N | fault MIB ROUNDS | mprotect MIB ROUNDS\n");
	return 2;
}
