/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_RECORDS_H
#define PMD_UTIL_RECORDS_H

/*
 * The records pmemdump's tools leave for each other, as util/kvfile.h
 * writes and reads them: where each one lives and its keys. A writer and
 * its readers are different programs (kexec writes what pmem-kdump check
 * reads; makedumpfile in the capture kernel writes what check reads in
 * the next boot), so the names are here, in one place, and not in either
 * tool. The files are documented in kexec(8), makedumpfile(8) and
 * pmem-kdump(8); test/lab reads them too. Paths are below a root prefix
 * (util/sysfs.h), "" on the live system.
 */

/*
 * kexec's record of the loaded crash kernel, written after each -p load
 * and removed by -p -u: the kernel keeps no copy of the capture command
 * line that user space can read. The keys are written in this order.
 * World-readable, as before it was written through kvfile: it holds no
 * more than /proc/cmdline shows, and a check run as a user reads it.
 */
#define REC_LOAD_PATH		"/run/pmemdump/kexec-crash.load"
#define REC_LOAD_DIR_MODE	0755
#define REC_LOAD_MODE		0644
#define REC_LOAD_SYSCALL	"syscall"	/* kexec_load, kexec_file_load */
#define REC_LOAD_KERNEL		"kernel"
#define REC_LOAD_INITRD		"initrd"	/* empty: none */
#define REC_LOAD_PMEM		"pmem"		/* all, memmap, none; empty with kexec_file_load */
#define REC_LOAD_CMDLINE	"cmdline"	/* as the capture kernel gets it */

/*
 * makedumpfile's record of its last run on /proc/vmcore, in the capture
 * kernel: kdump-tools pipes the dump through a compressor and keeps the
 * compressor's exit status, so a failed makedumpfile would otherwise
 * look like a saved dump. Replaced at the start of a run by one that
 * says failed ("did not finish"), then at its end by the outcome, so a
 * run killed by a signal never reads as ok. Under /var, not /run: it is
 * read in the boot after the capture. 0600 in a 0700 folder: the error
 * line and the paths are root's business.
 */
#define REC_CAPTURE_PATH	"/var/lib/pmemdump/last-capture"
#define REC_CAPTURE_DIR_MODE	0700
#define REC_CAPTURE_MODE	0600
/*
 * A copy of a failed run's record, created (never replaced) beside the
 * --dump-dmesg output, in kdump-tools' stamp directory.
 */
#define REC_CAPTURE_FAILED_NAME	"makedumpfile.FAILED"
#define REC_CAP_BOOT_ID		"boot_id"	/* /proc/sys/kernel/random/boot_id */
#define REC_CAP_TIME		"time"		/* the run's start, UTC ISO 8601 */
#define REC_CAP_ARGV		"argv"		/* the command line, words joined by spaces */
#define REC_CAP_MODE		"mode"		/* REC_CAP_MODE_DUMP or _DMESG */
#define REC_CAP_DMESG		"dmesg"		/* --dump-dmesg output of this boot id; empty: none */
#define REC_CAP_OUTPUT		"output"	/* the dump or log written; "-": -F, standard output */
#define REC_CAP_STATUS		"status"	/* REC_CAP_STATUS_OK or _FAILED */
#define REC_CAP_ERROR		"error"		/* the error line, without "makedumpfile: " */
#define REC_CAP_PAGES		"pages"		/* pages in the dump; empty unless a dump is ok */
#define REC_CAP_BYTES		"bytes"		/* bytes written; empty unless a dump is ok */

#define REC_CAP_MODE_DUMP	"dump"
#define REC_CAP_MODE_DMESG	"dmesg"
#define REC_CAP_STATUS_OK	"ok"
#define REC_CAP_STATUS_FAILED	"failed"
#define REC_CAP_OUTPUT_STDOUT	"-"
/* The error a record says until the run replaces it with its outcome. */
#define REC_CAP_UNFINISHED	"did not finish (killed, or the system went down)"

#endif
