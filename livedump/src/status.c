// SPDX-License-Identifier: GPL-2.0-or-later
/* The status of the live dump: parsed, printed, as JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "src/status.h"

const char *const ld_count_key[LD_NR_COUNTS] = {
	[LD_BUFFER_PAGES] = "buffer_pages",
	[LD_PAGES_RAM] = "pages_ram",
	[LD_PAGES_STOP] = "pages_stop",
	[LD_PAGES_FAULT] = "pages_fault",
	[LD_PAGES_SWEEP] = "pages_sweep",
	[LD_PAGES_UNPROTECTED] = "pages_unprotected",
	[LD_PAGES_LOST] = "pages_lost",
	[LD_PAGES_EXCLUDED] = "pages_excluded",
	[LD_PAGES_LEFT] = "pages_left",
	[LD_BUFFER_MAX_USED] = "buffer_max_used",
	[LD_SPLITS] = "splits",
	[LD_WRITE_ERRORS] = "write_errors",
	[LD_STOP_NEED] = "stop_need",
	[LD_SETUP_SPLITS] = "setup_splits",
	[LD_PAGES_PMEM] = "pages_pmem",
	[LD_STOP_US] = "stop_us",
	[LD_STOP_MACHINE_US] = "stop_machine_us",
	[LD_TOTAL_MS] = "total_ms",
};

static const char *const state_names[] = {
	[LD_STATE_IDLE] = "idle",
	[LD_STATE_SETUP] = "setup",
	[LD_STATE_RUNNING] = "running",
	[LD_STATE_WRITING] = "writing",
	[LD_STATE_FINISHED] = "finished",
	[LD_STATE_FAILED] = "failed",
	[LD_STATE_CANCELLED] = "cancelled",
};

#define NR_STATES (sizeof(state_names) / sizeof(state_names[0]))

/* A whole decimal number, sign allowed: the kernel prints most counts with %ld. */
static bool parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int count_index(const char *key)
{
	for (int i = 0; i < LD_NR_COUNTS; i++)
		if (!strcmp(key, ld_count_key[i]))
			return i;
	return -1;
}

int ld_status_parse(struct ld_status *st, struct kvfile_map *map, struct log_ctx *log)
{
	memset(st, 0, sizeof(*st));
	st->map = *map;
	memset(map, 0, sizeof(*map));
	st->reason = "";
	st->extra = calloc(st->map.nr ? st->map.nr : 1, sizeof(*st->extra));
	if (!st->extra)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->map.nr; i++) {
		const char *key = st->map.pairs[i].key, *value = st->map.pairs[i].value;
		int c = count_index(key);

		if (!strcmp(key, "state")) {
			st->state_name = value;
		} else if (!strcmp(key, "reason")) {
			st->reason = value;
		} else if (!strcmp(key, "target")) {
			st->target = value;
		} else if (c >= 0) {
			if (!parse_int(value, &st->count[c]))
				return log_fail(log, PMD_ECORRUPT,
						"live dump status: %s=%.64s is not a number", key, value);
			st->have |= 1u << c;
		} else {
			st->extra[st->nr_extra].key = key;
			st->extra[st->nr_extra++].value = value;
		}
	}
	if (!st->state_name)
		return log_fail(log, PMD_ECORRUPT, "live dump status: no state line");
	st->state = LD_STATE_UNKNOWN;
	for (size_t s = 0; s < NR_STATES; s++)
		if (state_names[s] && !strcmp(st->state_name, state_names[s]))
			st->state = (enum ld_state)s;
	return 0;
}

void ld_status_free(struct ld_status *st)
{
	free(st->extra);
	kvfile_map_free(&st->map);
	memset(st, 0, sizeof(*st));
}

bool ld_state_active(enum ld_state s)
{
	return s == LD_STATE_SETUP || s == LD_STATE_RUNNING || s == LD_STATE_WRITING;
}

bool ld_state_ended(enum ld_state s)
{
	return s == LD_STATE_FINISHED || s == LD_STATE_FAILED || s == LD_STATE_CANCELLED;
}

bool ld_status_progress(const struct ld_status *st, double *percent)
{
	int64_t ram = st->count[LD_PAGES_RAM], left = st->count[LD_PAGES_LEFT];

	if (!ld_status_has(st, LD_PAGES_RAM) || !ld_status_has(st, LD_PAGES_LEFT) || ram <= 0)
		return false;
	if (left < 0)
		left = 0;
	if (left > ram)
		left = ram;
	*percent = 100.0 * (double)(ram - left) / (double)ram;
	return true;
}

uint64_t ld_status_image_bytes(const struct ld_status *st, uint64_t header_bytes)
{
	uint64_t pages;

	if (!ld_status_has(st, LD_PAGES_RAM) || st->count[LD_PAGES_RAM] <= 0)
		return 0;
	pages = (uint64_t)st->count[LD_PAGES_RAM];
	/* pmem memmaps copied in the stop follow the RAM in the file. */
	if (ld_status_has(st, LD_PAGES_PMEM) && st->count[LD_PAGES_PMEM] > 0)
		pages += (uint64_t)st->count[LD_PAGES_PMEM];
	/* A count no machine has: too large for any target, not a small wrapped number. */
	if (pages > (UINT64_MAX - header_bytes) / 4096)
		return UINT64_MAX;
	return header_bytes + pages * 4096;
}

/* ", name N" for each count given; the first without the comma. */
static void print_counts(FILE *out, const struct ld_status *st, const enum ld_count *which,
			 const char *const *names, size_t nr)
{
	const char *sep = "";

	for (size_t i = 0; i < nr; i++) {
		if (!ld_status_has(st, which[i]))
			continue;
		fprintf(out, "%s%s %" PRId64, sep, names[i], st->count[which[i]]);
		sep = ", ";
	}
	fputc('\n', out);
}

