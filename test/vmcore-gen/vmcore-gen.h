/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmcore-gen: synthetic Linux 6.1 x86_64 /proc/vmcore generator.
 *
 * The generator models a machine's physical memory as a sorted list of
 * extents (runs of page frames that share one "kind": kernel text, page
 * cache, anonymous memory, free buddy blocks, ...).  Struct pages and page
 * contents are derived from the extents on demand, so a large machine does
 * not need its memory image in RAM; only pages the generated kernel really
 * writes (page tables, mem_section, notes, ...) are materialized.
 *
 * Every layout value below follows Linux 6.1 on x86_64 with a Debian-like
 * configuration: SPARSEMEM_VMEMMAP + SPARSEMEM_EXTREME, NUMA with
 * NODES_SHIFT=10, MEMCG, MEMORY_FAILURE, HUGETLB_PAGE, ZONE_DEVICE,
 * X86_5LEVEL (runtime selected), RANDOMIZE_BASE + RANDOMIZE_MEMORY.
 */
#ifndef VMCORE_GEN_H
#define VMCORE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PFN_PHYS(pfn)		((uint64_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(addr)		((uint64_t)(addr) >> PAGE_SHIFT)
#define SZ_1M			(1ULL << 20)
#define SZ_2M			(1ULL << 21)
#define SZ_1G			(1ULL << 30)

#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* include/linux/mmzone.h, arch/x86/include/asm/sparsemem.h */
#define SECTION_SIZE_BITS	27
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)
#define SIZEOF_MEM_SECTION	16	/* no CONFIG_PAGE_EXTENSION */
#define SECTIONS_PER_ROOT	(PAGE_SIZE / SIZEOF_MEM_SECTION)
#define SECTION_MARKED_PRESENT	(1UL << 0)
#define SECTION_HAS_MEM_MAP	(1UL << 1)
#define SECTION_IS_ONLINE	(1UL << 2)
#define SECTION_IS_EARLY	(1UL << 3)
#define SECTION_TAINT_ZONE_DEVICE (1UL << 4)
#define MAX_ORDER		11	/* orders 0..10 */
#define MIGRATE_TYPES		5	/* no CMA; MEMORY_ISOLATION */
#define MIGRATE_MOVABLE		1
#define MAX_NUMNODES		1024	/* NODES_SHIFT=10 */

/* struct page (include/linux/mm_types.h, 64-bit, CONFIG_MEMCG) */
#define SIZEOF_PAGE		64
#define PAGE_OFF_FLAGS		0
#define PAGE_OFF_LRU		8
#define PAGE_OFF_COMPOUND_HEAD	8
#define PAGE_OFF_COMPOUND_DTOR	16
#define PAGE_OFF_COMPOUND_ORDER	17
#define PAGE_OFF_COMPOUND_MAPCOUNT 20
#define PAGE_OFF_COMPOUND_NR	28
#define PAGE_OFF_MAPPING	24
#define PAGE_OFF_INDEX		32
#define PAGE_OFF_PRIVATE	40
#define PAGE_OFF_MAPCOUNT	48
#define PAGE_OFF_REFCOUNT	52
#define PAGE_OFF_MEMCG		56

/*
 * struct zone / struct pglist_data / struct free_area.  makedumpfile 1.7.2
 * reads none of these when it can recognise PageBuddy from _mapcount, but
 * a 6.1 kernel exports them, so the generator fills them consistently with
 * the free pages it places (free lists linked through page->lru).  The
 * offsets are a synthetic yet self-consistent 6.1 x86_64 layout; they are
 * published in VMCOREINFO, which is all a reader may rely on.
 */
