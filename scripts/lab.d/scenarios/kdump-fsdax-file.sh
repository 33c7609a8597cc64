# Scenario kdump-fsdax-file: as kdump-fsdax, but the capture kernel is loaded
# with kexec_file_load(2) (`kexec -s -p`). Saves kdump-fsdax-file.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, kexec_file_load (kexec -s -p), ext4-DAX on fsdax pmem, RAM filled"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="file"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
