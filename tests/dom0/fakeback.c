// SPDX-License-Identifier: GPL-2.0
/*
 * fakeback: a hostile backend for the frontend fault-injection scenario.
 *
 * The scenario (tests/scenarios/frontend-hostile.sh) creates a vbd or vif
 * for a running guest by hand in xenstore, with no real backend behind it.
 * Once the guest's frontend has published its rings, this program maps
 * them through /dev/xen/gntdev, binds the event channel through
 * /dev/xen/evtchn and answers the first request the wrong way.  The guest
 * must disconnect the device with a message and carry on.
 *
 *   fakeback blk DOMID EVTCHN MODE RING-REF
 *	bad-id    answer with a request id the frontend never issued
 *	bad-op    answer with an operation the request did not have
 *	overrun   publish more responses than there are requests
 *	stale-id  answer with the id of a request slot not in flight
 *	flood     notify as fast as it can for FLOOD_S seconds (XSA-391),
 *		  then answer every request OKAY (data untouched) until
 *		  none came for IDLE_S seconds
 *	keep-mapped  map the first request's data pages, answer it OKAY
 *		  and keep them mapped for HOLD_S seconds (XSA-396) while
 *		  answering the rest OKAY; then unmap and go on answering
 *		  until none came for IDLE_S seconds
 *	secret    answer every request OKAY and read every data page it
 *		  is granted whole (XSA-403): count the pages with a byte
 *		  of the guest's secret (0x5a, xbench secret) outside the
 *		  sectors of the segment; ends IDLE_S seconds after the
 *		  first write
 *   fakeback net DOMID EVTCHN MODE TX-RING-REF RX-RING-REF
 *	rx-bad-id    answer an rx buffer with another slot's id
 *	rx-overflow  claim more bytes than fit in the rx page
 *	rx-mixed     answer four rx buffers: 60 bytes, an error, 60 bytes,
 *		     an error (the frontend must count both kinds and go on)
 *	flood        once rx buffers are posted, notify as fast as it can
 *		     for FLOOD_S seconds without answering anything
 *	secret       read every rx buffer page whole, then answer every tx
 *		     slot OKAY and read each tx page whole (XSA-403): count
 *		     the rx pages that are not all zero and the tx pages with
 *		     a byte that is not zero outside the piece of the packet
 *		     they carry; ends IDLE_S seconds after the first packet
 *
 * Prints "fakeback: ..." lines saying what it did; exits 0 once it did it,
 * 1 if the frontend never sent anything to answer within 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>

#define PAGE	4096
#define WAIT_S	60
#define FLOOD_S	20
#define IDLE_S	8
#define HOLD_S	10

static int evfd = -1;
static unsigned int local_port;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fakeback: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	exit(2);
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0')
		die("%s '%s' is not a number", what, s);
	return v;
}

/*
 * Map @n granted pages of @domid, one after another, with @prot (a
 * read-only mapping is enough to keep a grant busy).
 */
static void *map_grants_prot(unsigned int domid, const uint32_t *refs,
			     unsigned int n, int prot)
{
	struct ioctl_gntdev_map_grant_ref *req;
	unsigned int i;
	void *va;
	int fd;

	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0)
		die("open /dev/xen/gntdev: %s", strerror(errno));
	req = calloc(1, sizeof(*req) + n * sizeof(req->refs[0]));
	if (!req)
		die("out of memory");
	req->count = n;
	for (i = 0; i < n; i++) {
		req->refs[i].domid = domid;
		req->refs[i].ref = refs[i];
	}
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, req))
		die("IOCTL_GNTDEV_MAP_GRANT_REF: %s", strerror(errno));
	va = mmap(NULL, (size_t)n * PAGE, prot, MAP_SHARED, fd, req->index);
	if (va == MAP_FAILED)
		die("mapping grant %u of domain %u: %s", refs[0], domid,
		    strerror(errno));
	free(req);
	return va;
}

