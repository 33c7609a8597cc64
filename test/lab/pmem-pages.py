#!/usr/bin/python3
"""Independent page counts for the pmem filter checks of the VM lab.

  pmem-pages.py stats VMCORE
      From an ELF vmcore (no vmlinux): the PT_LOADs with PF_DEV (0x10), the
      device memmap list from VMCOREINFO (kernel-patches/0001, walked by
      scripts/lab.d/guest/pmem-metadata.py), and per page of the flagged
      PT_LOADs whether it is metadata (in a listed range) or user data, zero
      or filled with the pmem marker. Prints key=value lines:
        flagged_pages   pages of the flagged PT_LOADs in the file
        flagged_absent  pages of the flagged PT_LOADs beyond p_filesz (a
                        live dump describes pmem user data but leaves it
                        out of the file)
        meta_pages      of those, pages in a listed range (kept by default)
        user_pages      the rest (pmem user data, left out by default)
        meta_zero       zero pages among meta_pages
        user_zero       zero pages among user_pages
        user_marker     user data pages filled with the marker
        ram_marker      pages of the other PT_LOADs filled with the marker
        first_marker    physical address of the first user data page
                        filled with the marker (0 if none)
        list            the listed ranges, "START-END,..." (END exclusive)
        source          "vmcoreinfo" (the kernel series' list) or
                        "infoblock" (a stock kernel: each flagged range's
                        namespace info block at +4 KiB, map=dev only)
  pmem-pages.py device IMAGE BASE
      from an NVDIMM's backing file on the host (the namespace at its
      start) and the region's physical address BASE: the memmap and the
      first data page as the info block at +4 KiB places them, as
      "memmap=START-END" and "data=ADDR" (map=dev only), read from the
      device itself rather than from any dump.
  pmem-pages.py count FILE
      how many times a whole page of the marker (the 16-byte marker repeated
      256 times) occurs in FILE, not overlapping: the marker pages that an
      ELF dump or an uncompressed kdump file carries.
  pmem-pages.py count-from ELF START
      the same count over the bytes of the PT_LOADs of ELF at or above the
      physical address START (pmem, when START is the region's start): the
      marker pages an ELF dump carries there, whole pages at their place.
  pmem-pages.py page VMCORE VMLINUX PADDR [INO]
      with drgn: the struct page of PADDR ("page= flags= mapping= index="),
      its dev_pagemap type, and with INO the i_mapping of that inode on the
      pmem0 file system (walked from its super block, independent of the
      page), as key=value lines.

Exit status 0 on success, 1 on an error (message on stderr).
"""
import importlib.machinery
import importlib.util
import mmap
import os
import sys

