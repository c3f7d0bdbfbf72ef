/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drives a front and a back ring through batches of requests and
 * responses, across the 32-bit index wrap, printing what every ring macro
 * says.  Uses only names Xen's io/ring.h defines, so that its trace with
 * our macros can be compared with its trace with Xen's.
 */
struct abitest_req {
	uint64_t id;
	uint32_t val;
};

struct abitest_rsp {
	uint64_t id;
	int16_t status;
};

DEFINE_RING_TYPES(abitest, struct abitest_req, struct abitest_rsp);

static void ring_scenario(void)
{
	static union {
		struct abitest_sring s;
		unsigned char page[4096];
	} shared __attribute__((aligned(4096)));
	struct abitest_sring *s = &shared.s;
	struct abitest_front_ring f;
	struct abitest_back_ring b;
	RING_IDX start = 0xffffff00u;
	unsigned int round, i, nr_req = 0, nr_rsp = 0;
	int notify, work;

	memset(shared.page, 0xa5, sizeof(shared.page));
	SHARED_RING_INIT(s);
	printf("ring init: %u %u %u %u pad %u %u\n", s->req_prod, s->req_event,
	       s->rsp_prod, s->rsp_event, s->pvt.pvt_pad[0], s->__pad[43]);
	FRONT_RING_INIT(&f, s, sizeof(shared.page));
	BACK_RING_INIT(&b, s, sizeof(shared.page));
	printf("ring size: %u %u %u\n", RING_SIZE(&f), RING_SIZE(&b),
	       (unsigned int)__CONST_RING_SIZE(abitest, 4096));

	/* Start again just below the wrap of the free-running indices. */
	s->req_prod = s->rsp_prod = start;
	s->req_event = s->rsp_event = start + 1;
	FRONT_RING_ATTACH(&f, s, start, sizeof(shared.page));
	BACK_RING_ATTACH(&b, s, start, sizeof(shared.page));

	for (round = 0; round < 40; round++) {
		unsigned int produce = (round * 7) % (RING_SIZE(&f) + 3);
		/* Every fourth round the backend catches up and goes idle. */
		unsigned int consume = round % 4 == 3 ? ~0u : (round * 5) % 11 + 1;

		/* Frontend: as many requests as fit. */
		for (i = 0; i < produce && !RING_FULL(&f); i++) {
			struct abitest_req *req;

			req = RING_GET_REQUEST(&f, f.req_prod_pvt);
			req->id = nr_req++;
			req->val = round;
			f.req_prod_pvt++;
		}
		notify = -1;
		if (round % 3)
			RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify);
		else
			RING_PUSH_REQUESTS(&f);
		printf("ring %u front: pushed %u free %u full %d notify %d\n",
		       round, i, RING_FREE_REQUESTS(&f), RING_FULL(&f), notify);

		/* Backend: consume some, answer them. */
		printf("ring %u back: unconsumed %u has %d prod-overflow %d\n",
		       round, XEN_RING_NR_UNCONSUMED_REQUESTS(&b),
		       (int)RING_HAS_UNCONSUMED_REQUESTS(&b),
		       (int)RING_REQUEST_PROD_OVERFLOW(&b, s->req_prod));
		for (i = 0; i < consume && RING_HAS_UNCONSUMED_REQUESTS(&b) &&
		     !RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons); i++) {
			struct abitest_req req;
			struct abitest_rsp *rsp;

			RING_COPY_REQUEST(&b, b.req_cons, &req);
			b.req_cons++;
			rsp = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
			rsp->id = req.id;
			rsp->status = (int16_t)(req.val - req.id);
			b.rsp_prod_pvt++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
		RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
		printf("ring %u back: took %u notify %d work %d event %u\n",
		       round, i, notify, work, s->req_event - start);

		/* Frontend: collect every response. */
		RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
		printf("ring %u front: responses %u work %d overflow %d\n",
		       round, XEN_RING_NR_UNCONSUMED_RESPONSES(&f), work,
		       (int)RING_RESPONSE_PROD_OVERFLOW(&f, s->rsp_prod));
		while (RING_HAS_UNCONSUMED_RESPONSES(&f)) {
			struct abitest_rsp rsp;

			RING_COPY_RESPONSE(&f, f.rsp_cons, &rsp);
			if (rsp.id != nr_rsp++)
				printf("ring %u: response out of order\n", round);
			f.rsp_cons++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&f, work);
		printf("ring %u front: idle work %d event %u\n", round, work,
		       s->rsp_event - start);
	}
	/* Drain: the backend answers everything and goes idle. */
	do {
		while (RING_HAS_UNCONSUMED_REQUESTS(&b)) {
			struct abitest_rsp *rsp;

			rsp = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
			rsp->id = RING_GET_REQUEST(&b, b.req_cons)->id;
			b.req_cons++;
			b.rsp_prod_pvt++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify);
		RING_FINAL_CHECK_FOR_REQUESTS(&b, work);
		printf("ring drain: notify %d work %d event %u\n", notify, work,
		       s->req_event - start);
	} while (work);
	while (RING_HAS_UNCONSUMED_RESPONSES(&f)) {
		if (RING_GET_RESPONSE(&f, f.rsp_cons)->id != nr_rsp++)
			printf("ring drain: response out of order\n");
		f.rsp_cons++;
	}
	printf("ring done: %u requests %u responses, indices %#x %#x\n",
	       nr_req, nr_rsp, f.req_prod_pvt, b.rsp_prod_pvt);
}
