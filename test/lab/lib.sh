# shellcheck shell=bash
# Shared by the VM lab tests (sourced): PASS/FAIL/SKIP lines, prerequisites
# and running or reusing a scenario. Expects REPO and LAB to be set.

failures=0

pass() { echo "PASS: $*"; }
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
skip_all() {
	echo "SKIP: $*"
	exit 77
}

# A lab test that stops on an error (exit status other than 0 and 77)
# before any FAIL line says so in a FAIL line, for scripts/test to count
# (which counts one failure for such a test anyway) and for a reader.
lab_exit_check() {
	local rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$failures" -eq 0 ]; then
		echo "FAIL: ${0##*/}: stopped with exit status $rc before reporting a failure"
	fi
	return "$rc"
}
trap lab_exit_check EXIT

# lab_prereqs CMD...: root, the commands, the kernel source, and a built
# lab kernel unless PMEMDUMP_LAB_BUILD_KERNEL=1 allows building it.
lab_prereqs() {
	local c
	[ "$(id -u)" -eq 0 ] || skip_all "the VM lab needs root"
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed (scripts/setup-deps)"
	done
	[ -f /usr/src/linux-source-6.1.tar.xz ] || skip_all "linux-source-6.1 not installed"
	if ! "$LAB" kernel-dir >/dev/null 2>&1 && [ "${PMEMDUMP_LAB_BUILD_KERNEL:-0}" != 1 ]; then
		skip_all "lab kernel not built: run scripts/lab build-kernel or set PMEMDUMP_LAB_BUILD_KERNEL=1"
	fi
}

# Run one scenario, or with PMEMDUMP_LAB_REUSE=1 reuse its last complete run.
run_cycle() {
	local s=$1 dir
	dir=$("$LAB" run-dir "$s")
	if [ "${PMEMDUMP_LAB_REUSE:-0}" = 1 ] &&
		grep -aq '^PMEMDUMP-RESULT ' "$dir/../serial.log" 2>/dev/null; then
		grep -aq '^PMEMDUMP-RESULT ok' "$dir/../serial.log"
		return
	fi
	"$LAB" run "$s" >/dev/null
}

# meta_get FILE KEY: the value of KEY=value in FILE.
meta_get() { sed -n "s/^$2=//p" "$1" | head -n1; }

# report_value FILE LABEL: the last value (decimal) that a makedumpfile
# --message-level 31 report in FILE gives for LABEL ("Excluded pages",
# "Free pages", "pmem userdata pages", ...); empty if the line is missing.
report_value() {
	local v
	v=$(tr '\r' '\n' <"$1" | sed -n "s/^[[:space:]]*$2[[:space:]]*: *\(0x[0-9a-fA-F]*\|[0-9][0-9]*\)[[:space:]]*\$/\1/p" | tail -n1)
	[ -n "$v" ] && echo $((v))
}

# Report lines that the pmem filter leaves as makedumpfile 1.7.2 has them.
PMEM_SAME=("Non-private cache pages" "Private cache pages" "User process data pages"
	"Free pages" "Hwpoison pages" "Offline pages" "Original pages" "Memory Hole"
	"Total pages")

