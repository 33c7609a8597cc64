# Scenario kexec-reboot: our kexec -l (kexec_load, a kernel for kexec -e,
# in System RAM with the firmware's e820) then kexec -e: the same kernel
# boots again through our purgatory, as stage "second". No crash.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="our kexec -l then kexec -e: a second boot through our purgatory"
SCENARIO_CMDLINE=""
SCENARIO_VMCORE=0

reboot_info() {
	uname -a
	cat /proc/cmdline
	dmesg >"$R/$LAB_STAGE.dmesg"
	grep -c 'BIOS-e820' "$R/$LAB_STAGE.dmesg"
}

# The first kernel's command line, now for stage "second".
second_cmdline() {
	local w words out=()
	read -ra words </proc/cmdline
	for w in "${words[@]}"; do
		case $w in
		pmemdump.stage=* | BOOT_IMAGE=*) ;;
		*) out+=("$w") ;;
		esac
	done
	echo "${out[*]} pmemdump.stage=second"
}

load_normal() {
	local st
	[ -x "${LAB_KEXEC:-}" ] || { echo "the project's kexec is not built"; return 1; }
	"$LAB_KEXEC" -d -l "$LAB_KERNEL/bzImage" --append="$(second_cmdline)" || return 1
	"$LAB_KEXEC" -S -l; st=$?
	echo "status -S -l after-load $st kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	[ "$st" = 1 ]
}

stage_first() {
	step info reboot_info
	step kexec-l load_normal
	marker "STEP kexec-e start"
	sync
	"$LAB_KEXEC" -e
	marker "STEP kexec-e fail"
	lab_finish fail "kexec -e returned"
}

stage_second() {
	step info reboot_info
	lab_finish ok
}
