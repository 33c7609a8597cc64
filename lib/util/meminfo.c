// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "util/meminfo.h"

bool meminfo_bytes(const char *path, const char *key, uint64_t *bytes)
{
	size_t len = strlen(key);
	unsigned long long kib;
	bool found = false;
	char line[256];
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, key, len) && line[len] == ':' &&
			sscanf(line + len + 1, "%llu", &kib) == 1;
	fclose(f);
	if (found)
		*bytes = (uint64_t)kib * 1024;
	return found;
}
