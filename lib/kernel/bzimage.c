// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bzImage setup header as any reader needs it (bzimage_header()), and
 * checked as the kernel's bzImage64_probe()
 * (arch/x86/kernel/kexec-bzimage64.c) checks it, plus what a loader needs
 * to place the kernel (bzimage_parse(), Documentation/x86/boot.rst).
 */
#include <string.h>

#include "kernel/bzimage.h"

/* Offsets in the file (arch/x86/include/uapi/asm/bootparam.h, boot.rst). */
#define OFF_SETUP_SECTS		0x1f1
#define OFF_BOOT_FLAG		0x1fe
#define OFF_JUMP		0x201	/* the short jump's offset: the header ends at 0x202 + it */
#define OFF_HEADER		0x202
#define OFF_VERSION		0x206
#define OFF_LOADFLAGS		0x211
#define OFF_KERNEL_ALIGNMENT	0x230
#define OFF_RELOCATABLE		0x234
#define OFF_XLOADFLAGS		0x236
#define OFF_CMDLINE_SIZE	0x238
#define OFF_PREF_ADDRESS	0x258
#define OFF_INIT_SIZE		0x260
#define END_INIT_SIZE		0x264

/* struct boot_params gives the header [0x1f1, 0x290), edd_mbr_sig_buffer follows. */
#define SETUP_HEADER_ROOM	(0x290 - BZ_SETUP_HEADER_OFF)

#define BOOT_FLAG		0xAA55
/* The boot protocol that brought each field (boot.rst). */
#define PROTOCOL_ALIGNMENT	0x0205	/* kernel_alignment, relocatable_kernel */
#define PROTOCOL_CMDLINE_SIZE	0x0206
#define PROTOCOL_MIN		0x020c	/* 2.12: xloadflags */
#define LOADED_HIGH		(1u << 0)
#define SECTOR			512u
#define MIN_FILE		BZ_HEAD_SIZE	/* bzImage64_probe(): two sectors */

static uint16_t le16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint32_t le32(const uint8_t *p, size_t off)
{
	return (uint32_t)le16(p, off) | (uint32_t)le16(p, off + 2) << 16;
}

static uint64_t le64(const uint8_t *p, size_t off)
{
	return (uint64_t)le32(p, off) | (uint64_t)le32(p, off + 4) << 32;
}

int bzimage_header(struct bzimage *bz, const void *file, size_t size, struct log_ctx *log)
{
	const uint8_t *p = file;

	memset(bz, 0, sizeof(*bz));
	if (!p || size < MIN_FILE)
		return log_fail(log, PMD_ENOTFMT,
				"not a bzImage: %zu bytes, a bzImage has at least %u",
				size, MIN_FILE);
	if (le32(p, OFF_HEADER) != BZ_HDR_MAGIC)
		return log_fail(log, PMD_ENOTFMT, "not a bzImage: no \"HdrS\" at 0x%x", OFF_HEADER);
	if (le16(p, OFF_BOOT_FLAG) != BOOT_FLAG)
		return log_fail(log, PMD_ENOTFMT,
				"not a bzImage: no boot sector flag 0xAA55 at 0x%x", OFF_BOOT_FLAG);

	bz->file = p;
	bz->file_size = size;
	bz->protocol = le16(p, OFF_VERSION);
	bz->setup_sects = p[OFF_SETUP_SECTS];
	bz->loadflags = p[OFF_LOADFLAGS];
	if (bz->protocol >= PROTOCOL_ALIGNMENT) {
		bz->kernel_alignment = le32(p, OFF_KERNEL_ALIGNMENT);
		bz->relocatable = p[OFF_RELOCATABLE];
	}
	if (bz->protocol >= PROTOCOL_CMDLINE_SIZE)
		bz->cmdline_size = le32(p, OFF_CMDLINE_SIZE);
	if (bz->protocol >= BZ_PROTOCOL_INIT_SIZE) {
		bz->pref_address = le64(p, OFF_PREF_ADDRESS);
		bz->init_size = le32(p, OFF_INIT_SIZE);
	}
	if (bz->protocol >= PROTOCOL_MIN)
		bz->xloadflags = le16(p, OFF_XLOADFLAGS);
	return 0;
}

int bzimage_parse(struct bzimage *bz, const void *file, size_t size, bool need_5level,
		  struct log_ctx *log)
{
	const uint8_t *p = file;
	size_t setup_size, header_end;
	unsigned int sects;
	int rc;

	rc = bzimage_header(bz, file, size, log);
	if (rc)
		return rc;
	if (bz->protocol < PROTOCOL_MIN)
		return log_fail(log, PMD_ENOTFMT,
				"not a bzImage64: boot protocol %u.%02u, at least 2.12 is needed",
				bz->protocol >> 8, bz->protocol & 0xff);
	if (!(bz->loadflags & LOADED_HIGH))
		return log_fail(log, PMD_ENOTFMT,
				"not a bzImage: a zImage (loadflags 0x%02x lacks LOADED_HIGH)",
				bz->loadflags);

	if (!(bz->xloadflags & BZ_XLF_KERNEL_64))
		return log_fail(log, PMD_EUNSUPPORTED,
				"not a 64-bit kernel: xloadflags 0x%04x lacks XLF_KERNEL_64",
				bz->xloadflags);
	if (!(bz->xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G))
		return log_fail(log, PMD_EUNSUPPORTED,
				"not a 64-bit kernel: xloadflags 0x%04x lacks "
				"XLF_CAN_BE_LOADED_ABOVE_4G",
				bz->xloadflags);
	if (need_5level && !(bz->xloadflags & BZ_XLF_5LEVEL))
		return log_fail(log, PMD_EUNSUPPORTED,
				"this kernel cannot boot with 5-level paging, which is on: "
				"xloadflags 0x%04x lacks XLF_5LEVEL",
				bz->xloadflags);

	/* The header runs to the setup code the jump at 0x200 lands on. */
	header_end = OFF_HEADER + (size_t)p[OFF_JUMP];
	if (header_end < END_INIT_SIZE)
		return log_fail(log, PMD_ECORRUPT,
				"bzImage setup header ends at 0x%zx, "
				"before the end of init_size (0x%x)",
				header_end, END_INIT_SIZE);
	bz->setup_header_len = header_end - BZ_SETUP_HEADER_OFF;
	if (bz->setup_header_len > SETUP_HEADER_ROOM)
		bz->setup_header_len = SETUP_HEADER_ROOM;

	sects = bz->setup_sects ? bz->setup_sects : 4;	/* boot.rst: 0 means 4 */
	setup_size = (size_t)(sects + 1) * SECTOR;
	if (size <= setup_size)
		return log_fail(log, PMD_ECORRUPT,
				"bzImage truncated: %zu bytes, "
				"its %u setup sectors and boot sector take %zu",
				size, sects, setup_size);
	bz->kernel = p + setup_size;
	bz->kernel_size = size - setup_size;

	/* The plan aligns the kernel to this: it must be a power of two. */
	if (bz->kernel_alignment == 0 || (bz->kernel_alignment & (bz->kernel_alignment - 1)))
		return log_fail(log, PMD_ECORRUPT,
				"bzImage kernel_alignment 0x%x is not a power of two",
				bz->kernel_alignment);
	/* The kernel decompresses in place: init_size covers the file's payload. */
	if (bz->init_size < bz->kernel_size)
		return log_fail(log, PMD_ECORRUPT,
				"bzImage init_size 0x%x is smaller than its 0x%zx bytes of kernel",
				bz->init_size, bz->kernel_size);
	return 0;
}
