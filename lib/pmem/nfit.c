// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Persistent memory from the dumped machine's ACPI NFIT (ACPI 6.x, 5.2.5
 * RSDP, 5.2.7/5.2.8 RSDT/XSDT, 5.2.25 NFIT).
 *
 * Everything is read from the dump and may be damaged: every length is
 * checked against a cap before it is used, and every loop advances by at
 * least a few bytes of a table that is at most SDT_MAX_LEN long.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pmem/nfit.h"
#include "kernel/physmem.h"
#include "util/log.h"
#include "util/unaligned.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)

#define EBDA_SEG_PTR 0x40e		/* BIOS data area: the EBDA's segment */
#define EBDA_SEARCH 1024
#define EBDA_MIN 0x400			/* past the BIOS data area... */
#define EBDA_MAX 0xa0000		/* ...and below the video memory */
#define BIOS_START 0xe0000
#define BIOS_END 0x100000

#define RSDP_SIG "RSD PTR "
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_MAX_LEN 256		/* v2 is 36 bytes; room for a few more */

#define SDT_HDR_LEN 36
#define SDT_MAX_LEN (1u << 20)		/* far above any real root table or NFIT */
#define ROOT_MAX_ENTRIES 256		/* real machines list a few dozen tables */

#define NFIT_HDR_LEN 40			/* the header and 4 reserved bytes */
#define NFIT_TYPE_SPA 0
#define SPA_MIN_LEN 56			/* ACPI 6.3 added an 8-byte cookie: 64 */
#define SPA_GUID_OFF 16
#define SPA_BASE_OFF 32
#define SPA_LENGTH_OFF 40

/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB, as it is laid out in the table. */
static const uint8_t pm_guid[16] = {
	0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
	0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,
};

