/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_STATUS_H
#define LIVEDUMP_STATUS_H

/*
 * /sys/kernel/livedump/status: key=value lines, parsed into numbers, and
 * printed for a person or as JSON in ndctl's manner. The kernel prints
 * only state and reason before its first dump, and may add keys in a
 * later version: a missing key is "not known", never 0, and a key we do
 * not know is kept and shown as it came.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "util/kvfile.h"
#include "util/log.h"

enum ld_state {
	LD_STATE_UNKNOWN,	/* a name this livedump does not know */
	LD_STATE_IDLE,
	LD_STATE_SETUP,
	LD_STATE_RUNNING,
	LD_STATE_WRITING,
	LD_STATE_FINISHED,
	LD_STATE_FAILED,
	LD_STATE_CANCELLED,
};

/* The numbers of the status, in the kernel's order. */
enum ld_count {
	LD_BUFFER_PAGES,
	LD_PAGES_RAM,
	LD_PAGES_STOP,
	LD_PAGES_FAULT,
	LD_PAGES_SWEEP,
	LD_PAGES_UNPROTECTED,
	LD_PAGES_LOST,
	LD_PAGES_EXCLUDED,
	LD_PAGES_LEFT,
	LD_BUFFER_MAX_USED,
	LD_SPLITS,
	LD_WRITE_ERRORS,
	LD_STOP_NEED,
	LD_SETUP_SPLITS,
	LD_PAGES_PMEM,
	LD_STOP_US,
	LD_STOP_MACHINE_US,
	LD_TOTAL_MS,
	LD_NR_COUNTS
};

/* "pages_ram", ...: the key of each number. */
extern const char *const ld_count_key[LD_NR_COUNTS];

struct ld_extra {
	const char *key, *value;	/* into the map the status was parsed from */
};

struct ld_status {
	enum ld_state state;
	const char *state_name;		/* as the kernel wrote it */
	const char *reason;		/* "" when none */
	const char *target;		/* NULL when not given */
	int64_t count[LD_NR_COUNTS];
	uint32_t have;			/* bit (1 << ld_count) per number given */
	struct ld_extra *extra;		/* keys we do not know, in order */
	size_t nr_extra;
	struct kvfile_map map;		/* the text the strings point into */
};

/*
 * Parse @map (taken over: freed with the status). -PMD_ECORRUPT
 * (recorded) without a state line, or with a known key whose value is not
 * a decimal number. Free with ld_status_free() whatever the result.
 */
int ld_status_parse(struct ld_status *st, struct kvfile_map *map, struct log_ctx *log);
void ld_status_free(struct ld_status *st);

static inline bool ld_status_has(const struct ld_status *st, enum ld_count c)
{
	return st->have & (1u << c);
}

/* setup, running or writing: a dump holds the kernel. */
bool ld_state_active(enum ld_state s);
/* finished, failed or cancelled. */
bool ld_state_ended(enum ld_state s);

/*
 * The progress in percent, (pages_ram - pages_left) / pages_ram; false
 * when the status does not tell (no dump yet, or still in setup).
 */
bool ld_status_progress(const struct ld_status *st, double *percent);

/*
 * The image's size in bytes as the kernel lays it out: @header_bytes,
 * then pages_ram and pages_pmem pages. 0 when pages_ram is not known.
 */
uint64_t ld_status_image_bytes(const struct ld_status *st, uint64_t header_bytes);

/* For a person: one "name: value" line per thing the status tells. */
void ld_status_print(FILE *out, const struct ld_status *st);

/* As ndctl prints: an object, the kernel's keys, numbers as numbers. NULL: no memory. */
struct json_object *ld_status_json(const struct ld_status *st);
/* Print @obj (and drop it) pretty, as ndctl does. 0, or -1 when writing failed. */
int ld_json_print(FILE *out, struct json_object *obj);

#endif
