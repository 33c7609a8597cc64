// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/pmem/nfit.c: pmem_nfit_ranges(), the RSDP search, the RSDT/XSDT
 * walk and the NFIT's structures, over a fake physical memory made of the
 * input repeated: the byte at physical address p, for 0xE0000 <= p <
 * 1 TiB, is data[(p - 0xE0000) % size]. The RSDP may then lie at the
 * input's offset 0 (the start of the BIOS area searched) and any table
 * address, 32-bit or 64-bit, lands back in the input's own bytes. Each
 * input is run twice:
 *
 *   - without low memory: no page below 0xE0000 is held (as in a kdump
 *     /proc/vmcore that lacks the BIOS data area);
 *   - with it: the pages below 0xA0000 hold the input repeated from 0
 *     (byte p is data[p % size]), so the EBDA pointer at 0x40E and the
 *     EBDA search are reached, but for a hole at 0x90000-0x97FFF (not
 *     held), and the pages 0xA0000-0xDFFFF are held but fail to read (the
 *     -PMD_EIO paths).
 *
 * Every table is checksummed, so a mutated table is almost always only a
 * bad checksum. The input is run twice more with the checksums made
 * right, when that changes it: the RSDP's (the first "RSD PTR " of
 * 0xE0000-0xFFFFF), those of the root tables it points at and of the
 * first NFIT each lists, where these lie in the repeated input and no
 * longer than it (each byte then appears once in the sum).
 *
 * pmem_nfit_ranges()'s contract is checked: 0 or a negative error, @out
 * empty on an error, and on success sorted, disjoint, non-empty pfn ranges
 * within the 64-bit address space; a violation aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "kernel/physmem.h"
#include "pmem/nfit.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

#define PAGE 4096ULL
#define TILE_START 0xe0000ULL		/* the input's offset 0 */
#define TILE_END (1ULL << 40)		/* 1 TiB: nothing held above */
#define LOW_FAIL 0xa0000ULL		/* [LOW_FAIL, TILE_START): unreadable */
#define LOW_HOLE 0x90000ULL		/* [LOW_HOLE, LOW_HOLE_END): not held */
#define LOW_HOLE_END 0x98000ULL
#define BIOS_START 0xe0000ULL		/* where the RSDP is searched */
#define BIOS_END 0x100000ULL
/* A root table or an NFIT is at most 1 MiB: a longer input adds nothing. */
#define MAX_INPUT ((1u << 20) + (64u << 10))

struct fake_mem {
	const uint8_t *data;
	size_t size;
	bool low;		/* the pages below TILE_START are held */
};

static bool fm_present(void *priv, uint64_t pfn)
{
	struct fake_mem *m = priv;

	if (pfn >= TILE_END / PAGE)
		return false;
	if (pfn >= LOW_HOLE / PAGE && pfn < LOW_HOLE_END / PAGE)
		return false;
	return m->low || pfn >= TILE_START / PAGE;
}

/*
 * The byte at @pa (held, readable) is data[(pa - base) % size]: one period
 * from the input, then the bytes written so far doubled, so that a short
 * input costs a few copies a page and not one a period.
 */
static void fm_copy(const struct fake_mem *m, uint64_t pa, uint8_t *out, size_t len)
{
	uint64_t base = pa >= TILE_START ? TILE_START : 0;
	size_t off = (size_t)((pa - base) % m->size), done, n;

	done = m->size - off < len ? m->size - off : len;
	memcpy(out, m->data + off, done);
	n = off < len - done ? off : len - done;
	memcpy(out + done, m->data, n);
	done += n;
	while (done < len) {
		size_t span = done - done % m->size;	/* whole periods, at least one */

		n = span < len - done ? span : len - done;
		memcpy(out + done, out + done - span, n);
		done += n;
	}
}

static int fm_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct fake_mem *m = priv;
	uint64_t pa = pfn * PAGE;

	if (!fm_present(m, pfn) || (pa >= LOW_FAIL && pa < TILE_START))
		return -1;
	fm_copy(m, pa, buf, PAGE);
	return 0;
}

static int fm_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	return physmem_read_by_page(fm_read_page, priv, paddr, buf, len);
}

static const struct physmem_ops fake_ops = {
	.read = fm_read,
	.present = fm_present,
	.read_page = fm_read_page,
};

