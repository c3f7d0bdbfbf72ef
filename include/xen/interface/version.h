/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen guest ABI: HYPERVISOR_xen_version(), what Xen is and supports.
 */
#ifndef __XEN_INTERFACE_VERSION_H__
#define __XEN_INTERFACE_VERSION_H__

#include <xen/interface/xen.h>

/* Returns (major << 16) | minor; no argument. */
#define XENVER_version			0

#define XENVER_extraversion		1
#ifndef __ASSEMBLY__
typedef char xen_extraversion_t[16];
#endif
#define XEN_EXTRAVERSION_LEN		(sizeof(xen_extraversion_t))

#define XENVER_compile_info		2
#ifndef __ASSEMBLY__
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
#endif

/* Space-separated ABIs Xen can run, e.g. "xen-3.0-x86_64". */
#define XENVER_capabilities		3
#ifndef __ASSEMBLY__
typedef char xen_capabilities_info_t[1024];
#endif
#define XEN_CAPABILITIES_INFO_LEN	(sizeof(xen_capabilities_info_t))

#define XENVER_changeset		4
#ifndef __ASSEMBLY__
typedef char xen_changeset_info_t[64];
#endif
#define XEN_CHANGESET_INFO_LEN		(sizeof(xen_changeset_info_t))

/* Where Xen's reserved area starts in this guest's address space. */
#define XENVER_platform_parameters	5
#ifndef __ASSEMBLY__
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
#endif

/* One 32-bit word of the XENFEAT_* bitmap, submap_idx selecting which. */
#define XENVER_get_features		6
#ifndef __ASSEMBLY__
struct xen_feature_info {
	unsigned int submap_idx;	/* IN */
	u32 submap;		/* OUT */
};
#endif

#define XENVER_pagesize			7 /* returns the page size */
#define XENVER_guest_handle		8 /* xen_domain_handle_t */
#define XENVER_commandline		9 /* char[1024], privileged */
#define XENVER_build_id			10 /* privileged */

#endif /* __XEN_INTERFACE_VERSION_H__ */
