/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_SRC_CAPTURE_RECORD_H
#define MDF_SRC_CAPTURE_RECORD_H

/*
 * The record of a run in a capture kernel. kdump-tools pipes our -F output
 * through a compressor and keeps the compressor's exit status, so a failed
 * dump would read as "saved vmcore". A run whose input is /proc/vmcore
 * therefore says how it ended in /var/lib/pmemdump/last-capture (keys and
 * paths in util/records.h), and on failure also on the console
 * (/dev/kmsg) and as makedumpfile.FAILED beside the --dump-dmesg output,
 * in the folder that holds the dump. pmem-kdump check reads them in the
 * next boot.
 *
 * The record is written twice: at the start it says failed, "did not
 * finish", so a run killed by a signal or a power cut never reads as ok;
 * at the end it says how the run ended. The --dump-dmesg run and the dump
 * run are two processes: the dump run learns kdump-tools' stamp folder
 * from the record the dmesg run left in the same boot (same boot_id).
 *
 * Every path the record is kept at (the record, the boot id, /dev/kmsg)
 * is below the root prefix given to capture_record_begin(), so the tests
 * write in a temporary folder; main() gives "/" only for /proc/vmcore.
 * The paths a record names (dmesg=, output=, and the FAILED copy beside
 * dmesg=) are the run's own, as given. Nothing here fails the run: a
 * record that cannot be written costs one warning.
 */
#include <limits.h>
#include <stdbool.h>

#include "src/options.h"
#include "src/report.h"
#include "util/log.h"

struct capture_record {
	struct log_ctx *log;	/* the run's: the warning, if any */
	const char *root;	/* NULL: this run keeps no record */
	char *argv;		/* the command line, as it was given */
	bool dmesg_mode;
	bool warned;
	char boot_id[64];
	char time[32];
	char dmesg[PATH_MAX];
	char output[PATH_MAX];
};

/*
 * Keep the command line (@argv joined by spaces, newlines made spaces).
 * Before options_parse(), which reorders @argv. 0 or -PMD_ENOMEM (then
 * the record has an empty argv).
 */
int capture_record_init(struct capture_record *cr, struct log_ctx *log, int argc, char **argv);

/*
 * The root a run's record goes below: "/" when the input is /proc/vmcore
 * (spelled so: what kdump scripts pass) and the run writes a dump or the
 * log, NULL otherwise (--check-params, --mem-usage, -R, another input).
 * @o NULL: the command line did not parse; then a word /proc/vmcore
 * anywhere in it counts, unless --check-params is there too.
 */
const char *capture_record_root(const struct options *o, int argc, char **argv);

/*
 * The start of the run: a record that says failed, "did not finish",
 * written below @root (NULL: the run keeps no record, and the calls below
 * do nothing). @output is the dump or log file, REC_CAP_OUTPUT_STDOUT for
 * -F, NULL when not known (a command line that did not parse).
 */
void capture_record_begin(struct capture_record *cr, const char *root, bool dmesg_mode,
			  const char *output);

/*
 * The end: ok (@error NULL; @done the dump's report, NULL for the log),
 * or failed with @error, the text of the error line as printed without
 * "makedumpfile: ". A failure also goes to <root>/dev/kmsg and, when the
 * dmesg output is known, to makedumpfile.FAILED in its folder (created
 * once, never replaced).
 */
void capture_record_end(struct capture_record *cr, const char *error,
			const struct dump_report *done);

void capture_record_free(struct capture_record *cr);

#endif
