# Guest side of the kdump-fsdax scenarios: an fsdax namespace with an ext4
# DAX file system, RAM filled with page cache, tmpfs and anonymous data, a
# crash through sysrq, and the capture kernel saving /proc/vmcore.
# KEXEC_MODE (load|file) picks kexec_load or kexec_file_load.
# shellcheck shell=bash

PMEM_MNT=/run/lab/pmem
DISK_MNT=/run/lab/disk
TMPFS_MNT=/run/lab/tmpfs
# 16-byte markers, repeated to fill every page, so tests can grep a dump for
# the kind of memory they expect (or expect to be absent, for pmem).
MARK_PMEM=PMEMDUMP-PMEM-MK
MARK_PCACHE=PMEMDUMP-PCAC-MK
MARK_TMPFS=PMEMDUMP-TMPF-MK
MARK_ANON=PMEMDUMP-ANON-MK

# ---------------------------------------------------------------- first kernel

first_info() {
	uname -a
	cat /proc/cmdline
	# The host test compares the vmcore's PT_LOADs with this map.
	cat /proc/iomem >"$R/first.iomem"
	cat /proc/iomem
	grep -q 'Crash kernel' /proc/iomem || { echo "no crash kernel reservation"; return 1; }
	grep -q 'Persistent Memory' /proc/iomem || { echo "no Persistent Memory range"; return 1; }
	grep -E '^(MemTotal|MemFree|MemAvailable):' /proc/meminfo
}

make_fsdax() {
	ndctl list -RN
	ndctl create-namespace -f -e namespace0.0 -m fsdax -M dev
	ls -l /dev/pmem0
}

mount_dax() {
	mkfs.ext4 -F -q /dev/pmem0
	mkdir -p "$PMEM_MNT"
	mount -o dax /dev/pmem0 "$PMEM_MNT"
	grep pmem0 /proc/mounts
	grep pmem0 /proc/mounts | grep -q dax
}

write_pmem() {
	local i
	for i in 1 2; do
		"$LAB_TOOLS/lab-fill" file "$PMEM_MNT/pmem-$i.dat" "$MARK_PMEM" 64
	done
	sync
	ls -l "$PMEM_MNT"
	head -c 32 "$PMEM_MNT/pmem-1.dat"
	echo
}

