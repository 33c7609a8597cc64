/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_BITMAP_H
#define PMD_UTIL_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

/* One bit per page frame in [start, end): set means "dump this page". */
struct bitmap {
	uint64_t start;
	uint64_t end;
	uint64_t *words;
	uint64_t capacity;	/* in pfns, the buffer's size */
};

int bitmap_alloc(struct bitmap *bm, uint64_t capacity);
void bitmap_free(struct bitmap *bm);
/* Re-aim the buffer at a new window, all bits clear. */
void bitmap_reset(struct bitmap *bm, uint64_t start, uint64_t end);

static inline bool bitmap_test(const struct bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;

	return (bm->words[i >> 6] >> (i & 63)) & 1;
}

static inline void bitmap_set(struct bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;

	bm->words[i >> 6] |= 1ULL << (i & 63);
}

static inline void bitmap_clear(struct bitmap *bm, uint64_t pfn)
{
	uint64_t i = pfn - bm->start;

	bm->words[i >> 6] &= ~(1ULL << (i & 63));
}

/* Set bits for [from, to), clipped to the window. */
void bitmap_set_range(struct bitmap *bm, uint64_t from, uint64_t to);
/* Clear bits for [from, to), clipped to the window. */
void bitmap_clear_range(struct bitmap *bm, uint64_t from, uint64_t to);
/* Copy @src's bits for [from, to) into @dst; both cover the same window. */
void bitmap_copy_range(struct bitmap *dst, const struct bitmap *src, uint64_t from,
		       uint64_t to);
uint64_t bitmap_count(const struct bitmap *bm, uint64_t from, uint64_t to);
/* First set bit at or after @pfn, or bm->end. */
uint64_t bitmap_next_set(const struct bitmap *bm, uint64_t pfn);
/* First clear bit at or after @pfn, or bm->end. */
uint64_t bitmap_next_clear(const struct bitmap *bm, uint64_t pfn);
/* First clear bit in [@pfn, @limit), or @limit: a bounded search. */
uint64_t bitmap_next_clear_before(const struct bitmap *bm, uint64_t pfn, uint64_t limit);

#endif
