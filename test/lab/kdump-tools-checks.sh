# shellcheck shell=bash
# The host-side checks of the kdump-tools scenarios (issue 16), sourced by
# test/lab/kdump-tools-deb.sh and kdump-tools-deb-debian.sh. The guest side
# is scripts/lab.d/guest/kdump-tools.lib.sh. Expects REPO, LAB and S set;
# sources test/lab/lib.sh.

# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"
PMPAGES=$REPO/test/lab/pmem-pages.py

kt_prereqs() {
	lab_prereqs qemu-system-x86_64 crash readelf mkfs.ext4 gcc timeout apt-get python3
	[ -n "$("$LAB" deb-path 2>/dev/null)" ] ||
		skip_all "$S: no pmemdump .deb built (test/deb/build.sh runs first in scripts/test)"
}

# check_file_has NAME FILE REGEX: a PASS when FILE has a line matching REGEX.
check_file_has() {
	if [ -f "$2" ] && grep -aEq -- "$3" "$2"; then
		pass "$S: $1 ($(grep -aEm1 -- "$3" "$2" | tr -d '\r' | cut -c1-110))"
	else
		fail "$S: $1: no line matching '$3' in ${2#"$RES"/}"
	fi
}

# The part of the serial log between the Nth "Linux version" line (1 the
# first boot, 2 its capture kernel, ...) and the next one.
boot_log() {
	awk -v n="$1" '/Linux version [0-9]/ { k++ } k == n' "$RUN/serial.log" |
		tr -d '\r' | sed 's/\x1b\[[0-9;]*m//g'
}

# The capture kernel: started by kdump-tools.service's load, saved through
# kdump-tools-dump.service and rebooted by kdump-tools, without a panic.
check_capture_boot() {
	local n=$1 want=$2 log
	log=$(boot_log "$n")
	# systemd's own line: kdump-tools' systemd.unit= was obeyed (the
	# capture would also happen through kdump-tools.service).
	if grep -q 'Starting kdump-tools-dump' <<<"$log" && grep -q "$want" <<<"$log"; then
		pass "$S: capture kernel $n: systemd started kdump-tools-dump.service, which said '$(grep -o "$want[^.]*" <<<"$log" | head -n1 | cut -c1-80)'"
	else
		fail "$S: capture kernel $n: no kdump-tools-dump.service line with '$want'"
	fi
	if grep -q 'reboot: Restarting system' <<<"$log" && ! grep -q 'Kernel panic' <<<"$log"; then
		pass "$S: capture kernel $n rebooted by itself (reboot -f), no panic"
	else
		fail "$S: capture kernel $n did not reboot cleanly"
	fi
}

# kdump-tools.service at boot: our kexec, our guard, and pmem-kdump check.
check_loaded() {
	local stage=$1
	check_file_has "$stage boot: kdump-tools loaded with /sbin/kexec -p (kexec_cmd)" \
		"$RES/$stage.kexec_cmd" '^/sbin/kexec -p '
	check_file_has "$stage boot: the load was our kexec's kexec_load (its record)" \
		"$RES/$stage.kexec-crash.load" '^syscall=kexec_load$'
	check_file_has "$stage boot: the capture command line has the hook's libnvdimm guard" \
		"$RES/$stage.kexec-crash.load" '^cmdline=.* module_blacklist=nfit initcall_blacklist=nfit_init'
}

check_check_rc() {
	local stage=$1 want=$2 item=$3 verdict=$4 rc
	rc=$(cat "$RES/$stage.check.rc" 2>/dev/null)
	if [ "$rc" = "$want" ]; then
		pass "$S: $stage boot: pmem-kdump check exits $rc"
	else
		fail "$S: $stage boot: pmem-kdump check exits ${rc:-?}, not $want"
	fi
	if python3 - "$RES/$stage.check.json" "$item" "$verdict" <<-'EOF'; then
		import json, sys
		doc = json.load(open(sys.argv[1]))
		hit = [i for i in doc["checks"] if i["check"] == sys.argv[2]]
		sys.exit(0 if hit and hit[0]["status"] == sys.argv[3] else 1)
	EOF
		pass "$S: $stage boot: pmem-kdump check says $verdict for $item"
	else
		fail "$S: $stage boot: pmem-kdump check does not say $verdict for $item (see $stage.check.json)"
	fi
}

