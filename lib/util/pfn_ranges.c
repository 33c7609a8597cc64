// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "util/pfn_ranges.h"
#include "util/log.h"

void pfn_ranges_free(struct pfn_ranges *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

static int cmp_start(const void *a, const void *b)
{
	const struct pfn_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int append(struct pfn_ranges *s, uint64_t start, uint64_t end)
{
	if (s->nr == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 8;
		struct pfn_range *grown = realloc(s->r, cap * sizeof(*grown));

		if (!grown)
			return -PMD_ENOMEM;
		s->r = grown;
		s->cap = cap;
	}
	s->r[s->nr++] = (struct pfn_range){ start, end };
	return 0;
}

int pfn_ranges_add(struct pfn_ranges *s, uint64_t start, uint64_t end)
{
	unsigned int i, n = 0;

	if (start >= end)
		return 0;
	/* Ranges mostly come in ascending order: extend or append the last. */
	if (s->nr && start >= s->r[s->nr - 1].start) {
		struct pfn_range *last = &s->r[s->nr - 1];

		if (start > last->end)
			return append(s, start, end);
		if (end > last->end)
			last->end = end;
		return 0;
	}
	if (append(s, start, end) < 0)
		return -1;
	qsort(s->r, s->nr, sizeof(*s->r), cmp_start);
	for (i = 0; i < s->nr; i++) {
		if (n && s->r[i].start <= s->r[n - 1].end) {
			if (s->r[i].end > s->r[n - 1].end)
				s->r[n - 1].end = s->r[i].end;
			continue;
		}
		s->r[n++] = s->r[i];
	}
	s->nr = n;
	return 0;
}

int pfn_ranges_add_all(struct pfn_ranges *s, const struct pfn_ranges *from)
{
	for (unsigned int i = 0; i < from->nr; i++)
		if (pfn_ranges_add(s, from->r[i].start, from->r[i].end) < 0)
			return -1;
	return 0;
}

int pfn_ranges_subtract(struct pfn_ranges *out, const struct pfn_ranges *a,
			const struct pfn_ranges *b)
{
	unsigned int i, j = 0;

	out->nr = 0;
	for (i = 0; i < a->nr; i++) {
		uint64_t pos = a->r[i].start, end = a->r[i].end;

		while (j < b->nr && b->r[j].end <= pos)
			j++;
		for (unsigned int k = j; k < b->nr && b->r[k].start < end; k++) {
			if (b->r[k].start > pos && append(out, pos, b->r[k].start) < 0)
				return -1;
			if (b->r[k].end > pos)
				pos = b->r[k].end;
		}
		if (pos < end && append(out, pos, end) < 0)
			return -1;
	}
	return 0;
}

int pfn_ranges_intersect(struct pfn_ranges *out, const struct pfn_ranges *a,
			 const struct pfn_ranges *b)
{
	unsigned int i = 0, j = 0;

	out->nr = 0;
	while (i < a->nr && j < b->nr) {
		uint64_t lo = a->r[i].start > b->r[j].start ? a->r[i].start : b->r[j].start;
		uint64_t hi = a->r[i].end < b->r[j].end ? a->r[i].end : b->r[j].end;

		if (lo < hi && append(out, lo, hi) < 0)
			return -1;
		if (a->r[i].end < b->r[j].end)
			i++;
		else
			j++;
	}
	return 0;
}

uint64_t pfn_ranges_pages(const struct pfn_ranges *s)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < s->nr; i++)
		n += s->r[i].end - s->r[i].start;
	return n;
}

bool pfn_ranges_contains(const struct pfn_ranges *s, uint64_t pfn)
{
	unsigned int lo = 0, hi = s->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (s->r[mid].end <= pfn)
			lo = mid + 1;
		else if (s->r[mid].start > pfn)
			hi = mid;
		else
			return true;
	}
	return false;
}
