// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmcore-gen: write a synthetic Linux 6.1 x86_64 /proc/vmcore and a
 * manifest of how many pages of each class it holds.
 *
 * The vmcore is the test oracle for the dump filter: its VMCOREINFO, page
 * tables, mem_section and struct pages are built the way a 6.1 kernel
 * builds them, so a filter that reads them correctly reports exactly the
 * manifest's counts (see expected-report.sh for the mapping to a
 * makedumpfile report).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-gen.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("vmcore-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		die("out of memory (%zu bytes)", size);
	return p;
}

/* splitmix64: a fixed generator, so one seed always gives one machine */
uint64_t rng_next(struct gen_ctx *ctx)
{
	uint64_t z = (ctx->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct gen_ctx *ctx, uint64_t bound)
{
	return bound ? rng_next(ctx) % bound : 0;
}

/* ---- manifest ------------------------------------------------------- */

static const char *const class_names[NR_CLASSES] = {
	[CLASS_KERNEL] = "kernel",
	[CLASS_CACHE] = "cache",
	[CLASS_CACHE_PRIVATE] = "cache_private",
	[CLASS_USER] = "user",
	[CLASS_FREE] = "free",
	[CLASS_HWPOISON] = "hwpoison",
	[CLASS_OFFLINE] = "offline",
};

struct tally {
	uint64_t pages[NR_CLASSES];	/* all pages of the class */
	uint64_t zero[NR_CLASSES];	/* of which zero-filled */
	uint64_t kind[NR_KINDS];
	uint64_t dumped;
	uint64_t text_zero;		/* zero pages inside the kernel image */
};

/* Kinds whose pages may or may not be zero: look at each page. */
static bool content_varies(const struct extent *e)
{
	return e->kind == KIND_KERNEL_DATA || e->kind == KIND_KERNEL_BSS ||
	       e->kind == KIND_MEMBLOCK || e->kind == KIND_VMEMMAP ||
	       e->kind == KIND_DEV_MEMMAP;
}

static void tally_extent(const struct gen_ctx *ctx, const struct extent *e,
			 struct tally *t)
{
	enum page_class class = kind_class(e->kind);
	uint64_t zero = 0;

	if (!pfn_is_dumped(ctx, e->pfn)) {
		if (pfn_is_dumped(ctx, e->pfn + e->npages - 1))
			die("internal: extent at %#" PRIx64 " straddles a dump range",
			    e->pfn);
		return;
	}
	if (content_varies(e)) {
		static uint8_t page[PAGE_SIZE];

		for (uint64_t pfn = e->pfn; pfn < e->pfn + e->npages; pfn++) {
			bool is_zero;

			page_content(ctx, pfn, page, &is_zero);
			zero += is_zero;
		}
	} else if (e->content == CONTENT_ZERO) {
		zero = e->npages;
	} else {
		zero = zeroed_pages_in(ctx, e->pfn, e->npages);	/* a live dump's */
	}
	if (e->kind == KIND_KERNEL_TEXT || e->kind == KIND_KERNEL_DATA ||
	    e->kind == KIND_KERNEL_BSS)
		t->text_zero += zero;
	t->pages[class] += e->npages;
	t->zero[class] += zero;
	t->kind[e->kind] += e->npages;
	t->dumped += e->npages;
}

/*
 * key=value lines.  "kernel" and "zero" split the never-excludable pages by
 * content; for every excludable class, <class>_zerofilled says how many of
 * its pages are all zero (they count as zero pages when the class itself
 * is not excluded but -d has bit 1).
 */
static void write_manifest(const struct gen_ctx *ctx, const char *path)
{
	struct tally t = { 0 };
	uint64_t ptload_pages = PHYS_PFN(ctx->kimg.size), pmem_pages = 0;
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < ctx->nr_ext; i++)
		tally_extent(ctx, &ctx->ext[i], &t);
	for (int i = 0; i < ctx->nr_dump; i++)
		ptload_pages += PHYS_PFN(ctx->dump[i].end - ctx->dump[i].start);
	if (ctx->pmem_loaded)
		pmem_pages = PHYS_PFN(ctx->pmem_end - ctx->pmem_start);
	ptload_pages += pmem_pages;

	fputs("# vmcore-gen manifest: pages of a synthetic Linux 6.1 x86_64 vmcore\n", f);
	fprintf(f, "format=1\n");
	fprintf(f, "paging=%d\n", ctx->opt.paging);
	fprintf(f, "kaslr_seed=%" PRIu64 "\n", ctx->opt.kaslr_seed);
	fprintf(f, "mem_mib=%" PRIu64 "\n", ctx->opt.large_mib ? 0 : ctx->opt.mem_mib);
	fprintf(f, "large_mib=%" PRIu64 "\n", ctx->opt.large_mib);
	fprintf(f, "cpus=%d\n", ctx->opt.cpus);
	fprintf(f, "page_size=%lu\n", PAGE_SIZE);
	fprintf(f, "page_offset_base=0x%" PRIx64 "\n", ctx->page_offset_base);
	fprintf(f, "vmalloc_base=0x%" PRIx64 "\n", ctx->vmalloc_base);
	fprintf(f, "vmemmap_base=0x%" PRIx64 "\n", ctx->vmemmap_base);
	fprintf(f, "kernel_text=0x%" PRIx64 "\n", ctx->kimg.text_virt);
	fprintf(f, "kernel_phys=0x%" PRIx64 "\n", ctx->kimg.phys);
	fprintf(f, "kaslr_offset=0x%" PRIx64 "\n", ctx->kaslr_offset);
	fprintf(f, "phys_base=0x%" PRIx64 "\n", ctx->phys_base);
	fprintf(f, "init_top_pgt=0x%" PRIx64 "\n",
		kimg_virt(ctx, ctx->kimg.init_top_pgt));
	fprintf(f, "mem_section=0x%" PRIx64 "\n",
		phys_to_virt(ctx, ctx->mem_section_roots));
	fprintf(f, "present_sections=%" PRIu64 "\n", ctx->nr_present);
	fprintf(f, "ptload.0=0x%" PRIx64 "-0x%" PRIx64 " kernel_text\n",
		ctx->kimg.phys, ctx->kimg.phys + ctx->kimg.size);
	for (int i = 0; i < ctx->nr_dump; i++)
		fprintf(f, "ptload.%d=0x%" PRIx64 "-0x%" PRIx64 "\n", i + 1,
			ctx->dump[i].start, ctx->dump[i].end);
	if (ctx->pmem_loaded)
		fprintf(f, "ptload.%d=0x%" PRIx64 "-0x%" PRIx64 " pmem%s\n",
			ctx->nr_dump + 1, ctx->pmem_start, ctx->pmem_end,
			ctx->opt.pmem_flag ? " PF_DEV" : "");
	for (size_t k = 0; k < NR_KINDS; k++)
		if (t.kind[k])
			fprintf(f, "kind.%s=%" PRIu64 "\n", kind_name(k), t.kind[k]);

	fprintf(f, "# per class, over distinct dumped page frames\n");
	fprintf(f, "kernel=%" PRIu64 "\n", t.pages[CLASS_KERNEL] - t.zero[CLASS_KERNEL]);
	fprintf(f, "zero=%" PRIu64 "\n", t.zero[CLASS_KERNEL]);
	for (int c = CLASS_CACHE; c < NR_CLASSES; c++) {
		fprintf(f, "%s=%" PRIu64 "\n", class_names[c], t.pages[c]);
		fprintf(f, "%s_zerofilled=%" PRIu64 "\n", class_names[c], t.zero[c]);
	}
	fprintf(f, "memhole=%" PRIu64 "\n", ctx->max_pfn - t.dumped - pmem_pages);
	fprintf(f, "dumped_pages=%" PRIu64 "\n", t.dumped);
	fprintf(f, "kernel_text_pages=%" PRIu64 "\n", PHYS_PFN(ctx->kimg.size));
	fprintf(f, "kernel_text_zero=%" PRIu64 "\n", t.text_zero);
	fprintf(f, "ptload_pages=%" PRIu64 "\n", ptload_pages);
	fprintf(f, "total=%" PRIu64 "\n", ctx->max_pfn);
	pmem_write_manifest(ctx, f);
	printk_write_manifest(ctx, f);
	livedump_write_manifest(ctx, f);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* ---- command line --------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: vmcore-gen [OPTIONS] OUT.vmcore\n"
"Write a synthetic Linux 6.1 x86_64 /proc/vmcore (ELF64 ET_CORE) and a\n"
"manifest of its page classes (OUT.manifest, key=value).\n"
"\n"
"  -m, --mem-mib N     RAM of a small machine in MiB (default 256, 256..16383)\n"
"  -p, --paging 4|5    4- or 5-level paging (default 4)\n"
"  -k, --kaslr-seed S  randomize kernel and memory layout from seed S\n"
"                      (default 0: KASLR off)\n"
"  -c, --cpus N        number of CPUs, one NT_PRSTATUS note each (default 2)\n"
"  -L, --large-mib N   describe a large machine of N MiB (>= 16384) instead;\n"
"                      its free memory is zero-filled so the sparse file\n"
"                      costs little disk\n"
"      --pmem-mib N    add a persistent memory region of N MiB (a multiple\n"
"                      of 128) above RAM, at 4 GiB or the next GiB above RAM,\n"
"                      holding an fsdax namespace with its memmap on the\n"
"                      device (map=dev)\n"
"      --pmem-namespaces 1|2  2: also an fsdax map=mem namespace (struct\n"
"                      pages in RAM) at the end of the namespaces\n"
"      --pmem-ns-mib N the namespaces take only the first N MiB (a multiple\n"
"                      of 128) of the region; the rest is unallocated: all\n"
"                      zero, no info block, no memmap, yet in the PT_LOAD\n"
"      --pmem-flag     mark the pmem PT_LOAD with PF_DEV (p_flags bit 4)\n"
"      --no-pmem-load  leave pmem out of the PT_LOADs (stock kdump)\n"
"      --pmem-list     the devm_memmap_vmcore list and its VMCOREINFO\n"
"      --pmem-sparse-meta  write only the struct pages of pmem pfns that\n"
"                      hold files; the rest of the device memmap is a hole\n"
"      --printk MODE   a kernel log in Linux 6.1's lockless printk ring and\n"
"                      its VMCOREINFO; the manifest gets the expected\n"
"                      --dump-dmesg text.  MODE: plain (the default 128 KiB\n"
"                      ring), wrapped (a 4 KiB ring overwritten many times),\n"
"                      cont (continuation lines), dict (device records,\n"
"                      caller ids, escaped bytes, a log_buf_len ring)\n"
"      --printk-damage LIST  break the ring after writing it (comma list):\n"
"                      records: state, id, seq, lpos, len (each one record,\n"
"                      left out of the expected log); the ring: head, bits,\n"
"                      count, descs, every (the log cannot be read)\n"
"\n"
"A live dump's image (kernel series 2; see README):\n"
"      --livedump      add its LIVEDUMP note (finished, nothing lost)\n"
"      --livedump-state S  its STATE (finished, running, failed, cancelled, any\n"
"                      word); none: no STATE or REASON line (older images)\n"
"      --livedump-reason TEXT  its REASON\n"
"      --livedump-lost N  N anonymous pages were not captured: zeros in the\n"
"                      image, each a range of LOST_PFNS, counted in PAGES_LOST\n"
"      --livedump-line TEXT  append TEXT as a line of the note (repeatable)\n"
"      --pmem-capture MODE  what the file holds of the pmem PT_LOAD (with\n"
"                      --pmem-flag): livedump, as a live dump (PT_LOADs of the\n"
"                      device memmaps with their info blocks, and of the rest\n"
"                      with p_filesz 0; needs --pmem-list), or prefix (one\n"
"                      PT_LOAD whose file data ends after namespace 0's memmap)\n"
"      --ram-filesz-cut N  the last N pages of a RAM PT_LOAD are past its\n"
"                      p_filesz: not in the file, they read as zeros\n"
"  -h, --help          show this help\n");
}

