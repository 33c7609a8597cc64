// SPDX-License-Identifier: GPL-2.0-only
/*
 * Persistent memory: one pmem region above RAM holding fsdax namespaces,
 * laid out as Linux 6.1 lays them out (drivers/nvdimm/pfn_devs.c,
 * mm/memremap.c, mm/sparse-vmemmap.c, arch/x86/mm/init_64.c).
 *
 * Namespace 0 is fsdax with map=dev: nd_pfn_init() writes the info block
 * at namespace offset 4 KiB and sets dataoff = ALIGN(start + 8K +
 * 64 * npfns, 2M) - start; __nvdimm_setup_pfn() gives the dev_pagemap an
 * altmap with base_pfn = the namespace's first pfn, reserve = 2 (the 8 KiB
 * nd_info_block_reserve()) and free = dataoff/4K - reserve.  x86
 * vmemmap_populate() maps each section's struct pages with one 2 MiB page
 * taken by altmap_alloc_block_buf(), which aligns every block to 2 MiB: the
 * first block is at namespace offset 2 MiB (the 510 pages after the
 * reserve are alignment padding), section k's block at 2 MiB * (k + 1).
 *
 * Namespace 1 (--pmem-namespaces 2) is fsdax with map=mem: info block mode
 * PFN_MODE_RAM, dataoff 2 MiB, no altmap; its struct pages are 2 MiB
 * blocks in RAM (an extent of KIND_DEV_MEMMAP).
 *
 * Struct pages: memmap_init_range() initialises the pfns from base_pfn +
 * reserve to the end of the altmap as PG_reserved ZONE_DEVICE pages;
 * memmap_init_zone_device() initialises every data pfn (map=mem: every pfn)
 * as a ZONE_DEVICE page with ->pgmap, PG_reserved, refcount 1; fsdax
 * (dax_associate_entry) then sets ->mapping and ->index of the pages of
 * files, or mapping = PAGE_MAPPING_DAX_COW and index = share count for
 * reflinked pages.  The reserve pfns' struct pages are never initialised
 * (left zero here).
 *
 * With --pmem-ns-mib the namespaces fill only the start of the region; the
 * rest is unallocated capacity: no namespace, so no info block, no
 * memremap (no direct map, no present section, no struct pages) and all
 * zero, but still inside the region's PT_LOAD.  Nothing here walks it, so
 * its size costs neither time nor disk.
 */
#include <inttypes.h>
#include <string.h>

#include "vmcore-gen.h"

static const char pmem_marker[16] = "PMEMDUMP-PMEM-MK";

#define BIT(n)	(1ULL << (n))

bool pfn_in_pmem(const struct gen_ctx *ctx, uint64_t pfn)
{
	uint64_t pa = PFN_PHYS(pfn);

	return ctx->pmem_end && pa >= ctx->pmem_start && pa < ctx->pmem_end;
}

/* The namespace holding @pfn; NULL in the unallocated part of the region. */
static const struct pmem_ns *ns_of(const struct gen_ctx *ctx, uint64_t pfn)
{
	uint64_t pa = PFN_PHYS(pfn);

	if (pa >= ctx->pmem_ns_end)
		return NULL;
	for (int i = 0; i < ctx->nr_ns; i++)
		if (pa >= ctx->ns[i].start && pa < ctx->ns[i].end)
			return &ctx->ns[i];
	die("internal: pfn %#" PRIx64 " in no namespace", pfn);
}

static uint64_t ns_sections(const struct pmem_ns *ns)
{
	return (ns->end - ns->start) >> SECTION_SIZE_BITS;
}

/* ---- layout --------------------------------------------------------- */

/*
 * The region starts at 4 GiB, or at the first GiB boundary above RAM.  The
 * namespaces take its first --pmem-ns-mib MiB (default: all of it).  A
 * second namespace gets min(half of that, 1 GiB), rounded to sections.
 */
