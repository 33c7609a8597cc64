// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/util/iomem.c: /proc/iomem text, parsed into its tree and walked as
 * --mem-usage walks it, both from memory (iomem_parse) and from a file
 * (iomem_find, which reads it).
 */
#include "fuzz.h"
#include "util/iomem.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

static const char *const prefixes[] = { "Persistent Memory", "Crash kernel", "System RAM", "" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct iomem_node *n;
	struct pfn_ranges ranges = { 0 };
	char path[FUZZ_PATH_MAX];
	struct iomem_tree t;
	struct log_ctx log;
	unsigned int i;
	int fd;

	fuzz_log_init(&log);
	if (iomem_parse(&t, (const char *)data, size, &log) == 0) {
		for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			for (n = iomem_next(&t, NULL, prefixes[i]); n; n = iomem_next(&t, n, prefixes[i]))
				;
		for (n = iomem_next(&t, NULL, NULL); n; n = iomem_next(&t, n, NULL))
			;
		iomem_free(&t);
	}
	log_clear_error(&log);
	fd = fuzz_file(data, size, path);
	iomem_find(&log, path, "Persistent Memory", &ranges);
	pfn_ranges_free(&ranges);
	fuzz_file_close(fd, path);
	fuzz_log_destroy(&log);
	return 0;
}
