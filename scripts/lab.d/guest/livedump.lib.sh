# Guest side of the live dump scenarios (issue 14, kernel-patches/0004):
# RAM filled as in the kdump scenarios, a writer keeping pages dirty, live
# dumps through /sys/kernel/livedump to a file on the virtio disk's ext4,
# then a second dump, a cancelled one and one with a buffer too small.
# shellcheck shell=bash

# shellcheck source=kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/kdump-fsdax.lib.sh"

LD=/sys/kernel/livedump
LD_IMAGE=$DISK_MNT/livedump-1.elf
# Seconds a dump may take under TCG before the step gives up.
LD_TIMEOUT=${LD_TIMEOUT:-900}

ld_info() {
	uname -a
	cat /proc/cmdline
	cat /proc/iomem >"$R/first.iomem"
	grep -E '^(MemTotal|MemFree|MemAvailable):' /proc/meminfo
	ls -l "$LD"
	cat "$LD/status"
	echo "recommended_buffer_mb=$(cat "$LD/recommended_buffer_mb")"
}

# Page cache on the disk that will hold the image; tmpfs; anonymous memory.
ld_fill() {
	fill_page_cache || return 1
	fill_tmpfs || return 1
	fill_anon || return 1
	wait_for_file /run/lab/anon.ready 120 || return 1
	grep -E '^(MemTotal|MemFree|Cached|Shmem|AnonPages):' /proc/meminfo
}

# An fsdax namespace (memmap on the device) with ext4 DAX files of marker
# pages, one of them mapped shared: the image must hold the memmap (PF_DEV
# PT_LOADs) and none of the markers. The namespace and pfn device ranges
# are saved for the host.
ld_pmem() {
	make_fsdax || return 1
	mount_dax || return 1
	write_pmem || return 1
	map_dax_file || return 1
	ndctl list -N | tee "$R/first.namespaces.json"
	grep -E 'namespace|pfn|Persistent' /proc/iomem
}

# Keep writing while the dumps run: tmpfs and page cache pages rewritten
# in place (ld-writer.py), so that write faults happen all along; its
# rounds per second are the workload's rate.
ld_writer_start() {
	"$GUEST_DIR/ld-writer.py" /run/lab/writer.count "$TMPFS_MNT/w.dat" "$DISK_MNT/w.dat" \
		</dev/null >/dev/null 2>&1 &
	echo $! >/run/lab/writer.pid
	wait_for_file /run/lab/writer.count 60 || return 1
	echo "writer pid $(cat /run/lab/writer.pid)"
}

# ld_baseline SECONDS [TAG]: the writer's rounds per second over SECONDS,
# without a dump, into first.TAG (default baseline): what the rate during
# a dump (ld_dump) is compared with.
ld_baseline() {
	local c0 c1 t0 t1
	sync
	sleep 2
	c0=$(cat /run/lab/writer.count) t0=$(date +%s.%N)
	sleep "${1:-15}"
	c1=$(cat /run/lab/writer.count) t1=$(date +%s.%N)
	echo "writer_rate=$(echo "scale=3; ($c1 - $c0) / ($t1 - $t0)" | bc)" | tee "$R/first.${2:-baseline}"
}

# The invariant writers of CONFIG_LIVEDUMP_TEST on every CPU; the
# pfns of their pages saved for the checker (livedump-invariants.py).
LT=/sys/kernel/livedump_test
ld_invariants_start() {
	echo 1 >"$LT/start" || return 1
	sleep 1
	cat "$LT/layout" >"$R/first.lt.layout"
	head -c 300 "$R/first.lt.layout"
	echo
	"$GUEST_DIR/livedump-invariants.py" check /proc/kcore "$R/first.lt.layout" || true
}

# A slow copy of the same pages from /proc/kcore, for the host to show
# that it breaks the invariants that the live dump keeps.
ld_kcore_copy() {
	"$GUEST_DIR/livedump-invariants.py" kcore-copy "$R/first.lt.layout" "$R/kcore-copy.elf" 2 || return 1
	"$GUEST_DIR/livedump-invariants.py" check "$R/kcore-copy.elf" "$R/first.lt.layout" || true
}

