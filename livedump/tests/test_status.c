// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The status as the kernel prints it (kernel/livedump.c: status_show),
 * parsed, printed for a person and as JSON; --buffer sizes; the words of
 * --filter. Every expected value is written by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/filter.h"
#include "src/status.h"
#include "src/sysfs_ctl.h"
#include "util/tests/fakeroot.h"

/* A dump that failed half way, as status_show prints it, and two keys of a newer kernel. */
static const char failed_status[] =
	"state=failed\n"
	"reason=copy buffer full\n"
	"target=/var/crash/live.elf\n"
	"buffer_pages=12288\n"
	"pages_ram=262144\n"
	"pages_stop=1000\n"
	"pages_fault=12288\n"
	"pages_sweep=100000\n"
	"pages_unprotected=12\n"
	"pages_lost=3\n"
	"pages_excluded=2048\n"
	"pages_left=146793\n"
	"buffer_max_used=12288\n"
	"splits=7\n"
	"write_errors=0\n"
	"stop_need=1000\n"
	"setup_splits=3\n"
	"pages_pmem=64\n"
	"stop_us=850\n"
	"stop_machine_us=1200\n"
	"total_ms=4321\n"
	"pmem_namespaces=2\n"
	"pmem_note=fsdax only\n";

struct env {
	char *dir;
	struct log_ctx log;
	struct ld_status st;
};

static void parse_text(struct env *e, const char *text, int want)
{
	struct kvfile_map map;

	memset(e, 0, sizeof(*e));
	e->dir = fake_root_new();
	log_init(&e->log, "livedump");
	fake_write(e->dir, "status", text);
	assert_int_equal(kvfile_read(&map, e->dir, "/status", &e->log), 0);
	assert_int_equal(ld_status_parse(&e->st, &map, &e->log), want);
}

static void env_free(struct env *e)
{
	ld_status_free(&e->st);
	log_destroy(&e->log);
	fake_root_free(e->dir);
}

static void parse_all_keys(void **state)
{
	struct env e;
	double pct;

	parse_text(&e, failed_status, 0);
	assert_int_equal(e.st.state, LD_STATE_FAILED);
	assert_string_equal(e.st.state_name, "failed");
	assert_string_equal(e.st.reason, "copy buffer full");
	assert_string_equal(e.st.target, "/var/crash/live.elf");
	assert_int_equal(e.st.have, (1u << LD_NR_COUNTS) - 1);
	assert_int_equal(e.st.count[LD_BUFFER_PAGES], 12288);
	assert_int_equal(e.st.count[LD_PAGES_RAM], 262144);
	assert_int_equal(e.st.count[LD_PAGES_LEFT], 146793);
	assert_int_equal(e.st.count[LD_PAGES_PMEM], 64);
	assert_int_equal(e.st.count[LD_STOP_MACHINE_US], 1200);
	assert_int_equal(e.st.count[LD_TOTAL_MS], 4321);
	/* Unknown keys kept, in order, as they came. */
	assert_int_equal(e.st.nr_extra, 2);
	assert_string_equal(e.st.extra[0].key, "pmem_namespaces");
	assert_string_equal(e.st.extra[0].value, "2");
	assert_string_equal(e.st.extra[1].key, "pmem_note");
	assert_string_equal(e.st.extra[1].value, "fsdax only");
	/* (262144 - 146793) / 262144 = 44.0029... % */
	assert_true(ld_status_progress(&e.st, &pct));
	assert_true(pct > 44.002 && pct < 44.004);
	/* 8192 + (262144 + 64) * 4096 */
	assert_int_equal(ld_status_image_bytes(&e.st, 8192), 1074012160ULL);
	assert_true(ld_state_ended(e.st.state));
	assert_false(ld_state_active(e.st.state));
	env_free(&e);
}

