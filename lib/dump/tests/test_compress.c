// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "dump/compress.h"
#include "dump/kdump/kdump_format.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;

#define PS 4096

static const enum compression real_methods[] = { COMPRESS_ZLIB, COMPRESS_LZO, COMPRESS_ZSTD };

static void text_page(uint8_t *p, unsigned int seed)
{
	size_t i;

	for (i = 0; i < PS; i++)
		p[i] = (uint8_t)("struct page flags mapping index "[(i + seed) % 32]);
}

static void random_page(uint8_t *p, uint32_t seed)
{
	size_t i;

	for (i = 0; i < PS; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static void round_trip_each_method(void **state)
{
	uint8_t page[PS], back[PS], *out = malloc(page_compress_bound(PS));
	struct page_decompressor pd;
	unsigned int i;

	(void)state;
	assert_int_equal(page_decompressor_init(&pd, &test_log, PS), 0);
	text_page(page, 3);
	for (i = 0; i < sizeof(real_methods) / sizeof(real_methods[0]); i++) {
		struct page_compressor pc;
		const char *why = NULL;
		size_t n;

		assert_int_equal(page_compressor_init(&pc, &test_log, real_methods[i], PS), 0);
		n = page_compress(&pc, page, out);
		assert_true(n > 0 && n < PS);
		memset(back, 0xaa, sizeof(back));
		assert_int_equal(page_decompress(&pd, compression_dh_flag(real_methods[i]), out, n,
						 back, &why), 0);
		assert_memory_equal(page, back, PS);
		/* A truncated stream never decodes to a whole page. */
		assert_int_equal(page_decompress(&pd, compression_dh_flag(real_methods[i]), out,
						 n / 2, back, &why), -1);
		assert_non_null(why);
		page_compressor_free(&pc);
	}
	page_decompressor_free(&pd);
	free(out);
}

static void incompressible_page_is_stored_raw(void **state)
{
	uint8_t page[PS], *out = malloc(page_compress_bound(PS));
	unsigned int i;

	(void)state;
	random_page(page, 42);
	for (i = 0; i < sizeof(real_methods) / sizeof(real_methods[0]); i++) {
		struct page_compressor pc;

		assert_int_equal(page_compressor_init(&pc, &test_log, real_methods[i], PS), 0);
		assert_int_equal(page_compress(&pc, page, out), 0);
		page_compressor_free(&pc);
	}
	free(out);
}

static void none_always_raw(void **state)
{
	struct page_compressor pc;
	uint8_t page[PS] = { 0 }, out[PS * 2];

	(void)state;
	assert_int_equal(page_compressor_init(&pc, &test_log, COMPRESS_NONE, PS), 0);
	assert_int_equal(page_compress(&pc, page, out), 0);
	page_compressor_free(&pc);
}

/* The bytes must be makedumpfile's: compress2 and ZSTD_compress at level 1. */
static void same_bytes_as_reference_calls(void **state)
{
	uint8_t page[PS], *out = malloc(page_compress_bound(PS)), *ref = malloc(2 * PS);
	struct page_compressor pc;
	uLongf zlen = 2 * PS;
	size_t n, zs;

	(void)state;
	text_page(page, 7);
	page[100] = 0;
	assert_int_equal(page_compressor_init(&pc, &test_log, COMPRESS_ZLIB, PS), 0);
	/* Twice: a reset stream must not remember the previous page. */
	n = page_compress(&pc, page, out);
	n = page_compress(&pc, page, out);
	assert_int_equal(compress2(ref, &zlen, page, PS, Z_BEST_SPEED), Z_OK);
	assert_int_equal(n, zlen);
	assert_memory_equal(out, ref, n);
	page_compressor_free(&pc);

	assert_int_equal(page_compressor_init(&pc, &test_log, COMPRESS_ZSTD, PS), 0);
	n = page_compress(&pc, page, out);
	zs = ZSTD_compress(ref, 2 * PS, page, PS, 1);
	assert_false(ZSTD_isError(zs));
	assert_int_equal(n, zs);
	assert_memory_equal(out, ref, n);
	page_compressor_free(&pc);
	free(out);
	free(ref);
}

/* lzo's work memory must not carry state from one page to the next. */
static void lzo_output_independent_of_history(void **state)
{
	uint8_t a[PS], b[PS], *o1 = malloc(page_compress_bound(PS)),
			      *o2 = malloc(page_compress_bound(PS));
	struct page_compressor p1, p2;
	size_t n1, n2;

	(void)state;
	text_page(a, 1);
	text_page(b, 5);
	b[7] = 'X';
	assert_int_equal(page_compressor_init(&p1, &test_log, COMPRESS_LZO, PS), 0);
	assert_int_equal(page_compressor_init(&p2, &test_log, COMPRESS_LZO, PS), 0);
	page_compress(&p1, a, o1);
	n1 = page_compress(&p1, b, o1);
	n2 = page_compress(&p2, b, o2);
	assert_int_equal(n1, n2);
	assert_memory_equal(o1, o2, n1);
	page_compressor_free(&p1);
	page_compressor_free(&p2);
	free(o1);
	free(o2);
}

static void flags_and_snappy(void **state)
{
	struct page_compressor pc;
	struct page_decompressor pd;
	uint8_t page[PS];
	const char *why = NULL;

	(void)state;
	assert_int_equal(compression_dh_flag(COMPRESS_NONE), 0);
	assert_int_equal(compression_dh_flag(COMPRESS_ZLIB), DUMP_DH_COMPRESSED_ZLIB);
	assert_int_equal(compression_dh_flag(COMPRESS_LZO), DUMP_DH_COMPRESSED_LZO);
	assert_int_equal(compression_dh_flag(COMPRESS_SNAPPY), DUMP_DH_COMPRESSED_SNAPPY);
	assert_int_equal(compression_dh_flag(COMPRESS_ZSTD), DUMP_DH_COMPRESSED_ZSTD);
	assert_string_equal(compression_name(COMPRESS_ZSTD), "zstd");
	assert_int_equal(page_compressor_init(&pc, &test_log, COMPRESS_SNAPPY, PS), -1);
	assert_int_equal(page_decompressor_init(&pd, &test_log, PS), 0);
	assert_int_equal(page_decompress(&pd, DUMP_DH_COMPRESSED_SNAPPY, page, 10, page, &why), -1);
	assert_non_null(why);
	page_decompressor_free(&pd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_each_method),
		cmocka_unit_test(incompressible_page_is_stored_raw),
		cmocka_unit_test(none_always_raw),
		cmocka_unit_test(same_bytes_as_reference_calls),
		cmocka_unit_test(lzo_output_independent_of_history),
		cmocka_unit_test(flags_and_snappy),
	};

	log_init(&test_log, "test");
	test_log.level = 0;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
