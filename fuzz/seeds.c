// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-seeds: makes the fuzz targets' seed inputs (scripts/fuzz seeds).
 *
 *   fuzz-seeds shrink VMCORE OUT [--pages N] [--bare] [--keep PFN[-END]]...
 *       A small ELF vmcore from a big one (vmcore-gen's): the same
 *       headers and notes, PT_LOADs cut down to the page frames a run of
 *       makedumpfile -d 31 reads for a few pages: N pages (default 24) of
 *       varied kinds from one batch of struct pages, the --keep ranges
 *       (hex pfns, END exclusive), and everything reading them takes
 *       (page tables, mem_section, struct pages, the pmem list, ...),
 *       found by running the libraries on a recording physmem until no
 *       new page is read (FUZZ_SEEDS_DEBUG=1 shows them). --bare: only
 *       what opening the kernel's layout reads (tables, mem_section), no
 *       page is classified: a run of it fails when it reads struct pages.
 *   fuzz-seeds thin VMCORE OUT       the same headers and notes, each
 *       PT_LOAD holding only its first 64 bytes in the file (memsz kept)
 *   fuzz-seeds note VMCORE OUT       VMCOREINFO's text
 *   fuzz-seeds page VMCORE PADDR OUT the 4 KiB page at physical PADDR (hex)
 *   fuzz-seeds infochain PAGE OUT    from an info block page: three
 *       namespaces' info blocks, chained, as fuzz_infoblock maps them
 *   fuzz-seeds printk OUT            a printk ring for fuzz_printk
 *   fuzz-seeds nfit [--xsdt] OUT     ACPI tables for fuzz_nfit: an RSDP
 *       (revision 0, or 2 with an XSDT), its root table and an NFIT with
 *       one persistent-memory range; checked with pmem_nfit_ranges()
 *
 * It links lib/ like the tool, so a seed is what our reader accepts.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/classify.h"
#include "dump/format.h"
#include "dump/source.h"
#include "elfcore/elfcore.h"
#include "kabi/pmem_kdump.h"
#include "kernel/physmem.h"
#include "kernel/sparsemem.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "pmem/nfit.h"
#include "pmem/pmem.h"
#include "util/bitmap.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

#define PAGE 4096ULL
#define BATCH 512

static struct log_ctx logc;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz-seeds: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (logc.status)
		fprintf(stderr, ": %s", log_error_text(&logc));
	fputc('\n', stderr);
	exit(1);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("cannot write %s: %s", path, strerror(errno));
}

static uint64_t parse_hex(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 16);
	if (errno || *end || end == s)
		die("not a hex number: %s", s);
	return v;
}

/* ---- a physmem that records the page frames read through it ---- */

struct recorder {
	const struct physmem *inner;
	struct pfn_ranges touched;
};

static void record(struct recorder *r, uint64_t paddr, size_t len)
{
	if (len && pfn_ranges_add(&r->touched, paddr / PAGE, (paddr + len - 1) / PAGE + 1) < 0)
		die("out of memory");
}

static int rec_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct recorder *r = priv;

	record(r, paddr, len);
	return physmem_read(r->inner, paddr, buf, len);
}

static bool rec_present(void *priv, uint64_t pfn)
{
	struct recorder *r = priv;

	return physmem_present(r->inner, pfn);
}

static int rec_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct recorder *r = priv;

	record(r, pfn * PAGE, PAGE);
	return physmem_read_page(r->inner, pfn, buf);
}

static const struct physmem_ops rec_ops = {
	.read = rec_read,
	.present = rec_present,
	.read_page = rec_read_page,
};

/* ---- shrink ---- */

struct machine {
	struct dump_source src;
	struct vmcoreinfo vi;
	struct kernel_info ki;
	struct x86_64_xlat x;
	struct memmap mm;
	struct pmem_layout pl;
	struct recorder rec;
	struct physmem pm;	/* the recorder */
};

