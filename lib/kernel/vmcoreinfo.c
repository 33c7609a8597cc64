// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/vmcoreinfo.h"
#include "util/log.h"

/* Bytes of a VMCOREINFO line or value shown in a message, at most. */
#define SHOWN_BYTES 48

/*
 * @s for an error message: the note is the dumped kernel's memory, maybe
 * garbage, so only printable ASCII is shown as is, anything else as \xNN
 * (a backslash or quote escaped too), and a long text is cut with "...".
 * Returns @buf.
 */
static const char *shown(char (*buf)[SHOWN_BYTES * 4 + 4], const char *s)
{
	char *o = *buf;
	size_t i;

	for (i = 0; s[i] && i < SHOWN_BYTES; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '"')
			o += sprintf(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	strcpy(o, s[i] ? "..." : "");
	return *buf;
}

int vmcoreinfo_parse(struct vmcoreinfo *vi, struct log_ctx *log, const char *data,
		     size_t len)
{
	char show[SHOWN_BYTES * 4 + 4];
	unsigned int cap = 0;
	char *line, *next;

	memset(vi, 0, sizeof(*vi));
	vi->log = log;
	/* The note may be NUL-padded; stop at the first NUL. */
	len = strnlen(data, len);
	vi->text = malloc(len + 1);
	if (!vi->text) {
		return log_fail(vi->log, PMD_ENOMEM, "out of memory parsing VMCOREINFO");
	}
	memcpy(vi->text, data, len);
	vi->text[len] = '\0';

	for (line = vi->text; line && *line; line = next) {
		char *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq || eq == line) {
			log_fail(vi->log, PMD_ECORRUPT, "malformed VMCOREINFO line (no \"key=value\"): \"%s\"",
				 shown(&show, line));
			vmcoreinfo_free(vi);
			return -1;
		}
		*eq = '\0';
		if (vi->nr_entries == cap) {
			struct vmci_entry *grown;

			cap = cap ? cap * 2 : 64;
			grown = realloc(vi->entries, cap * sizeof(*grown));
			if (!grown) {
				log_fail(vi->log, PMD_ENOMEM, "out of memory parsing VMCOREINFO");
				vmcoreinfo_free(vi);
				return -1;
			}
			vi->entries = grown;
		}
		vi->entries[vi->nr_entries].key = line;
		vi->entries[vi->nr_entries].value = eq + 1;
		vi->nr_entries++;
	}
	if (!vi->nr_entries) {
		log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO note is empty");
		vmcoreinfo_free(vi);
		return -1;
	}
	return 0;
}

void vmcoreinfo_free(struct vmcoreinfo *vi)
{
	free(vi->entries);
	free(vi->text);
	memset(vi, 0, sizeof(*vi));
}

const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key)
{
	unsigned int i;

	/* Last one wins: the kernel appends, so a later line is newer. */
	for (i = vi->nr_entries; i-- > 0;)
		if (!strcmp(vi->entries[i].key, key))
			return vi->entries[i].value;
	return NULL;
}

static bool parse_num(const char *s, int base, long long *val, bool is_unsigned)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	if (is_unsigned)
		*val = (long long)strtoull(s, &end, base);
	else
		*val = strtoll(s, &end, base);
	return errno == 0 && *end == '\0';
}

bool vmcoreinfo_get_hex(const struct vmcoreinfo *vi, const char *key, uint64_t *val)
{
	long long v;

	if (!parse_num(vmcoreinfo_get(vi, key), 16, &v, true))
		return false;
	*val = (uint64_t)v;
	return true;
}

bool vmcoreinfo_get_long(const struct vmcoreinfo *vi, const char *key, long long *val)
{
	return parse_num(vmcoreinfo_get(vi, key), 10, val, false);
}

/* A present key whose value does not parse is corrupt, not absent. */
static int get_opt_long(const struct vmcoreinfo *vi, const char *key, long long *val)
{
	char show[SHOWN_BYTES * 4 + 4];

	if (!vmcoreinfo_get(vi, key)) {
		*val = VMCI_ABSENT;
		return 0;
	}
	if (!vmcoreinfo_get_long(vi, key, val)) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO entry %s has a bad value \"%s\"", key,
				shown(&show, vmcoreinfo_get(vi, key)));
	}
	return 0;
}

