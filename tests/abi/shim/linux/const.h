/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel header, for the ABI conformance test. */
#ifndef _SHIM_LINUX_CONST_H
#define _SHIM_LINUX_CONST_H
#ifdef __ASSEMBLY__
#define _AC(X, Y)	X
#else
#define __AC(X, Y)	(X##Y)
#define _AC(X, Y)	__AC(X, Y)
#endif
#endif
