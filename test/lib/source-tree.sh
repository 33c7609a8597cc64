# shellcheck shell=bash
# Where scripts/test and scripts/demo configure from (sourced, not run).
#
# They build out of tree, under $PMEMDUMP_BUILD_ROOT. Once the source tree
# has been configured in place (README's "Building by hand": ./configure in
# the clone), automake's configure refuses every out-of-tree build ("source
# directory already configured"), and with reason: make would find the
# in-tree objects through VPATH and take them for its own. `make distclean`
# would cure that by destroying the user's build, so instead the scripts
# then build from a copy of the sources (git's tracked and untracked, not
# ignored, files, without the programs an in-tree build leaves), refreshed
# on every run with the files' times kept, so that the builds stay
# incremental. The in-tree build is not touched.

PMD_SOURCE_COPY_MARK=.pmemdump-source-copy

# pmd_is_program FILE: FILE is an ELF executable or shared object (e_type
# 2 or 3), such as a program a build wrote.
pmd_is_program() {
	[ -f "$1" ] && [ ! -L "$1" ] || return 1
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] || return 1
	case $(od -An -tu1 -j16 -N1 "$1" | tr -d ' ') in 2 | 3) return 0 ;; esac
	return 1
}

# pmd_mirror_sources TOP DEST: DEST becomes a copy of TOP's sources.
pmd_mirror_sources() {
	local top=$1 dest=$2
	if ! git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		echo "$top is configured in place and is not a git checkout:" \
			"run 'make distclean' there to build out of tree" >&2
		return 1
	fi
	if [ -e "$dest" ] && [ ! -e "$dest/$PMD_SOURCE_COPY_MARK" ]; then
		echo "$dest exists and is not a copy this script made: not replacing it" >&2
		return 1
	fi
	rm -rf "$dest.new" && mkdir -p "$dest.new" || return 1
	{
		git -C "$top" ls-files -z --cached
		# untracked files, but not the programs (ELF executables or
		# shared objects) the in-tree build left where .gitignore does
		# not cover them; ELF core files (test vmcores) are sources
		git -C "$top" ls-files -z --others --exclude-standard |
			(cd "$top" && while IFS= read -r -d '' f; do
				pmd_is_program "$f" || printf '%s\0' "$f"
			done)
	} | (cd "$top" && while IFS= read -r -d '' f; do
		# not deleted from the work tree
		{ [ -e "$f" ] || [ -L "$f" ]; } && printf '%s\0' "$f"
	done) |
		tar -C "$top" --null -T - -cf - | tar -C "$dest.new" -xf - || return 1
	: >"$dest.new/$PMD_SOURCE_COPY_MARK"
	rm -rf "$dest" && mv "$dest.new" "$dest"
}

# pmd_source_dir TOP COPY: autoreconf the tree to configure from and print
# it: TOP, or COPY (made with pmd_mirror_sources) when TOP is configured in
# place. The reason for a copy goes to stderr.
pmd_source_dir() {
	local top=$1 copy=$2 src=$1 log
	if [ -f "$top/config.status" ]; then
		echo "$top is configured in place (./configure there): building from a" \
			"copy of its sources in $copy; the in-tree build is left as it is" >&2
		pmd_mirror_sources "$top" "$copy" || return 1
		src=$copy
	fi
	# (a fresh copy makes automake say it installs its helper scripts)
	if ! log=$(cd "$src" && autoreconf -fi 2>&1 >/dev/null); then
		printf '%s\n' "$log" >&2
		return 1
	fi
	[ -z "$log" ] || printf '%s\n' "$log" | grep -v ": installing '" >&2
	echo "$src"
}

# pmd_builddir_for DIR SRC: DIR exists, and holds no build configured from
# another source tree than SRC (one would be cleaned with make distclean, or
# removed: automake's dependency files would mix both trees).
pmd_builddir_for() {
	local dir=$1 src=$2 was
	if [ -f "$dir/Makefile" ]; then
		was=$(sed -n 's/^abs_top_srcdir = //p' "$dir/Makefile")
		if [ -n "$was" ] && [ "$was" != "$src" ]; then
			echo "$dir was configured from $was, now from $src: cleaning it" >&2
			make -s -C "$dir" distclean >/dev/null 2>&1 || rm -rf "$dir"
		fi
	fi
	mkdir -p "$dir"
}