# check_pmem_counts WHAT REF OURS DL MODE STATS
# Our report OURS at dump level DL (0..63) beside makedumpfile 1.7.2's REF
# at DL & 31, on a vmcore with PF_DEV pmem PT_LOADs, whose independent page
# counts (test/lab/pmem-pages.py stats) are in STATS. MODE is "default"
# (pmem user data left out) or "userdata" (--pmem-userdata). Expected:
#   - the cache, private, user, free, hwpoison, offline, original, hole and
#     total lines equal 1.7.2's (pmem pages are none of those kinds);
#   - "pmem metadata pages" = the listed metadata pages with DL & 32, else 0;
#   - "pmem userdata pages" = flagged pages - metadata pages by default,
#     0 with --pmem-userdata;
#   - with DL & 1, 1.7.2 also counts the zero pages of the whole pmem range
#     as zero pages; we never count metadata as zero pages (kept, or left out
#     as metadata), and count pmem user data as zero pages only with
#     --pmem-userdata: ours = 1.7.2's - meta_zero - user_zero (+ user_zero);
#   - Excluded = 1.7.2's - (the zero pages above) + pmem metadata + pmem
#     userdata, and Remaining = Original - Excluded.
check_pmem_counts() {
	local what=$1 ref=$2 ours=$3 dl=$4 mode=$5 stats=$6
	local F M U mz uz c r o mm uu rz oz wz re oe we orig wrong=()
	F=$(meta_get "$stats" flagged_pages)
	M=$(meta_get "$stats" meta_pages)
	U=$(meta_get "$stats" user_pages)
	mz=$(meta_get "$stats" meta_zero)
	uz=$(meta_get "$stats" user_zero)
	if [ -z "$F" ] || [ "$F" -eq 0 ]; then
		fail "$what: no PF_DEV pmem pages in the vmcore ($stats)"
		return
	fi
	# Every count compared below must be there: an empty one would compare
	# equal to a missing report line, or count as 0 in $((...)).
	for c in "flagged_pages=$F" "meta_pages=$M" "user_pages=$U" "meta_zero=$mz" "user_zero=$uz"; do
		[[ ${c#*=} =~ ^[0-9]+$ ]] || wrong+=("$c")
	done
	if [ ${#wrong[@]} -ne 0 ]; then
		fail "$what: missing or non-numeric pmem page counts in $stats: ${wrong[*]}"
		return
	fi
	for c in "${PMEM_SAME[@]}"; do
		r=$(report_value "$ref" "$c")
		o=$(report_value "$ours" "$c")
		[ -n "$r" ] && [ "$r" = "$o" ] || wrong+=("$c: 1.7.2 ${r:-missing}, ours ${o:-missing}")
	done
	mm=0
	((dl & 32)) && mm=$M
	uu=0
	[ "$mode" = default ] && uu=$U
	o=$(report_value "$ours" "pmem metadata pages")
	[ "$o" = "$mm" ] || wrong+=("pmem metadata pages: ours ${o:-missing}, expected $mm")
	o=$(report_value "$ours" "pmem userdata pages")
	[ "$o" = "$uu" ] || wrong+=("pmem userdata pages: ours ${o:-missing}, expected $uu ($F flagged - $M metadata pages, or 0 with --pmem-userdata)")
	rz=$(report_value "$ref" "Pages filled with zero")
	oz=$(report_value "$ours" "Pages filled with zero")
	wz=${rz:-0}
	if ((dl & 1)); then
		wz=$((rz - mz - uz))
		[ "$mode" = userdata ] && wz=$((wz + uz))
	fi
	[ -n "$rz" ] && [ "$oz" = "$wz" ] ||
		wrong+=("Pages filled with zero: ours ${oz:-missing}, expected $wz (1.7.2 ${rz:-missing}; pmem zero pages: $mz metadata, $uz user data)")
	re=$(report_value "$ref" "Excluded pages")
	oe=$(report_value "$ours" "Excluded pages")
	we=$((${re:-0} - (${rz:-0} - wz) + mm + uu))
	[ -n "$re" ] && [ "$oe" = "$we" ] ||
		wrong+=("Excluded pages: ours ${oe:-missing}, expected $we = 1.7.2 ${re:-missing} - $((${rz:-0} - wz)) pmem zero pages + $mm metadata + $uu user data")
	orig=$(report_value "$ours" "Original pages")
	o=$(report_value "$ours" "Remaining pages")
	[ -n "$orig" ] && [ -n "$oe" ] && [ "$o" = "$((orig - oe))" ] ||
		wrong+=("Remaining pages: ours ${o:-missing}, Original ${orig:-missing} - Excluded ${oe:-missing}")
	if [ ${#wrong[@]} -eq 0 ]; then
		pass "$what: cache/private/user/free/hwpoison/offline/original/hole/total = 1.7.2's;" \
			"pmem metadata $mm, pmem userdata $uu (= $F flagged - $M metadata pages$([ "$mode" = userdata ] && echo ', kept')); zero $oz (1.7.2 $rz);" \
			"Excluded $oe = 1.7.2's $re - $((rz - wz)) + $mm + $uu"
	else
		fail "$what: report does not match makedumpfile 1.7.2's with the pmem rules ($ours, $ref):"
		printf '  %s\n' "${wrong[@]}"
	fi
}

# ours_binary: the project's makedumpfile as the lab finds it (an out-of-tree
# build under $PMEMDUMP_BUILD, else the in-tree binary); empty if not built.
ours_binary() {
	local b=$REPO/makedumpfile/makedumpfile
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/makedumpfile/makedumpfile
	[ -x "$b" ] && readlink -f "$b"
}

# check_dax_mapping SCENARIO VMLINUX DUMP PA INODE OUT: OUT holds crash
# 8.0.2's "kmem -p PA" on DUMP; the struct page of that pmem page has a
# mapping whose host is inode INODE (a DAX file's first page, mapped).
check_dax_mapping() {
	local s=$1 vmlinux=$2 dump=$3 pa=$4 ino=$5 out=$6 line mapping host got
	line=$(grep -Ei "^ *[0-9a-f]{16} +${pa#0x} " "$out" | tr -s ' ')
	mapping=$(awk '{print $3}' <<<"$line")
	if [ -z "$line" ] || [ -z "$mapping" ] || [ "$mapping" = 0 ]; then
		fail "$s: kmem -p $pa (first page of the mapped DAX file) shows no mapping: ${line:-no line} (see $out)"
		return
	fi
	printf 'set scroll off\nstruct address_space.host %s\nq\n' "0x$mapping" |
		timeout 300 crash -s "$vmlinux" "$dump" >"$out.host" 2>&1
	host=$(sed -n 's/^ *host = \(0x[0-9a-f]*\).*/\1/p' "$out.host")
	printf 'set scroll off\nstruct inode.i_ino %s\nq\n' "${host:-0}" |
		timeout 300 crash -s "$vmlinux" "$dump" >"$out.ino" 2>&1
	got=$(sed -n 's/^ *i_ino = \([0-9]*\).*/\1/p' "$out.ino")
	if [ "$got" = "$ino" ]; then
		pass "$s: kmem -p $pa: the pmem struct page's mapping 0x$mapping is inode $got's, the mapped DAX file ($(cut -c1-80 <<<"$line"))"
	else
		fail "$s: kmem -p $pa: mapping 0x$mapping leads to inode ${got:-?}, not the DAX file's $ino (see $out.*)"
	fi
}

# check_fill SCENARIO VMCORE: the page cache, tmpfs and anonymous fill of
# guest/kdump-fsdax.lib.sh is in VMCORE (a crash or live dump's ELF).
check_fill() {
	local s=$1 vmcore=$2 m missing=()
	for m in PCAC TMPF ANON; do
		m=PMEMDUMP-$m-MK
		grep -aFq "$m$m$m$m" "$vmcore" || missing+=("$m")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		pass "$s: vmcore holds the page cache, tmpfs and anonymous fill patterns"
	else
		fail "$s: vmcore lacks fill patterns: ${missing[*]}"
	fi
}
