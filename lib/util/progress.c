// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <unistd.h>

#include "util/log.h"
#include "util/progress.h"

#define CHECK_EVERY 4096
#define INTERVAL_NS 500000000LL

void progress_start(struct progress *p, const struct log_ctx *log, const char *what,
		    uint64_t total)
{
	p->what = what;
	p->total = total ? total : 1;
	p->next_check = CHECK_EVERY;
	p->enabled = log_enabled(log, LOG_PROGRESS) && isatty(STDERR_FILENO);
	p->shown = false;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
}

static void show(struct progress *p, uint64_t done)
{
	fprintf(stderr, "\r%-34s : [%5.1f %%] ", p->what, 100.0 * (double)done / (double)p->total);
	p->shown = true;
}

void progress_update_slow(struct progress *p, uint64_t done)
{
	struct timespec now;
	long long ns;

	p->next_check = done + CHECK_EVERY;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (now.tv_sec - p->last.tv_sec) * 1000000000LL + (now.tv_nsec - p->last.tv_nsec);
	if (ns < INTERVAL_NS)
		return;
	p->last = now;
	show(p, done > p->total ? p->total : done);
}

void progress_finish(struct progress *p)
{
	if (!p->enabled || !p->shown)
		return;
	show(p, p->total);
	fputc('\n', stderr);
}
