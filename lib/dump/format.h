/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_FORMAT_H
#define PMD_DUMP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bitmap;
struct dump_source;
struct log_ctx;
struct pfn_ranges;

/* How a source is opened; the same for every format. */
struct dump_open_opts {
	struct log_ctx *log;
	bool no_mmap;		/* makedumpfile's --non-mmap: read with pread only */
};

enum dump_source_flags {
	/*
	 * The memory ranges are the dumped kernel's own PT_LOADs, p_flags
	 * included (PF_DEV marks pmem), not runs rebuilt from a bitmap.
	 */
	DUMP_SRC_PT_LOADS = 1,
	/* A running system's memory (/proc/kcore): it changes as it is read. */
	DUMP_SRC_LIVE = 2,
};

/*
 * One dump format, in the manner of libkdumpfile's format_ops. The
 * source's page data is read through src->pm (kernel/physmem.h); these
 * ops tell the rest of what the filter needs to know of the input.
 */
struct dump_format_ops {
	const char *name;
	/* 0 when the file's first @len bytes look like this format, else -PMD_ENOTFMT. */
	int (*probe)(const uint8_t *head, size_t len);
	/* Fill @src; -PMD_ENOTFMT lets the next format try. */
	int (*open)(struct dump_source *src, const char *path, const struct dump_open_opts *o);
	void (*close)(struct dump_source *src);
	/* Give rebuilt memory ranges their direct-map addresses. Optional. */
	void (*set_direct_map)(struct dump_source *src, uint64_t page_offset);
	/* Set, in @bm's window, the pages whose data the input holds. */
	void (*mark_present)(const struct dump_source *src, struct bitmap *bm, uint64_t max_mapnr);
	/* Set the pages the dumped machine had; @partial: a range ending mid-page holds it. */
	void (*mark_held)(const struct dump_source *src, struct bitmap *bm, uint64_t max_mapnr,
			  bool partial);
	/* The pages of mark_present, as ranges below @max_mapnr. */
	int (*present_ranges)(const struct dump_source *src, uint64_t max_mapnr,
			      struct pfn_ranges *out);
};

extern const struct dump_format_ops dump_format_kdump;
extern const struct dump_format_ops dump_format_flat;
extern const struct dump_format_ops dump_format_elf;
extern const struct dump_format_ops dump_format_kcore;

#endif
