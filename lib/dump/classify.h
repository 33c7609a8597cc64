/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_CLASSIFY_H
#define PMD_DUMP_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/dumplevel.h"
#include "kernel/physmem.h"


/* Pages excluded, by the category the report names. */
struct page_counts {
	uint64_t zero;
	uint64_t cache;
	uint64_t cache_private;
	uint64_t user;
	uint64_t free;
	uint64_t hwpoison;
	uint64_t offline;
};

static inline uint64_t page_counts_total(const struct page_counts *c)
{
	return c->zero + c->cache + c->cache_private + c->user + c->free +
	       c->hwpoison + c->offline;
}

struct bitmap;
struct kernel_info;
struct memmap;
struct x86_64_xlat;

/*
 * Decides, from each page's struct page, which pages a dump level drops,
 * with the rules makedumpfile 1.7.2 applies to Linux 6.1. Works on one
 * window of pfns at a time so memory stays bounded.
 */
struct classifier {
	const struct kernel_info *ki;
	struct x86_64_xlat *xlat;
	const struct memmap *mm;
	const struct physmem *pm;
	unsigned int dump_level;
	bool scan_struct_pages;	/* any rule needs the struct pages */
	bool buddy;		/* free pages recognisable from struct page */

	uint8_t *pages;		/* a batch of struct pages */
	uint64_t batch_start;
	uint64_t batch_end;

	/* A compound or buddy block that ran past the previous window. */
	uint64_t pending_end;
	size_t pending_field;	/* offset of its counter in struct page_counts */
};

int classifier_init(struct classifier *c, const struct kernel_info *ki,
		    struct x86_64_xlat *xlat, const struct memmap *mm,
		    const struct physmem *pm, unsigned int dump_level);
void classifier_free(struct classifier *c);
/*
 * A block that runs past a window's end is carried into the next window.
 * Saving the carry at each window's start lets a window be classified
 * again later, alone, with the same result.
 */
struct classifier_carry {
	uint64_t pending_end;
	size_t pending_field;
};

void classifier_get_carry(const struct classifier *c, struct classifier_carry *carry);
void classifier_set_carry(struct classifier *c, const struct classifier_carry *carry);

/*
 * Clear the bits of excluded pages in @bm (whose set bits are the pages
 * present in the input) and count them in @cnt.
 */
int classify_window(struct classifier *c, struct bitmap *bm, struct page_counts *cnt);

/* Clear and count pages still in @bm whose bytes are all zero. */
int exclude_zero_pages(struct classifier *c, struct bitmap *bm, struct page_counts *cnt);

bool page_is_zero(const void *page, size_t size);

#endif
