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

# No check may pass on missing data: the helpers below that read a number
# fail (status 1, a message on stderr, nothing on stdout) when it is not
# there, instead of giving 0 or an empty string. Read them as
# "n=$(value LOG KEY) || fail ...", never inside $(( )), where a failure
# is lost.

# A vmcore-gen manifest value: key MANIFEST KEY (empty when absent: some
# keys exist only for some machines, such as the pmem ones).
key() { sed -n "s/^$2=//p" "$1"; }
# A manifest number that must be there, in decimal: num_key MANIFEST KEY.
num_key() {
	local v
	v=$(key "$1" "$2" | head -n1)
	case $v in
	0x[0-9a-fA-F]*) [ -n "${v##0x*[!0-9a-fA-F]*}" ] && { echo $((v)); return 0; } ;;
	[0-9]*) [ -n "${v##*[!0-9]*}" ] && { echo "$v"; return 0; } ;;
	esac
	echo "report.sh: $1 has no number for $2 (${v:-missing})" >&2
	return 1
}
# A report value in decimal: value LOG KEY (a report_counts key).
value() {
	local v
	v=$(report_counts "$1" | sed -n "s/^$2=//p" | head -n1)
	case $v in
	0x[0-9a-f]*) printf '%d\n' "$v" ;;
	*)
		echo "report.sh: no '$2' count in $1" >&2
		return 1
		;;
	esac
}
# The "in ELF format" lines in decimal: 1, pages left out of the file;
# 2, pages in it.
elf_line() {
	local v
	v=$(sed -n 's/^ *in ELF format *: *\(0x[0-9a-f]*\)/\1/p' "$1" | sed -n "$2p")
	case $v in
	0x[0-9a-f]*) printf '%d\n' "$v" ;;
	*)
		echo "report.sh: no 'in ELF format' line $2 in $1" >&2
		return 1
		;;
	esac
}
# counts_complete FILE: FILE holds all 12 page counts of a report
# (report_counts keys), the pmem lines aside.
counts_complete() {
	[ "$(report_counts "$1" | grep -cE '^(original|excluded|zero|cache|cache_private|user|free|hwpoison|offline|remaining|memhole|total)=')" -eq 12 ]
}

# check_elf_dump VMCORE-CHECK VMCORE DUMP LOG: every page of the ELF DUMP
# equals VMCORE's or is zeros, it holds as many pages as its report LOG
# says, and only pages excluded for a reason other than being zero are
# zeroed. Sets ELF_HELD and ELF_ZEROED; on failure ELF_ERROR, returns 1.
check_elf_dump() {
	local out=$3 log=$4 excluded zero shown
	if ! "$1" -z "$2" "$out" >"$out.check" 2>&1; then
		ELF_ERROR=$(tail -1 "$out.check")
		return 1
	fi
	ELF_HELD=$(sed -n 's/.* holds \([0-9][0-9]*\) pages.*/\1/p' "$out.check")
	ELF_ZEROED=$(sed -n 's/^vmcore-check: zeroed=\([0-9][0-9]*\)$/\1/p' "$out.check")
	if [ -z "$ELF_HELD" ] || [ -z "$ELF_ZEROED" ]; then
		ELF_ERROR="vmcore-check did not print the pages held and zeroed: $(tail -1 "$out.check")"
		return 1
	fi
	if ! excluded=$(value "$log" excluded) || ! zero=$(value "$log" zero) ||
		! shown=$(elf_line "$log" 2); then
		ELF_ERROR="the report $log lacks the Excluded, zero or 'in ELF format' lines"
		return 1
	fi
	excluded=$((excluded - zero))
	if [ "$ELF_HELD" -ne "$shown" ]; then
		ELF_ERROR="file holds $ELF_HELD pages, report says $shown"
		return 1
	fi
	if [ "$ELF_ZEROED" -gt "$excluded" ]; then
		ELF_ERROR="$ELF_ZEROED pages zeroed but only $excluded non-zero pages excluded"
		return 1
	fi
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

# test_workdir NAME: a scratch directory in $work, removed at exit with
# the loop devices the test lists in $loops.
test_workdir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	loops=
	trap test_cleanup EXIT
}
test_cleanup() {
	local l
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$work"
}