static void *map_grants(unsigned int domid, const uint32_t *refs, unsigned int n)
{
	return map_grants_prot(domid, refs, n, PROT_READ | PROT_WRITE);
}

/*
 * Map one granted page read-only, whole, and say whether a byte outside
 * [@off, @off + @len) is @secret (any byte but zero if @secret < 0): 1
 * yes, 0 no, -1 the piece does not fit in a page (the frontend broke the
 * protocol) or the grant would not map.
 */
static int page_exposed(unsigned int domid, uint32_t ref, unsigned int off,
			unsigned int len, int secret)
{
	struct ioctl_gntdev_map_grant_ref req = {
		.count = 1,
		.refs[0] = { .domid = domid, .ref = ref },
	};
	struct ioctl_gntdev_unmap_grant_ref unmap = { .count = 1 };
	const unsigned char *p;
	unsigned int i;
	int fd, found = 0;

	if (off > PAGE || len > PAGE - off)
		return -1;
	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0)
		die("open /dev/xen/gntdev: %s", strerror(errno));
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &req)) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, req.index);
	if (p == MAP_FAILED)
		die("mapping grant %u of domain %u: %s", ref, domid,
		    strerror(errno));
	for (i = 0; i < PAGE && !found; i++)
		found = (i < off || i >= off + len) &&
			(secret < 0 ? p[i] != 0 : p[i] == secret);
	munmap((void *)p, PAGE);
	unmap.index = req.index;
	ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
	close(fd);
	return found;
}

/* What "secret" saw: pages looked at, pages showing more, refused. */
struct seen {
	unsigned long pages, exposed, bad;
};

static void count_page(struct seen *seen, int exposed)
{
	if (exposed < 0) {
		seen->bad++;
		return;
	}
	seen->pages++;
	seen->exposed += exposed;
}

static void bind_evtchn(unsigned int domid, unsigned int port)
{
	struct ioctl_evtchn_bind_interdomain bind = {
		.remote_domain = domid,
		.remote_port = port,
	};
	int rc;

	evfd = open("/dev/xen/evtchn", O_RDWR);
	if (evfd < 0)
		die("open /dev/xen/evtchn: %s", strerror(errno));
	rc = ioctl(evfd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (rc < 0)
		die("binding port %u of domain %u: %s", port, domid,
		    strerror(errno));
	local_port = rc;
}

static void notify(void)
{
	struct ioctl_evtchn_notify n = { .port = local_port };

	if (ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &n))
		die("IOCTL_EVTCHN_NOTIFY: %s", strerror(errno));
}

/* Wait up to a second for an event; unmask the port again. */
static void wait_event(void)
{
	struct pollfd p = { .fd = evfd, .events = POLLIN };
	uint32_t port;

	if (poll(&p, 1, 1000) == 1 &&
	    read(evfd, &port, sizeof(port)) == sizeof(port) &&
	    write(evfd, &port, sizeof(port)) != sizeof(port))
		die("unmasking port %u: %s", port, strerror(errno));
}

/* Poll @prod (the frontend's producer index) until it moves past 0. */
static int wait_requests(const uint32_t *prod)
{
	time_t end = time(NULL) + WAIT_S;

	while (time(NULL) < end) {
		if (__atomic_load_n(prod, __ATOMIC_ACQUIRE))
			return 0;
		wait_event();
	}
	return -1;
}

/* Notify as fast as we can for FLOOD_S seconds (XSA-391). */
static int run_flood(void)
{
	time_t end = time(NULL) + FLOOD_S;
	unsigned long sent = 0;

	while (time(NULL) < end) {
		notify();
		sent++;
	}
	printf("fakeback: %lu notifications in %d s\n", sent, FLOOD_S);
	fflush(stdout);
	return 0;
}

/*
 * "secret": the data pages of each request, looked at whole for the
 * guest's secret (xbench secret fills the rest of its pages with it and
 * never sends it as data; pages a bouncing frontend reuses may hold data
 * it sent us before, which is no secret).
 */
