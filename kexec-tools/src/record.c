// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/record.h"
#include "util/sysfs.h"

/* A value must stay on its line: the reader splits on newlines. */
static const char *one_line(const char *v)
{
	return v && !strchr(v, '\n') ? v : "";
}

int kexec_record_write(const char *root, const struct kexec_record *r, struct log_ctx *log)
{
	char path[4096], tmp[4200], dir[4096];
	FILE *f;
	int rc;

	rc = sysfs_path(path, sizeof(path), root, KEXEC_RECORD_PATH, log);
	if (rc)
		return rc;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return log_fail(log, PMD_EIO, "cannot create %s: %s", dir, strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return log_fail(log, PMD_EIO, "cannot write %s: %s", tmp, strerror(errno));
	fprintf(f, "syscall=%s\nkernel=%s\ninitrd=%s\npmem=%s\ncmdline=%s\n", one_line(r->syscall),
		one_line(r->kernel), one_line(r->initrd), one_line(r->pmem), one_line(r->cmdline));
	if (fclose(f) || rename(tmp, path)) {
		rc = errno;
		unlink(tmp);
		return log_fail(log, PMD_EIO, "cannot write %s: %s", path, strerror(rc));
	}
	return 0;
}

int kexec_record_remove(const char *root, struct log_ctx *log)
{
	char path[4096];
	int rc = sysfs_path(path, sizeof(path), root, KEXEC_RECORD_PATH, log);

	if (rc)
		return rc;
	if (unlink(path) && errno != ENOENT)
		return log_fail(log, PMD_EIO, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}
