// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page classification. The categories and their order of precedence are
 * makedumpfile 1.7.2's, so both tools count the same pages the same way:
 * free (buddy) > page cache > private page cache > user data > hwpoison >
 * offline. Compound heads and buddy blocks exclude the whole block.
 */
#include <stdlib.h>
#include <string.h>

#include "util/bitmap.h"
#include "dump/classify.h"
#include "kernel/sparsemem.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"
#include "util/unaligned.h"

/* Struct pages are fetched in aligned batches of this many. */
#define BATCH_PAGES 512
#define PAGE_MAPPING_ANON 0x1UL

struct page_view {
	uint64_t flags;
	uint64_t mapping;
	uint64_t private;
	uint64_t compound_head;
	uint32_t mapcount;
	unsigned int order;
	unsigned int dtor;
};

int classifier_init(struct classifier *c, const struct kernel_info *ki,
		    struct x86_64_xlat *xlat, const struct memmap *mm,
		    const struct physmem *pm, unsigned int dump_level)
{
	memset(c, 0, sizeof(*c));
	c->ki = ki;
	c->xlat = xlat;
	c->mm = mm;
	c->pm = pm;
	c->dump_level = dump_level;
	c->buddy = ki->off_page_private != VMCI_ABSENT &&
		   ki->off_page_mapcount != VMCI_ABSENT &&
		   ki->page_buddy_mapcount != VMCI_ABSENT;

	if ((dump_level & DL_EXCLUDE_FREE) && !c->buddy) {
		return log_fail(c->pm->log, PMD_ECORRUPT, "cannot exclude free pages: VMCOREINFO lacks NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) or the struct page offsets it needs");
	}
	/*
	 * makedumpfile skips the struct page scan when no rule can match;
	 * hwpoison pages are dropped at any level if the kernel exports the bit.
	 */
	c->scan_struct_pages = (dump_level & (DL_EXCLUDE_CACHE | DL_EXCLUDE_CACHE_PRI |
					      DL_EXCLUDE_USER_DATA | DL_EXCLUDE_FREE)) ||
			       ki->pg_hwpoison != VMCI_ABSENT;
	c->pages = malloc((size_t)ki->size_page * (BATCH_PAGES + 1));
	if (!c->pages) {
		return log_fail(c->pm->log, PMD_ENOMEM, "out of memory for the struct page buffer");
	}
	return 0;
}

void classifier_free(struct classifier *c)
{
	free(c->pages);
	c->pages = NULL;
}

void classifier_get_carry(const struct classifier *c, struct classifier_carry *carry)
{
	carry->pending_end = c->pending_end;
	carry->pending_field = c->pending_field;
}

void classifier_set_carry(struct classifier *c, const struct classifier_carry *carry)
{
	c->pending_end = carry->pending_end;
	c->pending_field = carry->pending_field;
}

static bool flag(uint64_t flags, long long bit)
{
	return bit >= 0 && bit < 64 && ((flags >> bit) & 1);
}

/*
 * Load the struct pages of an aligned batch around @pfn, never past the
 * end of its section: the next section's mem_map is elsewhere.
 */
static int load_batch(struct classifier *c, uint64_t pfn)
{
	uint64_t start = pfn & ~(uint64_t)(BATCH_PAGES - 1);
	uint64_t sec_end = ((pfn >> c->mm->pfn_section_shift) + 1) << c->mm->pfn_section_shift;
	uint64_t end = start + BATCH_PAGES;

	if (end > sec_end)
		end = sec_end;
	if (x86_64_read(c->xlat, memmap_page(c->mm, start), c->pages,
			(end - start) * c->ki->size_page) < 0) {
		return log_fail(c->pm->log, PMD_EIO, "cannot read the struct pages of pfn %#llx-%#llx",
		       (unsigned long long)start, (unsigned long long)end);
	}
	c->batch_start = start;
	c->batch_end = end;
	return 0;
}

