#!/bin/bash
# Live dumps as input (kernel series 2, issue 15): vmcore-gen makes the
# images a live dump kernel writes (a LIVEDUMP note with the state, the
# capture time and the pages not captured; pmem PT_LOADs of which the file
# holds only the device memmaps), and each is checked against what does
# not come from our makedumpfile: the same machine without the note, the
# manifest through expected-report.sh and expected-pmemdump.sh, makedumpfile
# 1.7.2 (which ignores the note) on the very same file, and the values the
# generator was given.
#   - a finished image is filtered as the same vmcore without the note,
#     with one line that names it a live dump and its capture time;
#   - an image whose dump did not finish (running, failed, cancelled, an
#     unknown state) or whose note is corrupt is refused: one exact error
#     line, exit 1, no output file, nothing on standard output with -F;
#   - a truncated image is refused;
#   - lost pages: the dump is made, one warning line with their number
#     and ranges, they read as zeros;
#   - -F | -R gives the very file of a direct run;
#   - PT_LOADs with p_filesz < p_memsz: what is past p_filesz reads as
#     zeros, pmem user data there is left out as from a whole PT_LOAD;
#   - --mem-usage on a running kernel with /sys/kernel/livedump (a kcore
#     and a saved tree under --sysroot) gives the image size the kernel's
#     layout gives, worked out here from the tree.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
CHECK=$top_builddir/test/vmcore-gen/vmcore-check
EXPECT=$top_srcdir/test/vmcore-gen/expected-report.sh
EXPECT_PMEM=$top_srcdir/test/vmcore-gen/expected-pmemdump.sh
MARKER=PMEMDUMP-PMEM-MK
[ -x "$GEN" ] && [ -x "$CHECK" ] || { echo "vmcore-gen not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
test_workdir mdf-livedump
REF=${REF_MAKEDUMPFILE:-}
[ -n "$REF" ] && [ -x "$REF" ] || REF=

gen() {
	local out=$1
	shift
	"$GEN" "$@" "$work/$out.vmcore" >"$work/gen.log" 2>&1 ||
		{ fail "vmcore-gen $*: $(tail -1 "$work/gen.log")"; return 1; }
}

# run NAME VMCORE ARGS...: ours into $work/NAME.out, logs NAME.log, NAME.err.
run() {
	local name=$1 vmcore=$2
	shift 2
	rm -f "$work/$name.out"
	"$OURS" --message-level 31 "$@" "$vmcore" "$work/$name.out" \
		>"$work/$name.log" 2>"$work/$name.err" </dev/null
}

# The capture line, as date(1) writes the generator's time (not our code).
capture_line() {
	local vmcore=$1 manifest=${1%.vmcore}.manifest sec nsec
	sec=$(num_key "$manifest" livedump_capture_sec) || return 1
	nsec=$(num_key "$manifest" livedump_capture_nsec) || return 1
	printf '%s is a live dump of a running kernel, captured at %s.%09d UTC\n' \
		"$vmcore" "$(date -u -d "@$sec" '+%Y-%m-%d %H:%M:%S')" "$nsec"
}

# same_counts DESC LOG WANT: the report lines of LOG equal those of WANT.
same_counts() {
	if ! counts_complete "$3"; then
		fail "$1: no complete report in $3"
	elif diff <(report_lines "$3") <(report_lines "$2") >"$work/diff"; then
		pass "$1"
	else
		fail "$1 (< expected, > ours)"
		sed 's/^/    /' "$work/diff"
	fi
}

# as_model NAME VMCORE FMT DL MODEL DESC: ours at -FMT -d DL into NAME has
# the counts MODEL (expected-report.sh or expected-pmemdump.sh) predicts
# from VMCORE's manifest.
as_model() {
	local name=$1 vmcore=$2 fmt=$3 dl=$4 model=$5 desc=$6
	if run "$name" "$vmcore" "-$fmt" -d "$dl" &&
		bash "$model" "${vmcore%.vmcore}.manifest" "$dl" >"$work/$name.want"; then
		same_counts "$desc" "$work/$name.log" "$work/$name.want"
	else
		fail "$desc: $(tail -1 "$work/$name.err")"
	fi
}

# --- finished images: as the same machine without the note --------------

# accepted NAME MACHINE-OPTIONS LIVE-OPTIONS: $NAME is the machine with the
# live options, base-$NAME without; -l and -E at -d 31 (and -E -d 0).
accepted() {
	local name=$1 machine=$2 live=$3 want
	# shellcheck disable=SC2086 # split the options on purpose
	gen "base-$name" $machine && gen "$name" $machine $live || return
	want=$(capture_line "$work/$name.vmcore") || { fail "$name: no capture time in the manifest"; return; }
	for fmt in l E; do
		if ! run "base-$name.$fmt" "$work/base-$name.vmcore" -$fmt -d 31 ||
			! run "$name.$fmt" "$work/$name.vmcore" -$fmt -d 31; then
			fail "$name -$fmt -d 31: $(tail -1 "$work/$name.$fmt.err")"
			continue
		fi
		same_counts "$name -$fmt -d 31: counts as the same vmcore without the note" \
			"$work/$name.$fmt.log" "$work/base-$name.$fmt.log"
		if [ "$(grep -cxF -- "$want" "$work/$name.$fmt.log")" = 1 ] &&
			[ "$(grep -c 'live dump' "$work/$name.$fmt.log" "$work/$name.$fmt.err" |
				awk -F: '{ s += $2 } END { print s }')" = 1 ] &&
			! grep -q 'live dump' "$work/base-$name.$fmt.log"; then
			pass "$name -$fmt: one line \"$want\""
		else
			fail "$name -$fmt: expected the one line \"$want\"; got: $(grep -h 'live dump' "$work/$name.$fmt.log" "$work/$name.$fmt.err")"
		fi
	done
	if check_elf_dump "$CHECK" "$work/$name.vmcore" "$work/$name.E.out" "$work/$name.E.log"; then
		pass "$name -E -d 31: $ELF_HELD pages equal the image"
	else
		fail "$name -E -d 31: $ELF_ERROR"
	fi
}

accepted ram "-m 256" "--livedump"
accepted oldnote "-m 256 -p 5 -k 3" "--livedump --livedump-state none"
accepted pmem "--pmem-mib 256 --pmem-flag --pmem-list" "--livedump --pmem-capture livedump"
accepted pmem2 "--pmem-mib 512 --pmem-namespaces 2 --pmem-flag --pmem-list" \
	"--livedump --pmem-capture livedump"

# The model's counts, on the live images themselves.
for dl in 0 1 31; do
	as_model "model-ram.$dl" "$work/ram.vmcore" l "$dl" "$EXPECT" \
		"ram -l -d $dl: counts as expected-report.sh predicts from the manifest"
done
for dl in 31 63; do
	as_model "model-pmem.$dl" "$work/pmem.vmcore" E "$dl" "$EXPECT_PMEM" \
		"pmem -E -d $dl: counts as expected-pmemdump.sh predicts"
done
if [ -e "$work/pmem.E.out" ] && ! LC_ALL=C grep -q -a -F "$MARKER" "$work/pmem.E.out"; then
	pass "pmem: the live image's -E dump holds no pmem file data"
else
	fail "pmem: no -E dump, or pmem file data in it"
fi
# makedumpfile 1.7.2 reads a finished RAM-only image as any vmcore.
if [ -n "$REF" ]; then
	rm -f "$work/ref-ram.out"
	if "$REF" -l -d 31 --message-level 31 "$work/ram.vmcore" "$work/ref-ram.out" >"$work/ref-ram.log" 2>&1; then
		same_counts "ram -l -d 31: counts as makedumpfile 1.7.2's on the same image" \
			"$work/ram.l.log" "$work/ref-ram.log"
	else
		fail "makedumpfile 1.7.2 on the live image: $(tail -1 "$work/ref-ram.log")"
	fi
else
	skip "makedumpfile 1.7.2 not found (REF_MAKEDUMPFILE)"
fi

# --- refused: not a whole capture --------------------------------------------

# refused DESC VMCORE LINE: -l, -E and -F each exit 1 with LINE alone on
# stderr, no file, nothing on stdout with -F.
refused() {
	local desc=$1 vmcore=$2 want="makedumpfile: $3" fmt rc
	for fmt in -l -E -F; do
		rm -f "$work/out"
		if [ "$fmt" = -F ]; then
			"$OURS" -F -l -d 31 "$vmcore" >"$work/stdout" 2>"$work/stderr" </dev/null
		else
			"$OURS" "$fmt" -d 31 "$vmcore" "$work/out" >"$work/stdout" 2>"$work/stderr" </dev/null
		fi
		rc=$?
		if [ "$rc" -ne 1 ]; then
			fail "$desc $fmt: exit $rc, want 1"
		elif [ "$(cat "$work/stderr")" != "$want" ]; then
			fail "$desc $fmt: stderr is not the one line \"$want\": $(head -c 400 "$work/stderr")"
		elif [ -e "$work/out" ]; then
			fail "$desc $fmt: refused, yet $work/out was made"
		elif [ "$fmt" = -F ] && [ -s "$work/stdout" ]; then
			fail "$desc -F: $(stat -c %s "$work/stdout") bytes on standard output"
		else
			pass "$desc $fmt refused: $want"
		fi
	done
}

gen failed -m 256 --livedump --livedump-state failed --livedump-reason "copy buffer full" &&
	refused "failed dump" "$work/failed.vmcore" \
		"$work/failed.vmcore is a live dump that did not finish (state failed: copy buffer full)"
gen cancelled -m 256 --livedump --livedump-state cancelled --livedump-reason "cancelled" &&
	refused "cancelled dump" "$work/cancelled.vmcore" \
		"$work/cancelled.vmcore is a live dump that did not finish (state cancelled: cancelled)"
gen running -m 256 --livedump --livedump-state running &&
	refused "provisional header" "$work/running.vmcore" \
		"$work/running.vmcore is a live dump that did not finish (state running: the dump was interrupted or is still being written)"
gen unknown -m 256 --livedump --livedump-state writing &&
	refused "unknown state" "$work/unknown.vmcore" \
		"$work/unknown.vmcore is a live dump that did not finish (state writing: no reason given)"
gen twice -m 256 --livedump --livedump-line "PAGES_LOST=5" &&
	refused "a key given twice" "$work/twice.vmcore" \
		"$work/twice.vmcore: corrupt LIVEDUMP note: PAGES_LOST is given twice"
# After the 16 lines ld_note_text() writes.
gen garbled -m 256 --livedump --livedump-line "NEW_KEY=1" --livedump-line "a line without a key" &&
	refused "a line that is no KEY=value" "$work/garbled.vmcore" \
		"$work/garbled.vmcore: corrupt LIVEDUMP note: line 18 is not KEY=value"
# A kdump-compressed file made from a failed image by a tool that does not
# know the note (makedumpfile 1.7.2) keeps the note: still refused.
if [ -n "$REF" ] && [ -e "$work/failed.vmcore" ]; then
	rm -f "$work/failed.kdump"
	if "$REF" -l -d 31 "$work/failed.vmcore" "$work/failed.kdump" >/dev/null 2>&1; then
		refused "failed dump, as 1.7.2 wrote it in the kdump format" "$work/failed.kdump" \
			"$work/failed.kdump is a live dump that did not finish (state failed: copy buffer full)"
	else
		fail "makedumpfile 1.7.2 could not convert the failed image"
	fi
fi

# Truncated: a copy cut short, in the RAM data and in the pmem memmap.
for t in ram pmem; do
	[ -e "$work/$t.vmcore" ] || continue
	size=$(stat -c %s "$work/$t.vmcore")
	cp --sparse=always "$work/$t.vmcore" "$work/short-$t.vmcore"
	truncate -s $((size - 40960)) "$work/short-$t.vmcore"
	rm -f "$work/out"
	"$OURS" -l -d 31 "$work/short-$t.vmcore" "$work/out" >/dev/null 2>"$work/stderr" </dev/null
	rc=$?
	if [ "$rc" -eq 1 ] && [ "$(wc -l <"$work/stderr")" -eq 1 ] && [ ! -e "$work/out" ] &&
		grep -q "^makedumpfile: $work/short-$t.vmcore: PT_LOAD [0-9]* (paddr 0x[0-9a-f]*) extends past the end of the file (.*the file has $(printf '%#x' $((size - 40960)))): truncated vmcore?\$" "$work/stderr"; then
		pass "truncated $t image refused: $(cat "$work/stderr")"
	else
		fail "truncated $t image: exit $rc, want 1, one line naming the PT_LOAD and the size, no file: $(head -c 400 "$work/stderr")"
	fi
done

# --- lost pages ---------------------------------------------------------------

# page_kind CORE PFN: "zero" or "data" for the page at PFN through the
# PT_LOADs' file data, "absent" when none holds it.
page_kind() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
f = open(sys.argv[1], 'rb')
pa = int(sys.argv[2], 0) * 4096
eh = f.read(64)
phoff, = struct.unpack_from('<Q', eh, 32)
n, = struct.unpack_from('<H', eh, 56)
f.seek(phoff)
for i in range(n):
    t, fl, off, va, p, fs, ms, al = struct.unpack('<IIQQQQQQ', f.read(56))
    if t == 1 and p <= pa and pa + 4096 <= p + fs:
        f.seek(off + pa - p)
        print('zero' if not any(f.read(4096)) else 'data')
        sys.exit(0)
print('absent')
PY
}

