// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "util/log.h"

static const char *const status_text[PMD_NR_STATUS] = {
	[PMD_OK] = "success",
	[PMD_ENOTFMT] = "not a format this tool reads",
	[PMD_ECORRUPT] = "corrupt input",
	[PMD_EUNSUPPORTED] = "not supported",
	[PMD_EIO] = "input/output error",
	[PMD_ENOMEM] = "out of memory",
	[PMD_EEXIST] = "the output already exists",
	[PMD_EINVAL] = "invalid request",
};

const char *pmd_status_text(int status)
{
	if (status < 0)
		status = -status;
	return status < PMD_NR_STATUS ? status_text[status] : "unknown error";
}

void log_init(struct log_ctx *log, const char *owner)
{
	memset(log, 0, sizeof(*log));
	log->owner = owner;
	log->level = LOG_DEFAULT;
	log->msg = stdout;
	pthread_mutex_init(&log->lock, NULL);
}

void log_destroy(struct log_ctx *log)
{
	pthread_mutex_destroy(&log->lock);
}

int log_fail(struct log_ctx *log, enum pmd_status status, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	pthread_mutex_lock(&log->lock);
	if (!log->status) {
		log->status = status;
		va_start(ap, fmt);
		vsnprintf(log->error, sizeof(log->error), fmt, ap);
		va_end(ap);
		len = strlen(log->error);
		while (len && log->error[len - 1] == '\n')
			log->error[--len] = '\0';
	}
	pthread_mutex_unlock(&log->lock);
	return -(int)status;
}

void log_clear_error(struct log_ctx *log)
{
	pthread_mutex_lock(&log->lock);
	log->status = 0;
	log->error[0] = '\0';
	pthread_mutex_unlock(&log->lock);
}

int log_error_status(const struct log_ctx *log)
{
	return log->status;
}

const char *log_error_text(const struct log_ctx *log)
{
	return log->error;
}

void log_print_error(struct log_ctx *log, int status)
{
	if (!log_enabled(log, LOG_ERROR))
		return;
	if (log->status)
		fprintf(stderr, "%s: %s\n", log->owner, log->error);
	else
		fprintf(stderr, "%s: %s\n", log->owner, pmd_status_text(status));
}

void log_vprintf(struct log_ctx *log, enum log_class cls, const char *prefix,
		 const char *fmt, va_list ap)
{
	FILE *out = cls == LOG_COMMON || cls == LOG_REPORT ? log->msg : stderr;

	if (!log_enabled(log, cls))
		return;
	if (prefix)
		fprintf(out, "%s: %s", log->owner, prefix);
	vfprintf(out, fmt, ap);
}

#define DEFINE_LOGGER(name, cls, prefix)			\
	void name(struct log_ctx *log, const char *fmt, ...)	\
	{							\
		va_list ap;					\
		va_start(ap, fmt);				\
		log_vprintf(log, cls, prefix, fmt, ap);		\
		va_end(ap);					\
	}

DEFINE_LOGGER(log_err, LOG_ERROR, "")
DEFINE_LOGGER(log_warn, LOG_ERROR, "warning: ")
DEFINE_LOGGER(log_msg, LOG_COMMON, NULL)
DEFINE_LOGGER(log_debug, LOG_DEBUG, NULL)
DEFINE_LOGGER(log_report, LOG_REPORT, NULL)
