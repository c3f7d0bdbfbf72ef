/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel header, for the ABI conformance test. */
#include <stddef.h>
