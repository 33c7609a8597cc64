// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's kdump-compressed format, written window by window.
 *
 * Four regions of the file grow front to back at once: the two bitmaps,
 * the page descriptors and the page data. Each goes through its own
 * buffer, so the file is written in large blocks at known offsets and the
 * same code feeds a regular file or a flattened stream.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/bitmap.h"
#include "dump/classify.h"
#include "kernel/physmem.h"
#include "dump/kdump/kdump_writer.h"
#include "util/progress.h"
#include "dump/sink.h"
#include "util/log.h"

#define BITMAP_STREAM_SIZE (256u << 10)
#define DESC_STREAM_SIZE (1u << 20)
#define DATA_STREAM_SIZE (1u << 20)
/* Pages compressed as one job: small enough that the batches in flight
 * with --num-threads stay a few MiB. */
#define BATCH_PAGES 128

/* Bytes are counted as makedumpfile counts them: each one appended. */
static int stream_append(struct kdump_writer *w, struct sink_stream *s,
			 const void *data, size_t len)
{
	w->write_bytes += len;
	return sink_stream_append(s, data, len);
}

static int check_params(const struct kdump_params *p)
{
	uint64_t half;

	if (!p->out || !p->pm) {
		return log_fail(p->pm->log, PMD_ECORRUPT, "internal error: kdump writer without output or input");
	}
	if (p->page_size < 512 || p->page_size > (1u << 20) ||
	    (p->page_size & (p->page_size - 1))) {
		return log_fail(p->pm->log, PMD_EUNSUPPORTED, "page size %u is not supported by the kdump-compressed format",
		       p->page_size);
	}
	half = kdump_bitmap_half_bytes(p->max_mapnr, p->page_size);
	if (!p->max_mapnr || 2 * (half / p->page_size) > UINT32_MAX) {
		return log_fail(p->pm->log, PMD_ECORRUPT, "%llu page frames do not fit the kdump-compressed format",
		       (unsigned long long)p->max_mapnr);
	}
	if (p->notes_size > (size_t)INT_MAX / 2 ||
	    (p->vmcoreinfo_size &&
	     (p->vmcoreinfo_offset > p->notes_size ||
	      p->vmcoreinfo_size > p->notes_size - p->vmcoreinfo_offset))) {
		return log_fail(p->pm->log, PMD_ECORRUPT, "internal error: VMCOREINFO is not inside the %zu bytes of notes",
		       p->notes_size);
	}
	if (p->nr_dumpable > p->max_mapnr) {
		return log_fail(p->pm->log, PMD_ECORRUPT, "internal error: %llu dumpable pages out of %llu",
		       (unsigned long long)p->nr_dumpable,
		       (unsigned long long)p->max_mapnr);
	}
	if (p->threads > KDUMP_MAX_THREADS) {
		return log_fail(p->pm->log, PMD_EINVAL, "--num-threads %u: at most %d threads", p->threads,
		       KDUMP_MAX_THREADS);
	}
	return 0;
}

static void copy_uts_field(char *dst, const char *src, const char *fallback)
{
	memcpy(dst, src, KDUMP_UTS_LEN);
	dst[KDUMP_UTS_LEN - 1] = '\0';
	if (!dst[0] && fallback)
		strncpy(dst, fallback, KDUMP_UTS_LEN - 1);
}

static void fill_utsname(struct kdump_utsname *dst, const struct kdump_utsname *src)
{
	copy_uts_field(dst->sysname, src->sysname, "Linux");
	copy_uts_field(dst->nodename, src->nodename, NULL);
	copy_uts_field(dst->release, src->release, NULL);
	copy_uts_field(dst->version, src->version, NULL);
	copy_uts_field(dst->machine, src->machine, "x86_64");
	copy_uts_field(dst->domainname, src->domainname, NULL);
}

