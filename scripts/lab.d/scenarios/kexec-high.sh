# Scenario kexec-high: a 4 GiB guest booted with crashkernel=256M,high, so
# the kernel reserves two "Crash kernel" ranges: crashk_res above 4 GiB and
# crashk_low_res below. Our kexec -d -p places every segment in the high
# one; the capture kernel gets both as RAM and the dump leaves both out.
# Slim cycle: an fsdax namespace with DAX files, no RAM fill, no vmcore
# copy (4 GiB); our makedumpfile -E -d 31 runs on /proc/vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="4 GiB guest, crashkernel=256M,high (two ranges): our kexec -p uses the high one"
SCENARIO_CMDLINE="crashkernel=256M,high"
SCENARIO_MEM=4
SCENARIO_VMCORE=0
KEXEC_MODE="ours"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"

high_info() {
	first_info || return 1
	[ "$(grep -c 'Crash kernel' /proc/iomem)" = 2 ] || { echo "want two Crash kernel ranges"; return 1; }
}

stage_first() {
	step info high_info
	step fsdax make_fsdax
	step mount-dax mount_dax
	step write-pmem write_pmem
	step "kexec-$KEXEC_MODE" load_capture
	step meminfo before_crash
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

stage_capture() {
	SOFT_FAILED=0
	step info capture_info
	step nd-off check_nd_off
	step phdrs vmcore_phdrs
	if [ -n "${LAB_OURS:-}" ] && [ -x "$LAB_OURS" ]; then
		step ours-E31 ours_E31
	else
		skip_step ours-E31 "project makedumpfile not built"
	fi
	dmesg >"$R/capture.dmesg"
	lab_finish ok
}
