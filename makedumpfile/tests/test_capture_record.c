// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capture record (src/capture_record.h) written below a temporary
 * root: what a run in kdump-tools' capture kernel leaves, run by run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/capture_record.h"
#include "src/options.h"
#include "util/kvfile.h"
#include "util/log.h"
#include "util/records.h"
#include "util/tests/fakeroot.h"

#define BOOT_A "6f1c3e0a-8c55-4d2b-9a55-0d6a1f2b3c4d"
#define BOOT_B "0b9e7d21-3f4a-4c1e-8d7b-5e6f7a8b9c0d"
#define STAMP "202405061718"
#define KMSG "dev/kmsg"
#define RECORD (REC_CAPTURE_PATH + 1)	/* below the root */
#define FAILED_COPY "var/crash/" STAMP "/" REC_CAPTURE_FAILED_NAME

struct fixture {
	char *root;
	char stamp_dir[512];		/* kdump-tools' $KDUMP_COREDIR/$STAMP, a real path */
	char dmesg[1024];
	struct log_ctx log;
	struct kvfile_map m;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->root = fake_root_new();
	fake_write(fx->root, "proc/sys/kernel/random/boot_id", BOOT_A "\n");
	fake_mkdir(fx->root, "var/lib");
	/* A regular file stands for /dev/kmsg: the lines are appended to it. */
	fake_write(fx->root, "dev/kmsg", "");
	fake_mkdir(fx->root, "var/crash/" STAMP);
	snprintf(fx->stamp_dir, sizeof(fx->stamp_dir), "%s/var/crash/" STAMP, fx->root);
	snprintf(fx->dmesg, sizeof(fx->dmesg), "%s/dmesg." STAMP, fx->stamp_dir);
	log_init(&fx->log, "makedumpfile");
	fx->log.level = 0;	/* the warnings are not what is tested */
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	kvfile_map_free(&fx->m);
	log_destroy(&fx->log);
	fake_root_free(fx->root);
	free(fx);
	return 0;
}

#define ARGV(...) ((char *[]){ "makedumpfile", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "makedumpfile", __VA_ARGS__ }) / sizeof(char *)))

/* The record under the root, read back into fx->m; its value of @key. */
static const char *rec(struct fixture *fx, const char *key)
{
	return kvfile_get(&fx->m, key);
}

static void reread(struct fixture *fx)
{
	kvfile_map_free(&fx->m);
	assert_int_equal(kvfile_read(&fx->m, fx->root, REC_CAPTURE_PATH, &fx->log), 0);
	assert_true(fx->m.present);
}

static void begin(struct fixture *fx, struct capture_record *cr, int argc, char **argv,
		  bool dmesg_mode, const char *output)
{
	assert_int_equal(capture_record_init(cr, &fx->log, argc, argv), 0);
	capture_record_begin(cr, fx->root, dmesg_mode, output);
}

static const struct dump_report report_700 = {
	.counts = { .zero = 50, .free = 150 },
	.max_mapnr = 1000,
	.memhole = 100,
	.write_bytes = 123456,
};

