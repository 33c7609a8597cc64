/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_MEMINFO_H
#define PMD_UTIL_MEMINFO_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The line "@key: N kB" of @path (/proc/meminfo, or a saved copy) in
 * bytes, into *@bytes: @key as "MemTotal", "MemAvailable". False, *@bytes
 * untouched, when the file cannot be read or has no such line.
 */
bool meminfo_bytes(const char *path, const char *key, uint64_t *bytes);

#endif
