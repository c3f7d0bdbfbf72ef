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
 *	bad32    the same as a 32-bit guest lays the ring out (x86_32-abi,
 *	         "protocol" among the keys printed), ids above 2^32 and the
 *	         pattern written 0x3c: each field must reach the backend
 *	overrun  a producer index 1000 past the ring: the backend must close
 *   fakefront net MODE
 *	bad      a good frame, then frames the backend must answer with an
 *	         error (too short, more data than the first slot says)
 *	offpage  a slot running off its page: the backend must close
 *	slots    a chain of 19 slots: the backend must close
 *   fakefront net ctrl IFACE
 *	two queues and a control ring: bad and good hash settings (each
 *	must get its status), then frames dom0 sends through IFACE (the
 *	vif) must reach the queue the table names, with the Toeplitz hash
 *	of their headers in an extra-info slot
 *   fakefront net ctrl-overrun IFACE
 *	a control ring producer index 1000 past the ring: the backend
 *	must close
 *
 * Prints "fakefront: ready KEY=VALUE..." (the xenstore keys), then one line
 * per check, "fakefront: ok ..." or "fakefront: FAIL ...".  Exits 0 if
 * every check passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Xen's ring macros use the host's barriers: x86 is TSO. */
#define mb()		__sync_synchronize()
#define rmb()		__asm__ __volatile__("" ::: "memory")
#define wmb()		__asm__ __volatile__("" ::: "memory")

#include <xen/xen.h>
#include <xen/io/blkif.h>
/* Xen's own Toeplitz, the reference the backend's hash is checked by. */
#define XEN_NETIF_DEFINE_TOEPLITZ
#include <xen/io/netif.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntalloc.h>

#define PAGE	4096
/*
 * 0: ring (tx), 1: rx ring, 2..7: data; net ctrl: 8 the control ring,
 * 9 its data (key, table), 10 and 11 queue 1's tx and rx rings.
 */
#define NPAGES	12
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

/* One more unbound port for domain 0, on the same device. */
static unsigned int new_port(void)
{
	struct ioctl_evtchn_bind_unbound_port bind = { .remote_domain = 0 };
	int rc = ioctl(evfd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);

	if (rc < 0)
		die("IOCTL_EVTCHN_BIND_UNBOUND_PORT: %s", strerror(errno));
	return rc;
}

static void notify_port(unsigned int p)
{
	struct ioctl_evtchn_notify n = { .port = p };

	if (ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &n))
		die("IOCTL_EVTCHN_NOTIFY: %s", strerror(errno));
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
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
static int abi32;

union blk_slot {
	struct blkif_request rw;
	struct blkif_request_indirect ind;
	struct blkif_request_discard discard;
};

/*
 * A 32-bit guest's slot is 108 bytes, and each request is ours without
 * the 4 bytes of padding before the 64-bit id at byte 8: what follows
 * moves up by 4 (Xen's blkif.h at -m32; tests/abi/blkif32.sh).
 */
#define BLK_SLOT32	108
_Static_assert(offsetof(struct blkif_request, id) == 8, "native id");
_Static_assert(sizeof(struct blkif_request) - 4 == BLK_SLOT32, "slot");

static void *blk_slot(RING_IDX i)
{
	size_t size = abi32 ? BLK_SLOT32 : sizeof(union blkif_sring_entry);

	return (char *)blk.sring->ring + (i & (RING_SIZE(&blk) - 1)) * size;
}

/* A request, built in our layout, goes into the next slot in the ring's. */
static union blk_slot pending;

static union blk_slot *blk_next(void)
{
	memset(&pending, 0, sizeof(pending));
	return &pending;
}

static void blk_put(void)
{
	char *slot = blk_slot(blk.req_prod_pvt++);

	if (!abi32) {
		memcpy(slot, &pending, sizeof(pending));
		return;
	}
	memcpy(slot, &pending, 4);
	memcpy(slot + 4, (char *)&pending + 8, BLK_SLOT32 - 4);
}

