// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/util/sysfs.c: the one-line formats kexec reads (hex with or without
 * 0x, decimal, the "%pa %x" pair of /sys/kernel/vmcoreinfo, cpu lists).
 * Each line of the input goes through every parser; the whole input, as
 * a file, through the line reader with a small and a large buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/log.h"
#include "util/sysfs.h"

/* NR_CPUS of x86_64 at most, as lib/kernel/live.c reads the possible list. */
#define FUZZ_CPUS 8192

static void parse_field(const char *s, struct log_ctx *log)
{
	static uint64_t bits[FUZZ_CPUS / 64];
	uint64_t a, b;

	sysfs_parse_hex(s, &a, "hex", log);
	log_clear_error(log);
	sysfs_parse_dec(s, &a, "dec", log);
	log_clear_error(log);
	sysfs_parse_addr_size(s, &a, &b, "vmcoreinfo", log);
	log_clear_error(log);
	sysfs_parse_cpulist(s, bits, FUZZ_CPUS, "possible", log);
	log_clear_error(log);
	/* A short bit array: cpus past it must be refused, not written. */
	sysfs_parse_cpulist(s, bits, 64, "possible", log);
	log_clear_error(log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FUZZ_PATH_MAX], small[8], *line;
	const uint8_t *p = data, *end = data + size, *nl;
	struct log_ctx log;
	uint64_t v;
	size_t len;
	int fd;

	fuzz_log_init(&log);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* An exact-size copy: a read past the field is a sanitizer report. */
		line = malloc(len + 1);
		if (!line)
			abort();
		memcpy(line, p, len);
		line[len] = '\0';
		parse_field(line, &log);
		free(line);
		p += len + 1;
	}

	fd = fuzz_file(data, size, path);
	line = malloc(SYSFS_LINE_MAX);
	if (!line)
		abort();
	if (sysfs_read_line(NULL, path, line, SYSFS_LINE_MAX, &log) == 0)
		parse_field(line, &log);
	log_clear_error(&log);
	sysfs_read_line("", path, small, sizeof(small), &log);
	log_clear_error(&log);
	sysfs_read_hex(NULL, path, &v, &log);
	log_clear_error(&log);
	sysfs_read_dec(NULL, path, &v, &log);
	log_clear_error(&log);
	free(line);
	fuzz_file_close(fd, path);
	fuzz_log_destroy(&log);
	return 0;
}