# The first DAX file mapped shared and write-faulted, so that its pmem
# pages belong to its mapping at the dump; its inode and first block
# tell the host which struct page to show in crash.
map_dax_file() {
	local f=$PMEM_MNT/pmem-1.dat block
	"$LAB_TOOLS/lab-fill" map "$f" /run/lab/map.ready </dev/null &
	wait_for_file /run/lab/map.ready 120 || return 1
	filefrag -v "$f" | head -n 6
	block=$(filefrag -v "$f" | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
	[ -n "$block" ] || { echo "no first extent for $f"; return 1; }
	{
		echo "inode=$(stat -c %i "$f")"
		echo "first_block=$block"
		echo "block_size=$(stat -f -c %S "$f")"
	} | tee "$R/dax-file.meta"
}

# Page cache on an ordinary (non-DAX) ext4 on a virtio disk: a and b are
# re-read after dropping caches (clean pages without buffers), c is written
# last and keeps its buffer heads (private cache pages).
fill_page_cache() {
	mkfs.ext4 -F -q /dev/vda
	mkdir -p "$DISK_MNT"
	mount /dev/vda "$DISK_MNT"
	"$LAB_TOOLS/lab-fill" file "$DISK_MNT/a.dat" "$MARK_PCACHE" 96
	"$LAB_TOOLS/lab-fill" file "$DISK_MNT/b.dat" "$MARK_PCACHE" 64
	sync
	echo 3 >/proc/sys/vm/drop_caches
	cat "$DISK_MNT/a.dat" "$DISK_MNT/b.dat" >/dev/null
	"$LAB_TOOLS/lab-fill" file "$DISK_MNT/c.dat" "$MARK_PCACHE" 64
	grep -E '^(Buffers|Cached|Dirty):' /proc/meminfo
}

fill_tmpfs() {
	mkdir -p "$TMPFS_MNT"
	mount -t tmpfs -o size=160M tmpfs "$TMPFS_MNT"
	"$LAB_TOOLS/lab-fill" file "$TMPFS_MNT/t.dat" "$MARK_TMPFS" 96
	grep -E '^Shmem:' /proc/meminfo
}

# The filler stays alive (sleeping) so its pages are in use at the crash.
fill_anon() {
	"$LAB_TOOLS/lab-fill" anon "$MARK_ANON" 128 32 /run/lab/anon.ready </dev/null &
	wait_for_file /run/lab/anon.ready 300
	grep -E '^(AnonPages|MemFree|MemAvailable):' /proc/meminfo
}

# What keeps libnvdimm from finding the pmem in the capture kernel, where it
# could rewrite labels, info blocks or the memmap on the device while the
# dump is taken: with NFIT built in (the lab kernel) its initcall is
# blacklisted; where nfit is a module (Debian's kernel, pmemdump.modules=)
# the module is: nothing in the lab loads it there and udev does not run,
# but a blacklisted module cannot be loaded at all.
capture_nd_off() {
	if [ -n "${LAB_MODULES:-}" ]; then
		echo module_blacklist=nfit
	else
		echo initcall_blacklist=nfit_init
	fi
}

# The capture kernel gets the first kernel's command line minus the crash
# reservation, plus what keeps it small and off the NVDIMM.
capture_cmdline() {
	local w words out=()
	read -ra words </proc/cmdline
	for w in "${words[@]}"; do
		case $w in
		crashkernel=* | pmemdump.stage=* | BOOT_IMAGE=*) ;;
		*) out+=("$w") ;;
		esac
	done
	echo "${out[*]} pmemdump.stage=capture maxcpus=1 nr_cpus=1 reset_devices $(capture_nd_off)"
}

load_capture() {
	local args cmd kexec=kexec
	case $KEXEC_MODE in
	load) args=(-p) ;;            # kexec_load(2)
	file) args=(-s -p) ;;         # kexec_file_load(2)
	ours) args=(-d -p ${KEXEC_OURS_ARGS:-}) ;; # our kexec_load, pmem in the header
	ours-file) args=(-d -s -p) ;;  # our kexec, kexec_file_load(2)
	*) echo "bad KEXEC_MODE $KEXEC_MODE"; return 1 ;;
	esac
	if [ "$KEXEC_MODE" = ours ] || [ "$KEXEC_MODE" = ours-file ]; then
		[ -x "${LAB_KEXEC:-}" ] || { echo "the project's kexec is not built"; return 1; }
		kexec=$LAB_KEXEC
	fi
	cmd=$(capture_cmdline)
	# The capture kernel boots with the first kernel's initramfs, if it has
	# one (Debian's kernel needs it to mount the 9p root).
	[ -n "${LAB_INITRD:-}" ] && args+=(--initrd="$LAB_INITRD")
	echo "$kexec ${args[*]} $LAB_KERNEL/bzImage --append=\"$cmd\""
	"$kexec" "${args[@]}" "$LAB_KERNEL/bzImage" --append="$cmd"
	echo "kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	echo "$KEXEC_MODE" >"$R/kexec-mode"
	# Last, so that a failed load fails the step.
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
}

before_crash() {
	cat /proc/meminfo
	dmesg >"$R/first.dmesg"
	sync
}

stage_first() {
	step info first_info
	step fsdax make_fsdax
	step mount-dax mount_dax
	step write-pmem write_pmem
	step page-cache fill_page_cache
	step tmpfs fill_tmpfs
	step anon fill_anon
	step mem-usage mem_usage
	load_capture_and_crash
}

