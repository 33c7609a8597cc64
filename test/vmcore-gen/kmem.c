// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synthetic kernel's memory: page tables, mem_section, struct pages,
 * node and zone data, and the content of every page frame.  The kernel
 * log's printk ring (--printk) is in printk.c.
 *
 * Pages the kernel writes are "materialized" in a hash keyed by pfn.  All
 * other page contents are computed from the extents when the vmcore is
 * written, so the generator's memory use does not grow with the machine.
 */
#include <stdlib.h>
#include <string.h>

#include "vmcore-gen.h"

/* ---- materialized pages --------------------------------------------- */

static size_t kmem_slot(const struct gen_ctx *ctx, uint64_t pfn)
{
	uint64_t h = pfn * 0x9e3779b97f4a7c15ULL;

	return (h >> 17) & (ctx->kmem_cap - 1);
}

static void kmem_grow(struct gen_ctx *ctx)
{
	struct kpage *old = ctx->kmem;
	size_t old_cap = ctx->kmem_cap;

	ctx->kmem_cap = old_cap ? old_cap * 2 : 1024;
	ctx->kmem = xcalloc(ctx->kmem_cap, sizeof(*ctx->kmem));
	for (size_t i = 0; i < ctx->kmem_cap; i++)
		ctx->kmem[i].pfn = UINT64_MAX;
	for (size_t i = 0; i < old_cap; i++) {
		size_t j;

		if (old[i].pfn == UINT64_MAX)
			continue;
		for (j = kmem_slot(ctx, old[i].pfn); ctx->kmem[j].pfn != UINT64_MAX;)
			j = (j + 1) & (ctx->kmem_cap - 1);
		ctx->kmem[j] = old[i];
	}
	free(old);
}

/* Only the kernel image and memblock memory are written by the kernel. */
static bool kernel_owned(const struct gen_ctx *ctx, uint64_t pfn)
{
	uint64_t pa = PFN_PHYS(pfn);
	const struct kimage *k = &ctx->kimg;

	if (pa >= k->phys && pa < k->phys + k->size)
		return true;
	if (pa >= ctx->vmemmap_phys && pa < ctx->vmemmap_phys + ctx->vmemmap_size)
		return false;	/* generated from the extents instead */
	for (int i = 0; i < ctx->nr_ns; i++)
		if (!ctx->ns[i].map_dev && pa >= ctx->ns[i].memmap_start &&
		    pa < ctx->ns[i].memmap_end)
			return false;	/* generated from the pmem layout */
	return pa >= ALIGN_DOWN(ctx->memblock_floor, PAGE_SIZE) &&
	       pa < ctx->ram[ctx->memblock_range].end;
}

uint8_t *kmem_page(struct gen_ctx *ctx, uint64_t pfn, bool create)
{
	size_t i;

	if (!ctx->kmem_cap)
		kmem_grow(ctx);
	for (i = kmem_slot(ctx, pfn); ctx->kmem[i].pfn != UINT64_MAX;
	     i = (i + 1) & (ctx->kmem_cap - 1))
		if (ctx->kmem[i].pfn == pfn)
			return ctx->kmem[i].data;
	if (!create)
		return NULL;
	if (!kernel_owned(ctx, pfn))
		die("internal: write to pfn %#llx outside kernel memory",
		    (unsigned long long)pfn);
	if ((ctx->kmem_used + 1) * 2 > ctx->kmem_cap) {
		kmem_grow(ctx);
		return kmem_page(ctx, pfn, create);
	}
	ctx->kmem[i].pfn = pfn;
	ctx->kmem[i].data = xcalloc(1, PAGE_SIZE);
	ctx->kmem_used++;
	return ctx->kmem[i].data;
}

static const uint8_t *kmem_lookup(const struct gen_ctx *ctx, uint64_t pfn)
{
	return kmem_page((struct gen_ctx *)ctx, pfn, false);
}

void kmem_write(struct gen_ctx *ctx, uint64_t phys, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	while (len) {
		size_t off = phys & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;

		memcpy(kmem_page(ctx, PHYS_PFN(phys), true) + off, src, n);
		phys += n;
		src += n;
		len -= n;
	}
}

void kmem_write64(struct gen_ctx *ctx, uint64_t phys, uint64_t val)
{
	kmem_write(ctx, phys, &val, sizeof(val));
}

void kmem_write32(struct gen_ctx *ctx, uint64_t phys, uint32_t val)
{
	kmem_write(ctx, phys, &val, sizeof(val));
}

static uint64_t kmem_read64(struct gen_ctx *ctx, uint64_t phys)
{
	const uint8_t *p = kmem_lookup(ctx, PHYS_PFN(phys));
	uint64_t val = 0;

	if (p)
		memcpy(&val, p + (phys & (PAGE_SIZE - 1)), sizeof(val));
	return val;
}

/* ---- page tables ---------------------------------------------------- */

