#!/bin/bash
# lib/kabi/pmem_kdump.h against the kernel patch series: every VMCOREINFO
# key the header names is one a patch exports and the other way round, and
# PMD_PF_DEV is the p_flags bit patch 0002 sets, and the live dump's note
# name and type are patch 0005's. Header values are read by
# compiling a small program against the header, not by reading its text;
# the patch side is read from the "+" lines of kernel-patches/*.patch.
set -u
. "$top_srcdir/test/lib/report.sh"

HDR=$top_srcdir/lib/kabi/pmem_kdump.h
PATCHES=$top_srcdir/kernel-patches
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-kabi.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -f "$HDR" ] || { fail "no header $HDR"; finish; }

# The compiler: $CC, else the one configure chose, else cc.
cc=${CC:-}
if [ -z "$cc" ] && [ -f "${top_builddir:-.}/Makefile" ]; then
	cc=$(sed -n 's/^CC = //p' "$top_builddir/Makefile" | head -1)
fi
cc=${cc:-cc}

# --- the patch series: files listed in series, in order ---
: >"$work/added"
npatches=0
if [ ! -f "$PATCHES/series" ]; then
	fail "no $PATCHES/series"
else
	while read -r p; do
		case $p in ''|'#'*) continue ;; esac
		if [ -f "$PATCHES/$p" ]; then
			# Added lines only, without the "+"; not the "+++" file names.
			sed -n '/^+++ /d; s/^+//p' "$PATCHES/$p" >>"$work/added"
			npatches=$((npatches + 1))
		else
			fail "series lists $p, which is not in kernel-patches/"
		fi
	done <"$PATCHES/series"
fi
if [ "$npatches" -gt 0 ] && [ -s "$work/added" ]; then
	pass "read $npatches patches ($(wc -l <"$work/added") added lines)"
else
	fail "no added lines read from the patch series"
fi

# VMCOREINFO keys the patches export, one per line (the text before '='
# that crash_core.h's VMCOREINFO_*() macros print). An invocation split over
# lines is joined first; a macro this table does not know is "?name".
awk '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
{
	line = (pending != "" ? pending " " : "") $0; pending = ""
	if (line !~ /^[ \t]*VMCOREINFO_[A-Z_]+[ \t]*\(/) { line = ""; next }
	if (line !~ /\)[ \t]*;/) { pending = line; line = ""; next }
	s = line; line = ""
	sub(/^[ \t]*VMCOREINFO_/, "", s)
	macro = s; sub(/[ \t]*\(.*/, "", macro)
	args = s; sub(/^[^(]*\(/, "", args); sub(/\)[ \t]*;.*$/, "", args)
	a1 = args; sub(/,.*/, "", a1); a1 = trim(a1)
	a2 = ""; if (args ~ /,/) { a2 = args; sub(/^[^,]*,/, "", a2); a2 = trim(a2) }
	if (macro == "SYMBOL" || macro == "SYMBOL_ARRAY") print "SYMBOL(" a1 ")"
	else if (macro == "SIZE" || macro == "STRUCT_SIZE") print "SIZE(" a1 ")"
	else if (macro == "OFFSET" || macro == "TYPE_OFFSET") print "OFFSET(" a1 "." a2 ")"
	else if (macro == "LENGTH") print "LENGTH(" a1 ")"
	else if (macro == "NUMBER") print "NUMBER(" a1 ")"
	else if (macro == "CONFIG") print "CONFIG_" a1
	else if (macro == "OSRELEASE" || macro == "PAGESIZE") print macro
	else if (macro == "BUILD_ID") print "BUILD-ID"
	else print "?" macro
}' "$work/added" | sort -u >"$work/exported"

# --- the header, through the compiler ---
# Names of the string-valued key macros (only the names come from the text;
# their values come from the compiler, and PMD_VMCI_KEYS must list them all).
sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}\(PMD_VMCI_[A-Za-z0-9_]*\)[[:space:]]\{1,\}".*/\1/p' \
	"$HDR" | sort -u >"$work/names"

# PF_DEV as the patch defines it: its expression, evaluated by the compiler.
sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}PF_DEV[[:space:]]\{1,\}//p' "$work/added" |
	sed 's|/\*.*||; s|//.*||; s/[[:space:]]*$//' | sort -u >"$work/pf_dev_expr"

