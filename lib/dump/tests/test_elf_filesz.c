// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An ELF core whose PT_LOADs hold less in the file than in memory
 * (p_filesz < p_memsz, or 0), as a live dump describes pmem user data it
 * did not capture: the bytes past p_filesz read as zeros, never as the
 * file bytes that follow; read through lib/elfcore and as a dump source.
 * And the source's view of a live dump's note: a finished one is opened,
 * an unfinished one refused with its state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dump/livedump_note.h"
#include "dump/source.h"
#include "dump/tests/fake_dump.h"
#include "elfcore/elfcore.h"
#include "util/log.h"

static struct log_ctx test_log;
static char *dir;

/*
 * File layout: headers at 0, notes at 0x200, data from 0x1000.
 *   A  paddr 0x100000, memsz 0x3000, filesz 0x1800: bytes 0x11, then 0x800
 *      bytes 0xaa in the file that are no PT_LOAD's (they must not be read)
 *   B  paddr 0x200000, memsz 0x2000, filesz 0
 *   C  paddr 0x300000, memsz 0x2000, filesz 0x1000: bytes 0x33
 *   D  paddr 0x301000, memsz 0x1000, filesz 0x1000: bytes 0x44 (C's memory
 *      past its file data is D's file data: that wins)
 *   E  paddr 0x400000, memsz 0x2000, filesz 0; F paddr 0x401000, memsz and
 *      filesz 0x1000: bytes 0x55 (E's zeros stop where F's data starts)
 */
enum { A = 0x100000, B = 0x200000, C = 0x300000, D = 0x301000, E = 0x400000, F = 0x401000 };
#define NOTES_OFF 0x200
#define DATA_OFF 0x1000
#define FILE_SIZE 0x6000

struct load {
	uint64_t paddr, memsz, filesz, offset;
};

static const struct load loads[] = {
	{ A, 0x3000, 0x1800, DATA_OFF },
	{ B, 0x2000, 0, DATA_OFF },
	{ C, 0x2000, 0x1000, 0x3000 },
	{ D, 0x1000, 0x1000, 0x4000 },
	{ E, 0x2000, 0, DATA_OFF },
	{ F, 0x1000, 0x1000, 0x5000 },
};

/* The core at dir/@name; @ld_text, when not NULL, as a LIVEDUMP note. */
static char *write_core(const char *name, const char *ld_text, uint64_t size)
{
	static const char vmci[] = "OSRELEASE=6.1.0\nPAGESIZE=4096\n";
	uint8_t *f = calloc(1, FILE_SIZE);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)f;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	char *path = fake_path(dir, name);
	size_t notes = 0;
	FILE *out;

	assert_non_null(f);
	elfcore_ehdr_init(eh, 1 + sizeof(loads) / sizeof(loads[0]));
	notes += elfcore_note_put(f + NOTES_OFF, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	if (ld_text)
		notes += elfcore_note_put(f + NOTES_OFF + notes, LIVEDUMP_NOTE_NAME,
					  LIVEDUMP_NOTE_TYPE, ld_text, strlen(ld_text) + 1);
	assert_true(NOTES_OFF + notes <= DATA_OFF);
	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = NOTES_OFF, .p_filesz = notes,
			      .p_memsz = notes };
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
		ph[i + 1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
					  .p_offset = loads[i].offset, .p_paddr = loads[i].paddr,
					  .p_vaddr = 0xffff888000000000ULL + loads[i].paddr,
					  .p_filesz = loads[i].filesz, .p_memsz = loads[i].memsz };
	memset(f + DATA_OFF, 0x11, 0x1800);
	memset(f + DATA_OFF + 0x1800, 0xaa, 0x800);
	memset(f + 0x3000, 0x33, 0x1000);
	memset(f + 0x4000, 0x44, 0x1000);
	memset(f + 0x5000, 0x55, 0x1000);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(f, 1, size, out), size);
	assert_int_equal(fclose(out), 0);
	free(f);
	return path;
}

/* @len bytes at @p are all @c. */
static void assert_bytes(const uint8_t *p, int c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			fail_msg("byte %zu is %#x, expected %#x", i, p[i], c);
}

static void open_core(struct elfcore *ec, const char *path, bool no_mmap)
{
	struct elfcore_open_opts o = { .log = &test_log, .no_mmap = no_mmap };

	log_clear_error(&test_log);
	assert_int_equal(elfcore_open(ec, path, &o), 0);
	assert_int_equal(ec->nr_loads, 6);
}