#define PTE_ADDR_MASK	0x000ffffffffff000ULL

static uint64_t alloc_table(struct gen_ctx *ctx)
{
	uint64_t pa = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE);

	kmem_page(ctx, PHYS_PFN(pa), true);
	return pa;
}

/*
 * Install one mapping of 1 << @leaf_shift bytes (12, 21 or 30) and create
 * the intermediate tables it needs, starting at init_top_pgt.
 */
void map_page(struct gen_ctx *ctx, uint64_t va, uint64_t pa,
		     int leaf_shift, uint64_t prot)
{
	static const int shifts_l5[] = { 48, 39, 30, 21, 12 };
	static const int shifts_l4[] = { 39, 30, 21, 12 };
	const int *shifts = ctx->l5 ? shifts_l5 : shifts_l4;
	int levels = ctx->l5 ? 5 : 4;
	uint64_t table = kimg_phys(ctx, ctx->kimg.init_top_pgt);

	for (int l = 0; l < levels; l++) {
		uint64_t slot = table + ((va >> shifts[l]) & 511) * 8;
		uint64_t entry = kmem_read64(ctx, slot);

		if (shifts[l] == leaf_shift) {
			if (entry)
				die("internal: %#llx mapped twice",
				    (unsigned long long)va);
			if (leaf_shift != 12)
				prot |= PTE_PSE;
			kmem_write64(ctx, slot, pa | prot);
			return;
		}
		if (!entry) {
			entry = alloc_table(ctx) | KERNPG_TABLE;
			kmem_write64(ctx, slot, entry);
		} else if (entry & PTE_PSE) {
			die("internal: %#llx under a large page",
			    (unsigned long long)va);
		}
		table = entry & PTE_ADDR_MASK;
	}
}

/*
 * Map [pa, pa + size) at @va with the largest pages the alignment allows,
 * like split_mem_range(): 4K head, 2M, 1G, 2M, 4K tail.
 */
void map_range(struct gen_ctx *ctx, uint64_t va, uint64_t pa,
		      uint64_t size, uint64_t prot_4k, uint64_t prot_large)
{
	uint64_t end = pa + size;

	while (pa < end) {
		int shift = 12;

		if (!(pa & (SZ_1G - 1)) && !(va & (SZ_1G - 1)) && end - pa >= SZ_1G)
			shift = 30;
		else if (!(pa & (SZ_2M - 1)) && !(va & (SZ_2M - 1)) &&
			 end - pa >= SZ_2M)
			shift = 21;
		map_page(ctx, va, pa, shift, shift == 12 ? prot_4k : prot_large);
		va += 1ULL << shift;
		pa += 1ULL << shift;
	}
}

/*
 * head_64.S: init_top_pgt[511] -> (level4_kernel_pgt ->) level3_kernel_pgt,
 * whose entries 510/511 are level2_kernel_pgt (the kernel image, 2 MiB
 * pages) and level2_fixmap_pgt.
 */
static void build_kernel_text_tables(struct gen_ctx *ctx)
{
	const struct kimage *k = &ctx->kimg;
	uint64_t top = kimg_phys(ctx, k->init_top_pgt);
	uint64_t l4 = kimg_phys(ctx, k->level4_kernel_pgt);
	uint64_t l3 = kimg_phys(ctx, k->level3_kernel_pgt);
	uint64_t l2 = kimg_phys(ctx, k->level2_kernel_pgt);
	uint64_t fix2 = kimg_phys(ctx, k->level2_fixmap_pgt);
	uint64_t fix1 = kimg_phys(ctx, k->level1_fixmap_pgt);

	if (ctx->l5) {
		kmem_write64(ctx, top + 511 * 8, l4 | KERNPG_TABLE);
		kmem_write64(ctx, l4 + 511 * 8, l3 | KERNPG_TABLE);
	} else {
		kmem_write64(ctx, top + 511 * 8, l3 | KERNPG_TABLE);
	}
	kmem_write64(ctx, l3 + 510 * 8, l2 | KERNPG_TABLE);
	kmem_write64(ctx, l3 + 511 * 8, fix2 | KERNPG_TABLE);
	kmem_write64(ctx, fix2 + 506 * 8, fix1 | KERNPG_TABLE);
	/* a fixmap slot: the local APIC, uncached */
	kmem_write64(ctx, fix1 + 0x1ff * 8, 0xfee00000ULL | 0x17b | PTE_NX);

	for (uint64_t off = 0; off < k->size; off += SZ_2M) {
		uint64_t prot = off < k->data_off ? PAGE_KERNEL_LARGE_EXEC :
						    PAGE_KERNEL_LARGE;

		map_page(ctx, kimg_virt(ctx, off), kimg_phys(ctx, off), 21, prot);
	}
}

