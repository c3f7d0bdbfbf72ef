/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: grant tables, HYPERVISOR_grant_table_op().
 *
 * A domain grants another access to one of its frames by filling an
 * entry of its grant table; the grantee maps or copies it by reference.
 */
#ifndef __XEN_INTERFACE_GRANT_TABLE_H__
#define __XEN_INTERFACE_GRANT_TABLE_H__

#include <xen/interface/xen.h>

/* Entries the toolstack fills before the guest starts. */
#define GNTTAB_NR_RESERVED_ENTRIES	8
#define GNTTAB_RESERVED_CONSOLE		0
#define GNTTAB_RESERVED_XENSTORE	1

/* grant_entry_v1.flags: the type of the entry ... */
#define GTF_invalid		(0U << 0)
#define GTF_permit_access	(1U << 0)
#define GTF_accept_transfer	(2U << 0)
#define GTF_transitive		(3U << 0)
#define GTF_type_mask		(3U << 0)
/* ... for GTF_permit_access, what the grantee may do and does ... */
#define _GTF_readonly		(2)
#define GTF_readonly		(1U << _GTF_readonly)
#define _GTF_reading		(3)
#define GTF_reading		(1U << _GTF_reading)
#define _GTF_writing		(4)
#define GTF_writing		(1U << _GTF_writing)
#define _GTF_PWT		(5)
#define GTF_PWT			(1U << _GTF_PWT)
#define _GTF_PCD		(6)
#define GTF_PCD			(1U << _GTF_PCD)
#define _GTF_PAT		(7)
#define GTF_PAT			(1U << _GTF_PAT)
#define _GTF_sub_page		(8)
#define GTF_sub_page		(1U << _GTF_sub_page)
/* ... and for GTF_accept_transfer, how far a transfer got. */
#define _GTF_transfer_committed	(2)
#define GTF_transfer_committed	(1U << _GTF_transfer_committed)
#define _GTF_transfer_completed	(3)
#define GTF_transfer_completed	(1U << _GTF_transfer_completed)

/* Commands */
#define GNTTABOP_map_grant_ref		0
#define GNTTABOP_unmap_grant_ref	1
#define GNTTABOP_setup_table		2
#define GNTTABOP_dump_table		3
#define GNTTABOP_transfer		4
#define GNTTABOP_copy			5
#define GNTTABOP_query_size		6
#define GNTTABOP_unmap_and_replace	7
#define GNTTABOP_set_version		8
#define GNTTABOP_get_status_frames	9
#define GNTTABOP_get_version		10
#define GNTTABOP_swap_grant_ref		11
#define GNTTABOP_cache_flush		12

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map	(0)	/* for device DMA */
#define GNTMAP_device_map	(1 << _GNTMAP_device_map)
#define _GNTMAP_host_map	(1)	/* into the CPU's page tables */
#define GNTMAP_host_map		(1 << _GNTMAP_host_map)
#define _GNTMAP_readonly	(2)
#define GNTMAP_readonly		(1 << _GNTMAP_readonly)
#define _GNTMAP_application_map	(3)	/* user-accessible mapping */
#define GNTMAP_application_map	(1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte	(4)	/* host_addr is a PTE's address */
#define GNTMAP_contains_pte	(1 << _GNTMAP_contains_pte)
/* Bits from here up are copied into the PTE's software bits (9-11). */
#define _GNTMAP_guest_avail0	(16)
#define GNTMAP_guest_avail_mask	((u32)~0 << _GNTMAP_guest_avail0)

