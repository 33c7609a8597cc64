/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_LIVEDUMP_NOTE_H
#define PMD_DUMP_LIVEDUMP_NOTE_H

/*
 * A live dump (kernel series 2, doc/livedump-design.md, "The image") is
 * an ELF vmcore of a running kernel. Its note named LIVEDUMP says how
 * the capture went: NUL-terminated text, one KEY=value a line. A header
 * with STATE=running is written when the dump starts and one with the
 * final state at its end, so a target whose dump never finished cannot
 * pass for an image.
 *
 * This is the input's own description of itself, whatever format carries
 * its notes (an ELF image, or a kdump-compressed dump made from one).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kabi/pmem_kdump.h"

struct log_ctx;

#define LIVEDUMP_NOTE_NAME PMD_LIVEDUMP_NOTE_NAME
#define LIVEDUMP_NOTE_TYPE ((uint32_t)PMD_LIVEDUMP_NOTE_TYPE)

/* The ranges of a pfn list kept for messages; the others are counted. */
#define LIVEDUMP_RANGES_SHOWN 4

/*
 * LOST_PFNS or EXCLUDED_PFNS: ranges "START-END" of hexadecimal pfns (END
 * inclusive), comma separated, in ascending order; a long list ends in a
 * count of the ranges it leaves out.
 */
struct livedump_pfns {
	struct livedump_pfn_range {
		uint64_t start, end;	/* end inclusive, as the note writes it */
	} shown[LIVEDUMP_RANGES_SHOWN];
	unsigned int nr_shown;
	uint64_t nr_listed;	/* ranges the text lists */
	uint64_t nr_more;	/* ranges it only counts */
	uint64_t pages;		/* pages of the listed ranges */
};

enum livedump_state {
	LIVEDUMP_FINISHED,	/* STATE=finished, or no STATE line (older images) */
	LIVEDUMP_RUNNING,	/* the provisional header: interrupted, or still written */
	LIVEDUMP_UNFINISHED,	/* failed, cancelled, or any other state */
};

struct livedump_note {
	uint64_t version;
	enum livedump_state state;
	char state_name[24];	/* "finished" when the note has no STATE line */
	char reason[128];	/* printable ASCII, "" when none, cut with "..." */
	bool has_capture_time;
	uint64_t capture_sec;	/* CAPTURE_TIME, realtime */
	uint32_t capture_nsec;
	/* The counts, 0 when the note lacks them (only these two must be there). */
	bool has_pages_lost;
	uint64_t pages_lost;
	uint64_t pages_ram, pages_excluded, stop_us;
	struct livedump_pfns lost, excluded;
};

/*
 * Parse the desc of a LIVEDUMP note, @size bytes, which must hold a NUL.
 * Unknown keys are passed over; a known key given twice, a value that does
 * not parse, or a missing LIVEDUMP_VERSION is corrupt; so is a finished
 * dump without CAPTURE_TIME or PAGES_LOST, or lists of more pages than
 * their counts. 0, or -PMD_ECORRUPT (-PMD_EUNSUPPORTED for a version other
 * than 1) recorded in @log with @path naming the input.
 */
int livedump_note_parse(struct livedump_note *ln, const uint8_t *desc, size_t size,
			const char *path, struct log_ctx *log);

/*
 * The LIVEDUMP note among @size bytes of notes, parsed into @ln: 1; 0 when
 * there is none (not a live dump); -PMD_E* as livedump_note_parse(), or
 * -PMD_ECORRUPT for two of them.
 */
int livedump_note_find(struct livedump_note *ln, const uint8_t *notes, size_t size,
		       const char *path, struct log_ctx *log);

/*
 * 0 for a finished dump; else -PMD_ECORRUPT recorded with a line that
 * names the state and the reason: the image is not a whole capture.
 */
int livedump_note_check_finished(const struct livedump_note *ln, const char *path,
				 struct log_ctx *log);

#endif
