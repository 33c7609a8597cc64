#!/usr/bin/env python3
"""Check the live dump test invariants (CONFIG_LIVEDUMP_TEST) in a memory image.

    livedump-invariants.py check IMAGE LAYOUT
    livedump-invariants.py kcore-copy LAYOUT OUT [DELAY_MS]
    livedump-invariants.py kcore-ram OUT

IMAGE is an ELF core file (a live dump, or a copy made by kcore-copy);
LAYOUT is /sys/kernel/livedump_test/layout as saved: "words=N initial=M",
"cons PFN...", "seqCPU PFN...". Pages are found by physical address
through the PT_LOADs (p_paddr; /proc/kcore gives RAM segments their
physical address and -1 to the others).

check prints one line per invariant and exits 0 if both hold, 1 if not:
  conservation: the sum of the accounts is words * pages * initial;
  sequence: in each CPU's run of words, each word is the one before plus
  one except at one place at most (the writer's position).

kcore-copy reads the same pages from /proc/kcore one at a time, DELAY_MS
apart, and writes them to OUT as an ELF core with one PT_LOAD per page:
the slow reader whose copy a live dump is meant to beat.

kcore-ram copies every RAM segment of /proc/kcore (once per physical
range) to OUT as an ELF core, as fast as it reads: what a tool that
images a running kernel without live dump does (the bench's reference).
"""
import struct
import sys
import time


def parse_layout(path):
    words = initial = 0
    cons, seq = [], {}
    for line in open(path):
        f = line.split()
        if not f:
            continue
        if f[0].startswith('words='):
            kv = dict(x.split('=') for x in f)
            words, initial = int(kv['words']), int(kv['initial'])
        elif f[0] == 'cons':
            cons = [int(x, 16) for x in f[1:]]
        elif f[0].startswith('seq'):
            seq[int(f[0][3:])] = [int(x, 16) for x in f[1:]]
    return words, initial, cons, seq


def loads(f):
    f.seek(0)
    eh = f.read(64)
    if eh[:4] != b'\x7fELF':
        raise SystemExit('not an ELF file')
    phoff, = struct.unpack_from('<Q', eh, 32)
    phnum, = struct.unpack_from('<H', eh, 56)
    out = []
    for i in range(phnum):
        f.seek(phoff + 56 * i)
        p_type, _, off, vaddr, paddr, filesz = struct.unpack('<IIQQQQ', f.read(40))
        if p_type == 1 and paddr != 0xffffffffffffffff:
            out.append((paddr, paddr + filesz, off, vaddr))
    return out


def read_page(f, segs, pfn):
    pa = pfn << 12
    for start, end, off, _ in segs:
        if start <= pa and pa + 4096 <= end:
            f.seek(off + pa - start)
            return f.read(4096)
    raise SystemExit(f'pfn {pfn:#x} is in no PT_LOAD')


def check(image, layout):
    words, initial, cons, seq = parse_layout(layout)
    f = open(image, 'rb')
    segs = loads(f)
    total = 0
    for pfn in cons:
        total += sum(struct.unpack(f'<{words}Q', read_page(f, segs, pfn)))
    want = words * len(cons) * initial
    ok_cons = total == want
    print(f'conservation: sum {total}, expected {want}: {"holds" if ok_cons else "BROKEN"}')
    ok_seq = True
    for cpu, pfns in sorted(seq.items()):
        vals = []
        for pfn in pfns:
            vals.extend(struct.unpack(f'<{words}Q', read_page(f, segs, pfn)))
        breaks = sum(1 for a, b in zip(vals, vals[1:]) if b != a + 1)
        ok = breaks <= 1 and max(vals) > 0
        ok_seq &= ok
        print(f'sequence cpu{cpu}: {len(vals)} words, {breaks} breaks, last stamp {max(vals)}: '
              f'{"holds" if ok else "BROKEN"}')
    return 0 if ok_cons and ok_seq else 1


def kcore_copy(layout, out, delay_ms):
    _, _, cons, seq = parse_layout(layout)
    pfns = cons + [p for c in sorted(seq) for p in seq[c]]
    f = open('/proc/kcore', 'rb')
    segs = loads(f)
    pages = []
    for pfn in pfns:
        pages.append(read_page(f, segs, pfn))
        time.sleep(delay_ms / 1000.0)
    n = len(pfns)
    with open(out, 'wb') as o:
        eh = bytearray(64)
        eh[:4] = b'\x7fELF'
        eh[4:7] = bytes([2, 1, 1])
        struct.pack_into('<HHIQQQIHHHHHH', eh, 16, 4, 62, 1, 0, 64, 0, 0, 64, 56, n, 0, 0, 0)
        o.write(eh)
        data = 64 + 56 * n
        for i, pfn in enumerate(pfns):
            o.write(struct.pack('<IIQQQQQQ', 1, 4, data + 4096 * i, 0, pfn << 12, 4096, 4096, 0))
        for p in pages:
            o.write(p)
    print(f'{n} pages copied from /proc/kcore, {delay_ms} ms apart')


def kcore_ram(out):
    f = open('/proc/kcore', 'rb')
    segs, taken = [], []
    for start, end, off, _ in sorted(loads(f)):
        if any(s < end and start < e for s, e in taken):
            continue    # the kernel text's alias of RAM already taken
        taken.append((start, end))
        segs.append((start, end, off))
    data = 64 + 56 * len(segs)
    data += -data % 4096
    with open(out, 'wb') as o:
        eh = bytearray(64)
        eh[:4] = b'\x7fELF'
        eh[4:7] = bytes([2, 1, 1])
        struct.pack_into('<HHIQQQIHHHHHH', eh, 16, 4, 62, 1, 0, 64, 0, 0, 64, 56,
                         len(segs), 0, 0, 0)
        o.write(eh)
        pos = data
        for start, end, _ in segs:
            o.write(struct.pack('<IIQQQQQQ', 1, 4, pos, 0, start, end - start, end - start, 0))
            pos += end - start
        o.seek(data)
        total = 0
        for start, end, off in segs:
            f.seek(off)
            left = end - start
            while left:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    raise SystemExit(f'/proc/kcore ended at {end - left:#x}')
                o.write(chunk)
                left -= len(chunk)
                total += len(chunk)
    print(f'{total >> 12} pages of RAM copied from /proc/kcore in {len(segs)} segments')


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'check':
        sys.exit(check(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == 'kcore-ram':
        kcore_ram(sys.argv[2])
        sys.exit(0)
    if len(sys.argv) >= 4 and sys.argv[1] == 'kcore-copy':
        kcore_copy(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 2)
        sys.exit(0)
    sys.exit(__doc__)