#define SIZEOF_LIST_HEAD	16
#define SIZEOF_FREE_AREA	(MIGRATE_TYPES * SIZEOF_LIST_HEAD + 8)
#define FREE_AREA_OFF_NR_FREE	(MIGRATE_TYPES * SIZEOF_LIST_HEAD)
#define SIZEOF_ZONE		1472
#define ZONE_OFF_NODE		80
#define ZONE_OFF_PGDAT		88
#define ZONE_OFF_START_PFN	120
#define ZONE_OFF_MANAGED	128
#define ZONE_OFF_SPANNED	136
#define ZONE_OFF_PRESENT	144
#define ZONE_OFF_NAME		160
#define ZONE_OFF_FREE_AREA	192
#define ZONE_OFF_VM_STAT	1280	/* vm_stat[0] is NR_FREE_PAGES */
#define SIZEOF_ZONEREF		16
#define ZONELIST_BYTES		((MAX_NUMNODES * MAX_NR_ZONES + 1) * SIZEOF_ZONEREF)
#define PGDAT_OFF_ZONELISTS	(MAX_NR_ZONES * SIZEOF_ZONE)
#define PGDAT_OFF_NR_ZONES	(PGDAT_OFF_ZONELISTS + 2 * ZONELIST_BYTES)
#define PGDAT_OFF_START_PFN	(PGDAT_OFF_NR_ZONES + 8)
#define PGDAT_OFF_PRESENT	(PGDAT_OFF_NR_ZONES + 16)
#define PGDAT_OFF_SPANNED	(PGDAT_OFF_NR_ZONES + 24)
#define PGDAT_OFF_NODE_ID	(PGDAT_OFF_NR_ZONES + 32)
#define SIZEOF_PGLIST_DATA	ALIGN_UP(PGDAT_OFF_NODE_ID + 1536, 64)
#define SIZEOF_NODEMASK		(MAX_NUMNODES / 8)

/* enum pageflags (include/linux/page-flags.h, x86_64 config above) */
enum pageflag_bit {
	PG_locked = 0, PG_referenced = 1, PG_uptodate = 2, PG_dirty = 3,
	PG_lru = 4, PG_active = 5, PG_workingset = 6, PG_waiters = 7,
	PG_error = 8, PG_slab = 9, PG_owner_priv_1 = 10, PG_arch_1 = 11,
	PG_reserved = 12, PG_private = 13, PG_private_2 = 14,
	PG_writeback = 15, PG_head = 16, PG_mappedtodisk = 17,
	PG_reclaim = 18, PG_swapbacked = 19, PG_unevictable = 20,
	PG_mlocked = 21, PG_uncached = 22, PG_hwpoison = 23,
	PG_young = 24, PG_idle = 25, PG_arch_2 = 26,
	PG_swapcache = PG_owner_priv_1,
	PG_checked = PG_owner_priv_1,
};

/* page_type values live in _mapcount; a type is a cleared bit */
#define PAGE_TYPE_NONE		0xffffffffU
#define PG_TYPE_BUDDY		0x00000080U
#define PG_TYPE_OFFLINE		0x00000100U
#define PG_TYPE_TABLE		0x00000200U
#define PAGE_BUDDY_MAPCOUNT_VALUE	(~PG_TYPE_BUDDY)
#define PAGE_OFFLINE_MAPCOUNT_VALUE	(~PG_TYPE_OFFLINE)

/* enum compound_dtor_id (include/linux/mm.h) */
#define COMPOUND_PAGE_DTOR	1
#define HUGETLB_PAGE_DTOR	2
#define TRANSHUGE_PAGE_DTOR	3

#define PAGE_MAPPING_ANON	0x1UL
#define PAGE_MAPPING_KSM	0x3UL
#define TAIL_MAPPING		0xdead000000000400UL

/* page->flags upper fields: NODES_PGSHIFT 54, ZONES_PGSHIFT 52 */
#define ZONES_PGSHIFT		52
enum zone_idx { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE,
		ZONE_DEVICE, MAX_NR_ZONES };

/* x86_64 virtual layout (arch/x86/include/asm/pgtable_64_types.h) */
#define START_KERNEL_MAP	0xffffffff80000000UL
#define START_KERNEL		0xffffffff81000000UL	/* _text w/o KASLR */
#define LOAD_PHYSICAL_ADDR	0x1000000UL
#define KERNEL_IMAGE_SIZE	(1024UL * 1024 * 1024)
#define PAGE_OFFSET_BASE_L4	0xffff888000000000UL
#define PAGE_OFFSET_BASE_L5	0xff11000000000000UL
#define VMALLOC_BASE_L4		0xffffc90000000000UL
#define VMALLOC_BASE_L5		0xffa0000000000000UL
#define VMEMMAP_BASE_L4		0xffffea0000000000UL
#define VMEMMAP_BASE_L5		0xffd4000000000000UL
#define VMALLOC_SIZE_TB_L4	32UL
#define VMALLOC_SIZE_TB_L5	12800UL
#define CPU_ENTRY_AREA_BASE	0xfffffe0000000000UL

