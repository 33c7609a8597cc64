// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/pmem/live.c, --pmem=memmap: the walk over /sys/bus/nd/devices. The
 * input describes a tree, built in a folder of fuzz_tmpdir() and removed
 * after the walk. One record per line, "DEVICE ATTRIBUTE VALUE":
 * DEVICE becomes a folder (its '/' turned to '_'), ATTRIBUTE a file
 * ("driver" makes the driver link instead), VALUE its contents with
 * "\n" spelled as a backslash and n. An odd first byte puts the devices
 * under a region folder and links them from devices/, as the kernel does.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "pmem/live.h"
#include "util/iomem.h"
#include "util/log.h"

#define MAX_RECORDS 64
#define MAX_NAME 64

/* A name that stays inside its folder. */
static void sanitize(char *name)
{
	char *c;

	for (c = name; *c; c++)
		if (*c == '/')
			*c = '_';
	if (!strcmp(name, ".") || !strcmp(name, "..") || !*name)
		strcpy(name, "_");
}

static void unescape(char *s, size_t *len)
{
	size_t i, o = 0;

	for (i = 0; i < *len; i++) {
		if (s[i] == '\\' && i + 1 < *len && s[i + 1] == 'n') {
			s[o++] = '\n';
			i++;
		} else {
			s[o++] = s[i];
		}
	}
	*len = o;
}

/* "<dir>/<dev>" exists, as a folder or a link to the region's folder. */
static void make_device(const char *root, const char *dev, bool linked)
{
	char path[FUZZ_PATH_MAX * 2], target[FUZZ_PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/nd/devices/%s", root, dev);
	if (!linked) {
		mkdir(path, 0700);
		return;
	}
	snprintf(target, sizeof(target), "../../../devices/region0/%s", dev);
	symlink(target, path);
	snprintf(path, sizeof(path), "%s/sys/devices/region0/%s", root, dev);
	mkdir(path, 0700);
}

static void make_attr(const char *root, const char *dev, const char *attr, const char *value,
		      size_t len)
{
	char path[FUZZ_PATH_MAX * 3];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/bus/nd/devices/%s/%s", root, dev, attr);
	if (!strcmp(attr, "driver")) {
		symlink("../../../bus/nd/drivers/nd_pmem", path);
		return;
	}
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(value, 1, len, f);
	fclose(f);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void mkdirs(const char *root, const char *rel)
{
	char path[FUZZ_PATH_MAX * 2];
	char *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	mkdir(path, 0700);
}

/* The next space-separated word of *@s into @out (at most MAX_NAME bytes). */
static bool take_word(char **s, char *out)
{
	char *sp = strchr(*s, ' ');
	size_t len = sp ? (size_t)(sp - *s) : strlen(*s);

	if (!sp || !len)
		return false;
	if (len > MAX_NAME)
		len = MAX_NAME;
	memcpy(out, *s, len);
	out[len] = '\0';
	*s = sp + 1;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long serial;
	const uint8_t *p = data, *end = data + size;
	char root[FUZZ_PATH_MAX], dev[MAX_NAME + 1], attr[MAX_NAME + 1], *line, *rest;
	bool linked = size && (data[0] & 1);
	struct iomem_tree t = { 0 };
	struct pmem_live pl;
	struct log_ctx log;
	unsigned int nr = 0;

	fuzz_log_init(&log);
	snprintf(root, sizeof(root), "%s/nd-%lu", fuzz_tmpdir(), serial++);
	mkdir(root, 0700);
	mkdirs(root, "sys/bus/nd/devices");
	mkdirs(root, "sys/bus/nd/drivers/nd_pmem");
	mkdirs(root, "sys/devices/region0");
	line = malloc(size + 1);
	if (!line)
		abort();
	while (p < end && nr++ < MAX_RECORDS) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		memcpy(line, p, len);
		line[len] = '\0';
		p += len + 1;
		rest = line;
		if (!take_word(&rest, dev) || !take_word(&rest, attr))
			continue;
		len = strlen(rest);
		unescape(rest, &len);
		sanitize(dev);
		sanitize(attr);
		make_device(root, dev, linked);
		make_attr(root, dev, attr, rest, len);
	}
	free(line);
	pmem_live_ranges(&pl, &t, root, PMEM_LIVE_MEMMAP, &log);
	pmem_live_free(&pl);
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	fuzz_log_destroy(&log);
	return 0;
}