static int get_req_long(const struct vmcoreinfo *vi, const char *key, long long *val)
{
	if (get_opt_long(vi, key, val) < 0)
		return -1;
	if (*val == VMCI_ABSENT && !vmcoreinfo_get(vi, key)) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO lacks %s, which page classification needs", key);
	}
	return 0;
}

static int get_req_hex(const struct vmcoreinfo *vi, const char *key, uint64_t *val)
{
	char show[SHOWN_BYTES * 4 + 4];

	if (!vmcoreinfo_get(vi, key)) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO lacks %s, which page classification needs", key);
	}
	if (!vmcoreinfo_get_hex(vi, key, val)) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO entry %s has a bad value \"%s\"", key,
				shown(&show, vmcoreinfo_get(vi, key)));
	}
	return 0;
}

struct long_field {
	const char *key;
	size_t off;
	bool required;
};

#define KI(field) offsetof(struct kernel_info, field)

static const struct long_field long_fields[] = {
	{ "LENGTH(mem_section)", KI(length_mem_section), false },
	{ "SIZE(mem_section)", KI(size_mem_section), true },
	{ "OFFSET(mem_section.section_mem_map)", KI(off_section_mem_map), true },
	{ "SIZE(page)", KI(size_page), true },
	{ "OFFSET(page.flags)", KI(off_page_flags), true },
	{ "OFFSET(page._refcount)", KI(off_page_refcount), true },
	{ "OFFSET(page.mapping)", KI(off_page_mapping), true },
	{ "OFFSET(page.lru)", KI(off_page_lru), false },
	{ "OFFSET(page._mapcount)", KI(off_page_mapcount), false },
	{ "OFFSET(page.private)", KI(off_page_private), false },
	{ "OFFSET(page.compound_dtor)", KI(off_page_compound_dtor), false },
	{ "OFFSET(page.compound_order)", KI(off_page_compound_order), false },
	{ "OFFSET(page.compound_head)", KI(off_page_compound_head), false },
	{ "NUMBER(PG_lru)", KI(pg_lru), true },
	{ "NUMBER(PG_private)", KI(pg_private), true },
	{ "NUMBER(PG_swapcache)", KI(pg_swapcache), true },
	{ "NUMBER(PG_swapbacked)", KI(pg_swapbacked), false },
	{ "NUMBER(PG_slab)", KI(pg_slab), true },
	{ "NUMBER(PG_hwpoison)", KI(pg_hwpoison), false },
	{ "NUMBER(PG_head_mask)", KI(pg_head_mask), true },
	{ "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", KI(page_buddy_mapcount), false },
	{ "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", KI(page_offline_mapcount), false },
	{ "NUMBER(HUGETLB_PAGE_DTOR)", KI(hugetlb_page_dtor), false },
	{ "LENGTH(zone.free_area)", KI(max_order), false },
};

static int check_struct_page(const struct kernel_info *ki)
{
	const long long offs[] = {
		ki->off_page_flags, ki->off_page_refcount, ki->off_page_mapping,
		ki->off_page_mapcount, ki->off_page_private,
		ki->off_page_compound_head,
	};
	unsigned int i;

	if (ki->size_page < 32 || ki->size_page > 256) {
		return log_fail(ki->log, PMD_ECORRUPT, "VMCOREINFO SIZE(page)=%lld is not a plausible struct page size",
		       ki->size_page);
	}
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		if (offs[i] != VMCI_ABSENT && (offs[i] < 0 || offs[i] + 8 > ki->size_page)) {
			return log_fail(ki->log, PMD_ECORRUPT, "VMCOREINFO struct page offset %lld lies outside SIZE(page)=%lld",
			       offs[i], ki->size_page);
		}
	}
	if (ki->size_mem_section <= 0 || ki->size_mem_section > (long long)ki->page_size ||
	    ki->off_section_mem_map < 0 ||
	    ki->off_section_mem_map + 8 > ki->size_mem_section) {
		return log_fail(ki->log, PMD_ECORRUPT, "VMCOREINFO struct mem_section layout (size %lld, section_mem_map at %lld) is implausible",
		       ki->size_mem_section, ki->off_section_mem_map);
	}
	return 0;
}

