# Scenario vm-dump-debian: vm-dump on Debian's stock kernel (no kernel
# series): pvpanic and qemu_fw_cfg are modules there.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="host-side dump of a panicked guest with an NVDIMM (QMP, pvpanic, pmemdump-vm), Debian's kernel"
SCENARIO_KERNEL="debian"
SCENARIO_QMP=1
SCENARIO_QEMU="-device pvpanic -action panic=pause -device vmcoreinfo"
SCENARIO_HOST=vm-dump
SCENARIO_BOOTS="first after"
# shellcheck source=../guest/vm-dump.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/vm-dump.lib.sh"
