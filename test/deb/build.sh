#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build the Debian package and check it (doc/debian-design.md §3, §4, §8):
#
#   test/deb/build.sh [OUTDIR]          (default: build/deb in the tree)
#
# Builds pmemdump_VERSION_amd64.deb (and its -dbgsym) into OUTDIR from a
# copy of the working tree (test/deb/lib.sh says how), with
# DEB_BUILD_OPTIONS="nocheck parallel=3" unless PMEMDUMP_DEB_BUILD_OPTIONS
# says otherwise; then lintian, the file list, the control fields, and the
# maintainer scripts and the hook (sh -n, shellcheck). One PASS/FAIL/SKIP
# line per check; exit 0, 1, or 77 when the package cannot be built here
# (dpkg-buildpackage or debhelper missing).
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=${1:-${PMEMDUMP_BUILD_ROOT:-$deb_top/build}/deb}
missing=$(deb_missing_tools)
if [ -n "$missing" ]; then
	skip "Debian package: not built, missing: $missing (scripts/setup-deps test installs them)"
	finish
fi

# --- the build ---
t0=$(date +%s)
if ! deb_build "$out"; then
	fail "dpkg-buildpackage -us -uc -b ($DEB_OPTIONS): $DEB_ERROR"
	tail -n 30 "$out/build.log" 2>/dev/null | sed 's/^/    /'
	finish
