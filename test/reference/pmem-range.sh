#!/bin/bash
# --pmem-range on synthetic vmcores, as a hypervisor's dump of a guest
# presents pmem: a PT_LOAD that nothing marks (QEMU's dump-guest-memory),
# or no PT_LOAD at all and the NVDIMM's backing file beside the dump (a
# dump of RAM only). The same machine with its pmem PT_LOAD marked PF_DEV
# by vmcore-gen is the reference: the report must be the same line for
# line, every page of the ELF dump must equal that vmcore's, the file
# data marker must stay out, and from a backing file only the metadata
# may be read (counted with strace). Bad ranges: one line, exit 1, no
# output file.
set -u
. "$top_srcdir/test/lib/report.sh"

GEN=$top_builddir/test/vmcore-gen/vmcore-gen
CHECK=$top_builddir/test/vmcore-gen/vmcore-check
MARKER=PMEMDUMP-PMEM-MK
[ -x "$GEN" ] && [ -x "$CHECK" ] || { echo "vmcore-gen not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mdf-pmem-range.XXXXXX")
trap 'rm -rf "$work"' EXIT

# cut_pmem VMCORE START OUT FILE: OUT is VMCORE without the PT_LOAD at
# physical START, FILE that PT_LOAD's bytes (the "backing file").
cut_pmem() {
	python3 - "$@" <<'PY'
import struct, sys
src, start, out, backing = sys.argv[1], int(sys.argv[2], 0), sys.argv[3], sys.argv[4]
data = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', data, 32)
phentsize, phnum = struct.unpack_from('<HH', data, 54)
keep, cut = [], None
for i in range(phnum):
    ph = bytes(data[phoff + i * phentsize: phoff + (i + 1) * phentsize])
    p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz = struct.unpack_from('<IIQQQQ', ph)
    if p_type == 1 and p_paddr == start:
        cut = (p_offset, p_filesz)
    else:
        keep.append(ph)
if cut is None:
    sys.exit('no PT_LOAD at %#x' % start)
open(backing, 'wb').write(data[cut[0]:cut[0] + cut[1]])
for i, ph in enumerate(keep):
    data[phoff + i * phentsize: phoff + (i + 1) * phentsize] = ph
struct.pack_into('<H', data, 56, len(keep))
# The cut segment's bytes stay in the file, unreferenced: zero them so
# that nothing can read pmem from the dump itself.
data[cut[0]:cut[0] + cut[1]] = bytes(cut[1])
open(out, 'wb').write(data)
PY
}

# run NAME OUT-FORMAT VMCORE [OPTIONS...]: ours at -d 31 into $work/NAME.FORMAT.
run() {
	local name=$1 fmt=$2 vmcore=$3
	shift 3
	rm -f "$work/$name.$fmt"
	"$OURS" -"$fmt" -d 31 --message-level 31 "$@" "$vmcore" "$work/$name.$fmt" \
		>"$work/$name.$fmt.log" 2>"$work/$name.$fmt.err" </dev/null
}

# same_as_reference NAME DESC: NAME's report equals the flagged reference's
# and its ELF dump's pages equal the reference vmcore's, no marker.
same_as_reference() {
	local name=$1 desc=$2
	if ! diff <(report_lines "$work/ref.l.log") <(report_lines "$work/$name.l.log") >"$work/diff"; then
		fail "$desc: -l report differs from the PF_DEV-marked vmcore's (< marked, > ours)"
		sed 's/^/    /' "$work/diff"
	elif ! diff <(report_lines "$work/ref.E.log") <(report_lines "$work/$name.E.log") >"$work/diff"; then
		fail "$desc: -E report differs from the PF_DEV-marked vmcore's"
		sed 's/^/    /' "$work/diff"
	elif ! check_elf_dump "$CHECK" "$work/ref.vmcore" "$work/$name.E" "$work/$name.E.log"; then
		fail "$desc: $ELF_ERROR"
	elif LC_ALL=C grep -q -a -F "$MARKER" "$work/$name.E" "$work/$name.l"; then
		fail "$desc: pmem file data in the dump"
	else
		pass "$desc: report as the marked vmcore's, $ELF_HELD pages equal it, no file data"
	fi
}