void pmem_layout(struct gen_ctx *ctx)
{
	uint64_t size = ctx->opt.pmem_ns_mib * SZ_1M;
	uint64_t sec_size = 1ULL << SECTION_SIZE_BITS;
	uint64_t start = ALIGN_UP(ctx->ram[ctx->nr_ram - 1].end, SZ_1G);
	uint64_t sizes[PMEM_MAX_NS];

	if (!size)
		return;
	if (start < 4 * SZ_1G)
		start = 4 * SZ_1G;
	ctx->pmem_start = start;
	ctx->pmem_end = start + ctx->opt.pmem_mib * SZ_1M;
	ctx->pmem_ns_end = start + size;
	if (ctx->pmem_end > 1ULL << ctx->max_physmem_bits)
		die("--pmem-mib: the region ends above MAX_PHYSMEM_BITS");
	ctx->pmem_loaded = !ctx->opt.no_pmem_load;
	ctx->nr_ns = ctx->opt.pmem_namespaces;
	sizes[0] = size;
	if (ctx->nr_ns == 2) {
		sizes[1] = ALIGN_DOWN(size / 2, sec_size);
		if (sizes[1] > SZ_1G)
			sizes[1] = SZ_1G;
		sizes[0] = size - sizes[1];
	}

	for (int i = 0; i < ctx->nr_ns; i++) {
		struct pmem_ns *ns = &ctx->ns[i];
		uint64_t sz = sizes[i], npfns = PHYS_PFN(sz - 2 * PAGE_SIZE);

		ns->start = start;
		ns->end = start + sz;
		start = ns->end;
		ns->map_dev = i == 0;
		if (ns->map_dev) {
			/* nd_pfn_init(): MAX_STRUCT_PAGE_SIZE (64) per pfn */
			ns->dataoff = ALIGN_UP(ns->start + 2 * PAGE_SIZE +
					       SIZEOF_PAGE * npfns, SZ_2M) - ns->start;
			ns->meta_start = ns->start + 2 * PAGE_SIZE;
			ns->meta_end = ns->start + ns->dataoff;
			ns->memmap_start = ns->start + SZ_2M;
			ns->memmap_end = ns->memmap_start + ns_sections(ns) * SZ_2M;
			if (ns->memmap_end > ns->meta_end)
				die("internal: altmap too small");
		} else {
			ns->dataoff = SZ_2M;
			ns->memmap_start = memblock_alloc(ctx, ns_sections(ns) * SZ_2M,
							  SZ_2M);
			ns->memmap_end = ns->memmap_start + ns_sections(ns) * SZ_2M;
		}
		ns->npfns = PHYS_PFN(sz - ns->dataoff);
	}
	if (ctx->pmem_loaded)
		ctx->max_pfn = PHYS_PFN(ctx->pmem_end);
}

/*
 * Files on the DAX filesystem, at fixed fractions of each namespace's data
 * range (so a 4 TiB region has as few as a 256 MiB one): two small files,
 * a PMD-mapped (2 MiB aligned) one, reflinked (CoW-shared) pages and the
 * tail of a fourth file.
 */
static void place_runs(struct pmem_ns *ns, uint64_t mappings)
{
	uint64_t ds = PHYS_PFN(ns->start + ns->dataoff);
	uint64_t n = ns->npfns;
	const struct { uint64_t off, len, index; int file; } runs[PMEM_MAX_RUNS] = {
		{ 0, 256, 0, 0 },
		{ n / 4, 37, 100, 1 },
		{ ALIGN_DOWN(n / 2, 512), 512, 512, 2 },
		{ 3 * n / 4, 24, 2, -1 },
		{ n - 64, 64, 0, 3 },
	};

	if (n < 4096)
		die("internal: namespace data range too small");
	for (int r = 0; r < PMEM_MAX_RUNS; r++) {
		struct pmem_run *run = &ns->run[r];

		run->pfn = ds + runs[r].off;
		run->npages = runs[r].len;
		run->index = runs[r].index;
		run->mapping = runs[r].file < 0 ? PAGE_MAPPING_DAX_COW :
			       mappings + runs[r].file * 0x100;
	}
	ns->nr_runs = PMEM_MAX_RUNS;
}

/*
 * The direct map (arch_add_memory, per namespace: the unallocated rest of
 * the region is not mapped) and the vmemmap of the pmem sections.
 */
