/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 32-bit user process, no libc, for the compat entry paths of a 64-bit
 * PV kernel: int $0x80 (trap table) and the vDSO's __kernel_vsyscall,
 * which enters with SYSENTER or SYSCALL, whichever the kernel picked.
 * Each path does a write() and many getpid() calls; every register but
 * %eax must survive a system call.  Prints "int80 ok" and "vsyscall ok"
 * (or "no vsyscall"), and exits 0, or prints "compat32 FAILED" and exits 1.
 *
 * Built with: gcc -m32 -c compat32.S && ld -m elf_i386 -static
 */
#define NR_exit		1
#define NR_write	4
#define NR_getpid	20
#define AT_SYSINFO	32
#define ROUNDS		20000

	.section .rodata
msg_int80:	.ascii "int80 ok\n"
	.set len_int80, . - msg_int80
msg_vdso:	.ascii "vsyscall ok\n"
	.set len_vdso, . - msg_vdso
msg_novdso:	.ascii "no vsyscall\n"
	.set len_novdso, . - msg_novdso
msg_fail:	.ascii "compat32 FAILED\n"
	.set len_fail, . - msg_fail

	.bss
vsyscall:	.long 0
pid:		.long 0

	.text
/* do_syscall: %eax etc. set up; through the vDSO if vsyscall is set. */
via_int80:
	int	$0x80
	ret
via_vdso:
	call	*vsyscall
	ret

/*
 * check_path FN: write the message in %ecx/%edx through FN, then ROUNDS
 * getpid() calls that must all return the pid with the marker registers
 * intact.
 */
.macro check_path fn
	movl	$NR_write, %eax
	movl	$1, %ebx
	call	\fn
	cmpl	%edx, %eax
	jne	fail
	movl	$ROUNDS, %ebp
1:	movl	$NR_getpid, %eax
	movl	$0x11111111, %ebx
	movl	$0x22222222, %ecx
	movl	$0x33333333, %edx
	movl	$0x44444444, %esi
	movl	$0x55555555, %edi
	pushl	%ebp
	call	\fn
	popl	%ebp
	cmpl	pid, %eax
	jne	fail
	cmpl	$0x11111111, %ebx
	jne	fail
	cmpl	$0x22222222, %ecx
	jne	fail
	cmpl	$0x33333333, %edx
	jne	fail
	cmpl	$0x44444444, %esi
	jne	fail
	cmpl	$0x55555555, %edi
	jne	fail
	decl	%ebp
	jnz	1b
.endm

	.globl _start
_start:
	/* The aux vector follows argv[], NULL, envp[], NULL. */
	movl	(%esp), %eax
	leal	8(%esp,%eax,4), %esi
2:	movl	(%esi), %eax
	addl	$4, %esi
	testl	%eax, %eax
	jnz	2b
3:	movl	(%esi), %eax
	testl	%eax, %eax
	jz	5f
	cmpl	$AT_SYSINFO, %eax
	jne	4f
	movl	4(%esi), %eax
	movl	%eax, vsyscall
4:	addl	$8, %esi
	jmp	3b
5:
	movl	$NR_getpid, %eax
	int	$0x80
	movl	%eax, pid

	movl	$msg_int80, %ecx
	movl	$len_int80, %edx
	check_path via_int80

	cmpl	$0, vsyscall
	je	no_vdso
	movl	$msg_vdso, %ecx
	movl	$len_vdso, %edx
	check_path via_vdso
	jmp	done
no_vdso:
	movl	$NR_write, %eax
	movl	$1, %ebx
	movl	$msg_novdso, %ecx
	movl	$len_novdso, %edx
	int	$0x80
done:
	movl	$NR_exit, %eax
	xorl	%ebx, %ebx
	int	$0x80
fail:
	movl	$NR_write, %eax
	movl	$1, %ebx
	movl	$msg_fail, %ecx
	movl	$len_fail, %edx
	int	$0x80
	movl	$NR_exit, %eax
	movl	$1, %ebx
	int	$0x80
