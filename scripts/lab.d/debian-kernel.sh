# Debian's own stock kernel for the VM lab (scenarios with
# SCENARIO_KERNEL=debian): the linux-image-amd64 kernel of the archive,
# without the kernel series, to show what our tools do on a kernel as users
# run it. Nothing is installed on the host: the packages are fetched with
# `apt-get download` and unpacked into the lab's cache.
# shellcheck shell=bash

DEBIAN_KERNEL_CACHE=$LAB_CACHE/debian-kernel
# The metapackage whose dependency names the current ABI's image package.
DEBIAN_KERNEL_META=linux-image-amd64
# Bump when the layout of a version's cache dir changes.
DEBIAN_KERNEL_RECIPE=1

# Debian builds virtio, 9p and their helpers as modules, so the guest's root
# (the host's / over virtio-9p) cannot be mounted without an initramfs that
# loads them. These are the modules the initramfs loads (with their
# dependencies, from modules.dep).
DEBIAN_INITRD_MODULES=(virtio_pci 9pnet_virtio 9p)

# Image package and version: PMEMDUMP_LAB_DEBIAN_KERNEL pins a package
# (e.g. linux-image-6.1.0-57-amd64); otherwise the metapackage's dependency.
debian_kernel_pkg() {
	local pkg=${PMEMDUMP_LAB_DEBIAN_KERNEL:-}
	if [ -z "$pkg" ]; then
		pkg=$(apt-cache depends "$DEBIAN_KERNEL_META" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
	fi
	[ -n "$pkg" ] || return 1
	echo "$pkg"
}

debian_kernel_version() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1
}

debian_kernel_ready() {
	local d=$1
	[ -f "$d/.done" ] && [ -f "$d/bzImage" ] && [ -f "$d/vmlinux" ] && [ -f "$d/meta" ]
}

# Where the current Debian kernel is (or would be) cached. Without the apt
# lists (no archive), the last complete one is used.
debian_kernel_dir() {
	local pkg ver
	if pkg=$(debian_kernel_pkg) && ver=$(debian_kernel_version "$pkg") && [ -n "$ver" ]; then
		echo "$DEBIAN_KERNEL_CACHE/$ver"
	elif [ -e "$DEBIAN_KERNEL_CACHE/latest" ]; then
		readlink -f "$DEBIAN_KERNEL_CACHE/latest"
	else
		die "cannot resolve $DEBIAN_KERNEL_META (run apt-get update)"
	fi
}

# Value of KEY in a cache dir's meta file.
debian_meta() { sed -n "s/^$2=//p" "$1/meta" | head -n1; }

# The kernel's modules dir (lib/modules/<release>) in the cache dir.
debian_modules() { echo "$1/root/lib/modules/$(debian_meta "$1" release)"; }

# apt-get download PKG=VER into DIR. apt warns that it cannot drop to the
# _apt user for a root-owned directory; the download itself is fine.
debian_download() {
	local dir=$1 pkg=$2 ver=$3
	(cd "$dir" && apt-get download -q "$pkg=$ver") >"$dir/.download.log" 2>&1 || {
		cat "$dir/.download.log" >&2
		die "apt-get download $pkg=$ver failed"
	}
}

