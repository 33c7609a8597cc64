/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built purgatory.ro, byte for byte, as read-only data of kexec
 * (purgatory_blob .. purgatory_blob_end, src/purgatory_load.h). The
 * assembler finds the file through -Wa,-I<builddir>/kexec-tools/purgatory
 * (Makefrag.am), which also makes this object depend on it.
 */
	.section .rodata, "a", @progbits
	/* ELF headers are read in place: 16 covers their 8-byte fields. */
	.balign	16
	.globl	purgatory_blob
	.type	purgatory_blob, @object
purgatory_blob:
	.incbin	"purgatory.ro"
	.globl	purgatory_blob_end
purgatory_blob_end:
	.size	purgatory_blob, purgatory_blob_end - purgatory_blob

	.section .note.GNU-stack, "", @progbits