void pmem_build_early(struct gen_ctx *ctx)
{
	if (!ctx->pmem_end)
		return;
	map_range(ctx, phys_to_virt(ctx, ctx->pmem_start), ctx->pmem_start,
		  ctx->pmem_ns_end - ctx->pmem_start, PAGE_KERNEL_4K,
		  PAGE_KERNEL_LARGE);
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];

		for (uint64_t k = 0; k < ns_sections(ns); k++) {
			uint64_t pfn = PHYS_PFN(ns->start) + k * PAGES_PER_SECTION;

			map_page(ctx, pfn_to_page_virt(ctx, pfn),
				 ns->memmap_start + k * SZ_2M, 21, PAGE_KERNEL_LARGE);
		}
	}
}

/*
 * Kernel objects: the dev_pagemaps (their altmap, the first member), the
 * address_spaces of the DAX files and, with --pmem-list, the
 * devm_memmap_vmcore entries (kmalloc-32) on the list in kernel .data.
 */
void pmem_build_objects(struct gen_ctx *ctx)
{
	uint64_t obj, head, prev;

	if (!ctx->pmem_end)
		return;
	obj = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE);
	ctx->devm_list_head = ctx->kimg.data_off + 0x7100;
	head = kimg_virt(ctx, ctx->devm_list_head);
	prev = head;
	for (int i = 0; i < ctx->nr_ns; i++) {
		struct pmem_ns *ns = &ctx->ns[i];
		uint64_t pgmap = obj + i * 0x200;

		ns->pgmap = phys_to_virt(ctx, pgmap);
		place_runs(ns, phys_to_virt(ctx, obj + 0x400 + i * 0x400));
		for (int f = 0; f < 4; f++)	/* address_space.host: itself */
			kmem_write64(ctx, obj + 0x400 + i * 0x400 + f * 0x100,
				     phys_to_virt(ctx, obj + 0x400 + i * 0x400 + f * 0x100));
		if (!ns->map_dev) {
			kmem_write64(ctx, pgmap + 0x40, ns->start);
			continue;
		}
		/* struct vmem_altmap after vmemmap_populate() */
		kmem_write64(ctx, pgmap + 0, PHYS_PFN(ns->start));
		kmem_write64(ctx, pgmap + 8, PHYS_PFN(ns->end - 1));
		kmem_write64(ctx, pgmap + 16, 2);
		kmem_write64(ctx, pgmap + 24, PHYS_PFN(ns->dataoff) - 2);
		kmem_write64(ctx, pgmap + 32, PHYS_PFN(SZ_2M) - 2);
		kmem_write64(ctx, pgmap + 40, ns_sections(ns) * PHYS_PFN(SZ_2M));
		if (!ctx->opt.pmem_list)
			continue;
		ns->list_entry = obj + 0xc00 + i * SIZEOF_DEVM_MEMMAP_VMCORE;
		kmem_write64(ctx, ns->list_entry + 16, ns->meta_start);
		kmem_write64(ctx, ns->list_entry + 24, ns->meta_end);
	}
	if (!ctx->opt.pmem_list)
		return;
	/* list_add_tail() of each entry: head <-> e0 <-> ... <-> head */
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];
		uint64_t e = ns->list_entry, ev = phys_to_virt(ctx, e);

		if (!e)
			continue;
		if (prev == head)
			kmem_write64(ctx, kimg_phys(ctx, ctx->devm_list_head), ev);
		else
			kmem_write64(ctx, prev - ctx->page_offset_base, ev);
		kmem_write64(ctx, e + 8, prev);
		prev = ev;
	}
	if (prev == head)
		kmem_write64(ctx, kimg_phys(ctx, ctx->devm_list_head), head);
	else
		kmem_write64(ctx, prev - ctx->page_offset_base, head);
	kmem_write64(ctx, kimg_phys(ctx, ctx->devm_list_head) + 8, prev);
}

/* ---- struct pages and contents -------------------------------------- */

