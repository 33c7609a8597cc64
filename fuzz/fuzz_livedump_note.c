// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/dump/livedump_note.c: a LIVEDUMP note's text as the desc of a note,
 * parsed and checked as a finished dump; then the same bytes as a whole
 * PT_NOTE's contents, searched for the note (any notes, corrupt ones too).
 */
#include <stdlib.h>
#include <string.h>

#include "dump/livedump_note.h"
#include "elfcore/elfcore.h"
#include "fuzz.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct livedump_note ln;
	struct log_ctx log;
	uint8_t *notes;
	size_t n;

	fuzz_log_init(&log);
	if (livedump_note_parse(&ln, data, size, "fuzz", &log) == 0)
		livedump_note_check_finished(&ln, "fuzz", &log);
	log_clear_error(&log);
	/* As the note among others (a VMCOREINFO before it), then as raw notes. */
	n = elfcore_note_size("VMCOREINFO", 4) + elfcore_note_size(LIVEDUMP_NOTE_NAME, size);
	notes = malloc(n);
	if (notes) {
		size_t off = elfcore_note_put(notes, "VMCOREINFO", 0, "A=1\n", 4);

		elfcore_note_put(notes + off, LIVEDUMP_NOTE_NAME, LIVEDUMP_NOTE_TYPE, data, size);
		livedump_note_find(&ln, notes, n, "fuzz", &log);
		log_clear_error(&log);
		free(notes);
	}
	livedump_note_find(&ln, data, size, "fuzz", &log);
	fuzz_log_destroy(&log);
	return 0;
}