{
	echo '#include <elf.h>'
	echo '#include <stdio.h>'
	echo '#include "kabi/pmem_kdump.h"'
	echo 'static const char *const keys[] = { PMD_VMCI_KEYS };'
	# nd_pfn_sb member widths, in order (drivers/nvdimm/pfn.h), to check
	# that the offsets tile the 4 KiB block.
	echo 'static const struct { const char *name; unsigned long off, width; } sb[] = {'
	echo '	{ "signature", PMD_PFN_SB_SIGNATURE_OFF, PMD_PFN_SB_SIGNATURE_LEN },'
	echo '	{ "uuid", PMD_PFN_SB_UUID_OFF, 16 },'
	echo '	{ "parent_uuid", PMD_PFN_SB_PARENT_UUID_OFF, 16 },'
	echo '	{ "flags", PMD_PFN_SB_FLAGS_OFF, 4 },'
	echo '	{ "version_major", PMD_PFN_SB_VERSION_MAJOR_OFF, 2 },'
	echo '	{ "version_minor", PMD_PFN_SB_VERSION_MINOR_OFF, 2 },'
	echo '	{ "dataoff", PMD_PFN_SB_DATAOFF_OFF, 8 },'
	echo '	{ "npfns", PMD_PFN_SB_NPFNS_OFF, 8 },'
	echo '	{ "mode", PMD_PFN_SB_MODE_OFF, 4 },'
	echo '	{ "start_pad", PMD_PFN_SB_START_PAD_OFF, 4 },'
	echo '	{ "end_trunc", PMD_PFN_SB_END_TRUNC_OFF, 4 },'
	echo '	{ "align", PMD_PFN_SB_ALIGN_OFF, 4 },'
	echo '	{ "page_size", PMD_PFN_SB_PAGE_SIZE_OFF, 4 },'
	echo '	{ "page_struct_size", PMD_PFN_SB_PAGE_STRUCT_SIZE_OFF, 2 },'
	echo '	{ "padding", PMD_PFN_SB_PAGE_STRUCT_SIZE_OFF + 2, 0 },'
	echo '	{ "checksum", PMD_PFN_SB_CHECKSUM_OFF, 8 },'
	echo '};'
	echo 'int main(void)'
	echo '{'
	echo '	unsigned long i, end = 0;'
	echo '	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)'
	echo '		printf("key %s\n", keys[i]);'
	while read -r n; do
		printf '\tprintf("name %%s %%s\\n", "%s", %s);\n' "$n" "$n"
	done <"$work/names"
	echo '	printf("pf_dev %lu\n", (unsigned long)(PMD_PF_DEV));'
	echo '	printf("ld_note %s %#lx\n", PMD_LIVEDUMP_NOTE_NAME, (unsigned long)PMD_LIVEDUMP_NOTE_TYPE);'
	echo '	printf("pf_used %lu\n", (unsigned long)(PF_X | PF_W | PF_R | PF_MASKOS | PF_MASKPROC));'
	while read -r e; do
		printf '\tprintf("patch_pf_dev %%lu\\n", (unsigned long)(%s));\n' "$e"
	done <"$work/pf_dev_expr"
	# Members follow each other with no gap but the padding before the
	# checksum, the checksum ends the block, and the block fits the reserve.
	echo '	for (i = 0; i < sizeof(sb) / sizeof(sb[0]); i++) {'
	echo '		if (sb[i].off != end && sb[i].width)'
	echo '			printf("layout %s at %lu, want %lu\n", sb[i].name, sb[i].off, end);'
	echo '		end = sb[i].width ? sb[i].off + sb[i].width : PMD_PFN_SB_CHECKSUM_OFF;'
	echo '	}'
	echo '	if (end != PMD_PFN_SB_SIZE)'
	echo '		printf("layout block ends at %lu, size %lu\n", end, (unsigned long)PMD_PFN_SB_SIZE);'
	echo '	if (PMD_PFN_SB_NS_OFFSET + PMD_PFN_SB_SIZE > PMD_PFN_SB_RESERVE)'
	echo '		printf("layout info block does not fit the reserve\n");'
	echo '	if (sizeof(PMD_PFN_SB_SIG_PFN) != PMD_PFN_SB_SIGNATURE_LEN ||'
	echo '	    sizeof(PMD_PFN_SB_SIG_DAX) != PMD_PFN_SB_SIGNATURE_LEN)'
	echo '		printf("layout signature length is not %d\n", PMD_PFN_SB_SIGNATURE_LEN);'
	echo '	if (!(PMD_PFN_MODE_NONE < PMD_PFN_MODE_RAM && PMD_PFN_MODE_RAM < PMD_PFN_MODE_PMEM))'
	echo '		printf("layout modes out of order\n");'
	echo '	printf("layout checked\n");'
	echo '	return 0;'
	echo '}'
} >"$work/kabi.c"

