/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_PFN_RANGES_H
#define PMD_UTIL_PFN_RANGES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Sets of page frames as sorted, disjoint, half-open ranges. Whole
 * regions of pmem are handled with these, never pfn by pfn, so their cost
 * grows with the number of ranges and not with their size.
 */
struct pfn_range {
	uint64_t start;
	uint64_t end;
};

struct pfn_ranges {
	struct pfn_range *r;
	unsigned int nr;
	unsigned int cap;
};

void pfn_ranges_free(struct pfn_ranges *s);
/* Add [start, end); the set is sorted and merged again. */
int pfn_ranges_add(struct pfn_ranges *s, uint64_t start, uint64_t end);
/* Add every range of @from (a union). */
int pfn_ranges_add_all(struct pfn_ranges *s, const struct pfn_ranges *from);
/* @out = @a minus @b. */
int pfn_ranges_subtract(struct pfn_ranges *out, const struct pfn_ranges *a,
			const struct pfn_ranges *b);
/* @out = @a intersected with @b. */
int pfn_ranges_intersect(struct pfn_ranges *out, const struct pfn_ranges *a,
			 const struct pfn_ranges *b);
uint64_t pfn_ranges_pages(const struct pfn_ranges *s);
bool pfn_ranges_contains(const struct pfn_ranges *s, uint64_t pfn);

/*
 * Walks a set in ascending pfn order: answers "is @pfn in the set" in
 * amortised constant time for non-decreasing @pfn.
 */
struct pfn_ranges_cursor {
	const struct pfn_ranges *s;
	unsigned int i;
};

static inline void pfn_ranges_cursor_init(struct pfn_ranges_cursor *c,
					  const struct pfn_ranges *s)
{
	c->s = s;
	c->i = 0;
}

static inline bool pfn_ranges_cursor_has(struct pfn_ranges_cursor *c, uint64_t pfn)
{
	while (c->s && c->i < c->s->nr && c->s->r[c->i].end <= pfn)
		c->i++;
	return c->s && c->i < c->s->nr && c->s->r[c->i].start <= pfn;
}

#endif