#define SECRET	0x5a
static unsigned int look_domid;
static struct seen blk_seen;
static unsigned long blk_writes;

static void look_blk(const blkif_request_t *req)
{
	unsigned int i, first, last;

	if (req->operation != BLKIF_OP_READ && req->operation != BLKIF_OP_WRITE)
		return;
	if (req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		blk_seen.bad++;
		return;
	}
	blk_writes += req->operation == BLKIF_OP_WRITE;
	for (i = 0; i < req->nr_segments; i++) {
		first = req->seg[i].first_sect;
		last = req->seg[i].last_sect;
		count_page(&blk_seen, first > last ? -1 :
			   page_exposed(look_domid, req->seg[i].gref, first * 512,
					(last - first + 1) * 512, SECRET));
	}
}

/*
 * A well-behaved backend from request *@cons on: answer every request
 * OKAY (data untouched) until none came for @idle_s seconds, or until
 * @stop (0: no such limit).  Requests are read once each, responses go
 * in their slots in order; @look (if any) sees each request first.
 * Returns how many were answered.
 */
static unsigned long serve_blk_look(blkif_sring_t *s, unsigned int size,
				    uint32_t *cons, int idle_s, time_t stop,
				    void (*look)(const blkif_request_t *))
{
	time_t end = time(NULL) + idle_s;
	unsigned long answered = 0;
	blkif_response_t *rsp;
	blkif_request_t req;
	uint32_t prod;

	while (time(NULL) < end && (!stop || time(NULL) < stop)) {
		prod = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
		if (prod - *cons > size)
			die("request producer %u ran %u ahead", prod,
			    prod - *cons);
		if (prod == *cons) {
			wait_event();
			continue;
		}
		for (; *cons != prod; (*cons)++) {
			memcpy(&req, &s->ring[*cons & (size - 1)].req,
			       sizeof(req));
			if (look)
				look(&req);
			rsp = &s->ring[*cons & (size - 1)].rsp;
			rsp->id = req.id;
			rsp->operation = req.operation;
			rsp->status = BLKIF_RSP_OKAY;
			answered++;
		}
		__atomic_store_n(&s->rsp_prod, *cons, __ATOMIC_RELEASE);
		notify();
		end = time(NULL) + idle_s;
	}
	return answered;
}

static unsigned long serve_blk(blkif_sring_t *s, unsigned int size,
			       uint32_t *cons, int idle_s, time_t stop)
{
	return serve_blk_look(s, size, cons, idle_s, stop, NULL);
}

/*
 * Serve and look until IDLE_S seconds after the first write (the guest's
 * secret write comes after the partition scan's reads), at most 2 WAIT_S.
 */
static int run_blk_secret(unsigned int domid, blkif_sring_t *s,
			  unsigned int size)
{
	time_t stop = time(NULL) + 2 * WAIT_S;
	unsigned long n = 0;
	uint32_t cons = 0;

	look_domid = domid;
	while (!blk_writes && time(NULL) < stop)
		n += serve_blk_look(s, size, &cons, 1, stop, look_blk);
	n += serve_blk_look(s, size, &cons, IDLE_S, 0, look_blk);
	printf("fakeback: secret blk requests=%lu writes=%lu pages=%lu exposed=%lu bad=%lu\n",
	       n, blk_writes, blk_seen.pages, blk_seen.exposed, blk_seen.bad);
	return !blk_writes;
}

/*
 * The storm, then a well-behaved backend: the frontend must have kept
 * the device and answer for it.
 */
static int run_blk_flood(blkif_sring_t *s, unsigned int size)
{
	uint32_t cons = 0;

	run_flood();
	printf("fakeback: then answered %lu requests\n",
	       serve_blk(s, size, &cons, IDLE_S, 0));
	return 0;
}

