// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QMP client: one request at a time, each with its own "id" so that a
 * late reply to a command that timed out is never taken for the next
 * one's; events queued as they come.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "src/qmp.h"

/* QEMU greets at once; a wait means another client holds the monitor. */
#define QMP_GREETING_MS 10000
/* Events nobody asked for (RTC_CHANGE, ...) must not grow without end. */
#define QMP_MAX_EVENTS 1024

/* Microseconds: a deadline kept in whole milliseconds could end a wait
 * up to 1 ms before its timeout. */
static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t deadline_after(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_us() + (int64_t)timeout_ms * 1000;
}

static int closed_error(struct qmp *q)
{
	q->closed = true;
	return log_fail(q->log, PMD_EIO, "QEMU closed the QMP connection");
}

/*
 * The next JSON object from QEMU. @interruptible: give up when
 * *q->interrupted is set (waits for events; a reply is always awaited).
 */
static int next_message(struct qmp *q, int64_t deadline, bool interruptible,
			struct json_object **msg)
{
	for (;;) {
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		enum json_tokener_error jerr;
		struct json_object *obj;
		int wait_ms = -1;
		ssize_t n;
		int ret;

		if (q->buf_start < q->buf_end) {
			obj = json_tokener_parse_ex(q->tok, q->buf + q->buf_start,
						    (int)(q->buf_end - q->buf_start));
			jerr = json_tokener_get_error(q->tok);
			if (obj) {
				q->buf_start += json_tokener_get_parse_end(q->tok);
				json_tokener_reset(q->tok);
				if (!json_object_is_type(obj, json_type_object)) {
					json_object_put(obj);
					return log_fail(q->log, PMD_ECORRUPT,
							"QMP: a message from QEMU is not a JSON object");
				}
				*msg = obj;
				return 0;
			}
			if (jerr != json_tokener_continue) {
				if (!q->version[0])
					return log_fail(q->log, PMD_ENOTFMT,
							"not a QMP monitor: the socket does not speak JSON (an HMP -monitor socket?)");
				return log_fail(q->log, PMD_ECORRUPT, "QMP: malformed message from QEMU: %s",
						json_tokener_error_desc(jerr));
			}
			/* All of it is inside the tokener now. */
			q->buf_start = q->buf_end = 0;
		}
		if (q->closed)
			return closed_error(q);
		if (interruptible && q->interrupted && *q->interrupted)
			return QMP_INTERRUPTED;
		if (deadline >= 0) {
			/* rounded up: poll() must not end before the deadline */
			int64_t left = (deadline - now_us() + 999) / 1000;

			wait_ms = left > 0 ? (left > INT32_MAX ? INT32_MAX : (int)left) : 0;
		}
		ret = poll(&pfd, 1, wait_ms);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return log_fail(q->log, PMD_EIO, "QMP: poll: %s", strerror(errno));
		}
		if (ret == 0) {
			if (deadline >= 0 && now_us() >= deadline)
				return QMP_TIMEOUT;
			continue;
		}
		n = read(q->fd, q->buf, sizeof(q->buf));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ECONNRESET)
				return closed_error(q);
			return log_fail(q->log, PMD_EIO, "QMP: read: %s", strerror(errno));
		}
		if (n == 0)
			return closed_error(q);
		q->buf_start = 0;
		q->buf_end = (size_t)n;
	}
}

