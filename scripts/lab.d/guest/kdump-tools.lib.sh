# Guest side of the kdump-tools scenarios (issue 16): Debian's kdump-tools
# under systemd, with the pmemdump package installed over Debian's kexec and
# makedumpfile. Needs pmemdump.init=systemd (a persistent root, systemd as
# PID 1), pmemdump.deb= (our .deb) and pmemdump.debs= (kdump-tools and
# linux-base, downloaded by the host).
#
# Boots (SCENARIO_BOOTS), each a QEMU run on the same disks:
#   first   before systemd: install kdump-tools and our package; under
#           systemd: kdump-tools.service has loaded the capture kernel with
#           our kexec; an fsdax namespace with marker files; crash.
#   capture kdump-tools-dump.service saves the dump with our makedumpfile
#           and reboots (QEMU exits).
#   second  the saved dump checked and handed to the host; with
#           KT_FAIL_CYCLE=1 a full /var/crash, and a second crash whose
#           failed dump must be reported; otherwise the purge.
#   third   (KT_FAIL_CYCLE=1) the failure as kdump-tools and pmemdump
#           report it, then the purge.
# shellcheck shell=bash

# shellcheck source=kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/kdump-fsdax.lib.sh"

KT_DEFAULTS=/etc/default/kdump-tools
KT_RECORD=/var/lib/pmemdump/last-capture
KT_HOOK=/lib/lsb/init-functions.d/60-pmemdump
KT_DROPIN=/lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf
KT_NFIT_DROPIN=/lib/systemd/system/kdump-tools.service.d/pmemdump.conf
# A small file system over /var/crash for the failure cycle.
KT_SMALL_IMG=/var/lib/lab-small-crash.img

# ----------------------------------------------------- first boot, no systemd

kt_install() {
	local f
	# While no systemd runs, a package's start would run the init script
	# here and now: kdump-tools must load only under systemd, at boot.
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	export DEBIAN_FRONTEND=noninteractive
	# man-db's trigger would index every manual page over 9p (minutes).
	rm -f /var/lib/man-db/auto-update
	for f in "$LAB_DEBS"/linux-base_*.deb "$LAB_DEBS"/kdump-tools_*.deb "$LAB_DEB"; do
		[ -f "$f" ] || { echo "missing package $f"; return 1; }
	done
	dpkg -i "$LAB_DEBS"/linux-base_*.deb "$LAB_DEBS"/kdump-tools_*.deb || return 1
	dpkg -i "$LAB_DEB" || return 1
	rm -f /usr/sbin/policy-rc.d
	dpkg-divert --list | grep pmemdump
	[ "$(dpkg-divert --list | grep -c 'by pmemdump$')" = 4 ] || { echo "not 4 diversions"; return 1; }
	/sbin/kexec --version
	/sbin/kexec.distrib --version
	/usr/bin/makedumpfile -v
	/usr/bin/makedumpfile.distrib -v
	/sbin/kexec.distrib --version 2>&1 | grep -q 'kexec-tools 2.0.25' || return 1
	/sbin/kexec --version 2>&1 | grep -q pmemdump || return 1
	/usr/bin/makedumpfile.distrib -v 2>&1 | grep -q 'makedumpfile: version 1.7.2' || return 1
	/usr/bin/makedumpfile -v 2>&1 | grep -q pmemdump || return 1
	systemctl is-enabled kdump-tools.service
	grep -E '^[A-Z_]+=' "$KT_DEFAULTS"
}

