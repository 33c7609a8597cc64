// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmem-kdump: what a kernel crash dump holds of each pmem namespace, in
 * the manner of ndctl: `pmem-kdump <command> [<options>]`, commands in
 * a table as ndctl's builtins. Exit statuses: pmem-kdump(8).
 */
#include <stdio.h>
#include <string.h>

#include "src/backend_ndctl.h"
#include "src/cmd.h"
#include "util/log.h"

struct pk_command {
	const char *name;
	int (*run)(int argc, char **argv, const struct pk_cmd_env *env);
	const char *summary;
};

static const struct pk_command commands[] = {
	{ "list", pk_cmd_list, "namespaces, their struct pages and what a dump holds of them" },
	{ "check", pk_cmd_check, "the kdump chain for pmem, each item PASS/WARN/FAIL with its fix" },
	{ "forecast", pk_cmd_forecast, "the size of the next dump for each pmem setting" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fputs("usage: pmem-kdump [--version] [--help] <command> [<options>]\n\ncommands:\n", f);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'pmem-kdump <command> --help' for a command's options; pmem-kdump(8).\n", f);
}

int main(int argc, char **argv)
{
	struct pk_ndctl_backend live = { .kcore = "/proc/kcore" };
	struct pk_backend backend = { .ops = &pk_ndctl_ops, .priv = &live };
	struct pk_cmd_env env = { .backend = &backend, .out = stdout };
	struct log_ctx log;
	const char *cmd;
	int ret = PK_EXIT_USAGE;

	log_init(&log, "pmem-kdump");
	env.log = &log;
	if (argc < 2) {
		usage(stderr);
		goto out;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		/* "help <command>" is "<command> --help", as in ndctl. */
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			char *hargv[] = { argv[2], "--help", NULL };

			for (size_t i = 0; i < NR_COMMANDS; i++)
				if (!strcmp(argv[2], commands[i].name)) {
					ret = commands[i].run(2, hargv, &env);
					goto out;
				}
			log_err(&log, "unknown command '%s'\n", argv[2]);
			goto out;
		}
		usage(stdout);
		ret = PK_EXIT_OK;
		goto out;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("%s\n", PACKAGE_VERSION);
		ret = PK_EXIT_OK;
		goto out;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		ret = commands[i].run(argc - 1, argv + 1, &env);
		/* The one error line: what the command's libraries recorded. */
		if (ret == PK_EXIT_FAIL)
			log_print_error(&log, -log_error_status(&log));
		goto out;
	}
	log_err(&log, "unknown command '%s' (pmem-kdump --help)\n", cmd);
out:
	log_destroy(&log);
	return ret;
}
