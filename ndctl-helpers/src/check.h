/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_CHECK_H
#define PK_CHECK_H

/*
 * pmem-kdump check: the kdump chain for pmem, item by item, each PASS,
 * WARN or FAIL with its reason and its fix. pmem-kdump(8) states the
 * rules. Everything is read below a root prefix, namespaces and the
 * kernel's VMCOREINFO through the backend.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "src/namespace.h"
#include "util/log.h"

enum pk_verdict { PK_PASS, PK_WARN, PK_FAIL };

enum pk_check_id {
	PK_CHK_CRASHKERNEL,	/* reserved and loaded */
	PK_CHK_CMDLINE,		/* libnvdimm kept off pmem in the capture kernel */
	PK_CHK_KEXEC,		/* the crash header marks pmem */
	PK_CHK_MAKEDUMPFILE,	/* ours, first in kdump's PATH, user data out */
	PK_CHK_RESERVATION,	/* large enough for the capture kernel and the filter */
	PK_CHK_LAST_DUMP,	/* the last capture succeeded, whole, kept private */
	PK_CHK_NR
};

struct pk_check_item {
	enum pk_verdict v;
	char reason[1024];
	char fix[512];		/* "" for PASS */
};

/* Item 5's arithmetic (pmem-kdump(8), RESERVATION). */
#define PK_CAPTURE_RAM_FLOOR (64ULL << 20)

struct pk_check_need {
	bool known;		/* the sum could be made (a reservation exists) */
	uint64_t reserved;	/* kexec_crash_size */
	uint64_t init_size;	/* the capture kernel's bzImage init_size; 0: unknown */
	uint64_t initrd;	/* its initrd's size */
	uint64_t floor;		/* PK_CAPTURE_RAM_FLOOR */
	uint64_t filter;	/* makedumpfile's two bitmaps; 0: unknown */
	uint64_t total;
};

/* Item 6's facts, for the JSON output ("" when not known). */
struct pk_check_last {
	char dir[PATH_MAX];	/* kdump-tools' newest stamp folder */
	char dump[PATH_MAX];	/* the dump file in it */
	char capture[16];	/* makedumpfile's record: "ok", "failed" */
	char error[1024];	/* its error, or makedumpfile.FAILED's */
};

struct pk_check_report {
	struct pk_check_item item[PK_CHK_NR];
	struct pk_check_need need;
	struct pk_check_last last;
	bool pmem;		/* the system has persistent memory */
};

/*
 * Run every check below @root (NULL: the live system). 0 (the verdicts
 * are in @r, unreadable inputs being verdicts too), or -PMD_ENOMEM.
 */
int pk_check(const char *root, const struct pk_backend *be, struct pk_check_report *r,
	     struct log_ctx *log);

enum pk_verdict pk_check_worst(const struct pk_check_report *r);
const char *pk_check_name(enum pk_check_id id);		/* "crash-kernel", ... */
const char *pk_verdict_name(enum pk_verdict v);		/* "PASS", "WARN", "FAIL" */

/*
 * The libnvdimm guard of a kernel command line: the first word of
 * module_blacklist=/modprobe.blacklist= naming nfit or
 * initcall_blacklist= naming nfit_init, copied to @word; false if none.
 */
bool pk_cmdline_guard(const char *cmdline, char *word, size_t size);

#endif
