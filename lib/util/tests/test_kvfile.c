// SPDX-License-Identifier: GPL-2.0-or-later
/* key=value records (util/kvfile.h): written whole, read back with bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "util/kvfile.h"
#include "util/log.h"
#include "util/tests/fakeroot.h"

static unsigned int mode_below(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static unsigned int entries_below(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct dirent *de;
	unsigned int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/* Written in the order added, replaced whole, modes exact whatever the umask. */
static void replace_whole(void **state)
{
	char *root = fake_root_new(), buf[512];
	struct kvfile kv;
	struct log_ctx log;
	mode_t old = umask(077);

	(void)state;
	log_init(&log, "test");
	fake_mkdir(root, "var/lib");
	kvfile_init(&kv);
	assert_int_equal(kvfile_add(&kv, "b", "2"), 0);
	assert_int_equal(kvfile_add(&kv, "a", NULL), 0);
	assert_int_equal(kvfile_addf(&kv, "c", "%d-%s", 3, "x=y"), 0);
	assert_int_equal(kvfile_replace(&kv, root, "/var/lib/rec/r", 0700, 0644, &log), 0);
	assert_string_equal(fake_read(root, "var/lib/rec/r", buf, sizeof(buf)), "b=2\na=\nc=3-x=y\n");
	assert_int_equal(mode_below(root, "var/lib/rec"), 0700);
	assert_int_equal(mode_below(root, "var/lib/rec/r"), 0644);
	kvfile_free(&kv);

	kvfile_init(&kv);
	assert_int_equal(kvfile_add(&kv, "only", "one"), 0);
	assert_int_equal(kvfile_replace(&kv, root, "/var/lib/rec/r", 0700, 0600, &log), 0);
	assert_string_equal(fake_read(root, "var/lib/rec/r", buf, sizeof(buf)), "only=one\n");
	assert_int_equal(mode_below(root, "var/lib/rec/r"), 0600);
	/* No temporary file is left beside it. */
	assert_int_equal(entries_below(root, "var/lib/rec"), 1);
	kvfile_free(&kv);
	umask(old);

	/* Only the last folder is made: a missing parent is an error, recorded. */
	kvfile_init(&kv);
	assert_int_equal(kvfile_replace(&kv, root, "/no/such/r", 0700, 0600, &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "cannot create"));
	assert_non_null(strstr(log_error_text(&log), "/no/such"));
	log_clear_error(&log);
	/* A folder that is a file. */
	fake_write(root, "run", "not a folder");
	assert_int_equal(kvfile_replace(&kv, root, "/run/r", 0755, 0644, &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "/run/r"));
	kvfile_free(&kv);
	log_destroy(&log);
	fake_root_free(root);
}

/* A value with a newline would forge the keys after it: written empty. */
static void newline_refused(void **state)
{
	char *root = fake_root_new(), buf[512];
	struct kvfile_map m;
	struct kvfile kv;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	fake_mkdir(root, "r");
	kvfile_init(&kv);
	assert_int_equal(kvfile_add(&kv, "cmdline", "two\nstatus=ok"), -PMD_EINVAL);
	assert_int_equal(kv.error, 0);
	assert_int_equal(kvfile_add(&kv, "status", "failed"), 0);
	assert_int_equal(kvfile_replace(&kv, root, "/r/rec", 0755, 0600, &log), 0);
	assert_string_equal(fake_read(root, "r/rec", buf, sizeof(buf)), "cmdline=\nstatus=failed\n");
	assert_int_equal(kvfile_read(&m, root, "/r/rec", &log), 0);
	assert_string_equal(kvfile_get(&m, "status"), "failed");
	assert_int_equal(m.nr, 2);
	kvfile_map_free(&m);

	/* A bad key fails the record: nothing is written. */
	assert_int_equal(kvfile_add(&kv, "a=b", "x"), -PMD_EINVAL);
	assert_int_equal(kvfile_add(&kv, "", "x"), -PMD_EINVAL);
	assert_int_equal(kvfile_replace(&kv, root, "/r/rec", 0755, 0600, &log), -PMD_EINVAL);
	assert_string_equal(fake_read(root, "r/rec", buf, sizeof(buf)), "cmdline=\nstatus=failed\n");
	kvfile_free(&kv);
	log_destroy(&log);
	fake_root_free(root);
}

