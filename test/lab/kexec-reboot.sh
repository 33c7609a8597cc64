#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of our kexec -l / -e (kexec_load of a normal image), scenario
# kexec-reboot on the lab kernel. Checked from the host:
#   - the load: -S -l then says 1, /sys/kernel/kexec_loaded 1;
#   - kexec -e booted the kernel again through our purgatory (its
#     "segments verified" line, then a second "Linux version") with the
#     command line we gave it (pmemdump.stage=second);
#   - the second kernel got the firmware's memory map unchanged: its
#     BIOS-e820 lines equal the first boot's.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

S=kexec-reboot
lab_prereqs qemu-system-x86_64 timeout gcc
res=$("$LAB" run-dir "$S")
if run_cycle "$S"; then
	pass "$S: kexec -l, kexec -e and the second boot completed ($(meta_get "$res/run.meta" seconds) s)"
else
	fail "$S: the run did not complete (see the lab's message above)"
fi
log=$res/../serial.log
if grep -aq '^status -S -l after-load 1 kexec_loaded=1' "$res/first.kexec-l.log" 2>/dev/null; then
	pass "$S: after kexec -l, -S -l exits 1 and kexec_loaded is 1"
else
	fail "$S: -S -l after the load: $(grep -a '^status' "$res/first.kexec-l.log" 2>/dev/null)"
fi
n=$(grep -ac 'Linux version' "$log")
if grep -aq 'pmemdump purgatory: [0-9]* segments verified' "$log" && [ "$n" -eq 2 ] &&
	grep -q 'pmemdump.stage=second' "$res/second.info.log" 2>/dev/null; then
	pass "$S: kexec -e booted the kernel again through our purgatory ($(grep -ao 'pmemdump purgatory: [0-9]* segments verified' "$log")) with pmemdump.stage=second"
else
	fail "$S: no second boot through the purgatory ($n 'Linux version' lines)"
fi
first=$(grep -ao 'BIOS-e820: \[mem [^]]*\] .*' "$res/first.dmesg" 2>/dev/null | tr -d '\r')
second=$(grep -ao 'BIOS-e820: \[mem [^]]*\] .*' "$res/second.dmesg" 2>/dev/null | tr -d '\r')
if [ -n "$first" ] && [ "$first" = "$second" ]; then
	pass "$S: the second kernel's $(wc -l <<<"$first") BIOS-e820 lines equal the first boot's"
else
	fail "$S: e820 differs between the boots:"
	diff <(echo "$first") <(echo "$second") | sed 's/^/  /' | head -n 20
fi
[ $failures -eq 0 ] || exit 1
exit 0
