#!/usr/bin/python3
"""Read the device-backed memmap list of a Linux kernel from an ELF core.

Works on /proc/kcore of the running kernel and on a vmcore (/proc/vmcore in
the capture kernel or a copy of it), with no vmlinux: VMCOREINFO names the
list head and the layout of struct devm_memmap_vmcore (kernel-patches/0001).

  pmem-metadata.py vmcoreinfo CORE [PADDR SIZE]
      print VMCOREINFO: from the note at physical PADDR (the two numbers of
      /sys/kernel/vmcoreinfo), or else from the core's PT_NOTE.
  pmem-metadata.py list CORE VMCOREINFO-FILE
      walk devm_memmap_vmcore_head, print "START END" (hex, physical bytes,
      END exclusive) per entry.
  pmem-metadata.py loads CORE
      print "PADDR SIZE FLAGS" (hex) for every PT_LOAD.
  pmem-metadata.py read-phys CORE PADDR LEN
      copy LEN bytes at physical PADDR to standard output.

Exit status 0 on success, 1 on an error (message on stderr).
"""
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4
NAMES = ("SYMBOL(devm_memmap_vmcore_head)", "SIZE(devm_memmap_vmcore)",
         "OFFSET(devm_memmap_vmcore.entry)", "OFFSET(devm_memmap_vmcore.start)",
         "OFFSET(devm_memmap_vmcore.end)")


class Core:
    def __init__(self, path):
        self.f = open(path, "rb")
        eh = self.f.read(64)
        if eh[:4] != b"\x7fELF" or eh[4] != 2 or eh[5] != 1:
            raise SystemExit(f"{path}: not a little-endian ELF64 file")
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        self.phdrs = []
        self.f.seek(phoff)
        raw = self.f.read(phentsize * phnum)
        for i in range(phnum):
            (p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz,
             p_memsz, _) = struct.unpack_from("<IIQQQQQQ", raw, i * phentsize)
            self.phdrs.append((p_type, p_flags, p_offset, p_vaddr, p_paddr,
                               p_filesz, p_memsz))

    def loads(self):
        return [p for p in self.phdrs if p[0] == PT_LOAD]

    def _read(self, addr, size, key):
        out = b""
        while size > 0:
            for p in self.loads():
                base = p[3] if key == "v" else p[4]
                if key == "p" and base == 0xFFFFFFFFFFFFFFFF:
                    continue
                if base <= addr < base + p[5]:
                    n = min(size, base + p[5] - addr)
                    self.f.seek(p[2] + addr - base)
                    chunk = self.f.read(n)
                    if len(chunk) != n:
                        raise SystemExit(f"short read at {key}addr {addr:#x}")
                    out += chunk
                    addr += n
                    size -= n
                    break
            else:
                raise SystemExit(f"{key}addr {addr:#x} is in no PT_LOAD")
        return out

    def read_virt(self, addr, size):
        return self._read(addr, size, "v")

    def read_phys(self, addr, size):
        return self._read(addr, size, "p")

    def u64(self, vaddr):
        return struct.unpack("<Q", self.read_virt(vaddr, 8))[0]


def parse_notes(data):
    """Yield (name, type, desc) of the ELF notes in data."""
    off = 0
    while off + 12 <= len(data):
        namesz, descsz, ntype = struct.unpack_from("<III", data, off)
        if namesz == 0 and descsz == 0:
            return
        off += 12
        name = data[off:off + namesz].rstrip(b"\0").decode("ascii", "replace")
        off += (namesz + 3) & ~3
        desc = data[off:off + descsz]
        off += (descsz + 3) & ~3
        yield name, ntype, desc


def vmcoreinfo(core, paddr=None, size=None):
    if paddr is not None:
        blobs = [core.read_phys(paddr, size)]
    else:
        blobs = []
        for p in core.phdrs:
            if p[0] == PT_NOTE:
                core.f.seek(p[2])
                blobs.append(core.f.read(p[5]))
    for blob in blobs:
        for name, _, desc in parse_notes(blob):
            if name == "VMCOREINFO":
                return desc.rstrip(b"\0").decode("ascii", "replace")
    raise SystemExit("no VMCOREINFO note found")


def walk(core, info):
    kv = dict(line.split("=", 1) for line in info.splitlines() if "=" in line)
    missing = [n for n in NAMES if n not in kv]
    if missing:
        raise SystemExit("VMCOREINFO lacks " + " ".join(missing))
    head = int(kv[NAMES[0]], 16)
    o_entry, o_start, o_end = (int(kv[n]) for n in NAMES[2:])
    out, pos, seen = [], core.u64(head), set()
    while pos != head:
        if pos in seen or len(out) > 4096:
            raise SystemExit("devm_memmap_vmcore list does not end")
        seen.add(pos)
        entry = pos - o_entry
        out.append((core.u64(entry + o_start), core.u64(entry + o_end)))
        pos = core.u64(pos)
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, core = argv[1], Core(argv[2])
    if cmd == "vmcoreinfo":
        if len(argv) == 5:
            print(vmcoreinfo(core, int(argv[3], 16), int(argv[4], 16)))
        else:
            print(vmcoreinfo(core))
    elif cmd == "list":
        with open(argv[3]) as f:
            info = f.read()
        for start, end in walk(core, info):
            print(f"{start:#x} {end:#x}")
    elif cmd == "loads":
        for p in core.loads():
            print(f"{p[4]:#x} {p[6]:#x} {p[1]:#x}")
    elif cmd == "read-phys":
        sys.stdout.buffer.write(core.read_phys(int(argv[3], 0), int(argv[4], 0)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
