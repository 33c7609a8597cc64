#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# expected-report.sh MANIFEST DUMP_LEVEL [single|elf-cyclic]
#
# Print the page counts that makedumpfile 1.7.2 reports for a vmcore made
# by vmcore-gen (with --message-level 31, -E or -l), in the report's own
# format:
#
#   Original pages  : 0x...      Pages filled with zero  : 0x...
#   ...                          Memory Hole     : 0x...   Total pages : 0x...
#
# The rules, read from makedumpfile 1.7.2 and confirmed by running it:
#   - a class is excluded by its -d bit: cache by 2 or 4, private cache by 4,
#     user data by 8, free pages by 16; the free-page test comes first, so a
#     zero-filled free page counts as free once 16 is set;
#   - hwpoison and offline pages are excluded at every level, 0 included,
#     because VMCOREINFO has PG_hwpoison (that alone makes makedumpfile scan
#     the struct pages);
#   - with bit 1, every page that is still kept and all zero counts as a
#     zero page (kernel pages, and pages of classes the level keeps);
#   - "Original pages" is the sum of the PT_LOAD sizes, so the kernel text
#     PT_LOAD, which also lies inside a System RAM PT_LOAD, counts twice;
#     "Memory Hole" is Total minus that sum, not the truly absent pages;
#   - "Total pages" is the end of the highest PT_LOAD in pages, unless the
#     mem_map ends lower: get_mem_map() caps max_mapnr at the end of the
#     last section that has one (its "mem=" adjustment), and pages above
#     are neither counted nor classified.  Here that is the unallocated
#     tail of a pmem region (--pmem-ns-mib), which has no present section.
#
# Mode "single" (default) is makedumpfile's one-cycle run ("There is
# enough free memory to be done in one cycle" in its debug output).  Mode
# "elf-cyclic" is an -E run in its cyclic mode, which 1.7.2 takes when
# --cyclic-buffer is given, when max_mapnr (the end of the highest PT_LOAD
# in pages) is not a multiple of 4 or is above 16 Mi (64 GiB), or when 60%
# of MemFree is less than max_mapnr / 4 bytes (README.md, "Compatibility
# with makedumpfile 1.7.2"): it then counts per PT_LOAD, so the zero pages
# of the kernel image, which lie in two PT_LOADs, count twice.  (-l in
# cycles counts like "single" here: vmcore-gen's PT_LOADs end on page
# boundaries, so there is no partial last page for the cyclic mode to
# leave out.)
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 MANIFEST DUMP_LEVEL [single|elf-cyclic]" >&2
	exit 2
fi
manifest=$1
level=$2
mode=${3:-single}
case $mode in
single|elf-cyclic) ;;
*) echo "$0: mode must be single or elf-cyclic" >&2; exit 2 ;;
esac
case $level in
''|*[!0-9]*) echo "$0: bad dump level '$level'" >&2; exit 2 ;;
esac
if [ "$level" -gt 31 ]; then
	echo "$0: dump level must be 0..31" >&2
	exit 2
fi
[ -r "$manifest" ] || { echo "$0: cannot read $manifest" >&2; exit 1; }

awk -F= -v d="$level" -v mode="$mode" '
function bit(n) { return int(d / n) % 2 }
# mawk clamps %x to 32 bits: format 0x%016llx by hand
function hex(n,   s, r) {
	s = ""
	for (r = 0; r < 16; r++) {
		s = substr("0123456789abcdef", n % 16 + 1, 1) s
		n = int(n / 16)
	}
	return "0x" s
}
/^[a-z_]+=/ { v[$1] = $2 }
END {
	need = "kernel zero cache cache_zerofilled cache_private " \
	       "cache_private_zerofilled user user_zerofilled free " \
	       "free_zerofilled hwpoison offline ptload_pages total " \
	       "kernel_text_zero"
	n = split(need, keys, " ")
	for (i = 1; i <= n; i++)
		if (!(keys[i] in v)) {
			print "expected-report: manifest lacks " keys[i] > "/dev/stderr"
			exit 1
		}

	ex_cache = (bit(2) || bit(4))
	ex_priv = bit(4)
	ex_user = bit(8)
	ex_free = bit(16)

	# Persistent memory in a PT_LOAD: makedumpfile 1.7.2 does not know it
	# is pmem and classifies its pfns by their struct pages.  The fsdax
	# ZONE_DEVICE pages (PG_reserved, no PG_lru, mapping = address_space
	# or NULL) and the uninitialised (zero) ones are unexcludable, so only
	# their zero pages go (bit 1); reflinked DAX pages have
	# mapping = PAGE_MAPPING_DAX_COW = 0x1, which it takes for anonymous:
	# user data (bit 8).
	# The unallocated tail of the region (all zero) lies above max_mapnr.
	pmem_zero = 0
	pmem_cow = 0
	unallocated = 0
	if (v["pmem_loaded"] == 1) {
		unallocated = v["pmem_unallocated_pages"] + 0
		pmem_zero = v["pmem_zero_pages"] - unallocated
		pmem_cow = v["pmem_cow_pages"]
	}

	zero = 0
	if (bit(1)) {
		zero += pmem_zero
		zero += v["zero"]
		if (!ex_cache) zero += v["cache_zerofilled"]
		if (!ex_priv) zero += v["cache_private_zerofilled"]
		if (!ex_user) zero += v["user_zerofilled"]
		if (!ex_free) zero += v["free_zerofilled"]
		if (mode == "elf-cyclic") zero += v["kernel_text_zero"]
	}
	cache = ex_cache ? v["cache"] : 0
	priv = ex_priv ? v["cache_private"] : 0
	user = ex_user ? v["user"] + pmem_cow : 0
	free = ex_free ? v["free"] : 0
	hwp = v["hwpoison"]
	off = v["offline"]

	original = v["ptload_pages"] - unallocated
	total = v["total"] - unallocated
	excluded = zero + cache + priv + user + free + hwp + off
	print "Original pages  : " hex(original)
	print "  Excluded pages   : " hex(excluded)
	print "    Pages filled with zero  : " hex(zero)
	print "    Non-private cache pages : " hex(cache)
	print "    Private cache pages     : " hex(priv)
	print "    User process data pages : " hex(user)
	print "    Free pages              : " hex(free)
	print "    Hwpoison pages          : " hex(hwp)
	print "    Offline pages           : " hex(off)
	print "  Remaining pages  : " hex(original - excluded)
	print "Memory Hole     : " hex(total - original)
	print "Total pages     : " hex(total)
}' "$manifest"
