#!/bin/bash
# The cost of the pmem filter does not depend on the size of the pmem
# region: two synthetic vmcores with the same 4 GiB of namespaces, one in a
# 4 GiB region and one in a 4 TiB region (the rest unallocated: all zero,
# no info block, no memmap, but inside the PF_DEV PT_LOAD).  Under strace,
# our makedumpfile (-l and -E at -d 31, mmap and --non-mmap) must never
# read or map a byte of the vmcore inside the unallocated part, and both
# vmcores must give the same report but for the lines that count those
# pages (Original, Excluded, pmem userdata, Total), which must differ by
# exactly its size.  No timing: bench/compare-makedumpfile.sh measures.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
EXPECT=$top_srcdir/test/vmcore-gen/expected-pmemdump.sh
[ -x "$GEN" ] || { echo "vmcore-gen not built"; exit 77; }
command -v strace >/dev/null || { echo "strace not installed (scripts/setup-deps)"; exit 77; }
command -v readelf >/dev/null || { echo "readelf not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-pmem-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A line's value in decimal: line_value FILE LABEL-REGEX; fails (nothing
# printed) when the line is missing: never a 0.
line_value() {
	local v
	v=$(report_lines "$1" | sed -n "s/^ *$2 *: *\(0x[0-9a-f]*\).*/\1/p" | head -n1)
	case $v in
	0x[0-9a-f]*) printf '%d\n' "$v" ;;
	*) echo "pmem-cost: no '$2' line in $1" >&2; return 1 ;;
	esac
}

# pmem_segment VMCORE PADDR: "OFFSET FILESZ" of the PT_LOAD at PADDR.
pmem_segment() {
	readelf -lW "$1" | awk -v pa="$2" '
		$1 == "LOAD" && tolower($4) == tolower(pa) { print $2, $5; found = 1 }
		END { exit !found }'
}

