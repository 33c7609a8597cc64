// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One run of the filter: open the input, learn the kernel's layout, count
 * what each dump level keeps, then write the chosen format window by
 * window.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dump/dumplevel.h"
#include "util/iomem.h"
#include "kernel/printk.h"
#include "pmem/nfit.h"
#include "dump/elf/elf_writer.h"
#include "dump/flat/flatten.h"
#include "dump/kdump/kdump_writer.h"
#include "dump/livedump_size.h"
#include "dump/sink.h"
#include "src/dump.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/meminfo.h"
#include "util/sysfs.h"

/* makedumpfile keeps both bitmaps in at most 4 MiB before it goes cyclic. */
#define MDF_ONE_CYCLE_BITMAP_BYTES (4ULL << 20)

/*
 * Window size in pfns. The user's --cyclic-buffer bounds memory; by
 * default all @npfns to look at fit in one window unless that would take
 * more than 40% of available memory.
 */
static uint64_t choose_window(const struct dump_ctx *d, uint64_t npfns)
{
	/* Whole 64-bit words, so one window always covers them all. */
	uint64_t bytes = (npfns + 63) / 64 * 8, avail;

	if (d->opt->cyclic_buffer_kib) {
		bytes = d->opt->cyclic_buffer_kib * 1024;
	} else {
		if (!meminfo_bytes("/proc/meminfo", "MemAvailable", &avail))
			avail = 0;
		avail = avail * 2 / 5;
		if (avail && bytes > avail)
			bytes = avail;
	}
	if (bytes < 64)
		bytes = 64;
	return (bytes * 8) & ~63ULL;
}

static bool live_input(const struct dump_ctx *d)
{
	return dump_source_has(&d->in, DUMP_SRC_LIVE);
}

static bool marks_pmem(const struct dump_source *src)
{
	for (unsigned int i = 0; i < src->nr_loads; i++)
		if (src->loads[i].flags & PMD_PF_DEV)
			return true;
	return false;
}

/*
 * An ELF input that marks no pmem may still hold it unmarked: a
 * hypervisor's dump of a guest with an NVDIMM (QEMU dump-guest-memory),
 * which also holds the guest's BIOS area and ACPI tables. The guest's
 * NFIT then says where its pmem is, and that is filtered as pmem, so its
 * user data does not go into the dump as RAM when nobody said
 * --pmem-range. A kdump /proc/vmcore holds no RSDP: nothing changes.
 */
/*
 * Say where the NFIT puts pmem and, when @held (the part the input holds)
 * is known, which range the input lacks (a dump of RAM only).
 */
static void report_nfit(const struct dump_ctx *d, const struct pfn_ranges *nfit,
			const struct pfn_ranges *held)
{
	for (unsigned int i = 0; i < nfit->nr; i++) {
		bool lacks = held != NULL;

		for (unsigned int j = 0; held && j < held->nr; j++)
			if (held->r[j].start < nfit->r[i].end && nfit->r[i].start < held->r[j].end)
				lacks = false;
		log_msg(d->log, "pmem at %#llx-%#llx (the dumped machine's ACPI NFIT)%s\n",
			(unsigned long long)nfit->r[i].start << 12,
			(unsigned long long)nfit->r[i].end << 12,
			lacks ? ": not in the input; give its backing file with --pmem-range=START-END:FILE to dump its metadata" : "");
	}
}

static int pmem_from_nfit(struct dump_ctx *d)
{
	struct pfn_ranges nfit = { 0 }, present = { 0 }, held = { 0 };
	struct dump_pmem_range *r = NULL;
	int ret;

	if (live_input(d) || d->opt->nr_pmem_ranges || marks_pmem(&d->in))
		return 0;
	ret = pmem_nfit_ranges(&d->in.pm, &nfit);
	if (ret < 0) {
		/* Damaged tables are the dumped machine's problem, not the run's. */
		log_warn(d->log, "%s: pmem, if any, is filtered as RAM\n", log_error_text(d->log));
		log_clear_error(d->log);
		return 0;
	}
	if (!nfit.nr)
		return 0;
	if (!dump_source_has(&d->in, DUMP_SRC_PT_LOADS)) {
		/* No flags to set: the plan takes them beside the kernel's list. */
		report_nfit(d, &nfit, NULL);
		d->named_pmem = nfit;
		return 0;
	}
	ret = -1;
	if (dump_source_present_ranges(&d->in, d->in.max_pfn, &present) < 0 ||
	    pfn_ranges_intersect(&held, &nfit, &present) < 0 ||
	    !(r = calloc(held.nr ? held.nr : 1, sizeof(*r)))) {
		log_fail(d->log, PMD_ENOMEM, "out of memory");
		goto out;
	}
	for (unsigned int i = 0; i < held.nr; i++)
		r[i] = (struct dump_pmem_range){ .start = held.r[i].start << 12,
						 .end = held.r[i].end << 12 };
	report_nfit(d, &nfit, &held);
	ret = dump_source_add_pmem(&d->in, r, held.nr, d->log);
out:
	free(r);
	pfn_ranges_free(&nfit);
	pfn_ranges_free(&present);
	pfn_ranges_free(&held);
	return ret;
}

