#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of our purgatory (issue 12): scenario purgatory-corrupt loads
# the capture kernel with one byte of its kernel segment flipped after the
# digests were computed, then crashes the guest. Checked from the host:
#   - the purgatory printed its mismatch line, naming the kernel segment and
#     its address as kexec -d placed it, on the serial console;
#   - no kernel started after the crash (no second "Linux version" line
#     within 20 s of the purgatory's line) and the capture stage never ran.
# The guest halts for good, so this test ends QEMU itself.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

S=purgatory-corrupt
lab_prereqs qemu-system-x86_64 timeout gcc
res=$("$LAB" run-dir "$S")
log=$res/../serial.log
line='pmemdump purgatory: segment [0-9]+ \(kernel\) at 0x[0-9a-f]+: sha256 mismatch, not booting'

# The run cannot end by itself: start it, wait for the verdict, stop it.
# A previous run's log must not answer for this one.
rm -f "$log"
PMEMDUMP_LAB_TIMEOUT=240 setsid "$LAB" run "$S" >/dev/null 2>&1 &
runner=$!
found=
for ((i = 0; i < 220; i++)); do
	sleep 1
	if grep -aEq "$line" "$log" 2>/dev/null; then
		found=1
		break
	fi
	grep -aq '^PMEMDUMP-STEP .* fail' "$log" 2>/dev/null && break
	kill -0 "$runner" 2>/dev/null || break
done
[ -n "$found" ] && sleep 20
kill -TERM -- "-$runner" 2>/dev/null
wait "$runner" 2>/dev/null

if grep -aq '^PMEMDUMP-STEP kexec-corrupt ok' "$log"; then
	pass "$S: our kexec -p --debug-corrupt=kernel loaded (kexec_crash_loaded 1)"
else
	fail "$S: the corrupted load did not happen: $(grep -a '^PMEMDUMP-STEP' "$log" | tail -n1 | tr -d '\r')"
fi
if [ -n "$found" ]; then
	got=$(grep -aEo "$line" "$log" | head -n1)
	addr=$(sed -n 's/.* at \(0x[0-9a-f]*\):.*/\1/p' <<<"$got")
	kmem=$(awk '/^segment\[[0-9]+\]\.buf .*\(kernel\)/{k=1} k && /\.mem /{print $3; exit}' "$res/first.kexec-corrupt.log")
	# The flipped byte is inside the kernel segment, whose start kexec -d printed.
	if [ -n "$kmem" ] && [ "$addr" = "$kmem" ]; then
		pass "$S: the purgatory refused the kernel segment at $addr: '$got'"
	else
		fail "$S: the purgatory's line names $addr, kexec -d placed the kernel at ${kmem:-?}"
	fi
else
	fail "$S: no purgatory mismatch line on the serial console"
fi
l=$(grep -a '^refusal disabled ' "$res/first.kexec-disabled.log" 2>/dev/null | head -n1)
if [[ $l =~ rc=255\ loaded=1\ lines=1\ kexec:\ .*kexec_load_disabled ]]; then
	pass "$S: with kernel.kexec_load_disabled=1 a load is refused in one line, the loaded image stays: ${l#*kexec: }"
else
	fail "$S: kexec_load_disabled refusal: '${l:-none}'"
fi
after=$(sed -n '/^PMEMDUMP-STEP panic start/,$p' "$log" | grep -ac 'Linux version')
if [ -n "$found" ] && [ "$after" -eq 0 ] && ! grep -aq 'PMEMDUMP-STAGE capture' "$log"; then
	pass "$S: no kernel started after the crash (20 s watched)"
else
	fail "$S: a kernel started after the crash ($after 'Linux version' lines), or no verdict"
fi
[ $failures -eq 0 ] || exit 1
exit 0
