# Saved vmcores: real /proc/vmcore copies from the lab, kept outside the repo
# for the makedumpfile tests and benchmarks.
# shellcheck shell=bash

# Print the path of a saved vmcore. A NAME is a scenario that saves one; it is
# run when its vmcore is missing, when the vmlinux it needs has gone, or when
# PMEMDUMP_LAB_REFRESH=1. A PATH to an existing file is printed as is.
vmcore_path() {
	local arg=$1 name dst meta vmlinux
	if [[ $arg == */* ]]; then
		[ -f "$arg" ] || die "no such vmcore: $arg"
		readlink -f "$arg"
		return 0
	fi
	name=${arg%.vmcore}
	[ "$(scenario_var "$(scenario_file "$name")" SCENARIO_VMCORE)" = 1 ] ||
		die "scenario $name does not save a vmcore"
	dst=$VMCORE_CACHE/$name.vmcore
	meta=$VMCORE_CACHE/$name.meta
	vmlinux=$(sed -n 's/^vmlinux=//p' "$meta" 2>/dev/null || true)
	if [ "${PMEMDUMP_LAB_REFRESH:-0}" = 1 ] || [ ! -f "$dst" ] || [ ! -f "$meta" ] ||
		[ ! -f "$vmlinux" ]; then
		say "producing $dst"
		rm -f "$dst" "$meta"
		# A failure after the vmcore was saved (e.g. of the project's own
		# tool) still leaves a usable vmcore.
		# A separate process, so that set -e holds inside the run.
		"$REPO/scripts/lab" run "$name" >/dev/null || [ -f "$dst" ] || die "could not produce $dst"
	fi
	echo "$dst"
}