/* Sends what was queued; the status of the response for @id, or 99. */
static int blk_status(uint64_t id)
{
	int tries = 3;

	blk_put();
	RING_PUSH_REQUESTS(&blk);
	notify();
	while (tries--) {
		while (blk.rsp_cons != blk.sring->rsp_prod) {
			struct blkif_response *r;

			__sync_synchronize();
			/* A response is laid out the same in both. */
			r = blk_slot(blk.rsp_cons++);
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
	/* Above 2^32: a 32-bit id field misplaced would not match. */
	uint64_t id = abi32 ? 0x1122334400000001ULL : 1;
	int pattern = abi32 ? 0x3c : 0x5a;

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
	memset(page(4), pattern, PAGE);
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
	blk_put();
	blk.req_prod_pvt += 1000;
	RING_PUSH_REQUESTS(&blk);
	notify();
	check(1, "published req_prod 1000 past the ring");
}

static int run_blk(uint64_t sectors, const char *mode)
{
	struct blkif_sring *s = page(0);

	abi32 = !strcmp(mode, "bad32");
	SHARED_RING_INIT(s);
	FRONT_RING_INIT(&blk, s, PAGE);
	/* (4096 - 64) / 108 rounded down to a power of two: 32 as well. */
	if (abi32)
		blk.nr_ents = 32;
	printf("fakefront: ready ring-ref=%u event-channel=%u%s\n", refs[0],
	       port, abi32 ? " protocol=x86_32-abi" : "");
	fflush(stdout);
	wait_go();
	if (!strcmp(mode, "bad") || abi32)
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

/* ---------------------------------------------------- net: control ring */

static struct xen_netif_ctrl_front_ring ctrl;
static unsigned int ctrl_port, q1_port;
static struct netif_rx_front_ring rxq[2];

/* Microsoft's RSS verification key and one of its vectors. */
static const uint8_t ms_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};
#define MS_SRC		"66.9.149.187"
#define MS_DST		"161.142.100.80"
#define MS_SPORT	2794
#define MS_DPORT	1766
#define MS_HASH_TCP	0x51ccc178u
#define MS_HASH_IP	0x323e8fc2u

/* One control request; its status, its data through @data. */
static int ctrl_req(uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2,
		    uint32_t *data)
{
	static uint16_t id;
	struct xen_netif_ctrl_request *r;
	struct xen_netif_ctrl_response *rsp;
	int t;

	r = RING_GET_REQUEST(&ctrl, ctrl.req_prod_pvt++);
	r->id = ++id;
	r->type = type;
	r->data[0] = d0;
	r->data[1] = d1;
	r->data[2] = d2;
	RING_PUSH_REQUESTS(&ctrl);
	notify_port(ctrl_port);
	for (t = 0; t < WAIT_MS / 10 && ctrl.rsp_cons == ctrl.sring->rsp_prod;
	     t++)
		sleep_ms(10);
	if (ctrl.rsp_cons == ctrl.sring->rsp_prod)
		return -1;
	__sync_synchronize();
	rsp = RING_GET_RESPONSE(&ctrl, ctrl.rsp_cons++);
	if (rsp->id != id || rsp->type != type)
		return -2;
	if (data)
		*data = rsp->data;
	return rsp->status;
}

static void ctrl_expect(const char *what, uint16_t type, uint32_t d0,
			uint32_t d1, uint32_t d2, int want)
{
	int st = ctrl_req(type, d0, d1, d2, NULL);

	check(st == want, "ctrl %s: status %d (want %d)", what, st, want);
}

static void ctrl_table(uint32_t queue, unsigned int n)
{
	uint32_t *t = page(9);
	unsigned int i;

	for (i = 0; i < n; i++)
		t[i] = queue;
}

/* Bad settings first, each refused; then a table sending all to queue 1. */
static void ctrl_settings(void)
{
	uint32_t data = 0;
	int st;

	ctrl_expect("flags before an algorithm",
		    XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS, 0, 0, 0,
		    XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED);
	ctrl_expect("algorithm 7", XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
		    7, 0, 0, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_expect("toeplitz", XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
		    XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0,
		    XEN_NETIF_CTRL_STATUS_SUCCESS);
	st = ctrl_req(XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS, 0, 0, 0, &data);
	check(st == 0 && data == 0xf, "ctrl hash types offered: status %d, %#x",
	      st, data);
	ctrl_expect("unknown hash type", XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
		    0x30, 0, 0, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	memcpy(page(9), ms_key, sizeof(ms_key));
	ctrl_expect("41-byte key", XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
		    refs[9], 41, 0, XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
	ctrl_expect("key in a bad grant", XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
		    0xfffff, 40, 0, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_expect("key", XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, refs[9], 40, 0,
		    XEN_NETIF_CTRL_STATUS_SUCCESS);
	ctrl_expect("ipv4 and ipv4+tcp", XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
		    XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
		    XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, 0, 0,
		    XEN_NETIF_CTRL_STATUS_SUCCESS);
	st = ctrl_req(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE, 0, 0, 0, &data);
	check(st == 0 && data >= 8, "ctrl largest table: status %d, %u", st,
	      data);
	ctrl_expect("table past the largest",
		    XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, data + 1, 0, 0,
		    XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_expect("table of 8", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
		    8, 0, 0, XEN_NETIF_CTRL_STATUS_SUCCESS);
	ctrl_table(1, 8);
	ctrl_expect("entries 6-9 of 8", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		    refs[9], 4, 6, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_expect("entries ~0 at 1", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		    refs[9], 0xffffffff, 1,
		    XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_table(2, 8);
	ctrl_expect("queue 2 of 2", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		    refs[9], 8, 0, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	ctrl_table(1, 8);
	ctrl_expect("all to queue 1", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		    refs[9], 8, 0, XEN_NETIF_CTRL_STATUS_SUCCESS);
	ctrl_expect("request type 99", 99, 0, 0, 0,
		    XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED);
	ctrl_expect("static grants", XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING,
		    0, refs[9], 1, XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED);
}

/* Post rx buffers: data pages 2+2q and 3+2q on queue @q. */
static void rx_post(unsigned int q)
{
	unsigned int i;
	int kick;

	for (i = 0; i < 2; i++) {
		struct netif_rx_request *r;

		r = RING_GET_REQUEST(&rxq[q], rxq[q].req_prod_pvt);
		r->id = rxq[q].req_prod_pvt & 0xffff;
		r->gref = refs[2 + 2 * q + i];
		rxq[q].req_prod_pvt++;
	}
	/* A packet may be waiting for buffers: the backend asked to hear. */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&rxq[q], kick);
	if (kick)
		notify_port(q ? q1_port : port);
}

static int sock = -1;
static int ifindex;

/* An IPv4 frame from MS_SRC to MS_DST: TCP (@proto 6) or UDP (17). */
static void send_frame(int proto)
{
	unsigned char f[64] = { 0 };
	unsigned char *ip = f + 14, *l4 = ip + 20;
	struct sockaddr_ll sa = {
		.sll_family = AF_PACKET,
		.sll_ifindex = ifindex,
		.sll_protocol = htons(ETH_P_IP),
		.sll_halen = 6,
	};

	memcpy(f, "\x00\x16\x3e\x00\x00\x04\x02\x00\x00\x00\x00\x09", 12);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 50;				/* total length */
	ip[8] = 64;				/* ttl */
	ip[9] = proto;
	inet_pton(AF_INET, MS_SRC, ip + 12);
	inet_pton(AF_INET, MS_DST, ip + 16);
	l4[0] = MS_SPORT >> 8;
	l4[1] = MS_SPORT & 0xff;
	l4[2] = MS_DPORT >> 8;
	l4[3] = MS_DPORT & 0xff;
	if (proto == 6) {
		l4[12] = 5 << 4;		/* data offset */
		l4[13] = 0x02;			/* SYN */
	} else {
		l4[5] = 30;			/* UDP length */
	}
	memcpy(sa.sll_addr, f, 6);
	if (sendto(sock, f, sizeof(f), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != sizeof(f))
		die("sendto: %s", strerror(errno));
}

/* Is the packet in rx buffer @id of queue @q one of ours (MS_SRC)? */
static int rx_ours(unsigned int q, const struct netif_rx_response *rsp)
{
	const unsigned char *f = (unsigned char *)page(2 + 2 * q + (rsp->id & 1)) +
				 rsp->offset;
	unsigned char src[4];

	inet_pton(AF_INET, MS_SRC, src);
	return rsp->status == 64 && f[12] == 0x08 && f[13] == 0 &&
	       !memcmp(f + 26, src, 4);
}

/*
 * The queue one of our frames reached (-1: none came), and its hash
 * extra (@htype -1 if it had none).  Our stack's own packets on the vif
 * (IPv6 neighbour discovery) are skipped.
 */
static int rx_frame(int *htype, uint32_t *hash)
{
	struct netif_rx_response *rsp;
	struct netif_extra_info *ex;
	unsigned int q, t;
	int ours;

	for (t = 0; t < WAIT_MS / 10; t++) {
		for (q = 0; q < 2; q++) {
			if (rxq[q].rsp_cons == rxq[q].sring->rsp_prod)
				continue;
			__sync_synchronize();
			rsp = RING_GET_RESPONSE(&rxq[q], rxq[q].rsp_cons++);
			ours = rx_ours(q, rsp);
			*htype = -1;
			if (rsp->flags & NETRXF_extra_info) {
				ex = (void *)RING_GET_RESPONSE(&rxq[q],
							      rxq[q].rsp_cons++);
				if (ex->type == XEN_NETIF_EXTRA_TYPE_HASH &&
				    ex->u.hash.algorithm ==
				    XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ) {
					*htype = ex->u.hash.type;
					memcpy(hash, ex->u.hash.value, 4);
				}
			}
			rx_post(q);
			if (ours)
				return q;
		}
		sleep_ms(10);
	}
	return -1;
}

/* Xen's reference hash of the MS vector; @ports: with the ports. */
static uint32_t ref_hash(int ports)
{
	uint8_t in[12];

	inet_pton(AF_INET, MS_SRC, in);
	inet_pton(AF_INET, MS_DST, in + 4);
	in[8] = MS_SPORT >> 8;
	in[9] = MS_SPORT & 0xff;
	in[10] = MS_DPORT >> 8;
	in[11] = MS_DPORT & 0xff;
	return xen_netif_toeplitz_hash(ms_key, sizeof(ms_key), in,
				       ports ? 12 : 8);
}

static void ctrl_frame(const char *what, int proto, int want_q,
		       int want_type, uint32_t want_hash)
{
	int q, htype = -1;
	uint32_t hash = 0;

	send_frame(proto);
	q = rx_frame(&htype, &hash);
	check(q == want_q && htype == want_type &&
	      (want_type < 0 || hash == want_hash),
	      "%s: queue %d (want %d), hash type %d (want %d), hash %#x (want %#x)",
	      what, q, want_q, htype, want_type, hash, want_hash);
}

static void ctrl_traffic(const char *iface)
{
	ifindex = if_nametoindex(iface);
	if (!ifindex)
		die("no interface %s", iface);
	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	if (sock < 0)
		die("socket(AF_PACKET): %s", strerror(errno));
	check(ref_hash(1) == MS_HASH_TCP && ref_hash(0) == MS_HASH_IP,
	      "Xen's Toeplitz gives Microsoft's vectors: %#x %#x",
	      ref_hash(1), ref_hash(0));
	rx_post(0);
	rx_post(1);
	ctrl_frame("tcp frame, table all 1", 6, 1,
		   _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, ref_hash(1));
	ctrl_frame("udp frame, table all 1", 17, 1,
		   _XEN_NETIF_CTRL_HASH_TYPE_IPV4, ref_hash(0));
	ctrl_table(0, 8);
	ctrl_expect("all to queue 0", XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		    refs[9], 8, 0, XEN_NETIF_CTRL_STATUS_SUCCESS);
	ctrl_frame("tcp frame, table all 0", 6, 0,
		   _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, ref_hash(1));
	ctrl_expect("ipv4 only", XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
		    XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0, 0,
		    XEN_NETIF_CTRL_STATUS_SUCCESS);
	ctrl_frame("tcp frame, ipv4 only", 6, 0,
		   _XEN_NETIF_CTRL_HASH_TYPE_IPV4, ref_hash(0));
	ctrl_expect("algorithm none", XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
		    XEN_NETIF_CTRL_HASH_ALGORITHM_NONE, 0, 0,
		    XEN_NETIF_CTRL_STATUS_SUCCESS);
	send_frame(6);
	{
		int htype = 0, q;
		uint32_t hash = 0;

		q = rx_frame(&htype, &hash);
		check(q >= 0 && htype == -1,
		      "tcp frame, hashing off: queue %d, no hash extra (%d)",
		      q, htype);
	}
}

/* Two queues and a control ring; what the scenario publishes. */
static void ctrl_setup(void)
{
	unsigned int q;

	q1_port = new_port();
	ctrl_port = new_port();
	for (q = 0; q < 2; q++) {
		struct netif_tx_sring *t = page(q ? 10 : 0);
		struct netif_rx_sring *r = page(q ? 11 : 1);

		SHARED_RING_INIT(t);
		SHARED_RING_INIT(r);
		FRONT_RING_INIT(&rxq[q], r, PAGE);
	}
	SHARED_RING_INIT((struct xen_netif_ctrl_sring *)page(8));
	FRONT_RING_INIT(&ctrl, (struct xen_netif_ctrl_sring *)page(8), PAGE);
	printf("fakefront: ready multi-queue-num-queues=2 "
	       "queue-0/tx-ring-ref=%u queue-0/rx-ring-ref=%u "
	       "queue-0/event-channel=%u queue-1/tx-ring-ref=%u "
	       "queue-1/rx-ring-ref=%u queue-1/event-channel=%u "
	       "ctrl-ring-ref=%u event-channel-ctrl=%u\n",
	       refs[0], refs[1], port, refs[10], refs[11], q1_port, refs[8],
	       ctrl_port);
	fflush(stdout);
}

static int run_ctrl(const char *mode, const char *iface)
{
	ctrl_setup();
	wait_go();
	if (!strcmp(mode, "ctrl")) {
		ctrl_settings();
		ctrl_traffic(iface);
	} else if (!strcmp(mode, "ctrl-overrun")) {
		ctrl.sring->req_prod = ctrl.req_prod_pvt + 1000;
		notify_port(ctrl_port);
		check(1, "control ring producer index 1000 past the ring");
	} else {
		die("unknown net mode %s", mode);
	}
	return failures ? 1 : 0;
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
	if (argc == 4 && !strcmp(argv[1], "net")) {
		setup();
		return run_ctrl(argv[2], argv[3]);
	}
	fprintf(stderr, "usage: fakefront blk SECTORS MODE | fakefront net MODE [IFACE]\n");
	return 2;
}
