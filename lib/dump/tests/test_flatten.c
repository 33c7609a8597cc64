// SPDX-License-Identifier: GPL-2.0-or-later
#include <endian.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dump/flat/flatten.h"
#include "dump/sink.h"
#include "dump/tests/fake_dump.h"
#include "util/fileio.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;

struct env {
	struct fake_machine m;
	char *dir;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	fake_machine_init(&e->m, true);
	e->dir = fake_tmpdir();
	*state = e;
	return e->dir ? 0 : -1;
}

static int teardown(void **state)
{
	struct env *e = *state;
	int ret = fake_tmpdir_remove(e->dir);

	fake_machine_free(&e->m);
	free(e);
	return ret;
}

/* Rebuild @flat into @out; returns flat_rebuild's result (output removed on error). */
static int rebuild(const char *flat, const char *out)
{
	struct out_file of;
	int fd = open(flat, O_RDONLY), ret;

	assert_true(fd >= 0);
	assert_int_equal(out_file_create(&of, &test_log, out, true), 0);
	ret = flat_rebuild(fd, flat, &of);
	close(fd);
	if (ret < 0)
		out_file_abort(&of);
	else
		assert_int_equal(out_file_finish(&of), 0);
	return ret;
}

static void flatten_then_rebuild_is_identical(void **state)
{
	struct env *e = *state;
	static const enum compression cs[] = { COMPRESS_NONE, COMPRESS_LZO, COMPRESS_ZLIB };
	char *direct = fake_path(e->dir, "direct"), *flat = fake_path(e->dir, "flat"),
	     *rebuilt = fake_path(e->dir, "rebuilt");
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint8_t *a, *b, *f;
		size_t alen, blen, flen;
		uint64_t zero, type, version;
		int fd;

		assert_int_equal(fake_write_kdump(&e->m, direct, -1, cs[i], 1, i, 512, &zero), 0);
		fd = open(flat, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(fake_write_kdump(&e->m, NULL, fd, cs[i], 1, i, 512, &zero), 0);
		close(fd);

		f = fake_slurp(flat, &flen);
		assert_memory_equal(f, "makedumpfile\0\0\0\0", 16);
		memcpy(&type, f + 16, 8);
		memcpy(&version, f + 24, 8);
		assert_int_equal(be64toh(type), 1);
		assert_int_equal(be64toh(version), 1);
		/* Ends with the end marker. */
		assert_memory_equal(f + flen - 16,
				    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
				    16);
		free(f);

		assert_int_equal(rebuild(flat, rebuilt), 0);
		a = fake_slurp(direct, &alen);
		b = fake_slurp(rebuilt, &blen);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		free(a);
		free(b);
	}
	free(direct);
	free(flat);
	free(rebuilt);
}

static void put_block(int fd, int64_t off, int64_t size, const void *data)
{
	int64_t h[2] = { (int64_t)htobe64((uint64_t)off), (int64_t)htobe64((uint64_t)size) };

	assert_int_equal(write(fd, h, sizeof(h)), sizeof(h));
	if (data && size > 0)
		assert_int_equal(write(fd, data, (size_t)size), size);
}

static char *make_stream(struct env *e, const char *name, bool end)
{
	char *path = fake_path(e->dir, name);
	struct flat_writer fw;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(flat_writer_begin(&fw, &test_log, fd, path), 0);
	put_block(fd, 100, 3, "bbb");
	put_block(fd, 0, 8, "aaaaaaaa");
	put_block(fd, 2, 2, "XY");		/* overlaps: the later block wins */
	if (end)
		assert_int_equal(flat_writer_end(&fw), 0);
	close(fd);
	return path;
}

static void blocks_in_any_order(void **state)
{
	struct env *e = *state;
	char *flat = make_stream(e, "order", true), *out = fake_path(e->dir, "order.out");
	uint8_t want[103] = "aaXYaaaa", *got;
	size_t len;

	memcpy(want + 100, "bbb", 3);
	assert_int_equal(rebuild(flat, out), 0);
	got = fake_slurp(out, &len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(got, want, len);
	free(got);
	free(flat);
	free(out);
}

static void bad_streams_rejected(void **state)
{
	struct env *e = *state;
	char *flat = make_stream(e, "noend", false), *out = fake_path(e->dir, "bad.out");
	int fd;

	/* No end marker: truncated. */
	assert_int_equal(rebuild(flat, out), -1);
	assert_int_equal(access(out, F_OK), -1);

	/* A block whose data is cut short. */
	fd = open(flat, O_WRONLY | O_APPEND);
	put_block(fd, 0, 1000, NULL);
	assert_int_equal(write(fd, "zz", 2), 2);
	close(fd);
	assert_int_equal(rebuild(flat, out), -1);

	/* A negative size that is not the end marker. */
	free(flat);
	flat = make_stream(e, "neg", false);
	fd = open(flat, O_WRONLY | O_APPEND);
	put_block(fd, 0, -5, NULL);
	close(fd);
	assert_int_equal(rebuild(flat, out), -1);

	/* Not flattened at all. */
	fd = open(flat, O_WRONLY);
	assert_int_equal(write(fd, "KDUMP   ", 8), 8);
	close(fd);
	assert_int_equal(rebuild(flat, out), -1);

	/* Shorter than the flattened header. */
	assert_int_equal(truncate(flat, 100), 0);
	assert_int_equal(rebuild(flat, out), -1);
	free(flat);
	free(out);
}

static int verify(const char *path, int64_t size)
{
	struct stat st;
	int fd = open(path, O_RDONLY), ret;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	log_clear_error(&test_log);
	ret = flat_file_verify(fd, size < 0 ? (uint64_t)st.st_size : (uint64_t)size, path,
			       &test_log);
	close(fd);
	return ret;
}

/* pmem-kdump check tells a whole flattened dump from one cut short at any byte. */
static void verify_whole_or_cut(void **state)
{
	struct env *e = *state;
	char *flat = make_stream(e, "whole", true), *real = fake_path(e->dir, "real");
	struct stat st;
	uint64_t zero;
	int fd;

	assert_int_equal(verify(flat, -1), 0);
	assert_int_equal(stat(flat, &st), 0);
	for (int64_t n = 0; n < st.st_size; n++) {
		int ret = verify(flat, n);

		if (ret != (n < 16 ? -PMD_ENOTFMT : -PMD_ECORRUPT))
			fail_msg("cut at %lld: %d (%s)", (long long)n, ret, log_error_text(&test_log));
	}
	assert_int_equal(verify(flat, st.st_size - 1), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&test_log), "without the flattened end marker: cut short"));
	/* Bytes after the end marker. */
	fd = open(flat, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(verify(flat, -1), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&test_log), "1 bytes after its flattened end marker"));

	/* What the kdump writer streams. */
	fd = open(real, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fake_write_kdump(&e->m, NULL, fd, COMPRESS_ZLIB, 1, 0, 512, &zero), 0);
	close(fd);
	assert_int_equal(verify(real, -1), 0);
	/* Not flattened: a kdump-compressed file. */
	assert_int_equal(fake_write_kdump(&e->m, real, -1, COMPRESS_ZLIB, 1, 0, 512, &zero), 0);
	assert_int_equal(verify(real, -1), -PMD_ENOTFMT);
	free(flat);
	free(real);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flatten_then_rebuild_is_identical),
		cmocka_unit_test(blocks_in_any_order),
		cmocka_unit_test(bad_streams_rejected),
		cmocka_unit_test(verify_whole_or_cut),
	};

	log_init(&test_log, "test");
	test_log.level = 0;
	return cmocka_run_group_tests(tests, setup, teardown);
}
