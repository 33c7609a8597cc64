#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# VM lab test of pmem-kdump list (ndctl-helpers/, pmem-kdump(8)), scenario
# ndctl-list: two NVDIMMs with labels; region A holds fsdax map=dev, devdax
# map=dev and fsdax map=mem namespaces, region B raw, sector and a disabled
# fsdax one; both keep an idle seed. Checks:
#   - `pmem-kdump list` (also -i, -v with its daxregion, -u) prints the namespaces `ndctl list
#     -N` (-Ni, -Nv, -Nu) prints, in its order, and every field ndctl prints
#     with ndctl's value; ours adds no ndctl field that ndctl leaves out;
#   - the memmap of each map=dev namespace is a range the running kernel
#     lists in devm_memmap_vmcore (walked through /proc/kcore by
#     pmem-metadata.py), and the list has no other range;
#   - the info block (ndctl read-infoblock) agrees: memmap = [ns + start_pad
#     + 8 KiB, ns + start_pad + dataoff), data = npfns pages from there,
#     map from its mode, struct_page_size = its page_struct_size;
#   - cases: map=dev D (metadata on pmem, its bytes the memmap's size),
#     map=mem C (in RAM, 0 bytes on pmem, struct pages * size in RAM), raw
#     and sector none with their reason, the disabled and seed namespaces
#     idle with no case; -r/-n/-m filters; a bad option exits 2.
# Exit: 0 pass, 1 fail, 77 skip.
#   PMEMDUMP_LAB_BUILD_KERNEL=1  build the lab kernel if it is not cached
#   PMEMDUMP_LAB_REUSE=1         check the last complete run again
set -uo pipefail

REPO=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
LAB=$REPO/scripts/lab
PY=/usr/bin/python3
S=ndctl-list
# shellcheck source=lib.sh
. "$REPO/test/lab/lib.sh"

pk_binary() {
	local b=$REPO/ndctl-helpers/pmem-kdump
	[ -n "${PMEMDUMP_BUILD:-}" ] && b=$PMEMDUMP_BUILD/ndctl-helpers/pmem-kdump
	[ -x "$b" ] && readlink -f "$b"
}

lab_prereqs qemu-system-x86_64 ndctl timeout
[ -x "$PY" ] || skip_all "python3 not installed"
pk_binary >/dev/null || skip_all "pmem-kdump not built (configure with ndctl-helpers; PMEMDUMP_BUILD=)"

if ! run_cycle "$S"; then
	fail "scenario $S did not complete (see $("$LAB" run-dir "$S")/../serial.log)"
	exit 1
fi
RES=$("$LAB" run-dir "$S")

# The comparisons, one PASS/FAIL line each.
"$PY" - "$RES" <<'EOF' || failures=$((failures + 1))
import json, os, sys

res = sys.argv[1]
fails = 0

def load(name):
    with open(os.path.join(res, name)) as f:
        return json.load(f)

def arr(j):
    return j if isinstance(j, list) else [j]

def check(ok, what, detail=""):
    global fails
    if ok:
        print("PASS: " + what)
    else:
        fails += 1
        print("FAIL: " + what + (": " + detail if detail else ""))

names = dict(l.strip().split("=", 1) for l in open(os.path.join(res, "first.namespaces")) if "=" in l)
ns_of = {v: k for k, v in names.items() if k not in ("region_a", "region_b")}

# Every field `ndctl list -N` can print for a namespace (ndctl 76.1).
NDCTL_FIELDS = ("dev", "mode", "map", "size", "uuid", "raw_uuid", "sector_size", "align",
                "blockdev", "chardev", "daxregion", "state", "name", "numa_node", "target_node",
                "badblock_count")

def compare(nd_file, pk_file, what):
    nd, pk = arr(load(nd_file)), arr(load(pk_file))
    nd_devs, pk_devs = [n["dev"] for n in nd], [n["dev"] for n in pk]
    check(nd_devs == pk_devs, f"{what}: the same namespaces in ndctl's order ({len(nd_devs)})",
          f"ndctl {nd_devs}, ours {pk_devs}")
    bad = []
    for n in nd:
        p = next((x for x in pk if x["dev"] == n["dev"]), None)
        if p is None:
            continue
        for k in NDCTL_FIELDS:
            if n.get(k) != p.get(k):
                bad.append(f'{n["dev"]}.{k}: ndctl {n.get(k)!r}, ours {p.get(k)!r}')
    check(not bad, f"{what}: every ndctl field equal, none added", "; ".join(bad))
    return pk

