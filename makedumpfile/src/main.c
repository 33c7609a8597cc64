// SPDX-License-Identifier: GPL-2.0-or-later
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/capture_record.h"
#include "src/dump.h"
#include "src/options.h"
#include "util/log.h"
#include "util/records.h"

/*
 * The one line for the first error the run met, worded for makedumpfile's
 * users, into @buf without the "makedumpfile: " that prints before it.
 * An existing device node is never removed, only written over.
 */
static void error_line(const struct log_ctx *log, int ret, const char *dumpfile, char *buf,
		       size_t size)
{
	struct stat st;

	if (log_error_status(log) == PMD_EEXIST) {
		if (dumpfile && lstat(dumpfile, &st) == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
			snprintf(buf, size, "%s; use -f to write the dump over its contents",
				 log_error_text(log));
		else
			snprintf(buf, size, "%s; remove it or use -f to overwrite", log_error_text(log));
		return;
	}
	/*
	 * Every failure should have recorded its cause. One that did not is
	 * a bug; -1 says nothing (it reads as PMD_ENOTFMT), so do not guess.
	 */
	if (!log_error_status(log) && ret == -1)
		snprintf(buf, size, "failed, and no cause was recorded: please report this as a bug");
	else if (log_error_status(log))
		snprintf(buf, size, "%s", log_error_text(log));
	else
		snprintf(buf, size, "%s", pmd_status_text(ret));
}

/* Print the error line and say in the capture record that the run failed. */
static void fail(struct log_ctx *log, struct capture_record *cr, int ret, const char *dumpfile)
{
	char line[1024];

	error_line(log, ret, dumpfile, line, sizeof(line));
	log_err(log, "%s\n", line);
	capture_record_end(cr, line, NULL);
}

int main(int argc, char **argv)
{
	struct capture_record cr;
	struct dump_report done;
	struct log_ctx log;
	struct options opt;
	int ret = EXIT_FAILURE;

	/*
	 * -F writes the dump down a pipe. When the reader dies (kdump-tools'
	 * cat on a full disk) the write must fail with EPIPE, so the run
	 * ends with its error line, its exit status and its capture record,
	 * instead of being killed without a word by SIGPIPE.
	 */
	signal(SIGPIPE, SIG_IGN);
	log_init(&log, "makedumpfile");
	/* Before options_parse(): getopt reorders argv. */
	capture_record_init(&cr, &log, argc, argv);
	switch (options_parse(&opt, &log, argc, argv)) {
	case OPTIONS_EXIT_OK:
		ret = EXIT_SUCCESS;
		goto out;
	case OPTIONS_ERROR:
		/* A kdump script's bad command line is a failed capture too. */
		capture_record_begin(&cr, capture_record_root(NULL, argc, argv), opt.dump_dmesg, NULL);
		fail(&log, &cr, -PMD_EINVAL, NULL);
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
	capture_record_begin(&cr, capture_record_root(&opt, argc, argv), opt.dump_dmesg,
			     opt.dumpfile ? opt.dumpfile : REC_CAP_OUTPUT_STDOUT);
	memset(&done, 0, sizeof(done));
	ret = dump_main(&opt, &done);
	if (ret < 0) {
		fail(&log, &cr, ret, opt.dumpfile);
		ret = EXIT_FAILURE;
	} else {
		capture_record_end(&cr, NULL, &done);
		ret = EXIT_SUCCESS;
	}
out:
	capture_record_free(&cr);
	log_destroy(&log);
	return ret;
}
