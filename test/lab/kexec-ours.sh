#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the project's kexec (issue 12), scenario kexec-ours: the
# kdump-fsdax cycle with the capture kernel loaded by our `kexec -d -p`
# (kexec_load) on the lab kernel. Checked from the host:
#   - the whole cycle: the capture kernel booted through our purgatory,
#     /proc/vmcore has one PF_DEV PT_LOAD equal to the Persistent Memory
#     resource and RAM otherwise, our makedumpfile -d 31 keeps the pmem
#     metadata by the pmem filter's counting rules and leaves the DAX
#     files' marker pages out, crash 8.0.2 reads the dumps
#     (check_scenario in kdump-checks.sh, mode ours);
#   - crash `kmem -p` shows the struct page of the first pmem data page,
#     read from the memmap on the device, in our -E -d 31 dump;
#   - every segment of `kexec -d` lies in the crash kernel range of the
#     first kernel's /proc/iomem, above the control reserve;
#   - the capture kernel's BIOS-e820 lines are exactly the e820 `kexec -d`
#     printed;
#   - -S -p / -S -l / -p -u give the same exit statuses as Debian's kexec
#     2.0.25 on the same kernel (1 loaded, 0 not).
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
PMDUMP=$REPO/scripts/lab.d/guest/pmem-metadata.py
PMPAGES=$REPO/test/lab/pmem-pages.py
CATEGORIES=("Pages filled with zero" "Non-private cache pages" "Private cache pages"
	"User process data pages" "Free pages" "Hwpoison pages" "Offline pages"
	"Remaining pages" "Memory Hole" "Total pages")
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"

S=kexec-ours

# Segments "mem memsz" (hex) from kexec -d's lines.
debug_segments() {
	awk '/^segment\[[0-9]+\]\.mem /{m=$3} /^segment\[[0-9]+\]\.memsz /{print m, $3}' "$1"
}

check_segments() {
	local res=$1 log=$1/first.kexec-ours.log cs ce mem size n=0 bad=0
	read -r cs ce < <(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' "$res/first.iomem" | tail -n1)
	if [ -z "${cs:-}" ]; then
		fail "$S: no Crash kernel range in first.iomem"
		return
	fi
	while read -r mem size; do
		n=$((n + 1))
		if ((mem < 16#$cs || mem + size - 1 > 16#$ce || (mem & 0xfff) != 0)); then
			printf '  segment %#x+%#x outside 0x%s-0x%s or unaligned\n' "$mem" "$size" "$cs" "$ce"
			bad=$((bad + 1))
		fi
	done < <(debug_segments "$log")
	if [ "$n" -ge 4 ] && [ "$bad" -eq 0 ]; then
		pass "$S: kexec -d placed $n segments, all page-aligned inside the crash kernel range 0x$cs-0x$ce"
	else
		fail "$S: $bad of $n segments outside the crash kernel range (see $log)"
	fi
}

check_e820() {
	local res=$1 ours theirs
	ours=$(grep -a '^BIOS-e820: ' "$res/first.kexec-ours.log" | sort)
	theirs=$(grep -ao 'BIOS-e820: \[mem [^]]*\] .*' "$res/capture.dmesg" | tr -d '\r' | sort)
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
		pass "$S: the capture kernel booted with the $(wc -l <<<"$ours") e820 entries kexec -d printed"
	else
		fail "$S: capture kernel e820 differs from kexec -d's:"
		diff <(echo "$ours") <(echo "$theirs") | sed 's/^/  /' | head -n 20
	fi
}

check_status() {
	local log=$1/first.kexec-status.log ours theirs want
	ours=$(awk -v k="$(ours_kexec_path)" '$1 == "status" && $2 == k {print $3, $4}' "$log")
	theirs=$(awk '$1 == "status" && $2 == "/sbin/kexec" {print $3, $4}' "$log")
	want=$'after-load 1\nnormal 0\nafter-unload 0'
	if [ "$ours" = "$want" ] && [ "$theirs" = "$want" ]; then
		pass "$S: -S -p / -S -l / -p -u exit statuses equal kexec 2.0.25's (1 after a load, 0 for no -l image, 0 after unload)"
	else
		fail "$S: status sequence: ours '${ours//$'\n'/; }', 2.0.25 '${theirs//$'\n'/; }', want '${want//$'\n'/; }'"
	fi
}

# check_refusal LOG NAME WANT_LOADED PATTERN: the line "refusal NAME rc=..
# loaded=.. lines=.. TEXT" that the guest wrote: exit 255, one line on
# stderr matching PATTERN, and the crash image state WANT_LOADED after it.
check_refusal() {
	local log=$1 name=$2 want_loaded=$3 pattern=$4 l
	l=$(grep -a "^refusal $name " "$log" | head -n1)
	if [[ $l =~ rc=255\ loaded=$want_loaded\ lines=1\ kexec:\ (.*)$ ]] && grep -Eq "$pattern" <<<"${BASH_REMATCH[1]}"; then
		pass "$S: refused $name: exit 255, kexec_crash_loaded $want_loaded, one line: ${BASH_REMATCH[1]}"
	else
		fail "$S: refusal $name: '${l:-no line in $log}', want rc=255 loaded=$want_loaded and /$pattern/"
	fi
}

ours_kexec_path() {
	sed -n 's/.*pmemdump\.kexec=\([^ ]*\).*/\1/p' "$res/first.info.log" | head -n1
}

# The first data page after the namespace's memmap: its struct page lives
# in the memmap on the device, which only a pmem-aware header brings into
# the dump.
check_pmem_page() {
	local res=$1 meta vmlinux dump=$1/ours.E31.elf out phys
	meta=$(dirname "$(readlink -f "$res/vmcore")")/$S.meta
	vmlinux=$(meta_get "$meta" vmlinux)
	# Our makedumpfile's report names the memmap range it kept.
	phys=$(sed -n 's/^pmem: .*\[0x[0-9a-f]*, \(0x[0-9a-f]*\))$/\1/p' "$res/capture.ours-E31.log" | head -n1)
	if [ -z "$phys" ]; then
		fail "$S: our makedumpfile's report names no pmem memmap range (capture.ours-E31.log)"
		return
	fi
	out=$res/crash.kmem-p.out
	printf 'set scroll off\nkmem -p %s\nq\n' "$phys" | timeout 300 crash -s "$vmlinux" "$dump" >"$out" 2>&1
	if grep -Eiq "^ *[0-9a-f]{16} +${phys#0x} " "$out"; then
		pass "$S: crash kmem -p $phys (first pmem data page) shows its struct page from our -E -d 31 dump: $(grep -Ei "^ *[0-9a-f]{16} +${phys#0x} " "$out" | tr -s ' ' | head -c 100)"
	else
		fail "$S: crash kmem -p $phys shows no struct page (see $out)"
		tail -n 5 "$out"
	fi
}

check_prereqs
res=$("$LAB" run-dir "$S")
check_scenario "$S" ours
if [ -s "$res/first.kexec-ours.log" ]; then
	check_segments "$res"
	check_e820 "$res"
	check_status "$res"
	check_refusal "$res/first.kexec-refusals.log" nonroot 0 'root'
	check_refusal "$res/first.kexec-refusals.log" toobig 0 'does not fit: [0-9]+ bytes needed, [0-9]+ available'
	check_pmem_page "$res"
else
	fail "$S: no kexec -d output (first.kexec-ours.log)"
fi
[ $failures -eq 0 ] || exit 1
exit 0