# lost_warning MANIFEST: the warning, from the pfns the generator lost.
lost_warning() {
	local m=$1 n i ranges='' pfn
	n=$(num_key "$m" livedump_lost_pages) || return 1
	for ((i = 0; i < n && i < 4; i++)); do
		pfn=$(key "$m" "livedump_lost.$i")
		ranges+="${ranges:+,}$pfn-$pfn"
	done
	ranges=": pfns $ranges"
	[ "$n" -gt 4 ] && ranges+=" and $((n - 4)) more ranges"
	echo "makedumpfile: warning: the live dump did not capture $n pages: they read as zeros (LOST_PFNS of its LIVEDUMP note lists them$ranges)"
}

for n in 3 100; do
	gen "lost$n" -m 256 --livedump --livedump-lost "$n" || continue
	want=$(lost_warning "$work/lost$n.manifest") || { fail "lost$n: manifest"; continue; }
	# At the default message level: no debug lines on stderr.
	rm -f "$work/out"
	if "$OURS" -l -d 31 "$work/lost$n.vmcore" "$work/out" >/dev/null 2>"$work/stderr" </dev/null &&
		[ -s "$work/out" ] && [ "$(cat "$work/stderr")" = "$want" ]; then
		pass "$n pages lost: the dump is made, one warning: $want"
	else
		fail "$n pages lost: expected the one line \"$want\" and a dump, got: $(head -c 400 "$work/stderr")"
	fi
	run "lost$n.l" "$work/lost$n.vmcore" -l -d 31 || fail "$n pages lost -l -d 31: $(tail -1 "$work/lost$n.l.err")"
	# Anonymous pages: -d 31 leaves them out as before; below, zeros.
	same_counts "$n pages lost, -l -d 31: counts as without the loss" \
		"$work/lost$n.l.log" "$work/ram.l.log"
	for dl in 0 1; do
		as_model "lost$n.$dl" "$work/lost$n.vmcore" E "$dl" "$EXPECT" \
			"$n pages lost, -E -d $dl: counts as the manifest (lost pages zero)"
		[ -n "$REF" ] || continue
		rm -f "$work/ref.out"
		"$REF" -E -d "$dl" --message-level 31 "$work/lost$n.vmcore" "$work/ref.out" \
			>"$work/ref.log" 2>&1
		same_counts "$n pages lost, -E -d $dl: counts as makedumpfile 1.7.2's" \
			"$work/lost$n.$dl.log" "$work/ref.log"
	done
	lost0=$(key "$work/lost$n.manifest" livedump_lost.0)
	if ! check_elf_dump "$CHECK" "$work/lost$n.vmcore" "$work/lost$n.0.out" "$work/lost$n.0.log"; then
		fail "$n pages lost, -E -d 0: $ELF_ERROR"
	elif [ "$(page_kind "$work/lost$n.0.out" "$lost0")" = zero ] &&
		[ "$(page_kind "$work/base-ram.vmcore" "$lost0")" = data ]; then
		pass "$n pages lost, -E -d 0: $ELF_HELD pages equal the image; pfn $lost0 zero there, data in the machine"
	else
		fail "$n pages lost, -E -d 0: pfn ${lost0:-?} is not zero in the dump while data in the vmcore without the loss"
	fi
