/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_CHILD_H
#define PMD_UTIL_CHILD_H

/* A child process's end, waited for and worded the same in every tool. */
#include <stddef.h>
#include <sys/types.h>

#include "util/log.h"

/*
 * @status of waitpid() in words, into @buf: "exited with status N" or
 * "was killed by signal N (Name)".
 */
void child_status_text(int status, char *buf, size_t size);

/*
 * Wait for @pid; waitpid() interrupted by a signal is retried (a signal
 * sent to the process group reached the child too: its end tells). 0 when
 * it exited 0; else -PMD_EIO recorded as "@name exited with status N" or
 * "@name was killed by signal N (Name)", or "waitpid: ...".
 */
int child_wait(pid_t pid, const char *name, struct log_ctx *log);

#endif