const char *qmp_member_string(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void queue_event(struct qmp *q, struct json_object *event)
{
	if (q->nr_events == QMP_MAX_EVENTS) {
		json_object_put(q->events[0]);
		memmove(q->events, q->events + 1, --q->nr_events * sizeof(q->events[0]));
	}
	if (q->nr_events == q->max_events) {
		size_t max = q->max_events ? 2 * q->max_events : 16;
		struct json_object **events = realloc(q->events, max * sizeof(*events));

		if (!events) {
			/* Losing an event nobody waits for yet beats failing the dump. */
			json_object_put(event);
			return;
		}
		q->events = events;
		q->max_events = max;
	}
	q->events[q->nr_events++] = event;
}

struct json_object *qmp_take_event(struct qmp *q, const char *name)
{
	for (size_t i = 0; i < q->nr_events; i++) {
		struct json_object *event = q->events[i];
		const char *ename = qmp_member_string(event, "event");

		if (!ename || strcmp(ename, name))
			continue;
		memmove(q->events + i, q->events + i + 1, (q->nr_events - i - 1) * sizeof(q->events[0]));
		q->nr_events--;
		return event;
	}
	return NULL;
}

static int send_all(struct qmp *q, const char *text, size_t len, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;

	while (len) {
		struct iovec iov = { .iov_base = (void *)text, .iov_len = len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (pass_fd >= 0) {
			struct cmsghdr *cmsg;

			memset(&control, 0, sizeof(control));
			mh.msg_control = control.buf;
			mh.msg_controllen = sizeof(control.buf);
			cmsg = CMSG_FIRSTHDR(&mh);
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cmsg), &pass_fd, sizeof(int));
		}
		/* MSG_NOSIGNAL: a dead QEMU is an error line, not SIGPIPE. */
		n = sendmsg(q->fd, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return closed_error(q);
			return log_fail(q->log, PMD_EIO, "QMP: send: %s", strerror(errno));
		}
		/* The descriptor travels with the first bytes only. */
		pass_fd = -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int qmp_execute(struct qmp *q, const char *cmd, struct json_object *args, int pass_fd,
		int timeout_ms, struct json_object **ret)
{
	struct json_object *req = json_object_new_object();
	unsigned long id = ++q->next_id;
	int64_t deadline;
	const char *text;
	char *line;
	int err;

	if (ret)
		*ret = NULL;
	if (!req) {
		json_object_put(args);
		return log_fail(q->log, PMD_ENOMEM, "out of memory");
	}
	json_object_object_add(req, "execute", json_object_new_string(cmd));
	if (args)
		json_object_object_add(req, "arguments", args);
	json_object_object_add(req, "id", json_object_new_uint64(id));
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	line = text ? malloc(strlen(text) + 2) : NULL;
	if (!line) {
		json_object_put(req);
		return log_fail(q->log, PMD_ENOMEM, "out of memory");
	}
	strcpy(line, text);
	strcat(line, "\n");
	json_object_put(req);
	err = send_all(q, line, strlen(line), pass_fd);
	free(line);
	if (err)
		return err;

	deadline = deadline_after(timeout_ms);
	for (;;) {
		struct json_object *msg, *v;

		err = next_message(q, deadline, false, &msg);
		if (err == QMP_TIMEOUT)
			return log_fail(q->log, PMD_EIO, "QMP: no reply to %s within %d s", cmd,
					(timeout_ms + 999) / 1000);
		if (err)
			return err;
		if (json_object_object_get_ex(msg, "event", NULL)) {
			queue_event(q, msg);
			continue;
		}
		/* A reply without an id is QEMU's to a request it could not parse. */
		if (json_object_object_get_ex(msg, "id", &v) &&
		    (uint64_t)json_object_get_uint64(v) != id) {
			json_object_put(msg);
			continue;
		}
		if (json_object_object_get_ex(msg, "error", &v)) {
			const char *cls = qmp_member_string(v, "class");
			const char *desc = qmp_member_string(v, "desc");

			snprintf(q->error_class, sizeof(q->error_class), "%s", cls ? cls : "");
			snprintf(q->error_desc, sizeof(q->error_desc), "%s", desc ? desc : "(no description)");
			json_object_put(msg);
			return QMP_REFUSED;
		}
		if (json_object_object_get_ex(msg, "return", &v)) {
			if (ret)
				*ret = json_object_get(v);
			json_object_put(msg);
			return 0;
		}
		/* Neither event nor reply: nothing QMP defines; skip it. */
		json_object_put(msg);
	}
}

int qmp_call(struct qmp *q, const char *cmd, struct json_object *args, int pass_fd,
	     int timeout_ms, struct json_object **ret)
{
	int err = qmp_execute(q, cmd, args, pass_fd, timeout_ms, ret);

	if (err == QMP_REFUSED)
		return log_fail(q->log, PMD_EINVAL, "QEMU refused %s: %s", cmd, q->error_desc);
	return err;
}

int qmp_wait_event(struct qmp *q, const char *name, int timeout_ms, struct json_object **event)
{
	int64_t deadline = deadline_after(timeout_ms);

	*event = qmp_take_event(q, name);
	while (!*event) {
		struct json_object *msg;
		const char *ename;
		int err;

		/* Other events must not stretch the wait past its end. */
		if (deadline >= 0 && now_us() >= deadline)
			return QMP_TIMEOUT;
		err = next_message(q, deadline, true, &msg);
		if (err)
			return err;
		ename = qmp_member_string(msg, "event");
		if (!ename) {
			/* A late reply to a command that timed out. */
			json_object_put(msg);
			continue;
		}
		if (!strcmp(ename, name))
			*event = msg;
		else
			queue_event(q, msg);
	}
	return 0;
}

bool qmp_event_time(struct json_object *event, struct timespec *ts)
{
	struct json_object *stamp, *sec, *usec;

	if (!json_object_object_get_ex(event, "timestamp", &stamp) ||
	    !json_object_object_get_ex(stamp, "seconds", &sec) ||
	    !json_object_object_get_ex(stamp, "microseconds", &usec))
		return false;
	/* QEMU sends -1/-1 when its clock failed. */
	if (json_object_get_int64(sec) < 0 || json_object_get_int64(usec) < 0)
		return false;
	ts->tv_sec = (time_t)json_object_get_int64(sec);
	ts->tv_nsec = (long)(json_object_get_int64(usec) % 1000000) * 1000;
	return true;
}

int qmp_start(struct qmp *q, int fd, struct log_ctx *log)
{
	struct json_object *greeting, *v, *ver;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int err;

	memset(q, 0, sizeof(*q));
	q->log = log;
	q->fd = fd;
	q->tok = json_tokener_new();
	if (!q->tok)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	/* QEMU's pid, to find its working directory for a relative mem-path. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid > 0)
		q->peer_pid = cred.pid;

	err = next_message(q, deadline_after(QMP_GREETING_MS), false, &greeting);
	if (err == QMP_TIMEOUT)
		return log_fail(log, PMD_EIO,
				"no QMP greeting within %d s: another client may hold the monitor (QEMU serves one at a time)",
				QMP_GREETING_MS / 1000);
	if (err)
		return err;
	if (!json_object_object_get_ex(greeting, "QMP", &v)) {
		json_object_put(greeting);
		return log_fail(log, PMD_ENOTFMT, "not a QMP monitor: no QMP greeting");
	}
	if (json_object_object_get_ex(v, "version", &ver) &&
	    json_object_object_get_ex(ver, "qemu", &ver)) {
		struct json_object *major, *minor, *micro;

		if (json_object_object_get_ex(ver, "major", &major) &&
		    json_object_object_get_ex(ver, "minor", &minor) &&
		    json_object_object_get_ex(ver, "micro", &micro))
			snprintf(q->version, sizeof(q->version), "%d.%d.%d",
				 json_object_get_int(major), json_object_get_int(minor),
				 json_object_get_int(micro));
	}
	if (!q->version[0])
		snprintf(q->version, sizeof(q->version), "unknown");
	json_object_put(greeting);
	return qmp_call(q, "qmp_capabilities", NULL, -1, QMP_GREETING_MS, NULL);
}

int qmp_connect(struct qmp *q, const char *path, struct log_ctx *log)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	if (strlen(path) >= sizeof(addr.sun_path))
		return log_fail(log, PMD_EINVAL, "%s: socket path too long (at most %zu bytes)", path,
				sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT)
			return log_fail(log, PMD_EIO,
					"%s: no such socket (is QEMU running with -qmp unix:%s,server=on?)",
					path, path);
		if (e == ECONNREFUSED)
			return log_fail(log, PMD_EIO,
					"%s: connection refused (no QEMU listens there any more)", path);
		return log_fail(log, PMD_EIO, "%s: %s", path, strerror(e));
	}
	return qmp_start(q, fd, log);
}

void qmp_close(struct qmp *q)
{
	for (size_t i = 0; i < q->nr_events; i++)
		json_object_put(q->events[i]);
	free(q->events);
	q->events = NULL;
	q->nr_events = q->max_events = 0;
	if (q->tok)
		json_tokener_free(q->tok);
	q->tok = NULL;
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
