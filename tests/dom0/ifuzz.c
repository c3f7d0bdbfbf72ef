// SPDX-License-Identifier: GPL-2.0
/*
 * ifuzz: feed the control domain's Xen devices bad and random arguments.
 *
 *   ifuzz SEED ROUNDS GUEST_DOMID
 *
 * /dev/xen/xenbus gets malformed store messages (lengths past the
 * protocol's limit, unterminated strings, unknown types, transactions it
 * never started) mixed with well-formed reads.
 *
 * Every call must fail cleanly (or succeed harmlessly): the scenario
 * (tests/scenarios/dom0-ifuzz.sh) checks afterwards that the kernel did
 * not oops or warn and that nothing was left mapped or bound.  Only
 * hypercalls that cannot hurt the machine are sent raw (xen_version with
 * random commands and pointers, unknown numbers); everything else goes
 * through the ioctls' own argument checks, with a real guest as target
 * where a domain must exist, so that Xen's checks are reached too.
 *
 * Prints one line per device: calls made, how many failed, and whether
 * any call that should have failed did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

typedef uint16_t domid_t;
typedef unsigned long xen_pfn_t;

/* The ioctl layouts, as in Xen's tools/include/xen-sys/Linux headers. */
struct privcmd_hypercall { uint64_t op, arg[5]; };
struct privcmd_mmapbatch_v2 {
	unsigned int num; domid_t dom; uint64_t addr;
	const xen_pfn_t *arr; int *err;
};
struct privcmd_mmapbatch { int num; domid_t dom; uint64_t addr; xen_pfn_t *arr; };
struct privcmd_dm_op_buf { void *uptr; size_t size; };
struct privcmd_dm_op { domid_t dom; uint16_t num; const struct privcmd_dm_op_buf *ubufs; };
struct privcmd_mmap_resource {
	domid_t dom; uint32_t type, id, idx; uint64_t num, addr;
};
#define IOCTL_PRIVCMD_HYPERCALL	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH	_IOC(_IOC_NONE, 'P', 3, sizeof(struct privcmd_mmapbatch))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_DM_OP	_IOC(_IOC_NONE, 'P', 5, sizeof(struct privcmd_dm_op))
#define IOCTL_PRIVCMD_RESTRICT	_IOC(_IOC_NONE, 'P', 6, sizeof(domid_t))
#define IOCTL_PRIVCMD_MMAP_RESOURCE _IOC(_IOC_NONE, 'P', 7, sizeof(struct privcmd_mmap_resource))

struct gntdev_ref { uint32_t domid, ref; };
struct gntdev_map { uint32_t count, pad; uint64_t index; struct gntdev_ref refs[1]; };
struct gntdev_unmap { uint64_t index; uint32_t count, pad; };
struct gntdev_notify { uint64_t index; uint32_t action, port; };
struct gntdev_seg {
	union { void *virt; struct { uint32_t ref; uint16_t offset, domid; } foreign; } source, dest;
	uint16_t len, flags; int16_t status;
};
struct gntdev_copy { unsigned int count; struct gntdev_seg *segments; };
#define IOCTL_GNTDEV_MAP_GRANT_REF _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF _IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap))
#define IOCTL_GNTDEV_SET_UNMAP_NOTIFY _IOC(_IOC_NONE, 'G', 7, sizeof(struct gntdev_notify))
#define IOCTL_GNTDEV_GRANT_COPY	_IOC(_IOC_NONE, 'G', 8, sizeof(struct gntdev_copy))

#define IOCTL_EVTCHN_BIND_VIRQ	_IOC(_IOC_NONE, 'E', 0, 4)
#define IOCTL_EVTCHN_BIND_INTERDOMAIN _IOC(_IOC_NONE, 'E', 1, 8)
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT _IOC(_IOC_NONE, 'E', 2, 4)
#define IOCTL_EVTCHN_UNBIND	_IOC(_IOC_NONE, 'E', 3, 4)
#define IOCTL_EVTCHN_NOTIFY	_IOC(_IOC_NONE, 'E', 4, 4)
#define IOCTL_EVTCHN_RESET	_IOC(_IOC_NONE, 'E', 5, 0)