/*
 * --pmem-range: an ELF input's PT_LOADs are marked or added; a
 * kdump-compressed input has no flags to mark and no room for a file, so
 * a range without a file joins the pmem the plan finds from the kernel's
 * list and the info blocks.
 */
static int named_pmem(struct dump_ctx *d)
{
	const struct options *o = d->opt;

	if (dump_source_has(&d->in, DUMP_SRC_PT_LOADS) || !o->nr_pmem_ranges)
		return dump_source_add_pmem(&d->in, o->pmem_ranges, o->nr_pmem_ranges, d->log);
	for (unsigned int i = 0; i < o->nr_pmem_ranges; i++) {
		const struct dump_pmem_range *r = &o->pmem_ranges[i];

		if (r->file)
			return log_fail(d->log, PMD_EINVAL, "--pmem-range with a file needs an ELF vmcore as input, not a %s",
					d->in.format->name);
		if (pfn_ranges_add(&d->named_pmem, r->start >> 12, r->end >> 12) < 0)
			return log_fail(d->log, PMD_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * A live dump is a running kernel's memory, not a crash's: one line says
 * so with the time of the capture, and one warns of the pages it could
 * not capture, which the image holds as zeros.
 */
static void describe_livedump(const struct dump_ctx *d)
{
	const struct livedump_note *ln = &d->in.livedump;
	const struct livedump_pfns *lost = &ln->lost;
	time_t t = (time_t)ln->capture_sec;
	/* Four ranges of 64-bit pfns and the count of the others fit. */
	char when[64] = "?", ranges[256] = "";
	size_t len = 0;
	struct tm tm;

	if (!d->in.is_livedump)
		return;
	if (ln->capture_sec <= (uint64_t)INT64_MAX && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	log_msg(d->log, "%s is a live dump of a running kernel, captured at %s.%09u UTC\n",
		d->opt->vmcore, when, ln->capture_nsec);
	if (!ln->pages_lost)
		return;
	for (unsigned int i = 0; i < lost->nr_shown && len < sizeof(ranges); i++)
		len += (size_t)snprintf(ranges + len, sizeof(ranges) - len, "%s%#llx-%#llx",
					i ? "," : ": pfns ",
					(unsigned long long)lost->shown[i].start,
					(unsigned long long)lost->shown[i].end);
	if (len < sizeof(ranges) && lost->nr_listed + lost->nr_more > lost->nr_shown)
		snprintf(ranges + len, sizeof(ranges) - len, " and %llu more ranges",
			 (unsigned long long)(lost->nr_listed + lost->nr_more - lost->nr_shown));
	log_warn(d->log, "the live dump did not capture %llu pages: they read as zeros (LOST_PFNS of its LIVEDUMP note lists them%s)\n",
		 (unsigned long long)ln->pages_lost, ranges);
}

/* Input, VMCOREINFO and address translation: enough to read the kernel. */
static int open_kernel(struct dump_ctx *d, const struct options *o)
{
	struct dump_open_opts oo = { .log = o->log, .no_mmap = o->no_mmap };

	memset(d, 0, sizeof(*d));
	d->opt = o;
	d->log = o->log;
	if (dump_source_open(&d->in, o->vmcore, &oo) < 0)
		return -1;
	describe_livedump(d);
	if (named_pmem(d) < 0 || pmem_from_nfit(d) < 0)
		goto err;
	if (vmcoreinfo_parse(&d->vmci, d->log, d->in.vmcoreinfo, d->in.vmcoreinfo_size) < 0 ||
	    kernel_info_init(&d->ki, &d->vmci) < 0)
		goto err;
	if (x86_64_xlat_init(&d->xlat, &d->in.pm, &d->ki, d->in.loads, d->in.nr_loads) < 0)
		goto err;
	dump_source_set_direct_map(&d->in, d->xlat.page_offset);
	log_debug(d->log, "kernel %s, %u-level paging, phys_base %#llx, direct map at %#llx\n",
		 d->ki.osrelease, d->ki.pgtable_l5 ? 5 : 4,
		 (unsigned long long)d->ki.phys_base,
		 (unsigned long long)d->xlat.page_offset);
	return 0;
err:
	dump_close(d);
	return -1;
}

#define IOMEM "/proc/iomem"

/*
 * The kernel lists device memmaps but no PT_LOAD is marked pmem: either
 * the elfcorehdr left pmem out (stock kexec_load) or it holds pmem as if
 * it were RAM (a kexec that does not mark it).
 */
static int warn_unmarked_pmem(const struct dump_ctx *d, const struct pfn_ranges *present)
{
	struct pfn_ranges in_input = { 0 };

	if (pfn_ranges_intersect(&in_input, &d->pmem.listed, present) < 0)
		return -1;
	if (in_input.nr)
		log_warn(d->log, "the input holds pmem in PT_LOADs not marked as pmem (p_flags 0x10): it is filtered as RAM, user data included\n");
	else
		log_warn(d->log, "the kernel lists %u device memmap(s) but the input holds no pmem: its struct pages are not in the dump (load the capture kernel with kexec -s, or a kexec that adds pmem)\n",
			d->pmem.nr_listed);
	pfn_ranges_free(&in_input);
	return 0;
}

/* Find pmem and decide, from the options, what to skip and what to keep. */
static int plan_pmem(struct dump_ctx *d)
{
	const struct options *o = d->opt;
	/*
	 * Pmem the input's flags do not give: a live system's from
	 * /proc/iomem, a kdump-compressed input's named_pmem; and
	 * crashkernel memory (/proc/kcore only).
	 */
	struct pfn_ranges live_pmem = { 0 }, crashkernel = { 0 };
	struct pmem_source src = {
		.loads = d->in.loads, .nr_loads = d->in.nr_loads,
		.has_flags = dump_source_has(&d->in, DUMP_SRC_PT_LOADS), .vmci = &d->vmci, .xlat = &d->xlat,
		.pm = &d->in.pm, .more_regions = &live_pmem,
	};
	struct pfn_ranges present = { 0 }, crash = { 0 };
	char iomem[PATH_MAX];
	int ret = 0;

	if (live_input(d) &&
	    (sysfs_path(iomem, sizeof(iomem), o->sysroot, IOMEM, d->log) < 0 ||
	     iomem_find(d->log, iomem, "Persistent Memory", &live_pmem) < 0 ||
	     iomem_find(d->log, iomem, "Crash kernel", &crashkernel) < 0))
		ret = -1;
	if (!ret)
		ret = pfn_ranges_add_all(&live_pmem, &d->named_pmem);
	if (!ret)
		ret = pmem_layout_find(&d->pmem, &src);
	if (!ret)
		ret = dump_source_present_ranges(&d->in, d->max_mapnr, &present);
	if (!ret)
		ret = pmem_plan_make(&d->pmem_plan, &d->pmem, &present,
				     o->dump_level & DL_EXCLUDE_PMEM_META, o->pmem_userdata);
	/* Memory reserved for the capture kernel is not in its /proc/vmcore. */
	if (!ret)
		ret = pfn_ranges_intersect(&crash, &crashkernel, &present);
	d->crashkernel_pages = pfn_ranges_pages(&crash);
	if (!ret)
		ret = pfn_ranges_add_all(&d->pmem_plan.skip, &crash);
	if (!ret && d->pmem.nr_listed && !d->pmem_plan.held && !live_input(d))
		ret = warn_unmarked_pmem(d, &present);
	pfn_ranges_free(&present);
	pfn_ranges_free(&crash);
	pfn_ranges_free(&live_pmem);
	pfn_ranges_free(&crashkernel);
	if (!ret && o->pmem_userdata && d->pmem.user.nr)
		log_warn(d->log, "--pmem-userdata: the dump holds the contents of files on persistent memory, which may be sensitive\n");
	/* Range sets have no log: their only failure is memory. */
	if (ret < 0 && !log_error_status(d->log))
		ret = log_fail(d->log, PMD_ENOMEM, "out of memory for the ranges of pmem and RAM to keep");
	return ret;
}

/*
 * Windows over [0, max_mapnr) minus the pmem ranges skipped whole, their
 * ends at multiples of 64 pfns (bits the skip covers are cleared in each
 * window), so the cost does not grow with the size of pmem.
 */
static int plan_windows(struct dump_ctx *d)
{
	struct pfn_ranges all = { 0 }, scan = { 0 }, rounded = { 0 };
	uint64_t n = 0, pos;
	unsigned int i;
	int ret = -1;

	if (pfn_ranges_add(&all, 0, d->max_mapnr) < 0 ||
	    pfn_ranges_subtract(&scan, &all, &d->pmem_plan.skip) < 0)
		goto out;
	for (i = 0; i < scan.nr; i++) {
		uint64_t end = (scan.r[i].end + 63) & ~63ULL;

		if (pfn_ranges_add(&rounded, scan.r[i].start & ~63ULL,
				   end < d->max_mapnr ? end : d->max_mapnr) < 0)
			goto out;
	}
	d->window_pfns = choose_window(d, pfn_ranges_pages(&rounded));
	for (i = 0; i < rounded.nr; i++)
		n += (rounded.r[i].end - rounded.r[i].start + d->window_pfns - 1) / d->window_pfns;
	d->windows = calloc(n ? n : 1, sizeof(*d->windows));
	if (!d->windows) {
		log_fail(d->log, PMD_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < rounded.nr; i++) {
		for (pos = rounded.r[i].start; pos < rounded.r[i].end; pos += d->window_pfns) {
			struct dump_window *w = &d->windows[d->nr_windows++];

			w->start = pos;
			w->end = pos + d->window_pfns < rounded.r[i].end ?
				 pos + d->window_pfns : rounded.r[i].end;
		}
	}
	ret = 0;
out:
	if (ret < 0 && !log_error_status(d->log))
		log_fail(d->log, PMD_ENOMEM, "out of memory for the windows of %llu page frames",
			 (unsigned long long)d->max_mapnr);
	pfn_ranges_free(&all);
	pfn_ranges_free(&scan);
	pfn_ranges_free(&rounded);
	return ret;
}

int dump_open(struct dump_ctx *d, const struct options *o)
{
	uint64_t pmem_end;

	if (open_kernel(d, o) < 0)
		return -1;
	d->max_mapnr = d->in.max_pfn;
	if (plan_pmem(d) < 0 || memmap_init(&d->mm, &d->ki, &d->xlat, d->max_mapnr) < 0)
		goto err;
	/*
	 * A "mem=" kernel dumps more than it manages: trust its mem_map, but
	 * not over flagged pmem, whose un-allocated tail has no struct pages.
	 */
	pmem_end = d->pmem.regions.nr ? d->pmem.regions.r[d->pmem.regions.nr - 1].end : 0;
	if (dump_source_has(&d->in, DUMP_SRC_PT_LOADS) && d->mm.max_pfn && d->mm.max_pfn < d->max_mapnr)
		d->max_mapnr = d->mm.max_pfn > pmem_end ? d->mm.max_pfn :
			       pmem_end < d->max_mapnr ? pmem_end : d->max_mapnr;
	if (classifier_init(&d->cls, &d->ki, &d->xlat, &d->mm, &d->in.pm, o->dump_level) < 0)
		goto err;
	if (plan_windows(d) < 0)
		goto err;
	if (bitmap_alloc(&d->bm, d->window_pfns) < 0 ||
	    bitmap_alloc(&d->present, d->window_pfns) < 0) {
		log_fail(d->log, PMD_ENOMEM, "out of memory for two bitmaps of %llu page frames",
			 (unsigned long long)d->window_pfns);
		goto err;
	}
	return 0;
err:
	dump_close(d);
	return -1;
}

void dump_close(struct dump_ctx *d)
{
	free(d->windows);
	d->windows = NULL;
	pmem_plan_free(&d->pmem_plan);
	pmem_layout_free(&d->pmem);
	pfn_ranges_free(&d->named_pmem);
	bitmap_free(&d->bm);
	bitmap_free(&d->present);
	classifier_free(&d->cls);
	memmap_free(&d->mm);
	vmcoreinfo_free(&d->vmci);
	dump_source_close(&d->in);
}

/* Clear the bits of @set's ranges in @bm. */
static void clear_ranges(struct bitmap *bm, const struct pfn_ranges *set)
{
	for (unsigned int i = 0; i < set->nr; i++)
		if (set->r[i].end > bm->start && set->r[i].start < bm->end)
			bitmap_clear_range(bm, set->r[i].start, set->r[i].end);
}

/*
 * Classify window @k into d->bm; zero pages too when @zero_scan. Pmem
 * is never classified: skipped pmem is cleared, and kept pmem (metadata)
 * comes back as the input has it, whatever the dump level says of it.
 * d->present holds the kept pages meanwhile.
 */
static int classify_window_nr(struct dump_ctx *d, uint64_t k, bool zero_scan,
			      struct page_counts *cnt)
{
	const struct dump_window *win = &d->windows[k];
	const struct pfn_ranges *keep = &d->pmem_plan.keep;
	unsigned int i;

	bitmap_reset(&d->bm, win->start, win->end);
	dump_source_mark_present(&d->in, &d->bm, d->max_mapnr);
	clear_ranges(&d->bm, &d->pmem_plan.skip);
	if (keep->nr) {
		bitmap_reset(&d->present, win->start, win->end);
		for (i = 0; i < keep->nr; i++)
			bitmap_copy_range(&d->present, &d->bm, keep->r[i].start, keep->r[i].end);
		clear_ranges(&d->bm, keep);
	}
	classifier_set_carry(&d->cls, &win->carry_in);
	if (classify_window(&d->cls, &d->bm, cnt) < 0)
		return -1;
	if (zero_scan && (d->opt->dump_level & DL_EXCLUDE_ZERO) &&
	    exclude_zero_pages(&d->cls, &d->bm, cnt) < 0)
		return -1;
	for (i = 0; i < keep->nr; i++)
		bitmap_copy_range(&d->bm, &d->present, keep->r[i].start, keep->r[i].end);
	return 0;
}

/*
 * The counting pass: every pfn is classified once, whatever the window
 * size, so the report never depends on --cyclic-buffer. Zero pages are
 * found here for ELF output, whose headers need the final bitmap; the
 * kdump writer finds them as it copies, as makedumpfile does.
 */
/*
 * Whether makedumpfile 1.7.2 would run in its cyclic mode. Some of its
 * kdump-format figures (the partial page, the bytes it writes) differ
 * between its two modes. A kdump-compressed input (refiltering) is always
 * done in one pass. Otherwise --cyclic-buffer keeps it cyclic, and without
 * it the buffer is the smallest of 4 MiB, 60% of MemFree and
 * max_mapnr * 2 / 8 bytes, rounded down, before it checks that the buffer
 * holds both bitmaps (max_mapnr * 2 bits): it does not when max_mapnr is
 * not a multiple of 4, or above 16 Mi pfns (64 GiB). Its max_mapnr here
 * is the PT_LOADs' end, before a "mem=" kernel's mem_map lowers it. The
 * MemFree limit only matters with less than max_mapnr / 2.4 bytes free
 * (7 MB for 64 GiB) and is left out: the same input always gives the
 * same file.
 */
static bool reference_is_cyclic(const struct dump_ctx *d)
{
	uint64_t mapnr = d->in.max_pfn;

	if (!dump_source_has(&d->in, DUMP_SRC_PT_LOADS))
		return false;
	return d->opt->cyclic_buffer_kib || mapnr % 4 ||
	       mapnr * 2 / 8 > MDF_ONE_CYCLE_BITMAP_BYTES;
}

static bool held_counts_partial_page(const struct dump_ctx *d)
{
	return d->opt->format == OUTPUT_ELF || !reference_is_cyclic(d);
}

static int count_pass(struct dump_ctx *d, bool zero_scan)
{
	struct classifier_carry carry = { 0 };
	uint64_t k;

	memset(&d->report.counts, 0, sizeof(d->report.counts));
	d->nr_dumpable = 0;
	for (k = 0; k < d->nr_windows; k++) {
		d->windows[k].carry_in = carry;
		if (classify_window_nr(d, k, zero_scan, &d->report.counts) < 0)
			return -1;
		classifier_get_carry(&d->cls, &carry);
		d->nr_dumpable += bitmap_count(&d->bm, d->bm.start, d->bm.end);
	}
	d->bitmap_cached = d->nr_windows == 1;
	d->report.pmem = d->pmem_plan.report;
	d->report.pmem_meta = d->pmem_plan.meta_excluded;
	d->report.pmem_user = d->pmem_plan.user_excluded;
	d->report.memhole = dump_source_memory_hole(&d->in, d->max_mapnr,
						   held_counts_partial_page(d));
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

/* One pass of the ELF writer over every memory range, window by window. */
static int elf_pass(struct dump_ctx *d, struct elf_writer *w)
{
	unsigned int i;

	for (i = 0; i < d->in.nr_loads; i++) {
		const struct elf_load *l = &d->in.loads[i];
		uint64_t start, end, k;

		elf_load_pfn_range(l, d->ki.page_size, &start, &end);
		if (elf_writer_load_begin(w, l) < 0)
			return -1;
		for (k = 0; k < d->nr_windows && d->windows[k].start < end; k++) {
			if (d->windows[k].end <= start)
				continue;
			if (window_bitmap(d, k, true) < 0 ||
			    elf_writer_window(w, &d->bm) < 0)
				return -1;
		}
		/* Skipped pmem, or past the last struct page: nothing to keep. */
		elf_writer_skip_to(w, end);
		if (elf_writer_load_end(w) < 0)
			return -1;
	}
	return elf_writer_finish(w);
}

/* Pages the ELF writer walks, for the progress meter. */
static uint64_t pages_in_loads(const struct dump_ctx *d)
{
	uint64_t n = 0, start, end;
	unsigned int i;

	for (i = 0; i < d->in.nr_loads; i++) {
		elf_load_pfn_range(&d->in.loads[i], d->ki.page_size, &start, &end);
		n += end - start;
	}
	n -= d->pmem_plan.meta_excluded + d->pmem_plan.user_excluded;
	return n;
}

static int write_elf(struct dump_ctx *d, const struct output_sink *out)
{
	struct elf_writer w;
	unsigned int nr_segments;

	if (count_pass(d, true) < 0)
		return -1;
	if (elf_writer_init(&w, &d->in.pm, true) < 0)
		return -1;
	if (elf_pass(d, &w) < 0)
		goto err;
	nr_segments = w.nr_segments;
	elf_writer_free(&w);

	if (elf_writer_init(&w, &d->in.pm, false) < 0)
		return -1;
	progress_start(&d->progress, d->log, "Copying data", pages_in_loads(d));
	w.progress = &d->progress;
	if (elf_writer_begin(&w, out, d->in.notes, d->in.notes_size, nr_segments) < 0 ||
	    elf_pass(d, &w) < 0)
		goto err;
	progress_finish(&d->progress);
	if (w.nr_segments != nr_segments) {
		log_fail(d->log, PMD_ECORRUPT, "internal error: %u segments counted, %u written",
		       nr_segments, w.nr_segments);
		goto err;
	}
	d->report.elf = true;
	d->report.elf_dropped = w.pages_dropped;
	d->report.write_bytes = elf_writer_bytes(&w);
	elf_writer_free(&w);
	return 0;
err:
	elf_writer_free(&w);
	return -1;
}

/* The dumped kernel's utsname, for the kdump header; zeros if unreadable. */
static void read_utsname(struct dump_ctx *d, struct kdump_utsname *uts)
{
	uint64_t addr;
	long long off;

	memset(uts, 0, sizeof(*uts));
	if (!vmcoreinfo_get_hex(&d->vmci, "SYMBOL(init_uts_ns)", &addr) ||
	    !vmcoreinfo_get_long(&d->vmci, "OFFSET(uts_namespace.name)", &off))
		return;
	if (x86_64_vtop(&d->xlat, addr + (uint64_t)off, &addr) < 0 ||
	    physmem_read(&d->in.pm, addr, uts, sizeof(*uts)) < 0)
		memset(uts, 0, sizeof(*uts));
}

static void kdump_params_fill(struct dump_ctx *d, const struct output_sink *out,
			      struct kdump_params *p)
{
	long long crashtime = 0;

	memset(p, 0, sizeof(*p));
	p->out = out;
	p->pm = &d->in.pm;
	p->compression = d->opt->compression;
	p->page_size = d->ki.page_size;
	p->max_mapnr = d->max_mapnr;
	p->dump_level = d->opt->dump_level;
	p->phys_base = d->ki.phys_base;
	read_utsname(d, &p->utsname);
	vmcoreinfo_get_long(&d->vmci, "CRASHTIME", &crashtime);
	p->crash_time = crashtime;
	p->nr_cpus = d->in.nr_cpus;
	p->notes = d->in.notes;
	p->notes_size = d->in.notes_size;
	p->vmcoreinfo_offset = (size_t)((const uint8_t *)d->in.vmcoreinfo - d->in.notes);
	p->vmcoreinfo_size = d->in.vmcoreinfo_size;
	/* A refiltered input's VMCOREINFO may not be inside its notes. */
	if ((const uint8_t *)d->in.vmcoreinfo < d->in.notes ||
	    p->vmcoreinfo_offset + p->vmcoreinfo_size > d->in.notes_size)
		p->vmcoreinfo_size = 0;
	p->nr_dumpable = d->nr_dumpable;
	p->threads = d->opt->threads;
	p->cyclic = reference_is_cyclic(d);
	p->progress = &d->progress;
	p->keep = &d->pmem_plan.keep;
	/* makedumpfile knows levels up to 31; the pmem bit is ours alone. */
	p->dump_level = d->opt->dump_level & DL_MAX;
}

static int write_kdump(struct dump_ctx *d, const struct output_sink *out)
{
	struct kdump_writer w;
	struct kdump_params p;
	uint64_t k;
	int ret = -1;

	if (count_pass(d, false) < 0)
		return -1;
	kdump_params_fill(d, out, &p);
	progress_start(&d->progress, d->log, "Copying data", d->max_mapnr);
	if (kdump_writer_begin(&w, &p) < 0)
		goto out;
	for (k = 0; k < d->nr_windows; k++) {
		if (window_bitmap(d, k, false) < 0)
			goto out;
		bitmap_reset(&d->present, d->windows[k].start, d->windows[k].end);
		dump_source_mark_held(&d->in, &d->present, d->max_mapnr,
				     held_counts_partial_page(d));
		clear_ranges(&d->present, &d->pmem_plan.skip);
		if (kdump_writer_window(&w, &d->present, &d->bm, &d->report.counts) < 0)
			goto out;
	}
	if (kdump_writer_finish(&w, &d->report.write_bytes) < 0)
		goto out;
	progress_finish(&d->progress);
	ret = 0;
out:
	kdump_writer_free(&w);
	return ret;
}

static int write_format(struct dump_ctx *d, const struct output_sink *sink)
{
	d->report.max_mapnr = d->max_mapnr;
	if (d->opt->format == OUTPUT_ELF)
		return write_elf(d, sink);
	return write_kdump(d, sink);
}

/*
 * A dump written over its own input destroys what is still to be read:
 * a device in place, or a file that -f would replace (its data lost).
 */
static int check_not_input(struct log_ctx *log, const char *in, const char *out)
{
	struct stat si, so;
	bool same;

	if (stat(in, &si) < 0 || stat(out, &so) < 0)
		return 0;
	if (S_ISBLK(si.st_mode) || S_ISCHR(si.st_mode))
		same = (si.st_mode & S_IFMT) == (so.st_mode & S_IFMT) && si.st_rdev == so.st_rdev;
	else
		same = si.st_dev == so.st_dev && si.st_ino == so.st_ino;
	if (same)
		return log_fail(log, PMD_EINVAL, "%s is the input %s itself: the dump would overwrite what it reads",
				out, in);
	return 0;
}

int dump_write(struct dump_ctx *d)
{
	struct output_sink sink;
	struct flat_writer fw;
	struct out_file out;

	if (d->opt->flatten) {
		if (isatty(STDOUT_FILENO)) {
			return log_fail(d->log, PMD_EINVAL, "-F writes the dump to standard output, which is a terminal: redirect or pipe it");
		}
		if (flat_writer_begin(&fw, d->log, STDOUT_FILENO, "standard output") < 0)
			return -1;
		output_sink_flat(&sink, &fw);
		/* A stream cut short has no end marker: -R rejects it. */
		if (write_format(d, &sink) < 0)
			return -1;
		return flat_writer_end(&fw);
	}
	if (check_not_input(d->log, d->opt->vmcore, d->opt->dumpfile) < 0 ||
	    out_file_create(&out, d->log, d->opt->dumpfile, d->opt->force) < 0)
		return -1;
	output_sink_file(&sink, &out);
	if (write_format(d, &sink) < 0) {
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
	if (check_not_input(o->log, o->vmcore, o->dumpfile) < 0 ||
	    out_file_create(&out, o->log, o->dumpfile, o->force) < 0)
		goto out;
	if (out_file_pwrite(&out, log.data, log.len, 0) < 0) {
		out_file_abort(&out);
		goto out;
	}
	ret = out_file_finish(&out);
	if (!ret)
		log_msg(o->log, "The dmesg log is saved to %s.\n\nmakedumpfile Completed.\n",
		       o->dumpfile);
out:
	text_buf_free(&log);
	dump_close(&d);
	return ret;
}

/* -R: a flattened stream on stdin back into a dump file. */
static int rebuild_flattened(const struct options *o)
{
	struct out_file out;

	if (out_file_create(&out, o->log, o->dumpfile, o->force) < 0)
		return -1;
	if (flat_rebuild(STDIN_FILENO, "standard input", &out) < 0) {
		out_file_abort(&out);
		return -1;
	}
	if (out_file_finish(&out) < 0)
		return -1;
	log_msg(o->log, "The dumpfile is saved to %s.\n\nmakedumpfile Completed.\n", o->dumpfile);
	return 0;
}

/*
 * --mem-usage: classify as -d 31 would, write nothing. On /proc/kcore
 * this is the running system: what a crash dump of it would hold.
 */
static int show_mem_usage(const struct options *o)
{
	struct options at31 = *o;
	struct mem_usage u = { 0 };
	struct dump_ctx d;
	int ret = -1;

	at31.dump_level = DL_MAX;
	if (dump_open(&d, &at31) < 0)
		return -1;
	if (count_pass(&d, true) < 0)
		goto out;
	u.counts = d.report.counts;
	u.page_size = d.ki.page_size;
	/* As makedumpfile sums PT_LOADs: kcore's kernel text counts again. */
	u.ram_pages = dump_source_held_pages(&d.in, d.max_mapnr, false) -
		      d.crashkernel_pages - d.pmem_plan.held;
	u.pmem = d.pmem.regions.nr > 0;
	u.pmem_meta = pfn_ranges_pages(&d.pmem.meta);
	u.pmem_user = pfn_ranges_pages(&d.pmem.user);
	/* A running kernel that can take a live dump: its size too. */
	if (live_input(&d)) {
		int ld = livedump_size_estimate(&u.livedump, o->sysroot, &d.pmem.regions,
						&d.pmem.meta, d.log);

		if (ld < 0) {
			log_warn(d.log, "%s: the size of a live dump is not known\n",
				 log_error_text(d.log));
			log_clear_error(d.log);
		}
		u.has_livedump = ld > 0;
	}
	report_print_mem_usage(o->log, &u);
	ret = 0;
out:
	dump_close(&d);
	return ret;
}

int dump_main(const struct options *o, struct dump_report *done)
{
	struct dump_ctx d;
	int ret;

	if (o->rebuild)
		return rebuild_flattened(o);
	if (o->dump_dmesg)
		return write_dmesg(o);
	if (o->format == OUTPUT_KDUMP && o->compression == COMPRESS_SNAPPY) {
		return log_fail(o->log, PMD_EUNSUPPORTED, "snappy compression (-p) is not built in: use -c, -l or -z");
	}
	if (o->mem_usage)
		return show_mem_usage(o);
	if (dump_open(&d, o) < 0)
		return -1;
	if (live_input(&d)) {
		log_fail(o->log, PMD_EUNSUPPORTED, "%s is a running system's memory: only --mem-usage reads it", o->vmcore);
		dump_close(&d);
		return -1;
	}
	ret = dump_write(&d);
	if (!ret) {
		report_print(o->log, &d.report);
		if (o->dumpfile)
			log_msg(o->log, "The dumpfile is saved to %s.\n\nmakedumpfile Completed.\n",
			       o->dumpfile);
		if (done)
			*done = d.report;
	}
	dump_close(&d);
	return ret;
}
