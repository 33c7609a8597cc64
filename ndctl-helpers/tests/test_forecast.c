// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `pmem-kdump forecast`: the --mem-usage report of our makedumpfile
 * (makedumpfile/src/report.c's layout) parsed, the three settings'
 * arithmetic with the values worked out here by hand, and the command
 * on a saved tree whose makedumpfile prints that report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "src/cmd.h"
#include "src/forecast.h"
#include "src/namespace.h"
#include "util/tests/fakeroot.h"

/*
 * A report as our makedumpfile prints it for a guest with 1 GiB of RAM
 * and two map=dev namespaces (2044 metadata pages) on 2 GiB of pmem.
 */
#define REPORT \
	"\n" \
	"TYPE\t\tPAGES\t\t\tEXCLUDABLE\tDESCRIPTION\n" \
	"----------------------------------------------------------------------\n" \
	"ZERO\t\t51234           \tyes\t\tPages filled with zero\n" \
	"NON_PRI_CACHE\t40000           \tyes\t\tCache pages without private flag\n" \
	"PRI_CACHE\t1200            \tyes\t\tCache pages with private flag\n" \
	"USER\t\t9000            \tyes\t\tUser process pages\n" \
	"FREE\t\t130000          \tyes\t\tFree pages\n" \
	"KERN_DATA\t30000           \tno\t\tDumpable kernel data \n" \
	"PMEM_META\t2044            \tby -d 32\tpmem metadata (struct pages on the device)\n" \
	"PMEM_USER\t522244          \tyes\t\tpmem user data, unless --pmem-userdata\n" \
	"\n" \
	"page size:\t\t4096            \n" \
	"Total pages on system:\t261434          \n" \
	"Total size on system:\t1070833664       Byte\n" \
	"pmem pages on system:\t524288          \n" \
	"Dump size at -d 31:\t131252224        Byte (kernel data and pmem metadata)\n"

/* The same without pmem: makedumpfile 1.7.2's lines only. */
#define REPORT_NO_PMEM \
	"TYPE\t\tPAGES\t\t\tEXCLUDABLE\tDESCRIPTION\n" \
	"ZERO\t\t10              \tyes\t\tPages filled with zero\n" \
	"NON_PRI_CACHE\t20              \tyes\t\tCache pages without private flag\n" \
	"PRI_CACHE\t30              \tyes\t\tCache pages with private flag\n" \
	"USER\t\t40              \tyes\t\tUser process pages\n" \
	"FREE\t\t50              \tyes\t\tFree pages\n" \
	"KERN_DATA\t60              \tno\t\tDumpable kernel data \n" \
	"\n" \
	"page size:\t\t4096            \n" \
	"Total pages on system:\t210             \n" \
	"Total size on system:\t860160           Byte\n"

static void parse_report(void **state)
{
	struct pk_mem_usage u;
	struct log_ctx log;

	(void)state;
	log_init(&log, "pmem-kdump");
	assert_int_equal(pk_mem_usage_parse(REPORT, &u, &log), 0);
	assert_int_equal(u.page_size, 4096);
	assert_int_equal(u.zero, 51234);
	assert_int_equal(u.cache, 40000);
	assert_int_equal(u.cache_private, 1200);
	assert_int_equal(u.user, 9000);
	assert_int_equal(u.free, 130000);
	assert_int_equal(u.kern_data, 30000);
	assert_true(u.pmem);
	assert_int_equal(u.pmem_meta, 2044);
	assert_int_equal(u.pmem_user, 522244);
	assert_int_equal(u.total_pages, 261434);
	assert_int_equal(u.dump_size_31, 131252224);
	log_destroy(&log);
}

/*
 * RAM kept at -d 31: KERN_DATA, 30000 * 4096 = 122880000 bytes.
 * Metadata: 2044 * 4096 = 8372224. User data: 522244 * 4096 = 2139111424.
 */
static void arithmetic(void **state)
{
	struct pk_forecast_row rows[PK_FC_NR];
	struct pk_mem_usage u;
	struct log_ctx log;

	(void)state;
	log_init(&log, "pmem-kdump");
	assert_int_equal(pk_mem_usage_parse(REPORT, &u, &log), 0);
	pk_forecast(&u, rows);
	assert_string_equal(rows[PK_FC_DEFAULT].setting, "default");
	assert_string_equal(rows[PK_FC_DEFAULT].args, "-d 31");
	assert_int_equal(rows[PK_FC_DEFAULT].ram, 122880000);
	assert_int_equal(rows[PK_FC_DEFAULT].pmem_meta, 8372224);
	assert_int_equal(rows[PK_FC_DEFAULT].pmem_user, 0);
	assert_int_equal(rows[PK_FC_DEFAULT].total, 131252224);
	/* The default is what the report's own "Dump size at -d 31" says. */
	assert_int_equal(rows[PK_FC_DEFAULT].total, u.dump_size_31);
	assert_string_equal(rows[PK_FC_D63].setting, "-d 63");
	assert_int_equal(rows[PK_FC_D63].ram, 122880000);
	assert_int_equal(rows[PK_FC_D63].pmem_meta, 0);
	assert_int_equal(rows[PK_FC_D63].pmem_user, 0);
	assert_int_equal(rows[PK_FC_D63].total, 122880000);
	assert_string_equal(rows[PK_FC_USERDATA].setting, "--pmem-userdata");
	assert_string_equal(rows[PK_FC_USERDATA].args, "-d 31 --pmem-userdata");
	assert_int_equal(rows[PK_FC_USERDATA].ram, 122880000);
	assert_int_equal(rows[PK_FC_USERDATA].pmem_meta, 8372224);
	assert_int_equal(rows[PK_FC_USERDATA].pmem_user, 2139111424);
	assert_int_equal(rows[PK_FC_USERDATA].total, 2270363648);
	log_destroy(&log);
}

static void no_pmem(void **state)
{
	struct pk_forecast_row rows[PK_FC_NR];
	struct pk_mem_usage u;
	struct log_ctx log;

	(void)state;
	log_init(&log, "pmem-kdump");
	assert_int_equal(pk_mem_usage_parse(REPORT_NO_PMEM, &u, &log), 0);
	assert_false(u.pmem);
	pk_forecast(&u, rows);
	for (int i = 0; i < PK_FC_NR; i++) {
		assert_int_equal(rows[i].ram, 60 * 4096);
		assert_int_equal(rows[i].total, 60 * 4096);
	}
	log_destroy(&log);
}

static void bad_reports(void **state)
{
	static const char *const bad[] = {
		"",
		/* No KERN_DATA line. */
		"ZERO\t\t1\nNON_PRI_CACHE\t1\nPRI_CACHE\t1\nUSER\t\t1\nFREE\t\t1\n"
		"page size:\t\t4096\nTotal pages on system:\t5\n",
		/* A page size that is no power of two. */
		"ZERO\t\t1\nNON_PRI_CACHE\t1\nPRI_CACHE\t1\nUSER\t\t1\nFREE\t\t1\nKERN_DATA\t1\n"
		"page size:\t\t4000\nTotal pages on system:\t5\n",
		/* PMEM_META alone. */
		"ZERO\t\t1\nNON_PRI_CACHE\t1\nPRI_CACHE\t1\nUSER\t\t1\nFREE\t\t1\nKERN_DATA\t1\n"
		"PMEM_META\t3\npage size:\t\t4096\nTotal pages on system:\t5\n",
		/* A number that is not one. */
		"ZERO\t\t1x\nNON_PRI_CACHE\t1\nPRI_CACHE\t1\nUSER\t\t1\nFREE\t\t1\nKERN_DATA\t1\n"
		"page size:\t\t4096\nTotal pages on system:\t5\n",
	};
	struct pk_mem_usage u;
	struct log_ctx log;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		log_init(&log, "pmem-kdump");
		assert_int_equal(pk_mem_usage_parse(bad[i], &u, &log), -PMD_ECORRUPT);
		assert_true(strstr(log_error_text(&log), "--mem-usage report") != NULL);
		log_destroy(&log);
	}
}

