/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_LASTDUMP_H
#define PK_LASTDUMP_H

/*
 * What the last capture left, for `pmem-kdump check`'s last-dump item:
 * our makedumpfile's record of its last run in a capture kernel
 * (util/records.h, REC_CAPTURE_*) and kdump-tools' newest stamp folder,
 * $KDUMP_COREDIR/2*. kdump-tools keeps its compressor's exit status, not
 * makedumpfile's, so the record, a makedumpfile.FAILED beside the dump
 * and the flattened dump's end marker are what tell a saved dump from a
 * failed one. Every path is read below a root prefix (NULL or "": the
 * live system); the paths kept here are without it.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* makedumpfile's record (REC_CAPTURE_PATH). */
struct pk_capture {
	bool present;
	bool unreadable;		/* there, but not readable (not root) or malformed */
	char why[512];			/* when unreadable */
	bool failed;			/* status= is not "ok" */
	bool dmesg_mode;		/* mode=dmesg: the dump run left no record */
	char time[32];
	char argv[1024];
	char dmesg[PATH_MAX];		/* "": none */
	char output[PATH_MAX];		/* "-": standard output */
	char error[1024];
	char pages[24];
	struct timespec mtime;
};
/* Never fails: what cannot be read is said in @c. */
void pk_capture_read(const char *root, struct pk_capture *c);

/* Is @file (a path a record names) in the folder @dir? Repeated slashes are one. */
bool pk_path_in_dir(const char *file, const char *dir);

/* What a dump file's bytes say. */
enum pk_dump_state {
	PK_DUMP_NONE,			/* no dump file */
	PK_DUMP_WHOLE,			/* flattened, with its end marker */
	PK_DUMP_NOT_FLAT,		/* not flattened (no -F, or compressed): end not checked */
	PK_DUMP_EMPTY,
	PK_DUMP_CUT,			/* flattened, cut short or damaged */
	PK_DUMP_UNREADABLE,
};

/* kdump-tools' newest stamp folder. */
struct pk_stamp_dir {
	bool present;
	char path[PATH_MAX];		/* "<coredir>/<stamp>" */
	unsigned int mode;
	struct timespec mtime;
	bool failed_file;		/* makedumpfile.FAILED is there */
	char failed_error[1024];	/* its error=, "" when unreadable */
	char dump[PATH_MAX];		/* the dump's name in it; "": none */
	unsigned int dump_mode;
	enum pk_dump_state state;
	char why[512];			/* PK_DUMP_CUT, PK_DUMP_UNREADABLE: what is wrong */
};

/*
 * The newest "2*" folder of @coredir (kdump-tools' stamps, YYYYMMDDHHMM,
 * sort by name) and what is in it. The dump is @record_output when the
 * record names a file in that folder, else the newest dump.* file. Never
 * fails: a missing @coredir is no folder, what cannot be read is said in @d.
 */
void pk_stamp_dir_read(const char *root, const char *coredir, const char *record_output,
		       struct pk_stamp_dir *d);

#endif
