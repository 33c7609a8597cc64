// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical and virtual layout of the synthetic machine, and the placement
 * of page classes in its RAM.
 *
 * The physical map imitates what a 6.1 kernel on a PC sees:
 *   - e820 System RAM from 0x1000 to the EBDA, then from 1 MiB up;
 *   - a crashkernel= reservation inside low RAM;
 *   - at least one wholly absent memory section (a PCI-hole like gap) so
 *     mem_section has present and absent entries;
 *   - firmware-reserved RAM at the top of the last range, so the last
 *     present section is only partly RAM.
 * The vmcore's PT_LOADs follow kexec_file_load (arch/x86/kernel/crash.c):
 * the kernel text mapping first, then every System RAM range minus the low
 * 1 MiB and minus crashkernel.
 */
#include <stdlib.h>
#include <string.h>

#include "vmcore-gen.h"

struct kind_info {
	const char *name;
	enum page_class class;
	enum content content;
};

/* Content listed here is the default; zero-filled variants override it. */
static const struct kind_info kinds[NR_KINDS] = {
	[KIND_RESERVED]		= { "reserved", CLASS_KERNEL, CONTENT_ZERO },
	[KIND_KERNEL_TEXT]	= { "kernel_text", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_KERNEL_DATA]	= { "kernel_data", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_KERNEL_BSS]	= { "kernel_bss", CLASS_KERNEL, CONTENT_ZERO },
	[KIND_MEMBLOCK]		= { "memblock", CLASS_KERNEL, CONTENT_MEMORY },
	[KIND_VMEMMAP]		= { "vmemmap", CLASS_KERNEL, CONTENT_MEMMAP },
	[KIND_KERNEL_ALLOC]	= { "kernel_alloc", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_PCP_FREE]		= { "pcp_free", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_KERNEL_COMPOUND]	= { "kernel_compound", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_SLAB]		= { "slab_buddylike", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_SLAB_OFFLINE]	= { "slab_offlinelike", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_CACHE_ISOLATED]	= { "cache_isolated", CLASS_KERNEL, CONTENT_PATTERN },
	[KIND_CACHE]		= { "cache_lru", CLASS_CACHE, CONTENT_PATTERN },
	[KIND_CACHE_NOMAPPING]	= { "cache_nomapping", CLASS_CACHE, CONTENT_PATTERN },
	[KIND_SHMEM_SWAPCACHE]	= { "shmem_swapcache", CLASS_CACHE, CONTENT_PATTERN },
	[KIND_CACHE_FOLIO]	= { "cache_folio", CLASS_CACHE, CONTENT_PATTERN },
	[KIND_CACHE_PRIVATE]	= { "cache_private", CLASS_CACHE_PRIVATE, CONTENT_PATTERN },
	[KIND_ANON]		= { "anon", CLASS_USER, CONTENT_PATTERN },
	[KIND_KSM]		= { "ksm", CLASS_USER, CONTENT_PATTERN },
	[KIND_ANON_SWAPCACHE]	= { "anon_swapcache", CLASS_USER, CONTENT_PATTERN },
	[KIND_THP_ANON]		= { "thp_anon", CLASS_USER, CONTENT_PATTERN },
	[KIND_HUGETLB_FILE]	= { "hugetlb_file", CLASS_USER, CONTENT_PATTERN },
	[KIND_HUGETLB_ANON]	= { "hugetlb_anon", CLASS_USER, CONTENT_PATTERN },
	[KIND_FREE]		= { "free", CLASS_FREE, CONTENT_PATTERN },
	[KIND_HWPOISON]		= { "hwpoison", CLASS_HWPOISON, CONTENT_PATTERN },
	[KIND_OFFLINE]		= { "offline", CLASS_OFFLINE, CONTENT_PATTERN },
	[KIND_DEV_MEMMAP]	= { "pmem_memmap", CLASS_KERNEL, CONTENT_MEMMAP },
};

enum page_class kind_class(enum page_kind kind)
{
	return kinds[kind].class;
}

const char *kind_name(enum page_kind kind)
{
	return kinds[kind].name;
}

/* Kernel image: 12 MiB from _text to _end, 2 MiB aligned like the real one. */
#define KIMG_SIZE	(12 * SZ_1M)
#define KIMG_DATA	(6 * SZ_1M)
#define KIMG_BSS	(8 * SZ_1M)

