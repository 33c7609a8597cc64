#!/usr/bin/env bash
# Live dump beside its reference, in one run per guest size: the lab
# scenarios livedump-1g and livedump-2g (scripts/lab.d/scenarios) fill the
# guest (page cache, tmpfs, anonymous memory), start a writer loop and the
# invariant writers of CONFIG_LIVEDUMP_TEST, measure the writer's rate
# alone, then take a live dump to a file, measure the writer alone again,
# and copy all RAM from /proc/kcore (what imaging a running kernel is
# without live dump). The writer (scripts/lab.d/guest/ld-writer.py)
# rewrites 32 MiB of tmpfs and 32 MiB of page cache with pwrite(): kernel
# writes through the direct map, which the live dump protects. Printed
# per size: the stop (the leader's work with every CPU held, and the whole
# stop_machine() call, also per GiB of RAM), the total time, the buffer
# used, the writer's rate and its slowdown against the mean of the two
# rates alone, and whether the invariants hold in each image.
#
#   bench/livedump.sh                 both sizes (about 4 min each under TCG)
#   SIZES=1g bench/livedump.sh        one size
#   PMEMDUMP_LAB_REUSE=1 bench/livedump.sh   print the last runs' figures
#
# Needs what the VM lab needs (doc/lab.md): root, qemu-system-x86_64, the
# lab kernel (built on the first run). Under TCG the writer's rate is noisy
# (a shared host moves it by 10-20 %): compare the two columns of one run.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
LAB=$top/scripts/lab
sizes=${SIZES:-1g 2g}

get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1; }
# pct RATE BASE: the slowdown of RATE against BASE, in percent
pct() { [ -n "$1" ] && [ -n "$2" ] && echo "scale=1; 100 * ($2 - $1) / $2" | bc; }

printf '%-5s %-22s %12s %12s\n' size figure "live dump" "/proc/kcore"
status=0
for size in $sizes; do
	s=livedump-$size
	res=$("$LAB" run-dir "$s") || exit 1
	if [ "${PMEMDUMP_LAB_REUSE:-0}" != 1 ] || [ ! -f "$res/first.kcore-ram.status" ]; then
		if ! "$LAB" run "$s" >/dev/null; then
			echo "$s: the scenario failed (see $res/../serial.log)" >&2
			status=1
			continue
		fi
	fi
	d=$res/first.dump1.status k=$res/first.kcore-ram.status
	gib=${size%g}
	# the writer alone, before the dump and after it: their mean
	b0=$(get "$res/first.baseline" writer_rate) b1=$(get "$res/first.baseline-after" writer_rate)
	base=$(echo "scale=3; (${b0:-0} + ${b1:-0}) / 2" | bc)
	stop=$(get "$d" stop_us) call=$(get "$d" stop_machine_us)
	inv_d=missing
	if grep -q BROKEN "$res/first.dump1.invariants" 2>/dev/null; then
		inv_d=broken
	elif grep -q ': holds$' "$res/first.dump1.invariants" 2>/dev/null; then
		inv_d=hold
	fi
	printf '%-5s %-22s %12s %12s\n' "$size" "stop (us)" "$stop" -
	printf '%-5s %-22s %12s %12s\n' "$size" "stop_machine (us)" "$call" -
	printf '%-5s %-22s %12s %12s\n' "$size" "stop per GiB (us)" "$((stop / gib))" -
	printf '%-5s %-22s %12s %12s\n' "$size" "total (s)" \
		"$(echo "scale=1; $(get "$d" total_ms) / 1000" | bc)" "$(get "$k" wall_seconds | cut -c1-6)"
	printf '%-5s %-22s %12s %12s\n' "$size" "buffer used (MiB)" \
		"$(($(get "$d" buffer_max_used) * 4096 >> 20)) of $(($(get "$d" buffer_pages) * 4096 >> 20))" -
	printf '%-5s %-22s %12s %12s\n' "$size" "writer alone (rounds/s)" "$b0, $b1" -
	printf '%-5s %-22s %12s %12s\n' "$size" "writer (rounds/s)" "$(get "$d" writer_rate)" "$(get "$k" writer_rate)"
	printf '%-5s %-22s %12s %12s\n' "$size" "writer slowdown (%)" \
		"$(pct "$(get "$d" writer_rate)" "$base")" "$(pct "$(get "$k" writer_rate)" "$base")"
	printf '%-5s %-22s %12s %12s\n' "$size" "invariants" "$inv_d" "$(get "$k" invariants)"
done
exit $status