static void put64(uint8_t *p, unsigned int off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static const struct pmem_run *run_of(const struct pmem_ns *ns, uint64_t pfn)
{
	for (int r = 0; r < ns->nr_runs; r++)
		if (pfn >= ns->run[r].pfn && pfn < ns->run[r].pfn + ns->run[r].npages)
			return &ns->run[r];
	return NULL;
}

void pmem_struct_page(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *sp)
{
	const struct pmem_ns *ns = ns_of(ctx, pfn);
	const struct pmem_run *run;
	uint64_t base;
	uint64_t flags = BIT(PG_reserved) | (uint64_t)ZONE_DEVICE << ZONES_PGSHIFT;

	memset(sp, 0, SIZEOF_PAGE);
	if (!ns)
		return;			/* unallocated: no section, no memmap */
	run = run_of(ns, pfn);
	base = PHYS_PFN(ns->start);
	if (ns->map_dev && ctx->opt.pmem_sparse_meta && !run)
		return;			/* left as a hole of the file */
	if (ns->map_dev && pfn < base + 2)
		return;			/* the altmap reserve: never initialised */
	put64(sp, PAGE_OFF_FLAGS, flags);
	put32(sp, PAGE_OFF_MAPCOUNT, PAGE_TYPE_NONE);
	put32(sp, PAGE_OFF_REFCOUNT, 1);
	if (ns->map_dev && pfn < PHYS_PFN(ns->meta_end)) {
		/* memmap_init_range(): __init_single_page + PG_reserved */
		put64(sp, PAGE_OFF_LRU, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
		put64(sp, PAGE_OFF_LRU + 8, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
		return;
	}
	/* __init_zone_device_page(): ->pgmap, ->zone_device_data = NULL */
	put64(sp, 8, ns->pgmap);
	if (run) {
		put64(sp, PAGE_OFF_MAPPING, run->mapping);
		put64(sp, PAGE_OFF_INDEX, run->mapping == PAGE_MAPPING_DAX_COW ?
		      run->index : run->index + (pfn - run->pfn));
	}
}

static void fill_struct_pages(const struct gen_ctx *ctx, uint64_t first,
			      uint8_t *buf)
{
	for (unsigned int i = 0; i < PAGE_SIZE / SIZEOF_PAGE; i++)
		struct_page_of(ctx, first + i, buf + i * SIZEOF_PAGE);
}

static bool buf_zero(const uint8_t *buf)
{
	static const uint8_t zero[PAGE_SIZE];

	return !memcmp(buf, zero, PAGE_SIZE);
}

/* drivers/nvdimm/core.c nd_fletcher64(), as nd_sb_checksum() uses it */
static uint64_t fletcher64(const uint8_t *buf, size_t len)
{
	uint32_t lo32 = 0;
	uint64_t hi32 = 0;

	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint32_t w;

		memcpy(&w, buf + i, 4);	/* little-endian host */
		lo32 += w;
		hi32 += lo32;
	}
	return hi32 << 32 | lo32;
}

/* struct nd_pfn_sb, version 1.4, as nd_pfn_init() writes it */
static void info_block(const struct pmem_ns *ns, int idx, uint8_t *b)
{
	memset(b, 0, PAGE_SIZE);
	memcpy(b, "NVDIMM_PFN_INFO\0", 16);
	for (int i = 0; i < 16; i++) {
		b[16 + i] = 0x50 + i + idx * 0x11;	/* uuid */
		b[32 + i] = 0xa0 + i + idx * 0x11;	/* parent_uuid */
	}
	b[52] = 1;					/* version_major */
	b[54] = 4;					/* version_minor */
	put64(b, 56, ns->dataoff);
	put64(b, 64, ns->npfns);
	put32(b, 72, ns->map_dev ? PFN_MODE_PMEM : PFN_MODE_RAM);
	put32(b, 76, 0);				/* start_pad */
	put32(b, 80, 0);				/* end_trunc */
	put32(b, 84, SZ_2M);				/* align */
	put32(b, 88, PAGE_SIZE);			/* page_size */
	b[92] = SIZEOF_PAGE;				/* page_struct_size */
	put64(b, 4088, fletcher64(b, PAGE_SIZE));
}

/* Is meta page @mpfn (of a map=dev namespace) written with --pmem-sparse-meta? */
static bool meta_page_has_file(const struct pmem_ns *ns, uint64_t mpfn)
{
	uint64_t first = PHYS_PFN(ns->start) +
			 (PFN_PHYS(mpfn) - ns->memmap_start) / SIZEOF_PAGE;

	for (int r = 0; r < ns->nr_runs; r++)
		if (ns->run[r].pfn < first + PAGE_SIZE / SIZEOF_PAGE &&
		    ns->run[r].pfn + ns->run[r].npages > first)
			return true;
	return false;
}

void pmem_page_content(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf,
		       bool *is_zero)
{
	const struct pmem_ns *ns = ns_of(ctx, pfn);
	uint64_t pa = PFN_PHYS(pfn);

	*is_zero = false;
	if (!ns) {			/* unallocated capacity */
		memset(buf, 0, PAGE_SIZE);
		*is_zero = true;
		return;
	}
	if (pfn == PHYS_PFN(ns->start) + 1) {
		info_block(ns, ns - ctx->ns, buf);
		return;
	}
	if (ns->map_dev && pa >= ns->memmap_start && pa < ns->memmap_end &&
	    (!ctx->opt.pmem_sparse_meta || meta_page_has_file(ns, pfn))) {
		fill_struct_pages(ctx, PHYS_PFN(ns->start) +
				  (pa - ns->memmap_start) / SIZEOF_PAGE, buf);
		*is_zero = buf_zero(buf);
		return;
	}
	if (run_of(ns, pfn) && pa >= ns->start + ns->dataoff) {
		for (size_t i = 0; i < PAGE_SIZE; i += sizeof(pmem_marker))
			memcpy(buf + i, pmem_marker, sizeof(pmem_marker));
		return;
	}
	memset(buf, 0, PAGE_SIZE);
	*is_zero = true;
}

/* A page of a map=mem namespace's memmap in RAM (KIND_DEV_MEMMAP). */
void pmem_fill_ram_memmap(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf)
{
	uint64_t pa = PFN_PHYS(pfn);

	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];

		if (ns->map_dev || pa < ns->memmap_start || pa >= ns->memmap_end)
			continue;
		fill_struct_pages(ctx, PHYS_PFN(ns->start) +
				  (pa - ns->memmap_start) / SIZEOF_PAGE, buf);
		return;
	}
	die("internal: pfn %#" PRIx64 " is no pmem memmap", pfn);
}

