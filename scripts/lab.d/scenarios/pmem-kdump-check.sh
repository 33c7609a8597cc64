# Scenario pmem-kdump-check: `pmem-kdump check` and `forecast` (ndctl-helpers/)
# on one NVDIMM in fsdax map=dev, with a capture kernel loaded three ways:
#   open:   our kexec, a capture command line without the libnvdimm guard
#           (capture-cmdline must FAIL, exit 3);
#   guard:  our kexec with the guard (every item PASS or WARN, exit 0);
#   debian: Debian's /sbin/kexec -p (kexec_load) as kdump-config runs it,
#           its command saved in $KDUMP_COREDIR/kexec_cmd (kexec must FAIL).
# kdump-config's PATH (/bin:/usr/bin:/sbin:/usr/sbin) holds Debian's
# makedumpfile 1.7.2, so the guest gets an /etc/default/kdump-tools (on a
# tmpfs over /etc/default: the root is the host's, read-only) with
# PATH=/run/lab/bin:... and /run/lab/bin/makedumpfile -> ours, which is what
# an administrator would do. forecast's JSON is saved beside our
# makedumpfile --mem-usage report; test/lab/pmem-kdump-check.sh compares.
# No crash.
# shellcheck shell=bash disable=SC2034 # read by scripts/lab and guest/init
SCENARIO_DESC="pmem-kdump check and forecast: capture kernel loaded without and with the guard, and by Debian's kexec"
SCENARIO_CMDLINE="crashkernel=256M"
SCENARIO_VMCORE=0
KEXEC_MODE="ours"
# shellcheck source=../guest/kdump-fsdax.lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/kdump-fsdax.lib.sh"

PK=${LAB_NDCTL_HELPERS:-}
CHK_COREDIR=/run/lab/crash

chk_info() {
	first_info || return 1
	[ -x "$PK" ] || { echo "pmem-kdump is not built (PMEMDUMP_BUILD?)"; return 1; }
	[ -x "${LAB_KEXEC:-}" ] || { echo "the project's kexec is not built"; return 1; }
	[ -x "${LAB_OURS:-}" ] || { echo "the project's makedumpfile is not built"; return 1; }
	"$PK" --version
	/sbin/kexec --version
}

# Ours first in PATH, for the shell and for kdump-config's configuration.
chk_kdump_tools() {
	local staged=/run/lab/etc-default
	mkdir -p /run/lab/bin "$staged" "$CHK_COREDIR"
	ln -sf "$LAB_OURS" /run/lab/bin/makedumpfile
	cp -a /etc/default/. "$staged"/ 2>/dev/null
	mount -t tmpfs -o mode=755 tmpfs /etc/default || return 1
	cp -a "$staged"/. /etc/default/
	cat >/etc/default/kdump-tools <<-CONF
		# pmem-kdump-check lab: ours first in kdump-config's PATH
		USE_KDUMP=1
		PATH=/run/lab/bin:/bin:/usr/bin:/sbin:/usr/sbin
		KDUMP_COREDIR=$CHK_COREDIR
		MAKEDUMP_ARGS="-F -c -d 31"
	CONF
	cat /etc/default/kdump-tools
	export PATH=/run/lab/bin:$PATH
	command -v makedumpfile
	makedumpfile -v
}

# check TAG: run both formats, save them and the exit status.
chk_run() {
	local tag=$1 st
	"$PK" check >"$R/check-$tag.txt" 2>"$R/check-$tag.err"
	st=$?
	"$PK" check -j >"$R/check-$tag.json" 2>>"$R/check-$tag.err"
	echo "status=$st json_status=$?" >"$R/check-$tag.status"
	cat "$R/check-$tag.txt" "$R/check-$tag.status"
	cp /run/pmemdump/kexec-crash.load "$R/check-$tag.record" 2>/dev/null || true
	return 0
}

chk_load_ours() {
	local cmd=$1 args=(-p)
	[ -n "${LAB_INITRD:-}" ] && args+=(--initrd="$LAB_INITRD")
	echo "$LAB_KEXEC ${args[*]} $LAB_KERNEL/bzImage --append=\"$cmd\""
	"$LAB_KEXEC" "${args[@]}" "$LAB_KERNEL/bzImage" --append="$cmd" || return 1
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
}

# Without the guard: the capture command line minus capture_nd_off's word.
chk_open() {
	local cmd guard
	cmd=$(capture_cmdline)
	guard=$(capture_nd_off)
	cmd=${cmd% "$guard"}
	case " $cmd " in *" $guard "*) echo "guard still in: $cmd"; return 1 ;; esac
	chk_load_ours "$cmd" && chk_run open
}

chk_guard() {
	"$LAB_KEXEC" -p -u || return 1
	chk_load_ours "$(capture_cmdline)" && chk_run guard
}

# Debian's kexec as kdump-config runs it (KEXEC=/sbin/kexec, fixed), the
# command saved as kdump-config saves it. Ours unloads first: that removes
# its record, as kdump-config unload through ours would.
chk_debian() {
	local cmd initrd=()
	"$LAB_KEXEC" -p -u || return 1
	[ -e /run/pmemdump/kexec-crash.load ] && { echo "record left after unload"; return 1; }
	cmd=$(capture_cmdline)
	[ -n "${LAB_INITRD:-}" ] && initrd=(--initrd="$LAB_INITRD")
	echo "/sbin/kexec -p --command-line=\"$cmd\" ${initrd[*]} $LAB_KERNEL/bzImage" |
		tee "$CHK_COREDIR/kexec_cmd"
	/sbin/kexec -p --command-line="$cmd" "${initrd[@]}" "$LAB_KERNEL/bzImage" || return 1
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] || return 1
	chk_run debian
	/sbin/kexec -p -u
}

chk_forecast() {
	"$PK" list >"$R/pk-list.json" || return 1
	"$PK" forecast -j >"$R/forecast.json" 2>"$R/forecast.err" || { cat "$R/forecast.err"; return 1; }
	"$LAB_OURS" --mem-usage /proc/kcore >"$R/mem-usage.ours" 2>&1 </dev/null || return 1
	"$PK" forecast >"$R/forecast.txt" || return 1
	"$PK" forecast -j >"$R/forecast-after.json" || return 1
	cat "$R/forecast.txt" "$R/mem-usage.ours"
}

stage_first() {
	step info chk_info
	step fsdax make_fsdax
	step kdump-tools chk_kdump_tools
	step open chk_open
	step guard chk_guard
	step forecast chk_forecast
	step debian chk_debian
	lab_finish ok
}
