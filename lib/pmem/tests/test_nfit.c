// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmem ranges from the ACPI NFIT, over a fake physical memory of a few
 * sparse pages holding hand-written tables. The ranges each test expects
 * are written out by hand, not computed from the tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/physmem.h"
#include "pmem/nfit.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

#define PS 4096u
#define MAX_PAGES 96

/* Quiet but for debug lines, which land in the test's log file. */
static struct log_ctx test_log;

struct fake_page {
	uint64_t pfn;
	uint8_t b[PS];
};

/* The dump: only the pages listed are held; @bad_pfn fails to read. */
struct fake_mem {
	struct fake_page p[MAX_PAGES];
	unsigned int nr;
	uint64_t bad_pfn;
	struct physmem pm;
};

static struct fake_page *page_of(struct fake_mem *m, uint64_t pfn)
{
	for (unsigned int i = 0; i < m->nr; i++)
		if (m->p[i].pfn == pfn)
			return &m->p[i];
	return NULL;
}

static bool fake_present(void *priv, uint64_t pfn)
{
	return page_of(priv, pfn) != NULL;
}

static int fake_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct fake_mem *m = priv;
	struct fake_page *p = page_of(m, pfn);

	if (!p || pfn == m->bad_pfn)
		return -1;
	memcpy(buf, p->b, PS);
	return 0;
}

static int fake_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	if (physmem_read_by_page(fake_read_page, priv, paddr, buf, len) < 0)
		return log_fail(&test_log, PMD_ECORRUPT, "fake: %#llx not held",
				(unsigned long long)paddr);
	return 0;
}

static const struct physmem_ops fake_ops = {
	.read = fake_read,
	.present = fake_present,
	.read_page = fake_read_page,
};

static struct fake_page *hold_page(struct fake_mem *m, uint64_t pfn)
{
	struct fake_page *p = page_of(m, pfn);

	if (p)
		return p;
	assert_true(m->nr < MAX_PAGES);
	p = &m->p[m->nr++];
	p->pfn = pfn;
	memset(p->b, 0, PS);
	return p;
}

static void drop_page(struct fake_mem *m, uint64_t pfn)
{
	struct fake_page *p = page_of(m, pfn);

	if (p)
		*p = m->p[--m->nr];
}

/* Write @len bytes at @pa; the pages it touches become held. */
static void put(struct fake_mem *m, uint64_t pa, const void *data, size_t len)
{
	const uint8_t *in = data;

	while (len) {
		size_t off = pa % PS, chunk = PS - off < len ? PS - off : len;

		memcpy(hold_page(m, pa / PS)->b + off, in, chunk);
		in += chunk;
		pa += chunk;
		len -= chunk;
	}
}

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Set the checksum byte at @at so that @len bytes sum to zero. */
static void seal(uint8_t *b, size_t len, size_t at)
{
	uint8_t s = 0;

	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += b[i];
	b[at] = (uint8_t)-s;
}

/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB and 7305944F-FDDA-44E3-B16C-3F22D252E5D0. */
static const uint8_t guid_pm[16] = {
	0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
	0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,
};
static const uint8_t guid_volatile[16] = {
	0x4f, 0x94, 0x05, 0x73, 0xda, 0xfd, 0xe3, 0x44,
	0xb1, 0x6c, 0x3f, 0x22, 0xd2, 0x52, 0xe5, 0xd0,
};

/* A system description table header; the checksum is set by seal_sdt(). */
static void sdt_header(uint8_t *b, const char *sig, uint32_t len)
{
	memset(b, 0, 36);
	memcpy(b, sig, 4);
	put_le(b + 4, len, 4);
	b[8] = 1;
	memcpy(b + 10, "PMDTST", 6);
	memcpy(b + 16, "TESTTABL", 8);
}

static void seal_sdt(uint8_t *b)
{
	uint32_t len = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
		       (uint32_t)b[7] << 24;

	seal(b, len, 9);
}

struct table {
	uint8_t b[2048];
	uint32_t len;
};

static void nfit_begin(struct table *t)
{
	memset(t, 0, sizeof(*t));
	t->len = 40;
}

