// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmem-kdump check: the verdicts of check.c as text for a person, or with
 * -j as one JSON object (ndctl's -j/--json of read-infoblock).
 */
#include <getopt.h>
#include <string.h>

#include <json-c/json.h>

#include "src/check.h"
#include "src/cmd.h"

static const char check_usage[] =
	"usage: pmem-kdump check [<options>]\n"
	"\n"
	"  -j, --json      the verdicts as JSON\n"
	"  -h, --help      this text\n"
	"\n"
	"Exit status: 0 nothing FAILs, 3 an item FAILs, 1 the check could not run, 2 usage.\n";

enum { OPT_SYSROOT = 256 };

static const struct option check_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	/* Hidden, as kexec's: every input below DIR, for tests on saved trees. */
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ NULL, 0, NULL, 0 },
};

/* Shared by check and forecast: -j, -h, --sysroot. 0 run, 1 help, 2 usage. */
int pk_parse_common(const char *cmd, const char *usage, int argc, char **argv,
		    const struct pk_cmd_env *env, bool *json, const char **root)
{
	int c;

	*json = false;
	*root = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", check_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case OPT_SYSROOT:
			*root = optarg;
			break;
		case 'h':
			fputs(usage, env->out);
			return 1;
		case ':':
			log_err(env->log, "%s: option '%s' needs a value\n", cmd, argv[optind - 1]);
			return 2;
		default:
			log_err(env->log, "%s: unknown option '%s' (pmem-kdump %s --help)\n", cmd,
				argv[optind - 1], cmd);
			return 2;
		}
	}
	if (optind < argc) {
		log_err(env->log, "%s: unexpected argument '%s'\n", cmd, argv[optind]);
		return 2;
	}
	return 0;
}

static int print_text(FILE *out, const struct pk_check_report *r)
{
	unsigned int fails = 0, warns = 0;

	for (int i = 0; i < PK_CHK_NR; i++) {
		const struct pk_check_item *it = &r->item[i];

		fprintf(out, "%s  %-16s %s\n", pk_verdict_name(it->v), pk_check_name(i), it->reason);
		if (it->fix[0])
			fprintf(out, "      %-16s fix: %s\n", "", it->fix);
		fails += it->v == PK_FAIL;
		warns += it->v == PK_WARN;
	}
	return fprintf(out, "result: %s (%u failed, %u warned)\n",
		       pk_verdict_name(pk_check_worst(r)), fails, warns) < 0 ? -1 : 0;
}

static bool jadd(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return false;
	json_object_object_add(o, key, v);
	return true;
}

/* The last-dump item's facts, each only when known. */
static bool last_json(struct json_object *jo, const struct pk_check_last *l)
{
	const struct {
		const char *key, *value;
	} kv[] = {
		{ "directory", l->dir }, { "dump", l->dump }, { "capture", l->capture },
		{ "error", l->error },
	};

	for (size_t k = 0; k < sizeof(kv) / sizeof(kv[0]); k++)
		if (kv[k].value[0] && !jadd(jo, kv[k].key, json_object_new_string(kv[k].value)))
			return false;
	return true;
}

static struct json_object *report_json(const struct pk_check_report *r)
{
	struct json_object *top = json_object_new_object(), *arr = json_object_new_array();
	bool ok = top && arr;

	for (int i = 0; ok && i < PK_CHK_NR; i++) {
		const struct pk_check_item *it = &r->item[i];
		struct json_object *jo = json_object_new_object();

		ok = jo && json_object_array_add(arr, jo) == 0;
		ok = ok && jadd(jo, "check", json_object_new_string(pk_check_name(i)));
		ok = ok && jadd(jo, "status", json_object_new_string(pk_verdict_name(it->v)));
		ok = ok && jadd(jo, "reason", json_object_new_string(it->reason));
		if (ok && it->fix[0])
			ok = jadd(jo, "fix", json_object_new_string(it->fix));
		if (ok && i == PK_CHK_RESERVATION && r->need.known) {
			ok = jadd(jo, "reserved", json_object_new_int64((int64_t)r->need.reserved)) &&
			     jadd(jo, "needed", json_object_new_int64((int64_t)r->need.total)) &&
			     jadd(jo, "init_size", json_object_new_int64((int64_t)r->need.init_size)) &&
			     jadd(jo, "initrd", json_object_new_int64((int64_t)r->need.initrd)) &&
			     jadd(jo, "ram_floor", json_object_new_int64((int64_t)r->need.floor)) &&
			     jadd(jo, "filter", json_object_new_int64((int64_t)r->need.filter));
		}
		if (ok && i == PK_CHK_LAST_DUMP)
			ok = last_json(jo, &r->last);
		if (!ok && jo && json_object_array_length(arr) <= (size_t)i)
			json_object_put(jo);
	}
	ok = ok && jadd(top, "pmem", json_object_new_boolean(r->pmem));
	ok = ok && jadd(top, "checks", arr);
	ok = ok && jadd(top, "result", json_object_new_string(pk_verdict_name(pk_check_worst(r))));
	if (!ok) {
		if (!top || !json_object_object_get_ex(top, "checks", NULL))
			json_object_put(arr);
		json_object_put(top);
		return NULL;
	}
	return top;
}

int pk_cmd_check(int argc, char **argv, const struct pk_cmd_env *env)
{
	struct pk_check_report r;
	const char *root;
	bool json;
	int ret;

	switch (pk_parse_common("check", check_usage, argc, argv, env, &json, &root)) {
	case 1:
		return PK_EXIT_OK;
	case 2:
		return PK_EXIT_USAGE;
	}
	if (env->backend->ops->set_root)
		env->backend->ops->set_root(env->backend->priv, root);
	if (pk_check(root, env->backend, &r, env->log) < 0)
		return PK_EXIT_FAIL;
	if (json) {
		struct json_object *j = report_json(&r);

		if (!j) {
			log_fail(env->log, PMD_ENOMEM, "out of memory for the JSON output");
			return PK_EXIT_FAIL;
		}
		ret = fprintf(env->out, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
		json_object_put(j);
	} else {
		ret = print_text(env->out, &r);
	}
	if (ret < 0 || fflush(env->out) != 0) {
		log_fail(env->log, PMD_EIO, "cannot write the output");
		return PK_EXIT_FAIL;
	}
	return pk_check_worst(&r) == PK_FAIL ? PK_EXIT_CHECK : PK_EXIT_OK;
}
