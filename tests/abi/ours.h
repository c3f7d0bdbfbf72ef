/* SPDX-License-Identifier: GPL-2.0 */
/* Every header under include/xen/interface, as the kernel would see them. */
#include <errno.h>
#include <xen/interface/xen.h>
#include <xen/interface/elfnote.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/memory.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/version.h>
#include <xen/interface/features.h>
#include <xen/interface/callback.h>
#include <xen/interface/physdev.h>
#include <xen/interface/nmi.h>
#include <xen/interface/io/ring.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/io/console.h>
#include <xen/interface/io/xenbus.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/netif.h>
#include <xen/interface/hvm/dm_op.h>
#include <xen/interface/platform.h>
/* The user ABI of our devices (include/uapi/xen). */
#include <uapi/xen/privcmd.h>
#include <uapi/xen/evtchn.h>
#include <uapi/xen/gntdev.h>
#include <uapi/xen/gntalloc.h>
#include <uapi/xen/xenbus_dev.h>