/* page table entry bits (arch/x86/include/asm/pgtable_types.h) */
#define PTE_PRESENT		0x001UL
#define PTE_RW			0x002UL
#define PTE_ACCESSED		0x020UL
#define PTE_DIRTY		0x040UL
#define PTE_PSE			0x080UL
#define PTE_GLOBAL		0x100UL
#define PTE_NX			(1UL << 63)
#define KERNPG_TABLE		(PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY)
#define PAGE_KERNEL_4K		(KERNPG_TABLE | PTE_GLOBAL | PTE_NX)
#define PAGE_KERNEL_LARGE	(KERNPG_TABLE | PTE_GLOBAL | PTE_PSE | PTE_NX)
#define PAGE_KERNEL_LARGE_EXEC	(KERNPG_TABLE | PTE_GLOBAL | PTE_PSE)

/*
 * What makedumpfile -d can do with a page.  The generator decides the class
 * of every page frame it describes; the manifest reports the totals.
 */
enum page_class {
	CLASS_KERNEL,		/* never excludable */
	CLASS_CACHE,		/* non-private page cache (-d 2 or 4) */
	CLASS_CACHE_PRIVATE,	/* page cache with PG_private (-d 4) */
	CLASS_USER,		/* anonymous / hugetlbfs (-d 8) */
	CLASS_FREE,		/* buddy allocator (-d 16) */
	CLASS_HWPOISON,		/* always excluded */
	CLASS_OFFLINE,		/* always excluded */
	NR_CLASSES,
};

/* How a run of page frames looks (struct page + content recipe). */
enum page_kind {
	KIND_RESERVED,		/* RAM not in the dump: low 1M, crashkernel */
	KIND_KERNEL_TEXT,	/* kernel image text/rodata */
	KIND_KERNEL_DATA,	/* kernel image .data (materialized/pattern) */
	KIND_KERNEL_BSS,	/* kernel image .bss (materialized/zero) */
	KIND_MEMBLOCK,		/* early allocations: page tables, mem_section */
	KIND_VMEMMAP,		/* backing of the struct page array */
	KIND_KERNEL_ALLOC,	/* ordinary kernel pages (refcount 1) */
	KIND_PCP_FREE,		/* free but on a per-cpu list: not PageBuddy */
	KIND_KERNEL_COMPOUND,	/* order-3 kernel compound page, no mapping */
	KIND_SLAB,		/* PG_slab whose page_type word reads as buddy */
	KIND_SLAB_OFFLINE,	/* PG_slab whose page_type word reads offline */
	KIND_CACHE_ISOLATED,	/* page cache taken off the LRU: kept */
	KIND_CACHE,		/* PG_lru, mapping = address_space */
	KIND_CACHE_NOMAPPING,	/* PG_lru, mapping NULL (being truncated) */
	KIND_SHMEM_SWAPCACHE,	/* PG_swapcache|PG_swapbacked, not on LRU */
	KIND_CACHE_FOLIO,	/* compound page cache (large folio / THP) */
	KIND_CACHE_PRIVATE,	/* PG_lru|PG_private, mapping = address_space */
	KIND_ANON,		/* mapping = anon_vma | PAGE_MAPPING_ANON */
	KIND_KSM,		/* mapping = stable_node | PAGE_MAPPING_KSM */
	KIND_ANON_SWAPCACHE,	/* anon + PG_swapcache|PG_swapbacked */
	KIND_THP_ANON,		/* order-9 anonymous THP */
	KIND_HUGETLB_FILE,	/* hugetlbfs page, mapping = address_space */
	KIND_HUGETLB_ANON,	/* private hugetlb page, anon mapping */
	KIND_FREE,		/* buddy block head + tails */
	KIND_HWPOISON,		/* PG_hwpoison */
	KIND_OFFLINE,		/* PageOffline (balloon) */
	KIND_DEV_MEMMAP,	/* struct pages of a map=mem pmem namespace */
	NR_KINDS,
};

