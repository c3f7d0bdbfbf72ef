/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kind of Xen domain this kernel is running in, if any.
 *
 * Generic code outside our directories (block-layer merging, DMA setup,
 * ACPI _PDC, a few PCI and platform quirks) asks these questions without
 * #ifdefs.  With CONFIG_XEN off every answer is a compile-time "no", so the
 * callers fold away and a native kernel carries no Xen code at all.
 *
 * The answers are set once, very early at boot, by the entry path that
 * finds itself running on Xen; they never change afterwards.
 */
#ifndef _XEN_XEN_H
#define _XEN_XEN_H

#include <linux/bits.h>
#include <linux/types.h>

struct bio_vec;
struct page;

/* Bits of xen_domain_flags. */
#define XEN_DOMAIN_GUEST	BIT(0)	/* running on Xen at all */
#define XEN_DOMAIN_PV		BIT(1)	/* paravirtualised MMU and CPU */
#define XEN_DOMAIN_CONTROL	BIT(2)	/* the initial (control) domain */

#ifdef CONFIG_XEN
extern unsigned int xen_domain_flags;

static inline bool xen_domain(void)
{
	return xen_domain_flags & XEN_DOMAIN_GUEST;
}

static inline bool xen_pv_domain(void)
{
	return xen_domain_flags & XEN_DOMAIN_PV;
}

static inline bool xen_initial_domain(void)
{
	return xen_domain_flags & XEN_DOMAIN_CONTROL;
}

bool xen_biovec_phys_mergeable(const struct bio_vec *prev,
			       const struct page *next);
bool xen_processor_present(u32 acpi_id);
#else
static inline bool xen_domain(void) { return false; }
static inline bool xen_pv_domain(void) { return false; }
static inline bool xen_initial_domain(void) { return false; }

static inline bool xen_biovec_phys_mergeable(const struct bio_vec *prev,
					     const struct page *next)
{
	return true;
}

static inline bool xen_processor_present(u32 acpi_id)
{
	return false;
}
#endif /* CONFIG_XEN */

/* HVM guests are not supported by this series; kept for generic callers. */
static inline bool xen_hvm_domain(void) { return false; }

/*
 * Xen's errno for an operation it does not implement (its public errno.h):
 * a hypercall that fails with it may be retried in an older form.
 */
#define XEN_ENOSYS	38

#endif /* _XEN_XEN_H */