static void machine_open(struct machine *m, const char *path)
{
	struct dump_open_opts o = { .log = &logc };
	struct pmem_source ps;
	uint64_t addr;
	long long off;
	uint8_t uts[390];

	if (dump_source_open(&m->src, path, &o) < 0)
		die("cannot open %s", path);
	if (!dump_source_has(&m->src, DUMP_SRC_PT_LOADS))
		die("%s: not an ELF vmcore", path);
	if (vmcoreinfo_parse(&m->vi, &logc, m->src.vmcoreinfo, m->src.vmcoreinfo_size) < 0 ||
	    kernel_info_init(&m->ki, &m->vi) < 0)
		die("%s: bad VMCOREINFO", path);
	m->rec.inner = &m->src.pm;
	m->pm = (struct physmem){ .ops = &rec_ops, .priv = &m->rec, .log = &logc };
	if (x86_64_xlat_init(&m->x, &m->pm, &m->ki, m->src.loads, m->src.nr_loads) < 0 ||
	    memmap_init(&m->mm, &m->ki, &m->x, m->src.max_pfn) < 0)
		die("%s: cannot read the kernel's layout", path);
	ps = (struct pmem_source){
		.loads = m->src.loads, .nr_loads = m->src.nr_loads, .has_flags = true,
		.vmci = &m->vi, .xlat = &m->x, .pm = &m->pm,
	};
	if (pmem_layout_find(&m->pl, &ps) < 0)
		die("%s: cannot find pmem", path);
	/* The kdump header's utsname, as the run reads it. */
	if (vmcoreinfo_get_hex(&m->vi, "SYMBOL(init_uts_ns)", &addr) &&
	    vmcoreinfo_get_long(&m->vi, "OFFSET(uts_namespace.name)", &off) &&
	    x86_64_vtop(&m->x, addr + (uint64_t)off, &addr) == 0)
		physmem_read(&m->pm, addr, uts, sizeof(uts));
}

/* The struct-page category of @pfn alone at -d 31: 0 kept, 1 zero, 2.. a counter. */
static int category(struct classifier *c, struct bitmap *bm, uint64_t pfn)
{
	struct page_counts cnt = { 0 };
	struct classifier_carry none = { 0 };
	const uint64_t *f = (const uint64_t *)&cnt;
	unsigned int i;

	bitmap_reset(bm, pfn, pfn + 1);
	bitmap_set(bm, pfn);
	classifier_set_carry(c, &none);
	if (classify_window(c, bm, &cnt) < 0)
		return -1;
	if (bitmap_test(bm, pfn) && exclude_zero_pages(c, bm, &cnt) < 0)
		return -1;
	for (i = 0; i < sizeof(cnt) / sizeof(*f); i++)
		if (f[i])
			return 1 + (int)i;
	return 0;
}

/*
 * Pick @n present RAM pages of varied kinds from the one aligned batch
 * of 512 page frames that holds the most kinds.
 */
static void pick_pages(struct machine *m, unsigned int n, struct pfn_ranges *out)
{
	enum { KINDS = 1 + sizeof(struct page_counts) / sizeof(uint64_t) };
	struct classifier c;
	struct bitmap bm;
	uint64_t b, best = UINT64_MAX, pfn;
	unsigned int best_kinds = 0, picked = 0, round;
	static int cat[BATCH];

	if (!n)
		return;
	if (classifier_init(&c, &m->ki, &m->x, &m->mm, &m->src.pm, 31) < 0 || bitmap_alloc(&bm, 64) < 0)
		die("classifier");
	for (b = 0; b < m->src.max_pfn; b += BATCH) {
		unsigned int kinds = 0, seen[KINDS] = { 0 };

		for (pfn = b; pfn < b + BATCH; pfn++) {
			int k;

			if (!physmem_present(&m->src.pm, pfn) || !memmap_page(&m->mm, pfn) ||
			    pfn_ranges_contains(&m->pl.regions, pfn))
				continue;
			k = category(&c, &bm, pfn);
			if (k >= 0 && !seen[k]++)
				kinds++;
		}
		if (kinds > best_kinds) {
			best_kinds = kinds;
			best = b;
		}
	}
	if (best == UINT64_MAX)
		die("no RAM page with a struct page");
	for (pfn = best; pfn < best + BATCH; pfn++)
		cat[pfn - best] = physmem_present(&m->src.pm, pfn) ? category(&c, &bm, pfn) : -1;
	/* Round robin over the kinds, the first pages of each first. */
	for (round = 0; picked < n && round < BATCH; round++) {
		for (int k = 0; k < KINDS && picked < n; k++) {
			unsigned int seen = 0;

			for (pfn = best; pfn < best + BATCH; pfn++) {
				if (cat[pfn - best] != k || seen++ != round)
					continue;
				if (pfn_ranges_add(out, pfn, pfn + 1) < 0)
					die("out of memory");
				picked++;
				break;
			}
		}
	}
	fprintf(stderr, "fuzz-seeds: %u pages of %u kinds from pfns %#" PRIx64 "-%#" PRIx64 "\n",
		picked, best_kinds, best, best + BATCH);
	classifier_free(&c);
	bitmap_free(&bm);
}

/* Classify @keep at -d 31 as the run would, recording what it reads. */
static void dump_ranges(const char *what, const struct pfn_ranges *r)
{
	if (!getenv("FUZZ_SEEDS_DEBUG"))
		return;
	fprintf(stderr, "%s:", what);
	for (unsigned int i = 0; i < r->nr; i++)
		fprintf(stderr, " %#" PRIx64 "-%#" PRIx64, r->r[i].start, r->r[i].end);
	fputc('\n', stderr);
}

