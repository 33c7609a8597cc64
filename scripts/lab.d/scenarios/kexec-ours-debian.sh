# Scenario kexec-ours-debian: the kexec-ours cycle on Debian's own stock
# kernel (no kernel series): our kexec_load header brings the pmem range
# into /proc/vmcore, and our makedumpfile finds the memmap through the
# namespace's info block. Last before the crash, lockdown=integrity is
# raised and a further kexec_load must be refused. Saves kexec-ours-debian.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle on Debian's stock kernel, our kexec -p (kexec_load, pmem PF_DEV in the crash header)"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
SCENARIO_KERNEL="debian"
KEXEC_MODE="ours"
# Debian's kernel has the lockdown LSM (the lab kernel does not): raise it
# to integrity just before the crash and check the refusal.
KEXEC_LOCKDOWN_CHECK=1
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
