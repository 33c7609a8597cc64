/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PURGATORY_PARAMS_H
#define PURGATORY_PARAMS_H

/*
 * The block the loader fills in the relocated purgatory (symbol
 * purgatory_params) and the purgatory reads. Fixed-size fields only: the
 * loader (hosted, x86_64) and the purgatory (freestanding) compile this
 * same header, and test_purgatory checks the layout. entry.S includes it
 * too, for the two offsets below (check.c asserts them).
 */
/* offsetof(struct purgatory_params, kernel_entry) and (..., boot_params) */
#define PURGATORY_PARAMS_KERNEL_ENTRY	16
#define PURGATORY_PARAMS_BOOT_PARAMS	24

#ifndef __ASSEMBLER__
#include <stdint.h>

#define PURGATORY_MAGIC		0x50555247504d4450ull	/* "PDMPGRUP" */
#define PURGATORY_VERSION	1
#define PURGATORY_REGIONS_MAX	15

/* What a region is, for the failure message. */
enum purgatory_region_kind {
	PURGATORY_REGION_KERNEL = 1,
	PURGATORY_REGION_INITRD,
	PURGATORY_REGION_BOOTPARAMS,
	PURGATORY_REGION_ELFCOREHDR,
};

struct purgatory_region {
	uint64_t start;		/* physical = identity-mapped address */
	uint64_t len;		/* the segment's memsz: buffer, then zeros */
	uint32_t kind;		/* enum purgatory_region_kind */
	uint32_t reserved;
	uint8_t sha256[32];
};

struct purgatory_params {
	uint64_t magic;
	uint32_t version;
	uint32_t nr_regions;
	/* Entry state of the 64-bit boot protocol. */
	uint64_t kernel_entry;		/* protected-mode kernel + 0x200 */
	uint64_t boot_params;		/* rsi: the zero page */
	/* COM port for messages (0x3f8), 0 for none. */
	uint16_t serial_port;
	uint8_t skip_checks;		/* 1: jump without checking digests */
	uint8_t reserved[5];
	struct purgatory_region regions[PURGATORY_REGIONS_MAX];
};

#endif /* !__ASSEMBLER__ */
#endif
