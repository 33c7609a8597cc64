/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_KDUMP_KDUMP_FORMAT_H
#define PMD_DUMP_KDUMP_KDUMP_FORMAT_H

/*
 * On-disk layout of makedumpfile's kdump-compressed format ("diskdump"),
 * as makedumpfile 1.7.2 writes it on x86_64 and as crash and libkdumpfile
 * read it. The structures are declared with fixed-width fields and
 * explicit padding so that their layout is the x86_64 one whatever the
 * compiler; the static assertions below pin every offset readers use.
 *
 * File layout, in blocks of block_size (= the page size):
 *   block 0                 struct kdump_disk_header
 *   blocks 1..sub_hdr_size  struct kdump_sub_header, then the ELF notes
 *   bitmap_blocks blocks    1st bitmap (pfns present), 2nd bitmap (pfns
 *                           dumped), each half of the area
 *   page descriptors        one struct kdump_page_desc per set bit of the
 *                           2nd bitmap, in pfn order
 *   page data               compressed or raw pages, in pfn order (with
 *                           the shared zero page first under -d bit 1)
 */

#include <stddef.h>
#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the kdump-compressed format is written in host order: little-endian only"
#endif

#define KDUMP_SIGNATURE "KDUMP   "
#define KDUMP_SIG_LEN 8
#define KDUMP_HEADER_VERSION 6
#define KDUMP_UTS_LEN 65

/* disk_dump_header.status and page_desc.flags bits */
#define DUMP_DH_COMPRESSED_ZLIB 0x1
#define DUMP_DH_COMPRESSED_LZO 0x2
#define DUMP_DH_COMPRESSED_SNAPPY 0x4
#define DUMP_DH_COMPRESSED_INCOMPLETE 0x8
#define DUMP_DH_EXCLUDED_VMEMMAP 0x10
#define DUMP_DH_COMPRESSED_ZSTD 0x20

#define DUMP_DH_COMPRESSED_ANY \
	(DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO | \
	 DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD)

/* The kernel's struct new_utsname. */
struct kdump_utsname {
	char sysname[KDUMP_UTS_LEN];
	char nodename[KDUMP_UTS_LEN];
	char release[KDUMP_UTS_LEN];
	char version[KDUMP_UTS_LEN];
	char machine[KDUMP_UTS_LEN];
	char domainname[KDUMP_UTS_LEN];
};

/* struct disk_dump_header on x86_64 (464 bytes). */
struct kdump_disk_header {
	char signature[KDUMP_SIG_LEN];
	int32_t header_version;
	struct kdump_utsname utsname;
	uint8_t pad0[6];		/* struct timeval is 8-byte aligned */
	int64_t timestamp_sec;
	int64_t timestamp_usec;
	uint32_t status;
	int32_t block_size;
	int32_t sub_hdr_size;		/* in blocks */
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;		/* truncated; see max_mapnr_64 */
	uint32_t total_ram_blocks;
	uint32_t device_blocks;
	uint32_t written_blocks;
	uint32_t current_cpu;
	int32_t nr_cpus;
};

/* struct kdump_sub_header on x86_64 (104 bytes); fields by header_version. */
struct kdump_sub_header {
	uint64_t phys_base;
	int32_t dump_level;		/* v1 */
	int32_t split;			/* v2 */
	uint64_t start_pfn;		/* v2, truncated */
	uint64_t end_pfn;		/* v2, truncated */
	uint64_t offset_vmcoreinfo;	/* v3: file offset of the note's data */
	uint64_t size_vmcoreinfo;	/* v3 */
	uint64_t offset_note;		/* v4 */
	uint64_t size_note;		/* v4 */
	uint64_t offset_eraseinfo;	/* v5 */
	uint64_t size_eraseinfo;	/* v5 */
	uint64_t start_pfn_64;		/* v6 */
	uint64_t end_pfn_64;		/* v6 */
	uint64_t max_mapnr_64;		/* v6 */
};

/* struct page_desc (24 bytes). */
struct kdump_page_desc {
	uint64_t offset;		/* file offset of the page data */
	uint32_t size;			/* bytes stored */
	uint32_t flags;			/* DUMP_DH_COMPRESSED_*, 0 = raw */
	uint64_t page_flags;		/* always 0 */
};

_Static_assert(sizeof(struct kdump_disk_header) == 464, "disk_dump_header size");
_Static_assert(offsetof(struct kdump_disk_header, timestamp_sec) == 408, "timestamp");
_Static_assert(offsetof(struct kdump_disk_header, status) == 424, "status");
_Static_assert(offsetof(struct kdump_disk_header, nr_cpus) == 460, "nr_cpus");
_Static_assert(sizeof(struct kdump_sub_header) == 104, "kdump_sub_header size");
_Static_assert(offsetof(struct kdump_sub_header, offset_vmcoreinfo) == 32, "vmcoreinfo");
_Static_assert(offsetof(struct kdump_sub_header, max_mapnr_64) == 96, "max_mapnr_64");
_Static_assert(sizeof(struct kdump_page_desc) == 24, "page_desc size");

static inline uint64_t kdump_div_round_up(uint64_t n, uint64_t d)
{
	return (n + d - 1) / d;
}

/* Bytes of one bitmap: whole blocks, as crash requires. */
static inline uint64_t kdump_bitmap_half_bytes(uint64_t max_mapnr, unsigned int block_size)
{
	return kdump_div_round_up(kdump_div_round_up(max_mapnr, 8), block_size) * block_size;
}

#endif
