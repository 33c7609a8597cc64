#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of makedumpfile 1.7.2's cyclic mode on a real vmcore.
# Scenario kdump-cyclic crashes an idle guest whose System RAM ends at pfn
# 0x3ffdb, like some 1 GiB QEMU guests (pfn 0x3ffdf): a
# max_mapnr that is not a multiple of 4, for which 1.7.2's one-cycle
# buffer (max_mapnr * 2 / 8 bytes, rounded down) cannot hold both bitmaps,
# so it runs cyclically. One cycle, then checks on the host:
#   - the condition: kexec_load, max_mapnr not a multiple of 4, a PT_LOAD
#     ending in a partial page, the kernel image inside the direct map's
#     PT_LOAD; 1.7.2 in the capture kernel said it went cyclic, and its
#     report there equals its report on the saved vmcore here;
#   - kdump-compressed output (-l, -c, uncompressed; several levels): ours
#     is byte-identical to 1.7.2's and so is the report (Original pages and
#     Memory Hole without the partial page, Write bytes without the bitmaps'
#     padding); -l -d 31 also equals the dump 1.7.2 wrote in the capture
#     kernel;
#   - -E: 1.7.2 runs per PT_LOAD ("Checking for memory holes" once, then
#     twice per PT_LOAD, in the capture kernel too) and counts the pages of
#     the kernel image's PT_LOAD twice, in every category; with --work-dir
#     (its one-pass mode) it prints the step once and its whole report is
#     ours; ours counts each page once (= 1.7.2's -l counts) with or
#     without --cyclic-buffer;
#   - the other side of the condition, on kdump-fsdax.vmcore when it is
#     saved (RAM ending at pfn 0x3ffdc, a multiple of 4): 1.7.2's -E runs
#     in one pass and counts as ours; with --cyclic-buffer it runs per
#     PT_LOAD and counts more.
# Exit: 0 pass, 1 fail, 77 skip. Environment as test/lab/kdump-fsdax.sh, and
#   PMEMDUMP_BUILD               out-of-tree build holding our makedumpfile
#   PMEMDUMP_REF_MAKEDUMPFILE    makedumpfile 1.7.2 (/usr/bin/makedumpfile)
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
MDF172=${PMEMDUMP_REF_MAKEDUMPFILE:-/usr/bin/makedumpfile}
S=kdump-cyclic
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

work=${PMEMDUMP_LAB_WORK:-/var/tmp/pmemdump-lab}/$S.check
CATS=("Pages filled with zero" "Non-private cache pages" "Private cache pages"
	"User process data pages" "Free pages" "Hwpoison pages" "Offline pages")

check_prereqs() {
	lab_prereqs qemu-system-x86_64 readelf kexec gcc timeout cmp
	"$MDF172" -v 2>&1 | grep -q 'version 1\.7\.2' || skip_all "makedumpfile 1.7.2 not found ($MDF172)"
	OURS=$(ours_binary) || skip_all "the project's makedumpfile is not built"
}

# The report from "Original pages" to "Write bytes" (carriage returns of
# the progress lines turned into newlines).
report() { tr '\r' '\n' <"$1" | sed -n '/^Original pages/,/^Write bytes/p'; }
# How often a 1.7.2 log shows the "Checking for memory holes" step.
hole_steps() { tr '\r' '\n' <"$1" | grep -c 'STEP \[Checking for memory holes'; }
val() { report_value "$1" "$2"; }
figures() { echo "$(val "$1" "Original pages") $(val "$1" "Memory Hole") $(val "$1" "Write bytes")"; }

# run TAG BINARY ARGS... VMCORE: $work/TAG.out and $work/TAG.log.
run() {
	local tag=$1 bin=$2
	shift 2
	rm -f "$work/$tag.out"
	"$bin" --message-level 31 "$@" "$work/$tag.out" >"$work/$tag.log" 2>&1 </dev/null
}

# PT_LOADs of $1 as "start end vaddr" lines (physical, decimal).
loads() {
	local t va pa ms
	readelf -lW "$1" | while read -r t _ va pa _ ms _; do
		[ "$t" = LOAD ] && echo "$((pa)) $((pa + ms)) $va"
	done
}

