// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page report, line for line in makedumpfile's format, so the output
 * of the two tools can be compared with diff and parsed by the same tools.
 */
#include "src/report.h"
#include "util/log.h"

void report_print(struct log_ctx *log, const struct dump_report *r)
{
	const struct page_counts *c = &r->counts;
	uint64_t original = r->max_mapnr - r->memhole;
	uint64_t excluded = page_counts_total(c) + r->pmem_meta + r->pmem_user;
	unsigned long long shown = excluded;

	log_report(log, "\n");
	log_report(log, "Original pages  : 0x%016llx\n", (unsigned long long)original);
	log_report(log, "  Excluded pages   : 0x%016llx\n", (unsigned long long)excluded);
	if (r->elf)
		log_report(log, "     in ELF format : 0x%016llx\n",
			  (unsigned long long)r->elf_dropped);
	log_report(log, "    Pages filled with zero  : 0x%016llx\n", (unsigned long long)c->zero);
	log_report(log, "    Non-private cache pages : 0x%016llx\n", (unsigned long long)c->cache);
	log_report(log, "    Private cache pages     : 0x%016llx\n",
		  (unsigned long long)c->cache_private);
	log_report(log, "    User process data pages : 0x%016llx\n", (unsigned long long)c->user);
	log_report(log, "    Free pages              : 0x%016llx\n", (unsigned long long)c->free);
	log_report(log, "    Hwpoison pages          : 0x%016llx\n", (unsigned long long)c->hwpoison);
	log_report(log, "    Offline pages           : 0x%016llx\n", (unsigned long long)c->offline);
	/* Only with pmem: otherwise the report stays makedumpfile's, line for line. */
	if (r->pmem) {
		log_report(log, "    pmem metadata pages     : 0x%016llx\n",
			  (unsigned long long)r->pmem_meta);
		log_report(log, "    pmem userdata pages     : 0x%016llx\n",
			  (unsigned long long)r->pmem_user);
	}
	log_report(log, "  Remaining pages  : 0x%016llx\n",
		  (unsigned long long)(original - excluded));
	if (r->elf) {
		log_report(log, "     in ELF format : 0x%016llx\n",
			  (unsigned long long)(original - r->elf_dropped));
		shown = r->elf_dropped;
	}
	if (original)
		log_report(log, "  (The number of pages is reduced to %llu%%.)\n",
			  (unsigned long long)((original - shown) * 100 / original));
	log_report(log, "Memory Hole     : 0x%016llx\n", (unsigned long long)r->memhole);
	log_report(log, "--------------------------------------------------\n");
	log_report(log, "Total pages     : 0x%016llx\n", (unsigned long long)r->max_mapnr);
	log_report(log, "Write bytes     : %llu\n", (unsigned long long)r->write_bytes);
	log_report(log, "\n");
}

uint64_t report_pages_written(const struct dump_report *r)
{
	const struct page_counts *c = &r->counts;
	uint64_t original = r->max_mapnr - r->memhole;

	if (r->elf)
		return original - r->elf_dropped;
	return original - (page_counts_total(c) + r->pmem_meta + r->pmem_user);
}

void report_print_mem_usage(struct log_ctx *log, const struct mem_usage *u)
{
	const struct page_counts *c = &u->counts;
	uint64_t kern = u->ram_pages - page_counts_total(c);
	unsigned long long ps = u->page_size;

	log_msg(log, "\n");
	log_msg(log, "TYPE\t\tPAGES\t\t\tEXCLUDABLE\tDESCRIPTION\n");
	log_msg(log, "----------------------------------------------------------------------\n");
	log_msg(log, "ZERO\t\t%-16llu\tyes\t\tPages filled with zero\n",
	       (unsigned long long)c->zero);
	log_msg(log, "NON_PRI_CACHE\t%-16llu\tyes\t\tCache pages without private flag\n",
	       (unsigned long long)c->cache);
	log_msg(log, "PRI_CACHE\t%-16llu\tyes\t\tCache pages with private flag\n",
	       (unsigned long long)c->cache_private);
	log_msg(log, "USER\t\t%-16llu\tyes\t\tUser process pages\n",
	       (unsigned long long)c->user);
	log_msg(log, "FREE\t\t%-16llu\tyes\t\tFree pages\n", (unsigned long long)c->free);
	log_msg(log, "KERN_DATA\t%-16llu\tno\t\tDumpable kernel data \n",
	       (unsigned long long)kern);
	if (u->pmem) {
		log_msg(log, "PMEM_META\t%-16llu\tby -d 32\tpmem metadata (struct pages on the device)\n",
		       (unsigned long long)u->pmem_meta);
		log_msg(log, "PMEM_USER\t%-16llu\tyes\t\tpmem user data, unless --pmem-userdata\n",
		       (unsigned long long)u->pmem_user);
	}
	log_msg(log, "\n");
	log_msg(log, "page size:\t\t%-16llu\n", ps);
	log_msg(log, "Total pages on system:\t%-16llu\n", (unsigned long long)u->ram_pages);
	log_msg(log, "Total size on system:\t%-16llu Byte\n",
	       (unsigned long long)u->ram_pages * ps);
	if (u->pmem) {
		log_msg(log, "pmem pages on system:\t%-16llu\n",
		       (unsigned long long)(u->pmem_meta + u->pmem_user));
		/* Uncompressed: what -E -d 31 writes, give or take headers. */
		log_msg(log, "Dump size at -d 31:\t%-16llu Byte (kernel data and pmem metadata)\n",
		       (unsigned long long)(kern + u->pmem_meta) * ps);
	}
	/* What a live dump would take: its image, then the filter as above. */
	if (u->has_livedump) {
		const struct livedump_size *l = &u->livedump;

		log_msg(log, "Live dump image:\t%-16llu Byte (RAM %llu, pmem metadata %llu, headers %llu)\n",
		       (unsigned long long)l->image_bytes, (unsigned long long)l->ram_bytes,
		       (unsigned long long)(l->image_bytes - l->ram_bytes - l->header_bytes),
		       (unsigned long long)l->header_bytes);
		log_msg(log, "Live dump buffer:\t%-16llu MiB recommended (recommended_buffer_mb)\n",
		       (unsigned long long)l->buffer_mb);
	}
}
