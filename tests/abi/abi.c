// SPDX-License-Identifier: GPL-2.0
/*
 * Prints every check of checks.list, one "check: result" line each.  Built
 * twice by run.sh: against our headers (SIDE_OURS, through shim/) and
 * against Xen's public headers; the two outputs must be identical.
 */
#ifdef SIDE_OURS
#include "ours.h"
#else
#include "xen.h"
#endif
#include <stdio.h>

#define SIZE(l, T) \
	printf("%s: %zu %zu\n", l, sizeof(T), __alignof__(T))
#define OFFSET(l, T, m) \
	printf("%s: %zu %zu\n", l, offsetof(T, m), sizeof(((T *)0)->m))
#define FLEXOFFSET(l, T, m) \
	printf("%s: %zu %zu\n", l, offsetof(T, m), sizeof(((T *)0)->m[0]))
#define TYPE(l, T) \
	printf("%s: %zu %s\n", l, sizeof(T), (T)-1 < (T)0 ? "signed" : "unsigned")
#define CONST(l, X)							\
	printf("%s: %#llx %zu %s\n", l, (unsigned long long)(X), sizeof(X), \
	       (__typeof__(X))-1 < 0 ? "signed" : "unsigned")
#define STR(l, X)	printf("%s: \"%s\"\n", l, X)
#define DEFINED(l)	printf("%s: yes\n", l)
#define MISSING(l)	printf("%s: MISSING\n", l)

#include "ring_scenario.h"

int main(void)
{
#include "checks.inc"
	ring_scenario();
	return 0;
}
