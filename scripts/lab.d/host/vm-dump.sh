# Host side of the vm-dump scenarios (scripts/lab.d/qemu.sh runs it beside
# QEMU, see SCENARIO_HOST): what a host admin does with a guest that has an
# NVDIMM and no crash kernel. Each step prints "HOST-STEP NAME rc=N" for
# test/lab/vm-dump.sh; the dumps go to the results share.
#   1. pmemdump-vm --now: a dump of the running guest, which goes on;
#   2. after the guest's panic (pvpanic pauses it): pmemdump-vm --full
#      --after pause (QEMU dumps the NVDIMMs too, into a private memfd);
#   3. QEMU's own unfiltered ELF, as virsh dump would take it, in a 0700
#      directory, filtered by our makedumpfile without --pmem-range (the
#      guest's ACPI NFIT), then removed; the same with QEMU's kdump-zlib
#      output, rebuilt with -R first;
#   4. pmemdump-vm in its default mode (RAM from QEMU, pmem metadata from
#      the NVDIMM's backing file), then the reset that ends the boot.
# shellcheck shell=bash
set -uo pipefail
R=$LAB_RESULTS
MDF_OPTS=(-l -d 31 --message-level 31)
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

host_step() {
	local name=$1 rc=0 t0
	shift
	t0=$(date +%s%N)
	echo "HOST-STEP $name start"
	"$@" || rc=$?
	echo "HOST-STEP $name rc=$rc ms=$((($(date +%s%N) - t0) / 1000000))"
	return "$rc"
}

wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	echo "timed out after $2 s waiting for $1"
	return 1
}

vmdump() {
	local log=$1
	shift
	"$LAB_VMDUMP" --qmp "$LAB_QMP" --makedumpfile "$LAB_OURS" "$@" >"$R/$log" 2>&1
	local rc=$?
	cat "$R/$log"
	return "$rc"
}

qemu_elf() {
	local dir=$LAB_WORK_DIR/private elf
	elf=$dir/qemu.elf
	rm -rf "$dir"
	mkdir -m 0700 "$dir" || return 1
	python3 "$HERE/qmp-dump.py" "$LAB_QMP" "$elf" || return 1
	stat -c '%A %s %n' "$elf" | tee "$R/qemu-elf.ls"
	readelf -lW "$elf" | tee "$R/qemu-elf.phdrs"
	# What QEMU's output holds of the DAX files, at the NVDIMM's addresses.
	python3 "$LAB_REPO/test/lab/pmem-pages.py" count-from "$elf" "$(nvdimm_base)" | tee "$R/qemu-elf.pmem-marker"
	"$LAB_OURS" "${MDF_OPTS[@]}" "$elf" "$R/nfit.dump" >"$R/nfit.log" 2>&1
	local rc=$?
	cat "$R/nfit.log"
	rm -rf "$dir"
	return "$rc"
}

# QEMU's kdump-zlib output (flattened in 7.2): rebuilt with -R, then
# filtered; pmem again from the guest's NFIT, the format having no flags.
qemu_kdump() {
	local dir=$LAB_WORK_DIR/private rc=0
	rm -rf "$dir"
	mkdir -m 0700 "$dir" || return 1
	python3 "$HERE/qmp-dump.py" "$LAB_QMP" "$dir/qemu.flat" kdump-zlib || return 1
	stat -c '%A %s %n' "$dir/qemu.flat"
	"$LAB_OURS" -R "$dir/qemu.kdump" <"$dir/qemu.flat" || rc=1
	[ "$rc" = 0 ] && { "$LAB_OURS" "${MDF_OPTS[@]}" "$dir/qemu.kdump" "$R/kdump.dump" >"$R/kdump.log" 2>&1 || rc=1; }
	cat "$R/kdump.log" 2>/dev/null
	rm -rf "$dir"
	return "$rc"
}

# The NVDIMM's guest-physical address, as QEMU reports it.
nvdimm_base() {
	python3 - "$LAB_QMP" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile('rw')
f.readline()
for cmd in ('qmp_capabilities', 'query-memory-devices'):
    f.write(json.dumps({'execute': cmd}) + '\n'); f.flush()
    while True:
        m = json.loads(f.readline())
        if 'return' in m or 'error' in m:
            break
print(hex(m['return'][0]['data']['addr']))
PY
}

[ -x "${LAB_VMDUMP:-}" ] || { echo "pmemdump-vm is not built"; exit 1; }
[ -x "${LAB_OURS:-}" ] || { echo "makedumpfile (ours) is not built"; exit 1; }
LAB_REPO=$(cd "$HERE/../../.." && pwd)
wait_for "$R/guest.ready" 500 || exit 1
host_step live vmdump vm.live.log --now --after cont "$R/live.dump" -- "${MDF_OPTS[@]}"
: >"$R/live.done"
host_step full vmdump vm.full.log --full --after pause --timeout 300 "$R/full.dump" -- "${MDF_OPTS[@]}" || exit 1
host_step qemu-elf qemu_elf
host_step qemu-kdump qemu_kdump
host_step backing vmdump vm.backing.log "$R/crash.dump" -- "${MDF_OPTS[@]}"
