# Scenario smoke: boot, show the NVDIMM and stop. Checks the runner itself.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="boot the lab kernel, list the NVDIMM, stop (runner self-check)"
SCENARIO_CMDLINE=""
SCENARIO_VMCORE=0

smoke_info() {
	uname -a
	cat /proc/cmdline
	grep -E 'Persistent Memory|System RAM' /proc/iomem
	ndctl list -RN
}

stage_first() {
	step info smoke_info
	lab_finish ok
}
