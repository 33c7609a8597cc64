#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the synthetic vmcores of vmcore-gen against the reference
# makedumpfile ($REF_MAKEDUMPFILE, Debian's 1.7.2): for several machines
# (4- and 5-level paging, KASLR seeds, a large sparse one) and dump levels,
# the counts in makedumpfile's report must equal what the manifest
# predicts (expected-report.sh), and every ELF dump must hold exactly the
# original's bytes (vmcore-check).  One PASS/FAIL line per case.
#
# Environment (set by the automake harness): top_srcdir, top_builddir,
# REF_MAKEDUMPFILE (empty: skip).  VMCORE_GEN_QUICK=1 runs fewer levels.
set -u

if [ -z "${REF_MAKEDUMPFILE:-}" ]; then
	echo "SKIP: REF_MAKEDUMPFILE is empty (no reference makedumpfile found)"
	exit 77
fi
srcdir=${top_srcdir:-.}/test/vmcore-gen
bindir=${top_builddir:-.}/test/vmcore-gen
gen=$bindir/vmcore-gen
check=$bindir/vmcore-check
expect=$srcdir/expected-report.sh
for f in "$gen" "$check"; do
	if [ ! -x "$f" ]; then
		echo "ERROR: $f not built"
		exit 99
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vmcore-gen-test.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

pass=0
fail=0

# The lines of makedumpfile's report that the manifest predicts.
report_lines() {
	tr '\r' '\n' < "$1" | grep -E \
		-e '^Original pages  :' \
		-e '^  Excluded pages   :' \
		-e '^    (Pages filled with zero  |Non-private cache pages ):' \
		-e '^    (Private cache pages     |User process data pages ):' \
		-e '^    (Free pages              |Hwpoison pages          ):' \
		-e '^    Offline pages           :' \
		-e '^  Remaining pages  :' \
		-e '^(Memory Hole     |Total pages     ):'
}

# The pages an ELF dump holds by the report: Original pages minus the
# excluded ones "in ELF format" ("Remaining pages ... in ELF format").
# makedumpfile 1.7.2 counts among those excluded the pages of an
# unallocated pmem tail, which lie above its max_mapnr and so are not in
# Original (its Remaining in ELF format then goes negative): add them back.
# Prints nothing when either line is missing or not a number (printf '%d'
# would read an empty one as 0).
# elf_held LOG UNALLOCATED-PAGES
elf_held() {
	tr '\r' '\n' < "$1" | awk '
		/^Original pages  :/ { orig = $NF }
		/^  Excluded pages   :/ { want = 1; next }
		want && /in ELF format/ { print orig, $NF; exit }' |
	{
		read -r orig excl && [ -n "$orig" ] && [ -n "$excl" ] &&
			orig=$(printf '%d' "$orig" 2>/dev/null) &&
			excl=$(printf '%d' "$excl" 2>/dev/null) &&
			echo $((orig - excl + $2))
	}
}

