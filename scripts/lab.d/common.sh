# Shared settings and helpers for scripts/lab. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # variables used by the other lab.d files

# Caches live outside the repository: the kernel tree alone is several GB and
# the saved vmcores are about 1 GB each. Both can be moved with the
# environment variables below.
LAB_CACHE=${PMEMDUMP_LAB_CACHE:-/var/cache/pmemdump}
KERNEL_CACHE=$LAB_CACHE/kernel
VMCORE_CACHE=$LAB_CACHE/vmcores
# Per-run scratch space (NVDIMM backing file, disks, serial log, results).
LAB_WORK=${PMEMDUMP_LAB_WORK:-/var/tmp/pmemdump-lab}
export CCACHE_DIR=${CCACHE_DIR:-$LAB_CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

KERNEL_TARBALL=/usr/src/linux-source-6.1.tar.xz
KERNEL_PKG=linux-source-6.1
KERNEL_FRAGMENT=$REPO/test/lab/kernel.config
PATCH_DIR=$REPO/kernel-patches
GUEST_DIR=$REPO/scripts/lab.d/guest

say() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (QEMU 9p root export and $LAB_CACHE need it)"
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "missing command '$c' (run scripts/setup-deps)"
	done
}

# Seconds since the epoch with sub-second precision, for timings.
now() { date +%s.%N; }
elapsed() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
