// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "util/child.h"

void child_status_text(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended with wait status 0x%x", (unsigned int)status);
}

int child_wait(pid_t pid, const char *name, struct log_ctx *log)
{
	char how[128];
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return log_fail(log, PMD_EIO, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	child_status_text(status, how, sizeof(how));
	return log_fail(log, PMD_EIO, "%s %s", name, how);
}
