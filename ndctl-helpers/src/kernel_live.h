/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_KERNEL_LIVE_H
#define PK_KERNEL_LIVE_H

#include "src/namespace.h"

/*
 * The running kernel's VMCOREINFO read through @kcore (/proc/kcore), as
 * makedumpfile --mem-usage /proc/kcore reads it: SIZE(page), and the
 * devm_memmap_vmcore list walked in kernel memory when the kernel has the
 * series. A kcore that cannot be read (not root, no CONFIG_PROC_KCORE)
 * leaves the list PK_LIST_UNKNOWN with a warning on @log: namespaces are
 * still listed. 0, or -PMD_ENOMEM.
 */
int pk_kernel_from_kcore(struct pk_kernel *k, const char *kcore, struct log_ctx *log);

#endif
