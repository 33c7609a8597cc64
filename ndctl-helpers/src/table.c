// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <string.h>

#include "src/table.h"

void pk_short_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	uint64_t unit = 1024, c;
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", bytes);
		return;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && bytes >= unit * 1024) {
		unit *= 1024;
		u++;
	}
	/* Hundredths, rounded half up, as the JSON's -u sizes. */
	c = (uint64_t)(((unsigned __int128)bytes * 200 / unit + 1) / 2);

	snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 " %s", c / 100, c % 100, units[u]);
}

static void range_text(const struct pk_range *r, bool has, char *buf, size_t size)
{
	if (has)
		snprintf(buf, size, "%#" PRIx64 "-%#" PRIx64, r->start, r->end);
	else
		snprintf(buf, size, "-");
}

#define HEADER_FMT "%-14s %-8s %-6s %-4s %-11s %-25s %-25s %-4s %-11s %-11s %-11s %s\n"

int pk_table_print(FILE *out, const struct pk_table_row *rows, unsigned int nr)
{
	int ret = fprintf(out, HEADER_FMT, "NAMESPACE", "REGION", "MODE", "MAP", "SIZE",
			  "MEMMAP", "DATA", "CASE", "METADATA", "PMEM-META", "USERDATA",
			  "VMCOREINFO");

	for (unsigned int i = 0; ret >= 0 && i < nr; i++) {
		const struct pk_namespace *ns = rows[i].ns;
		const struct pk_assessment *a = &rows[i].a;
		char size[24], meta[24], pmeta[24], user[24], memmap[48], data[48];
		char kase[2] = { a->kase, '\0' };
		const char *mode = pk_mode_name(ns->mode), *map = pk_map_name(ns->map);
		const char *listed = pk_listed_name(a->listed);

		if (ns->size != PK_UNKNOWN)
			pk_short_size(ns->size, size, sizeof(size));
		else
			strcpy(size, "-");
		pk_short_size(a->metadata_bytes, meta, sizeof(meta));
		pk_short_size(a->pmem_metadata_bytes, pmeta, sizeof(pmeta));
		pk_short_size(a->userdata_bytes, user, sizeof(user));
		range_text(&a->memmap, a->has_memmap, memmap, sizeof(memmap));
		range_text(&a->data, a->has_data, data, sizeof(data));
		ret = fprintf(out, HEADER_FMT, ns->dev, ns->region, mode ? mode : "-",
			      map ? map : "-", size, memmap, data, a->kase ? kase : "-",
			      meta, pmeta, user, listed ? listed : "-");
	}
	return ret < 0 ? -1 : 0;
}