static void add_range(struct range *r, int *nr, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	if (*nr >= MAX_RANGES)
		die("too many physical ranges");
	r[*nr].start = start;
	r[*nr].end = end;
	(*nr)++;
}

/*
 * Small machine: RAM in section 0, section 1 absent, the rest from 256 MiB.
 * Large machine: a PC with a 3-4 GiB PCI hole, RAM from 4 GiB up to the
 * requested size (rounded down to a GiB), and one more GiB placed beyond a
 * whole absent mem_section root (32 GiB of sections), so that the root
 * pointer array has a NULL entry between present ones.
 */
static void layout_ram(struct gen_ctx *ctx)
{
	uint64_t mem = ctx->opt.mem_mib * SZ_1M;

	add_range(ctx->ram, &ctx->nr_ram, 0x1000, 0x9f000);
	if (!ctx->opt.large_mib) {
		add_range(ctx->ram, &ctx->nr_ram, SZ_1M, 128 * SZ_1M);
		/* the top 2 MiB is firmware-reserved (e820 type 2) */
		add_range(ctx->ram, &ctx->nr_ram, 256 * SZ_1M,
			  256 * SZ_1M + (mem - 128 * SZ_1M) - SZ_2M);
		ctx->memblock_range = ctx->nr_ram - 1;
		ctx->crashk_start = 80 * SZ_1M;
		ctx->crashk_end = 96 * SZ_1M;
	} else {
		uint64_t large = ctx->opt.large_mib * SZ_1M;
		uint64_t far_size = SZ_1G;
		/* ends on a GiB: memblock data then sits in a 1 GiB page */
		uint64_t high_end = ALIGN_DOWN(large, SZ_1G);
		uint64_t root_span = (uint64_t)SECTIONS_PER_ROOT << SECTION_SIZE_BITS;
		uint64_t far = ALIGN_UP(high_end, root_span) + root_span;

		add_range(ctx->ram, &ctx->nr_ram, SZ_1M, 3 * SZ_1G);
		add_range(ctx->ram, &ctx->nr_ram, 4 * SZ_1G, high_end);
		ctx->memblock_range = ctx->nr_ram - 1;
		add_range(ctx->ram, &ctx->nr_ram, far, far + far_size - SZ_2M);
		ctx->crashk_start = 512 * SZ_1M;
		ctx->crashk_end = 768 * SZ_1M;
	}
}

/* The vmcore holds RAM minus the low 1 MiB and minus crashkernel. */
static void layout_dump_ranges(struct gen_ctx *ctx)
{
	for (int i = 0; i < ctx->nr_ram; i++) {
		uint64_t s = ctx->ram[i].start, e = ctx->ram[i].end;

		if (s < SZ_1M)
			s = SZ_1M;
		if (s >= e)
			continue;
		if (ctx->crashk_start >= s && ctx->crashk_end <= e) {
			add_range(ctx->dump, &ctx->nr_dump, s, ctx->crashk_start);
			add_range(ctx->dump, &ctx->nr_dump, ctx->crashk_end, e);
		} else {
			add_range(ctx->dump, &ctx->nr_dump, s, e);
		}
	}
	ctx->max_pfn = PHYS_PFN(ctx->dump[ctx->nr_dump - 1].end);
}

/*
 * arch/x86/mm/kaslr.c: the direct map, vmalloc and vmemmap bases move in
 * 1 GiB steps inside [__PAGE_OFFSET_BASE, CPU_ENTRY_AREA_BASE), in that
 * order.  With ZONE_DEVICE the direct map keeps its full size.
 */
static void randomize_memory_regions(struct gen_ctx *ctx)
{
	uint64_t start = ctx->l5 ? PAGE_OFFSET_BASE_L5 : PAGE_OFFSET_BASE_L4;
	uint64_t size_tb[3], vaddr = start, remain;
	uint64_t *base[3] = { &ctx->page_offset_base, &ctx->vmalloc_base,
			      &ctx->vmemmap_base };

	size_tb[0] = 1ULL << (ctx->max_physmem_bits - 40);
	size_tb[1] = ctx->l5 ? VMALLOC_SIZE_TB_L5 : VMALLOC_SIZE_TB_L4;
	size_tb[2] = (size_tb[0] << (40 - PAGE_SHIFT)) * SIZEOF_PAGE;
	size_tb[2] = (size_tb[2] + (1ULL << 40) - 1) >> 40;

	remain = CPU_ENTRY_AREA_BASE - start;
	for (int i = 0; i < 3; i++)
		remain -= size_tb[i] << 40;

	for (int i = 0; i < 3; i++) {
		uint64_t entropy = remain / (3 - i);

		entropy = rng_below(ctx, entropy + 1) & ~(SZ_1G - 1);
		vaddr += entropy;
		*base[i] = vaddr;
		vaddr += size_tb[i] << 40;
		vaddr = ALIGN_UP(vaddr + 1, SZ_1G);
		remain -= entropy;
	}
}

