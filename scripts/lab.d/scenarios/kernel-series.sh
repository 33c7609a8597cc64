# Scenario kernel-series: checks of kernel-patches/ (doc/kernel-patches.md).
# First kernel: the device-backed memmap list in VMCOREINFO, read through
# /sys/kernel/vmcoreinfo and /proc/kcore, for fsdax and devdax with map=dev
# and gone with map=mem; then a DAX file whose pages are mapped, and a
# kexec_file_load kdump cycle. Capture kernel: the pmem PT_LOAD (PF_DEV) in
# /proc/vmcore, the list and the file's data read from /proc/vmcore, and the
# vmcore saved as kernel-series.vmcore for the host's struct page checks.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="kernel series: memmap list in VMCOREINFO, pmem PT_LOAD with kexec_file_load"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=1
KEXEC_MODE="file"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"

PMDUMP=$GUEST_DIR/pmem-metadata.py
SERIES_FILE=pmem-series.dat
SERIES_MB=8

# VMCOREINFO of the running kernel: the note at the physical address that
# /sys/kernel/vmcoreinfo gives, read through /proc/kcore.
series_vmcoreinfo() {
	local where
	where=$(cat /sys/kernel/vmcoreinfo)
	echo "/sys/kernel/vmcoreinfo: $where"
	# shellcheck disable=SC2086 # two words: address and size
	"$PMDUMP" vmcoreinfo /proc/kcore $where >"$R/first.vmcoreinfo"
	grep devm_memmap_vmcore "$R/first.vmcoreinfo"
	[ "$(grep -c devm_memmap_vmcore "$R/first.vmcoreinfo")" = 5 ]
}

# The pfn (fsdax) or dax (devdax) device of namespace0.0 that a driver holds.
ns_pfn_dev() {
	local d
	for d in /sys/bus/nd/devices/pfn* /sys/bus/nd/devices/dax*; do
		[ -e "$d/namespace" ] && [ -e "$d/driver" ] || continue
		[ "$(cat "$d/namespace")" = namespace0.0 ] && { echo "$d"; return 0; }
	done
	return 1
}

# series_state TAG: the list as the running kernel has it (walked through
# /proc/kcore) and what sysfs says about the namespace, for the host test.
series_state() {
	local tag=$1 d out=$R/first.state-$1
	ndctl list -N -n namespace0.0
	d=$(ns_pfn_dev) || d=
	{
		echo "ns_resource=$(cat /sys/bus/nd/devices/namespace0.0/resource)"
		echo "ns_size=$(cat /sys/bus/nd/devices/namespace0.0/size)"
		echo "ns_mode=$(ndctl list -N -n namespace0.0 | sed -n 's/.*"mode":"\([a-z]*\)".*/\1/p')"
		echo "ns_map=$(ndctl list -N -n namespace0.0 | sed -n 's/.*"map":"\([a-z]*\)".*/\1/p')"
		if [ -n "$d" ]; then
			echo "pfn_dev=${d##*/}"
			echo "pfn_resource=$(cat "$d/resource")"
			echo "pfn_size=$(cat "$d/size")"
			echo "pfn_align=$(cat "$d/align")"
		fi
	} >"$out.sysfs"
	"$PMDUMP" list /proc/kcore "$R/first.vmcoreinfo" >"$out.list"
	echo "$tag sysfs:"
	cat "$out.sysfs"
	echo "$tag list (start end, physical, end exclusive):"
	cat "$out.list"
}

reconfigure() {
	ndctl create-namespace -f -e namespace0.0 "$@"
}

series_fsdax_dev() { reconfigure -m fsdax -M dev && series_state fsdax-dev; }
series_devdax_dev() { reconfigure -m devdax -M dev && series_state devdax-dev; }
series_fsdax_mem() { reconfigure -m fsdax -M mem && series_state fsdax-mem; }
series_final() { reconfigure -m fsdax -M dev && series_state final; }

# A marker file on the DAX mount, then read through a shared mapping so that
# every page is faulted in and its struct page gets the file's mapping and
# index (write(2) to a DAX file does not associate pages).
series_dax_file() {
	local f=$PMEM_MNT/$SERIES_FILE
	"$LAB_TOOLS/lab-fill" file "$f" "$MARK_PMEM" "$SERIES_MB"
	sync
	/usr/bin/python3 - "$f" <<'EOF'
import mmap, sys
with open(sys.argv[1], "r+b") as f:
    m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
    pages = sum(1 for off in range(0, len(m), 4096) if m[off:off + 16] == b"PMEMDUMP-PMEM-MK")
    print("mapped pages with the marker:", pages, "of", len(m) // 4096)
    m.close()
EOF
	stat -c 'ino=%i size=%s' "$f" | tee "$R/first.daxfile"
	filefrag -v -b4096 "$f" | tee "$R/first.filefrag"
	grep -q '^ *0: *0\.\.' "$R/first.filefrag"
}

series_vmcore() {
	"$PMDUMP" loads /proc/vmcore | tee "$R/capture.loads"
	"$PMDUMP" vmcoreinfo /proc/vmcore >"$R/capture.vmcoreinfo"
	grep devm_memmap_vmcore "$R/capture.vmcoreinfo"
	"$PMDUMP" list /proc/vmcore "$R/capture.vmcoreinfo" | tee "$R/capture.list"
}

stage_first() {
	step info first_info
	step vmcoreinfo series_vmcoreinfo
	step fsdax-dev series_fsdax_dev
	step devdax-dev series_devdax_dev
	step fsdax-mem series_fsdax_mem
	step final-dev series_final
	step mount-dax mount_dax
	step dax-file series_dax_file
	load_capture_and_crash
}

stage_capture() {
	step info capture_info
	step nd-off check_nd_off
	step phdrs vmcore_phdrs
	step vmcore-list series_vmcore
	step save-vmcore save_vmcore
	dmesg >"$R/capture.dmesg"
	lab_finish ok
}
