# shellcheck shell=bash
# Host-side checks of a kdump cycle whose capture kernel our kexec loaded
# (scenarios kexec-ours and kexec-ours-debian; sourced by their tests).
# Expects S (the scenario) set and test/lab/kdump-checks.sh sourced.
# The guest saved: first.kexec-ours.log (kexec -d), first.kexec-status.log
# (kexec_status_peer), first.kexec-refusals.log (kexec_refusals), and the
# capture kernel's dmesg and our makedumpfile's log.

# Segments "mem memsz" (hex) from kexec -d's lines.
debug_segments() {
	awk '/^segment\[[0-9]+\]\.mem /{m=$3} /^segment\[[0-9]+\]\.memsz /{print m, $3}' "$1"
}

check_segments() {
	local res=$1 log=$1/first.kexec-ours.log cs ce mem size n=0 bad=0
	read -r cs ce < <(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' "$res/first.iomem" | tail -n1)
	if [ -z "${cs:-}" ]; then
		fail "$S: no Crash kernel range in first.iomem"
		return
	fi
	while read -r mem size; do
		n=$((n + 1))
		if ((mem < 16#$cs || mem + size - 1 > 16#$ce || (mem & 0xfff) != 0)); then
			printf '  segment %#x+%#x outside 0x%s-0x%s or unaligned\n' "$mem" "$size" "$cs" "$ce"
			bad=$((bad + 1))
		fi
	done < <(debug_segments "$log")
	if [ "$n" -ge 4 ] && [ "$bad" -eq 0 ]; then
		pass "$S: kexec -d placed $n segments, all page-aligned inside the crash kernel range 0x$cs-0x$ce"
	else
		fail "$S: $bad of $n segments outside the crash kernel range (see $log)"
	fi
}

check_e820() {
	local res=$1 ours theirs
	ours=$(grep -a '^BIOS-e820: ' "$res/first.kexec-ours.log" | sort)
	theirs=$(grep -ao 'BIOS-e820: \[mem [^]]*\] .*' "$res/capture.dmesg" | tr -d '\r' | sort)
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
		pass "$S: the capture kernel booted with the $(wc -l <<<"$ours") e820 entries kexec -d printed"
	else
		fail "$S: capture kernel e820 differs from kexec -d's:"
		diff <(echo "$ours") <(echo "$theirs") | sed 's/^/  /' | head -n 20
	fi
}

check_status() {
	local log=$1/first.kexec-status.log ours theirs want
	ours=$(awk -v k="$(ours_kexec_path)" '$1 == "status" && $2 == k {print $3, $4}' "$log")
	theirs=$(awk '$1 == "status" && $2 == "/sbin/kexec" {print $3, $4}' "$log")
	want=$'after-load 1\nnormal 0\nafter-unload 0'
	if [ "$(head -n3 <<<"$ours")" = "$want" ] && [ "$theirs" = "$want" ]; then
		pass "$S: -S -p / -S -l / -p -u exit statuses equal kexec 2.0.25's (1 after a load, 0 for no -l image, 0 after unload)"
	else
		fail "$S: status sequence: ours '${ours//$'\n'/; }', 2.0.25 '${theirs//$'\n'/; }', want '${want//$'\n'/; }'"
	fi
	want=$'u-p-unload 0\nfile-load 1\nfile-unload 0'
	if [ "$(tail -n3 <<<"$ours")" = "$want" ]; then
		pass "$S: ours unloads with -u -p too, loads with -s -p (kexec_file_load, -S -p 1) and unloads with -u -s -p (-S -p 0)"
	else
		fail "$S: -u -p / -s -p / -u -s -p statuses: '${ours//$'\n'/; }'"
	fi
}

# Our load record (/run/pmemdump/kexec-crash.load) as saved after the
# first load of kexec_status_peer: syscall, pmem mode, kernel and the
# command line the capture kernel got; removed by -p -u.
check_record() {
	local res=$1 rec=$1/kexec-crash.load.after-load cmd
	cmd=$(sed -n 's/^cmdline=//p' "$rec" 2>/dev/null)
	if grep -qx 'syscall=kexec_load' "$rec" 2>/dev/null && grep -qx 'pmem=all' "$rec" &&
		grep -q '^kernel=/.*/bzImage$' "$rec" && [[ $cmd == *" elfcorehdr=0x"* ]] &&
		! grep -q '^record left after unload' "$res/first.kexec-status.log"; then
		pass "$S: the load record names kexec_load, pmem=all, the kernel and the capture command line (…${cmd: -40}); -p -u removed it"
	else
		fail "$S: load record wrong or left after unload: $(tr '\n' '|' <"$rec" 2>/dev/null | head -c 200)"
	fi
}

# check_refusal LOG NAME WANT_LOADED PATTERN: the line "refusal NAME rc=..
# loaded=.. lines=.. TEXT" that the guest wrote: exit 255, one line on
# stderr matching PATTERN, and the crash image state WANT_LOADED after it.
check_refusal() {
	local log=$1 name=$2 want_loaded=$3 pattern=$4 l
	l=$(grep -a "^refusal $name " "$log" | head -n1)
	if [[ $l =~ rc=255\ loaded=$want_loaded\ lines=1\ kexec:\ (.*)$ ]] && grep -Eq "$pattern" <<<"${BASH_REMATCH[1]}"; then
		pass "$S: refused $name: exit 255, kexec_crash_loaded $want_loaded, one line: ${BASH_REMATCH[1]}"
	else
		fail "$S: refusal $name: '${l:-no line in $log}', want rc=255 loaded=$want_loaded and /$pattern/"
	fi
}

ours_kexec_path() {
	sed -n 's/.*pmemdump\.kexec=\([^ ]*\).*/\1/p' "$res/first.info.log" | head -n1
}

# The first data page after the namespace's memmap: its struct page lives
# in the memmap on the device, which only a pmem-aware header brings into
# the dump.
check_pmem_page() {
	local res=$1 meta vmlinux dump=$1/ours.E31.elf out phys line
	meta=$(dirname "$(readlink -f "$res/vmcore")")/$S.meta
	vmlinux=$(meta_get "$meta" vmlinux)
	# The end of the first memmap range as pmem-pages.py found it on its
	# own (check_counts wrote the stats), not as our makedumpfile says.
	phys=$(sed -n 's/^list=0x[0-9a-f]*-\(0x[0-9a-f]*\).*/\1/p' "$res/pmem-pages.stats" 2>/dev/null)
	if [ -z "$phys" ]; then
		fail "$S: no device memmap range in $res/pmem-pages.stats"
		return
	fi
	out=$res/crash.kmem-p.out
	printf 'set scroll off\nkmem -p %s\nq\n' "$phys" | timeout 300 crash -s "$vmlinux" "$dump" >"$out" 2>&1
	# A struct page read from the dump: flags (the last column) not zero.
	line=$(grep -Ei "^ *[0-9a-f]{16} +${phys#0x} " "$out" | tr -s ' ')
	if [ -n "$line" ] && [ "$(awk '{print $6}' <<<"$line")" != 0 ]; then
		pass "$S: crash kmem -p $phys (first pmem data page) shows its struct page from our -E -d 31 dump: $(grep -Ei "^ *[0-9a-f]{16} +${phys#0x} " "$out" | tr -s ' ' | head -c 100)"
	else
		fail "$S: crash kmem -p $phys shows no struct page (see $out)"
		tail -n 5 "$out"
	fi
}

# pmem-kdump list before the crash against our makedumpfile after it: the
# memmap bytes list reports are the metadata pages the filter kept, and the
# rest of the namespace (data, info block and its padding) is what the
# filter left out as pmem user data. (The lab's namespace is the whole
# region.)
check_pk_list() {
	local res=$1 got meta user
	if [ ! -s "$res/pk-list.json" ]; then
		fail "$S: pmem-kdump list did not run before the crash (pk-list.json)"
		return
	fi
	meta=$(sed -n 's/^pmem: \([0-9]*\) metadata pages.*/\1/p' "$res/capture.ours-E31.log" | head -n1)
	user=$(report_value "$res/capture.ours-E31.log" "pmem userdata pages")
	got=$(python3 -c '
import json, sys
ns = [n for n in json.load(open(sys.argv[1])) if n.get("map") == "dev"]
meta = sum(n["dump"]["pmem_metadata_bytes"] for n in ns) // 4096
rest = sum(n["ranges"]["namespace"]["size"] for n in ns) // 4096 - meta
print(len(ns), meta, rest)' "$res/pk-list.json" 2>/dev/null)
	if [ -n "$meta" ] && [ -n "$user" ] && [ "$got" = "1 $meta $user" ]; then
		pass "$S: pmem-kdump list before the crash: $meta memmap pages, $user other namespace pages = our makedumpfile's pmem metadata and user data after it"
	else
		fail "$S: pmem-kdump list (namespaces, metadata, rest: ${got:-none}) vs makedumpfile (metadata ${meta:-?}, user data ${user:-?})"
	fi
}

# All of the above on the results of scenario $S.
check_kexec_ours() {
	local res=$1
	if [ ! -s "$res/first.kexec-ours.log" ]; then
		fail "$S: no kexec -d output (first.kexec-ours.log)"
		return
	fi
	check_segments "$res"
	check_e820 "$res"
	check_status "$res"
	check_record "$res"
	check_refusal "$res/first.kexec-refusals.log" nonroot 0 'root'
	check_refusal "$res/first.kexec-refusals.log" toobig 0 'does not fit: [0-9]+ bytes needed, [0-9]+ available'
	check_pmem_page "$res"
	check_pk_list "$res"
}
