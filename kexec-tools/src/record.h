/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_RECORD_H
#define KEXEC_RECORD_H

/*
 * What the loaded crash kernel was loaded with. The kernel keeps no copy
 * of the capture command line that user space can read, so after a
 * successful -p load kexec writes one, for `pmem-kdump check` (is
 * libnvdimm kept off pmem? is pmem in the crash header?); -p -u removes it.
 * Where it lives and its keys are in util/records.h (REC_LOAD_*): one
 * "key=value" per line, cmdline last.
 */
#include "util/log.h"

struct kexec_record {
	const char *syscall;	/* "kexec_load" or "kexec_file_load" */
	const char *kernel;
	const char *initrd;	/* NULL: none */
	const char *pmem;	/* "all", "memmap", "none"; NULL with kexec_file_load */
	const char *cmdline;	/* as the capture kernel gets it */
};

/*
 * Write it atomically below @root (NULL: /). A value with a newline is
 * written empty (util/kvfile.h). 0, or -PMD_EIO (recorded).
 */
int kexec_record_write(const char *root, const struct kexec_record *r, struct log_ctx *log);
/* Remove it; a missing record is not an error. 0, or -PMD_EIO (recorded). */
int kexec_record_remove(const char *root, struct log_ctx *log);

#endif