# shellcheck disable=SC2086 # $cc may be "gcc -std=gnu11"
if ! $cc -std=gnu99 -Wall -Werror -I"$top_srcdir/lib" -o "$work/kabi" "$work/kabi.c" \
	>"$work/cc.log" 2>&1; then
	fail "cannot compile a program against the header ($cc)"
	sed 's/^/  /' "$work/cc.log" | head -20
	finish
fi
if ! "$work/kabi" >"$work/values"; then
	fail "the header program failed"
	finish
fi
pass "compiled a program against lib/kabi/pmem_kdump.h ($cc)"

sed -n 's/^key //p' "$work/values" | sort -u >"$work/keys"

# --- checks ---

# The key list is complete: every PMD_VMCI_* string macro is in PMD_VMCI_KEYS.
sed -n 's/^name [^ ]* //p' "$work/values" | sort -u >"$work/named_keys"
if [ ! -s "$work/keys" ]; then
	fail "PMD_VMCI_KEYS lists no VMCOREINFO key"
elif [ ! -s "$work/named_keys" ]; then
	fail "the header defines no PMD_VMCI_* key string"
else
	missing=$(comm -23 "$work/named_keys" "$work/keys")
	if [ -n "$missing" ]; then
		fail "PMD_VMCI_KEYS leaves out: $(echo "$missing" | paste -sd " " -)"
	else
		pass "PMD_VMCI_KEYS lists all $(wc -l <"$work/named_keys") PMD_VMCI_* key strings"
	fi
fi

[ -s "$work/exported" ] || fail "the patches export no VMCOREINFO key"

# Header -> patches, one line per key, with the macro that would export it.
while read -r k; do
	case $k in
	SYMBOL\(*\)) want="VMCOREINFO_SYMBOL(${k#SYMBOL(}" ;;
	SIZE\(*\)) want="VMCOREINFO_STRUCT_SIZE(${k#SIZE(} or VMCOREINFO_SIZE" ;;
	OFFSET\(*.*\))
		sf=${k#OFFSET(}; sf=${sf%)}
		want="VMCOREINFO_OFFSET(${sf%%.*}, ${sf#*.})" ;;
	*) fail "header key '$k' is not SYMBOL(x), SIZE(x) or OFFSET(s.f)"; continue ;;
	esac
	if grep -qxF -- "$k" "$work/exported"; then
		pass "header key $k: the patches export it ($want)"
	else
		fail "header key $k: no patch exports it (want $want)"
	fi
done <"$work/keys"

# Patches -> header: every key the series adds is named in the header.
while read -r k; do
	case $k in
	'?'*) fail "the patches use VMCOREINFO_${k#?}(), which this test cannot map to a key" ;;
	*)
		if grep -qxF -- "$k" "$work/keys"; then
			pass "patch export $k: in the header"
		else
			fail "patch export $k: not in lib/kabi/pmem_kdump.h"
		fi ;;
	esac
done <"$work/exported"