static void reads_past_filesz_are_zeros(void **state)
{
	static uint8_t buf[0x3000];
	char *path = write_core("core", NULL, FILE_SIZE);
	struct elfcore ec;

	(void)state;
	for (int no_mmap = 0; no_mmap < 2; no_mmap++) {
		open_core(&ec, path, no_mmap);
		/* A: the file data, then zeros, not the 0xaa that follow in the file. */
		assert_int_equal(elfcore_read_phys(&ec, A, buf, 0x3000), 0);
		assert_bytes(buf, 0x11, 0x1800);
		assert_bytes(buf + 0x1800, 0, 0x1800);
		memset(buf, 0xff, sizeof(buf));
		assert_int_equal(elfcore_read_phys(&ec, A + 0x1000, buf, 0x1000), 0);
		assert_bytes(buf, 0x11, 0x800);
		assert_bytes(buf + 0x800, 0, 0x800);
		/* B: nothing in the file. */
		memset(buf, 0xff, sizeof(buf));
		assert_int_equal(elfcore_read_phys(&ec, B, buf, 0x2000), 0);
		assert_bytes(buf, 0, 0x2000);
		/* C's memory past its file data is D's file data. */
		assert_int_equal(elfcore_read_phys(&ec, C + 0x800, buf, 0x1000), 0);
		assert_bytes(buf, 0x33, 0x800);
		assert_bytes(buf + 0x800, 0x44, 0x800);
		assert_int_equal(elfcore_read_phys(&ec, E + 0x800, buf, 0x1000), 0);
		assert_bytes(buf, 0, 0x800);
		assert_bytes(buf + 0x800, 0x55, 0x800);
		assert_false(elfcore_phys_is_hole(&ec, E, 0x2000));
		assert_true(elfcore_phys_is_hole(&ec, E, 0x1000));
		/* Past p_memsz nothing holds it. */
		assert_int_equal(elfcore_read_phys(&ec, A + 0x2fff, buf, 2), -PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&test_log), "0x103000 is not in the vmcore"));

		assert_true(elfcore_phys_held(&ec, A + 0x2000));
		assert_true(elfcore_phys_held(&ec, B + 0x1fff));
		assert_false(elfcore_phys_held(&ec, A + 0x3000));
		assert_false(elfcore_phys_held(&ec, 0));
		/* Known zeros without reading: past p_filesz only, all of it. */
		assert_true(elfcore_phys_is_hole(&ec, A + 0x2000, 0x1000));
		assert_true(elfcore_phys_is_hole(&ec, B, 0x2000));
		assert_false(elfcore_phys_is_hole(&ec, A + 0x2000, 0x2000));
		assert_false(elfcore_phys_is_hole(&ec, A + 0x1000, 0x1000));
		assert_false(elfcore_phys_is_hole(&ec, D, 0x1000));
		assert_false(elfcore_phys_is_hole(&ec, C + 0x800, 0x1000));
		/* No pointer into the file for what the file does not hold. */
		assert_null(elfcore_phys_peek(&ec, A + 0x2000, 0x1000));
		assert_null(elfcore_phys_ptr(&ec, B, 0x1000));
		elfcore_close(&ec);
	}
	unlink(path);
	free(path);
}

/* The header checks a live dump's truncated copy meets. */
static void truncated_and_inconsistent(void **state)
{
	char *path = write_core("short", NULL, 0x4800);
	struct elfcore_open_opts o = { .log = &test_log };
	struct elfcore ec;

	(void)state;
	log_clear_error(&test_log);
	assert_int_equal(elfcore_open(&ec, path, &o), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&test_log),
			       "PT_LOAD 4 (paddr 0x301000) extends past the end of the file (file offset 0x4000, 0x1000 bytes of data; the file has 0x4800): truncated vmcore?"));
	unlink(path);
	free(path);
}

/* As a dump source: pages past p_filesz are there, zero, and known zero. */
static void source_reads(void **state)
{
	struct dump_open_opts o = { .log = &test_log };
	char *path = write_core("src", NULL, FILE_SIZE);
	struct dump_source src;
	uint8_t page[4096];

	(void)state;
	log_clear_error(&test_log);
	assert_int_equal(dump_source_open(&src, path, &o), 0);
	assert_false(src.is_livedump);
	assert_true(physmem_present(&src.pm, (A >> 12) + 2));
	assert_true(physmem_present(&src.pm, B >> 12));
	assert_false(physmem_present(&src.pm, (A >> 12) + 3));
	memset(page, 0xff, sizeof(page));
	assert_int_equal(physmem_read_page(&src.pm, (A >> 12) + 1, page), 0);
	assert_bytes(page, 0x11, 0x800);
	assert_bytes(page + 0x800, 0, 0x800);
	assert_int_equal(physmem_read_page(&src.pm, (A >> 12) + 2, page), 0);
	assert_bytes(page, 0, 0x1000);
	assert_true(physmem_known_zero(&src.pm, B, 0x2000));
	assert_false(physmem_known_zero(&src.pm, A, 0x1000));
	dump_source_close(&src);
	unlink(path);
	free(path);
}

static void source_livedump(void **state)
{
	struct dump_open_opts o = { .log = &test_log };
	struct dump_source src;
	char *path;

	(void)state;
	path = write_core("ld", "LIVEDUMP_VERSION=1\nSTATE=finished\nREASON=\n"
			  "CAPTURE_TIME=1700000000.5\nPAGES_LOST=0\nLOST_PFNS=\n", FILE_SIZE);
	log_clear_error(&test_log);
	assert_int_equal(dump_source_open(&src, path, &o), 0);
	assert_true(src.is_livedump);
	assert_int_equal(src.livedump.capture_sec, 1700000000);
	assert_int_equal(src.livedump.capture_nsec, 500000000);
	dump_source_close(&src);
	unlink(path);
	free(path);

	path = write_core("failed", "LIVEDUMP_VERSION=1\nSTATE=failed\nREASON=copy buffer full\n",
			  FILE_SIZE);
	log_clear_error(&test_log);
	assert_int_equal(dump_source_open(&src, path, &o), -PMD_ECORRUPT);
	assert_null(src.format);
	assert_non_null(strstr(log_error_text(&test_log),
			       "failed is a live dump that did not finish (state failed: copy buffer full)"));
	unlink(path);
	free(path);

	path = write_core("garbled", "LIVEDUMP_VERSION=1\nPAGES_LOST=x\n", FILE_SIZE);
	log_clear_error(&test_log);
	assert_int_equal(dump_source_open(&src, path, &o), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&test_log),
			       "corrupt LIVEDUMP note: PAGES_LOST is not a decimal number"));
	unlink(path);
	free(path);
}

static int setup(void **state)
{
	(void)state;
	log_init(&test_log, "test");
	test_log.level = 0;
	dir = fake_tmpdir();
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	log_destroy(&test_log);
	return fake_tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_past_filesz_are_zeros),
		cmocka_unit_test(truncated_and_inconsistent),
		cmocka_unit_test(source_reads),
		cmocka_unit_test(source_livedump),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
