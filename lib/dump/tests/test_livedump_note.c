// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The LIVEDUMP note parser on the texts kernel/livedump.c writes (its
 * provisional header, a finished, failed and cancelled dump, an image of
 * before STATE existed) and on malformed ones: no NUL, huge numbers,
 * missing and duplicate keys, bad range lists. The expected values are
 * the texts' own numbers, written out here by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dump/livedump_note.h"
#include "elfcore/elfcore.h"
#include "util/log.h"

static struct log_ctx test_log;

/* What kernel/livedump.c's ld_note_text() writes at the end of a good dump. */
#define FINISHED_TEXT \
	"LIVEDUMP_VERSION=1\n" \
	"STATE=finished\n" \
	"REASON=\n" \
	"CAPTURE_TIME=1764451200.000012345\n" \
	"STOP_US=32600\n" \
	"PAGES_RAM=262144\nPAGES_STOP=7788\nPAGES_FAULT=2515\n" \
	"PAGES_SWEEP=225881\nPAGES_UNPROTECTED=2530\n" \
	"PAGES_LOST=3\nPAGES_EXCLUDED=23296\n" \
	"PAGES_PMEM=1536\n" \
	"NOT_CAPTURED=dma,user-mappings,user-pte-accessed-dirty,text-poke,vmap-after-stop,cpa-set-rw,pmem\n" \
	"LOST_PFNS=1a2-1a3,7fff0-7fff0\n" \
	"EXCLUDED_PFNS=\n"

/* Parse a C string as the kernel writes it: the NUL is part of the desc. */
static int parse(struct livedump_note *ln, const char *text)
{
	log_clear_error(&test_log);
	return livedump_note_parse(ln, (const uint8_t *)text, strlen(text) + 1, "IMG", &test_log);
}

/* A malformed text: corrupt, and the message says @what. */
static void assert_corrupt(const char *text, const char *what)
{
	struct livedump_note ln;

	assert_int_equal(parse(&ln, text), -PMD_ECORRUPT);
	if (!strstr(log_error_text(&test_log), what))
		fail_msg("\"%s\" does not say \"%s\"", log_error_text(&test_log), what);
	assert_non_null(strstr(log_error_text(&test_log), "IMG: corrupt LIVEDUMP note: "));
}

static void finished_dump(void **state)
{
	struct livedump_note ln;

	(void)state;
	assert_int_equal(parse(&ln, FINISHED_TEXT), 0);
	assert_int_equal(ln.version, 1);
	assert_int_equal(ln.state, LIVEDUMP_FINISHED);
	assert_string_equal(ln.state_name, "finished");
	assert_string_equal(ln.reason, "");
	assert_true(ln.has_capture_time);
	assert_int_equal(ln.capture_sec, 1764451200);
	assert_int_equal(ln.capture_nsec, 12345);
	assert_int_equal(ln.stop_us, 32600);
	assert_int_equal(ln.pages_ram, 262144);
	assert_int_equal(ln.pages_lost, 3);
	assert_int_equal(ln.pages_excluded, 23296);
	assert_int_equal(ln.lost.nr_listed, 2);
	assert_int_equal(ln.lost.nr_more, 0);
	assert_int_equal(ln.lost.pages, 3);
	assert_int_equal(ln.lost.nr_shown, 2);
	assert_int_equal(ln.lost.shown[0].start, 0x1a2);
	assert_int_equal(ln.lost.shown[0].end, 0x1a3);
	assert_int_equal(ln.lost.shown[1].start, 0x7fff0);
	assert_int_equal(ln.lost.shown[1].end, 0x7fff0);
	assert_int_equal(ln.excluded.nr_listed, 0);
	assert_int_equal(livedump_note_check_finished(&ln, "IMG", &test_log), 0);
}

/* Before STATE existed a note was written only for a finished dump. */
static void no_state_is_finished(void **state)
{
	struct livedump_note ln;

	(void)state;
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nCAPTURE_TIME=5.5\nPAGES_LOST=0\n"
				    "LOST_PFNS=\nEXCLUDED_PFNS=\n"), 0);
	assert_int_equal(ln.state, LIVEDUMP_FINISHED);
	assert_string_equal(ln.state_name, "finished");
	/* A fraction of fewer than 9 digits is still a fraction of a second. */
	assert_int_equal(ln.capture_sec, 5);
	assert_int_equal(ln.capture_nsec, 500000000);
	/* The last line needs no newline, and blank lines are passed over. */
	assert_int_equal(parse(&ln, "\nLIVEDUMP_VERSION=1\n\nCAPTURE_TIME=1.000000001\nPAGES_LOST=0"), 0);
	assert_int_equal(ln.capture_nsec, 1);
}