# The exported struct members exist in the struct the patch adds.
while read -r k; do
	case $k in OFFSET\(*.*\)) ;; *) continue ;; esac
	sf=${k#OFFSET(}; sf=${sf%)}; s=${sf%%.*}; f=${sf#*.}
	members=$(awk -v s="$s" '
		$0 ~ "^struct[ \t]+" s "[ \t]*\\{" { in_s = 1; found = 1; next }
		in_s && /^};/ { in_s = 0 }
		in_s { sub(/\/\*.*/, ""); gsub(/[^A-Za-z0-9_]+/, " "); print }
		END { if (!found) exit 1 }' "$work/added" | tr ' ' '\n' | grep -v '^$')
	if [ -z "$members" ]; then
		fail "$k: the patches define no struct $s"
	elif echo "$members" | grep -qxF -- "$f"; then
		pass "$k: struct $s has member $f"
	else
		fail "$k: struct $s in the patches has no member $f"
	fi
done <"$work/keys"

# PF_DEV: the patch defines it once, sets it on p_flags, and the header agrees.
pf=$(sed -n 's/^pf_dev //p' "$work/values")
pf_patch=$(sed -n 's/^patch_pf_dev //p' "$work/values" | sort -u)
pf_used=$(sed -n 's/^pf_used //p' "$work/values")
if [ -z "$pf_patch" ]; then
	fail "PF_DEV: no patch defines it (#define PF_DEV on an added line)"
elif [ "$(echo "$pf_patch" | wc -l)" -ne 1 ]; then
	fail "PF_DEV: the patches define it more than one way: $(echo "$pf_patch" | tr '\n' ' ')"
elif [ -z "$pf" ]; then
	fail "PF_DEV: no PMD_PF_DEV value from the header"
elif [ "$pf" -ne "$pf_patch" ]; then
	fail "PF_DEV: header PMD_PF_DEV=$pf, patch PF_DEV ($(cat "$work/pf_dev_expr"))=$pf_patch"
else
	pass "PF_DEV: header PMD_PF_DEV=$(printf '%#x' "$pf") = patch's $(cat "$work/pf_dev_expr")"
fi
if grep -Eq 'p_flags[[:space:]]*(\|=|=.*\|)[^;]*\bPF_DEV\b' "$work/added"; then
	pass "PF_DEV: a patch ORs it into a program header's p_flags"
else
	fail "PF_DEV: no patch sets it in p_flags"
fi
if [ -n "$pf" ] && [ -n "$pf_used" ]; then
	if [ "$pf" -eq 0 ] || [ $((pf & (pf - 1))) -ne 0 ]; then
		fail "PF_DEV: $pf is not a single bit"
	elif [ $((pf & pf_used)) -ne 0 ]; then
		fail "PF_DEV: $(printf '%#x' "$pf") overlaps PF_R/W/X or PF_MASKOS/PF_MASKPROC"
	else
		pass "PF_DEV: one bit, clear of PF_R/W/X and the OS/processor masks"
	fi
fi

# The live dump's note: the name and type the patch writes.
ld_hdr=$(sed -n 's/^ld_note //p' "$work/values")
ld_name=$(sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}LD_NOTE_NAME[[:space:]]\{1,\}"\([^"]*\)".*/\1/p' "$work/added")
ld_type=$(sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}LD_NOTE_TYPE[[:space:]]\{1,\}\(0x[0-9a-fA-F]*\).*/\1/p' "$work/added")
if [ -z "$ld_name" ] || [ -z "$ld_type" ]; then
	fail "LIVEDUMP note: no patch defines LD_NOTE_NAME and LD_NOTE_TYPE"
elif [ "$ld_hdr" = "$ld_name $(printf '%#x' "$ld_type")" ]; then
	pass "LIVEDUMP note: header name and type ($ld_hdr) = the patch's"
else
	fail "LIVEDUMP note: header '$ld_hdr', patch '$ld_name $ld_type'"
fi

# The info block offsets tile struct nd_pfn_sb.
layout=$(sed -n 's/^layout //p' "$work/values")
if [ "$layout" = checked ]; then
	pass "nd_pfn_sb offsets: members back to back, checksum ends the 4 KiB block"
elif [ -z "$layout" ]; then
	fail "nd_pfn_sb offsets: the program did not check them"
else
	echo "$layout" | grep -v '^checked$' | while read -r l; do echo "  $l"; done
	fail "nd_pfn_sb offsets do not tile the block"
fi

finish