/* kdump-tools' dump run, ok: failed "did not finish" first, then ok with its counts. */
static void dump_ok(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char buf[2048], path[PATH_MAX], keys[256] = "";
	struct stat st;

	begin(fx, &cr, ARGC("-c", "-F", "-d", "31", "-F", "/proc/vmcore"),
	      ARGV("-c", "-F", "-d", "31", "-F", "/proc/vmcore"), false, "-");
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_STATUS), "failed");
	assert_string_equal(rec(fx, REC_CAP_ERROR), REC_CAP_UNFINISHED);
	assert_string_equal(rec(fx, REC_CAP_PAGES), "");
	capture_record_end(&cr, NULL, &report_700);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_BOOT_ID), BOOT_A);
	assert_string_equal(rec(fx, REC_CAP_ARGV), "makedumpfile -c -F -d 31 -F /proc/vmcore");
	assert_string_equal(rec(fx, REC_CAP_MODE), "dump");
	assert_string_equal(rec(fx, REC_CAP_DMESG), "");
	assert_string_equal(rec(fx, REC_CAP_OUTPUT), "-");
	assert_string_equal(rec(fx, REC_CAP_STATUS), "ok");
	assert_string_equal(rec(fx, REC_CAP_ERROR), "");
	/* 1000 - 100 in the hole - 200 excluded. */
	assert_string_equal(rec(fx, REC_CAP_PAGES), "700");
	assert_string_equal(rec(fx, REC_CAP_BYTES), "123456");
	/* "2024-05-06T17:18:19Z" */
	assert_int_equal(strlen(rec(fx, REC_CAP_TIME)), 20);
	assert_int_equal(rec(fx, REC_CAP_TIME)[10], 'T');
	assert_int_equal(rec(fx, REC_CAP_TIME)[19], 'Z');
	/* Every key, in the documented order, and nothing else. */
	for (size_t i = 0; i < fx->m.nr; i++)
		snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", i ? "," : "",
			 fx->m.pairs[i].key);
	assert_string_equal(keys, "boot_id,time,argv,mode,dmesg,output,status,error,pages,bytes");
	/* 0600 in a 0700 folder; nothing on the console, no failure copy. */
	snprintf(path, sizeof(path), "%s/var/lib/pmemdump", fx->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s%s", fx->root, REC_CAPTURE_PATH);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_string_equal(fake_read(fx->root, KMSG, buf, sizeof(buf)), "");
	capture_record_free(&cr);
}

/*
 * kdump-tools' --dump-dmesg run fails: the record says so, the console
 * hears it, and a copy lands in the stamp folder.
 */
static void dmesg_failed(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char buf[2048], copy[2048], path[PATH_MAX];
	struct stat st;

	begin(fx, &cr, ARGC("--dump-dmesg", "/proc/vmcore", fx->dmesg),
	      ARGV("--dump-dmesg", "/proc/vmcore", fx->dmesg), true, fx->dmesg);
	capture_record_end(&cr, "cannot read the kernel log: printk ring is corrupt", NULL);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_MODE), "dmesg");
	assert_string_equal(rec(fx, REC_CAP_DMESG), fx->dmesg);
	assert_string_equal(rec(fx, REC_CAP_OUTPUT), fx->dmesg);
	assert_string_equal(rec(fx, REC_CAP_STATUS), "failed");
	assert_string_equal(rec(fx, REC_CAP_ERROR), "cannot read the kernel log: printk ring is corrupt");
	assert_string_equal(rec(fx, REC_CAP_PAGES), "");
	assert_string_equal(fake_read(fx->root, KMSG, buf, sizeof(buf)),
			    "<3>pmemdump makedumpfile: cannot read the kernel log: printk ring is corrupt\n");
	/* The copy is the record, byte for byte, 0600. */
	assert_non_null(fake_read(fx->root, FAILED_COPY, copy, sizeof(copy)));
	assert_string_equal(fake_read(fx->root, RECORD, buf, sizeof(buf)), copy);
	snprintf(path, sizeof(path), "%s/" FAILED_COPY, fx->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	capture_record_free(&cr);
}

/*
 * The dump run learns the stamp folder from the dmesg run of the same
 * boot; a record of another boot is a former capture's.
 */
static void dmesg_carried_by_boot_id(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;

	begin(fx, &cr, ARGC("--dump-dmesg", "/proc/vmcore", "x"),
	      ARGV("--dump-dmesg", "/proc/vmcore", "x"), true, fx->dmesg);
	capture_record_end(&cr, NULL, NULL);
	capture_record_free(&cr);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_STATUS), "ok");
	assert_string_equal(rec(fx, REC_CAP_PAGES), "");

	begin(fx, &cr, ARGC("-F", "/proc/vmcore"), ARGV("-F", "/proc/vmcore"), false, "-");
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_DMESG), fx->dmesg);
	capture_record_end(&cr, NULL, &report_700);
	capture_record_free(&cr);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_DMESG), fx->dmesg);
	assert_string_equal(rec(fx, REC_CAP_MODE), "dump");

	/* The next boot's capture: nothing carried. */
	fake_write(fx->root, "proc/sys/kernel/random/boot_id", BOOT_B "\n");
	begin(fx, &cr, ARGC("-F", "/proc/vmcore"), ARGV("-F", "/proc/vmcore"), false, "-");
	capture_record_end(&cr, "cannot write the flattened dump to standard output: Broken pipe",
			   NULL);
	capture_record_free(&cr);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_BOOT_ID), BOOT_B);
	assert_string_equal(rec(fx, REC_CAP_DMESG), "");
	assert_string_equal(rec(fx, REC_CAP_STATUS), "failed");

	/* No boot id at all: nothing can be matched, nothing carried. */
	fake_unlink(fx->root, "proc/sys/kernel/random/boot_id");
	begin(fx, &cr, ARGC("-F", "/proc/vmcore"), ARGV("-F", "/proc/vmcore"), false, "-");
	capture_record_free(&cr);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_BOOT_ID), "");
	assert_string_equal(rec(fx, REC_CAP_DMESG), "");
}

