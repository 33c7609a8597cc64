#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the live dump (issue 14, kernel-patches/0005): scenario
# livedump-smoke, checked from the host:
#   - the image is an ELF core with one PT_NOTE, NT_PRSTATUS for each CPU,
#     VMCOREINFO and the LIVEDUMP note (STATE=finished), and a PT_LOAD per
#     System RAM range of the guest's /proc/iomem (plus the kernel text, as
#     kexec has it) and two PF_DEV ones for the NVDIMM;
#   - the status counters add up: stop + fault + sweep + unprotected +
#     lost + excluded = RAM pages, none left, and the note says the same;
#   - pmem: the file holds the namespace's info block and the memmap that
#     the device's own info block places (read on the host), the rest of
#     the NVDIMM is described but not in the file, no DAX file data is;
#   - makedumpfile 1.7.2 (and ours, if built) -l -d 31 read it; ours keeps
#     the pmem metadata, and crash 8.0.2 on its filtered dump shows the
#     struct page of a mapped DAX file's first page with that file's
#     mapping;
#   - crash 8.0.2 opens the image: sys, bt, kmem -i, log;
#   - the fill patterns are in it;
#   - a second dump finished, one to a block device (a loop device) too;
#     one cancelled over that image says "cancelled" in the status and in
#     the device's header; one with a 4 MiB buffer says "failed" with a
#     reason, in the status and in its target's header; the guest went on;
#   - a reboot during a dump: the reboot notifier cancels it first.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

S=livedump-smoke
lab_prereqs qemu-system-x86_64 crash makedumpfile readelf gcc timeout
run_cycle "$S" || { fail "$S: the scenario failed (see $("$LAB" run-dir "$S")/../serial.log)"; exit 1; }
res=$("$LAB" run-dir "$S")
img=$res/livedump-1.elf
kdir=$("$LAB" kernel-dir) || { fail "no lab kernel"; exit 1; }
vmlinux=$kdir/vmlinux
release=$(meta_get "$kdir/meta" release)

st() { meta_get "$res/first.$1.status" "$2"; }

# ld_note FILE: the text of the LIVEDUMP note of the image (or of the first
# MiB of a target) FILE.
ld_note() {
	python3 - "$1" <<'PY'
import struct, sys
f = open(sys.argv[1], 'rb')
eh = f.read(64)
phoff, = struct.unpack_from('<Q', eh, 32)
phnum, = struct.unpack_from('<H', eh, 56)
for i in range(phnum):
    f.seek(phoff + 56 * i)
    p_type, _, off, _, _, size = struct.unpack('<IIQQQQ', f.read(40))
    if p_type != 4:
        continue
    f.seek(off)
    data = f.read(size)
    pos = 0
    while pos + 12 <= len(data):
        nsz, dsz, typ = struct.unpack_from('<III', data, pos)
        name = data[pos + 12:pos + 12 + nsz].rstrip(b'\0')
        dpos = pos + 12 + (nsz + 3) // 4 * 4
        if name == b'LIVEDUMP':
            sys.stdout.write(data[dpos:dpos + dsz].rstrip(b'\0').decode())
        pos = dpos + (dsz + 3) // 4 * 4
PY
}


# ELF layout
if readelf -hW "$img" 2>/dev/null | grep -q 'CORE (Core file)'; then
	pass "$S: the image is an ELF core file"
else
	fail "$S: $img is not an ELF core file"
fi
notes=$(readelf -nW "$img" 2>/dev/null)
ncpu=$(grep -c 'NT_PRSTATUS' <<<"$notes")
if [ "$ncpu" -ge 1 ] && grep -q 'VMCOREINFO' <<<"$notes" && grep -q 'LIVEDUMP' <<<"$notes"; then
	pass "$S: notes: $ncpu NT_PRSTATUS, VMCOREINFO, LIVEDUMP"
else
	fail "$S: notes incomplete (NT_PRSTATUS $ncpu, VMCOREINFO, LIVEDUMP)"
