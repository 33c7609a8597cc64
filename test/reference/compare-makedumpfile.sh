#!/bin/bash
# Run our makedumpfile and Debian's makedumpfile 1.7.2 on the same vmcores
# with the same dump levels and compare every page count of their reports.
# Vmcores: synthetic ones from vmcore-gen, plus any named in $MDF_VMCORES
# (the VM lab exports its saved real vmcores there).
set -u
. "$top_srcdir/test/lib/report.sh"

if [ -z "${REF_MAKEDUMPFILE:-}" ] || [ ! -x "$REF_MAKEDUMPFILE" ]; then
	echo "reference makedumpfile not installed"
	exit 77
fi
GEN=$top_builddir/test/vmcore-gen/vmcore-gen
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

vmcores=()
if [ -x "$GEN" ]; then
	"$GEN" --paging 4 "$work/l4.vmcore" >/dev/null &&
		vmcores+=("$work/l4.vmcore")
	"$GEN" --paging 5 --kaslr-seed 7 "$work/l5.vmcore" >/dev/null &&
		vmcores+=("$work/l5.vmcore")
	"$GEN" --paging 4 --kaslr-seed 1234 "$work/kaslr.vmcore" >/dev/null &&
		vmcores+=("$work/kaslr.vmcore")
fi
for v in ${MDF_VMCORES:-}; do
	[ -r "$v" ] && vmcores+=("$v")
done
[ ${#vmcores[@]} -gt 0 ] || { echo "no vmcore to compare on"; exit 77; }

# Each dump level bit alone, the common combinations, and a few mixed.
levels=${MDF_LEVELS:-"0 1 2 4 8 16 31 3 6 12 17 24 30"}

compare() {
	local vmcore=$1 dl=$2 fmt=$3 name
	name="$(basename "$vmcore") -d $dl $fmt"
	rm -f "$work/ref.out" "$work/ours.out"
	if ! "$REF_MAKEDUMPFILE" $fmt -d "$dl" --message-level 31 "$vmcore" \
		"$work/ref.out" >"$work/ref.log" 2>&1; then
		fail "$name: reference makedumpfile failed: $(tail -1 "$work/ref.log")"
		return
	fi
	if ! "$OURS" $fmt -d "$dl" --message-level 31 "$vmcore" \
		"$work/ours.out" >"$work/ours.log" 2>&1; then
		fail "$name: ours failed: $(tail -1 "$work/ours.log")"
		return
	fi
	report_counts "$work/ref.log" >"$work/ref.counts"
	report_counts "$work/ours.log" >"$work/ours.counts"
	if [ "$(wc -l <"$work/ref.counts")" -lt 12 ]; then
		fail "$name: reference report incomplete"
	elif diff -u "$work/ref.counts" "$work/ours.counts" >"$work/diff"; then
		pass "$name: $(tr '\n' ' ' <"$work/ours.counts")"
	else
		fail "$name: counts differ"
		cat "$work/diff"
	fi
}

for v in "${vmcores[@]}"; do
	for dl in $levels; do
		compare "$v" "$dl" -E
	done
done
finish