static void run_on(struct machine *m, const struct pfn_ranges *keep)
{
	struct page_counts cnt = { 0 };
	struct classifier c;
	struct bitmap bm;
	uint64_t end = keep->nr ? keep->r[keep->nr - 1].end : 0;

	if (classifier_init(&c, &m->ki, &m->x, &m->mm, &m->pm, 31) < 0 || bitmap_alloc(&bm, end + 64) < 0)
		die("classifier");
	bitmap_reset(&bm, 0, end);
	for (unsigned int i = 0; i < keep->nr; i++)
		bitmap_set_range(&bm, keep->r[i].start, keep->r[i].end);
	for (unsigned int i = 0; i < m->pl.regions.nr; i++)
		bitmap_clear_range(&bm, m->pl.regions.r[i].start, m->pl.regions.r[i].end);
	if (classify_window(&c, &bm, &cnt) < 0 || exclude_zero_pages(&c, &bm, &cnt) < 0)
		die("cannot classify the pages kept");
	classifier_free(&c);
	bitmap_free(&bm);
}

struct out_load {
	const struct elf_load *orig;
	uint64_t paddr, len;
};

static void write_shrunk(struct machine *m, const struct pfn_ranges *keep, const char *path)
{
	const struct elfcore *ec = m->src.priv;
	struct out_load *ol = NULL;
	unsigned int nol = 0, i, j;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t off, data_off;
	uint8_t *file;
	size_t size;

	for (i = 0; i < m->src.nr_loads; i++) {
		const struct elf_load *l = &m->src.loads[i];

		for (j = 0; j < keep->nr; j++) {
			uint64_t s = keep->r[j].start * PAGE, e = keep->r[j].end * PAGE;

			if (s < l->paddr)
				s = l->paddr;
			if (e > l->paddr + l->filesz)
				e = l->paddr + l->filesz;
			if (s >= e)
				continue;
			ol = realloc(ol, (nol + 1) * sizeof(*ol));
			if (!ol)
				die("out of memory");
			ol[nol++] = (struct out_load){ .orig = l, .paddr = s, .len = e - s };
		}
	}
	elfcore_ehdr_init(&eh, nol + 1);
	off = sizeof(eh) + (nol + 1) * sizeof(Elf64_Phdr);
	data_off = (off + ec->notes_size + PAGE - 1) & ~(PAGE - 1);
	size = data_off;
	for (i = 0; i < nol; i++)
		size += ol[i].len;
	file = calloc(1, size);
	if (!file)
		die("out of memory");
	ph = (Elf64_Phdr *)(file + sizeof(eh));
	ph[0] = ec->note_phdr;
	ph[0].p_offset = off;
	ph[0].p_filesz = ph[0].p_memsz = ec->notes_size;
	memcpy(file + off, ec->notes, ec->notes_size);
	for (i = 0, off = data_off; i < nol; i++) {
		const struct elf_load *l = ol[i].orig;

		ph[i + 1] = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_flags = l->flags, .p_offset = off,
			.p_vaddr = l->vaddr + (ol[i].paddr - l->paddr), .p_paddr = ol[i].paddr,
			.p_filesz = ol[i].len, .p_memsz = ol[i].len, .p_align = l->align,
		};
		if (physmem_read(&m->src.pm, ol[i].paddr, file + off, ol[i].len) < 0)
			die("cannot read %#" PRIx64, ol[i].paddr);
		off += ol[i].len;
	}
	memcpy(file, &eh, sizeof(eh));
	write_file(path, file, size);
	fprintf(stderr, "fuzz-seeds: %s: %u PT_LOADs, %" PRIu64 " pages, %zu bytes\n", path, nol,
		pfn_ranges_pages(keep), size);
	free(file);
	free(ol);
}

