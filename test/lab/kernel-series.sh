#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of the kernel series (kernel-patches/, doc/kernel-patches.md):
#   - every patch in kernel-patches/series is clean under the tree's
#     scripts/checkpatch.pl (its output is part of this log);
#   - the series applies to linux-source-6.1 and builds (scripts/lab
#     build-kernel), with no compiler warning in the files it touches;
#   - scenario kernel-series: VMCOREINFO of the running kernel (the note
#     /sys/kernel/vmcoreinfo points to, read through /proc/kcore) lists the
#     devm_memmap_vmcore entries; the list, walked in the running kernel,
#     holds exactly the memmap range that sysfs gives for fsdax and devdax
#     with map=dev, and nothing with map=mem;
#   - after a kexec_file_load crash: /proc/vmcore has a PT_LOAD for the pmem
#     resource with PF_DEV (0x10) in p_flags, the capture kernel does not
#     count pmem as RAM, VMCOREINFO and the list in the vmcore are the first
#     kernel's, the struct page of a DAX file block lies in that range and
#     shows the file's mapping and ZONE_DEVICE (drgn), and the block's data
#     is the marker written before the crash.
# Exit: 0 pass, 1 fail, 77 skip. Same environment as test/lab/kdump-fsdax.sh:
#   PMEMDUMP_LAB_BUILD_KERNEL=1  build the lab kernel if it is not cached
#   PMEMDUMP_LAB_REUSE=1         check the last complete run again
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
PMDUMP=$REPO/scripts/lab.d/guest/pmem-metadata.py
PY=/usr/bin/python3
S=kernel-series
INFO_BLOCK=0x2000 # nd_info_block_reserve(): 8 KiB before the memmap
MARK=PMEMDUMP-PMEM-MK
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

check_prereqs() {
	lab_prereqs qemu-system-x86_64 readelf kexec ndctl mkfs.ext4 filefrag gcc timeout perl
	"$PY" -c 'import drgn' 2>/dev/null || skip_all "python3-drgn not installed (scripts/setup-deps)"
}

series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$REPO/kernel-patches/series"
}

check_build() {
	local kdir tree p files=() f warn
	if ! kdir=$("$LAB" build-kernel); then
		fail "the series does not apply or build (see the lab's message above)"
		return 1
	fi
	pass "kernel-patches/series ($(series_patches | wc -l) patches) applies and builds: $kdir"
	mapfile -t files < <(series_patches | while read -r p; do
		sed -n 's|^+++ b/||p' "$REPO/kernel-patches/$p"
	done | sort -u)
	warn=0
	for f in "${files[@]}"; do
		if grep -E "^(\./)?$f:[0-9]+:[0-9]+: warning:" "$kdir/build.log"; then warn=1; fi
	done
	if [ $warn -eq 0 ]; then
		pass "no compiler warnings in the ${#files[@]} files the series touches"
	else
		fail "compiler warnings in files the series touches (see $kdir/build.log)"
	fi
	tree=$(sed -n 's/^tree=//p' "$kdir/meta")
	TREE=$tree
}

check_checkpatch() {
	local p out
	while read -r p; do
		out=$(cd "$TREE" && ./scripts/checkpatch.pl "$REPO/kernel-patches/$p" 2>&1)
		echo "--- checkpatch.pl $p"
		sed 's/^/  /' <<<"$out"
		if grep -q '^total: 0 errors, 0 warnings' <<<"$out"; then
			pass "checkpatch.pl: $p: 0 errors, 0 warnings"
		else
			fail "checkpatch.pl: $p: $(grep '^total:' <<<"$out")"
		fi
	done < <(series_patches)
}

check_vmcoreinfo() {
	local what=$1 file=$2 n
	n=$(grep -cE '^(SYMBOL\(devm_memmap_vmcore_head\)=[0-9a-f]+|SIZE\(devm_memmap_vmcore\)=[0-9]+|OFFSET\(devm_memmap_vmcore\.(entry|start|end)\)=[0-9]+)$' "$file")
	if [ "$n" = 5 ]; then
		pass "$what: VMCOREINFO lists the 5 devm_memmap_vmcore entries ($(grep devm_memmap_vmcore "$file" | tr '\n' ' '))"
	else
		fail "$what: VMCOREINFO has $n of the 5 devm_memmap_vmcore entries ($file)"
	fi
}