/* ------------------------------------------------ the command, on a tree */

struct cmd_run {
	int status;
	char *out;
	struct log_ctx log;
};

static void run_forecast(struct cmd_run *r, const char *root, const char *opt)
{
	static struct pk_table empty;
	struct pk_backend be = { .ops = &pk_table_ops, .priv = &empty };
	struct pk_cmd_env env = { .backend = &be };
	char rootopt[PATH_MAX + 16];
	char *argv[4] = { "forecast", rootopt, (char *)opt, NULL };
	size_t size;

	snprintf(rootopt, sizeof(rootopt), "--sysroot=%s", root);
	log_init(&r->log, "pmem-kdump");
	env.log = &r->log;
	env.out = open_memstream(&r->out, &size);
	assert_non_null(env.out);
	r->status = pk_cmd_forecast(opt ? 3 : 2, argv, &env);
	fclose(env.out);
}

static void write_exec(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX];

	fake_write(root, rel, text);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(chmod(path, 0755), 0);
}

/* Ours: -v prints its version, --mem-usage the saved report (on kcore $2). */
#define MDF_SCRIPT \
	"#!/bin/sh\n" \
	"case \"$1\" in\n" \
	"-v) echo 'makedumpfile (pmemdump) 0.1' ;;\n" \
	"--mem-usage) [ \"${2##*/}\" = kcore ] || exit 2; cat <<'EOF'\n" REPORT "EOF\n" \
	";;\n" \
	"esac\n"