/* Before the first dump the kernel prints state and reason only. */
static void parse_idle(void **state)
{
	struct env e;
	double pct;

	parse_text(&e, "state=idle\nreason=\n", 0);
	assert_int_equal(e.st.state, LD_STATE_IDLE);
	assert_string_equal(e.st.reason, "");
	assert_null(e.st.target);
	assert_int_equal(e.st.have, 0);
	assert_int_equal(e.st.nr_extra, 0);
	assert_false(ld_status_progress(&e.st, &pct));
	assert_int_equal(ld_status_image_bytes(&e.st, 8192), 0);
	assert_false(ld_state_active(e.st.state));
	assert_false(ld_state_ended(e.st.state));
	env_free(&e);
}

/* Some counts missing (an older kernel, say): not known, never 0. */
static void parse_missing_keys(void **state)
{
	struct env e;
	double pct;

	parse_text(&e, "state=running\nreason=\npages_ram=1000\n", 0);
	assert_int_equal(e.st.state, LD_STATE_RUNNING);
	assert_true(ld_status_has(&e.st, LD_PAGES_RAM));
	assert_false(ld_status_has(&e.st, LD_PAGES_LEFT));
	assert_false(ld_status_progress(&e.st, &pct));
	assert_true(ld_state_active(e.st.state));
	env_free(&e);
}

static void parse_bad(void **state)
{
	struct env e;

	parse_text(&e, "reason=\npages_ram=1\n", -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&e.log), "live dump status: no state line");
	env_free(&e);
	parse_text(&e, "state=running\npages_left=12x\n", -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&e.log), "live dump status: pages_left=12x is not a number");
	env_free(&e);
	/* A state of a newer kernel: parsed, not known. */
	parse_text(&e, "state=draining\nreason=\n", 0);
	assert_int_equal(e.st.state, LD_STATE_UNKNOWN);
	assert_string_equal(e.st.state_name, "draining");
	env_free(&e);
}

static char *printed(const struct ld_status *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	ld_status_print(f, st);
	fclose(f);
	return text;
}

static void print_human(void **state)
{
	struct env e;
	char *text;

	parse_text(&e, failed_status, 0);
	text = printed(&e.st);
	assert_string_equal(text,
		"state:        failed\n"
		"reason:       copy buffer full\n"
		"target:       /var/crash/live.elf\n"
		"progress:     44.0 % (146793 of 262144 pages left)\n"
		"pages:        stop 1000, fault 12288, sweep 100000, unprotected 12, lost 3, excluded 2048\n"
		"pmem pages:   64 (memmaps, beside the RAM)\n"
		"buffer:       12288 pages (48 MiB), 12288 used at most (100.0 %)\n"
		"stop:         850 us (stop_machine 1200 us), 1000 pages to copy in it\n"
		"splits:       7 on write faults, 3 at setup\n"
		"write errors: 0\n"
		"total:        4321 ms\n"
		"pmem_namespaces: 2\n"
		"pmem_note: fsdax only\n");
	free(text);
	env_free(&e);

	parse_text(&e, "state=idle\nreason=\n", 0);
	text = printed(&e.st);
	assert_string_equal(text, "state:        idle\n");
	free(text);
	env_free(&e);

	/* While it runs total_ms is 0 and not shown. */
	parse_text(&e, "state=running\nreason=\npages_ram=200\npages_left=50\ntotal_ms=0\n", 0);
	text = printed(&e.st);
	assert_string_equal(text, "state:        running\n"
				  "progress:     75.0 % (50 of 200 pages left)\n");
	free(text);
	env_free(&e);
}