check_layout() {
	local vmcore=$1 res=$2 cmd maxend=0 partial=0 image='' inside=0 p e v ip ie
	cmd=$(head -n1 "$res/capture.info.log" 2>/dev/null)
	if ! [[ $cmd =~ elfcorehdr=[0-9]+K ]] || [ "$(cat "$res/kexec-mode" 2>/dev/null)" != load ]; then
		fail "$S: capture kernel not loaded with kexec_load: $cmd"
	fi
	NLOADS=0 IMAGE_PAGES=0
	while read -r p e v; do
		NLOADS=$((NLOADS + 1))
		[ "$e" -gt "$maxend" ] && maxend=$e
		((e % 4096)) && partial=1
		[[ $v == 0xffffffff* ]] && image="$p $e"	# __START_KERNEL_map
	done < <(loads "$vmcore")
	MAPNR=$(((maxend + 4095) / 4096))
	if [ -n "$image" ]; then
		read -r ip ie <<<"$image"
		while read -r p e v; do
			[[ $v == 0xffffffff* ]] && continue
			[ "$p" -le "$ip" ] && [ "$ie" -le "$e" ] && inside=1
		done < <(loads "$vmcore")
		IMAGE_PAGES=$(((ie - ip) / 4096))
	fi
	if ((MAPNR % 4)) && [ "$partial" = 1 ] && [ "$inside" = 1 ]; then
		pass "$S: $NLOADS PT_LOADs, max_mapnr $(printf '%#x' "$MAPNR") (not a multiple of 4)," \
			"one ends in a partial page, the kernel image's ($IMAGE_PAGES pages) lies in the direct map's"
	else
		fail "$S: the vmcore does not show the condition (max_mapnr $(printf '%#x' "$MAPNR")," \
			"partial page $partial, image inside the direct map $inside):"
		readelf -lW "$vmcore" | grep LOAD | sed 's/^/  /'
	fi
}

# 1.7.2 in the capture kernel said it went cyclic, and reports on the host
# what it reported there.
check_capture_mode() {
	local res=$1 log=$1/capture.makedumpfile-l31.log
	if ! tr '\r' '\n' <"$log" | grep 'Buffer size for the cyclic mode' >/dev/null ||
		tr '\r' '\n' <"$log" | grep 'in one cycle' >/dev/null; then
		fail "$S: makedumpfile 1.7.2 in the capture kernel did not go cyclic (see $log)"
	elif [ "$(report "$log")" != "$(report "$work/mdf.l31.log")" ]; then
		fail "$S: 1.7.2's -l -d 31 report on the saved vmcore differs from the capture kernel's:"
		diff <(report "$log") <(report "$work/mdf.l31.log") | sed 's/^/  /'
	else
		pass "$S: makedumpfile 1.7.2 went cyclic in the capture kernel, with the report it gives on the saved vmcore"
	fi
}

# check_kdump ARGS...: ours and 1.7.2's kdump-compressed files and reports.
check_kdump() {
	local vmcore=$1 tag
	shift
	tag=$(echo "$*" | tr -d ' -')
	run "mdf.$tag" "$MDF172" "$@" "$vmcore" || { fail "$S: 1.7.2 $* failed (see $work/mdf.$tag.log)"; return; }
	run "ours.$tag" "$OURS" "$@" "$vmcore" || { fail "$S: ours $* failed (see $work/ours.$tag.log)"; return; }
	if ! cmp -s "$work/mdf.$tag.out" "$work/ours.$tag.out"; then
		fail "$S: $* dump differs from makedumpfile 1.7.2's (Original pages, Memory Hole, Write bytes:" \
			"ours $(figures "$work/ours.$tag.log"), 1.7.2 $(figures "$work/mdf.$tag.log"))"
	elif [ "$(report "$work/mdf.$tag.log")" != "$(report "$work/ours.$tag.log")" ]; then
		fail "$S: $* report differs from makedumpfile 1.7.2's:"
		diff <(report "$work/mdf.$tag.log") <(report "$work/ours.$tag.log") | sed 's/^/  /'
	else
		pass "$S: $* dump and report byte-identical to makedumpfile 1.7.2's" \
			"(Original pages, Memory Hole, Write bytes: $(figures "$work/ours.$tag.log"))"
	fi
}

# cat_pairs A B: "category: a b" for each category and Excluded pages.
cat_pairs() {
	local c
	for c in "${CATS[@]}" "Excluded pages"; do
		echo "$c: $(val "$1" "$c") $(val "$2" "$c")"
	done
}

