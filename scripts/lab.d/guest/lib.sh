# Helpers for guest-side scenario scripts. Sourced by guest/init.
# shellcheck shell=bash disable=SC2034 # SOFT_FAILED is read by scenarios
#
# The host reads the serial log for these markers:
#   PMEMDUMP-STEP <name> start|ok|fail|skip [note]
#   PMEMDUMP-RESULT ok|fail
# and finds each step's full output in the results share as
# <stage>.<name>.log.

R=/run/lab/results
# Most lines a step prints to the serial console; the full log is in $R.
STEP_CONSOLE_LINES=120

marker() { echo "PMEMDUMP-$*"; }

# pmemdump.key=value from the command line, as LAB_KEY=value.
lab_cmdline_vars() {
	local arg key words
	read -ra words </proc/cmdline
	for arg in "${words[@]}"; do
		case $arg in
		pmemdump.*=*)
			key=${arg%%=*}
			key=${key#pmemdump.}
			printf -v "LAB_${key^^}" '%s' "${arg#*=}"
			;;
		esac
	done
}

# Run the scenario's function for this stage (first, capture, second, ...).
lab_run_stage() {
	if declare -F "stage_$LAB_STAGE" >/dev/null; then
		"stage_$LAB_STAGE"
	else
		lab_finish fail "scenario $LAB_SCENARIO has no stage $LAB_STAGE"
	fi
}

# pmemdump.init=systemd: the 9p root stays read-only, and /etc, /usr, /var
# and /boot become overlays whose upper layers are on the run's disk
# (/dev/vda, made ext4 by the host), so that what one boot installs is there
# in the capture kernel and in the next boot (/bin, /sbin and /lib are links
# into /usr on the host). After a crash the upper file system is mounted
# again with its journal replayed; the overlay work directories are kept.
LAB_PERSIST=/run/lab/persist
lab_persistent_root() {
	local d
	mkdir -p "$LAB_PERSIST"
	mount -t ext4 /dev/vda "$LAB_PERSIST" || return 1
	for d in etc usr var boot; do
		mkdir -p "$LAB_PERSIST/$d/upper" "$LAB_PERSIST/$d/work" || return 1
		mount -t overlay -o "lowerdir=/$d,upperdir=$LAB_PERSIST/$d/upper,workdir=$LAB_PERSIST/$d/work" \
			overlay "/$d" || return 1
	done
}

# systemd as on a server, minus what the host enabled for itself: the
# host's enabled units and the serial getty are masked, and the default
# target runs the scenario's stage (guest/stage) after basic.target, where
# kdump-tools.service loads the capture kernel. Written into the persistent
# /etc once, in the first boot.
lab_systemd_units() {
	local etc=/etc/systemd/system u
	for u in "$etc"/*.wants/* serial-getty@ttyS0.service getty.target systemd-firstboot.service; do
		u=${u##*/}
		[ -e "$etc/$u" ] && [ ! -L "$etc/$u" ] && continue
		ln -sfn /dev/null "$etc/$u"
	done
	rm -rf "$etc"/*.wants
	cat >"$etc/pmemdump-lab.service" <<-UNIT
		[Unit]
		Description=pmemdump lab stage
		After=basic.target kdump-tools.service

		[Service]
		Type=oneshot
		ExecStart=$GUEST_DIR/stage
		StandardOutput=tty
		StandardError=tty
		TTYPath=/dev/ttyS0
	UNIT
	cat >"$etc/pmemdump-lab.target" <<-UNIT
		[Unit]
		Description=pmemdump lab
		Requires=basic.target pmemdump-lab.service
		After=basic.target pmemdump-lab.service
		AllowIsolate=yes
	UNIT
	ln -sfn "$etc/pmemdump-lab.target" "$etc/default.target"
	: >/etc/fstab
}

# Stop the guest without poweroff (which QEMU ignored in this setup): an
# immediate reboot plus QEMU's -no-reboot makes QEMU exit with status 0.
lab_finish() {
	local result=$1
	shift
	[ $# -gt 0 ] && echo "lab: $*"
	marker "RESULT $result"
	sync
	echo b >/proc/sysrq-trigger
	sleep 60
}

# run_step NAME CMD...: run CMD, log it to $R as the step NAME, mark it
# ok or fail on the console; returns CMD's status.
run_step() {
	local name=$1 log rc=0
	shift
	log=$R/$LAB_STAGE.$name.log
	marker "STEP $name start"
	"$@" >"$log" 2>&1 || rc=$?
	tail -n "$STEP_CONSOLE_LINES" "$log"
	if [ "$rc" -eq 0 ]; then
		marker "STEP $name ok"
	else
		marker "STEP $name fail rc=$rc"
	fi
	return "$rc"
}

# step NAME CMD...: a step later steps depend on: a failure ends the run.
step() {
	run_step "$@" || lab_finish fail "step $1 failed"
}

# soft_step NAME CMD...: like step, but the run goes on after a failure
# (used for tools under development whose failure must not cost the vmcore).
soft_step() {
	run_step "$@" || SOFT_FAILED=1
}

skip_step() {
	marker "STEP $1 skip $2"
}

# Wait up to $2 seconds for file $1 to appear.
wait_for_file() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# The drivers the lab kernel has built in (test/lab/kernel.config), for a
# modular kernel: NFIT and libnvdimm (nfit), pmem and BTT block devices,
# device DAX, ext4 and the virtio disk. The Persistent Memory resource
# appears when nfit binds, so /proc/iomem is checked after it.
LAB_MODULE_LIST=(nfit nd_pmem nd_btt dax_pmem device_dax ext4 virtio_blk)

lab_load_modules() {
	local m
	uname -r
	# One at a time, with the uptime: on a modular kernel this step is
	# part of the boot time.
	for m in "${LAB_MODULE_LIST[@]}"; do
		echo "uptime $(cut -d' ' -f1 /proc/uptime): modprobe $m"
		modprobe "$m" || return 1
	done
	echo "uptime $(cut -d' ' -f1 /proc/uptime): done"
	lsmod
	grep 'Persistent Memory' /proc/iomem
	ndctl list -BDRN
}
