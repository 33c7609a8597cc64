// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page report, line for line in makedumpfile's format, so the output
 * of the two tools can be compared with diff and parsed by the same tools.
 */
#include "output/report.h"
#include "util/log.h"

void report_print(const struct dump_report *r)
{
	const struct page_counts *c = &r->counts;
	uint64_t original = r->max_mapnr - r->memhole;
	uint64_t excluded = page_counts_total(c) + r->pmem_meta + r->pmem_user;
	unsigned long long shown = excluded;

	pr_report("\n");
	pr_report("Original pages  : 0x%016llx\n", (unsigned long long)original);
	pr_report("  Excluded pages   : 0x%016llx\n", (unsigned long long)excluded);
	if (r->elf)
		pr_report("     in ELF format : 0x%016llx\n",
			  (unsigned long long)r->elf_dropped);
	pr_report("    Pages filled with zero  : 0x%016llx\n", (unsigned long long)c->zero);
	pr_report("    Non-private cache pages : 0x%016llx\n", (unsigned long long)c->cache);
	pr_report("    Private cache pages     : 0x%016llx\n",
		  (unsigned long long)c->cache_private);
	pr_report("    User process data pages : 0x%016llx\n", (unsigned long long)c->user);
	pr_report("    Free pages              : 0x%016llx\n", (unsigned long long)c->free);
	pr_report("    Hwpoison pages          : 0x%016llx\n", (unsigned long long)c->hwpoison);
	pr_report("    Offline pages           : 0x%016llx\n", (unsigned long long)c->offline);
	/* Only with pmem: otherwise the report stays makedumpfile's, line for line. */
	if (r->pmem) {
		pr_report("    pmem metadata pages     : 0x%016llx\n",
			  (unsigned long long)r->pmem_meta);
		pr_report("    pmem userdata pages     : 0x%016llx\n",
			  (unsigned long long)r->pmem_user);
	}
	pr_report("  Remaining pages  : 0x%016llx\n",
		  (unsigned long long)(original - excluded));
	if (r->elf) {
		pr_report("     in ELF format : 0x%016llx\n",
			  (unsigned long long)(original - r->elf_dropped));
		shown = r->elf_dropped;
	}
	if (original)
		pr_report("  (The number of pages is reduced to %llu%%.)\n",
			  (unsigned long long)((original - shown) * 100 / original));
	pr_report("Memory Hole     : 0x%016llx\n", (unsigned long long)r->memhole);
	pr_report("--------------------------------------------------\n");
	pr_report("Total pages     : 0x%016llx\n", (unsigned long long)r->max_mapnr);
	pr_report("Write bytes     : %llu\n", (unsigned long long)r->write_bytes);
	pr_report("\n");
}