/* The headers' values, laid out as makedumpfile's write_kdump_header(). */
static void build_headers(struct kdump_writer *w)
{
	const struct kdump_params *p = &w->p;
	struct kdump_disk_header *dh = &w->dh;
	struct kdump_sub_header *kh = &w->kh;
	uint64_t bs = p->page_size;

	memset(dh, 0, sizeof(*dh));
	memcpy(dh->signature, KDUMP_SIGNATURE, KDUMP_SIG_LEN);
	dh->header_version = KDUMP_HEADER_VERSION;
	fill_utsname(&dh->utsname, &p->utsname);
	dh->timestamp_sec = p->crash_time;
	dh->status = compression_dh_flag(p->compression);
	dh->block_size = (int32_t)bs;
	dh->sub_hdr_size = (int32_t)kdump_div_round_up(sizeof(*kh) + p->notes_size, bs);
	w->bitmap_half = kdump_bitmap_half_bytes(p->max_mapnr, p->page_size);
	dh->bitmap_blocks = (uint32_t)(2 * w->bitmap_half / bs);
	dh->max_mapnr = p->max_mapnr > UINT32_MAX ? UINT32_MAX : (uint32_t)p->max_mapnr;
	dh->nr_cpus = (int32_t)p->nr_cpus;

	memset(kh, 0, sizeof(*kh));
	kh->phys_base = p->phys_base;
	kh->dump_level = (int32_t)p->dump_level;
	kh->max_mapnr_64 = p->max_mapnr;
	if (p->notes_size) {
		kh->offset_note = bs + sizeof(*kh);
		kh->size_note = p->notes_size;
		if (p->vmcoreinfo_size) {
			kh->offset_vmcoreinfo = kh->offset_note + p->vmcoreinfo_offset;
			kh->size_vmcoreinfo = p->vmcoreinfo_size;
		}
	}
	w->desc_off = (1 + (uint64_t)dh->sub_hdr_size + dh->bitmap_blocks) * bs;
	w->data_off = w->desc_off + p->nr_dumpable * sizeof(struct kdump_page_desc);
}

/*
 * On a file the header first says "incomplete", and only finish clears
 * it: a dump cut short never looks whole. A stream cannot take back what
 * it sent, and one without its end marker is rejected anyway.
 */
static int write_headers(struct kdump_writer *w)
{
	struct kdump_disk_header dh = w->dh;
	uint64_t bs = w->p.page_size;

	if (!w->p.out->stream)
		dh.status |= DUMP_DH_COMPRESSED_INCOMPLETE;
	if (sink_write(w->p.out, &dh, sizeof(dh), 0) < 0 ||
	    sink_write(w->p.out, &w->kh, sizeof(w->kh), bs) < 0 ||
	    sink_write(w->p.out, w->p.notes, w->p.notes_size, bs + sizeof(w->kh)) < 0)
		return -1;
	w->write_bytes += sizeof(dh) + sizeof(w->kh) + w->p.notes_size;
	return 0;
}

static int alloc_buffers(struct kdump_writer *w)
{
	unsigned int i;

	w->bitmap_off = (1 + (uint64_t)w->dh.sub_hdr_size) * w->p.page_size;
	pfn_ranges_cursor_init(&w->keep, w->p.keep);
	if (sink_stream_init(&w->bitmap1, w->p.out, BITMAP_STREAM_SIZE, w->bitmap_off) < 0 ||
	    sink_stream_init(&w->bitmap2, w->p.out, BITMAP_STREAM_SIZE,
			     w->bitmap_off + w->bitmap_half) < 0 ||
	    sink_stream_init(&w->descs, w->p.out, DESC_STREAM_SIZE, w->desc_off) < 0 ||
	    sink_stream_init(&w->data, w->p.out, DATA_STREAM_SIZE, w->data_off) < 0)
		return -1;
	/* Without workers one batch at a time is all there is. */
	for (i = 0; i < (w->p.threads ? PAGE_POOL_QUEUE : 1); i++) {
		/* page_batch_alloc() records no error: this is where it is said. */
		if (page_batch_alloc(&w->batch[i], BATCH_PAGES, w->p.page_size) < 0)
			return log_fail(w->p.pm->log, PMD_ENOMEM, "out of memory for the compression batches");
	}
	return 0;
}

