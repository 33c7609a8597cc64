#!/bin/bash
# The pmem filter on synthetic vmcores: for each machine (PF_DEV-flagged
# pmem with and without the devm_memmap_vmcore list, two namespaces, a
# sparse device memmap, an unallocated tail; unflagged pmem, pmem not
# loaded, no pmem) and dump level, our report (-E and -l) must equal
# expected-pmemdump.sh line for line, every page of an ELF dump must equal
# the input (vmcore-check -z), and the files' marker must be in the ELF
# dump exactly when pmem user data is dumped.  -d 64 is refused.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
CHECK=$top_builddir/test/vmcore-gen/vmcore-check
EXPECT=$top_srcdir/test/vmcore-gen/expected-pmemdump.sh
MARKER=PMEMDUMP-PMEM-MK
[ -x "$GEN" ] && [ -x "$CHECK" ] || { echo "vmcore-gen not built"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-pmem.XXXXXX")
trap 'rm -rf "$work"' EXIT


# Is the marker expected in an ELF dump of MANIFEST (with --pmem-userdata
# or not)?  Flagged pmem: only with it; unflagged pmem is RAM: always;
# pmem not in the PT_LOADs, or none: never.
marker_expected() {
	local manifest=$1 userdata=$2
	if [ "$(key "$manifest" pmem_loaded)" != 1 ]; then
		echo no
	elif [ "$(key "$manifest" pmem_flagged)" = 1 ] && [ -z "$userdata" ]; then
		echo no
	else
		echo yes
	fi
}

# check_one NAME FORMAT(E|l) LEVEL [--pmem-userdata]
check_one() {
	local name=$1 fmt=$2 dl=$3 userdata=${4:-} vmcore manifest out desc
	local want_marker has_marker
	vmcore=$work/$name.vmcore
	manifest=$work/$name.manifest
	out=$work/out.$fmt
	desc="$name -$fmt -d $dl${userdata:+ $userdata}"
	rm -f "$out"
	# shellcheck disable=SC2086 # no option is an empty word
	if ! "$OURS" -"$fmt" -d "$dl" $userdata --message-level 31 "$vmcore" "$out" \
		>"$work/log" 2>"$work/err" </dev/null; then
		fail "$desc: $(tail -1 "$work/err")"
		return
	fi
	# (a model that printed nothing must not equal a report without lines)
	# shellcheck disable=SC2086
	if ! sh "$EXPECT" "$manifest" "$dl" $userdata >"$work/expected" ||
		! counts_complete "$work/expected"; then
		fail "$desc: expected-pmemdump.sh failed or gave no complete report"
		return
	fi
	if ! diff "$work/expected" <(report_lines "$work/log") >"$work/diff"; then
		fail "$desc: report differs from the model (< expected, > ours)"
		sed 's/^/    /' "$work/diff"
		return
	fi
	if [ -n "$userdata" ] && [ "$(key "$manifest" pmem_flagged)" = 1 ] &&
		! grep -q -- --pmem-userdata "$work/err"; then
		fail "$desc: no warning on stderr"
		return
	fi
	# A listed memmap without a marked PT_LOAD: warn what the dump lacks.
	case $name in
	unflagged-list) want="not marked as pmem" ;;
	noload-list) want="holds no pmem" ;;
	*) want= ;;
	esac
	if [ -n "$want" ] && ! grep -q "$want" "$work/err"; then
		fail "$desc: no warning \"$want\" on stderr: $(head -c 300 "$work/err")"
		return
	fi
	if [ "$fmt" = l ]; then
		pass "$desc: report as the model"
		return
	fi

	want_marker=$(marker_expected "$manifest" "$userdata")
	has_marker=no
	LC_ALL=C grep -q -a -F "$MARKER" "$out" && has_marker=yes
	if ! check_elf_dump "$CHECK" "$vmcore" "$out" "$work/log"; then
		fail "$desc: $ELF_ERROR"
	elif [ "$has_marker" != "$want_marker" ]; then
		fail "$desc: file data marker in the dump: $has_marker, expected $want_marker"
	else
		pass "$desc: report as the model, $ELF_HELD pages equal the input, marker $has_marker"
	fi
}

levels="0 1 8 31 32 33 63"
userdata_levels="0 31 63"

