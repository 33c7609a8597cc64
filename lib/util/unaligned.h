/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_UNALIGNED_H
#define PMD_UTIL_UNALIGNED_H

#include <stdint.h>
#include <string.h>

/*
 * Fields of a dumped kernel's structures, at offsets VMCOREINFO gives:
 * nothing promises their alignment in our buffers, so they are copied.
 */
static inline uint64_t load_u64(const uint8_t *p, long long off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static inline uint32_t load_u32(const uint8_t *p, long long off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

#endif