static void check(int rc, const struct pfn_ranges *out)
{
	if (rc > 0)
		abort();
	if (rc < 0) {
		if (out->nr)
			abort();	/* an error leaves @out empty */
		return;
	}
	for (unsigned int i = 0; i < out->nr; i++) {
		const struct pfn_range *r = &out->r[i];

		if (r->start >= r->end || r->end > (1ULL << 52))
			abort();
		if (i && r->start < out->r[i - 1].end)
			abort();	/* unsorted or overlapping */
	}
}

static void run(const uint8_t *data, size_t size, bool low)
{
	struct fake_mem mem = { .data = data, .size = size, .low = low };
	struct physmem pm = { .ops = &fake_ops, .priv = &mem };
	struct pfn_ranges out = { 0 };
	struct log_ctx log;
	int rc;

	fuzz_log_init(&log);
	pm.log = &log;
	rc = pmem_nfit_ranges(&pm, &out);
	check(rc, &out);
	pfn_ranges_free(&out);
	fuzz_log_destroy(&log);
}

/* ---- checksums made right, in the input as it repeats from 0xE0000 ---- */

struct tiles {
	uint8_t *d;
	size_t size;
};

static bool in_tiles(uint64_t pa, uint64_t len)
{
	return pa >= TILE_START && pa < TILE_END && len <= TILE_END - pa;
}

static uint8_t *byte_at(const struct tiles *t, uint64_t pa)
{
	return t->d + (size_t)((pa - TILE_START) % t->size);
}

/* The little-endian value of @n bytes at @pa (in_tiles(pa, n)). */
static uint64_t le_at(const struct tiles *t, uint64_t pa, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)*byte_at(t, pa + i) << (8 * i);
	return v;
}

static bool sig_at(const struct tiles *t, uint64_t pa, const char *sig, unsigned int n)
{
	if (!in_tiles(pa, n))
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (*byte_at(t, pa + i) != (uint8_t)sig[i])
			return false;
	return true;
}

/* Make the @len bytes at @pa sum to zero by changing the one at @pa + @at. */
static void fix_sum(struct tiles *t, uint64_t pa, uint64_t len, uint64_t at)
{
	uint8_t s = 0;

	if (!in_tiles(pa, len) || len > t->size || at >= len)
		return;
	for (uint64_t i = 0; i < len; i++)
		s += *byte_at(t, pa + i);
	*byte_at(t, pa + at) -= s;
}

/* A root table at @pa: the first NFIT it lists, then itself. */
static void fix_root(struct tiles *t, uint64_t pa, const char *sig, unsigned int esize)
{
	uint64_t len, n;

	if (!sig_at(t, pa, sig, 4) || !in_tiles(pa, 36))
		return;
	len = le_at(t, pa + 4, 4);
	if (len < 36 || len > t->size || !in_tiles(pa, len))
		return;
	n = (len - 36) / esize;
	for (uint64_t i = 0; i < n && i < 256; i++) {
		uint64_t e = le_at(t, pa + 36 + i * esize, esize);

		if (sig_at(t, e, "NFIT", 4) && in_tiles(e, 36)) {
			fix_sum(t, e, le_at(t, e + 4, 4), 9);
			break;
		}
	}
	fix_sum(t, pa, len, 9);
}

static void fix_checksums(struct tiles *t)
{
	uint64_t pa, len;
	uint8_t rev;

	for (pa = BIOS_START; pa < BIOS_END; pa += 16)
		if (sig_at(t, pa, "RSD PTR ", 8))
			break;
	if (pa >= BIOS_END)
		return;
	rev = *byte_at(t, pa + 15);
	if (rev >= 2)
		fix_root(t, le_at(t, pa + 24, 8), "XSDT", 8);
	fix_root(t, le_at(t, pa + 16, 4), "RSDT", 4);
	fix_sum(t, pa, 20, 8);
	len = le_at(t, pa + 20, 4);
	if (rev >= 2 && len >= 36 && len <= 256)
		fix_sum(t, pa, len, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tiles t;

	if (!size || size > MAX_INPUT)
		return 0;
	run(data, size, false);
	run(data, size, true);

	t.d = malloc(size);
	if (!t.d)
		return 0;
	memcpy(t.d, data, size);
	t.size = size;
	fix_checksums(&t);
	if (memcmp(t.d, data, size)) {
		run(t.d, size, false);
		run(t.d, size, true);
	}
	free(t.d);
	return 0;
}
