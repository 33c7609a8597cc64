// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "dump/source.h"
#include "kabi/pmem_kdump.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "pmem/pmem.h"
#include "src/kernel_live.h"
#include "util/pfn_ranges.h"

#define PAGE_SHIFT 12

struct kcore_view {
	struct dump_source in;
	struct vmcoreinfo vmci;
	struct kernel_info ki;
	struct x86_64_xlat xlat;
	bool in_open, vmci_open;
};

static void kcore_close(struct kcore_view *v)
{
	if (v->vmci_open)
		vmcoreinfo_free(&v->vmci);
	if (v->in_open)
		dump_source_close(&v->in);
}

/* Open @kcore up to VMCOREINFO; errors are recorded in @log. */
static int kcore_open(struct kcore_view *v, const char *kcore, struct log_ctx *log)
{
	struct dump_open_opts oo = { .log = log };

	memset(v, 0, sizeof(*v));
	if (dump_source_open(&v->in, kcore, &oo) < 0)
		return -1;
	v->in_open = true;
	if (!v->in.vmcoreinfo)
		return log_fail(log, PMD_EUNSUPPORTED, "%s has no VMCOREINFO note", kcore);
	if (vmcoreinfo_parse(&v->vmci, log, v->in.vmcoreinfo, v->in.vmcoreinfo_size) < 0)
		return -1;
	v->vmci_open = true;
	return 0;
}

/* The list, walked by lib/pmem as our makedumpfile walks it. */
static int walk_list(struct kcore_view *v, struct pk_kernel *k, struct log_ctx *log)
{
	struct pmem_layout pl;
	struct pmem_source src;

	if (kernel_info_init(&v->ki, &v->vmci) < 0 ||
	    x86_64_xlat_init(&v->xlat, &v->in.pm, &v->ki, v->in.loads, v->in.nr_loads) < 0)
		return -1;
	dump_source_set_direct_map(&v->in, v->xlat.page_offset);
	src = (struct pmem_source){
		.loads = v->in.loads, .nr_loads = v->in.nr_loads,
		.has_flags = dump_source_has(&v->in, DUMP_SRC_PT_LOADS),
		.vmci = &v->vmci, .xlat = &v->xlat, .pm = &v->in.pm,
	};
	if (pmem_layout_find(&pl, &src) < 0) {
		if (!log_error_status(log))
			log_fail(log, PMD_ENOMEM, "out of memory for the memmap list");
		return -1;
	}
	for (unsigned int i = 0; i < pl.listed.nr; i++) {
		if (pk_kernel_add_memmap(k, pl.listed.r[i].start << PAGE_SHIFT,
					 pl.listed.r[i].end << PAGE_SHIFT) < 0) {
			pmem_layout_free(&pl);
			return log_fail(log, PMD_ENOMEM, "out of memory for the memmap list");
		}
	}
	pmem_layout_free(&pl);
	return 0;
}

int pk_kernel_from_kcore(struct pk_kernel *k, const char *kcore, struct log_ctx *log)
{
	struct kcore_view v;
	struct log_ctx klog;
	long long size_page;
	int ret = 0;

	memset(k, 0, sizeof(*k));
	k->list = PK_LIST_UNKNOWN;
	/*
	 * The kcore's own errors go to a log of their own: they become one
	 * warning on @log, since a list without the kernel's view is still
	 * a list.
	 */
	log_init(&klog, log->owner);
	klog.level = log->level;
	if (kcore_open(&v, kcore, &klog) < 0)
		goto warn;
	if (vmcoreinfo_get_long(&v.vmci, "SIZE(page)", &size_page) && size_page > 0 &&
	    size_page < 4096)
		k->page_struct_size = (unsigned int)size_page;
	if (!vmcoreinfo_get(&v.vmci, PMD_VMCI_DEVM_MEMMAP_HEAD)) {
		k->list = PK_LIST_ABSENT;
		goto out;
	}
	if (walk_list(&v, k, &klog) < 0)
		goto warn;
	k->list = PK_LIST_PRESENT;
	goto out;
warn:
	if (log_error_status(&klog) == PMD_ENOMEM)
		ret = log_fail(log, PMD_ENOMEM, "%s", log_error_text(&klog));
	else
		log_warn(log, "cannot read the running kernel's VMCOREINFO from %s (%s): "
			 "memmap listing unknown\n", kcore,
			 log_error_text(&klog)[0] ? log_error_text(&klog) : "no cause given");
	free(k->memmaps);
	k->memmaps = NULL;
	k->nr_memmaps = 0;
	k->list = PK_LIST_UNKNOWN;
out:
	kcore_close(&v);
	log_destroy(&klog);
	return ret;
}
