#!/bin/bash
# Dumps hold secrets: created 0600 whatever the umask, an existing file is
# never overwritten without -f, and a write failure leaves no file behind.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-safety.XXXXXX")
trap 'rm -rf "$work"' EXIT
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
finish
