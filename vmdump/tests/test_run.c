// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The whole run of pmemdump-vm against a fake QEMU (tests/fakeqmp.h) and
 * a fake makedumpfile (a shell script that appends "makedumpfile" to the
 * same transcript, saves its argv and copies its input). Each test checks
 * the commands QEMU got, in order with the filter, the makedumpfile
 * command line, what makedumpfile could read through /proc/self/fd, the
 * exit status and the lines the user sees; the expected values are
 * written by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "src/run.h"
#include "util/tests/fakeroot.h"
#include "tests/fakeqmp.h"

/* One NVDIMM of 2 MiB at 4 GiB, as query-memory-devices puts it. */
#define NV_ADDR "4294967296"
#define NV_SIZE "2097152"
#define NVDIMMS \
	"{\"return\": [{\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/mem1\", " \
	"\"hotplugged\": false, \"addr\": " NV_ADDR ", \"hotpluggable\": true, \"size\": " NV_SIZE \
	", \"slot\": 0, \"node\": 0, \"id\": \"nv1\"}}]}"
#define STATUS(s) "{\"return\": {\"status\": \"" s "\", \"singlestep\": false, \"running\": false}}"
#define SIZES "{\"return\": {\"base-memory\": 134217728, \"plugged-memory\": " NV_SIZE "}}"
#define NO_OFFSET \
	"{\"error\": {\"class\": \"GenericError\", \"desc\": \"Property 'memory-backend-file.offset' not found\"}}"
#define TRUE_ "{\"return\": true}"
#define FALSE_ "{\"return\": false}"
#define PANICKED FQ_EVENT_AT("GUEST_PANICKED", "{\"action\": \"pause\"}", 1764450000, 250000)
#define RESUMED FQ_EVENT_AT("RESUME", "{}", 1764450003, 500000)
#define DUMPED FQ_EVENT("DUMP_COMPLETED", "{\"result\": {\"total\": 24, \"status\": \"completed\", \"completed\": 24}}")

/* The transcript lines of the queries the plan makes. */
#define T_START "qmp_capabilities\nquery-status\n"
#define T_DEVICES "query-memory-devices\n"
#define T_BACKEND \
	"qom-get {\"path\":\"/objects/mem1\",\"property\":\"mem-path\"}\n" \
	"qom-get {\"path\":\"/objects/mem1\",\"property\":\"share\"}\n" \
	"qom-get {\"path\":\"/objects/mem1\",\"property\":\"offset\"}\n"
#define T_SIZES "query-memory-size-summary\n"
#define T_GETFD "getfd {\"fdname\":\"pmemdump-vm\"} +fd\n"
#define T_DUMP_RAM "dump-guest-memory {\"paging\":false,\"protocol\":\"fd:pmemdump-vm\",\"begin\":0,\"length\":4294967296}\n"
#define T_DUMP_ALL "dump-guest-memory {\"paging\":false,\"protocol\":\"fd:pmemdump-vm\"}\n"

struct env {
	char *dir;
	char real[PATH_MAX];		/* dir without symbolic links */
	char dumpfile[PATH_MAX + 64];
	char mempath_reply[PATH_MAX + 96];
	struct fq_server server;
	struct vm_options opt;
	struct log_ctx log;
	char *msgs;			/* what the user saw */
	size_t msgs_len;
	int status;
	char *transcript;
};

static char *default_args[] = { "-l", "-d", "31" };

static void write_mdf(struct env *e, int exit_code)
{
	char script[4 * PATH_MAX], path[PATH_MAX + 64];

	/* makedumpfile's input is its last but one argument, the dump its last. */
	snprintf(script, sizeof(script),
		 "#!/bin/sh\n"
		 "echo makedumpfile >> '%s/transcript'\n"
		 "printf '%%s\\n' \"$@\" > '%s/mdf.argv'\n"
		 "eval in=\\${$(($# - 1))}\n"
		 "eval out=\\${$#}\n"
		 "cat \"$in\" > '%s/mdf.input' || exit 9\n"
		 "[ %d = 0 ] || exit %d\n"
		 "[ -e \"$out\" ] && exit 8\n"
		 "printf 'filtered\\n' > \"$out\"\n",
		 e->real, e->real, e->real, exit_code, exit_code);
	fake_write(e->dir, "makedumpfile", script);
	snprintf(path, sizeof(path), "%s/makedumpfile", e->dir);
	assert_int_equal(chmod(path, 0755), 0);
}

