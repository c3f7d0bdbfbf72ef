// SPDX-License-Identifier: GPL-2.0
/*
 * nobody PROGRAM [ARG...]: run PROGRAM as uid/gid 65534 with no
 * supplementary groups, the way tools/testing/selftests/vm/run_vmtests.sh
 * runs its unprivileged tests ("sudo -u nobody"); the guest image has no
 * sudo and no passwd file.
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nobody PROGRAM [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("nobody: dropping root");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 2;
}
