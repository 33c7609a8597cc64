#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# expected-pmemdump.sh MANIFEST DUMP_LEVEL [--pmem-userdata]
#
# Print the page counts that pmemdump's makedumpfile (with its pmem
# filter) reports for a vmcore made by vmcore-gen at -d DUMP_LEVEL
# (0..63), with --message-level 31, -E or -l, in the report's format.
# It is expected-report.sh (makedumpfile 1.7.2) plus these rules:
#
#   - pmem is recognised only in a PT_LOAD with p_flags bit 0x10 (PF_DEV;
#     manifest pmem_flagged=1).  Without one, the counts are makedumpfile
#     1.7.2's at level DUMP_LEVEL & 31 (unflagged pmem is RAM to it).
#   - In the flagged region, "metadata" is the device memmap of each
#     map=dev namespace, [ns.N.meta_start, ns.N.meta_end) (from the
#     devm_memmap_vmcore list or the namespaces' info blocks: the same
#     ranges); everything else there is "userdata": the info-block
#     reserve, a map=mem namespace, the data ranges, the unallocated tail.
#   - RAM is classified as makedumpfile 1.7.2 classifies it: its counts
#     are expected-report.sh's for the manifest with the region taken out
#     of the classification (pmem_loaded=0: no pmem zero pages, no
#     reflinked pages as user data), Original and Total still counting
#     the whole flagged PT_LOAD (the unallocated tail included).
#   - Metadata pages are kept, never classified (not even as zero pages),
#     unless bit 32 is set: then all of them are excluded.
#   - Userdata pages are excluded unclassified.  With --pmem-userdata
#     they are classified as makedumpfile 1.7.2 does instead: the zero
#     ones at bit 1 (pmem_zero_pages - pmem_meta_zero_pages), the
#     reflinked ones (mapping PAGE_MAPPING_DAX_COW) as user data at bit 8.
#   - When the vmcore holds pmem (a flagged PT_LOAD), two lines follow
#     "Offline pages":
#       "    pmem metadata pages     : 0x%016llx"  (metadata excluded)
#       "    pmem userdata pages     : 0x%016llx"  (userdata excluded
#                                                   unclassified)
#     and count in "Excluded pages"; otherwise the report is 1.7.2's.
set -eu

usage() {
	echo "usage: $0 MANIFEST DUMP_LEVEL [--pmem-userdata]" >&2
	exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage
manifest=$1
level=$2
userdata=0
if [ $# -eq 3 ]; then
	[ "$3" = --pmem-userdata ] || usage
	userdata=1
fi
case $level in
''|*[!0-9]*) echo "$0: bad dump level '$level'" >&2; exit 2 ;;
esac
if [ "$level" -gt 63 ]; then
	echo "$0: dump level must be 0..63" >&2
	exit 2
fi
[ -r "$manifest" ] || { echo "$0: cannot read $manifest" >&2; exit 1; }
here=$(dirname "$0")

key() { sed -n "s/^$1=//p" "$manifest"; }
flagged=$(key pmem_flagged)

# makedumpfile 1.7.2's counts for RAM (for all memory when nothing is
# flagged), at the level's low five bits.
tmp=$(mktemp "${TMPDIR:-/tmp}/expected-pmemdump.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ "$flagged" = 1 ]; then
	sed 's/^pmem_loaded=1$/pmem_loaded=0/' "$manifest" > "$tmp.manifest"
	sh "$here/expected-report.sh" "$tmp.manifest" $((level % 32)) > "$tmp"
	rm -f "$tmp.manifest"
else
	sh "$here/expected-report.sh" "$manifest" $((level % 32)) > "$tmp"
fi

# Pmem the vmcore does not mark is RAM to the tool: no pmem lines, so the
# report stays makedumpfile's (a list alone only brings a warning).
lines=0
if [ "$flagged" = 1 ]; then
	lines=1
fi

awk -v d="$level" -v flagged="${flagged:-0}" -v lines="$lines" \
    -v userdata="$userdata" '
function bit(n) { return int(d / n) % 2 }
function dec(h,   i, n) {
	n = 0
	h = tolower(substr(h, 3))
	for (i = 1; i <= length(h); i++)
		n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return n
}
# mawk clamps %x to 32 bits: format 0x%016llx by hand
function hex(n,   s, r) {
	s = ""
	for (r = 0; r < 16; r++) {
		s = substr("0123456789abcdef", n % 16 + 1, 1) s
		n = int(n / 16)
	}
	return "0x" s
}
FILENAME != "-" && /^[a-z_.0-9]+=/ {
	split($0, kv, "=")
	v[kv[1]] = kv[2]
	next
}
FILENAME == "-" {
	label[++n] = substr($0, 1, index($0, ":") + 1)
	val[n] = dec($NF)
	if ($0 ~ /^Original pages/) i_orig = n
	if ($0 ~ /Excluded pages/) i_excl = n
	if ($0 ~ /Pages filled with zero/) i_zero = n
	if ($0 ~ /User process data pages/) i_user = n
	if ($0 ~ /Offline pages/) i_off = n
	if ($0 ~ /Remaining pages/) i_rem = n
}
END {
	meta = 0
	user = 0
	if (flagged == 1) {
		userpages = v["pmem_pages"] - v["pmem_meta_pages"]
		if (bit(32))
			meta = v["pmem_meta_pages"]
		if (!userdata) {
			user = userpages
		} else {
			if (bit(1))
				val[i_zero] += v["pmem_zero_pages"] - \
					       v["pmem_meta_zero_pages"]
			if (bit(8))
				val[i_user] += v["pmem_cow_pages"]
		}
	}
	# RAM-only counts and the pmem ones add up to the excluded pages
	val[i_excl] = meta + user
	for (i = i_zero; i <= i_off; i++)
		val[i_excl] += val[i]
	val[i_rem] = val[i_orig] - val[i_excl]
	for (i = 1; i <= n; i++) {
		print label[i] hex(val[i])
		if (i == i_off && lines) {
			print "    pmem metadata pages     : " hex(meta)
			print "    pmem userdata pages     : " hex(user)
		}
	}
}' "$manifest" - < "$tmp"
