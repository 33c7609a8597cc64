#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of our kexec -s -p (kexec_file_load), issue 12: a kdump cycle
# on the lab kernel (scenario kexec-file-ours) and one on Debian's stock
# kernel (kexec-file-ours-debian). Checked from the host, for each:
#   - our kexec did the load (its path in the step's log) with
#     kexec_file_load (the kernel's elfcorehdr=0x... first on the capture
#     command line);
#   - the common kdump checks (check_scenario, mode ours-file): on the lab
#     kernel the series adds the pmem range with PF_DEV and our makedumpfile
#     keeps the metadata and drops the user data; on the stock kernel the
#     kernel's header has no pmem (STOCK_KERNEL), as with 2.0.25's -s.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"

check_ours_loaded() {
	local s=$1 res=$2 k
	k=$(sed -n 's/.*pmemdump\.kexec=\([^ ]*\).*/\1/p' "$res/first.info.log" | head -n1)
	if [ -n "$k" ] && grep -q "^$k -d -s -p " "$res/first.kexec-ours-file.log" &&
		grep -q '^kexec_file_load: kernel ' "$res/first.kexec-ours-file.log"; then
		pass "$s: the capture kernel was loaded by our kexec -s -p ($k)"
	else
		fail "$s: no load by our kexec -s -p in first.kexec-ours-file.log"
	fi
}

check_prereqs
check_scenario kexec-file-ours ours-file
check_ours_loaded kexec-file-ours "$("$LAB" run-dir kexec-file-ours)"

S=kexec-file-ours-debian
# shellcheck source=debian-checks.sh
. "$REPO/test/lab/debian-checks.sh"
if debian_available; then
	STOCK_KERNEL=1
	check_scenario "$S" ours-file
	check_ours_loaded "$S" "$("$LAB" run-dir "$S")"
	check_debian "$("$LAB" run-dir "$S")"
else
	echo "SKIP: $S: Debian's kernel could not be fetched (scripts/lab debian-kernel)"
fi
[ $failures -eq 0 ] || exit 1
exit 0