for machine in "list|--pmem-list" "info|" "2ns|--pmem-namespaces 2 --pmem-list"; do
	IFS='|' read -r mname extra <<<"$machine"
	# shellcheck disable=SC2086 # split the options on purpose
	if ! "$GEN" --pmem-mib 256 $extra --pmem-flag "$work/ref.vmcore" >"$work/gen.log" 2>&1 ||
		! "$GEN" --pmem-mib 256 $extra "$work/unmarked.vmcore" >>"$work/gen.log" 2>&1; then
		fail "$mname: vmcore-gen: $(tail -1 "$work/gen.log")"
		continue
	fi
	range=$(sed -n 's/^ptload\.[0-9]*=\(0x[0-9a-f]*-0x[0-9a-f]*\) pmem.*$/\1/p' "$work/ref.manifest")
	if [ -z "$range" ]; then
		fail "$mname: the manifest names no pmem PT_LOAD"
		continue
	fi
	start=${range%-*}
	if ! run ref l "$work/ref.vmcore" || ! run ref E "$work/ref.vmcore" ||
		! value "$work/ref.l.log" pmem_user >/dev/null; then
		fail "$mname: the marked reference: $(tail -1 "$work/ref.l.err")"
		continue
	fi

	# Without the option the unmarked pmem is RAM (the reason for it).
	if run plain E "$work/unmarked.vmcore" && LC_ALL=C grep -q -a -F "$MARKER" "$work/plain.E"; then
		pass "$mname: unmarked pmem without --pmem-range is dumped as RAM (file data in the dump)"
	else
		fail "$mname: unmarked pmem without --pmem-range: expected file data in the dump"
	fi

	if run held l "$work/unmarked.vmcore" --pmem-range="$range" &&
		run held E "$work/unmarked.vmcore" --pmem-range="$range"; then
		same_as_reference held "$mname: --pmem-range=$range on the unmarked PT_LOAD"
	else
		fail "$mname: --pmem-range=$range: $(tail -1 "$work/held.l.err")"
	fi

	# Two ranges that cut the PT_LOAD in the middle: two marked pieces.
	end=${range#*-}
	mid=$(printf '%#x' $(((start + end) / 2)))
	if run halves l "$work/unmarked.vmcore" --pmem-range="$start-$mid" --pmem-range="$mid-$end" &&
		run halves E "$work/unmarked.vmcore" --pmem-range="$start-$mid" --pmem-range="$mid-$end"; then
		same_as_reference halves "$mname: two --pmem-range halves of the unmarked PT_LOAD"
	else
		fail "$mname: two halves: $(tail -1 "$work/halves.l.err")"
	fi

	if ! cut_pmem "$work/unmarked.vmcore" "$start" "$work/ram.vmcore" "$work/nvdimm.img" 2>"$work/cut.err"; then
		fail "$mname: cannot cut the pmem PT_LOAD: $(cat "$work/cut.err")"
		continue
	fi
	if run file l "$work/ram.vmcore" --pmem-range="$range:$work/nvdimm.img" &&
		run file E "$work/ram.vmcore" --pmem-range="$range:$work/nvdimm.img"; then
		same_as_reference file "$mname: --pmem-range=$range:FILE with a RAM-only vmcore"
	else
		fail "$mname: --pmem-range=$range:FILE: $(tail -1 "$work/file.l.err")"
	fi

	# What is read of the backing file: the metadata and the info blocks,
	# never the user data (a 256 MiB region; its memmap is 4 MiB).
	if [ "$mname" = list ] && command -v strace >/dev/null; then
		strace -f -e trace=openat,pread64,read,mmap -e signal=none -o "$work/strace" \
			"$OURS" -l -d 31 --pmem-range="$range:$work/nvdimm.img" "$work/ram.vmcore" "$work/traced.l" \
			>/dev/null 2>&1 </dev/null
		fd=$(grep -F "\"$work/nvdimm.img\"" "$work/strace" | sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' | head -1)
		meta=$(num_key "$work/ref.manifest" pmem_meta_pages) || meta=
		if [ -z "$fd" ] || [ -z "$meta" ]; then
			fail "backing file reads: no open of nvdimm.img in strace, or no pmem_meta_pages"
		else
			bytes=$(grep -E "^[0-9]+ +(pread64|read)\($fd," "$work/strace" |
				sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' | awk '{s += $1} END {print s + 0}')
			mapped=$(grep -cE "^[0-9]+ +mmap\(.*, $fd, " "$work/strace")
			limit=$(((meta + 16) * 4096))
			if [ "$mapped" -ne 0 ]; then
				fail "backing file: mapped $mapped times (reads must be counted)"
			elif [ "$bytes" -le 0 ] || [ "$bytes" -gt "$limit" ]; then
				fail "backing file: read $bytes bytes; the metadata is $meta pages (limit $limit)"
			else
				pass "backing file: read $bytes bytes of $(stat -c %s "$work/nvdimm.img") ($meta metadata pages)"
			fi
		fi
	fi
done

# Bad ranges and inputs: exit 1, one line, no output file.
"$GEN" --pmem-mib 256 "$work/u.vmcore" >/dev/null 2>&1 || fail "vmcore-gen for the refusals"
cut_pmem "$work/u.vmcore" 0x100000000 "$work/r.vmcore" "$work/nv.img" || fail "cut for the refusals"
head -c 4096 "$work/nv.img" >"$work/short.img"
"$OURS" -l -d 31 "$work/u.vmcore" "$work/u.kdump" >/dev/null 2>&1 || fail "kdump input for the refusals"
refuse() {
	local desc=$1 input=$2 want=$3
	shift 3
	rm -f "$work/out"
	"$OURS" -l -d 31 "$@" "$input" "$work/out" >/dev/null 2>"$work/err" </dev/null
	local rc=$? lines
	lines=$(wc -l <"$work/err")
	if [ "$rc" -ne 1 ]; then
		fail "$desc: exit $rc, expected 1"
	elif [ "$lines" -ne 1 ] || ! grep -q -- "$want" "$work/err"; then
		fail "$desc: expected one line with \"$want\", got: $(head -c 300 "$work/err")"
	elif [ -e "$work/out" ]; then
		fail "$desc: refused but $work/out was created"
	else
		pass "$desc refused: $(cat "$work/err")"
	fi
}
refuse "range the input lacks" "$work/r.vmcore" "holds nothing" --pmem-range=0x100000000-0x110000000
refuse "file for a range the input holds" "$work/u.vmcore" "already holds" --pmem-range="0x100000000-0x110000000:$work/nv.img"
refuse "backing file too short" "$work/r.vmcore" "fewer than" --pmem-range="0x100000000-0x110000000:$work/short.img"
refuse "missing backing file" "$work/r.vmcore" "$work/none.img" --pmem-range="0x100000000-0x110000000:$work/none.img"
refuse "overlapping ranges" "$work/u.vmcore" "overlap" --pmem-range=0x100000000-0x108000000 --pmem-range=0x104000000-0x110000000
refuse "unaligned range" "$work/u.vmcore" "page aligned" --pmem-range=0x100000000-0x10fffffff
refuse "reversed range" "$work/u.vmcore" "below END" --pmem-range=0x110000000-0x100000000
refuse "bad syntax" "$work/u.vmcore" "expected START-END" --pmem-range=0x100000000+0x1000
refuse "empty file name" "$work/u.vmcore" "expected START-END" --pmem-range=0x100000000-0x110000000:
refuse "a backing file for a kdump-compressed input" "$work/u.kdump" "needs an ELF vmcore" --pmem-range="0x100000000-0x110000000:$work/nv.img"

# A kdump-compressed input has no flags to mark: a range without a file
# joins the pmem the filter finds (here from the info block, no list).
# Kept whole at -d 0 (pmem as RAM), filtered again with the range: the
# pmem lines must be those of the same machine's PF_DEV vmcore.
"$GEN" --pmem-mib 256 --pmem-flag "$work/uf.vmcore" >/dev/null 2>&1 || fail "vmcore-gen (flagged) for the kdump input"
rm -f "$work/u0.kdump"
"$OURS" -l -d 0 "$work/u.vmcore" "$work/u0.kdump" >/dev/null 2>&1 || fail "kdump -d 0 of the unmarked vmcore"
run kref E "$work/uf.vmcore" || fail "the flagged reference: $(tail -1 "$work/kref.E.err")"
if run krange E "$work/u0.kdump" --pmem-range=0x100000000-0x110000000; then
	want="meta=$(value "$work/kref.E.log" pmem_meta) user=$(value "$work/kref.E.log" pmem_user)"
	got="meta=$(value "$work/krange.E.log" pmem_meta) user=$(value "$work/krange.E.log" pmem_user)"
	if [ "$want" != "$got" ] || [ "$want" = "meta= user=" ]; then
		fail "kdump input with --pmem-range: pmem lines $got, expected the marked vmcore's $want"
	elif LC_ALL=C grep -q -a -F "$MARKER" "$work/krange.E"; then
		fail "kdump input with --pmem-range: file data in the dump"
	else
		pass "kdump input with --pmem-range: pmem lines as the marked vmcore's ($got), no file data"
	fi
else
	fail "kdump input with --pmem-range: $(tail -1 "$work/krange.E.err")"
fi
finish
