#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of crashkernel=X,high with our kexec -p (issue 12), scenario
# kexec-high: a 4 GiB guest with two "Crash kernel" ranges. Checked from
# the host:
#   - every segment kexec -d placed lies in the high range (crashk_res,
#     the only one kexec_load accepts), above its control reserve;
#   - the capture kernel booted with both ranges as usable RAM, exactly the
#     e820 kexec -d printed;
#   - /proc/vmcore: no PT_LOAD touches either crash range, and the pmem
#     range is one PF_DEV PT_LOAD;
#   - our makedumpfile -E -d 31 ran on it and counted the pmem metadata
#     and user data of the namespace.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"
S=kexec-high
# shellcheck source=kexec-checks.sh
. "$REPO/test/lab/kexec-checks.sh"

check_prereqs
res=$("$LAB" run-dir "$S")
if run_cycle "$S"; then
	pass "$S: cycle completed ($(meta_get "$res/run.meta" seconds) s)"
else
	fail "$S: the cycle did not complete (see the lab's message above)"
fi
mapfile -t crash < <(iomem_ranges "$res/first.iomem" 'Crash kernel')
if [ ${#crash[@]} -ne 2 ]; then
	fail "$S: first kernel has ${#crash[@]} Crash kernel ranges, want 2"
else
	read -r ls le <<<"${crash[0]}"
	read -r hs he <<<"${crash[1]}"
	bad=0
	n=0
	while read -r mem size; do
		n=$((n + 1))
		((mem >= 16#$hs && mem + size - 1 <= 16#$he)) || bad=$((bad + 1))
	done < <(debug_segments "$res/first.kexec-ours.log")
	if [ "$n" -ge 4 ] && [ "$bad" -eq 0 ] && ((16#$hs >= 1 << 32)); then
		pass "$S: all $n segments in the high range 0x$hs-0x$he (low range 0x$ls-0x$le unused)"
	else
		fail "$S: $bad of $n segments outside the high range 0x$hs-0x$he"
	fi
	check_e820 "$res"
	# Both ranges are the capture kernel's RAM: a usable entry starts at
	# each (the high one ends below the header's page).
	usable=0
	for r in "${crash[@]}"; do
		read -r cs ce <<<"$r"
		grep -Eq "^BIOS-e820: \[mem 0x0*${cs}-0x[0-9a-f]+\] usable$" "$res/first.kexec-ours.log" &&
			usable=$((usable + 1))
	done
	if [ "$usable" -eq 2 ]; then
		pass "$S: both crash ranges are usable RAM in the capture kernel's e820"
	else
		fail "$S: $usable of 2 crash ranges start a usable e820 entry"
	fi
	loads=$(awk '$1 == "LOAD" {print $4, $5, $NF}' "$res/capture.phdrs.log")
	overlap=0
	nl=0
	while read -r paddr size _; do
		[ -n "$paddr" ] || continue
		nl=$((nl + 1))
		for r in "${crash[@]}"; do
			read -r cs ce <<<"$r"
			((paddr <= 16#$ce && paddr + size - 1 >= 16#$cs)) && overlap=$((overlap + 1))
		done
	done <<<"$loads"
	flagged=$(grep -c 'RWX+DEV' "$res/first.kexec-ours.log")
	if [ "$nl" -ge 3 ] && [ "$overlap" -eq 0 ] && [ "$flagged" -eq 1 ]; then
		pass "$S: none of the $nl PT_LOADs of /proc/vmcore touches either crash range; one PF_DEV pmem PT_LOAD in the header"
	else
		fail "$S: $nl PT_LOADs, $overlap overlap a crash range, $flagged PF_DEV in the header"
	fi
fi
u=$(report_value "$res/capture.ours-E31.log" "pmem userdata pages")
if [ -n "$u" ] && [ "$u" -gt 0 ]; then
	pass "$S: our makedumpfile -E -d 31 on /proc/vmcore: pmem userdata $u pages left out ($(grep -m1 '^pmem: ' "$res/capture.ours-E31.log"))"
else
	fail "$S: our makedumpfile's report has no pmem userdata count (capture.ours-E31.log)"
fi
[ $failures -eq 0 ] || exit 1
exit 0