static int cmd_shrink(int argc, char **argv)
{
	struct machine m;
	struct pfn_ranges keep = { 0 }, saved;
	unsigned int pages = 24, round;
	bool bare = false;
	int i;

	if (argc < 3)
		die("usage: shrink VMCORE OUT [--pages N] [--bare] [--keep PFN[-END]]...");
	memset(&m, 0, sizeof(m));
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--pages") && i + 1 < argc) {
			pages = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--bare")) {
			bare = true;
		} else if (!strcmp(argv[i], "--keep") && i + 1 < argc) {
			char *dash = strchr(argv[++i], '-');
			uint64_t s, e;

			if (dash)
				*dash = '\0';
			s = parse_hex(argv[i]);
			e = dash ? parse_hex(dash + 1) : s + 1;
			if (e <= s || pfn_ranges_add(&keep, s, e) < 0)
				die("bad --keep range");
		} else {
			die("unknown argument %s", argv[i]);
		}
	}
	machine_open(&m, argv[1]);
	dump_ranges("opening reads", &m.rec.touched);
	/* Its scan reads struct pages through the recorder: forget them. */
	saved = m.rec.touched;
	m.rec.touched = (struct pfn_ranges){ 0 };
	pick_pages(&m, pages, &keep);
	pfn_ranges_free(&m.rec.touched);
	m.rec.touched = saved;
	dump_ranges("picked", &keep);
	/* Until the pages kept are all the pages reading them takes. */
	for (round = 0; !bare; round++) {
		uint64_t before = pfn_ranges_pages(&keep);

		if (pfn_ranges_add_all(&keep, &m.rec.touched) < 0)
			die("out of memory");
		dump_ranges("classify", &keep);
		run_on(&m, &keep);
		dump_ranges("read", &m.rec.touched);
		if (pfn_ranges_add_all(&keep, &m.rec.touched) < 0)
			die("out of memory");
		if (pfn_ranges_pages(&keep) == before)
			break;
		if (round == 20)
			die("the pages read do not settle");
	}
	if (bare && pfn_ranges_add_all(&keep, &m.rec.touched) < 0)
		die("out of memory");
	write_shrunk(&m, &keep, argv[2]);
	pfn_ranges_free(&keep);
	return 0;
}

/* ---- thin ---- */

#define THIN_BYTES 64

static int cmd_thin(int argc, char **argv)
{
	struct elfcore_open_opts o = { .log = &logc };
	struct elfcore ec;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	uint64_t off;
	uint8_t *file;
	size_t size;
	unsigned int i;

	if (argc != 3)
		die("usage: thin VMCORE OUT");
	if (elfcore_open(&ec, argv[1], &o) < 0)
		die("cannot open %s", argv[1]);
	elfcore_ehdr_init(&eh, ec.nr_loads + 1);
	off = sizeof(eh) + (ec.nr_loads + 1) * sizeof(Elf64_Phdr);
	size = off + ec.notes_size + ec.nr_loads * THIN_BYTES;
	file = calloc(1, size);
	if (!file)
		die("out of memory");
	memcpy(file, &eh, sizeof(eh));
	ph = (Elf64_Phdr *)(file + sizeof(eh));
	ph[0] = ec.note_phdr;
	ph[0].p_offset = off;
	ph[0].p_filesz = ph[0].p_memsz = ec.notes_size;
	memcpy(file + off, ec.notes, ec.notes_size);
	off += ec.notes_size;
	for (i = 0; i < ec.nr_loads; i++) {
		const struct elf_load *l = &ec.loads[i];
		uint64_t len = l->filesz < THIN_BYTES ? l->filesz : THIN_BYTES;

		ph[i + 1] = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_flags = l->flags, .p_offset = off,
			.p_vaddr = l->vaddr, .p_paddr = l->paddr,
			.p_filesz = len, .p_memsz = l->memsz, .p_align = l->align,
		};
		if (elfcore_read_file(&ec, l->offset, file + off, len) < 0)
			die("cannot read %s", argv[1]);
		off += len;
	}
	write_file(argv[2], file, (size_t)off);
	free(file);
	elfcore_close(&ec);
	return 0;
}

/* ---- note, page ---- */

static int cmd_note(int argc, char **argv)
{
	struct dump_open_opts o = { .log = &logc };
	struct dump_source src;

	if (argc != 3)
		die("usage: note VMCORE OUT");
	if (dump_source_open(&src, argv[1], &o) < 0)
		die("cannot open %s", argv[1]);
	write_file(argv[2], src.vmcoreinfo, strnlen(src.vmcoreinfo, src.vmcoreinfo_size));
	dump_source_close(&src);
	return 0;
}

static int cmd_page(int argc, char **argv)
{
	struct dump_open_opts o = { .log = &logc };
	struct dump_source src;
	uint8_t page[PAGE];
	uint64_t pa;

	if (argc != 4)
		die("usage: page VMCORE PADDR OUT");
	pa = parse_hex(argv[2]);
	if (dump_source_open(&src, argv[1], &o) < 0)
		die("cannot open %s", argv[1]);
	if (physmem_read(&src.pm, pa, page, sizeof(page)) < 0)
		die("cannot read %#" PRIx64, pa);
	write_file(argv[3], page, sizeof(page));
	dump_source_close(&src);
	return 0;
}

