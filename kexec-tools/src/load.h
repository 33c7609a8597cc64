/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_LOAD_H
#define KEXEC_LOAD_H

/*
 * A kexec_load(2) capture-kernel load, assembled from the modules: the
 * segments in the crash kernel range, their contents, and the purgatory
 * that checks them. Nothing here calls the kernel; main.c does.
 */
#include <stdint.h>
#include <stdio.h>

#include "src/options.h"
#include "src/plan.h"
#include "src/purgatory_load.h"
#include "src/sysmem.h"
#include "src/syscalls.h"
#include "util/iomem.h"
#include "util/log.h"

enum kexec_seg_id {
	SEG_ELFCOREHDR,
	SEG_PURGATORY,
	SEG_BOOTPARAMS,
	SEG_KERNEL,
	SEG_INITRD,
	SEG_NR,
};

struct kexec_load {
	struct kexec_seg seg[SEG_NR];	/* by id; memsz 0: not in this load */
	unsigned int nr_seg;		/* segments in the load */
	uint64_t entry;			/* relocated purgatory_start */
	uint64_t reserve;		/* bytes left free at the range's bottom */
	struct crash_ranges crash;	/* -p; nr 0 for a -l load */
	struct mem_range ram;		/* -l: the System RAM range used */
	struct e820_map e820;
	char *cmdline;

	/* Owned buffers. */
	struct iomem_tree iomem;
	uint8_t *kernel_file;
	size_t kernel_file_size;
	uint8_t *initrd;
	size_t initrd_size;
	void *elfhdr;
	size_t elfhdr_len;
	uint8_t *bootparams;
	size_t bootparams_len;
	struct purgatory purgatory;
};

extern const char *const kexec_seg_names[SEG_NR];

/*
 * Build the whole load for kexec_load: a crash kernel with -p (in the crash
 * kernel range, with the crash header), else a kernel for kexec -e (in
 * System RAM, the firmware's e820, no header). 0, or -PMD_E* with the
 * reason recorded in @log; with -p, -PMD_EUNSUPPORTED and crash.nr 0 when
 * no crash kernel memory is reserved (exit status 1, as 2.0.25).
 */
int kexec_load_build(struct kexec_load *ld, const struct kexec_opts *o, struct log_ctx *log);

/* The segments in load order for kexec_load(2), into @out[SEG_NR]; their number. */
unsigned int kexec_load_segments(const struct kexec_load *ld, struct kexec_seg *out);

/* -d: segments (2.0.25's lines), e820, command line, crash header. */
void kexec_load_print(FILE *f, const struct kexec_load *ld);

void kexec_load_free(struct kexec_load *ld);

/*
 * The command line for the capture kernel before elfcorehdr= is added:
 * --reuse-cmdline's /proc/cmdline (without BOOT_IMAGE= and, for a crash
 * kernel, crashkernel=), then the --append text. malloc'ed, or NULL.
 */
char *kexec_base_cmdline(const struct kexec_opts *o, struct log_ctx *log);

/* Read a whole file (kernel, initrd). 0, or -PMD_E* (recorded). */
int kexec_read_file(const char *path, const char *what, uint8_t **buf, size_t *size,
		    struct log_ctx *log);

#endif
