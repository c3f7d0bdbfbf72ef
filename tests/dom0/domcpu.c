// SPDX-License-Identifier: GPL-2.0
/*
 * domcpu: the CPU time Xen has charged to a domain, in nanoseconds; with
 * -p the pages it holds instead.
 *
 *   domcpu [-p] DOMID
 *
 * Xen counts the time each vCPU spends running, from its scheduler and to
 * the nanosecond, whatever the guest kernel does: make bench
 * (tests/bench/bench.sh) takes it around a workload to compare what two
 * guest kernels cost for the same work, beside the guest's own
 * tick-sampled /proc/stat.  It includes the time Xen spends in hypercalls
 * for the guest, which /proc/stat cannot see.  The page count is what
 * "xl list" shows as memory, at a fraction of xl's cost: make bench polls
 * it while a guest balloons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

int main(int argc, char **argv)
{
	xc_interface *xch;
	xc_dominfo_t info;
	int pages = argc == 3 && !strcmp(argv[1], "-p");
	const char *id = argv[argc - 1];
	char *end;
	long domid;

	if (argc != 2 && !pages) {
		fprintf(stderr, "usage: domcpu [-p] DOMID\n");
		return 2;
	}
	domid = strtol(id, &end, 10);
	if (*end || end == id || domid < 0 || domid >= DOMID_FIRST_RESERVED) {
		fprintf(stderr, "domcpu: bad domain id '%s'\n", id);
		return 2;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		perror("domcpu: xc_interface_open");
		return 1;
	}
	/* The first domain at or after DOMID: it must be that one. */
	if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid) {
		fprintf(stderr, "domcpu: no domain %ld\n", domid);
		xc_interface_close(xch);
		return 1;
	}
	if (pages)
		printf("%lu\n", info.nr_pages);
	else
		printf("%llu\n", (unsigned long long)info.cpu_time);
	xc_interface_close(xch);
	return 0;
}