/* ---- infochain ---- */

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void set_checksum(uint8_t *b)
{
	uint32_t lo = 0;
	uint64_t hi = 0;

	for (unsigned int i = 0; i < PAGE; i += 4) {
		if (i < PMD_PFN_SB_CHECKSUM_OFF)
			lo += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
			      (uint32_t)b[i + 3] << 24;
		hi += lo;
	}
	put_le(b + PMD_PFN_SB_CHECKSUM_OFF, hi << 32 | lo, 8);
}

/*
 * fuzz_infoblock maps its input at 4 KiB into the region: input page k
 * is at region + 4 KiB * (k + 1). Namespace 0 (map=dev) takes 5 pages
 * (dataoff 16 KiB, 1 data page), so namespace 1 starts at 20 KiB and its
 * block is input page 5; it (map=mem, start_pad 4 KiB) takes 6 pages, so
 * namespace 2's block is input page 11. Its size runs past the input.
 */
static int cmd_infochain(int argc, char **argv)
{
	static uint8_t in[PAGE * 12];
	FILE *f;

	if (argc != 3)
		die("usage: infochain INFO-BLOCK-PAGE OUT");
	f = fopen(argv[1], "rb");
	if (!f || fread(in, 1, PAGE, f) != PAGE)
		die("cannot read a page from %s", argv[1]);
	fclose(f);
	put_le(in + PMD_PFN_SB_DATAOFF_OFF, 4 * PAGE, 8);
	put_le(in + PMD_PFN_SB_NPFNS_OFF, 1, 8);
	put_le(in + PMD_PFN_SB_MODE_OFF, PMD_PFN_MODE_PMEM, 4);
	set_checksum(in);
	memcpy(in + 5 * PAGE, in, PAGE);
	memcpy(in + 5 * PAGE, PMD_PFN_SB_SIG_DAX, PMD_PFN_SB_SIGNATURE_LEN);
	put_le(in + 5 * PAGE + PMD_PFN_SB_MODE_OFF, PMD_PFN_MODE_RAM, 4);
	put_le(in + 5 * PAGE + PMD_PFN_SB_START_PAD_OFF, PAGE, 4);
	set_checksum(in + 5 * PAGE);
	memcpy(in + 11 * PAGE, in, PAGE);
	put_le(in + 11 * PAGE + PMD_PFN_SB_NPFNS_OFF, 1ULL << 20, 8);
	set_checksum(in + 11 * PAGE);
	write_file(argv[2], in, sizeof(in));
	return 0;
}

/* ---- printk ---- */

/*
 * A lockless printk ring as Linux 6.1 lays it out, in the input format
 * of fuzz_printk: VMCOREINFO text, NUL, physical memory from 0 with the
 * direct map at 0xffff888000000000. The text ring's one page is read
 * at a vmalloc address, through the page tables at physical 0.
 */
#define DM 0xffff888000000000ULL
#define VMALLOC 0xffffc90000000000ULL
#define NR_DESC 16
#define TEXT_BITS 12
#define MEM_PAGES 8

struct ring {
	uint8_t mem[MEM_PAGES * PAGE];
	uint64_t text_pos;
};

static const char printk_vmcoreinfo[] =
	"OSRELEASE=6.1.0-fuzz\n"
	"PAGESIZE=4096\n"
	"SYMBOL(prb)=%llx\n"
	"SIZE(printk_ringbuffer)=80\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\n"
	"OFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\n"
	"OFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\n"
	"OFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\n"
	"SIZE(prb_desc)=24\n"
	"OFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\n"
	"OFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\n"
	"SIZE(printk_info)=88\n"
	"OFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\n"
	"OFFSET(printk_info.text_len)=16\n"
	"OFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\n"
	"OFFSET(atomic_long_t.counter)=0\n";

/* Physical layout, in pages: tables 0-3, prb 4, descs 5, infos 6, text 7. */
#define P_PGD 0
#define P_PUD 1
#define P_PMD 2
#define P_PTE 3
#define P_PRB 4
#define P_DESCS 5
#define P_INFOS 6
#define P_TEXT 7