static void unfinished_states(void **state)
{
	struct livedump_note ln;

	(void)state;
	/* The provisional header: no reason; the check says what it means. */
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nSTATE=running\nREASON=\n"), 0);
	assert_int_equal(ln.state, LIVEDUMP_RUNNING);
	assert_int_equal(livedump_note_check_finished(&ln, "IMG", &test_log), -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&test_log),
			    "IMG is a live dump that did not finish (state running: the dump was interrupted or is still being written)");

	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nSTATE=failed\nREASON=copy buffer full\n"
				    "CAPTURE_TIME=1.0\nPAGES_LOST=7\n"), 0);
	assert_int_equal(ln.state, LIVEDUMP_UNFINISHED);
	assert_int_equal(livedump_note_check_finished(&ln, "IMG", &test_log), -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&test_log),
			    "IMG is a live dump that did not finish (state failed: copy buffer full)");

	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nSTATE=cancelled\nREASON=\n"), 0);
	log_clear_error(&test_log);
	assert_int_equal(livedump_note_check_finished(&ln, "IMG", &test_log), -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&test_log),
			    "IMG is a live dump that did not finish (state cancelled: no reason given)");

	/* A state this reader does not know is not taken for finished. */
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nSTATE=writing\nREASON=\n"), 0);
	assert_int_equal(ln.state, LIVEDUMP_UNFINISHED);
	assert_string_equal(ln.state_name, "writing");
}

/* The list forms: the kernel's, and with "0x" and a count of those left out. */
static void range_lists(void **state)
{
	struct livedump_note ln;

	(void)state;
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=600\n"
				    "LOST_PFNS=0x100-0x1ff,0X300-0x300,400-40f,500-501,600-63f (+3 more)\n"), 0);
	assert_int_equal(ln.lost.nr_listed, 5);
	assert_int_equal(ln.lost.nr_more, 3);
	assert_int_equal(ln.lost.pages, 256 + 1 + 16 + 2 + 64);
	assert_int_equal(ln.lost.nr_shown, LIVEDUMP_RANGES_SHOWN);
	assert_int_equal(ln.lost.shown[3].start, 0x500);
	assert_int_equal(ln.lost.shown[3].end, 0x501);

	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=100\n"
				    "LOST_PFNS=10-10,20-20,...(70 ranges)\n"), 0);
	assert_int_equal(ln.lost.nr_listed, 2);
	assert_int_equal(ln.lost.nr_more, 68);
	assert_int_equal(ln.lost.pages, 2);

	/* A total below the ranges listed is no tail: garbage. */
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=10-10,20-20,...(1 ranges)\n", "LOST_PFNS is not a list");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=20-10\n", "range 0x20-0x10 is reversed");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=20-30,25-40\n", "out of order");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=10-10,\n", "LOST_PFNS is not a list");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=10-10;20-20\n", "(at byte 5 of the value)");
	assert_corrupt("LIVEDUMP_VERSION=1\nEXCLUDED_PFNS=0x-1\n", "EXCLUDED_PFNS is not a list");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS= (+3 more)\n", "LOST_PFNS is not a list");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=0-ffffffffffffffff\n", "too large");
	assert_corrupt("LIVEDUMP_VERSION=1\nLOST_PFNS=0-1ffffffffffffffff\n", "LOST_PFNS is not a list");
	/* More pages listed than counted: the counts would hide a loss. */
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=1\nLOST_PFNS=10-11\n",
		       "LOST_PFNS lists 2 pages, PAGES_LOST says 1");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=0\nEXCLUDED_PFNS=10-11\n",
		       "EXCLUDED_PFNS lists 2 pages, PAGES_EXCLUDED says 0");
}

