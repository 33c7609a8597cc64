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
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"

S=kexec-ours
# shellcheck source=kexec-checks.sh
. "$REPO/test/lab/kexec-checks.sh"

check_prereqs
res=$("$LAB" run-dir "$S")
check_scenario "$S" ours
check_kexec_ours "$res"
[ $failures -eq 0 ] || exit 1
exit 0
