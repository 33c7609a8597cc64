// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/bitmap.h"
#include "dump/classify.h"
#include "dump/format.h"
#include "dump/kdump/diskdump.h"
#include "dump/kdump/kdump_format.h"
#include "dump/kdump/kdump_writer.h"
#include "dump/sink.h"
#include "dump/tests/fake_dump.h"
#include "util/fileio.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;
static const struct dump_open_opts open_opts = { .log = &test_log };
static const struct dump_open_opts nommap_opts = { .log = &test_log, .no_mmap = true };

struct env {
	struct fake_machine mapped;	/* zero-copy pointers */
	struct fake_machine unmapped;	/* read() only */
	char *dir;
};

static const enum compression methods[] = {
	COMPRESS_NONE, COMPRESS_ZLIB, COMPRESS_LZO, COMPRESS_ZSTD,
};
#define NR_METHODS (sizeof(methods) / sizeof(methods[0]))

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	fake_machine_init(&e->mapped, true);
	fake_machine_init(&e->unmapped, false);
	e->dir = fake_tmpdir();
	*state = e;
	return e->dir ? 0 : -1;
}

static int teardown(void **state)
{
	struct env *e = *state;
	int ret = fake_tmpdir_remove(e->dir);

	fake_machine_free(&e->mapped);
	fake_machine_free(&e->unmapped);
	free(e);
	return ret;
}

static uint64_t expected_zero(const struct fake_machine *m, unsigned int dl)
{
	uint64_t pfn, n = 0;

	if (!(dl & DL_EXCLUDE_ZERO))
		return 0;
	for (pfn = 0; pfn < FAKE_MAX_MAPNR; pfn++)
		n += fake_dumpable(pfn) && fake_page_is_zero(m, pfn);
	return n;
}

static void check_headers(struct diskdump *dd, const struct fake_machine *m,
			  enum compression c, unsigned int dl)
{
	assert_int_equal(dd->dh.header_version, 6);
	assert_int_equal(dd->dh.block_size, FAKE_PS);
	assert_int_equal(dd->dh.status, compression_dh_flag(c));
	assert_int_equal(dd->dh.max_mapnr, FAKE_MAX_MAPNR);
	assert_int_equal(dd->dh.nr_cpus, FAKE_NR_CPUS);
	assert_int_equal(dd->dh.timestamp_sec, FAKE_CRASH_TIME);
	assert_int_equal(dd->dh.sub_hdr_size, 1);
	/* ceil(2997 / 8) = 375 bytes: one block per bitmap. */
	assert_int_equal(dd->dh.bitmap_blocks, 2);
	assert_string_equal(dd->dh.utsname.sysname, "Linux");
	assert_string_equal(dd->dh.utsname.machine, "x86_64");
	assert_string_equal(dd->dh.utsname.release, "6.1.0-test");
	assert_string_equal(dd->dh.utsname.nodename, "fakehost");
	assert_int_equal(dd->max_mapnr, FAKE_MAX_MAPNR);
	assert_int_equal(dd->phys_base, FAKE_PHYS_BASE);
	assert_int_equal(dd->dump_level, dl);
	assert_int_equal(dd->kh.offset_note, FAKE_PS + sizeof(struct kdump_sub_header));
	assert_int_equal(dd->notes_size, m->notes_size);
	assert_memory_equal(dd->notes, m->notes, m->notes_size);
	assert_int_equal(dd->vmcoreinfo_size, m->vmcoreinfo_size);
	assert_memory_equal(dd->vmcoreinfo, m->notes + m->vmcoreinfo_offset, m->vmcoreinfo_size);
	assert_int_equal(dd->kh.offset_vmcoreinfo, dd->kh.offset_note + m->vmcoreinfo_offset);
	assert_int_equal(dd->nr_dumped, fake_nr_dumpable());
}

