#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab integration test: a full kdump cycle with an fsdax NVDIMM, once with
# kexec_load (scenario kdump-fsdax) and once with kexec_file_load
# (kdump-fsdax-file), checked from the host:
#   - the cycle completed and really used the intended syscall;
#   - the vmcore's PT_LOADs cover System RAM only, never Persistent Memory
#     (compared with the first kernel's /proc/iomem), with kexec_load; with
#     kexec_file_load the kernel series adds the Persistent Memory range as
#     one PT_LOAD with PF_DEV (0x10);
#   - crash 8.0.2 opens makedumpfile 1.7.2's -l -d 31 dump with the build's
#     vmlinux and shows the expected release and sysrq panic;
#   - the RAM fill reached the vmcore (page cache, tmpfs and anonymous data);
#   - when the project's makedumpfile ran too, its per-category page counts
#     equal makedumpfile 1.7.2's (kexec_load), or follow from them with the
#     pmem filter's rules (kexec_file_load: pmem user data left out, pmem
#     metadata kept; see check_pmem_counts in lib.sh).
# Exit: 0 pass, 1 fail, 77 skip (something essential missing).
#
# Environment:
#   PMEMDUMP_LAB_BUILD_KERNEL=1  build the lab kernel if it is not cached
#                                (about 10 minutes); otherwise the test skips.
#   PMEMDUMP_LAB_REUSE=1         check the last results of each scenario
#                                instead of running the cycles again.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"

check_prereqs
check_scenario kdump-fsdax load
check_scenario kdump-fsdax-file file
[ $failures -eq 0 ] || exit 1
exit 0
