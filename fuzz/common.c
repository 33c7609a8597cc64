// SPDX-License-Identifier: GPL-2.0-or-later
/* What every fuzz target shares: a quiet log, inputs as files, a temp dir. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/log.h"

static FILE *devnull;

void fuzz_log_init(struct log_ctx *log)
{
	log_init(log, "fuzz");
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	/* Messages and the report run into /dev/null; warnings are not printed. */
	log->level = LOG_COMMON | LOG_REPORT;
	log->msg = devnull ? devnull : stdout;
	if (!devnull)
		log->level = 0;
}

void fuzz_log_destroy(struct log_ctx *log)
{
	log_destroy(log);
}

static char tmpdir[FUZZ_PATH_MAX];

static void remove_tmpdir(void)
{
	char path[FUZZ_PATH_MAX * 2];
	struct dirent *de;
	DIR *d = opendir(tmpdir);

	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(tmpdir);
}

const char *fuzz_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/pmd-fuzz.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_tmpdir);
	return tmpdir;
}

static int write_all(int fd, const uint8_t *data, size_t size)
{
	while (size) {
		ssize_t n = write(fd, data, size);

		if (n <= 0)
			return -1;
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

int fuzz_file(const uint8_t *data, size_t size, char path[FUZZ_PATH_MAX])
{
	int fd = memfd_create("pmd-fuzz-input", MFD_CLOEXEC);

	if (fd >= 0) {
		snprintf(path, FUZZ_PATH_MAX, "/proc/self/fd/%d", fd);
		if (access(path, R_OK) < 0) {	/* no /proc */
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		snprintf(path, FUZZ_PATH_MAX, "%s/input", fuzz_tmpdir());
		unlink(path);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			perror("fuzz: cannot create the input file");
			abort();
		}
	}
	if (write_all(fd, data, size) < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		perror("fuzz: cannot write the input file");
		abort();
	}
	return fd;
}

void fuzz_file_close(int fd, const char path[FUZZ_PATH_MAX])
{
	close(fd);
	if (strncmp(path, "/proc/self/fd/", 14))
		unlink(path);
}