fi
ram=$(grep -c ': System RAM$' "$res/first.iomem")
loads=$(readelf -lW "$img" | grep -c '^  LOAD')
# pmem: one piece from the namespace's start to the end of its memmap, one
# for the rest (the user data, p_filesz 0)
if [ "$loads" -eq $((ram + 1 + 2)) ]; then
	pass "$S: $loads PT_LOADs: $ram System RAM ranges, the kernel text and 2 of pmem"
else
	fail "$S: $loads PT_LOADs for $ram System RAM ranges (+1 kernel text, +2 pmem expected)"
fi

# counters
sum=0
for k in pages_stop pages_fault pages_sweep pages_unprotected pages_lost pages_excluded; do
	sum=$((sum + $(st dump1 $k)))
done
if [ "$(st dump1 state)" = finished ] && [ "$sum" -eq "$(st dump1 pages_ram)" ] &&
	[ "$(st dump1 pages_left)" -eq 0 ]; then
	pass "$S: counters add up: $sum pages = RAM (stop $(st dump1 pages_stop), fault $(st dump1 pages_fault), sweep $(st dump1 pages_sweep), unprotected $(st dump1 pages_unprotected), lost $(st dump1 pages_lost), excluded $(st dump1 pages_excluded))"
else
	fail "$S: counters: sum $sum, RAM $(st dump1 pages_ram), left $(st dump1 pages_left), state $(st dump1 state)"
fi
ldnote=$(ld_note "$img")
echo "$ldnote" >"$res/livedump-1.note"
if [ "$(sed -n 's/^PAGES_FAULT=//p' <<<"$ldnote")" = "$(st dump1 pages_fault)" ] &&
	[ "$(sed -n 's/^PAGES_SWEEP=//p' <<<"$ldnote")" = "$(st dump1 pages_sweep)" ] &&
	grep -q '^CAPTURE_TIME=[0-9]' <<<"$ldnote" && grep -q '^NOT_CAPTURED=' <<<"$ldnote" &&
	grep -qx 'STATE=finished' <<<"$ldnote"; then
	pass "$S: the LIVEDUMP note says finished and has the capture time, the counts of the status and what is not captured"
else
	fail "$S: the LIVEDUMP note does not match the status (see $res/livedump-1.note)"
fi

# makedumpfile
out=$res/mkdf.l31
rm -f "$out"
if makedumpfile -l -d 31 --message-level 31 "$img" "$out" >"$res/mkdf.l31.log" 2>&1 && [ -s "$out" ]; then
	pass "$S: makedumpfile 1.7.2 -l -d 31 reads the image ($(stat -c %s "$out") bytes)"
else
	fail "$S: makedumpfile 1.7.2 -l -d 31 failed (see $res/mkdf.l31.log)"
fi
ours=${PMEMDUMP_BUILD:+$PMEMDUMP_BUILD/makedumpfile/makedumpfile}
ours=${ours:-$REPO/makedumpfile/makedumpfile}
if [ -x "$ours" ]; then
	rm -f "$res/ours.l31"
	if "$ours" -l -d 31 --message-level 31 "$img" "$res/ours.l31" >"$res/ours.l31.log" 2>&1 &&
		[ -s "$res/ours.l31" ]; then
		pass "$S: our makedumpfile -l -d 31 reads the image"
	else
		fail "$S: our makedumpfile -l -d 31 failed (see $res/ours.l31.log)"
	fi
else
	echo "SKIP: $S: our makedumpfile is not built"
fi

# the filtered live dump as a flattened stream (for ssh), rebuilt with -R
if [ -s "$res/ours.l31" ]; then
	rm -f "$res/ours.l31.R"
	if "$ours" -F -l -d 31 "$img" 2>"$res/ours.F.log" | "$ours" -R "$res/ours.l31.R" 2>>"$res/ours.F.log" &&
		cmp -s "$res/ours.l31" "$res/ours.l31.R"; then
		pass "$S: -F -l -d 31 of the image, rebuilt with -R, is the -l -d 31 file byte for byte ($(stat -c %s "$res/ours.l31") bytes)"
	else
		fail "$S: -F | -R of the image differs from the direct -l -d 31 file (see $res/ours.F.log)"
	fi
	rm -f "$res/ours.l31.R"
