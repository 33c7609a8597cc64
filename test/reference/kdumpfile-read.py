#!/usr/bin/python3
"""Read a dump with libkdumpfile, an independent reader, and compare every
page with the ELF vmcore it was made from.

usage: kdumpfile-read.py ORIGINAL.vmcore DUMP
Prints "readable=N absent=N" and exits 1 if a readable page differs from
the original or a page the original lacks is readable.
"""
import struct
import sys

import kdumpfile
from kdumpfile.exceptions import NoDataException

PAGE = 4096


def loads(path):
    """(paddr, filesz, offset) of each PT_LOAD of an ELF64 core."""
    with open(path, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        f.seek(phoff)
        out = []
        for _ in range(phnum):
            ph = f.read(phentsize)
            p_type, _flags, off, _vaddr, paddr, filesz = struct.unpack_from("<IIQQQQ", ph)
            if p_type == 1:
                out.append((paddr, filesz, off))
        return out


def main():
    orig_path, dump_path = sys.argv[1:3]
    ctx = kdumpfile.kdumpfile(dump_path)
    ctx.attr["addrxlat.ostype"] = "linux"
    readable = absent = bad = 0
    seen = set()
    with open(orig_path, "rb") as orig:
        for paddr, filesz, off in loads(orig_path):
            for pos in range(0, filesz - filesz % PAGE, PAGE):
                pfn = (paddr + pos) // PAGE
                if pfn in seen:
                    continue
                seen.add(pfn)
                try:
                    got = ctx.read(kdumpfile.KDUMP_KPHYSADDR, paddr + pos, PAGE)
                except NoDataException:
                    absent += 1
                    continue
                orig.seek(off + pos)
                if got != orig.read(PAGE):
                    bad += 1
                    if bad <= 3:
                        print(f"pfn {pfn:#x}: differs from the original")
                readable += 1
    print(f"readable={readable} absent={absent} differ={bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
