#!/bin/bash
# Dumps hold secrets: created 0600 whatever the umask, an existing file is
# never overwritten without -f, and a write failure leaves no file behind.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
test_workdir mdf-safety
"$GEN" --paging 4 "$work/in.vmcore" >/dev/null || { echo "vmcore-gen failed"; exit 1; }

(umask 000; "$OURS" -E -d 31 "$work/in.vmcore" "$work/dump" >/dev/null 2>&1)
mode=$(stat -c %a "$work/dump" 2>/dev/null)
[ "$mode" = 600 ] && pass "dump created 0600 under umask 000" ||
	fail "dump mode is '$mode', want 600"

echo "precious" >"$work/existing"
if "$OURS" -E -d 31 "$work/in.vmcore" "$work/existing" >/dev/null 2>"$work/err"; then
	fail "overwrote an existing file without -f"
elif [ "$(cat "$work/existing")" != precious ]; then
	fail "existing file was modified"
elif ! grep -q "already exists" "$work/err"; then
	fail "no clear message: $(cat "$work/err")"
else
	pass "existing file kept: $(cat "$work/err")"
fi

if "$OURS" -f -E -d 31 "$work/in.vmcore" "$work/existing" >/dev/null 2>&1 &&
	[ "$(head -c 4 "$work/existing" | od -An -c | tr -d ' ')" = '177ELF' ]; then
	pass "-f replaces an existing file"
else
	fail "-f did not replace the existing file"
fi

ln -s "$work/target" "$work/link"
if "$OURS" -E -d 31 "$work/in.vmcore" "$work/link" >/dev/null 2>&1 || [ -e "$work/target" ]; then
	fail "followed a symlink at the dump path"
else
	pass "refuses to write through a symlink"
fi