static void json_output(void **state)
{
	struct json_object *o, *v;
	struct env e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	parse_text(&e, failed_status, 0);
	f = open_memstream(&text, &len);
	assert_int_equal(ld_json_print(f, ld_status_json(&e.st)), 0);
	fclose(f);
	/* Slashes are not escaped, the percent has one decimal. */
	assert_non_null(strstr(text, "\"target\":\"/var/crash/live.elf\""));
	assert_non_null(strstr(text, "\"progress_percent\":44.0,"));
	/* Read back: the kernel's keys, numbers as numbers. */
	o = json_tokener_parse(text);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "state", &v));
	assert_string_equal(json_object_get_string(v), "failed");
	assert_true(json_object_object_get_ex(o, "reason", &v));
	assert_string_equal(json_object_get_string(v), "copy buffer full");
	assert_true(json_object_object_get_ex(o, "pages_ram", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 262144);
	assert_true(json_object_object_get_ex(o, "stop_machine_us", &v));
	assert_int_equal(json_object_get_int64(v), 1200);
	assert_true(json_object_object_get_ex(o, "pmem_namespaces", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 2);
	assert_true(json_object_object_get_ex(o, "pmem_note", &v));
	assert_string_equal(json_object_get_string(v), "fsdax only");
	/* 3 strings, the percent, 18 counts, 2 unknown keys. */
	assert_int_equal(json_object_object_length(o), 24);
	json_object_put(o);
	free(text);
	env_free(&e);

	/* Idle: no reason, no counts. */
	parse_text(&e, "state=idle\nreason=\n", 0);
	o = ld_status_json(&e.st);
	assert_int_equal(json_object_object_length(o), 1);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"state\":\"idle\"}");
	json_object_put(o);
	env_free(&e);
}

static void buffer_sizes(void **state)
{
	uint64_t mb = 0;

	assert_int_equal(ld_parse_buffer_mb("512", &mb), 0);
	assert_int_equal(mb, 512);
	assert_int_equal(ld_parse_buffer_mb("64M", &mb), 0);
	assert_int_equal(mb, 64);
	assert_int_equal(ld_parse_buffer_mb("2g", &mb), 0);
	assert_int_equal(mb, 2048);
	assert_int_equal(ld_parse_buffer_mb("1GiB", &mb), 0);
	assert_int_equal(mb, 1024);
	assert_int_equal(ld_parse_buffer_mb("1T", &mb), 0);
	assert_int_equal(mb, 1048576);
	/* KiB rounded up to whole MiB. */
	assert_int_equal(ld_parse_buffer_mb("1500K", &mb), 0);
	assert_int_equal(mb, 2);
	assert_int_equal(ld_parse_buffer_mb("1024KB", &mb), 0);
	assert_int_equal(mb, 1);
	assert_int_equal(ld_parse_buffer_mb("1K", &mb), 0);
	assert_int_equal(mb, 1);
	assert_int_equal(ld_parse_buffer_mb("0", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("-1M", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("12X", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("12MB ", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("1.5G", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("99999999999999999999", &mb), -PMD_EINVAL);
	assert_int_equal(ld_parse_buffer_mb("17179869184T", &mb), -PMD_EINVAL);
}

static void filter_words(void **state)
{
	struct log_ctx log;
	char **w;
	size_t n;

	log_init(&log, "livedump");
	assert_int_equal(ld_split_words("  -l  -d 31 ", &w, &n, &log), 0);
	assert_int_equal(n, 3);
	assert_string_equal(w[0], "-l");
	assert_string_equal(w[1], "-d");
	assert_string_equal(w[2], "31");
	assert_null(w[3]);
	ld_free_words(w);
	assert_int_equal(ld_split_words("--message-level '1 3' a\\ b \"$HOME\"", &w, &n, &log), 0);
	assert_int_equal(n, 4);
	assert_string_equal(w[1], "1 3");
	assert_string_equal(w[2], "a b");
	assert_string_equal(w[3], "$HOME");	/* never expanded */
	ld_free_words(w);
	assert_int_equal(ld_split_words("", &w, &n, &log), 0);
	assert_int_equal(n, 0);
	assert_null(w[0]);
	ld_free_words(w);
	assert_int_equal(ld_split_words("-l 'open", &w, &n, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log), "--filter: an unclosed ' quote");
	assert_null(w);
	log_clear_error(&log);
	assert_int_equal(ld_split_words("-d 31 -lF", &w, &n, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "--filter: -lF writes to standard output; the dump goes to FILE (-o)");
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_all_keys),
		cmocka_unit_test(parse_idle),
		cmocka_unit_test(parse_missing_keys),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(print_human),
		cmocka_unit_test(json_output),
		cmocka_unit_test(buffer_sizes),
		cmocka_unit_test(filter_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