/* Is [start, start+size) inside one dumped RAM range? */
static bool inside_dump(const struct gen_ctx *ctx, uint64_t start, uint64_t size)
{
	for (int i = 0; i < ctx->nr_dump; i++)
		if (start >= ctx->dump[i].start &&
		    start + size <= ctx->dump[i].end)
			return true;
	return false;
}

/*
 * arch/x86/boot/compressed/kaslr.c picks the virtual offset (2 MiB steps
 * inside the 1 GiB kernel image area) and the physical load address
 * independently.  phys_base then is what __pa_symbol() needs:
 * phys = virt - __START_KERNEL_map + phys_base.
 */
static void place_kernel_image(struct gen_ctx *ctx)
{
	struct kimage *k = &ctx->kimg;
	uint64_t phys = LOAD_PHYSICAL_ADDR;

	k->size = KIMG_SIZE;
	k->data_off = KIMG_DATA;
	k->bss_off = KIMG_BSS;
	ctx->kaslr_offset = 0;

	if (ctx->opt.kaslr_seed) {
		uint64_t slots = (KERNEL_IMAGE_SIZE - LOAD_PHYSICAL_ADDR -
				  KIMG_SIZE) / SZ_2M;
		uint64_t lo = LOAD_PHYSICAL_ADDR;
		uint64_t hi = ctx->crashk_start - KIMG_SIZE;

		ctx->kaslr_offset = rng_below(ctx, slots + 1) * SZ_2M;
		phys = lo + rng_below(ctx, (hi - lo) / SZ_2M + 1) * SZ_2M;
	}
	if (!inside_dump(ctx, phys, KIMG_SIZE))
		die("kernel image at %#llx does not fit in RAM",
		    (unsigned long long)phys);

	k->phys = phys;
	k->text_virt = START_KERNEL + ctx->kaslr_offset;
	ctx->phys_base = phys - (k->text_virt - START_KERNEL_MAP);

	/* head_64.S page tables and a few variables live in .data/.bss */
	k->init_top_pgt = k->data_off + 0x0000;
	k->level4_kernel_pgt = k->data_off + 0x1000;
	k->level3_kernel_pgt = k->data_off + 0x2000;
	k->level2_kernel_pgt = k->data_off + 0x3000;
	k->level2_fixmap_pgt = k->data_off + 0x4000;
	k->level1_fixmap_pgt = k->data_off + 0x5000;
	k->init_uts_ns = k->data_off + 0x6000;
	k->node_online_map = k->data_off + 0x7000;
	k->vmap_area_list = k->data_off + 0x7080;
	k->node_data = k->data_off + 0x8000;	/* 1024 pointers: 2 pages */
	k->mem_section_var = k->bss_off + 0x40;
}

static bool section_has_ram(const struct gen_ctx *ctx, uint64_t sec)
{
	uint64_t s = sec << SECTION_SIZE_BITS, e = s + (1ULL << SECTION_SIZE_BITS);

	for (int i = 0; i < ctx->nr_ram; i++)
		if (ctx->ram[i].start < e && ctx->ram[i].end > s)
			return true;
	return false;
}

/*
 * Top-down first fit, like memblock: the highest free gap that holds the
 * aligned block.  A 2 MiB aligned block leaves a gap above it that later
 * small allocations fill (on an odd-sized top of RAM that gap is mapped
 * with 4 KiB pages).
 */