static void env_init(struct env *e, int mdf_exit)
{
	char path[PATH_MAX + 64];
	int fd;

	memset(e, 0, sizeof(*e));
	e->dir = fake_root_new();
	assert_non_null(realpath(e->dir, e->real));
	snprintf(e->dumpfile, sizeof(e->dumpfile), "%s/out.dump", e->real);
	/* The NVDIMM's backing file, sparse. */
	snprintf(path, sizeof(path), "%s/nvt.img", e->real);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 2 << 20), 0);
	close(fd);
	snprintf(e->mempath_reply, sizeof(e->mempath_reply), "{\"return\": \"%s/nvt.img\"}", e->real);
	fake_write(e->dir, "meminfo", "MemTotal:       2097152 kB\nMemFree:         10000 kB\n"
				      "MemAvailable:   1048576 kB\n");
	write_mdf(e, mdf_exit);

	e->opt.dumpfile = e->dumpfile;
	e->opt.mdf_args = default_args;
	e->opt.nr_mdf_args = 3;
	e->opt.timeout_ms = 5000;	/* a test never waits long */
	e->opt.after = VM_AFTER_AUTO;
	snprintf(path, sizeof(path), "%s/makedumpfile", e->real);
	e->opt.makedumpfile = strdup(path);
	snprintf(path, sizeof(path), "%s/meminfo", e->real);
	e->opt.meminfo = strdup(path);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Run pmemdump-vm on the fake QEMU; the transcript once QEMU is gone. */
static void run(struct env *e, const struct fq_step *script, const char *const *map, int want_server)
{
	int fds;
	FILE *msg;

	fq_start(&e->server, e->dir, NULL, script, map);
	e->opt.qmp_path = e->server.sock;
	log_init(&e->log, "pmemdump-vm");
	msg = open_memstream(&e->msgs, &e->msgs_len);
	assert_non_null(msg);
	e->log.msg = msg;
	fds = count_fds();
	e->status = vm_run(&e->opt, &e->log);
	/* Nothing of the unfiltered dump is left open. */
	assert_int_equal(count_fds(), fds);
	fclose(msg);
	assert_int_equal(fq_finish(&e->server), want_server);
	e->transcript = fq_transcript(&e->server);
}

static void env_free(struct env *e)
{
	free(e->msgs);
	free(e->transcript);
	free((char *)e->opt.makedumpfile);
	free((char *)e->opt.meminfo);
	log_destroy(&e->log);
	fake_root_free(e->dir);
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("'%s' not in:\n%s", part, text);
}

/*
 * makedumpfile's argv as it ran, with "/proc/self/fd/N" checked and
 * replaced by "/proc/self/fd/N" literally, so a test states it whole.
 */
static char *mdf_argv(struct env *e)
{
	char buf[8192], *fdline, *end;

	if (!fake_read(e->dir, "mdf.argv", buf, sizeof(buf)))
		return NULL;
	fdline = strstr(buf, "/proc/self/fd/");
	assert_non_null(fdline);
	fdline += strlen("/proc/self/fd/");
	assert_true(*fdline >= '0' && *fdline <= '9');
	strtol(fdline, &end, 10);
	assert_int_equal(*end, '\n');
	memmove(fdline + 1, end, strlen(end) + 1);
	*fdline = 'N';
	return strdup(buf);
}

static void assert_mdf_argv(struct env *e, const char *pmem_range)
{
	char want[4 * PATH_MAX], *got = mdf_argv(e), input[256];

	assert_non_null(got);
	snprintf(want, sizeof(want), "-l\n-d\n31\n%s%s/proc/self/fd/N\n%s\n", pmem_range,
		 pmem_range[0] ? "\n" : "", e->dumpfile);
	assert_string_equal(got, want);
	free(got);
	/* makedumpfile read, through the descriptor, what QEMU wrote into it. */
	assert_non_null(fake_read(e->dir, "mdf.input", input, sizeof(input)));
	assert_string_equal(input, FQ_ELF);
}

/* ------------------------------------------------------------ the modes */

/*
 * Backing mode, the panic awaited: QEMU dumps RAM only, makedumpfile runs
 * with the backing file while the guest is paused, then system_reset and
 * cont. The plan is made again after the wait. The pause runs from the
 * GUEST_PANICKED timestamp to RESUME's: 3.25 s.
 */