enum content {
	CONTENT_ZERO,		/* all-zero page */
	CONTENT_PATTERN,	/* pfn-derived, never all zero */
	CONTENT_MEMORY,		/* materialized page if any, else zero */
	CONTENT_MEMMAP,		/* struct pages generated from the extents */
};

struct extent {
	uint64_t pfn;		/* first page frame */
	uint64_t npages;
	enum page_kind kind;
	enum content content;
	uint8_t order;		/* compound/buddy order, 0 for single pages */
	bool lean_tails;	/* tail struct pages left all-zero (see layout.c) */
	uint64_t lru_next;	/* buddy head: free list links (virtual) */
	uint64_t lru_prev;
	uint64_t aux;		/* kind specific: mapping pointer, ... */
};

/* A physical range [start, end) in bytes. */
struct range {
	uint64_t start;
	uint64_t end;
};

#define MAX_RANGES	16

#define LIVEDUMP_NOTE_TYPE	0x4c44	/* kernel/livedump.c: LD_NOTE_TYPE */
#define MAX_LIVEDUMP_LINES	16
#define MAX_PMEM_PIECES		8
#define LIVEDUMP_CAPTURE_NSEC	123456789u

/* --pmem-capture: how much of the pmem PT_LOAD the file holds */
enum pmem_capture {
	PMEM_CAPTURE_ALL,	/* all of it, as a crash dump */
	PMEM_CAPTURE_LIVEDUMP,	/* the memmaps and info blocks, as a live dump */
	PMEM_CAPTURE_PREFIX,	/* up to namespace 0's data: 0 < p_filesz < p_memsz */
};

/* A pmem PT_LOAD: [start, end), the first filesz bytes in the file. */
struct pmem_piece {
	uint64_t start, end, filesz;
};

struct gen_options {
	uint64_t mem_mib;
	uint64_t large_mib;	/* 0: small machine */
	int paging;		/* 4 or 5 */
	uint64_t kaslr_seed;	/* 0: KASLR off */
	int cpus;
	uint64_t pmem_mib;	/* 0: no persistent memory */
	uint64_t pmem_ns_mib;	/* namespaces in the first N MiB; 0: all */
	int pmem_namespaces;	/* 1: fsdax map=dev; 2: + fsdax map=mem */
	bool pmem_flag;		/* PF_DEV on the pmem PT_LOAD */
	bool no_pmem_load;	/* pmem not in the PT_LOADs (stock kdump) */
	bool pmem_list;		/* devm_memmap_vmcore list + VMCOREINFO */
	bool pmem_sparse_meta;	/* write only the struct pages of file pfns */
	int printk;		/* enum printk_mode: the kernel log ring */
	unsigned int printk_damage;	/* PRK_DAMAGE_* bits */
	/* a live dump's image (livedump.c) */
	bool livedump;		/* the LIVEDUMP note */
	const char *livedump_state;	/* STATE=; "none": no STATE or REASON line */
	const char *livedump_reason;
	uint64_t livedump_lost;	/* pages not captured: zeros, listed */
	const char *livedump_lines[MAX_LIVEDUMP_LINES];	/* appended as they are */
	int nr_livedump_lines;
	int pmem_capture;	/* enum pmem_capture */
	uint64_t ram_filesz_cut;	/* pages of a RAM PT_LOAD past p_filesz */
	const char *out;
};

/* ---- persistent memory (pmem.c) ---- */
#define PF_DEV			(1U << 4)	/* p_flags: device memory */
#define PFN_MODE_RAM		1
#define PFN_MODE_PMEM		2
#define PMEM_MAX_NS		2
#define PMEM_MAX_RUNS		5
#define PAGE_MAPPING_DAX_COW	0x1UL
#define SIZEOF_DEVM_MEMMAP_VMCORE 32

/* ---- the kernel log: Linux 6.1's lockless printk ring (printk.c) -- */
enum printk_mode { PRINTK_NONE, PRINTK_PLAIN, PRINTK_WRAPPED, PRINTK_CONT,
		   PRINTK_DICT };