static void add_record(struct ring *r, uint64_t id, uint64_t ts, const char *text, int state,
		       bool wrap)
{
	uint8_t *desc = r->mem + P_DESCS * PAGE + (id % NR_DESC) * 24;
	uint8_t *info = r->mem + P_INFOS * PAGE + (id % NR_DESC) * 88;
	uint8_t *ring = r->mem + P_TEXT * PAGE;
	uint64_t size = 1ULL << TEXT_BITS, len = strlen(text);
	uint64_t need = (8 + len + 7) & ~7ULL, begin = r->text_pos, at;

	put_le(desc, (uint64_t)state << 62 | id, 8);
	put_le(info, id, 8);		/* seq: the same as the id here */
	put_le(info + 8, ts, 8);
	put_le(info + 16, len, 2);
	if (!len) {			/* a data-less record: NO_LPOS */
		put_le(desc + 8, 3, 8);
		put_le(desc + 16, 3, 8);
		return;
	}
	/*
	 * A block that does not fit before the end of the ring goes to its
	 * start; its lpos then spans from here into the next wrap, and the
	 * id is written at both places, as data_alloc() does.
	 */
	if (wrap || begin % size + need > size) {
		put_le(ring + begin % size, id, 8);
		r->text_pos = (begin / size + 1) * size;
	}
	at = r->text_pos % size;
	r->text_pos += need;
	put_le(desc + 8, begin, 8);
	put_le(desc + 16, r->text_pos, 8);
	put_le(ring + at, id, 8);
	memcpy(ring + at + 8, text, len);
}

static int cmd_printk(int argc, char **argv)
{
	static struct ring r;
	static const char *const texts[] = {
		"Linux version 6.1.0-fuzz (fuzz@pmemdump) #1 SMP PREEMPT_DYNAMIC",
		"Command line: console=ttyS0 crashkernel=256M",
		"x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
		"a record\nwith a continuation line",
		"bytes \x01\x7f\xff that are not printable\ttab",
		"nd_pmem namespace0.0: unable to guarantee persistence of writes",
		"reserved, never committed",
		"committed, not yet finalized",
		"",
		"a record at the start of the ring: its block wrapped",
		"Kernel panic - not syncing: sysrq triggered crash",
	};
	char vmci[sizeof(printk_vmcoreinfo) + 32];
	uint64_t prb = DM + P_PRB * PAGE, id;
	uint8_t *p;
	FILE *f;
	int n;

	if (argc != 2)
		die("usage: printk OUT");
	/* SYMBOL(prb) is the address of the pointer `prb`, which points at the ring. */
	n = snprintf(vmci, sizeof(vmci), printk_vmcoreinfo, (unsigned long long)(DM + P_PRB * PAGE + 1024));
	put_le(r.mem + P_PRB * PAGE + 1024, prb, 8);
	p = r.mem + P_PRB * PAGE;
	put_le(p + 0, 4, 4);				/* count_bits: 16 descriptors */
	put_le(p + 8, DM + P_DESCS * PAGE, 8);
	put_le(p + 16, DM + P_INFOS * PAGE, 8);
	put_le(p + 48 + 0, TEXT_BITS, 4);		/* size_bits */
	put_le(p + 48 + 8, VMALLOC, 8);		/* data: through the page tables */
	/* 4-level tables: VMALLOC -> page P_TEXT. */
	put_le(r.mem + P_PGD * PAGE + ((VMALLOC >> 39) & 511) * 8, P_PUD * PAGE | 0x63, 8);
	put_le(r.mem + P_PUD * PAGE + ((VMALLOC >> 30) & 511) * 8, P_PMD * PAGE | 0x63, 8);
	put_le(r.mem + P_PMD * PAGE + ((VMALLOC >> 21) & 511) * 8, P_PTE * PAGE | 0x63, 8);
	put_le(r.mem + P_PTE * PAGE + ((VMALLOC >> 12) & 511) * 8, P_TEXT * PAGE | 0x63, 8);
	/*
	 * Ids 16..: the descriptor ring has wrapped once. The text starts at
	 * 1 KiB into the ring's first lap, so the block that wraps to its
	 * start overwrites nothing.
	 */
	r.text_pos = 1024;
	for (id = 16; id < 16 + sizeof(texts) / sizeof(texts[0]); id++)
		add_record(&r, id, 1000000ULL * id * id + 123456789ULL * (id & 3), texts[id - 16],
			   id == 22 ? 0 : id == 23 ? 1 : 2, id == 25);
	put_le(p + 24, id - 1, 8);		/* head_id */
	put_le(p + 32, 16, 8);			/* tail_id */
	f = fopen(argv[1], "wb");
	if (!f || fwrite(vmci, 1, (size_t)n + 1, f) != (size_t)n + 1 ||
	    fwrite(r.mem, 1, sizeof(r.mem), f) != sizeof(r.mem) || fclose(f) != 0)
		die("cannot write %s", argv[1]);
	return 0;
}

/* ---- nfit ---- */