ld_status() { cat "$LD/status"; }
ld_state() { sed -n 's/^state=//p' "$LD/status"; }

# ld_wait: until the dump is no longer setup/running/writing.
ld_wait() {
	local t=0 s
	while :; do
		s=$(ld_state)
		case $s in
		setup | running | writing) ;;
		*) echo "$s"; return 0 ;;
		esac
		[ $t -lt $((LD_TIMEOUT * 2)) ] || { echo timeout; return 1; }
		sleep 0.5
		t=$((t + 1))
	done
}

# ld_dump TAG TARGET [BUFFER_MB]: one dump, its status saved as
# first.TAG.status; the final state is printed.
ld_dump() {
	local tag=$1 target=$2 mb=${3:-} t0 t1 c0 c1 s
	echo "$target" >"$LD/target" || return 1
	# the size stays set from the last writer (a test's small buffer)
	echo "${mb:-$(cat "$LD/recommended_buffer_mb")}" >"$LD/buffer_mb" || return 1
	echo "buffer_mb=$(cat "$LD/buffer_mb")"
	c0=$(cat /run/lab/writer.count 2>/dev/null || echo 0)
	t0=$(date +%s.%N)
	echo 1 >"$LD/start" || return 1
	s=$(ld_wait)
	t1=$(date +%s.%N)
	c1=$(cat /run/lab/writer.count 2>/dev/null || echo 0)
	ld_status | tee "$R/first.$tag.status"
	echo "wall_seconds=$(echo "$t1 - $t0" | bc)" | tee -a "$R/first.$tag.status"
	echo "writer_rate=$(echo "scale=3; ($c1 - $c0) / ($t1 - $t0)" | bc)" | tee -a "$R/first.$tag.status"
	dmesg | grep 'livedump:' | tail -n 5
	echo "final state: $s"
	[ "$s" = finished ]
}

ld_dump1() {
	ld_dump dump1 "$LD_IMAGE" || return 1
	ls -ls "$LD_IMAGE"
	readelf -hlW "$LD_IMAGE" | head -n 30
	readelf -nW "$LD_IMAGE" | cut -c1-80 | grep -E 'Owner|CORE|VMCOREINFO|LIVEDUMP'
}

ld_dump2() {
	ld_dump dump2 "$DISK_MNT/livedump-2.elf" || return 1
	readelf -h "$LD_IMAGE" | grep -q 'CORE (Core file)'
	rm -f "$DISK_MNT/livedump-2.elf"
}

# The user side (issue 15), the project's livedump beside its makedumpfile
# in the build tree: one `livedump dump --filter` from start to the
# filtered file, timed, its capture removed; --mem-usage's estimate of the
# image beforehand; a start while one runs (busy), an existing output, a
# buffer too small, each refused with its exit status and one line.
ld_cli() {
	local ld=${LAB_OURS%/makedumpfile/makedumpfile}/livedump/livedump
	local out=$DISK_MNT/cli.l31 meta=$R/first.cli.meta t0 t1 rc
	[ -x "$ld" ] && [ -x "${LAB_OURS:-}" ] || { echo "livedump or makedumpfile not built: $ld"; return 1; }
	: >"$meta"
	"$LAB_OURS" --mem-usage --message-level 31 /proc/kcore >"$R/cli.mem-usage.log" 2>&1
	echo "mem_usage_rc=$?" >>"$meta"
	"$ld" status --json >"$R/cli.status-before.json" 2>&1
	echo "status_json_rc=$?" >>"$meta"
	t0=$(date +%s.%N)
	"$ld" dump --makedumpfile "$LAB_OURS" --filter '-l -d 31 --message-level 31' \
		--target "$DISK_MNT/cli-capture.elf" -o "$out" >"$R/cli.dump.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	{
		echo "dump_rc=$rc"
		echo "dump_seconds=$(echo "$t1 - $t0" | bc)"
		echo "capture_left=$([ -e "$DISK_MNT/cli-capture.elf" ] && echo yes || echo no)"
		echo "filtered_bytes=$(stat -c %s "$out" 2>/dev/null)"
		echo "filtered_mode=$(stat -c %a "$out" 2>/dev/null)"
	} >>"$meta"
	cp "$out" "$R/cli.l31" 2>/dev/null
	"$ld" status >"$R/cli.status-after.txt" 2>&1
	# busy: a second start while the first runs
	"$ld" start --target "$DISK_MNT/cli-busy.elf" >"$R/cli.start.log" 2>&1
	echo "start_rc=$?" >>"$meta"
	"$ld" start --target "$DISK_MNT/cli-busy2.elf" >"$R/cli.busy.log" 2>&1
	echo "busy_rc=$?" >>"$meta"
	"$ld" cancel >"$R/cli.cancel.log" 2>&1
	echo "cancel_rc=$?" >>"$meta"
	rm -f "$DISK_MNT/cli-busy.elf" "$DISK_MNT/cli-busy2.elf"
	# an existing output is never overwritten
	"$ld" dump -o "$out" >"$R/cli.exists.log" 2>&1
	echo "exists_rc=$?" >>"$meta"
	echo "exists_bytes=$(stat -c %s "$out")" >>"$meta"
	# a buffer too small for the stop
	"$ld" dump --buffer 4M -o "$DISK_MNT/cli-small.elf" >"$R/cli.small.log" 2>&1
	echo "small_rc=$?" >>"$meta"
	echo "small_left=$([ -e "$DISK_MNT/cli-small.elf" ] && echo yes || echo no)" >>"$meta"
	rm -f "$out" "$DISK_MNT/cli-small.elf"
	cat "$meta"
	[ "$rc" = 0 ]
}

