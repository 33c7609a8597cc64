# Scenario vm-dump: a guest with an fsdax NVDIMM and no crash kernel,
# dumped by its host through QMP (pmemdump-vm, issue 17) on the lab kernel
# (kernel series 1): a dump of the running guest, then after a sysrq
# panic (pvpanic pauses the guest) a dump in each of pmemdump-vm's modes
# and one of QEMU's unfiltered ELF by our makedumpfile alone; the host's
# reset ends the first boot, a second boot checks the DAX files.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="host-side dump of a panicked guest with an NVDIMM (QMP, pvpanic, pmemdump-vm), lab kernel"
SCENARIO_QMP=1
SCENARIO_QEMU="-device pvpanic -action panic=pause -device vmcoreinfo"
SCENARIO_HOST=vm-dump
SCENARIO_BOOTS="first after"
# shellcheck source=../guest/vm-dump.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/vm-dump.lib.sh"
