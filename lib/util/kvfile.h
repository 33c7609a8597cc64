/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_KVFILE_H
#define PMD_UTIL_KVFILE_H

/*
 * Small records of "key=value" lines that one tool writes and another
 * reads (util/records.h names them). A record is built in memory, then
 * written whole: kvfile_replace() through a new temporary file renamed
 * over the old one, so a reader sees the old record or the new one,
 * never a half; kvfile_create() as a new file only, never over one.
 *
 * A value is one line. A value holding a newline would forge the keys
 * after it, so kvfile_add() refuses it: the key is written with an empty
 * value and the call returns -PMD_EINVAL. Nothing is escaped, so a value
 * reads back byte for byte and the format stays the plain one kexec(8)
 * documents; a caller with free text (an argv, an error) flattens it
 * first.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/log.h"

/* A reader refuses a longer line, or a larger file, as malformed. */
#define KVFILE_LINE_MAX 8192
#define KVFILE_SIZE_MAX (64u << 10)

/* A record being built, lines in the order added. */
struct kvfile {
	char *text;
	size_t len, cap;
	int error;		/* -PMD_ENOMEM, -PMD_EINVAL (a bad key): kept, the write fails */
};

void kvfile_init(struct kvfile *kv);
void kvfile_free(struct kvfile *kv);

/*
 * Add "key=value" (@value NULL: empty). 0; -PMD_EINVAL for a value with a
 * newline (written empty, the record still good); -PMD_EINVAL for a key
 * that is empty or holds '=' or a newline, -PMD_ENOMEM: the record fails.
 */
int kvfile_add(struct kvfile *kv, const char *key, const char *value);
int kvfile_addf(struct kvfile *kv, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Replace "<root><path>" with the record (@root NULL or "": the live
 * system). The last folder of the path is created with @dir_mode when
 * missing (not its parents). The temporary file beside it is created
 * 0600 and exclusive (mkostemp), given @mode, flushed, renamed over the
 * record, and the folder flushed, so the record survives a reboot that
 * comes right after. 0, or -PMD_EIO / -PMD_EINVAL / -PMD_ENOMEM
 * recorded in @log; the old record is then untouched.
 */
int kvfile_replace(const struct kvfile *kv, const char *root, const char *path,
		   unsigned int dir_mode, unsigned int mode, struct log_ctx *log);

/*
 * Create @path (no root prefix: a path a record names) with the record,
 * 0600, never over an existing file or through a link: -PMD_EEXIST
 * (recorded) when something is there. A file that cannot be written
 * whole is removed. 0, or -PMD_EIO recorded.
 */
int kvfile_create(const struct kvfile *kv, const char *path, struct log_ctx *log);

/* A record read back. */
struct kvfile_pair {
	const char *key;
	const char *value;
};

struct kvfile_map {
	bool present;		/* false: there is no such file */
	struct timespec mtime;
	char *text;		/* the file, its lines cut into the pairs */
	struct kvfile_pair *pairs;
	size_t nr;
};

/*
 * Read "<root><path>". A missing file is present=false and 0. -PMD_EIO
 * (recorded) when it cannot be read; -PMD_ECORRUPT when it is not a
 * regular file, is larger than KVFILE_SIZE_MAX, holds a NUL byte or a
 * line longer than KVFILE_LINE_MAX. Lines without '=' are skipped; a
 * value keeps every '=' after the first. Free with kvfile_map_free()
 * whatever the result.
 */
int kvfile_read(struct kvfile_map *m, const char *root, const char *path, struct log_ctx *log);

/* The value of @key (the last line that has it wins), or NULL. */
const char *kvfile_get(const struct kvfile_map *m, const char *key);

void kvfile_map_free(struct kvfile_map *m);

#endif
