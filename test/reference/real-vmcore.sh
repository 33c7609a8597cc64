#!/bin/bash
# Our makedumpfile on the VM lab's saved Linux 6.1 vmcore, beside Debian's
# makedumpfile 1.7.2: same page counts for -d 0, 1, 31 (ELF and kdump
# format), byte-identical kdump files and kernel log, and crash 8.0.2
# opens our dumps with the build's vmlinux. Skips when the lab has not
# produced a vmcore on this machine (scripts/lab vmcore kdump-fsdax).
set -u
. "$top_srcdir/test/lib/report.sh"

meta=${MDF_LAB_META:-/var/cache/pmemdump/vmcores/kdump-fsdax.meta}
[ -r "$meta" ] || { echo "no lab vmcore ($meta)"; exit 77; }
vmcore=$(sed -n 's/^vmcore=//p' "$meta")
vmlinux=$(sed -n 's/^vmlinux=//p' "$meta")
[ -r "$vmcore" ] || { echo "lab vmcore $vmcore missing"; exit 77; }
[ -n "${REF_MAKEDUMPFILE:-}" ] || { echo "reference makedumpfile not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-real.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "vmcore: $vmcore ($(stat -c %s "$vmcore") bytes)"

for fmt in -E -l; do
	for dl in 0 1 31; do
		rm -f "$work/o" "$work/r"
		"$OURS" $fmt -d "$dl" --message-level 31 "$vmcore" "$work/o" >"$work/o.log" 2>&1 ||
			{ fail "$fmt -d $dl: $(tail -1 "$work/o.log")"; continue; }
		"$REF_MAKEDUMPFILE" $fmt -d "$dl" --message-level 31 "$vmcore" "$work/r" >"$work/r.log" 2>/dev/null
		# (two reports without counts must not compare equal)
		if ! counts_complete "$work/r.log"; then
			fail "$fmt -d $dl: makedumpfile 1.7.2's report is incomplete: $(tail -1 "$work/r.log")"
		elif ! diff <(report_counts "$work/r.log") <(report_counts "$work/o.log") >"$work/diff"; then
			fail "$fmt -d $dl: counts differ from makedumpfile 1.7.2"; cat "$work/diff"
		elif [ "$fmt" = -l ] && ! cmp -s "$work/o" "$work/r"; then
			fail "$fmt -d $dl: same counts, but the file differs from makedumpfile 1.7.2's"
		else
			pass "$fmt -d $dl: counts equal makedumpfile 1.7.2's$([ "$fmt" = -l ] && echo ', file byte-identical'): $(report_counts "$work/o.log" | tr '\n' ' ')"
		fi
	done
done

rm -f "$work/o.dmesg" "$work/r.dmesg"
"$OURS" --dump-dmesg "$vmcore" "$work/o.dmesg" >/dev/null 2>&1
"$REF_MAKEDUMPFILE" --dump-dmesg "$vmcore" "$work/r.dmesg" >/dev/null 2>&1
[ -s "$work/o.dmesg" ] && cmp -s "$work/o.dmesg" "$work/r.dmesg" &&
	pass "--dump-dmesg: byte-identical to makedumpfile 1.7.2 ($(wc -l <"$work/o.dmesg") lines)" ||
	fail "--dump-dmesg differs from makedumpfile 1.7.2"

if ! command -v crash >/dev/null || [ ! -r "$vmlinux" ]; then
	skip "crash or the lab's vmlinux is missing"
	finish
fi
printf 'sys\nbt\nkmem -i\nlog\nq\n' >"$work/cmds"
for fmt in -E -l -z; do
	rm -f "$work/c"
	"$OURS" $fmt -d 31 "$vmcore" "$work/c" >/dev/null 2>&1
	timeout 300 crash -s "$vmlinux" "$work/c" <"$work/cmds" >"$work/crash.out" 2>&1
	if grep -q 'PANIC: "Kernel panic - not syncing: sysrq triggered crash"' "$work/crash.out" &&
		grep -q ' #[0-9]* \[.*\] panic at ' "$work/crash.out" &&
		grep -q 'TOTAL MEM' "$work/crash.out" &&
		grep -q 'sysrq: Trigger a crash' "$work/crash.out"; then
		pass "crash 8.0.2 opens our $fmt -d 31 dump: sys, bt, kmem -i and log work"
	else
		fail "crash 8.0.2 on our $fmt dump:"; tail -15 "$work/crash.out"
	fi
done
finish