static void read_view(const struct classifier *c, uint64_t pfn, struct page_view *v)
{
	const struct kernel_info *ki = c->ki;
	uint64_t idx = pfn - c->batch_start;
	const uint8_t *p = c->pages + idx * ki->size_page;

	memset(v, 0, sizeof(*v));
	v->flags = load_u64(p, ki->off_page_flags);
	v->mapping = load_u64(p, ki->off_page_mapping);
	if (ki->off_page_private != VMCI_ABSENT)
		v->private = load_u64(p, ki->off_page_private);
	if (ki->off_page_mapcount != VMCI_ABSENT)
		v->mapcount = load_u32(p, ki->off_page_mapcount);
	if (ki->off_page_compound_head != VMCI_ABSENT)
		v->compound_head = load_u64(p, ki->off_page_compound_head);

	/*
	 * Order and destructor of a compound page live in its first tail
	 * page. Like makedumpfile, only look there when that tail is in the
	 * same aligned batch: a real compound head is aligned to its order,
	 * so it is never the last page of a batch.
	 */
	if (!(v->flags & (uint64_t)ki->pg_head_mask) || idx + 1 >= c->batch_end - c->batch_start ||
	    (pfn & (BATCH_PAGES - 1)) == BATCH_PAGES - 1)
		return;
	if (ki->off_page_compound_order != VMCI_ABSENT)
		v->order = p[ki->size_page + ki->off_page_compound_order];
	if (ki->off_page_compound_dtor != VMCI_ABSENT)
		v->dtor = p[ki->size_page + ki->off_page_compound_dtor];
	if (v->order >= 64 || (pfn & ((1ULL << v->order) - 1)))
		v->order = 0;
}

static bool is_cache_page(const struct kernel_info *ki, uint64_t flags)
{
	if (flag(flags, ki->pg_lru))
		return true;
	/* PG_swapcache is only meaningful on swap-backed pages. */
	return (ki->pg_swapbacked == VMCI_ABSENT || flag(flags, ki->pg_swapbacked)) &&
	       flag(flags, ki->pg_swapcache);
}

/*
 * The counter a page belongs to, or NULL to keep it; *nr_pages is the
 * size of the block it heads.
 */
static uint64_t *categorise(const struct classifier *c, const struct page_view *v,
			    uint64_t pfn, struct page_counts *cnt, uint64_t *nr_pages)
{
	const struct kernel_info *ki = c->ki;
	unsigned int dl = c->dump_level;
	bool anon = v->mapping & PAGE_MAPPING_ANON;
	bool slab = flag(v->flags, ki->pg_slab);

	*nr_pages = 1ULL << v->order;
	if (v->compound_head & 1)
		return NULL;	/* tail: its head decided for the whole block */

	if ((dl & DL_EXCLUDE_FREE) && c->buddy && !slab &&
	    (int32_t)v->mapcount == (int32_t)ki->page_buddy_mapcount) {
		/* An order past 63 cannot be shifted, whatever VMCOREINFO says. */
		if (v->private >= 64 ||
		    (ki->max_order != VMCI_ABSENT && v->private >= (uint64_t)ki->max_order)) {
			log_warn(c->pm->log, "invalid free page order %llu at pfn %#llx, page kept\n",
				(unsigned long long)v->private, (unsigned long long)pfn);
			return NULL;
		}
		*nr_pages = 1ULL << v->private;
		return &cnt->free;
	}
	if ((dl & DL_EXCLUDE_CACHE) && is_cache_page(ki, v->flags) &&
	    !flag(v->flags, ki->pg_private) && !anon)
		return &cnt->cache;
	if ((dl & DL_EXCLUDE_CACHE_PRI) && is_cache_page(ki, v->flags) && !anon)
		return flag(v->flags, ki->pg_private) ? &cnt->cache_private : &cnt->cache;
	if ((dl & DL_EXCLUDE_USER_DATA) &&
	    (anon || (ki->hugetlb_page_dtor != VMCI_ABSENT &&
		      v->dtor == (unsigned int)ki->hugetlb_page_dtor)))
		return &cnt->user;
	if (ki->pg_hwpoison != VMCI_ABSENT && flag(v->flags, ki->pg_hwpoison))
		return &cnt->hwpoison;
	if (ki->page_offline_mapcount != VMCI_ABSENT && !slab &&
	    (int32_t)v->mapcount == (int32_t)ki->page_offline_mapcount)
		return &cnt->offline;
	return NULL;
}

/*
 * Drop [pfn, pfn + n). Every pfn of the block inside the window counts,
 * as makedumpfile counts it; the rest waits for the next window.
 */
