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
 *   xbench clock S       not a benchmark: for S seconds one reader per CPU
 *                        checks CLOCK_MONOTONIC never goes back, also across
 *                        CPUs, and that 10 ms sleeps take 10 ms to 1 s;
 *                        prints "clock ok ..." or "clock bad ..."
 *   xbench memcheck MIB  not a benchmark: until killed, fill MIB of memory
 *                        with a pattern that changes every round, checking
 *                        the previous round's first; prints "memcheck ok
 *                        rounds=N" every 2 s, or "memcheck bad ..." and
 *                        exits 1 at the first word that differs
 *   xbench pace KIBPS    copy stdin to stdout at KIBPS KiB/s, until EOF
 *   xbench secret DEV    not a benchmark: O_DIRECT sector I/O on DEV from
 *                        and into the middle of pages otherwise full of a
 *                        secret (bytes 0x5a): one 512-byte write (of 0x11)
 *                        at sector 0, one read of sector 8; a backend that
 *                        is granted the whole page sees the secret
 *                        (tests/scenarios/frontend-hostile.sh)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
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

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What the clock readers share (one anonymous shared page). */
struct clock_shared {
	int64_t newest;		/* the largest reading any CPU has seen */
	long reads, backwards, bad_sleeps;
	int64_t worst_back_ns, longest_sleep_ns;
};

/*
 * One reader on @cpu: every reading must be >= the newest one any reader
 * had published before this reading started; on CPU 0 also sleep 10 ms
 * now and then and check how long it took.
 */
static void clock_reader(struct clock_shared *sh, int cpu, int64_t end)
{
	cpu_set_t set;
	long reads = 0, back = 0, bad_sleeps = 0;
	int64_t worst = 0, longest = 0, t, seen, last = 0;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	do {
		seen = __atomic_load_n(&sh->newest, __ATOMIC_ACQUIRE);
		t = mono_ns();
		reads++;
		if (t < seen || t < last) {
			back++;
			if (seen - t > worst)
				worst = seen - t;
		}
		last = t;
		while (seen < t &&
		       !__atomic_compare_exchange_n(&sh->newest, &seen, t, 0,
						    __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE))
			;
		if (cpu == 0 && reads % 4096 == 0) {
			struct timespec ts = { 0, 10000000 };
			int64_t t0 = mono_ns(), slept;

			nanosleep(&ts, NULL);
			slept = mono_ns() - t0;
			if (slept > longest)
				longest = slept;
			if (slept < 10000000 || slept > 1000000000)
				bad_sleeps++;
		}
	} while (t < end);
	__atomic_add_fetch(&sh->reads, reads, __ATOMIC_RELAXED);
	__atomic_add_fetch(&sh->backwards, back, __ATOMIC_RELAXED);
	__atomic_add_fetch(&sh->bad_sleeps, bad_sleeps, __ATOMIC_RELAXED);
	if (worst > __atomic_load_n(&sh->worst_back_ns, __ATOMIC_RELAXED))
		__atomic_store_n(&sh->worst_back_ns, worst, __ATOMIC_RELAXED);
	if (longest > __atomic_load_n(&sh->longest_sleep_ns, __ATOMIC_RELAXED))
		__atomic_store_n(&sh->longest_sleep_ns, longest, __ATOMIC_RELAXED);
}

static int clock_check(long seconds)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), i;
	struct clock_shared *sh;
	int64_t start = mono_ns(), end = start + seconds * 1000000000LL;
	int status, ok;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < cpus; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			clock_reader(sh, i, end);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		;
	ok = sh->reads > 0 && sh->backwards == 0 && sh->bad_sleeps == 0;
	printf("clock %s cpus=%ld elapsed_ms=%lld reads=%ld backwards=%ld worst_back_ns=%lld bad_sleeps=%ld longest_sleep_ms=%lld\n",
	       ok ? "ok" : "bad", cpus, (long long)((mono_ns() - start) / 1000000),
	       sh->reads, sh->backwards, (long long)sh->worst_back_ns,
	       sh->bad_sleeps, (long long)(sh->longest_sleep_ns / 1000000));
	return ok ? 0 : 1;
}

/* The word at @i in round @r: differs between rounds and between words. */
static uint64_t memcheck_word(uint64_t r, uint64_t i)
{
	uint64_t x = (r << 40) ^ i ^ 0x9e3779b97f4a7c15ULL;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static int memcheck(long mib)
{
	size_t i, n = (size_t)mib << 17;	/* 8-byte words */
	uint64_t *buf, r;
	double last = now();

	buf = mmap(NULL, n * 8, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (r = 1;; r++) {
		for (i = 0; r > 1 && i < n; i++) {
			if (buf[i] != memcheck_word(r - 1, i)) {
				printf("memcheck bad round=%llu word=%zu got=%#llx want=%#llx\n",
				       (unsigned long long)r - 1, i,
				       (unsigned long long)buf[i],
				       (unsigned long long)memcheck_word(r - 1, i));
				return 1;
			}
		}
		for (i = 0; i < n; i++)
			buf[i] = memcheck_word(r, i);
		if (now() - last >= 2) {
			printf("memcheck ok rounds=%llu\n", (unsigned long long)r);
			last = now();
		}
	}
}

static int pace(long kibps)
{
	static char chunk[16384];
	double start = now(), ahead;
	unsigned long long sent = 0;
	ssize_t got, put, off;

	if (kibps <= 0)
		return 2;
	while ((got = read(0, chunk, sizeof(chunk))) > 0) {
		for (off = 0; off < got; off += put) {
			put = write(1, chunk + off, got - off);
			if (put <= 0)
				return 1;
		}
		sent += got;
		ahead = sent / 1024.0 / kibps - (now() - start);
		if (ahead > 0)
			usleep(ahead * 1e6);
	}
	return got < 0;
}

static int secret_io(const char *dev)
{
	unsigned char *buf;
	int fd, ok;

	buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	fd = open(dev, O_RDWR | O_DIRECT);
	if (buf == MAP_FAILED || fd < 0) {
		perror(dev);
		return 1;
	}
	memset(buf, 0x5a, 8192);
	memset(buf + 512, 0x11, 512);	/* the data: no secret */
	ok = pwrite(fd, buf + 512, 512, 0) == 512 &&
	     pread(fd, buf + 4096 + 1536, 512, 8 * 512) == 512;
	printf("secret %s\n", ok ? "done" : "io-error");
	close(fd);
	return !ok;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "clock"))
		return clock_check(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "hammer"))
		return hammer(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fork"))
		return bench_fork(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "fault"))
		return bench_fault(atol(argv[2]), atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "mprotect"))
		return bench_mprotect(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "memcheck"))
		return memcheck(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "pace"))
		return pace(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "secret"))
		return secret_io(argv[2]);
	fprintf(stderr, "usage: xbench fork N | fault MIB ROUNDS | mprotect MIB ROUNDS | memcheck MIB | pace KIBPS | secret DEV\n");
	return 2;
}