/*
 * Answer the first request but keep its data pages mapped (XSA-396): the
 * frontend must neither reuse nor free them while we hold them, and
 * serve on.  The request was copied off the ring once; its segment count
 * is checked before it is used.
 */
static int run_blk_keep_mapped(unsigned int domid, blkif_sring_t *s,
			       unsigned int size, const blkif_request_t *req)
{
	uint32_t refs[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	unsigned int i, n = req->nr_segments;
	blkif_response_t *rsp = &s->ring[0].rsp;
	uint32_t cons = 1;
	unsigned long more;
	void *va;

	if (req->operation != BLKIF_OP_READ || !n ||
	    n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		die("first request: operation %u with %u segments, not a read",
		    req->operation, n);
	for (i = 0; i < n; i++)
		refs[i] = req->seg[i].gref;
	va = map_grants_prot(domid, refs, n, PROT_READ);

	rsp->id = req->id;
	rsp->operation = req->operation;
	rsp->status = BLKIF_RSP_OKAY;
	__atomic_store_n(&s->rsp_prod, 1, __ATOMIC_RELEASE);
	notify();
	printf("fakeback: request id %llu op %u answered keep-mapped, %u pages still mapped\n",
	       (unsigned long long)req->id, req->operation, n);
	fflush(stdout);

	more = serve_blk(s, size, &cons, HOLD_S, time(NULL) + HOLD_S);
	if (munmap(va, (size_t)n * PAGE))
		die("munmap: %s", strerror(errno));
	printf("fakeback: answered %lu more while holding them %d s, then unmapped them\n",
	       more, HOLD_S);
	fflush(stdout);
	printf("fakeback: then answered %lu requests\n",
	       serve_blk(s, size, &cons, IDLE_S, 0));
	return 0;
}

/*
 * An id below @size (blkfront's ids are its slot numbers) that none of the
 * requests on the ring carries: a slot with nothing in flight.  From the
 * top: the slots a frontend hands out last.
 */
static uint64_t idle_id(blkif_sring_t *s, unsigned int size)
{
	uint32_t prod = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
	uint32_t i, n = prod < size ? prod : size;
	uint64_t id;

	for (id = size; id-- > 0;) {
		for (i = 0; i < n; i++)
			if (s->ring[i].req.id == id)
				break;
		if (i == n)
			return id;
	}
	die("every id below %u is in flight", size);
	return 0;
}

static int run_blk(unsigned int domid, const char *mode, uint32_t ref)
{
	blkif_sring_t *s = map_grants(domid, &ref, 1);
	unsigned int size = __RING_SIZE(s, PAGE);
	blkif_request_t req;
	blkif_response_t *rsp;
	uint64_t stale;

	if (wait_requests(&s->req_prod)) {
		printf("fakeback: no block request within %d s\n", WAIT_S);
		return 1;
	}
	if (!strcmp(mode, "flood"))
		return run_blk_flood(s, size);
	if (!strcmp(mode, "secret"))
		return run_blk_secret(domid, s, size);
	memcpy(&req, &s->ring[0].req, sizeof(req));
	if (!strcmp(mode, "keep-mapped"))
		return run_blk_keep_mapped(domid, s, size, &req);
	/* Before the response overwrites the request in slot 0. */
	stale = idle_id(s, size);
	rsp = &s->ring[0].rsp;
	rsp->id = req.id;
	rsp->operation = req.operation;
	rsp->status = BLKIF_RSP_OKAY;
	if (!strcmp(mode, "bad-id"))
		rsp->id = req.id + 4096;
	else if (!strcmp(mode, "stale-id"))
		rsp->id = stale;
	else if (!strcmp(mode, "bad-op"))
		rsp->operation = req.operation == BLKIF_OP_READ ?
				 BLKIF_OP_DISCARD : BLKIF_OP_READ;
	else if (strcmp(mode, "overrun"))
		die("unknown blk mode '%s'", mode);
	__sync_synchronize();
	s->rsp_prod = !strcmp(mode, "overrun") ? s->req_prod + size : 1;
	notify();
	printf("fakeback: request id %llu op %u answered %s\n",
	       (unsigned long long)req.id, req.operation, mode);
	return 0;
}

/* Good and error responses in one batch: all well-formed. */
static int run_net_mixed(netif_rx_sring_t *rx)
{
	time_t end = time(NULL) + WAIT_S;
	netif_rx_request_t req;
	netif_rx_response_t *rsp;
	unsigned int i;

	while (__atomic_load_n(&rx->req_prod, __ATOMIC_ACQUIRE) < 4) {
		if (time(NULL) >= end) {
			printf("fakeback: fewer than 4 rx buffers within %d s\n", WAIT_S);
			return 1;
		}
		wait_event();
	}
	for (i = 0; i < 4; i++) {
		memcpy(&req, &rx->ring[i].req, sizeof(req));
		rsp = &rx->ring[i].rsp;
		rsp->id = req.id;
		rsp->offset = 0;
		rsp->flags = 0;
		rsp->status = i & 1 ? NETIF_RSP_ERROR : 60;
	}
	__atomic_store_n(&rx->rsp_prod, 4, __ATOMIC_RELEASE);
	notify();
	printf("fakeback: rx buffers answered good, error, good, error\n");
	return 0;
}

/*
 * One packet from tx request @cons, if all of it is on the ring: its
 * slots copied off once, each data page looked at, every slot answered
 * (OKAY, NULL for extra-info slots).  Returns the slots it took, 0 if the
 * packet is not complete yet.
 */
static unsigned int tx_packet(unsigned int domid, netif_tx_sring_t *tx,
			      unsigned int size, uint32_t cons, uint32_t prod,
			      struct seen *seen)
{
	netif_tx_request_t req[XEN_NETIF_NR_SLOTS_MIN + 4];
	bool extra[XEN_NETIF_NR_SLOTS_MIN + 4] = { false };
	unsigned int n = 0, i, rest = 0, more_extra = 0;
	bool more = true;
	netif_tx_response_t *rsp;

	while (more || more_extra) {
		if (cons + n == prod)
			return 0;
		if (n == sizeof(req) / sizeof(req[0]))
			die("a tx packet of more than %u slots", n);
		memcpy(&req[n], &tx->ring[(cons + n) & (size - 1)].req,
		       sizeof(req[n]));
		if (more_extra) {
			const struct netif_extra_info *x =
				(const void *)&req[n];

			extra[n] = true;
			more_extra = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
		} else {
			more = req[n].flags & NETTXF_more_data;
			more_extra = req[n].flags & NETTXF_extra_info;
		}
		n++;
	}
	for (i = 1; i < n; i++)
		if (!extra[i])
			rest += req[i].size;
	for (i = 0; i < n; i++) {
		if (extra[i])
			continue;
		count_page(seen, i == 0 && rest > req[0].size ? -1 :
			   page_exposed(domid, req[i].gref, req[i].offset,
					i ? req[i].size : req[0].size - rest, -1));
	}
	for (i = 0; i < n; i++) {
		rsp = &tx->ring[(cons + i) & (size - 1)].rsp;
		rsp->id = extra[i] ? 0 : req[i].id;
		rsp->status = extra[i] ? NETIF_RSP_NULL : NETIF_RSP_OKAY;
	}
	return n;
}

/*
 * The rx buffers posted so far, then every tx packet until IDLE_S
 * seconds after the first one (at most 2 WAIT_S in all).
 */
static int run_net_secret(unsigned int domid, netif_tx_sring_t *tx,
			  netif_rx_sring_t *rx)
{
	unsigned int size = __RING_SIZE(tx, PAGE), n;
	struct seen rxs = { 0 }, txs = { 0 };
	time_t stop = time(NULL) + 2 * WAIT_S, idle = 0;
	uint32_t i, prod, cons = 0;
	unsigned long packets = 0;
	netif_rx_request_t req;

	if (wait_requests(&rx->req_prod)) {
		printf("fakeback: no rx buffer within %d s\n", WAIT_S);
		return 1;
	}
	prod = __atomic_load_n(&rx->req_prod, __ATOMIC_ACQUIRE);
	for (i = 0; i < prod && i < __RING_SIZE(rx, PAGE); i++) {
		memcpy(&req, &rx->ring[i].req, sizeof(req));
		count_page(&rxs, page_exposed(domid, req.gref, 0, 0, -1));
	}
	while (time(NULL) < stop && (!idle || time(NULL) < idle)) {
		prod = __atomic_load_n(&tx->req_prod, __ATOMIC_ACQUIRE);
		if (prod - cons > size)
			die("tx producer %u ran %u ahead", prod, prod - cons);
		n = prod == cons ? 0 :
		    tx_packet(domid, tx, size, cons, prod, &txs);
		if (!n) {
			wait_event();
			continue;
		}
		cons += n;
		packets++;
		__atomic_store_n(&tx->rsp_prod, cons, __ATOMIC_RELEASE);
		notify();
		idle = time(NULL) + IDLE_S;
	}
	printf("fakeback: secret net tx packets=%lu pages=%lu exposed=%lu bad=%lu rx pages=%lu exposed=%lu\n",
	       packets, txs.pages, txs.exposed, txs.bad, rxs.pages, rxs.exposed);
	return !packets;
}

static int run_net(unsigned int domid, const char *mode, uint32_t tx_ref,
		   uint32_t rx_ref)
{
	netif_rx_sring_t *rx = map_grants(domid, &rx_ref, 1);
	netif_rx_request_t req, other;
	netif_rx_response_t *rsp;

	if (!strcmp(mode, "secret"))
		return run_net_secret(domid, map_grants(domid, &tx_ref, 1), rx);
	if (!strcmp(mode, "rx-mixed"))
		return run_net_mixed(rx);
	if (wait_requests(&rx->req_prod)) {
		printf("fakeback: no rx buffer within %d s\n", WAIT_S);
		return 1;
	}
	if (!strcmp(mode, "flood"))
		return run_flood();
	memcpy(&req, &rx->ring[0].req, sizeof(req));
	memcpy(&other, &rx->ring[1].req, sizeof(other));
	rsp = &rx->ring[0].rsp;
	rsp->id = req.id;
	rsp->offset = 0;
	rsp->flags = 0;
	rsp->status = 60;
	if (!strcmp(mode, "rx-bad-id"))
		rsp->id = req.id != other.id ? other.id : req.id + 1;
	else if (!strcmp(mode, "rx-overflow"))
		rsp->offset = PAGE - 16;
	else
		die("unknown net mode '%s'", mode);
	__sync_synchronize();
	rx->rsp_prod = 1;
	notify();
	printf("fakeback: rx buffer id %u answered %s\n", req.id, mode);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int domid, port;
	int rc;

	if (argc < 6 || (!strcmp(argv[1], "net") && argc < 7)) {
		fprintf(stderr, "usage: fakeback blk DOMID EVTCHN MODE RING-REF\n"
			"       fakeback net DOMID EVTCHN MODE TX-REF RX-REF\n");
		return 2;
	}
	domid = number(argv[2], "domain id");
	port = number(argv[3], "event channel");
	bind_evtchn(domid, port);
	if (!strcmp(argv[1], "blk"))
		rc = run_blk(domid, argv[4], number(argv[5], "ring-ref"));
	else if (!strcmp(argv[1], "net"))
		rc = run_net(domid, argv[4], number(argv[5], "tx-ring-ref"),
			     number(argv[6], "rx-ring-ref"));
	else
		die("unknown device kind '%s'", argv[1]);
	fflush(stdout);
	/* Keep the rings mapped while the frontend reacts, then let go. */
	sleep(3);
	return rc;
}
