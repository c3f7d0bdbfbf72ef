// SPDX-License-Identifier: GPL-2.0
/*
 * System calls made with EFLAGS.DF set, traced with PTRACE_SYSCALL.
 *
 * The kernel must run its C code with DF clear whatever the user left in
 * it: native SYSCALL clears it through MSR_SYSCALL_MASK, INT $0x80 and
 * SYSENTER entries execute CLD.  Under PTRACE_SYSCALL every system call
 * takes the ptrace stop path, whose memset() of a siginfo runs backwards
 * over the kernel stack if DF leaked in (test_syscall_vdso_32 found this
 * in a Xen PV guest: RIP 0 after memset() zeroed its own return address).
 * Each entry this width has is tried: SYSCALL (64-bit), INT $0x80 and the
 * vDSO's __kernel_vsyscall (32-bit).  The user's DF must also survive the
 * system call.  Exit status 0 when all pass; the guest console is checked
 * for an oops by the scenario.
 */
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 200
#define X86_EFLAGS_DF 0x400UL

/* getpid with DF set; returns the flags seen right after the call. */
#ifdef __x86_64__
static unsigned long df_syscall(long *ret)
{
	unsigned long flags;
	long r = SYS_getpid;

	asm volatile("std\n\t"
		     "syscall\n\t"
		     "pushf\n\t"
		     "pop %1\n\t"
		     "cld"
		     : "+a" (r), "=r" (flags) : : "rcx", "r11", "memory");
	*ret = r;
	return flags;
}
#define N_ENTRIES 1
static const char *const entry_name[] = { "syscall" };
static unsigned long df_call(int entry, long *ret)
{
	(void)entry;
	return df_syscall(ret);
}
#else
static unsigned long vsyscall;

static unsigned long df_int80(long *ret)
{
	unsigned long flags;
	long r = SYS_getpid;

	asm volatile("std\n\t"
		     "int $0x80\n\t"
		     "pushf\n\t"
		     "pop %1\n\t"
		     "cld"
		     : "+a" (r), "=r" (flags) : : "memory");
	*ret = r;
	return flags;
}

static unsigned long df_vdso(long *ret)
{
	unsigned long flags;
	long r = SYS_getpid;

	asm volatile("std\n\t"
		     "call *%2\n\t"
		     "pushf\n\t"
		     "pop %1\n\t"
		     "cld"
		     : "+a" (r), "=r" (flags) : "r" (vsyscall) : "memory");
	*ret = r;
	return flags;
}
#define N_ENTRIES 2
static const char *const entry_name[] = { "int $0x80", "vDSO" };
static unsigned long df_call(int entry, long *ret)
{
	return entry ? df_vdso(ret) : df_int80(ret);
}
#endif

static int child(void)
{
	int e, i, bad = 0;
	long ret;
	unsigned long flags;

#ifndef __x86_64__
	vsyscall = getauxval(AT_SYSINFO);
#endif
	for (e = 0; e < N_ENTRIES; e++) {
#ifndef __x86_64__
		if (e == 1 && !vsyscall) {
			printf("[SKIP]\tno AT_SYSINFO\n");
			continue;
		}
#endif
		for (i = 0; i < ROUNDS; i++) {
			flags = df_call(e, &ret);
			if (ret != getpid()) {
				printf("[FAIL]\t%s: getpid returned %ld\n", entry_name[e], ret);
				bad = 1;
				break;
			}
			if (!(flags & X86_EFLAGS_DF)) {
				printf("[FAIL]\t%s: DF lost across the system call\n", entry_name[e]);
				bad = 1;
				break;
			}
		}
		if (i == ROUNDS)
			printf("[OK]\t%s: %d traced system calls with DF set\n", entry_name[e], ROUNDS);
	}
	return bad;
}

int main(void)
{
	int status;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(2);
		raise(SIGSTOP);
		_exit(child());
	}
	for (;;) {
		if (waitpid(pid, &status, __WALL) != pid)
			return 1;
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status)) {
			printf("[FAIL]\tthe traced child died of signal %d\n", WTERMSIG(status));
			return 1;
		}
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
	}
}