# A dump to a block device: a loop device with direct I/O over a
# preallocated file on the disk. Checked here (ELF core, invariants), as
# the host cannot read the loop device after the run.
ld_bdev() {
	local img=$DISK_MNT/bdev.img dev rc=0
	fallocate -l 1200M "$img" || return 1
	dev=$(losetup -f --show --direct-io=on "$img") || return 1
	echo "target: $dev ($(blockdev --getsize64 "$dev") bytes)"
	ld_dump bdev "$dev" || rc=1
	if [ $rc -eq 0 ]; then
		# readelf takes regular files only: the headers are in the first MiB
		dd if="$dev" of=/tmp/bdev.head bs=1M count=1 status=none || rc=1
		readelf -hW /tmp/bdev.head | grep 'Type:' | tee -a "$R/first.bdev.check"
		readelf -lW /tmp/bdev.head | grep -c '^  LOAD' | sed 's/^/pt_load=/' | tee -a "$R/first.bdev.check"
		if [ -e "$R/first.lt.layout" ]; then
			"$GUEST_DIR/livedump-invariants.py" check "$dev" "$R/first.lt.layout" |
				tee -a "$R/first.bdev.check" || rc=1
		fi
		# the device now holds a finished image: a cancelled dump over
		# it must leave a header that says cancelled
		ld_cancel "$dev" || rc=1
	fi
	losetup -d "$dev"
	rm -f "$img"
	return $rc
}

# ld_ours_on TAG TARGET: our makedumpfile on a target whose dump did not
# finish, as a person at the console would run it: its output and exit
# status in TAG.ours.log, and whether it left a dump file.
ld_ours_on() {
	[ -x "${LAB_OURS:-}" ] || return 0
	rm -f /tmp/ld-bad.out
	"$LAB_OURS" -l -d 31 "$2" /tmp/ld-bad.out >"$R/$1.ours.log" 2>&1
	echo "rc=$?" >>"$R/$1.ours.log"
	echo "out_left=$([ -e /tmp/ld-bad.out ] && echo yes || echo no)" >>"$R/$1.ours.log"
	rm -f /tmp/ld-bad.out
}

# ld_cancel TARGET: a dump cancelled while it runs: the state says so, the
# machine goes on, and TARGET's header (saved as cancel.head) says so too.
ld_cancel() {
	local s target=$1
	echo "$target" >"$LD/target" || return 1
	echo 1 >"$LD/start" || return 1
	while [ "$(ld_state)" = setup ]; do sleep 0.1; done
	sleep 1
	echo 1 >"$LD/cancel"
	s=$(ld_wait)
	ld_status | tee "$R/first.cancel.status"
	dd if="$target" of="$R/cancel.head" bs=1M count=1 status=none || return 1
	ld_ours_on cancel "$target"
	dd if=/dev/zero of="$TMPFS_MNT/after-cancel" bs=1M count=8 2>/dev/null || return 1
	echo "final state: $s"
	[ "$s" = cancelled ]
}