/* --printk-damage: what is broken after the log is written */
#define PRK_DAMAGE_STATE	(1U << 0)	/* a state_var of garbage */
#define PRK_DAMAGE_ID		(1U << 1)	/* a descriptor claims another id */
#define PRK_DAMAGE_SEQ		(1U << 2)	/* a printk_info.seq out of sequence */
#define PRK_DAMAGE_LPOS		(1U << 3)	/* a text block outside the live data */
#define PRK_DAMAGE_LEN		(1U << 4)	/* a text_len past its block's end */
#define PRK_DAMAGE_RECORDS	0x1fU		/* the per-record kinds */
#define PRK_DAMAGE_HEAD		(1U << 5)	/* head_id one behind tail_id */
#define PRK_DAMAGE_BITS		(1U << 6)	/* text data ring size_bits 0 */
#define PRK_DAMAGE_COUNT	(1U << 7)	/* desc ring count_bits 31 */
#define PRK_DAMAGE_DESCS	(1U << 8)	/* descs pointer unmapped */
#define PRK_DAMAGE_EVERY	(1U << 9)	/* every state_var garbage */

/*
 * Layouts on x86_64, as 6.1's log_buf_vmcoreinfo_setup() exports them:
 * struct printk_ringbuffer { prb_desc_ring desc_ring; prb_data_ring
 * text_data_ring; atomic_long_t fail; } and its members.
 */
#define SIZEOF_PRINTK_RINGBUFFER	88
#define PRB_OFF_DESC_RING		0
#define PRB_OFF_TEXT_DATA_RING		48
#define PRB_OFF_FAIL			80
#define SIZEOF_PRB_DESC_RING		48
#define DESC_RING_OFF_COUNT_BITS	0	/* unsigned int */
#define DESC_RING_OFF_DESCS		8
#define DESC_RING_OFF_INFOS		16
#define DESC_RING_OFF_HEAD_ID		24	/* atomic_long_t */
#define DESC_RING_OFF_TAIL_ID		32
#define DESC_RING_OFF_LAST_FINALIZED	40	/* not exported */
#define SIZEOF_PRB_DESC			24
#define PRB_DESC_OFF_STATE_VAR		0
#define PRB_DESC_OFF_TEXT_BLK_LPOS	8
#define SIZEOF_PRB_DATA_BLK_LPOS	16
#define LPOS_OFF_BEGIN			0
#define LPOS_OFF_NEXT			8
#define SIZEOF_PRINTK_INFO		88
#define INFO_OFF_SEQ			0
#define INFO_OFF_TS_NSEC		8
#define INFO_OFF_TEXT_LEN		16	/* u16 */
#define INFO_OFF_FACILITY		18	/* u8 */
#define INFO_OFF_FLAGS_LEVEL		19	/* u8 flags:5, level:3 */
#define INFO_OFF_CALLER_ID		20	/* u32 */
#define INFO_OFF_DEV_INFO		24
#define SIZEOF_DEV_PRINTK_INFO		64
#define DEV_INFO_OFF_SUBSYSTEM		0
#define DEV_INFO_SUBSYSTEM_LEN		16
#define DEV_INFO_OFF_DEVICE		16
#define DEV_INFO_DEVICE_LEN		48
#define SIZEOF_PRB_DATA_RING		32
#define DATA_RING_OFF_SIZE_BITS		0	/* unsigned int */
#define DATA_RING_OFF_DATA		8
#define DATA_RING_OFF_HEAD_LPOS		16
#define DATA_RING_OFF_TAIL_LPOS		24
#define SIZEOF_ATOMIC_LONG		8
#define ATOMIC_LONG_OFF_COUNTER		0
#define SIZEOF_LATCHED_SEQ		24	/* seqcount_latch_t, u64 val[2] */
#define LATCHED_SEQ_OFF_VAL		8

/* A run of data pfns that belong to a file on the DAX filesystem. */
struct pmem_run {
	uint64_t pfn, npages;
	uint64_t mapping;	/* address_space, or PAGE_MAPPING_DAX_COW */
	uint64_t index;		/* of the first page; share count for CoW */
};

struct pmem_ns {
	uint64_t start, end;		/* physical bytes, end exclusive */
	bool map_dev;			/* struct pages on the device (altmap) */
	uint64_t dataoff, npfns;	/* nd_pfn_sb */
	uint64_t meta_start, meta_end;	/* base_pfn + reserve .. + free */
	uint64_t memmap_start, memmap_end; /* the struct page blocks */
	uint64_t pgmap;			/* virtual: its struct dev_pagemap */
	uint64_t list_entry;		/* phys: devm_memmap_vmcore, or 0 */
	struct pmem_run run[PMEM_MAX_RUNS];
	int nr_runs;
};

