/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_LIVE_H
#define PMD_KERNEL_LIVE_H

/*
 * The running kernel, as a crash ELF header needs it: where each CPU's
 * crash notes and the VMCOREINFO note live, where the direct map starts,
 * and the kernel-text segment. Read from /sys and /proc/kcore below a root
 * prefix (NULL or "" for the live system) so tests use saved trees.
 */
#include <stdbool.h>
#include <stdint.h>

#include "util/log.h"

struct live_note {
	unsigned int cpu;
	uint64_t paddr;
	uint64_t size;
};

struct live_kernel {
	/* __va(0): vaddr - paddr of every direct-map segment of /proc/kcore. */
	uint64_t page_offset;
	bool la57;			/* page_offset in the 5-level range */

	/* [_text, _end) as /proc/kcore's text segment gives it. */
	uint64_t text_vaddr;
	uint64_t text_paddr;
	uint64_t text_size;

	/* One per possible CPU that has a crash_notes file, by cpu number. */
	struct live_note *cpu_notes;
	unsigned int nr_cpu_notes;

	/* /sys/kernel/vmcoreinfo: the note's physical address and size. */
	uint64_t vmcoreinfo_paddr;
	uint64_t vmcoreinfo_size;
};

/*
 * Fill @lk from "<root>/sys/devices/system/cpu/{possible,cpuN/crash_notes,
 * cpuN/crash_notes_size}", "<root>/sys/kernel/vmcoreinfo" and
 * "<root>/proc/kcore". 0, or -PMD_E* with the reason recorded in @log
 * (PMD_EIO: a file cannot be read, e.g. not root; PMD_ECORRUPT: a value
 * does not parse or the kcore segments disagree on page_offset;
 * PMD_EUNSUPPORTED: no crash notes, i.e. a kernel without kexec).
 */
int live_kernel_read(struct live_kernel *lk, const char *root, struct log_ctx *log);
void live_kernel_free(struct live_kernel *lk);

#endif