/* Under -d bit 1 every zero page shares one page of zeros, first in the data. */
static int write_zero_page(struct kdump_writer *w)
{
	uint8_t *zero;
	int ret;

	if (!(w->p.dump_level & DL_EXCLUDE_ZERO))
		return 0;
	zero = calloc(1, w->p.page_size);
	if (!zero) {
		return log_fail(w->p.pm->log, PMD_ENOMEM, "out of memory for the zero page");
	}
	w->zero_desc.offset = sink_stream_pos(&w->data);
	w->zero_desc.size = w->p.page_size;
	w->zero_desc.flags = 0;
	w->zero_desc.page_flags = 0;
	ret = stream_append(w, &w->data, zero, w->p.page_size);
	free(zero);
	return ret;
}

int kdump_writer_begin(struct kdump_writer *w, const struct kdump_params *p)
{
	memset(w, 0, sizeof(*w));
	if (check_params(p) < 0)
		return -1;
	w->p = *p;
	build_headers(w);
	if (page_pool_init(&w->pool, p->pm->log, p->compression, p->page_size,
			   (p->dump_level & DL_EXCLUDE_ZERO) != 0, p->threads) < 0)
		return -1;
	w->ready = true;
	w->zero_page = calloc(1, p->page_size);
	if (!w->zero_page) {
		return log_fail(p->pm->log, PMD_ENOMEM, "out of memory");
	}
	if (alloc_buffers(w) < 0 || write_headers(w) < 0 || write_zero_page(w) < 0)
		return -1;
	log_debug(p->pm->log, "kdump: %u-byte blocks, sub header %d blocks, bitmaps %u blocks, %llu descriptors at %#llx, data at %#llx\n",
		 p->page_size, w->dh.sub_hdr_size, w->dh.bitmap_blocks,
		 (unsigned long long)p->nr_dumpable, (unsigned long long)w->desc_off,
		 (unsigned long long)w->data_off);
	return 0;
}

/* The window's bitmap bytes; bits past its end are masked off. */
static int append_bitmap(struct kdump_writer *w, struct sink_stream *s,
			 const struct bitmap *bm)
{
	uint64_t nbits = bm->end - bm->start;
	size_t whole = (size_t)(nbits / 8);
	const uint8_t *bytes = (const uint8_t *)bm->words;
	uint8_t last;

	/* uint64_t words hold pfns LSB first: on little-endian, makedumpfile's bytes. */
	if (stream_append(w, s, bytes, whole) < 0)
		return -1;
	if (!(nbits % 8))
		return 0;
	last = bytes[whole] & (uint8_t)((1u << (nbits % 8)) - 1);
	return stream_append(w, s, &last, 1);
}

static int emit_page(struct kdump_writer *w, const struct page_job *j)
{
	struct kdump_page_desc pd = { 0 };
	const void *bytes = NULL;

	if (w->descs_written >= w->p.nr_dumpable) {
		return log_fail(w->p.pm->log, PMD_ECORRUPT, "internal error: more dumpable pages than the %llu counted",
		       (unsigned long long)w->p.nr_dumpable);
	}
	w->descs_written++;
	switch (j->kind) {
	case PAGE_ZERO:
		w->cnt->zero++;
		return stream_append(w, &w->descs, &w->zero_desc, sizeof(w->zero_desc));
	case PAGE_COMPRESSED:
		pd.flags = compression_dh_flag(w->p.compression);
		bytes = j->out;
		break;
	default:
		bytes = j->src;
		break;
	}
	pd.offset = sink_stream_pos(&w->data);
	pd.size = j->size;
	if (stream_append(w, &w->descs, &pd, sizeof(pd)) < 0)
		return -1;
	return stream_append(w, &w->data, bytes, j->size);
}

static int emit_batch(struct kdump_writer *w, unsigned int i)
{
	struct page_batch *b = &w->batch[i];
	unsigned int k;

	page_pool_wait(&w->pool, b);
	w->in_flight[i] = false;
	for (k = 0; k < b->nr; k++)
		if (emit_page(w, &b->jobs[k]) < 0)
			return -1;
	page_batch_reset(b);
	return 0;
}

