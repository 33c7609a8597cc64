// SPDX-License-Identifier: GPL-2.0-or-later
/* The running machine's physical memory map, for --mem-usage on /proc/kcore. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/iomem.h"
#include "util/log.h"

int iomem_find(const char *path, const char *name, struct pfn_ranges *out)
{
	unsigned long long start, end;
	char line[256];
	int used, ret = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		pr_err("cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		/* At any depth: "Crash kernel" is nested in "System RAM". */
		if (sscanf(line, " %llx-%llx : %n", &start, &end, &used) != 2 ||
		    strncmp(line + used, name, strlen(name)))
			continue;
		if (!start && !end) {
			pr_err("%s shows no addresses: --mem-usage needs root\n", path);
			ret = -1;
			break;
		}
		ret = pfn_ranges_add(out, start >> 12, (end >> 12) + 1);
	}
	fclose(f);
	return ret;
}
