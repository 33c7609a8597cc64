// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One run of the filter: open the vmcore, learn the kernel's layout, then
 * walk the dump in windows of pfns, classifying and writing each window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "output/elf_writer.h"
#include "src/dump.h"
#include "util/fileio.h"
#include "util/log.h"

static uint64_t max_pfn_of_loads(const struct elfcore *in, unsigned int page_size)
{
	uint64_t end = 0;
	unsigned int i;

	for (i = 0; i < in->nr_loads; i++)
		if (in->loads[i].paddr + in->loads[i].memsz > end)
			end = in->loads[i].paddr + in->loads[i].memsz;
	return (end + page_size - 1) / page_size;
}

static uint64_t mem_available_bytes(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib * 1024;
}

/*
 * Window size in pfns. The user's --cyclic-buffer bounds memory; by
 * default the whole machine fits in one window unless that would take
 * more than 40% of available memory (makedumpfile's rule of thumb).
 */
static uint64_t choose_window(const struct dump_ctx *d)
{
	uint64_t bytes = (d->max_mapnr + 7) / 8, avail;

	if (d->opt->cyclic_buffer_kib) {
		bytes = d->opt->cyclic_buffer_kib * 1024;
	} else {
		avail = mem_available_bytes() * 2 / 5;
		if (avail && bytes > avail)
			bytes = avail;
	}
	if (bytes < 64)
		bytes = 64;
	return (bytes * 8) & ~63ULL;
}

/* Input, VMCOREINFO and address translation: enough to read the kernel. */
static int open_kernel(struct dump_ctx *d, const struct options *o)
{
	memset(d, 0, sizeof(*d));
	d->opt = o;
	if (o->no_mmap)
		setenv("MDF_NO_MMAP", "1", 1);
	if (elfcore_open(&d->in, o->vmcore) < 0)
		return -1;
	if (vmcoreinfo_parse(&d->vmci, d->in.vmcoreinfo, d->in.vmcoreinfo_size) < 0 ||
	    kernel_info_init(&d->ki, &d->vmci) < 0)
		goto err;
	pr_debug("kernel %s, %u-level paging, phys_base %#llx\n", d->ki.osrelease,
		 d->ki.pgtable_l5 ? 5 : 4, (unsigned long long)d->ki.phys_base);
	elfcore_physmem(&d->in, &d->pm);
	if (x86_64_xlat_init(&d->xlat, &d->pm, &d->ki, &d->in) < 0)
		goto err;
	return 0;
err:
	dump_close(d);
	return -1;
}

int dump_open(struct dump_ctx *d, const struct options *o)
{
	if (open_kernel(d, o) < 0)
		return -1;
	d->max_mapnr = max_pfn_of_loads(&d->in, d->ki.page_size);
	if (memmap_init(&d->mm, &d->ki, &d->xlat, d->max_mapnr) < 0)
		goto err;
	/* A "mem=" kernel dumps more than it manages: trust its mem_map. */
	if (d->mm.max_pfn && d->mm.max_pfn < d->max_mapnr)
		d->max_mapnr = d->mm.max_pfn;
	if (classifier_init(&d->cls, &d->ki, &d->xlat, &d->mm, &d->pm, o->dump_level) < 0)
		goto err;
	d->window_pfns = choose_window(d);
	d->nr_windows = (d->max_mapnr + d->window_pfns - 1) / d->window_pfns;
	d->carry_in = calloc(d->nr_windows ? d->nr_windows : 1, sizeof(*d->carry_in));
	if (!d->carry_in) {
		pr_err("out of memory\n");
		goto err;
	}
	if (bitmap_alloc(&d->bm, d->window_pfns) < 0)
		goto err;
	return 0;
err:
	dump_close(d);
	return -1;
}

