// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/log.h"

static int msg_level = MDF_MSG_DEFAULT;
static bool messages_to_stderr;

void log_set_level(int level)
{
	msg_level = level;
}

void log_use_stderr(void)
{
	messages_to_stderr = true;
}

int log_level(void)
{
	return msg_level;
}

int log_enabled(enum mdf_msg_class cls)
{
	return (msg_level & cls) != 0;
}

static void vlog(enum mdf_msg_class cls, FILE *out, const char *prefix,
		 const char *fmt, va_list ap)
{
	if (!log_enabled(cls))
		return;
	if (messages_to_stderr)
		out = stderr;
	if (prefix)
		fputs(prefix, out);
	vfprintf(out, fmt, ap);
}

#define DEFINE_LOGGER(name, cls, stream, prefix)		\
	void name(const char *fmt, ...)				\
	{							\
		va_list ap;					\
		va_start(ap, fmt);				\
		vlog(cls, stream, prefix, fmt, ap);		\
		va_end(ap);					\
	}

DEFINE_LOGGER(pr_err, MDF_MSG_ERROR, stderr, "makedumpfile: ")
DEFINE_LOGGER(pr_warn, MDF_MSG_ERROR, stderr, "makedumpfile: warning: ")
DEFINE_LOGGER(pr_msg, MDF_MSG_COMMON, stdout, NULL)
DEFINE_LOGGER(pr_debug, MDF_MSG_DEBUG, stderr, NULL)
DEFINE_LOGGER(pr_report, MDF_MSG_REPORT, stdout, NULL)
