/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_FILTER_H
#define LIVEDUMP_FILTER_H

/*
 * `livedump dump --filter ARGS`: pmemdump's makedumpfile run on the
 * finished capture as `makedumpfile ARGS CAPTURE FILE`, so that only the
 * filtered dump (pmem user data left out) is kept.
 */
#include <stddef.h>

#include "util/log.h"

#define LD_MAKEDUMPFILE_ENV "PMEMDUMP_MAKEDUMPFILE"

/*
 * The makedumpfile to run, into @out: @given (--makedumpfile) when set,
 * else $PMEMDUMP_MAKEDUMPFILE, else the one installed beside this
 * program (make install puts both in $(sbindir)), else the first in
 * $PATH (the Debian package's /usr/bin/makedumpfile). Found before the
 * dump starts, so that a missing one costs no capture. 0, or -PMD_EINVAL
 * recorded.
 */
int ld_find_makedumpfile(const char *given, char *out, size_t size, struct log_ctx *log);

/*
 * --filter's text as words: blanks separate them, '...' and "..." quote,
 * a backslash takes the next character as it is. No expansion of any
 * kind. -F is refused: the dump goes to FILE, not to standard output.
 * *@argv is malloc'ed, NULL-terminated; free with ld_free_words().
 */
int ld_split_words(const char *text, char ***argv, size_t *nr, struct log_ctx *log);
void ld_free_words(char **argv);

/*
 * Run @program @args... @capture @out and wait for it. 0 when it exited
 * 0; else -PMD_EIO with its exit status or signal recorded.
 */
int ld_filter_run(const char *program, char *const *args, size_t nr, const char *capture,
		  const char *out, struct log_ctx *log);

#endif
