/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_CMD_H
#define PK_CMD_H

/*
 * pmem-kdump's subcommands, as ndctl's builtins: each takes its own
 * argv (argv[0] is the subcommand's name), the backend to ask, where to
 * write, and the log that holds its error for main to print.
 */
#include <stdbool.h>
#include <stdio.h>

#include "src/namespace.h"
#include "util/log.h"

/* Exit statuses of every subcommand (pmem-kdump(8), EXIT STATUS). */
enum pk_exit {
	PK_EXIT_OK = 0,
	PK_EXIT_FAIL = 1,	/* the system could not be read; the error is in the log */
	PK_EXIT_USAGE = 2,	/* a bad command line; already printed */
	PK_EXIT_CHECK = 3,	/* check: an item FAILed (the report says which) */
};

struct pk_cmd_env {
	const struct pk_backend *backend;
	FILE *out;
	struct log_ctx *log;
};

int pk_cmd_list(int argc, char **argv, const struct pk_cmd_env *env);
int pk_cmd_check(int argc, char **argv, const struct pk_cmd_env *env);
int pk_cmd_forecast(int argc, char **argv, const struct pk_cmd_env *env);

/*
 * The options check and forecast share: -j, -h and the hidden --sysroot.
 * 0: run; 1: --help printed; 2: a bad command line, its error printed.
 */
int pk_parse_common(const char *cmd, const char *usage, int argc, char **argv,
		    const struct pk_cmd_env *env, bool *json, const char **root);

#endif
