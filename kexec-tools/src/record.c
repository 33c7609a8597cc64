// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "src/record.h"
#include "util/kvfile.h"
#include "util/records.h"
#include "util/sysfs.h"

int kexec_record_write(const char *root, const struct kexec_record *r, struct log_ctx *log)
{
	struct kvfile kv;
	int rc;

	/* The order is kexec(8)'s, and what test/lab reads. */
	kvfile_init(&kv);
	kvfile_add(&kv, REC_LOAD_SYSCALL, r->syscall);
	kvfile_add(&kv, REC_LOAD_KERNEL, r->kernel);
	kvfile_add(&kv, REC_LOAD_INITRD, r->initrd);
	kvfile_add(&kv, REC_LOAD_PMEM, r->pmem);
	kvfile_add(&kv, REC_LOAD_CMDLINE, r->cmdline);
	rc = kvfile_replace(&kv, root, REC_LOAD_PATH, REC_LOAD_DIR_MODE, REC_LOAD_MODE, log);
	kvfile_free(&kv);
	return rc;
}

int kexec_record_remove(const char *root, struct log_ctx *log)
{
	char path[PATH_MAX];
	int rc = sysfs_path(path, sizeof(path), root, REC_LOAD_PATH, log);

	if (rc)
		return rc;
	if (unlink(path) && errno != ENOENT)
		return log_fail(log, PMD_EIO, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}
