# Scenario kdump-tools-deb-debian: kdump-tools-deb's install, crash and
# saved dump on Debian's stock kernel (no kernel series: the memmap is found
# through the info block), then the purge. Two boots. Issue 16.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump-tools.service with the pmemdump .deb, systemd, one dump (Debian's kernel)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_KERNEL="debian"
SCENARIO_INIT=systemd
SCENARIO_DEBS="linux-base kdump-tools"
SCENARIO_BOOTS="first second"
KT_FAIL_CYCLE=0
# shellcheck source=../guest/kdump-tools.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-tools.lib.sh"