/* A materialized 4 KiB page of the synthetic machine. */
struct kpage {
	uint64_t pfn;		/* UINT64_MAX: empty hash slot */
	uint8_t *data;
};

/* Kernel image layout: offsets from _text. */
struct kimage {
	uint64_t text_virt;	/* _text */
	uint64_t phys;		/* __pa_symbol(_text) */
	uint64_t size;		/* _end - _text */
	uint64_t data_off;	/* start of .data */
	uint64_t bss_off;	/* start of .bss */
	/* symbols, as offsets from _text */
	uint64_t init_top_pgt, level4_kernel_pgt, level3_kernel_pgt;
	uint64_t level2_kernel_pgt, level2_fixmap_pgt, level1_fixmap_pgt;
	uint64_t init_uts_ns, node_online_map, node_data, mem_section_var;
	uint64_t vmap_area_list, contig_vars_end;
};

struct gen_ctx {
	struct gen_options opt;
	uint64_t rng;			/* splitmix64 state (KASLR) */

	/* virtual layout */
	bool l5;
	uint64_t page_offset_base, vmalloc_base, vmemmap_base;
	uint64_t kaslr_offset;		/* _text - START_KERNEL */
	uint64_t phys_base;		/* may be "negative" */
	int max_physmem_bits;
	uint64_t nr_section_roots;
	struct kimage kimg;

	/* physical layout */
	struct range ram[MAX_RANGES];	/* System RAM (e820) */
	int nr_ram;
	struct range dump[MAX_RANGES];	/* RAM PT_LOADs (vmcore) */
	int nr_dump;
	uint64_t max_pfn;		/* end of the highest PT_LOAD */
	uint64_t crashk_start, crashk_end;
	int memblock_range;		/* RAM range memblock allocates from */

	/* memblock: top-down allocator for early kernel data */
	struct range mb_free[MAX_RANGES]; /* free gaps, ascending */
	int nr_mb_free;
	uint64_t memblock_floor;	/* lowest address it handed out */
	uint64_t vmemmap_phys;		/* backing of all present sections */
	uint64_t vmemmap_size;
	uint64_t *section_memmap;	/* per section: phys of its memmap or 0 */
	uint64_t nr_sections;		/* sections up to max RAM pfn */
	uint64_t *present_sections;	/* section numbers, ascending */
	uint64_t nr_present;

	/* free ranges still available for page classes (pfns) */
	struct range *free_ranges;
	int nr_free_ranges, cap_free_ranges;

	struct extent *ext;
	size_t nr_ext, cap_ext;

	struct kpage *kmem;		/* open addressing hash */
	size_t kmem_cap, kmem_used;

	/* kernel objects placed in memory */
	uint64_t mem_section_roots;	/* phys of the root pointer array */
	uint64_t pgdat;			/* phys of node 0 pglist_data */
	uint64_t mapping_file, mapping_anon, mapping_ksm, mapping_hugetlb;
	uint64_t vmcoreinfo_note_phys, crash_notes_phys;
	char *vmcoreinfo;
	size_t vmcoreinfo_len;
	uint8_t *notes;			/* merged PT_NOTE contents */
	size_t notes_len;
	int nr_zones;
	uint64_t zone_end_pfn[MAX_NR_ZONES];

	/* persistent memory: one region, its namespaces */
	uint64_t pmem_start, pmem_end;	/* 0, 0: none */
	uint64_t pmem_ns_end;		/* end of the namespaces; above: unallocated */
	bool pmem_loaded;		/* in a PT_LOAD */
	int nr_ns;
	struct pmem_ns ns[PMEM_MAX_NS];
	uint64_t devm_list_head;	/* offset from _text (in .data) */

	/* the printk ring (--printk): printk.c */
	struct printk_model *printk;

	/* a live dump (livedump.c) */
	struct range *zeroed;		/* pfns that read as zeros: lost, then cut */
	int nr_zeroed;
	int nr_lost;			/* the first nr_lost of zeroed, a page each */
	int cut_dump;			/* the RAM PT_LOAD cut by --ram-filesz-cut */
	struct pmem_piece pieces[MAX_PMEM_PIECES];	/* the pmem PT_LOADs */
	int nr_pieces;
	char *ld_note;			/* the LIVEDUMP note's text, NUL included */
	size_t ld_note_len;
};

