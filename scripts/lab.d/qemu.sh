# QEMU runner for the VM lab.
# shellcheck shell=bash

SCENARIO_DIR=$REPO/scripts/lab.d/scenarios
# Hard limit for one run (both kernels). A cycle takes 1-2 minutes under TCG.
LAB_TIMEOUT=${PMEMDUMP_LAB_TIMEOUT:-600}
NVDIMM_SIZE=1G
DISK_SIZE=512M

list_scenarios() {
	local f
	for f in "$SCENARIO_DIR"/*.sh; do
		printf '%-18s %s\n' "$(basename "$f" .sh)" "$(scenario_var "$f" SCENARIO_DESC)"
	done
}

# Read one variable from a scenario file without running its guest code.
scenario_var() {
	(
		# shellcheck disable=SC1090
		. "$1" >/dev/null 2>&1
		eval "printf '%s' \"\${$2:-}\""
	)
}

scenario_file() {
	local f=$SCENARIO_DIR/$1.sh
	[ -f "$f" ] || die "unknown scenario '$1' (scripts/lab list)"
	echo "$f"
}

# The project's own makedumpfile, if it has been built: the capture kernel
# runs it next to the reference one. With PMEMDUMP_BUILD set (an out-of-tree
# build dir) only that build counts; an in-tree binary might be stale.
ours_binary() {
	local b=$REPO/makedumpfile/makedumpfile
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/makedumpfile/makedumpfile
	if [ -f "$b" ] && [ -x "$b" ]; then
		readlink -f "$b"
	fi
}

# The project's pmem-kdump (ndctl-helpers/), if built (same rule as ours_binary).
ours_pmem_kdump() {
	local b=$REPO/ndctl-helpers/pmem-kdump
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/ndctl-helpers/pmem-kdump
	if [ -f "$b" ] && [ -x "$b" ]; then
		readlink -f "$b"
	fi
}

# The project's kexec, if built (same rule as ours_binary).
ours_kexec() {
	local b=$REPO/kexec-tools/kexec
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/kexec-tools/kexec
	if [ -f "$b" ] && [ -x "$b" ]; then
		readlink -f "$b"
	fi
}

# Small static helper that fills guest memory; rebuilt when its source changes.
build_fill_helper() {
	local out=$1/lab-fill src=$REPO/test/lab/lab-fill.c
	mkdir -p "$1"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		gcc -O2 -Wall -static -o "$out" "$src" || die "cannot build $src"
	fi
}

# A scenario's NVDIMMs: SCENARIO_NVDIMMS (default 1) of NVDIMM_SIZE each,
# with a label area of SCENARIO_NVDIMM_LABEL_SIZE (QEMU's label-size=, e.g.
# 128K; default none: one label-less namespace per NVDIMM). The first
# NVDIMM's backing file is nvdimm.img, the others nvdimmN.img. Set by
# run_scenario; the defaults give the one-NVDIMM command line every
# scenario had before.
LAB_NVDIMMS=1
LAB_NVDIMM_LABEL_SIZE=
# RAM in GiB: SCENARIO_MEM (default 1); room for 3 GiB of NVDIMMs beside it.
LAB_MEM=1

# Bytes of a QEMU size with an optional K/M/G suffix.
size_bytes() {
	local n=${1%[KMG]}
	case $1 in
	*K) echo $((n << 10)) ;;
	*M) echo $((n << 20)) ;;
	*G) echo $((n << 30)) ;;
	*) echo "$n" ;;
	esac
}

# The backing file of an NVDIMM: QEMU takes the label area from its end, so
# with labels it grows by the label size and the persistent memory stays
# NVDIMM_SIZE (a region of 1 GiB - 128 KiB would leave the next NVDIMM's
# region, and so its namespaces, misaligned to ndctl's 16 MiB).
nvdimm_backing_size() {
	if [ -n "$LAB_NVDIMM_LABEL_SIZE" ]; then
		echo $(($(size_bytes "$NVDIMM_SIZE") + $(size_bytes "$LAB_NVDIMM_LABEL_SIZE")))
	else
		echo "$NVDIMM_SIZE"
	fi
}

nvdimm_image() {
	local work=$1 i=$2
	if [ "$i" -eq 1 ]; then echo "$work/nvdimm.img"; else echo "$work/nvdimm$i.img"; fi
}

# Fresh, sparse backing files each run: a stale namespace or file system from
# an earlier run must not leak into this one.
prepare_work() {
	local work=$1 i
	mkdir -p "$work"
	rm -rf "$work/results" "$work"/nvdimm*.img "$work/disk.img" "$work/serial.log" "$work/qmp.sock"
	mkdir -p "$work/results"
	for ((i = 1; i <= LAB_NVDIMMS; i++)); do
		truncate -s "$(nvdimm_backing_size)" "$(nvdimm_image "$work" "$i")"
	done
	truncate -s "${LAB_DISK:-$DISK_SIZE}" "$work/disk.img"
}

# QEMU arguments of the NVDIMMs (see LAB_NVDIMMS), one per line.
nvdimm_args() {
	local work=$1 i
	for ((i = 1; i <= LAB_NVDIMMS; i++)); do
		echo -object
		echo "memory-backend-file,id=mem$i,share=on,mem-path=$(nvdimm_image "$work" "$i"),size=$(nvdimm_backing_size)"
		echo -device
		echo "nvdimm,id=nv$i,memdev=mem$i${LAB_NVDIMM_LABEL_SIZE:+,label-size=$LAB_NVDIMM_LABEL_SIZE}"
	done
}

# The pmemdump .deb built by scripts/test (test/deb/build.sh) beside the
# plain build, or PMEMDUMP_DEB; the scenarios that install it need it.
ours_deb() {
	local d
	if [ -n "${PMEMDUMP_DEB:-}" ]; then
		readlink -f "$PMEMDUMP_DEB"
		return
	fi
	d=$REPO/build/deb
	[ -n "${PMEMDUMP_BUILD:-}" ] && d=$(dirname "$PMEMDUMP_BUILD")/deb
	find "$d" -maxdepth 1 -name 'pmemdump_*_amd64.deb' 2>/dev/null | sort | tail -n 1 | xargs -r readlink -f
}

# Debian's packages a scenario installs in the guest (SCENARIO_DEBS),
# downloaded once into the cache; nothing is installed on the host.
DEB_CACHE=${PMEMDUMP_DEB_CACHE:-/var/cache/pmemdump/debs}
fetch_debs() {
	local p missing=()
	mkdir -p "$DEB_CACHE"
	for p in "$@"; do
		compgen -G "$DEB_CACHE/${p}_*.deb" >/dev/null || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "downloading ${missing[*]} into $DEB_CACHE"
	(cd "$DEB_CACHE" && apt-get download "${missing[@]}" >&2) || die "apt-get download ${missing[*]} failed"
}

# pmemdump.initrd= and pmemdump.modules= only for a kernel that needs them
# (Debian's): the capture kernel is loaded with the same initramfs, and the
# guest makes the modules dir visible under /lib/modules.
guest_cmdline() {
	local name=$1 kdir=$2 work=$3 extra=$4 initrd=${5:-} modules=${6:-} ours kexec pk deb=
	deb=${LAB_DEB:-}
	ours=$(ours_binary || true)
	kexec=$(ours_kexec || true)
	pk=$(ours_pmem_kdump || true)
	echo "console=ttyS0 panic=-1 root=/dev/root rootfstype=9p" \
		"rootflags=trans=virtio,version=9p2000.L,msize=262144 ro" \
		"init=$GUEST_DIR/init" \
		"pmemdump.scenario=$name pmemdump.stage=first" \
		"pmemdump.kernel=$kdir pmemdump.tools=$work/bin" \
		${initrd:+"pmemdump.initrd=$initrd"} ${modules:+"pmemdump.modules=$modules"} \
		${ours:+"pmemdump.ours=$ours"} ${kexec:+"pmemdump.kexec=$kexec"} \
		${pk:+"pmemdump.ndctl_helpers=$pk"} \
		${LAB_INIT:+"pmemdump.init=$LAB_INIT"} ${deb:+"pmemdump.deb=$deb" "pmemdump.debs=$DEB_CACHE"} $extra
}

# The project's pmemdump-vm, if built (same rule as ours_binary).
ours_vmdump() {
	local b=$REPO/vmdump/pmemdump-vm
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/vmdump/pmemdump-vm
	if [ -f "$b" ] && [ -x "$b" ]; then
		readlink -f "$b"
	fi
}

# A scenario's extra QEMU devices (SCENARIO_QEMU, split on blanks) and, with
# SCENARIO_QMP=1, a QMP socket in the work directory for its host side.
LAB_QEMU_EXTRA=()
LAB_QMP=

# -no-reboot turns the guest's final sysrq-b (and panic=-1) into a QEMU exit.
run_qemu() {
	local kdir=$1 work=$2 cmdline=$3 initrd=${4:-} serial=${5:-$2/serial.log} nvdimm=() qmp=()
	mapfile -t nvdimm < <(nvdimm_args "$work")
	[ -n "$LAB_QMP" ] && qmp=(-qmp "unix:$LAB_QMP,server=on,wait=off")
	timeout -k 10 "$LAB_TIMEOUT" qemu-system-x86_64 \
		-nodefaults -display none -monitor none -no-reboot \
		-accel tcg,thread=multi -smp 2 \
		-machine pc,nvdimm=on -m "${LAB_MEM}G,slots=2,maxmem=$((LAB_MEM + 3))G" \
		"${nvdimm[@]}" \
		-kernel "$kdir/bzImage" ${initrd:+-initrd "$initrd"} -append "$cmdline" \
		-fsdev local,id=rootfs,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=rootfs,mount_tag=/dev/root \
		-fsdev local,id=results,path="$work/results",security_model=none \
		-device virtio-9p-pci,fsdev=results,mount_tag=results \
		-drive file="$work/disk.img",if=virtio,format=raw \
		"${LAB_QEMU_EXTRA[@]}" "${qmp[@]}" \
		-serial file:"$serial" </dev/null >&2
}

# SCENARIO_HOST=NAME: scripts/lab.d/host/NAME.sh runs on the host beside
# the first boot's QEMU (it may speak QMP to it), with its output in
# results/host.log and its exit status in results/host.rc. It gets the run's
# paths and the project's tools in its environment.
start_host_side() {
	local name=$1 work=$2 kdir=$3 hook=$REPO/scripts/lab.d/host/$1.sh
	[ -f "$hook" ] || die "SCENARIO_HOST: no $hook"
	(
		export LAB_QMP LAB_WORK_DIR=$work LAB_RESULTS=$work/results LAB_KDIR=$kdir
		export LAB_VMDUMP LAB_OURS
		LAB_VMDUMP=$(ours_vmdump || true)
		LAB_OURS=$(ours_binary || true)
		rc=0
		timeout -k 10 "$LAB_TIMEOUT" bash "$hook" >"$work/results/host.log" 2>&1 </dev/null || rc=$?
		echo "$rc" >"$work/results/host.rc"
	) &
	LAB_HOST_PID=$!
}

# After QEMU is gone the host side has nothing to wait for: a short grace.
finish_host_side() {
	local i
	for ((i = 0; i < 300; i++)); do
		kill -0 "$LAB_HOST_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$LAB_HOST_PID" 2>/dev/null; then
		pkill -TERM -P "$LAB_HOST_PID" 2>/dev/null
		kill "$LAB_HOST_PID" 2>/dev/null
	fi
	wait "$LAB_HOST_PID" 2>/dev/null
	say "host side: exit $(cat "$LAB_WORK_RESULTS/host.rc" 2>/dev/null || echo none) (results/host.log)"
}

# Decide from the serial log whether the run worked; say which step failed.
check_serial() {
	local log=$1 rc=$2 failed last
	failed=$(grep -a -m1 '^PMEMDUMP-STEP .* fail' "$log" | tr -d '\r' || true)
	last=$(grep -a '^PMEMDUMP-STEP ' "$log" | tail -n1 | tr -d '\r' || true)
	if [ -n "$failed" ]; then
		failed=${failed#PMEMDUMP-STEP }
		say "FAILED: step '${failed%% *}' failed (${failed#* })"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		say "FAILED: timed out after ${LAB_TIMEOUT}s; last step marker: ${last:-none}"
	elif ! grep -aq '^PMEMDUMP-RESULT ok' "$log"; then
		say "FAILED: no completion marker (qemu exit $rc); last step marker: ${last:-none}"
	elif [ "$rc" -ne 0 ]; then
		say "FAILED: qemu exited with status $rc"
	else
		return 0
	fi
	say "--- tail of $log ---"
	tail -n 40 "$log" | tr -d '\r' >&2
	return 1
}

# Keep the captured vmcore at a stable path with what is needed to read it.
save_vmcore() {
	local name=$1 kdir=$2 work=$3 dst
	[ -f "$work/results/vmcore" ] || return 0
	grep -aq '^PMEMDUMP-STEP save-vmcore ok' "$work/serial.log" || return 0
	mkdir -p "$VMCORE_CACHE"
	dst=$VMCORE_CACHE/$name.vmcore
	mv -f "$work/results/vmcore" "$dst"
	ln -sfn "$dst" "$work/results/vmcore"
	{
		echo "scenario=$name"
		echo "vmcore=$dst"
		echo "vmlinux=$kdir/vmlinux"
		echo "system_map=$kdir/System.map"
		sed -n 's/^\(hash\|release\)=/kernel_&/p' "$kdir/meta"
		echo "kexec_mode=$(cat "$work/results/kexec-mode" 2>/dev/null || echo none)"
		echo "results=$work/results"
		echo "saved=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$VMCORE_CACHE/$name.meta"
	say "saved vmcore: $dst (metadata: $VMCORE_CACHE/$name.meta)"
}

# The kernel a scenario runs (its SCENARIO_KERNEL): "lab" (the default), the
# lab's build with the kernel series, or "debian", Debian's stock kernel,
# which needs an initramfs and its modules. Sets KDIR, KINITRD, KMODULES.
scenario_kernel() {
	KINITRD='' KMODULES=''
	case ${1:-lab} in
	lab) KDIR=$(build_kernel) ;;
	debian)
		KDIR=$(debian_kernel)
		KINITRD=$(debian_initrd "$KDIR")
		KMODULES=$(debian_modules "$KDIR")
		;;
	*) die "unknown SCENARIO_KERNEL '$1' (lab or debian)" ;;
	esac
}

run_scenario() {
	local name=$1 sfile kdir work cmdline start rc=0 boots stage host first
	sfile=$(scenario_file "$name")
	need_cmd qemu-system-x86_64 timeout gcc truncate
	scenario_kernel "$(scenario_var "$sfile" SCENARIO_KERNEL)"
	kdir=$KDIR
	work=$LAB_WORK/$name
	LAB_MEM=$(scenario_var "$sfile" SCENARIO_MEM)
	LAB_MEM=${LAB_MEM:-1}
	[[ $LAB_MEM =~ ^[1-9][0-9]?$ ]] || die "SCENARIO_MEM must be GiB (1-99), not '$LAB_MEM'"
	LAB_NVDIMMS=$(scenario_var "$sfile" SCENARIO_NVDIMMS)
	LAB_NVDIMMS=${LAB_NVDIMMS:-1}
	LAB_NVDIMM_LABEL_SIZE=$(scenario_var "$sfile" SCENARIO_NVDIMM_LABEL_SIZE)
	# The virtio disk's size (SCENARIO_DISK, truncate's units; default
	# DISK_SIZE): a live dump of the guest's RAM is written there.
	LAB_DISK=$(scenario_var "$sfile" SCENARIO_DISK)
	mkdir -p "$work"
	# One run per scenario at a time: they share the work directory.
	exec 9>"$work/.lock"
	flock -n 9 || die "another run of $name is in progress"
	prepare_work "$work"
	build_fill_helper "$work/bin"
	LAB_INIT=$(scenario_var "$sfile" SCENARIO_INIT)
	LAB_DEB=
	if [ "$LAB_INIT" = systemd ]; then
		# The persistent root's disk (lab_persistent_root, guest/lib.sh).
		mkfs.ext4 -q -F "$work/disk.img" || die "mkfs.ext4 $work/disk.img failed"
	fi
	if [ -n "$(scenario_var "$sfile" SCENARIO_DEBS)" ]; then
		# shellcheck disable=SC2046 # a list of package names
		fetch_debs $(scenario_var "$sfile" SCENARIO_DEBS)
		LAB_DEB=$(ours_deb)
		[ -n "$LAB_DEB" ] || die "no pmemdump .deb built (test/deb/build.sh, or set PMEMDUMP_DEB)"
	fi
	boots=$(scenario_var "$sfile" SCENARIO_BOOTS)
	read -ra LAB_QEMU_EXTRA <<<"$(scenario_var "$sfile" SCENARIO_QEMU)"
	LAB_QMP=
	[ "$(scenario_var "$sfile" SCENARIO_QMP)" = 1 ] && LAB_QMP=$work/qmp.sock
	host=$(scenario_var "$sfile" SCENARIO_HOST)
	LAB_WORK_RESULTS=$work/results
	first=${boots:-first}
	first=${first%% *}
	start=$(now)
	: >"$work/serial.log"
	for stage in ${boots:-first}; do
		cmdline=$(guest_cmdline "$name" "$kdir" "$work" "$(scenario_var "$sfile" SCENARIO_CMDLINE)" \
			"$KINITRD" "$KMODULES")
		cmdline=${cmdline/pmemdump.stage=first/pmemdump.stage=$stage}
		say "running $name${boots:+ (boot $stage)} on $(sed -n 's/^release=//p' "$kdir/meta") (serial log: $work/serial.log, timeout ${LAB_TIMEOUT}s)"
		rc=0
		[ -n "$host" ] && [ "$stage" = "$first" ] && start_host_side "$host" "$work" "$kdir"
		if [ -z "$boots" ]; then
			# One boot: serial.log itself, live (purgatory-corrupt's test
			# watches it while QEMU runs).
			run_qemu "$kdir" "$work" "$cmdline" "$KINITRD" || rc=$?
		else
			run_qemu "$kdir" "$work" "$cmdline" "$KINITRD" "$work/serial.$stage.log" || rc=$?
			cat "$work/serial.$stage.log" >>"$work/serial.log"
		fi
		[ -n "$host" ] && [ "$stage" = "$first" ] && finish_host_side
		echo "seconds_after_${stage}=$(elapsed "$start")" >>"$work/results/boots.meta"
		# A boot that ends in a capture kernel's reboot has no result line;
		# a failed step or QEMU's own failure ends the run there.
		[ "$rc" -eq 0 ] || break
		[ -z "$boots" ] ||
			! grep -aq '^PMEMDUMP-STEP .* fail\|^PMEMDUMP-RESULT fail' "$work/serial.$stage.log" || break
	done
	echo "seconds=$(elapsed "$start")" >"$work/results/run.meta"
	echo "qemu_rc=$rc" >>"$work/results/run.meta"
	if [ "$(scenario_var "$sfile" SCENARIO_VMCORE)" = 1 ]; then
		save_vmcore "$name" "$kdir" "$work"
	fi
	check_serial "$work/serial.log" "$rc" || die "scenario $name failed (results: $work/results)"
	say "scenario $name ok in $(elapsed "$start") s"
	echo "$work/results"
}
