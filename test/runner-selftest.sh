#!/bin/bash
# scripts/test counts checks, not scripts, and counts as failures whatever
# keeps a check from running. Checked end to end: the real scripts/test runs
# on a fake project (a fake configure, make check, lab scripts, test/deb
# scripts and scripts/fuzz whose results are known; stubs for setup-deps,
# autoreconf and QEMU), and its closing line must be the sum of those
# results. Also:
# setup-deps installs the lab's packages only for a run with the lab, an
# in-tree ./configure does not stop scripts/test, and the helpers of
# test/lib/report.sh fail on a missing number instead of reading it as 0.
#
# PMEMDUMP_RUNNER=FILE checks another runner (an older scripts/test);
# KEEP_WORK=1 keeps the fake project and its runs in $TMPDIR.
set -u
. "$top_srcdir/test/lib/report.sh"

RUNNER=${PMEMDUMP_RUNNER:-$top_srcdir/scripts/test}
[ -f "$RUNNER" ] || { echo "no scripts/test in $top_srcdir (a release tarball)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-runner.XXXXXX")
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() { [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

# --- the fake project -------------------------------------------------------
ft=$work/top
mkdir -p "$ft/scripts" "$ft/test/lib" "$ft/test/lab" "$ft/test/reference" "$ft/t" "$work/bin"
cp "$RUNNER" "$ft/scripts/test"
cp "$top_srcdir/test/lib/tally.sh" "$top_srcdir/test/lib/source-tree.sh" "$ft/test/lib/" 2>/dev/null
chmod +x "$ft/scripts/test"

cat >"$ft/scripts/setup-deps" <<'EOF'
#!/bin/sh
echo "$*" >>"$FAKE_LOG/deps.calls"
[ "${FAKE_DEPS:-ok}" = ok ]
EOF
printf '#!/bin/sh\nexit 0\n' >"$work/bin/autoreconf"
printf '#!/bin/sh\nexit 0\n' >"$work/bin/qemu-system-x86_64"

# configure refuses an out-of-tree build of a tree configured in place, as
# automake's does.
cat >"$ft/configure" <<'EOF'
#!/bin/sh
srcdir=$(cd "$(dirname "$0")" && pwd)
if [ "$srcdir" != "$(pwd)" ] && [ -f "$srcdir/config.status" ]; then
	echo "configure: error: source directory already configured; run \"make distclean\" there first" >&2
	exit 1
fi
[ "${FAKE_CONFIGURE:-ok}" = ok ] || { echo "configure: error: fake failure" >&2; exit 1; }
echo "$*" >configured-with
: >config.status
printf 'abs_top_srcdir = %s\nall:\n\t@[ "$${FAKE_BUILD:-ok}" = ok ] || { echo "fake build error" >&2; exit 1; }\ncheck:\n\t@sh %s/fake-check.sh "$(TESTS)"\ndistclean:\n\trm -f Makefile\n' \
	"$srcdir" "$srcdir" >Makefile
EOF
# make check: each test's .log and .trs, and test-suite.log's totals, as
# automake's harness writes them.
cat >"$ft/fake-check.sh" <<'EOF'
src=$(cd "$(dirname "$0")" && pwd)
tests=$1
[ -n "$tests" ] || tests=$(cat "$src/suite.${FAKE_SUITE:-good}")
rc=0
: >results
for t in $tests; do
	mkdir -p "$(dirname "$t")"
	sh "$src/$t" >"${t%.sh}.log" 2>&1
	st=$?
	case $st in 0) r=PASS ;; 77) r=SKIP ;; 99) r=ERROR rc=1 ;; *) r=FAIL rc=1 ;; esac
	echo "$r $t (exit status: $st)" >>"${t%.sh}.log"
	printf ':test-result: %s\n' "$r" >"${t%.sh}.trs"
	echo "$r" >>results
done
for r in PASS SKIP XFAIL FAIL XPASS ERROR; do
	echo "# $r: $(grep -cx "$r" results)"
