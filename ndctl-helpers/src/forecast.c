// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmem-kdump forecast: our makedumpfile already counts RAM by page kind
 * and pmem metadata and user data in --mem-usage; running it keeps one
 * implementation of the counting (reading /proc/kcore, the devm_memmap
 * list walk, the page classification) instead of a second one here.
 */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "src/cmd.h"
#include "src/forecast.h"
#include "src/kdumpenv.h"
#include "src/table.h"

/* The number after @label on a line of @text that starts with it. */
static bool field(const char *text, const char *label, uint64_t *out)
{
	size_t n = strlen(label);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;

		if (strncmp(p, label, n) || (p[n] != '\t' && p[n] != ' ' && p[n] != ':'))
			continue;
		p += n + strspn(p + n, ": \t");
		if (*p < '0' || *p > '9')
			return false;
		*out = strtoull(p, &end, 10);
		return *end == ' ' || *end == '\t' || *end == '\n' || *end == '\0';
	}
	return false;
}

int pk_mem_usage_parse(const char *text, struct pk_mem_usage *u, struct log_ctx *log)
{
	static const struct {
		const char *label;
		size_t off;
	} need[] = {
		{ "ZERO", offsetof(struct pk_mem_usage, zero) },
		{ "NON_PRI_CACHE", offsetof(struct pk_mem_usage, cache) },
		{ "PRI_CACHE", offsetof(struct pk_mem_usage, cache_private) },
		{ "USER", offsetof(struct pk_mem_usage, user) },
		{ "FREE", offsetof(struct pk_mem_usage, free) },
		{ "KERN_DATA", offsetof(struct pk_mem_usage, kern_data) },
		{ "page size", offsetof(struct pk_mem_usage, page_size) },
		{ "Total pages on system", offsetof(struct pk_mem_usage, total_pages) },
	};

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!field(text, need[i].label, (uint64_t *)((char *)u + need[i].off)))
			return log_fail(log, PMD_ECORRUPT, "--mem-usage report: no \"%s\" line",
					need[i].label);
	if (!u->page_size || (u->page_size & (u->page_size - 1)))
		return log_fail(log, PMD_ECORRUPT, "--mem-usage report: page size %" PRIu64,
				u->page_size);
	u->pmem = field(text, "PMEM_META", &u->pmem_meta);
	if (u->pmem != field(text, "PMEM_USER", &u->pmem_user))
		return log_fail(log, PMD_ECORRUPT, "--mem-usage report: PMEM_META without PMEM_USER");
	field(text, "Dump size at -d 31", &u->dump_size_31);
	return 0;
}

void pk_forecast(const struct pk_mem_usage *u, struct pk_forecast_row rows[PK_FC_NR])
{
	/* -d 31 keeps only what cannot be excluded: KERN_DATA. */
	uint64_t ram = u->kern_data * u->page_size;

	rows[PK_FC_DEFAULT] = (struct pk_forecast_row){
		"default", "-d 31", ram, u->pmem_meta * u->page_size, 0, 0 };
	rows[PK_FC_D63] = (struct pk_forecast_row){ "-d 63", "-d 63", ram, 0, 0, 0 };
	rows[PK_FC_USERDATA] = (struct pk_forecast_row){
		"--pmem-userdata", "-d 31 --pmem-userdata", ram, u->pmem_meta * u->page_size,
		u->pmem_user * u->page_size, 0 };
	for (int i = 0; i < PK_FC_NR; i++)
		rows[i].total = rows[i].ram + rows[i].pmem_meta + rows[i].pmem_user;
}

static const char forecast_usage[] =
	"usage: pmem-kdump forecast [<options>]\n"
	"\n"
	"  -j, --json      the forecast as JSON\n"
	"  -h, --help      this text\n"
	"\n"
	"Runs makedumpfile --mem-usage /proc/kcore (pmemdump's, found in kdump's PATH; root).\n";