# Fetch and unpack the image package and the vmlinux of its -dbg package.
# Everything lands in a staging dir first, so an interrupted run leaves no
# half-filled cache entry behind.
fetch_debian_kernel() {
	local out=$1 pkg ver rel stage start deb dbg t
	pkg=$(debian_kernel_pkg) || die "cannot resolve $DEBIAN_KERNEL_META (run apt-get update)"
	ver=$(debian_kernel_version "$pkg")
	rel=${pkg#linux-image-}
	start=$(now)
	stage=$out.tmp
	rm -rf "$stage"
	mkdir -p "$stage"
	say "fetching $pkg $ver"
	debian_download "$stage" "$pkg" "$ver"
	deb=$(echo "$stage/${pkg}_"*.deb)
	dpkg-deb -x "$deb" "$stage/root"
	rm -f "$deb"
	[ -f "$stage/root/boot/vmlinuz-$rel" ] || die "$pkg has no boot/vmlinuz-$rel"
	# The package leaves modules.dep to its postinst; modprobe (and the
	# initramfs's module list) need it.
	depmod -b "$stage/root" "$rel" || die "depmod failed for $rel"
	cp "$stage/root/boot/vmlinuz-$rel" "$stage/bzImage"
	cp "$stage/root/boot/config-$rel" "$stage/config"
	# crash needs the DWARF of this very build: only the -dbg package has
	# it (860 MB compressed, 5.6 GB unpacked). Only the vmlinux is taken
	# out of it; the rest is symbols of modules crash does not need here.
	t=$(now)
	say "fetching $pkg-dbg $ver for its vmlinux (about 860 MB)"
	debian_download "$stage" "$pkg-dbg" "$ver"
	dbg=$(echo "$stage/${pkg}-dbg_"*.deb)
	dpkg-deb --fsys-tarfile "$dbg" |
		tar -x -C "$stage" "./usr/lib/debug/boot/vmlinux-$rel" ||
		die "no usr/lib/debug/boot/vmlinux-$rel in $dbg"
	rm -f "$dbg"
	mv "$stage/usr/lib/debug/boot/vmlinux-$rel" "$stage/vmlinux"
	rm -rf "${stage:?}/usr"
	# The package's System.map is a one-line stub pointing at the -dbg
	# package; the symbols of the vmlinux are the real one (absolute,
	# undefined and weak-undefined ones left out, as the kernel's does).
	nm -n "$stage/vmlinux" | grep -v ' [aNUw] ' >"$stage/System.map" ||
		die "nm of the vmlinux failed"
	{
		echo "hash=debian-$ver"
		echo "package=$pkg $ver"
		echo "release=$rel"
		echo "recipe=$DEBIAN_KERNEL_RECIPE"
		echo "fetched=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "seconds=$(elapsed "$start")"
		echo "dbg_seconds=$(elapsed "$t")"
	} >"$stage/meta"
	touch "$stage/.done"
	rm -rf "$out"
	mv "$stage" "$out"
	ln -sfn "$out" "$DEBIAN_KERNEL_CACHE/latest"
	say "Debian kernel $rel ($ver) fetched in $(elapsed "$start") s: $out"
}

# Runs of different scenarios may start together; one fetches or builds,
# the others wait and then find it done. Held until the (sub)shell exits.
debian_kernel_lock() {
	exec 8>"$DEBIAN_KERNEL_CACHE/.lock"
	flock 8
}

# The cache dir of Debian's kernel, fetching it if needed. Its layout is the
# lab kernel's (bzImage, vmlinux, System.map, config, meta with hash= and
# release=), so the runner and save_vmcore treat both alike; besides, root/
# is the unpacked package (modules with modules.dep).
debian_kernel() {
	local out
	need_cmd apt-get apt-cache dpkg-deb depmod tar nm flock
	mkdir -p "$DEBIAN_KERNEL_CACHE"
	debian_kernel_lock
	out=$(debian_kernel_dir)
	if ! debian_kernel_ready "$out"; then
		fetch_debian_kernel "$out"
	fi
	echo "$out"
}

# The initramfs depends on this file (its /init and module list are made
# here) and on the busybox it carries.
debian_initrd_hash() {
	{
		echo "recipe $DEBIAN_KERNEL_RECIPE"
		cat "$LABD/debian-kernel.sh"
		dpkg-query -W -f='${Version}\n' busybox-static 2>/dev/null || echo none
	} | sha256sum | cut -c1-16
}

# /init of the initramfs (busybox sh, PID 1): load the modules for the 9p
# root, mount it as the kernel would have (root=, rootfstype=, rootflags=,
# ro from the command line) and hand over to init= on it: scripts/lab.d/
# guest/init then starts as with the lab kernel, with nothing mounted.
debian_initrd_init() {
	cat <<'EOF'
#!/bin/busybox sh
# Built by scripts/lab.d/debian-kernel.sh: the lab's initramfs for Debian's
# stock kernel. Mounts the 9p root and runs init= on it.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# The same markers as the guest scripts, so the host names the failure.
fail() {
	echo "PMEMDUMP-STEP initramfs fail: $*"
	echo "PMEMDUMP-RESULT fail"
	echo b >/proc/sysrq-trigger
	sleep 60
}

while read -r m; do
	insmod "/lib/modules/$m" || fail "insmod $m"
done </lib/modules/load-order

root= fstype= flags= init=/sbin/init mode=ro
for w in $(cat /proc/cmdline); do
	case $w in
	root=*) root=${w#root=} ;;
	rootfstype=*) fstype=${w#rootfstype=} ;;
	rootflags=*) flags=${w#rootflags=} ;;
	init=*) init=${w#init=} ;;
	rw) mode=rw ;;
	esac
done
[ -n "$root" ] && [ -n "$fstype" ] || fail "no root= or rootfstype= on the command line"
# The virtio devices are probed when the drivers register; a few retries
# cover a probe that is still running.
i=0
until mount -t "$fstype" -o "$mode${flags:+,$flags}" "$root" /root; do
	i=$((i + 1))
	[ $i -lt 20 ] || fail "mount $root on /root"
	sleep 0.2
done
[ -x "/root$init" ] || fail "no init $init on the root"
umount /dev /sys /proc
exec switch_root /root "$init"
EOF
}

