#!/bin/bash
# kdump-compressed and flattened output, checked by independent readers:
# makedumpfile 1.7.2 (byte-identical files, refiltering, -R), libkdumpfile
# (every page read back equals the input; excluded pages have no data),
# and our own reader (refiltering, ELF from a kdump dump).
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
CHECK=$top_builddir/test/vmcore-gen/vmcore-check
READ=$top_srcdir/test/reference/kdumpfile-read.py
EXPECT=$top_srcdir/test/vmcore-gen/expected-report.sh
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-kdump.XXXXXX")
trap 'rm -rf "$work"' EXIT
vm=$work/in.vmcore
"$GEN" --paging 4 --kaslr-seed 99 "$vm" >/dev/null || { echo "vmcore-gen failed"; exit 1; }

ours() { "$OURS" "$@" >"$work/ours.log" 2>&1; }

# 1. The thread count never changes a byte.
for comp in -c -l -z ""; do
	for dl in 0 31; do
		rm -f "$work"/t*.kd
		ours $comp -d "$dl" "$vm" "$work/t0.kd" &&
			ours $comp -d "$dl" --num-threads 2 "$vm" "$work/t2.kd" &&
			ours $comp -d "$dl" --num-threads 3 "$vm" "$work/t3.kd"
		if cmp -s "$work/t0.kd" "$work/t2.kd" && cmp -s "$work/t0.kd" "$work/t3.kd"; then
			pass "'$comp' -d $dl: same file with 1, 2 and 3 threads"
		else
			fail "'$comp' -d $dl: output depends on --num-threads"
		fi
	done
done

# 2. Byte-identical to makedumpfile 1.7.2 (which has no zstd), same report.
if [ -n "${REF_MAKEDUMPFILE:-}" ] && [ -x "$REF_MAKEDUMPFILE" ]; then
	for comp in -c -l ""; do
		for dl in 0 1 31; do
			rm -f "$work/o.kd" "$work/r.kd"
			"$OURS" $comp -d "$dl" --message-level 31 "$vm" "$work/o.kd" >"$work/o.log" 2>&1
			"$REF_MAKEDUMPFILE" $comp -d "$dl" --message-level 31 "$vm" "$work/r.kd" >"$work/r.log" 2>/dev/null
			if ! cmp -s "$work/o.kd" "$work/r.kd"; then
				fail "'$comp' -d $dl: file differs from makedumpfile 1.7.2's"
			elif ! counts_complete "$work/r.log" || ! grep -q 'Write bytes' "$work/r.log"; then
				fail "'$comp' -d $dl: makedumpfile 1.7.2's report is incomplete (no counts or no Write bytes)"
			elif ! diff <(report_counts "$work/o.log"; grep 'Write bytes' "$work/o.log") \
				    <(report_counts "$work/r.log"; grep 'Write bytes' "$work/r.log") >/dev/null; then
				fail "'$comp' -d $dl: report differs from makedumpfile 1.7.2's"
			else
				pass "'$comp' -d $dl: byte-identical to makedumpfile 1.7.2, same report"
			fi
		done
	done
else
	skip "makedumpfile 1.7.2 not installed"
fi

# 3. libkdumpfile reads back every dumped page; the rest has no data. How
# many: the manifest's page frames, less those the model (expected-report.sh,
# from the manifest) excludes; zero pages stay readable (they share one zero
# page). The reader accounts for every frame of the vmcore.
if /usr/bin/python3 -c 'import kdumpfile' 2>/dev/null; then
	frames=$(num_key "${vm%.vmcore}.manifest" dumped_pages) || frames=
	for comp in -c -l -z ""; do
		for dl in 1 31; do
			rm -f "$work/k.kd"
			"$OURS" $comp -d "$dl" --message-level 31 "$vm" "$work/k.kd" >"$work/k.log" 2>&1
			if [ -z "$frames" ] ||
				! bash "$EXPECT" "${vm%.vmcore}.manifest" "$dl" single >"$work/k.expected" ||
				! m_excl=$(value "$work/k.expected" excluded) ||
				! m_zero=$(value "$work/k.expected" zero); then
				fail "'$comp' -d $dl: libkdumpfile: no expectation from the manifest"
				continue
			fi
			want=$((frames - m_excl + m_zero))
			if /usr/bin/python3 "$READ" "$vm" "$work/k.kd" >"$work/read" 2>&1 &&
				grep -q "readable=$want absent=$((frames - want)) " "$work/read"; then
				pass "'$comp' -d $dl: libkdumpfile: $(cat "$work/read")"
			else
				fail "'$comp' -d $dl: libkdumpfile: $(head -3 "$work/read"), want readable=$want absent=$((frames - want)) (manifest: $frames frames)"
			fi
		done
	done
else
	skip "python3-libkdumpfile not installed"
fi