static void check_pages(struct diskdump *dd, const struct fake_machine *m, unsigned int dl)
{
	uint8_t page[FAKE_PS], zero[FAKE_PS] = { 0 };
	struct kdump_page_desc pd, zero_pd = { 0 };
	struct physmem pm;
	uint64_t pfn;
	bool have_zero_pd = false;

	diskdump_physmem(dd, &pm);
	for (pfn = 0; pfn < FAKE_MAX_MAPNR + 16; pfn++) {
		/* Both bitmaps as written, zero pages still set in the 2nd. */
		assert_int_equal(diskdump_pfn_in_memory(dd, pfn), fake_present(pfn));
		assert_int_equal(diskdump_pfn_dumped(dd, pfn), fake_dumpable(pfn));
		assert_int_equal(physmem_present(&pm, pfn), fake_dumpable(pfn));
		if (!fake_dumpable(pfn)) {
			assert_int_equal(physmem_read(&pm, pfn * FAKE_PS, page, 8), -1);
			assert_null(physmem_ptr(&pm, pfn * FAKE_PS, 8));
			continue;
		}
		assert_int_equal(physmem_read(&pm, pfn * FAKE_PS, page, FAKE_PS), 0);
		assert_memory_equal(page, m->mem + pfn * FAKE_PS, FAKE_PS);
		assert_int_equal(diskdump_page_desc(dd, pfn, &pd), 0);
		if ((dl & DL_EXCLUDE_ZERO) && fake_page_is_zero(m, pfn)) {
			/* All zero pages share the first page of the data. */
			assert_memory_equal(page, zero, FAKE_PS);
			assert_int_equal(pd.size, FAKE_PS);
			assert_int_equal(pd.flags, 0);
			if (have_zero_pd)
				assert_memory_equal(&pd, &zero_pd, sizeof(pd));
			zero_pd = pd;
			have_zero_pd = true;
		}
	}
	/* A read across two pages, from the middle of one. */
	for (pfn = 0; !(fake_dumpable(pfn) && fake_dumpable(pfn + 1)); pfn++)
		;
	assert_int_equal(physmem_read(&pm, pfn * FAKE_PS + 100, page, FAKE_PS), 0);
	assert_memory_equal(page, m->mem + pfn * FAKE_PS + 100, FAKE_PS);
	if (dl & DL_EXCLUDE_ZERO)
		assert_true(have_zero_pd);
}

static void write_read_check(struct env *e, enum compression c, unsigned int dl)
{
	static const unsigned int threads[] = { 0, 1, 3 };
	static const uint64_t windows[] = { 64, 8, 4096 };
	uint8_t *ref = NULL;
	size_t ref_len = 0;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct fake_machine *m = i == 1 ? &e->unmapped : &e->mapped;
		char name[64], *path;
		uint64_t zero = ~0ULL;
		struct diskdump dd;
		uint8_t *data;
		size_t len;

		snprintf(name, sizeof(name), "k-%d-%u-%u", (int)c, dl, threads[i]);
		path = fake_path(e->dir, name);
		assert_int_equal(fake_write_kdump(m, path, -1, c, dl, threads[i], windows[i],
						  &zero), 0);
		assert_int_equal(zero, expected_zero(m, dl));
		data = fake_slurp(path, &len);
		assert_non_null(data);
		if (!ref) {
			ref = data;
			ref_len = len;
			assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
			check_headers(&dd, m, c, dl);
			check_pages(&dd, m, dl);
			diskdump_close(&dd);
		} else {
			/* Threads, window sizes and input access never change a byte. */
			assert_int_equal(len, ref_len);
			assert_memory_equal(data, ref, len);
			free(data);
		}
		unlink(path);
		free(path);
	}
	free(ref);
}

static void every_compression_and_level(void **state)
{
	static const unsigned int levels[] = { 0, 1, 31 };
	unsigned int i, l;

	for (i = 0; i < NR_METHODS; i++)
		for (l = 0; l < 3; l++)
			write_read_check(*state, methods[i], levels[l]);
}

/* The reader without a mapping takes the pread paths. */
static void reader_without_mmap(void **state)
{
	struct env *e = *state;
	char *path = fake_path(e->dir, "nommap");
	struct diskdump dd;
	uint64_t zero;

	assert_int_equal(fake_write_kdump(&e->mapped, path, -1, COMPRESS_ZLIB, 1, 2, 512,
					  &zero), 0);
	assert_int_equal(diskdump_open(&dd, path, &nommap_opts), 0);
	assert_null(dd.map);
	check_pages(&dd, &e->mapped, 1);
	diskdump_close(&dd);
	unlink(path);
	free(path);
}

/* Raw pages of a mapped file are offered zero-copy; compressed ones are not. */
static void zero_copy_only_for_raw_pages(void **state)
{
	struct env *e = *state;
	char *path = fake_path(e->dir, "ptr");
	struct diskdump dd;
	struct physmem pm;
	uint64_t zero, text_pfn = 1, random_pfn = 2;
	const uint8_t *p;

	assert_int_equal(fake_write_kdump(&e->mapped, path, -1, COMPRESS_LZO, 0, 0, 4096,
					  &zero), 0);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
	diskdump_physmem(&dd, &pm);
	assert_null(physmem_ptr(&pm, text_pfn * FAKE_PS, FAKE_PS));
	p = physmem_ptr(&pm, random_pfn * FAKE_PS + 8, 16);
	assert_non_null(p);
	assert_memory_equal(p, e->mapped.mem + random_pfn * FAKE_PS + 8, 16);
	assert_null(physmem_ptr(&pm, random_pfn * FAKE_PS + 8, FAKE_PS));
	diskdump_close(&dd);
	unlink(path);
	free(path);
}

