#!/bin/bash
# The command lines Debian's kdump-tools runs in the capture kernel
# (doc/debian-design.md §1, §7), on a synthetic vmcore:
#   makedumpfile --dump-dmesg /proc/vmcore $DIR/dmesg.$STAMP
#   makedumpfile $MAKEDUMP_ARGS /proc/vmcore | compress > $DIR/dump-incomplete
# with MAKEDUMP_ARGS "-F -c -d 31", or "-c -F -d 31 -F" once kdump-config
# appends its -F. kdump-tools keeps the compressor's exit status, so a
# reader that goes away (cat on a full disk) must not kill us silently
# with SIGPIPE: the write fails, one error line, exit 1, and a stream
# without its end marker that -R calls truncated.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
[ -x "$OURS" ] || { echo "makedumpfile not built"; exit 77; }
test_workdir mdf-kdump-forms
"$GEN" --printk plain "$work/in.vmcore" >/dev/null || { echo "vmcore-gen failed"; exit 1; }
IN=$work/in.vmcore

# pipe_into LIMIT ARGS...: our -F output into `head -c LIMIT` (the reader
# leaves after LIMIT bytes); sets status (ours, not head's) and $work/err.
pipe_into() {
	local limit=$1
	shift
	timeout -k 5 120 "$OURS" "$@" 2>"$work/err" | head -c "$limit" >"$work/head.out"
	status=${PIPESTATUS[0]}
}

# Whole: the kdump-tools forms give one stream, which -R rebuilds.
n=0
for args in "-F -c -d 31" "-c -F -d 31 -F" "--num-threads 2 --message-level 7 -c -F -d 31 -F"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # the words of MAKEDUMP_ARGS
	timeout -k 5 120 "$OURS" $args "$IN" 2>"$work/err" >"$work/flat.$n"
	status=$?
	rm -f "$work/rebuilt"
	if [ "$status" -ne 0 ]; then
		fail "'$args': exit $status: $(head -c 300 "$work/err")"
	elif ! "$OURS" -R "$work/rebuilt" <"$work/flat.$n" >/dev/null 2>"$work/err.R"; then
		fail "'$args': the stream does not rebuild: $(cat "$work/err.R")"
	elif [ "$n" -gt 1 ] && ! cmp -s "$work/flat.1" "$work/flat.$n"; then
		fail "'$args': not the stream of '-F -c -d 31'"
	else
		pass "'$args': exit 0, $(stat -c %s "$work/flat.$n") bytes that -R rebuilds"
	fi
done

# The reader leaves early: exit 1 and one error line, never death by
# SIGPIPE (status 141, no word), with one thread or more.
for args in "-F -c -d 31" "-c -F -d 31 -F" "--num-threads 2 -c -F -d 31 -F"; do
	# shellcheck disable=SC2086
	pipe_into 100000 $args "$IN"
	if [ "$status" -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
		grep -q "^makedumpfile: cannot write .*Broken pipe" "$work/err"; then
		pass "'$args' | head -c 100000: exit 1, $(cat "$work/err")"
	else
		fail "'$args' | head -c 100000: exit $status (141 is SIGPIPE), err: $(head -c 300 "$work/err")"
	fi
done
# What the reader got has no end marker: -R says it is cut short.
if "$OURS" -R "$work/cut" <"$work/head.out" >/dev/null 2>"$work/err.R"; then
	fail "-R accepted a stream cut short"
elif [ "$(wc -l <"$work/err.R")" -eq 1 ] && grep -q "truncated" "$work/err.R" && [ ! -e "$work/cut" ]; then
	pass "-R of the stream cut short: $(cat "$work/err.R")"
else
	fail "-R of the stream cut short: $(cat "$work/err.R")"
fi

# --check-params: the command line only; the input is not read.
if "$OURS" --check-params -c -F -d 31 -F "$work/no-such-vmcore" >"$work/out" 2>"$work/err" &&
	[ ! -s "$work/out" ] && [ ! -s "$work/err" ]; then
	pass "--check-params -c -F -d 31 -F on a missing input: exit 0, silent"
else
	fail "--check-params on a missing input: status $?, $(cat "$work/out" "$work/err" | head -c 300)"
fi
"$OURS" --check-params --bogus "$work/no-such-vmcore" out >/dev/null 2>"$work/err"
status=$?
if [ "$status" -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q -- '--bogus' "$work/err"; then
	pass "--check-params with a bad option: exit 1, $(cat "$work/err")"
else
	fail "--check-params with a bad option: status $status, $(head -c 300 "$work/err")"
fi

# --dump-dmesg VMCORE FILE, as kdump-tools names it: 0600, the log.
mkdir "$work/202405061718"
if "$OURS" --dump-dmesg "$IN" "$work/202405061718/dmesg.202405061718" >/dev/null 2>"$work/err" &&
	[ "$(stat -c %a "$work/202405061718/dmesg.202405061718")" = 600 ] &&
	[ -s "$work/202405061718/dmesg.202405061718" ]; then
	pass "--dump-dmesg VMCORE FILE: the log, 0600"
else
	fail "--dump-dmesg VMCORE FILE: $(head -c 300 "$work/err")"
fi
# Only a run on /proc/vmcore keeps a capture record: a failed one on
# another input leaves no makedumpfile.FAILED beside its log.
"$OURS" --dump-dmesg "$work/no-such-vmcore" "$work/202405061718/dmesg.2" >/dev/null 2>"$work/err"
status=$?
if [ "$status" -eq 1 ] && [ ! -e "$work/202405061718/makedumpfile.FAILED" ]; then
	pass "a failed --dump-dmesg of another input than /proc/vmcore: no record beside it"
else
	fail "a failed --dump-dmesg of $work/no-such-vmcore: status $status, $(ls "$work/202405061718")"
fi

finish