# Build (or find) the initramfs for the kernel in DIR; print its path.
# Modules come uncompressed (busybox insmod cannot read .ko.xz or .ko.zst).
debian_initrd() {
	local dir=$1 rel out stage line ko name mods
	rel=$(debian_meta "$dir" release)
	out=$dir/initrd-$(debian_initrd_hash).img
	debian_kernel_lock
	if [ -f "$out" ]; then
		echo "$out"
		return 0
	fi
	need_cmd cpio gzip modprobe
	[ -x /bin/busybox ] || die "/bin/busybox missing (run scripts/setup-deps: busybox-static)"
	stage=$dir/initrd.tmp
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,root,lib/modules}
	cp /bin/busybox "$stage/bin/busybox"
	mknod -m 600 "$stage/dev/console" c 5 1
	debian_initrd_init >"$stage/init"
	chmod 755 "$stage/init"
	: >"$stage/lib/modules/load-order"
	# modprobe resolves the dependencies and their order from modules.dep.
	while read -r line; do
		case $line in
		insmod\ *) ko=${line#insmod } ko=${ko%% *} ;;
		builtin\ *) continue ;;
		*) die "unexpected modprobe output: $line" ;;
		esac
		name=$(basename "$ko")
		case $name in
		*.ko.xz) name=${name%.xz}; xz -dc "$ko" >"$stage/lib/modules/$name" ;;
		*.ko.zst) name=${name%.zst}; zstd -qdc "$ko" >"$stage/lib/modules/$name" ;;
		*.ko.gz) name=${name%.gz}; gzip -dc "$ko" >"$stage/lib/modules/$name" ;;
		*) cp "$ko" "$stage/lib/modules/$name" ;;
		esac
		grep -qx "$name" "$stage/lib/modules/load-order" || echo "$name" >>"$stage/lib/modules/load-order"
	done < <(modprobe -d "$dir/root" -S "$rel" --show-depends -a "${DEBIAN_INITRD_MODULES[@]}")
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$out.tmp" ||
		die "cannot write $out"
	mv "$out.tmp" "$out"
	# Images of an older recipe are not used again (a saved vmcore needs
	# only the vmlinux).
	find "$dir" -maxdepth 1 -name 'initrd-*.img' ! -path "$out" -delete
	mods=$(tr '\n' ' ' <"$stage/lib/modules/load-order")
	rm -rf "$stage"
	say "initramfs for $rel: $out ($(stat -c %s "$out") bytes; modules: $mods)"
	echo "$out"
}