/*
 * Every non-zero page of the region, as ascending runs: the info blocks,
 * the struct page blocks on the device (with --pmem-sparse-meta only the
 * pages holding struct pages of files) and the files' data.  Everything
 * else (the unallocated part of the region included) is zero, so writers
 * can leave it a hole and counters need not look.
 */
void pmem_for_each_nonzero(const struct gen_ctx *ctx, pmem_run_fn fn, void *arg)
{
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];
		uint64_t base = PHYS_PFN(ns->start), last = 0;

		fn(ctx, base + 1, 1, arg);
		if (ns->map_dev && !ctx->opt.pmem_sparse_meta) {
			fn(ctx, PHYS_PFN(ns->memmap_start),
			   PHYS_PFN(ns->memmap_end - ns->memmap_start), arg);
		} else if (ns->map_dev) {
			for (int r = 0; r < ns->nr_runs; r++) {
				const struct pmem_run *run = &ns->run[r];
				uint64_t p0 = PHYS_PFN(ns->memmap_start +
						(run->pfn - base) * SIZEOF_PAGE);
				uint64_t p1 = PHYS_PFN(ns->memmap_start +
						(run->pfn + run->npages - 1 - base) *
						SIZEOF_PAGE);

				if (p0 <= last)
					die("internal: pmem files share a memmap page");
				fn(ctx, p0, p1 - p0 + 1, arg);
				last = p1;
			}
		}
		for (int r = 0; r < ns->nr_runs; r++)
			fn(ctx, ns->run[r].pfn, ns->run[r].npages, arg);
	}
}

/* ---- manifest ------------------------------------------------------- */

static void count_run(const struct gen_ctx *ctx, uint64_t pfn, uint64_t n,
		      void *arg)
{
	(void)ctx;
	(void)pfn;
	*(uint64_t *)arg += n;
}