void dump_close(struct dump_ctx *d)
{
	free(d->carry_in);
	d->carry_in = NULL;
	bitmap_free(&d->bm);
	classifier_free(&d->cls);
	memmap_free(&d->mm);
	vmcoreinfo_free(&d->vmci);
	elfcore_close(&d->in);
}

/* The pfns a PT_LOAD holds whole, up to max_mapnr. */
static void load_pfns(const struct dump_ctx *d, const struct elf_load *l,
		      uint64_t *start, uint64_t *end)
{
	unsigned int ps = d->ki.page_size;

	*start = l->paddr / ps;
	*end = (l->paddr + l->memsz) / ps;
	if (*end > d->max_mapnr)
		*end = d->max_mapnr;
}

static void mark_present(struct dump_ctx *d, struct bitmap *bm)
{
	unsigned int i;

	for (i = 0; i < d->in.nr_loads; i++) {
		uint64_t start, end;

		load_pfns(d, &d->in.loads[i], &start, &end);
		bitmap_set_range(bm, start, end);
	}
}

/*
 * Pages that no PT_LOAD holds, as makedumpfile 1.7.2 counts them: a page
 * two PT_LOADs hold (the kernel text is also in the direct map) counts
 * twice, and a segment ending mid-page (0x9fc00, below 640 KiB) holds
 * that page, although neither tool dumps it.
 */
static uint64_t count_memory_hole(const struct dump_ctx *d)
{
	uint64_t held = 0;
	unsigned int i;

	for (i = 0; i < d->in.nr_loads; i++) {
		const struct elf_load *l = &d->in.loads[i];
		uint64_t start, end;

		load_pfns(d, l, &start, &end);
		if ((l->paddr + l->memsz) % d->ki.page_size)
			end++;
		if (start < end)
			held += end - start;
	}
	return held > d->max_mapnr ? 0 : d->max_mapnr - held;
}

/* Classify window @k into d->bm; zero pages too when @zero_scan. */
static int classify_window_nr(struct dump_ctx *d, uint64_t k, bool zero_scan,
			      struct page_counts *cnt)
{
	uint64_t start = k * d->window_pfns;
	uint64_t end = start + d->window_pfns;

	if (end > d->max_mapnr)
		end = d->max_mapnr;
	bitmap_reset(&d->bm, start, end);
	mark_present(d, &d->bm);
	classifier_set_carry(&d->cls, &d->carry_in[k]);
	if (classify_window(&d->cls, &d->bm, cnt) < 0)
		return -1;
	if (zero_scan && (d->opt->dump_level & DL_EXCLUDE_ZERO) &&
	    exclude_zero_pages(&d->cls, &d->bm, cnt) < 0)
		return -1;
	return 0;
}

/*
 * The counting pass: every pfn is classified once, whatever the window
 * size, so the report never depends on --cyclic-buffer. Zero pages are
 * found here for ELF output, whose headers need the final bitmap; the
 * kdump writer finds them as it copies.
 */
static int count_pass(struct dump_ctx *d, bool zero_scan)
{
	struct classifier_carry carry = { 0 };
	uint64_t k;

	memset(&d->report.counts, 0, sizeof(d->report.counts));
	d->nr_dumpable = 0;
	for (k = 0; k < d->nr_windows; k++) {
		d->carry_in[k] = carry;
		if (classify_window_nr(d, k, zero_scan, &d->report.counts) < 0)
			return -1;
		classifier_get_carry(&d->cls, &carry);
		d->nr_dumpable += bitmap_count(&d->bm, d->bm.start, d->bm.end);
	}
	d->bitmap_cached = d->nr_windows == 1;
	d->report.memhole = count_memory_hole(d);
	return 0;
}

/* The bitmap of window @k, from the cache or classified again. */
static int window_bitmap(struct dump_ctx *d, uint64_t k, bool zero_scan)
{
	struct page_counts scratch = { 0 };

	if (d->bitmap_cached)
		return 0;
	return classify_window_nr(d, k, zero_scan, &scratch);
}