done >test-suite.log
exit $rc
EOF
chmod +x "$ft/configure" "$ft/scripts/setup-deps" "$work/bin/"*

# The good suite: 4 passed, 0 failed, 3 skipped in each build.
printf '%s\n' t/cmocka-ok.sh t/inner-skip.sh t/whole-skip.sh >"$ft/suite.good"
cat >"$ft/t/cmocka-ok.sh" <<'EOF'
cat <<'X'
[==========] Running 3 test(s).
[ RUN      ] first
[       OK ] first
[ RUN      ] second
[  SKIPPED ] second
[ RUN      ] third
[       OK ] third
[==========] 3 test(s) run.
[  PASSED  ] 2 test(s).
[  SKIPPED ] 1 test(s), listed below:
[  SKIPPED ] second
X
EOF
printf 'echo "PASS: one"\necho "PASS: two"\necho "SKIP: reference tool not installed"\nexit 0\n' \
	>"$ft/t/inner-skip.sh"
printf 'echo "reference makedumpfile not installed"\nexit 77\n' >"$ft/t/whole-skip.sh"

# The bad suite: 2 passed, 5 failed, 0 skipped in each build.
printf '%s\n' t/cmocka-bad.sh t/died.sh t/silent-pass.sh t/error.sh >"$ft/suite.bad"
cat >"$ft/t/cmocka-bad.sh" <<'EOF'
cat <<'X'
[==========] Running 3 test(s).
[ RUN      ] first
[       OK ] first
[ RUN      ] second
[  ERROR   ] --- 0x1 != 0x2
[   LINE   ] --- test.c:10: error: Failure!
[  FAILED  ] second
[ RUN      ] third
==1==ERROR: AddressSanitizer: heap-buffer-overflow
X
exit 1
EOF
printf 'echo "PASS: before dying"\nexit 2\n' >"$ft/t/died.sh"
printf 'echo "all good"\nexit 0\n' >"$ft/t/silent-pass.sh"
printf 'echo "ERROR: vmcore-gen not built"\nexit 99\n' >"$ft/t/error.sh"

# scripts/fuzz ci, in the sanitizer build.
cat >"$ft/scripts/fuzz" <<'EOF'
#!/bin/sh
[ "$1" = ci ] || exit 2
pwd >>"$FAKE_LOG/fuzz.calls"
echo "PASS: fuzz target one"
case ${FAKE_FUZZ:-ok} in
ok) echo "SKIP: fuzz target two: no corpus" ;;
die) exit 1 ;;
esac
EOF
chmod +x "$ft/scripts/fuzz"

# The lab: 1 passed, 1 failed (a script that dies silently), 3 skipped.
printf 'echo "PASS: cycle completed"\necho "SKIP: page counts: not built"\nexit 0\n' \
	>"$ft/test/lab/kdump-fsdax.sh"
printf 'exit 1\n' >"$ft/test/lab/kernel-series.sh"
printf 'echo "SKIP: python3-drgn not installed"\nexit 77\n' >"$ft/test/lab/pmem-filter.sh"
printf 'echo "no lab vmcore"\nexit 77\n' >"$ft/test/reference/real-vmcore.sh"

# The Debian package (test/deb): FAKE_DEB=skip (the default: debhelper
# missing), ok (a package built, 1 check, and its lifecycle, 1 check) or
# fail (the build fails: its lifecycle is a skip).
mkdir -p "$ft/test/deb"
cat >"$ft/test/deb/build.sh" <<'EOF2'
case ${FAKE_DEB:-skip} in
skip) echo "SKIP: Debian package: not built, missing: debhelper"; exit 77 ;;
ok) mkdir -p "$1" && : >"$1/pmemdump_0.1.0_amd64.deb" && echo "PASS: package built" ;;
*) echo "FAIL: dpkg-buildpackage failed"; exit 1 ;;
esac
EOF2
printf 'echo "PASS: installed and purged"\n' >"$ft/test/deb/lifecycle.sh"