result() {
	if [ "$1" = PASS ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	echo "$1: $2"
}

# run_case NAME FORMAT(E|l) LEVEL
run_case() {
	name=$1 fmt=$2 level=$3
	core=$work/$name.vmcore
	out=$work/$name.d$level.$fmt
	log=$out.log
	desc="$name -$fmt -d $level"

	rm -f "$out"
	if ! "$REF_MAKEDUMPFILE" --message-level 31 -"$fmt" -d "$level" \
		"$core" "$out" < /dev/null > "$log" 2>&1; then
		why=$(tr '\r' '\n' < "$log" | grep -v '^$' | tail -3 | tr '\n' ' ')
		result FAIL "$desc: makedumpfile failed: $why"
		return
	fi

	# -E in several cycles counts the kernel image's zero pages twice
	mode=single
	if [ "$fmt" = E ] && ! grep -q 'in one cycle' "$log"; then
		mode=elf-cyclic
	fi
	sh "$expect" "$work/$name.manifest" "$level" "$mode" > "$out.expected" || {
		result FAIL "$desc: expected-report.sh failed"
		return
	}
	report_lines "$log" > "$out.actual"
	if ! cmp -s "$out.expected" "$out.actual"; then
		result FAIL "$desc ($mode): report differs from the manifest:"
		diff "$out.expected" "$out.actual" | sed 's/^/    /'
		return
	fi

	if [ "$fmt" = E ]; then
		held=$("$check" "$core" "$out" < /dev/null) || {
			result FAIL "$desc: vmcore-check found differences"
			return
		}
		held=$(echo "$held" | sed -n 's/.* holds \([0-9][0-9]*\) pages.*/\1/p')
		unallocated=0
		if grep -q '^pmem_loaded=1$' "$work/$name.manifest"; then
			unallocated=$(sed -n 's/^pmem_unallocated_pages=\([0-9][0-9]*\)$/\1/p' "$work/$name.manifest")
		fi
		if [ -z "$unallocated" ]; then
			result FAIL "$desc: no pmem_unallocated_pages in the manifest"
			return
		fi
		remaining=$(elf_held "$log" "$unallocated")
		# An empty count (a line missing) must not equal another empty one.
		if [ -z "$held" ] || [ -z "$remaining" ]; then
			result FAIL "$desc: page count missing: vmcore-check ${held:-none}, report ${remaining:-none} (Original pages or its ELF Excluded line)"
			return
		fi
		if [ "$held" != "$remaining" ]; then
			result FAIL "$desc: dump holds $held pages, report says $remaining"
			return
		fi
	fi
	result PASS "$desc ($mode)"
	rm -f "$out"
}

# gen_machine NAME VMCORE-GEN-OPTIONS...
gen_machine() {
	name=$1
	shift
	if ! "$gen" "$@" "$work/$name.vmcore" < /dev/null \
		> "$work/$name.gen.log" 2>&1; then
		result FAIL "$name: vmcore-gen $*: $(cat "$work/$name.gen.log")"
		return 1
	fi
}

all_levels="0 1 2 4 8 16 31 3 5 6 17 22 27"
some_levels="0 1 16 31 6 27"
few_levels="1 31 22"
if [ "${VMCORE_GEN_QUICK:-0}" = 1 ]; then
	all_levels=$few_levels
	some_levels=$few_levels
fi

# name|dump levels|generator options, one machine a line
# run_machines TABLE: each "name|levels|vmcore-gen options" line, every
# level, -E and -l.
run_machines() {
	while IFS='|' read -r name levels opts; do
		[ -n "$name" ] || continue
		# shellcheck disable=SC2086 # split the options on purpose
		gen_machine "$name" $opts || continue
		for level in $levels; do
			run_case "$name" E "$level"
			run_case "$name" l "$level"
		done
		rm -f "$work/$name".*
	done <<EOF
$1
EOF
}

machines="
l4|$all_levels|
l5-kaslr424242|$all_levels|--paging=5 --kaslr-seed=424242
l5|$some_levels|--paging=5
l4-kaslr7-383m|$some_levels|--mem-mib=383 --kaslr-seed=7
l4-kaslr99-2g-4cpu|$few_levels|--mem-mib=1922 --cpus=4 --kaslr-seed=99
"
# 383 MiB: RAM ends on an odd MiB, so the kernel's early allocations (page
# tables, mem_section, pglist_data) are mapped with 4 KiB pages; 1922 MiB:
# RAM ends at 2 GiB, so they sit in a 1 GiB direct-map page.
run_machines "$machines"

# A 16 GiB machine, sparse on disk: only levels whose dumps stay small.
if gen_machine large-l5-kaslr5 --large-mib=16384 --paging=5 --kaslr-seed=5; then
	for level in 31 17 25; do
		run_case large-l5-kaslr5 E "$level"
		run_case large-l5-kaslr5 l "$level"
	done
fi

# Persistent memory (makedumpfile 1.7.2 knows nothing of it: it keeps the
# fsdax pages, drops their zero pages at bit 1 and the reflinked ones,
# whose mapping reads as anonymous, at bit 8).  PF_DEV-flagged and plain
# PT_LOADs, the devm_memmap_vmcore list, a map=mem second namespace, a
# sparse device memmap, pmem left out of the PT_LOADs, and a region whose
# end is unallocated (no section there: makedumpfile stops at the last
# section with a mem_map).
pmem_machines="
pmem-l4|0 31 1 8|--pmem-mib=256 --pmem-flag --pmem-list
pmem-l5-kaslr3-2ns|0 31|--paging=5 --kaslr-seed=3 --pmem-mib=384 --pmem-flag --pmem-list --pmem-namespaces=2
pmem-l4-plain-sparse|31|--mem-mib=383 --pmem-mib=256 --pmem-sparse-meta
pmem-l5-noload|31|--paging=5 --pmem-mib=256 --no-pmem-load --pmem-list
pmem-l4-tail-2ns|1 31|--pmem-mib=1024 --pmem-ns-mib=384 --pmem-namespaces=2 --pmem-flag --pmem-sparse-meta
"
if [ "${VMCORE_GEN_QUICK:-0}" = 1 ]; then
	pmem_machines=$(echo "$pmem_machines" | sed 's/|[0-9 ]*|/|31|/')
fi
run_machines "$pmem_machines"

echo "vmcore-gen vs $REF_MAKEDUMPFILE: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
