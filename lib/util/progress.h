/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_PROGRESS_H
#define PMD_UTIL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * "Copying data : [ 45.0 %]" on standard error for long runs, as
 * makedumpfile prints it; silent unless stderr is a terminal and the
 * message level has the progress bit.
 */
struct progress {
	const char *what;
	uint64_t total;
	uint64_t next_check;
	struct timespec last;
	bool enabled;
	bool shown;
};

struct log_ctx;

void progress_start(struct progress *p, const struct log_ctx *log, const char *what,
		    uint64_t total);
void progress_update_slow(struct progress *p, uint64_t done);
void progress_finish(struct progress *p);

/* Cheap enough to call per page: the clock is read every few thousand. */
static inline void progress_update(struct progress *p, uint64_t done)
{
	if (p && p->enabled && done >= p->next_check)
		progress_update_slow(p, done);
}

#endif
