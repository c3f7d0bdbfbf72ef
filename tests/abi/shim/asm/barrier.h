/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel header, for the ABI conformance test. */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H
#define virt_mb()	__sync_synchronize()
#define virt_rmb()	__sync_synchronize()
#define virt_wmb()	__sync_synchronize()
#endif