static uint8_t *nfit_add(struct table *t, uint16_t type, uint16_t len)
{
	uint8_t *s = t->b + t->len;

	assert_true(t->len + len <= sizeof(t->b));
	put_le(s, type, 2);
	put_le(s + 2, len, 2);
	t->len += len;
	return s;
}

static void nfit_spa(struct table *t, uint16_t idx, const uint8_t *guid, uint64_t base,
		     uint64_t len)
{
	uint8_t *s = nfit_add(t, 0, 56);

	put_le(s + 4, idx, 2);
	memcpy(s + 16, guid, 16);
	put_le(s + 32, base, 8);
	put_le(s + 40, len, 8);
	put_le(s + 48, 0x8008, 8);	/* EFI_MEMORY_WB | EFI_MEMORY_NV */
}

/* What QEMU adds per NVDIMM beside the SPA range: region mapping, control region. */
static void nfit_dimm(struct table *t, uint16_t spa_idx, uint16_t dcr_idx)
{
	uint8_t *s = nfit_add(t, 1, 48);

	put_le(s + 4, 0x1000 + dcr_idx, 4);
	put_le(s + 10, spa_idx, 2);
	put_le(s + 12, dcr_idx, 2);
	s = nfit_add(t, 4, 80);
	put_le(s + 4, dcr_idx, 2);
}

static void nfit_end(struct table *t)
{
	sdt_header(t->b, "NFIT", t->len);
	seal_sdt(t->b);
}

/* A root table (esize 4: RSDT, 8: XSDT) listing @n tables. */
static void root_table(struct table *t, unsigned int esize, const uint64_t *addr,
		       unsigned int n)
{
	memset(t, 0, sizeof(*t));
	t->len = 36 + n * esize;
	sdt_header(t->b, esize == 8 ? "XSDT" : "RSDT", t->len);
	for (unsigned int i = 0; i < n; i++)
		put_le(t->b + 36 + i * esize, addr[i], esize);
	seal_sdt(t->b);
}

/* Revision 0 (ACPI 1.0, 20 bytes) when @xsdt is 0, else revision 2. */
static void put_rsdp(struct fake_mem *m, uint64_t pa, uint64_t rsdt, uint64_t xsdt)
{
	uint8_t b[36] = { 0 };

	memcpy(b, "RSD PTR ", 8);
	memcpy(b + 9, "PMDTST", 6);
	put_le(b + 16, rsdt, 4);
	if (xsdt) {
		b[15] = 2;
		put_le(b + 20, 36, 4);
		put_le(b + 24, xsdt, 8);
	}
	seal(b, 20, 8);
	if (xsdt)
		seal(b, 36, 32);
	put(m, pa, b, xsdt ? 36 : 20);
}

static void put_table(struct fake_mem *m, uint64_t pa, const struct table *t)
{
	put(m, pa, t->b, t->len);
}

/* An unrelated table a root lists before the NFIT. */
static void put_apic(struct fake_mem *m, uint64_t pa)
{
	struct table t = { .len = 44 };

	sdt_header(t.b, "APIC", t.len);
	seal_sdt(t.b);
	put_table(m, pa, &t);
}

/* Where a SeaBIOS guest keeps things. */
#define EBDA 0x9fc00ULL
#define RSDP_F 0xf5a10ULL
#define RSDT_PA 0x7ffde000ULL
#define XSDT_PA 0x7ffdf000ULL
#define APIC_PA 0x7ffe0200ULL
#define NFIT_PA 0x7ffe0f80ULL		/* crosses into the next page */

/*
 * The machine: page 0 (EBDA segment), the EBDA, the whole BIOS area, and
 * the root tables and APIC table; no RSDP nor NFIT yet.
 */
static struct fake_mem *machine(void)
{
	struct fake_mem *m = calloc(1, sizeof(*m));
	uint8_t seg[2];

	assert_non_null(m);
	m->bad_pfn = UINT64_MAX;
	m->pm.ops = &fake_ops;
	m->pm.priv = m;
	m->pm.log = &test_log;
	log_clear_error(&test_log);
	put_le(seg, EBDA >> 4, 2);
	put(m, 0x40e, seg, 2);
	hold_page(m, EBDA / PS);
	for (uint64_t pfn = 0xe0; pfn < 0x100; pfn++)
		hold_page(m, pfn);
	put_apic(m, APIC_PA);
	return m;
}