/*
 * fuzz_nfit repeats its input over physical memory from 0xE0000 (and, in
 * its second run, below 0xA0000 from 0, but for a hole at 0x90000-0x97FFF;
 * 0xA0000-0xDFFFF fails to read): with a 4 KiB input, input offset
 * X is at 0xE0000 + X, at 0x100000000 + X above 4 GiB, and at 0x9F000 + X
 * in the EBDA. The layout:
 *
 *   0x000  RSDP (revision 0: RSDT; 2: XSDT, and an RSDT without the NFIT,
 *          so that the XSDT alone finds it)
 *   0x040  RSDT: the SSDT, 0 (skipped), 0x1000 (not held without low
 *          memory; with it, not an ACPI table), the NFIT
 *   0x080  XSDT (revision 2): the SSDT, the NFIT at its alias above 4 GiB
 *   0x100  NFIT: a persistent-memory SPA range (5 GiB, +1 GiB), a volatile
 *          one, a region mapping and a control region structure
 *   0x300  SSDT: a header, nothing else
 *   0x40e  the EBDA's segment, 0x9fc0: the EBDA at 0x9fc00 (input 0xc00)
 *   0xc00  the RSDP again, found first in the EBDA when low memory is held
 */
#define NF_BIOS 0xe0000ULL
#define NF_RSDT 0x40
#define NF_XSDT 0x80
#define NF_NFIT 0x100
#define NF_SSDT 0x300
#define NF_EBDA_SEG 0x40e
#define NF_EBDA_RSDP 0xc00
#define NF_PM_BASE (5ULL << 30)
#define NF_PM_SIZE (1ULL << 30)

static void seal(uint8_t *b, size_t len, size_t at)
{
	uint8_t s = 0;

	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += b[i];
	b[at] = (uint8_t)-s;
}

/* A table's header, @len long, its checksum to be set with seal(b, len, 9). */
static void sdt_header(uint8_t *b, const char *sig, uint32_t len)
{
	memcpy(b, sig, 4);
	put_le(b + 4, len, 4);
	b[8] = 1;
	memcpy(b + 10, "PMDFUZ", 6);
	memcpy(b + 16, "FUZZSEED", 8);
	put_le(b + 24, 1, 4);
	memcpy(b + 28, "PMDF", 4);
	put_le(b + 32, 1, 4);
}

/* The root table at @b: @n entries of @esize bytes. */
static void root_table(uint8_t *b, const char *sig, unsigned int esize, const uint64_t *e,
		       unsigned int n)
{
	uint32_t len = 36 + n * esize;

	sdt_header(b, sig, len);
	for (unsigned int i = 0; i < n; i++)
		put_le(b + 36 + i * esize, e[i], esize);
	seal(b, len, 9);
}

static uint8_t *nfit_struct(uint8_t *t, uint32_t *len, uint16_t type, uint16_t slen)
{
	uint8_t *s = t + *len;

	put_le(s, type, 2);
	put_le(s + 2, slen, 2);
	*len += slen;
	return s;
}

static void nfit_spa(uint8_t *t, uint32_t *len, uint16_t idx, const uint8_t *guid,
		     uint64_t base, uint64_t size, uint64_t attr)
{
	uint8_t *s = nfit_struct(t, len, 0, 56);

	put_le(s + 4, idx, 2);
	memcpy(s + 16, guid, 16);
	put_le(s + 32, base, 8);
	put_le(s + 40, size, 8);
	put_le(s + 48, attr, 8);
}

static void nfit_table(uint8_t *t)
{
	/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB; 7305944F-FDDA-44E3-B16C-3F22D252E5D0 */
	static const uint8_t pm[16] = {
		0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
		0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,
	};
	static const uint8_t vol[16] = {
		0x4f, 0x94, 0x05, 0x73, 0xda, 0xfd, 0xe3, 0x44,
		0xb1, 0x6c, 0x3f, 0x22, 0xd2, 0x52, 0xe5, 0xd0,
	};
	uint32_t len = 40;
	uint8_t *s;

	nfit_spa(t, &len, 1, pm, NF_PM_BASE, NF_PM_SIZE, 0x8008);	/* WB | NV */
	nfit_spa(t, &len, 2, vol, 4ULL << 30, 1ULL << 30, 0x8);
	s = nfit_struct(t, &len, 1, 48);	/* region mapping: SPA range 1, control region 1 */
	put_le(s + 4, 0x1001, 4);
	put_le(s + 10, 1, 2);
	put_le(s + 12, 1, 2);
	put_le(s + 16, NF_PM_SIZE, 8);
	s = nfit_struct(t, &len, 4, 80);	/* NVDIMM control region 1 */
	put_le(s + 4, 1, 2);
	put_le(s + 6, 0x8086, 2);
	put_le(s + 8, 0x0001, 2);
	sdt_header(t, "NFIT", len);
	seal(t, len, 9);
}

