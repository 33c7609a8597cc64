# shellcheck shell=bash
# Host-side checks of the vm-dump scenarios (issue 17), sourced by
# test/lab/vm-dump.sh (lab kernel) and vm-dump-debian.sh (Debian's):
# check_vm_dump SCENARIO. The scenario's host side
# (scripts/lab.d/host/vm-dump.sh) made four dumps of one guest with an
# fsdax NVDIMM and no crash kernel: of the running guest (pmemdump-vm
# --now), then of the panicked guest with pmemdump-vm --full (QEMU dumps
# the NVDIMM too), with our makedumpfile alone on QEMU's own ELF (pmem
# from the guest's ACPI NFIT) and with pmemdump-vm's default mode (RAM
# from QEMU, pmem metadata from the backing file). Expects REPO and LAB.

# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"
PMPAGES=$REPO/test/lab/pmem-pages.py

vm_prereqs() {
	lab_prereqs qemu-system-x86_64 crash readelf python3 filefrag timeout gcc
	[ -n "$(ours_binary)" ] || skip_all "the project's makedumpfile is not built"
	[ -x "${PMEMDUMP_BUILD:-$REPO}/vmdump/pmemdump-vm" ] || skip_all "pmemdump-vm is not built"
}

# host_step_rc NAME: the exit status the host side logged for its step.
host_step_rc() {
	sed -n "s/^HOST-STEP $1 rc=\([0-9]*\).*/\1/p" "$RES/host.log" | tail -n1
}

host_step_ms() {
	sed -n "s/^HOST-STEP $1 rc=[0-9]* ms=\([0-9]*\).*/\1/p" "$RES/host.log" | tail -n1
}

check_host_steps() {
	local step rc
	for step in live full qemu-elf qemu-kdump backing; do
		rc=$(host_step_rc "$step")
		if [ "$rc" = 0 ]; then
			pass "$S: host step $step exit 0 ($(host_step_ms "$step") ms)"
		else
			fail "$S: host step $step exit ${rc:-missing} (see $RES/host.log)"
		fi
	done
}

# What QEMU 7.2 does with an NVDIMM, measured on every run: its ELF holds
# the whole NVDIMM as a PT_LOAD with p_flags 0, the DAX files' data in it.
check_qemu_elf() {
	local line want marker
	want=$(printf '0x%016x' "$BASE")
	line=$(awk -v a="$want" '$1 == "LOAD" && $4 == a' "$RES/qemu-elf.phdrs")
	# LOAD offset vaddr paddr filesz memsz [flags] align: no flag letters.
	if [ -n "$line" ] && [ "$(awk '{print NF}' <<<"$line")" = 7 ] &&
		[ "$(awk '{print $5 " " $6}' <<<"$line")" = "$(printf '0x%x 0x%x' "$SIZE" "$SIZE")" ]; then
		pass "$S: QEMU's ELF holds the NVDIMM as an unmarked PT_LOAD: $(tr -s ' ' <<<"$line")"
	else
		fail "$S: no unmarked PT_LOAD of the NVDIMM ($want, $SIZE bytes) in QEMU's ELF: ${line:-none} (see $RES/qemu-elf.phdrs)"
	fi
	marker=$(tail -n1 "$RES/qemu-elf.pmem-marker" 2>/dev/null)
	if [[ $marker =~ ^[0-9]+$ ]] && [ "$marker" -ge 32768 ]; then
		pass "$S: QEMU's unfiltered ELF holds $marker marker pages at pmem addresses (the DAX files' data)"
	else
		fail "$S: QEMU's unfiltered ELF: ${marker:-no} marker pages at pmem addresses, expected the 32768 of the DAX files"
	fi
	if grep -q '^-r-------- [0-9]' "$RES/qemu-elf.ls"; then
		pass "$S: QEMU creates its dump 0400"
	else
		fail "$S: QEMU's dump mode: $(cat "$RES/qemu-elf.ls")"
	fi
}