static void backing_after_panic(void **state)
{
	struct env e;
	char want[2 * PATH_MAX];

	(void)state;
	env_init(&e, 0);
	{
		const struct fq_step script[] = {
			{ "qmp_capabilities" },
			{ "query-status", STATUS("running") },
			{ "query-memory-devices", NVDIMMS },
			{ "qom-get", e.mempath_reply },
			{ "qom-get", TRUE_ },
			{ "qom-get", NO_OFFSET },
			{ "query-memory-size-summary", SIZES },
			{ NULL, NULL, FQ_EVENT("RTC_CHANGE", "{\"offset\": 0}") PANICKED, 0, 100 },
			{ "query-memory-devices", NVDIMMS },
			{ "qom-get", e.mempath_reply },
			{ "qom-get", TRUE_ },
			{ "qom-get", NO_OFFSET },
			{ "query-memory-size-summary", SIZES },
			{ "getfd" },
			{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
			{ "system_reset", NULL, FQ_EVENT("RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}") },
			{ "cont", NULL, RESUMED },
			{ 0 },
		};
		const char *const map[] = { "nvt.img", NULL };

		run(&e, script, map, 0);
	}
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript, T_START T_DEVICES T_BACKEND T_SIZES T_DEVICES T_BACKEND T_SIZES
					  T_GETFD T_DUMP_RAM "makedumpfile\nsystem_reset\ncont\n");
	snprintf(want, sizeof(want), "--pmem-range=0x100000000-0x100200000:%s/nvt.img", e.real);
	assert_mdf_argv(&e, want);
	assert_contains(e.msgs, "pmemdump-vm: QEMU 7.2.22 (pid ");
	snprintf(want, sizeof(want),
		 "pmemdump-vm: backing mode: QEMU dumps [0, 0x100000000); pmem nv1 [0x100000000, "
		 "0x100200000) from %s/nvt.img; the unfiltered dump takes about 160.0 MiB of RAM (memfd)\n",
		 e.real);
	assert_contains(e.msgs, want);
	assert_contains(e.msgs, "pmemdump-vm: waiting at most 5.0 s for the guest to panic (GUEST_PANICKED)\n");
	assert_contains(e.msgs, "pmemdump-vm: the guest panicked; QEMU paused it\n");
	assert_contains(e.msgs, "pmemdump-vm: dump-guest-memory wrote 23 B in ");
	assert_contains(e.msgs, "pmemdump-vm: restarting the guest: system_reset, cont\n");
	/* The plan did not change: said once. */
	assert_null(strstr(e.msgs, "changed while waiting"));
	assert_contains(e.msgs, "pmemdump-vm: backing mode: guest paused 3.25 s (dump-guest-memory ");
	assert_contains(e.msgs, " s, makedumpfile ");
	snprintf(want, sizeof(want), " s); %s: 9 B (9 bytes)\n", e.dumpfile);
	assert_contains(e.msgs, want);
	env_free(&e);
}

/*
 * --full on a guest found panicked, the dump in an O_TMPFILE file: QEMU
 * dumps everything, the guest is restarted, then makedumpfile filters
 * the range. No qom-get: the backing files do not matter. --tmpdir is
 * left empty.
 */
static void full_found_panicked(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("guest-panicked") },
		{ "query-memory-devices", NVDIMMS },
		{ "query-memory-size-summary", SIZES },
		{ "getfd" },
		{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
		{ "system_reset" },
		{ "cont", NULL, RESUMED },
		{ 0 },
	};
	char tmpdir[PATH_MAX + 64], buf[16];
	struct dirent *de;
	struct env e;
	DIR *d;

	(void)state;
	env_init(&e, 0);
	fake_mkdir(e.dir, "tmp");
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", e.real);
	e.opt.tmpdir = tmpdir;
	e.opt.full = true;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES T_GETFD T_DUMP_ALL
					  "system_reset\ncont\nmakedumpfile\n");
	assert_mdf_argv(&e, "--pmem-range=0x100000000-0x100200000");
	assert_contains(e.msgs, "pmemdump-vm: the guest has already panicked\n");
	/* 128 MiB + 2 MiB of pmem + 32 MiB. */
	assert_contains(e.msgs, "pmemdump-vm: full mode (--full): QEMU dumps all memory; makedumpfile "
				"filters pmem nv1 [0x100000000, 0x100200000); the unfiltered dump takes "
				"about 162.0 MiB in --tmpdir\n");
	assert_contains(e.msgs, "pmemdump-vm: dump-guest-memory into a private O_TMPFILE file\n");
	assert_contains(e.msgs, "pmemdump-vm: full mode: guest paused ");
	assert_contains(e.msgs, " s since it was found panicked (dump-guest-memory ");
	assert_contains(e.msgs, " s); makedumpfile ");
	assert_contains(e.msgs, " s after the guest resumed; ");
	assert_non_null(fake_read(e.dir, "out.dump", buf, sizeof(buf)));
	assert_string_equal(buf, "filtered\n");
	d = opendir(tmpdir);
	assert_non_null(d);
	while ((de = readdir(d)))
		assert_true(de->d_name[0] == '.');
	closedir(d);
	env_free(&e);
}