# run NAME [VAR=VALUE...]: scripts/test of the fake project; sets OUT (its
# output), RC, and CLOSING (its last line).
run() {
	local name=$1
	shift
	mkdir -p "$work/log.$name"
	OUT=$work/log.$name/out
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u TESTS PATH="$work/bin:$PATH" FAKE_LOG="$work/log.$name" PMEMDUMP_SKIP_LAB=1 \
		PMEMDUMP_BUILD_ROOT="$work/build.$name" "$@" \
		bash "${RUN_TOP:-$ft}/scripts/test" >"$OUT" 2>&1 </dev/null
	RC=$?
	CLOSING=$(tail -n1 "$OUT")
}

# expect NAME "CLOSING LINE" RC WHAT
expect() {
	if [ "$CLOSING" = "$2" ] && [ "$RC" = "$3" ]; then
		pass "$1: $4: \"$CLOSING\", exit status $RC"
	else
		fail "$1: $4: got \"$CLOSING\", exit status $RC; want \"$2\", exit status $3"
		grep -E '^(FAIL|SKIP):' "$OUT" | head -n 8 | sed 's/^/    /'
	fi
}

run good
expect "checks counted" "pmemdump: 9 passed, 0 failed, 9 skipped" 0 \
	"a cmocka skip, a skip inside a passing script and a skipped script each count; no debhelper: the package's build and lifecycle are skips"
if grep -qx "$work/build.good/sanitize" "$work/log.good/fuzz.calls" 2>/dev/null &&
	[ "$(wc -l <"$work/log.good/fuzz.calls")" -eq 1 ]; then
	pass "scripts/fuzz ci runs once, in the sanitizer build"
else
	fail "scripts/fuzz ci did not run once in $work/build.good/sanitize: $(cat "$work/log.good/fuzz.calls" 2>/dev/null)"
fi
if [ "$(cat "$work/log.good/deps.calls" 2>/dev/null)" = test ]; then
	pass "a run without the lab installs with 'setup-deps test' only"
else
	fail "a run without the lab called setup-deps with: $(tr '\n' ';' <"$work/log.good/deps.calls" 2>/dev/null)"
fi

run bad FAKE_SUITE=bad FAKE_FUZZ=die
expect "failures counted" "pmemdump: 5 passed, 11 failed, 2 skipped" 1 \
	"a failed and an unfinished cmocka test, tests dying or passing without a check line, fuzz dying"

run configure FAKE_CONFIGURE=fail FAKE_DEPS=fail
expect "configure failure" "pmemdump: 0 passed, 3 failed, 2 skipped" 1 \
	"setup-deps and both configure runs failing count as failures"

run build FAKE_BUILD=fail
expect "build failure" "pmemdump: 0 passed, 2 failed, 2 skipped" 1 \
	"both builds failing count as failures"

run deb FAKE_DEB=ok
expect "package counted" "pmemdump: 11 passed, 0 failed, 7 skipped" 0 \
	"the Debian package's build and lifecycle checks count"
run debfail FAKE_DEB=fail
expect "package failure" "pmemdump: 9 passed, 1 failed, 8 skipped" 1 \
	"a failed package build fails; its lifecycle is a skip"

run lab PMEMDUMP_SKIP_LAB= PMEMDUMP_LAB_TESTS="kdump-fsdax kernel-series pmem-filter"
expect "lab counted" "pmemdump: 10 passed, 1 failed, 12 skipped" 1 \
	"a lab script that dies silently fails, inner lab skips count"
if [ "$(cat "$work/log.lab/deps.calls" 2>/dev/null)" = all ]; then
	pass "a run with the lab installs with 'setup-deps all'"
else
	fail "a run with the lab called setup-deps with: $(tr '\n' ';' <"$work/log.lab/deps.calls" 2>/dev/null)"
fi

