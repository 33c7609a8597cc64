/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_LOG_H
#define PMD_UTIL_LOG_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * What went wrong, as a library call returns it (negated). The tool
 * decides what to say: a probe that gets PMD_ENOTFMT tries the next
 * format, where PMD_ECORRUPT is the end of the run.
 */
enum pmd_status {
	PMD_OK = 0,
	PMD_ENOTFMT,		/* not this format: try another */
	PMD_ECORRUPT,		/* this format, but damaged or inconsistent */
	PMD_EUNSUPPORTED,	/* well formed, but a kind we do not handle */
	PMD_EIO,		/* the system failed a read, write or open */
	PMD_ENOMEM,
	PMD_EEXIST,		/* an output that must not be replaced */
	PMD_EINVAL,		/* the caller asked for something impossible */
	PMD_NR_STATUS
};

/* A short generic text for @status (negated or not). */
const char *pmd_status_text(int status);

/*
 * Message classes, as bits of makedumpfile's --message-level, so scripts
 * that quiet or raise makedumpfile's output work on every tool.
 */
enum log_class {
	LOG_PROGRESS = 1,
	LOG_COMMON = 2,
	LOG_ERROR = 4,
	LOG_DEBUG = 8,
	LOG_REPORT = 16,
};

#define LOG_DEFAULT (LOG_PROGRESS | LOG_COMMON | LOG_ERROR)
#define LOG_ALL 31

/*
 * The logging context of one tool run, as ndctl's log_ctx: it names its
 * owner, filters by class, and holds the first error the libraries met
 * until the caller words and prints it. Libraries never print an error
 * themselves; they print warnings, messages and debug output through it.
 */
struct log_ctx {
	const char *owner;		/* "makedumpfile", "kexec", ... */
	int level;			/* enum log_class bits */
	FILE *msg;			/* messages and reports: stdout by default */
	pthread_mutex_t lock;		/* errors may come from worker threads */
	int status;			/* enum pmd_status of the first error */
	char error[512];
};

void log_init(struct log_ctx *log, const char *owner);
void log_destroy(struct log_ctx *log);

static inline bool log_enabled(const struct log_ctx *log, enum log_class cls)
{
	return (log->level & cls) != 0;
}

/*
 * Record an error: the first one since log_clear_error() is kept, later
 * ones (callers adding their own view of the same fault) are dropped.
 * Returns -@status, so that `return log_fail(...)` reads naturally. A
 * trailing newline in @fmt is dropped.
 */
int log_fail(struct log_ctx *log, enum pmd_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_clear_error(struct log_ctx *log);
/* The recorded error's status (0: none) and text ("" when none). */
int log_error_status(const struct log_ctx *log);
const char *log_error_text(const struct log_ctx *log);
/*
 * For the tool: print the recorded error as one line "owner: text" on
 * stderr, or the generic text of @status when none was recorded.
 */
void log_print_error(struct log_ctx *log, int status);

void log_vprintf(struct log_ctx *log, enum log_class cls, const char *prefix,
		 const char *fmt, va_list ap);
/* "owner: warning: ..." on stderr, at once. */
void log_warn(struct log_ctx *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Progress-free messages ("The dumpfile is saved to ...") on the message stream. */
void log_msg(struct log_ctx *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_debug(struct log_ctx *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_report(struct log_ctx *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error line printed at once, for a tool's own command-line errors. */
void log_err(struct log_ctx *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