# What a dump of the running system would hold: makedumpfile 1.7.2's
# --mem-usage and ours, which also counts pmem metadata and user data.
mem_usage() {
	makedumpfile --mem-usage /proc/kcore >"$R/mem-usage.mkdf" 2>&1 ||
		echo "makedumpfile --mem-usage failed (see mem-usage.mkdf)"
	if [ -n "${LAB_OURS:-}" ] && [ -x "$LAB_OURS" ]; then
		"$LAB_OURS" --mem-usage --message-level 31 /proc/kcore >"$R/mem-usage.ours" \
			2>"$R/mem-usage.ours.log" </dev/null
		cat "$R/mem-usage.ours"
	fi
}

# Our kexec's -S/-p -u beside Debian's 2.0.25 on the same kernel: the exit
# statuses scripts rely on (1 loaded, 0 not), after each load and unload.
# Ends with nothing loaded; the host test compares the two columns.
kexec_status_peer() {
	local cmd k st initrd=()
	cmd=$(capture_cmdline)
	[ -n "${LAB_INITRD:-}" ] && initrd=(--initrd="$LAB_INITRD")
	for k in "$LAB_KEXEC" /sbin/kexec; do
		"$k" -p "${initrd[@]}" "$LAB_KERNEL/bzImage" --append="$cmd" || return 1
		"$k" -S -p; st=$?
		echo "status $k after-load $st crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
		"$k" -S -l; st=$?
		echo "status $k normal $st"
		# Ours records the load for pmem-kdump check (kexec(8), FILES).
		[ "$k" = "$LAB_KEXEC" ] && cp /run/pmemdump/kexec-crash.load "$R/kexec-crash.load.after-load"
		# 2.0.25 reads its flags in order: "-u -p" is a load with no
		# kernel there ("No kernel specified"); "-p -u" unloads in both.
		"$k" -p -u || return 1
		"$k" -S -p; st=$?
		echo "status $k after-unload $st crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
		[ "$k" = "$LAB_KEXEC" ] && [ -e /run/pmemdump/kexec-crash.load ] &&
			echo "record left after unload"
	done
	# Ours also takes "-u -p", and loads and unloads with kexec_file_load.
	"$LAB_KEXEC" -p "${initrd[@]}" "$LAB_KERNEL/bzImage" --append="$cmd" || return 1
	"$LAB_KEXEC" -u -p || return 1
	"$LAB_KEXEC" -S -p; st=$?
	echo "status $LAB_KEXEC u-p-unload $st crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	"$LAB_KEXEC" -s -p "${initrd[@]}" "$LAB_KERNEL/bzImage" --append="$cmd" || return 1
	"$LAB_KEXEC" -S -p; st=$?
	echo "status $LAB_KEXEC file-load $st crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	"$LAB_KEXEC" -u -s -p || return 1
	"$LAB_KEXEC" -S -p; st=$?
	echo "status $LAB_KEXEC file-unload $st crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
}

# Loads our kexec must refuse, each with one line and nothing loaded: as
# an unprivileged user, and with an initrd larger than the reservation.
kexec_refusals() {
	local cmd rc big=/run/lab/big.initrd
	cmd=$(capture_cmdline)
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$LAB_KEXEC" -p "$LAB_KERNEL/bzImage" --append="$cmd" 2>"$R/refusal.nonroot"
	rc=$?
	echo "refusal nonroot rc=$rc loaded=$(cat /sys/kernel/kexec_crash_loaded) lines=$(wc -l <"$R/refusal.nonroot") $(cat "$R/refusal.nonroot")"
	truncate -s 300M "$big"
	"$LAB_KEXEC" -p "$LAB_KERNEL/bzImage" --initrd="$big" --append="$cmd" 2>"$R/refusal.toobig"
	rc=$?
	rm -f "$big"
	echo "refusal toobig rc=$rc loaded=$(cat /sys/kernel/kexec_crash_loaded) lines=$(wc -l <"$R/refusal.toobig") $(cat "$R/refusal.toobig")"
}

