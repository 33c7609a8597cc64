# Scenario kdump-tools-deb: Debian's kdump-tools under systemd on the lab
# kernel (kernel series 1), with the pmemdump package installed over
# Debian's kexec and makedumpfile. Three boots: install and crash; the
# saved dump checked, /var/crash made full and a second crash; the failed
# dump reported, then the package purged. Issue 16.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump-tools.service with the pmemdump .deb, systemd, a dump then a full /var/crash (lab kernel)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_INIT=systemd
SCENARIO_DEBS="linux-base kdump-tools"
SCENARIO_BOOTS="first second third"
KT_FAIL_CYCLE=1
# shellcheck source=../guest/kdump-tools.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-tools.lib.sh"
