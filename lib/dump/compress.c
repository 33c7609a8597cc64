// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page compression with makedumpfile 1.7.2's settings, so that our
 * kdump-compressed dumps hold the same bytes as its dumps.
 */
#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "dump/compress.h"
#include "dump/kdump/kdump_format.h"
#include "util/log.h"

/* The levels makedumpfile passes: Z_BEST_SPEED for zlib, 1 for zstd. */
#define ZLIB_LEVEL Z_BEST_SPEED
#define ZSTD_LEVEL 1

const char *compression_name(enum compression type)
{
	switch (type) {
	case COMPRESS_NONE:
		return "none";
	case COMPRESS_ZLIB:
		return "zlib";
	case COMPRESS_LZO:
		return "lzo";
	case COMPRESS_SNAPPY:
		return "snappy";
	case COMPRESS_ZSTD:
		return "zstd";
	}
	return "unknown";
}

unsigned int compression_dh_flag(enum compression type)
{
	switch (type) {
	case COMPRESS_ZLIB:
		return DUMP_DH_COMPRESSED_ZLIB;
	case COMPRESS_LZO:
		return DUMP_DH_COMPRESSED_LZO;
	case COMPRESS_SNAPPY:
		return DUMP_DH_COMPRESSED_SNAPPY;
	case COMPRESS_ZSTD:
		return DUMP_DH_COMPRESSED_ZSTD;
	case COMPRESS_NONE:
		break;
	}
	return 0;
}

/* The largest output of any method, as makedumpfile sizes its buffer. */
size_t page_compress_bound(size_t page_size)
{
	size_t zlib = compressBound(page_size);
	size_t lzo = page_size + page_size / 16 + 64 + 3;
	size_t zstd = ZSTD_compressBound(page_size);
	size_t bound = zlib > lzo ? zlib : lzo;

	return bound > zstd ? bound : zstd;
}

static int zlib_init(struct page_compressor *pc)
{
	z_stream *zs = calloc(1, sizeof(*zs));
	int err;

	if (!zs) {
		return log_fail(pc->log, PMD_ENOMEM, "out of memory for the zlib compressor");
	}
	err = deflateInit(zs, ZLIB_LEVEL);
	if (err != Z_OK) {
		log_fail(pc->log, PMD_ECORRUPT, "cannot initialise zlib: %s", zError(err));
		free(zs);
		return -1;
	}
	pc->state = zs;
	return 0;
}

static int lzo_state_init(struct page_compressor *pc)
{
	if (lzo_init() != LZO_E_OK) {
		return log_fail(pc->log, PMD_ECORRUPT, "cannot initialise the lzo library");
	}
	pc->state = malloc(LZO1X_1_MEM_COMPRESS);
	if (!pc->state) {
		return log_fail(pc->log, PMD_ENOMEM, "out of memory for the lzo compressor");
	}
	return 0;
}

static int zstd_init(struct page_compressor *pc)
{
	pc->state = ZSTD_createCCtx();
	if (!pc->state) {
		return log_fail(pc->log, PMD_ENOMEM, "out of memory for the zstd compressor");
	}
	return 0;
}

int page_compressor_init(struct page_compressor *pc, struct log_ctx *log,
			 enum compression type, size_t page_size)
{
	memset(pc, 0, sizeof(*pc));
	pc->log = log;
	pc->type = type;
	pc->page_size = page_size;
	switch (type) {
	case COMPRESS_NONE:
		return 0;
	case COMPRESS_ZLIB:
		return zlib_init(pc);
	case COMPRESS_LZO:
		return lzo_state_init(pc);
	case COMPRESS_ZSTD:
		return zstd_init(pc);
	case COMPRESS_SNAPPY:
		log_fail(pc->log, PMD_ECORRUPT, "snappy compression (-p) is not available in this build; use -c, -l or -z");
		return -1;
	}
	return log_fail(pc->log, PMD_ECORRUPT, "unknown compression type %d", (int)type);
}

void page_compressor_free(struct page_compressor *pc)
{
	if (!pc->state)
		return;
	switch (pc->type) {
	case COMPRESS_ZLIB:
		deflateEnd(pc->state);
		free(pc->state);
		break;
	case COMPRESS_LZO:
		free(pc->state);
		break;
	case COMPRESS_ZSTD:
		ZSTD_freeCCtx(pc->state);
		break;
	default:
		break;
	}
	pc->state = NULL;
}

