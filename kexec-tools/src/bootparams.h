/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_BOOTPARAMS_H
#define KEXEC_BOOTPARAMS_H

/*
 * The zero page (struct boot_params) a 64-bit kernel is entered with, its
 * command line and setup_data chain, laid out as one segment: the zero
 * page at offset 0, the command line at BOOTPARAMS_CMDLINE_OFF, then the
 * setup_data blocks.
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/bzimage.h"
#include "src/sysmem.h"
#include "util/log.h"

#define BOOTPARAMS_ZERO_PAGE_SIZE	4096
#define BOOTPARAMS_CMDLINE_OFF		BOOTPARAMS_ZERO_PAGE_SIZE
#define BOOTPARAMS_E820_MAX		128	/* entries in the zero page */
#define BOOTPARAMS_LOADER_KEXEC		0xD0	/* type_of_loader */

/* Zero-page offsets used here (arch/x86/include/uapi/asm/bootparam.h). */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_TYPE_OF_LOADER	0x210
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_HARDWARE_SUBARCH	0x23c
#define BP_SETUP_DATA		0x250
#define BP_E820_TABLE		0x2d0

/* setup_data (arch/x86/include/uapi/asm/bootparam.h): next, type, len, data. */
#define SETUP_DATA_HDR_SIZE	16
#define SETUP_TYPE_E820_EXT	1
#define SETUP_TYPE_RNG_SEED	9
#define BOOTPARAMS_E820_ENT_SIZE	20	/* struct boot_e820_entry, packed */
/* Each setup_data block starts 8-byte aligned in the segment. */
#define BOOTPARAMS_SETUP_ALIGN	8
/* Room bootparams_size() always leaves for an RNG seed (the kernel passes 32). */
#define BOOTPARAMS_RNG_SEED_MAX	32

/* " elfcorehdr=0x" and 16 hex digits: what bootparams_cmdline() adds at most. */
#define BOOTPARAMS_ELFCOREHDR_MAX	(sizeof(" elfcorehdr=0x") - 1 + 16)

struct bootparams_in {
	const struct bzimage *bz;
	const struct e820_map *e820;
	const char *cmdline;		/* final, elfcorehdr= included */
	uint64_t load_addr;		/* where this segment will be loaded */
	uint64_t initrd_addr;		/* 0 and 0: none */
	uint64_t initrd_size;
	uint64_t acpi_rsdp;		/* 0: let the kernel search */
	uint32_t hardware_subarch;
	const uint8_t *rng_seed;	/* NULL: no SETUP_RNG_SEED block */
	size_t rng_seed_len;		/* at most BOOTPARAMS_RNG_SEED_MAX */
};

/*
 * Bytes the segment takes for a command line of @cmdline_len bytes (NUL
 * excluded) and @nr_e820 entries, with room for an RNG seed, for planning
 * before the addresses are known: an upper bound of bootparams_build()'s
 * *len for those figures. The e820 is built after the plan (it needs the
 * ELF header's address), so plan with the count of an e820_build() with
 * no @keep plus one (cutting @keep out splits at most one entry), and the
 * user's command line length plus BOOTPARAMS_ELFCOREHDR_MAX.
 */
size_t bootparams_size(size_t cmdline_len, unsigned int nr_e820);

/*
 * The capture kernel's command line in a malloc'ed *@out: @user (NULL:
 * empty) with "elfcorehdr=0x<@elfcorehdr>" added at its end, or before a
 * "--" word (what follows "--" goes to init, not to the kernel). 0;
 * -PMD_EINVAL (recorded) when the result is longer than @cmdline_size
 * (the kernel's, NUL excluded); -PMD_ENOMEM.
 */
int bootparams_cmdline(char **out, const char *user, uint64_t elfcorehdr, uint32_t cmdline_size,
		       struct log_ctx *log);

/*
 * Build the segment into a malloc'ed *@buf of *@len bytes: the zero page
 * (setup header from the file, type_of_loader 0xD0, command line, initrd,
 * acpi_rsdp_addr, hardware_subarch, the first 128 e820 entries), the
 * command line at BOOTPARAMS_CMDLINE_OFF, then the setup_data chain from
 * hdr.setup_data: SETUP_E820_EXT with entries 129 on (when there are
 * more than 128), then SETUP_RNG_SEED (when @in->rng_seed), each 8-byte
 * aligned, the last with next = 0. Pointers are @in->load_addr + offset.
 * 0, or -PMD_EINVAL (recorded) when the command line is longer than the
 * kernel's cmdline_size or the seed longer than BOOTPARAMS_RNG_SEED_MAX;
 * -PMD_ENOMEM.
 */
int bootparams_build(const struct bootparams_in *in, uint8_t **buf, size_t *len,
		     struct log_ctx *log);

/*
 * From "<root>/sys/kernel/boot_params/data" (the first kernel's zero page,
 * raw, 4096 bytes: arch/x86/kernel/ksysfs.c): acpi_rsdp_addr and
 * hardware_subarch; if acpi_rsdp_addr is 0, ACPI20= or else ACPI= of
 * "<root>/sys/firmware/efi/systab". @root NULL or "" is "/". Missing files
 * give zeros; 0, or -PMD_EIO for a file that exists but cannot be read,
 * -PMD_ECORRUPT for a zero page shorter than the fields read or a systab
 * value that is not a hex number.
 */
int bootparams_read_firmware(const char *root, uint64_t *acpi_rsdp, uint32_t *subarch,
			     struct log_ctx *log);

#endif
