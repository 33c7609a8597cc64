# shellcheck shell=bash
# The host-side checks of one kdump cycle (sourced by test/lab/kdump-fsdax.sh
# and test/lab/kexec-ours.sh): check_scenario SCENARIO MODE, MODE being how
# the capture kernel was loaded: load (Debian's kexec, kexec_load), file
# (kexec_file_load) or ours (the project's kexec, kexec_load). With file and
# ours the crash header has the pmem range with PF_DEV. Expects REPO and LAB
# set; sources test/lab/lib.sh.

# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"
PMDUMP=$REPO/scripts/lab.d/guest/pmem-metadata.py
PMPAGES=$REPO/test/lab/pmem-pages.py
# The page categories of makedumpfile's report compared with 1.7.2's.
CATEGORIES=("Pages filled with zero" "Non-private cache pages" "Private cache pages"
	"User process data pages" "Free pages" "Hwpoison pages" "Offline pages"
	"Remaining pages" "Memory Hole" "Total pages")

# Does the crash header of MODE hold pmem? Not with Debian's kexec_load
# (load); with our kexec_load always; with kexec_file_load only on a kernel
# with the series (STOCK_KERNEL unset).
pmem_in_header() {
	case $1 in
	load) return 1 ;;
	file | ours-file) [ -z "${STOCK_KERNEL:-}" ] ;;
	*) return 0 ;;
	esac
}

check_prereqs() {
	lab_prereqs qemu-system-x86_64 crash makedumpfile readelf kexec ndctl mkfs.ext4 gcc timeout
}

# The capture kernel's command line shows which syscall loaded it:
# kexec-tools' kexec_load path appends "elfcorehdr=<n>K", while the kernel's
# kexec_file_load path puts "elfcorehdr=0x<addr>" first.
cmdline_shows() {
	case $1 in
	load) [[ $2 =~ elfcorehdr=[0-9]+K ]] && [[ $2 != elfcorehdr=0x* ]] ;;
	file | ours-file) [[ $2 == elfcorehdr=0x* ]] ;;
	# Ours (kexec_load) appends the header's address in hex, last.
	ours) [[ $2 =~ \ elfcorehdr=0x[0-9a-f]+$ ]] ;;
	*) return 1 ;;
	esac
}

check_syscall() {
	local s=$1 res=$2 mode=$3 cmd sc=kexec_load
	[ "$mode" = file ] && sc=kexec_file_load
	[ "$mode" = ours ] && sc="our kexec_load"
	[ "$mode" = ours-file ] && sc="our kexec -s (kexec_file_load)"
	cmd=$(head -n1 "$res/capture.info.log" 2>/dev/null)
	if cmdline_shows "$mode" "$cmd" && [ "$(cat "$res/kexec-mode" 2>/dev/null)" = "$mode" ]; then
		pass "$s: capture kernel loaded with $sc ($(grep -o 'elfcorehdr=[^ ]*' <<<"$cmd"))"
	else
		fail "$s: capture kernel command line does not show $sc: $cmd"
	fi
}

# Ranges "start end" (hex, inclusive) of /proc/iomem entries named $2.
iomem_ranges() {
	sed -n "s/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : $2\$/\1 \2/p" "$1"
}