PAGE = 4096
PF_DEV = 0x10
MARK = b"PMEMDUMP-PMEM-MK"
MARK_PAGE = MARK * (PAGE // len(MARK))
ZERO_PAGE = bytes(PAGE)
HERE = os.path.dirname(os.path.abspath(__file__))
PMDUMP = os.path.join(HERE, "..", "..", "scripts", "lab.d", "guest", "pmem-metadata.py")


def pmem_metadata():
    loader = importlib.machinery.SourceFileLoader("pmem_metadata", PMDUMP)
    spec = importlib.util.spec_from_loader("pmem_metadata", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def le(data, off, size):
    return int.from_bytes(data[off:off + size], "little")


def infoblock_memmap(sb, paddr, size):
    """The memmap [start, end) that the nd_pfn_sb @sb of a namespace at
    @paddr of @size bytes puts on the device, or None."""
    if sb[:16] not in (b"NVDIMM_PFN_INFO\0", b"NVDIMM_DAX_INFO\0"):
        return None
    minor = le(sb, 54, 2)
    dataoff, mode = le(sb, 56, 8), le(sb, 72, 4)
    start_pad = le(sb, 76, 4) if minor >= 1 else 0
    if mode == 2 and 0x2000 + start_pad < dataoff <= size:
        return (paddr + start_pad + 0x2000, paddr + dataoff)
    return None


def device(image, base):
    with open(image, "rb") as f:
        f.seek(0x1000)
        sb = f.read(PAGE)
        size = os.fstat(f.fileno()).st_size
    r = infoblock_memmap(sb, base, size)
    if not r:
        raise SystemExit(f"{image}: no map=dev info block at +4 KiB")
    print(f"memmap={r[0]:#x}-{r[1]:#x}")
    print(f"data={r[1]:#x}")


def infoblock_ranges(core):
    """Without the kernel series: the memmap of each flagged range's first
    namespace, from its nd_pfn_sb (drivers/nvdimm/pfn.h): [start + start_pad
    + 8 KiB, start + dataoff) when the struct pages are on the device."""
    ranges = []
    for p in core.loads():
        _, flags, _, _, paddr, filesz, _ = p
        if not flags & PF_DEV or filesz < 0x2000:
            continue
        r = infoblock_memmap(core.read_phys(paddr + 0x1000, PAGE), paddr, filesz)
        if r:
            ranges.append(r)
    return ranges


def stats(path):
    pm = pmem_metadata()
    core = pm.Core(path)
    info = pm.vmcoreinfo(core)
    if "devm_memmap_vmcore" in info:
        ranges, source = pm.walk(core, info), "vmcoreinfo"
    else:
        ranges, source = infoblock_ranges(core), "infoblock"
    out = dict(flagged_pages=0, flagged_absent=0, meta_pages=0, user_pages=0,
               meta_zero=0, user_zero=0, user_marker=0, ram_marker=0,
               first_marker=0)
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        for p in core.loads():
            _, flags, off, _, paddr, filesz, memsz = p
            short = filesz != memsz and not (flags & PF_DEV and filesz < memsz)
            # RAM may end inside a page (0x9fc00); pmem is whole pages
            if short or paddr % PAGE or (flags & PF_DEV and (filesz | memsz) % PAGE):
                raise SystemExit(f"PT_LOAD {paddr:#x}: unexpected layout "
                                 f"(filesz {filesz:#x}, memsz {memsz:#x})")
            if flags & PF_DEV:
                out["flagged_absent"] += (memsz - filesz) // PAGE
            for i in range(filesz // PAGE):
                data = mm[off + i * PAGE:off + (i + 1) * PAGE]
                pa = paddr + i * PAGE
                if not flags & PF_DEV:
                    out["ram_marker"] += data == MARK_PAGE
                    continue
                out["flagged_pages"] += 1
                if any(s <= pa and pa + PAGE <= e for s, e in ranges):
                    out["meta_pages"] += 1
                    out["meta_zero"] += data == ZERO_PAGE
                else:
                    out["user_pages"] += 1
                    out["user_zero"] += data == ZERO_PAGE
                    if data == MARK_PAGE:
                        out["user_marker"] += 1
                        if not out["first_marker"]:
                            out["first_marker"] = pa
        mm.close()
    for k, v in out.items():
        print(f"{k}={v:#x}" if k == "first_marker" else f"{k}={v}")
    print("list=" + ",".join(f"{s:#x}-{e:#x}" for s, e in ranges))
    print("source=" + source)


def count(path):
    n = 0
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            print(0)
            return
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        pos = mm.find(MARK_PAGE)
        while pos >= 0:
            n += 1
            pos = mm.find(MARK_PAGE, pos + PAGE)
        mm.close()
    print(n)


def count_from(path, start):
    core = pmem_metadata().Core(path)
    n = 0
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        for p in core.loads():
            _, _, off, _, paddr, filesz, _ = p
            first = max(0, -(-(start - paddr) // PAGE)) if paddr < start else 0
            for i in range(first, filesz // PAGE):
                n += mm[off + i * PAGE:off + (i + 1) * PAGE] == MARK_PAGE
        mm.close()
    print(n)


def page(vmcore, vmlinux, paddr, ino=None):
    import drgn
    from drgn.helpers.linux.list import list_for_each_entry
    from drgn.helpers.linux.mm import pfn_to_page

    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux])
    pg = pfn_to_page(prog, paddr // PAGE)
    print(f"page={pg.value_():#x}")
    print(f"flags={pg.flags.value_():#x}")
    print(f"mapping={pg.mapping.value_():#x}")
    print(f"index={pg.index.value_():#x}")
    print(f"pgmap_type={pg.pgmap.type.value_()}")
    print(f"fsdax_type={prog.constant('MEMORY_DEVICE_FS_DAX').value_()}")
    if ino is None:
        return
    for sb in list_for_each_entry("struct super_block", prog["super_blocks"].address_of_(),
                                  "s_list"):
        if sb.s_id.string_().decode() != "pmem0":
            continue
        for inode in list_for_each_entry("struct inode", sb.s_inodes.address_of_(),
                                         "i_sb_list"):
            if inode.i_ino.value_() == ino:
                print(f"i_mapping={inode.i_mapping.value_():#x}")
                return
    raise SystemExit(f"inode {ino} not found on pmem0")


def main(argv):
    if len(argv) == 3 and argv[1] == "stats":
        stats(argv[2])
    elif len(argv) == 4 and argv[1] == "device":
        device(argv[2], int(argv[3], 0))
    elif len(argv) == 4 and argv[1] == "count-from":
        count_from(argv[2], int(argv[3], 0))
    elif len(argv) == 3 and argv[1] == "count":
        count(argv[2])
    elif len(argv) in (5, 6) and argv[1] == "page":
        page(argv[2], argv[3], int(argv[4], 0), int(argv[5]) if len(argv) == 6 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