static uint64_t rng;
/* IFUZZ_TRACE=1: name each call on stderr before making it. */
static int trace;
static int probe_fd = -1;
/* With a trace, each call is followed by a kernel fault the fixup handles. */
#define TRACE(...) do { if (trace) { \
	if (probe_fd >= 0) ioctl(probe_fd, _IOC(_IOC_NONE, 'P', 0, 48), (void *)0x5e6c8836000UL); \
	fprintf(stderr, __VA_ARGS__); fflush(stderr); } } while (0)
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Values that tend to break argument checks. */
static uint64_t nasty(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 0x7f, 0xff, 0x100, 0xfff, 0x1000, 0x7fff, 0x8000, 0xffff,
		0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, 4095, 4096,
		131072, 131071, 4094, 65535, 65536, 1U << 20, (1U << 20) + 1,
	};
	return (rnd() & 3) ? v[rnd() % (sizeof(v) / sizeof(v[0]))] : rnd();
}

static void *garbage_ptr(void)
{
	static char buf[8192];

	switch (rnd() % 5) {
	case 0: return NULL;
	case 1: return (void *)(uintptr_t)nasty();
	case 2: return (void *)0xffff880000000000ULL;	/* kernel space */
	case 3: return buf + (rnd() % 4096);
	default: return (void *)(uintptr_t)(rnd() & 0x7ffffffff000ULL);
	}
}

/*
 * Pointers to nothing readable.  A HYPERCALL ioctl pointing at memory that
 * happens to hold junk would really issue a random hypercall, which root
 * may (set_trap_table, say): that is privcmd's job, not a bug to find.
 */
static void *bad_ptr(void)
{
	switch (rnd() % 3) {
	case 0: return NULL;
	case 1: return (void *)0xffff880000000000ULL;
	default: return (void *)(uintptr_t)(0x100000000000ULL + (rnd() & 0xfffffff000ULL));
	}
}

struct stats { const char *name; unsigned long calls, failed, bad; };

static void count(struct stats *s, int rc, int must_fail)
{
	s->calls++;
	if (rc < 0)
		s->failed++;
	else if (must_fail)
		s->bad++;
}

static void fuzz_privcmd(struct stats *s, domid_t guest)
{
	int fd = open("/dev/xen/privcmd", O_RDWR);
	size_t len = 64 << 12;
	char *area;
	unsigned int i, n;

	if (fd < 0) {
		perror("privcmd");
		s->bad++;
		return;
	}
	area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (i = 0; i < 200; i++) {
		struct privcmd_hypercall hc = { 0 };
		struct privcmd_mmapbatch_v2 b2;
		struct privcmd_mmapbatch b1;
		struct privcmd_dm_op dm;
		struct privcmd_dm_op_buf bufs[20];
		struct privcmd_mmap_resource mr;
		xen_pfn_t frames[64];
		int errs[64];

		/* Raw hypercalls: only harmless ones. */
		hc.op = (rnd() & 1) ? 17 /* xen_version */ : 128 + (rnd() % 1000);
		hc.arg[0] = nasty();
		hc.arg[1] = (uint64_t)(uintptr_t)garbage_ptr();
		TRACE("hypercall %llu (%#llx, %#llx)\n", (unsigned long long)hc.op,
		      (unsigned long long)hc.arg[0], (unsigned long long)hc.arg[1]);
		count(s, ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc), hc.op >= 128);
		TRACE("hypercall ioctl, bad argument\n");
		count(s, ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, bad_ptr()), 1);

		/* Foreign maps: bad areas, bad counts, random frames. */
		n = rnd() % 65;
		for (unsigned int j = 0; j < 64; j++)
			frames[j] = (rnd() & 1) ? nasty() : rnd() % 0x40000;
		b2 = (struct privcmd_mmapbatch_v2) {
			.num = (rnd() & 3) ? n : (unsigned int)nasty(),
			.dom = (rnd() & 1) ? guest : (domid_t)nasty(),
			.addr = (rnd() & 3) ? (uint64_t)(uintptr_t)area + (rnd() % 64) * 4096 :
					      nasty(),
			.arr = (rnd() & 7) ? frames : garbage_ptr(),
			.err = (rnd() & 7) ? errs : garbage_ptr(),
		};
		TRACE("mmapbatch_v2 num=%u dom=%u addr=%#llx\n", b2.num, b2.dom,
		      (unsigned long long)b2.addr);
		count(s, ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b2), 0);
		b1 = (struct privcmd_mmapbatch) {
			.num = (int)nasty(), .dom = guest,
			.addr = (uint64_t)(uintptr_t)area + 4096 * (rnd() % 64),
			.arr = frames,
		};
		TRACE("mmapbatch num=%d dom=%u\n", b1.num, b1.dom);
		count(s, ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH, &b1), 0);

		/* Device-model ops: too many, bad buffers. */
		for (unsigned int j = 0; j < 20; j++) {
			bufs[j].uptr = garbage_ptr();
			bufs[j].size = nasty();
		}
		dm = (struct privcmd_dm_op) {
			.dom = (domid_t)nasty(), .num = (uint16_t)(1 + rnd() % 20),
			.ubufs = (rnd() & 3) ? bufs : garbage_ptr(),
		};
		TRACE("dm_op dom=%u num=%u\n", dm.dom, dm.num);
		count(s, ioctl(fd, IOCTL_PRIVCMD_DM_OP, &dm), 0);

		/* Resources: random types, ids, frames; size queries. */
		mr = (struct privcmd_mmap_resource) {
			.dom = (rnd() & 1) ? guest : (domid_t)nasty(),
			.type = (uint32_t)nasty() % 5, .id = (uint32_t)nasty(),
			.idx = (uint32_t)nasty(), .num = (rnd() & 1) ? 0 : nasty(),
			.addr = (rnd() & 1) ? 0 : (uint64_t)(uintptr_t)area + 4096 * (rnd() % 64),
		};
		TRACE("mmap_resource dom=%u type=%u id=%u idx=%u num=%llu addr=%#llx\n",
		      mr.dom, mr.type, mr.id, mr.idx, (unsigned long long)mr.num,
		      (unsigned long long)mr.addr);
		count(s, ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &mr), 0);

		/* Ioctls that do not exist. */
		count(s, ioctl(fd, _IOC(_IOC_NONE, 'P', 8 + rnd() % 248, rnd() % 64),
			       garbage_ptr()), 1);
		/* Touching unfilled or unmapped pages is for SIGBUS, not tested. */
		if (area != MAP_FAILED && (rnd() % 16) == 0) {
			munmap(area, len);
			area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		}
	}
	if (area != MAP_FAILED)
		munmap(area, len);
	/* Restricted: no raw hypercalls any more. */
	{
		domid_t d = guest;
		struct privcmd_hypercall hc = { .op = 17 };

		count(s, ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &d), 0);
		count(s, ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc), 1);
	}
	close(fd);
}

