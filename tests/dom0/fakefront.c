// SPDX-License-Identifier: GPL-2.0
/*
 * fakefront: a hostile frontend for the backend fault-injection scenario.
 *
 * The scenario (tests/scenarios/backend-hostile.sh) makes a vbd or vif by
 * hand in xenstore whose frontend is dom0 itself: this program grants its
 * own pages to domain 0 through /dev/xen/gntalloc, opens an unbound event
 * channel for domain 0, prints what the scenario must publish, and once
 * the backend is connected (a line on stdin) sends requests:
 *
 *   fakefront blk SECTORS MODE
 *	bad      malformed requests, each must get an error response, then
 *	         a good read (sectors 0-7: its md5 is printed), a good write
 *	         of a pattern to sectors 8-15 and a good indirect read;
 *	         the device must stay usable throughout
 *	overrun  a producer index 1000 past the ring: the backend must close
 *   fakefront net MODE
 *	bad      a good frame, then frames the backend must answer with an
 *	         error (too short, more data than the first slot says)
 *	offpage  a slot running off its page: the backend must close
 *	slots    a chain of 19 slots: the backend must close
 *
 * Prints "fakefront: ready KEY=VALUE..." (the xenstore keys), then one line
 * per check, "fakefront: ok ..." or "fakefront: FAIL ...".  Exits 0 if
 * every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Xen's ring macros use the host's barriers: x86 is TSO. */
#define mb()		__sync_synchronize()
#define rmb()		__asm__ __volatile__("" ::: "memory")
#define wmb()		__asm__ __volatile__("" ::: "memory")

#include <xen/xen.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntalloc.h>

#define PAGE	4096
#define NPAGES	8		/* 0: ring (tx), 1: rx ring, 2..: data */
#define WAIT_MS	10000

static int evfd;
static unsigned int port;
static uint32_t refs[NPAGES];
static unsigned char *pages;
static int failures;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fakefront: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	exit(2);
}

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("fakefront: %s ", ok ? "ok" : "FAIL");
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
	failures += !ok;
}

static void *page(unsigned int i)
{
	return pages + (size_t)i * PAGE;
}

static void setup(void)
{
	struct ioctl_gntalloc_alloc_gref *req;
	struct ioctl_evtchn_bind_unbound_port bind = { .remote_domain = 0 };
	int fd, rc;

	fd = open("/dev/xen/gntalloc", O_RDWR);
	if (fd < 0)
		die("open /dev/xen/gntalloc: %s", strerror(errno));
	req = calloc(1, sizeof(*req) + NPAGES * sizeof(uint32_t));
	if (!req)
		die("no memory");
	req->domid = 0;
	req->flags = GNTALLOC_FLAG_WRITABLE;
	req->count = NPAGES;
	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, req))
		die("IOCTL_GNTALLOC_ALLOC_GREF: %s", strerror(errno));
	memcpy(refs, req->gref_ids, sizeof(refs));
	pages = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, req->index);
	if (pages == MAP_FAILED)
		die("mmap gntalloc: %s", strerror(errno));
	memset(pages, 0, NPAGES * PAGE);

	evfd = open("/dev/xen/evtchn", O_RDWR);
	if (evfd < 0)
		die("open /dev/xen/evtchn: %s", strerror(errno));
	rc = ioctl(evfd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
	if (rc < 0)
		die("IOCTL_EVTCHN_BIND_UNBOUND_PORT: %s", strerror(errno));
	port = rc;
}

static void notify(void)
{
	struct ioctl_evtchn_notify n = { .port = port };

	if (ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &n))
		die("IOCTL_EVTCHN_NOTIFY: %s", strerror(errno));
}

/* Waits for an event (or WAIT_MS); re-arms the port.  1 if one came. */
static int wait_event_ms(int ms)
{
	struct pollfd p = { .fd = evfd, .events = POLLIN };
	unsigned int got;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	if (read(evfd, &got, sizeof(got)) == sizeof(got))
		(void)!write(evfd, &got, sizeof(got));
	return 1;
}

/* The scenario says the backend is connected. */
static void wait_go(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		die("no go line on stdin");
}

/* ------------------------------------------------------------ block */

static struct blkif_front_ring blk;

union blk_slot {
	struct blkif_request rw;
	struct blkif_request_indirect ind;
	struct blkif_request_discard discard;
};