# The four dumps of the panicked guest hold the same pages: one state,
# four ways of finding its pmem (QEMU's kdump format: the NFIT too). Metadata = the device memmap as the
# NVDIMM's own info block places it; user data = the rest of the NVDIMM.
check_counts_agree() {
	local memmap mstart mend meta user f v ref="" c
	memmap=$("$PMPAGES" device "$RUN/nvdimm.img" "$BASE" | sed -n 's/^memmap=//p')
	mstart=${memmap%-*}
	mend=${memmap#*-}
	if [ -z "$memmap" ]; then
		fail "$S: no memmap in the NVDIMM's info block"
		return
	fi
	meta=$(((mend - mstart) / 4096))
	user=$((SIZE / 4096 - meta))
	for f in vm.full.log nfit.log kdump.log vm.backing.log; do
		v=$(report_value "$RES/$f" "pmem userdata pages")
		c=$(report_value "$RES/$f" "pmem metadata pages")
		if [ "$v" = "$user" ] && [ "$c" = 0 ] &&
			grep -q "pmem: $meta metadata pages" "$RES/$f"; then
			pass "$S: $f: $meta pmem metadata pages kept (the info block's memmap $memmap), $user user data pages left out"
		else
			fail "$S: $f: pmem metadata ${c:-missing} excluded (expected 0, $meta kept), user data ${v:-missing} excluded (expected $user)"
		fi
		v=$(for c in "Pages filled with zero" "Non-private cache pages" "Private cache pages" \
			"User process data pages" "Free pages" "Excluded pages" "Remaining pages" "Total pages"; do
			echo "$c=$(report_value "$RES/$f" "$c")"
		done | tr '\n' ' ')
		if [ -z "$ref" ]; then
			ref=$v
			echo "  counts: $v"
		elif [ "$v" = "$ref" ]; then
			pass "$S: $f: the page counts of vm.full.log"
		else
			fail "$S: $f counts differ: $v vs $ref"
		fi
	done
	# One state, one filter: the files themselves are the same.
	for f in full nfit kdump; do
		if cmp -s "$RES/$f.dump" "$RES/crash.dump"; then
			pass "$S: $f.dump is byte for byte the default mode's crash.dump ($(stat -c %s "$RES/crash.dump") bytes)"
		else
			fail "$S: $f.dump differs from crash.dump"
		fi
	done
	for f in nfit.log kdump.log; do
		if grep -q "pmem at $(printf '%#x' "$BASE")-$(printf '%#x' $((BASE + SIZE))) (the dumped machine's ACPI NFIT)" "$RES/$f"; then
			pass "$S: $f: makedumpfile found the NVDIMM in the guest's ACPI NFIT (no --pmem-range)"
		else
			fail "$S: $f does not say pmem came from the ACPI NFIT"
		fi
	done
}

# Pages are lzo-compressed in the kdump files: our makedumpfile turns each
# into ELF (nothing filtered) to count the DAX files' marker pages there.
check_no_user_data() {
	local f n
	for f in live full nfit kdump crash; do
		rm -f "$RES/$f.elf"
		if ! "$(ours_binary)" -E -d 0 "$RES/$f.dump" "$RES/$f.elf" >"$RES/$f.elf.log" 2>&1; then
			fail "$S: $f.dump cannot be read back: $(tail -n1 "$RES/$f.elf.log")"
			continue
		fi
		n=$("$PMPAGES" count-from "$RES/$f.elf" "$BASE")
		rm -f "$RES/$f.elf"
		if [ "$n" = 0 ]; then
			pass "$S: $f.dump holds no marker page at pmem addresses"
		else
			fail "$S: $f.dump holds ${n:-?} marker pages at pmem addresses: pmem user data leaked"
		fi
	done
	if [ "$(stat -c %a "$RES/crash.dump" "$RES/full.dump" "$RES/live.dump" "$RES/nfit.dump" "$RES/kdump.dump" | sort -u)" = 600 ]; then
		pass "$S: the filtered dumps are 0600"
	else
		fail "$S: dump modes: $(stat -c '%n %a' "$RES"/*.dump | tr '\n' ' ')"
	fi
	# Nothing of an unfiltered dump (the guest's RAM and NVDIMM) stays.
	f=$(find "$RUN" -xdev -type f -size +200M ! -name 'nvdimm*.img' ! -name disk.img)
	if [ -z "$f" ]; then
		pass "$S: no unfiltered dump left in the run directory"
	else
		fail "$S: large files left: $f"
	fi
}

check_pause() {
	local f line
	for f in vm.live.log vm.full.log vm.backing.log; do
		line=$(grep -m1 'guest paused [0-9.]* s' "$RES/$f")
		if [ -n "$line" ]; then
			pass "$S: $f: $line"
		else
			fail "$S: $f prints no pause time"
		fi
	done
}

# crash 8.0.2 with the guest's vmlinux on the default mode's dump: the
# panic, a backtrace, and the struct page of the mapped DAX file's first
# pmem page pointing at that file's mapping (its inode).
check_crash_dax() {
	local kdir vmlinux data block ino pa out
	kdir=$(grep -a -m1 'Command line:' "$RUN/serial.first.log" | grep -o 'pmemdump\.kernel=[^ ]*' | cut -d= -f2)
	vmlinux=$kdir/vmlinux
	data=$("$PMPAGES" device "$RUN/nvdimm.img" "$BASE" | sed -n 's/^data=//p')
	block=$(meta_get "$RES/dax-file.meta" first_block)
	ino=$(meta_get "$RES/dax-file.meta" inode)
	if [ -z "$data" ] || [ -z "$block" ] || [ -z "$ino" ] || [ ! -f "$vmlinux" ]; then
		fail "$S: crash: missing data start (${data:-?}), first block (${block:-?}), inode (${ino:-?}) or $vmlinux"
		return
	fi
	pa=$(printf '%#x' $((data + block * 4096)))
	out=$RES/crash.dax.out
	printf 'set scroll off\nsys\nbt\nkmem -i\nkmem -p %s\nq\n' "$pa" |
		timeout 300 crash -s "$vmlinux" "$RES/crash.dump" >"$out" 2>&1
	if grep -q 'PANIC: .*sysrq' "$out" && grep -q 'sysrq_handle_crash' "$out" && grep -q 'TOTAL MEM' "$out"; then
		pass "$S: crash 8.0.2 opens the dump with the guest's vmlinux (sys: $(grep -m1 PANIC "$out" | tr -s ' '), bt, kmem -i)"
	else
		fail "$S: crash: no sysrq panic, bt or kmem -i (see $out)"
	fi
	check_dax_mapping "$S" "$vmlinux" "$RES/crash.dump" "$pa" "$ino" "$out"
}

check_vm_dump() {
	S=$1
	RES=$("$LAB" run-dir "$S")
	RUN=$(dirname "$RES")
	if ! run_cycle "$S"; then
		fail "$S: the scenario failed (serial log: $RUN/serial.log)"
		[ -f "$RES/host.log" ] && tail -n 20 "$RES/host.log"
		return
	fi
	pass "$S: guest filled, live-dumped and still running, panicked, dumped by the host, reset; the second boot finds the DAX files intact"
	BASE=$((0x100000000))
	SIZE=$((1 << 30))
	check_host_steps
	check_qemu_elf
	check_counts_agree
	check_no_user_data
	check_pause
	check_crash_dax
}
