# shellcheck shell=bash source-path=SCRIPTDIR
# Shared by test/deb/*.sh (sourced, not run): the check lines, and building
# the Debian package from a copy of the tree.
#
# The copy: dpkg-buildpackage builds in the directory it is given and
# writes the .deb into its parent, and the tree may hold work that is not
# committed yet, so the package is built from a copy of the working tree
# as it is now, made by test/lib/source-tree.sh's pmd_mirror_sources:
# git's tracked and untracked (not ignored) files, without deleted files
# and without programs an in-tree build left. Generated autotools files
# are ignored by git, so the copy has none and dh_autoreconf makes them.

deb_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/source-tree.sh
. "$deb_top/test/lib/source-tree.sh"

PASSED=0 FAILED=0 SKIPPED=0
pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP: $*"; SKIPPED=$((SKIPPED + 1)); }
# note TEXT...: an indented line, not a check.
note() { printf '    %s\n' "$@"; }

# Exit status: 0 pass, 1 fail, 77 when nothing could be checked.
finish() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" -eq 0 ] || exit 1
	[ "$PASSED" -gt 0 ] || exit 77
	exit 0
}

# t_ok DESC CMD...: PASS when CMD succeeds.
t_ok() {
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
# t_eq DESC EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: want '$2', got '$3'"
	fi
}
# t_has DESC NEEDLE TEXT: TEXT contains NEEDLE (a fixed string).
t_has() {
	case $3 in
	*"$2"*) pass "$1" ;;
	*) fail "$1: '$2' not in '$3'" ;;
	esac
}
# t_lacks DESC NEEDLE TEXT
t_lacks() {
	case $3 in
	*"$2"*) fail "$1: '$2' in '$3'" ;;
	*) pass "$1" ;;
	esac
}

# deb_missing_tools: the names of what building the package needs and this
# machine lacks (dpkg-buildpackage from dpkg-dev, dh from debhelper).
deb_missing_tools() {
	local m=
	command -v dpkg-buildpackage >/dev/null || m="$m dpkg-dev"
	command -v dh >/dev/null || m="$m debhelper"
	echo "${m# }"
}

# The options of every package build here: no `make check` (scripts/test
# runs it in its own builds) and three jobs. PMEMDUMP_DEB_BUILD_OPTIONS
# replaces them ("parallel=3" alone runs make check in the package build).
DEB_OPTIONS=${PMEMDUMP_DEB_BUILD_OPTIONS-nocheck parallel=3}

# deb_build OUTDIR [VERSION]: copy the tree to OUTDIR/pmemdump-VERSION and
# build the binary packages there with dpkg-buildpackage -us -uc -b; they
# land in OUTDIR. VERSION, when given, is a new version for this build
# only: a changelog entry in the copy and AC_INIT's version (so the
# programs' --version shows it). Earlier pmemdump packages in OUTDIR are
# removed first. The log is OUTDIR/build.log; the copy is removed after a
# successful build. Sets DEB_FILE (the .deb of package pmemdump),
# DEB_CHANGES and DEB_VERSION; returns 1 with DEB_ERROR set on failure.
# shellcheck disable=SC2034 # DEB_* are the callers'
deb_build() {
	local out=$1 want=${2:-} ver src
	DEB_FILE='' DEB_CHANGES='' DEB_VERSION='' DEB_ERROR=
	mkdir -p "$out" || { DEB_ERROR="cannot create $out"; return 1; }
	out=$(cd "$out" && pwd)
	rm -rf "$out"/pmemdump-[0-9]* "$out"/pmemdump_* "$out"/pmemdump-dbgsym_* "$out/build.log"
	ver=$(dpkg-parsechangelog -l "$deb_top/debian/changelog" -S Version) ||
		{ DEB_ERROR="cannot read debian/changelog"; return 1; }
	src=$out/pmemdump-${want:-$ver}
	if ! pmd_mirror_sources "$deb_top" "$src" 2>"$out/build.log"; then
		DEB_ERROR="cannot copy the tree to $src: $(tail -n1 "$out/build.log")"
		return 1
	fi
	if [ -n "$want" ]; then
		{
			printf 'pmemdump (%s) unstable; urgency=medium\n\n' "$want"
			printf '  * Test build of %s (test/deb).\n\n' "$want"
			printf ' -- pmemdump developers <dev@pmemdump.invalid>  %s\n\n' "$(date -R)"
			cat "$deb_top/debian/changelog"
		} >"$src/debian/changelog"
		sed -i "s/^AC_INIT(\[pmemdump\], \[[^]]*\]/AC_INIT([pmemdump], [$want]/" "$src/configure.ac"
		ver=$want
	fi
	if ! (cd "$src" && DEB_BUILD_OPTIONS=$DEB_OPTIONS dpkg-buildpackage -us -uc -b) \
		>>"$out/build.log" 2>&1; then
		DEB_ERROR="dpkg-buildpackage failed (log: $out/build.log, copy kept in $src)"
		return 1
	fi
	DEB_VERSION=$ver
	DEB_FILE=$out/pmemdump_${ver}_amd64.deb
	DEB_CHANGES=$out/pmemdump_${ver}_amd64.changes
	if [ ! -f "$DEB_FILE" ] || [ ! -f "$DEB_CHANGES" ]; then
		DEB_ERROR="dpkg-buildpackage did not write $DEB_FILE and $DEB_CHANGES"
		return 1
	fi
	rm -rf "$src"
}
