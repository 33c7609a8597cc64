# Scenario livedump-2g (issue 14): the livedump-smoke fill, writer and
# invariant writers on a 2 GiB guest, one live dump to a file on the virtio
# disk, then all RAM copied from /proc/kcore, for bench/livedump.sh (stop
# length, total time, buffer used, writer slowdown, consistency). The
# image is checked in the guest but not copied out (2 GiB).
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="live dump and a /proc/kcore copy of a 2 GiB guest while writers run (bench)"
SCENARIO_CMDLINE=""
SCENARIO_MEM=2
SCENARIO_DISK=8G
SCENARIO_VMCORE=0
# shellcheck source=../guest/livedump.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/livedump.lib.sh"

stage_first() { ld_bench_stage; }