static int get_page_size(struct kernel_info *ki, const struct vmcoreinfo *vi)
{
	long long ps;

	if (get_req_long(vi, "PAGESIZE", &ps) < 0)
		return -1;
	if (ps != 4096) {
		return log_fail(vi->log, PMD_EUNSUPPORTED, "VMCOREINFO PAGESIZE=%lld: only 4096-byte pages are supported on x86_64",
		       ps);
	}
	ki->page_size = (unsigned int)ps;
	ki->page_shift = 12;
	return 0;
}

static int get_layout_numbers(struct kernel_info *ki, const struct vmcoreinfo *vi)
{
	long long v;

	/* Linux 6.1 x86_64 defaults when the kernel predates the export. */
	ki->section_size_bits = 27;
	ki->max_physmem_bits = ki->pgtable_l5 ? 52 : 46;
	if (get_opt_long(vi, "NUMBER(SECTION_SIZE_BITS)", &v) < 0)
		return -1;
	if (v != VMCI_ABSENT) {
		if (v < 20 || v > 40) {
			return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO NUMBER(SECTION_SIZE_BITS)=%lld is implausible", v);
		}
		ki->section_size_bits = (unsigned int)v;
	}
	if (get_opt_long(vi, "NUMBER(MAX_PHYSMEM_BITS)", &v) < 0)
		return -1;
	if (v != VMCI_ABSENT) {
		if (v < 32 || v > 52 || v <= ki->section_size_bits) {
			return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO NUMBER(MAX_PHYSMEM_BITS)=%lld is implausible", v);
		}
		ki->max_physmem_bits = (unsigned int)v;
	}
	return 0;
}

int kernel_info_init(struct kernel_info *ki, const struct vmcoreinfo *vi)
{
	const char *rel = vmcoreinfo_get(vi, "OSRELEASE");
	unsigned int i;
	long long v;

	memset(ki, 0, sizeof(*ki));
	ki->log = vi->log;
	if (!rel) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO lacks OSRELEASE");
	}
	snprintf(ki->osrelease, sizeof(ki->osrelease), "%s", rel);
	if (get_page_size(ki, vi) < 0)
		return -1;

	if (get_opt_long(vi, "NUMBER(pgtable_l5_enabled)", &v) < 0)
		return -1;
	ki->pgtable_l5 = v == 1;

	if (vmcoreinfo_get(vi, "KERNELOFFSET") &&
	    !vmcoreinfo_get_hex(vi, "KERNELOFFSET", &ki->kernel_offset)) {
		return log_fail(vi->log, PMD_ECORRUPT, "VMCOREINFO entry KERNELOFFSET has a bad value");
	}
	if (get_req_long(vi, "NUMBER(phys_base)", &v) < 0)
		return -1;
	ki->phys_base = (uint64_t)v;

	if (get_req_hex(vi, "SYMBOL(mem_section)", &ki->sym_mem_section) < 0)
		return -1;
	if (vmcoreinfo_get(vi, "SYMBOL(init_top_pgt)")) {
		if (get_req_hex(vi, "SYMBOL(init_top_pgt)", &ki->sym_init_top_pgt) < 0)
			return -1;
	} else if (get_req_hex(vi, "SYMBOL(swapper_pg_dir)", &ki->sym_init_top_pgt) < 0) {
		return -1;
	}

	for (i = 0; i < sizeof(long_fields) / sizeof(long_fields[0]); i++) {
		const struct long_field *f = &long_fields[i];
		long long *dst = (long long *)((char *)ki + f->off);

		if ((f->required ? get_req_long : get_opt_long)(vi, f->key, dst) < 0)
			return -1;
	}
	if (get_layout_numbers(ki, vi) < 0 || check_struct_page(ki) < 0)
		return -1;
	return 0;
}