fi
pass "dpkg-buildpackage -us -uc -b ($DEB_OPTIONS): $DEB_FILE in $(($(date +%s) - t0)) s"
deb=$DEB_FILE
work=$(mktemp -d "${TMPDIR:-/tmp}/pmemdump-deb-build.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# --- lintian: no error, no warning (info and pedantic tags are shown, not failed) ---
if ! command -v lintian >/dev/null; then
	skip "lintian: not installed"
else
	# (lintian warns that it runs as root; that line is not a tag)
	lintian --fail-on error,warning --display-info --pedantic "$DEB_CHANGES" \
		>"$out/lintian.log" 2>&1
	rc=$?
	grep -v 'running with root privileges is not recommended' "$out/lintian.log" |
		sed 's/^/    lintian: /'
	if [ "$rc" -eq 0 ]; then
		pass "lintian --fail-on error,warning $(basename "$DEB_CHANGES")"
	else
		fail "lintian --fail-on error,warning $(basename "$DEB_CHANGES") (exit status $rc)"
	fi
fi

# --- the files (§3): exactly these, directories aside ---
dpkg-deb -c "$deb" >"$work/contents" || fail "dpkg-deb -c $deb"
# dh_compress gzips a document over 4 KiB: README.Debian's name follows
# its length, which is not what this checks.
awk '$1 !~ /^d/ { print $6 }' "$work/contents" |
	sed 's|^\(./usr/share/doc/pmemdump/README.Debian\)\.gz$|\1|' | sort >"$work/files"
want=(./sbin/kexec ./usr/bin/makedumpfile ./usr/sbin/pmem-kdump ./usr/bin/pmemdump-vm
	./usr/sbin/livedump
	./usr/share/man/man8/kexec.8.gz ./usr/share/man/man8/makedumpfile.8.gz
	./usr/share/man/man8/pmem-kdump.8.gz ./usr/share/man/man8/pmemdump-vm.8.gz
	./usr/share/man/man8/livedump.8.gz
	./lib/lsb/init-functions.d/60-pmemdump
	./lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf
	./lib/systemd/system/kdump-tools.service.d/pmemdump.conf
	./usr/share/doc/pmemdump/README.Debian ./usr/share/doc/pmemdump/changelog.gz
	./usr/share/doc/pmemdump/copyright)
printf '%s\n' "${want[@]}" | sort >"$work/want"
if cmp -s "$work/want" "$work/files"; then
	pass "dpkg-deb -c: exactly the ${#want[@]} files of doc/debian-design.md §3"
else
	fail "dpkg-deb -c: the files differ from §3 (- missing, + unexpected):"
	diff "$work/want" "$work/files" | sed -n 's/^</    -/p; s/^>/    +/p'
fi
for p in ./usr/sbin/kexec ./usr/sbin/makedumpfile ./usr/bin/kexec ./usr/sbin/kexec.distrib; do
	if awk -v p="$p" '$6 == p { f = 1 } END { exit !f }' "$work/contents"; then
		fail "dpkg-deb -c: $p is in the package (§4: only dpkg's spelling, /sbin/kexec and /usr/bin/makedumpfile)"
	else
		pass "dpkg-deb -c: nothing at $p"
	fi
done
# modes and owners: programs 0755, the hook and the drop-in 0644, all root
modes=$(awk '$6 == "./sbin/kexec" || $6 == "./usr/bin/makedumpfile" || $6 == "./usr/sbin/pmem-kdump" ||
	$6 == "./usr/bin/pmemdump-vm" || $6 == "./usr/sbin/livedump" ||
	$6 ~ /60-pmemdump$/ || $6 ~ /pmemdump.conf$/ { print $1, $2, $6 }' "$work/contents" | sort -k3)
t_eq "dpkg-deb -c: modes and owners of the programs, the hook and the drop-in" \
	"-rw-r--r-- root/root ./lib/lsb/init-functions.d/60-pmemdump
-rw-r--r-- root/root ./lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf
-rw-r--r-- root/root ./lib/systemd/system/kdump-tools.service.d/pmemdump.conf
-rwxr-xr-x root/root ./sbin/kexec
-rwxr-xr-x root/root ./usr/bin/makedumpfile
-rwxr-xr-x root/root ./usr/bin/pmemdump-vm
-rwxr-xr-x root/root ./usr/sbin/livedump
-rwxr-xr-x root/root ./usr/sbin/pmem-kdump" "$modes"

# --- control fields (§3) ---
f() { dpkg-deb -f "$deb" "$1" 2>/dev/null; }
t_eq "control: Package" pmemdump "$(f Package)"
t_eq "control: Version" "$DEB_VERSION" "$(f Version)"
t_eq "control: Architecture" amd64 "$(f Architecture)"
dep=$(f Depends)
for d in kexec-tools makedumpfile libndctl6 libjson-c5 libzstd1; do
	if printf '%s\n' "$dep" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$d"; then
		pass "control: Depends has $d"
	else
		fail "control: Depends lacks $d: $dep"
	fi
done
t_eq "control: Recommends" kdump-tools "$(f Recommends)"
t_eq "control: Suggests" crash "$(f Suggests)"

# --- maintainer scripts and the hook ---
dpkg-deb -e "$deb" "$work/DEBIAN" || fail "dpkg-deb -e $deb"
dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x $deb"
hook=$work/root/lib/lsb/init-functions.d/60-pmemdump
for s in preinst postinst postrm; do
	if [ ! -f "$work/DEBIAN/$s" ]; then
		fail "maintainer script $s: missing"
		continue
	fi
	t_ok "sh -n $s" sh -n "$work/DEBIAN/$s"
	t_lacks "$s: #DEBHELPER# was filled in" '#DEBHELPER#' "$(cat "$work/DEBIAN/$s")"
done
t_ok "sh -n 60-pmemdump (the hook)" sh -n "$hook"
if command -v shellcheck >/dev/null; then
	for s in "$work/DEBIAN/preinst" "$work/DEBIAN/postinst" "$work/DEBIAN/postrm" "$hook"; do
		if msg=$(shellcheck -s sh "$s" 2>&1); then
			pass "shellcheck -s sh $(basename "$s")"
		else
			fail "shellcheck -s sh $(basename "$s")"
			printf '%s\n' "$msg" | sed 's/^/    /'
		fi
	done
else
	skip "shellcheck: not installed"
fi
# the four diversions, added in preinst and removed in postrm (§4)
for s in preinst:--add postrm:--remove; do
	n=0
	for p in /sbin/kexec /usr/bin/makedumpfile /usr/share/man/man8/kexec.8.gz \
		/usr/share/man/man8/makedumpfile.8.gz; do
		grep -q "dpkg-divert --package pmemdump ${s#*:} --rename --divert $p.distrib $p\$" \
			"$work/DEBIAN/${s%%:*}" && n=$((n + 1))
	done
	t_eq "${s%%:*}: dpkg-divert ${s#*:} --rename of the 4 paths to .distrib" 4 "$n"
done
# the drop-in
t_eq "kdump-tools-dump.service.d/pmemdump.conf: [Service] UMask=0077" \
	"[Service] UMask=0077" \
	"$(grep -v '^#' "$work/root/lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf" | tr '\n' ' ' | sed 's/ *$//')"
t_eq "kdump-tools.service.d/pmemdump.conf: nfit loaded before the load, where there is an NFIT" \
	"[Service] ExecStartPre=-/bin/sh -c 'if [ -e /sys/bus/acpi/devices/ACPI0012:00 ]; then exec modprobe -q nfit; fi'" \
	"$(grep -v '^#' "$work/root/lib/systemd/system/kdump-tools.service.d/pmemdump.conf" | tr '\n' ' ' | sed 's/ *$//')"

echo "Debian package: $deb"
finish
