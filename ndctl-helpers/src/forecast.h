/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_FORECAST_H
#define PK_FORECAST_H

/*
 * pmem-kdump forecast: the size of the next dump for each pmem setting of
 * makedumpfile, from our makedumpfile's `--mem-usage /proc/kcore` report
 * (makedumpfile/src/report.c prints it; pmem-kdump(8), FORECAST).
 */
#include <stdbool.h>
#include <stdint.h>

#include "util/log.h"

/* The report's numbers: pages, except page_size and dump_size_31 (bytes). */
struct pk_mem_usage {
	uint64_t page_size;
	uint64_t zero, cache, cache_private, user, free, kern_data;
	bool pmem;			/* the PMEM_* lines were there */
	uint64_t pmem_meta, pmem_user;
	uint64_t total_pages;
	uint64_t dump_size_31;		/* "Dump size at -d 31" (pmem only), 0 if absent */
};

/* 0, or -PMD_ECORRUPT (recorded) when a line it needs is missing or bad. */
int pk_mem_usage_parse(const char *text, struct pk_mem_usage *u, struct log_ctx *log);

enum pk_forecast_setting {
	PK_FC_DEFAULT,		/* -d 31: metadata kept, user data out */
	PK_FC_D63,		/* -d 63: pmem metadata dropped too */
	PK_FC_USERDATA,		/* -d 31 --pmem-userdata: user data kept (at most) */
	PK_FC_NR
};

struct pk_forecast_row {
	const char *setting;	/* "default", "-d 63", "--pmem-userdata" */
	const char *args;	/* the makedumpfile arguments it stands for */
	uint64_t ram, pmem_meta, pmem_user, total;	/* bytes, uncompressed */
};

void pk_forecast(const struct pk_mem_usage *u, struct pk_forecast_row rows[PK_FC_NR]);

#endif