uint64_t memblock_alloc(struct gen_ctx *ctx, uint64_t size, uint64_t align)
{
	const struct range *r = &ctx->ram[ctx->memblock_range];

	for (int i = ctx->nr_mb_free - 1; i >= 0; i--) {
		struct range gap = ctx->mb_free[i];
		uint64_t addr;

		if (gap.end - gap.start < size)
			continue;
		addr = ALIGN_DOWN(gap.end - size, align);
		if (addr < gap.start)
			continue;
		if (addr < r->start + 64 * SZ_1M)
			break;
		/* keep the gaps sorted by address: split gap i in place */
		ctx->mb_free[i].end = addr;
		if (addr + size < gap.end) {
			if (ctx->nr_mb_free == MAX_RANGES)
				die("memblock: too fragmented");
			memmove(&ctx->mb_free[i + 2], &ctx->mb_free[i + 1],
				(ctx->nr_mb_free - i - 1) * sizeof(struct range));
			ctx->mb_free[i + 1].start = addr + size;
			ctx->mb_free[i + 1].end = gap.end;
			ctx->nr_mb_free++;
		}
		if (addr < ctx->memblock_floor)
			ctx->memblock_floor = addr;
		return addr;
	}
	die("memblock: out of early memory (%llu bytes)",
	    (unsigned long long)size);
}

/*
 * sparse_init(): one memmap buffer per node, 2 MiB (PMD) per present
 * section, taken top-down from memblock.  Each section's struct pages are
 * then mapped at vmemmap_base + pfn * sizeof(struct page) with 2 MiB pages.
 */
static void allocate_memmap(struct gen_ctx *ctx)
{
	uint64_t top_pfn = PHYS_PFN(ctx->ram[ctx->nr_ram - 1].end);
	uint64_t idx = 0, section_bytes = PAGES_PER_SECTION * SIZEOF_PAGE;

	ctx->nr_sections = (top_pfn + PAGES_PER_SECTION - 1) / PAGES_PER_SECTION;
	ctx->section_memmap = xcalloc(ctx->nr_sections, sizeof(uint64_t));
	ctx->present_sections = xcalloc(ctx->nr_sections, sizeof(uint64_t));
	for (uint64_t s = 0; s < ctx->nr_sections; s++)
		if (section_has_ram(ctx, s))
			ctx->present_sections[ctx->nr_present++] = s;

	ctx->vmemmap_size = ctx->nr_present * section_bytes;
	ctx->vmemmap_phys = memblock_alloc(ctx, ctx->vmemmap_size, section_bytes);
	for (idx = 0; idx < ctx->nr_present; idx++)
		ctx->section_memmap[ctx->present_sections[idx]] =
			ctx->vmemmap_phys + idx * section_bytes;
}

void layout_machine(struct gen_ctx *ctx)
{
	ctx->l5 = ctx->opt.paging == 5;
	ctx->max_physmem_bits = ctx->l5 ? 52 : 46;
	ctx->nr_section_roots = (1ULL << (ctx->max_physmem_bits -
					  SECTION_SIZE_BITS)) / SECTIONS_PER_ROOT;
	ctx->rng = ctx->opt.kaslr_seed;

	layout_ram(ctx);
	layout_dump_ranges(ctx);

	if (ctx->opt.kaslr_seed) {
		randomize_memory_regions(ctx);
	} else {
		ctx->page_offset_base = ctx->l5 ? PAGE_OFFSET_BASE_L5 :
						  PAGE_OFFSET_BASE_L4;
		ctx->vmalloc_base = ctx->l5 ? VMALLOC_BASE_L5 : VMALLOC_BASE_L4;
		ctx->vmemmap_base = ctx->l5 ? VMEMMAP_BASE_L5 : VMEMMAP_BASE_L4;
	}
	place_kernel_image(ctx);

	ctx->mb_free[0] = ctx->ram[ctx->memblock_range];
	ctx->nr_mb_free = 1;
	ctx->memblock_floor = ctx->mb_free[0].end;
	allocate_memmap(ctx);
	pmem_layout(ctx);
}

/* ---- extents -------------------------------------------------------- */

static struct extent *add_extent(struct gen_ctx *ctx, uint64_t pfn,
				 uint64_t npages, enum page_kind kind,
				 uint8_t order, bool zero)
{
	struct extent *e;

	if (ctx->nr_ext == ctx->cap_ext) {
		ctx->cap_ext = ctx->cap_ext ? ctx->cap_ext * 2 : 256;
		ctx->ext = xrealloc(ctx->ext, ctx->cap_ext * sizeof(*ctx->ext));
	}
	e = &ctx->ext[ctx->nr_ext++];
	memset(e, 0, sizeof(*e));
	e->pfn = pfn;
	e->npages = npages;
	e->kind = kind;
	e->order = order;
	e->content = zero ? CONTENT_ZERO : kinds[kind].content;
	return e;
}

