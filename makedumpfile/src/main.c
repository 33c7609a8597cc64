// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/dump.h"
#include "src/options.h"
#include "util/log.h"

/*
 * One line for the first error the run met, worded for makedumpfile's
 * users. An existing device node is never removed, only written over.
 */
static void print_error(struct log_ctx *log, int ret, const char *dumpfile)
{
	struct stat st;

	if (log_error_status(log) == PMD_EEXIST) {
		if (dumpfile && lstat(dumpfile, &st) == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
			log_err(log, "%s; use -f to write the dump over its contents\n", log_error_text(log));
		else
			log_err(log, "%s; remove it or use -f to overwrite\n", log_error_text(log));
		return;
	}
	/*
	 * Every failure should have recorded its cause. One that did not is
	 * a bug; -1 says nothing (it reads as PMD_ENOTFMT), so do not guess.
	 */
	if (!log_error_status(log) && ret == -1) {
		log_err(log, "failed, and no cause was recorded: please report this as a bug\n");
		return;
	}
	log_print_error(log, ret);
}

int main(int argc, char **argv)
{
	struct log_ctx log;
	struct options opt;
	int ret = EXIT_FAILURE;

	log_init(&log, "makedumpfile");
	switch (options_parse(&opt, &log, argc, argv)) {
	case OPTIONS_EXIT_OK:
		ret = EXIT_SUCCESS;
		goto out;
	case OPTIONS_ERROR:
		goto out;
	case OPTIONS_RUN:
		break;
	}
	log.level = opt.message_level;
	/* With -F, standard output carries the dump: messages go to stderr. */
	if (opt.flatten)
		log.msg = stderr;
	if (opt.check_params) {
		ret = EXIT_SUCCESS;
		goto out;
	}
	ret = dump_main(&opt);
	if (ret < 0)
		print_error(&log, ret, opt.dumpfile);
	ret = ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
out:
	log_destroy(&log);
	return ret;
}