/* init_mem_mapping(): the ISA range with 4K pages, then all System RAM. */
static void build_direct_map(struct gen_ctx *ctx)
{
	map_range(ctx, phys_to_virt(ctx, 0), 0, SZ_1M, PAGE_KERNEL_4K,
		  PAGE_KERNEL_LARGE);
	for (int i = 0; i < ctx->nr_ram; i++) {
		uint64_t s = ctx->ram[i].start, e = ctx->ram[i].end;

		if (e <= SZ_1M)
			continue;
		if (s < SZ_1M)
			s = SZ_1M;
		map_range(ctx, phys_to_virt(ctx, s), s, e - s, PAGE_KERNEL_4K,
			  PAGE_KERNEL_LARGE);
	}
}

/* vmemmap_populate_hugepages(): one 2 MiB page per present section. */
static void build_vmemmap_map(struct gen_ctx *ctx)
{
	for (uint64_t i = 0; i < ctx->nr_present; i++) {
		uint64_t sec = ctx->present_sections[i];
		uint64_t va = pfn_to_page_virt(ctx, sec * PAGES_PER_SECTION);

		map_page(ctx, va, ctx->section_memmap[sec], 21, PAGE_KERNEL_LARGE);
	}
}

/* ---- mem_section (SPARSEMEM_EXTREME) -------------------------------- */

uint64_t pfn_to_page_virt(const struct gen_ctx *ctx, uint64_t pfn)
{
	return ctx->vmemmap_base + pfn * SIZEOF_PAGE;
}

/*
 * memory_present() allocates the root pointer array (NR_SECTION_ROOTS
 * entries, sized for the runtime MAX_PHYSMEM_BITS) and one page of struct
 * mem_section per root in use.  sparse_init_one_section() then stores
 * sparse_encode_mem_map(): the memmap address minus the section's first
 * pfn, which with vmemmap is vmemmap_base itself, plus the flags
 * PRESENT | HAS_MEM_MAP | ONLINE | EARLY.
 */
static void build_mem_section(struct gen_ctx *ctx)
{
	uint64_t roots = memblock_alloc(ctx, ctx->nr_section_roots * 8, 64);
	uint64_t usage = memblock_alloc(ctx, ctx->nr_present * 64, 64);
	uint64_t *root_page = xcalloc(ctx->nr_section_roots, sizeof(uint64_t));

	kmem_page(ctx, PHYS_PFN(roots), true);	/* the array exists even if 0 */
	ctx->mem_section_roots = roots;

	for (uint64_t i = 0; i < ctx->nr_present; i++) {
		uint64_t sec = ctx->present_sections[i];
		uint64_t root = sec / SECTIONS_PER_ROOT;
		uint64_t ms, coded, u = usage + i * 64;

		if (!root_page[root]) {
			root_page[root] = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE);
			kmem_write64(ctx, roots + root * 8,
				     phys_to_virt(ctx, root_page[root]));
		}
		ms = root_page[root] + (sec % SECTIONS_PER_ROOT) * SIZEOF_MEM_SECTION;
		coded = pfn_to_page_virt(ctx, sec * PAGES_PER_SECTION) -
			sec * PAGES_PER_SECTION * SIZEOF_PAGE;
		kmem_write64(ctx, ms, coded | SECTION_MARKED_PRESENT |
			     SECTION_HAS_MEM_MAP | SECTION_IS_ONLINE |
			     SECTION_IS_EARLY);
		kmem_write64(ctx, ms + 8, phys_to_virt(ctx, u));
		/* mem_section_usage: rcu_head, then subsection_map: all 64 */
		kmem_write64(ctx, u + 16, ~0ULL);
	}
	/*
	 * ZONE_DEVICE sections (sparse_add_section): PRESENT | HAS_MEM_MAP,
	 * neither ONLINE nor EARLY; move_pfn_range_to_zone() adds
	 * SECTION_TAINT_ZONE_DEVICE only where a device range starts or ends
	 * inside a section, which never happens here (section-aligned
	 * namespaces).  Their mem_section_usage is kzalloc'd.
	 */
	for (int n = 0; n < ctx->nr_ns; n++) {
		const struct pmem_ns *ns = &ctx->ns[n];
		uint64_t first = ns->start >> SECTION_SIZE_BITS;
		uint64_t last = ns->end >> SECTION_SIZE_BITS;
		uint64_t pusage = memblock_alloc(ctx, (last - first) * 64, 64);

		for (uint64_t sec = first; sec < last; sec++) {
			uint64_t root = sec / SECTIONS_PER_ROOT;
			uint64_t ms, coded, u = pusage + (sec - first) * 64;

			if (!root_page[root]) {
				root_page[root] = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE);
				kmem_write64(ctx, roots + root * 8,
					     phys_to_virt(ctx, root_page[root]));
			}
			ms = root_page[root] +
			     (sec % SECTIONS_PER_ROOT) * SIZEOF_MEM_SECTION;
			coded = pfn_to_page_virt(ctx, sec * PAGES_PER_SECTION) -
				sec * PAGES_PER_SECTION * SIZEOF_PAGE;
			kmem_write64(ctx, ms, coded | SECTION_MARKED_PRESENT |
				     SECTION_HAS_MEM_MAP);
			kmem_write64(ctx, ms + 8, phys_to_virt(ctx, u));
			kmem_write64(ctx, u + 16, ~0ULL);
		}
	}
	free(root_page);
	kmem_write64(ctx, kimg_phys(ctx, ctx->kimg.mem_section_var),
		     phys_to_virt(ctx, roots));
}

