#!/bin/bash
# The readers' fuzz targets replayed on inputs too large to commit: every
# dump format our makedumpfile writes of whole synthetic machines
# (vmcore-gen -m 256: 4-level, and 5-level with pmem), made now by
# fuzz/make-seeds.sh. A sanitizer build turns any memory error into a FAIL.
set -u
# shellcheck disable=SC2154 # top_srcdir, top_builddir: from make check
. "$top_srcdir/test/lib/report.sh"

# shellcheck disable=SC2154
b=$top_builddir
work=$(mktemp -d "${TMPDIR:-/tmp}/pmd-fuzz-gen.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! bash "$top_srcdir/fuzz/make-seeds.sh" "$b" "$work" big >"$work/make.log" 2>&1; then
	fail "fuzz/make-seeds.sh big: $(tail -n 1 "$work/make.log")"
	finish
fi
for t in elfcore kdump flat; do
	n=$(find "$work/$t" -type f | wc -l)
	if "$b/fuzz/replay-$t" "$work/$t" >"$work/$t.log" 2>&1; then
		pass "replay-$t on $n generated inputs ($(du -sh "$work/$t" | cut -f1))"
	else
		fail "replay-$t on generated inputs: $(grep -m1 -E 'ERROR|runtime error|replay:' "$work/$t.log" || tail -n 1 "$work/$t.log")"
		sed 's/^/  /' "$work/$t.log" | tail -n 30
	fi
done
finish