/* Is @pfn in the metadata range of a map=dev namespace? */
static bool pfn_in_meta(const struct gen_ctx *ctx, uint64_t pfn)
{
	for (int i = 0; i < ctx->nr_ns; i++)
		if (ctx->ns[i].map_dev && PFN_PHYS(pfn) >= ctx->ns[i].meta_start &&
		    PFN_PHYS(pfn) < ctx->ns[i].meta_end)
			return true;
	return false;
}

/* Non-zero pages of a run that lie in metadata ranges. */
static void count_meta_run(const struct gen_ctx *ctx, uint64_t pfn, uint64_t n,
			   void *arg)
{
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];
		uint64_t s = PHYS_PFN(ns->meta_start), e = PHYS_PFN(ns->meta_end);
		uint64_t lo = pfn > s ? pfn : s, hi = pfn + n < e ? pfn + n : e;

		if (ns->map_dev && lo < hi)
			*(uint64_t *)arg += hi - lo;
	}
}

/* For small regions, recount by looking at every page. */
static void count_nonzero_slowly(const struct gen_ctx *ctx, uint64_t *nonzero,
				 uint64_t *meta_nonzero)
{
	static uint8_t page[PAGE_SIZE];

	*nonzero = *meta_nonzero = 0;
	for (uint64_t pfn = PHYS_PFN(ctx->pmem_start);
	     pfn < PHYS_PFN(ctx->pmem_end); pfn++) {
		bool zero;

		pmem_page_content(ctx, pfn, page, &zero);
		*nonzero += !zero;
		*meta_nonzero += !zero && pfn_in_meta(ctx, pfn);
	}
}

