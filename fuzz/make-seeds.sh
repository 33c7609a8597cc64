#!/bin/bash
# The fuzz targets' seed inputs, made from vmcore-gen's synthetic vmcores
# and from what our makedumpfile writes of them.
#
#   fuzz/make-seeds.sh BUILDDIR OUTDIR [big]
#
# BUILDDIR holds a build with test/vmcore-gen/vmcore-gen,
# makedumpfile/makedumpfile and fuzz/fuzz-seeds; OUTDIR/NAME/seed-* are
# written for each target NAME. The committed seeds (scripts/fuzz seeds)
# are small. With "big", the inputs are -d 31 dumps of the whole machines
# instead (15 to 35 MB each), too large to commit: fuzz/replay-generated.sh
# replays them.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
build=$1 out=$2 big=${3:-}
gen=$build/test/vmcore-gen/vmcore-gen
mdf=$build/makedumpfile/makedumpfile
seeds=$build/fuzz/fuzz-seeds
for p in "$gen" "$mdf" "$seeds"; do
	[ -x "$p" ] || { echo "make-seeds: $p is not built" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/pmd-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT

targets=(elfcore vmcoreinfo kdump flat infoblock printk run nfit)
for t in "${targets[@]}"; do
	mkdir -p "$out/$t"
	rm -f "$out/$t"/seed-*
done

# manifest KEY FILE: a value of vmcore-gen's manifest
manifest() { sed -n "s/^$1=//p" "$2"; }
# hexpfn 0xADDR: its page frame number, hex without 0x
hexpfn() { printf '%x' $(($1 >> 12)); }

# Three machines: 4-level paging; 5-level with KASLR; 5-level with pmem
# (PF_DEV-flagged PT_LOAD, the kernel's devm_memmap_vmcore list).
"$gen" -m 256 "$work/l4.vmcore" >/dev/null
"$gen" -m 256 --paging 5 --kaslr-seed 3 "$work/l5.vmcore" >/dev/null
"$gen" -m 256 --paging 5 --kaslr-seed 7 --pmem-mib 128 --pmem-flag --pmem-list \
	"$work/pmem.vmcore" >/dev/null
pm=$work/pmem.manifest
ib=$(manifest ns.0.info_block "$pm")
meta=$(manifest ns.0.memmap_start "$pm")
data=$(manifest ns.0.data_start "$pm")

if [ "$big" = big ]; then
	# The dumps of whole machines: ELF, each kdump compression, flattened
	# (the vmcores themselves, 256 MiB and more, are read by the tool's
	# own tests).
	"$mdf" -E -d 31 --message-level 0 "$work/l4.vmcore" "$out/elfcore/seed-l4-d31.elf"
	"$mdf" -E -d 31 --message-level 0 "$work/pmem.vmcore" "$out/elfcore/seed-pmem-d31.elf"
	for c in c l z none; do
		opt=-$c
		[ $c = none ] && opt=
		# shellcheck disable=SC2086
		"$mdf" $opt -d 31 --message-level 0 "$work/l4.vmcore" "$out/kdump/seed-l4-$c.kdump"
	done
	"$mdf" -l -d 31 --message-level 0 "$work/pmem.vmcore" "$out/kdump/seed-pmem-l.kdump"
	"$mdf" -F -c -d 31 --message-level 0 "$work/l4.vmcore" >"$out/flat/seed-l4-c.flat"
	"$mdf" -F -E -d 31 --message-level 0 "$work/pmem.vmcore" >"$out/flat/seed-pmem-elf.flat"
	exit 0
fi

# run: small vmcores that a whole run reads through (fuzz-seeds shrink);
# the pmem one (5-level paging, KASLR) keeps its info block, metadata and
# user data pages too. The 5-level one without pmem is for the dumps below.
"$seeds" shrink "$work/l4.vmcore" "$out/run/seed-l4.vmcore" --pages 8 2>/dev/null
"$seeds" shrink "$work/l5.vmcore" "$work/l5-small.vmcore" --pages 4 2>/dev/null
"$seeds" shrink "$work/pmem.vmcore" "$out/run/seed-pmem.vmcore" --pages 4 \
	--keep "$(hexpfn "$ib")" --keep "$(hexpfn "$meta")-$(hexpfn $((meta + 0x2000)))" \
	--keep "$(hexpfn $((data - 0x1000)))-$(hexpfn $((data + 0x1000)))" 2>/dev/null
# ... and a kdump-compressed one: a run filters that again.
"$mdf" -l -d 31 --message-level 0 "$out/run/seed-l4.vmcore" "$out/run/seed-l4.kdump"

# elfcore: the three machines' headers and notes, each PT_LOAD cut to 64
# bytes in the file (the targets read a few pages of each, no more).
for m in l4 l5 pmem; do
	"$seeds" thin "$work/$m.vmcore" "$out/elfcore/seed-$m.vmcore"
done

# kdump: each compression of the small vmcore; no compression, of the
# smaller one.
for c in c l z; do
	"$mdf" -$c -d 31 --message-level 0 "$out/run/seed-l4.vmcore" "$out/kdump/seed-l4-$c.kdump"
done
"$mdf" -d 31 --message-level 0 "$work/l5-small.vmcore" "$out/kdump/seed-l5-none.kdump"

# flat: the flattened stream (-F) of two kdump files.
"$mdf" -F -l -d 31 --message-level 0 "$out/run/seed-l4.vmcore" >"$out/flat/seed-l4-l.flat"
"$mdf" -F -z -d 31 --message-level 0 "$work/l5-small.vmcore" >"$out/flat/seed-l5-z.flat"

# vmcoreinfo: the notes' text of the three machines.
for m in l4 l5 pmem; do
	"$seeds" note "$work/$m.vmcore" "$out/vmcoreinfo/seed-$m.txt"
done

# infoblock: vmcore-gen's info block, and three chained namespaces.
"$seeds" page "$work/pmem.vmcore" "${ib#0x}" "$out/infoblock/seed-fsdax.page"
"$seeds" infochain "$out/infoblock/seed-fsdax.page" "$out/infoblock/seed-chain"

# printk: a ring with every kind of record.
"$seeds" printk "$out/printk/seed-ring"

# nfit: ACPI tables, an RSDP of revision 0 (RSDT) and one of revision 2 (XSDT).
"$seeds" nfit "$out/nfit/seed-rsdt"
"$seeds" nfit --xsdt "$out/nfit/seed-xsdt"

# iomem: handwritten (fuzz/corpus/iomem/hand-*), nothing to make.

chmod 644 "$out"/*/seed-*
du -sh "$out"
