/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_CRASHHDR_H
#define KEXEC_CRASHHDR_H

/*
 * The ELF core header the capture kernel serves as /proc/vmcore: the same
 * program headers the kernel's kexec_file_load builds (with kernel series
 * 1, patch 0002), but built here for kexec_load, so a stock kernel gets its
 * pmem into the dump too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/live.h"
#include "pmem/live.h"
#include "src/sysmem.h"
#include "util/iomem.h"
#include "util/log.h"

struct crashhdr_in {
	const struct iomem_tree *iomem;
	const struct crash_ranges *crash;	/* left out of the RAM PT_LOADs */
	const struct live_kernel *kernel;
	const struct pmem_live *pmem;		/* PF_DEV PT_LOADs; NULL: none */
};

/*
 * Program headers, in order: a PT_NOTE per CPU crash note, the VMCOREINFO
 * PT_NOTE, the kernel text PT_LOAD, then by address one PT_LOAD (RWX) per
 * System RAM range at any depth minus [0, 1 MiB) and the crash ranges, and
 * one PT_LOAD (RWX | PF_DEV) per pmem range. A malloc'ed *@buf of *@len
 * bytes. 0, or -PMD_E* (recorded).
 */
int crashhdr_build(const struct crashhdr_in *in, void **buf, size_t *len, struct log_ctx *log);

/* One line per program header, flags spelled out ("RWX+DEV"), for -d. */
void crashhdr_print(FILE *f, const void *buf, size_t len);

#endif