static int cmp_extent(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

const struct extent *find_extent(const struct gen_ctx *ctx, uint64_t pfn)
{
	size_t lo = 0, hi = ctx->nr_ext;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct extent *e = &ctx->ext[mid];

		if (pfn < e->pfn)
			hi = mid;
		else if (pfn >= e->pfn + e->npages)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

bool pfn_is_dumped(const struct gen_ctx *ctx, uint64_t pfn)
{
	uint64_t pa = PFN_PHYS(pfn);

	for (int i = 0; i < ctx->nr_dump; i++)
		if (pa >= ctx->dump[i].start && pa < ctx->dump[i].end)
			return true;
	return false;
}

/* ---- free pfn ranges available to page classes --------------------- */

static void free_range_add(struct gen_ctx *ctx, uint64_t s, uint64_t e)
{
	if (e <= s)
		return;
	if (ctx->nr_free_ranges == ctx->cap_free_ranges) {
		ctx->cap_free_ranges = ctx->cap_free_ranges * 2 + 16;
		ctx->free_ranges = xrealloc(ctx->free_ranges,
				ctx->cap_free_ranges * sizeof(struct range));
	}
	ctx->free_ranges[ctx->nr_free_ranges].start = s;
	ctx->free_ranges[ctx->nr_free_ranges].end = e;
	ctx->nr_free_ranges++;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Remove pfns [s, e) from the free ranges (they are owned by the kernel). */
static void free_range_carve(struct gen_ctx *ctx, uint64_t s, uint64_t e)
{
	int n = ctx->nr_free_ranges;

	for (int i = 0; i < n; i++) {
		struct range r = ctx->free_ranges[i];

		if (r.end <= s || r.start >= e)
			continue;
		ctx->free_ranges[i].end = r.start;	/* emptied */
		if (r.start < s)
			free_range_add(ctx, r.start, s);
		if (r.end > e)
			free_range_add(ctx, e, r.end);
	}
	/* drop empty ranges, keep address order */
	int j = 0;

	for (int i = 0; i < ctx->nr_free_ranges; i++)
		if (ctx->free_ranges[i].end > ctx->free_ranges[i].start)
			ctx->free_ranges[j++] = ctx->free_ranges[i];
	ctx->nr_free_ranges = j;
	qsort(ctx->free_ranges, j, sizeof(struct range), cmp_range);
}

/*
 * First fit of @npages pages aligned to @align pages at or above @min_pfn
 * (falling back to anywhere).  Returns the pfn, or UINT64_MAX.
 */
static uint64_t free_range_take(struct gen_ctx *ctx, uint64_t npages,
				uint64_t align, uint64_t min_pfn)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < ctx->nr_free_ranges; i++) {
			struct range r = ctx->free_ranges[i];
			uint64_t s = r.start > min_pfn ? r.start : min_pfn;

			s = ALIGN_UP(s, align);
			if (s + npages > r.end)
				continue;
			free_range_carve(ctx, s, s + npages);
			return s;
		}
		min_pfn = 0;
	}
	return UINT64_MAX;
}

/* ---- placement ------------------------------------------------------ */

struct placement {
	enum page_kind kind;
	uint64_t units;		/* compound pages, or single pages */
	uint8_t order;
	bool zero;		/* zero-filled variant */
	uint64_t min_mib;	/* preferred lowest address */
	bool large_only;
};

#define PLACE(kind, units, order, zero, min_mib) \
	{ kind, units, order, zero, min_mib, false }
#define PLACE_LARGE(kind, units, order, zero, min_mib) \
	{ kind, units, order, zero, min_mib, true }

/*
 * Distinct counts per kind, so a swapped classification shows up in the
 * totals.  Order-9 and larger go first so alignment does not fragment.
 */