/*
 * share=off: backing is impossible, full mode by itself with the reason;
 * --now stops the running guest (the pause from STOP's timestamp), and
 * cont resumes it before makedumpfile runs.
 */
static void full_share_off_now(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", NVDIMMS },
		{ "qom-get", "{\"return\": \"nvt.img\"}" },
		{ "qom-get", FALSE_ },
		{ "query-memory-size-summary", SIZES },
		{ "stop", NULL, FQ_EVENT_AT("STOP", "{}", 1764450002, 0) },
		{ "getfd" },
		{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
		{ "cont", NULL, RESUMED },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	e.opt.now = true;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript,
			    T_START T_DEVICES
			    "qom-get {\"path\":\"/objects/mem1\",\"property\":\"mem-path\"}\n"
			    "qom-get {\"path\":\"/objects/mem1\",\"property\":\"share\"}\n"
			    T_SIZES "stop\n" T_GETFD T_DUMP_ALL "cont\nmakedumpfile\n");
	assert_mdf_argv(&e, "--pmem-range=0x100000000-0x100200000");
	assert_contains(e.msgs, "pmemdump-vm: full mode (NVDIMM nv1: its backend has share=off: the guest's "
				"writes do not reach nvt.img): QEMU dumps all memory; makedumpfile filters pmem "
				"nv1 [0x100000000, 0x100200000); the unfiltered dump takes about 162.0 MiB of "
				"RAM (memfd)\n");
	assert_contains(e.msgs, "pmemdump-vm: stopped the guest (--now)\n");
	assert_contains(e.msgs, "pmemdump-vm: resuming the guest: cont\n");
	/* STOP at ...02.000000, RESUME at ...03.500000. */
	assert_contains(e.msgs, "pmemdump-vm: full mode: guest paused 1.50 s (dump-guest-memory ");
	env_free(&e);
}

/*
 * A relative mem-path, found from QEMU's working directory (the fake
 * QEMU runs in the test folder and maps the file); --now and --after
 * pause: no cont, and the pause is "so far".
 */
static void backing_relative_left_paused(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", NVDIMMS },
		{ "qom-get", "{\"return\": \"nvt.img\"}" },
		{ "qom-get", TRUE_ },
		{ "qom-get", "{\"return\": 0}" },
		{ "query-memory-size-summary", SIZES },
		{ "stop" },
		{ "getfd" },
		{ "dump-guest-memory", NULL, NULL, FQ_WRITE_ELF },
		{ 0 },
	};
	const char *const map[] = { "nvt.img", NULL };
	char want[2 * PATH_MAX];
	struct env e;

	(void)state;
	env_init(&e, 0);
	e.opt.now = true;
	e.opt.after = VM_AFTER_PAUSE;
	run(&e, script, map, 0);
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript, T_START T_DEVICES T_BACKEND T_SIZES "stop\n" T_GETFD T_DUMP_RAM
					  "makedumpfile\n");
	snprintf(want, sizeof(want), "--pmem-range=0x100000000-0x100200000:%s/nvt.img", e.real);
	assert_mdf_argv(&e, want);
	assert_contains(e.msgs, "pmemdump-vm: leaving the guest paused (--after pause): QMP cont resumes it\n");
	assert_contains(e.msgs, "pmemdump-vm: backing mode: guest paused ");
	assert_contains(e.msgs, " s so far, left paused (dump-guest-memory ");
	env_free(&e);
}

/* ------------------------------------------------------------ failures */