/* ---- kernel variables ----------------------------------------------- */

static void write_string(struct gen_ctx *ctx, uint64_t phys, const char *s)
{
	kmem_write(ctx, phys, s, strlen(s) + 1);
}

/* struct new_utsname: six fields of 65 bytes */
static void build_utsname(struct gen_ctx *ctx)
{
	uint64_t uts = kimg_phys(ctx, ctx->kimg.init_uts_ns);

	write_string(ctx, uts + 0 * 65, "Linux");
	write_string(ctx, uts + 1 * 65, "vmcore-gen");
	write_string(ctx, uts + 2 * 65, "6.1.0");
	write_string(ctx, uts + 3 * 65, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0");
	write_string(ctx, uts + 4 * 65, "x86_64");
	write_string(ctx, uts + 5 * 65, "(none)");
}

static void build_kernel_variables(struct gen_ctx *ctx)
{
	const struct kimage *k = &ctx->kimg;
	uint64_t val = kimg_virt(ctx, k->vmap_area_list);

	build_utsname(ctx);
	kmem_write64(ctx, kimg_phys(ctx, k->node_online_map), 1);
	/* LIST_HEAD(vmap_area_list): empty */
	kmem_write64(ctx, kimg_phys(ctx, k->vmap_area_list), val);
	kmem_write64(ctx, kimg_phys(ctx, k->vmap_area_list) + 8, val);
	/* everything else in .data holds (pattern) data; .bss stays zero */
}

/*
 * Objects that struct pages point to.  Their contents do not matter to a
 * dump filter; only their addresses (direct map, 8-byte aligned) do.
 */
static void allocate_kernel_objects(struct gen_ctx *ctx)
{
	uint64_t obj = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE);

	ctx->mapping_file = phys_to_virt(ctx, obj);		/* inode->i_data */
	ctx->mapping_hugetlb = phys_to_virt(ctx, obj + 0x400);
	ctx->mapping_anon = phys_to_virt(ctx, obj + 0x800);	/* anon_vma */
	ctx->mapping_ksm = phys_to_virt(ctx, obj + 0x880);	/* stable_node */
	/* write something so the page is not mistaken for an empty one */
	kmem_write64(ctx, obj + 0x800, ctx->mapping_anon);

	ctx->pgdat = memblock_alloc(ctx, SIZEOF_PGLIST_DATA, 64);
	kmem_write64(ctx, kimg_phys(ctx, ctx->kimg.node_data),
		     phys_to_virt(ctx, ctx->pgdat));

	/* alloc_pages_exact(VMCOREINFO_NOTE_SIZE) and per-cpu crash_notes */
	ctx->vmcoreinfo_note_phys = memblock_alloc(ctx, 2 * PAGE_SIZE, PAGE_SIZE);
	ctx->crash_notes_phys = memblock_alloc(ctx, ctx->opt.cpus * 384, 64);
	pmem_build_objects(ctx);
}

/* ---- struct page ---------------------------------------------------- */