done

# --- -F | -R -------------------------------------------------------------------

for v in lost3 pmem; do
	[ -e "$work/$v.vmcore" ] || continue
	rm -f "$work/direct.l" "$work/rebuilt.l"
	if "$OURS" -l -d 31 "$work/$v.vmcore" "$work/direct.l" >/dev/null 2>&1 &&
		"$OURS" -F -l -d 31 "$work/$v.vmcore" 2>/dev/null | "$OURS" -R "$work/rebuilt.l" >/dev/null 2>&1 &&
		cmp -s "$work/direct.l" "$work/rebuilt.l"; then
		pass "$v: -F -l -d 31 | -R gives the file of -l -d 31, byte for byte ($(stat -c %s "$work/direct.l") bytes)"
	else
		fail "$v: -F -l -d 31 | -R differs from -l -d 31 (or a run failed)"
	fi
done

# --- p_filesz < p_memsz ------------------------------------------------------

# RAM: the cut pages read as zeros, as the manifest counts them.
if gen cut -m 256 --ram-filesz-cut 256; then
	for dl in 0 1 31; do
		as_model "cut.$dl" "$work/cut.vmcore" E "$dl" "$EXPECT" \
			"RAM PT_LOAD past p_filesz, -E -d $dl: counts as the manifest"
	done
	if check_elf_dump "$CHECK" "$work/cut.vmcore" "$work/cut.0.out" "$work/cut.0.log"; then
		pass "RAM PT_LOAD past p_filesz, -E -d 0: $ELF_HELD pages equal the image (zeros past p_filesz)"
	else
		fail "RAM PT_LOAD past p_filesz, -E -d 0: $ELF_ERROR"
	fi