# name|vmcore-gen options, one machine a line
machines="
flagged-list|--pmem-mib 256 --pmem-flag --pmem-list
flagged-info|--pmem-mib 256 --pmem-flag
flagged-2ns-l5-kaslr3|--paging 5 --kaslr-seed 3 --pmem-mib 384 --pmem-namespaces 2 --pmem-flag --pmem-list
flagged-2ns-info|--mem-mib 300 --pmem-mib 256 --pmem-namespaces 2 --pmem-flag
flagged-sparse|--mem-mib 383 --pmem-mib 256 --pmem-flag --pmem-list --pmem-sparse-meta
flagged-tail-2ns|--pmem-mib 512 --pmem-ns-mib 256 --pmem-namespaces 2 --pmem-flag --pmem-sparse-meta
unflagged-list|--pmem-mib 256 --pmem-list
noload-list|--paging 5 --pmem-mib 256 --no-pmem-load --pmem-list
no-pmem|--kaslr-seed 11
"
while IFS='|' read -r name opts; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086 # split the options on purpose
	if ! "$GEN" $opts "$work/$name.vmcore" >"$work/gen.log" 2>&1; then
		fail "$name: vmcore-gen $opts: $(cat "$work/gen.log")"
		continue
	fi
	for dl in $levels; do
		check_one "$name" E "$dl"
		check_one "$name" l "$dl"
	done
	for dl in $userdata_levels; do
		check_one "$name" E "$dl" --pmem-userdata
		check_one "$name" l "$dl" --pmem-userdata
	done
	[ "$name" = flagged-list ] || rm -f "$work/$name".*
done <<EOF
$machines
EOF

# A kdump-compressed input has no PT_LOAD flags: its pmem is found from the
# list and the info block before each listed memmap. A dump that kept user
# data, filtered again by default, loses it; metadata stays either way.
check_kdump_input() {
	local v=$work/flagged-list.vmcore m=$work/flagged-list.manifest
	local user pages meta n u31 m31
	if ! pages=$(num_key "$m" pmem_pages) || ! meta=$(num_key "$m" pmem_meta_pages); then
		fail "kdump input: the manifest $m lacks pmem_pages or pmem_meta_pages"
		return
	fi
	user=$((pages - meta))
	for step in "-l -d 0 --pmem-userdata|$v|$work/k.ud" "-E -d 0|$work/k.ud|$work/e.ud" \
		"-l -d 31|$v|$work/k.31" "-E -d 31|$work/k.31|$work/e.31"; do
		IFS='|' read -r opts in out <<<"$step"
		# shellcheck disable=SC2086
		if ! "$OURS" $opts --message-level 31 "$in" "$out" >"$out.log" 2>&1 </dev/null; then
			fail "kdump input: $opts $(basename "$in"): $(tail -1 "$out.log")"
			return
		fi
	done
	for out in "$work/e.ud" "$work/e.31"; do
		if ! "$CHECK" -z "$v" "$out" >"$work/check" 2>&1; then
			fail "kdump input: $(basename "$out"): $(tail -1 "$work/check")"
			return
		fi
	done
	# A missing pmem line is a failure, never a count of 0.
	if ! n=$(value "$work/e.ud.log" pmem_user) || ! u31=$(value "$work/e.31.log" pmem_user) ||
		! m31=$(value "$work/e.31.log" pmem_meta); then
		fail "kdump input: a report lacks the pmem lines ($work/e.ud.log, $work/e.31.log)"
	elif [ "$n" -ne "$user" ]; then
		fail "kdump input: refiltering a --pmem-userdata dump left out $n pmem user pages, not $user"
	elif LC_ALL=C grep -q -a -F "$MARKER" "$work/e.ud" "$work/e.31"; then
		fail "kdump input: file data marker in a dump filtered again"
	elif [ "$u31" -ne 0 ] || [ "$m31" -ne 0 ]; then
		fail "kdump input: a default dump filtered again: pmem lines not 0"
	else
		pass "kdump input: a --pmem-userdata dump filtered again drops its $user pmem user pages; every page of both ELF results equals the vmcore, no file data"
	fi
}
check_kdump_input

# Dump levels stop at 63.
for dl in 64 127; do
	rm -f "$work/out.E"
	if "$OURS" -E -d "$dl" "$work/flagged-list.vmcore" "$work/out.E" \
		>"$work/log" 2>"$work/err" </dev/null; then
		fail "-d $dl accepted"
	elif [ ! -s "$work/err" ]; then
		fail "-d $dl refused without an error message"
	elif [ -e "$work/out.E" ]; then
		fail "-d $dl refused, but $work/out.E was created"
	else
		pass "-d $dl refused: $(head -1 "$work/err")"
	fi
done
finish
