// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page report, line for line in makedumpfile's format, so the output
 * of the two tools can be compared with diff and parsed by the same tools.
 */
#include "src/report.h"
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

void report_print_mem_usage(const struct mem_usage *u)
{
	const struct page_counts *c = &u->counts;
	uint64_t kern = u->ram_pages - page_counts_total(c);
	unsigned long long ps = u->page_size;

	pr_msg("\n");
	pr_msg("TYPE\t\tPAGES\t\t\tEXCLUDABLE\tDESCRIPTION\n");
	pr_msg("----------------------------------------------------------------------\n");
	pr_msg("ZERO\t\t%-16llu\tyes\t\tPages filled with zero\n",
	       (unsigned long long)c->zero);
	pr_msg("NON_PRI_CACHE\t%-16llu\tyes\t\tCache pages without private flag\n",
	       (unsigned long long)c->cache);
	pr_msg("PRI_CACHE\t%-16llu\tyes\t\tCache pages with private flag\n",
	       (unsigned long long)c->cache_private);
	pr_msg("USER\t\t%-16llu\tyes\t\tUser process pages\n",
	       (unsigned long long)c->user);
	pr_msg("FREE\t\t%-16llu\tyes\t\tFree pages\n", (unsigned long long)c->free);
	pr_msg("KERN_DATA\t%-16llu\tno\t\tDumpable kernel data \n",
	       (unsigned long long)kern);
	if (u->pmem) {
		pr_msg("PMEM_META\t%-16llu\tby -d 32\tpmem metadata (struct pages on the device)\n",
		       (unsigned long long)u->pmem_meta);
		pr_msg("PMEM_USER\t%-16llu\tyes\t\tpmem user data, unless --pmem-userdata\n",
		       (unsigned long long)u->pmem_user);
	}
	pr_msg("\n");
	pr_msg("page size:\t\t%-16llu\n", ps);
	pr_msg("Total pages on system:\t%-16llu\n", (unsigned long long)u->ram_pages);
	pr_msg("Total size on system:\t%-16llu Byte\n",
	       (unsigned long long)u->ram_pages * ps);
	if (u->pmem) {
		pr_msg("pmem pages on system:\t%-16llu\n",
		       (unsigned long long)(u->pmem_meta + u->pmem_user));
		/* Uncompressed: what -E -d 31 writes, give or take headers. */
		pr_msg("Dump size at -d 31:\t%-16llu Byte (kernel data and pmem metadata)\n",
		       (unsigned long long)(kern + u->pmem_meta) * ps);
	}
}
