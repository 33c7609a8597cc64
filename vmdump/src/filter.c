// SPDX-License-Identifier: GPL-2.0-or-later
/* The private dump file and the makedumpfile run on it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "src/filter.h"
#include "src/plan.h"
#include "util/child.h"
#include "util/meminfo.h"

int vm_dumpfd_open(const char *tmpdir, struct log_ctx *log)
{
	int fd;

	if (!tmpdir) {
		fd = memfd_create("pmemdump-vm", MFD_CLOEXEC);
		if (fd < 0)
			return log_fail(log, PMD_EIO, "memfd_create: %s", strerror(errno));
		return fd;
	}
	fd = open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EOPNOTSUPP || errno == EISDIR)
			return log_fail(log, PMD_EUNSUPPORTED,
					"--tmpdir %s: its file system has no O_TMPFILE (files without a name)",
					tmpdir);
		return log_fail(log, PMD_EIO, "--tmpdir %s: %s", tmpdir, strerror(errno));
	}
	return fd;
}

int vm_dumpfd_room(const char *tmpdir, uint64_t bytes, const char *meminfo, struct log_ctx *log)
{
	char need[32], have[32];
	uint64_t avail;

	vm_human_bytes(bytes, need, sizeof(need));
	if (!tmpdir) {
		if (!meminfo_bytes(meminfo, "MemAvailable", &avail))
			return log_fail(log, PMD_EIO, "%s: no MemAvailable line", meminfo);
		if (bytes <= avail)
			return 0;
		vm_human_bytes(avail, have, sizeof(have));
		return log_fail(log, PMD_ENOMEM,
				"the unfiltered dump needs about %s and only %s of RAM is available for a memfd: use --tmpdir DIR on a file system with room",
				need, have);
	} else {
		struct statvfs sv;

		if (statvfs(tmpdir, &sv) < 0)
			return log_fail(log, PMD_EIO, "--tmpdir %s: %s", tmpdir, strerror(errno));
		avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		if (bytes <= avail)
			return 0;
		vm_human_bytes(avail, have, sizeof(have));
		return log_fail(log, PMD_ENOMEM,
				"the unfiltered dump needs about %s and --tmpdir %s has %s free", need,
				tmpdir, have);
	}
}

int vm_find_program(const char *name, char *out, size_t size, struct log_ctx *log)
{
	const char *path = getenv("PATH"), *p, *end;

	if (strchr(name, '/')) {
		if (access(name, X_OK) < 0)
			return log_fail(log, PMD_EINVAL, "makedumpfile %s: %s", name, strerror(errno));
		snprintf(out, size, "%s", name);
		return 0;
	}
	/* execvp()'s default when PATH is unset. */
	for (p = path ? path : "/bin:/usr/bin"; *p; p = *end ? end + 1 : end) {
		struct stat st;
		size_t len;

		end = strchrnul(p, ':');
		len = (size_t)(end - p);
		if ((size_t)snprintf(out, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name) >= size)
			continue;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
	}
	return log_fail(log, PMD_EINVAL, "no %s in PATH (--makedumpfile PATH names one)", name);
}

char **vm_filter_argv(const struct vm_filter_cmd *c, char *input, size_t input_size)
{
	char **argv = calloc(c->nr_user + c->nr_pmem + 4, sizeof(*argv));
	size_t n = 0;

	if (!argv)
		return NULL;
	snprintf(input, input_size, "/proc/self/fd/%d", c->input_fd);
	argv[n++] = (char *)c->program;
	for (size_t i = 0; i < c->nr_user; i++)
		argv[n++] = c->user_args[i];
	for (size_t i = 0; i < c->nr_pmem; i++)
		argv[n++] = c->pmem_args[i];
	argv[n++] = input;
	argv[n++] = (char *)c->dumpfile;
	argv[n] = NULL;
	return argv;
}

int vm_filter_run(const struct vm_filter_cmd *c, struct log_ctx *log)
{
	char input[32];
	char **argv = vm_filter_argv(c, input, sizeof(input));
	pid_t pid;

	if (!argv)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(argv);
		return log_fail(log, PMD_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* Only makedumpfile inherits the dump; every other fd stays close-on-exec. */
		if (fcntl(c->input_fd, F_SETFD, 0) == 0)
			execv(c->program, argv);
		dprintf(STDERR_FILENO, "pmemdump-vm: cannot run %s: %s\n", c->program, strerror(errno));
		_exit(127);
	}
	free(argv);
	return child_wait(pid, "makedumpfile", log);
}
