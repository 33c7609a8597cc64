# Scenario purgatory-corrupt: our kexec -p with --debug-corrupt=kernel (one
# byte of the kernel segment flipped after its digest), then a crash. The
# purgatory must refuse the segment, say so on the serial console and halt:
# no capture kernel starts, so the run never finishes by itself; the host
# test (test/lab/purgatory-corrupt.sh) watches the serial log and ends QEMU.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="our kexec -p with a corrupted kernel segment: the purgatory must not boot it"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=0
KEXEC_MODE="ours"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"

load_corrupt() {
	[ -x "${LAB_KEXEC:-}" ] || { echo "the project's kexec is not built"; return 1; }
	"$LAB_KEXEC" -d -p --debug-corrupt=kernel "$LAB_KERNEL/bzImage" --append="$(capture_cmdline)"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
}

# After kernel.kexec_load_disabled=1 a load is refused with its reason, and
# the loaded image stays (the kernel checks before it frees the old one).
load_disabled() {
	local rc
	sysctl -w kernel.kexec_load_disabled=1
	"$LAB_KEXEC" -p "$LAB_KERNEL/bzImage" --append="$(capture_cmdline)" 2>"$R/refusal.disabled"
	rc=$?
	echo "refusal disabled rc=$rc loaded=$(cat /sys/kernel/kexec_crash_loaded) lines=$(wc -l <"$R/refusal.disabled") $(cat "$R/refusal.disabled")"
}

stage_first() {
	step info first_info
	step kexec-corrupt load_corrupt
	step kexec-disabled load_disabled
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

stage_capture() {
	lab_finish fail "the capture kernel started from a corrupted segment"
}
