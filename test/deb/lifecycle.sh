#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2016 # scripts run in the roots and dpkg-query formats: $ is theirs
# The package's life with kdump-tools, in throwaway roots, without touching
# the host (doc/debian-design.md §4, §5, §9 "deb-lifecycle"):
#
#   test/deb/lifecycle.sh [DEBDIR]      (default: build/deb, where
#                                        test/deb/build.sh puts the .deb)
#
# Each throwaway root is an overlay of the host's / (lowerdir=/, the upper
# and work directories in a temporary directory), mounted in a private
# mount namespace (unshare -m) with /proc, /sys and /dev bound into it, and
# entered with chroot, once per command: what dpkg writes lands in the
# upper directory and is gone at the end. The host's dpkg database is the
# starting point, so the host must have Debian's kexec-tools and
# makedumpfile (pmemdump's Depends) and must not have pmemdump. A
# policy-rc.d in the root forbids starting services.
#
# Root A: kdump-tools (from the download cache), then pmemdump; the hook
# as kdump-config uses it; an upgrade to a second build (VERSION+lab1,
# built here from a copy of the tree); Debian's makedumpfile and
# kexec-tools reinstalled while diverted; remove; install again; purge.
# Root B: pmemdump before kdump-tools.
# One PASS/FAIL line per assertion; exit 0, 1, or 77 when it cannot run
# here (not root, no overlay or unshare, no .deb, nothing downloadable).
#
# PMEMDUMP_DEB_CACHE: where the Debian .debs are downloaded
# (default /var/cache/pmemdump/debs, as the VM lab's).
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

debdir=${1:-${PMEMDUMP_BUILD_ROOT:-$deb_top/build}/deb}
cache=${PMEMDUMP_DEB_CACHE:-/var/cache/pmemdump/debs}
t_start=$(date +%s)

# --- can it run here? ---
cannot() {
	skip "Debian package lifecycle: $*"
	finish
}
[ "$(id -u)" -eq 0 ] || cannot "needs root (overlay mounts, chroot, dpkg)"
for c in unshare chroot mount dpkg dpkg-divert; do
	command -v "$c" >/dev/null || cannot "$c not found"
done
deb=
for f in "$debdir"/pmemdump_*_amd64.deb; do
	[ -f "$f" ] || continue
	[ -z "$deb" ] || cannot "more than one pmemdump .deb in $debdir"
	deb=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
done
[ -n "$deb" ] || cannot "no pmemdump_*_amd64.deb in $debdir (test/deb/build.sh builds it)"
if dpkg-query -W -f='${Status}' pmemdump 2>/dev/null | grep -q 'ok installed'; then
	cannot "pmemdump is installed on the host: the throwaway roots start from the host"
fi
for p in kexec-tools makedumpfile; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		cannot "Debian's $p is not installed on the host (scripts/setup-deps all installs it)"
done
ver=$(dpkg-deb -f "$deb" Version)