static unsigned int nr_batches(const struct kdump_writer *w)
{
	return w->p.threads ? PAGE_POOL_QUEUE : 1;
}

/*
 * Hand the full batch to the workers and move on to the next one of the
 * ring, writing it out first if it is still in flight (it is the oldest),
 * so reading, compressing and writing overlap.
 */
static int rotate_batches(struct kdump_writer *w)
{
	page_pool_submit(&w->pool, &w->batch[w->cur]);
	w->in_flight[w->cur] = true;
	w->cur = (w->cur + 1) % nr_batches(w);
	if (w->in_flight[w->cur] && emit_batch(w, w->cur) < 0)
		return -1;
	return 0;
}

/* Write out everything queued, oldest first: the ring from cur + 1 to cur. */
static int drain_batches(struct kdump_writer *w)
{
	unsigned int n = nr_batches(w), k;

	if (w->batch[w->cur].nr) {
		page_pool_submit(&w->pool, &w->batch[w->cur]);
		w->in_flight[w->cur] = true;
	}
	for (k = 1; k <= n; k++) {
		unsigned int i = (w->cur + k) % n;

		if (w->in_flight[i] && emit_batch(w, i) < 0)
			return -1;
	}
	return 0;
}

/* Queue page @pfn, its bytes at @src. */
static void add_job(struct kdump_writer *w, struct page_batch *b, uint64_t pfn,
		    const void *src)
{
	b->jobs[b->nr].keep = pfn_ranges_cursor_has(&w->keep, pfn);
	b->jobs[b->nr++].src = src;
}

/* Queue dumpable pfns from *pfn on, up to @end or a full batch. */
static int queue_pages(struct kdump_writer *w, uint64_t *pfn, uint64_t end)
{
	struct page_batch *b = &w->batch[w->cur];
	uint64_t ps = w->p.page_size;
	const void *src = physmem_ptr(w->p.pm, *pfn * ps, ps);
	uint64_t n, i;

	if (src) {
		add_job(w, b, (*pfn)++, src);
		return 0;
	}
	/* No mapping: read as much of the run as fits with one read. */
	n = end - *pfn;
	if (n > b->cap - b->nr)
		n = b->cap - b->nr;
	/* A hole of a sparse input: every page is the zero page, unread. */
	if (physmem_known_zero(w->p.pm, *pfn * ps, n * ps)) {
		for (i = 0; i < n; i++)
			add_job(w, b, *pfn + i, w->zero_page);
		*pfn += n;
		return 0;
	}
	if (physmem_read(w->p.pm, *pfn * ps, b->copies + (size_t)b->nr * ps, n * ps) < 0)
		return -1;
	for (i = 0; i < n; i++)
		add_job(w, b, *pfn + i, b->copies + (size_t)b->nr * ps);
	*pfn += n;
	return 0;
}

static int write_run(struct kdump_writer *w, uint64_t pfn, uint64_t end)
{
	while (pfn < end) {
		if (w->batch[w->cur].nr == w->batch[w->cur].cap && rotate_batches(w) < 0)
			return -1;
		if (queue_pages(w, &pfn, end) < 0)
			return -1;
		progress_update(w->p.progress, pfn);
	}
	return 0;
}

/* Leave the bitmaps' bits up to @pfn clear, as holes of the file. */
static int skip_bitmaps_to(struct kdump_writer *w, uint64_t pfn)
{
	uint64_t byte = kdump_div_round_up(pfn, 8);

	if (pfn <= w->next_pfn)
		return 0;
	w->next_pfn = pfn;
	if (sink_stream_seek(&w->bitmap1, w->bitmap_off + byte) < 0 ||
	    sink_stream_seek(&w->bitmap2, w->bitmap_off + w->bitmap_half + byte) < 0)
		return -1;
	return 0;
}

static int check_window(const struct kdump_writer *w, const struct bitmap *present,
			const struct bitmap *dumpable)
{
	if (present->start != dumpable->start || present->end != dumpable->end ||
	    dumpable->start < w->next_pfn || dumpable->start % 8 ||
	    dumpable->end <= dumpable->start || dumpable->end > w->p.max_mapnr) {
		return log_fail(w->p.pm->log, PMD_ECORRUPT, "internal error: kdump window [%#llx, %#llx) after pfn %#llx of %#llx",
		       (unsigned long long)dumpable->start, (unsigned long long)dumpable->end,
		       (unsigned long long)w->next_pfn, (unsigned long long)w->p.max_mapnr);
	}
	return 0;
}