# What a real machine has and the lab's shared root does not: the running
# kernel in /boot, and for a modular kernel the kdump initrd (kdump-tools
# builds it with mkinitramfs, which the host lacks; the lab initramfs knows
# the 9p root). The lab kernel needs no initrd: KDUMP_INITRD is emptied as
# an admin would.
kt_seed() {
	local kver
	kver=$(uname -r)
	cp "$LAB_KERNEL/bzImage" "/boot/vmlinuz-$kver"
	if [ -n "${LAB_INITRD:-}" ]; then
		mkdir -p /var/lib/kdump
		cp "$LAB_INITRD" "/var/lib/kdump/initrd.img-$kver"
		# kdump-config deletes the initrd when the sysctls it was built
		# with are not these, to have it rebuilt (check_sysctl_change).
		cp /etc/kdump/sysctl.conf "/var/lib/kdump/latest_sysctls-$kver"
	else
		sed -i 's|^KDUMP_INITRD=.*|KDUMP_INITRD=|' "$KT_DEFAULTS"
	fi
	ls -l /boot "$KT_DEFAULTS" /var/lib/kdump
}

preinit_first() {
	step systemd-units lab_systemd_units
	step install kt_install
	step seed kt_seed
}

# The lab's look into the capture kernel, before kdump-tools saves: what
# the kernel booted with, and whether libnvdimm left the NVDIMM alone.
kt_capture_probe_unit() {
	mkdir -p /etc/systemd/system/kdump-tools-dump.service.d
	cat >/etc/systemd/system/kdump-tools-dump.service.d/lab-probe.conf <<-UNIT
		[Service]
		ExecStartPre=-$GUEST_DIR/stage --capture-probe
	UNIT
}

# ------------------------------------------------ first boot, under systemd

# kdump-tools.service loaded the capture kernel at boot with our kexec, and
# the package's hook gave the capture command line its libnvdimm guard
# without a line in the admin's file.
kt_loaded() {
	systemctl status --no-pager kdump-tools.service
	kdump-config status
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || { echo "no crash kernel loaded"; return 1; }
	cat /var/crash/kexec_cmd
	grep -q '^/sbin/kexec -p ' /var/crash/kexec_cmd || { echo "kexec_cmd is not /sbin/kexec -p"; return 1; }
	cat /run/pmemdump/kexec-crash.load
	cp /run/pmemdump/kexec-crash.load "$R/$LAB_STAGE.kexec-crash.load"
	cp /var/crash/kexec_cmd "$R/$LAB_STAGE.kexec_cmd"
	grep -qx 'syscall=kexec_load' /run/pmemdump/kexec-crash.load || return 1
	grep -q '^cmdline=.*module_blacklist=nfit' /run/pmemdump/kexec-crash.load || return 1
	if grep -q '^KDUMP_CMDLINE_APPEND=' "$KT_DEFAULTS"; then
		echo "the admin file sets KDUMP_CMDLINE_APPEND: the test needs the hook's"
		return 1
	fi
}

kt_check() {
	local rc=0
	pmem-kdump check -j >"$R/$LAB_STAGE.check.json" || rc=$?
	pmem-kdump check || true
	echo "pmem-kdump check exit $rc"
	echo "$rc" >"$R/$LAB_STAGE.check.rc"
	[ "$rc" = "${1:-0}" ]
}