fi
# pmem: one PT_LOAD whose file data ends after the memmap. Filtered as the
# whole PT_LOAD; with --pmem-userdata the user data is kept, as zeros.
if gen prefix --pmem-mib 256 --pmem-flag --pmem-list --pmem-capture prefix; then
	if run prefix.E "$work/prefix.vmcore" -E -d 31; then
		same_counts "pmem PT_LOAD with 0 < p_filesz < p_memsz, -E -d 31: counts as the whole PT_LOAD" \
			"$work/prefix.E.log" "$work/base-pmem.E.log"
	else
		fail "pmem prefix -E -d 31: $(tail -1 "$work/prefix.E.err")"
	fi
	if run prefix.u "$work/prefix.vmcore" -E -d 0 --pmem-userdata &&
		check_elf_dump "$CHECK" "$work/prefix.vmcore" "$work/prefix.u.out" "$work/prefix.u.log" &&
		! LC_ALL=C grep -q -a -F "$MARKER" "$work/prefix.u.out"; then
		pass "pmem prefix, --pmem-userdata -E -d 0: $ELF_HELD pages equal the image, the user data past p_filesz zeros"
	else
		fail "pmem prefix, --pmem-userdata -E -d 0: ${ELF_ERROR:-file data in the dump} $(tail -1 "$work/prefix.u.err")"
	fi
