// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools/src/purgatory_load.c: an ELF relocatable object laid out as
 * the purgatory segment (purgatory_layout), then relocated at the lab's
 * crash range and above 4 GiB (purgatory_relocate), and the parameter
 * block written as the loader writes it.
 */
#include <string.h>

#include "fuzz.h"
#include "src/purgatory_load.h"
#include "util/log.h"

/* 1 MiB aligned: the largest section alignment the loader accepts. */
static const uint64_t loads[] = { 0x2f000000, 0x123400000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct purgatory p;
	struct log_ctx log;
	unsigned int i;

	fuzz_log_init(&log);
	if (purgatory_layout(&p, data, size, &log) == 0) {
		for (i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
			log_clear_error(&log);
			if (purgatory_relocate(&p, loads[i], &log) == 0)
				memset(purgatory_params_of(&p), 0, sizeof(struct purgatory_params));
		}
		purgatory_free(&p);
	}
	fuzz_log_destroy(&log);
	return 0;
}