pk = compare("first.ndctl-N.json", "first.pk-list.json", "list vs ndctl list -N")
pki = compare("first.ndctl-Ni.json", "first.pk-list-i.json", "list -i vs ndctl list -Ni")
compare("first.ndctl-Nv.json", "first.pk-list-v.json", "list -v vs ndctl list -Nv")
# -u: ndctl unwraps a single namespace and writes sizes as text; so do we.
nd1, pk1 = load("first.ndctl-Nu-one.json"), load("first.pk-list-u-one.json")
check(isinstance(nd1, dict) and isinstance(pk1, dict), "list -u -n: one object, unwrapped as ndctl -u")
if isinstance(nd1, dict) and isinstance(pk1, dict):
    bad = [k for k in NDCTL_FIELDS if nd1.get(k) != pk1.get(k)]
    check(not bad, f'list -u -n: human fields as ndctl -u (size {pk1.get("size")!r})',
          ", ".join(f"{k}: {nd1.get(k)!r} vs {pk1.get(k)!r}" for k in bad))

by = {n["dev"]: n for n in pki}
kernel = sorted(tuple(int(x, 16) for x in l.split()) for l in open(os.path.join(res, "first.kernel-list")) if l.strip())

# map=dev memmaps against the kernel's list.
ours = []
for tag in ("fsdax-dev", "devdax-dev"):
    n = by[names[tag]]
    m = n.get("ranges", {}).get("memmap")
    if m is None:
        check(False, f"{tag} ({n['dev']}): a memmap range")
        continue
    ours.append((m["start"], m["end"]))
    check((m["start"], m["end"]) in kernel and n["dump"].get("vmcoreinfo") == "listed",
          f"{tag} ({n['dev']}): memmap [{m['start']:#x}, {m['end']:#x}) is in the kernel's list, vmcoreinfo listed",
          f"kernel list {[(hex(a), hex(b)) for a, b in kernel]}, vmcoreinfo {n['dump'].get('vmcoreinfo')}")
check(sorted(ours) == kernel, f"the kernel lists exactly the {len(ours)} map=dev memmaps",
      f"kernel {[(hex(a), hex(b)) for a, b in kernel]}")

# The info blocks.
for tag in ("fsdax-dev", "devdax-dev", "fsdax-mem"):
    n = by[names[tag]]
    ib = arr(load(f"first.infoblock-{tag}.json"))[0]
    r = n["ranges"]
    base = r["namespace"]["start"] + ib["start_pad"]
    bad = []
    if r["data"]["start"] != base + ib["dataoff"]:
        bad.append(f'data start {r["data"]["start"]:#x} != ns + start_pad + dataoff {base + ib["dataoff"]:#x}')
    if r["data"]["size"] != ib["npfns"] * 4096:
        bad.append(f'data size {r["data"]["size"]} != npfns * 4096 {ib["npfns"] * 4096}')
    if {1: "mem", 2: "dev"}.get(ib["mode"]) != n.get("map"):
        bad.append(f'map {n.get("map")} but info block mode {ib["mode"]}')
    if "page_struct_size" in ib and n.get("struct_page_size") != ib["page_struct_size"]:
        bad.append(f'struct_page_size {n.get("struct_page_size")} != {ib["page_struct_size"]}')
    if ib["mode"] == 2:
        m = r.get("memmap", {})
        if (m.get("start"), m.get("end")) != (base + 8192, base + ib["dataoff"]):
            bad.append(f'memmap {m} != [ns + start_pad + 8 KiB, ns + start_pad + dataoff)')
    elif "memmap" in r:
        bad.append("a memmap range for map=mem")
    check(not bad, f"{tag} ({n['dev']}): ranges and struct page size agree with the info block "
          f"(dataoff {ib['dataoff']:#x}, npfns {ib['npfns']}, start_pad {ib['start_pad']})", "; ".join(bad))

# Cases.
def case(tag, want_case, meta, pmeta_from_memmap=False, reason=None, idle=False):
    n = by[names[tag]] if tag in names else by[tag]
    d = n["dump"]
    bad = []
    if d["case"] != want_case:
        bad.append(f'case {d["case"]}')
    if d["metadata"] != meta:
        bad.append(f'metadata {d["metadata"]}')
    if reason and d.get("reason") != reason:
        bad.append(f'reason {d.get("reason")!r}')
    if idle and n.get("state") != "disabled":
        bad.append(f'state {n.get("state")!r}')
    if d["userdata_bytes"] != 0:
        bad.append(f'userdata_bytes {d["userdata_bytes"]}')
    if pmeta_from_memmap:
        m = n["ranges"]["memmap"]
        if d["pmem_metadata_bytes"] != m["end"] - m["start"] or d["metadata_bytes"] != d["pmem_metadata_bytes"]:
            bad.append(f'metadata bytes {d["metadata_bytes"]}/{d["pmem_metadata_bytes"]}, memmap {m["size"]}')
    elif meta == "ram":
        if d["pmem_metadata_bytes"] != 0 or d["metadata_bytes"] != n["struct_pages"] * n["struct_page_size"]:
            bad.append(f'metadata bytes {d["metadata_bytes"]}/{d["pmem_metadata_bytes"]}')
    elif d["metadata_bytes"] or d["pmem_metadata_bytes"]:
        bad.append("metadata bytes for a namespace without struct pages")
    check(not bad, f"{n['dev']} ({tag}): case {want_case}, metadata {meta}"
          + (f", {reason}" if reason else ""), "; ".join(bad))