# The expected range of a map=dev namespace from sysfs: from the namespace
# start plus the 8 KiB info block up to the data (the pfn/dax device's
# resource). start_pad is 0 for a 2 MiB aligned namespace (checked).
expected_range() {
	local f=$1 ns pfn
	ns=$(meta_get "$f" ns_resource)
	pfn=$(meta_get "$f" pfn_resource)
	[ -n "$ns" ] && [ -n "$pfn" ] || return 1
	((ns % 0x200000 == 0)) || return 1
	printf '%#x %#x\n' $((ns + INFO_BLOCK)) $((pfn))
}

check_state() {
	local tag=$1 res=$2 f=$2/first.state-$1 want got
	got=$(cat "$f.list" 2>/dev/null)
	if [ "$(meta_get "$f.sysfs" ns_map)" = mem ]; then
		if [ -z "$got" ]; then
			pass "$tag: map=mem: the list is empty in the running kernel (/proc/kcore)"
		else
			fail "$tag: map=mem: the list still has: $got"
		fi
		return
	fi
	if ! want=$(expected_range "$f.sysfs"); then
		fail "$tag: no usable sysfs data ($f.sysfs)"
		return
	fi
	if [ "$got" = "$want" ]; then
		pass "$tag: $(meta_get "$f.sysfs" ns_mode) map=dev: list in the running kernel = [$want) = namespace $(meta_get "$f.sysfs" ns_resource) + 8 KiB .. $(meta_get "$f.sysfs" pfn_dev) resource"
	else
		fail "$tag: list in the running kernel '$got', sysfs gives '$want'"
	fi
}