# The capture probe (a lab drop-in of kdump-tools-dump.service).
check_probe() {
	local p
	p=$(find "$RES" -name 'capture.*.probe' | sort | head -n 1)
	check_file_has "capture kernel booted with kdump-tools' own unit" "$p" 'systemd\.unit=kdump-tools-dump\.service'
	check_file_has "libnvdimm kept off the NVDIMM in the capture kernel" "$p" '^libnvdimm saw no NVDIMM$'
}

# The saved dump: modes, the record, dmesg, the pmem struct page, no markers.
check_saved_dump() {
	local kdir vmlinux data out line n modes
	modes=$RES/second.modes
	if [ -s "$modes" ] && ! awk '$1 != "700" && $1 != "600"' "$modes" | grep -q .; then
		pass "$S: the stamp directory is 0700 and its files 0600 ($(tr '\n' ' ' <"$modes" | sed "s|/var/crash/||g"))"
	else
		fail "$S: modes of the saved dump: $(tr '\n' ' ' <"$modes" 2>/dev/null)"
	fi
	check_file_has "makedumpfile's record says ok" "$RES/second.last-capture" '^status=ok$'
	check_file_has "the record names the dmesg file of kdump-tools' stamp directory" \
		"$RES/second.last-capture" "^dmesg=/var/crash/$(cat "$RES/kt.stamp" 2>/dev/null)/dmesg\."
	check_file_has "dmesg.<stamp> holds the panic" "$RES/kt.dmesg" 'sysrq: Trigger a crash'
	kdir=$(boot_log 1 | grep -m1 'Command line:' | grep -o 'pmemdump\.kernel=[^ ]*' | cut -d= -f2)
	vmlinux=$kdir/vmlinux
	data=$(sed -n 's/^data=//p' <<<"$("$PMPAGES" device "$RUN/nvdimm.img" "$(pmem_base)" 2>&1)")
	out=$RES/crash.kt.out
	printf 'set scroll off\nsys\nkmem -p %s\nq\n' "${data:-0}" |
		timeout 300 crash -s "$vmlinux" "$RES/kt.dump" >"$out" 2>&1
	if grep -q 'PANIC: .*sysrq' "$out"; then
		pass "$S: crash 8.0.2 opens the saved dump (sys: $(grep -m1 PANIC "$out" | tr -s ' '))"
	else
		fail "$S: crash did not open the saved dump as a sysrq panic (see $out)"
	fi
	line=$(grep -Ei "^ *[0-9a-f]{16} +${data#0x} " "$out" | tr -s ' ')
	if [ -n "$data" ] && [ -n "$line" ] && [ "$(awk '{print $6}' <<<"$line")" != 0 ]; then
		pass "$S: crash kmem -p $data (first pmem data page, from the device's info block) shows its struct page: $(cut -c1-90 <<<"$line")"
	else
		fail "$S: crash kmem -p ${data:-?} shows no struct page in the saved dump (see $out)"
	fi
	# Pages are zlib-compressed in the kdump file: our makedumpfile turns it
	# into ELF (nothing filtered) to look for the DAX files' marker pages at
	# pmem addresses (RAM may hold copies: lab-fill's freed buffers).
	rm -f "$RES/kt.elf"
	if "$(ours_binary)" -E -d 0 "$RES/kt.dump" "$RES/kt.elf" >"$RES/kt.elf.log" 2>&1; then
		local dev pmem_pages
		n=$("$PMPAGES" count-from "$RES/kt.elf" "$(pmem_base)")
		local base typ off va pa fsz
		base=$(pmem_base)
		pmem_pages=0
		while read -r typ off va pa fsz _; do
			[ "$typ" = LOAD ] && ((pa >= base)) && pmem_pages=$((pmem_pages + fsz / 4096))
		done < <(readelf -lW "$RES/kt.elf")
		dev=$("$PMPAGES" count "$RUN/nvdimm.img")
		if [ "${n:-x}" = 0 ] && [ "${pmem_pages:-0}" -gt 0 ] && [ "${dev:-0}" -ge 32768 ]; then
			pass "$S: the saved dump holds $pmem_pages pmem pages (the memmap) and 0 pmem marker pages (the NVDIMM holds $dev)"
		else
			fail "$S: the saved dump holds ${pmem_pages:-?} pmem pages, ${n:-?} of them marker pages (the NVDIMM: ${dev:-?})"
		fi
	else
		fail "$S: our makedumpfile cannot read the saved dump: $(tail -n1 "$RES/kt.elf.log")"
	fi
	rm -f "$RES/kt.elf"
}

