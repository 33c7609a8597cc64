/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_TARGET_H
#define LIVEDUMP_TARGET_H

/*
 * Where the kernel writes the image, checked before the dump starts: the
 * kernel opens a regular file with O_CREAT|O_TRUNC and preallocates it,
 * so an existing file would be lost without a word, and a file system
 * too small fails only after the stop. Here an existing target is refused
 * unless forced, a new file is made by us (0600, O_EXCL) so that the
 * kernel reuses it, and the room is checked against the image's size.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "src/status.h"
#include "util/log.h"

/*
 * The bytes before the RAM in the image, as the kernel sizes them
 * (livedump_header_bytes() of lib/dump: the ELF header, at most
 * LD_MAX_RANGES + LD_MAX_PMEM + 2 program headers and the largest notes
 * for @nr_cpus CPUs, page aligned).
 */
uint64_t ld_header_bytes(unsigned int nr_cpus);
/*
 * The kernel's nr_cpu_ids: the highest CPU of
 * /sys/devices/system/cpu/possible plus one, else sysconf.
 */
unsigned int ld_possible_cpus(void);

enum ld_size_source {
	LD_SIZE_STATUS,		/* the last dump's pages_ram (and pages_pmem): exact */
	LD_SIZE_IOMEM,		/* System RAM of /proc/iomem: exact, pmem memmaps at most */
	LD_SIZE_MEMINFO,	/* MemTotal: less than the image (reserved memory is dumped too) */
};

struct ld_image_size {
	uint64_t bytes;
	enum ld_size_source source;
};

/*
 * The image's size: from @st when it has a dump's counts, else from
 * "<proc>/iomem" (root only shows addresses), else "<proc>/meminfo".
 * 0, or -PMD_EIO recorded when none tells.
 */
int ld_image_size(const struct ld_status *st, const char *proc, struct ld_image_size *out,
		  struct log_ctx *log);
/* "the last dump's counts", ...: for messages. */
const char *ld_size_source_text(enum ld_size_source s);

struct ld_target {
	char path[PATH_MAX];	/* absolute: the kernel thread resolves paths from / */
	bool created;		/* a file we made: removed when the dump does not finish */
	bool device;		/* a block device: never removed */
	uint64_t dev_size;
};

/*
 * Check @path for an image of @image_bytes and make it ready: a missing
 * file is created (0600, O_EXCL) after the room of its file system is
 * checked (statvfs f_bavail: the blocks reserved for root stay for the
 * running services); an existing regular file or block device is taken
 * only with @force (-PMD_EEXIST), a device only when not in use and
 * large enough (BLKGETSIZE64); anything else is refused. 0, or the
 * error recorded.
 */
int ld_target_prepare(struct ld_target *t, const char *path, uint64_t image_bytes, bool force,
		      struct log_ctx *log);

/*
 * A new capture file beside @near, "<near>.capture-XXXXXX" (0600,
 * O_EXCL), after the same room check.
 */
int ld_target_temp(struct ld_target *t, const char *near, uint64_t image_bytes,
		   struct log_ctx *log);

/* Remove a file we created (nothing else); true when one was removed. */
bool ld_target_remove(struct ld_target *t);

#endif