/* QEMU refuses the dump: its desc is the error, the guest is restarted. */
static void dump_refused(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("guest-panicked") },
		{ "query-memory-devices", NVDIMMS },
		{ "query-memory-size-summary", SIZES },
		{ "getfd" },
		{ "dump-guest-memory",
		  "{\"error\": {\"class\": \"GenericError\", \"desc\": \"dump: failed to save memory: No space left on device\"}}" },
		{ "closefd", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"File descriptor named 'pmemdump-vm' not found\"}}" },
		{ "system_reset" },
		{ "cont", NULL, RESUMED },
		{ 0 },
	};
	char buf[16];
	struct env e;

	(void)state;
	env_init(&e, 0);
	e.opt.full = true;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log),
			    "QEMU refused dump-guest-memory: dump: failed to save memory: No space left on device");
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES T_GETFD T_DUMP_ALL
					  "closefd {\"fdname\":\"pmemdump-vm\"}\nsystem_reset\ncont\n");
	assert_null(fake_read(e.dir, "mdf.argv", buf, sizeof(buf)));
	assert_null(fake_read(e.dir, "out.dump", buf, sizeof(buf)));
	assert_contains(e.msgs, "pmemdump-vm: the dump failed; the guest is let go all the same (--after reset)\n");
	assert_contains(e.msgs, "(dump-guest-memory failed); makedumpfile not run; no dump written\n");
	env_free(&e);
}

/* makedumpfile fails in backing mode: the guest is restarted all the same. */
static void filter_fails(void **state)
{
	struct env e;
	char buf[16];

	(void)state;
	env_init(&e, 3);
	{
		const struct fq_step script[] = {
			{ "qmp_capabilities" },
			{ "query-status", STATUS("guest-panicked") },
			{ "query-memory-devices", NVDIMMS },
			{ "qom-get", e.mempath_reply },
			{ "qom-get", TRUE_ },
			{ "qom-get", NO_OFFSET },
			{ "query-memory-size-summary", SIZES },
			{ "getfd" },
			{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
			{ "system_reset" },
			{ "cont" },
			{ 0 },
		};
		const char *const map[] = { "nvt.img", NULL };

		run(&e, script, map, 0);
	}
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log), "makedumpfile exited with status 3");
	assert_string_equal(e.transcript, T_START T_DEVICES T_BACKEND T_SIZES T_GETFD T_DUMP_RAM
					  "makedumpfile\nsystem_reset\ncont\n");
	assert_contains(e.msgs, "pmemdump-vm: makedumpfile failed; the guest is let go all the same (--after reset)\n");
	assert_contains(e.msgs, "pmemdump-vm: restarting the guest: system_reset, cont\n");
	assert_contains(e.msgs, " s); no dump written\n");
	assert_null(fake_read(e.dir, "out.dump", buf, sizeof(buf)));
	env_free(&e);
}

/* QEMU goes away while we wait for the panic: an error line, no hang. */
static void eof_while_waiting(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", "{\"return\": []}" },
		{ "query-memory-size-summary", SIZES },
		{ NULL, NULL, FQ_EVENT("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-signal\"}"), FQ_CLOSE, 50 },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	e.opt.timeout_ms = -1;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log), "QEMU closed the QMP connection");
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES);
	assert_contains(e.msgs, "pmemdump-vm: full mode: the guest has no NVDIMM; the unfiltered dump takes about 160.0 MiB");
	assert_contains(e.msgs, "pmemdump-vm: waiting for the guest to panic (GUEST_PANICKED)\n");
	env_free(&e);
}

/* DUMPFILE exists: refused before QEMU is even asked. */
static void dumpfile_exists(void **state)
{
	static const struct fq_step script[] = { { 0 } };
	struct env e;
	char want[2 * PATH_MAX], *t;

	(void)state;
	env_init(&e, 0);
	fake_write(e.dir, "out.dump", "an older dump\n");
	fq_start(&e.server, e.dir, NULL, script, NULL);
	e.opt.qmp_path = e.server.sock;
	log_init(&e.log, "pmemdump-vm");
	e.log.msg = stderr;
	assert_int_equal(vm_run(&e.opt, &e.log), 1);
	fq_kill(&e.server);
	snprintf(want, sizeof(want), "%s exists: pmemdump-vm never overwrites a dump", e.dumpfile);
	assert_string_equal(log_error_text(&e.log), want);
	t = fq_transcript(&e.server);
	assert_string_equal(t, "");
	free(t);
	assert_string_equal(fake_read(e.dir, "out.dump", want, sizeof(want)), "an older dump\n");
	env_free(&e);
}

static void panic_timeout(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", "{\"return\": []}" },
		{ "query-memory-size-summary", SIZES },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	e.opt.timeout_ms = 200;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log), "the guest did not panic within 0.2 s (--timeout)");
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES);
	env_free(&e);
}

