# Scenario ndctl-list: pmem-kdump list (ndctl-helpers/) beside ndctl list on
# two NVDIMMs with labels, so that each region holds several namespaces:
# region A: fsdax map=dev, devdax map=dev, fsdax map=mem (and its seed);
# region B: raw, sector, a disabled fsdax map=dev (and its seed). Saves
# `ndctl list` and `pmem-kdump list` outputs, the running kernel's
# devm_memmap_vmcore list (walked through /proc/kcore by pmem-metadata.py)
# and, last, each fsdax/devdax namespace's info block (read-infoblock
# needs the namespace disabled). Then a crash, the capture kernel loaded by
# our kexec -p, and our makedumpfile -E -d 31 on /proc/vmcore: its pmem
# counts are compared with what pmem-kdump list said before (no vmcore is
# kept). test/lab/ndctl-list.sh compares.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="pmem-kdump list beside ndctl list: two labelled NVDIMMs, every namespace mode"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=0
KEXEC_MODE="ours"
# capture_cmdline, load_capture, check_nd_off, ours_E31.
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"
SCENARIO_NVDIMMS=2
SCENARIO_NVDIMM_LABEL_SIZE=128K

PMDUMP=$GUEST_DIR/pmem-metadata.py
PK=${LAB_NDCTL_HELPERS:-}

nl_info() {
	uname -a
	cat /proc/cmdline
	cat /proc/iomem >"$R/first.iomem"
	grep -E 'Persistent Memory|System RAM' /proc/iomem
	ndctl list -BDRNi
	if [ -z "$PK" ] || [ ! -x "$PK" ]; then
		echo "pmem-kdump is not built (PMEMDUMP_BUILD?)"
		return 1
	fi
	"$PK" --version
}

# A fresh label area on every DIMM: QEMU's starts zeroed.
nl_labels() {
	ndctl disable-region all &&
		ndctl init-labels -f all &&
		ndctl enable-region all &&
		ndctl list -Ri
}

# create REGION ARGS...: one namespace; its name goes to $R/first.ns-TAG.
nl_create() {
	local tag=$1 region=$2 dev
	shift 2
	ndctl create-namespace -r "$region" "$@" | tee "$R/first.create-$tag.json" || return 1
	dev=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["dev"])' \
		<"$R/first.create-$tag.json") || return 1
	echo "$tag=$dev" >>"$R/first.namespaces"
}

nl_namespaces() {
	local regions=()
	: >"$R/first.namespaces"
	# No process substitution: the guest has no /dev/fd.
	read -ra regions <<<"$(ndctl list -R | /usr/bin/python3 -c \
		'import json,sys; r=json.load(sys.stdin); r=r if isinstance(r,list) else [r]; print(" ".join(sorted(x["dev"] for x in r)))')"
	echo "regions: ${regions[*]}"
	[ ${#regions[@]} -ge 2 ] || { echo "need two regions"; return 1; }
	echo "region_a=${regions[0]}" >>"$R/first.namespaces"
	echo "region_b=${regions[1]}" >>"$R/first.namespaces"
	nl_create fsdax-dev "${regions[0]}" -m fsdax -M dev -s 256M &&
		nl_create devdax-dev "${regions[0]}" -m devdax -M dev -s 256M -a 2M &&
		nl_create fsdax-mem "${regions[0]}" -m fsdax -M mem -s 128M &&
		nl_create raw "${regions[1]}" -m raw -s 128M &&
		nl_create sector "${regions[1]}" -m sector -s 128M &&
		nl_create disabled "${regions[1]}" -m fsdax -M dev -s 128M || return 1
	ndctl disable-namespace "$(sed -n 's/^disabled=//p' "$R/first.namespaces")" || return 1
	cat "$R/first.namespaces"
}

# The outputs the host test compares.
nl_lists() {
	local a b fd
	a=$(sed -n 's/^region_a=//p' "$R/first.namespaces")
	b=$(sed -n 's/^region_b=//p' "$R/first.namespaces")
	fd=$(sed -n 's/^fsdax-dev=//p' "$R/first.namespaces")
	ndctl list -N >"$R/first.ndctl-N.json" &&
		ndctl list -Ni >"$R/first.ndctl-Ni.json" &&
		ndctl list -NRvi >"$R/first.ndctl-NRvi.json" &&
		ndctl list -Nv >"$R/first.ndctl-Nv.json" &&
		ndctl list -Nu -n "$fd" >"$R/first.ndctl-Nu-one.json" &&
		"$PK" list >"$R/first.pk-list.json" &&
		"$PK" list -i >"$R/first.pk-list-i.json" &&
		"$PK" list -v >"$R/first.pk-list-v.json" &&
		"$PK" list -u -n "$fd" >"$R/first.pk-list-u-one.json" &&
		"$PK" list -r "$b" >"$R/first.pk-list-rb.json" &&
		"$PK" list -r "$a" -m devdax >"$R/first.pk-list-ra-devdax.json" &&
		"$PK" list -n "$fd" >"$R/first.pk-list-n.json" &&
		"$PK" list -i --format=table >"$R/first.pk-list.table" || return 1
	# Exit statuses: a bad option is 2, as pmem-kdump(8) says.
	"$PK" list --format=yaml 2>"$R/first.pk-usage.err"
	echo "usage_status=$?" >"$R/first.pk-status"
	cat "$R/first.ndctl-N.json" "$R/first.pk-list.json" "$R/first.pk-list.table"
}

nl_kernel_list() {
	local where
	where=$(cat /sys/kernel/vmcoreinfo)
	# shellcheck disable=SC2086 # two words: address and size
	"$PMDUMP" vmcoreinfo /proc/kcore $where >"$R/first.vmcoreinfo" &&
		"$PMDUMP" list /proc/kcore "$R/first.vmcoreinfo" | tee "$R/first.kernel-list"
}

# Last (it disables and re-enables namespaces): the info blocks.
nl_infoblocks() {
	local tag dev
	for tag in fsdax-dev devdax-dev fsdax-mem; do
		dev=$(sed -n "s/^$tag=//p" "$R/first.namespaces")
		ndctl disable-namespace "$dev" &&
			ndctl read-infoblock -j "$dev" | tee "$R/first.infoblock-$tag.json" &&
			ndctl enable-namespace "$dev" || return 1
	done
	# Enabled again: the same list as before.
	"$PK" list >"$R/first.pk-list-after.json"
}

stage_first() {
	step info nl_info
	step labels nl_labels
	step namespaces nl_namespaces
	step lists nl_lists
	step kernel-list nl_kernel_list
	step infoblocks nl_infoblocks
	step pk-list-crash nl_list_before_crash
	step "kexec-$KEXEC_MODE" load_capture
	marker "STEP panic start"
	echo c >/proc/sysrq-trigger
	marker "STEP panic fail"
	lab_finish fail "sysrq-c returned"
}

# What the dump will hold, as pmem-kdump says just before the crash.
nl_list_before_crash() {
	"$PK" list | tee "$R/first.pk-list-crash.json"
}

stage_capture() {
	step info capture_info
	step nd-off check_nd_off
	step ours-E31 ours_E31
	rm -f "$R/ours.E31.elf"
	lab_finish ok
}
