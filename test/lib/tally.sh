# shellcheck shell=bash
# Counting checks for scripts/test (sourced, not run; test/runner-selftest.sh
# checks it). A check is one line a test prints:
#   - "PASS: ...", "FAIL: ...", "SKIP: ..." (test/lib/report.sh, the VM lab,
#     scripts/fuzz);
#   - a cmocka test's result after its "[ RUN      ] name" line:
#     "[       OK ]", "[  FAILED  ]" or "[  SKIPPED ]" (cmocka's closing
#     summary repeats the failed and skipped names: those are not counted
#     again).
# A test's own result (its exit status, or automake's .trs) adds what its
# lines do not say: a test that fails without a FAIL line (it died, a
# sanitizer stopped it, a cmocka test never finished) counts one failure;
# one that passes without printing a single check counts one failure too
# (nothing says what it checked); one that skips without a line counts one
# skip. Every count is printed as a line, so the closing line can be traced
# to the lines above it.

TALLY_PASSED=0
TALLY_FAILED=0
TALLY_SKIPPED=0

# tally_add PASSED FAILED SKIPPED
tally_add() {
	TALLY_PASSED=$((TALLY_PASSED + $1))
	TALLY_FAILED=$((TALLY_FAILED + $2))
	TALLY_SKIPPED=$((TALLY_SKIPPED + $3))
}

# tally_fail WHAT: a failure of the runner's own (configure, build, a step
# that could not run), as a FAIL line.
tally_fail() {
	echo "FAIL: $*"
	tally_add 0 1 0
}

# tally_lines FILE: "PASSED FAILED SKIPPED UNFINISHED" counted from the
# check lines of FILE (UNFINISHED: cmocka tests started and never ended).
tally_lines() {
	tr '\r' '\n' <"$1" | awk '
		/^\[ RUN      \] / { if (run) u++; run = 1; next }
		run && /^\[       OK \] / { p++; run = 0; next }
		run && /^\[  FAILED  \] / { f++; run = 0; next }
		run && /^\[  SKIPPED \] / { s++; run = 0; next }
		/^PASS: / { p++ }
		/^FAIL: / { f++ }
		/^SKIP: / { s++ }
		END { print p + 0, f + 0, s + 0, u + run }'
}

# tally_result STATUS: the automake result word for an exit status
# (0 PASS, 77 SKIP, 99 ERROR, else FAIL); a result word is kept.
tally_result() {
	case $1 in
	0) echo PASS ;;
	77) echo SKIP ;;
	99) echo ERROR ;;
	[0-9]*) echo FAIL ;;
	*) echo "$1" ;;
	esac
}

# tally_last_line FILE PREFIX: PREFIX and the last line FILE's test printed
# (not automake's closing "RESULT name (exit status: N)"), if any.
tally_last_line() {
	[ -r "$1" ] || return 0
	tr '\r' '\n' <"$1" | grep -v '^[A-Z]* .* (exit status: [0-9]*)$' | grep -v '^ *$' |
		tail -n1 | sed "s/^/$2/"
}

# tally_output NAME FILE STATUS: count the checks of one test, NAME, whose
# output is FILE and whose result is STATUS (an exit status or an automake
# result word). Prints a FAIL or SKIP line for each result the test's own
# lines do not show, and adds everything to the totals.
tally_output() {
	local name=$1 file=$2 res how p f s u
	res=$(tally_result "$3")
	how="result $res"
	case $3 in [0-9]*) how="exit status $3" ;; esac
	if [ -r "$file" ]; then
		read -r p f s u < <(tally_lines "$file")
	else
		p=0 f=0 s=0 u=0
	fi
	if [ "$u" -gt 0 ]; then
		echo "FAIL: $name: $u cmocka test(s) started and never finished"
		f=$((f + u))
	fi
	case $res in
	PASS | XFAIL)
		if [ $((p + f + s)) -eq 0 ]; then
			echo "FAIL: $name: passed without printing a single check"
			f=1
		fi
		;;
	SKIP)
		if [ "$s" -eq 0 ]; then
			echo "SKIP: $name: skipped$(tally_last_line "$file" ": ")"
			s=1
		fi
		;;
	*) # FAIL, ERROR, XPASS, or anything unknown
		if [ "$f" -eq 0 ]; then
			echo "FAIL: $name: $how without a FAIL line$(tally_last_line "$file" "; its last line: ")"
			f=1
		fi
		;;
	esac
	tally_add "$p" "$f" "$s"
}

# tally_automake BUILDDIR STAMP: every test automake ran in BUILDDIR since
# STAMP was touched (its .trs and .log; older ones are from earlier runs).
tally_automake() {
	local dir=$1 stamp=$2 trs res name
	while IFS= read -r -d '' trs; do
		res=$(sed -n 's/^:test-result: *//p' "$trs" | head -n1)
		name=${trs#"$dir"/}
		tally_output "${name%.trs}" "${trs%.trs}.log" "${res:-ERROR}"
	done < <(find "$dir" -name '*.trs' -newer "$stamp" -print0 | sort -z)
}

# tally_line LABEL: the totals as "LABEL: N passed, N failed, N skipped".
tally_line() {
	echo "$1: $TALLY_PASSED passed, $TALLY_FAILED failed, $TALLY_SKIPPED skipped"
}
