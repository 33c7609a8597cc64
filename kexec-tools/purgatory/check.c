// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segment digests, checked before the capture kernel runs: a segment
 * overwritten after the load (a stray DMA, a bug of the first kernel)
 * would otherwise boot into undefined behaviour or a corrupt dump. One
 * digest per region, so the message names the damaged one.
 */
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "util/sha256.h"

/* entry.S reads these two fields by offset. */
_Static_assert(offsetof(struct purgatory_params, kernel_entry) == PURGATORY_PARAMS_KERNEL_ENTRY,
	       "entry.S: kernel_entry offset");
_Static_assert(offsetof(struct purgatory_params, boot_params) == PURGATORY_PARAMS_BOOT_PARAMS,
	       "entry.S: boot_params offset");

#define MSG_PREFIX "pmemdump purgatory: "

static void put_str(purgatory_putc_fn *putc, void *ctx, const char *s)
{
	while (*s)
		putc(ctx, *s++);
}

static void put_dec(purgatory_putc_fn *putc, void *ctx, uint32_t v)
{
	char buf[10];
	unsigned int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc(ctx, buf[--n]);
}

/* "0x" and the lowercase digits, without leading zeros. */
static void put_hex(purgatory_putc_fn *putc, void *ctx, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	put_str(putc, ctx, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		putc(ctx, digits[(v >> shift) & 0xf]);
}

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case PURGATORY_REGION_KERNEL:
		return "kernel";
	case PURGATORY_REGION_INITRD:
		return "initrd";
	case PURGATORY_REGION_BOOTPARAMS:
		return "bootparams";
	case PURGATORY_REGION_ELFCOREHDR:
		return "elfcorehdr";
	default:
		return "unknown";
	}
}

static int digest_matches(const struct purgatory_region *r)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	unsigned int i, diff = 0;

	sha256((const void *)(uintptr_t)r->start, (size_t)r->len, digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		diff |= digest[i] ^ r->sha256[i];
	return diff == 0;
}

int purgatory_check(const struct purgatory_params *params, purgatory_putc_fn *putc, void *ctx)
{
	uint32_t i;

	/* An unfilled or foreign block would jump to 0: stop here instead. */
	if (params->magic != PURGATORY_MAGIC || params->version != PURGATORY_VERSION ||
	    params->nr_regions > PURGATORY_REGIONS_MAX || !params->kernel_entry ||
	    !params->boot_params) {
		put_str(putc, ctx, MSG_PREFIX "bad parameter block, not booting\r\n");
		return -1;
	}
	if (params->skip_checks) {
		put_str(putc, ctx, MSG_PREFIX "checks skipped\r\n");
		return 0;
	}
	for (i = 0; i < params->nr_regions; i++) {
		const struct purgatory_region *r = &params->regions[i];

		if (digest_matches(r))
			continue;
		put_str(putc, ctx, MSG_PREFIX "segment ");
		put_dec(putc, ctx, i);
		put_str(putc, ctx, " (");
		put_str(putc, ctx, kind_name(r->kind));
		put_str(putc, ctx, ") at ");
		put_hex(putc, ctx, r->start);
		put_str(putc, ctx, ": sha256 mismatch, not booting\r\n");
		return -1;
	}
	put_str(putc, ctx, MSG_PREFIX);
	put_dec(putc, ctx, params->nr_regions);
	put_str(putc, ctx, " segments verified\r\n");
	return 0;
}
