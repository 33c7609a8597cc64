#!/bin/bash
# Our makedumpfile against the synthetic vmcores' own truth: the page
# counts vmcore-gen's manifest predicts for each dump level, and an ELF dump
# whose every page equals the input (excluded pages inside a segment are
# zeros, never data).
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
CHECK=$top_builddir/test/vmcore-gen/vmcore-check
EXPECT=$top_srcdir/test/vmcore-gen/expected-report.sh
[ -x "$GEN" ] && [ -x "$CHECK" ] || { echo "vmcore-gen not built"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-synth.XXXXXX")
trap 'rm -rf "$work"' EXIT

check_one() {
	local vmcore=$1 dl=$2 name out
	name="$(basename "$vmcore" .vmcore) -d $dl"
	out=$work/out.elf
	rm -f "$out"
	if ! "$OURS" -E -d "$dl" --message-level 31 "$vmcore" "$out" >"$work/log" 2>&1; then
		fail "$name: $(tail -1 "$work/log")"
		return
	fi
	# A model that printed nothing must not equal a report that lacks lines.
	if ! bash "$EXPECT" "${vmcore%.vmcore}.manifest" "$dl" single >"$work/expected" ||
		! counts_complete "$work/expected"; then
		fail "$name: expected-report.sh gave no complete report"
		return
	fi
	if ! diff <(report_counts "$work/expected") <(report_counts "$work/log") >"$work/diff"; then
		fail "$name: counts differ from the manifest"
		cat "$work/diff"
		return
	fi
	if ! check_elf_dump "$CHECK" "$vmcore" "$out" "$work/log"; then
		fail "$name: $ELF_ERROR"
	else
		pass "$name: counts as the manifest, $ELF_HELD pages equal the input ($ELF_ZEROED excluded written as zeros)"
	fi
}

"$GEN" --paging 4 "$work/l4.vmcore" >/dev/null &&
"$GEN" --paging 5 --kaslr-seed 7 "$work/l5-kaslr.vmcore" >/dev/null &&
"$GEN" --paging 4 --kaslr-seed 1234 --mem-mib 300 "$work/l4-kaslr-300m.vmcore" >/dev/null ||
	{ echo "vmcore-gen failed"; exit 1; }
for v in "$work"/*.vmcore; do
	for dl in 0 1 2 4 8 16 31 3 17 22 27; do
		check_one "$v" "$dl"
	done
done

# The window size never changes the result.
for kib in 1 3; do
	rm -f "$work/small.elf" "$work/big.elf"
	"$OURS" -E -d 31 --message-level 31 --cyclic-buffer "$kib" "$work/l4.vmcore" "$work/small.elf" >"$work/small.log" 2>&1
	"$OURS" -E -d 31 --message-level 31 "$work/l4.vmcore" "$work/big.elf" >"$work/big.log" 2>&1
	if cmp -s "$work/small.elf" "$work/big.elf" && counts_complete "$work/big.log" &&
		diff <(report_counts "$work/small.log") <(report_counts "$work/big.log") >/dev/null; then
		pass "--cyclic-buffer $kib ($(( kib * 8192 )) pages a window): same report, identical dump"
	else
		fail "--cyclic-buffer $kib changes the result"
	fi
done
finish
