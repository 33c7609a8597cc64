#!/bin/bash
# Bad input gets one clear error line and exit status 1: never a crash,
# never a dump file left behind that looks complete.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
test_workdir mdf-bad
"$GEN" --paging 4 "$work/good.vmcore" >/dev/null || { echo "vmcore-gen failed"; exit 1; }
good=$work/good.vmcore

# expect_error NAME INPUT PATTERN: fails cleanly, one line matching PATTERN.
expect_error() {
	local name=$1 input=$2 pattern=$3 status lines
	rm -f "$work/out"
	# An input that blocks (a FIFO opened for reading) must not hang the run.
	timeout -k 5 30 "$OURS" -E -d 31 "$input" "$work/out" >"$work/stdout" 2>"$work/stderr"
	status=$?
	lines=$(wc -l <"$work/stderr")
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		fail "$name: hung, killed after 30 s"
	elif [ "$status" -ne 1 ]; then
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

# Byte offset of a string in the good vmcore; fails when it is not there
# (an empty offset would patch the ELF header instead).
offset_of() {
	local off
	off=$(grep -obUa -- "$1" "$good" | head -1 | cut -d: -f1)
	[ -n "$off" ] || { echo "bad-input: '$1' not found in $good" >&2; return 1; }
	echo "$off"
}

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

if off=$(offset_of VMCOREINFO); then
	patch_copy "$work/no-vmcoreinfo" "$off" 'XMCOREINFO'
	expect_error "no VMCOREINFO" "$work/no-vmcoreinfo" "no VMCOREINFO"
else
	fail "no VMCOREINFO: the fixture has no VMCOREINFO"
fi

if off=$(offset_of 'SIZE(page)='); then
	patch_copy "$work/garbage-value" "$((off + 11))" 'zz'
	expect_error "garbage VMCOREINFO value" "$work/garbage-value" "SIZE(page)"
else
	fail "garbage VMCOREINFO value: the fixture has no SIZE(page)="
fi

if off=$(offset_of 'OFFSET(page.flags)='); then
	patch_copy "$work/garbage-key" "$off" 'OFFSET(page.flagz)'
	expect_error "missing VMCOREINFO entry" "$work/garbage-key" "OFFSET(page.flags)"
else
	fail "missing VMCOREINFO entry: the fixture has no OFFSET(page.flags)="
fi

if off=$(offset_of 'SYMBOL(mem_section)='); then
	patch_copy "$work/broken-line" "$((off + 6))" '\n\n\n'
	expect_error "VMCOREINFO line without '='" "$work/broken-line" "malformed VMCOREINFO"
else
	fail "VMCOREINFO line without '=': the fixture has no SYMBOL(mem_section)="
fi

# The first PT_LOAD's p_offset (phdr 1 at 64+56, p_offset at +8) past EOF.
patch_copy "$work/load-past-eof" $((64 + 56 + 8)) '\000\000\000\000\000\001\000\000'
expect_error "PT_LOAD past end of file" "$work/load-past-eof" "past the end of the file"

# A phys_base that moves the page tables: the layout check must catch it.
if off=$(offset_of 'NUMBER(phys_base)='); then
	patch_copy "$work/wrong-layout" "$((off + 18))" '9'
	expect_error "wrong kernel layout" "$work/wrong-layout" "wrong"
else
	fail "wrong kernel layout: the fixture has no NUMBER(phys_base)="
fi

# VMCOREINFO is the dumped kernel's memory: bytes of it in a message are
# escaped (\xNN) and cut short, never echoed raw to a terminal.
# raw_bytes NAME: stderr holds only printable ASCII.
raw_bytes() {
	if LC_ALL=C grep -q '[^[:print:]]' "$work/stderr"; then
		fail "$1: raw bytes echoed: $(cat -v "$work/stderr")"
	else
		pass "$1: no raw byte on stderr"
	fi
}
if off=$(offset_of 'SYMBOL(mem_section)='); then
	patch_copy "$work/binary-line" "$off" '\033[2J\377\001\n'
	expect_error "VMCOREINFO line of binary bytes" "$work/binary-line" '"\\x1b\[2J\\xff\\x01"'
	raw_bytes "VMCOREINFO line of binary bytes"
	patch_copy "$work/long-line" "$off" "$(printf 'A%.0s' $(seq 400))\n"
	expect_error "VMCOREINFO line of 400 bytes" "$work/long-line" 'AAA\.\.\."'
	len=$(wc -c <"$work/stderr")
	[ "$len" -le 200 ] && pass "VMCOREINFO line of 400 bytes: cut to $len bytes" ||
		fail "VMCOREINFO line of 400 bytes: a $len-byte error line"
else
	fail "VMCOREINFO line of binary bytes: the fixture has no SYMBOL(mem_section)="
fi
if off=$(offset_of 'SIZE(page)='); then
	patch_copy "$work/binary-value" "$((off + 11))" '\377\033'
	expect_error "VMCOREINFO value of binary bytes" "$work/binary-value" 'SIZE(page) has a bad value "\\xff\\x1b'
	raw_bytes "VMCOREINFO value of binary bytes"
else
	fail "VMCOREINFO value of binary bytes: the fixture has no SIZE(page)="
fi

# Inputs that are not files are refused at once, by what they are: none
# may block (a FIFO in open), none may be read as a tiny or huge "file".
mkdir "$work/adir"
expect_error "directory as input" "$work/adir" "is a directory"
expect_error "/dev/null as input" /dev/null "is a character device"
mkfifo "$work/fifo"
expect_error "FIFO as input" "$work/fifo" "is a FIFO"
if perl -MSocket -e 'socket(S, PF_UNIX, SOCK_STREAM, 0) && bind(S, pack_sockaddr_un($ARGV[0])) or exit 1' \
	"$work/sock" 2>/dev/null; then
	expect_error "socket as input" "$work/sock" "is a socket"
else
	skip "socket as input: perl cannot create a unix socket here"
fi

# A dump partition is not a file but is a dump: a loop device over a
# vmcore, and over a kdump-compressed dump with stale bytes after it,
# read as the files are (root and a loop device needed).
# from_device NAME FILE OPTIONS: the dump of FILE's loop device equals FILE's.
from_device() {
	local name=$1 file=$2 loop
	shift 2
	if ! loop=$(losetup -f --show -r "$file" 2>/dev/null); then
		skip "$name: no loop device here (needs root and /dev/loop-control)"
		return
	fi
	loops="$loops $loop"
	rm -f "$work/from-file" "$work/from-dev"
	if ! "$OURS" "$@" "$file" "$work/from-file" >/dev/null 2>"$work/stderr"; then
		fail "$name: the file itself fails: $(head -1 "$work/stderr")"
	elif ! timeout -k 5 60 "$OURS" "$@" "$loop" "$work/from-dev" >/dev/null 2>"$work/stderr"; then
		fail "$name: $(head -1 "$work/stderr")"
	elif ! cmp -s "$work/from-file" "$work/from-dev"; then
		fail "$name: the dump differs from the file's"
	else
		pass "$name: read from $loop as from the file"
	fi
}
from_device "ELF vmcore on a block device" "$good" -E -d 31
if "$OURS" -l -d 31 "$good" "$work/good.kdump" >/dev/null 2>"$work/stderr"; then
	cat "$work/good.kdump" >"$work/kdump.img"
	head -c 1048576 /dev/urandom >>"$work/kdump.img"
	from_device "kdump-compressed dump on a block device" "$work/kdump.img" -E -d 31
else
	fail "kdump-compressed dump on a block device: cannot write it: $(head -1 "$work/stderr")"
fi

finish
