#!/bin/bash
# Bad input gets one clear error line and exit status 1: never a crash,
# never a dump file left behind that looks complete.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-bad.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$GEN" --paging 4 "$work/good.vmcore" >/dev/null || { echo "vmcore-gen failed"; exit 1; }
good=$work/good.vmcore

# expect_error NAME INPUT PATTERN: fails cleanly, one line matching PATTERN.
expect_error() {
	local name=$1 input=$2 pattern=$3 status lines
	rm -f "$work/out"
	"$OURS" -E -d 31 "$input" "$work/out" >"$work/stdout" 2>"$work/stderr"
	status=$?
	lines=$(wc -l <"$work/stderr")
	if [ "$status" -ne 1 ]; then
		fail "$name: exit status $status, want 1"; sed 's/^/  /' "$work/stderr" | head -5
	elif [ "$lines" -ne 1 ]; then
		fail "$name: $lines lines on stderr, want 1"; sed 's/^/  /' "$work/stderr" | head -5
	elif ! grep -q -- "$pattern" "$work/stderr"; then
		fail "$name: error does not mention '$pattern': $(cat "$work/stderr")"
	elif [ -e "$work/out" ]; then
		fail "$name: a dump file was left behind"
	else
		pass "$name: $(cat "$work/stderr")"
	fi
}

# patch FILE OFFSET BYTES: overwrite bytes (printf escapes) in a copy.
patch_copy() {
	local out=$1 off=$2 bytes=$3
	cp "$good" "$out"
	printf "$bytes" | dd of="$out" bs=1 seek="$off" conv=notrunc status=none
}

# Byte offset of a string in the good vmcore.
offset_of() { grep -obUa -- "$1" "$good" | head -1 | cut -d: -f1; }

size=$(stat -c %s "$good")

expect_error "missing file" "$work/nonexistent" "cannot open"
: >"$work/empty"
expect_error "empty file" "$work/empty" "too short"
head -c 100000 /dev/urandom >"$work/random"
expect_error "random bytes" "$work/random" "not an ELF file"
head -c $((size / 2)) "$good" >"$work/truncated"
expect_error "truncated vmcore" "$work/truncated" "past the end of the file"
head -c 60 "$good" >"$work/header-only"
expect_error "truncated ELF header" "$work/header-only" "too short"
head -c 200 "$good" >"$work/cut-phdrs"
expect_error "truncated program headers" "$work/cut-phdrs" "program headers"

patch_copy "$work/class32" 4 '\001'
expect_error "ELF32 class" "$work/class32" "wrong ELF class"
patch_copy "$work/aarch64" 18 '\267\000'
expect_error "wrong machine" "$work/aarch64" "not x86_64"
patch_copy "$work/exec" 16 '\002\000'
expect_error "not a core file" "$work/exec" "not a core file"

off=$(offset_of VMCOREINFO)
patch_copy "$work/no-vmcoreinfo" "$off" 'XMCOREINFO'
expect_error "no VMCOREINFO" "$work/no-vmcoreinfo" "no VMCOREINFO"

off=$(offset_of 'SIZE(page)=')
patch_copy "$work/garbage-value" "$((off + 11))" 'zz'
expect_error "garbage VMCOREINFO value" "$work/garbage-value" "SIZE(page)"

off=$(offset_of 'OFFSET(page.flags)=')
patch_copy "$work/garbage-key" "$off" 'OFFSET(page.flagz)'
expect_error "missing VMCOREINFO entry" "$work/garbage-key" "OFFSET(page.flags)"

off=$(offset_of 'SYMBOL(mem_section)=')
patch_copy "$work/broken-line" "$((off + 6))" '\n\n\n'
expect_error "VMCOREINFO line without '='" "$work/broken-line" "malformed VMCOREINFO"

# The first PT_LOAD's p_offset (phdr 1 at 64+56, p_offset at +8) past EOF.
patch_copy "$work/load-past-eof" $((64 + 56 + 8)) '\000\000\000\000\000\001\000\000'
expect_error "PT_LOAD past end of file" "$work/load-past-eof" "past the end of the file"

# A phys_base that moves the page tables: the layout check must catch it.
off=$(offset_of 'NUMBER(phys_base)=')
patch_copy "$work/wrong-layout" "$((off + 18))" '9'
expect_error "wrong kernel layout" "$work/wrong-layout" "wrong"

finish
