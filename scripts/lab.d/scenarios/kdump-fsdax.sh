# Scenario kdump-fsdax: full kdump cycle, capture kernel loaded with
# kexec_load(2) (`kexec -p`). Saves the vmcore as kdump-fsdax.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, kexec_load (kexec -p), ext4-DAX on fsdax pmem, RAM filled"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="load"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