fi

# --- --mem-usage of a kernel with live dump ---------------------------------

# A /proc/kcore: the pmem machine's vmcore plus one PT_LOAD without a
# physical address (vmalloc), which is what tells a kcore from a vmcore.
kcore() {
	python3 - "$@" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<Q', d, 32)
n, = struct.unpack_from('<H', d, 56)
at = phoff + n * 56
if any(d[at:at + 56]):
    sys.exit('no room for one more program header')
struct.pack_into('<IIQQQQQQ', d, at, 1, 7, 0, 0xffffc90000000000, 2**64 - 1, 0, 0, 4096)
struct.pack_into('<H', d, 56, n + 1)
open(sys.argv[2], 'wb').write(d)
PY
}
root=$work/root
mkdir -p "$root/proc" "$root/sys/devices/system/cpu"
if [ -e "$work/base-pmem.vmcore" ] && kcore "$work/base-pmem.vmcore" "$work/kcore"; then
	m=$work/base-pmem.manifest
	# System RAM as the machine's e820 would say (the PT_LOADs, and the low
	# RAM and crashkernel that a vmcore leaves out), one odd-sized range.
	{
		echo "00001000-0009fbff : System RAM"
		sed -n 's/^ptload\.[1-9][0-9]*=0x\([0-9a-f]*\)-0x\([0-9a-f]*\)$/\1 \2/p' "$m" |
			while read -r s e; do printf '%08x-%08x : System RAM\n' $((16#$s)) $((16#$e - 1)); done
		printf '%x-%x : Persistent Memory\n' "$(num_key "$m" pmem_start)" $(($(num_key "$m" pmem_end) - 1))
	} >"$root/proc/iomem"
	echo 0-3 >"$root/sys/devices/system/cpu/possible"
	if "$OURS" --mem-usage --sysroot "$root" "$work/kcore" >"$work/mu0.log" 2>&1 &&
		! grep -q '^Live dump' "$work/mu0.log"; then
		pass "--mem-usage without /sys/kernel/livedump: no live dump lines"
	else
		fail "--mem-usage without /sys/kernel/livedump: $(grep -m1 -e '^Live' -e 'makedumpfile:' "$work/mu0.log")"
	fi
	mkdir -p "$root/sys/kernel/livedump"
	echo 89 >"$root/sys/kernel/livedump/recommended_buffer_mb"
	# kernel/livedump.c: header = ALIGN(Ehdr 64 + Phdrs 56 * (ranges + pmem
	# pieces + 2) + notes, 4096), notes = per CPU 12 + 8 + 336, VMCOREINFO
	# 12 + 12 + 4096 + 64, LIVEDUMP 12 + 12 + 16384, and an end 12; then
	# the RAM ranges' bytes and the captured pmem: the memmap with the two
	# pages before it (one piece, and the rest of the region another).
	ram=0 nr=0
	while read -r s e; do
		ram=$((ram + 16#$e - 16#$s + 1)) nr=$((nr + 1))
	done < <(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' "$root/proc/iomem")
	meta=$(($(num_key "$m" ns.0.meta_end) - $(num_key "$m" ns.0.meta_start) + 8192))
	hdr=$((64 + 56 * (nr + 2 + 2) + 4 * (12 + 8 + 336) + 12 + 12 + 4096 + 64 + 12 + 12 + 16384 + 12))
	hdr=$(((hdr + 4095) / 4096 * 4096))
	want=$(printf 'Live dump image:\t%-16s Byte (RAM %s, pmem metadata %s, headers %s)' $((hdr + ram + meta)) $ram $meta $hdr)
	want2=$(printf 'Live dump buffer:\t%-16s MiB recommended (recommended_buffer_mb)' 89)
	"$OURS" --mem-usage --sysroot "$root" "$work/kcore" >"$work/mu.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -qxF -- "$want" "$work/mu.log" && grep -qxF -- "$want2" "$work/mu.log" &&
		grep -q '^Dump size at -d 31:' "$work/mu.log"; then
		pass "--mem-usage with /sys/kernel/livedump: $(grep '^Live dump image' "$work/mu.log" | tr '\t' ' ')"
	else
		fail "--mem-usage with /sys/kernel/livedump: exit $rc; want \"$want\" and the buffer line; got: $(grep -e '^Live' -e 'makedumpfile' "$work/mu.log" | tr '\t' ' ')"
	fi
	# A tree it cannot read costs a warning, not the report.
	echo "0-x" >"$root/sys/devices/system/cpu/possible"
	"$OURS" --mem-usage --sysroot "$root" "$work/kcore" >"$work/mu2.log" 2>"$work/mu2.err"
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q '^Live dump' "$work/mu2.log" && grep -q '^Total pages on system' "$work/mu2.log" &&
		[ "$(wc -l <"$work/mu2.err")" -eq 1 ] && grep -q 'warning: .*the size of a live dump is not known' "$work/mu2.err"; then
		pass "--mem-usage with an unreadable cpu list: $(cat "$work/mu2.err")"
	else
		fail "--mem-usage with an unreadable cpu list: exit $rc: $(cat "$work/mu2.err")"
	fi
else
	fail "no kcore-like input for --mem-usage"
fi
finish