# check_ptloads SCENARIO VMCORE IOMEM MODE: with kexec_load (stock
# kexec-tools) every PT_LOAD lies in System RAM and none touches Persistent
# Memory. With kexec_file_load the kernel series (kernel-patches/0002) adds
# one PT_LOAD per Persistent Memory resource, exactly that range, with
# PF_DEV (0x10) in p_flags; every other PT_LOAD is System RAM, unflagged.
# With PMEM_MEMMAP_ONLY set (our kexec --pmem=memmap) the flagged PT_LOAD
# starts where the range starts and ends inside it.
check_ptloads() {
	local s=$1 vmcore=$2 iomem=$3 mode=${4:-load} n=0 bad=0 flagged=0 start size flags end ok ps pe
	local -a ram pmem
	mapfile -t ram < <(iomem_ranges "$iomem" 'System RAM')
	mapfile -t pmem < <(iomem_ranges "$iomem" 'Persistent Memory')
	if [ ${#pmem[@]} -eq 0 ]; then
		fail "$s: first kernel's /proc/iomem shows no Persistent Memory"
		return
	fi
	while read -r start size flags; do
		n=$((n + 1))
		end=$((start + size - 1))
		ok=0
		if pmem_in_header "$mode" && ((flags & 0x10)); then
			for r in "${pmem[@]}"; do
				read -r ps pe <<<"$r"
				if ((start == 16#$ps && end == 16#$pe)); then ok=1; fi
				# --pmem=memmap: from the namespace start, ending before
				# the range's end (at the data start, checked by the caller).
				if [ -n "${PMEM_MEMMAP_ONLY:-}" ] && ((start == 16#$ps && end < 16#$pe)); then
					ok=1
				fi
			done
			flagged=$((flagged + ok))
		else
			for r in "${ram[@]}"; do
				read -r ps pe <<<"$r"
				if ((start >= 16#$ps && end <= 16#$pe)); then ok=1; fi
			done
			for r in "${pmem[@]}"; do
				read -r ps pe <<<"$r"
				if ((start <= 16#$pe && end >= 16#$ps)); then ok=0; fi
			done
			((flags & 0x10)) && ok=0
		fi
		if [ $ok -eq 0 ]; then
			printf '  PT_LOAD paddr %#x size %#x flags %#x is not (only) System RAM or a flagged pmem range\n' "$start" "$size" "$flags"
			bad=$((bad + 1))
		fi
	done < <("$PMDUMP" loads "$vmcore")
	if pmem_in_header "$mode"; then
		if [ $n -gt 0 ] && [ $bad -eq 0 ] && [ $flagged -eq ${#pmem[@]} ]; then
			pass "$s: $n PT_LOADs: $flagged Persistent Memory with PF_DEV (0x10) (${pmem[*]}), the rest System RAM"
		else
			fail "$s: $bad of $n PT_LOADs wrong; $flagged of ${#pmem[@]} Persistent Memory ranges have a PF_DEV PT_LOAD"
		fi
	elif [ $n -gt 0 ] && [ $bad -eq 0 ]; then
		pass "$s: $n PT_LOADs, all in System RAM, none in Persistent Memory (${pmem[*]})"
	else
		fail "$s: $bad of $n PT_LOADs outside System RAM or inside Persistent Memory"
	fi
}

# check_crash SCENARIO RESULTS VMLINUX RELEASE DUMP WHAT
check_crash() {
	local s=$1 res=$2 vmlinux=$3 release=$4 dump=$5 what=$6
	local out=$res/crash.$(basename "$dump").out
	if ! printf 'set scroll off\nsys\nbt\nkmem -i\nlog | tail -n 60\nq\n' |
		timeout 600 crash -s "$vmlinux" "$dump" >"$out" 2>&1; then
		fail "$s: crash exited with an error (see $out)"
		tail -n 20 "$out"
		return
	fi
	if grep -q "RELEASE: $release\$" "$out" &&
		grep -q 'PANIC: ".*sysrq triggered crash"' "$out" &&
		grep -q 'sysrq_handle_crash' "$out" &&
		grep -q 'TOTAL MEM' "$out" &&
		grep -q 'sysrq: Trigger a crash' "$out"; then
		pass "$s: crash 8.0.2 reads $what (release $release, sysrq panic, bt, kmem -i, log)"
	else
		fail "$s: crash output lacks release $release / sysrq panic / bt / kmem -i (see $out)"
		tail -n 30 "$out"
	fi
}

# "category=value" lines from a makedumpfile --message-level 31 report.
report_counts() {
	local c v
	for c in "${CATEGORIES[@]}"; do
		v=$(sed -n "s/^[[:space:]]*${c}[[:space:]]*: *\([0-9a-fx]*\).*/\1/p" "$1" | tail -n1)
		[ -n "$v" ] && echo "$c=$((v))"
	done
}

# check_no_pmem_data SCENARIO DUMP STATS: the DAX files' data (whole pages
# of the pmem marker) is not in our default dump. Pages of the marker outside
# pmem (freed RAM of lab-fill's buffer, counted in STATS) may be.
check_no_pmem_data() {
	local s=$1 dump=$2 stats=$3 n ram
	[ -s "$dump" ] || return 0
	n=$("$PMPAGES" count "$dump")
	ram=$(meta_get "$stats" ram_marker)
	if [ -n "$n" ] && [ "$n" -le "$ram" ]; then
		pass "$s: $(basename "$dump") holds $n pages of the pmem marker (the vmcore: $(meta_get "$stats" user_marker) in pmem user data, $ram in RAM)"
	else
		fail "$s: $(basename "$dump") holds ${n:-?} pages of the pmem marker, more than the $ram in RAM: pmem user data leaked"
	fi
}

# check_counts SCENARIO RESULTS MODE VMCORE: the reports of the project's
# makedumpfile and of makedumpfile 1.7.2, both run with -E -d 31 on
# /proc/vmcore in the capture kernel. With kexec_load (no pmem in the vmcore)
# every count is 1.7.2's and there are no pmem lines. With kexec_file_load
# the pmem PT_LOAD (PF_DEV) is filtered by default: the counts follow the
# rules of check_pmem_counts (lib.sh), with pmem page counts taken
# independently from the saved copy of that /proc/vmcore.
check_counts() {
	local s=$1 res=$2 mode=$3 vmcore=$4 ref=$2/capture.makedumpfile-E31.log ours=$2/capture.ours-E31.log
	local refc oursc stats
	if [ ! -s "$ours" ]; then
		echo "SKIP: $s: page counts: the project's makedumpfile did not run (not built)"
		return
	fi
	if pmem_in_header "$mode"; then
		stats=$res/pmem-pages.stats
		if ! "$PMPAGES" stats "$vmcore" >"$stats"; then
			fail "$s: cannot count the pmem pages of $vmcore"
			return
		fi
		check_pmem_counts "$s: our -E -d 31 in the capture kernel vs makedumpfile 1.7.2's" \
			"$ref" "$ours" 31 default "$stats"
		check_no_pmem_data "$s" "$res/ours.E31.elf" "$stats"
		return
	fi
	refc=$(report_counts "$ref")
	oursc=$(report_counts "$ours")
	if [ "$(wc -l <<<"$refc")" -ne ${#CATEGORIES[@]} ]; then
		fail "$s: makedumpfile 1.7.2's report lacks categories (see $ref)"
	elif [ "$refc" != "$oursc" ]; then
		fail "$s: page counts differ from makedumpfile 1.7.2's (-E -d 31):"
		diff <(echo "$refc") <(echo "$oursc") | sed 's/^/  /'
	elif grep -aq 'pmem .* pages *:' "$ours"; then
		fail "$s: our report has pmem lines, but this vmcore has no pmem: $(grep -a 'pmem .* pages *:' "$ours" | tr -s ' ' | tr '\n' ';')"
	else
		pass "$s: per-category page counts equal makedumpfile 1.7.2's (-E -d 31), no pmem lines"
	fi
}

check_scenario() {
	local s=$1 mode=$2 res meta vmcore vmlinux release
	res=$("$LAB" run-dir "$s")
	if run_cycle "$s"; then
		pass "$s: kdump cycle completed ($(meta_get "$res/run.meta" seconds) s)"
	elif grep -aq '^PMEMDUMP-STEP save-vmcore ok' "$res/../serial.log" 2>/dev/null; then
		# Only a soft step (the project's makedumpfile) failed: the vmcore
		# and the reference dumps are there, so check them anyway.
		fail "$s: kdump cycle saved the vmcore but a later step failed: $(grep -a '^PMEMDUMP-STEP .* fail' "$res/../serial.log" | tr -d '\r' | head -n1)"
	else
		fail "$s: kdump cycle did not complete (see the lab's message above)"
		return
	fi
	meta=$(dirname "$(readlink -f "$res/vmcore")")/$s.meta
	vmcore=$(meta_get "$meta" vmcore)
	vmlinux=$(meta_get "$meta" vmlinux)
	release=$(meta_get "$meta" kernel_release)
	if [ ! -f "$vmcore" ] || [ ! -f "$vmlinux" ]; then
		fail "$s: saved vmcore or vmlinux missing ($meta)"
		return
	fi
	check_syscall "$s" "$res" "$mode"
	check_ptloads "$s" "$vmcore" "$res/first.iomem" "$mode"
	check_crash "$s" "$res" "$vmlinux" "$release" "$res/mkdf.l31.dump" \
		"makedumpfile 1.7.2's -l -d 31 dump"
	check_fill "$s" "$vmcore"
	check_counts "$s" "$res" "$mode" "$vmcore"
	if [ -s "$res/ours.E31.elf" ]; then
		check_crash "$s" "$res" "$vmlinux" "$release" "$res/ours.E31.elf" \
			"our -E -d 31 dump, written in the capture kernel from /proc/vmcore"
	fi
}