/* One pass of the ELF writer over every PT_LOAD, window by window. */
static int elf_pass(struct dump_ctx *d, struct elf_writer *w)
{
	unsigned int i;

	for (i = 0; i < d->in.nr_loads; i++) {
		const struct elf_load *l = &d->in.loads[i];
		uint64_t start, end, k;

		elf_load_pfn_range(l, d->ki.page_size, &start, &end);
		if (elf_writer_load_begin(w, l) < 0)
			return -1;
		for (k = start / d->window_pfns;
		     k < d->nr_windows && k * d->window_pfns < end; k++) {
			if (window_bitmap(d, k, true) < 0 ||
			    elf_writer_window(w, &d->bm) < 0)
				return -1;
		}
		/* Past the last struct page (a "mem=" kernel): nothing to keep. */
		elf_writer_skip_to(w, end);
		if (elf_writer_load_end(w) < 0)
			return -1;
	}
	return elf_writer_finish(w);
}

static int write_elf(struct dump_ctx *d, struct out_file *out)
{
	struct elf_writer w;
	unsigned int nr_segments;

	if (count_pass(d, true) < 0)
		return -1;
	if (elf_writer_init(&w, &d->in, true) < 0)
		return -1;
	if (elf_pass(d, &w) < 0)
		goto err;
	nr_segments = w.nr_segments;
	elf_writer_free(&w);

	if (elf_writer_init(&w, &d->in, false) < 0)
		return -1;
	if (elf_writer_begin(&w, out, nr_segments) < 0 || elf_pass(d, &w) < 0)
		goto err;
	if (w.nr_segments != nr_segments) {
		pr_err("internal error: %u segments counted, %u written\n",
		       nr_segments, w.nr_segments);
		goto err;
	}
	d->report.elf = true;
	d->report.elf_dropped = w.pages_dropped;
	d->report.write_bytes = w.data_end;
	elf_writer_free(&w);
	return 0;
err:
	elf_writer_free(&w);
	return -1;
}

int dump_write(struct dump_ctx *d)
{
	struct out_file out;

	if (d->opt->format != OUTPUT_ELF) {
		pr_err("kdump-compressed output is not built yet: use -E for an ELF dump\n");
		return -1;
	}
	d->report.max_mapnr = d->max_mapnr;
	if (out_file_create(&out, d->opt->dumpfile, d->opt->force) < 0)
		return -1;
	if (write_elf(d, &out) < 0) {
		out_file_abort(&out);
		return -1;
	}
	return out_file_finish(&out);
}

/* --dump-dmesg: the kernel log, as makedumpfile writes it. */
static int write_dmesg(const struct options *o)
{
	struct text_buf log = { 0 };
	struct out_file out;
	struct dump_ctx d;
	int ret = -1;

	if (open_kernel(&d, o) < 0)
		return -1;
	if (printk_read_log(&d.xlat, &d.vmci, &log) < 0)
		goto out;
	if (out_file_create(&out, o->dumpfile, o->force) < 0)
		goto out;
	if (out_file_pwrite(&out, log.data, log.len, 0) < 0) {
		out_file_abort(&out);
		goto out;
	}
	ret = out_file_finish(&out);
	if (!ret)
		pr_msg("The dmesg log is saved to %s.\n\nmakedumpfile Completed.\n",
		       o->dumpfile);
out:
	text_buf_free(&log);
	dump_close(&d);
	return ret;
}

int dump_main(const struct options *o)
{
	struct dump_ctx d;
	int ret;

	if (o->dump_dmesg)
		return write_dmesg(o);
	if (dump_open(&d, o) < 0)
		return -1;
	ret = dump_write(&d);
	if (!ret) {
		report_print(&d.report);
		pr_msg("The dumpfile is saved to %s.\n\nmakedumpfile Completed.\n",
		       o->dumpfile);
	}
	dump_close(&d);
	return ret;
}