# Debian's programs as the host has them (the .distrib copies must be these).
# The Debian version without epoch and revision: 1:2.0.25-3+deb12u3 -> 2.0.25.
upstream() { local v=${1#*:}; echo "${v%%-*}"; }
debian_kexec="kexec-tools $(upstream "$(dpkg-query -W -f='${Version}' kexec-tools)")"
debian_mdf="makedumpfile: version $(upstream "$(dpkg-query -W -f='${Version}' makedumpfile)") "

# The Debian packages the roots install, downloaded once (nothing is
# installed on the host).
mkdir -p "$cache" || cannot "cannot create $cache"
cached() { find "$cache" -maxdepth 1 -name "$1_*.deb" | sort -V | tail -n1; }
need=
for p in linux-base kdump-tools makedumpfile kexec-tools; do
	[ -n "$(cached "$p")" ] || need="$need $p"
done
if [ -n "$need" ]; then
	# shellcheck disable=SC2086 # a list of names
	(cd "$cache" && apt-get -q -o APT::Sandbox::User=root download $need) >/dev/null 2>&1
	for p in $need; do
		[ -n "$(cached "$p")" ] || cannot "cannot download $p into $cache (apt-get download)"
	done
fi
deb_linux_base=$(cached linux-base)
deb_kdump_tools=$(cached kdump-tools)
deb_mdf=$(cached makedumpfile)
deb_kexec=$(cached kexec-tools)

work=$(mktemp -d /var/tmp/pmemdump-deb-lifecycle.XXXXXX) || cannot "mktemp"
trap 'rm -rf "$work"' EXIT

# --- the throwaway roots ---
# new_root NAME: a fresh root; R names it for in_root.
new_root() {
	R=$work/$1
	mkdir -p "$R/upper" "$R/work" "$R/mnt"
}
# in_root CMD...: run CMD in root R, with a clean environment.
in_root() {
	unshare -m --propagation private -- bash -c '
		r=$1
		shift
		mount -t overlay overlay -o "lowerdir=/,upperdir=$r/upper,workdir=$r/work" "$r/mnt" &&
			mount --rbind /proc "$r/mnt/proc" && mount --rbind /sys "$r/mnt/sys" &&
			mount --rbind /dev "$r/mnt/dev" || exit 125
		exec chroot "$r/mnt" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LC_ALL=C DEBIAN_FRONTEND=noninteractive TERM=dumb "$@"' in_root "$R" "$@"
}
# in_sh SCRIPT [ARG...]: a sh script in root R.
in_sh() {
	local s=$1
	shift
	in_root sh -c "$s" sh "$@"
}
# dpkg_step DESC DPKG-ARGS...: dpkg in root R, its output indented.
dpkg_step() {
	local d=$1 rc
	shift
	in_root dpkg "$@" >"$work/dpkg.log" 2>&1
	rc=$?
	sed 's/^/    /' "$work/dpkg.log"
	if [ "$rc" -eq 0 ]; then pass "$d"; else fail "$d (dpkg exit status $rc)"; fi
	return "$rc"
}
prepare_root() {
	new_root "$1"
	if in_sh 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d' &&
		[ "$(in_root dpkg-divert --list | grep -c ' by pmemdump$')" -eq 0 ]; then
		pass "root $1: an overlay of / in a private mount namespace, policy-rc.d exit 101"
	else
		fail "root $1: cannot mount an overlay of / and chroot into it"
		return 1
	fi
}

divs_want="diversion of /sbin/kexec to /sbin/kexec.distrib by pmemdump
diversion of /usr/bin/makedumpfile to /usr/bin/makedumpfile.distrib by pmemdump
diversion of /usr/share/man/man8/kexec.8.gz to /usr/share/man/man8/kexec.8.gz.distrib by pmemdump
diversion of /usr/share/man/man8/makedumpfile.8.gz to /usr/share/man/man8/makedumpfile.8.gz.distrib by pmemdump"
divs() { in_root dpkg-divert --list | grep ' by pmemdump$' | sort; }
first_line() { in_root "$@" 2>&1 | head -n1; }
# man_is PAGE: "ours", "debian" or "missing", by the page's first lines.
man_is() {
	in_sh 'if [ ! -f "$1" ]; then echo missing
		elif zcat "$1" | head -n 5 | grep -q pmemdump; then echo ours
		else echo debian; fi' "$1"
}
# man_pages: what kexec.8.gz, makedumpfile.8.gz and their .distrib are.
man_pages() {
	local p
	for p in kexec.8.gz kexec.8.gz.distrib makedumpfile.8.gz makedumpfile.8.gz.distrib; do
		printf '%s=%s ' "$p" "$(man_is "/usr/share/man/man8/$p")"
	done
}
clean_audit() {
	t_eq "$1: dpkg --audit says nothing" "" "$(in_root dpkg --audit 2>&1)"
}
# kdump_cmd: the kexec command kdump-config would run (its `test`
# subcommand runs the load with DRY_RUN set and prints it; without a crash
# kernel here it complains first, which is not looked at).
kdump_cmd() {
	in_root kdump-config test 2>&1 | sed -n '/^kexec command to be used:/{n;s/^ *//;p;}'
}
guard="module_blacklist=nfit initcall_blacklist=nfit_init"
debian_append="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"

# check_installed STAGE APPVERSION DEBVERSION: pmemdump is installed.
check_installed() {
	local s=$1 app=$2 v=$3
	t_eq "$s: pmemdump $v installed" "install ok installed $v" \
		"$(in_root dpkg-query -W -f='${Status} ${Version}' pmemdump 2>&1)"
	t_eq "$s: the 4 diversions by pmemdump, each once" "$divs_want" "$(divs)"
	t_eq "$s: /sbin/kexec --version is ours" "kexec (pmemdump) $app" "$(first_line /sbin/kexec --version)"
	t_eq "$s: /sbin/kexec.distrib --version is Debian's" "$debian_kexec" \
		"$(first_line /sbin/kexec.distrib --version)"
	t_eq "$s: /usr/bin/makedumpfile -v is ours" "makedumpfile (pmemdump) $app" \
		"$(first_line /usr/bin/makedumpfile -v)"
	t_has "$s: /usr/bin/makedumpfile.distrib -v is Debian's" "$debian_mdf" \
		"$(first_line /usr/bin/makedumpfile.distrib -v)"
	t_eq "$s: makedumpfile in kdump-config's PATH (/bin:/usr/bin:/sbin:/usr/sbin) is ours" \
		"makedumpfile (pmemdump) $app" \
		"$(in_sh 'PATH=/bin:/usr/bin:/sbin:/usr/sbin makedumpfile -v 2>&1 | head -n1')"
	t_eq "$s: /usr/sbin/pmem-kdump --version" "$app" "$(first_line /usr/sbin/pmem-kdump --version)"
	t_eq "$s: man8/kexec.8.gz and makedumpfile.8.gz are ours, Debian's at .distrib" \
		"kexec.8.gz=ours kexec.8.gz.distrib=debian makedumpfile.8.gz=ours makedumpfile.8.gz.distrib=debian " \
		"$(man_pages)"
	t_eq "$s: the hook and the drop-in are installed" \
		"644 /lib/lsb/init-functions.d/60-pmemdump 644 /lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf 644 /lib/systemd/system/kdump-tools.service.d/pmemdump.conf" \
		"$(in_root stat -c '%a %n' /lib/lsb/init-functions.d/60-pmemdump \
			/lib/systemd/system/kdump-tools-dump.service.d/pmemdump.conf \
			/lib/systemd/system/kdump-tools.service.d/pmemdump.conf | tr '\n' ' ' | sed 's/ $//')"
	t_eq "$s: /var/lib/pmemdump is 0700" 700 "$(in_root stat -c %a /var/lib/pmemdump 2>&1)"
	t_eq "$s: dpkg -V pmemdump says nothing" "" "$(in_root dpkg -V pmemdump 2>&1)"
	clean_audit "$s"
}

# check_gone STAGE: pmemdump is removed, Debian's programs are back.
check_gone() {
	local s=$1
	t_eq "$s: no diversion by pmemdump" "" "$(divs)"
	t_eq "$s: /sbin/kexec --version is Debian's" "$debian_kexec" "$(first_line /sbin/kexec --version)"
	t_has "$s: /usr/bin/makedumpfile -v is Debian's" "$debian_mdf" "$(first_line /usr/bin/makedumpfile -v)"
	t_eq "$s: no .distrib left, no pmem-kdump, no hook, no drop-in" "" \
		"$(in_sh 'for f; do [ ! -e "$f" ] || echo "$f"; done' /sbin/kexec.distrib \
			/usr/bin/makedumpfile.distrib /usr/share/man/man8/kexec.8.gz.distrib \
			/usr/share/man/man8/makedumpfile.8.gz.distrib /usr/sbin/pmem-kdump \
			/lib/lsb/init-functions.d/60-pmemdump /lib/systemd/system/kdump-tools-dump.service.d \
			/lib/systemd/system/kdump-tools.service.d)"
	t_eq "$s: man8/kexec.8.gz and makedumpfile.8.gz are Debian's" \
		"kexec.8.gz=debian kexec.8.gz.distrib=missing makedumpfile.8.gz=debian makedumpfile.8.gz.distrib=missing " \
		"$(man_pages)"
	t_eq "$s: dpkg -V kexec-tools makedumpfile says nothing" "" \
		"$(in_root dpkg -V kexec-tools makedumpfile 2>&1)"
	clean_audit "$s"
}

# hook_run NAME PRESET: source the hook in sh with umask 022, NAME set (or
# unset: -) and KDUMP_CMDLINE_APPEND preset (or unset: -); prints the
# umask and "append=" the variable (<unset> when unset).
hook_run() {
	in_sh 'umask 022
		unset NAME KDUMP_CMDLINE_APPEND
		[ "$1" = - ] || NAME=$1
		[ "$2" = - ] || KDUMP_CMDLINE_APPEND=$2
		. /lib/lsb/init-functions.d/60-pmemdump
		umask
		printf "append=%s\n" "${KDUMP_CMDLINE_APPEND-<unset>}"' "$1" "$2"
}

# check_hook STAGE: the hook, alone and as kdump-config sources it.
check_hook() {
	local s=$1 out
	for n in kdump-config kdump-tools; do
		t_eq "$s: hook with NAME=$n: umask 0077, KDUMP_CMDLINE_APPEND = Debian's default + the guard" \
			"0077
append=$debian_append $guard" "$(hook_run "$n" -)"
	done
	t_eq "$s: hook with NAME=other: umask and KDUMP_CMDLINE_APPEND unchanged" "0022
append=<unset>" "$(hook_run other -)"
	t_eq "$s: hook without NAME: nothing changed" "0022
append=<unset>" "$(hook_run - -)"
	t_eq "$s: hook keeps an admin's KDUMP_CMDLINE_APPEND=x" "0077
append=x" "$(hook_run kdump-config x)"
	t_eq "$s: hook keeps an admin's empty KDUMP_CMDLINE_APPEND=" "0077
append=" "$(hook_run kdump-config '')"
	t_eq "$s: hook under sh -eu, NAME unset and set: cannot fail, prints nothing" "ok" \
		"$(in_sh 'sh -euc ". /lib/lsb/init-functions.d/60-pmemdump; NAME=kdump-config; . /lib/lsb/init-functions.d/60-pmemdump; echo ok"' 2>&1)"
	# as kdump-config sources it: init-functions (which runs the hooks),
	# then /etc/default/kdump-tools
	out=$(in_sh 'umask 022; NAME=${NAME:=kdump-config}; . /lib/lsb/init-functions
		[ -r /etc/default/kdump-tools ] && . /etc/default/kdump-tools
		umask; printf "append=%s\n" "${KDUMP_CMDLINE_APPEND-<unset>}"' 2>&1)
	t_eq "$s: /lib/lsb/init-functions then /etc/default/kdump-tools (kdump-config's order) give the guard" \
		"0077
append=$debian_append $guard" "$out"
}

# Can this kernel mount an overlay of / in a private namespace? (Not, for
# one, inside a container without CAP_SYS_ADMIN: then nothing can run.)
new_root probe
in_root true 2>"$work/probe.err" ||
	cannot "cannot mount an overlay of / and chroot into it: $(tail -n1 "$work/probe.err")"

# ================= root A: kdump-tools, then pmemdump =================
echo "== root A: kdump-tools, then pmemdump $ver"
prepare_root A || finish
dpkg_step "A: dpkg -i linux-base kdump-tools ($(basename "$deb_kdump_tools"))" \
	-i "$deb_linux_base" "$deb_kdump_tools"
t_eq "A: before pmemdump, kdump-config would load without the guard" \
	"/sbin/kexec -p" "$(kdump_cmd | grep -v -e "$guard" | grep -o '^/sbin/kexec -p')"
dpkg_step "A: dpkg -i pmemdump $ver" -i "$deb"
check_installed "A install" "$ver" "$ver"
check_hook "A install"
cmd=$(kdump_cmd)
t_has "A install: kdump-config test: the load runs /sbin/kexec -p" "/sbin/kexec -p " "$cmd"
t_has "A install: kdump-config test: the capture command line ends with the guard" "$debian_append $guard\"" "$cmd"
t_has "A install: pmem-kdump check's makedumpfile item finds ours in kdump-config's PATH" \
	"makedumpfile (pmemdump) $ver" \
	"$(in_root pmem-kdump check 2>/dev/null | grep '^PASS *makedumpfile ')"
t_eq "A install: kdump-config show runs (exit 0)" 0 "$(in_root kdump-config show >/dev/null 2>&1; echo $?)"
# an admin's line in the defaults file wins (the hook runs before it)
in_sh 'cp -p /etc/default/kdump-tools /etc/default/kdump-tools.pmd &&
	echo "KDUMP_CMDLINE_APPEND=\"reset_devices admin\"" >>/etc/default/kdump-tools'
cmd=$(kdump_cmd)
t_has "A install: an admin's KDUMP_CMDLINE_APPEND in /etc/default/kdump-tools wins" "reset_devices admin\"" "$cmd"
in_sh 'mv /etc/default/kdump-tools.pmd /etc/default/kdump-tools'

# --- upgrade to a second build ---
up="$ver+lab1"
t0=$(date +%s)
if [ -n "$(deb_missing_tools)" ]; then
	skip "A upgrade: cannot build $up: missing $(deb_missing_tools)"
	up=
elif ! deb_build "$work/upgrade" "$up"; then
	fail "A upgrade: build of $up: $DEB_ERROR"
	tail -n 20 "$work/upgrade/build.log" | sed 's/^/    /'
	up=
else
	pass "A upgrade: built pmemdump $up from a copy of the tree in $(($(date +%s) - t0)) s"
fi
if [ -n "$up" ]; then
	dpkg_step "A upgrade: dpkg -i pmemdump $up over $ver" -i "$DEB_FILE"
	check_installed "A upgrade" "$up" "$up"
	app=$up
else
	app=$ver
fi

# --- Debian's packages reinstalled while diverted ---
dpkg_step "A reinstall: dpkg -i Debian's $(basename "$deb_mdf") $(basename "$deb_kexec")" \
	-i "$deb_mdf" "$deb_kexec"
t_eq "A reinstall: /usr/bin/makedumpfile is still ours" "makedumpfile (pmemdump) $app" \
	"$(first_line /usr/bin/makedumpfile -v)"
t_has "A reinstall: Debian's makedumpfile landed at /usr/bin/makedumpfile.distrib" \
	"makedumpfile: version $(upstream "$(dpkg-deb -f "$deb_mdf" Version)") " \
	"$(first_line /usr/bin/makedumpfile.distrib -v)"
t_eq "A reinstall: /sbin/kexec is still ours" "kexec (pmemdump) $app" "$(first_line /sbin/kexec --version)"
t_eq "A reinstall: Debian's kexec landed at /sbin/kexec.distrib" \
	"kexec-tools $(upstream "$(dpkg-deb -f "$deb_kexec" Version)")" "$(first_line /sbin/kexec.distrib --version)"
t_eq "A reinstall: the man pages are still ours, Debian's at .distrib" \
	"kexec.8.gz=ours kexec.8.gz.distrib=debian makedumpfile.8.gz=ours makedumpfile.8.gz.distrib=debian " \
	"$(man_pages)"
t_eq "A reinstall: the 4 diversions, each once" "$divs_want" "$(divs)"
t_eq "A reinstall: dpkg -V pmemdump kexec-tools makedumpfile says nothing" "" \
	"$(in_root dpkg -V pmemdump kexec-tools makedumpfile 2>&1)"
clean_audit "A reinstall"

# --- remove, install again, purge ---
dpkg_step "A remove: dpkg -r pmemdump" -r pmemdump
check_gone "A remove"
t_eq "A remove: pmemdump left in state config-files (it has a postrm)" "rc" \
	"$(in_root dpkg-query -W -f='${db:Status-Abbrev}' pmemdump 2>&1 | tr -d ' ')"
t_eq "A remove: /var/lib/pmemdump is kept until purge" 700 "$(in_root stat -c %a /var/lib/pmemdump 2>&1)"
cmd=$(kdump_cmd)
t_lacks "A remove: kdump-config test: no guard any more" "$guard" "$cmd"
t_has "A remove: kdump-config test: Debian's default KDUMP_CMDLINE_APPEND" "$debian_append\"" "$cmd"

dpkg_step "A install again: dpkg -i pmemdump $ver" -i "$deb"
check_installed "A install again" "$ver" "$ver"
dpkg_step "A purge: dpkg -P pmemdump" -P pmemdump
check_gone "A purge"
t_eq "A purge: /var/lib/pmemdump is gone" "" "$(in_sh '[ ! -e /var/lib/pmemdump ] || echo present')"
t_eq "A purge: dpkg knows no pmemdump" "" \
	"$(in_root dpkg-query -W -f='${db:Status-Abbrev}' pmemdump 2>/dev/null)"

# ================= root B: pmemdump before kdump-tools =================
echo "== root B: pmemdump $ver, then kdump-tools"
if prepare_root B; then
	dpkg_step "B: dpkg -i pmemdump $ver without kdump-tools" -i "$deb"
	check_installed "B install" "$ver" "$ver"
	t_eq "B install: hook with NAME=kdump-config (kdump-tools not installed yet)" \
		"0077
append=$debian_append $guard" "$(hook_run kdump-config -)"
	dpkg_step "B: dpkg -i linux-base kdump-tools after pmemdump" -i "$deb_linux_base" "$deb_kdump_tools"
	t_eq "B kdump-tools: the 4 diversions, each once" "$divs_want" "$(divs)"
	t_eq "B kdump-tools: /sbin/kexec --version is ours" "kexec (pmemdump) $ver" \
		"$(first_line /sbin/kexec --version)"
	t_has "B kdump-tools: kdump-config test: the capture command line ends with the guard" \
		"$debian_append $guard\"" "$(kdump_cmd)"
	# kdump-config makes KDUMP_COREDIR when it is missing; in root B its
	# first run is the one above, under the hook
	if [ -e /var/crash ]; then
		skip "B kdump-tools: /var/crash exists on the host: its mode under the hook's umask is not seen"
	else
		t_eq "B kdump-tools: /var/crash, made by kdump-config under the hook's umask, is 0700" 700 \
			"$(in_root stat -c %a /var/crash 2>&1)"
	fi
	t_eq "B kdump-tools: dpkg -V pmemdump kdump-tools says nothing" "" \
		"$(in_root dpkg -V pmemdump kdump-tools 2>&1)"
	clean_audit "B kdump-tools"
fi

echo "lifecycle: $(($(date +%s) - t_start)) s"
finish
