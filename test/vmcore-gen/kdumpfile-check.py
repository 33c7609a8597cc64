#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cross-check a vmcore-gen vmcore with libkdumpfile (python3-libkdumpfile).

    kdumpfile-check.py OUT.vmcore [OUT.manifest]

libkdumpfile has its own VMCOREINFO parser, KASLR handling and x86_64
page-table walker, so this checks the generator against a second reader:
  - init_uts_ns, read through the kernel text mapping, says 6.1.0;
  - mem_section decodes to the vmemmap the manifest names;
  - every zone's free lists (walked through page->lru in the direct map
    and the vmemmap) link buddy heads of the right order, agree with
    nr_free and vm_stat[NR_FREE_PAGES], and add up to the manifest's
    "free" count.
Exits 1 on any inconsistency.  Not part of "make check": it needs the
Debian package python3-libkdumpfile.
"""
import sys

import addrxlat
import kdumpfile


def load_manifest(path):
    values = {}
    with open(path) as f:
        for line in f:
            if line.startswith('#') or '=' not in line:
                continue
            key, val = line.rstrip('\n').split('=', 1)
            values[key] = val
    return values


class Core:
    def __init__(self, path):
        self.kdf = kdumpfile.kdumpfile(path)
        self.kdf.attr['addrxlat.ostype'] = 'linux'
        self.info = self.kdf.attr['linux.vmcoreinfo.lines']

    def num(self, key):
        return int(self.info[key])

    def sym(self, name):
        return int(self.info['SYMBOL(%s)' % name], 16)

    def read(self, addr, size):
        return self.kdf.read(addrxlat.KVADDR, addr, size)

    def u64(self, addr):
        return int.from_bytes(self.read(addr, 8), 'little')

    def u32(self, addr):
        return int.from_bytes(self.read(addr, 4), 'little')


def walk_free_lists(core, errors):
    """Return the number of free pages on all lists of node 0."""
    buddy = core.num('NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)') & 0xffffffff
    lru = core.num('OFFSET(page.lru)')
    pgdat = core.u64(core.sym('node_data'))
    nr_zones = core.u32(pgdat + core.num('OFFSET(pglist_data.nr_zones)'))
    total = 0
    for z in range(nr_zones):
        zone = (pgdat + core.num('OFFSET(pglist_data.node_zones)') +
                z * core.num('SIZE(zone)'))
        zone_free = 0
        for order in range(core.num('LENGTH(zone.free_area)')):
            area = (zone + core.num('OFFSET(zone.free_area)') +
                    order * core.num('SIZE(free_area)'))
            for mt in range(core.num('LENGTH(free_area.free_list)')):
                head = (area + core.num('OFFSET(free_area.free_list)') +
                        mt * core.num('SIZE(list_head)'))
                prev, pos = head, core.u64(head)
                while pos != head:
                    page = pos - lru
                    if core.u64(pos + 8) != prev:
                        errors.append('zone %d order %d: broken prev link at %#x'
                                      % (z, order, pos))
                    if core.u32(page + core.num('OFFSET(page._mapcount)')) != buddy:
                        errors.append('page %#x on a free list is not PageBuddy' % page)
                    if core.u64(page + core.num('OFFSET(page.private)')) != order:
                        errors.append('page %#x on order %d list has another order'
                                      % (page, order))
                    zone_free += 1 << order
                    prev, pos = pos, core.u64(pos)
        vm_stat = core.u64(zone + core.num('OFFSET(zone.vm_stat)') +
                           8 * core.num('NUMBER(NR_FREE_PAGES)'))
        if vm_stat != zone_free:
            errors.append('zone %d: vm_stat NR_FREE_PAGES %d, lists hold %d'
                          % (z, vm_stat, zone_free))
        total += zone_free
    return total


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    vmcore = sys.argv[1]
    manifest = sys.argv[2] if len(sys.argv) == 3 else \
        vmcore.rsplit('.vmcore', 1)[0] + '.manifest'
    man = load_manifest(manifest)
    core = Core(vmcore)
    errors = []

    uts = core.sym('init_uts_ns') + core.num('OFFSET(uts_namespace.name)')
    release = bytes(core.read(uts + 2 * 65, 65)).split(b'\0')[0].decode()
    if release != '6.1.0':
        errors.append('init_uts_ns release is %r' % release)

    root0 = core.u64(core.sym('mem_section'))
    memmap = core.u64(root0 + core.num('OFFSET(mem_section.section_mem_map)'))
    if memmap & ~0x1f != int(man['vmemmap_base'], 16):
        errors.append('mem_section[0] encodes %#x, manifest vmemmap_base %s'
                      % (memmap, man['vmemmap_base']))

    free = walk_free_lists(core, errors)
    if free != int(man['free']):
        errors.append('free lists hold %d pages, manifest says %s'
                      % (free, man['free']))

    for e in errors[:20]:
        print('kdumpfile-check: %s' % e, file=sys.stderr)
    if errors:
        print('kdumpfile-check: FAIL: %d problems in %s' % (len(errors), vmcore))
        sys.exit(1)
    print('kdumpfile-check: OK: %s (release %s, %d free pages on the lists)'
          % (vmcore, release, free))


if __name__ == '__main__':
    main()
