# Scenario livedump-2g (issue 14): the livedump-smoke fill and writer on a
# 2 GiB guest, one live dump to a file on the virtio disk, for the figures
# (stop length, total time, buffer used, writer slowdown). The image is
# checked in the guest (ELF core) but not copied out (2 GiB).
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="live dump of a 2 GiB guest while a writer runs (figures)"
SCENARIO_CMDLINE=""
SCENARIO_MEM=2
SCENARIO_DISK=4G
SCENARIO_VMCORE=0
# shellcheck source=../guest/livedump.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/livedump.lib.sh"

stage_first() {
	step info ld_info
	step fill ld_fill
	step writer ld_writer_start
	step invariants ld_invariants_start
	step baseline ld_baseline 15
	step dump1 ld_dump1
	soft_step invariants-image "$GUEST_DIR/livedump-invariants.py" check "$LD_IMAGE" "$R/first.lt.layout"
	dmesg >"$R/first.dmesg"
	lab_finish ok
}