static void put64(uint8_t *p, unsigned int off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static enum zone_idx zone_of_pfn(uint64_t pfn)
{
	if (pfn < PHYS_PFN(16 * SZ_1M))
		return ZONE_DMA;
	if (pfn < PHYS_PFN(4 * SZ_1G))
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

#define BIT(n)	(1ULL << (n))

static bool kind_is_compound(enum page_kind kind)
{
	switch (kind) {
	case KIND_KERNEL_COMPOUND:
	case KIND_CACHE_FOLIO:
	case KIND_THP_ANON:
	case KIND_HUGETLB_FILE:
	case KIND_HUGETLB_ANON:
		return true;
	default:
		return false;
	}
}

static uint8_t compound_dtor(enum page_kind kind)
{
	switch (kind) {
	case KIND_THP_ANON:
		return TRANSHUGE_PAGE_DTOR;
	case KIND_HUGETLB_FILE:
	case KIND_HUGETLB_ANON:
		return HUGETLB_PAGE_DTOR;
	default:
		return COMPOUND_PAGE_DTOR;
	}
}

/* prep_compound_page(): tails point at the head, page[1] has the order. */
static void compound_tail(const struct gen_ctx *ctx, const struct extent *e,
			  uint64_t head, uint64_t idx, uint8_t *sp)
{
	put64(sp, PAGE_OFF_FLAGS, (uint64_t)zone_of_pfn(head) << ZONES_PGSHIFT);
	put64(sp, PAGE_OFF_COMPOUND_HEAD, pfn_to_page_virt(ctx, head) | 1);
	put32(sp, PAGE_OFF_MAPCOUNT, PAGE_TYPE_NONE);
	if (idx == 1) {
		sp[PAGE_OFF_COMPOUND_DTOR] = compound_dtor(e->kind);
		sp[PAGE_OFF_COMPOUND_ORDER] = e->order;
		put32(sp, PAGE_OFF_COMPOUND_MAPCOUNT, PAGE_TYPE_NONE);
		put32(sp, PAGE_OFF_COMPOUND_NR, 1U << e->order);
	} else if (idx == 2 && e->kind == KIND_THP_ANON) {
		/* deferred_list, initialised empty */
		uint64_t self = pfn_to_page_virt(ctx, head + 2) + 24;

		put64(sp, 24, self);
		put64(sp, 32, self);
	} else {
		put64(sp, PAGE_OFF_MAPPING, TAIL_MAPPING);
	}
}

static uint64_t head_flags(enum page_kind kind)
{
	switch (kind) {
	case KIND_CACHE_FOLIO:
		return BIT(PG_head) | BIT(PG_lru) | BIT(PG_uptodate) |
		       BIT(PG_referenced);
	case KIND_THP_ANON:
		return BIT(PG_head) | BIT(PG_lru) | BIT(PG_swapbacked) |
		       BIT(PG_uptodate) | BIT(PG_active);
	case KIND_HUGETLB_FILE:
	case KIND_HUGETLB_ANON:
		return BIT(PG_head) | BIT(PG_uptodate) | BIT(PG_dirty);
	default:
		return BIT(PG_head);
	}
}

static void compound_head_page(const struct gen_ctx *ctx, const struct extent *e,
			       uint64_t pfn, uint8_t *sp)
{
	uint64_t flags = head_flags(e->kind);
	uint64_t mapping = 0;

	switch (e->kind) {
	case KIND_CACHE_FOLIO:
		mapping = ctx->mapping_file;
		break;
	case KIND_THP_ANON:
	case KIND_HUGETLB_ANON:
		mapping = ctx->mapping_anon | PAGE_MAPPING_ANON;
		break;
	case KIND_HUGETLB_FILE:
		mapping = ctx->mapping_hugetlb;
		break;
	default:
		break;
	}
	put64(sp, PAGE_OFF_FLAGS, flags | (uint64_t)zone_of_pfn(pfn) << ZONES_PGSHIFT);
	put64(sp, PAGE_OFF_LRU, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
	put64(sp, PAGE_OFF_LRU + 8, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
	put64(sp, PAGE_OFF_MAPPING, mapping);
	put64(sp, PAGE_OFF_INDEX, mapping ? (pfn & 0xfffff) << e->order : 0);
	if (e->kind == KIND_HUGETLB_FILE || e->kind == KIND_HUGETLB_ANON)
		put64(sp, PAGE_OFF_PRIVATE, 1ULL << 2);	/* HPG_migratable */
	put32(sp, PAGE_OFF_MAPCOUNT, PAGE_TYPE_NONE);
	put32(sp, PAGE_OFF_REFCOUNT, e->kind == KIND_CACHE_FOLIO ?
					1 + (1U << e->order) : 1);
}

/* Buddy block: PageBuddy and the order on the head, nothing on the tails. */
static void free_block_page(const struct extent *e, uint64_t pfn, uint8_t *sp)
{
	if (pfn != e->pfn) {
		if (e->lean_tails)
			return;
		put64(sp, PAGE_OFF_FLAGS, (uint64_t)zone_of_pfn(pfn) << ZONES_PGSHIFT);
		put32(sp, PAGE_OFF_MAPCOUNT, PAGE_TYPE_NONE);
		return;
	}
	put64(sp, PAGE_OFF_FLAGS, (uint64_t)zone_of_pfn(pfn) << ZONES_PGSHIFT);
	put64(sp, PAGE_OFF_LRU, e->lru_next);
	put64(sp, PAGE_OFF_LRU + 8, e->lru_prev);
	put64(sp, PAGE_OFF_PRIVATE, e->order);
	put32(sp, PAGE_OFF_MAPCOUNT, PAGE_BUDDY_MAPCOUNT_VALUE);
}

/* Order-0 pages: flags, mapping, private, _mapcount, _refcount. */
static void single_page(const struct gen_ctx *ctx, const struct extent *e,
			uint64_t pfn, uint8_t *sp)
{
	uint64_t flags = 0, mapping = 0, private = 0, index = 0;
	uint32_t mapcount = PAGE_TYPE_NONE, refcount = 1;
	uint64_t file_index = pfn & 0xffffff;
	uint64_t swp_entry = (pfn << 5) | 1;	/* swap type 1 */

	switch (e->kind) {
	case KIND_PCP_FREE:
		refcount = 0;
		break;
	case KIND_KERNEL_ALLOC:
		break;
	case KIND_SLAB:
	case KIND_SLAB_OFFLINE:
		/* struct slab overlays struct page: slab_cache at ->mapping */
		flags = BIT(PG_slab);
		mapping = ctx->mapping_file + 0x200;
		index = phys_to_virt(ctx, PFN_PHYS(pfn)) + 0x40;  /* freelist */
		private = 0x80002000ULL;			   /* counters */
		mapcount = e->kind == KIND_SLAB ? PAGE_BUDDY_MAPCOUNT_VALUE :
						  PAGE_OFFLINE_MAPCOUNT_VALUE;
		break;
	case KIND_CACHE_ISOLATED:
		flags = BIT(PG_uptodate) | BIT(PG_checked) | BIT(PG_referenced);
		mapping = ctx->mapping_file;
		index = file_index;
		refcount = 2;
		break;
	case KIND_CACHE:
		flags = BIT(PG_lru) | BIT(PG_uptodate) | BIT(PG_referenced);
		mapping = ctx->mapping_file;
		index = file_index;
		break;
	case KIND_CACHE_NOMAPPING:
		flags = BIT(PG_lru) | BIT(PG_uptodate);
		break;
	case KIND_SHMEM_SWAPCACHE:
		flags = BIT(PG_swapcache) | BIT(PG_swapbacked) |
			BIT(PG_uptodate) | BIT(PG_dirty);
		private = swp_entry;
		break;
	case KIND_CACHE_PRIVATE:
		flags = BIT(PG_lru) | BIT(PG_private) | BIT(PG_uptodate);
		mapping = ctx->mapping_file;
		index = file_index;
		private = ctx->mapping_file + 0x300;	/* buffer_head */
		refcount = 2;
		break;
	case KIND_ANON:
		flags = BIT(PG_lru) | BIT(PG_swapbacked) | BIT(PG_uptodate) |
			BIT(PG_active) | BIT(PG_mappedtodisk); /* anon_exclusive */
		mapping = ctx->mapping_anon | PAGE_MAPPING_ANON;
		index = file_index;
		mapcount = 0;
		break;
	case KIND_KSM:
		flags = BIT(PG_lru) | BIT(PG_swapbacked) | BIT(PG_uptodate);
		mapping = ctx->mapping_ksm | PAGE_MAPPING_KSM;
		mapcount = 1;
		refcount = 2;
		break;
	case KIND_ANON_SWAPCACHE:
		flags = BIT(PG_lru) | BIT(PG_swapbacked) | BIT(PG_swapcache) |
			BIT(PG_uptodate);
		mapping = ctx->mapping_anon | PAGE_MAPPING_ANON;
		index = file_index;
		private = swp_entry;
		mapcount = 0;
		refcount = 2;
		break;
	case KIND_HWPOISON:
		flags = BIT(PG_hwpoison);
		break;
	case KIND_OFFLINE:
		mapcount = PAGE_OFFLINE_MAPCOUNT_VALUE;
		break;
	default:
		/* kernel image, memblock, memmap, RAM outside the dump */
		flags = BIT(PG_reserved);
		break;
	}
	put64(sp, PAGE_OFF_FLAGS, flags | (uint64_t)zone_of_pfn(pfn) << ZONES_PGSHIFT);
	put64(sp, PAGE_OFF_LRU, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
	put64(sp, PAGE_OFF_LRU + 8, pfn_to_page_virt(ctx, pfn) + PAGE_OFF_LRU);
	put64(sp, PAGE_OFF_MAPPING, mapping);
	put64(sp, PAGE_OFF_INDEX, index);
	put64(sp, PAGE_OFF_PRIVATE, private);
	put32(sp, PAGE_OFF_MAPCOUNT, mapcount);
	put32(sp, PAGE_OFF_REFCOUNT, refcount);
}

void struct_page_of(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *sp)
{
	const struct extent *e;

	if (pfn_in_pmem(ctx, pfn)) {
		pmem_struct_page(ctx, pfn, sp);
		return;
	}
	e = find_extent(ctx, pfn);
	memset(sp, 0, SIZEOF_PAGE);
	if (!e) {
		/* a hole inside a present section: init_unavailable_range() */
		put64(sp, PAGE_OFF_FLAGS, BIT(PG_reserved) |
		      (uint64_t)zone_of_pfn(pfn) << ZONES_PGSHIFT);
		put32(sp, PAGE_OFF_MAPCOUNT, PAGE_TYPE_NONE);
		put32(sp, PAGE_OFF_REFCOUNT, 1);
		return;
	}
	if (e->kind == KIND_FREE) {
		free_block_page(e, pfn, sp);
		return;
	}
	if (kind_is_compound(e->kind)) {
		uint64_t mask = (1ULL << e->order) - 1;
		uint64_t head = e->pfn + ((pfn - e->pfn) & ~mask);

		if (pfn == head)
			compound_head_page(ctx, e, pfn, sp);
		else
			compound_tail(ctx, e, head, pfn - head, sp);
		return;
	}
	single_page(ctx, e, pfn, sp);
}

/* ---- page contents -------------------------------------------------- */

/* Never all zero: the first word carries a tag and the pfn. */
static void fill_pattern(uint64_t pfn, uint8_t *buf)
{
	uint64_t *w = (uint64_t *)buf;
	uint64_t x = pfn * 0x9e3779b97f4a7c15ULL ^ 0xd1b54a32d192ed03ULL;

	w[0] = 0x766d636f72650000ULL ^ pfn;
	for (size_t i = 1; i < PAGE_SIZE / 8; i++) {
		x ^= x >> 31;
		x *= 0xbf58476d1ce4e5b9ULL;
		w[i] = x;
	}
}

static bool all_zero(const uint8_t *buf)
{
	const uint64_t *w = (const uint64_t *)buf;

	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i])
			return false;
	return true;
}

/* A page of the struct page array: 64 struct pages. */
static void fill_memmap(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf)
{
	uint64_t section_bytes = PAGES_PER_SECTION * SIZEOF_PAGE;
	uint64_t off = PFN_PHYS(pfn) - ctx->vmemmap_phys;
	uint64_t sec = ctx->present_sections[off / section_bytes];
	uint64_t first = sec * PAGES_PER_SECTION +
			 (off % section_bytes) / SIZEOF_PAGE;

	for (unsigned int i = 0; i < PAGE_SIZE / SIZEOF_PAGE; i++)
		struct_page_of(ctx, first + i, buf + i * SIZEOF_PAGE);
}

void page_content(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf,
		  bool *is_zero)
{
	const struct extent *e;
	const uint8_t *mem;

	if (pfn_zeroed(ctx, pfn)) {	/* a live dump's lost page, or past p_filesz */
		memset(buf, 0, PAGE_SIZE);
		*is_zero = true;
		return;
	}
	if (pfn_in_pmem(ctx, pfn)) {
		pmem_page_content(ctx, pfn, buf, is_zero);
		return;
	}
	e = find_extent(ctx, pfn);
	if (e && e->kind == KIND_DEV_MEMMAP) {
		pmem_fill_ram_memmap(ctx, pfn, buf);
		*is_zero = all_zero(buf);
		return;
	}
	if (e && e->kind == KIND_VMEMMAP) {
		fill_memmap(ctx, pfn, buf);
		*is_zero = all_zero(buf);
		return;
	}
	mem = kmem_lookup(ctx, pfn);
	if (mem) {
		memcpy(buf, mem, PAGE_SIZE);
		*is_zero = all_zero(buf);
		return;
	}
	if (e && e->content == CONTENT_PATTERN) {
		fill_pattern(pfn, buf);
		*is_zero = false;
		return;
	}
	memset(buf, 0, PAGE_SIZE);
	*is_zero = true;
}

/* ---- node, zones and free lists ------------------------------------- */

struct zone_span {
	uint64_t start, end, present, free;
};

static void zone_spans(const struct gen_ctx *ctx, struct zone_span *zs)
{
	static const uint64_t limits[] = { 16 * SZ_1M, 4 * SZ_1G, UINT64_MAX };

	memset(zs, 0, sizeof(*zs) * MAX_NR_ZONES);
	for (int z = 0; z < 3; z++) {
		uint64_t lo = z ? limits[z - 1] : 0, hi = limits[z];

		for (int i = 0; i < ctx->nr_ram; i++) {
			uint64_t s = ctx->ram[i].start > lo ? ctx->ram[i].start : lo;
			uint64_t e = ctx->ram[i].end < hi ? ctx->ram[i].end : hi;

			if (s >= e)
				continue;
			if (!zs[z].present)
				zs[z].start = PHYS_PFN(s);
			zs[z].end = PHYS_PFN(e);
			zs[z].present += PHYS_PFN(e - s);
		}
	}
}

static uint64_t free_list_head(const struct gen_ctx *ctx, int zone, int order,
			       int mt)
{
	return ctx->pgdat + zone * SIZEOF_ZONE + ZONE_OFF_FREE_AREA +
	       order * SIZEOF_FREE_AREA + mt * SIZEOF_LIST_HEAD;
}

/*
 * zone->free_area[order].free_list[MIGRATE_MOVABLE] links the buddy heads
 * through page->lru (buddy_list), in address order.  Other lists stay empty.
 */
static void link_free_lists(struct gen_ctx *ctx, struct zone_span *zs)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		for (int order = 0; order < MAX_ORDER; order++) {
			uint64_t head_pa = free_list_head(ctx, z, order, MIGRATE_MOVABLE);
			uint64_t head = phys_to_virt(ctx, head_pa), prev = head;
			struct extent *last = NULL;
			uint64_t nr = 0;

			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				uint64_t l = free_list_head(ctx, z, order, mt);

				kmem_write64(ctx, l, phys_to_virt(ctx, l));
				kmem_write64(ctx, l + 8, phys_to_virt(ctx, l));
			}
			for (size_t i = 0; i < ctx->nr_ext; i++) {
				struct extent *e = &ctx->ext[i];
				uint64_t lru = pfn_to_page_virt(ctx, e->pfn) + PAGE_OFF_LRU;

				if (e->kind != KIND_FREE || e->order != order ||
				    (int)zone_of_pfn(e->pfn) != z)
					continue;
				e->lru_prev = prev;
				if (last)
					last->lru_next = lru;
				else
					kmem_write64(ctx, head_pa, lru);
				last = e;
				prev = lru;
				nr++;
			}
			if (last) {
				last->lru_next = head;
				kmem_write64(ctx, head_pa + 8, prev);
			}
			kmem_write64(ctx, head_pa - MIGRATE_MOVABLE * SIZEOF_LIST_HEAD +
				     FREE_AREA_OFF_NR_FREE, nr);
			zs[z].free += nr << order;
		}
	}
}