static void fuzz_gntdev(struct stats *s, domid_t guest)
{
	int fd = open("/dev/xen/gntdev", O_RDWR);
	unsigned int i;

	if (fd < 0) {
		perror("gntdev");
		s->bad++;
		return;
	}
	for (i = 0; i < 300; i++) {
		struct { struct gntdev_map m; struct gntdev_ref more[15]; } map;
		struct gntdev_unmap un;
		struct gntdev_notify nt;
		struct gntdev_seg segs[8];
		struct gntdev_copy cp;
		unsigned int n = 1 + rnd() % 16;
		void *p;

		map.m.count = (rnd() & 3) ? n : (uint32_t)nasty();
		map.m.pad = 0;
		for (unsigned int j = 0; j < 16; j++) {
			struct gntdev_ref *r = j ? &map.more[j - 1] : &map.m.refs[0];

			r->domid = (rnd() & 3) ? guest : (uint32_t)nasty();
			r->ref = (uint32_t)nasty();
		}
		TRACE("gntdev map count=%u\n", map.m.count);
		if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) == 0) {
			s->calls++;
			/* Never-granted references: mmap must fail, cleanly. */
			p = mmap(NULL, map.m.count * 4096UL, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, map.m.index);
			count(s, p == MAP_FAILED ? -1 : 0, 0);
			if (p != MAP_FAILED)
				munmap(p, map.m.count * 4096UL);
			nt = (struct gntdev_notify) {
				.index = map.m.index + (rnd() % 8192),
				.action = (uint32_t)nasty(), .port = (uint32_t)nasty(),
			};
			count(s, ioctl(fd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &nt), 0);
			un = (struct gntdev_unmap) { .index = map.m.index, .count = map.m.count };
			if (rnd() & 1)
				un.count = (uint32_t)nasty();
			count(s, ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un), 0);
		} else {
			count(s, -1, 0);
		}
		/* mmap of offsets that were never reserved. */
		p = mmap(NULL, 4096 * (1 + rnd() % 4), PROT_READ, MAP_SHARED, fd,
			 (off_t)(nasty() & ~0xfffULL & 0x7fffffffffffULL));
		count(s, p == MAP_FAILED ? -1 : 0, 1);
		if (p != MAP_FAILED)
			munmap(p, 4096);
		/* Copies between random grants and random memory. */
		for (unsigned int j = 0; j < 8; j++) {
			segs[j].flags = (uint16_t)(rnd() % 8);
			if (segs[j].flags & 1) {
				segs[j].source.foreign.ref = (uint32_t)nasty();
				segs[j].source.foreign.offset = (uint16_t)nasty();
				segs[j].source.foreign.domid = (rnd() & 1) ? guest : (uint16_t)nasty();
			} else {
				segs[j].source.virt = garbage_ptr();
			}
			if (segs[j].flags & 2) {
				segs[j].dest.foreign.ref = (uint32_t)nasty();
				segs[j].dest.foreign.offset = (uint16_t)nasty();
				segs[j].dest.foreign.domid = (rnd() & 1) ? guest : (uint16_t)nasty();
			} else {
				segs[j].dest.virt = garbage_ptr();
			}
			segs[j].len = (uint16_t)nasty();
		}
		/*
		 * The kernel writes each segment's status back, so a count
		 * beyond segs[] goes with memory that is not ours: it would
		 * overwrite this program's own stack or data, legitimately.
		 */
		if (rnd() & 3)
			cp = (struct gntdev_copy) {
				.count = 1 + rnd() % 8,
				.segments = (rnd() & 7) ? segs : bad_ptr(),
			};
		else
			cp = (struct gntdev_copy) {
				.count = (unsigned int)nasty(), .segments = bad_ptr(),
			};
		count(s, ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, &cp), 0);
		count(s, ioctl(fd, _IOC(_IOC_NONE, 'G', 20 + rnd() % 200, 16), garbage_ptr()), 1);
	}
	close(fd);
}

