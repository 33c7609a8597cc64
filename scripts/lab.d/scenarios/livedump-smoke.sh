# Scenario livedump-smoke (issue 14): the lab kernel with the live dump
# patch; RAM filled with page cache, tmpfs and anonymous data, an fsdax
# namespace with DAX files (one mapped shared) and a writer
# running; a live dump to a file on the virtio disk's ext4, saved to the
# results share as livedump-1.elf, with the invariant writers of
# CONFIG_LIVEDUMP_TEST running and a slow /proc/kcore copy of their pages
# beside it; a second dump; one through the livedump command with its
# filter, and its refusals; a dump to a block device (a loop device), then
# a dump cancelled over that image; a dump with a 4 MiB buffer that must
# fail; last, a reboot while a dump runs. No crash, no
# capture kernel.
# Test: test/lab/livedump.sh.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="live dump to a file while a writer runs; second dump, block device, cancel, buffer too small"
SCENARIO_CMDLINE=""
SCENARIO_DISK=4G
SCENARIO_VMCORE=0
# shellcheck source=../guest/livedump.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/livedump.lib.sh"

stage_first() {
	step info ld_info
	step fill ld_fill
	step pmem ld_pmem
	step writer ld_writer_start
	step invariants ld_invariants_start
	step baseline ld_baseline 15
	step dump1 ld_dump1
	step kcore-copy ld_kcore_copy
	step dump2 ld_dump2
	step cli ld_cli
	step bdev ld_bdev
	step small-buffer ld_small
	step save ld_save
	ld_finish_by_reboot
}
