// SPDX-License-Identifier: GPL-2.0
/*
 * The XENFEAT_* bits Xen offers this domain, read once at boot.
 */
#include <linux/bitmap.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/kernel.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/guest.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>

#define XEN_FEATURE_BITS	(XENFEAT_NR_SUBMAPS * 32)

static DECLARE_BITMAP(xen_features, XEN_FEATURE_BITS) __ro_after_init;

bool xen_feature(unsigned int flag)
{
	return flag < XEN_FEATURE_BITS && test_bit(flag, xen_features);
}

void __init xen_read_features(void)
{
	struct xen_feature_info info;
	unsigned int map, bit;

	for (map = 0; map < XENFEAT_NR_SUBMAPS; map++) {
		info.submap_idx = map;
		if (HYPERVISOR_xen_version(XENVER_get_features, &info) < 0)
			break;
		for (bit = 0; bit < 32; bit++)
			if (info.submap & (1U << bit))
				__set_bit(map * 32 + bit, xen_features);
	}
}
