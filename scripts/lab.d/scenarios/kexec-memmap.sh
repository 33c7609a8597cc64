# Scenario kexec-memmap: the kexec-ours cycle with `kexec --pmem=memmap`:
# the crash header's pmem PT_LOAD covers the namespace's start up to its
# data (info block and device memmap), so /proc/vmcore never exposes pmem
# user data. Saves kexec-memmap.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, our kexec -p --pmem=memmap (only the device memmap in the crash header)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="ours"
KEXEC_OURS_ARGS="--pmem=memmap"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
