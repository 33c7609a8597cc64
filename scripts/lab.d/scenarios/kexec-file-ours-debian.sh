# Scenario kexec-file-ours-debian: our kexec -s -p (kexec_file_load) on
# Debian's stock kernel: the kernel's own crash header, without the series,
# has no pmem. Saves kexec-file-ours-debian.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle on Debian's stock kernel, our kexec -s -p (kexec_file_load: no pmem without the series)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
SCENARIO_KERNEL="debian"
KEXEC_MODE="ours-file"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
