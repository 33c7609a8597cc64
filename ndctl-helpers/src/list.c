// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmem-kdump list: the namespaces, as `ndctl list -N` shows them, with
 * where their struct pages live and what a crash dump holds of them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "src/cmd.h"
#include "src/dumpcase.h"
#include "src/filter.h"
#include "src/json.h"
#include "src/table.h"

static const char list_usage[] =
	"usage: pmem-kdump list [<options>]\n"
	"\n"
	"  -r, --region <region-id>        filter by region (region0, 0 or all)\n"
	"  -n, --namespace <namespace-id>  filter by namespace (namespace0.1, 0.1 or all)\n"
	"  -m, --mode <mode>               filter by mode: fsdax, devdax, sector, raw\n"
	"  -i, --idle                      include idle (disabled, seed) namespaces\n"
	"  -u, --human                     sizes and addresses as text, as ndctl -u\n"
	"  -v, --verbose                   also raw_uuid, numa_node, target_node\n"
	"      --format <json|table>       output format (default json)\n"
	"      --pmem-userdata             assess a dump taken with makedumpfile --pmem-userdata\n"
	"                                  (entire pmem: cases A/B instead of C/D)\n"
	"  -h, --help                      this text\n";

enum { OPT_FORMAT = 256, OPT_USERDATA };

static const struct option list_options[] = {
	{ "region", required_argument, NULL, 'r' },
	{ "namespace", required_argument, NULL, 'n' },
	{ "mode", required_argument, NULL, 'm' },
	{ "idle", no_argument, NULL, 'i' },
	{ "human", no_argument, NULL, 'u' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "pmem-userdata", no_argument, NULL, OPT_USERDATA },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct list_opts {
	struct pk_filter filter;
	unsigned int json_flags;
	bool table;
	enum pk_scope scope;
};

enum parse_result {
	PARSE_RUN,
	PARSE_HELP,	/* --help printed */
	PARSE_USAGE,	/* a bad command line, its error printed */
};

static enum parse_result parse(struct list_opts *o, int argc, char **argv, const struct pk_cmd_env *env)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->scope = PK_SCOPE_METADATA;
	optind = 0;	/* glibc: start over, a test may parse more than once */
	opterr = 0;	/* our own one-line errors */
	while ((c = getopt_long(argc, argv, ":r:n:m:iuvh", list_options, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->filter.region = optarg;
			break;
		case 'n':
			o->filter.ns = optarg;
			break;
		case 'm':
			if (!pk_filter_mode_valid(optarg)) {
				log_err(env->log, "list: unknown mode '%s' (fsdax, devdax, sector, raw)\n", optarg);
				return PARSE_USAGE;
			}
			o->filter.mode = optarg;
			break;
		case 'i':
			o->filter.idle = true;
			break;
		case 'u':
			o->json_flags |= PK_JSON_HUMAN;
			break;
		case 'v':
			o->json_flags |= PK_JSON_VERBOSE;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "table")) {
				o->table = true;
			} else if (strcmp(optarg, "json")) {
				log_err(env->log, "list: unknown format '%s' (json, table)\n", optarg);
				return PARSE_USAGE;
			}
			break;
		case OPT_USERDATA:
			o->scope = PK_SCOPE_ENTIRE;
			break;
		case 'h':
			fputs(list_usage, env->out);
			return PARSE_HELP;
		case ':':
			log_err(env->log, "list: option '%s' needs a value\n", argv[optind - 1]);
			return PARSE_USAGE;
		default:
			log_err(env->log, "list: unknown option '%s' (pmem-kdump list --help)\n",
				argv[optind - 1]);
			return PARSE_USAGE;
		}
	}
	if (optind < argc) {
		log_err(env->log, "list: unexpected argument '%s'\n", argv[optind]);
		return PARSE_USAGE;
	}
	return PARSE_RUN;
}

static int print_json(const struct list_opts *o, const struct pk_table_row *rows, unsigned int nr,
		      const struct pk_cmd_env *env)
{
	struct json_object *arr = json_object_new_array();

	if (!arr)
		return log_fail(env->log, PMD_ENOMEM, "out of memory for the JSON output");
	for (unsigned int i = 0; i < nr; i++) {
		struct json_object *jn = pk_namespace_json(rows[i].ns, &rows[i].a, o->json_flags);

		if (!jn || json_object_array_add(arr, jn) < 0) {
			json_object_put(jn);
			json_object_put(arr);
			return log_fail(env->log, PMD_ENOMEM, "out of memory for the JSON output");
		}
	}
	if (!nr)
		log_warn(env->log, "no matching namespaces found\n");
	if (pk_json_print(env->out, arr, o->json_flags) < 0)
		return log_fail(env->log, PMD_EIO, "cannot write the output");
	return 0;
}

int pk_cmd_list(int argc, char **argv, const struct pk_cmd_env *env)
{
	struct pk_table_row *rows = NULL;
	struct pk_system sys;
	struct list_opts o;
	unsigned int nr = 0;
	int ret;

	switch (parse(&o, argc, argv, env)) {
	case PARSE_HELP:
		return PK_EXIT_OK;
	case PARSE_USAGE:
		return PK_EXIT_USAGE;
	case PARSE_RUN:
		break;
	}
	if (pk_system_load(&sys, env->backend, env->log) < 0)
		return PK_EXIT_FAIL;
	rows = calloc(sys.nr_ns ? sys.nr_ns : 1, sizeof(*rows));
	if (!rows) {
		log_fail(env->log, PMD_ENOMEM, "out of memory for the namespace list");
		pk_system_free(&sys);
		return PK_EXIT_FAIL;
	}
	for (unsigned int i = 0; i < sys.nr_ns; i++) {
		if (!pk_filter_match(&o.filter, &sys.ns[i]))
			continue;
		rows[nr].ns = &sys.ns[i];
		pk_assess(&sys.ns[i], &sys.kernel, o.scope, &rows[nr].a);
		nr++;
	}
	if (o.table)
		ret = pk_table_print(env->out, rows, nr) < 0 ?
		      log_fail(env->log, PMD_EIO, "cannot write the output") : 0;
	else
		ret = print_json(&o, rows, nr, env);
	if (!ret && fflush(env->out) != 0)
		ret = log_fail(env->log, PMD_EIO, "cannot write the output");
	free(rows);
	pk_system_free(&sys);
	return ret < 0 ? PK_EXIT_FAIL : PK_EXIT_OK;
}
