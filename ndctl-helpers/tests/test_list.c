// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `pmem-kdump list` end to end on the table backend: the system of
 * tests/system.h, the JSON parsed back and checked field by field against
 * values written here by hand, the filters, -u, the table, the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "src/cmd.h"
#include "src/json.h"
#include "tests/system.h"

struct run {
	int status;
	char *out;
	struct log_ctx log;
};

static struct pk_table table = {
	.ns = test_ns, .nr_ns = NR_TEST_NS,
	.kernel = { .list = PK_LIST_PRESENT, .memmaps = test_list, .nr_memmaps = 2,
		    .page_struct_size = 64 },
};

/* Run `pmem-kdump list ARGS...` (NULL-terminated) on @t; free with run_free. */
static void run_list(struct run *r, const struct pk_backend *be, ...)
{
	struct pk_cmd_env env = { .backend = be };
	char *argv[16] = { "list" };
	int argc = 1;
	size_t size;
	va_list ap;
	FILE *f;

	va_start(ap, be);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	log_init(&r->log, "pmem-kdump");
	f = open_memstream(&r->out, &size);
	assert_non_null(f);
	env.out = f;
	env.log = &r->log;
	r->status = pk_cmd_list(argc, argv, &env);
	fclose(f);
}

static void run_free(struct run *r)
{
	free(r->out);
	log_destroy(&r->log);
}

static struct pk_backend table_backend(struct pk_table *t)
{
	return (struct pk_backend){ .ops = &pk_table_ops, .priv = t };
}

static struct json_object *parse(const char *text)
{
	struct json_object *j = json_tokener_parse(text);

	if (!j)
		fail_msg("not JSON: %s", text);
	return j;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static int64_t num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no field %s in %s", key, json_object_to_json_string(o));
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static struct json_object *obj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no object %s in %s", key, json_object_to_json_string(o));
	return v;
}

static bool has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

/* The devs of a JSON array, space-separated. */
static void devs_of(struct json_object *arr, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		if (i)
			strncat(buf, " ", size - strlen(buf) - 1);
		strncat(buf, str(json_object_array_get_idx(arr, i), "dev"), size - strlen(buf) - 1);
	}
}

