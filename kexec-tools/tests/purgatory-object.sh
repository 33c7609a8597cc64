#!/bin/bash
# The built purgatory.ro (doc/kexec-design.md §2, §6): an x86_64 ET_REL
# whose relocations are all of the set src/purgatory_load.c applies, none
# of them 32-bit absolute in an allocated section (so it loads above
# 4 GiB), with no SSE/AVX/MMX register anywhere in its code (the kernel
# enters it with CR4.OSFXSR clear and no IDT: one such instruction resets
# the machine), and with the symbols the loader looks up defined and
# nothing undefined. PURGATORY_RO names another object to check.
set -u
. "$top_srcdir/test/lib/report.sh"

ro=${PURGATORY_RO:-${top_builddir:-.}/kexec-tools/purgatory/purgatory.ro}
for tool in readelf objdump; do
	command -v "$tool" >/dev/null || { skip "no $tool (binutils)"; finish; }
done
[ -f "$ro" ] || { fail "no $ro: build it first"; finish; }
work=$(mktemp -d "${TMPDIR:-/tmp}/purgatory-object.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the ELF header ---
readelf -hW "$ro" >"$work/hdr" 2>&1 || fail "readelf -h $ro: $(tail -1 "$work/hdr")"
field() { sed -n "s/^ *$1: *//p" "$work/hdr"; }
class=$(field Class) type=$(field Type) machine=$(field Machine)
if [ "$class" = ELF64 ] && [ "${type%% *}" = REL ] &&
	[ "$machine" = "Advanced Micro Devices X86-64" ]; then
	pass "ELF64 REL x86_64"
else
	fail "want ELF64 REL x86_64, got class '$class', type '$type', machine '$machine'"
fi

# --- relocations ---
# The sections' names and flags, then "section type" per relocation.
readelf -SW "$ro" >"$work/sections" 2>&1 || fail "readelf -S $ro"
# Allocated sections: the flags column holds an A. Lines look like
# "  [ 2] .text  PROGBITS  0000000000000000 000070 000b82 00  AX  0   0 16".
hex='[0-9a-f]'
sed -n "s/^ *\[ *[0-9]*\] \([^ ]*\) .* $hex\{6,\} $hex\{6,\} $hex\{2\} *\([A-Za-z]*\) .*/\1 \2/p" \
	"$work/sections" | awk '$2 ~ /A/ {print $1}' >"$work/alloc"
grep -qx '\.text' "$work/alloc" ||
	fail "no allocated .text among the sections: $(tr '\n' ' ' <"$work/alloc")"
readelf -rW "$ro" >"$work/relocs" 2>&1 || fail "readelf -r $ro"
awk "/^Relocation section '/ { s = \$3; gsub(/'/, \"\", s); sub(/^\\.rela?/, \"\", s); next }
	\$3 ~ /^R_/ { print s, \$3 }" "$work/relocs" >"$work/types"
nrel=$(wc -l <"$work/types")
bad=$(awk '$2 !~ /^R_X86_64_(NONE|64|32|32S|PC32|PLT32)$/' "$work/types" | sort | uniq -c)
if [ "$nrel" -eq 0 ]; then
	fail "no relocation read from readelf -r (a purgatory has some)"
elif [ -n "$bad" ]; then
	fail "relocation types outside NONE/64/32/32S/PC32/PLT32: $(echo $bad)"
else
	pass "$nrel relocations, all of NONE/64/32/32S/PC32/PLT32"
fi
abs32=$(awk 'NR == FNR { alloc[$1] = 1; next }
	($2 == "R_X86_64_32" || $2 == "R_X86_64_32S") && ($1 in alloc)' "$work/alloc" "$work/types" |
	sort | uniq -c)
if [ -n "$abs32" ]; then
	fail "R_X86_64_32/32S in allocated sections (no load above 4 GiB; -mcmodel=large?):" \
		"$(echo $abs32)"
else
	pass "no R_X86_64_32/32S in allocated sections"
fi

# --- no vector or x87/MMX registers ---
objdump -d "$ro" >"$work/dis" 2>&1 || fail "objdump -d $ro: $(tail -1 "$work/dis")"
ninsn=$(grep -cE '^ *[0-9a-f]+:' "$work/dis")
vec=$(grep -E '%([xyz]mm[0-9]+|mm[0-7]|st(\([0-7]\))?|k[0-7])\b' "$work/dis" | head -3)
if [ "$ninsn" -lt 10 ]; then
	fail "objdump -d shows $ninsn instructions, not a purgatory"
elif [ -n "$vec" ]; then
	fail "SSE/AVX/MMX/x87 registers in the code: $(echo $vec)"
else
	pass "$ninsn instructions, no xmm/ymm/zmm/mm/st/k register"
fi

# --- symbols ---
readelf -sW "$ro" >"$work/syms" 2>&1 || fail "readelf -s $ro"
for sym in purgatory_start purgatory_params stack_end; do
	# Num: Value Size Type Bind Vis Ndx Name
	if awk -v s="$sym" '$8 == s && $5 == "GLOBAL" && $7 != "UND" { found = 1 }
		END { exit !found }' "$work/syms"; then
		pass "$sym is a defined global symbol"
	else
		fail "$sym is not a defined global symbol"
	fi
done
undef=$(awk '$1 ~ /^[0-9]+:$/ && $7 == "UND" && $8 != ""  { print $8 }' "$work/syms")
if [ -n "$undef" ]; then
	fail "undefined symbols (the purgatory links nothing): $(echo $undef)"
else
	pass "no undefined symbol"
fi
finish