static void build_node_data(struct gen_ctx *ctx)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal",
					     "Movable", "Device" };
	struct zone_span zs[MAX_NR_ZONES];
	uint64_t pg = ctx->pgdat, names_pa = ctx->pgdat + SIZEOF_PGLIST_DATA - 256;
	uint64_t present = 0, zref = pg + PGDAT_OFF_ZONELISTS;

	zone_spans(ctx, zs);
	if (ctx->pmem_end) {
		/* move_pfn_range_to_zone() spans ZONE_DEVICE; nothing present */
		zs[ZONE_DEVICE].start = PHYS_PFN(ctx->pmem_start);
		zs[ZONE_DEVICE].end = PHYS_PFN(ctx->pmem_ns_end);
	}
	link_free_lists(ctx, zs);
	ctx->nr_zones = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t zone = pg + z * SIZEOF_ZONE;

		kmem_write32(ctx, zone + ZONE_OFF_NODE, 0);
		kmem_write64(ctx, zone + ZONE_OFF_PGDAT, phys_to_virt(ctx, pg));
		kmem_write64(ctx, zone + ZONE_OFF_START_PFN, zs[z].start);
		kmem_write64(ctx, zone + ZONE_OFF_SPANNED, zs[z].end - zs[z].start);
		kmem_write64(ctx, zone + ZONE_OFF_PRESENT, zs[z].present);
		kmem_write64(ctx, zone + ZONE_OFF_MANAGED, zs[z].present);
		write_string(ctx, names_pa + z * 16, names[z]);
		kmem_write64(ctx, zone + ZONE_OFF_NAME,
			     phys_to_virt(ctx, names_pa + z * 16));
		kmem_write64(ctx, zone + ZONE_OFF_VM_STAT, zs[z].free);
		if (zs[z].present)
			ctx->nr_zones = z + 1;
		present += zs[z].present;
	}
	/* node_zonelists[ZONELIST_FALLBACK]: highest zone first */
	for (int z = MAX_NR_ZONES - 1; z >= 0; z--) {
		if (!zs[z].present)
			continue;
		kmem_write64(ctx, zref, phys_to_virt(ctx, pg + z * SIZEOF_ZONE));
		kmem_write32(ctx, zref + 8, z);
		zref += SIZEOF_ZONEREF;
	}
	kmem_write32(ctx, pg + PGDAT_OFF_NR_ZONES, ctx->nr_zones);
	kmem_write64(ctx, pg + PGDAT_OFF_START_PFN, 0);
	kmem_write64(ctx, pg + PGDAT_OFF_PRESENT, present);
	kmem_write64(ctx, pg + PGDAT_OFF_SPANNED, ctx->pmem_end ?
		     PHYS_PFN(ctx->pmem_ns_end) :
		     PHYS_PFN(ctx->ram[ctx->nr_ram - 1].end));
	kmem_write32(ctx, pg + PGDAT_OFF_NODE_ID, 0);
}

/*
 * Early boot, in kernel order: page tables, sparse memory model, kernel
 * variables and objects.  Everything here is memblock-allocated, so it
 * must happen before the rest of RAM is handed to the page classes.
 */
static void build_early_memory(struct gen_ctx *ctx)
{
	build_kernel_text_tables(ctx);
	build_direct_map(ctx);
	build_vmemmap_map(ctx);
	pmem_build_early(ctx);
	build_mem_section(ctx);
	build_kernel_variables(ctx);
	allocate_kernel_objects(ctx);
	printk_build(ctx);
}

void build_kernel_memory(struct gen_ctx *ctx)
{
	build_early_memory(ctx);
	place_page_classes(ctx);
	build_node_data(ctx);
}
