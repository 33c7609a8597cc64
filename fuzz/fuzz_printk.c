// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/kernel/printk.c: the lockless printk ring, read as --dump-dmesg
 * reads it. The input is VMCOREINFO text (SYMBOL(prb) and the ring's
 * layout), a NUL, then physical memory from address 0: a small fake
 * physmem under the real x86_64 translation, with 4-level page tables
 * at physical 0 and the direct map at 0xffff888000000000 covering it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcore/elfcore.h"
#include "fuzz.h"
#include "kernel/physmem.h"
#include "kernel/printk.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

struct fake_mem {
	const uint8_t *data;
	size_t size;
	struct log_ctx *log;
};

static int fm_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct fake_mem *m = priv;

	if (paddr > m->size || len > m->size - paddr)
		return log_fail(m->log, PMD_ECORRUPT, "physical address %#llx is not in the input",
				(unsigned long long)paddr);
	memcpy(buf, m->data + paddr, len);
	return 0;
}

static bool fm_present(void *priv, uint64_t pfn)
{
	struct fake_mem *m = priv;

	return pfn < m->size / 4096;
}

static int fm_read_page(void *priv, uint64_t pfn, void *buf)
{
	return fm_read(priv, pfn * 4096, buf, 4096);
}

static const struct physmem_ops fake_ops = {
	.read = fm_read,
	.present = fm_present,
	.read_page = fm_read_page,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct fake_mem mem;
	struct physmem pm = { .ops = &fake_ops, .priv = &mem };
	struct kernel_info ki;
	struct vmcoreinfo vi;
	struct elf_load load;
	struct x86_64_xlat x;
	struct text_buf out = { 0 };
	struct log_ctx log;

	if (!nul)
		return 0;
	fuzz_log_init(&log);
	pm.log = &log;
	mem.log = &log;
	mem.data = nul + 1;
	mem.size = size - (size_t)(nul + 1 - data);
	memset(&ki, 0, sizeof(ki));
	ki.page_size = 4096;
	ki.page_shift = 12;
	ki.max_physmem_bits = 46;
	ki.sym_init_top_pgt = X86_64_START_KERNEL_MAP;	/* page tables at physical 0 */
	load = (struct elf_load){ .paddr = 0, .vaddr = X86_64_PAGE_OFFSET_L4,
				  .filesz = mem.size, .memsz = mem.size };
	if (vmcoreinfo_parse(&vi, &log, (const char *)data, (size_t)(nul - data)) == 0) {
		if (x86_64_xlat_init(&x, &pm, &ki, &load, 1) == 0 &&
		    printk_read_log(&x, &vi, &out) == 0 && getenv("FUZZ_SHOW"))
			fwrite(out.data, 1, out.len, stderr);	/* to check a seed */
		if (log_error_status(&log) && getenv("FUZZ_SHOW"))
			fprintf(stderr, "error: %s\n", log_error_text(&log));
		text_buf_free(&out);
		vmcoreinfo_free(&vi);
	}
	fuzz_log_destroy(&log);
	return 0;
}
