/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_memory_op(), a domain's memory reservation and
 * its physical address space.
 */
#ifndef __XEN_INTERFACE_MEMORY_H__
#define __XEN_INTERFACE_MEMORY_H__

#include <xen/interface/xen.h>

/* Commands; the argument is named after each. */
#define XENMEM_increase_reservation	0  /* xen_memory_reservation */
#define XENMEM_decrease_reservation	1  /* xen_memory_reservation */
#define XENMEM_maximum_ram_page		2  /* no argument */
#define XENMEM_current_reservation	3  /* domid_t */
#define XENMEM_maximum_reservation	4  /* domid_t */
#define XENMEM_machphys_mfn_list	5  /* xen_machphys_mfn_list */
#define XENMEM_populate_physmap		6  /* xen_memory_reservation */
#define XENMEM_add_to_physmap		7  /* xen_add_to_physmap */
#define XENMEM_memory_map		9  /* xen_memory_map */
#define XENMEM_machine_memory_map	10 /* xen_memory_map */
#define XENMEM_exchange			11 /* xen_memory_exchange */
#define XENMEM_machphys_mapping		12 /* xen_machphys_mapping */
#define XENMEM_set_memory_map		13 /* xen_foreign_memory_map */
#define XENMEM_maximum_gpfn		14 /* domid_t */
#define XENMEM_remove_from_physmap	15 /* xen_remove_from_physmap */
#define XENMEM_get_sharing_freed_pages	18 /* no argument */
#define XENMEM_get_sharing_shared_pages	19 /* no argument */
#define XENMEM_add_to_physmap_batch	23 /* xen_add_to_physmap_batch */
#define XENMEM_acquire_resource		28 /* xen_mem_acquire_resource */

/* The name older interface versions used for the batch call. */
#define XENMEM_add_to_physmap_range	XENMEM_add_to_physmap_batch

/*
 * xen_memory_reservation.mem_flags: bits 0-7 the widest machine address
 * (0 = any), bits 8-15 the NUMA node + 1, and allocation flags.
 */
#define XENMEMF_address_bits(x)		(x)
#define XENMEMF_get_address_bits(x)	((x) & 0xffu)
#define XENMEMF_node(x)			(((x) + 1) << 8)
#define XENMEMF_get_node(x)		((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand	(1 << 16)
#define XENMEMF_exact_node_request	(1 << 17)
#define XENMEMF_exact_node(n)		(XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode			(1 << 18)

/* Spaces XENMEM_add_to_physmap takes frames from. */
#define XENMAPSPACE_shared_info		0 /* the shared_info page */
#define XENMAPSPACE_grant_table		1 /* grant-table frames */
#define XENMAPSPACE_gmfn		2 /* another frame of this domain */
#define XENMAPSPACE_gmfn_range		3 /* size frames of this domain */
#define XENMAPSPACE_gmfn_foreign	4 /* a frame of another domain */
#define XENMAPSPACE_dev_mmio		5 /* device MMIO (Arm) */

/* xen_add_to_physmap.idx for grant_table: status frame, not shared. */
#define XENMAPIDX_grant_table_status	0x80000000

#ifndef __ASSEMBLY__

/*
 * Give frames back (decrease) or ask for more (increase, populate).
 * extent_start lists the gpfns; on increase Xen writes mfns to it.
 * Returns the number of extents done.
 */
struct xen_memory_reservation {
	GUEST_HANDLE(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	unsigned int extent_order;	/* 2^order pages per extent */
	unsigned int mem_flags;		/* XENMEMF_* */
	domid_t domid;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_memory_reservation);

/* Trade the frames of in for newly allocated ones described by out. */
struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged;	/* OUT: in extents done */
};

DEFINE_GUEST_HANDLE_STRUCT(xen_memory_exchange);

/* The mfns of the frames that hold the machine-to-physical table. */
struct xen_machphys_mfn_list {
	unsigned int max_extents;
	GUEST_HANDLE(xen_pfn_t) extent_start;
	unsigned int nr_extents;	/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(xen_machphys_mfn_list);

/* Where the m2p table is mapped, and the largest mfn it covers. */
struct xen_machphys_mapping {
	xen_ulong_t v_start, v_end;
	xen_ulong_t max_mfn;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_machphys_mapping);

/* Map frame idx of space at gpfn in domid's physical address space. */
struct xen_add_to_physmap {
	domid_t domid;
	u16 size;			/* frames, for XENMAPSPACE_gmfn_range */
	unsigned int space;		/* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_add_to_physmap);

/* size mappings in one call; errs gets a result per entry. */
struct xen_add_to_physmap_batch {
	domid_t domid;
	u16 space;			/* XENMAPSPACE_* */
	u16 size;
	union xen_add_to_physmap_batch_extra {
		domid_t foreign_domid;	/* XENMAPSPACE_gmfn_foreign */
		u16 res0;
	} u;
	GUEST_HANDLE(xen_ulong_t) idxs;
	GUEST_HANDLE(xen_pfn_t) gpfns;
	GUEST_HANDLE(int) errs;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_add_to_physmap_batch);
#define xen_add_to_physmap_range	xen_add_to_physmap_batch

/* Unmap whatever is at gpfn in domid's physical address space. */
struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_remove_from_physmap);

/* An E820-style map: nr_entries in (buffer size), entries out. */
struct xen_memory_map {
	unsigned int nr_entries;
	GUEST_HANDLE(void) buffer;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_memory_map);

struct xen_foreign_memory_map {
	domid_t domid;
	struct xen_memory_map map;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_foreign_memory_map);

#endif /* !__ASSEMBLY__ */

/* xen_mem_acquire_resource.type and .id */
#define XENMEM_resource_ioreq_server			0
#define XENMEM_resource_grant_table			1
#define XENMEM_resource_vmtrace_buf			2
#define XENMEM_resource_grant_table_id_shared		0
#define XENMEM_resource_grant_table_id_status		1
#define XENMEM_resource_ioreq_server_frame_bufioreq	0
#define XENMEM_resource_ioreq_server_frame_ioreq(n)	(1 + (n))

#ifndef __ASSEMBLY__
/*
 * Map frames of a resource of domid (e.g. its grant table) into the
 * caller.  With nr_frames 0 Xen returns the resource's size instead.
 */
struct xen_mem_acquire_resource {
	domid_t domid;
	u16 type;			/* XENMEM_resource_* */
	u32 id;
	u32 nr_frames;		/* IN/OUT */
	u32 pad;
	u64 frame;			/* first frame of the resource */
	GUEST_HANDLE(xen_pfn_t) frame_list;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_mem_acquire_resource);
#endif

#endif /* __XEN_INTERFACE_MEMORY_H__ */
