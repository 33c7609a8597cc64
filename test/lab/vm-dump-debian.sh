#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# vm-dump (issue 17) on Debian's stock kernel, without the kernel series:
# pmem metadata from the info block, pvpanic and fw_cfg as modules; the
# checks are in vm-dump-checks.sh. Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=vm-dump-checks.sh
. "$REPO/test/lab/vm-dump-checks.sh"
# shellcheck source=debian-checks.sh
. "$REPO/test/lab/debian-checks.sh"

vm_prereqs
debian_prereqs
check_vm_dump vm-dump-debian
[ $failures -eq 0 ] || exit 1
exit 0
