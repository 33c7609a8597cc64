/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_UTIL_LOG_H
#define MDF_UTIL_LOG_H

/*
 * Message classes, as bits of makedumpfile's --message-level, so the same
 * scripts that quiet or raise makedumpfile's output work on ours.
 */
enum mdf_msg_class {
	MDF_MSG_PROGRESS = 1,
	MDF_MSG_COMMON = 2,
	MDF_MSG_ERROR = 4,
	MDF_MSG_DEBUG = 8,
	MDF_MSG_REPORT = 16,
};

#define MDF_MSG_DEFAULT (MDF_MSG_PROGRESS | MDF_MSG_COMMON | MDF_MSG_ERROR)
#define MDF_MSG_ALL 31

void log_set_level(int level);
/* Send what normally goes to stdout to stderr (stdout carries a dump). */
void log_use_stderr(void);
int log_level(void);
int log_enabled(enum mdf_msg_class cls);

/* Errors are one line, prefixed with the program name. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
