// SPDX-License-Identifier: GPL-2.0-only
/*
 * A live dump's image (kernel-patches/, series 2: kernel/livedump.c, and
 * doc/livedump-design.md, "The image"), as far as a reader sees it apart
 * from a crash dump:
 *
 *   - a LIVEDUMP note (type 0x4c44) after VMCOREINFO: NUL-terminated text,
 *     the lines ld_note_text() writes, in its order, with the state,
 *     reason and lost pages the test asks for (--livedump*);
 *   - lost pages: zeros in the image, counted in PAGES_LOST and listed in
 *     LOST_PFNS as ld_append_list() lists them ("%lx-%lx", at most 64
 *     ranges, then ",...(N ranges)");
 *   - pmem PT_LOADs with PF_DEV of which only the device memmaps and
 *     their info blocks are in the file (--pmem-capture livedump, as
 *     ld_add_memmap() splits them: p_filesz = p_memsz or 0), or one whose
 *     file data stops after namespace 0's metadata (--pmem-capture
 *     prefix: 0 < p_filesz < p_memsz);
 *   - --ram-filesz-cut: a RAM PT_LOAD whose last pages are past p_filesz
 *     (they read as zeros), for the readers' sake.
 *
 * The PT_LOAD layout is otherwise the generator's (kexec_file's: no low
 * 1 MiB, no crashkernel), so the same machine with and without these
 * options differs only where they say.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmcore-gen.h"

#define LD_LIST_MAX	64	/* ranges ld_append_list() writes out */
#define LD_INFO_BLOCK	(2 * PAGE_SIZE)
#define LD_NOT_CAPTURED \
	"dma,user-mappings,user-pte-accessed-dirty,text-poke,vmap-after-stop,cpa-set-rw,pmem"

/* ---- pages that read as zeros ---------------------------------------- */

static void add_zeroed(struct gen_ctx *ctx, uint64_t pfn, uint64_t n)
{
	ctx->zeroed = xrealloc(ctx->zeroed, (ctx->nr_zeroed + 1) * sizeof(*ctx->zeroed));
	ctx->zeroed[ctx->nr_zeroed++] = (struct range){ pfn, pfn + n };
}

bool pfn_zeroed(const struct gen_ctx *ctx, uint64_t pfn)
{
	for (int i = 0; i < ctx->nr_zeroed; i++)
		if (pfn >= ctx->zeroed[i].start && pfn < ctx->zeroed[i].end)
			return true;
	return false;
}

/* Pages of [pfn, pfn + n) that read as zeros though their kind has data. */
uint64_t zeroed_pages_in(const struct gen_ctx *ctx, uint64_t pfn, uint64_t n)
{
	uint64_t count = 0;

	for (int i = 0; i < ctx->nr_zeroed; i++) {
		uint64_t lo = ctx->zeroed[i].start > pfn ? ctx->zeroed[i].start : pfn;
		uint64_t hi = ctx->zeroed[i].end < pfn + n ? ctx->zeroed[i].end : pfn + n;

		if (lo < hi)
			count += hi - lo;
	}
	return count;
}

/*
 * Only pages whose content nothing reads may be zeroed: data pages
 * (pattern content), never the kernel's structures, which the filter and
 * the generator's own tally look into.
 */
static bool may_zero(struct gen_ctx *ctx, uint64_t pfn)
{
	const struct extent *e = find_extent(ctx, pfn);

	return e && kind_class(e->kind) != CLASS_KERNEL && e->content != CONTENT_MEMORY &&
	       e->content != CONTENT_MEMMAP && !kmem_page(ctx, pfn, false);
}

/*
 * --livedump-lost N: every other page of the anonymous extents, from the
 * lowest, so that each lost page is a range of its own and their content
 * (a pattern) really goes. At -d 8 and above they are left out as user
 * data anyway; below, they are zero pages.
 */
static void choose_lost(struct gen_ctx *ctx)
{
	uint64_t left = ctx->opt.livedump_lost;

	for (size_t i = 0; left && i < ctx->nr_ext; i++) {
		const struct extent *e = &ctx->ext[i];

		if (e->kind != KIND_ANON || e->content != CONTENT_PATTERN ||
		    !pfn_is_dumped(ctx, e->pfn))
			continue;
		for (uint64_t p = e->pfn; left && p < e->pfn + e->npages; p += 2) {
			if (!may_zero(ctx, p))
				continue;
			add_zeroed(ctx, p, 1);
			ctx->nr_lost++;
			left--;
		}
	}
	if (left)
		die("--livedump-lost: only %d anonymous pages to lose", ctx->nr_lost);
}

