# Scenario kdump-debian: the kdump-fsdax cycle on Debian's own stock kernel
# (linux-image-amd64, without the kernel series), capture kernel loaded with
# Debian's kexec 2.0.25 (`kexec -p`, kexec_load) and the lab's initramfs for
# that kernel. Saves kdump-debian.vmcore. The same cycle with our kexec is
# this file with KEXEC_MODE="ours".
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle on Debian's stock kernel, kexec_load (Debian's kexec -p), ext4-DAX on fsdax pmem, RAM filled"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
SCENARIO_KERNEL="debian"
KEXEC_MODE="load"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
