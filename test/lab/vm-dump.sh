#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the host-side dump of a guest with an NVDIMM (issue 17),
# scenario vm-dump on the lab kernel (kernel series 1); the checks are in
# vm-dump-checks.sh. Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=vm-dump-checks.sh
. "$REPO/test/lab/vm-dump-checks.sh"

vm_prereqs
check_vm_dump vm-dump
[ $failures -eq 0 ] || exit 1
exit 0