/*
 * --ram-filesz-cut N: the last N pages of the highest RAM PT_LOAD that
 * does not end in the early allocations (page tables, memmap) and ends in
 * data pages.
 */
static void choose_cut(struct gen_ctx *ctx)
{
	uint64_t n = ctx->opt.ram_filesz_cut;

	for (int i = ctx->nr_dump - 1; i >= 0; i--) {
		uint64_t end = PHYS_PFN(ctx->dump[i].end), p;

		if (PHYS_PFN(ctx->dump[i].end - ctx->dump[i].start) <= n)
			continue;
		for (p = end - n; p < end && may_zero(ctx, p); p++)
			;
		if (p < end)
			continue;
		ctx->cut_dump = i;
		add_zeroed(ctx, end - n, n);
		return;
	}
	die("--ram-filesz-cut: no RAM PT_LOAD ends in %" PRIu64 " data pages", n);
}

/* ---- pmem pieces ------------------------------------------------------ */

static void add_piece(struct gen_ctx *ctx, uint64_t start, uint64_t end, uint64_t filesz)
{
	if (ctx->nr_pieces == MAX_PMEM_PIECES)
		die("internal: too many pmem pieces");
	ctx->pieces[ctx->nr_pieces++] = (struct pmem_piece){ start, end, filesz };
}

/*
 * The PF_DEV PT_LOADs of the region: one whole (a crash dump), or as
 * ld_setup_pmem() cuts it: each device memmap on the list is captured
 * with the 8 KiB before it (the zero page and the info block), the rest
 * of the region is described but not in the file.
 */
static void pmem_pieces(struct gen_ctx *ctx)
{
	uint64_t from = ctx->pmem_start;

	if (!ctx->pmem_loaded)
		return;
	if (ctx->opt.pmem_capture == PMEM_CAPTURE_PREFIX) {
		add_piece(ctx, ctx->pmem_start, ctx->pmem_end,
			  ctx->ns[0].start + ctx->ns[0].dataoff - ctx->pmem_start);
		return;
	}
	if (ctx->opt.pmem_capture != PMEM_CAPTURE_LIVEDUMP) {
		add_piece(ctx, ctx->pmem_start, ctx->pmem_end, ctx->pmem_end - ctx->pmem_start);
		return;
	}
	for (int i = 0; i < ctx->nr_ns; i++) {
		const struct pmem_ns *ns = &ctx->ns[i];
		uint64_t start;

		if (!ns->list_entry)	/* not on the list: nothing captured */
			continue;
		start = ns->meta_start >= from + LD_INFO_BLOCK ? ns->meta_start - LD_INFO_BLOCK : from;
		if (start > from)
			add_piece(ctx, from, start, 0);
		add_piece(ctx, start, ns->meta_end, ns->meta_end - start);
		from = ns->meta_end;
	}
	if (from < ctx->pmem_end)
		add_piece(ctx, from, ctx->pmem_end, 0);
}

/* ---- the note ------------------------------------------------------------ */

static uint64_t ram_pages(const struct gen_ctx *ctx)
{
	uint64_t n = 0;

	for (int i = 0; i < ctx->nr_dump; i++)
		n += PHYS_PFN(ctx->dump[i].end - ctx->dump[i].start);
	return n;
}

static uint64_t pmem_captured_pages(const struct gen_ctx *ctx)
{
	uint64_t n = 0;

	for (int i = 0; i < ctx->nr_pieces; i++)
		n += PHYS_PFN(ctx->pieces[i].filesz);
	return n;
}