static void drop_bios_area(struct fake_mem *m)
{
	for (uint64_t pfn = 0xe0; pfn < 0x100; pfn++)
		drop_page(m, pfn);
}

/* One NVDIMM of 1 GiB at 5 GiB, beside 1 GiB of volatile SPA range at 4 GiB. */
static void one_nvdimm(struct table *t)
{
	nfit_begin(t);
	nfit_spa(t, 1, guid_volatile, 0x100000000ULL, 0x40000000ULL);
	nfit_spa(t, 2, guid_pm, 0x140000000ULL, 0x40000000ULL);
	nfit_dimm(t, 2, 3);
	nfit_end(t);
}

/* RSDP v2 in the F segment, XSDT and RSDT both listing APIC and NFIT. */
static void acpi_v2(struct fake_mem *m, const struct table *nfit)
{
	const uint64_t list[2] = { APIC_PA, NFIT_PA };
	struct table t;

	put_rsdp(m, RSDP_F, RSDT_PA, XSDT_PA);
	root_table(&t, 8, list, 2);
	put_table(m, XSDT_PA, &t);
	root_table(&t, 4, list, 2);
	put_table(m, RSDT_PA, &t);
	put_table(m, NFIT_PA, nfit);
}

static void assert_ranges(const struct pfn_ranges *s, const uint64_t *want, unsigned int n)
{
	assert_int_equal(s->nr, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(s->r[i].start, want[2 * i]);
		assert_int_equal(s->r[i].end, want[2 * i + 1]);
	}
}

/* Run and expect success with @n ranges and no error recorded. */
static void expect_ranges(struct fake_mem *m, const uint64_t *want, unsigned int n)
{
	struct pfn_ranges out = { 0 };

	assert_int_equal(pmem_nfit_ranges(&m->pm, &out), 0);
	assert_int_equal(log_error_status(&test_log), 0);
	assert_ranges(&out, want, n);
	pfn_ranges_free(&out);
}

static void expect_error(struct fake_mem *m, int status)
{
	struct pfn_ranges out = { 0 };

	assert_int_equal(pmem_nfit_ranges(&m->pm, &out), -status);
	assert_int_equal(log_error_status(&test_log), status);
	assert_int_equal(out.nr, 0);
	assert_non_null(strstr(log_error_text(&test_log), "ACPI"));
	pfn_ranges_free(&out);
	log_clear_error(&test_log);
}

static const uint64_t want_one[] = { 0x140000, 0x180000 };

static void xsdt_pm_range_only(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	expect_ranges(m, want_one, 1);
	free(m);
}

/* The XSDT wins: an RSDT listing another NFIT is not read. */
static void xsdt_preferred(void **state)
{
	struct fake_mem *m = machine();
	const uint64_t other = 0x7ffd0000ULL, list[1] = { other };
	struct table nfit, t;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	nfit_begin(&t);
	nfit_spa(&t, 1, guid_pm, 0x300000000ULL, 0x1000000ULL);
	nfit_end(&t);
	put_table(m, other, &t);
	root_table(&t, 4, list, 1);
	put_table(m, RSDT_PA, &t);
	expect_ranges(m, want_one, 1);
	free(m);
}

static void rsdp_v1_rsdt(void **state)
{
	struct fake_mem *m = machine();
	const uint64_t list[2] = { APIC_PA, NFIT_PA };
	struct table nfit, t;

	(void)state;
	one_nvdimm(&nfit);
	put_table(m, NFIT_PA, &nfit);
	root_table(&t, 4, list, 2);
	put_table(m, RSDT_PA, &t);
	put_rsdp(m, 0xe0ff0, RSDT_PA, 0);	/* crosses a page boundary */
	expect_ranges(m, want_one, 1);
	free(m);
}

static void rsdp_in_ebda(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	drop_bios_area(m);	/* only the EBDA's copy is left */
	put_rsdp(m, EBDA + 0x3d0, RSDT_PA, XSDT_PA);
	expect_ranges(m, want_one, 1);

	/* Past the first KiB of the EBDA: not searched. */
	memset(hold_page(m, EBDA / PS)->b, 0, PS);
	put_rsdp(m, EBDA + 0x400, RSDT_PA, XSDT_PA);
	expect_ranges(m, NULL, 0);
	free(m);
}

