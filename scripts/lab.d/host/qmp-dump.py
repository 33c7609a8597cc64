#!/usr/bin/python3
"""QEMU's own dump-guest-memory into a file, as a host admin (or libvirt's
virsh dump --memory-only) would take it: the whole guest, NVDIMMs included,
paging off, ELF. The VM lab's vm-dump host side runs our makedumpfile on it
without any --pmem-range.

  qmp-dump.py SOCKET OUT [FORMAT]

FORMAT is QEMU's: elf (the default) or kdump-zlib (QEMU 7.2 writes it in
makedumpfile's flattened format).
"""
import json
import socket
import sys


def main():
    sock_path, out = sys.argv[1], sys.argv[2]
    fmt = sys.argv[3] if len(sys.argv) > 3 else 'elf'
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    f = s.makefile('rw')

    def reply():
        while True:
            line = f.readline()
            if not line:
                sys.exit('qmp-dump: QEMU closed the monitor')
            msg = json.loads(line)
            if 'event' in msg:
                continue
            if 'error' in msg:
                sys.exit('qmp-dump: %s' % msg['error'].get('desc'))
            return msg.get('return')

    def execute(cmd, **args):
        f.write(json.dumps({'execute': cmd, 'arguments': args} if args else {'execute': cmd}) + '\n')
        f.flush()
        return reply()

    json.loads(f.readline())  # the greeting
    execute('qmp_capabilities')
    status = execute('query-status')['status']
    execute('dump-guest-memory', paging=False, protocol='file:' + out, format=fmt)
    print('qmp-dump: guest %s, dumped to %s (%s)' % (status, out, fmt))


main()
