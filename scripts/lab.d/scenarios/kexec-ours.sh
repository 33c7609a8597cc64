# Scenario kexec-ours: the kdump-fsdax cycle with the project's kexec
# (kexec_load, `kexec -d -p`): its crash header adds the pmem range with
# PF_DEV, its purgatory checks every segment. Before the load, -S/-u are
# compared with Debian's kexec 2.0.25. Saves kexec-ours.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, our kexec -p (kexec_load, pmem PF_DEV in the crash header)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="ours"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
