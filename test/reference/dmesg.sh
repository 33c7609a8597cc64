#!/bin/bash
# --dump-dmesg on vmcore-gen's Linux 6.1 printk rings. Every intact ring:
# our log equals the manifest's expected text (the generator's own
# journal of what it wrote and what the ring overwrote), and makedumpfile
# 1.7.2's where it reads the ring right; where it does not, the difference
# must be exactly its known fault. Damaged records: left out with one
# warning line. A damaged ring or VMCOREINFO: one error line naming what
# is wrong, exit 1, no log file; never a sanitizer report, never an empty
# log with exit 0.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
[ -x "$OURS" ] || { echo "makedumpfile not built"; exit 77; }
REF=${REF_MAKEDUMPFILE:-}
[ -n "$REF" ] && [ -x "$REF" ] || REF=
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-dmesg.XXXXXX")
trap 'rm -rf "$work"' EXIT
REF_AGREE=0 REF_FAULT=0 REF_FAIL=0 VMCI_REFUSED=0 VMCI_WRONG=0

# gen NAME ARGS...: a vmcore and its manifest, $work/NAME.*
gen() {
	local name=$1
	shift
	rm -f "$work"/*.vmcore
	if ! "$GEN" "$@" "$work/$name.vmcore" >"$work/gen.log" 2>&1; then
		fail "$name: vmcore-gen $*: $(tail -1 "$work/gen.log")"
		return 1
	fi
	sed -n 's/^dmesg\.line=//p' "$work/$name.manifest" >"$work/$name.exp"
}

# mkey NAME KEY: a manifest value
mkey() { key "$work/$1.manifest" "$2"; }

# need NAME KEY OP N (OP -ge or =): the scenario really holds what it
# claims (a missing key fails too).
need() {
	local v
	v=$(mkey "$1" "$2")
	if [ -z "$v" ]; then
		fail "$1: manifest lacks $2"
	elif ! case $3 in -ge) [ "$v" -ge "$4" ] ;; *) [ "$v" = "$4" ] ;; esac 2>/dev/null; then
		fail "$1: manifest $2=$v, want $3 $4"
	else
		return 0
	fi
	return 1
}

# ours NAME VMCORE: run our --dump-dmesg into $work/NAME.out
ours() {
	rm -f "$work/$1.out"
	"$OURS" --dump-dmesg "$2" "$work/$1.out" >"$work/$1.stdout" 2>"$work/$1.stderr"
	STATUS=$?
	if grep -q -e AddressSanitizer -e 'runtime error' -e LeakSanitizer "$work/$1.stderr"; then
		fail "$1: sanitizer report: $(grep -m1 -e 'ERROR: ' -e 'runtime error' "$work/$1.stderr")"
		return 1
	fi
}

# expect_log NAME [partial]: exit 0, the expected text; no stderr, or one
# warning about damaged records.
expect_log() {
	local name=$1 mode=${2:-clean} lines
	lines=$(mkey "$name" dmesg_lines)
	ours "$name" "$work/$name.vmcore" || return 1
	if [ ! -s "$work/$name.exp" ] || [ -z "$lines" ] ||
		[ "$(wc -l <"$work/$name.exp")" -ne "$lines" ]; then
		fail "$name: the manifest's expected log is missing or short (dmesg_lines=$lines)"
	elif [ "$STATUS" -ne 0 ]; then
		fail "$name: exit status $STATUS: $(head -3 "$work/$name.stderr")"
	elif [ ! -f "$work/$name.out" ]; then
		fail "$name: no log file"
	elif ! cmp -s "$work/$name.exp" "$work/$name.out"; then
		fail "$name: log differs from the manifest's"
		diff "$work/$name.exp" "$work/$name.out" | head -8
	elif [ "$mode" = clean ] && [ -s "$work/$name.stderr" ]; then
		fail "$name: unexpected stderr: $(head -3 "$work/$name.stderr")"
	elif [ "$mode" = partial ] && { [ "$(wc -l <"$work/$name.stderr")" -ne 1 ] ||
		! grep -q "warning: kernel log: $(mkey "$name" printk_damaged) damaged records\? left out (" \
			"$work/$name.stderr"; }; then
		fail "$name: want one warning about $(mkey "$name" printk_damaged) damaged record(s), got: $(head -3 "$work/$name.stderr")"
	else
		pass "$name: $lines lines equal the manifest's$([ "$mode" = partial ] && echo "; $(cat "$work/$name.stderr")")"
		return 0
	fi
	return 1
}

# expect_error NAME VMCORE PATTERN [ANTI-PATTERN]: exit 1, one line
# matching PATTERN (and not ANTI-PATTERN), no log file left.
expect_error() {
	local name=$1 vmcore=$2 pattern=$3 anti=${4:-}
	ours "$name" "$vmcore" || return 1
	if [ "$STATUS" -ne 1 ]; then
		fail "$name: exit status $STATUS, want 1$( [ -f "$work/$name.out" ] && echo " ($(wc -l <"$work/$name.out") log lines)"): $(head -2 "$work/$name.stderr")"
	elif [ "$(wc -l <"$work/$name.stderr")" -ne 1 ]; then
		fail "$name: $(wc -l <"$work/$name.stderr") lines on stderr, want 1"
		head -5 "$work/$name.stderr"
	elif ! grep -q -- "$pattern" "$work/$name.stderr"; then
		fail "$name: error does not mention '$pattern': $(cat "$work/$name.stderr")"
	elif [ -n "$anti" ] && grep -q -- "$anti" "$work/$name.stderr"; then
		fail "$name: error should not say '$anti': $(cat "$work/$name.stderr")"
	elif [ -e "$work/$name.out" ]; then
		fail "$name: a log file was left behind"
	else
		pass "$name: $(cat "$work/$name.stderr")"
	fi
}

# ref NAME VMCORE: makedumpfile 1.7.2 into $work/NAME.ref; REF_STATUS
ref() {
	rm -f "$work/$1.ref"
	timeout 5 "$REF" --dump-dmesg "$2" "$work/$1.ref" >"$work/$1.ref.log" 2>&1
	REF_STATUS=$?
	[ -f "$work/$1.ref" ] || : >"$work/$1.ref"
}

# ref_equal NAME: 1.7.2 reads this ring right
ref_equal() {
	[ -n "$REF" ] || return 0
	ref "$1" "$work/$1.vmcore"
	if [ "$REF_STATUS" -eq 0 ] && cmp -s "$work/$1.exp" "$work/$1.ref"; then
		pass "$1: makedumpfile 1.7.2 writes the same $(wc -l <"$work/$1.ref") lines"
		REF_AGREE=$((REF_AGREE + 1))
	else
		fail "$1: makedumpfile 1.7.2 differs (exit $REF_STATUS)"
		diff "$work/$1.exp" "$work/$1.ref" | head -6
		REF_FAIL=$((REF_FAIL + 1))
	fi
}

# ref_extra NAME WHY: 1.7.2 shows every expected line and more: the
# damaged records the kernel's reader rejects
ref_extra() {
	local extra
	[ -n "$REF" ] || return 0
	ref "$1" "$work/$1.vmcore"
	diff "$work/$1.exp" "$work/$1.ref" >"$work/$1.refdiff"
	extra=$(grep -c '^>' "$work/$1.refdiff")
	if [ "$REF_STATUS" -eq 0 ] && ! grep -q '^<' "$work/$1.refdiff" && [ "$extra" -gt 0 ]; then
		pass "$1: makedumpfile 1.7.2 shows every intact record, plus $extra line(s) of the damaged one(s) ($2); the kernel's reader drops them"
		REF_FAULT=$((REF_FAULT + 1))
	else
		fail "$1: makedumpfile 1.7.2 (exit $REF_STATUS) is not the expected log plus the damaged record(s)"
		head -6 "$work/$1.refdiff"
		REF_FAIL=$((REF_FAIL + 1))
	fi
}

# ref_report NAME VMCORE: what 1.7.2 does with a broken ring (no claim)
ref_report() {
	local what
	[ -n "$REF" ] || return 0
	ref "$1" "$2"
	case $REF_STATUS in
	0) what="exit 0 with $(wc -l <"$work/$1.ref") log lines$([ -s "$work/$1.ref" ] || echo ' (an empty log)')" ;;
	124) what="still running after 5 s (killed), $(wc -l <"$work/$1.ref") lines written" ;;
	*) what="exit $REF_STATUS: $(grep -v '^$' "$work/$1.ref.log" | tail -1)" ;;
	esac
	echo "  makedumpfile 1.7.2 on $1: $what"
	[ "$REF_STATUS" -ne 0 ] && [ "$REF_STATUS" -ne 124 ] && [ ! -s "$work/$1.ref" ]
}

## Intact rings
for args in "plain" "plain-l5:--paging 5 --kaslr-seed 11" "wrapped" "cont" "dict"; do
	name=${args%%:*}
	mode=${name%-l5}
	extra=
	[ "$name" != "$args" ] && extra=${args#*:}
	# shellcheck disable=SC2086
	gen "$name" --printk "$mode" $extra || continue
	need "$name" printk_shown -ge 30
	need "$name" dmesg_expect = log
	expect_log "$name"
	case $name in
	plain*)
		# a record CPU 1 had only reserved: no reader shows it
		need "$name" printk_unfinished -ge 1 && pass "$name: a half-written (reserved) record is left out"
		ref_equal "$name" ;;
	wrapped)
		need "$name" printk_data_wraps -ge 2 && need "$name" printk_tail_pushes -ge 1 &&
		need "$name" printk_id_wrapped = 1 && need "$name" printk_lost -ge 100 &&
		need "$name" printk_reusable_in_window -ge 1 && need "$name" printk_wrapping_blocks -ge 1 &&
		grep -q '^\[99999\.' "$work/$name.exp" && grep -q '^\[100000\.' "$work/$name.exp" &&
			pass "$name: $(mkey "$name" printk_data_wraps) data ring wraps, $(mkey "$name" printk_lost) records overwritten, ids past 2^62, reusable descriptors and a wrapped block in the window, seconds from 5 to 6 digits"
		ref_equal "$name" ;;
	cont)
		need "$name" printk_joined -ge 3 && need "$name" printk_cont_records -ge 2 &&
		need "$name" printk_realloc_wraps -ge 1 && need "$name" printk_open = 1 &&
		need "$name" printk_multiline -ge 1 &&
		grep -q '\] x86/fpu: Supporting XSAVE features: x87 SSE AVX$' "$work/$name.exp" &&
		grep -q '\] ACPI: PM-Timer IO Port: 0x608 (32 bits)$' "$work/$name.exp" &&
		grep -q '\]  2048K$' "$work/$name.exp" &&
			pass "$name: $(mkey "$name" printk_joined) fragments joined (one moved across the array's end), $(mkey "$name" printk_cont_records) LOG_CONT records of their own, the last record open"
		ref_equal "$name" ;;
	dict)
		need "$name" printk_dynamic = 1 && need "$name" printk_dev_info -ge 2 &&
		need "$name" printk_caller_cpu -ge 1 && need "$name" printk_escaped -ge 2 &&
		need "$name" printk_dataless -ge 1 &&
		! grep -q -e 'SUBSYSTEM=' -e 'DEVICE=' -e '+pci:' "$work/$name.out" &&
			pass "$name: the log_buf_len ring, dev_info and caller ids not shown, a data-less empty record shown, bytes escaped"
		[ -n "$REF" ] || continue
		# 1.7.2's two faults: it drops data-less records (begin == next
		# modulo the ring), and sign-extends bytes >= 0x80 (\xffffffc3)
		ref "$name" "$work/$name.vmcore"
		sed 's/\\xffffff\([0-9a-f][0-9a-f]\)/\\x\1/g' "$work/$name.ref" >"$work/$name.refn"
		diff "$work/$name.exp" "$work/$name.refn" >"$work/$name.refdiff"
		if [ "$REF_STATUS" -eq 0 ] && ! grep -q '^>' "$work/$name.refdiff" &&
			[ "$(grep -c '^<' "$work/$name.refdiff")" -eq "$(mkey "$name" printk_dataless)" ] &&
			! grep '^<' "$work/$name.refdiff" | grep -qv '^< \[ *[0-9]*\.[0-9]\{6\}\] $' &&
			grep -q 'xffffff' "$work/$name.ref"; then
			pass "$name: makedumpfile 1.7.2 agrees but for its faults: $(grep -c '^<' "$work/$name.refdiff") data-less record(s) dropped, $(grep -o 'xffffff' "$work/$name.ref" | wc -l) bytes written \\xffffffNN"
			REF_FAULT=$((REF_FAULT + 1))
		else
			fail "$name: makedumpfile 1.7.2 differs beyond its known faults (exit $REF_STATUS)"
			head -6 "$work/$name.refdiff"
			REF_FAIL=$((REF_FAIL + 1))
		fi ;;
	esac
done

## The log out of a filtered dump: our -l -d 31 file of the dict ring
## (the log_buf_len buffers are memblock pages, kept at every level)
if gen kdump --printk dict; then
	if ! "$OURS" -l -d 31 "$work/kdump.vmcore" "$work/kdump.kdump" >"$work/kdump.log" 2>&1; then
		fail "kdump: our -l -d 31 failed: $(tail -1 "$work/kdump.log")"
	elif ours kdump "$work/kdump.kdump"; then
		if [ "$STATUS" -eq 0 ] && cmp -s "$work/kdump.exp" "$work/kdump.out" &&
			[ -s "$work/kdump.out" ] && [ ! -s "$work/kdump.stderr" ]; then
			pass "kdump: the log out of our -l -d 31 dump equals the manifest's ($(wc -l <"$work/kdump.out") lines)"
		else
			fail "kdump: the log out of our -l -d 31 dump (exit $STATUS) differs: $(head -2 "$work/kdump.stderr")"
		fi
	fi
fi
rm -f "$work/kdump.kdump"

## Damaged records: the others are shown, with one warning
for damage in state id seq lpos len state,id,seq,lpos,len; do
	name=damaged-${damage//,/+}
	gen "$name" --printk plain --printk-damage "$damage" || continue
	need "$name" dmesg_expect = partial || continue
	expect_log "$name" partial
	case $damage in
	state | id) ref_equal "$name" ;;	# a descriptor of another id: 1.7.2 skips it too
	*) ref_extra "$name" "$(mkey "$name" printk_damaged_first)" ;;
	esac
done
# the wrapped ring, damaged too (the targets are live records there as well)
gen damaged-wrapped --printk wrapped --printk-damage lpos,len && expect_log damaged-wrapped partial

## Damaged rings: an error
while IFS=: read -r damage pattern; do
	name=broken-$damage
	gen "$name" --printk plain --printk-damage "$damage" || continue
	need "$name" dmesg_expect = error || continue
	expect_error "$name" "$work/$name.vmcore" "$pattern"
	[ -n "$REF" ] || continue
	# 1.7.2 is right to refuse these; an empty log or a hang is its fault
	if ref_report "$name" "$work/$name.vmcore"; then
		REF_AGREE=$((REF_AGREE + 1))
	else
		REF_FAULT=$((REF_FAULT + 1))
	fi
done <<'EOF'
head:head id 0x[0-9a-f]* is not within 4096 descriptors after its tail id
bits:size_bits 0 is out of range
count:count_bits 31 is out of range
descs:descriptor array (98304 bytes at 0xffffc90010000000): kernel address 0xffffc90010000000 is not mapped
every:none of its records is intact (
EOF

## VMCOREINFO inconsistent with itself or damaged (same-width patches)
gen vmci --printk plain || { finish; }
good=$work/vmci.vmcore
# patch NAME FROM TO: a copy of the good vmcore, FROM replaced by TO in the note
patch() {
	local off
	off=$(grep -obUa -- "$2" "$good" | head -1 | cut -d: -f1)
	if [ -z "$off" ] || [ "${#2}" -ne "${#3}" ]; then
		fail "$1: cannot patch '$2'"
		return 1
	fi
	cp --sparse=always "$good" "$work/$1.vmcore"
	printf '%s' "$3" | dd of="$work/$1.vmcore" bs=1 seek="$off" conv=notrunc status=none
}
while IFS='|' read -r name from to pattern; do
	patch "$name" "$from" "$to" || continue
	expect_error "$name" "$work/$name.vmcore" "$pattern" "5.10"
	if [ -n "$REF" ]; then
		if ref_report "$name" "$work/$name.vmcore"; then
			VMCI_REFUSED=$((VMCI_REFUSED + 1))
		else
			VMCI_WRONG=$((VMCI_WRONG + 1))
		fi
	fi
	rm -f "$work/$name.vmcore"
done <<'EOF'
vmci-prb-size|SIZE(printk_ringbuffer)=88|SIZE(printk_ringbuffer)=08|OFFSET(prb_desc_ring.descs)=8 puts a field of 8 bytes past SIZE(printk_ringbuffer)=8
vmci-tail-offset|OFFSET(prb_desc_ring.tail_id)=32|OFFSET(prb_desc_ring.tail_id)=96|OFFSET(prb_desc_ring.tail_id)=96 + OFFSET(atomic_long_t.counter)=0 puts a field of 8 bytes past SIZE(printk_ringbuffer)=88
vmci-desc-size|SIZE(prb_desc)=24|SIZE(prb_desc)=04|past SIZE(prb_desc)=4
vmci-text-len|OFFSET(printk_info.text_len)=16|OFFSET(printk_info.text_len)=87|OFFSET(printk_info.text_len)=87 puts a field of 2 bytes past SIZE(printk_info)=88
vmci-state-var|OFFSET(prb_desc.state_var)=0|OFFSET(prb_desc.state_var)=8|none of its records is intact
vmci-lpos-next|OFFSET(prb_data_blk_lpos.next)=8|OFFSET(prb_data_blk_lpos.next)=0|none of its records is intact
vmci-counter|OFFSET(atomic_long_t.counter)=0|OFFSET(atomic_long_t.counter)=9|cannot read the kernel log
vmci-negative|OFFSET(printk_ringbuffer.text_data_ring)=48|OFFSET(printk_ringbuffer.text_data_ring)=-8|OFFSET(printk_ringbuffer.text_data_ring)=-8 is out of range
vmci-garbage|OFFSET(printk_info.ts_nsec)=8|OFFSET(printk_info.ts_nsec)=z|OFFSET(printk_info.ts_nsec) has a bad value "z"
vmci-no-key|OFFSET(prb_desc.text_blk_lpos)=|OFFSET(prb_desc.text_blk_lpoz)=|has SYMBOL(prb) but lacks OFFSET(prb_desc.text_blk_lpos)
vmci-no-prb|SYMBOL(prb)=|SYMBOL(prq)=|describes the printk ring but lacks SYMBOL(prb)
EOF
# Really absent: a vmcore without the ring's entries
gen no-ring || { finish; }
expect_error no-ring "$work/no-ring.vmcore" "no printk ring (no SYMBOL(prb)); kernels before 5.10 are not supported"

if [ -n "$REF" ]; then
	echo "makedumpfile 1.7.2: right on $REF_AGREE rings, its known faults on $REF_FAULT, unexpected on $REF_FAIL;" \
		"of the broken VMCOREINFOs it refuses $VMCI_REFUSED, writes a log (wrong, empty or endless) from $VMCI_WRONG"
else
	skip "reference makedumpfile not installed: no comparison with 1.7.2"
fi
finish
