/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_SHA256_H
#define PMD_UTIL_SHA256_H

/*
 * SHA-256 (FIPS 180-4). Only <stddef.h> and <stdint.h>: the kexec
 * purgatory compiles the same file, freestanding, with its own flags.
 */
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t state[8];
	uint64_t bytes;		/* message length so far */
	uint8_t block[64];	/* a partial block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Feed @len zero bytes without a buffer (the zero fill of a segment's memsz). */
void sha256_update_zeros(struct sha256_ctx *ctx, uint64_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