static void malformed(void **state)
{
	struct livedump_note ln;
	static const char no_nul[] = "LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=0\n";

	(void)state;
	/* The desc ends without the NUL: cut short. */
	log_clear_error(&test_log);
	assert_int_equal(livedump_note_parse(&ln, (const uint8_t *)no_nul, sizeof(no_nul) - 1,
					     "IMG", &test_log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&test_log), "no terminating NUL"));
	log_clear_error(&test_log);
	assert_int_equal(livedump_note_parse(&ln, (const uint8_t *)"", 0, "IMG", &test_log),
			 -PMD_ECORRUPT);

	/* Huge values: 2^64 and beyond, signs, blanks. */
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=0\n"
				    "PAGES_RAM=18446744073709551615\n"), 0);
	assert_int_equal(ln.pages_ram, UINT64_MAX);
	assert_corrupt("LIVEDUMP_VERSION=1\nPAGES_RAM=18446744073709551616\n",
		       "PAGES_RAM is not a decimal number below 2^64");
	assert_corrupt("LIVEDUMP_VERSION=1\nPAGES_LOST=99999999999999999999999999\n", "PAGES_LOST is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nPAGES_LOST=-1\n", "PAGES_LOST is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nPAGES_LOST= 1\n", "PAGES_LOST is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nPAGES_LOST=\n", "PAGES_LOST is not");
	assert_corrupt("LIVEDUMP_VERSION=99999999999999999999\n", "LIVEDUMP_VERSION is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=99999999999999999999.0\n", "CAPTURE_TIME is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.1234567890\n", "CAPTURE_TIME is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=12\n", "CAPTURE_TIME is not");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\nPAGES_LOST=7\nPAGES_RAM=6\n",
		       "PAGES_LOST 7 is more than PAGES_RAM 6");

	/* Missing keys. */
	assert_corrupt("STATE=finished\nCAPTURE_TIME=1.0\nPAGES_LOST=0\n", "no LIVEDUMP_VERSION");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=finished\nPAGES_LOST=0\n",
		       "a finished dump without CAPTURE_TIME");
	assert_corrupt("LIVEDUMP_VERSION=1\nCAPTURE_TIME=1.0\n", "a finished dump without PAGES_LOST");

	/* Duplicate keys: which one would be true? */
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=failed\nSTATE=finished\n", "STATE is given twice");
	assert_corrupt(FINISHED_TEXT "PAGES_LOST=0\n", "PAGES_LOST is given twice");
	assert_corrupt("LIVEDUMP_VERSION=1\nLIVEDUMP_VERSION=1\n", "LIVEDUMP_VERSION is given twice");
	/* Unknown keys, even twice, are a later kernel's: passed over. */
	assert_int_equal(parse(&ln, FINISHED_TEXT "NEW_KEY=1\nNEW_KEY=\x01\n"), 0);

	/* Lines and words. */
	assert_corrupt("LIVEDUMP_VERSION=1\nno equals sign\n", "line 2 is not KEY=value");
	assert_corrupt("LIVEDUMP_VERSION=1\n=1\n", "line 2 is not KEY=value");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=Finished\n", "STATE is not a word");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=\n", "STATE is not a word");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=aaaaaaaaaaaaaaaaaaaaaaaa\n", "STATE is not a word");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=failed\nREASON=bad\x1b[0m\n",
		       "REASON holds a byte that is not printable ASCII (0x1b)");
	assert_corrupt("LIVEDUMP_VERSION=1\nSTATE=failed\nREASON=caf\xc3\xa9\n",
		       "not printable ASCII (0xc3)");

	/* Another version may mean other things. */
	log_clear_error(&test_log);
	assert_int_equal(parse(&ln, "LIVEDUMP_VERSION=2\nSTATE=finished\n"), -PMD_EUNSUPPORTED);
	assert_string_equal(log_error_text(&test_log),
			    "IMG: LIVEDUMP note version 2 is not supported (version 1 is)");
}

/* A reason longer than the field is cut and says so. */
static void long_reason(void **state)
{
	char text[600] = "LIVEDUMP_VERSION=1\nSTATE=failed\nREASON=";
	struct livedump_note ln;
	size_t len = strlen(text);

	(void)state;
	memset(text + len, 'r', 300);
	strcpy(text + len + 300, "\n");
	assert_int_equal(parse(&ln, text), 0);
	assert_int_equal(strlen(ln.reason), sizeof(ln.reason) - 1);
	assert_string_equal(ln.reason + sizeof(ln.reason) - 4, "...");
	assert_int_equal(ln.reason[0], 'r');
}

/* Notes as a PT_NOTE holds them: only the LIVEDUMP one of type 0x4c44 counts. */
static void find_in_notes(void **state)
{
	static const char vmci[] = "OSRELEASE=6.1.0\n";
	static const char text[] = FINISHED_TEXT;
	uint8_t notes[4096];
	struct livedump_note ln;
	size_t n = 0;

	(void)state;
	n += elfcore_note_put(notes + n, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	log_clear_error(&test_log);
	assert_int_equal(livedump_note_find(&ln, notes, n, "IMG", &test_log), 0);
	/* The name with another type is somebody else's note. */
	n += elfcore_note_put(notes + n, "LIVEDUMP", 1, "junk", 4);
	assert_int_equal(livedump_note_find(&ln, notes, n, "IMG", &test_log), 0);
	n += elfcore_note_put(notes + n, "LIVEDUMP", LIVEDUMP_NOTE_TYPE, text, sizeof(text));
	assert_int_equal(livedump_note_find(&ln, notes, n, "IMG", &test_log), 1);
	assert_int_equal(ln.pages_lost, 3);
	n += elfcore_note_put(notes + n, "LIVEDUMP", LIVEDUMP_NOTE_TYPE, text, sizeof(text));
	assert_int_equal(livedump_note_find(&ln, notes, n, "IMG", &test_log), -PMD_ECORRUPT);
	assert_string_equal(log_error_text(&test_log), "IMG has two LIVEDUMP notes");
	/* A note that overruns the notes ends the walk. */
	log_clear_error(&test_log);
	assert_int_equal(livedump_note_find(&ln, notes, n - 8, "IMG", &test_log), 1);
}

static int quiet(void **state)
{
	(void)state;
	log_init(&test_log, "test");
	test_log.level = 0;
	return 0;
}

static int done(void **state)
{
	(void)state;
	log_destroy(&test_log);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finished_dump),
		cmocka_unit_test(no_state_is_finished),
		cmocka_unit_test(unfinished_states),
		cmocka_unit_test(range_lists),
		cmocka_unit_test(malformed),
		cmocka_unit_test(long_reason),
		cmocka_unit_test(find_in_notes),
	};

	return cmocka_run_group_tests(tests, quiet, done);
}