# Last before the crash (lockdown cannot be lowered): with the kernel locked
# down, kexec_load is refused with its reason and the loaded image stays.
kexec_lockdown() {
	local rc lf=/sys/kernel/security/lockdown
	[ -e "$lf" ] || mount -t securityfs securityfs /sys/kernel/security || return 1
	cat "$lf"
	echo integrity >"$lf" || return 1
	cat "$lf"
	"$LAB_KEXEC" -p "$LAB_KERNEL/bzImage" --append="$(capture_cmdline)" 2>"$R/refusal.lockdown"
	rc=$?
	echo "refusal lockdown rc=$rc loaded=$(cat /sys/kernel/kexec_crash_loaded) lines=$(wc -l <"$R/refusal.lockdown") $(cat "$R/refusal.lockdown")"
}

# What pmem-kdump list says the dump will hold; the host compares it with
# our makedumpfile's report from the crash that follows.
pk_list() {
	"$LAB_NDCTL_HELPERS" list | tee "$R/pk-list.json"
}

# Load the capture kernel, note memory, and crash into it.
load_capture_and_crash() {
	if [ -x "${LAB_NDCTL_HELPERS:-}" ]; then
		soft_step pmem-kdump-list pk_list
	fi
	if [ "$KEXEC_MODE" = ours ]; then
		step kexec-status kexec_status_peer
		step kexec-refusals kexec_refusals
	fi
	step "kexec-$KEXEC_MODE" load_capture
	step meminfo before_crash
	if [ "${KEXEC_LOCKDOWN_CHECK:-0}" = 1 ]; then
		step kexec-lockdown kexec_lockdown
	fi
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	# Only reached if the crash did not happen.
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

# ------------------------------------------------------------- capture kernel

capture_info() {
	cat /proc/cmdline
	cat /proc/iomem >"$R/capture.iomem"
	cat /proc/iomem
	ls -l /proc/vmcore
	grep -E '^(MemTotal|MemFree|MemAvailable):' /proc/meminfo
	grep -c ^processor /proc/cpuinfo
}

# Libnvdimm must not have claimed the NVDIMM in the capture kernel.
check_nd_off() {
	local d found=()
	echo "/sys/bus/nd/devices:"
	ls -la /sys/bus/nd/devices/ 2>&1 || true
	echo "pmem and dax devices:"
	ls /dev/pmem* /dev/dax* 2>/dev/null || echo "(none)"
	for d in /sys/bus/nd/devices/* /dev/pmem* /dev/dax*; do
		[ -e "$d" ] && found+=("${d##*/}")
	done
	if [ ${#found[@]} -gt 0 ]; then
		echo "libnvdimm is active in the capture kernel: ${found[*]}"
		return 1
	fi
	echo "libnvdimm saw no NVDIMM"
}

vmcore_phdrs() {
	readelf -lW /proc/vmcore | tee "$R/vmcore.phdrs"
}

mkdf_l31() {
	time makedumpfile -l -d 31 --message-level 31 /proc/vmcore "$R/mkdf.l31.dump"
}

mkdf_E31() {
	time makedumpfile -E -d 31 --message-level 31 /proc/vmcore "$R/mkdf.E31.elf"
}

save_vmcore() {
	local want got
	time dd if=/proc/vmcore of="$R/vmcore" bs=1M
	want=$(stat -c %s /proc/vmcore)
	got=$(stat -c %s "$R/vmcore")
	echo "vmcore size $want, saved $got"
	[ "$want" = "$got" ]
}

ours_E31() {
	time "$LAB_OURS" --message-level 31 -E -d 31 /proc/vmcore "$R/ours.E31.elf"
}

stage_capture() {
	SOFT_FAILED=0
	step info capture_info
	step nd-off check_nd_off
	step phdrs vmcore_phdrs
	step makedumpfile-l31 mkdf_l31
	step makedumpfile-E31 mkdf_E31
	step save-vmcore save_vmcore
	if [ -n "${LAB_OURS:-}" ] && [ -x "$LAB_OURS" ]; then
		soft_step ours-E31 ours_E31
	else
		skip_step ours-E31 "project makedumpfile not built"
	fi
	dmesg >"$R/capture.dmesg"
	[ "$SOFT_FAILED" = 0 ] || lab_finish fail "a soft step failed"
	lab_finish ok
}
