#!/usr/bin/env python3
"""A kernel-memory-writing workload for the live dump scenarios.

    ld-writer.py COUNT_FILE FILE...

Rewrites each FILE (on tmpfs, or on a disk file system: page cache) in
place, 64 KiB pwrite()s over its first 32 MiB, in a loop; after each
round over all files, the number of rounds so far replaces COUNT_FILE.
The writes go through the kernel's direct map (copies into page cache
and tmpfs pages), which a live dump write-protects, so the rounds per
second during a dump against those without one are the workload's
slowdown. One process, so that process start-up under TCG does not
dominate the rate as it did with a dd loop.
"""
import os
import sys

SPAN = 32 << 20
BLOCK = 64 << 10


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    count = argv[1]
    fds = [os.open(p, os.O_RDWR | os.O_CREAT, 0o600) for p in argv[2:]]
    buf = os.urandom(BLOCK)
    rounds = 0
    while True:
        for fd in fds:
            for off in range(0, SPAN, BLOCK):
                os.pwrite(fd, buf, off)
        rounds += 1
        with open(count + ".tmp", "w") as f:
            f.write(f"{rounds}\n")
        os.replace(count + ".tmp", count)


if __name__ == "__main__":
    main(sys.argv)
