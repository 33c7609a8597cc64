#!/usr/bin/env bash
# Side-by-side benchmark: our makedumpfile and Debian's makedumpfile 1.7.2
# on the same inputs with the same options, in one run. Prints wall time
# (median of RUNS, warm page cache), peak RSS and output size of each, and
# ours/theirs ratios. Inputs: the VM lab's loaded-guest vmcore and a large
# sparse synthetic vmcore (16 GiB of memory described).
#
# The pmem section: two synthetic vmcores with the same 4 GiB of fsdax
# namespaces (PF_DEV-flagged, listed, sparse device memmap), one in a 4 GiB
# pmem region and one in a 4 TiB region whose rest is unallocated. Ours
# should cost the same on both (and on a namespace that fills 4 TiB, with
# its memmap dropped by -d 63); makedumpfile 1.7.2, which treats pmem as
# RAM, runs on the 4 GiB one beside it.
#
#   bench/compare-makedumpfile.sh [BUILD_DIR]      (default: the source tree)
#   RUNS=5 LARGE_MIB=32768 bench/compare-makedumpfile.sh
#   SECTIONS=pmem bench/compare-makedumpfile.sh    (only the pmem section;
#                                                   default "main pmem")
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
ours=$build/makedumpfile/makedumpfile
gen=$build/test/vmcore-gen/vmcore-gen
ref=${REF_MAKEDUMPFILE:-$(command -v makedumpfile || true)}
runs=${RUNS:-3}
sections=" ${SECTIONS:-main pmem} "
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mdf-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x "$ours" ] || { echo "build first: $ours missing" >&2; exit 1; }
[ -x "$ref" ] && [ "$ref" != "$ours" ] || { echo "reference makedumpfile not found" >&2; exit 1; }

inputs=()
lab_meta=/var/cache/pmemdump/vmcores/kdump-fsdax.meta
if [[ $sections != *" main "* ]]; then
	:
elif [ -r "$lab_meta" ]; then
	inputs+=("lab:$(sed -n 's/^vmcore=//p' "$lab_meta")")
else
	echo "note: no lab vmcore; run 'scripts/lab vmcore kdump-fsdax' for the real input" >&2
fi
if [[ $sections == *" main "* ]] && [ -x "$gen" ]; then
	"$gen" --large-mib "${LARGE_MIB:-16384}" --paging 4 "$work/large.vmcore" >/dev/null
	inputs+=("synthetic-${LARGE_MIB:-16384}MiB:$work/large.vmcore")
fi

