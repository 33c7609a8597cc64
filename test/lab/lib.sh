# shellcheck shell=bash
# Shared by the VM lab tests (sourced): PASS/FAIL/SKIP lines, prerequisites
# and running or reusing a scenario. Expects REPO and LAB to be set.

failures=0

pass() { echo "PASS: $*"; }
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
skip_all() {
	echo "SKIP: $*"
	exit 77
}

# lab_prereqs CMD...: root, the commands, the kernel source, and a built
# lab kernel unless PMEMDUMP_LAB_BUILD_KERNEL=1 allows building it.
lab_prereqs() {
	local c
	[ "$(id -u)" -eq 0 ] || skip_all "the VM lab needs root"
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed (scripts/setup-deps)"
	done
	[ -f /usr/src/linux-source-6.1.tar.xz ] || skip_all "linux-source-6.1 not installed"
	if ! "$LAB" kernel-dir >/dev/null 2>&1 && [ "${PMEMDUMP_LAB_BUILD_KERNEL:-0}" != 1 ]; then
		skip_all "lab kernel not built: run scripts/lab build-kernel or set PMEMDUMP_LAB_BUILD_KERNEL=1"
	fi
}

# Run one scenario, or with PMEMDUMP_LAB_REUSE=1 reuse its last complete run.
run_cycle() {
	local s=$1 dir
	dir=$("$LAB" run-dir "$s")
	if [ "${PMEMDUMP_LAB_REUSE:-0}" = 1 ] &&
		grep -aq '^PMEMDUMP-RESULT ' "$dir/../serial.log" 2>/dev/null; then
		grep -aq '^PMEMDUMP-RESULT ok' "$dir/../serial.log"
		return
	fi
	"$LAB" run "$s" >/dev/null
}

# meta_get FILE KEY: the value of KEY=value in FILE.
meta_get() { sed -n "s/^$2=//p" "$1" | head -n1; }
