/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_BZIMAGE_H
#define PMD_KERNEL_BZIMAGE_H

/*
 * An x86 bzImage as the 64-bit boot protocol sees it
 * (Documentation/x86/boot.rst): the setup header, and the protected-mode
 * kernel that follows the setup sectors. kexec loads one
 * (bzimage_parse()); pmem-kdump check reads only its header
 * (bzimage_header()) for init_size.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/log.h"

/* Setup header offsets (arch/x86/include/uapi/asm/bootparam.h). */
#define BZ_SETUP_HEADER_OFF	0x1f1
#define BZ_HDR_MAGIC		0x53726448	/* "HdrS" at 0x202 */
#define BZ_XLF_KERNEL_64		(1u << 0)
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G	(1u << 1)
#define BZ_XLF_5LEVEL			(1u << 5)

/* The bytes bzimage_header() reads: the boot sector and one setup sector. */
#define BZ_HEAD_SIZE		1024u
/* The boot protocol that brought init_size and pref_address: 2.10. */
#define BZ_PROTOCOL_INIT_SIZE	0x020a

struct bzimage {
	const uint8_t *file;		/* the whole file, not owned */
	size_t file_size;

	uint16_t protocol;		/* 0x020f for 2.15 */
	uint8_t setup_sects;		/* as read; 0 means 4 */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;
	uint32_t kernel_alignment;
	uint32_t init_size;
	uint32_t cmdline_size;		/* longest command line, NUL excluded */
	uint64_t pref_address;

	/*
	 * Bytes of the setup header from 0x1f1, to copy into boot_params:
	 * 0x202 + byte[0x201] - 0x1f1, capped at the room boot_params gives
	 * it (up to 0x290).
	 */
	size_t setup_header_len;
	/* The protected-mode kernel: after (setup_sects + 1) * 512 bytes. */
	const uint8_t *kernel;
	size_t kernel_size;
};

/*
 * The setup header alone, from @size bytes at @file: the whole image or
 * only its first BZ_HEAD_SIZE bytes (kept, not copied: @bz->file and
 * @bz->file_size are @file and @size). 0; -PMD_ENOTFMT "not a bzImage"
 * (fewer than BZ_HEAD_SIZE bytes, no "HdrS", no boot sector flag 0xAA55),
 * in that order, recorded in @log. It does not judge the boot protocol:
 * a field newer than @bz->protocol is 0 (kernel_alignment and relocatable
 * before 2.05, cmdline_size before 2.06, pref_address and init_size
 * before 2.10, xloadflags before 2.12). setup_header_len and the kernel
 * are left 0: they are bzimage_parse()'s.
 */
int bzimage_header(struct bzimage *bz, const void *file, size_t size, struct log_ctx *log);

/*
 * A bzImage that a 64-bit loader can load, as the kernel's
 * bzImage64_probe() (arch/x86/kernel/kexec-bzimage64.c) judges it: parse
 * @size bytes at @file, the whole file (kept, not copied). 0;
 * -PMD_ENOTFMT "not a bzImage" (bzimage_header()'s refusals, protocol <
 * 2.12, not loaded high); -PMD_EUNSUPPORTED "not a 64-bit kernel" (no
 * XLF_KERNEL_64 or XLF_CAN_BE_LOADED_ABOVE_4G), or without XLF_5LEVEL
 * when @need_5level; -PMD_ECORRUPT when the file is no longer than its
 * setup sectors, the setup header stops before init_size,
 * kernel_alignment is not a power of two, or init_size is smaller than
 * the kernel. The reason is recorded in @log. The checks run in that
 * order, so the first failing one is named.
 */
int bzimage_parse(struct bzimage *bz, const void *file, size_t size, bool need_5level,
		  struct log_ctx *log);

#endif
