#!/bin/bash
# kexec's command line beside Debian's kexec-tools 2.0.25 (/sbin/kexec):
# for invocations that load nothing, the exit statuses must be equal (kdump
# scripts test them), and each error of ours is one line on stderr. Only
# 2.0.25's statuses are compared, not its texts (it prints the whole usage).
# Without /sbin/kexec the statuses are checked against the table of
# doc/kexec-design.md §1 alone.
set -u
. "$top_srcdir/test/lib/report.sh"

ours=$top_builddir/kexec-tools/kexec
ref=${REF_KEXEC:-/sbin/kexec}
[ -x "$ours" ] || { fail "kexec not built: $ours"; finish; }
[ -x "$ref" ] || ref=
work=$(mktemp -d "${TMPDIR:-/tmp}/kexec-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT

# case EXPECTED ARGS...: our status is EXPECTED (from 2.0.25's code and
# measurements), and 2.0.25's too when it is installed.
case_status() {
	local want=$1 got rg lines
	shift
	"$ours" "$@" >"$work/out" 2>"$work/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "kexec $*: exit $got, want $want ($(head -n1 "$work/err"))"
		return
	fi
	lines=$(wc -l <"$work/err")
	# -S prints nothing whatever its answer; every other failure one line.
	if [ "$want" -ne 0 ] && [ "${1:-}" != -S ] && [ "${1:-}" != --status ] &&
		[ "$lines" -ne 1 ]; then
		fail "kexec $*: $lines lines on stderr, want one"
		return
	fi
	if [ -n "$ref" ]; then
		"$ref" "$@" >/dev/null 2>&1 </dev/null
		rg=$?
		if [ "$rg" -ne "$got" ]; then
			fail "kexec $*: exit $got, kexec-tools 2.0.25 exits $rg"
			return
		fi
		pass "kexec $*: exit $got, as kexec-tools 2.0.25"
	else
		pass "kexec $*: exit $got"
	fi
}

case_status 0 --version
case_status 0 -v
case_status 0 --help
case_status 0 -h
case_status 1 --bogus
case_status 1 -Z
case_status 1 -S --bogus
case_status 255
case_status 255 -l

# -S: 1 loaded, 0 not, 255 unreadable; whichever this machine is in, the
# same as 2.0.25 and as the state file says.
for args in "-S" "-S -p" "-S -l" "--status"; do
	f=/sys/kernel/kexec_crash_loaded
	[ "$args" = "-S -l" ] && f=/sys/kernel/kexec_loaded
	want=255
	[ -r "$f" ] && want=$(cat "$f")
	# shellcheck disable=SC2086
	case_status "$want" $args
done

# No crash kernel here: 1, as 2.0.25's "Memory for crashkernel is not
# reserved". With one reserved, /etc/passwd is not a bzImage: 255.
if grep -q 'Crash kernel' /proc/iomem 2>/dev/null && [ "$(id -u)" -eq 0 ]; then
	case_status 255 -p /etc/passwd
else
	case_status 1 -p /etc/passwd
fi

# --print-ckr-size: the same number as 2.0.25.
"$ours" --print-ckr-size >"$work/ours.ckr" 2>"$work/err"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -Eq '^[0-9]+$' "$work/ours.ckr"; then
	fail "kexec --print-ckr-size: exit $rc, output '$(cat "$work/ours.ckr")'"
elif [ -n "$ref" ] && ! "$ref" --print-ckr-size 2>/dev/null | cmp -s - "$work/ours.ckr"; then
	fail "kexec --print-ckr-size: '$(cat "$work/ours.ckr")', 2.0.25 '$("$ref" --print-ckr-size 2>/dev/null)'"
else
	pass "kexec --print-ckr-size: $(cat "$work/ours.ckr")"
fi

# Our own refusals, one line each, nothing loaded.
for args in "-p" "-p k extra" "-l -p k" "-u -S" "-e -p" "--pmem=some -p k" \
	"-s -p --pmem=none k" "-p k --initrd" "k"; do
	# shellcheck disable=SC2086
	"$ours" $args >/dev/null 2>"$work/err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q '^kexec: ' "$work/err"; then
		pass "kexec $args: refused (exit $rc): $(cat "$work/err")"
	else
		fail "kexec $args: exit $rc, stderr: $(tr '\n' '|' <"$work/err")"
	fi
done
finish
