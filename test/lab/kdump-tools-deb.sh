#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the pmemdump Debian package inside Debian's kdump-tools
# (issue 16), scenario kdump-tools-deb, on the lab kernel (kernel series 1),
# systemd as PID 1 and three boots on one persistent root:
#   - dpkg -i kdump-tools, then our .deb: four diversions, Debian's kexec
#     and makedumpfile kept as .distrib;
#   - kdump-tools.service loads the capture kernel at boot through our
#     kexec (kexec_load), with the package's libnvdimm guard, and
#     pmem-kdump check exits 0;
#   - after echo c, kdump-tools-dump.service saves dump and dmesg with our
#     makedumpfile under /var/crash/<stamp>/ (0700/0600) and reboots; crash
#     8.0.2 opens the dump, kmem -p shows a pmem struct page of the DAX
#     namespace, and none of the DAX files' marker pages is in it;
#   - a second crash into a full /var/crash: kdump-tools and our record say
#     failed, pmem-kdump check exits 3 (last-dump FAIL);
#   - dpkg -P: Debian's tools back, kdump-tools reloaded with them.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
S=kdump-tools-deb
# shellcheck source=kdump-tools-checks.sh
. "$REPO/test/lab/kdump-tools-checks.sh"

kt_prereqs
check_kt
check_kt_failure
check_purged third
[ $failures -eq 0 ] || exit 1
exit 0
