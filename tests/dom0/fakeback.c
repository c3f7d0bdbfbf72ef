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
 *   fakeback net DOMID EVTCHN MODE TX-RING-REF RX-RING-REF
 *	rx-bad-id    answer an rx buffer with another slot's id
 *	rx-overflow  claim more bytes than fit in the rx page
 *	rx-mixed     answer four rx buffers: 60 bytes, an error, 60 bytes,
 *		     an error (the frontend must count both kinds and go on)
 *	flood        once rx buffers are posted, notify as fast as it can
 *		     for FLOOD_S seconds without answering anything
 *
 * Prints "fakeback: ..." lines saying what it did; exits 0 once it did it,
 * 1 if the frontend never sent anything to answer within 60 s.
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
 * A well-behaved backend from request *@cons on: answer every request
 * OKAY (data untouched) until none came for @idle_s seconds, or until
 * @stop (0: no such limit).  Requests are read once each, responses go
 * in their slots in order.  Returns how many were answered.
 */
static unsigned long serve_blk(blkif_sring_t *s, unsigned int size,
			       uint32_t *cons, int idle_s, time_t stop)
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

static int run_net(unsigned int domid, const char *mode, uint32_t tx_ref,
		   uint32_t rx_ref)
{
	netif_rx_sring_t *rx = map_grants(domid, &rx_ref, 1);
	netif_rx_request_t req, other;
	netif_rx_response_t *rsp;

	(void)tx_ref;	/* mapped by a real backend; nothing to do here */
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
