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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fork"))
		return bench_fork(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return bench_fault(atol(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mprotect"))
		return bench_mprotect(atol(argv[2]), atol(argv[3]));
	fprintf(stderr, "usage: xbench fork N | fault MIB ROUNDS | mprotect MIB ROUNDS\n");
	return 2;
}
