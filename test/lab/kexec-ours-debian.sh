#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of our kexec on Debian's own stock kernel (issue 12), scenario
# kexec-ours-debian: no kernel patch at all, only our kexec -d -p
# (kexec_load). Checked from the host:
#   - the Debian kernel really ran, its NVDIMM drivers as modules, libnvdimm
#     kept off in the capture kernel, no devm_memmap_vmcore in VMCOREINFO
#     (check_debian, debian-checks.sh);
#   - /proc/vmcore has one PF_DEV PT_LOAD equal to the Persistent Memory
#     resource; our makedumpfile -d 31 keeps the pmem metadata (found
#     through the info block) and leaves the DAX files' marker pages out;
#     crash 8.0.2 reads the dumps (check_scenario, mode ours);
#   - crash `kmem -p` shows the first pmem data page's struct page, the
#     segments, the e820, -S/-p -u beside 2.0.25 and the refusals
#     (check_kexec_ours, kexec-checks.sh);
#   - with lockdown raised to integrity, kexec_load is refused in one line
#     and the loaded image stays;
#   - beside kdump-debian (the same cycle with Debian's kexec 2.0.25, run
#     before this one): its vmcore has no PF_DEV PT_LOAD and crash cannot
#     show the struct page that ours shows (check_peer).
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"
S=kexec-ours-debian
# shellcheck source=debian-checks.sh
. "$REPO/test/lab/debian-checks.sh"
# shellcheck source=kexec-checks.sh
. "$REPO/test/lab/kexec-checks.sh"

# What 2.0.25's dump on the same kernel lacks: the pmem PT_LOAD, and with
# it the struct page of the same pmem page (same namespace layout: the same
# ndctl command on the same 1 GiB NVDIMM).
check_peer() {
	local res=$1 peer vmlinux phys out n line
	peer=$("$LAB" run-dir kdump-debian)
	if ! grep -aq '^PMEMDUMP-RESULT ok' "$peer/../serial.log" 2>/dev/null; then
		echo "SKIP: $S: no completed kdump-debian run to compare with"
		return
	fi
	local size flags flagged=0
	n=0
	while read -r _ size flags; do
		n=$((n + 1))
		((flags & 0x10)) && flagged=$((flagged + 1))
	done < <("$PMDUMP" loads "$peer/vmcore")
	if [ "$n" -gt 0 ] && [ "$flagged" -eq 0 ]; then
		pass "$S: kdump-debian's vmcore (kexec 2.0.25) has $n PT_LOADs and none with PF_DEV: no pmem at all"
	else
		fail "$S: kdump-debian's vmcore has a PF_DEV PT_LOAD"
	fi
	phys=$(sed -n 's/^list=0x[0-9a-f]*-\(0x[0-9a-f]*\).*/\1/p' "$res/pmem-pages.stats" 2>/dev/null)
	vmlinux=$(meta_get "$(dirname "$(readlink -f "$peer/vmcore")")/kdump-debian.meta" vmlinux)
	out=$res/crash.peer-kmem-p.out
	printf 'set scroll off\nkmem -p %s\nq\n' "$phys" |
		timeout 300 crash -s "$vmlinux" "$peer/mkdf.l31.dump" >"$out" 2>&1
	# The page is not in that dump: crash reads it as zeros (flags 0).
	line=$(grep -Ei "^ *[0-9a-f]{16} +${phys#0x} " "$out" | tr -s ' ')
	if [ -n "$phys" ] && [ -n "$line" ] && [ "$(awk '{print $NF}' <<<"$line")" = 0 ]; then
		pass "$S: crash kmem -p $phys on kexec 2.0.25's dump finds no struct page there (all zero: $line)"
	else
		fail "$S: crash kmem -p ${phys:-?} on 2.0.25's dump: $(tail -n 2 "$out" | tr '\n' ' ')"
	fi
}

debian_prereqs
res=$("$LAB" run-dir "$S")
check_scenario "$S" ours
check_debian "$res"
check_kexec_ours "$res"
check_peer "$res"
# Raised to integrity at run time, lockdown refuses kexec_load; the image
# loaded before stays, and the crash still reached it (check_scenario).
check_refusal "$res/first.kexec-lockdown.log" lockdown 1 'locked down \(.*integrity.*\): use -s with a signed kernel'
[ $failures -eq 0 ] || exit 1
exit 0
