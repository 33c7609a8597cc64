/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_COMPRESS_H
#define PMD_DUMP_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum compression {
	COMPRESS_NONE,
	COMPRESS_ZLIB,	/* -c */
	COMPRESS_LZO,	/* -l */
	COMPRESS_SNAPPY,	/* -p */
	COMPRESS_ZSTD,	/* -z */
};

/* "none", "zlib", "lzo", "snappy", "zstd" */
const char *compression_name(enum compression type);

/* The DUMP_DH_COMPRESSED_* bit of a page (and of the header), 0 for none. */
unsigned int compression_dh_flag(enum compression type);

/*
 * Page compressor, one per thread (the library states are not shared).
 * The output is makedumpfile 1.7.2's byte for byte: zlib deflate level 1
 * (Z_BEST_SPEED), lzo1x_1, zstd level 1, each into a buffer of
 * page_compress_bound() bytes.
 */
struct log_ctx;

struct page_compressor {
	struct log_ctx *log;
	enum compression type;
	size_t page_size;
	void *state;		/* z_stream, lzo work memory or ZSTD_CCtx */
};

/* Output buffer size callers give page_compress(). */
size_t page_compress_bound(size_t page_size);

/* 0, or -1 with an error printed (snappy is not in this build). */
int page_compressor_init(struct page_compressor *pc, struct log_ctx *log,
			 enum compression type,
			 size_t page_size);
void page_compressor_free(struct page_compressor *pc);

/*
 * Compress one page into @out (page_compress_bound() bytes). Returns the
 * compressed size, or 0 when the page must be stored raw: makedumpfile
 * stores a page raw when compression fails or does not make it strictly
 * smaller than a page (and always under COMPRESS_NONE).
 */
size_t page_compress(struct page_compressor *pc, const void *page, void *out);

/* Decompressor for the reader; one per reader. */
struct page_decompressor {
	struct log_ctx *log;
	size_t page_size;
	void *zstd_dctx;
};

int page_decompressor_init(struct page_decompressor *pd, struct log_ctx *log,
			   size_t page_size);
void page_decompressor_free(struct page_decompressor *pd);

/*
 * Expand @len bytes compressed as @dh_flag (one DUMP_DH_COMPRESSED_* bit)
 * into exactly one page at @page. Returns 0, or -1 with *why set to a
 * short reason for the caller's error message.
 */
int page_decompress(struct page_decompressor *pd, unsigned int dh_flag,
		    const void *data, size_t len, void *page, const char **why);

#endif
