// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "util/bitmap.h"
#include "elfcore/elfcore.h"
#include "kernel/physmem.h"
#include "dump/elf/elf_writer.h"
#include "dump/sink.h"
#include "util/progress.h"
#include "util/log.h"

/* Consecutive input pages are copied in pieces of up to this size. */
#define WBUF_SIZE (1u << 20)

int elf_writer_init(struct elf_writer *w, const struct physmem *pm, bool counting)
{
	memset(w, 0, sizeof(*w));
	w->pm = pm;
	w->counting = counting;
	w->page_size = 4096;
	return 0;
}

void elf_writer_free(struct elf_writer *w)
{
	sink_stream_free(&w->data);
}

/* Copy the pending input range to its place in the file. */
static int flush_copy(struct elf_writer *w)
{
	size_t len = w->copy_len;
	const void *src;
	void *room;

	if (!len)
		return 0;
	w->copy_len = 0;
	/* Short excluded runs between copies stay holes: zeros. */
	if (sink_stream_seek(&w->data, w->copy_off) < 0)
		return -1;
	src = physmem_peek(w->pm, w->copy_paddr, len);
	if (src)
		return sink_stream_append(&w->data, src, len);
	room = sink_stream_reserve(&w->data, len);
	if (!room || physmem_read(w->pm, w->copy_paddr, room, len) < 0)
		return -1;
	sink_stream_commit(&w->data, len);
	return 0;
}

/*
 * Copy input bytes at physical @paddr to the output at @off. Consecutive
 * pages are gathered so the input is read in large pieces.
 */
static int copy_phys(struct elf_writer *w, uint64_t off, uint64_t paddr, size_t len)
{
	if (w->copy_len && paddr == w->copy_paddr + w->copy_len &&
	    off == w->copy_off + w->copy_len && w->copy_len + len <= w->data.cap) {
		w->copy_len += len;
		return 0;
	}
	if (flush_copy(w) < 0)
		return -1;
	w->copy_paddr = paddr;
	w->copy_off = off;
	w->copy_len = len;
	return 0;
}

int elf_writer_begin(struct elf_writer *w, const struct output_sink *out,
		     const void *notes, size_t notes_size, unsigned int nr_segments)
{
	uint64_t phnum = (uint64_t)nr_segments + 1;
	Elf64_Phdr note = { .p_type = PT_NOTE, .p_filesz = notes_size,
			    .p_memsz = notes_size };
	Elf64_Ehdr eh;

	w->out = out;
	elfcore_ehdr_init(&eh, phnum);
	note.p_offset = sizeof(eh) + phnum * sizeof(Elf64_Phdr);
	if (phnum >= PN_XNUM) {
		Elf64_Shdr sh;

		elfcore_xnum_shdr(&eh, &sh, phnum, note.p_offset);
		if (sink_write(out, &sh, sizeof(sh), note.p_offset) < 0)
			return -1;
		note.p_offset += sizeof(sh);
	}
	if (sink_write(out, &eh, sizeof(eh), 0) < 0 ||
	    sink_write(out, &note, sizeof(note), sizeof(eh)) < 0 ||
	    sink_write(out, notes, notes_size, note.p_offset) < 0)
		return -1;
	w->phdr_off = sizeof(eh) + sizeof(note);
	w->data_end = note.p_offset + notes_size;
	return sink_stream_init(&w->data, out, WBUF_SIZE, w->data_end);
}

uint64_t elf_writer_bytes(const struct elf_writer *w)
{
	/* makedumpfile reserves the header area with zeros, then writes it. */
	return w->data_end + ((uint64_t)w->nr_segments + 1) * sizeof(Elf64_Phdr);
}

void elf_load_pfn_range(const struct elf_load *l, unsigned int page_size,
			uint64_t *start, uint64_t *end)
{
	uint64_t head = l->paddr % page_size, tail = (l->paddr + l->memsz) % page_size;

	/* A partial first page rides along as the segment's head bytes. */
	*start = l->paddr / page_size + (head ? 1 : 0);
	*end = (l->paddr + l->memsz) / page_size + (tail ? 1 : 0);
}

