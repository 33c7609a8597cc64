#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test on Debian's own stock kernel (issue 12), scenario kdump-debian:
# the kdump-fsdax cycle with Debian's kexec 2.0.25 (`kexec -p`, kexec_load)
# on linux-image-amd64 as the archive ships it, with the lab's initramfs and
# its modules. Checked from the host:
#   - the Debian kernel really ran: uname in the first kernel is the cached
#     package's release and version, its NVDIMM drivers came as modules
#     (nfit loaded in the first kernel, module_blacklist=nfit on the capture
#     command line) and ndctl made the fsdax namespace with them;
#   - the kernel series is absent: VMCOREINFO of the vmcore names the
#     release but no devm_memmap_vmcore;
#   - the common kdump checks (check_scenario in kdump-checks.sh, mode
#     load): kexec_load, System RAM only (stock kexec-tools put no pmem in
#     the header, as on the lab kernel), crash 8.0.2 with the -dbg
#     package's vmlinux, the fill patterns, our makedumpfile's counts.
# Exit: 0 pass, 1 fail, 77 skip.
#
# The first run fetches the kernel and its -dbg package from the Debian
# archive (about 930 MB, about 45 s on the lab's machine); it skips when that
# is not possible. PMEMDUMP_LAB_REUSE=1 checks the last complete run.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"

S=kdump-debian

# shellcheck source=debian-checks.sh
. "$REPO/test/lab/debian-checks.sh"

debian_prereqs
res=$("$LAB" run-dir "$S")
check_scenario "$S" load
check_debian "$res"
[ $failures -eq 0 ] || exit 1
exit 0
