# Guest side of the vm-dump scenarios (issue 17): a guest without a crash
# kernel, dumped by its host. The kdump-fsdax fill (fsdax namespace, DAX
# files, page cache, tmpfs, anonymous memory) plus a DAX file mapped
# shared; the host takes a dump of the running guest (pmemdump-vm --now),
# then the guest panics, pvpanic pauses it and the host dumps it again.
# The host side is scripts/lab.d/host/vm-dump.sh; they meet through files
# in the results share. A second boot checks the DAX files survived.
# shellcheck shell=bash

# shellcheck source=kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/kdump-fsdax.lib.sh"

# How long the guest waits for the host's dump of the running guest.
VM_LIVE_WAIT=300

# pvpanic tells QEMU of the panic; qemu_fw_cfg hands QEMU the VMCOREINFO
# (-device vmcoreinfo). Built into the lab kernel, modules in Debian's.
vm_devices() {
	uname -r
	cat /proc/cmdline
	cat /proc/iomem >"$R/first.iomem"
	grep 'Persistent Memory' /proc/iomem || { echo "no Persistent Memory range"; return 1; }
	if grep -q 'Crash kernel' /proc/iomem; then
		echo "a crash kernel reservation: this guest must have none"
		return 1
	fi
	if [ -n "${LAB_MODULES:-}" ]; then
		modprobe pvpanic_mmio || return 1
		modprobe qemu_fw_cfg || return 1
	fi
	ls /sys/bus/platform/drivers/pvpanic-mmio/
	compgen -G '/sys/bus/platform/drivers/pvpanic-mmio/QEMU0001:*' >/dev/null ||
		{ echo "pvpanic-mmio bound no QEMU0001 device"; return 1; }
	ls -l /sys/firmware/qemu_fw_cfg/by_name/etc/vmcoreinfo/ ||
		{ echo "no etc/vmcoreinfo in fw_cfg (-device vmcoreinfo)"; return 1; }
	echo "kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ]
}

# The host dumps the running guest, which must go on running meanwhile.
host_live_dump() {
	local before after
	before=$(cut -d' ' -f1 /proc/uptime)
	sync
	: >"$R/guest.ready"
	wait_for_file "$R/live.done" "$VM_LIVE_WAIT" || return 1
	after=$(cut -d' ' -f1 /proc/uptime)
	echo "the host's live dump came and went: uptime $before -> $after"
	# The fill processes are still there.
	pgrep -f 'lab-fill anon' && pgrep -f 'lab-fill map'
}

stage_first() {
	step devices vm_devices
	step fsdax make_fsdax
	step mount-dax mount_dax
	step write-pmem write_pmem
	step page-cache fill_page_cache
	step tmpfs fill_tmpfs
	step anon fill_anon
	step dax-map map_dax_file
	step live-dump host_live_dump
	dmesg >"$R/first.dmesg"
	sync
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

# The guest restarted by the host: its DAX files are intact.
check_dax_files() {
	local i f
	mkdir -p "$PMEM_MNT"
	mount -o dax /dev/pmem0 "$PMEM_MNT" || return 1
	ls -l "$PMEM_MNT"
	for i in 1 2; do
		f=$PMEM_MNT/pmem-$i.dat
		[ "$(stat -c %s "$f")" = $((64 << 20)) ] || { echo "$f: wrong size"; return 1; }
		[ "$(head -c 16 "$f")" = "$MARK_PMEM" ] || { echo "$f: marker gone"; return 1; }
	done
	echo "both DAX files intact"
}

stage_after() {
	if [ -n "${LAB_MODULES:-}" ]; then
		step modules lab_load_modules
	fi
	step dax-files check_dax_files
	lab_finish ok
}
