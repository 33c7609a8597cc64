/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMDUMP_QMP_H
#define VMDUMP_QMP_H

/*
 * A QMP client on a unix socket: QEMU's greeting, qmp_capabilities,
 * commands (optionally carrying a file descriptor, as getfd wants it) and
 * events. QEMU may send events at any time, also between a command and
 * its reply: they are queued, in order, for qmp_wait_event() and
 * qmp_take_event().
 *
 * Messages are parsed as a stream of JSON objects, not lines, so a
 * monitor started with pretty=on works too. A connection that closes is
 * an error at once: a dead QEMU never makes a caller wait.
 */
#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include <json-c/json.h>

#include "util/log.h"

/* Return values beside 0 and -pmd_status (the latter recorded in the log). */
enum {
	QMP_REFUSED = 1,	/* QEMU replied with an error: q->error_desc */
	QMP_TIMEOUT = 2,	/* nothing came in time */
	QMP_INTERRUPTED = 3,	/* *q->interrupted was set while waiting */
};

/* No deadline, for the commands whose time is the guest's size. */
#define QMP_FOREVER (-1)

struct qmp {
	struct log_ctx *log;
	int fd;
	pid_t peer_pid;			/* QEMU's pid (SO_PEERCRED); 0 unknown */
	char version[64];		/* "7.2.22", from the greeting */
	/* Set by a signal handler: waits for events give up (not replies). */
	volatile sig_atomic_t *interrupted;

	struct json_tokener *tok;
	char buf[16384];		/* bytes read, not yet given to tok */
	size_t buf_start, buf_end;
	bool closed;			/* QEMU closed the connection */

	struct json_object **events;	/* arrived before the caller asked */
	size_t nr_events, max_events;
	unsigned long next_id;

	char error_class[64];		/* of the last QMP_REFUSED reply */
	char error_desc[512];
};

/*
 * Connect to the QMP socket at @path, read the greeting and leave
 * capabilities negotiation mode. One error line for a missing socket, a
 * refused connection, or a peer that is not QMP.
 */
int qmp_connect(struct qmp *q, const char *path, struct log_ctx *log);
/* The same on a socket that is already connected (tests). Takes @fd. */
int qmp_start(struct qmp *q, int fd, struct log_ctx *log);
void qmp_close(struct qmp *q);

/*
 * Run @cmd with @args (taken; NULL for none), passing @pass_fd as
 * SCM_RIGHTS with the command's bytes when it is >= 0. Waits at most
 * @timeout_ms (QMP_FOREVER: until the reply or the connection's end) and
 * stores the "return" value in *@ret (to json_object_put) when @ret is
 * not NULL. 0, QMP_REFUSED (QEMU's error in q->error_class/error_desc,
 * nothing recorded), or -status with the error recorded.
 */
int qmp_execute(struct qmp *q, const char *cmd, struct json_object *args, int pass_fd,
		int timeout_ms, struct json_object **ret);
/* qmp_execute() for a command that must succeed: QMP_REFUSED is an error too. */
int qmp_call(struct qmp *q, const char *cmd, struct json_object *args, int pass_fd,
	     int timeout_ms, struct json_object **ret);

/*
 * The first queued event named @name, else wait for one at most
 * @timeout_ms (QMP_FOREVER: no limit); events of other names stay queued.
 * 0 with *@event set (to json_object_put), QMP_TIMEOUT, QMP_INTERRUPTED,
 * or -status.
 */
int qmp_wait_event(struct qmp *q, const char *name, int timeout_ms, struct json_object **event);
/* The first queued event named @name without waiting, or NULL. */
struct json_object *qmp_take_event(struct qmp *q, const char *name);

/* An event's "timestamp" (host wall clock); false when it has none. */
bool qmp_event_time(struct json_object *event, struct timespec *ts);

/* The member @key of a QMP object when it is a string, else NULL. */
const char *qmp_member_string(struct json_object *obj, const char *key);

#endif
