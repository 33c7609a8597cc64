#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of pmem-kdump check and forecast (ndctl-helpers/,
# pmem-kdump(8)), scenario pmem-kdump-check: one NVDIMM in fsdax map=dev,
# our makedumpfile first in kdump-config's PATH (/etc/default/kdump-tools
# PATH=/run/lab/bin:..., /run/lab/bin/makedumpfile -> ours), a capture
# kernel loaded three ways. Checks:
#   - open (our kexec, no libnvdimm guard): exit 3, capture-cmdline FAIL
#     from the load record, every other item PASS;
#   - guard (our kexec with the guard): exit 0, every item PASS, the record's
#     command line holds the guard;
#   - debian (Debian's /sbin/kexec -p, its command in kexec_cmd): exit 3,
#     kexec FAIL naming kexec-tools 2.0.25, capture-cmdline PASS from
#     kexec_cmd (our unload removed the record);
#   - the reservation's need is init_size (read here from the bzImage) +
#     64 MiB + the bitmaps, and the text and JSON verdicts agree;
#   - forecast: pmem metadata and user data equal our makedumpfile
#     --mem-usage's PMEM_META and PMEM_USER pages exactly, the metadata
#     also pmem-kdump list's; RAM is KERN_DATA within 10 % (two runs on a
#     live system); the totals are the sums of their columns.
# Exit: 0 pass, 1 fail, 77 skip.
#   PMEMDUMP_LAB_BUILD_KERNEL=1  build the lab kernel if it is not cached
#   PMEMDUMP_LAB_REUSE=1         check the last complete run again
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
PY=/usr/bin/python3
S=pmem-kdump-check
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

built() {
	local b=$REPO/$1
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/$1
	[ -x "$b" ]
}

lab_prereqs qemu-system-x86_64 timeout
[ -x "$PY" ] || skip_all "python3 not installed"
[ -x /sbin/kexec ] || skip_all "Debian's kexec-tools not installed"
built ndctl-helpers/pmem-kdump || skip_all "pmem-kdump not built (PMEMDUMP_BUILD=)"
built kexec-tools/kexec || skip_all "kexec not built"
built makedumpfile/makedumpfile || skip_all "makedumpfile not built"

if ! run_cycle "$S"; then
	fail "scenario $S did not complete (see $("$LAB" run-dir "$S")/../serial.log)"
	exit 1
fi
RES=$("$LAB" run-dir "$S")
BZIMAGE=$("$LAB" kernel-dir)/bzImage

"$PY" - "$RES" "$BZIMAGE" <<'PYEOF' || failures=$((failures + 1))
import json, os, re, struct, sys

res, bzimage = sys.argv[1], sys.argv[2]
fails = 0

def check(ok, what):
    global fails
    print(("PASS: " if ok else "FAIL: ") + what)
    fails += not ok

def text(name):
    with open(os.path.join(res, name)) as f:
        return f.read()

def status(tag):
    return dict(kv.split("=") for kv in text(f"check-{tag}.status").split())

def items(tag):
    j = json.loads(text(f"check-{tag}.json"))
    return j, {c["check"]: c for c in j["checks"]}

names = ["crash-kernel", "capture-cmdline", "kexec", "makedumpfile", "reservation", "last-dump"]
expected = {
    "open": {"capture-cmdline": "FAIL"},
    "guard": {},
    "debian": {"kexec": "FAIL"},
}
for tag, fails_expected in expected.items():
    st = status(tag)
    rc = "3" if fails_expected else "0"
    check(st["status"] == rc and st["json_status"] == rc,
          f"{tag}: check exits {rc} (text {st['status']}, -j {st['json_status']})")
    j, it = items(tag)
    check([c["check"] for c in j["checks"]] == names, f"{tag}: the six items in order")
    for n in names:
        want = fails_expected.get(n, "PASS")
        check(it[n]["status"] == want, f"{tag}: {n} {want} ({it[n]['status']}: {it[n]['reason']})")
        check(("fix" in it[n]) == (want != "PASS"), f"{tag}: {n} has a fix only when not PASS")
    check(j["result"] == ("FAIL" if fails_expected else "PASS"), f"{tag}: result {j['result']}")
    check(j["pmem"] is True, f"{tag}: pmem seen")
    # The text report says the same, line for line.
    t = text(f"check-{tag}.txt")
    for n in names:
        check(re.search(rf"^{it[n]['status']}  {re.escape(n)} +{re.escape(it[n]['reason'])}$", t, re.M)
              is not None, f"{tag}: text line for {n}")

_, it = items("open")
check(it["capture-cmdline"]["reason"].startswith("/run/pmemdump/kexec-crash.load: "),
      "open: the verdict comes from the load record")