/* ld_note_text(): the lines in its order, NUL-terminated. */
static void build_note_text(struct gen_ctx *ctx)
{
	const struct gen_options *o = &ctx->opt;
	uint64_t ram = ram_pages(ctx), stop = 7788, fault = 2515, loose = 2530;
	struct strbuf sb = { xcalloc(1, 4096), 0, 4096 };
	int shown = 0;

	sb_printf(&sb, "LIVEDUMP_VERSION=1\n");
	if (strcmp(o->livedump_state, "none"))
		sb_printf(&sb, "STATE=%s\nREASON=%s\n", o->livedump_state,
			  o->livedump_reason ? o->livedump_reason : "");
	sb_printf(&sb, "CAPTURE_TIME=%" PRIu64 ".%09u\n", crash_time(ctx),
		  LIVEDUMP_CAPTURE_NSEC);
	sb_printf(&sb, "STOP_US=32600\n");
	if (ram < stop + fault + loose + ctx->nr_lost)
		die("internal: the machine is too small for the live dump's counts");
	sb_printf(&sb, "PAGES_RAM=%" PRIu64 "\nPAGES_STOP=%" PRIu64 "\nPAGES_FAULT=%" PRIu64
		  "\nPAGES_SWEEP=%" PRIu64 "\nPAGES_UNPROTECTED=%" PRIu64
		  "\nPAGES_LOST=%d\nPAGES_EXCLUDED=0\n", ram, stop, fault,
		  ram - stop - fault - loose - ctx->nr_lost, loose, ctx->nr_lost);
	sb_printf(&sb, "PAGES_PMEM=%" PRIu64 "\n", pmem_captured_pages(ctx));
	sb_printf(&sb, "NOT_CAPTURED=%s\n", LD_NOT_CAPTURED);
	sb_printf(&sb, "LOST_PFNS=");
	for (int i = 0; i < ctx->nr_lost; i++) {
		const struct range *z = &ctx->zeroed[i];	/* the cut comes after */

		if (shown++ < LD_LIST_MAX)
			sb_printf(&sb, "%s%" PRIx64 "-%" PRIx64, shown > 1 ? "," : "",
				  z->start, z->end - 1);
	}
	if (shown > LD_LIST_MAX)
		sb_printf(&sb, ",...(%d ranges)", shown);
	sb_printf(&sb, "\nEXCLUDED_PFNS=\n");
	for (int i = 0; i < o->nr_livedump_lines; i++)
		sb_printf(&sb, "%s\n", o->livedump_lines[i]);
	ctx->ld_note = sb.buf;
	ctx->ld_note_len = sb.len + 1;	/* the NUL, as ld_write_header() writes it */
}

void livedump_prepare(struct gen_ctx *ctx)
{
	if (ctx->opt.livedump_lost)
		choose_lost(ctx);
	if (ctx->opt.ram_filesz_cut)
		choose_cut(ctx);
	pmem_pieces(ctx);
	if (ctx->opt.livedump)
		build_note_text(ctx);
}

void livedump_write_manifest(const struct gen_ctx *ctx, FILE *f)
{
	const struct range *cut = ctx->opt.ram_filesz_cut ? &ctx->zeroed[ctx->nr_zeroed - 1] : NULL;

	if (ctx->opt.livedump) {
		fprintf(f, "# live dump (test/vmcore-gen/livedump.c)\n");
		fprintf(f, "livedump=1\n");
		fprintf(f, "livedump_state=%s\n", ctx->opt.livedump_state);
		fprintf(f, "livedump_reason=%s\n",
			ctx->opt.livedump_reason ? ctx->opt.livedump_reason : "");
		fprintf(f, "livedump_capture_sec=%" PRIu64 "\n", crash_time(ctx));
		fprintf(f, "livedump_capture_nsec=%u\n", LIVEDUMP_CAPTURE_NSEC);
		fprintf(f, "livedump_lost_pages=%d\n", ctx->nr_lost);
		for (int i = 0; i < ctx->nr_lost; i++)
			fprintf(f, "livedump_lost.%d=0x%" PRIx64 "\n", i, ctx->zeroed[i].start);
	}
	if (cut)
		fprintf(f, "ram_filesz_cut=0x%" PRIx64 "-0x%" PRIx64 " ptload.%d\n",
			PFN_PHYS(cut->start), PFN_PHYS(cut->end), ctx->cut_dump + 1);
	if (ctx->opt.pmem_capture) {
		fprintf(f, "pmem_capture=%s\n",
			ctx->opt.pmem_capture == PMEM_CAPTURE_PREFIX ? "prefix" : "livedump");
		for (int i = 0; i < ctx->nr_pieces; i++)
			fprintf(f, "pmem_piece.%d=0x%" PRIx64 "-0x%" PRIx64 " filesz=0x%" PRIx64 "\n",
				i, ctx->pieces[i].start, ctx->pieces[i].end, ctx->pieces[i].filesz);
		fprintf(f, "pmem_captured_pages=%" PRIu64 "\n", pmem_captured_pages(ctx));
	}
}