# accesses VMCORE TRACE-FILES...: every byte range of VMCORE a traced
# syscall read or mapped, "START END" (end exclusive, decimal), from
# strace -y -s 0 output: pread64/preadv (offset last), preadv2, mmap
# (length second, offset last) and read (at the file position, followed
# through openat and lseek).
accesses() {
	local vmcore=$1
	shift
	awk -v path="$vmcore" '
	function num(s,   n, i) {
		if (s !~ /^0x/)
			return s + 0
		n = 0
		s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	function ret() { return $NF + 0 }
	# mawk prints large numbers as %.6g: print them whole
	function range(start, len) { printf "%.0f %.0f\n", start, start + len }
	# the fd number of the vmcore in the first argument, or -1
	function fd_arg(   s) {
		s = substr($0, index($0, "(") + 1)
		if (index(s, "<" path ">,") == 0 || index(s, "<" path ">,") > 12)
			return -1
		return substr(s, 1, index(s, "<") - 1) + 0
	}
	/^openat\(/ && $NF ~ ("^[0-9]+<" path ">$") {
		pos[$NF + 0] = 0
		next
	}
	/^lseek\(/ && (fd = fd_arg()) >= 0 && ret() >= 0 { pos[fd] = ret(); next }
	/^read\(/ && (fd = fd_arg()) >= 0 {
		if (!(fd in pos)) { print "unknown position", $0; next }
		if (ret() > 0) { range(pos[fd], ret()); pos[fd] += ret() }
		next
	}
	/^(pread64|preadv)\(/ && fd_arg() >= 0 && ret() > 0 {
		match($0, /, (0x[0-9a-f]+|[0-9]+)\) += /)
		off = substr($0, RSTART + 2, RLENGTH - 6)
		sub(/\).*/, "", off)
		range(num(off), ret())
		next
	}
	/^preadv2\(/ && fd_arg() >= 0 && ret() > 0 {
		match($0, /, (0x[0-9a-f]+|[0-9]+), [^,]*\) += /)
		off = substr($0, RSTART + 2)
		sub(/,.*/, "", off)
		range(num(off), ret())
		next
	}
	/^mmap\(/ && index($0, "<" path ">, ") && $NF ~ /^0x[0-9a-f]+$/ {
		split(substr($0, index($0, "(") + 1), a, ", ")
		off = a[6]
		sub(/\).*/, "", off)
		range(num(off), num(a[2]))
		next
	}
	' "$@"
}

# The vmcores: 4 GiB of namespaces in a 4 GiB and in a 4 TiB region, with
# the devm_memmap_vmcore list; and the 4 TiB one without it, where the
# filter finds the namespaces by their info blocks and so may look for one
# more at the start of the unallocated part (the next namespace's info
# block would be at its offset 4 KiB): there it may read its first 2 MiB.
gen_opts="--pmem-ns-mib 4096 --pmem-flag --pmem-sparse-meta"
small=$work/pmem4g.vmcore
big=$work/pmem4t.vmcore
big_info=$work/pmem4t-info.vmcore
# shellcheck disable=SC2086
"$GEN" --pmem-mib 4096 $gen_opts --pmem-list "$small" >/dev/null &&
	"$GEN" --pmem-mib 4194304 $gen_opts --pmem-list "$big" >/dev/null &&
	"$GEN" --pmem-mib 4194304 $gen_opts "$big_info" >/dev/null ||
	{ echo "vmcore-gen failed"; exit 1; }
declare -A allowed=([$big]=0 [$big_info]=$((2 << 20)))

# file_ranges VMCORE: set tail_lo, tail_hi (the file offsets of the
# unallocated part of the region), meta_lo, meta_hi (of the first
# namespace's metadata, which a dump at -d 31 must read) and tail_pages.
file_ranges() {
	local manifest=${1%.vmcore}.manifest pmem_start seg_off seg_size ns_end m0 m1
	if ! pmem_start=$(num_key "$manifest" pmem_start) || ! ns_end=$(num_key "$manifest" pmem_ns_end) ||
		! m0=$(num_key "$manifest" ns.0.meta_start) || ! m1=$(num_key "$manifest" ns.0.meta_end) ||
		! tail_pages=$(num_key "$manifest" pmem_unallocated_pages); then
		echo "$manifest lacks a pmem key"
		exit 1
	fi
	read -r seg_off seg_size < <(pmem_segment "$1" "$(printf '0x%016x' "$pmem_start")") ||
		{ echo "no PT_LOAD at $pmem_start in $1"; exit 1; }
	tail_lo=$(( seg_off + ns_end - pmem_start ))
	tail_hi=$(( seg_off + seg_size ))
	meta_lo=$(( seg_off + m0 - pmem_start ))
	meta_hi=$(( seg_off + m1 - pmem_start ))
	if [ $(( (tail_hi - tail_lo) / 4096 )) -ne "$tail_pages" ]; then
		echo "$1: unallocated part at file bytes $tail_lo-$tail_hi, manifest says $tail_pages pages"
		exit 1
	fi
}
for v in "$big" "$big_info"; do
	file_ranges "$v"
	echo "$(basename "$v"): unallocated part at file offsets [$tail_lo, $tail_hi)"
done

# LeakSanitizer cannot run under ptrace (a sanitizer build would fail).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

for opts in "-l -d 31" "-E -d 31" "-l -d 31 --non-mmap" "-E -d 31 --non-mmap"; do
	ran=0
	for v in "$small" "$big" "$big_info"; do
		name="$(basename "$v" .vmcore) $opts"
		tag=$(basename "$v" .vmcore)
		rm -f "$work/out" "$work"/trace.* "$work/$tag.log"
		# -ff: one file per thread, so no call is split across lines
		# shellcheck disable=SC2086
		if ! strace -ff -qq -y -s 0 -o "$work/trace" \
			-e trace=openat,lseek,read,pread64,preadv,preadv2,mmap \
			"$OURS" $opts --message-level 31 "$v" "$work/out" \
			>"$work/$tag.log" 2>"$work/err" </dev/null; then
			fail "$name: $(tail -1 "$work/err")"
			continue
		fi
		ran=$((ran + 1))
		# (a model that printed nothing must not equal a report without lines)
		if ! bash "$EXPECT" "${v%.vmcore}.manifest" 31 >"$work/expected" ||
			! counts_complete "$work/expected"; then
			fail "$name: expected-pmemdump.sh failed or gave no complete report"
			continue
		fi
		if ! diff "$work/expected" <(report_lines "$work/$tag.log") >"$work/diff"; then
			fail "$name: report differs from the model (< expected, > ours)"
			sed 's/^/    /' "$work/diff"
			continue
		fi
		[ "$v" != "$small" ] || continue

		file_ranges "$v"
		allow=${allowed[$v]}
		accesses "$v" "$work"/trace.* >"$work/accesses"
		if grep -q '^unknown' "$work/accesses"; then
			fail "$name: read() at an unknown file position: $(grep -m1 '^unknown' "$work/accesses")"
			continue
		fi
		bad=$(awk -v lo=$((tail_lo + allow)) -v hi="$tail_hi" \
			'$1 < hi && $2 > lo { n++; if (!first) first = $0 }
			 END { if (n) print n " accesses, first [" first ")" }' "$work/accesses")
		meta=$(awk -v lo="$meta_lo" -v hi="$meta_hi" '$1 < hi && $2 > lo { n++ } END { print n + 0 }' \
			"$work/accesses")
		if [ -n "$bad" ]; then
			fail "$name: reads or maps the unallocated part [$((tail_lo + allow)), $tail_hi): $bad"
		elif [ "$meta" -eq 0 ]; then
			fail "$name: no read of the pmem metadata seen in the trace (is the trace parsed right?)"
		else
			extra=
			[ "$allow" -eq 0 ] || extra=" beyond its first $((allow >> 20)) MiB"
			pass "$name: $(wc -l <"$work/accesses") reads/maps of the vmcore, none in the unallocated part$extra"
		fi
	done

	# Same report, but for the lines that count the unallocated pages.
	[ "$ran" -eq 3 ] || continue
	file_ranges "$big"
	strip='^(Original pages|  Excluded pages|    pmem userdata pages|Total pages) '
	for b in "$big" "$big_info"; do
		name="4 GiB vs $(basename "$b" .vmcore), $opts"
		s=$work/$(basename "$small" .vmcore).log
		b=$work/$(basename "$b" .vmcore).log
		if ! diff <(report_lines "$s" | grep -Ev "$strip") <(report_lines "$b" | grep -Ev "$strip") \
			>"$work/diff"; then
			fail "$name: reports differ in lines that do not count the unallocated pages"
			sed 's/^/    /' "$work/diff"
			continue
		fi
		ok=1
		for label in 'Original pages' 'Excluded pages' 'pmem userdata pages' 'Total pages'; do
			if ! vb=$(line_value "$b" "$label") || ! vs=$(line_value "$s" "$label"); then
				fail "$name: no $label line in a report"
				ok=0
				continue
			fi
			d=$((vb - vs))
			if [ "$d" -ne "$tail_pages" ]; then
				fail "$name: $label differ by $d, not by the $tail_pages unallocated pages"
				ok=0
			fi
		done
		[ "$ok" = 0 ] || pass "$name: same report, the unallocated $tail_pages pages apart"
	done
done
finish