static bool has_any(const struct ld_status *st, const enum ld_count *which, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (ld_status_has(st, which[i]))
			return true;
	return false;
}

void ld_status_print(FILE *out, const struct ld_status *st)
{
	static const enum ld_count pages[] = {
		LD_PAGES_STOP, LD_PAGES_FAULT, LD_PAGES_SWEEP,
		LD_PAGES_UNPROTECTED, LD_PAGES_LOST, LD_PAGES_EXCLUDED,
	};
	static const char *const page_names[] = {
		"stop", "fault", "sweep", "unprotected", "lost", "excluded",
	};
	const int64_t *v = st->count;
	double pct;

	fprintf(out, "state:        %s\n", st->state_name);
	if (*st->reason)
		fprintf(out, "reason:       %s\n", st->reason);
	if (st->target)
		fprintf(out, "target:       %s\n", st->target);
	if (ld_status_progress(st, &pct))
		fprintf(out, "progress:     %.1f %% (%" PRId64 " of %" PRId64 " pages left)\n", pct,
			v[LD_PAGES_LEFT], v[LD_PAGES_RAM]);
	if (has_any(st, pages, sizeof(pages) / sizeof(pages[0]))) {
		fputs("pages:        ", out);
		print_counts(out, st, pages, page_names, sizeof(pages) / sizeof(pages[0]));
	}
	if (ld_status_has(st, LD_PAGES_PMEM))
		fprintf(out, "pmem pages:   %" PRId64 " (memmaps, beside the RAM)\n", v[LD_PAGES_PMEM]);
	if (ld_status_has(st, LD_BUFFER_PAGES)) {
		fprintf(out, "buffer:       %" PRId64 " pages (%" PRId64 " MiB)", v[LD_BUFFER_PAGES],
			v[LD_BUFFER_PAGES] / 256);
		if (ld_status_has(st, LD_BUFFER_MAX_USED) && v[LD_BUFFER_PAGES] > 0)
			fprintf(out, ", %" PRId64 " used at most (%.1f %%)", v[LD_BUFFER_MAX_USED],
				100.0 * (double)v[LD_BUFFER_MAX_USED] / (double)v[LD_BUFFER_PAGES]);
		fputc('\n', out);
	}
	if (ld_status_has(st, LD_STOP_US)) {
		fprintf(out, "stop:         %" PRId64 " us", v[LD_STOP_US]);
		if (ld_status_has(st, LD_STOP_MACHINE_US))
			fprintf(out, " (stop_machine %" PRId64 " us)", v[LD_STOP_MACHINE_US]);
		if (ld_status_has(st, LD_STOP_NEED))
			fprintf(out, ", %" PRId64 " pages to copy in it", v[LD_STOP_NEED]);
		fputc('\n', out);
	}
	if (ld_status_has(st, LD_SPLITS)) {
		fprintf(out, "splits:       %" PRId64 " on write faults", v[LD_SPLITS]);
		if (ld_status_has(st, LD_SETUP_SPLITS))
			fprintf(out, ", %" PRId64 " at setup", v[LD_SETUP_SPLITS]);
		fputc('\n', out);
	}
	if (ld_status_has(st, LD_WRITE_ERRORS))
		fprintf(out, "write errors: %" PRId64 "\n", v[LD_WRITE_ERRORS]);
	/* The kernel sets total_ms when the dump ends; before, it reads 0. */
	if (ld_status_has(st, LD_TOTAL_MS) && ld_state_ended(st->state))
		fprintf(out, "total:        %" PRId64 " ms\n", v[LD_TOTAL_MS]);
	for (size_t i = 0; i < st->nr_extra; i++)
		fprintf(out, "%s: %s\n", st->extra[i].key, st->extra[i].value);
}

/* json_object_object_add that remembers a failed allocation. */
static void add(struct json_object *o, const char *key, struct json_object *v, bool *err)
{
	if (!v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		*err = true;
	}
}

struct json_object *ld_status_json(const struct ld_status *st)
{
	struct json_object *o = json_object_new_object();
	bool err = !o;
	char pct_text[16];
	double pct;
	int64_t n;

	if (err)
		return NULL;
	add(o, "state", json_object_new_string(st->state_name), &err);
	if (*st->reason)
		add(o, "reason", json_object_new_string(st->reason), &err);
	if (st->target)
		add(o, "target", json_object_new_string(st->target), &err);
	if (ld_status_progress(st, &pct)) {
		/* Printed with one decimal, as the human form, not as 45.000000000001. */
		snprintf(pct_text, sizeof(pct_text), "%.1f", pct);
		add(o, "progress_percent", json_object_new_double_s(pct, pct_text), &err);
	}
	for (int c = 0; c < LD_NR_COUNTS; c++)
		if (ld_status_has(st, (enum ld_count)c))
			add(o, ld_count_key[c], json_object_new_int64(st->count[c]), &err);
	/* A key of a newer kernel: a number when it is one, else its text. */
	for (size_t i = 0; i < st->nr_extra; i++) {
		const struct ld_extra *x = &st->extra[i];

		add(o, x->key, parse_int(x->value, &n) ? json_object_new_int64(n) :
			       json_object_new_string(x->value), &err);
	}
	if (err) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int ld_json_print(FILE *out, struct json_object *obj)
{
	int ret = fprintf(out, "%s\n", json_object_to_json_string_ext(obj,
			  JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(obj);
	return ret < 0 ? -1 : 0;
}