int elf_writer_load_begin(struct elf_writer *w, const struct elf_load *l)
{
	uint64_t head = l->paddr % w->page_size;

	w->load = l;
	elf_load_pfn_range(l, w->page_size, &w->pfn_start, &w->pfn_end);
	w->next_pfn = w->pfn_start;
	w->frac_tail = (l->paddr + l->memsz) % w->page_size;
	memset(&w->seg, 0, sizeof(w->seg));
	w->seg.p_type = PT_LOAD;
	w->seg.p_flags = l->flags;
	w->seg.p_paddr = l->paddr;
	w->seg.p_vaddr = l->vaddr;
	w->seg.p_align = l->align;
	w->memsz = w->filesz = 0;
	w->excluded_run = 0;
	if (head) {
		w->memsz = w->filesz = w->page_size - head;
		if (!w->counting && copy_phys(w, w->data_end, l->paddr, w->filesz) < 0)
			return -1;
	}
	return 0;
}

static int emit_segment(struct elf_writer *w, bool last)
{
	w->nr_segments++;
	w->seg.p_memsz = w->memsz;
	w->seg.p_filesz = w->filesz;
	/* A segment without data has no meaningful offset, except the last. */
	w->seg.p_offset = (w->filesz || last) ? w->data_end : 0;
	if (!w->counting && sink_write(w->out, &w->seg, sizeof(w->seg), w->phdr_off) < 0)
		return -1;
	w->phdr_off += sizeof(w->seg);
	w->data_end += w->filesz;
	w->seg.p_paddr += w->memsz;
	w->seg.p_vaddr += w->memsz;
	return 0;
}

/* Add page @pfn, kept, to the segment; @size is less than a page at a partial tail. */
static int add_kept_page(struct elf_writer *w, uint64_t pfn, uint64_t size)
{
	uint64_t off;

	if (w->excluded_run >= ELF_SPLIT_PAGES) {
		w->pages_dropped += w->excluded_run;
		if (emit_segment(w, false) < 0)
			return -1;
		w->memsz = w->filesz = 0;
		size = w->page_size;	/* makedumpfile restarts with a whole page */
	} else if (w->excluded_run) {
		/* Short run: kept in the segment's range, as zeros. */
		w->filesz += w->excluded_run * w->page_size;
	}
	w->excluded_run = 0;
	off = w->data_end + w->filesz;
	w->memsz += size;
	w->filesz += size;
	if (w->counting)
		return 0;
	return copy_phys(w, off, pfn * w->page_size, size);
}

int elf_writer_window(struct elf_writer *w, const struct bitmap *bm)
{
	uint64_t pfn = w->next_pfn > bm->start ? w->next_pfn : bm->start;
	uint64_t end = bm->end < w->pfn_end ? bm->end : w->pfn_end;

	elf_writer_skip_to(w, pfn);
	for (; pfn < end; pfn++) {
		uint64_t size = (pfn == w->pfn_end - 1 && w->frac_tail) ?
					w->frac_tail : w->page_size;

		w->next_pfn = pfn + 1;
		progress_update(w->progress, ++w->pages_seen);
		if (!bitmap_test(bm, pfn)) {
			w->excluded_run++;
			w->memsz += size;
			continue;
		}
		if (add_kept_page(w, pfn, size) < 0)
			return -1;
	}
	return 0;
}

/* Pages up to @end are left out; counted, never walked (pmem can be TiBs). */
void elf_writer_skip_to(struct elf_writer *w, uint64_t end)
{
	uint64_t n;

	if (end > w->pfn_end)
		end = w->pfn_end;
	if (w->next_pfn >= end)
		return;
	n = end - w->next_pfn;
	w->excluded_run += n;
	w->memsz += n * w->page_size;
	if (end == w->pfn_end && w->frac_tail)
		w->memsz -= w->page_size - w->frac_tail;
	w->next_pfn = end;
}

int elf_writer_load_end(struct elf_writer *w)
{
	w->pages_dropped += w->excluded_run;
	w->excluded_run = 0;
	return emit_segment(w, true);
}

int elf_writer_finish(struct elf_writer *w)
{
	if (w->counting)
		return 0;
	if (flush_copy(w) < 0)
		return -1;
	return sink_stream_flush(&w->data);
}