fi

# pmem: the memmap from the device's own info block (read on the host),
# against the image's PF_DEV PT_LOADs, the kernel's list in the image,
# our makedumpfile's filter and crash's view of a DAX file's struct page.
PMPAGES=$REPO/test/lab/pmem-pages.py
BASE=$((0x100000000))
SIZE=$((1 << 30))
"$PMPAGES" device "$(dirname "$res")/nvdimm.img" "$BASE" >"$res/pmem.device" 2>&1
memmap=$(meta_get "$res/pmem.device" memmap)
data=$(meta_get "$res/pmem.device" data)
"$PMPAGES" stats "$img" >"$res/pmem.stats" 2>&1
pst() { meta_get "$res/pmem.stats" "$1"; }
if [ -n "$memmap" ] && [ -n "$data" ]; then
	meta=$(((${memmap#*-} - ${memmap%-*}) / 4096))
	captured=$(((data - BASE) / 4096))
	if [ "$(pst list)" = "$memmap" ] && [ "$(pst meta_pages)" = "$meta" ] &&
		[ "$(pst flagged_pages)" = "$captured" ] &&
		[ $(($(pst flagged_pages) + $(pst flagged_absent))) -eq $((SIZE / 4096)) ] &&
		[ "$(st dump1 pages_pmem)" = "$captured" ]; then
		pass "$S: pmem in the image: PF_DEV PT_LOADs over the whole NVDIMM, $captured pages in the file (info block + the memmap $memmap that the device's info block places, $meta pages, as the kernel's list in the image says), $(pst flagged_absent) user data pages described but not captured; status pages_pmem $(st dump1 pages_pmem)"
	else
		fail "$S: pmem in the image: $(tr '\n' ' ' <"$res/pmem.stats"); expected list $memmap, meta $meta, $captured pages in the file, pages_pmem $(st dump1 pages_pmem)"
	fi
	if [ "$(pst user_marker)" = 0 ] && [ "$("$PMPAGES" count-from "$img" "$BASE")" = 0 ]; then
		pass "$S: no marker page of the DAX files in the image"
	else
		fail "$S: DAX file data in the image: $(pst user_marker) marker pages in PF_DEV PT_LOADs"
	fi
	if [ -s "$res/ours.l31" ]; then
		v=$(report_value "$res/ours.l31.log" "pmem userdata pages")
		c=$(report_value "$res/ours.l31.log" "pmem metadata pages")
		if [ "$v" = $((SIZE / 4096 - meta)) ] && [ "$c" = 0 ] &&
			grep -q "pmem: $meta metadata pages" "$res/ours.l31.log"; then
			pass "$S: our makedumpfile -l -d 31 keeps the $meta pmem metadata pages and leaves $v user data pages out"
		else
			fail "$S: our makedumpfile -l -d 31: pmem metadata ${c:-missing} excluded (expected 0, $meta kept), user data ${v:-missing} excluded (expected $((SIZE / 4096 - meta)))"
		fi
		block=$(meta_get "$res/dax-file.meta" first_block)
		ino=$(meta_get "$res/dax-file.meta" inode)
		pa=$(printf '%#x' $((data + ${block:-0} * 4096)))
		printf 'set scroll off\nsys\nkmem -p %s\nq\n' "$pa" |
			timeout 300 crash -s "$vmlinux" "$res/ours.l31" >"$res/crash.dax.out" 2>&1
		if grep -q "RELEASE: $release\$" "$res/crash.dax.out" && [ -n "$block" ] && [ -n "$ino" ]; then
			check_dax_mapping "$S" "$vmlinux" "$res/ours.l31" "$pa" "$ino" "$res/crash.dax.out"
		else
			fail "$S: crash 8.0.2 did not open the filtered live dump, or no DAX file metadata (see $res/crash.dax.out)"
		fi
	fi
else
	fail "$S: no map=dev info block on the NVDIMM (memmap '${memmap}', data '${data}')"
fi

# crash
cout=$res/crash.out
# crash 8.0.2 finds no PID of this 6.1 kernel in its PID table, on the lab's
# kdump vmcores too ("TASKS: 3"): the task list is walked with "list".
if printf 'set scroll off\nsys\nbt\nps\nkmem -i\nlog | tail -n 20\nlist -o task_struct.tasks -s task_struct.pid,comm -h init_task\nq\n' |
	timeout 600 crash -s "$vmlinux" "$img" >"$cout" 2>&1 &&
	grep -q "RELEASE: $release\$" "$cout" && grep -q 'TOTAL MEM' "$cout" &&
	grep -q ' #1 \[' "$cout" && grep -q 'livedump' "$cout" &&
	[ "$(grep -c '^  pid = ' "$cout")" -ge 20 ] && grep -q 'comm = "init' "$cout"; then
	pass "$S: crash 8.0.2 opens the image (sys, bt, ps, kmem -i, log; $(grep -c '^  pid = ' "$cout") tasks on the task list)"
else
	fail "$S: crash 8.0.2 did not read the image (see $cout)"
	tail -n 20 "$cout"
fi

# the fill
check_fill "$S" "$img"

# the invariants: kept in the image, broken in a slow /proc/kcore copy
inv=$REPO/scripts/lab.d/guest/livedump-invariants.py
if "$inv" check "$img" "$res/first.lt.layout" >"$res/invariants.image" 2>&1; then
	pass "$S: the invariants hold in the image: $(tr '\n' ';' <"$res/invariants.image")"
else
	fail "$S: the invariants do not hold in the image: $(tr '\n' ';' <"$res/invariants.image")"
fi
if [ -s "$res/kcore-copy.elf" ]; then
	if "$inv" check "$res/kcore-copy.elf" "$res/first.lt.layout" >"$res/invariants.kcore" 2>&1; then
		fail "$S: a slow /proc/kcore copy kept the invariants too (the check would not see a torn image)"
	else
		pass "$S: a slow /proc/kcore copy breaks them: $(tr '\n' ';' <"$res/invariants.kcore")"
	fi
else
	fail "$S: no /proc/kcore copy in the results"
fi

# second dump, cancel, buffer too small
if [ "$(st dump2 state)" = finished ]; then
	pass "$S: a second dump finished"
else
	fail "$S: second dump: state $(st dump2 state)"
fi
if [ "$(st bdev state)" = finished ] && grep -q 'CORE (Core file)' "$res/first.bdev.check" &&
	[ "$(grep -c ': holds$' "$res/first.bdev.check")" -ge 2 ] && ! grep -q BROKEN "$res/first.bdev.check"; then
	pass "$S: a dump to a block device (loop, direct I/O) is an ELF core that keeps the invariants"
else
	fail "$S: block device dump: state $(st bdev state) (see $res/first.bdev.check)"
fi
if [ "$(st cancel state)" = cancelled ] &&
	[ "$(ld_note "$res/cancel.head" | grep -E '^(STATE|REASON)=' | tr '\n' ' ')" = "STATE=cancelled REASON=cancelled " ]; then
	pass "$S: a dump cancelled over a finished image on the block device says cancelled, in the status and in the device's header"
else
	fail "$S: cancel: state $(st cancel state), header: $(ld_note "$res/cancel.head" 2>&1 | grep -E '^(STATE|REASON)=' | tr '\n' ' ')"
fi
if [ "$(st small state)" = failed ] && [ -n "$(st small reason)" ] &&
	[ "$(ld_note "$res/small.head" | grep -E '^(STATE|REASON)=' | tr '\n' ' ')" = "STATE=failed REASON=$(st small reason) " ]; then
	pass "$S: a 4 MiB buffer fails cleanly: $(st small reason) (the stop needed $(st small stop_need) pages); the target's header says failed, with the reason"
else
	fail "$S: small buffer: state $(st small state), reason '$(st small reason)', header: $(ld_note "$res/small.head" 2>&1 | grep -E '^(STATE|REASON)=' | tr '\n' ' ')"
fi

# the user side (issue 15): livedump dump --filter, its refusals, and our
# makedumpfile on targets of dumps that did not finish
cm() { meta_get "$res/first.cli.meta" "$1"; }
if [ "$(cm dump_rc)" = 0 ] && [ "$(cm capture_left)" = no ] && [ -s "$res/cli.l31" ] &&
	[ "$(cm filtered_mode)" = 600 ]; then
	pass "$S: livedump dump --filter '-l -d 31': the filtered dump ($(cm filtered_bytes) bytes, 0600) in $(cm dump_seconds) s from the start, the capture removed"
else
	fail "$S: livedump dump --filter: exit $(cm dump_rc), capture left $(cm capture_left), mode $(cm filtered_mode) (see $res/cli.dump.log)"
fi
if [ -s "$res/cli.l31" ]; then
	kinds=()
	for k in "Pages filled with zero" "Non-private cache pages" "Private cache pages" \
		"User process data pages" "Free pages" "pmem userdata pages"; do
		v=$(report_value "$res/cli.dump.log" "$k")
		[ "${v:-0}" -gt 0 ] || kinds+=("$k=${v:-missing}")
	done
	if [ ${#kinds[@]} -eq 0 ] && grep -q "pmem: ${meta:-?} metadata pages" "$res/cli.dump.log"; then
		pass "$S: the filtered live dump has every kind a crash dump has: $(for k in "Pages filled with zero" "Non-private cache pages" "Private cache pages" "User process data pages" "Free pages" "pmem userdata pages"; do printf '%s %s; ' "$k" "$(report_value "$res/cli.dump.log" "$k")"; done)pmem metadata kept ${meta:-?}"
	else
		fail "$S: the filtered live dump lacks kinds: ${kinds[*]} (or no 'pmem: ${meta:-?} metadata pages'; see $res/cli.dump.log)"
	fi
	printf 'set scroll off\nsys\nkmem -i\nq\n' | timeout 300 crash -s "$vmlinux" "$res/cli.l31" >"$res/crash.cli.out" 2>&1
	if grep -q "RELEASE: $release\$" "$res/crash.cli.out" && grep -q 'TOTAL MEM' "$res/crash.cli.out"; then
		pass "$S: crash 8.0.2 opens the filtered live dump (sys, kmem -i)"
	else
		fail "$S: crash 8.0.2 did not open cli.l31 (see $res/crash.cli.out)"
	fi
fi
if [ "$(cm start_rc)" = 0 ] && [ "$(cm busy_rc)" = 4 ] && [ "$(wc -l <"$res/cli.busy.log")" = 1 ] &&
	grep -qi 'running' "$res/cli.busy.log" && [ "$(cm cancel_rc)" = 0 ]; then
	pass "$S: livedump start while a dump runs: exit 4, '$(cat "$res/cli.busy.log")'; livedump cancel ends it"
else
	fail "$S: busy: start $(cm start_rc), second start $(cm busy_rc) '$(head -c 200 "$res/cli.busy.log")', cancel $(cm cancel_rc)"
fi
if [ "$(cm exists_rc)" != 0 ] && [ -n "$(cm exists_rc)" ] && [ "$(cm exists_bytes)" = "$(cm filtered_bytes)" ] &&
	[ "$(wc -l <"$res/cli.exists.log")" = 1 ]; then
	pass "$S: livedump dump -o an existing file: exit $(cm exists_rc), the file untouched: '$(cat "$res/cli.exists.log")'"
else
	fail "$S: existing output: exit $(cm exists_rc), bytes $(cm exists_bytes) (was $(cm filtered_bytes)): $(head -c 200 "$res/cli.exists.log")"
fi
if [ "$(cm small_rc)" = 1 ] && [ "$(cm small_left)" = no ] && grep -qi 'buffer' "$res/cli.small.log"; then
	pass "$S: livedump dump --buffer 4M: exit 1, no file left: '$(tr '\n' ' ' <"$res/cli.small.log")'"
else
	fail "$S: small buffer: exit $(cm small_rc), file left $(cm small_left): $(head -c 300 "$res/cli.small.log")"
fi
# --mem-usage beforehand: within 1 % of the image the kernel wrote
est=$(sed -n 's/^Live dump image:[[:space:]]*\([0-9]*\)[[:space:]]*Byte.*/\1/p' "$res/cli.mem-usage.log")
act=$(stat -c %s "$img")
if [ -n "$est" ] && [ $(((est > act ? est - act : act - est) * 100 / act)) -lt 1 ]; then
	pass "$S: makedumpfile --mem-usage /proc/kcore in the guest: live dump image $est bytes; the image written: $act"
else
	fail "$S: --mem-usage's live dump image '${est:-missing}' vs the image's $act bytes (see $res/cli.mem-usage.log)"
fi
# our makedumpfile on targets of dumps that did not finish (run in the
# guest on the whole file and on the loop device), and on a finished image
# cut in half
for t in small:"state failed: $(st small reason)" cancel:"state cancelled: cancelled"; do
	f=$res/${t%%:*}.ours.log want=${t#*:}
	if [ "$(meta_get "$f" rc)" = 1 ] && [ "$(meta_get "$f" out_left)" = no ] &&
		[ "$(grep -vc '^\(rc\|out_left\)=' "$f")" = 1 ] && grep -qF "$want" "$f"; then
		pass "$S: our makedumpfile refuses the ${t%%:*} target: '$(head -n1 "$f")'"
	else
		fail "$S: our makedumpfile on the ${t%%:*} target: wanted exit 1, no output, one line with '$want': $(tr '\n' ' ' <"$f" | head -c 300)"
	fi
done
if [ -x "${ours:-}" ]; then
	trunc=$res/livedump-trunc.elf
	head -c $((act / 2)) "$img" >"$trunc"
	rm -f "$res/bad.out"
	"$ours" -l -d 31 "$trunc" "$res/bad.out" >"$res/bad.log" 2>&1
	rc=$?
	if [ $rc = 1 ] && [ ! -e "$res/bad.out" ] && grep -q 'truncated' "$res/bad.log" &&
		[ "$(grep -c . "$res/bad.log")" = 1 ]; then
		pass "$S: our makedumpfile refuses the image cut in half: '$(cat "$res/bad.log")'"
	else
		fail "$S: our makedumpfile on the cut image: exit $rc, output $([ -e "$res/bad.out" ] && echo left || echo none): $(head -c 300 "$res/bad.log")"
	fi
	rm -f "$trunc" "$res/bad.out"
fi

# a reboot while a dump runs: the notifier cancels it and the machine restarts
serial=$(dirname "$res")/serial.log
if awk '/PMEMDUMP-REBOOT during running/ { r = 1 } r && /livedump: cancelled/ { c = 1 }
	c && /reboot: Restarting system/ { ok = 1 } END { exit !ok }' "$serial" &&
	[ "$(meta_get "$res/run.meta" qemu_rc)" = 0 ]; then
	pass "$S: a reboot during a running dump: $(grep -o 'livedump: cancelled.*' "$serial" | tail -n1), then the restart (QEMU exit 0)"
else
	fail "$S: reboot during a dump: no cancel before the restart, or QEMU ended with $(meta_get "$res/run.meta" qemu_rc) (see $serial)"
fi

echo "figures: $(grep -hE '^(stop_us|total_ms|buffer_max_used|buffer_pages|splits|setup_splits|wall_seconds)=' "$res/first.dump1.status" | tr '\n' ' ')"
[ $failures -eq 0 ] || exit 1
exit 0
