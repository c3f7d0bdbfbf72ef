/* SPDX-License-Identifier: GPL-2.0 */
/* The same set of Xen's own public headers (libxen-dev). */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#define xen_mb()	__sync_synchronize()
#define xen_rmb()	__sync_synchronize()
#define xen_wmb()	__sync_synchronize()
/* Our RING_HAS_UNCONSUMED_* are booleans; ask Xen for the same. */
#define XEN_RING_HAS_UNCONSUMED_IS_BOOL
#include <xen/xen.h>
#include <xen/elfnote.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/callback.h>
#include <xen/physdev.h>
#include <xen/nmi.h>
#include <xen/io/ring.h>
#include <xen/io/xs_wire.h>
#include <xen/io/console.h>
#include <xen/io/xenbus.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#include <xen/hvm/dm_op.h>
#include <xen/platform.h>
/* What Xen's tools are built with for Linux's devices. */
#include <sys/ioctl.h>
#include <xen/sys/privcmd.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/xenbus_dev.h>
