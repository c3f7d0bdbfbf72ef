/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel header, for the ABI conformance test. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define __user
#define __maybe_unused		__attribute__((__unused__))
#endif