static union blk_slot *blk_next(void)
{
	return (union blk_slot *)RING_GET_REQUEST(&blk, blk.req_prod_pvt++);
}

/* Sends what was queued; the status of the response for @id, or 99. */
static int blk_status(uint64_t id)
{
	int tries = 3;

	RING_PUSH_REQUESTS(&blk);
	notify();
	while (tries--) {
		while (blk.rsp_cons != blk.sring->rsp_prod) {
			struct blkif_response *r;

			__sync_synchronize();
			r = RING_GET_RESPONSE(&blk, blk.rsp_cons++);
			/* Ask for an event for the next one. */
			blk.sring->rsp_event = blk.rsp_cons + 1;
			if (r->id == id)
				return r->status;
			check(0, "response for id %llu, expected %llu",
			      (unsigned long long)r->id,
			      (unsigned long long)id);
		}
		wait_event_ms(WAIT_MS / 3);
	}
	return 99;
}

static void blk_seg(struct blkif_request_segment *s, uint32_t gref,
		    unsigned int first, unsigned int last)
{
	s->gref = gref;
	s->first_sect = first;
	s->last_sect = last;
}

/* A read or write of one data segment. */
static void blk_rw(uint64_t id, int op, uint64_t sector, unsigned int nsegs,
		   uint32_t gref, unsigned int first, unsigned int last)
{
	struct blkif_request *r = &blk_next()->rw;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->operation = op;
	r->id = id;
	r->nr_segments = nsegs;
	r->sector_number = sector;
	for (i = 0; i < nsegs && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		blk_seg(&r->seg[i], gref, first, last);
}

static void blk_expect(uint64_t id, int want, const char *what)
{
	int st = blk_status(id);

	check(st == want, "%s: status %d (want %d)", what, st, want);
}

static void blk_indirect(uint64_t id, int op, unsigned int nsegs,
			 uint32_t ind_gref)
{
	struct blkif_request_indirect *r = &blk_next()->ind;

	memset(r, 0, sizeof(*r));
	r->operation = BLKIF_OP_INDIRECT;
	r->indirect_op = op;
	r->nr_segments = nsegs;
	r->id = id;
	r->indirect_grefs[0] = ind_gref;
}

static void md5_hex(const unsigned char *p, size_t n, char *out);

static void blk_bad(uint64_t sectors)
{
	struct blkif_request_segment *ind = page(3);
	struct blkif_request_discard *d;
	char sum[33];
	uint64_t id = 1;

	blk_rw(id, BLKIF_OP_READ, 0, 0, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_ERROR, "read of 0 segments");
	blk_rw(id, BLKIF_OP_READ, 0, 12, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_ERROR, "read of 12 segments");
	blk_rw(id, BLKIF_OP_READ, 0, 1, refs[2], 5, 2);
	blk_expect(id++, BLKIF_RSP_ERROR, "segment first_sect 5 > last_sect 2");
	blk_rw(id, BLKIF_OP_READ, 0, 1, refs[2], 0, 8);
	blk_expect(id++, BLKIF_RSP_ERROR, "segment last_sect 8");
	blk_rw(id, BLKIF_OP_READ, 1ULL << 63, 1, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_ERROR, "sector 2^63");
	blk_rw(id, BLKIF_OP_READ, sectors - 4, 1, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_ERROR, "read across the end of the disk");
	blk_rw(id, BLKIF_OP_READ, 0, 1, 0xfffff0u, 0, 7);
	blk_expect(id++, BLKIF_RSP_ERROR, "invalid grant reference");
	blk_rw(id, 99, 0, 1, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_EOPNOTSUPP, "unknown operation 99");
	blk_indirect(id, BLKIF_OP_READ, 300, refs[3]);
	blk_expect(id++, BLKIF_RSP_ERROR, "indirect read of 300 segments");
	blk_indirect(id, 7, 1, refs[3]);
	blk_expect(id++, BLKIF_RSP_EOPNOTSUPP, "indirect operation 7");
	blk_indirect(id, BLKIF_OP_READ, 1, 0xfffff0u);
	blk_expect(id++, BLKIF_RSP_ERROR, "indirect page not granted");
	d = &blk_next()->discard;
	memset(d, 0, sizeof(*d));
	d->operation = BLKIF_OP_DISCARD;
	d->id = id;
	d->sector_number = sectors - 1;
	d->nr_sectors = ~0ULL;
	blk_expect(id++, BLKIF_RSP_ERROR, "discard wrapping past the end");

	/* The device must still work. */
	memset(page(2), 0xaa, PAGE);
	blk_rw(id, BLKIF_OP_READ, 0, 1, refs[2], 0, 7);
	blk_expect(id++, BLKIF_RSP_OKAY, "good read of sectors 0-7");
	md5_hex(page(2), PAGE, sum);
	printf("fakefront: read-md5 %s\n", sum);
	memset(page(4), 0x5a, PAGE);
	blk_rw(id, BLKIF_OP_WRITE, 8, 1, refs[4], 0, 7);
	blk_expect(id++, BLKIF_RSP_OKAY, "good write of sectors 8-15");
	memset(page(5), 0, PAGE);
	memset(page(6), 0, PAGE);
	blk_seg(&ind[0], refs[5], 0, 7);
	blk_seg(&ind[1], refs[6], 0, 7);
	blk_indirect(id, BLKIF_OP_READ, 2, refs[3]);
	blk_expect(id++, BLKIF_RSP_OKAY, "good indirect read of sectors 0-15");
	check(!memcmp(page(5), page(2), PAGE) &&
	      !memcmp(page(6), page(4), PAGE),
	      "indirect read returns what was read and written");
}

static void blk_overrun(void)
{
	blk_rw(1, BLKIF_OP_READ, 0, 1, refs[2], 0, 7);
	blk.req_prod_pvt += 1000;
	RING_PUSH_REQUESTS(&blk);
	notify();
	check(1, "published req_prod 1000 past the ring");
}

static int run_blk(uint64_t sectors, const char *mode)
{
	struct blkif_sring *s = page(0);

	SHARED_RING_INIT(s);
	FRONT_RING_INIT(&blk, s, PAGE);
	printf("fakefront: ready ring-ref=%u event-channel=%u\n", refs[0], port);
	fflush(stdout);
	wait_go();
	if (!strcmp(mode, "bad"))
		blk_bad(sectors);
	else if (!strcmp(mode, "overrun"))
		blk_overrun();
	else
		die("unknown blk mode %s", mode);
	return failures ? 1 : 0;
}

/* -------------------------------------------------------------- net */

static struct netif_tx_front_ring tx;

static struct netif_tx_request *tx_slot(uint32_t gref, uint16_t off,
					uint16_t size, uint16_t flags,
					uint16_t id)
{
	struct netif_tx_request *r = RING_GET_REQUEST(&tx, tx.req_prod_pvt++);

	r->gref = gref;
	r->offset = off;
	r->size = size;
	r->flags = flags;
	r->id = id;
	return r;
}

/* Sends what was queued; the statuses of the next @n responses. */
static int tx_statuses(int *st, unsigned int n)
{
	unsigned int got = 0;
	int tries = 3;

	RING_PUSH_REQUESTS(&tx);
	notify();
	while (got < n && tries--) {
		while (got < n && tx.rsp_cons != tx.sring->rsp_prod) {
			__sync_synchronize();
			st[got++] = RING_GET_RESPONSE(&tx, tx.rsp_cons++)->status;
			tx.sring->rsp_event = tx.rsp_cons + 1;
		}
		if (got < n)
			wait_event_ms(WAIT_MS / 3);
	}
	return got;
}

static void frame(unsigned char *p, unsigned int len)
{
	memset(p, 0xff, 6);			/* broadcast */
	memcpy(p + 6, "\x02\x00\x00\x00\x00\x01", 6);
	p[12] = 0x88;				/* local experimental */
	p[13] = 0xb5;
	memset(p + 14, 0x42, len - 14);
}

static void net_bad(void)
{
	int st[4] = { 99, 99, 99, 99 }, n;

	frame(page(2), 60);
	tx_slot(refs[2], 0, 60, 0, 1);
	n = tx_statuses(st, 1);
	check(n == 1 && st[0] == NETIF_RSP_OKAY,
	      "good 60-byte frame: status %d", st[0]);
	tx_slot(refs[2], 0, 10, 0, 2);
	n = tx_statuses(st, 1);
	check(n == 1 && st[0] == NETIF_RSP_ERROR,
	      "10-byte frame: status %d (want error)", st[0]);
	tx_slot(refs[2], 0, 100, NETTXF_more_data, 3);
	tx_slot(refs[3], 0, 200, 0, 4);
	n = tx_statuses(st, 2);
	check(n == 2 && st[0] == NETIF_RSP_ERROR && st[1] == NETIF_RSP_ERROR,
	      "second slot larger than the packet: statuses %d %d", st[0],
	      st[1]);
	frame(page(2), 1000);
	tx_slot(refs[2], 0, 1000, 0, 5);
	n = tx_statuses(st, 1);
	check(n == 1 && st[0] == NETIF_RSP_OKAY,
	      "good 1000-byte frame after them: status %d", st[0]);
}

static void net_offpage(void)
{
	frame(page(2), 60);
	tx_slot(refs[2], 4000, 200, 0, 1);
	RING_PUSH_REQUESTS(&tx);
	notify();
	check(1, "sent a slot of 200 bytes at offset 4000");
}

static void net_slots(void)
{
	unsigned int i;

	frame(page(2), 60);
	tx_slot(refs[2], 0, 19 * 60, NETTXF_more_data, 0);
	for (i = 1; i < 19; i++)
		tx_slot(refs[3], 0, 60, i < 18 ? NETTXF_more_data : 0, i);
	RING_PUSH_REQUESTS(&tx);
	notify();
	check(1, "sent a packet of 19 slots");
}

static int run_net(const char *mode)
{
	struct netif_tx_sring *s = page(0);
	struct netif_rx_sring *r = page(1);

	SHARED_RING_INIT(s);
	FRONT_RING_INIT(&tx, s, PAGE);
	SHARED_RING_INIT(r);
	printf("fakefront: ready tx-ring-ref=%u rx-ring-ref=%u event-channel=%u\n",
	       refs[0], refs[1], port);
	fflush(stdout);
	wait_go();
	if (!strcmp(mode, "bad"))
		net_bad();
	else if (!strcmp(mode, "offpage"))
		net_offpage();
	else if (!strcmp(mode, "slots"))
		net_slots();
	else
		die("unknown net mode %s", mode);
	return failures ? 1 : 0;
}

/* -------------------------------------------------------------- md5 */

/* RFC 1321, compact: the scenario compares against md5sum. */
static void md5_hex(const unsigned char *msg, size_t len, char *out)
{
	static const uint32_t k[64] = {
		0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf,
		0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af,
		0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e,
		0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
		0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6,
		0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
		0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
		0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
		0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
		0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97,
		0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d,
		0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
		0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
	};
	static const uint8_t r[64] = {
		7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
		5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
		4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
		6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
	};
	uint32_t h[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	size_t n = ((len + 8) / 64 + 1) * 64, off;
	unsigned char *m = calloc(1, n);
	uint64_t bits = (uint64_t)len * 8;
	unsigned int i;

	if (!m)
		die("no memory");
	memcpy(m, msg, len);
	m[len] = 0x80;
	memcpy(m + n - 8, &bits, 8);		/* little-endian host */
	for (off = 0; off < n; off += 64) {
		uint32_t *w = (uint32_t *)(m + off);
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3], f, t;
		unsigned int g;

		for (i = 0; i < 64; i++) {
			if (i < 16) {
				f = (b & c) | (~b & d);
				g = i;
			} else if (i < 32) {
				f = (d & b) | (~d & c);
				g = (5 * i + 1) % 16;
			} else if (i < 48) {
				f = b ^ c ^ d;
				g = (3 * i + 5) % 16;
			} else {
				f = c ^ (b | ~d);
				g = (7 * i) % 16;
			}
			t = d;
			d = c;
			c = b;
			f += a + k[i] + w[g];
			b += (f << r[i]) | (f >> (32 - r[i]));
			a = t;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
	}
	free(m);
	for (i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", ((unsigned char *)h)[i]);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "blk")) {
		setup();
		return run_blk(strtoull(argv[2], NULL, 0), argv[3]);
	}
	if (argc == 3 && !strcmp(argv[1], "net")) {
		setup();
		return run_net(argv[2]);
	}
	fprintf(stderr, "usage: fakefront blk SECTORS MODE | fakefront net MODE\n");
	return 2;
}
