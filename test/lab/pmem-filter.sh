#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the pmem filter of the project's makedumpfile, on real
# vmcores whose kexec_file_load elfcorehdr carries the pmem range as a
# PT_LOAD with PF_DEV (0x10) (kernel-patches/0002) and whose VMCOREINFO lists
# the device memmap (kernel-patches/0001):
#   - kdump-fsdax-file.vmcore (two 64 MiB files of the pmem marker written to
#     an ext4-DAX file system on the fsdax namespace), beside makedumpfile
#     1.7.2 on the same vmcore: the page counts follow from 1.7.2's with the
#     pmem rules (check_pmem_counts in lib.sh) at -d 30, 31 and 62, in -l,
#     -E and uncompressed kdump format, by default and with --pmem-userdata;
#     with --pmem-userdata at -d 30 the -l dump is byte-identical to 1.7.2's;
#     --pmem-userdata warns on stderr;
#   - the DAX files' data (whole pages of the marker) is in none of our
#     default dumps (-E -d 31, -E -d 0, uncompressed -d 31), and all of it
#     is in the -E -d 31 --pmem-userdata dump;
#   - crash 8.0.2 opens our -l -d 31 and -E -d 31 dumps and `kmem -p` shows
#     the struct page of a pmem page of those files as drgn shows it in the
#     original vmcore (page address, flags, mapping, index); with -d 63
#     (metadata left out too) crash no longer shows its flags (it reads
#     zeros);
#   - kernel-series.vmcore, whose DAX file was read through a shared mapping
#     just before the crash (so its struct pages carry the file's mapping):
#     crash on our -l -d 31 and -E -d 31 dumps shows for the file's first
#     block a mapping equal to the i_mapping of the file's inode (drgn, walked
#     from the pmem0 super block), its flags and index 0. (In
#     kdump-fsdax-file the files were written with write(2), which does not
#     set page->mapping of DAX pages, and their inodes are evicted by the
#     drop_caches of the page-cache step, so the mapping is 0 there.)
#   - kdump-fsdax.vmcore (kexec_load, no pmem PT_LOAD): our -l -d 31 report
#     and file are makedumpfile 1.7.2's, without pmem lines.
# It prints the sizes and wall times of 1.7.2's and our dumps (not checked).
#
# The vmcores are the lab's saved ones (scripts/lab vmcore NAME): a cycle is
# run only when one is missing or lacks the pmem PT_LOAD or the list.
# Exit: 0 pass, 1 fail, 77 skip. Environment as test/lab/kdump-fsdax.sh, and
#   PMEMDUMP_BUILD               out-of-tree build holding our makedumpfile
#   PMEMDUMP_REF_MAKEDUMPFILE    makedumpfile 1.7.2 (/usr/bin/makedumpfile)
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
PY=/usr/bin/python3
PMPAGES=$REPO/test/lab/pmem-pages.py
MDF172=${PMEMDUMP_REF_MAKEDUMPFILE:-/usr/bin/makedumpfile}
DAX_FILE_PAGES=32768 # the two 64 MiB files of the kdump-fsdax scenarios
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

work=${PMEMDUMP_LAB_WORK:-/var/tmp/pmemdump-lab}/pmem-filter
declare -A SECS BYTES RC CMD
RUNS=()
FILE_META=

check_prereqs() {
	lab_prereqs qemu-system-x86_64 crash readelf kexec ndctl mkfs.ext4 filefrag gcc timeout
	"$PY" -c 'import drgn' 2>/dev/null || skip_all "python3-drgn not installed (scripts/setup-deps)"
	"$MDF172" -v 2>&1 | grep -q 'version 1\.7\.2' || skip_all "makedumpfile 1.7.2 not found ($MDF172)"
	OURS=$(ours_binary) || skip_all "the project's makedumpfile is not built"
	if ! "$OURS" --help 2>&1 | grep -q -- '--pmem-userdata'; then
		fail "$OURS has no --pmem-userdata: the pmem filter is not built in"
		exit 1
	fi
}