/* A kdump vmcore: RAM only, no BIOS area, no page 0. */
static void no_rsdp(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	put_table(m, NFIT_PA, &nfit);
	drop_bios_area(m);
	drop_page(m, 0);
	expect_ranges(m, NULL, 0);

	/* Everything held, but no signature anywhere. */
	free(m);
	m = machine();
	expect_ranges(m, NULL, 0);
	free(m);
}

static void bad_rsdp_checksum(void **state)
{
	struct fake_mem *m = machine();
	const uint64_t other = 0x7ffd0000ULL, list[1] = { other };
	struct table nfit, t;

	(void)state;
	/* A damaged RSDP first, whose tables would give another range. */
	nfit_begin(&t);
	nfit_spa(&t, 1, guid_pm, 0x300000000ULL, 0x1000000ULL);
	nfit_end(&t);
	put_table(m, other, &t);
	root_table(&t, 4, list, 1);
	put_table(m, 0x7ffd1000ULL, &t);
	put_rsdp(m, 0xe0000, 0x7ffd1000ULL, 0);
	hold_page(m, 0xe0)->b[19] ^= 0x40;
	/* Revision 2, the first 20 bytes right, the extended checksum wrong. */
	put_rsdp(m, 0xe0020, 0x7ffd1000ULL, 0x7ffd1000ULL);
	hold_page(m, 0xe0)->b[0x20 + 33] ^= 1;
	expect_ranges(m, NULL, 0);

	/* A good one further on is found. */
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	expect_ranges(m, want_one, 1);
	free(m);
}

static void nfit_bad_checksum(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	nfit.b[9] ^= 0x10;
	acpi_v2(m, &nfit);
	expect_error(m, PMD_ECORRUPT);
	free(m);
}

static void nfit_malformed(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;
	uint8_t *s;

	(void)state;
	/* A structure of length 0 after a good SPA range: no hang, no range. */
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_pm, 0x140000000ULL, 0x40000000ULL);
	nfit_add(&nfit, 4, 80);
	put_le(nfit.b + nfit.len - 80 + 2, 0, 2);
	nfit_end(&nfit);
	acpi_v2(m, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* Length 2: shorter than a structure header. */
	put_le(nfit.b + 40 + 56 + 2, 2, 2);
	seal_sdt(nfit.b);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* The last structure runs past the table's end. */
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_pm, 0x140000000ULL, 0x40000000ULL);
	s = nfit_add(&nfit, 1, 48);
	put_le(s + 2, 52, 2);
	nfit_end(&nfit);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* Three bytes left over: not even a structure header. */
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_pm, 0x140000000ULL, 0x40000000ULL);
	nfit.len += 3;
	nfit_end(&nfit);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* An SPA range structure of 48 bytes. */
	nfit_begin(&nfit);
	s = nfit_add(&nfit, 0, 48);
	memcpy(s + 16, guid_pm, 16);
	nfit_end(&nfit);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* A table length shorter than the NFIT's header, or over 1 MiB. */
	nfit_begin(&nfit);
	nfit.len = 36;
	nfit_end(&nfit);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);
	put_le(nfit.b + 4, 20, 4);
	seal(nfit.b, 36, 9);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);
	put_le(nfit.b + 4, (1u << 20) + 1, 4);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);

	/* A range that wraps past the top of the address space. */
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_pm, 0xfffffffffffff000ULL, 0x2000);
	nfit_end(&nfit);
	put_table(m, NFIT_PA, &nfit);
	expect_error(m, PMD_ECORRUPT);
	free(m);
}

static void xsdt_absent(void **state)
{
	const uint64_t list[2] = { APIC_PA, NFIT_PA };
	struct fake_mem *m = machine();
	struct table nfit, t;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	/* The XSDT's page is not in the dump: the RSDT is used. */
	drop_page(m, XSDT_PA / PS);
	expect_ranges(m, want_one, 1);

	/* A damaged XSDT: the RSDT too. */
	root_table(&t, 8, list, 2);
	t.b[40] ^= 1;
	put_table(m, XSDT_PA, &t);
	expect_ranges(m, want_one, 1);

	/* No RSDT to fall back on: nothing, and no error. */
	drop_page(m, XSDT_PA / PS);
	put_rsdp(m, RSDP_F, 0, XSDT_PA);
	expect_ranges(m, NULL, 0);
	free(m);
}