static char *write_reference(struct env *e, const char *name)
{
	char *path = fake_path(e->dir, name);
	uint64_t zero;

	assert_int_equal(fake_write_kdump(&e->mapped, path, -1, COMPRESS_ZSTD, 1, 0, 4096,
					  &zero), 0);
	return path;
}

static void write_bytes_at(const char *path, uint64_t off, const void *buf, size_t len)
{
	struct out_file of = { .fd = -1 };

	of.fd = open(path, O_WRONLY);
	assert_true(of.fd >= 0);
	of.path = (char *)path;
	assert_int_equal(out_file_pwrite(&of, buf, len, off), 0);
	close(of.fd);
}

static void truncated_files_rejected(void **state)
{
	struct env *e = *state;
	char *path = write_reference(e, "trunc");
	struct diskdump dd;
	size_t len;
	uint8_t *data = fake_slurp(path, &len), page[FAKE_PS];
	const uint64_t cuts[] = { 0, 7, 100, 464, FAKE_PS + 50, 2 * FAKE_PS + 10,
				  4 * FAKE_PS + 100 };
	uint64_t pfn, last = 0;
	unsigned int i;
	int fails = 0;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		/* Each cut from the whole file, so the signature is there when it fits. */
		write_bytes_at(path, 0, data, len);
		assert_int_equal(truncate(path, (off_t)cuts[i]), 0);
		log_clear_error(&test_log);
		assert_true(diskdump_open(&dd, path, &open_opts) < 0);
		if (log_error_status(&test_log) != PMD_ECORRUPT)
			fail_msg("cut at %llu: %s", (unsigned long long)cuts[i], log_error_text(&test_log));
	}
	/* Cut inside the page data: open works, the lost pages fail cleanly. */
	write_bytes_at(path, 0, data, len - 3000);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
	for (pfn = 0; pfn < FAKE_MAX_MAPNR; pfn++) {
		if (!fake_dumpable(pfn))
			continue;
		if (diskdump_read_page(&dd, pfn, page) < 0)
			fails++;
		last = pfn;
	}
	assert_true(fails >= 1);
	assert_int_equal(diskdump_read_page(&dd, last, page), -1);
	diskdump_close(&dd);
	free(data);
	unlink(path);
	free(path);
}

static void corrupt_headers_rejected(void **state)
{
	struct env *e = *state;
	char *path = write_reference(e, "corrupt");
	struct kdump_disk_header dh;
	struct kdump_page_desc pd;
	struct diskdump dd;
	size_t len;
	uint8_t *good = fake_slurp(path, &len), page[FAKE_PS];
	int32_t bad_bs = 1000, bad_sub = -1;
	uint32_t huge = 0x7fffffff;
	uint64_t huge64 = 1ULL << 60, desc_off;

	memcpy(&dh, good, sizeof(dh));

	write_bytes_at(path, 0, "KDUMPX  ", 8);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -1);
	write_bytes_at(path, 0, good, len);

	write_bytes_at(path, offsetof(struct kdump_disk_header, block_size), &bad_bs, 4);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);
	write_bytes_at(path, 0, good, len);

	write_bytes_at(path, offsetof(struct kdump_disk_header, sub_hdr_size), &bad_sub, 4);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);
	write_bytes_at(path, 0, good, len);

	write_bytes_at(path, offsetof(struct kdump_disk_header, bitmap_blocks), &huge, 4);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);
	write_bytes_at(path, 0, good, len);

	/* A max_mapnr the bitmaps cannot hold. */
	write_bytes_at(path, FAKE_PS + offsetof(struct kdump_sub_header, max_mapnr_64), &huge64, 8);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);
	write_bytes_at(path, 0, good, len);

	/* Notes pointing past the end. */
	write_bytes_at(path, FAKE_PS + offsetof(struct kdump_sub_header, offset_note), &huge64, 8);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);
	write_bytes_at(path, 0, good, len);

	/*
	 * A descriptor whose data lies past the end, one with a bad size.
	 * Descriptor 1 is pfn 1's (pfns 0 and 1 are both dumped), a text page.
	 */
	desc_off = (1 + (uint64_t)dh.sub_hdr_size + dh.bitmap_blocks) * FAKE_PS +
		   sizeof(pd);
	memcpy(&pd, good + desc_off, sizeof(pd));
	pd.offset = huge64;
	write_bytes_at(path, desc_off, &pd, sizeof(pd));
	assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
	assert_int_equal(diskdump_read_page(&dd, 1, page), -1);
	assert_int_equal(diskdump_read_page(&dd, 0, page), 0);
	diskdump_close(&dd);
	memcpy(&pd, good + desc_off, sizeof(pd));
	pd.size = FAKE_PS + 1;
	write_bytes_at(path, desc_off, &pd, sizeof(pd));
	assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
	assert_int_equal(diskdump_read_page(&dd, 1, page), -1);
	diskdump_close(&dd);
	write_bytes_at(path, 0, good, len);

	/* Garbage in compressed data fails to decompress, it does not crash. */
	memcpy(&pd, good + desc_off, sizeof(pd));
	assert_true(pd.flags & DUMP_DH_COMPRESSED_ZSTD);
	memset(page, 0x5a, sizeof(page));
	write_bytes_at(path, pd.offset, page, pd.size);
	assert_int_equal(diskdump_open(&dd, path, &open_opts), 0);
	assert_int_equal(diskdump_read_page(&dd, 1, page), -1);
	diskdump_close(&dd);

	free(good);
	unlink(path);
	free(path);
}