check_loads() {
	local res=$1 iomem=$1/first.iomem paddr size flags end n=0 pm=0 bad=0 ps pe r ok over a b
	local -a ram pmem
	mapfile -t ram < <(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' "$iomem")
	mapfile -t pmem < <(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : Persistent Memory$/\1 \2/p' "$iomem")
	while read -r paddr size flags; do
		n=$((n + 1))
		end=$((paddr + size - 1))
		ok=0
		if ((flags & 0x10)); then
			for r in "${pmem[@]}"; do
				read -r ps pe <<<"$r"
				((paddr == 16#$ps && end == 16#$pe)) && ok=1
			done
			pm=$((pm + ok))
		else
			for r in "${ram[@]}"; do
				read -r ps pe <<<"$r"
				((paddr >= 16#$ps && end <= 16#$pe)) && ok=1
			done
		fi
		if [ $ok = 0 ]; then
			printf '  PT_LOAD paddr %#x size %#x flags %#x: neither System RAM nor a whole pmem resource with PF_DEV\n' "$paddr" "$size" "$flags"
			bad=$((bad + 1))
		fi
	done <"$res/capture.loads"
	if [ $bad -eq 0 ] && [ $pm -eq ${#pmem[@]} ] && [ $pm -gt 0 ]; then
		pass "/proc/vmcore: $pm PT_LOAD(s) with PF_DEV (0x10) = the Persistent Memory resource(s) (${pmem[*]}), $((n - pm)) in System RAM without it"
	else
		fail "/proc/vmcore PT_LOADs: $bad bad, $pm flagged pmem of ${#pmem[@]} resources ($res/capture.loads)"
	fi
	for r in "${pmem[@]}"; do
		read -r ps pe <<<"$r"
		over=0
		while read -r a b; do
			if ((16#$a <= 16#$pe && 16#$b >= 16#$ps)); then over=1; fi
		done < <(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' "$res/capture.iomem")
		if [ $over = 0 ]; then
			pass "capture kernel: no System RAM over pmem $ps-$pe"
		else
			fail "capture kernel treats pmem $ps-$pe as System RAM"
		fi
	done
}

check_vmcore() {
	local res=$1 meta vmcore vmlinux final daxstart ino blk paddr out want
	meta=$(dirname "$(readlink -f "$res/vmcore")")/$S.meta
	vmcore=$(meta_get "$meta" vmcore)
	vmlinux=$(meta_get "$meta" vmlinux)
	if [ ! -f "$vmcore" ] || [ ! -f "$vmlinux" ]; then
		fail "saved vmcore or vmlinux missing ($meta)"
		return
	fi
	final=$(cat "$res/first.state-final.list")
	if [ -n "$final" ] && [ "$(cat "$res/capture.list")" = "$final" ] &&
		[ "$("$PMDUMP" list "$vmcore" "$res/capture.vmcoreinfo")" = "$final" ]; then
		pass "vmcore: the list walked from /proc/vmcore and from the saved copy = the first kernel's [$final)"
	else
		fail "vmcore list '$(cat "$res/capture.list")' differs from the first kernel's '$final'"
	fi
	# First block of the DAX file: the file system block is the block of
	# /dev/pmem0, whose byte 0 is the data start (the pfn device's resource).
	daxstart=$(meta_get "$res/first.state-final.sysfs" pfn_resource)
	ino=$(sed -n 's/^ino=\([0-9]*\) .*/\1/p' "$res/first.daxfile")
	blk=$(sed -n 's/^ *0: *0\.\. *[0-9]*: *\([0-9]*\)\.\..*/\1/p' "$res/first.filefrag")
	if [ -z "$daxstart" ] || [ -z "$ino" ] || [ -z "$blk" ]; then
		fail "no DAX file data from the first kernel ($res/first.daxfile, first.filefrag)"
		return
	fi
	paddr=$((daxstart + blk * 4096))
	printf '  DAX file inode %s, block %s, physical %#x\n' "$ino" "$blk" "$paddr"
	want=$(printf "$MARK%.0s" $(seq 256))
	if [ "$("$PMDUMP" read-phys "$vmcore" "$paddr" 4096)" = "$want" ]; then
		pass "vmcore: the DAX file's first block (physical $(printf %#x "$paddr")) holds the marker written before the panic"
	else
		fail "vmcore: physical $(printf %#x "$paddr") does not hold the DAX file's marker"
	fi
	# shellcheck disable=SC2086 # "start end"
	if out=$("$PY" "$REPO/test/lab/series-pages.py" "$vmcore" "$vmlinux" "$paddr" "$ino" $final 2>&1); then
		pass "vmcore: struct page of the DAX block lies in the device memmap, ZONE_DEVICE (fsdax pgmap), mapping = the file's i_mapping, index 0 (drgn)"
	else
		fail "vmcore: struct page checks (drgn):"
	fi
	sed 's/^/  /' <<<"$out"
}

check_prereqs
TREE=
check_build || exit 1
check_checkpatch
res=$("$LAB" run-dir "$S")
if run_cycle "$S"; then
	pass "$S: cycle completed ($(meta_get "$res/run.meta" seconds) s)"
else
	fail "$S: cycle did not complete (see the lab's message above)"
	exit 1
fi
if [[ $(head -n1 "$res/capture.info.log") == elfcorehdr=0x* ]]; then
	pass "$S: capture kernel loaded with kexec_file_load ($(grep -o 'elfcorehdr=[^ ]*' "$res/capture.info.log" | head -n1))"
else
	fail "$S: capture kernel not loaded with kexec_file_load"
fi
check_vmcoreinfo "first kernel (/sys/kernel/vmcoreinfo note via /proc/kcore)" "$res/first.vmcoreinfo"
check_vmcoreinfo "capture kernel (/proc/vmcore)" "$res/capture.vmcoreinfo"
for t in fsdax-dev devdax-dev fsdax-mem final; do check_state "$t" "$res"; done
check_loads "$res"
check_vmcore "$res"
[ $failures -eq 0 ] || exit 1
exit 0