# measure TOOL ARGS...: one run; sets wall (s), rss (KiB), size (bytes).
measure() {
	local out=$work/out t0 t1
	rm -f "$out"
	# Wall time to the millisecond (time(1)'s %e has 10 ms steps).
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%M' -o "$work/time" "$@" "$out" >/dev/null 2>"$work/err" ||
		{ echo "failed: $* ($(tail -1 "$work/err"))" >&2; return 1; }
	t1=$EPOCHREALTIME
	wall=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
	read -r rss <"$work/time"
	size=$(stat -c %s "$out")
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# bench_ours INPUT OPTIONS: ours alone, RUNS times after a warm-up; sets
# wall (median), rss (max) and size.
bench_ours() {
	local input=$1 opts=$2
	measure "$ours" $opts "$input"
	: >"$work/ours.walls"; : >"$work/ours.rss"
	for _ in $(seq "$runs"); do
		measure "$ours" $opts "$input"
		echo "$wall" >>"$work/ours.walls"
		echo "$rss" >>"$work/ours.rss"
	done
	wall=$(median <"$work/ours.walls")
	rss=$(sort -n "$work/ours.rss" | tail -1)
}

# bench NAME INPUT OPTIONS: both tools, alternating, RUNS times each.
bench() {
	local input=$1 opts=$2 tool walls rsss w_ours w_ref r_ours r_ref s_ours s_ref
	measure "$ours" $opts "$input" && measure "$ref" $opts "$input"	# warm the cache
	for tool in ours ref; do : >"$work/$tool.walls"; : >"$work/$tool.rss"; done
	for _ in $(seq "$runs"); do
		for tool in ours ref; do
			measure "${!tool}" $opts "$input"
			echo "$wall" >>"$work/$tool.walls"
			echo "$rss" >>"$work/$tool.rss"
			echo "$size" >"$work/$tool.size"
		done
	done
	w_ours=$(median <"$work/ours.walls"); w_ref=$(median <"$work/ref.walls")
	r_ours=$(sort -n "$work/ours.rss" | tail -1); r_ref=$(sort -n "$work/ref.rss" | tail -1)
	s_ours=$(cat "$work/ours.size"); s_ref=$(cat "$work/ref.size")
	printf '%-22s %-22s %8.3f %8.3f %6.2f %8.1f %8.1f %6.2f %9.1f %9.1f\n' \
		"$name" "$opts" "$w_ours" "$w_ref" "$(echo "$w_ours $w_ref" | awk '{print $2 ? $1/$2 : 0}')" \
		"$(echo "$r_ours" | awk '{print $1/1024}')" "$(echo "$r_ref" | awk '{print $1/1024}')" \
		"$(echo "$r_ours $r_ref" | awk '{print $1/$2}')" \
		"$(echo "$s_ours" | awk '{print $1/1048576}')" "$(echo "$s_ref" | awk '{print $1/1048576}')"
}

echo "pmemdump makedumpfile vs makedumpfile $("$ref" -v 2>/dev/null | head -1 | awk '{print $3}'), median of $runs warm runs, $(nproc) cores"
printf '%-22s %-22s %8s %8s %6s %8s %8s %6s %9s %9s\n' input options \
	"ours s" "ref s" ratio "ours MB" "ref MB" ratio "out MB" "ref out"
for entry in "${inputs[@]}"; do
	name=${entry%%:*}
	input=${entry#*:}
	for opts in "-l -d 1" "-c -d 1" "-E -d 1" "-l -d 31" "-c -d 31" "-E -d 31" \
		    "-c -d 1 --num-threads 2"; do
		bench "$input" "$opts"
	done
	# makedumpfile 1.7.2 is built without zstd: ours alone, threads 1 and 2.
	for opts in "-z -d 1" "-z -d 1 --num-threads 2"; do
		measure "$ours" $opts "$input"; measure "$ours" $opts "$input"
		printf '%-22s %-22s %8.3f %8s %6s %8.1f %8s %6s %9.1f\n' "$name" "$opts" "$wall" - - \
			"$(echo "$rss" | awk '{print $1/1024}')" - - "$(echo "$size" | awk '{print $1/1048576}')"
	done
done

# Persistent memory: 4 GiB of namespaces in a 4 GiB and in a 4 TiB region.
# The second row of each pair is ours alone; the third compares ours on
# the two ("ours s" and "ours MB": 4 TiB, "ref s" and "ref MB": 4 GiB).
if [[ $sections == *" pmem "* ]] && [ -x "$gen" ]; then
	pmem_opts="--pmem-ns-mib 4096 --pmem-flag --pmem-list --pmem-sparse-meta"
	"$gen" --pmem-mib 4096 $pmem_opts "$work/pmem-4g.vmcore" >/dev/null
	"$gen" --pmem-mib 4194304 $pmem_opts "$work/pmem-4t.vmcore" >/dev/null
	# compare_sizes SMALL LARGE LABEL OPTS: makedumpfile 1.7.2 beside ours
	# on SMALL (not for -d above 31, which it refuses), then ours alone on
	# LARGE, then ours LARGE against SMALL.
	compare_sizes() {
		local small=$1 large=$2 label=$3 opts=$4
		name=$label-4GiB
		if [[ $opts == *"-d 63"* ]]; then
			bench_ours "$small" "$opts"
			printf '%-22s %-22s %8.3f %8s %6s %8.1f %8s %6s %9.1f\n' "$name" "$opts" "$wall" - - \
				"$(echo "$rss" | awk '{print $1/1024}')" - - "$(echo "$size" | awk '{print $1/1048576}')"
		else
			bench "$small" "$opts"
		fi
		w_4g=$(median <"$work/ours.walls"); r_4g=$(sort -n "$work/ours.rss" | tail -1)
		bench_ours "$large" "$opts"
		printf '%-22s %-22s %8.3f %8s %6s %8.1f %8s %6s %9.1f\n' "$label-4TiB" "$opts" "$wall" - - \
			"$(echo "$rss" | awk '{print $1/1024}')" - - "$(echo "$size" | awk '{print $1/1048576}')"
		printf '%-22s %-22s %8.3f %8.3f %6.2f %8.1f %8.1f %6.2f\n' "ours 4TiB vs 4GiB" "$opts" \
			"$wall" "$w_4g" "$(echo "$wall $w_4g" | awk '{print $2 ? $1/$2 : 0}')" \
			"$(echo "$rss" | awk '{print $1/1024}')" "$(echo "$r_4g" | awk '{print $1/1024}')" \
			"$(echo "$rss $r_4g" | awk '{print $1/$2}')"
	}
	for opts in "-l -d 31" "-E -d 31"; do
		compare_sizes "$work/pmem-4g.vmcore" "$work/pmem-4t.vmcore" pmem "$opts"
	done
	# One namespace filling the region: with -d 63 its memmap (64 GiB at
	# 4 TiB) is left out too, so only the skipping is measured.
	pmem_opts="--pmem-flag --pmem-list --pmem-sparse-meta"
	"$gen" --pmem-mib 4096 $pmem_opts "$work/ns-4g.vmcore" >/dev/null
	"$gen" --pmem-mib 4194304 $pmem_opts "$work/ns-4t.vmcore" >/dev/null
	compare_sizes "$work/ns-4g.vmcore" "$work/ns-4t.vmcore" ns "-l -d 63"
	rm -f "$work"/pmem-4?.vmcore "$work"/ns-4?.vmcore
	# The lab's kexec_file_load vmcore: 1 GiB of fsdax pmem, PF_DEV marked.
	file_meta=/var/cache/pmemdump/vmcores/kdump-fsdax-file.meta
	if [ -r "$file_meta" ]; then
		name=lab-pmem
		for opts in "-l -d 31" "-E -d 31"; do
			bench "$(sed -n 's/^vmcore=//p' "$file_meta")" "$opts"
		done
	fi
fi
