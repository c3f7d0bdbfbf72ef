/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen shared I/O rings: a page shared between a frontend, which produces
 * requests and consumes responses, and a backend, which does the reverse.
 *
 * Each side keeps private producer/consumer indices and publishes them in
 * the shared page; indices run freely and are masked by the ring size, a
 * power of two.  The *_event fields say at which index the other side
 * wants a notification (an event on the ring's channel).
 */
#ifndef __XEN_INTERFACE_IO_RING_H__
#define __XEN_INTERFACE_IO_RING_H__

#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>

typedef unsigned int RING_IDX;

/* Round a 32-bit constant down to a power of two, at compile time. */
#define __RD2(_x)	(((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x)	(((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x)	(((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x)	(((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x)	(((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/* Entries of a ring of type _s in _sz bytes, as a constant expression. */
#define __CONST_RING_SIZE(_s, _sz)					\
	(__RD32(((_sz) - offsetof(struct _s##_sring, ring)) /		\
		sizeof(((struct _s##_sring *)0)->ring[0])))

/* The same for the shared ring _s points to. */
#define __RING_SIZE(_s, _sz)						\
	(__RD32(((_sz) - offsetof(typeof(*(_s)), ring)) /		\
		sizeof((_s)->ring[0])))

/*
 * DEFINE_RING_TYPES(name, req, rsp) declares
 *   union name_sring_entry   a request or a response slot,
 *   struct name_sring        the shared page,
 *   struct name_front_ring   the frontend's private view,
 *   struct name_back_ring    the backend's private view.
 * The header of the shared page is 64 bytes; pvt is protocol-private.
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)			\
									\
union __name##_sring_entry {						\
	__req_t req;							\
	__rsp_t rsp;							\
};									\
									\
struct __name##_sring {							\
	RING_IDX req_prod, req_event;					\
	RING_IDX rsp_prod, rsp_event;					\
	union {								\
		struct {						\
			u8 smartpoll_active;			\
		} netif;						\
		struct {						\
			u8 msg;					\
		} tapif_user;						\
		u8 pvt_pad[4];					\
	} pvt;								\
	u8 __pad[44];						\
	union __name##_sring_entry ring[];				\
};									\
									\
struct __name##_front_ring {						\
	RING_IDX req_prod_pvt;						\
	RING_IDX rsp_cons;						\
	unsigned int nr_ents;						\
	struct __name##_sring *sring;					\
};									\
									\
struct __name##_back_ring {						\
	RING_IDX rsp_prod_pvt;						\
	RING_IDX req_cons;						\
	unsigned int nr_ents;						\
	struct __name##_sring *sring;					\
}

/* Initialise a shared page: nothing produced, notify on the first. */
#define SHARED_RING_INIT(_s) do {					\
	(_s)->req_prod = 0;						\
	(_s)->rsp_prod = 0;						\
	(_s)->req_event = 1;						\
	(_s)->rsp_event = 1;						\
	memset((_s)->pvt.pvt_pad, 0, sizeof((_s)->pvt.pvt_pad));	\
	memset((_s)->__pad, 0, sizeof((_s)->__pad));			\
} while (0)

/* Attach a private view to a shared page of __size bytes at index _i. */
#define FRONT_RING_ATTACH(_r, _s, _i, __size) do {			\
	(_r)->req_prod_pvt = (_i);					\
	(_r)->rsp_cons = (_i);						\
	(_r)->nr_ents = __RING_SIZE(_s, __size);			\
	(_r)->sring = (_s);						\
} while (0)

#define FRONT_RING_INIT(_r, _s, __size)	FRONT_RING_ATTACH(_r, _s, 0, __size)

#define XEN_FRONT_RING_INIT(r, s, size) do {				\
	SHARED_RING_INIT(s);						\
	FRONT_RING_INIT(r, s, size);					\
} while (0)

#define BACK_RING_ATTACH(_r, _s, _i, __size) do {			\
	(_r)->rsp_prod_pvt = (_i);					\
	(_r)->req_cons = (_i);						\
	(_r)->nr_ents = __RING_SIZE(_s, __size);			\
	(_r)->sring = (_s);						\
} while (0)

#define BACK_RING_INIT(_r, _s, __size)	BACK_RING_ATTACH(_r, _s, 0, __size)

#define RING_SIZE(_r)			((_r)->nr_ents)

/* Request slots the frontend may still fill. */
#define RING_FREE_REQUESTS(_r)						\
	(RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))

#define RING_FULL(_r)			(RING_FREE_REQUESTS(_r) == 0)

/* Responses published by the backend and not yet consumed. */
#define XEN_RING_NR_UNCONSUMED_RESPONSES(_r)				\
	(READ_ONCE((_r)->sring->rsp_prod) - (_r)->rsp_cons)

/*
 * Requests published by the frontend and not yet consumed, never more
 * than there is room for responses (a frontend cannot make us overrun).
 */
#define XEN_RING_NR_UNCONSUMED_REQUESTS(_r) ({				\
	unsigned int __req = READ_ONCE((_r)->sring->req_prod) -		\
			     (_r)->req_cons;				\
	unsigned int __rsp = RING_SIZE(_r) -				\
			     ((_r)->req_cons - (_r)->rsp_prod_pvt);	\
	__req < __rsp ? __req : __rsp;					\
})

#define RING_HAS_UNCONSUMED_RESPONSES(_r)				\
	(!!XEN_RING_NR_UNCONSUMED_RESPONSES(_r))
#define RING_HAS_UNCONSUMED_REQUESTS(_r)				\
	(!!XEN_RING_NR_UNCONSUMED_REQUESTS(_r))

/* The slot of index _idx (not copied: the other side may change it). */
#define RING_GET_REQUEST(_r, _idx)					\
	(&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].req))