static uint64_t parse_u64(const char *opt, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end)
		die("%s: not a number: '%s'", opt, arg);
	return v;
}

static void parse_options(int argc, char **argv, struct gen_options *o)
{
	static const struct option longopts[] = {
		{ "mem-mib", required_argument, NULL, 'm' },
		{ "paging", required_argument, NULL, 'p' },
		{ "kaslr-seed", required_argument, NULL, 'k' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "large-mib", required_argument, NULL, 'L' },
		{ "pmem-mib", required_argument, NULL, 1000 },
		{ "pmem-namespaces", required_argument, NULL, 1001 },
		{ "pmem-flag", no_argument, NULL, 1002 },
		{ "no-pmem-load", no_argument, NULL, 1003 },
		{ "pmem-list", no_argument, NULL, 1004 },
		{ "pmem-sparse-meta", no_argument, NULL, 1005 },
		{ "pmem-ns-mib", required_argument, NULL, 1006 },
		{ "printk", required_argument, NULL, 1007 },
		{ "printk-damage", required_argument, NULL, 1008 },
		{ "livedump", no_argument, NULL, 1009 },
		{ "livedump-state", required_argument, NULL, 1010 },
		{ "livedump-reason", required_argument, NULL, 1011 },
		{ "livedump-lost", required_argument, NULL, 1012 },
		{ "livedump-line", required_argument, NULL, 1013 },
		{ "pmem-capture", required_argument, NULL, 1014 },
		{ "ram-filesz-cut", required_argument, NULL, 1015 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct gen_options){ .mem_mib = 256, .paging = 4, .cpus = 2,
				   .pmem_namespaces = 1, .livedump_state = "finished" };
	while ((c = getopt_long(argc, argv, "m:p:k:c:L:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o->mem_mib = parse_u64("--mem-mib", optarg);
			break;
		case 'p':
			o->paging = parse_u64("--paging", optarg);
			break;
		case 'k':
			o->kaslr_seed = parse_u64("--kaslr-seed", optarg);
			break;
		case 'c':
			o->cpus = parse_u64("--cpus", optarg);
			break;
		case 'L':
			o->large_mib = parse_u64("--large-mib", optarg);
			break;
		case 1000:
			o->pmem_mib = parse_u64("--pmem-mib", optarg);
			break;
		case 1001:
			o->pmem_namespaces = parse_u64("--pmem-namespaces", optarg);
			break;
		case 1002:
			o->pmem_flag = true;
			break;
		case 1003:
			o->no_pmem_load = true;
			break;
		case 1004:
			o->pmem_list = true;
			break;
		case 1005:
			o->pmem_sparse_meta = true;
			break;
		case 1006:
			o->pmem_ns_mib = parse_u64("--pmem-ns-mib", optarg);
			if (!o->pmem_ns_mib)
				die("--pmem-ns-mib must not be 0");
			break;
		case 1007:
			o->printk = printk_parse_mode(optarg);
			if (o->printk < 0)
				die("--printk must be plain, wrapped, cont or dict");
			break;
		case 1008:
			o->printk_damage = printk_parse_damage(optarg);
			break;
		case 1009:
			o->livedump = true;
			break;
		case 1010:
			o->livedump_state = optarg;
			break;
		case 1011:
			o->livedump_reason = optarg;
			break;
		case 1012:
			o->livedump_lost = parse_u64("--livedump-lost", optarg);
			break;
		case 1013:
			if (o->nr_livedump_lines == MAX_LIVEDUMP_LINES)
				die("at most %d --livedump-line options", MAX_LIVEDUMP_LINES);
			o->livedump_lines[o->nr_livedump_lines++] = optarg;
			break;
		case 1014:
			if (!strcmp(optarg, "livedump"))
				o->pmem_capture = PMEM_CAPTURE_LIVEDUMP;
			else if (!strcmp(optarg, "prefix"))
				o->pmem_capture = PMEM_CAPTURE_PREFIX;
			else
				die("--pmem-capture must be livedump or prefix");
			break;
		case 1015:
			o->ram_filesz_cut = parse_u64("--ram-filesz-cut", optarg);
			if (!o->ram_filesz_cut)
				die("--ram-filesz-cut must not be 0");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	o->out = argv[optind];

	if (o->paging != 4 && o->paging != 5)
		die("--paging must be 4 or 5");
	if (o->cpus < 1 || o->cpus > 64)
		die("--cpus must be 1..64");
	if (o->large_mib && (o->large_mib < 16384 || o->large_mib > 1048576))
		die("--large-mib must be 16384..1048576");
	if (!o->large_mib && (o->mem_mib < 256 || o->mem_mib > 16383))
		die("--mem-mib must be 256..16383 (use --large-mib above)");
	if (o->pmem_namespaces < 1 || o->pmem_namespaces > PMEM_MAX_NS)
		die("--pmem-namespaces must be 1 or 2");
	if (!o->pmem_mib && (o->pmem_flag || o->no_pmem_load || o->pmem_list ||
			     o->pmem_sparse_meta || o->pmem_namespaces != 1 ||
			     o->pmem_ns_mib))
		die("the pmem options need --pmem-mib");
	if (o->pmem_mib && (o->pmem_mib % 128 ||
			    o->pmem_mib < 128 * (uint64_t)o->pmem_namespaces ||
			    o->pmem_mib > (32ULL << 20)))
		die("--pmem-mib must be a multiple of 128, at least 128 per "
		    "namespace, at most 33554432 (32 TiB)");
	if (!o->pmem_ns_mib)
		o->pmem_ns_mib = o->pmem_mib;
	if (o->pmem_mib && (o->pmem_ns_mib % 128 ||
			    o->pmem_ns_mib < 128 * (uint64_t)o->pmem_namespaces ||
			    o->pmem_ns_mib > o->pmem_mib))
		die("--pmem-ns-mib must be a multiple of 128, at least 128 per "
		    "namespace, at most --pmem-mib");
	if (o->pmem_flag && o->no_pmem_load)
		die("--pmem-flag and --no-pmem-load exclude each other");
	if (o->printk_damage && !o->printk)
		die("--printk-damage needs --printk");
	if (!o->livedump && (o->livedump_reason || o->livedump_lost ||
			     o->nr_livedump_lines || strcmp(o->livedump_state, "finished")))
		die("the --livedump-* options need --livedump");
	if (o->livedump_lost > 4096)
		die("--livedump-lost must be at most 4096");
	if (o->pmem_capture && !o->pmem_flag)
		die("--pmem-capture needs --pmem-flag (a live dump marks pmem PF_DEV)");
	if (o->pmem_capture == PMEM_CAPTURE_LIVEDUMP && !o->pmem_list)
		die("--pmem-capture livedump needs --pmem-list (the kernel finds the memmaps there)");
}

/* OUT.vmcore -> OUT.manifest; any other name gets ".manifest" appended. */
static char *manifest_path(const char *out)
{
	size_t len = strlen(out);
	char *p = xcalloc(1, len + sizeof(".manifest"));

	memcpy(p, out, len);
	if (len > 7 && !strcmp(out + len - 7, ".vmcore"))
		p[len - 7] = '\0';
	strcat(p, ".manifest");
	return p;
}

static void gen_ctx_free(struct gen_ctx *ctx)
{
	for (size_t i = 0; i < ctx->kmem_cap; i++)
		free(ctx->kmem[i].data);	/* NULL in empty slots */
	free(ctx->kmem);
	free(ctx->ext);
	free(ctx->free_ranges);
	free(ctx->section_memmap);
	free(ctx->present_sections);
	free(ctx->vmcoreinfo);
	free(ctx->notes);
	free(ctx->zeroed);
	free(ctx->ld_note);
	printk_free(ctx);
}

int main(int argc, char **argv)
{
	struct gen_ctx ctx = { 0 };
	char *manifest;

	parse_options(argc, argv, &ctx.opt);
	manifest = manifest_path(ctx.opt.out);

	layout_machine(&ctx);
	build_kernel_memory(&ctx);
	livedump_prepare(&ctx);
	build_vmcoreinfo(&ctx);
	build_notes(&ctx);
	write_manifest(&ctx, manifest);
	write_vmcore(&ctx, ctx.opt.out);

	gen_ctx_free(&ctx);
	free(manifest);
	return 0;
}