static void fuzz_evtchn(struct stats *s, domid_t guest)
{
	int fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	unsigned int i, ports[64], nports = 0;

	if (fd < 0) {
		perror("evtchn");
		s->bad++;
		return;
	}
	for (i = 0; i < 500; i++) {
		uint32_t arg[2] = { (uint32_t)nasty(), (uint32_t)nasty() };
		/* Room for the longest read and write below (69 bytes). */
		uint32_t buf[18];
		int rc;

		switch (rnd() % 8) {
		case 0:
			arg[0] = (rnd() & 1) ? guest : arg[0];
			rc = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, arg);
			break;
		case 1:
			arg[0] = (rnd() & 1) ? guest : arg[0];
			rc = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, arg);
			break;
		case 2:
			/* VIRQs dom0's own kernel or xenstored hold fail to bind. */
			rc = ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, arg);
			break;
		case 3:
			if (nports && (rnd() & 1))
				arg[0] = ports[rnd() % nports];
			rc = ioctl(fd, IOCTL_EVTCHN_NOTIFY, arg);
			break;
		case 4:
			if (nports && (rnd() & 1)) {
				unsigned int k = rnd() % nports;

				arg[0] = ports[k];
				ports[k] = ports[--nports];
			}
			rc = ioctl(fd, IOCTL_EVTCHN_UNBIND, arg);
			break;
		case 5:
			for (unsigned int j = 0; j < 16; j++)
				buf[j] = (j < nports && (rnd() & 1)) ? ports[j] : (uint32_t)nasty();
			rc = write(fd, buf, (rnd() % 17) * 4 + (rnd() % 4));
			break;
		case 6:
			rc = read(fd, buf, rnd() % 70);
			break;
		default:
			rc = ioctl(fd, (rnd() & 1) ? IOCTL_EVTCHN_RESET :
				   _IOC(_IOC_NONE, 'E', 7 + rnd() % 100, 4), arg);
			break;
		}
		TRACE("evtchn call done: %d\n", rc);
		if (rc >= 0 && rc < 131072 && (rnd() % 8 == 0) && nports < 64)
			ports[nports++] = rc;	/* might be a port we bound */
		count(s, rc, 0);
	}
	close(fd);	/* unbinds whatever is left */
}

/* xenstore's wire protocol, for /dev/xen/xenbus. */
struct xsd_sockmsg { uint32_t type, req_id, tx_id, len; };

/*
 * An XS_DIRECTORY with no path at all: xenstored 4.17 would leave it
 * unanswered (and a reader waiting forever), so the kernel must answer
 * it with an XS_ERROR itself, within the 5 s allowed here.
 */