# vmcore_for NAME: the saved vmcore of scenario NAME, with its pmem page
# counts in $work/NAME.stats; a new cycle only if it has no PF_DEV PT_LOAD
# or no device memmap list (older kernel or stock kexec).
vmcore_for() {
	local name=$1 v st=$work/$1.stats
	v=$("$LAB" vmcore "$name") || return 1
	if ! "$PMPAGES" stats "$v" >"$st" 2>&1 || [ "$(meta_get "$st" flagged_pages)" = 0 ]; then
		echo "pmem-filter: $v has no pmem PT_LOAD or list ($(tail -n1 "$st")): running $name" >&2
		v=$(PMEMDUMP_LAB_REFRESH=1 "$LAB" vmcore "$name") || return 1
		"$PMPAGES" stats "$v" >"$st" || return 1
	fi
	echo "$v"
}

# run NAME VMCORE TOOL ARGS...: TOOL ARGS VMCORE $work/NAME.dump, timed
# (best of $REPEAT runs); stdout and stderr in NAME.stdout/.stderr, both in
# NAME.report.
run() {
	local name=$1 vmcore=$2 t0 t1 rc i best=
	shift 2
	for ((i = 0; i < ${REPEAT:-1}; i++)); do
		rm -f "$work/$name.dump"
		t0=$(date +%s.%N)
		"$@" "$vmcore" "$work/$name.dump" >"$work/$name.stdout" 2>"$work/$name.stderr"
		rc=$?
		t1=$(date +%s.%N)
		t1=$(echo "$t1 - $t0" | bc)
		if [ -z "$best" ] || [ "$(echo "$t1 < $best" | bc)" = 1 ]; then best=$t1; fi
	done
	cat "$work/$name.stdout" "$work/$name.stderr" >"$work/$name.report"
	RUNS+=("$name")
	RC[$name]=$rc
	CMD[$name]="$([ "$1" = "$MDF172" ] && echo 1.7.2 || echo ours) ${*:2}"
	SECS[$name]=$best
	BYTES[$name]=$(stat -c %s "$work/$name.dump" 2>/dev/null || echo 0)
	if [ $rc -ne 0 ]; then
		fail "$name: $(basename "$1") ${*:2} exited with $rc: $(tail -n1 "$work/$name.stderr")"
	fi
}

R() { echo "$work/$1.report"; }
D() { echo "$work/$1.dump"; }