/* The root lists an NFIT the dump lacks, wholly or in part. */
static void nfit_absent(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	drop_page(m, NFIT_PA / PS + 1);
	expect_ranges(m, NULL, 0);
	drop_page(m, NFIT_PA / PS);
	expect_ranges(m, NULL, 0);
	free(m);
}

static void two_nvdimms(void **state)
{
	static const uint64_t want[] = { 0x140000, 0x180000, 0x240000, 0x260000 };
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_volatile, 0x100000000ULL, 0x40000000ULL);
	nfit_spa(&nfit, 2, guid_pm, 0x240000000ULL, 0x20000000ULL);
	nfit_dimm(&nfit, 2, 3);
	nfit_spa(&nfit, 4, guid_pm, 0x140000000ULL, 0x40000000ULL);
	nfit_dimm(&nfit, 4, 5);
	nfit_end(&nfit);
	acpi_v2(m, &nfit);
	expect_ranges(m, want, 2);
	free(m);
}

/* Rounded out to whole pages; an empty range is no range. */
static void unaligned_and_empty(void **state)
{
	static const uint64_t want[] = { 0x140000, 0x140002 };
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	nfit_begin(&nfit);
	nfit_spa(&nfit, 1, guid_pm, 0x140000800ULL, 0x1000);
	nfit_spa(&nfit, 2, guid_pm, 0x200000000ULL, 0);
	nfit_end(&nfit);
	acpi_v2(m, &nfit);
	expect_ranges(m, want, 1);
	free(m);
}

/* A page the dump holds but cannot read. */
static void read_error(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit;

	(void)state;
	one_nvdimm(&nfit);
	acpi_v2(m, &nfit);
	m->bad_pfn = NFIT_PA / PS + 1;
	expect_error(m, PMD_EIO);
	free(m);
}

/*
 * Damaged tables, checksums set right again so the parser meets the
 * damage: every outcome is a range set or -PMD_ECORRUPT, in bounded time.
 */
static void mutations(void **state)
{
	struct fake_mem *m = machine();
	struct table nfit, t;
	uint32_t seed = 12345;
	unsigned int corrupt = 0, found = 0;

	(void)state;
	test_log.level = 0;
	for (unsigned int round = 0; round < 4000; round++) {
		struct pfn_ranges out = { 0 };
		unsigned int flips = 1 + round % 4;
		int rc;

		one_nvdimm(&nfit);
		t = nfit;
		for (unsigned int i = 0; i < flips; i++) {
			seed = seed * 1103515245u + 12345u;
			t.b[(seed >> 8) % t.len] ^= (uint8_t)(1u << ((seed >> 4) % 8));
		}
		if (round % 8)
			seal(t.b, t.len, 9);	/* not by the length field: it may be hit */
		acpi_v2(m, &t);
		rc = pmem_nfit_ranges(&m->pm, &out);
		assert_true(rc == 0 || rc == -PMD_ECORRUPT);
		assert_true(rc == 0 || out.nr == 0);
		corrupt += rc < 0;
		found += out.nr > 0;
		pfn_ranges_free(&out);
		log_clear_error(&test_log);
	}
	/* Both outcomes happened: the damage reached the parser. */
	assert_true(corrupt > 0);
	assert_true(found > 0);
	test_log.level = LOG_DEBUG;
	free(m);
}

static int setup(void **state)
{
	(void)state;
	log_init(&test_log, "test_nfit");
	test_log.level = LOG_DEBUG;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_destroy(&test_log);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xsdt_pm_range_only),
		cmocka_unit_test(xsdt_preferred),
		cmocka_unit_test(rsdp_v1_rsdt),
		cmocka_unit_test(rsdp_in_ebda),
		cmocka_unit_test(no_rsdp),
		cmocka_unit_test(bad_rsdp_checksum),
		cmocka_unit_test(nfit_bad_checksum),
		cmocka_unit_test(nfit_malformed),
		cmocka_unit_test(xsdt_absent),
		cmocka_unit_test(nfit_absent),
		cmocka_unit_test(two_nvdimms),
		cmocka_unit_test(unaligned_and_empty),
		cmocka_unit_test(read_error),
		cmocka_unit_test(mutations),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