# The region's physical start, from the first kernel's /proc/iomem.
pmem_base() {
	sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Persistent Memory.*/0x\1/p' "$RES/first.iomem" 2>/dev/null | head -n1
}

check_purged() {
	local log=$RES/$1.purge.log
	check_file_has "after dpkg -P pmemdump, /sbin/kexec is Debian's 2.0.25 again" "$log" '^/sbin/kexec --version: kexec-tools 2\.0\.25'
	check_file_has "after dpkg -P pmemdump, makedumpfile is Debian's 1.7.2 again" "$log" '^/usr/bin/makedumpfile -v: makedumpfile: version 1\.7\.2'
	if grep -q '^PMEMDUMP-STEP purge ok' <(tr -d '\r' <"$RUN/serial.log"); then
		pass "$S: purge left no diversion, hook, drop-in, pmem-kdump or /var/lib/pmemdump, and kdump-tools reloaded"
	else
		fail "$S: the purge step failed (see $1.purge.log)"
	fi
}

check_install() {
	check_file_has "dpkg -i: 4 diversions by pmemdump" "$RES/first.install.log" 'diversion of /sbin/kexec to /sbin/kexec.distrib by pmemdump'
	check_file_has "dpkg -i: Debian's kexec kept as .distrib" "$RES/first.install.log" 'kexec-tools 2.0.25'
	check_file_has "dpkg -i: Debian's makedumpfile kept as .distrib" "$RES/first.install.log" 'version 1\.7\.2'
	check_file_has "kdump-tools.service enabled" "$RES/first.install.log" '^enabled$'
}

# check_kt: the whole run.
check_kt() {
	RUN=$("$LAB" run-dir "$S")
	RUN=${RUN%/results}
	RES=$RUN/results
	if run_cycle "$S"; then
		pass "$S: every boot ran to its end ($(tr '\n' ' ' <"$RES/boots.meta"))"
	else
		fail "$S: the run failed (serial log: $RUN/serial.log)"
	fi
	check_install
	check_loaded first
	check_check_rc first 0 kexec PASS
	check_probe
	check_capture_boot 2 'saved vmcore in /var/crash'
	check_loaded second
	check_saved_dump
	check_check_rc second 0 last-dump PASS
}

# The second crash into a full /var/crash.
check_kt_failure() {
	check_capture_boot 4 'failed to save vmcore in /var/crash'
	if boot_log 4 | grep 'pmemdump makedumpfile: ' >/dev/null; then
		pass "$S: capture kernel 4: our makedumpfile's error on the console ($(boot_log 4 | grep -o 'pmemdump makedumpfile: .*' | head -n1 | cut -c1-90))"
	else
		fail "$S: capture kernel 4: no 'pmemdump makedumpfile:' line on the console"
	fi
	check_file_has "makedumpfile's record says failed" "$RES/third.last-capture" '^status=failed$'
	check_file_has "the record gives the error" "$RES/third.last-capture" '^error=.+'
	check_check_rc third 3 last-dump FAIL
}