check_elf() {
	local vmcore=$1 res=$2 want=$((1 + 2 * NLOADS)) c a b line more=0 bad=() extra
	run mdf.E31 "$MDF172" -E -d 31 "$vmcore" || { fail "$S: 1.7.2 -E -d 31 failed"; return; }
	mkdir -p "$work/wd"
	run mdf.E31wd "$MDF172" --work-dir "$work/wd" -E -d 31 "$vmcore" || { fail "$S: 1.7.2 --work-dir -E -d 31 failed"; return; }
	run ours.E31 "$OURS" -E -d 31 "$vmcore" || { fail "$S: ours -E -d 31 failed"; return; }
	run ours.E31cb "$OURS" --cyclic-buffer 16 -E -d 31 "$vmcore" || { fail "$S: ours --cyclic-buffer 16 -E -d 31 failed"; return; }

	# Per segment: the step once for the count, then twice per PT_LOAD.
	a=$(hole_steps "$work/mdf.E31.log")
	b=$(hole_steps "$res/capture.makedumpfile-E31.log")
	if [ "$a" = "$want" ] && [ "$b" = "$want" ]; then
		pass "$S: 1.7.2 -E runs per PT_LOAD: 'Checking for memory holes' $a times (1 + 2 x $NLOADS), in the capture kernel too"
	else
		fail "$S: 1.7.2 -E shows 'Checking for memory holes' $a times here, $b in the capture kernel; expected $want (1 + 2 x $NLOADS PT_LOADs)"
	fi

	# Doubled: every category at least the one-pass count, the excess at
	# most the kernel image's pages; hole, original and total unchanged.
	while read -r line; do
		c=${line%%:*}
		read -r a b <<<"${line#*: }"
		if [ -z "$a" ] || [ -z "$b" ] || [ "$a" -lt "$b" ]; then
			bad+=("$c: cyclic ${a:-missing} < one pass ${b:-missing}")
		elif [ "$a" -gt "$b" ] && [ "$c" != "Excluded pages" ]; then
			more=$((more + 1))
		fi
	done < <(cat_pairs "$work/mdf.E31.log" "$work/mdf.E31wd.log")
	a=$(val "$work/mdf.E31.log" "Excluded pages")
	b=$(val "$work/mdf.E31wd.log" "Excluded pages")
	extra=$((${a:-0} - ${b:-0}))
	for c in "Original pages" "Memory Hole" "Total pages"; do
		[ "$(val "$work/mdf.E31.log" "$c")" = "$(val "$work/mdf.E31wd.log" "$c")" ] ||
			bad+=("$c: cyclic $(val "$work/mdf.E31.log" "$c"), one pass $(val "$work/mdf.E31wd.log" "$c")")
	done
	if [ ${#bad[@]} -eq 0 ] && [ "$more" -gt 0 ] && [ "$extra" -gt 0 ] && [ "$extra" -le "$IMAGE_PAGES" ]; then
		pass "$S: 1.7.2 -E counts $extra excluded pages twice ($more categories higher than its one-pass run; the kernel image holds $IMAGE_PAGES pages)"
	else
		fail "$S: 1.7.2 -E's cyclic counts are not its one-pass counts plus pages of the kernel image ($extra more excluded, $more categories higher, image $IMAGE_PAGES pages):"
		printf '  %s\n' "${bad[@]}"
	fi

	# --work-dir: one pass, and then its report is ours.
	a=$(hole_steps "$work/mdf.E31wd.log")
	if [ "$a" != 1 ]; then
		fail "$S: 1.7.2 --work-dir -E shows 'Checking for memory holes' $a times, not once"
	elif [ "$(report "$work/mdf.E31wd.log")" != "$(report "$work/ours.E31.log")" ]; then
		fail "$S: our -E -d 31 report differs from 1.7.2's one-pass (--work-dir) report:"
		diff <(report "$work/mdf.E31wd.log") <(report "$work/ours.E31.log") | sed 's/^/  /'
	else
		pass "$S: 1.7.2 --work-dir -E runs in one pass; its report equals ours, Write bytes included"
	fi

	# Ours: each page once, as 1.7.2 counts it in the kdump format, and
	# whatever the window size.
	bad=()
	while read -r line; do
		read -r a b <<<"${line#*: }"
		[ -n "$a" ] && [ "$a" = "$b" ] || bad+=("${line%%:*}: ours $a, 1.7.2 -l ${b:-missing}")
	done < <(cat_pairs "$work/ours.E31.log" "$work/mdf.l31.log")
	if [ "$(report "$work/ours.E31.log")" != "$(report "$work/ours.E31cb.log")" ]; then
		bad+=("our report changes with --cyclic-buffer 16")
	fi
	if [ ${#bad[@]} -eq 0 ]; then
		pass "$S: our -E -d 31 counts each page once (= 1.7.2's -l -d 31 counts), also with --cyclic-buffer 16"
	else
		fail "$S: our -E -d 31 counts:"
		printf '  %s\n' "${bad[@]}"
	fi
	rm -f "$work"/*.E31*.out
}

# The other side: a vmcore whose max_mapnr is a multiple of 4.
check_control() {
	local v=$1 n e=0 a b p p2 more
	n=$(loads "$v" | wc -l)
	while read -r p p2 _; do [ "$p2" -gt "$e" ] && e=$p2; done < <(loads "$v")
	if (((e + 4095) / 4096 % 4)); then
		echo "SKIP: $S: control: kdump-fsdax.vmcore's max_mapnr is not a multiple of 4"
		return
	fi
	if ! run c.E31 "$MDF172" -E -d 31 "$v" || ! run c.E31cb "$MDF172" --cyclic-buffer 1024 -E -d 31 "$v" ||
		! run c.ours "$OURS" -E -d 31 "$v"; then
		fail "$S: control runs on $v failed (see $work/c.*.log)"
		return
	fi
	a=$(hole_steps "$work/c.E31.log")
	b=$(hole_steps "$work/c.E31cb.log")
	p=$(val "$work/c.E31cb.log" "Excluded pages")
	more=$(val "$work/c.E31.log" "Excluded pages")
	more=$((${p:-0} - ${more:-0}))
	if [ "$a" = 1 ] && tr '\r' '\n' <"$work/c.E31.log" | grep 'in one cycle' >/dev/null &&
		[ "$(cat_pairs "$work/c.E31.log" "$work/c.ours.log" | awk '$NF != $(NF-1)' | wc -l)" = 0 ] &&
		[ "$b" = $((1 + 2 * n)) ] && [ "$more" -gt 0 ]; then
		pass "$S: control, max_mapnr $(printf '%#x' $(((e + 4095) / 4096))) (a multiple of 4): 1.7.2 -E in one pass counts as ours;" \
			"with --cyclic-buffer it runs per PT_LOAD ($b steps) and excludes $more pages more"
	else
		fail "$S: control on $v: 1.7.2 -E 'Checking for memory holes' $a times (want 1, 'in one cycle'), $b with --cyclic-buffer (want $((1 + 2 * n)));" \
			"$more more excluded with --cyclic-buffer; categories 1.7.2 vs ours:"
		cat_pairs "$work/c.E31.log" "$work/c.ours.log" | sed 's/^/  /'
	fi
	rm -f "$work"/c.*.out
}

main() {
	local res vmcore tag ctl
	check_prereqs
	mkdir -p "$work" || { fail "$S: cannot create $work"; return; }
	if ! run_cycle "$S"; then
		fail "$S: kdump cycle failed (see $("$LAB" run-dir "$S")/../serial.log)"
		return
	fi
	pass "$S: kdump cycle completed"
	res=$("$LAB" run-dir "$S")
	vmcore=$("$LAB" vmcore "$S") || { fail "$S: no saved vmcore"; return; }
	check_layout "$vmcore" "$res"
	for tag in "-l -d 31" "-l -d 0" "-c -d 17" "-d 31"; do
		# shellcheck disable=SC2086
		check_kdump "$vmcore" $tag
		if [ "$tag" = "-l -d 31" ]; then
			if cmp -s "$work/ours.ld31.out" "$res/mkdf.l31.dump"; then
				pass "$S: our -l -d 31 dump equals the one makedumpfile 1.7.2 wrote in the capture kernel"
			else
				fail "$S: our -l -d 31 dump differs from the one makedumpfile 1.7.2 wrote in the capture kernel"
			fi
			cp "$work/mdf.ld31.log" "$work/mdf.l31.log"
		fi
		rm -f "$work"/*.out
	done
	check_capture_mode "$res"
	check_elf "$vmcore" "$res"
	ctl=$(dirname "$vmcore")/kdump-fsdax.vmcore
	if [ -f "$ctl" ]; then
		check_control "$ctl"
	else
		echo "SKIP: $S: control: no saved kdump-fsdax.vmcore"
	fi
}

main
[ "$failures" -eq 0 ]