/* QEMU pauses on panic only with -action panic=pause: said so. */
static void panic_not_paused(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", "{\"return\": []}" },
		{ "query-memory-size-summary", SIZES },
		{ NULL, NULL, FQ_EVENT("GUEST_PANICKED", "{\"action\": \"poweroff\"}"), 0, 10 },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log), "the guest panicked but QEMU did not pause it "
						    "(action 'poweroff'): start QEMU with -action panic=pause");
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES);
	env_free(&e);
}

/* No room for a memfd: refused before the running guest is stopped. */
static void no_room(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("running") },
		{ "query-memory-devices", NVDIMMS },
		{ "query-memory-size-summary", SIZES },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	fake_write(e.dir, "meminfo", "MemTotal:       2097152 kB\nMemAvailable:      1000 kB\n");
	e.opt.now = true;
	e.opt.full = true;
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 1);
	assert_string_equal(log_error_text(&e.log),
			    "the unfiltered dump needs about 162.0 MiB and only 1000.0 KiB of RAM is available "
			    "for a memfd: use --tmpdir DIR on a file system with room");
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES);
	env_free(&e);
}

/*
 * QEMU with -no-reboot quits on system_reset: not a failure. No NVDIMM:
 * full mode without any --pmem-range.
 */
static void no_reboot_no_nvdimm(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status", STATUS("guest-panicked") },
		{ "query-memory-devices", "{\"return\": []}" },
		{ "query-memory-size-summary", SIZES },
		{ "getfd" },
		{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
		{ "system_reset", NULL, FQ_EVENT("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}"), FQ_CLOSE },
		{ 0 },
	};
	struct env e;

	(void)state;
	env_init(&e, 0);
	run(&e, script, NULL, 0);
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES T_GETFD T_DUMP_ALL
					  "system_reset\nmakedumpfile\n");
	assert_mdf_argv(&e, "");
	assert_contains(e.msgs, "pmemdump-vm: QEMU quit on system_reset (it runs with -no-reboot): the guest "
				"is not restarted\n");
	assert_contains(e.msgs, "pmemdump-vm: full mode: guest paused ");
	env_free(&e);
}

/* The devices changed while we waited: the new plan is said and used. */
static void replanned(void **state)
{
	struct env e;
	char want[2 * PATH_MAX];

	(void)state;
	env_init(&e, 0);
	{
		const struct fq_step script[] = {
			{ "qmp_capabilities" },
			{ "query-status", STATUS("running") },
			{ "query-memory-devices", "{\"return\": []}" },
			{ "query-memory-size-summary", SIZES },
			{ NULL, NULL, PANICKED, 0, 10 },
			{ "query-memory-devices", NVDIMMS },
			{ "qom-get", e.mempath_reply },
			{ "qom-get", TRUE_ },
			{ "qom-get", NO_OFFSET },
			{ "query-memory-size-summary", SIZES },
			{ "getfd" },
			{ "dump-guest-memory", NULL, DUMPED, FQ_WRITE_ELF },
			{ "system_reset" },
			{ "cont" },
			{ 0 },
		};
		const char *const map[] = { "nvt.img", NULL };

		run(&e, script, map, 0);
	}
	assert_int_equal(e.status, 0);
	assert_string_equal(e.transcript, T_START T_DEVICES T_SIZES T_DEVICES T_BACKEND T_SIZES T_GETFD
					  T_DUMP_RAM "makedumpfile\nsystem_reset\ncont\n");
	snprintf(want, sizeof(want), "pmemdump-vm: the memory devices changed while waiting: backing mode");
	assert_contains(e.msgs, want);
	snprintf(want, sizeof(want), "--pmem-range=0x100000000-0x100200000:%s/nvt.img", e.real);
	assert_mdf_argv(&e, want);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backing_after_panic),
		cmocka_unit_test(full_found_panicked),
		cmocka_unit_test(full_share_off_now),
		cmocka_unit_test(backing_relative_left_paused),
		cmocka_unit_test(dump_refused),
		cmocka_unit_test(filter_fails),
		cmocka_unit_test(eof_while_waiting),
		cmocka_unit_test(dumpfile_exists),
		cmocka_unit_test(panic_timeout),
		cmocka_unit_test(panic_not_paused),
		cmocka_unit_test(no_room),
		cmocka_unit_test(no_reboot_no_nvdimm),
		cmocka_unit_test(replanned),
	};

	/* The fake makedumpfile's output must not mix with cmocka's. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