static uint64_t exclude_block(struct classifier *c, struct bitmap *bm,
			      struct page_counts *cnt, uint64_t pfn, uint64_t n,
			      uint64_t *counter)
{
	uint64_t end = pfn + n;
	uint64_t stop = end < bm->end ? end : bm->end;

	for (; pfn < stop; pfn++) {
		bitmap_clear(bm, pfn);
		(*counter)++;
	}
	if (end > bm->end) {
		c->pending_end = end;
		c->pending_field = (size_t)((char *)counter - (char *)cnt);
	}
	return end;
}

int classify_window(struct classifier *c, struct bitmap *bm, struct page_counts *cnt)
{
	uint64_t pfn = bm->start;

	if (!c->scan_struct_pages)
		return 0;

	if (c->pending_end > pfn) {
		uint64_t end = c->pending_end;
		uint64_t *counter = (uint64_t *)((char *)cnt + c->pending_field);

		c->pending_end = 0;
		pfn = exclude_block(c, bm, cnt, pfn, end - pfn, counter);
	}
	c->batch_end = c->batch_start = 0;

	for (pfn = bitmap_next_set(bm, pfn); pfn < bm->end;
	     pfn = bitmap_next_set(bm, pfn)) {
		struct page_view v;
		uint64_t nr_pages, *counter;

		if (!memmap_page(c->mm, pfn)) {
			/* No mem_map for this section: skip to the next one. */
			pfn = ((pfn >> c->mm->pfn_section_shift) + 1) << c->mm->pfn_section_shift;
			continue;
		}
		if (pfn < c->batch_start || pfn >= c->batch_end) {
			if (load_batch(c, pfn) < 0)
				return -1;
		}
		read_view(c, pfn, &v);
		counter = categorise(c, &v, pfn, cnt, &nr_pages);
		if (!counter) {
			pfn++;
			continue;
		}
		pfn = exclude_block(c, bm, cnt, pfn, nr_pages, counter);
	}
	return 0;
}

/*
 * Pages may be unaligned: a raw page inside a kdump-compressed input sits
 * at any file offset. memcpy loads compile to plain unaligned loads.
 */
bool page_is_zero(const void *page, size_t size)
{
	const uint8_t *p = page;
	uint64_t w[4];
	size_t i;

	for (i = 0; i + sizeof(w) <= size; i += sizeof(w)) {
		memcpy(w, p + i, sizeof(w));
		if (w[0] | w[1] | w[2] | w[3])
			return false;
	}
	for (; i < size; i++)
		if (p[i])
			return false;
	return true;
}

/* Zero-page scan reads runs of kept pages this long at once. */
#define ZERO_SCAN_PAGES 256

static void scan_run(struct bitmap *bm, const uint8_t *pages, uint64_t pfn, uint64_t n,
		     size_t ps, struct page_counts *cnt)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		if (page_is_zero(pages + i * ps, ps)) {
			bitmap_clear(bm, pfn + i);
			cnt->zero++;
		}
	}
}

int exclude_zero_pages(struct classifier *c, struct bitmap *bm, struct page_counts *cnt)
{
	size_t ps = c->ki->page_size;
	uint8_t *buf = malloc(ps * ZERO_SCAN_PAGES);
	uint64_t pfn, end;
	int ret = -1;

	if (!buf) {
		return log_fail(c->pm->log, PMD_ENOMEM, "out of memory");
	}
	for (pfn = bitmap_next_set(bm, bm->start); pfn < bm->end;
	     pfn = bitmap_next_set(bm, end)) {
		const void *pages;

		end = bitmap_next_clear_before(bm, pfn, pfn + ZERO_SCAN_PAGES);
		if (physmem_known_zero(c->pm, pfn * ps, (end - pfn) * ps)) {
			for (; pfn < end; pfn++) {
				bitmap_clear(bm, pfn);
				cnt->zero++;
			}
			continue;
		}
		pages = physmem_peek(c->pm, pfn * ps, (end - pfn) * ps);
		if (!pages) {
			if (physmem_read(c->pm, pfn * ps, buf, (end - pfn) * ps) < 0)
				goto out;
			pages = buf;
		}
		scan_run(bm, pages, pfn, end - pfn, ps, cnt);
	}
	ret = 0;
out:
	free(buf);
	return ret;
}