static void cmd_json(void **state)
{
	char *root = fake_root_new();
	struct json_object *j, *arr, *row, *v;
	struct cmd_run r;

	(void)state;
	write_exec(root, "usr/sbin/makedumpfile", MDF_SCRIPT);
	run_forecast(&r, root, "-j");
	assert_int_equal(r.status, PK_EXIT_OK);
	j = json_tokener_parse(r.out);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "page_size", &v));
	assert_int_equal(json_object_get_int64(v), 4096);
	assert_true(json_object_object_get_ex(j, "forecast", &arr));
	assert_int_equal(json_object_array_length(arr), 3);
	row = json_object_array_get_idx(arr, 2);
	assert_true(json_object_object_get_ex(row, "setting", &v));
	assert_string_equal(json_object_get_string(v), "--pmem-userdata");
	assert_true(json_object_object_get_ex(row, "ram_bytes", &v));
	assert_int_equal(json_object_get_int64(v), 122880000);
	assert_true(json_object_object_get_ex(row, "pmem_metadata_bytes", &v));
	assert_int_equal(json_object_get_int64(v), 8372224);
	assert_true(json_object_object_get_ex(row, "pmem_userdata_bytes", &v));
	assert_int_equal(json_object_get_int64(v), 2139111424);
	assert_true(json_object_object_get_ex(row, "total_bytes", &v));
	assert_int_equal(json_object_get_int64(v), 2270363648);
	json_object_put(j);
	free(r.out);
	log_destroy(&r.log);

	/* The table: one line per setting, sizes in IEC units. */
	run_forecast(&r, root, NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	assert_string_equal(r.out,
		"setting          makedumpfile               RAM kept  pmem metadata  pmem user data        total\n"
		"default          -d 31                    117.19 MiB       7.98 MiB             0 B   125.17 MiB\n"
		"-d 63            -d 63                    117.19 MiB            0 B             0 B   117.19 MiB\n"
		"--pmem-userdata  -d 31 --pmem-userdata    117.19 MiB       7.98 MiB        1.99 GiB     2.11 GiB\n"
		"Uncompressed sizes; --pmem-userdata: at most (its pages are filtered by -d as RAM is).\n");
	free(r.out);
	log_destroy(&r.log);
	fake_root_free(root);
}

static void cmd_errors(void **state)
{
	char *root = fake_root_new();
	struct cmd_run r;

	(void)state;
	/* Debian's makedumpfile: its --mem-usage knows no pmem. */
	write_exec(root, "usr/bin/makedumpfile",
		   "#!/bin/sh\necho 'makedumpfile: version 1.7.2 (released on 20 Oct 2022)'\n");
	run_forecast(&r, root, NULL);
	assert_int_equal(r.status, PK_EXIT_FAIL);
	assert_string_equal(log_error_text(&r.log),
			    "/usr/bin/makedumpfile (makedumpfile: version 1.7.2 (released on 20 Oct "
			    "2022)) is not pmemdump's makedumpfile: its --mem-usage does not count pmem");
	free(r.out);
	log_destroy(&r.log);
	/* Ours, failing (not root): its last line is the error. */
	fake_unlink(root, "usr/bin/makedumpfile");
	write_exec(root, "usr/sbin/makedumpfile",
		   "#!/bin/sh\n[ \"$1\" = -v ] && { echo 'makedumpfile (pmemdump) 0.1'; exit 0; }\n"
		   "echo 'makedumpfile: cannot open /proc/kcore: Permission denied'; exit 1\n");
	run_forecast(&r, root, NULL);
	assert_int_equal(r.status, PK_EXIT_FAIL);
	assert_string_equal(log_error_text(&r.log), "/usr/sbin/makedumpfile --mem-usage failed: "
			    "makedumpfile: cannot open /proc/kcore: Permission denied");
	free(r.out);
	log_destroy(&r.log);
	/* None in kdump's PATH. */
	fake_unlink(root, "usr/sbin/makedumpfile");
	run_forecast(&r, root, NULL);
	assert_int_equal(r.status, PK_EXIT_FAIL);
	assert_string_equal(log_error_text(&r.log), "no makedumpfile in kdump's PATH");
	free(r.out);
	log_destroy(&r.log);
	run_forecast(&r, root, "--nope");
	assert_int_equal(r.status, PK_EXIT_USAGE);
	free(r.out);
	log_destroy(&r.log);
	fake_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_report),
		cmocka_unit_test(arithmetic),
		cmocka_unit_test(no_pmem),
		cmocka_unit_test(bad_reports),
		cmocka_unit_test(cmd_json),
		cmocka_unit_test(cmd_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