# A buffer too small for what the stop must copy: failed, with a reason.
ld_small() {
	local s
	ld_dump small "$DISK_MNT/livedump-s.elf" 4 && return 1
	s=$(ld_state)
	head -c 1M "$DISK_MNT/livedump-s.elf" >"$R/small.head"
	ld_ours_on small "$DISK_MNT/livedump-s.elf"
	rm -f "$DISK_MNT/livedump-s.elf"
	dd if=/dev/zero of="$TMPFS_MNT/after-small" bs=1M count=8 2>/dev/null || return 1
	[ "$s" = failed ] && grep -q '^reason=.' "$R/first.small.status"
}

# The reference for bench/livedump.sh: all RAM copied from /proc/kcore
# while the writers run (what imaging a running kernel means without live
# dump): its time, the writer's rate meanwhile, and the invariants in it.
ld_kcore_ram() {
	local out=$DISK_MNT/kcore-ram.elf t0 t1 c0 c1 rc=0
	c0=$(cat /run/lab/writer.count) t0=$(date +%s.%N)
	"$GUEST_DIR/livedump-invariants.py" kcore-ram "$out" || rc=1
	t1=$(date +%s.%N) c1=$(cat /run/lab/writer.count)
	{
		echo "wall_seconds=$(echo "$t1 - $t0" | bc)"
		echo "writer_rate=$(echo "scale=3; ($c1 - $c0) / ($t1 - $t0)" | bc)"
		if "$GUEST_DIR/livedump-invariants.py" check "$out" "$R/first.lt.layout" >/tmp/kcore-ram.inv; then
			echo "invariants=hold"
		else
			echo "invariants=broken"
		fi
		echo "invariants_detail=$(tr '\n' ';' </tmp/kcore-ram.inv)"
	} | tee "$R/first.kcore-ram.status"
	rm -f "$out"
	return $rc
}

# The bench's run (scenarios livedump-1g, livedump-2g): fill, writers,
# the writer's rate alone, one live dump (its invariants checked here, as
# the image is not copied out), the rate alone again, then the
# /proc/kcore copy.
ld_bench_stage() {
	step info ld_info
	step fill ld_fill
	step writer ld_writer_start
	step invariants ld_invariants_start
	step baseline ld_baseline 15
	step dump1 ld_dump1
	soft_step invariants-image sh -c \
		"'$GUEST_DIR/livedump-invariants.py' check '$LD_IMAGE' '$R/first.lt.layout' | tee '$R/first.dump1.invariants'"
	rm -f "$LD_IMAGE"
	step baseline-after ld_baseline 15 baseline-after
	step kcore-ram ld_kcore_ram
	dmesg >"$R/first.dmesg"
	lab_finish ok
}

# The end of the run: a reboot while a dump runs. The kernel's reboot
# notifier cancels the dump and waits until its thread has lifted the
# protection; then the machine restarts (QEMU's -no-reboot: it exits 0).
ld_finish_by_reboot() {
	marker "RESULT ok"
	cat "$LD/recommended_buffer_mb" >"$LD/buffer_mb"
	echo "$DISK_MNT/livedump-r.elf" >"$LD/target"
	echo 1 >"$LD/start"
	while [ "$(ld_state)" = setup ]; do sleep 0.1; done
	marker "REBOOT during $(ld_state)"
	sync
	reboot -f
	sleep 60
}

ld_save() {
	kill "$(cat /run/lab/writer.pid)" 2>/dev/null
	[ ! -e "$LT/stop" ] || echo 1 >"$LT/stop"
	echo "writer iterations: $(cat /run/lab/writer.count 2>/dev/null)"
	dd if="$LD_IMAGE" of="$R/livedump-1.elf" bs=4M conv=sparse status=none || return 1
	ls -ls "$R/livedump-1.elf"
	dmesg >"$R/first.dmesg"
}