/* Our makedumpfile as kdump would run it; its report in *@out. */
static int run_mem_usage(const char *root, char **out, struct log_ctx *log)
{
	struct pk_kdump_conf conf;
	char prog[PATH_MAX], first[256], kcore[PATH_MAX];
	const char *args[3] = { "--mem-usage", kcore, NULL };
	int status, rc;

	rc = pk_kdump_conf_read(root, &conf, log);
	if (rc < 0)
		return rc;
	if (pk_find_program(root, conf.has_path ? conf.path : PK_KDUMP_PATH, "makedumpfile", prog,
			    sizeof(prog)) < 0)
		return log_fail(log, PMD_EIO, "no makedumpfile in kdump's PATH");
	if (pk_tool_identify(root, prog, "-v", first, sizeof(first), log) != PK_TOOL_OURS)
		return log_fail(log, PMD_EUNSUPPORTED, "%s (%s) is not pmemdump's makedumpfile: "
				"its --mem-usage does not count pmem", prog, first);
	snprintf(kcore, sizeof(kcore), "%s/proc/kcore", root ? root : "");
	rc = pk_run(root, prog, args, 600, out, &status, log);
	if (rc < 0)
		return rc;
	if (status != 0) {
		char *last = *out + strlen(*out);

		while (last > *out && last[-1] == '\n')
			*--last = '\0';
		last = strrchr(*out, '\n');
		log_fail(log, PMD_EIO, "%s --mem-usage failed: %s", prog, last ? last + 1 : *out);
		free(*out);
		*out = NULL;
		return -PMD_EIO;
	}
	return 0;
}

static int print_table(FILE *out, const struct pk_forecast_row *rows)
{
	char s[4][32];

	fprintf(out, "%-16s %-22s %12s %14s %15s %12s\n", "setting", "makedumpfile", "RAM kept",
		"pmem metadata", "pmem user data", "total");
	for (int i = 0; i < PK_FC_NR; i++) {
		pk_short_size(rows[i].ram, s[0], sizeof(s[0]));
		pk_short_size(rows[i].pmem_meta, s[1], sizeof(s[1]));
		pk_short_size(rows[i].pmem_user, s[2], sizeof(s[2]));
		pk_short_size(rows[i].total, s[3], sizeof(s[3]));
		fprintf(out, "%-16s %-22s %12s %14s %15s %12s\n", rows[i].setting, rows[i].args,
			s[0], s[1], s[2], s[3]);
	}
	return fputs("Uncompressed sizes; --pmem-userdata: at most (its pages are filtered by -d "
		     "as RAM is).\n", out) < 0 ? -1 : 0;
}

static struct json_object *forecast_json(const struct pk_mem_usage *u,
					 const struct pk_forecast_row *rows)
{
	struct json_object *top = json_object_new_object(), *arr = json_object_new_array();

	if (!top || !arr)
		goto fail;
	json_object_object_add(top, "page_size", json_object_new_int64((int64_t)u->page_size));
	json_object_object_add(top, "pmem", json_object_new_boolean(u->pmem));
	for (int i = 0; i < PK_FC_NR; i++) {
		struct json_object *jo = json_object_new_object();

		if (!jo || json_object_array_add(arr, jo) < 0) {
			json_object_put(jo);
			goto fail;
		}
		json_object_object_add(jo, "setting", json_object_new_string(rows[i].setting));
		json_object_object_add(jo, "makedumpfile_args", json_object_new_string(rows[i].args));
		json_object_object_add(jo, "ram_bytes", json_object_new_int64((int64_t)rows[i].ram));
		json_object_object_add(jo, "pmem_metadata_bytes",
				       json_object_new_int64((int64_t)rows[i].pmem_meta));
		json_object_object_add(jo, "pmem_userdata_bytes",
				       json_object_new_int64((int64_t)rows[i].pmem_user));
		json_object_object_add(jo, "total_bytes", json_object_new_int64((int64_t)rows[i].total));
	}
	json_object_object_add(top, "forecast", arr);
	return top;
fail:
	json_object_put(arr);
	json_object_put(top);
	return NULL;
}

int pk_cmd_forecast(int argc, char **argv, const struct pk_cmd_env *env)
{
	struct pk_forecast_row rows[PK_FC_NR];
	struct pk_mem_usage u;
	const char *root;
	char *report = NULL;
	bool json;
	int ret;

	switch (pk_parse_common("forecast", forecast_usage, argc, argv, env, &json, &root)) {
	case 1:
		return PK_EXIT_OK;
	case 2:
		return PK_EXIT_USAGE;
	}
	if (run_mem_usage(root && *root ? root : NULL, &report, env->log) < 0)
		return PK_EXIT_FAIL;
	ret = pk_mem_usage_parse(report, &u, env->log);
	free(report);
	if (ret < 0)
		return PK_EXIT_FAIL;
	pk_forecast(&u, rows);
	if (json) {
		struct json_object *j = forecast_json(&u, rows);

		if (!j) {
			log_fail(env->log, PMD_ENOMEM, "out of memory for the JSON output");
			return PK_EXIT_FAIL;
		}
		ret = fprintf(env->out, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
		json_object_put(j);
	} else {
		ret = print_table(env->out, rows);
	}
	if (ret < 0 || fflush(env->out) != 0) {
		log_fail(env->log, PMD_EIO, "cannot write the output");
		return PK_EXIT_FAIL;
	}
	return PK_EXIT_OK;
}