#define RING_GET_RESPONSE(_r, _idx)					\
	(&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].rsp))

/*
 * Copy a slot into private memory with a single read of each byte, so
 * that a value checked once cannot change under the checker.
 */
#define RING_COPY_(type, r, idx, dest)					\
	(*(dest) = *(volatile typeof(dest))RING_GET_##type(r, idx))

#define RING_COPY_REQUEST(r, idx, req)	RING_COPY_(REQUEST, r, idx, req)
#define RING_COPY_RESPONSE(r, idx, rsp)	RING_COPY_(RESPONSE, r, idx, rsp)

/* Would consuming request _cons go past the responses we owe? */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons)				\
	(((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))

/* Has the other side published more than the ring holds? */
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod)				\
	(((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod)				\
	(((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/* Publish the private producer index; slots are written before it. */
#define RING_PUSH_REQUESTS(_r) do {					\
	virt_wmb(); /* requests written before they are published */	\
	WRITE_ONCE((_r)->sring->req_prod, (_r)->req_prod_pvt);		\
} while (0)

#define RING_PUSH_RESPONSES(_r) do {					\
	virt_wmb(); /* responses written before they are published */	\
	WRITE_ONCE((_r)->sring->rsp_prod, (_r)->rsp_prod_pvt);		\
} while (0)

/*
 * Publish, and set _notify if the other side asked to be told about an
 * index in (old, new]: new - event < new - old, in modular arithmetic.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) do {		\
	RING_IDX __old = (_r)->sring->req_prod;				\
	RING_IDX __new = (_r)->req_prod_pvt;				\
	virt_wmb(); /* requests written before they are published */	\
	WRITE_ONCE((_r)->sring->req_prod, __new);			\
	virt_mb(); /* publish the index before reading req_event */	\
	(_notify) = ((RING_IDX)(__new -					\
				READ_ONCE((_r)->sring->req_event)) <	\
		     (RING_IDX)(__new - __old));			\
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) do {		\
	RING_IDX __old = (_r)->sring->rsp_prod;				\
	RING_IDX __new = (_r)->rsp_prod_pvt;				\
	virt_wmb(); /* responses written before they are published */	\
	WRITE_ONCE((_r)->sring->rsp_prod, __new);			\
	virt_mb(); /* publish the index before reading rsp_event */	\
	(_notify) = ((RING_IDX)(__new -					\
				READ_ONCE((_r)->sring->rsp_event)) <	\
		     (RING_IDX)(__new - __old));			\
} while (0)

/*
 * Before going idle: if nothing is pending, ask for a notification on
 * the next item, then look again to close the race with the producer.
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do) do {		\
	(_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);		\
	if (_work_to_do)						\
		break;							\
	WRITE_ONCE((_r)->sring->req_event, (_r)->req_cons + 1);	\
	virt_mb(); /* set req_event before looking at req_prod again */	\
	(_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);		\
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do) do {		\
	(_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);		\
	if (_work_to_do)						\
		break;							\
	WRITE_ONCE((_r)->sring->rsp_event, (_r)->rsp_cons + 1);	\
	virt_mb(); /* set rsp_event before looking at rsp_prod again */	\
	(_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);		\
} while (0)

#endif /* __XEN_INTERFACE_IO_RING_H__ */
