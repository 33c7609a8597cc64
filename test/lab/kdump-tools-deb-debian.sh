#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the pmemdump Debian package inside Debian's kdump-tools
# on Debian's own stock kernel (issue 16), scenario kdump-tools-deb-debian:
# the checks of kdump-tools-deb.sh for the install, the load at boot, the
# saved dump and the purge, with no kernel patch (the pmem memmap is found
# through the namespace's info block), in two boots.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
S=kdump-tools-deb-debian
# shellcheck source=kdump-tools-checks.sh
. "$REPO/test/lab/kdump-tools-checks.sh"
# shellcheck source=debian-checks.sh
. "$REPO/test/lab/debian-checks.sh"

debian_prereqs
kt_prereqs
check_kt
check_purged second
[ $failures -eq 0 ] || exit 1
exit 0