static void expect_devs(const char *want, ...)
{
	struct pk_backend be = table_backend(&table);
	struct json_object *j;
	char got[256];
	struct run r;
	char *argv[8];
	int n = 0;
	va_list ap;

	va_start(ap, want);
	while ((argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	run_list(&r, &be, argv[0], argv[1], argv[2], argv[3], NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	j = parse(r.out);
	assert_true(json_object_is_type(j, json_type_array));
	devs_of(j, got, sizeof(got));
	assert_string_equal(got, want);
	json_object_put(j);
	run_free(&r);
}

/* Every active namespace, in libndctl's order; idle ones only with -i. */
static void test_list_active(void **state)
{
	expect_devs("namespace0.0 namespace0.1 namespace0.2 namespace1.0 namespace1.1",
		    NULL, NULL, NULL, NULL);
	expect_devs("namespace0.0 namespace0.1 namespace0.2 namespace0.3 namespace1.0 "
		    "namespace1.1 namespace1.2 namespace1.3", "-i", NULL, NULL, NULL);
}

static void test_filters(void **state)
{
	expect_devs("namespace1.0 namespace1.1", "-r", "region1", NULL, NULL);
	expect_devs("namespace1.0 namespace1.1", "--region=1", NULL, NULL, NULL);
	expect_devs("namespace0.0 namespace0.1 namespace0.2 namespace1.0 namespace1.1",
		    "-r", "all", NULL, NULL);
	expect_devs("", "-r", "region7", NULL, NULL);
	expect_devs("namespace0.1", "-n", "namespace0.1", NULL, NULL);
	expect_devs("namespace0.1", "-n", "0.1", NULL, NULL);
	expect_devs("", "-n", "namespace1.2", NULL, NULL);	/* disabled */
	expect_devs("namespace1.2", "-n", "namespace1.2", "-i", NULL);
	expect_devs("namespace0.0 namespace0.2", "-m", "fsdax", NULL, NULL);
	expect_devs("namespace0.1", "-m", "dax", NULL, NULL);
	expect_devs("namespace1.1", "--mode=sector", NULL, NULL, NULL);
	expect_devs("namespace1.0", "-m", "raw", "-r", "1");
	expect_devs("namespace0.0", "-r", "0", "-n", "0.0");
	expect_devs("", "-r", "1", "-n", "0.0");
}

/* namespace0.0: ndctl's fields, the ranges, the case. */
static void test_fsdax_dev_json(void **state)
{
	struct pk_backend be = table_backend(&table);
	struct json_object *j, *n, *rg, *d;
	struct run r;

	run_list(&r, &be, "-n", "0.0", NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	j = parse(r.out);
	/* Without -u a single namespace is still an array, as ndctl 76 prints it. */
	assert_true(json_object_is_type(j, json_type_array));
	assert_int_equal(json_object_array_length(j), 1);
	n = json_object_array_get_idx(j, 0);
	assert_string_equal(str(n, "dev"), "namespace0.0");
	assert_string_equal(str(n, "mode"), "fsdax");
	assert_string_equal(str(n, "map"), "dev");
	assert_int_equal(num(n, "size"), 264241152);
	assert_string_equal(str(n, "uuid"), "11111111-2222-3333-4444-555555555555");
	assert_false(has(n, "raw_uuid"));	/* -v only */
	assert_int_equal(num(n, "sector_size"), 512);
	assert_int_equal(num(n, "align"), 2097152);
	assert_string_equal(str(n, "blockdev"), "pmem0");
	assert_false(has(n, "chardev"));
	assert_false(has(n, "state"));		/* active */
	assert_false(has(n, "name"));
	assert_false(has(n, "numa_node"));
	assert_string_equal(str(n, "region"), "region0");
	rg = obj(n, "ranges");
	assert_int_equal(num(obj(rg, "namespace"), "start"), 5368709120);
	assert_int_equal(num(obj(rg, "namespace"), "end"), 5637144576);
	assert_int_equal(num(obj(rg, "namespace"), "size"), 268435456);
	assert_int_equal(num(obj(rg, "memmap"), "start"), 5368717312);
	assert_int_equal(num(obj(rg, "memmap"), "end"), 5372903424);
	assert_int_equal(num(obj(rg, "memmap"), "size"), 4186112);
	assert_int_equal(num(obj(rg, "data"), "start"), 5372903424);
	assert_int_equal(num(obj(rg, "data"), "size"), 264241152);
	assert_int_equal(num(n, "struct_page_size"), 64);
	assert_string_equal(str(n, "struct_page_size_from"), "vmcoreinfo");
	assert_int_equal(num(n, "struct_pages"), 65536);
	d = obj(n, "dump");
	assert_string_equal(str(d, "case"), "D");
	assert_false(has(d, "reason"));
	assert_string_equal(str(d, "scope"), "metadata");
	assert_string_equal(str(d, "metadata"), "pmem");
	assert_int_equal(num(d, "metadata_bytes"), 4186112);
	assert_int_equal(num(d, "pmem_metadata_bytes"), 4186112);
	assert_int_equal(num(d, "userdata_bytes"), 0);
	assert_string_equal(str(d, "vmcoreinfo"), "listed");
	json_object_put(j);
	run_free(&r);
}

/* The text itself: ndctl's pretty layout and field order, written out. */
static void test_raw_json_text(void **state)
{
	struct pk_backend be = table_backend(&table);
	struct run r;
	const char *want =
		"[\n"
		"  {\n"
		"    \"dev\":\"namespace1.0\",\n"
		"    \"mode\":\"raw\",\n"
		"    \"size\":134217728,\n"
		"    \"uuid\":\"44444444-2222-3333-4444-555555555555\",\n"
		"    \"sector_size\":512,\n"
		"    \"blockdev\":\"pmem1\",\n"
		"    \"region\":\"region1\",\n"
		"    \"ranges\":{\n"
		"      \"namespace\":{\n"
		"        \"start\":6442450944,\n"
		"        \"end\":6576668672,\n"
		"        \"size\":134217728\n"
		"      },\n"
		"      \"data\":{\n"
		"        \"start\":6442450944,\n"
		"        \"end\":6576668672,\n"
		"        \"size\":134217728\n"
		"      }\n"
		"    },\n"
		"    \"dump\":{\n"
		"      \"case\":\"none\",\n"
		"      \"reason\":\"raw mode: no struct pages\",\n"
		"      \"scope\":\"metadata\",\n"
		"      \"metadata\":\"none\",\n"
		"      \"metadata_bytes\":0,\n"
		"      \"pmem_metadata_bytes\":0,\n"
		"      \"userdata_bytes\":0\n"
		"    }\n"
		"  }\n"
		"]\n";

	run_list(&r, &be, "-n", "namespace1.0", NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	assert_string_equal(r.out, want);
	run_free(&r);
}

static struct json_object *one(const char *dev, const char *extra)
{
	struct pk_backend be = table_backend(&table);
	struct json_object *j, *n;
	struct run r;

	run_list(&r, &be, "-i", "-n", dev, extra, NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	j = parse(r.out);
	assert_int_equal(json_object_array_length(j), 1);
	n = json_object_get(json_object_array_get_idx(j, 0));
	json_object_put(j);
	run_free(&r);
	return n;
}

static void test_each_kind(void **state)
{
	struct json_object *n, *d;

	/* devdax: chardev, no sector_size, no blockdev; its alt name. */
	n = one("namespace0.1", NULL);
	assert_string_equal(str(n, "mode"), "devdax");
	assert_string_equal(str(n, "map"), "dev");
	assert_string_equal(str(n, "chardev"), "dax0.1");
	assert_string_equal(str(n, "name"), "dax");
	assert_false(has(n, "sector_size"));
	assert_false(has(n, "blockdev"));
	d = obj(n, "dump");
	assert_string_equal(str(d, "case"), "D");
	assert_string_equal(str(d, "vmcoreinfo"), "listed");
	assert_int_equal(num(obj(obj(n, "ranges"), "memmap"), "start"), 0x150002000LL);
	json_object_put(n);

	/* fsdax map=mem: case C, struct pages in RAM, none on pmem. */
	n = one("namespace0.2", NULL);
	assert_string_equal(str(n, "map"), "mem");
	assert_false(has(obj(n, "ranges"), "memmap"));
	d = obj(n, "dump");
	assert_string_equal(str(d, "case"), "C");
	assert_string_equal(str(d, "metadata"), "ram");
	assert_int_equal(num(d, "metadata_bytes"), 2097152);
	assert_int_equal(num(d, "pmem_metadata_bytes"), 0);
	assert_false(has(d, "vmcoreinfo"));
	json_object_put(n);

	/* sector: no map, no struct pages. */
	n = one("namespace1.1", NULL);
	assert_string_equal(str(n, "mode"), "sector");
	assert_false(has(n, "map"));
	assert_int_equal(num(n, "sector_size"), 4096);
	assert_string_equal(str(n, "blockdev"), "pmem1.1s");
	assert_false(has(n, "struct_page_size"));
	assert_string_equal(str(obj(n, "dump"), "case"), "none");
	assert_string_equal(str(obj(n, "dump"), "reason"), "sector mode: no struct pages");
	json_object_put(n);

	/* The seed: idle, size 0, no ranges. */
	n = one("namespace0.3", NULL);
	assert_string_equal(str(n, "state"), "disabled");
	assert_int_equal(num(n, "size"), 0);
	assert_false(has(obj(n, "ranges"), "namespace"));
	assert_string_equal(str(obj(n, "dump"), "reason"), "not active: no struct pages");
	json_object_put(n);

	/* Disabled fsdax: ndctl's map, no size (unknown), nothing dumped. */
	n = one("namespace1.2", NULL);
	assert_string_equal(str(n, "state"), "disabled");
	assert_string_equal(str(n, "map"), "dev");
	assert_false(has(n, "size"));
	assert_false(has(obj(n, "ranges"), "memmap"));
	assert_string_equal(str(obj(n, "dump"), "case"), "none");
	json_object_put(n);

	/* -v: raw_uuid and numa_node, as ndctl -v. */
	n = one("namespace0.0", "-v");
	assert_string_equal(str(n, "raw_uuid"), "aaaaaaaa-0000-0000-0000-000000000000");
	assert_int_equal(num(n, "numa_node"), 0);
	assert_false(has(n, "target_node"));
	json_object_put(n);

	/* -v on devdax: ndctl's "daxregion" object replaces "chardev". */
	n = one("namespace0.1", "-v");
	assert_false(has(n, "chardev"));
	d = obj(n, "daxregion");
	assert_int_equal(num(d, "id"), 0);
	assert_int_equal(num(d, "size"), 264241152);
	assert_int_equal(num(d, "align"), 2097152);
	d = json_object_array_get_idx(obj(d, "devices"), 0);
	assert_string_equal(str(d, "chardev"), "dax0.1");
	assert_int_equal(num(d, "size"), 264241152);
	assert_int_equal(num(d, "target_node"), 0);
	assert_int_equal(num(d, "align"), 2097152);
	assert_string_equal(str(d, "mode"), "devdax");
	json_object_put(n);

	/* --pmem-userdata: case B. */
	n = one("namespace0.0", "--pmem-userdata");
	d = obj(n, "dump");
	assert_string_equal(str(d, "case"), "B");
	assert_string_equal(str(d, "scope"), "entire");
	assert_int_equal(num(d, "userdata_bytes"), 268435456 - 4186112);
	json_object_put(n);
}

/* A kernel without the series, and one whose VMCOREINFO was not readable. */
static void test_kernel_states(void **state)
{
	struct pk_table t = table;
	struct pk_backend be = table_backend(&t);
	struct json_object *j;
	struct run r;

	t.kernel = (struct pk_kernel){ .list = PK_LIST_ABSENT };
	run_list(&r, &be, "-n", "0.0", NULL);
	j = parse(r.out);
	assert_string_equal(str(obj(json_object_array_get_idx(j, 0), "dump"), "vmcoreinfo"),
			    "info block");
	assert_string_equal(str(json_object_array_get_idx(j, 0), "struct_page_size_from"),
			    "default");
	json_object_put(j);
	run_free(&r);

	t.kernel = (struct pk_kernel){ .list = PK_LIST_UNKNOWN };
	run_list(&r, &be, "-n", "0.1", NULL);
	j = parse(r.out);
	assert_string_equal(str(obj(json_object_array_get_idx(j, 0), "dump"), "vmcoreinfo"),
			    "unknown");
	json_object_put(j);
	run_free(&r);
}

static void test_human_size(void **state)
{
	char b[64];

	pk_human_size(4096, b, sizeof(b));
	assert_string_equal(b, "4096");
	pk_human_size(5000 * 1024 - 1, b, sizeof(b));
	assert_string_equal(b, "5119999");
	pk_human_size(5000 * 1024, b, sizeof(b));
	assert_string_equal(b, "4.88 MiB (5.12 MB)");
	pk_human_size(252 * MIB, b, sizeof(b));
	assert_string_equal(b, "252.00 MiB (264.24 MB)");
	pk_human_size(3ULL << 30, b, sizeof(b));
	assert_string_equal(b, "3.00 GiB (3.22 GB)");
	pk_human_size(3ULL << 40, b, sizeof(b));
	assert_string_equal(b, "3.00 TiB (3.30 TB)");
}

/* -u: one result unwrapped, sizes as text, addresses in hex (ndctl -u). */
static void test_human_json(void **state)
{
	struct pk_backend be = table_backend(&table);
	struct json_object *j, *rg;
	struct run r;

	run_list(&r, &be, "-u", "-n", "0.0", NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	j = parse(r.out);
	assert_true(json_object_is_type(j, json_type_object));
	assert_string_equal(str(j, "size"), "252.00 MiB (264.24 MB)");
	rg = obj(obj(j, "ranges"), "memmap");
	assert_string_equal(str(rg, "start"), "0x140002000");
	assert_string_equal(str(rg, "end"), "0x140400000");
	/* Below 5000 KiB a size stays a number, as in ndctl: 4 MiB - 8 KiB. */
	assert_int_equal(num(rg, "size"), 4186112);
	assert_int_equal(num(j, "align"), 2097152);
	rg = obj(obj(j, "ranges"), "namespace");
	assert_string_equal(str(rg, "size"), "256.00 MiB (268.44 MB)");
	json_object_put(j);
	run_free(&r);

	/* Several results stay an array. */
	run_list(&r, &be, "--human", "-r", "1", NULL);
	j = parse(r.out);
	assert_true(json_object_is_type(j, json_type_array));
	assert_int_equal(json_object_array_length(j), 2);
	json_object_put(j);
	run_free(&r);
}

static void test_table(void **state)
{
	struct pk_backend be = table_backend(&table);
	struct run r;
	char *line;

	run_list(&r, &be, "--format=table", NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	assert_true(strncmp(r.out, "NAMESPACE ", 10) == 0);
	/* Header and five active namespaces. */
	{
		int lines = 0;

		for (const char *p = r.out; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 6);
	}
	line = strstr(r.out, "namespace0.0 ");
	assert_non_null(line);
	*strchr(line, '\n') = '\0';
	assert_non_null(strstr(line, " fsdax "));
	assert_non_null(strstr(line, " 0x140002000-0x140400000 "));
	assert_non_null(strstr(line, " D "));
	assert_non_null(strstr(line, " 3.99 MiB "));
	assert_non_null(strstr(line, " listed"));
	run_free(&r);
}

static void test_usage_errors(void **state)
{
	struct pk_backend be = table_backend(&table);
	struct run r;

	run_list(&r, &be, "-m", "memmap", NULL);
	assert_int_equal(r.status, PK_EXIT_USAGE);
	assert_string_equal(r.out, "");
	run_free(&r);
	run_list(&r, &be, "--format=yaml", NULL);
	assert_int_equal(r.status, PK_EXIT_USAGE);
	run_free(&r);
	run_list(&r, &be, "--bogus", NULL);
	assert_int_equal(r.status, PK_EXIT_USAGE);
	run_free(&r);
	run_list(&r, &be, "extra", NULL);
	assert_int_equal(r.status, PK_EXIT_USAGE);
	run_free(&r);
	run_list(&r, &be, "-r", NULL);
	assert_int_equal(r.status, PK_EXIT_USAGE);
	run_free(&r);
	run_list(&r, &be, "--help", NULL);
	assert_int_equal(r.status, PK_EXIT_OK);
	assert_non_null(strstr(r.out, "usage: pmem-kdump list"));
	run_free(&r);
}

static int failing_namespaces(void *priv, struct pk_system *sys, struct log_ctx *log)
{
	return log_fail(log, PMD_EIO, "cannot start libndctl: No such device");
}

/* A backend failure: status 1, the cause recorded for main's one line, no output. */
static void test_backend_failure(void **state)
{
	static const struct pk_backend_ops ops = {
		.name = "failing", .namespaces = failing_namespaces,
	};
	struct pk_backend be = { .ops = &ops };
	struct run r;

	run_list(&r, &be, NULL);
	assert_int_equal(r.status, PK_EXIT_FAIL);
	assert_int_equal(log_error_status(&r.log), PMD_EIO);
	assert_string_equal(log_error_text(&r.log), "cannot start libndctl: No such device");
	assert_string_equal(r.out, "");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_active),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_fsdax_dev_json),
		cmocka_unit_test(test_raw_json_text),
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_kernel_states),
		cmocka_unit_test(test_human_size),
		cmocka_unit_test(test_human_json),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_backend_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