static void xenbus_empty_request(struct stats *s)
{
	struct xsd_sockmsg h = { .type = 1, .req_id = 7 };
	struct { struct xsd_sockmsg h; char body[64]; } r;
	struct pollfd p = { .events = POLLIN };

	p.fd = open("/dev/xen/xenbus", O_RDWR | O_NONBLOCK);
	s->calls++;
	if (p.fd < 0 || write(p.fd, &h, sizeof(h)) != sizeof(h) ||
	    poll(&p, 1, 5000) != 1 || read(p.fd, &r, sizeof(r)) < (ssize_t)sizeof(h) ||
	    r.h.type != 16 /* XS_ERROR */ || r.h.req_id != 7) {
		fprintf(stderr, "xenbus: no error reply to an empty request\n");
		s->bad++;
	}
	if (p.fd >= 0)
		close(p.fd);
}

static void fuzz_xenbus(struct stats *s)
{
	static const char good[] = "/local/domain/0/name";
	int fd = -1;
	unsigned int i;

	xenbus_empty_request(s);
	for (i = 0; i < 300; i++) {
		struct { struct xsd_sockmsg h; char body[4200]; } m;
		char reply[8192];
		size_t len;
		int rc;

		if (fd < 0)
			fd = open("/dev/xen/xenbus", O_RDWR | O_NONBLOCK);
		if (fd < 0) {
			perror("xenbus");
			s->bad++;
			return;
		}
		/*
		 * Requests that cannot change the system, or kinds the kernel
		 * refuses: root may ask xenstored to release dom0 itself, which
		 * it does, and nothing serves the store any more.
		 */
		static const uint32_t safe[] = { 1, 2, 3, 4, 5, 6, 7, 10, 17, 21, 22 };

		m.h.type = (rnd() & 1) ? safe[rnd() % (sizeof(safe) / sizeof(safe[0]))] :
			   32 + (uint32_t)(nasty() % 0xffffffe0U);
		m.h.req_id = (uint32_t)rnd();
		m.h.tx_id = (rnd() & 3) ? 0 : (uint32_t)nasty();
		m.h.len = (rnd() & 3) ? (uint32_t)(rnd() % 64) : (uint32_t)nasty();
		for (unsigned int j = 0; j < sizeof(m.body); j++)
			m.body[j] = (rnd() & 3) ? 'a' + rnd() % 26 : (char)rnd();
		if (rnd() % 4 == 0) {
			/* A well-formed read, so real replies flow too. */
			m.h.type = 2;	/* XS_READ */
			m.h.tx_id = 0;
			m.h.len = sizeof(good);
			memcpy(m.body, good, sizeof(good));
		}
		len = sizeof(m.h) + (m.h.len < sizeof(m.body) ? m.h.len : rnd() % sizeof(m.body));
		TRACE("xenbus type=%u len=%u tx=%u write=%zu\n", m.h.type, m.h.len,
		      m.h.tx_id, len);
		rc = write(fd, &m, len);
		count(s, rc, m.h.len > 4096 ? 1 : 0);
		rc = read(fd, reply, sizeof(reply));
		count(s, rc, 0);
		if (m.h.len > 4096 || (rnd() % 32) == 0) {
			/* A broken header leaves the file unusable: start over. */
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	struct stats st[] = { { "privcmd" }, { "gntdev" }, { "evtchn" }, { "xenbus" } };
	unsigned int rounds, r, i, bad = 0;
	domid_t guest;

	if (argc != 4) {
		fprintf(stderr, "usage: ifuzz SEED ROUNDS GUEST_DOMID\n");
		return 2;
	}
	rng = strtoull(argv[1], NULL, 0) | 1;
	trace = getenv("IFUZZ_TRACE") != NULL;
	if (trace)
		probe_fd = open("/dev/xen/privcmd", O_RDWR);
	rounds = strtoul(argv[2], NULL, 0);
	guest = strtoul(argv[3], NULL, 0);
	for (r = 0; r < rounds; r++) {
		TRACE("round %u\n", r);
		fuzz_privcmd(&st[0], guest);
		fuzz_gntdev(&st[1], guest);
		fuzz_evtchn(&st[2], guest);
		fuzz_xenbus(&st[3]);
	}
	for (i = 0; i < 4; i++) {
		printf("ifuzz %s calls=%lu failed=%lu unexpected=%lu\n", st[i].name,
		       st[i].calls, st[i].failed, st[i].bad);
		bad += st[i].bad;
	}
	return bad ? 1 : 0;
}