# crash_page WHAT VMLINUX DUMP PADDR DRGN-FILE [I_MAPPING]: crash opens DUMP
# (sys shows the sysrq panic) and `kmem -p PADDR` shows the struct page that
# drgn found in the original vmcore: same address, flags, mapping, index;
# with I_MAPPING the mapping must also be that inode's i_mapping.
crash_page() {
	local what=$1 vmlinux=$2 dump=$3 paddr=$4 want=$5 imap=${6:-} out line
	local c_page c_map c_idx c_flags c wrong=() note=
	[ -n "$imap" ] && note=", mapping = i_mapping of the DAX file"
	out=$work/crash.$(basename "$dump").out
	if ! printf 'set scroll off\nsys\nkmem -p %#x\nq\n' "$paddr" |
		timeout 600 crash -s "$vmlinux" "$dump" >"$out" 2>&1; then
		fail "$what: crash exited with an error (see $out)"
		tail -n 20 "$out"
		return
	fi
	grep -q 'PANIC: ".*sysrq triggered crash"' "$out" || wrong+=("no sysrq PANIC in sys")
	line=$(awk -v pa="$(printf %x "$paddr")" '$2 == pa' "$out" | head -n1)
	read -r c_page _ c_map c_idx _ c_flags _ <<<"$line"
	[ -n "$line" ] || wrong+=("no kmem -p line for physical $(printf %#x "$paddr")")
	# hexnorm reads an empty value as 0: each side must have all four.
	[ -n "${c_flags:-}" ] || wrong+=("kmem -p line without page, mapping, index and flags: '$line'")
	for c in page flags mapping index; do
		[ -n "$(meta_get "$want" $c)" ] || wrong+=("drgn gave no $c ($want)")
	done
	[ "$(hexnorm "${c_page:-}")" = "$(hexnorm "$(meta_get "$want" page)")" ] || wrong+=("page ${c_page:-?}, drgn $(meta_get "$want" page)")
	[ "$(hexnorm "${c_flags:-}")" = "$(hexnorm "$(meta_get "$want" flags)")" ] || wrong+=("flags ${c_flags:-?}, drgn $(meta_get "$want" flags)")
	[ "$(hexnorm "${c_map:-}")" = "$(hexnorm "$(meta_get "$want" mapping)")" ] || wrong+=("mapping ${c_map:-?}, drgn $(meta_get "$want" mapping)")
	[ "$(hexnorm "${c_idx:-}")" = "$(hexnorm "$(meta_get "$want" index)")" ] || wrong+=("index ${c_idx:-?}, drgn $(meta_get "$want" index)")
	if [ -n "$imap" ] && [ "$(hexnorm "${c_map:-}")" != "$(hexnorm "$imap")" ]; then
		wrong+=("mapping ${c_map:-?} is not the file's i_mapping $imap")
	fi
	if [ ${#wrong[@]} -eq 0 ]; then
		pass "$what: crash 8.0.2: sysrq panic; kmem -p $(printf %#x "$paddr"): page $c_page flags $c_flags mapping $c_map index $c_idx = drgn on the original vmcore$note"
	else
		fail "$what: crash 8.0.2 kmem -p $(printf %#x "$paddr") (see $out):"
		printf '  %s\n' "${wrong[@]}"
		grep -A2 'PAGE *PHYSICAL' "$out" | sed 's/^/  /'
	fi
}

# Hex digits, lower case, no 0x, no leading zeros ("0" for zero).
hexnorm() {
	local x=${1#0x}
	x=$(tr 'A-F' 'a-f' <<<"$x" | sed 's/^0*//')
	echo "${x:-0}"
}

# no_marker WHAT DUMP STATS: no DAX file page (whole page of the pmem marker)
# in DUMP; marker pages in RAM (freed buffers, counted in STATS) may be.
no_marker() {
	local what=$1 n ram
	n=$("$PMPAGES" count "$2")
	ram=$(meta_get "$3" ram_marker)
	if [ -n "$n" ] && [ "$n" -le "$ram" ]; then
		pass "$what: $n pages of the pmem marker in the whole file (vmcore: $(meta_get "$3" user_marker) in pmem user data, $ram in RAM)"
	else
		fail "$what: ${n:-?} pages of the pmem marker in the file, the vmcore has only $ram in RAM: pmem user data leaked"
	fi
}

# warns_userdata NAME DEFAULT: the --pmem-userdata run NAME warns on stderr
# (a "warning" line about pmem), the same run without it (DEFAULT) does not.
warns_userdata() {
	local name=$1 def=$2 w
	w=$(grep -ai 'warning' "$work/$name.stderr" | grep -ai 'pmem')
	if [ -n "$w" ] && ! grep -ai 'warning' "$work/$def.stderr" | grep -qai 'pmem'; then
		pass "$name: --pmem-userdata warns on stderr (without it: no warning): $(head -n1 <<<"$w")"
	else
		fail "$name: no pmem warning on stderr with --pmem-userdata, or one without it too ($work/$name.stderr, $work/$def.stderr)"
	fi
}

# ------------------------------------------------- kdump-fsdax-file.vmcore
check_file_vmcore() {
	local S=kdump-fsdax-file v meta vmlinux st pa n um ram out
	if ! v=$(vmcore_for $S); then
		fail "$S: no saved vmcore and the cycle failed (see the lab's message above)"
		return
	fi
	meta=${v%.vmcore}.meta
	FILE_META=$meta
	vmlinux=$(meta_get "$meta" vmlinux)
	st=$work/$S.stats
	echo "$S: $v ($(stat -c %s "$v") bytes); pmem pages: $(grep -v '^list=' "$st" | tr '\n' ' ') list $(meta_get "$st" list)"
	um=$(meta_get "$st" user_marker)
	pa=$(meta_get "$st" first_marker)
	if [ "$(meta_get "$meta" kexec_mode)" = file ] && [ "$um" -ge $DAX_FILE_PAGES ] && [ "$((pa))" -ne 0 ] &&
		[ "$(meta_get "$st" meta_pages)" -gt 0 ]; then
		pass "$S: vmcore (kexec_file_load) has $(meta_get "$st" flagged_pages) PF_DEV pmem pages, $(meta_get "$st" meta_pages) of them in the listed memmap, $um holding the DAX files' marker"
	else
		fail "$S: vmcore lacks the listed memmap or the DAX files' $DAX_FILE_PAGES marker pages ($st)"
		return
	fi

	# Warm the page cache once so that the timings compare the tools.
	cat "$v" >/dev/null
	# The runs of the size and time table: best of three.
	REPEAT=3
	run ref-l31 "$v" "$MDF172" -l -d 31 --message-level 31
	run ref-E31 "$v" "$MDF172" -E -d 31 --message-level 31
	run ours-l31 "$v" "$OURS" -l -d 31 --message-level 31
	run ours-E31 "$v" "$OURS" -E -d 31 --message-level 31
	run ours-l31-userdata "$v" "$OURS" -l -d 31 --pmem-userdata --message-level 31
	run ours-E31-userdata "$v" "$OURS" -E -d 31 --pmem-userdata --message-level 31
	REPEAT=1
	run ref-l30 "$v" "$MDF172" -l -d 30 --message-level 31
	run ours-l30 "$v" "$OURS" -l -d 30 --message-level 31
	run ours-l30-userdata "$v" "$OURS" -l -d 30 --pmem-userdata --message-level 31
	run ours-l62 "$v" "$OURS" -l -d 62 --message-level 31
	run ours-l63 "$v" "$OURS" -l -d 63 --message-level 31
	run ours-k31 "$v" "$OURS" -d 31 --message-level 31
	run ours-E0 "$v" "$OURS" -E -d 0 --message-level 31

	# Page counts beside 1.7.2's.
	check_pmem_counts "$S: -l -d 30" "$(R ref-l30)" "$(R ours-l30)" 30 default "$st"
	check_pmem_counts "$S: -l -d 31" "$(R ref-l31)" "$(R ours-l31)" 31 default "$st"
	check_pmem_counts "$S: -E -d 31" "$(R ref-E31)" "$(R ours-E31)" 31 default "$st"
	check_pmem_counts "$S: -d 31 (uncompressed kdump)" "$(R ref-l31)" "$(R ours-k31)" 31 default "$st"
	check_pmem_counts "$S: -l -d 62 (metadata left out too)" "$(R ref-l30)" "$(R ours-l62)" 62 default "$st"
	check_pmem_counts "$S: -l -d 30 --pmem-userdata" "$(R ref-l30)" "$(R ours-l30-userdata)" 30 userdata "$st"
	check_pmem_counts "$S: -l -d 31 --pmem-userdata" "$(R ref-l31)" "$(R ours-l31-userdata)" 31 userdata "$st"
	check_pmem_counts "$S: -E -d 31 --pmem-userdata" "$(R ref-E31)" "$(R ours-E31-userdata)" 31 userdata "$st"
	if [ "${RC[ours-l30-userdata]}" = 0 ] && cmp -s "$(D ref-l30)" "$(D ours-l30-userdata)"; then
		pass "$S: -l -d 30 --pmem-userdata: the file is byte-identical to makedumpfile 1.7.2's -l -d 30 ($(stat -c %s "$(D ref-l30)") bytes)"
	else
		fail "$S: -l -d 30 --pmem-userdata: the file differs from makedumpfile 1.7.2's -l -d 30: $(cmp "$(D ref-l30)" "$(D ours-l30-userdata)" 2>&1 | head -n1)"
	fi
	warns_userdata ours-l31-userdata ours-l31
	warns_userdata ours-E31-userdata ours-E31

	# The DAX files' data.
	no_marker "$S: our -E -d 31 dump" "$(D ours-E31)" "$st"
	no_marker "$S: our -E -d 0 dump" "$(D ours-E0)" "$st"
	no_marker "$S: our uncompressed kdump -d 31 dump" "$(D ours-k31)" "$st"
	n=$("$PMPAGES" count "$(D ours-E31-userdata)")
	ram=$(meta_get "$st" ram_marker)
	if [ "$n" -ge "$um" ] && [ "$n" -le $((um + ram)) ]; then
		pass "$S: our -E -d 31 --pmem-userdata dump holds all $um pmem marker pages of the DAX files ($n in the file; makedumpfile 1.7.2's -E -d 31: $("$PMPAGES" count "$(D ref-E31)"))"
	else
		fail "$S: our -E -d 31 --pmem-userdata dump holds $n pmem marker pages, the DAX files have $um (RAM $ram)"
	fi

	# The struct page of a DAX file page, read by crash from our dumps.
	if ! "$PMPAGES" page "$v" "$vmlinux" "$pa" >"$work/$S.page" 2>&1; then
		fail "$S: drgn cannot read the struct page of $pa: $(tail -n1 "$work/$S.page")"
		return
	fi
	echo "$S: first DAX file page at physical $pa, drgn: $(tr '\n' ' ' <"$work/$S.page")"
	crash_page "$S: our -l -d 31 dump" "$vmlinux" "$(D ours-l31)" "$pa" "$work/$S.page"
	crash_page "$S: our -E -d 31 dump" "$vmlinux" "$(D ours-E31)" "$pa" "$work/$S.page"
	out=$work/crash.ours-l63.out
	printf 'set scroll off\nkmem -p %#x\nq\n' "$pa" | timeout 600 crash -s "$vmlinux" "$(D ours-l63)" >"$out" 2>&1
	# Positive evidence, not the absence of a match: crash must print the
	# page's line, with the excluded struct page read as zeros.
	if grep -q "^$(hexnorm "$(meta_get "$work/$S.page" page)") .* $(hexnorm "$(meta_get "$work/$S.page" flags)") " "$out"; then
		fail "$S: -l -d 63 should leave the pmem metadata out, but crash still shows the struct page ($out)"
	elif ! grep -qiE "^ *[0-9a-f]+ +${pa#0x} +0 +0 +0 +0" "$out"; then
		fail "$S: -l -d 63: crash's kmem -p $pa printed no zeroed line for the page ($out)"
	else
		pass "$S: -l -d 63 leaves the struct page out: crash's kmem -p says $(grep -v '^$' "$out" | tail -n1 | tr -s ' ')"
	fi
}

# ----------------------------------------------------- kernel-series.vmcore
check_series_vmcore() {
	local S=kernel-series v meta vmlinux res st daxstart ino blk pa imap
	if ! v=$(vmcore_for $S); then
		fail "$S: no saved vmcore and the cycle failed (see the lab's message above)"
		return
	fi
	meta=${v%.vmcore}.meta
	vmlinux=$(meta_get "$meta" vmlinux)
	res=$(meta_get "$meta" results)
	st=$work/$S.stats
	daxstart=$(meta_get "$res/first.state-final.sysfs" pfn_resource)
	ino=$(sed -n 's/^ino=\([0-9]*\) .*/\1/p' "$res/first.daxfile" 2>/dev/null)
	blk=$(sed -n 's/^ *0: *0\.\. *[0-9]*: *\([0-9]*\)\.\..*/\1/p' "$res/first.filefrag" 2>/dev/null)
	if [ -z "$daxstart" ] || [ -z "$ino" ] || [ -z "$blk" ]; then
		fail "$S: no DAX file data from the first kernel in $res"
		return
	fi
	pa=$(printf '%#x' $((daxstart + blk * 4096)))
	if ! "$PMPAGES" page "$v" "$vmlinux" "$pa" "$ino" >"$work/$S.page" 2>&1; then
		fail "$S: drgn: $(tail -n1 "$work/$S.page")"
		return
	fi
	imap=$(meta_get "$work/$S.page" i_mapping)
	echo "$S: DAX file inode $ino, first block $blk at physical $pa, drgn: $(tr '\n' ' ' <"$work/$S.page")"
	if [ "$(meta_get "$work/$S.page" mapping)" != "$imap" ] || [ "$((imap))" -eq 0 ]; then
		fail "$S: in the original vmcore the page's mapping is not the file's i_mapping $imap"
		return
	fi
	run series-ref-l31 "$v" "$MDF172" -l -d 31 --message-level 31
	run series-ours-l31 "$v" "$OURS" -l -d 31 --message-level 31
	run series-ours-E31 "$v" "$OURS" -E -d 31 --message-level 31
	check_pmem_counts "$S: -l -d 31" "$(R series-ref-l31)" "$(R series-ours-l31)" 31 default "$st"
	crash_page "$S: our -l -d 31 dump" "$vmlinux" "$(D series-ours-l31)" "$pa" "$work/$S.page" "$imap"
	crash_page "$S: our -E -d 31 dump" "$vmlinux" "$(D series-ours-E31)" "$pa" "$work/$S.page" "$imap"
	no_marker "$S: our -E -d 31 dump" "$(D series-ours-E31)" "$st"
}

# ------------------------------------------------------- kdump-fsdax.vmcore
check_load_vmcore() {
	local S=kdump-fsdax v a='' b='' c r o missing=()
	if ! v=$("$LAB" vmcore $S); then
		fail "$S: no saved vmcore and the cycle failed"
		return
	fi
	run load-ref-l31 "$v" "$MDF172" -l -d 31 --message-level 31
	run load-ours-l31 "$v" "$OURS" -l -d 31 --message-level 31
	# Each line must be in both reports: two missing values compare equal.
	for c in "Excluded pages" "Pages filled with zero" "${PMEM_SAME[@]}" "Remaining pages"; do
		r=$(report_value "$(R load-ref-l31)" "$c")
		o=$(report_value "$(R load-ours-l31)" "$c")
		[ -n "$r" ] && [ -n "$o" ] || missing+=("$c: 1.7.2 ${r:-missing}, ours ${o:-missing}")
		a+="$c=$r"$'\n'
		b+="$c=$o"$'\n'
	done
	if [ ${#missing[@]} -eq 0 ] && [ "$a" = "$b" ] && ! grep -aq 'pmem .* pages *:' "$(R load-ours-l31)" &&
		cmp -s "$(D load-ref-l31)" "$(D load-ours-l31)"; then
		pass "$S (kexec_load, no pmem PT_LOAD): -l -d 31: counts and file equal makedumpfile 1.7.2's, no pmem lines"
	else
		fail "$S (kexec_load): -l -d 31 differs from makedumpfile 1.7.2:"
		[ ${#missing[@]} -eq 0 ] || printf '  report line missing: %s\n' "${missing[@]}"
		diff <(echo "$a") <(echo "$b") | sed 's/^/  /'
		grep -a 'pmem .* pages *:' "$(R load-ours-l31)" | sed 's/^/  /'
		cmp "$(D load-ref-l31)" "$(D load-ours-l31)" 2>&1 | sed 's/^/  /'
	fi
}

# --mem-usage on /proc/kcore, run in the first kernel of the cycle that saved
# kdump-fsdax-file.vmcore: our PMEM rows are that vmcore's listed metadata
# and the rest of its PF_DEV range, and the RAM total is makedumpfile
# 1.7.2's (its other rows move between the two runs of a live system).
check_mem_usage() {
	local S="kdump-fsdax-file: --mem-usage /proc/kcore" res ours ref st=$work/kdump-fsdax-file.stats
	local meta user total rtotal vmeta vuser
	[ -n "$FILE_META" ] && res=$(meta_get "$FILE_META" results) && [ -d "$res" ] || {
		fail "$S: no results of the kdump-fsdax-file cycle"
		return
	}
	ours=$res/mem-usage.ours
	ref=$res/mem-usage.mkdf
	if [ ! -s "$ours" ]; then
		fail "$S: the first kernel saved no output of ours ($ours)"
		return
	fi
	meta=$(awk '$1 == "PMEM_META" { print $2 }' "$ours")
	user=$(awk '$1 == "PMEM_USER" { print $2 }' "$ours")
	total=$(sed -n 's/^Total pages on system:[[:space:]]*\([0-9]*\).*/\1/p' "$ours")
	rtotal=$(sed -n 's/^Total pages on system:[[:space:]]*\([0-9]*\).*/\1/p' "$ref")
	vmeta=$(meta_get "$st" meta_pages)
	vuser=$(meta_get "$st" user_pages)
	sed 's/^/  ours: /' "$ours"
	# Empty values (a row or a stats line missing) must not compare equal.
	if [ -n "$meta" ] && [ "$meta" = "$vmeta" ] && [ -n "$user" ] && [ "$user" = "$vuser" ] &&
		[ -n "$total" ] && [ "$total" = "$rtotal" ]; then
		pass "$S: PMEM_META $meta and PMEM_USER $user as in the vmcore, $total RAM pages as makedumpfile 1.7.2"
	else
		fail "$S: PMEM_META ${meta:-none} PMEM_USER ${user:-none} total ${total:-none}; vmcore ($st): meta ${vmeta:-none} user ${vuser:-none}; makedumpfile 1.7.2 total ${rtotal:-none}"
		sed 's/^/  1.7.2: /' "$ref"
	fi
}

print_table() {
	local n res f log b t
	echo "Sizes and wall times on this host, from the saved vmcores (page cache warm, best of 3 for the first six; not checked):"
	printf '  %-20s %-44s %14s %9s %10s\n' run command bytes MB seconds
	for n in "${RUNS[@]}"; do
		printf '  %-20s %-44s %14s %9.1f %10.2f\n' "$n" "${CMD[$n]% --message-level 31}" \
			"${BYTES[$n]}" "$(echo "${BYTES[$n]} / 1000000" | bc -l)" "${SECS[$n]}"
	done
	# The capture kernel's runs on /proc/vmcore (one TCG vCPU) of the cycle
	# that saved kdump-fsdax-file.vmcore, from its step logs.
	[ -n "$FILE_META" ] || return 0
	res=$(meta_get "$FILE_META" results)
	[ -d "$res" ] || return 0
	echo "In the capture kernel of that cycle (/proc/vmcore, one TCG vCPU; $res):"
	printf '  %-20s %-44s %14s %9s %10s\n' run command bytes MB seconds
	for n in "makedumpfile-l31 mkdf.l31.dump 1.7.2 -l -d 31" "makedumpfile-E31 mkdf.E31.elf 1.7.2 -E -d 31" \
		"ours-E31 ours.E31.elf ours -E -d 31"; do
		read -r log f t <<<"$n"
		b=$(stat -c %s "$res/$f" 2>/dev/null) || continue
		printf '  %-20s %-44s %14s %9.1f %10s\n' "guest-$log" "$t" "$b" "$(echo "$b / 1000000" | bc -l)" \
			"$(tr '\r' '\n' <"$res/capture.$log.log" | sed -n 's/^real[[:space:]]*//p' | tail -n1)"
	done
}

check_prereqs
rm -rf "$work"
mkdir -p "$work"
echo "pmem-filter: ours $OURS, reference $MDF172, work dir $work"
check_file_vmcore
check_mem_usage
check_series_vmcore
check_load_vmcore
print_table
# The dumps are large; the reports and crash outputs stay in $work.
rm -f "$work"/*.dump
[ $failures -eq 0 ] || exit 1
exit 0