static const struct placement placements[] = {
	PLACE_LARGE(KIND_HUGETLB_FILE, 1, 18, true, 4096),	/* 1 GiB, zeroed */
	PLACE(KIND_FREE, 3, 10, false, 96),
	PLACE(KIND_CACHE_FOLIO, 1, 9, false, 0),
	PLACE(KIND_THP_ANON, 1, 9, false, 256),
	PLACE(KIND_HUGETLB_FILE, 1, 9, false, 256),
	PLACE(KIND_HUGETLB_ANON, 1, 9, false, 256),
	PLACE(KIND_KERNEL_COMPOUND, 4, 3, false, 0),
	PLACE(KIND_CACHE_FOLIO, 8, 2, false, 0),
	PLACE(KIND_FREE, 7, 3, false, 96),
	PLACE(KIND_FREE, 13, 0, false, 96),
	PLACE(KIND_KERNEL_ALLOC, 1500, 0, false, 0),
	PLACE(KIND_KERNEL_ALLOC, 77, 0, true, 0),
	PLACE(KIND_PCP_FREE, 17, 0, false, 0),
	PLACE(KIND_SLAB, 6, 0, false, 0),
	PLACE(KIND_SLAB_OFFLINE, 5, 0, false, 0),
	PLACE(KIND_CACHE_ISOLATED, 9, 0, false, 0),
	PLACE(KIND_CACHE, 1111, 0, false, 0),
	PLACE(KIND_CACHE, 101, 0, true, 0),
	PLACE(KIND_CACHE_NOMAPPING, 13, 0, false, 0),
	PLACE(KIND_SHMEM_SWAPCACHE, 37, 0, false, 0),
	PLACE(KIND_CACHE_PRIVATE, 555, 0, false, 0),
	PLACE(KIND_CACHE_PRIVATE, 21, 0, true, 0),
	PLACE(KIND_ANON, 2222, 0, false, 256),
	PLACE(KIND_ANON, 52, 0, true, 256),
	PLACE(KIND_KSM, 19, 0, false, 256),
	PLACE(KIND_ANON_SWAPCACHE, 23, 0, false, 256),
	PLACE(KIND_HWPOISON, 3, 0, false, 96),
	PLACE(KIND_OFFLINE, 66, 0, false, 96),
};

static void place_one(struct gen_ctx *ctx, const struct placement *p)
{
	uint64_t min_pfn = PHYS_PFN(p->min_mib * SZ_1M);
	uint64_t align = 1ULL << p->order;

	/* every buddy block is its own extent: it carries its list links */
	if (p->order || p->kind == KIND_FREE) {
		for (uint64_t u = 0; u < p->units; u++) {
			uint64_t pfn = free_range_take(ctx, align, align, min_pfn);

			if (pfn == UINT64_MAX)
				die("no room for %s order %u", kinds[p->kind].name,
				    p->order);
			add_extent(ctx, pfn, align, p->kind, p->order, p->zero);
		}
		return;
	}

	/* single pages: as one run if possible, else piecewise */
	uint64_t left = p->units;

	while (left) {
		uint64_t chunk = left, pfn;

		while ((pfn = free_range_take(ctx, chunk, 1, min_pfn)) == UINT64_MAX) {
			if (chunk == 1)
				die("no room for %s", kinds[p->kind].name);
			chunk = (chunk + 1) / 2;
		}
		add_extent(ctx, pfn, chunk, p->kind, 0, p->zero);
		left -= chunk;
	}
}

/*
 * Whatever RAM is left is free memory: split into the largest naturally
 * aligned buddy blocks, as __free_pages_memory() would, all zero-filled.
 * On a large machine their tail struct pages are left zeroed so the memmap
 * costs no disk; makedumpfile never tells such a tail from a real one (both
 * have no flags, no mapping and no page type).
 */
static void fill_free_memory(struct gen_ctx *ctx)
{
	bool lean = ctx->opt.large_mib != 0;

	for (int i = 0; i < ctx->nr_free_ranges; i++) {
		uint64_t pfn = ctx->free_ranges[i].start;
		uint64_t end = ctx->free_ranges[i].end;

		while (pfn < end) {
			int order = MAX_ORDER - 1;
			struct extent *e;

			while (order && ((pfn & ((1ULL << order) - 1)) ||
					 pfn + (1ULL << order) > end))
				order--;
			e = add_extent(ctx, pfn, 1ULL << order, KIND_FREE, order,
				       true);
			e->lean_tails = lean;
			pfn += 1ULL << order;
		}
	}
	ctx->nr_free_ranges = 0;
}

