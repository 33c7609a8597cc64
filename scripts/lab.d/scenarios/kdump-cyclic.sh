# Scenario kdump-cyclic: an idle guest crashed into a capture kernel loaded
# with kexec_load(2), its System RAM ending at a pfn that is not a multiple
# of 4. makedumpfile 1.7.2 then works in its cyclic mode (its one-cycle
# buffer, max_mapnr * 2 / 8 bytes rounded down, is a few bits short of both
# bitmaps). Where RAM ends is the firmware's choice: SeaBIOS keeps the top
# pages of low RAM for its tables, so a 1 GiB QEMU guest's RAM ends at
# 0x3ffe0000 (-m 1G alone), 0x3ffdf000 (with nvdimm=on) or, on the lab's
# machine, 0x3ffdc000, a multiple of 4 pages. "memmap=4K$0x3ffdb000"
# reserves the last page, so that RAM ends at pfn 0x3ffdb as on a guest
# ending at 0x3ffdf. Saves kdump-cyclic.vmcore.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kdump cycle, kexec_load, idle guest, RAM ending at pfn 0x3ffdb (makedumpfile 1.7.2 goes cyclic)"
# shellcheck disable=SC2016 # memmap= takes a literal $
SCENARIO_CMDLINE='crashkernel=256M memmap=4K$0x3ffdb000'
SCENARIO_VMCORE=1
KEXEC_MODE="load"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"

cyclic_first_info() {
	uname -a
	cat /proc/cmdline
	cat /proc/iomem >"$R/first.iomem"
	cat /proc/iomem
	grep -q 'Crash kernel' /proc/iomem || { echo "no crash kernel reservation"; return 1; }
	grep -E '^(MemTotal|MemFree):' /proc/meminfo
}

# The capture kernel gets the first kernel's command line minus the crash
# reservation and the memmap= reservation (its memory map comes from kexec).
capture_cmdline() {
	local w words out=()
	read -ra words </proc/cmdline
	for w in "${words[@]}"; do
		case $w in
		crashkernel=* | memmap=* | pmemdump.stage=* | BOOT_IMAGE=*) ;;
		*) out+=("$w") ;;
		esac
	done
	echo "${out[*]} pmemdump.stage=capture maxcpus=1 nr_cpus=1 reset_devices $(capture_nd_off)"
}

stage_first() {
	step info cyclic_first_info
	load_capture_and_crash
}

# makedumpfile 1.7.2 as the capture kernel runs it (its choice of mode
# also depends on the capture kernel's MemFree): the host test compares
# these reports with its own runs on the saved vmcore.
stage_capture() {
	SOFT_FAILED=0
	step info capture_info
	step phdrs vmcore_phdrs
	soft_step makedumpfile-l31 mkdf_l31
	soft_step makedumpfile-E31 mkdf_E31
	step save-vmcore save_vmcore
	dmesg >"$R/capture.dmesg"
	[ "$SOFT_FAILED" = 0 ] || lab_finish fail "a soft step failed"
	lab_finish ok
}