/* The first failure of a capture is the one kept in the stamp folder. */
static void failed_copy_once(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char first[2048], now[2048];

	begin(fx, &cr, ARGC("--dump-dmesg", "/proc/vmcore", "x"),
	      ARGV("--dump-dmesg", "/proc/vmcore", "x"), true, fx->dmesg);
	capture_record_end(&cr, "first", NULL);
	capture_record_free(&cr);
	assert_non_null(fake_read(fx->root, FAILED_COPY, first, sizeof(first)));
	assert_non_null(strstr(first, "\nerror=first\n"));

	begin(fx, &cr, ARGC("-F", "/proc/vmcore"), ARGV("-F", "/proc/vmcore"), false, "-");
	capture_record_end(&cr, "second", NULL);
	capture_record_free(&cr);
	assert_string_equal(fake_read(fx->root, FAILED_COPY, now, sizeof(now)), first);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_ERROR), "second");
	assert_string_equal(rec(fx, REC_CAP_DMESG), fx->dmesg);
	/* Both reached the console. */
	assert_string_equal(fake_read(fx->root, KMSG, now, sizeof(now)),
			    "<3>pmemdump makedumpfile: first\n<3>pmemdump makedumpfile: second\n");
}

/* Free text keeps to its line: no key can be forged, the status stays failed. */
static void newlines_flattened(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char buf[2048];

	begin(fx, &cr, ARGC("-F", "a\nstatus=ok", "/proc/vmcore"),
	      ARGV("-F", "a\nstatus=ok", "/proc/vmcore"), false, "-");
	capture_record_end(&cr, "bad\nstatus=ok\rpages=1", NULL);
	capture_record_free(&cr);
	reread(fx);
	assert_int_equal(fx->m.nr, 10);
	assert_string_equal(rec(fx, REC_CAP_ARGV), "makedumpfile -F a status=ok /proc/vmcore");
	assert_string_equal(rec(fx, REC_CAP_ERROR), "bad status=ok pages=1");
	assert_string_equal(rec(fx, REC_CAP_STATUS), "failed");
	assert_string_equal(rec(fx, REC_CAP_PAGES), "");
	assert_string_equal(fake_read(fx->root, KMSG, buf, sizeof(buf)),
			    "<3>pmemdump makedumpfile: bad status=ok pages=1\n");
}

/* A relative output is recorded absolute: check runs elsewhere. */
static void output_absolute(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char cwd[PATH_MAX], want[PATH_MAX * 2];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(fx->stamp_dir), 0);
	begin(fx, &cr, ARGC("-c", "/proc/vmcore", "dump.x"), ARGV("-c", "/proc/vmcore", "dump.x"),
	      false, "dump.x");
	capture_record_end(&cr, NULL, &report_700);
	capture_record_free(&cr);
	assert_int_equal(chdir(cwd), 0);
	reread(fx);
	snprintf(want, sizeof(want), "%s/dump.x", fx->stamp_dir);
	assert_string_equal(rec(fx, REC_CAP_OUTPUT), want);
}