/* Status codes of every operation. */
#define GNTST_okay		(0)
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied	(-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

/* gnttab_copy.flags: which of source and dest is a grant reference. */
#define _GNTCOPY_source_gref	(0)
#define GNTCOPY_source_gref	(1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref	(1)
#define GNTCOPY_dest_gref	(1 << _GNTCOPY_dest_gref)

#ifndef __ASSEMBLY__

typedef u32 grant_ref_t;
typedef u32 grant_handle_t;

/* Version 1 grant table entry. */
struct grant_entry_v1 {
	u16 flags;			/* GTF_* */
	domid_t domid;			/* who may use the grant */
	u32 frame;			/* the granted frame */
};

/* Version 2: flags and domid, with status kept in a separate table. */
struct grant_entry_header {
	u16 flags;
	domid_t domid;
};

union grant_entry_v2 {
	struct grant_entry_header hdr;
	struct {
		struct grant_entry_header hdr;
		u32 pad0;
		u64 frame;
	} full_page;
	struct {
		struct grant_entry_header hdr;
		u16 page_off;
		u16 length;
		u64 frame;
	} sub_page;
	struct {
		struct grant_entry_header hdr;
		domid_t trans_domid;
		u16 pad0;
		grant_ref_t gref;
	} transitive;
	u32 __spacer[4];
};

typedef u16 grant_status_t;

/* Map grant ref of dom at host_addr and/or for device DMA. */
struct gnttab_map_grant_ref {
	u64 host_addr;
	u32 flags;			/* GNTMAP_* */
	grant_ref_t ref;
	domid_t dom;
	s16 status;			/* OUT: GNTST_* */
	grant_handle_t handle;		/* OUT: for the unmap */
	u64 dev_bus_addr;		/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_map_grant_ref);

struct gnttab_unmap_grant_ref {
	u64 host_addr;
	u64 dev_bus_addr;
	grant_handle_t handle;
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_unmap_grant_ref);

/* Grow dom's grant table to nr_frames and get the frames' numbers. */
struct gnttab_setup_table {
	domid_t dom;
	u32 nr_frames;
	s16 status;			/* OUT */
	GUEST_HANDLE(xen_pfn_t) frame_list;
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_setup_table);

/* Print dom's grant table on the Xen console. */
struct gnttab_dump_table {
	domid_t dom;
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_dump_table);

/* Give frame mfn to domid through its GTF_accept_transfer entry ref. */
struct gnttab_transfer {
	xen_pfn_t mfn;
	domid_t domid;
	grant_ref_t ref;
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_transfer);

/* Copy len bytes; each side is a grant reference or a local frame. */
struct gnttab_copy {
	struct gnttab_copy_ptr {
		union {
			grant_ref_t ref;
			xen_pfn_t gmfn;
		} u;
		domid_t domid;
		u16 offset;
	} source, dest;
	u16 len;
	u16 flags;			/* GNTCOPY_* */
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_copy);

struct gnttab_query_size {
	domid_t dom;
	u32 nr_frames;		/* OUT */
	u32 max_nr_frames;		/* OUT */
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_query_size);

/* Unmap host_addr, moving the mapping at new_addr into its place. */
struct gnttab_unmap_and_replace {
	u64 host_addr;
	u64 new_addr;
	grant_handle_t handle;
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_unmap_and_replace);

struct gnttab_set_version {
	u32 version;		/* IN/OUT: 1 or 2 */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_set_version);

/* Frames of the version 2 status table. */
struct gnttab_get_status_frames {
	u32 nr_frames;
	domid_t dom;
	s16 status;			/* OUT */
	GUEST_HANDLE(uint64_t) frame_list;
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_get_status_frames);

struct gnttab_get_version {
	domid_t dom;
	u16 pad;
	u32 version;		/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_get_version);

struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	s16 status;			/* OUT */
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_swap_grant_ref);

/* Clean and/or invalidate the cache over part of a granted frame. */
struct gnttab_cache_flush {
	union {
		u64 dev_bus_addr;
		grant_ref_t ref;
	} a;
	u16 offset;
	u16 length;
#define GNTTAB_CACHE_CLEAN		(1u << 0)
#define GNTTAB_CACHE_INVAL		(1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF	(1u << 31)
	u32 op;
};

DEFINE_GUEST_HANDLE_STRUCT(gnttab_cache_flush);

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_INTERFACE_GRANT_TABLE_H__ */