void pmem_write_manifest(const struct gen_ctx *ctx, FILE *f)
{
	uint64_t pages = PHYS_PFN(ctx->pmem_end - ctx->pmem_start);
	uint64_t unallocated = PHYS_PFN(ctx->pmem_end - ctx->pmem_ns_end);
	uint64_t nonzero = 0, meta = 0, user = 0, marker = 0, cow = 0;
	uint64_t meta_written = 0, meta_nonzero = 0, head = 0;

	if (!ctx->pmem_end)
		return;
	pmem_for_each_nonzero(ctx, count_run, &nonzero);
	pmem_for_each_nonzero(ctx, count_meta_run, &meta_nonzero);
	if (ctx->pmem_end - ctx->pmem_start <= SZ_1G) {
		uint64_t n, m;

		count_nonzero_slowly(ctx, &n, &m);
		if (n != nonzero || m != meta_nonzero)
			die("internal: pmem non-zero pages do not add up");
	}

	fprintf(f, "# persistent memory (physical byte addresses, ends exclusive)\n");
	fprintf(f, "pmem_mib=%" PRIu64 "\n", ctx->opt.pmem_mib);
	fprintf(f, "pmem_start=0x%" PRIx64 "\n", ctx->pmem_start);
	fprintf(f, "pmem_end=0x%" PRIx64 "\n", ctx->pmem_end);
	fprintf(f, "pmem_loaded=%d\n", ctx->pmem_loaded);
	fprintf(f, "pmem_flagged=%d\n", ctx->pmem_loaded && ctx->opt.pmem_flag);
	fprintf(f, "pmem_list=%d\n", ctx->opt.pmem_list);
	fprintf(f, "pmem_sparse_meta=%d\n", ctx->opt.pmem_sparse_meta);
	fprintf(f, "pmem_namespaces=%d\n", ctx->nr_ns);
	fprintf(f, "pmem_ns_mib=%" PRIu64 "\n", ctx->opt.pmem_ns_mib);
	fprintf(f, "pmem_ns_end=0x%" PRIx64 "\n", ctx->pmem_ns_end);
	if (ctx->opt.pmem_list)
		fprintf(f, "devm_memmap_vmcore_head=0x%" PRIx64 "\n",
			kimg_virt(ctx, ctx->devm_list_head));
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];
		uint64_t ds = ns->start + ns->dataoff;

		fprintf(f, "ns.%d.mode=fsdax\n", i);
		fprintf(f, "ns.%d.map=%s\n", i, ns->map_dev ? "dev" : "mem");
		fprintf(f, "ns.%d.start=0x%" PRIx64 "\n", i, ns->start);
		fprintf(f, "ns.%d.end=0x%" PRIx64 "\n", i, ns->end);
		fprintf(f, "ns.%d.dataoff=0x%" PRIx64 "\n", i, ns->dataoff);
		fprintf(f, "ns.%d.npfns=%" PRIu64 "\n", i, ns->npfns);
		fprintf(f, "ns.%d.info_block=0x%" PRIx64 "\n", i, ns->start + PAGE_SIZE);
		fprintf(f, "ns.%d.meta_start=0x%" PRIx64 "\n", i, ns->meta_start);
		fprintf(f, "ns.%d.meta_end=0x%" PRIx64 "\n", i, ns->meta_end);
		fprintf(f, "ns.%d.memmap_start=0x%" PRIx64 "\n", i, ns->memmap_start);
		fprintf(f, "ns.%d.memmap_end=0x%" PRIx64 "\n", i, ns->memmap_end);
		fprintf(f, "ns.%d.data_start=0x%" PRIx64 "\n", i, ds);
		fprintf(f, "ns.%d.data_end=0x%" PRIx64 "\n", i, ns->end);
		fprintf(f, "ns.%d.pgmap=0x%" PRIx64 "\n", i, ns->pgmap);
		if (ns->list_entry)
			fprintf(f, "ns.%d.list_entry=0x%" PRIx64 "\n", i,
				phys_to_virt(ctx, ns->list_entry));
		for (int r = 0; r < ns->nr_runs; r++) {
			const struct pmem_run *run = &ns->run[r];

			fprintf(f, "ns.%d.file.%d=0x%" PRIx64 "-0x%" PRIx64
				" mapping=0x%" PRIx64 " index=%" PRIu64 "\n", i, r,
				PFN_PHYS(run->pfn), PFN_PHYS(run->pfn + run->npages),
				run->mapping, run->index);
			marker += run->npages;
			if (run->mapping == PAGE_MAPPING_DAX_COW)
				cow += run->npages;
			if (ns->map_dev && ctx->opt.pmem_sparse_meta)
				meta_written += PHYS_PFN(ns->memmap_start +
					(run->pfn + run->npages - 1 - PHYS_PFN(ns->start)) *
					SIZEOF_PAGE) - PHYS_PFN(ns->memmap_start +
					(run->pfn - PHYS_PFN(ns->start)) * SIZEOF_PAGE) + 1;
		}
		if (ns->map_dev && !ctx->opt.pmem_sparse_meta)
			meta_written += PHYS_PFN(ns->memmap_end - ns->memmap_start);
		meta += PHYS_PFN(ns->meta_end - ns->meta_start);
		user += PHYS_PFN(ns->end - ds);
		head += PHYS_PFN(ns->dataoff) - (ns->map_dev ?
			PHYS_PFN(ns->meta_end - ns->meta_start) : 0);
	}
	if (meta + user + head + unallocated != pages)
		die("internal: pmem pages do not add up");
	fprintf(f, "pmem_pages=%" PRIu64 "\n", pages);
	fprintf(f, "pmem_meta_pages=%" PRIu64 "\n", meta);
	fprintf(f, "pmem_meta_written=%" PRIu64 "\n", meta_written);
	fprintf(f, "pmem_meta_zero_pages=%" PRIu64 "\n", meta - meta_nonzero);
	fprintf(f, "pmem_head_pages=%" PRIu64 "\n", head);
	fprintf(f, "pmem_user_pages=%" PRIu64 "\n", user);
	fprintf(f, "pmem_unallocated_pages=%" PRIu64 "\n", unallocated);
	fprintf(f, "pmem_marker_pages=%" PRIu64 "\n", marker);
	fprintf(f, "pmem_cow_pages=%" PRIu64 "\n", cow);
	fprintf(f, "pmem_nonzero_pages=%" PRIu64 "\n", nonzero);
	fprintf(f, "pmem_zero_pages=%" PRIu64 "\n", pages - nonzero);
}
