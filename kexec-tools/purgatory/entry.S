/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory's entry. relocate_kernel_64.S (identity_mapped) gets here
 * in 64-bit mode on the identity map, interrupts off, every GPR zero, rsp
 * on its control page, and the first kernel's GDT and IDT, which are no
 * longer mapped: load our own GDT and stack before anything else, check
 * the segments (purgatory_main, C), then enter the capture kernel with the
 * 64-bit boot protocol's state (Documentation/x86/boot.rst): CS 0x10,
 * DS/ES/SS 0x18, rsi = boot_params.
 */
#include "params.h"

#define BOOT_CS		0x10
#define BOOT_DS		0x18
#define STACK_SIZE	8192

	.text
	.code64
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cld
	cli
	leaq	stack_end(%rip), %rsp
	lgdt	gdt_ptr(%rip)
	/* A far return reloads CS: it pops rip, then cs. */
	pushq	$BOOT_CS
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Returns only when every digest matched (or checks are off). */
	call	purgatory_main

	leaq	purgatory_params(%rip), %rax
	movq	PURGATORY_PARAMS_BOOT_PARAMS(%rax), %rsi
	movq	PURGATORY_PARAMS_KERNEL_ENTRY(%rax), %rax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmp	*%rax
	.size	purgatory_start, . - purgatory_start

	/*
	 * In .data, not .rodata: the CPU may set a descriptor's accessed bit
	 * (both are preset here, so it should not need to).
	 */
	.data
	.balign	16
gdt:
	.quad	0
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x10: code, 64-bit (L), DPL 0, accessed */
	.quad	0x00cf93000000ffff	/* 0x18: data, 4 GiB flat, writable, accessed */
gdt_end:
	/* The limit at 6 mod 8 puts the base on an 8-byte boundary. */
	.balign	8
	.skip	6
gdt_ptr:
	.word	gdt_end - gdt - 1
	.quad	gdt			/* R_X86_64_64: the loader relocates it */

	.bss
	.balign	16
stack:
	.skip	STACK_SIZE
	.globl	stack_end
stack_end:

	.section .note.GNU-stack, "", @progbits
