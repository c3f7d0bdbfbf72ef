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
 *	flood     notify as fast as it can for FLOOD_S seconds (XSA-391),
 *		  then answer every request OKAY (data untouched) until
 *		  none came for IDLE_S seconds
 *   fakeback net DOMID EVTCHN MODE TX-RING-REF RX-RING-REF
 *	rx-bad-id    answer an rx buffer with another slot's id
 *	rx-overflow  claim more bytes than fit in the rx page
 *	rx-mixed     answer four rx buffers: 60 bytes, an error, 60 bytes,
 *		     an error (the frontend must count both kinds and go on)
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

/* Map @n granted pages of @domid, one after another. */
static void *map_grants(unsigned int domid, const uint32_t *refs, unsigned int n)
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
	va = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fd, req->index);
	if (va == MAP_FAILED)
		die("mapping grant %u of domain %u: %s", refs[0], domid,
		    strerror(errno));
	free(req);
	return va;
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

/*
 * The storm, then a well-behaved backend: the frontend must have kept
 * the device and answer for it.  Requests are read once each, responses
 * go in their slots in order.
 */
static int run_blk_flood(blkif_sring_t *s, unsigned int size)
{
	unsigned long sent = 0, answered = 0;
	time_t end = time(NULL) + FLOOD_S;
	uint32_t cons = 0, prod;
	blkif_request_t req;
	blkif_response_t *rsp;

	while (time(NULL) < end) {
		notify();
		sent++;
	}
	printf("fakeback: %lu notifications in %d s\n", sent, FLOOD_S);
	fflush(stdout);
	end = time(NULL) + IDLE_S;
	while (time(NULL) < end) {
		prod = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
		if (prod - cons > size)
			die("request producer %u ran %u ahead", prod, prod - cons);
		if (prod == cons) {
			wait_event();
			continue;
		}
		for (; cons != prod; cons++) {
			memcpy(&req, &s->ring[cons & (size - 1)].req, sizeof(req));
			rsp = &s->ring[cons & (size - 1)].rsp;
			rsp->id = req.id;
			rsp->operation = req.operation;
			rsp->status = BLKIF_RSP_OKAY;
			answered++;
		}
		__atomic_store_n(&s->rsp_prod, cons, __ATOMIC_RELEASE);
		notify();
		end = time(NULL) + IDLE_S;
	}
	printf("fakeback: then answered %lu requests\n", answered);
	return 0;
}

static int run_blk(unsigned int domid, const char *mode, uint32_t ref)
{
	blkif_sring_t *s = map_grants(domid, &ref, 1);
	unsigned int size = __RING_SIZE(s, PAGE);
	blkif_request_t req;
	blkif_response_t *rsp;

	if (wait_requests(&s->req_prod)) {
		printf("fakeback: no block request within %d s\n", WAIT_S);
		return 1;
	}
	if (!strcmp(mode, "flood"))
		return run_blk_flood(s, size);
	memcpy(&req, &s->ring[0].req, sizeof(req));
	rsp = &s->ring[0].rsp;
	rsp->id = req.id;
	rsp->operation = req.operation;
	rsp->status = BLKIF_RSP_OKAY;
	if (!strcmp(mode, "bad-id"))
		rsp->id = req.id + 4096;
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
