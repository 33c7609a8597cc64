# Kernel build for the VM lab: Debian's linux-source-6.1 plus the patches in
# kernel-patches/series, configured from test/lab/kernel.config.
# shellcheck shell=bash

# Bump when the build recipe itself changes in a way that changes the output,
# so that old cache entries are not reused.
KERNEL_RECIPE=2
# Variable-location tracking is a large share of gcc's -O2 -g time and only
# serves debuggers printing locals; crash needs the types, which stay.
KERNEL_KCFLAGS=-fno-var-tracking

# Patches named in the series file, in order; comments and blanks skipped.
series_patches() {
	local f=$PATCH_DIR/series
	[ -f "$f" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$f"
}

# The cache key: everything that decides what the build produces.
kernel_hash() {
	local ver p
	ver=$(dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null) ||
		die "$KERNEL_PKG is not installed (run scripts/setup-deps)"
	{
		echo "recipe $KERNEL_RECIPE $KERNEL_KCFLAGS"
		echo "$KERNEL_PKG $ver"
		echo "--- series"
		cat "$PATCH_DIR/series" 2>/dev/null || true
		while read -r p; do
			echo "--- patch $p"
			cat "$PATCH_DIR/$p" 2>/dev/null || echo "missing"
		done < <(series_patches)
		echo "--- fragment"
		cat "$KERNEL_FRAGMENT"
	} | sha256sum | cut -c1-16
}

kernel_dir() { echo "$KERNEL_CACHE/$(kernel_hash)"; }

kernel_ready() {
	local d=$1
	[ -f "$d/.done" ] && [ -f "$d/bzImage" ] && [ -f "$d/vmlinux" ]
}

# Unpack a fresh tree at a fixed path. A fixed path keeps ccache hits across
# rebuilds (the compiler's working directory is part of the hash with -g).
unpack_tree() {
	local tree=$1
	rm -rf "$tree"
	mkdir -p "$tree"
	say "unpacking $KERNEL_TARBALL"
	tar -xf "$KERNEL_TARBALL" -C "$tree" --strip-components=1
}

apply_patches() {
	local tree=$1 p
	while read -r p; do
		[ -f "$PATCH_DIR/$p" ] || die "kernel patch $p: listed in kernel-patches/series but missing"
		patch -d "$tree" -p1 --batch --forward --quiet <"$PATCH_DIR/$p" >"$tree/.patch.log" 2>&1 ||
			die "kernel patch $p failed to apply (see $tree/.patch.log)"
		say "applied $p"
	done < <(series_patches)
}

kmake() {
	local tree=$1
	shift
	make -C "$tree" CC="ccache gcc" HOSTCC="ccache gcc" KCFLAGS="$KERNEL_KCFLAGS" "$@"
}

configure_tree() {
	local tree=$1
	# Config chatter goes to stderr: stdout carries only the result path.
	kmake "$tree" -s x86_64_defconfig kvm_guest.config >&2
	(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$KERNEL_FRAGMENT") >"$tree/.merge.log" 2>&1 ||
		die "merge_config.sh failed (see $tree/.merge.log)"
	kmake "$tree" -s olddefconfig >&2
	verify_config "$tree/.config"
}

# Every CONFIG_X=y in the fragment must survive into the final .config.
verify_config() {
	local cfg=$1 opt bad=()
	while read -r opt; do
		grep -qx "$opt=y" "$cfg" || bad+=("$opt")
	done < <(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/\1/p' "$KERNEL_FRAGMENT")
	[ ${#bad[@]} -eq 0 ] ||
		die "kernel config: not =y in final .config: ${bad[*]} (check their Kconfig dependencies)"
	say "kernel config: all required options are =y"
}

build_kernel() {
	local out tree start log
	need_cmd make gcc ccache patch bc flex bison dpkg-query
	[ -f "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL missing (run scripts/setup-deps)"
	out=$(kernel_dir)
	if kernel_ready "$out"; then
		say "kernel up to date: $out"
		echo "$out"
		return 0
	fi
	tree=$KERNEL_CACHE/tree
	start=$(now)
	mkdir -p "$out" "$CCACHE_DIR"
	rm -f "$out/.done"
	unpack_tree "$tree"
	apply_patches "$tree"
	configure_tree "$tree"
	log=$out/build.log
	say "building bzImage + vmlinux with make -j3 (log: $log)"
	if ! kmake "$tree" -j3 bzImage >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "kernel build failed (full log: $log)"
	fi
	cp "$tree/arch/x86/boot/bzImage" "$tree/vmlinux" "$tree/System.map" "$out/"
	cp "$tree/.config" "$out/config"
	# CPU time of all children (user, sys): comparable across builds even
	# when other work competes for the cores, unlike wall time. `times` must
	# run in this shell, not in a pipe or $(...), to see the children.
	times >"$out/.times"
	echo "$(kernel_hash)" >"$tree/.pmemdump-hash"
	{
		echo "hash=$(kernel_hash)"
		echo "package=$KERNEL_PKG $(dpkg-query -W -f='${Version}' "$KERNEL_PKG")"
		echo "release=$(cat "$tree/include/config/kernel.release")"
		echo "tree=$tree"
		echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "seconds=$(elapsed "$start")"
		echo "cpu_user_sys=$(tail -n1 "$out/.times")"
	} >"$out/meta"
	touch "$out/.done"
	ln -sfn "$out" "$KERNEL_CACHE/latest"
	say "kernel built in $(elapsed "$start") s: $out"
	echo "$out"
}