/*
 * One deflate(Z_FINISH) on a reset stream: the same bytes compress2()
 * produces at this level, without allocating the state for every page.
 */
static size_t zlib_page(struct page_compressor *pc, const void *page, void *out)
{
	z_stream *zs = pc->state;
	size_t size = 0;

	zs->next_in = (Bytef *)page;
	zs->avail_in = (uInt)pc->page_size;
	zs->next_out = out;
	zs->avail_out = (uInt)page_compress_bound(pc->page_size);
	if (deflate(zs, Z_FINISH) == Z_STREAM_END)
		size = zs->total_out;
	deflateReset(zs);
	return size;
}

static size_t lzo_page(struct page_compressor *pc, const void *page, void *out)
{
	lzo_uint size = 0;

	if (lzo1x_1_compress(page, pc->page_size, out, &size, pc->state) != LZO_E_OK)
		return 0;
	return size;
}

static size_t zstd_page(struct page_compressor *pc, const void *page, void *out)
{
	size_t size = ZSTD_compressCCtx(pc->state, out, page_compress_bound(pc->page_size),
					page, pc->page_size, ZSTD_LEVEL);

	return ZSTD_isError(size) ? 0 : size;
}

size_t page_compress(struct page_compressor *pc, const void *page, void *out)
{
	size_t size;

	switch (pc->type) {
	case COMPRESS_ZLIB:
		size = zlib_page(pc, page, out);
		break;
	case COMPRESS_LZO:
		size = lzo_page(pc, page, out);
		break;
	case COMPRESS_ZSTD:
		size = zstd_page(pc, page, out);
		break;
	default:
		return 0;
	}
	/* No gain, no compression: the reader takes size == page as raw. */
	return size < pc->page_size ? size : 0;
}

int page_decompressor_init(struct page_decompressor *pd, struct log_ctx *log,
			   size_t page_size)
{
	memset(pd, 0, sizeof(*pd));
	pd->log = log;
	pd->page_size = page_size;
	if (lzo_init() != LZO_E_OK) {
		return log_fail(pd->log, PMD_EUNSUPPORTED, "cannot initialise the lzo library");
	}
	pd->zstd_dctx = ZSTD_createDCtx();
	if (!pd->zstd_dctx) {
		return log_fail(pd->log, PMD_ENOMEM, "out of memory for the zstd decompressor");
	}
	return 0;
}

void page_decompressor_free(struct page_decompressor *pd)
{
	ZSTD_freeDCtx(pd->zstd_dctx);
	pd->zstd_dctx = NULL;
}

static int zlib_expand(struct page_decompressor *pd, const void *data, size_t len,
		       void *page, const char **why)
{
	uLongf out = pd->page_size;

	if (uncompress(page, &out, data, len) != Z_OK || out != pd->page_size) {
		*why = "corrupt zlib data";
		return -1;
	}
	return 0;
}

static int lzo_expand(struct page_decompressor *pd, const void *data, size_t len,
		      void *page, const char **why)
{
	lzo_uint out = pd->page_size;

	if (lzo1x_decompress_safe(data, len, page, &out, NULL) != LZO_E_OK ||
	    out != pd->page_size) {
		*why = "corrupt lzo data";
		return -1;
	}
	return 0;
}

static int zstd_expand(struct page_decompressor *pd, const void *data, size_t len,
		       void *page, const char **why)
{
	size_t out = ZSTD_decompressDCtx(pd->zstd_dctx, page, pd->page_size, data, len);

	if (ZSTD_isError(out) || out != pd->page_size) {
		*why = "corrupt zstd data";
		return -1;
	}
	return 0;
}

int page_decompress(struct page_decompressor *pd, unsigned int dh_flag,
		    const void *data, size_t len, void *page, const char **why)
{
	switch (dh_flag) {
	case DUMP_DH_COMPRESSED_ZLIB:
		return zlib_expand(pd, data, len, page, why);
	case DUMP_DH_COMPRESSED_LZO:
		return lzo_expand(pd, data, len, page, why);
	case DUMP_DH_COMPRESSED_ZSTD:
		return zstd_expand(pd, data, len, page, why);
	case DUMP_DH_COMPRESSED_SNAPPY:
		*why = "snappy-compressed, which this build cannot read";
		return -1;
	}
	*why = "unknown compression flags";
	return -1;
}