int kdump_writer_window(struct kdump_writer *w, const struct bitmap *present,
			const struct bitmap *dumpable, struct page_counts *cnt)
{
	uint64_t pfn, run_end;

	if (check_window(w, present, dumpable) < 0 ||
	    skip_bitmaps_to(w, dumpable->start) < 0)
		return -1;
	if (append_bitmap(w, &w->bitmap1, present) < 0 ||
	    append_bitmap(w, &w->bitmap2, dumpable) < 0)
		return -1;
	w->cnt = cnt;
	for (pfn = bitmap_next_set(dumpable, dumpable->start); pfn < dumpable->end;
	     pfn = bitmap_next_set(dumpable, run_end)) {
		run_end = bitmap_next_clear(dumpable, pfn);
		if (write_run(w, pfn, run_end) < 0)
			return -1;
	}
	/* Zero pages are counted in this window's @cnt: finish its pages now. */
	if (drain_batches(w) < 0)
		return -1;
	w->next_pfn = dumpable->end;
	return 0;
}

/* Zeros up to each bitmap's block boundary, so the file always holds them. */
static int pad_bitmaps(struct kdump_writer *w)
{
	uint64_t used = kdump_div_round_up(w->p.max_mapnr, 8);
	uint64_t pad = w->bitmap_half - used;
	uint8_t *zero;
	int ret;

	if (!pad)
		return 0;
	zero = calloc(1, pad);
	if (!zero) {
		return log_fail(w->p.pm->log, PMD_ENOMEM, "out of memory for the bitmap padding");
	}
	ret = sink_write(w->p.out, zero, pad, w->bitmap1.off) < 0 ||
	      sink_write(w->p.out, zero, pad, w->bitmap2.off) < 0 ? -1 : 0;
	free(zero);
	if (!w->p.cyclic)
		w->write_bytes += 2 * pad;
	return ret;
}

int kdump_writer_finish(struct kdump_writer *w, uint64_t *write_bytes)
{
	if (skip_bitmaps_to(w, w->p.max_mapnr) < 0)
		return -1;
	if (w->next_pfn != w->p.max_mapnr) {
		return log_fail(w->p.pm->log, PMD_ECORRUPT, "internal error: kdump windows end at pfn %#llx, not %#llx",
		       (unsigned long long)w->next_pfn, (unsigned long long)w->p.max_mapnr);
	}
	if (w->descs_written != w->p.nr_dumpable) {
		return log_fail(w->p.pm->log, PMD_ECORRUPT, "internal error: %llu pages written, %llu counted as dumpable",
		       (unsigned long long)w->descs_written,
		       (unsigned long long)w->p.nr_dumpable);
	}
	if (sink_stream_flush(&w->bitmap1) < 0 || sink_stream_flush(&w->bitmap2) < 0 ||
	    sink_stream_flush(&w->descs) < 0 || sink_stream_flush(&w->data) < 0 ||
	    pad_bitmaps(w) < 0)
		return -1;
	/* Last write: the header without the incomplete flag. */
	if (!w->p.out->stream && sink_write(w->p.out, &w->dh, sizeof(w->dh), 0) < 0)
		return -1;
	if (write_bytes)
		*write_bytes = w->write_bytes;
	return 0;
}

void kdump_writer_free(struct kdump_writer *w)
{
	unsigned int i;

	if (w->ready)
		page_pool_free(&w->pool);
	free(w->zero_page);
	w->zero_page = NULL;
	for (i = 0; i < PAGE_POOL_QUEUE; i++)
		page_batch_free(&w->batch[i]);
	sink_stream_free(&w->bitmap1);
	sink_stream_free(&w->bitmap2);
	sink_stream_free(&w->descs);
	sink_stream_free(&w->data);
	w->ready = false;
}