# 4. Refiltering a kdump dump equals filtering the vmcore, for both tools.
rm -f "$work"/re*.kd
ours -c -d 0 "$vm" "$work/re0.kd" && ours -c -d 31 "$vm" "$work/re-direct.kd" &&
	ours -c -d 31 "$work/re0.kd" "$work/re-ours.kd"
cmp -s "$work/re-ours.kd" "$work/re-direct.kd" &&
	pass "refiltering -d 0 to -d 31 equals filtering the vmcore" ||
	fail "refiltered dump differs from the direct one"
if [ -n "${REF_MAKEDUMPFILE:-}" ]; then
	"$REF_MAKEDUMPFILE" -c -d 31 "$work/re0.kd" "$work/re-ref.kd" >/dev/null 2>&1
	cmp -s "$work/re-ref.kd" "$work/re-direct.kd" &&
		pass "makedumpfile 1.7.2 refilters our dump to the same file" ||
		fail "makedumpfile 1.7.2 refiltering our dump gives another file"
else
	skip "makedumpfile 1.7.2 not installed: refiltering our dump with it"
fi

# 5. ELF out of a kdump dump: every page equals the input.
rm -f "$work/fromkd.elf"
if ours -E -d 0 "$work/re0.kd" "$work/fromkd.elf" &&
	"$CHECK" -z "$vm" "$work/fromkd.elf" >"$work/check" 2>&1; then
	pass "ELF from a kdump dump: $(head -1 "$work/check")"
else
	fail "ELF from a kdump dump: $(tail -1 "$work/check" 2>/dev/null)"
fi

# 6. Flattened format through pipes, in every direction.
ours -l -d 31 "$vm" "$work/direct.kd"
rm -f "$work/f1.kd"
"$OURS" -F -l -d 31 "$vm" 2>/dev/null | "$OURS" -R "$work/f1.kd" >/dev/null 2>&1
cmp -s "$work/f1.kd" "$work/direct.kd" && pass "-F | -R rebuilds the same dump" ||
	fail "-F | -R gives another dump"
if [ -n "${REF_MAKEDUMPFILE:-}" ]; then
	rm -f "$work/f2.kd" "$work/f3.kd"
	"$OURS" -F -l -d 31 "$vm" 2>/dev/null | "$REF_MAKEDUMPFILE" -R "$work/f2.kd" >/dev/null 2>&1
	"$REF_MAKEDUMPFILE" -F -l -d 31 "$vm" 2>/dev/null | "$OURS" -R "$work/f3.kd" >/dev/null 2>&1
	cmp -s "$work/f2.kd" "$work/direct.kd" && cmp -s "$work/f3.kd" "$work/direct.kd" &&
		pass "flattened streams interchange with makedumpfile 1.7.2 both ways" ||
		fail "flattened stream not interchangeable with makedumpfile 1.7.2"
else
	skip "makedumpfile 1.7.2 not installed: flattened streams both ways"
fi
rm -f "$work/f5.kd"
"$OURS" -F -l -d 31 --message-level 31 "$vm" 2>"$work/err" | "$OURS" -R "$work/f5.kd" >/dev/null 2>&1
cmp -s "$work/f5.kd" "$work/direct.kd" && grep -q 'Remaining pages' "$work/err" &&
	pass "-F with the report: the report goes to stderr, the stream stays intact" ||
	fail "-F with --message-level 31 corrupts the stream or loses the report"
rm -f "$work/f4.kd"
"$OURS" -F -l -d 31 "$vm" 2>/dev/null | head -c 100000 >"$work/cut.flat"
cat "$work/cut.flat" | "$OURS" -R "$work/f4.kd" >/dev/null 2>"$work/err"
# (an empty stream, from a -F that wrote nothing, is not the case tested)
[ "$(stat -c %s "$work/cut.flat")" -eq 100000 ] &&
	[ ! -e "$work/f4.kd" ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
	pass "a cut flattened stream is rejected: $(cat "$work/err")" ||
	fail "a cut flattened stream was accepted or left a file"

# 7. Failures: a truncated kdump input, a full disk while writing.
head -c 20000 "$work/direct.kd" >"$work/cut.kd"
rm -f "$work/o.kd"
"$OURS" -l -d 31 "$work/cut.kd" "$work/o.kd" >/dev/null 2>"$work/err"
# (the cut must be of a real dump: 20000 bytes, not an empty file)
[ $? -eq 1 ] && [ "$(stat -c %s "$work/cut.kd")" -eq 20000 ] &&
	[ ! -e "$work/o.kd" ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
	pass "truncated kdump input: $(cat "$work/err")" ||
	fail "truncated kdump input: $(cat "$work/err")"
(trap '' XFSZ; ulimit -f 200; "$OURS" -l -d 0 "$vm" "$work/full.kd" >/dev/null 2>"$work/err")
[ $? -eq 1 ] && [ ! -e "$work/full.kd" ] && [ "$(wc -l <"$work/err")" -eq 1 ] &&
	pass "disk full during kdump output: $(cat "$work/err")" ||
	fail "disk full during kdump output: $(cat "$work/err")"
finish