rec = text("check-open.record")
check("module_blacklist=nfit" not in rec and "nfit_init" not in rec, "open: the record has no guard")
rec = text("check-guard.record")
check(re.search(r"^cmdline=.*(initcall_blacklist=nfit_init|module_blacklist=nfit)", rec, re.M)
      is not None and "syscall=kexec_load" in rec and "pmem=all" in rec,
      "guard: the record holds kexec_load, pmem=all and the guard")
_, it = items("guard")
check("pmem=all" in it["kexec"]["reason"], "guard: kexec item read pmem=all")
_, it = items("debian")
check("kexec-tools 2.0.25" in it["kexec"]["reason"], "debian: kexec names Debian's kexec-tools 2.0.25")
check(it["capture-cmdline"]["reason"].startswith("/run/lab/crash/kexec_cmd: "),
      "debian: the command line comes from kexec_cmd (the record was removed)")
check(it["makedumpfile"]["reason"].startswith("/run/lab/bin/makedumpfile (makedumpfile (pmemdump)"),
      "makedumpfile: ours found first in the configured PATH")

# The reservation: init_size from the setup header at 0x260, read here.
with open(bzimage, "rb") as f:
    h = f.read(0x264)
init_size = struct.unpack_from("<I", h, 0x260)[0]
_, it = items("guard")
r = it["reservation"]
check(r["init_size"] == init_size, f"reservation: init_size {r['init_size']} = bzImage's {init_size}")
check(r["ram_floor"] == 64 << 20, "reservation: 64 MiB floor")
check(r["needed"] == r["init_size"] + r["initrd"] + r["ram_floor"] + r["filter"],
      "reservation: needed is the sum of its terms")
check(0 < r["filter"] < 4 << 20, f"reservation: bitmaps {r['filter']} bytes, small")
check(r["reserved"] == 256 << 20, "reservation: 256 MiB reserved (crashkernel=256M)")

# forecast against our makedumpfile --mem-usage.
mu = {}
for line in text("mem-usage.ours").splitlines():
    m = re.match(r"^(ZERO|NON_PRI_CACHE|PRI_CACHE|USER|FREE|KERN_DATA|PMEM_META|PMEM_USER)\s+(\d+)", line)
    if m:
        mu[m.group(1)] = int(m.group(2))
    m = re.match(r"^page size:\s+(\d+)", line)
    if m:
        mu["page"] = int(m.group(1))
ps = mu.get("page", 0)
fc = json.loads(text("forecast.json"))
rows = {r["setting"]: r for r in fc["forecast"]}
check([r["setting"] for r in fc["forecast"]] == ["default", "-d 63", "--pmem-userdata"],
      "forecast: three settings in order")
check(fc["page_size"] == ps == 4096, "forecast: page size 4096")
check(mu.get("PMEM_META", 0) > 0, f"mem-usage: PMEM_META {mu.get('PMEM_META')} pages")
check(rows["default"]["pmem_metadata_bytes"] == mu["PMEM_META"] * ps,
      f"forecast: metadata {rows['default']['pmem_metadata_bytes']} = PMEM_META * {ps}")
check(rows["--pmem-userdata"]["pmem_userdata_bytes"] == mu["PMEM_USER"] * ps,
      f"forecast: user data {rows['--pmem-userdata']['pmem_userdata_bytes']} = PMEM_USER * {ps}")
check(rows["default"]["pmem_userdata_bytes"] == 0 and rows["-d 63"]["pmem_metadata_bytes"] == 0
      and rows["-d 63"]["pmem_userdata_bytes"] == 0, "forecast: default and -d 63 drop what they drop")
ram = mu["KERN_DATA"] * ps
for r in fc["forecast"]:
    check(abs(r["ram_bytes"] - ram) <= ram // 10,
          f"forecast {r['setting']}: RAM {r['ram_bytes']} within 10 % of KERN_DATA * {ps} = {ram}")
    check(r["total_bytes"] == r["ram_bytes"] + r["pmem_metadata_bytes"] + r["pmem_userdata_bytes"],
          f"forecast {r['setting']}: total is the sum")
lst = json.loads(text("pk-list.json"))
lst = lst if isinstance(lst, list) else [lst]
meta = sum(n["dump"]["pmem_metadata_bytes"] for n in lst)
check(meta == rows["default"]["pmem_metadata_bytes"],
      f"forecast: metadata = pmem-kdump list's pmem_metadata_bytes ({meta})")
after = json.loads(text("forecast-after.json"))
check([r["pmem_metadata_bytes"] for r in after["forecast"]] ==
      [r["pmem_metadata_bytes"] for r in fc["forecast"]],
      "forecast: pmem numbers the same on a second run")
sys.exit(1 if fails else 0)
PYEOF

[ "$failures" -eq 0 ]
