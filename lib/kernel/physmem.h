/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_PHYSMEM_H
#define PMD_KERNEL_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct log_ctx;

/*
 * Physical memory of the dumped machine, whatever file it comes from.
 * Address translation and the filter only see this, so a new input
 * format (kdump-compressed, live dump device) is one more implementation.
 */
struct physmem_ops {
	/* Read @len bytes; 0, or -PMD_E* with the error recorded in the log. */
	int (*read)(void *priv, uint64_t paddr, void *buf, size_t len);
	/* Is the page frame backed by data in the input? */
	bool (*present)(void *priv, uint64_t pfn);
	/* Zero-copy access to a range, or NULL when not possible. */
	const void *(*ptr)(void *priv, uint64_t paddr, size_t len);
	/*
	 * Like ptr, but the pointer is only good until the next call on this
	 * physmem: for reads that are done with the bytes at once. Optional.
	 */
	const void *(*peek)(void *priv, uint64_t paddr, size_t len);
	/*
	 * Does [@paddr, @paddr + @len) surely read as zeros without being
	 * read (a hole in a sparse file)? Optional; false when unsure.
	 */
	bool (*known_zero)(void *priv, uint64_t paddr, size_t len);
	/*
	 * Read a whole page whose frame is present; bytes the input does not
	 * hold (a segment ending mid-page) read as zero. -1 on I/O error.
	 */
	int (*read_page)(void *priv, uint64_t pfn, void *buf);
};

struct physmem {
	const struct physmem_ops *ops;
	void *priv;
	/* Where readers and everything reading through them record errors. */
	struct log_ctx *log;
};

static inline int physmem_read(const struct physmem *pm, uint64_t paddr, void *buf,
			       size_t len)
{
	return pm->ops->read(pm->priv, paddr, buf, len);
}

static inline bool physmem_present(const struct physmem *pm, uint64_t pfn)
{
	return pm->ops->present(pm->priv, pfn);
}

static inline const void *physmem_ptr(const struct physmem *pm, uint64_t paddr,
				      size_t len)
{
	return pm->ops->ptr ? pm->ops->ptr(pm->priv, paddr, len) : NULL;
}

static inline const void *physmem_peek(const struct physmem *pm, uint64_t paddr,
				       size_t len)
{
	if (pm->ops->peek)
		return pm->ops->peek(pm->priv, paddr, len);
	return physmem_ptr(pm, paddr, len);
}

static inline bool physmem_known_zero(const struct physmem *pm, uint64_t paddr, size_t len)
{
	return pm->ops->known_zero && pm->ops->known_zero(pm->priv, paddr, len);
}

static inline int physmem_read_page(const struct physmem *pm, uint64_t pfn, void *buf)
{
	return pm->ops->read_page(pm->priv, pfn, buf);
}

/*
 * A read op made of whole-page reads, for a physmem that holds pages and
 * nothing finer (the fakes of tests, fuzz targets and seed makers): each
 * page [@paddr, @paddr + @len) touches through @read_page. Its result.
 */
static inline int physmem_read_by_page(int (*read_page)(void *priv, uint64_t pfn, void *buf),
				       void *priv, uint64_t paddr, void *buf, size_t len)
{
	uint8_t page[4096], *out = buf;

	while (len) {
		size_t off = (size_t)(paddr % sizeof(page));
		size_t chunk = sizeof(page) - off < len ? sizeof(page) - off : len;
		int ret = read_page(priv, paddr / sizeof(page), page);

		if (ret < 0)
			return ret;
		memcpy(out, page + off, chunk);
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

#endif