/* util */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
uint64_t rng_next(struct gen_ctx *ctx);
uint64_t rng_below(struct gen_ctx *ctx, uint64_t bound);

/* layout.c */
void layout_machine(struct gen_ctx *ctx);
void place_page_classes(struct gen_ctx *ctx);
const struct extent *find_extent(const struct gen_ctx *ctx, uint64_t pfn);
enum page_class kind_class(enum page_kind kind);
const char *kind_name(enum page_kind kind);
bool pfn_is_dumped(const struct gen_ctx *ctx, uint64_t pfn);
uint64_t memblock_alloc(struct gen_ctx *ctx, uint64_t size, uint64_t align);
static inline uint64_t phys_to_virt(const struct gen_ctx *ctx, uint64_t pa)
{
	return ctx->page_offset_base + pa;
}
static inline uint64_t kimg_virt(const struct gen_ctx *ctx, uint64_t off)
{
	return ctx->kimg.text_virt + off;
}
static inline uint64_t kimg_phys(const struct gen_ctx *ctx, uint64_t off)
{
	return ctx->kimg.phys + off;
}

/* kmem.c */
uint8_t *kmem_page(struct gen_ctx *ctx, uint64_t pfn, bool create);
void kmem_write(struct gen_ctx *ctx, uint64_t phys, const void *buf, size_t len);
void kmem_write64(struct gen_ctx *ctx, uint64_t phys, uint64_t val);
void kmem_write32(struct gen_ctx *ctx, uint64_t phys, uint32_t val);
void build_kernel_memory(struct gen_ctx *ctx);
void page_content(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf,
		  bool *is_zero);
void struct_page_of(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *sp);
uint64_t pfn_to_page_virt(const struct gen_ctx *ctx, uint64_t pfn);

void map_range(struct gen_ctx *ctx, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t prot_4k, uint64_t prot_large);
void map_page(struct gen_ctx *ctx, uint64_t va, uint64_t pa, int leaf_shift,
	      uint64_t prot);

/* pmem.c */
void pmem_layout(struct gen_ctx *ctx);
bool pfn_in_pmem(const struct gen_ctx *ctx, uint64_t pfn);
void pmem_build_early(struct gen_ctx *ctx);
void pmem_build_objects(struct gen_ctx *ctx);
void pmem_struct_page(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *sp);
void pmem_page_content(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf,
		       bool *is_zero);
void pmem_fill_ram_memmap(const struct gen_ctx *ctx, uint64_t pfn, uint8_t *buf);
typedef void (*pmem_run_fn)(const struct gen_ctx *ctx, uint64_t pfn,
			    uint64_t npages, void *arg);
void pmem_for_each_nonzero(const struct gen_ctx *ctx, pmem_run_fn fn, void *arg);
void pmem_write_manifest(const struct gen_ctx *ctx, FILE *f);

/* printk.c: the printk ring */
void printk_build(struct gen_ctx *ctx);
uint64_t printk_symbol(const struct gen_ctx *ctx, const char *name);
void printk_write_manifest(const struct gen_ctx *ctx, FILE *f);
int printk_parse_mode(const char *s);
unsigned int printk_parse_damage(const char *s);
void printk_free(struct gen_ctx *ctx);

/* A growing string: buf starts allocated, cap bytes (elfcore.c). */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* livedump.c */
void livedump_prepare(struct gen_ctx *ctx);
bool pfn_zeroed(const struct gen_ctx *ctx, uint64_t pfn);
uint64_t zeroed_pages_in(const struct gen_ctx *ctx, uint64_t pfn, uint64_t n);
void livedump_write_manifest(const struct gen_ctx *ctx, FILE *f);

/* elfcore.c */
uint64_t crash_time(const struct gen_ctx *ctx);
void build_vmcoreinfo(struct gen_ctx *ctx);
void build_notes(struct gen_ctx *ctx);
void write_vmcore(struct gen_ctx *ctx, const char *path);

#endif /* VMCORE_GEN_H */
