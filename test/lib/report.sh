# Shared helpers for the integration tests (sourced, not run).
# Reports are makedumpfile's "--message-level 31" page report.

# The page-count lines both tools print, as "key=value" lines.
report_counts() {
	sed -n \
	    -e 's/^ *Original pages *: *\(0x[0-9a-f]*\).*/original=\1/p' \
	    -e 's/^ *Excluded pages *: *\(0x[0-9a-f]*\).*/excluded=\1/p' \
	    -e 's/^ *Pages filled with zero *: *\(0x[0-9a-f]*\).*/zero=\1/p' \
	    -e 's/^ *Non-private cache pages *: *\(0x[0-9a-f]*\).*/cache=\1/p' \
	    -e 's/^ *Private cache pages *: *\(0x[0-9a-f]*\).*/cache_private=\1/p' \
	    -e 's/^ *User process data pages *: *\(0x[0-9a-f]*\).*/user=\1/p' \
	    -e 's/^ *Free pages *: *\(0x[0-9a-f]*\).*/free=\1/p' \
	    -e 's/^ *Hwpoison pages *: *\(0x[0-9a-f]*\).*/hwpoison=\1/p' \
	    -e 's/^ *Offline pages *: *\(0x[0-9a-f]*\).*/offline=\1/p' \
	    -e 's/^ *pmem metadata pages *: *\(0x[0-9a-f]*\).*/pmem_meta=\1/p' \
	    -e 's/^ *pmem userdata pages *: *\(0x[0-9a-f]*\).*/pmem_user=\1/p' \
	    -e 's/^ *Remaining pages *: *\(0x[0-9a-f]*\).*/remaining=\1/p' \
	    -e 's/^ *Memory Hole *: *\(0x[0-9a-f]*\).*/memhole=\1/p' \
	    -e 's/^ *Total pages *: *\(0x[0-9a-f]*\).*/total=\1/p' \
	    "$1"
}

# The report's page-count lines as printed, pmem lines included, in order
# (carriage returns of a terminal's progress meter become newlines).
report_lines() {
	tr '\r' '\n' <"$1" | grep -E \
		-e '^Original pages  :' \
		-e '^  Excluded pages   :' \
		-e '^    (Pages filled with zero  |Non-private cache pages ):' \
		-e '^    (Private cache pages     |User process data pages ):' \
		-e '^    (Free pages              |Hwpoison pages          ):' \
		-e '^    (Offline pages           |pmem metadata pages     ):' \
		-e '^    pmem userdata pages     :' \
		-e '^  Remaining pages  :' \
		-e '^(Memory Hole     |Total pages     ):'
}

PASSED=0
FAILED=0
SKIPPED=0
pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP: $*"; SKIPPED=$((SKIPPED + 1)); }

# Exit status for automake: 0 pass, 1 fail, 77 skip (nothing ran).
finish() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ] || exit 1
	[ "$PASSED" -gt 0 ] || exit 77
	exit 0
}

OURS=${top_builddir:-.}/makedumpfile/makedumpfile
