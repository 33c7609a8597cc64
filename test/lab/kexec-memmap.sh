#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of `kexec --pmem=memmap` (issue 12), scenario kexec-memmap on
# the lab kernel. Checked from the host:
#   - the common kdump checks (check_scenario, mode ours) with the flagged
#     PT_LOAD starting at the namespace and ending inside the pmem range;
#   - that PT_LOAD ends exactly where the device memmap ends (the data
#     start), as pmem-pages.py finds it in the vmcore on its own: no page of
#     pmem user data is in /proc/vmcore, the marker pages of the DAX files
#     included, and the whole memmap is;
#   - crash `kmem -p` shows the first data page's struct page.
# Exit: 0 pass, 1 fail, 77 skip.
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
# shellcheck source=kdump-checks.sh
. "$REPO/test/lab/kdump-checks.sh"
S=kexec-memmap
# shellcheck source=kexec-checks.sh
. "$REPO/test/lab/kexec-checks.sh"
PMEM_MEMMAP_ONLY=1

# The flagged PT_LOAD against the memmap pmem-pages.py found in it.
check_memmap_only() {
	local res=$1 st=$1/pmem-pages.stats list_end flagged meta user marker start size flags end=
	list_end=$(sed -n 's/^list=0x[0-9a-f]*-\(0x[0-9a-f]*\).*/\1/p' "$st" 2>/dev/null)
	while read -r start size flags; do
		((flags & 0x10)) && end=$((start + size))
	done < <("$PMDUMP" loads "$res/vmcore")
	flagged=$(meta_get "$st" flagged_pages)
	meta=$(meta_get "$st" meta_pages)
	user=$(meta_get "$st" user_pages)
	marker=$(meta_get "$st" user_marker)
	if [ -n "$list_end" ] && [ -n "$end" ] && ((end == list_end)) && [ "$marker" = 0 ] &&
		[ -n "$user" ] && [ -n "$meta" ] && ((user <= 2 && meta + user == flagged)); then
		pass "$S: the PF_DEV PT_LOAD ends at the data start $list_end: $meta memmap pages and $user pages of pad and info block, no pmem user data (0 marker pages) in /proc/vmcore"
	else
		fail "$S: PF_DEV PT_LOAD end ${end:-none}, memmap end ${list_end:-?}; flagged ${flagged:-?} = meta ${meta:-?} + other ${user:-?}, marker pages ${marker:-?}"
	fi
}

check_prereqs
res=$("$LAB" run-dir "$S")
check_scenario "$S" ours
check_memmap_only "$res"
check_pmem_page "$res"
[ $failures -eq 0 ] || exit 1
exit 0
