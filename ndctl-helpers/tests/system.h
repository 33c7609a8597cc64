/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_TEST_SYSTEM_H
#define PK_TEST_SYSTEM_H

/*
 * A hand-written system for the unit tests, laid out as the lab guest's
 * (two 1 GiB NVDIMMs with labels, one region each):
 *
 * region0 at 0x140000000
 *   namespace0.0  fsdax  map=dev  256 MiB  data at +4 MiB   (case D, listed)
 *   namespace0.1  devdax map=dev  256 MiB  data at +4 MiB   (case D, listed)
 *   namespace0.2  fsdax  map=mem  128 MiB  data at +2 MiB   (case C)
 *   namespace0.3  seed: raw, size 0, idle
 * region1 at 0x180000000
 *   namespace1.0  raw     128 MiB
 *   namespace1.1  sector  128 MiB
 *   namespace1.2  fsdax map=dev 128 MiB, disabled
 *   namespace1.3  seed
 *
 * The memmap of a map=dev namespace is [ns + 8 KiB, data start): for
 * namespace0.0 [0x140002000, 0x140400000), 0x3fe000 bytes.
 */
#include "src/namespace.h"

#define MIB (1024ULL * 1024)

#define NS0_0 0x140000000ULL
#define NS0_1 0x150000000ULL
#define NS0_2 0x160000000ULL
#define NS1_0 0x180000000ULL
#define NS1_1 0x188000000ULL
#define NS1_2 0x190000000ULL

#define BASE(r, i, name_) \
	.dev = "namespace" #r "." #i, .region = "region" #r, .region_id = r, .id = i, \
	.numa_node = 0, .target_node = -1, .start_pad = PK_UNKNOWN, .name = name_

static const struct pk_namespace test_ns[] = {
	{
		BASE(0, 0, ""), .mode = PK_MODE_FSDAX, .map = PK_MAP_DEV, .active = true,
		.size = 252 * MIB, .uuid = "11111111-2222-3333-4444-555555555555",
		.raw_uuid = "aaaaaaaa-0000-0000-0000-000000000000",
		.sector_size = 512, .align = 2 * MIB, .blockdev = "pmem0",
		.ns_start = NS0_0, .ns_size = 256 * MIB,
		.data_start = NS0_0 + 4 * MIB, .data_size = 252 * MIB,
	},
	{
		BASE(0, 1, "dax"), .mode = PK_MODE_DEVDAX, .map = PK_MAP_DEV, .active = true,
		.size = 252 * MIB, .uuid = "22222222-2222-3333-4444-555555555555",
		.align = 2 * MIB, .chardev = "dax0.1",
		.daxregion = { .present = true, .id = 0, .size = 252 * MIB, .align = 2 * MIB,
			       .nr_devs = 1,
			       .devs = { { "dax0.1", 252 * MIB, 0, 2 * MIB, "devdax" } } },
		.ns_start = NS0_1, .ns_size = 256 * MIB,
		.data_start = NS0_1 + 4 * MIB, .data_size = 252 * MIB,
	},
	{
		BASE(0, 2, ""), .mode = PK_MODE_FSDAX, .map = PK_MAP_MEM, .active = true,
		.size = 126 * MIB, .uuid = "33333333-2222-3333-4444-555555555555",
		.sector_size = 512, .align = 2 * MIB, .blockdev = "pmem0.2",
		.ns_start = NS0_2, .ns_size = 128 * MIB,
		.data_start = NS0_2 + 2 * MIB, .data_size = 126 * MIB,
	},
	{
		BASE(0, 3, ""), .mode = PK_MODE_RAW, .active = false, .size = 0,
		.uuid = "00000000-0000-0000-0000-000000000000", .sector_size = 512,
		.ns_start = PK_UNKNOWN, .ns_size = 0,
		.data_start = PK_UNKNOWN, .data_size = PK_UNKNOWN,
	},
	{
		BASE(1, 0, ""), .mode = PK_MODE_RAW, .active = true, .size = 128 * MIB,
		.uuid = "44444444-2222-3333-4444-555555555555", .sector_size = 512,
		.blockdev = "pmem1", .ns_start = NS1_0, .ns_size = 128 * MIB,
		.data_start = PK_UNKNOWN, .data_size = PK_UNKNOWN,
	},
	{
		BASE(1, 1, ""), .mode = PK_MODE_SECTOR, .active = true, .size = 127 * MIB,
		.uuid = "55555555-2222-3333-4444-555555555555", .sector_size = 4096,
		.blockdev = "pmem1.1s", .ns_start = NS1_1, .ns_size = 128 * MIB,
		.data_start = PK_UNKNOWN, .data_size = PK_UNKNOWN,
	},
	{
		BASE(1, 2, ""), .mode = PK_MODE_FSDAX, .map = PK_MAP_DEV, .active = false,
		.uuid = "66666666-2222-3333-4444-555555555555", .sector_size = 512,
		.align = 2 * MIB, .size = PK_UNKNOWN,
		.ns_start = NS1_2, .ns_size = 128 * MIB,
		.data_start = PK_UNKNOWN, .data_size = PK_UNKNOWN,
	},
	{
		BASE(1, 3, ""), .mode = PK_MODE_RAW, .active = false, .size = 0,
		.uuid = "00000000-0000-0000-0000-000000000000", .sector_size = 512,
		.ns_start = PK_UNKNOWN, .ns_size = 0,
		.data_start = PK_UNKNOWN, .data_size = PK_UNKNOWN,
	},
};

#define NR_TEST_NS (sizeof(test_ns) / sizeof(test_ns[0]))

/* The kernel series' list: both map=dev memmaps, in probe order. */
static struct pk_range test_list[] = {
	{ NS0_0 + 0x2000, NS0_0 + 4 * MIB },
	{ NS0_1 + 0x2000, NS0_1 + 4 * MIB },
};

#endif