/* RAM that the kernel owns or that is not dumped gets kernel extents. */
static void add_kernel_extents(struct gen_ctx *ctx)
{
	const struct kimage *k = &ctx->kimg;
	uint64_t img = PHYS_PFN(k->phys);
	uint64_t vmm = PHYS_PFN(ctx->vmemmap_phys);
	uint64_t vmm_end = PHYS_PFN(ctx->vmemmap_phys + ctx->vmemmap_size);
	uint64_t top = PHYS_PFN(ctx->ram[ctx->memblock_range].end);

	add_extent(ctx, img, PHYS_PFN(k->data_off), KIND_KERNEL_TEXT, 0, false);
	add_extent(ctx, img + PHYS_PFN(k->data_off),
		   PHYS_PFN(k->bss_off - k->data_off), KIND_KERNEL_DATA, 0, false);
	add_extent(ctx, img + PHYS_PFN(k->bss_off),
		   PHYS_PFN(k->size - k->bss_off), KIND_KERNEL_BSS, 0, false);

	uint64_t mb = PHYS_PFN(ctx->memblock_floor);

	/* a map=mem pmem namespace's memmap sits right below the vmemmap */
	for (int i = 0; i < ctx->nr_ns; i++) {
		uint64_t s = PHYS_PFN(ctx->ns[i].memmap_start);
		uint64_t e = PHYS_PFN(ctx->ns[i].memmap_end);

		if (ctx->ns[i].map_dev)
			continue;
		if (s < mb || e > vmm)
			die("internal: pmem memmap outside memblock");
		if (s > mb)
			add_extent(ctx, mb, s - mb, KIND_MEMBLOCK, 0, false);
		add_extent(ctx, s, e - s, KIND_DEV_MEMMAP, 0, false);
		mb = e;
	}
	if (vmm > mb)
		add_extent(ctx, mb, vmm - mb, KIND_MEMBLOCK, 0, false);
	add_extent(ctx, vmm, vmm_end - vmm, KIND_VMEMMAP, 0, false);
	if (top > vmm_end)
		add_extent(ctx, vmm_end, top - vmm_end, KIND_MEMBLOCK, 0, false);

	/* System RAM outside the vmcore: low 1 MiB and crashkernel */
	for (int i = 0; i < ctx->nr_ram; i++) {
		uint64_t s = ctx->ram[i].start, e = ctx->ram[i].end;

		if (s < SZ_1M)
			add_extent(ctx, PHYS_PFN(s), PHYS_PFN((e < SZ_1M ? e : SZ_1M) - s),
				   KIND_RESERVED, 0, false);
	}
	add_extent(ctx, PHYS_PFN(ctx->crashk_start),
		   PHYS_PFN(ctx->crashk_end - ctx->crashk_start),
		   KIND_RESERVED, 0, false);
}

static void check_extents(struct gen_ctx *ctx)
{
	qsort(ctx->ext, ctx->nr_ext, sizeof(*ctx->ext), cmp_extent);
	for (size_t i = 1; i < ctx->nr_ext; i++)
		if (ctx->ext[i].pfn < ctx->ext[i - 1].pfn + ctx->ext[i - 1].npages)
			die("internal: extents overlap at pfn %#llx",
			    (unsigned long long)ctx->ext[i].pfn);
	/* every dumped pfn must be described */
	for (int i = 0; i < ctx->nr_dump; i++)
		for (uint64_t pfn = PHYS_PFN(ctx->dump[i].start);
		     pfn < PHYS_PFN(ctx->dump[i].end);) {
			const struct extent *e = find_extent(ctx, pfn);

			if (!e)
				die("internal: pfn %#llx has no extent",
				    (unsigned long long)pfn);
			pfn = e->pfn + e->npages;
		}
}

/*
 * Called once the early kernel allocations (memblock) are done: the rest
 * of the dumped RAM receives the page classes.
 */
void place_page_classes(struct gen_ctx *ctx)
{
	const struct kimage *k = &ctx->kimg;

	for (int i = 0; i < ctx->nr_dump; i++)
		free_range_add(ctx, PHYS_PFN(ctx->dump[i].start),
			       PHYS_PFN(ctx->dump[i].end));
	free_range_carve(ctx, PHYS_PFN(k->phys), PHYS_PFN(k->phys + k->size));
	free_range_carve(ctx, PHYS_PFN(ctx->memblock_floor),
			 PHYS_PFN(ctx->ram[ctx->memblock_range].end));

	add_kernel_extents(ctx);
	for (size_t i = 0; i < ARRAY_SIZE(placements); i++) {
		if (placements[i].large_only && !ctx->opt.large_mib)
			continue;
		place_one(ctx, &placements[i]);
	}
	fill_free_memory(ctx);
	check_extents(ctx);
}
