# shellcheck shell=bash
# Host-side checks that a kdump cycle ran on Debian's own stock kernel
# (scenarios kdump-debian and kexec-ours-debian; sourced by their tests).
# Expects S (the scenario) set and test/lab/kdump-checks.sh sourced;
# debian_prereqs sets KDIR, the cached Debian kernel.

# Not check_prereqs: the lab kernel (and its source) are not needed here,
# Debian's kernel and the tools that unpack it are.
debian_prereqs() {
	[ "$(id -u)" -eq 0 ] || skip_all "the VM lab needs root"
	debian_available || skip_all "Debian's kernel or a tool to run it is missing (scripts/setup-deps, scripts/lab debian-kernel)"
}

# The same without leaving: 0 and KDIR set when the Debian kernel can run.
debian_available() {
	local c
	for c in qemu-system-x86_64 crash makedumpfile readelf kexec ndctl mkfs.ext4 gcc timeout \
		apt-get dpkg-deb depmod cpio busybox; do
		command -v "$c" >/dev/null 2>&1 || return 1
	done
	KDIR=$("$LAB" debian-kernel)
}

# The first kernel's `uname -a` (first line of its info step) against the
# package that was fetched.
check_uname() {
	local res=$1 rel ver uname
	rel=$(meta_get "$KDIR/meta" release)
	ver=$(meta_get "$KDIR/meta" package)
	ver=${ver##* }
	uname=$(head -n1 "$res/first.info.log" 2>/dev/null)
	if [ "$(awk '{print $3}' <<<"$uname")" = "$rel" ] && [[ $uname == *" Debian $ver "* ]]; then
		pass "$S: the first kernel is Debian's $rel ($ver): $uname"
	else
		fail "$S: the first kernel is not Debian's $rel ($ver): $uname"
	fi
}

# nfit is a module of Debian's kernel: loaded in the first kernel (lsmod in
# the modules step), blacklisted in the capture kernel; ndctl saw the bus
# and made the fsdax namespace.
check_modules() {
	local res=$1
	if grep -q '^nfit ' "$res/first.modules.log" && grep -q '^libnvdimm ' "$res/first.modules.log" &&
		grep -q '"provider":"ACPI.NFIT"' "$res/first.modules.log" &&
		grep -q '"mode":"fsdax"' "$res/first.fsdax.log"; then
		pass "$S: nfit and libnvdimm loaded as modules, ndctl found the NFIT bus and made an fsdax namespace"
	else
		fail "$S: NVDIMM modules or namespace missing (see first.modules.log, first.fsdax.log)"
	fi
	# The nd-off step, fatal, showed libnvdimm idle there.
	if grep -q ' module_blacklist=nfit' "$res/capture.info.log" &&
		grep -q '^libnvdimm saw no NVDIMM' "$res/capture.nd-off.log"; then
		pass "$S: capture kernel booted with module_blacklist=nfit, libnvdimm saw no NVDIMM"
	else
		fail "$S: capture command line lacks module_blacklist=nfit (see capture.info.log)"
	fi
}

# Without the kernel series VMCOREINFO has no devm_memmap_vmcore entries.
check_vmcoreinfo() {
	local res=$1 meta vmcore rel info=$1/vmcore.vmcoreinfo
	meta=$(dirname "$(readlink -f "$res/vmcore")")/$S.meta
	vmcore=$(meta_get "$meta" vmcore)
	rel=$(meta_get "$KDIR/meta" release)
	if ! "$PMDUMP" vmcoreinfo "$vmcore" >"$info" 2>&1; then
		fail "$S: cannot read VMCOREINFO from $vmcore (see $info)"
	elif ! grep -qx "OSRELEASE=$rel" "$info"; then
		fail "$S: VMCOREINFO of $vmcore is not $rel's: $(grep OSRELEASE "$info")"
	elif grep -q devm_memmap_vmcore "$info"; then
		fail "$S: VMCOREINFO has devm_memmap_vmcore entries: this is not the stock kernel"
	else
		pass "$S: VMCOREINFO says OSRELEASE=$rel and has no devm_memmap_vmcore (no kernel series)"
	fi
}

check_debian() {
	local res=$1
	if [ -s "$res/first.info.log" ] && [ -s "$res/capture.info.log" ]; then
		check_uname "$res"
		check_modules "$res"
		check_vmcoreinfo "$res"
	else
		fail "$S: the run left no info logs of both kernels"
	fi
}