# A full disk, simulated with a file size limit (EFBIG instead of SIGXFSZ).
(
	trap '' XFSZ
	ulimit -f 64
	"$OURS" -E -d 0 "$work/in.vmcore" "$work/full" >/dev/null 2>"$work/err"
)
status=$?
if [ $status -eq 1 ] && [ ! -e "$work/full" ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
	grep -q "File too large" "$work/err"; then
	pass "write failure: exit 1, partial dump removed: $(head -1 "$work/err")"
else
	fail "write failure: status $status, file left: $([ -e "$work/full" ] && echo yes || echo no), err: $(cat "$work/err")"
fi
# run_out ARGS...: the tool (never hanging) with stdout dropped; sets
# status, and the error lines in $work/err.
run_out() {
	timeout -k 5 60 "$OURS" "$@" >/dev/null 2>"$work/err"
	status=$?
}
# one_line PATTERN: exit status 1 and one error line matching PATTERN.
one_line() {
	[ "$status" -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q -- "$1" "$work/err"
}

# What is at the dump path and is not a regular file is never replaced,
# with -f or without: a link, a directory, a FIFO, a socket.
ln -s "$work/elsewhere" "$work/flink"
run_out -f -E -d 31 "$work/in.vmcore" "$work/flink"
if one_line "symbolic link" && [ -L "$work/flink" ] && [ ! -e "$work/elsewhere" ]; then
	pass "-f on a symlink: refused, link kept: $(cat "$work/err")"
else
	fail "-f on a symlink: status $status, link kept: $([ -L "$work/flink" ] && echo yes || echo no), err: $(cat "$work/err")"
fi
mkdir "$work/outdir"
for force in "" -f; do
	run_out $force -E -d 31 "$work/in.vmcore" "$work/outdir"
	if one_line "is a directory" && [ -d "$work/outdir" ]; then
		pass "directory as the dump${force:+ with -f}: $(cat "$work/err")"
	else
		fail "directory as the dump${force:+ with -f}: status $status, err: $(cat "$work/err")"
	fi
done
mkfifo "$work/outfifo"
run_out -f -E -d 31 "$work/in.vmcore" "$work/outfifo"
if one_line "is a FIFO" && [ -p "$work/outfifo" ]; then
	pass "-f on a FIFO: refused, FIFO kept: $(cat "$work/err")"
else
	fail "-f on a FIFO: status $status, FIFO kept: $([ -p "$work/outfifo" ] && echo yes || echo no), err: $(cat "$work/err")"
fi
if perl -MSocket -e 'socket(S, PF_UNIX, SOCK_STREAM, 0) && bind(S, pack_sockaddr_un($ARGV[0])) or exit 1' \
	"$work/outsock" 2>/dev/null; then
	run_out -f -E -d 31 "$work/in.vmcore" "$work/outsock"
	if one_line "is a socket" && [ -S "$work/outsock" ]; then
		pass "-f on a socket: refused, socket kept: $(cat "$work/err")"
	else
		fail "-f on a socket: status $status, socket kept: $([ -S "$work/outsock" ] && echo yes || echo no), err: $(cat "$work/err")"
	fi
else
	skip "-f on a socket: perl cannot create a unix socket here"
fi

# The input is never the dump, even with -f, whatever the spelling of its
# path: -f would replace the vmcore, a device would be overwritten while
# it is read.
cp "$work/in.vmcore" "$work/self"
sum=$(cksum <"$work/self")
run_out -f -E -d 31 "$work/self" "$work/./self"
if one_line "the input" && [ "$(cksum <"$work/self")" = "$sum" ]; then
	pass "-f with the input as the dump: refused, input kept: $(cat "$work/err")"
else
	fail "-f with the input as the dump: status $status, input kept: $([ "$(cksum <"$work/self")" = "$sum" ] && echo yes || echo no), err: $(cat "$work/err")"
fi
rm -f "$work/self"

# A device node is written in place with -f, never unlinked: /dev/null's
# numbers under a new name stand for any character device.
if mknod "$work/null" c 1 3 2>/dev/null && [ -c "$work/null" ] && : >"$work/null" 2>/dev/null; then
	run_out -f -E -d 31 "$work/in.vmcore" "$work/null"
	if [ "$status" -eq 0 ] && [ -c "$work/null" ]; then
		pass "-f on a character device: written in place, node kept"
	else
		fail "-f on a character device: status $status, still a device: $([ -c "$work/null" ] && echo yes || echo no), err: $(cat "$work/err")"
	fi
else
	skip "-f on a character device: cannot make a device node in $work (needs root, no nodev)"
fi

# A raw dump partition: a loop device, under a node of our own in $work
# (a tool that replaces the node must not remove /dev/loopN). It starts
# full of 0xff bytes, so the holes a new file would have must be zeroed.
# block_node NAME MIB: a MIB MiB block device of 0xff at $work/NAME.
block_node() {
	local img=$work/$1.img loop
	head -c $(($2 << 20)) /dev/zero | tr '\0' '\377' >"$img"
	loop=$(losetup -f --show "$img" 2>/dev/null) || return 1
	loops="$loops $loop"
	mknod "$work/$1" b $((0x$(stat -c %t "$loop"))) $((0x$(stat -c %T "$loop"))) 2>/dev/null &&
		head -c 1 "$work/$1" >/dev/null 2>&1
}
# ff_start NAME: the device still starts with 0xff bytes (untouched).
ff_start() { [ "$(head -c 16 "$work/$1" | od -An -tx1 | tr -d ' \n')" = "$(printf 'ff%.0s' $(seq 16))" ]; }
if block_node disk 40; then
	run_out -E -d 31 "$work/in.vmcore" "$work/disk"
	if one_line "block device; use -f" && ! grep -q "remove it" "$work/err" && ff_start disk && [ -b "$work/disk" ]; then
		pass "block device without -f: left alone: $(cat "$work/err")"
	else
		fail "block device without -f: status $status, untouched: $(ff_start disk && echo yes || echo no), err: $(cat "$work/err")"
	fi
	for fmt in -E -l; do
		rm -f "$work/as-file"
		"$OURS" $fmt -d 31 "$work/in.vmcore" "$work/as-file" >/dev/null 2>&1
		head -c $((40 << 20)) /dev/zero | tr '\0' '\377' >"$work/disk"
		run_out -f $fmt -d 31 "$work/in.vmcore" "$work/disk"
		if [ "$status" -ne 0 ]; then
			fail "$fmt dump on a block device with -f: status $status: $(cat "$work/err")"
		elif [ ! -b "$work/disk" ]; then
			fail "$fmt dump on a block device with -f: the device node was replaced"
		elif ! cmp -s -n "$(stat -c %s "$work/as-file")" "$work/as-file" "$work/disk"; then
			fail "$fmt dump on a block device with -f: differs from the same dump in a file"
		else
			pass "$fmt dump on a block device with -f: written in place, as in a file, holes zeroed"
		fi
	done
	# The device now holds a kdump-compressed dump: it is an input too.
	sum=$(head -c 1048576 "$work/disk" | cksum)
	run_out -f -E -d 31 "$work/disk" "$work/./disk"
	if one_line "the input" && [ "$(head -c 1048576 "$work/disk" | cksum)" = "$sum" ]; then
		pass "-f with the input device as the dump: refused, dump on it kept: $(cat "$work/err")"
	else
		fail "-f with the input device as the dump: status $status, err: $(cat "$work/err")"
	fi
	# O_EXCL: a block device someone holds (as a mounted one) is refused.
	if perl -MFcntl -e 'sysopen(F, shift, O_RDONLY | O_EXCL) or exit 99; exit(system(@ARGV) >> 8)' \
		"$work/disk" "$OURS" -f -E -d 31 "$work/in.vmcore" "$work/disk" >/dev/null 2>"$work/err"; then
		status=0
	else
		status=$?
	fi
	if [ "$status" -eq 99 ]; then
		skip "block device in use: perl cannot hold it"
	elif one_line "in use" && [ -b "$work/disk" ]; then
		pass "block device in use: refused: $(cat "$work/err")"
	else
		fail "block device in use: status $status, err: $(cat "$work/err")"
	fi
else
	skip "dump on a block device: no loop device or device node here (needs root, /dev/loop-control, no nodev)"
fi
if block_node small 2; then
	run_out -f -E -d 31 "$work/in.vmcore" "$work/small"
	if one_line "too small" && [ -b "$work/small" ] &&
		[ "$(head -c 65536 "$work/small" | tr -d '\0' | wc -c)" -eq 0 ]; then
		pass "block device too small: exit 1, start wiped: $(cat "$work/err")"
	else
		fail "block device too small: status $status, still a device: $([ -b "$work/small" ] && echo yes || echo no), err: $(cat "$work/err")"
	fi
else
	skip "block device too small: no loop device or device node here"
fi

finish