static void rsdp(uint8_t *b, bool xsdt)
{
	memcpy(b, "RSD PTR ", 8);
	memcpy(b + 9, "PMDFUZ", 6);
	put_le(b + 16, NF_BIOS + NF_RSDT, 4);
	if (xsdt) {
		b[15] = 2;
		put_le(b + 20, 36, 4);
		put_le(b + 24, (1ULL << 32) + NF_XSDT, 8);	/* the alias above 4 GiB */
	}
	seal(b, 20, 8);
	if (xsdt)
		seal(b, 36, 32);
}

/* The input repeated as fuzz_nfit lays it out, to check the seed. */
struct tiled {
	const uint8_t *b;
	size_t size;
	bool low;
};

static bool tiled_present(void *priv, uint64_t pfn)
{
	struct tiled *t = priv;

	if (pfn >= 0x90 && pfn < 0x98)		/* the hole in low memory */
		return false;
	return pfn < (1ULL << 40) / PAGE && (t->low || pfn >= NF_BIOS / PAGE);
}

static int tiled_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct tiled *t = priv;
	uint64_t pa = pfn * PAGE, base = pa >= NF_BIOS ? NF_BIOS : 0;

	if (!tiled_present(t, pfn) || (pa >= 0xa0000 && pa < NF_BIOS))
		return -1;
	for (size_t i = 0; i < PAGE; i++)
		((uint8_t *)buf)[i] = t->b[(pa - base + i) % t->size];
	return 0;
}

static int tiled_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	return physmem_read_by_page(tiled_read_page, priv, paddr, buf, len);
}

static const struct physmem_ops tiled_ops = {
	.read = tiled_read,
	.present = tiled_present,
	.read_page = tiled_read_page,
};

static int cmd_nfit(int argc, char **argv)
{
	static uint8_t in[PAGE];
	bool xsdt = argc == 3 && !strcmp(argv[1], "--xsdt");
	uint64_t rsdt_e[] = { NF_BIOS + NF_SSDT, 0, 0x1000, NF_BIOS + NF_NFIT };
	uint64_t xsdt_e[] = { NF_BIOS + NF_SSDT, (1ULL << 32) + NF_NFIT };

	if (argc != 2 && !xsdt)
		die("usage: nfit [--xsdt] OUT");
	rsdp(in, xsdt);
	/* With an XSDT, an RSDT without the NFIT: the XSDT must be the one read. */
	root_table(in + NF_RSDT, "RSDT", 4, rsdt_e, xsdt ? 1 : 4);
	if (xsdt)
		root_table(in + NF_XSDT, "XSDT", 8, xsdt_e, 2);
	nfit_table(in + NF_NFIT);
	sdt_header(in + NF_SSDT, "SSDT", 36);
	seal(in + NF_SSDT, 36, 9);
	put_le(in + NF_EBDA_SEG, 0x9fc0, 2);
	memcpy(in + NF_EBDA_RSDP, in, 36);
	for (int low = 0; low < 2; low++) {
		struct tiled t = { .b = in, .size = sizeof(in), .low = low };
		struct physmem pm = { .ops = &tiled_ops, .priv = &t, .log = &logc };
		struct pfn_ranges r = { 0 };

		if (pmem_nfit_ranges(&pm, &r) < 0 || r.nr != 1 || r.r[0].start != NF_PM_BASE / PAGE ||
		    r.r[0].end != (NF_PM_BASE + NF_PM_SIZE) / PAGE)
			die("the NFIT seed gives %u ranges, not the one expected (low memory %s)",
			    r.nr, low ? "held" : "absent");
		pfn_ranges_free(&r);
	}
	write_file(argv[argc - 1], in, sizeof(in));
	return 0;
}

int main(int argc, char **argv)
{
	log_init(&logc, "fuzz-seeds");
	logc.level = LOG_ERROR;
	if (argc < 2)
		die("usage: fuzz-seeds shrink|thin|note|page|infochain|printk|nfit ...");
	if (!strcmp(argv[1], "shrink"))
		return cmd_shrink(argc - 1, argv + 1);
	if (!strcmp(argv[1], "thin"))
		return cmd_thin(argc - 1, argv + 1);
	if (!strcmp(argv[1], "note"))
		return cmd_note(argc - 1, argv + 1);
	if (!strcmp(argv[1], "page"))
		return cmd_page(argc - 1, argv + 1);
	if (!strcmp(argv[1], "infochain"))
		return cmd_infochain(argc - 1, argv + 1);
	if (!strcmp(argv[1], "printk"))
		return cmd_printk(argc - 1, argv + 1);
	if (!strcmp(argv[1], "nfit"))
		return cmd_nfit(argc - 1, argv + 1);
	die("unknown command %s", argv[1]);
}
