/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_IOMEM_H
#define PMD_UTIL_IOMEM_H

#include <stddef.h>
#include <stdint.h>

#include "util/log.h"
#include "util/pfn_ranges.h"

/*
 * /proc/iomem as a tree of named physical ranges, nesting kept:
 * "Crash kernel" is a child of "System RAM", "namespace0.0" of
 * "Persistent Memory". Read as non-root, every address is 0.
 */
struct iomem_node {
	uint64_t start, end;		/* inclusive end, as /proc/iomem prints */
	char *name;
	unsigned int depth;		/* 0: top level */
	struct iomem_node *parent, *child, *next;	/* first child, next sibling */
};

struct iomem_tree {
	struct iomem_node *first;	/* top-level nodes */
	unsigned int nr_nodes;
};

/* Longest line and file accepted: real ones are far shorter. */
#define IOMEM_LINE_MAX 512
#define IOMEM_SIZE_MAX (4u << 20)

/*
 * Parse @len bytes of /proc/iomem text into @t (overwritten). 0, or
 * -PMD_ECORRUPT with "iomem line N: ..." recorded in @log and @t empty,
 * or -PMD_ENOMEM.
 */
int iomem_parse(struct iomem_tree *t, const char *text, size_t len, struct log_ctx *log);
/* Read and parse @path. -PMD_EIO when it cannot be opened or read. */
int iomem_read(struct iomem_tree *t, const char *path, struct log_ctx *log);
void iomem_free(struct iomem_tree *t);

/*
 * Depth-first walk: the next node after @from (NULL: the first) whose
 * name starts with @prefix (NULL: any node), or NULL.
 */
const struct iomem_node *iomem_next(const struct iomem_tree *t, const struct iomem_node *from,
				    const char *prefix);

/*
 * Add the pages of every node of @path, at any depth, whose name starts
 * with @name ("Persistent Memory", "Crash kernel") to @out, rounded out
 * to whole 4 KiB pages. -PMD_EIO when the file shows no addresses (not
 * root), as it cannot be told from a machine without such memory.
 */
int iomem_find(struct log_ctx *log, const char *path, const char *name, struct pfn_ranges *out);

#endif