case("fsdax-dev", "D", "pmem", pmeta_from_memmap=True)
case("devdax-dev", "D", "pmem", pmeta_from_memmap=True)
case("fsdax-mem", "C", "ram")
case("raw", "none", "none", reason="raw mode: no struct pages")
case("sector", "none", "none", reason="sector mode: no struct pages")
case("disabled", "none", "none", reason="not active: no struct pages", idle=True)
seeds = [n["dev"] for n in pki if n.get("size") == 0]
check(len(seeds) == 2 and all(by[s]["dump"]["case"] == "none" and by[s].get("state") == "disabled" for s in seeds),
      f"seeds {seeds}: idle, size 0, no case")
check(names["disabled"] not in [n["dev"] for n in pk] and not any(n.get("size") == 0 for n in pk),
      "without -i: no disabled namespace, no seed")

# Filters.
def devs(f):
    return [n["dev"] for n in arr(load(f))]
want_b = [n["dev"] for n in pk if n["region"] == names["region_b"]]
check(devs("first.pk-list-rb.json") == want_b and sorted(want_b) == sorted([names["raw"], names["sector"]]),
      f"-r {names['region_b']}: {want_b}", str(devs("first.pk-list-rb.json")))
check(devs("first.pk-list-ra-devdax.json") == [names["devdax-dev"]],
      f"-r {names['region_a']} -m devdax: {names['devdax-dev']}", str(devs("first.pk-list-ra-devdax.json")))
j = load("first.pk-list-n.json")
check(isinstance(j, list) and devs("first.pk-list-n.json") == [names["fsdax-dev"]],
      f"-n {names['fsdax-dev']}: an array of one, as ndctl without -u")
st = open(os.path.join(res, "first.pk-status")).read().strip()
check(st == "usage_status=2", "a bad option exits 2 with one error line",
      st + " " + open(os.path.join(res, "first.pk-usage.err")).read().strip())
table = [l for l in open(os.path.join(res, "first.pk-list.table")) if l.strip()]
check(len(table) == len(pki) + 1 and table[0].startswith("NAMESPACE"),
      f"--format=table: a header and {len(pki)} rows", f"{len(table)} lines")

# Disabled and enabled again (read-infoblock): the same memmaps, still listed.
after = {n["dev"]: n for n in arr(load("first.pk-list-after.json"))}
same = all(after.get(n["dev"], {}).get("ranges") == n["ranges"] and
           after[n["dev"]]["dump"] == n["dump"] for n in pk)
check(same, "after disable/enable of the fsdax and devdax namespaces: the same ranges and dump")
sys.exit(1 if fails else 0)
EOF

# The crash: our makedumpfile's pmem counts against pmem-kdump list's
# forecast. Metadata: the memmaps of the enabled map=dev namespaces. User
# data: every other page of the two regions' PF_DEV PT_LOADs.
res=$("$LAB" run-dir ndctl-list)
meta=$(sed -n 's/^pmem: \([0-9]*\) metadata pages.*/\1/p' "$res/capture.ours-E31.log" 2>/dev/null | head -n1)
user=$(report_value "$res/capture.ours-E31.log" "pmem userdata pages")
regions=
while read -r rs re; do
	regions=$((${regions:-0} + (16#$re - 16#$rs + 1) / 4096))
done < <(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : Persistent Memory$/\1 \2/p' "$res/first.iomem" 2>/dev/null)
got=$(python3 -c '
import json, sys
ns = json.load(open(sys.argv[1]))
print(sum(n["dump"]["pmem_metadata_bytes"] for n in ns) // 4096)' "$res/first.pk-list-crash.json" 2>/dev/null)
if [ -n "$meta" ] && [ -n "$user" ] && [ "$got" = "$meta" ] && [ -n "$regions" ] &&
	[ "$((regions - meta))" = "$user" ]; then
	pass "ndctl-list: after the crash our makedumpfile kept $meta pmem metadata pages = pmem-kdump list's memmap bytes / 4096, and left out $user = the regions' $regions pages - $meta"
else
	fail "ndctl-list: crash: makedumpfile metadata ${meta:-?} user ${user:-?}, pmem-kdump list metadata ${got:-?}, regions ${regions:-?} pages"
fi

[ "$failures" -eq 0 ] || exit 1
exit 0