/* No root: nothing written. A record that cannot be written: the run goes on. */
static void no_record(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;
	char buf[64], path[PATH_MAX];

	assert_int_equal(capture_record_init(&cr, &fx->log, ARGC("-F", "in"), ARGV("-F", "in")), 0);
	capture_record_begin(&cr, NULL, false, NULL);
	capture_record_end(&cr, "failed", NULL);
	capture_record_free(&cr);
	snprintf(path, sizeof(path), "%s/var/lib/pmemdump", fx->root);
	assert_int_equal(access(path, F_OK), -1);
	assert_string_equal(fake_read(fx->root, KMSG, buf, sizeof(buf)), "");

	/* /var/lib/pmemdump is a file: the record cannot be kept, one warning. */
	fake_write(fx->root, "var/lib/pmemdump", "not a folder");
	begin(fx, &cr, ARGC("-F", "/proc/vmcore"), ARGV("-F", "/proc/vmcore"), false, "-");
	assert_true(cr.warned);
	capture_record_end(&cr, "failed", NULL);
	capture_record_free(&cr);
	assert_string_equal(fake_read(fx->root, KMSG, buf, sizeof(buf)), "<3>pmemdump makedumpfile: failed\n");
}

/* A command line that did not parse: failed, the output not known. */
static void bad_command_line(void **state)
{
	struct fixture *fx = *state;
	struct capture_record cr;

	begin(fx, &cr, ARGC("-c", "--bogus", "/proc/vmcore"), ARGV("-c", "--bogus", "/proc/vmcore"),
	      false, NULL);
	capture_record_end(&cr, "unknown or incomplete option \"--bogus\"; see --help", NULL);
	capture_record_free(&cr);
	reread(fx);
	assert_string_equal(rec(fx, REC_CAP_STATUS), "failed");
	assert_string_equal(rec(fx, REC_CAP_OUTPUT), "");
	assert_string_equal(rec(fx, REC_CAP_ARGV), "makedumpfile -c --bogus /proc/vmcore");
	assert_string_equal(rec(fx, REC_CAP_ERROR), "unknown or incomplete option \"--bogus\"; see --help");
}

/* Which runs keep a record: a dump or the log of /proc/vmcore. */
static void which_runs(void **state)
{
	struct fixture *fx = *state;
	struct options o;

#define PARSE(...) options_parse(&o, &fx->log, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
#define ROOT(...) capture_record_root(&o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
	assert_int_equal(PARSE("-c", "-F", "-d", "31", "-F", "/proc/vmcore"), OPTIONS_RUN);
	assert_string_equal(ROOT("-c", "-F", "-d", "31", "-F", "/proc/vmcore"), "/");
	assert_int_equal(PARSE("--dump-dmesg", "/proc/vmcore", "/var/crash/1/dmesg.1"), OPTIONS_RUN);
	assert_string_equal(ROOT("--dump-dmesg", "/proc/vmcore", "/var/crash/1/dmesg.1"), "/");
	assert_int_equal(PARSE("-l", "/proc/vmcore", "/var/crash/dump"), OPTIONS_RUN);
	assert_string_equal(ROOT("-l", "/proc/vmcore", "/var/crash/dump"), "/");
	assert_int_equal(PARSE("--check-params", "-F", "/proc/vmcore"), OPTIONS_RUN);
	assert_null(ROOT("--check-params", "-F", "/proc/vmcore"));
	assert_int_equal(PARSE("--mem-usage", "/proc/vmcore"), OPTIONS_RUN);
	assert_null(ROOT("--mem-usage", "/proc/vmcore"));
	assert_int_equal(PARSE("-R", "/var/crash/dump"), OPTIONS_RUN);
	assert_null(ROOT("-R", "/var/crash/dump"));
	assert_int_equal(PARSE("-F", "/tmp/vmcore"), OPTIONS_RUN);
	assert_null(ROOT("-F", "/tmp/vmcore"));
#undef ROOT
	/* A command line that did not parse: by its words. */
#define ROOT(...) capture_record_root(NULL, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
	assert_string_equal(ROOT("--bogus", "/proc/vmcore"), "/");
	assert_null(ROOT("--check-params", "--bogus", "/proc/vmcore"));
	assert_null(ROOT("--bogus", "/tmp/vmcore"));
#undef ROOT
#undef PARSE
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(dump_ok),
		T(dmesg_failed),
		T(dmesg_carried_by_boot_id),
		T(failed_copy_once),
		T(newlines_flattened),
		T(output_absolute),
		T(no_record),
		T(bad_command_line),
		T(which_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
