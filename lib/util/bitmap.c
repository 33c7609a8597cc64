// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "util/bitmap.h"
#include "util/log.h"

int bitmap_alloc(struct bitmap *bm, uint64_t capacity)
{
	memset(bm, 0, sizeof(*bm));
	capacity = (capacity + 63) & ~63ULL;
	bm->words = calloc(capacity / 64 ? capacity / 64 : 1, sizeof(uint64_t));
	if (!bm->words)
		return -PMD_ENOMEM;
	bm->capacity = capacity;
	return 0;
}

void bitmap_free(struct bitmap *bm)
{
	free(bm->words);
	memset(bm, 0, sizeof(*bm));
}

void bitmap_reset(struct bitmap *bm, uint64_t start, uint64_t end)
{
	bm->start = start;
	bm->end = end;
	memset(bm->words, 0, ((end - start + 63) / 64) * sizeof(uint64_t));
}

void bitmap_set_range(struct bitmap *bm, uint64_t from, uint64_t to)
{
	if (from < bm->start)
		from = bm->start;
	if (to > bm->end)
		to = bm->end;
	while (from < to && ((from - bm->start) & 63))
		bitmap_set(bm, from++);
	while (from < to && to - from >= 64) {
		bm->words[(from - bm->start) >> 6] = ~0ULL;
		from += 64;
	}
	while (from < to)
		bitmap_set(bm, from++);
}

static void clip(const struct bitmap *bm, uint64_t *from, uint64_t *to)
{
	if (*from < bm->start)
		*from = bm->start;
	if (*to > bm->end)
		*to = bm->end;
}

void bitmap_clear_range(struct bitmap *bm, uint64_t from, uint64_t to)
{
	clip(bm, &from, &to);
	while (from < to && ((from - bm->start) & 63))
		bitmap_clear(bm, from++);
	while (from < to && to - from >= 64) {
		bm->words[(from - bm->start) >> 6] = 0;
		from += 64;
	}
	while (from < to)
		bitmap_clear(bm, from++);
}

void bitmap_copy_range(struct bitmap *dst, const struct bitmap *src, uint64_t from,
		       uint64_t to)
{
	clip(dst, &from, &to);
	while (from < to && ((from - dst->start) & 63)) {
		if (bitmap_test(src, from))
			bitmap_set(dst, from);
		else
			bitmap_clear(dst, from);
		from++;
	}
	while (from < to && to - from >= 64) {
		dst->words[(from - dst->start) >> 6] = src->words[(from - src->start) >> 6];
		from += 64;
	}
	for (; from < to; from++) {
		if (bitmap_test(src, from))
			bitmap_set(dst, from);
		else
			bitmap_clear(dst, from);
	}
}

uint64_t bitmap_count(const struct bitmap *bm, uint64_t from, uint64_t to)
{
	uint64_t n = 0;

	if (from < bm->start)
		from = bm->start;
	if (to > bm->end)
		to = bm->end;
	while (from < to && ((from - bm->start) & 63))
		n += bitmap_test(bm, from++);
	while (from < to && to - from >= 64) {
		n += (uint64_t)__builtin_popcountll(bm->words[(from - bm->start) >> 6]);
		from += 64;
	}
	while (from < to)
		n += bitmap_test(bm, from++);
	return n;
}

/* First bit equal to !flip's pattern in [pfn, limit), or limit. */
static uint64_t next_bit(const struct bitmap *bm, uint64_t pfn, uint64_t limit,
			 uint64_t flip)
{
	uint64_t i, w, n;

	if (limit > bm->end)
		limit = bm->end;
	if (pfn < bm->start)
		pfn = bm->start;
	if (pfn >= limit)
		return limit;
	n = limit - bm->start;
	i = pfn - bm->start;
	w = (bm->words[i >> 6] ^ flip) & (~0ULL << (i & 63));
	while (!w) {
		i = (i | 63) + 1;
		if (i >= n)
			return limit;
		w = bm->words[i >> 6] ^ flip;
	}
	i = (i & ~63ULL) + (uint64_t)__builtin_ctzll(w);
	return i >= n ? limit : bm->start + i;
}

uint64_t bitmap_next_set(const struct bitmap *bm, uint64_t pfn)
{
	return next_bit(bm, pfn, bm->end, 0);
}

uint64_t bitmap_next_clear(const struct bitmap *bm, uint64_t pfn)
{
	return next_bit(bm, pfn, bm->end, ~0ULL);
}

uint64_t bitmap_next_clear_before(const struct bitmap *bm, uint64_t pfn, uint64_t limit)
{
	return next_bit(bm, pfn, limit, ~0ULL);
}