stage_first() {
	# udev loads the NVDIMM modules of a modular kernel by itself; loading
	# them here makes the namespace step not race it.
	[ -n "${LAB_MODULES:-}" ] && step modules lab_load_modules
	step info first_info
	step kdump-loaded kt_loaded
	step fsdax make_fsdax
	step mount-dax mount_dax
	step write-pmem write_pmem
	step check kt_check 0
	step probe-unit kt_capture_probe_unit
	step meminfo before_crash
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

# -------------------------------------------------------------- capture kernel

# Run by the lab-probe drop-in (guest/stage --capture-probe).
kt_capture_probe() {
	{
		cat /proc/cmdline
		ls -l /proc/vmcore
		check_nd_off
	} >"$R/capture.$(date +%s).probe" 2>&1
}

# --------------------------------------------------------- second boot

# The newest dump directory kdump-tools made.
kt_newest_dir() {
	find /var/crash -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | tail -n 1
}

kt_dump_saved() {
	local dir dump dmesg
	dir=$(kt_newest_dir)
	[ -n "$dir" ] || { echo "no dump directory in /var/crash"; return 1; }
	ls -la "$dir"
	stat -c '%a %n' "$dir" "$dir"/* | tee "$R/$LAB_STAGE.modes"
	dump=$(find "$dir" -name 'dump.*' | head -n 1)
	dmesg=$(find "$dir" -name 'dmesg.*' | head -n 1)
	if [ -z "$dump" ] || [ -z "$dmesg" ]; then
		echo "dump or dmesg file missing"
		return 1
	fi
	cat "$KT_RECORD"
	cp "$KT_RECORD" "$R/$LAB_STAGE.last-capture"
	cp "$dmesg" "$R/kt.dmesg"
	# kdump-tools writes -F's flattened stream; -R rebuilds the dump.
	/usr/bin/makedumpfile -R "$R/kt.dump" <"$dump" || return 1
	ls -l "$R/kt.dump"
	basename "$dir" >"$R/kt.stamp"
}

# A full /var/crash for the next capture: a file system of 8 MiB mounted
# there by fstab, in this kernel and in the capture kernel.
kt_fill_coredir() {
	mkdir -p /var/crash/full
	truncate -s 8M "$KT_SMALL_IMG"
	mkfs.ext4 -q -F "$KT_SMALL_IMG" || return 1
	echo "$KT_SMALL_IMG /var/crash ext4 loop 0 0" >>/etc/fstab
	systemctl daemon-reload
	mount /var/crash || return 1
	df -h /var/crash
}

# What the package left behind must be nothing, and Debian's tools back.
kt_purge() {
	local rc=0 v
	DEBIAN_FRONTEND=noninteractive dpkg -P pmemdump || return 1
	dpkg-divert --list | grep pmemdump && { echo "diversions left"; rc=1; }
	v=$(/sbin/kexec --version 2>&1)
	echo "/sbin/kexec --version: $v"
	grep -q 'kexec-tools 2.0.25' <<<"$v" || rc=1
	v=$(/usr/bin/makedumpfile -v 2>&1 | head -n 1)
	echo "/usr/bin/makedumpfile -v: $v"
	grep -q 'version 1.7.2' <<<"$v" || rc=1
	for f in "$KT_HOOK" "$KT_DROPIN" "$KT_NFIT_DROPIN" /usr/sbin/pmem-kdump /var/lib/pmemdump; do
		[ -e "$f" ] && { echo "left after purge: $f"; rc=1; }
	done
	# postrm reloaded kdump-tools with Debian's kexec.
	kdump-config status
	cat /var/crash/kexec_cmd
	cp /var/crash/kexec_cmd "$R/purged.kexec_cmd"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || { echo "not reloaded after purge"; rc=1; }
	return $rc
}

stage_second() {
	step kdump-loaded kt_loaded
	step dump-saved kt_dump_saved
	step check kt_check 0
	if [ "${KT_FAIL_CYCLE:-0}" = 1 ]; then
		step fill-coredir kt_fill_coredir
		step meminfo before_crash
		marker "STEP panic start"
		echo c >/proc/sysrq-trigger
		marker "STEP panic fail"
		lab_finish fail "sysrq-c returned"
	fi
	step purge kt_purge
	lab_finish ok
}

# --------------------------------------------------------- third boot

kt_failure_reported() {
	cat "$KT_RECORD"
	cp "$KT_RECORD" "$R/$LAB_STAGE.last-capture"
	ls -laR /var/crash
	grep -qx 'status=failed' "$KT_RECORD" || { echo "the record does not say failed"; return 1; }
	umount /var/crash
	sed -i "\|^$KT_SMALL_IMG |d" /etc/fstab
	systemctl daemon-reload
}

stage_third() {
	step failure-reported kt_failure_reported
	step check kt_check 3
	step purge kt_purge
	lab_finish ok
}
