// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/kernel/vmcoreinfo.c: the text of a VMCOREINFO note, parsed and
 * resolved into struct kernel_info as a run does, and the lookups other
 * modules make (hex symbols, decimal numbers, the pmem list keys).
 */
#include <string.h>

#include "fuzz.h"
#include "kabi/pmem_kdump.h"
#include "kernel/vmcoreinfo.h"
#include "util/log.h"

static const char *const hex_keys[] = {
	"SYMBOL(prb)", "SYMBOL(init_uts_ns)", "KERNELOFFSET", PMD_VMCI_DEVM_MEMMAP_HEAD,
};
static const char *const long_keys[] = {
	"CRASHTIME", "OFFSET(uts_namespace.name)", PMD_VMCI_DEVM_MEMMAP_SIZE,
	PMD_VMCI_DEVM_MEMMAP_ENTRY, PMD_VMCI_DEVM_MEMMAP_START, PMD_VMCI_DEVM_MEMMAP_END,
	"SIZE(printk_ringbuffer)",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kernel_info ki;
	struct vmcoreinfo vi;
	struct log_ctx log;
	unsigned int i;
	long long v;
	uint64_t h;

	fuzz_log_init(&log);
	if (vmcoreinfo_parse(&vi, &log, (const char *)data, size) == 0) {
		kernel_info_init(&ki, &vi);
		for (i = 0; i < sizeof(hex_keys) / sizeof(hex_keys[0]); i++)
			vmcoreinfo_get_hex(&vi, hex_keys[i], &h);
		for (i = 0; i < sizeof(long_keys) / sizeof(long_keys[0]); i++)
			vmcoreinfo_get_long(&vi, long_keys[i], &v);
		vmcoreinfo_free(&vi);
	}
	fuzz_log_destroy(&log);
	return 0;
}