static uint16_t load_u16(const uint8_t *p, unsigned int off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Kept if the reader recorded nothing more precise. */
static int read_failed(const struct physmem *pm, uint64_t pfn)
{
	return log_fail(pm->log, PMD_EIO, "cannot read the page at %#" PRIx64
			" for the ACPI tables", pfn << PAGE_SHIFT);
}

/*
 * Copy [@pa, @pa + @len) from the dump: 1 when a page of it is not held,
 * 0 when copied, -PMD_EIO. Whole pages are read, so bytes a segment does
 * not cover read as zero rather than failing the read.
 */
static int read_held(const struct physmem *pm, uint64_t pa, void *buf, size_t len)
{
	uint8_t page[PAGE_SIZE];
	uint8_t *out = buf;

	if (len && pa > UINT64_MAX - (len - 1))
		return 1;
	while (len) {
		uint64_t pfn = pa >> PAGE_SHIFT, off = pa & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off < len ? (size_t)(PAGE_SIZE - off) : len;

		if (!physmem_present(pm, pfn))
			return 1;
		if (physmem_read_page(pm, pfn, page) < 0)
			return read_failed(pm, pfn);
		memcpy(out, page + off, chunk);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

struct rsdp {
	uint8_t revision;
	uint64_t rsdt;
	uint64_t xsdt;		/* 0: none */
};

/* 1 with @r filled for a valid RSDP at @pa, 0 for none, -PMD_E*. */
static int rsdp_at(const struct physmem *pm, uint64_t pa, struct rsdp *r)
{
	uint8_t b[RSDP_MAX_LEN];
	uint32_t len;
	int rc;

	rc = read_held(pm, pa, b, RSDP_V1_LEN);
	if (rc)
		return rc < 0 ? rc : 0;
	if (memcmp(b, RSDP_SIG, 8))
		return 0;
	if (sum8(b, RSDP_V1_LEN)) {
		log_debug(pm->log, "nfit: RSDP at %#" PRIx64 ": bad checksum, skipped\n", pa);
		return 0;
	}
	r->revision = b[15];
	r->rsdt = load_u32(b, 16);
	r->xsdt = 0;
	if (r->revision < 2)
		return 1;
	rc = read_held(pm, pa, b, RSDP_V2_LEN);
	if (rc)
		return rc < 0 ? rc : 0;
	len = load_u32(b, 20);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN) {
		log_debug(pm->log, "nfit: RSDP at %#" PRIx64 ": length %" PRIu32 ", skipped\n",
			  pa, len);
		return 0;
	}
	rc = read_held(pm, pa, b, len);
	if (rc)
		return rc < 0 ? rc : 0;
	if (sum8(b, len)) {
		log_debug(pm->log, "nfit: RSDP at %#" PRIx64 ": bad extended checksum, skipped\n",
			  pa);
		return 0;
	}
	r->xsdt = load_u64(b, 24);
	return 1;
}

/* The first valid RSDP on a 16-byte boundary of [@start, @end): 1, 0, -PMD_E*. */
static int rsdp_search(const struct physmem *pm, uint64_t start, uint64_t end,
		       struct rsdp *r)
{
	uint8_t page[PAGE_SIZE];

	for (uint64_t pfn = start >> PAGE_SHIFT; pfn << PAGE_SHIFT < end; pfn++) {
		uint64_t base = pfn << PAGE_SHIFT, pa;
		uint64_t lo = start > base ? start : base;
		uint64_t hi = end < base + PAGE_SIZE ? end : base + PAGE_SIZE;

		if (!physmem_present(pm, pfn))
			continue;
		if (physmem_read_page(pm, pfn, page) < 0)
			return read_failed(pm, pfn);
		/* 16-aligned: the 8-byte signature never crosses the page. */
		for (pa = (lo + 15) & ~15ULL; pa < hi; pa += 16) {
			int rc;

			if (memcmp(page + (pa - base), RSDP_SIG, 8))
				continue;
			rc = rsdp_at(pm, pa, r);
			if (rc) {
				if (rc > 0)
					log_debug(pm->log, "nfit: RSDP at %#" PRIx64 ", revision %u, "
						  "RSDT %#" PRIx64 ", XSDT %#" PRIx64 "\n", pa,
						  r->revision, r->rsdt, r->xsdt);
				return rc;
			}
		}
	}
	return 0;
}

static int rsdp_find(const struct physmem *pm, struct rsdp *r)
{
	uint8_t seg[2];
	uint64_t ebda;
	int rc;

	rc = read_held(pm, EBDA_SEG_PTR, seg, sizeof(seg));
	if (rc < 0)
		return rc;
	if (!rc) {
		ebda = (uint64_t)load_u16(seg, 0) << 4;
		if (ebda >= EBDA_MIN && ebda < EBDA_MAX) {
			rc = rsdp_search(pm, ebda, ebda + EBDA_SEARCH, r);
			if (rc)
				return rc;
		}
	}
	return rsdp_search(pm, BIOS_START, BIOS_END, r);
}

enum sdt_status {
	SDT_OK,
	SDT_ABSENT,	/* a page of it is not in the dump */
	SDT_BAD,	/* *why says how */
};

/*
 * The whole table at @pa, checked (length, checksum) into *@tbl, to be
 * freed; its header was read into @hdr. SDT_*, or -PMD_E*.
 */
static int sdt_load(const struct physmem *pm, uint64_t pa, const uint8_t *hdr,
		    uint8_t **tbl, uint32_t *len, const char **why)
{
	uint32_t n = load_u32(hdr, 4);
	uint8_t *b;
	int rc;

	if (n < SDT_HDR_LEN || n > SDT_MAX_LEN) {
		*why = n < SDT_HDR_LEN ? "length shorter than its header" : "length over 1 MiB";
		*len = n;
		return SDT_BAD;
	}
	b = malloc(n);
	if (!b)
		return log_fail(pm->log, PMD_ENOMEM, "out of memory for an ACPI table (%" PRIu32
				" bytes)", n);
	rc = read_held(pm, pa, b, n);
	if (rc) {
		free(b);
		return rc < 0 ? rc : SDT_ABSENT;
	}
	if (sum8(b, n)) {
		free(b);
		*why = "bad checksum";
		*len = n;
		return SDT_BAD;
	}
	*tbl = b;
	*len = n;
	return SDT_OK;
}

static int nfit_corrupt(const struct physmem *pm, uint64_t pa, const char *why, uint32_t off)
{
	return log_fail(pm->log, PMD_ECORRUPT, "the ACPI NFIT at %#" PRIx64 " is malformed: %s "
			"(offset %" PRIu32 ")", pa, why, off);
}

/* One SPA range structure: a pmem range appended to @v (*@nv of them), or nothing. */
static int nfit_spa(const struct physmem *pm, uint64_t pa, const uint8_t *s, uint32_t off,
		    struct pfn_range *v, unsigned int *nv)
{
	uint64_t base = load_u64(s, SPA_BASE_OFF), size = load_u64(s, SPA_LENGTH_OFF);
	uint64_t start, end;
	bool pmem = !memcmp(s + SPA_GUID_OFF, pm_guid, sizeof(pm_guid));

	log_debug(pm->log, "nfit: SPA range %u: [%#" PRIx64 ", +%#" PRIx64 ")%s\n",
		  load_u16(s, 4), base, size, pmem ? " persistent memory" : "");
	if (!pmem || !size)
		return 0;
	if (size - 1 > UINT64_MAX - base)
		return nfit_corrupt(pm, pa, "SPA range past the end of the address space", off);
	start = base >> PAGE_SHIFT;
	end = ((base + (size - 1)) >> PAGE_SHIFT) + 1;	/* rounds up without overflow */
	if ((base | size) & (PAGE_SIZE - 1))
		log_debug(pm->log, "nfit: SPA range not page aligned, taken as pfns [%#" PRIx64
			  ", %#" PRIx64 ")\n", start, end);
	v[*nv].start = start;
	v[(*nv)++].end = end;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct pfn_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The structures after the NFIT's header; @t is checksummed, @len bounded. */
static int nfit_parse(const struct physmem *pm, uint64_t pa, const uint8_t *t, uint32_t len,
		      struct pfn_ranges *out)
{
	uint32_t off = NFIT_HDR_LEN;
	struct pfn_range *v;
	unsigned int nv = 0;
	int rc = 0;

	if (len < NFIT_HDR_LEN)
		return nfit_corrupt(pm, pa, "shorter than its header", len);
	/*
	 * The ranges are gathered, sorted, then added in order: added one by
	 * one in the table's order, a long NFIT listing them downwards costs
	 * pfn_ranges_add() a sort each (seconds for the 18,000 ranges 1 MiB
	 * holds).
	 */
	v = malloc(((len - NFIT_HDR_LEN) / SPA_MIN_LEN + 1) * sizeof(*v));
	if (!v)
		return log_fail(pm->log, PMD_ENOMEM, "out of memory for pmem ranges");
	while (off < len && !rc) {
		uint16_t type, slen;

		if (len - off < 4) {
			rc = nfit_corrupt(pm, pa, "a structure header runs past the end", off);
			break;
		}
		type = load_u16(t, off);
		slen = load_u16(t, off + 2);
		/* Each step is at least 4 bytes: the walk ends. */
		if (slen < 4)
			rc = nfit_corrupt(pm, pa, "structure length below 4", off);
		else if (slen > len - off)
			rc = nfit_corrupt(pm, pa, "a structure runs past the end", off);
		else if (type == NFIT_TYPE_SPA && slen < SPA_MIN_LEN)
			rc = nfit_corrupt(pm, pa, "SPA range structure too short", off);
		else if (type == NFIT_TYPE_SPA)
			rc = nfit_spa(pm, pa, t + off, off, v, &nv);
		off += slen;
	}
	if (!rc) {
		qsort(v, nv, sizeof(*v), cmp_range);
		for (unsigned int i = 0; i < nv && !rc; i++)
			if (pfn_ranges_add(out, v[i].start, v[i].end) < 0)
				rc = log_fail(pm->log, PMD_ENOMEM, "out of memory for pmem ranges");
	}
	free(v);
	return rc;
}

/* The NFIT at @pa, whose header @hdr is held: 0 or -PMD_E*. */
static int nfit_read(const struct physmem *pm, uint64_t pa, const uint8_t *hdr,
		     struct pfn_ranges *out)
{
	const char *why = NULL;
	uint8_t *t = NULL;
	uint32_t len = 0;
	int rc;

	rc = sdt_load(pm, pa, hdr, &t, &len, &why);
	if (rc < 0)
		return rc;
	if (rc == SDT_ABSENT) {
		log_debug(pm->log, "nfit: NFIT at %#" PRIx64 " not wholly in the dump\n", pa);
		return 0;
	}
	if (rc == SDT_BAD)
		return log_fail(pm->log, PMD_ECORRUPT, "the ACPI NFIT at %#" PRIx64 " is malformed: "
				"%s (length %" PRIu32 ")", pa, why, len);
	log_debug(pm->log, "nfit: NFIT at %#" PRIx64 ", %" PRIu32 " bytes\n", pa, len);
	rc = nfit_parse(pm, pa, t, len, out);
	free(t);
	return rc;
}

/*
 * Look for the NFIT among the entries (@esize bytes each) of the root
 * table at @pa named @sig. 0 (done: the NFIT read, or none listed), 1 when
 * the root table is not usable, -PMD_E*.
 */
static int root_walk(const struct physmem *pm, uint64_t pa, const char *sig,
		     unsigned int esize, struct pfn_ranges *out)
{
	uint8_t hdr[SDT_HDR_LEN];
	const char *why = NULL;
	uint8_t *t = NULL;
	uint32_t len = 0, n;
	int rc;

	rc = read_held(pm, pa, hdr, sizeof(hdr));
	if (rc < 0)
		return rc;
	if (rc) {
		log_debug(pm->log, "nfit: %s at %#" PRIx64 " not in the dump\n", sig, pa);
		return 1;
	}
	if (memcmp(hdr, sig, 4)) {
		log_debug(pm->log, "nfit: no %s signature at %#" PRIx64 "\n", sig, pa);
		return 1;
	}
	rc = sdt_load(pm, pa, hdr, &t, &len, &why);
	if (rc < 0)
		return rc;
	if (rc != SDT_OK) {
		log_debug(pm->log, "nfit: %s at %#" PRIx64 ": %s\n", sig, pa,
			  rc == SDT_ABSENT ? "not wholly in the dump" : why);
		return 1;
	}
	n = (len - SDT_HDR_LEN) / esize;
	if (n > ROOT_MAX_ENTRIES) {
		log_debug(pm->log, "nfit: %s lists %" PRIu32 " tables, only the first %u read\n",
			  sig, n, ROOT_MAX_ENTRIES);
		n = ROOT_MAX_ENTRIES;
	}
	rc = 0;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t + SDT_HDR_LEN + i * esize;
		uint64_t tpa = esize == 8 ? load_u64(e, 0) : load_u32(e, 0);
		uint8_t th[SDT_HDR_LEN];
		int held;

		if (!tpa)
			continue;
		held = read_held(pm, tpa, th, sizeof(th));
		if (held < 0) {
			rc = held;
			break;
		}
		if (held) {
			log_debug(pm->log, "nfit: table at %#" PRIx64 " not in the dump\n", tpa);
			continue;
		}
		/* There is one NFIT (ACPI 5.2.25): the first one is it. */
		if (!memcmp(th, "NFIT", 4)) {
			rc = nfit_read(pm, tpa, th, out);
			free(t);
			return rc;
		}
	}
	if (!rc)
		log_debug(pm->log, "nfit: the %s lists no NFIT the dump holds\n", sig);
	free(t);
	return rc;
}

int pmem_nfit_ranges(const struct physmem *pm, struct pfn_ranges *out)
{
	struct rsdp r;
	int rc;

	rc = rsdp_find(pm, &r);
	if (rc <= 0) {
		if (!rc)
			log_debug(pm->log, "nfit: no RSDP in the dump\n");
		return rc;
	}
	rc = 1;
	if (r.revision >= 2 && r.xsdt)
		rc = root_walk(pm, r.xsdt, "XSDT", 8, out);
	if (rc > 0 && r.rsdt)
		rc = root_walk(pm, r.rsdt, "RSDT", 4, out);
	if (rc < 0)
		pfn_ranges_free(out);
	return rc < 0 ? rc : 0;
}
