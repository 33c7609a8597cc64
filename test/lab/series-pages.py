#!/usr/bin/python3
"""Struct page checks on a kernel-series vmcore, with drgn and the vmlinux.

  series-pages.py VMCORE VMLINUX PADDR INO START END

PADDR is the physical address of the first data block of the DAX file with
inode number INO (found with filefrag in the first kernel); START END is the
device memmap range from VMCOREINFO (physical, END exclusive). Prints what it
finds and one "OK ..." line per passed check or "BAD ..." per failed one.
Exit 0 when every check passed, 1 otherwise.
"""
import sys

import drgn
from drgn.helpers.linux.mm import pfn_to_page

PAGE_SHIFT = 12
PTE_ADDR = 0x000FFFFFFFFFF000
PSE = 1 << 7


def virt_to_phys(prog, vaddr):
    """Walk the kernel's 4-level page tables (init_top_pgt) by hand."""
    top = prog.symbol("init_top_pgt").address
    entry = int.from_bytes(prog.read(top + ((vaddr >> 39) & 511) * 8, 8), "little")
    for shift in (30, 21, 12):
        if not entry & 1:
            raise LookupError(f"{vaddr:#x} not mapped")
        table = entry & PTE_ADDR
        entry = int.from_bytes(prog.read(table + ((vaddr >> shift) & 511) * 8, 8, True),
                               "little")
        if shift != 12 and entry & PSE and entry & 1:
            base = entry & PTE_ADDR & ~((1 << shift) - 1)
            return base | (vaddr & ((1 << shift) - 1))
    if not entry & 1:
        raise LookupError(f"{vaddr:#x} not mapped")
    return (entry & PTE_ADDR) | (vaddr & 0xFFF)


def main():
    vmcore, vmlinux = sys.argv[1:3]
    paddr, ino, start, end = (int(x, 0) for x in sys.argv[3:7])
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux])
    bad = 0

    def check(ok, what):
        nonlocal bad
        print(("OK " if ok else "BAD ") + what)
        bad += 0 if ok else 1

    pfn = paddr >> PAGE_SHIFT
    page = pfn_to_page(prog, pfn)
    page_va = page.value_()
    page_pa = virt_to_phys(prog, page_va)
    print(f"pfn {pfn:#x}: struct page at {page_va:#x}, physical {page_pa:#x}")
    check(start <= page_pa and page_pa + 64 <= end,
          f"struct page of pfn {pfn:#x} lies in the device memmap [{start:#x}, {end:#x})")

    pgmap = page.pgmap
    mtype = pgmap.type.value_()
    rstart, rend = pgmap.range.start.value_(), pgmap.range.end.value_()
    print(f"pgmap {pgmap.value_():#x}: type {mtype} range {rstart:#x}-{rend:#x}")
    check(mtype == prog.constant("MEMORY_DEVICE_FS_DAX").value_() and rstart <= paddr <= rend,
          "page->pgmap is the fsdax dev_pagemap that covers the page")
    zone = prog["contig_page_data"] if "contig_page_data" in prog else None
    if zone is None:
        zone = prog["node_data"][0][0]
    zdev = zone.node_zones[prog.constant("ZONE_DEVICE")]
    zs = zdev.zone_start_pfn.value_()
    zn = zdev.spanned_pages.value_()
    check(zs <= pfn < zs + zn, f"pfn in ZONE_DEVICE's span [{zs:#x}, {zs + zn:#x})")

    mapping = page.mapping.value_()
    check(mapping != 0 and not mapping & 3, f"page->mapping {mapping:#x} is an address_space")
    if mapping and not mapping & 3:
        aspace = drgn.Object(prog, "struct address_space *", value=mapping)
        inode = aspace.host
        got_ino = inode.i_ino.value_()
        sb_id = inode.i_sb.s_id.string_().decode()
        print(f"mapping host inode {got_ino} on {sb_id}, i_mapping {inode.i_mapping.value_():#x}")
        check(got_ino == ino and inode.i_mapping.value_() == mapping and sb_id == "pmem0",
              f"page->mapping is the i_mapping of inode {ino} on pmem0")
        check(page.index.value_() == 0, "page->index is 0 (the file's first block)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