# The source tree configured in place (README's "Building by hand").
if command -v git >/dev/null; then
	it=$work/intree
	cp -a "$ft" "$it"
	printf '/config.status\n/Makefile\n/build/\n' >"$it/.gitignore"
	git -C "$it" init -q
	(cd "$it" && ./configure >/dev/null 2>&1)
	# an untracked program of the in-tree build (ELF, e_type 3) and an
	# untracked test vmcore (ELF, e_type 4: a source)
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000' >"$it/t/prog"
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\004\000' >"$it/t/seed.vmcore"
	RUN_TOP=$it run intree PMEMDUMP_BUILD_ROOT=
	expect "in-tree configure" "pmemdump: 9 passed, 0 failed, 9 skipped" 0 \
		"both builds run after ./configure in the source tree"
	if [ -f "$it/config.status" ] && [ -f "$it/Makefile" ] && [ ! -e "$it/build/src/t/prog" ] &&
		cmp -s "$it/t/seed.vmcore" "$it/build/src/t/seed.vmcore" &&
		grep -qx "abs_top_srcdir = $it/build/src" "$it/build/plain/Makefile" 2>/dev/null; then
		pass "in-tree configure: the in-tree build is kept; built from a copy without its programs (with its vmcores)"
	else
		fail "in-tree configure: in-tree build touched, or the copy in $it/build/src is wrong"
	fi
else
	skip "git not installed: scripts/test after an in-tree configure"
fi

# --- setup-deps: the lab's packages only for the lab --------------------------
deps=$top_srcdir/scripts/setup-deps
if t=$(bash "$deps" --list test 2>&1) && a=$(bash "$deps" --list all 2>&1) &&
	grep -qx makedumpfile <<<"$t" && ! grep -qxE 'qemu-system-x86|linux-source-6.1' <<<"$t" &&
	grep -qx qemu-system-x86 <<<"$a" && grep -qx linux-source-6.1 <<<"$a"; then
	pass "setup-deps test lists no QEMU nor kernel source; all lists both"
else
	fail "setup-deps --list test/all: $(head -c 200 <<<"$t")"
fi

# --- test/lib/report.sh on missing data ----------------------------------------
printf 'Original pages  : 0x0000000000000010\n' >"$work/short.log"
if out=$(value "$work/short.log" excluded 2>/dev/null) || [ -n "$out" ]; then
	fail "value: a missing count reads as '$out', not as a failure"
elif [ "$(value "$work/short.log" original)" != 16 ]; then
	fail "value: Original pages 0x10 reads as '$(value "$work/short.log" original)'"
else
	pass "value: a missing count is a failure; a present one reads in decimal"
fi
if out=$(elf_line "$work/short.log" 2 2>/dev/null) || [ -n "$out" ]; then
	fail "elf_line: a missing 'in ELF format' line reads as '$out'"
else
	pass "elf_line: a missing 'in ELF format' line is a failure"
fi
printf 'pmem_pages=12\npmem_start=0x10\npmem_loaded=\n' >"$work/m.manifest"
if [ "$(num_key "$work/m.manifest" pmem_pages)" = 12 ] &&
	[ "$(num_key "$work/m.manifest" pmem_start)" = 16 ] &&
	! num_key "$work/m.manifest" pmem_loaded >/dev/null 2>&1 &&
	! num_key "$work/m.manifest" pmem_user >/dev/null 2>&1; then
	pass "num_key: manifest numbers in decimal; an empty or missing key is a failure"
else
	fail "num_key reads an empty or missing manifest key, or misreads a number"
fi
if counts_complete /dev/null || counts_complete "$work/short.log"; then
	fail "counts_complete: an empty or one-line report is complete"
else
	pass "counts_complete: an empty or one-line report is not complete"
fi
# A vmcore-check that prints nothing, a report without its lines.
printf '#!/bin/sh\nexit 0\n' >"$work/bin/silent-check"
chmod +x "$work/bin/silent-check"
: >"$work/dump.elf"
if check_elf_dump "$work/bin/silent-check" /dev/null "$work/dump.elf" /dev/null 2>/dev/null; then
	fail "check_elf_dump passes on a silent vmcore-check and an empty report"
else
	pass "check_elf_dump fails on a silent vmcore-check and an empty report: $ELF_ERROR"
fi
finish