/* Start a dump, then fail on a window that does not start on a bitmap byte. */
static void fail_after_headers(struct env *e, const char *path)
{
	struct out_file of;
	struct output_sink sink;
	struct kdump_params p = { 0 };
	struct kdump_writer w;
	struct bitmap bm;
	struct page_counts cnt = { 0 };

	assert_int_equal(out_file_create(&of, &test_log, path, true), 0);
	output_sink_file(&sink, &of);
	p.out = &sink;
	p.pm = &e->mapped.pm;
	p.compression = COMPRESS_ZLIB;
	p.page_size = FAKE_PS;
	p.max_mapnr = FAKE_MAX_MAPNR;
	p.nr_dumpable = 1;
	assert_int_equal(kdump_writer_begin(&w, &p), 0);
	assert_int_equal(bitmap_alloc(&bm, 64), 0);
	bitmap_reset(&bm, 4, 68);
	assert_int_equal(kdump_writer_window(&w, &bm, &bm, &cnt), -1);
	kdump_writer_free(&w);
	bitmap_free(&bm);
	/* Left in place (not aborted) to look at what a failed run leaves. */
	assert_int_equal(out_file_finish(&of), 0);
}

/* Until finish, the header on disk says incomplete. */
static void incomplete_until_finished(void **state)
{
	struct env *e = *state;
	char *path = fake_path(e->dir, "inc");
	struct kdump_disk_header dh;
	struct diskdump dd;
	uint64_t zero;
	uint8_t *data;
	size_t len;

	fail_after_headers(e, path);
	data = fake_slurp(path, &len);
	memcpy(&dh, data, sizeof(dh));
	assert_int_equal(dh.status, DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_INCOMPLETE);
	free(data);
	/* Too short for its bitmaps: the reader refuses it. */
	assert_int_equal(diskdump_open(&dd, path, &open_opts), -PMD_ECORRUPT);

	assert_int_equal(fake_write_kdump(&e->mapped, path, -1, COMPRESS_ZLIB, 0, 0, 4096,
					  &zero), 0);
	data = fake_slurp(path, &len);
	memcpy(&dh, data, sizeof(dh));
	assert_int_equal(dh.status, DUMP_DH_COMPRESSED_ZLIB);
	free(data);
	unlink(path);
	free(path);
}

static void snappy_rejected_at_begin(void **state)
{
	struct env *e = *state;
	char *path = fake_path(e->dir, "snappy");
	uint64_t zero;

	assert_int_equal(fake_write_kdump(&e->mapped, path, -1, COMPRESS_SNAPPY, 0, 0, 4096,
					  &zero), -1);
	assert_int_equal(access(path, F_OK), -1);	/* aborted output is removed */
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_compression_and_level),
		cmocka_unit_test(reader_without_mmap),
		cmocka_unit_test(zero_copy_only_for_raw_pages),
		cmocka_unit_test(truncated_files_rejected),
		cmocka_unit_test(corrupt_headers_rejected),
		cmocka_unit_test(incomplete_until_finished),
		cmocka_unit_test(snappy_rejected_at_begin),
	};

	log_init(&test_log, "test");
	test_log.level = 0;
	return cmocka_run_group_tests(tests, setup, teardown);
}