/* A new file only: never over an existing one, nor through a link. */
static void create_exclusive(void **state)
{
	char *root = fake_root_new(), buf[512], path[PATH_MAX], link[PATH_MAX];
	struct kvfile kv, other;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	kvfile_init(&kv);
	kvfile_init(&other);
	kvfile_add(&kv, "status", "failed");
	kvfile_add(&other, "status", "ok");
	snprintf(path, sizeof(path), "%s/FAILED", root);
	assert_int_equal(kvfile_create(&kv, path, &log), 0);
	assert_int_equal(mode_below(root, "FAILED"), 0600);
	assert_int_equal(kvfile_create(&other, path, &log), -PMD_EEXIST);
	assert_string_equal(fake_read(root, "FAILED", buf, sizeof(buf)), "status=failed\n");
	log_clear_error(&log);
	fake_symlink(root, "link", "target");
	snprintf(link, sizeof(link), "%s/link", root);
	assert_int_equal(kvfile_create(&kv, link, &log), -PMD_EEXIST);
	assert_null(fake_read(root, "target", buf, sizeof(buf)));
	log_clear_error(&log);
	snprintf(path, sizeof(path), "%s/no/such/FAILED", root);
	assert_int_equal(kvfile_create(&kv, path, &log), -PMD_EIO);
	kvfile_free(&kv);
	kvfile_free(&other);
	log_destroy(&log);
	fake_root_free(root);
}

static void read_back(void **state)
{
	char *root = fake_root_new(), *big;
	struct kvfile_map m;
	struct log_ctx log;
	char path[PATH_MAX];

	(void)state;
	log_init(&log, "test");
	assert_int_equal(kvfile_read(&m, root, "/missing", &log), 0);
	assert_false(m.present);
	assert_null(kvfile_get(&m, "a"));
	kvfile_map_free(&m);

	/* Lines without '=' skipped, '=' in values kept, the last line wins, no final newline. */
	fake_write(root, "rec", "# note\na=1\ncmdline=root=UUID=1 x=y\n\n=v\na=2\nlast=no newline");
	assert_int_equal(kvfile_read(&m, root, "/rec", &log), 0);
	assert_true(m.present);
	assert_true(m.mtime.tv_sec > 0);
	assert_string_equal(kvfile_get(&m, "a"), "2");
	assert_string_equal(kvfile_get(&m, "cmdline"), "root=UUID=1 x=y");
	assert_string_equal(kvfile_get(&m, "last"), "no newline");
	assert_null(kvfile_get(&m, "# note"));
	assert_null(kvfile_get(&m, ""));
	kvfile_map_free(&m);

	/* Bounds: a line one byte too long, a file one byte too large, a NUL. */
	big = malloc(KVFILE_SIZE_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', KVFILE_SIZE_MAX + 1);
	big[0] = 'k';
	big[1] = '=';
	big[KVFILE_LINE_MAX] = '\0';
	fake_write(root, "rec", big);
	assert_int_equal(kvfile_read(&m, root, "/rec", &log), 0);
	assert_int_equal(strlen(kvfile_get(&m, "k")), KVFILE_LINE_MAX - 2);
	kvfile_map_free(&m);
	big[KVFILE_LINE_MAX] = 'x';
	big[KVFILE_LINE_MAX + 1] = '\0';
	fake_write(root, "rec", big);
	assert_int_equal(kvfile_read(&m, root, "/rec", &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "line 1 is longer than"));
	assert_false(m.present);
	kvfile_map_free(&m);
	log_clear_error(&log);
	big[KVFILE_LINE_MAX + 1] = 'x';
	for (size_t i = 100; i < KVFILE_SIZE_MAX; i += 100)
		big[i] = '\n';
	big[KVFILE_SIZE_MAX + 1] = '\0';
	fake_write(root, "rec", big);
	assert_int_equal(kvfile_read(&m, root, "/rec", &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "larger than"));
	kvfile_map_free(&m);
	log_clear_error(&log);
	free(big);
	fake_write_len(root, "rec", "a=1\0b=2\n", 8);
	assert_int_equal(kvfile_read(&m, root, "/rec", &log), -PMD_ECORRUPT);
	kvfile_map_free(&m);
	log_clear_error(&log);

	/* Not a regular file: refused, a FIFO without hanging. */
	fake_mkdir(root, "dir");
	assert_int_equal(kvfile_read(&m, root, "/dir", &log), -PMD_ECORRUPT);
	kvfile_map_free(&m);
	snprintf(path, sizeof(path), "%s/fifo", root);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(kvfile_read(&m, root, "/fifo", &log), -PMD_ECORRUPT);
	kvfile_map_free(&m);
	log_destroy(&log);
	fake_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replace_whole),
		cmocka_unit_test(newline_refused),
		cmocka_unit_test(create_exclusive),
		cmocka_unit_test(read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
