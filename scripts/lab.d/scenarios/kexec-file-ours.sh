# Scenario kexec-file-ours: the kdump-fsdax cycle with our kexec -s -p
# (kexec_file_load): the kernel builds the crash header, with pmem PF_DEV
# from the kernel series. Saves kexec-file-ours.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, our kexec -s -p (kexec_file_load; pmem from the kernel series)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="ours-file"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
