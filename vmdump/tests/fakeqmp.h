/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMDUMP_TESTS_FAKEQMP_H
#define VMDUMP_TESTS_FAKEQMP_H

/*
 * A fake QEMU monitor for the tests: a forked child that listens on a
 * unix socket in a test folder, greets, and answers the commands of a
 * script in order. It writes one transcript line per command it receives
 * ("name {args}", " +fd" when a descriptor came with it) to a file, the
 * fake makedumpfile appends its own line to the same file, so a test
 * sees what was asked of QEMU and in which order with the filter.
 *
 * The child listens itself, so SO_PEERCRED gives its pid and
 * /proc/<pid>/maps and cwd are its own: it maps the backing files it is
 * given, and runs in the test folder, as QEMU would.
 *
 * Include after <cmocka.h> and "util/tests/fakeroot.h": the parent side
 * asserts; the child never calls cmocka.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

/* What a step does beside replying. */
enum {
	FQ_WRITE_ELF = 1,	/* write FQ_ELF into the descriptor getfd brought */
	FQ_CLOSE = 2,		/* close the connection after the reply (or the unasked text) */
	FQ_NO_REPLY = 4,	/* close instead of replying */
	FQ_PRETTY = 8,		/* the reply over several lines (pretty=on) */
	FQ_STALE = 16,		/* a reply to an older id first */
};

/* The fake guest memory QEMU "dumps": an ELF magic and a few bytes. */
#define FQ_ELF "\177ELF fake guest memory\n"

#define FQ_GREETING \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, " \
	"\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\r\n"

/* Events as QEMU 7.2 sends them. */
#define FQ_EVENT(name, data) \
	"{\"timestamp\": {\"seconds\": 1764450000, \"microseconds\": 250000}, " \
	"\"event\": \"" name "\", \"data\": " data "}\r\n"
#define FQ_EVENT_AT(name, data, sec, usec) \
	"{\"timestamp\": {\"seconds\": " #sec ", \"microseconds\": " #usec "}, " \
	"\"event\": \"" name "\", \"data\": " data "}\r\n"

struct fq_step {
	/*
	 * The command expected, or NULL for a message sent unasked (an
	 * event) after @delay_ms. A script ends with a step of all zeros.
	 */
	const char *expect;
	const char *reply;	/* the reply's JSON ("id" is added); NULL: {"return": {}} */
	const char *before;	/* raw text sent before the reply (events) */
	unsigned int flags;
	int delay_ms;
};

struct fq_server {
	pid_t pid;
	char sock[PATH_MAX];
	char transcript[PATH_MAX];
};

/* ------------------------------------------------------------ the child */

static inline void fq_write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

static inline void fq_log(const char *transcript, const char *line)
{
	int fd = open(transcript, O_WRONLY | O_APPEND | O_CREAT, 0600);

	if (fd < 0)
		return;
	fq_write_all(fd, line, strlen(line));
	close(fd);
}

static inline void fq_sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The next line the client sent, into @line; a descriptor that came with
 * it into *@fd. false at the end of the connection.
 */
static inline bool fq_read_line(int conn, char *buf, size_t *have, char *line, size_t size,
				int *fd)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *have);
		union {
			char b[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec iov;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *cmsg;
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - buf);

			snprintf(line, size, "%.*s", (int)len, buf);
			memmove(buf, nl + 1, *have - len - 1);
			*have -= len + 1;
			return true;
		}
		if (*have >= 65536)
			return false;
		iov.iov_base = buf + *have;
		iov.iov_len = 65536 - *have;
		mh.msg_control = control.b;
		mh.msg_controllen = sizeof(control.b);
		n = recvmsg(conn, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg))
			if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
				memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
		*have += (size_t)n;
	}
}

static inline void fq_send_reply(int conn, const struct fq_step *st, struct json_object *id)
{
	struct json_object *reply = json_tokener_parse(st->reply ? st->reply : "{\"return\": {}}");
	int flags = st->flags & FQ_PRETTY ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_SPACED;
	const char *text;

	if (!reply)
		_exit(3);
	if (st->flags & FQ_STALE) {
		struct json_object *stale = json_object_get(reply);

		json_object_object_add(stale, "id", json_object_new_int(999999));
		text = json_object_to_json_string_ext(stale, flags);
		fq_write_all(conn, text, strlen(text));
		fq_write_all(conn, "\r\n", 2);
		json_object_object_del(reply, "id");
	}
	if (id)
		json_object_object_add(reply, "id", json_object_get(id));
	text = json_object_to_json_string_ext(reply, flags);
	fq_write_all(conn, text, strlen(text));
	fq_write_all(conn, "\r\n", 2);
	json_object_put(reply);
}

/* The child's whole life: exits 0 when the script ran to its end, else 1. */
static inline void fq_serve(int lsock, const char *greeting, const struct fq_step *script,
			    const char *transcript)
{
	static char buf[65536];
	char line[65536], entry[65600];
	size_t have = 0;
	int conn, fd = -1, last_fd = -1;
	bool ok = true;

	conn = accept(lsock, NULL, NULL);
	if (conn < 0)
		_exit(2);
	fq_write_all(conn, greeting, strlen(greeting));
	for (const struct fq_step *st = script;; st++) {
		struct json_object *req, *v, *id = NULL;
		const char *name = "?";

		if (!st->expect && st->before) {
			/* Unasked: an event while the client waits. */
			fq_sleep_ms(st->delay_ms);
			fq_write_all(conn, st->before, strlen(st->before));
			if (st->flags & FQ_CLOSE) {
				close(conn);
				_exit(ok ? 0 : 1);
			}
			continue;
		}
		if (!fq_read_line(conn, buf, &have, line, sizeof(line), &fd)) {
			/* The client went away: fine only at the end of the script. */
			_exit(st->expect ? 1 : ok ? 0 : 1);
		}
		req = json_tokener_parse(line);
		if (req && json_object_object_get_ex(req, "execute", &v))
			name = json_object_get_string(v);
		if (req)
			json_object_object_get_ex(req, "id", &id);
		snprintf(entry, sizeof(entry), "%s%s", st->expect && !strcmp(st->expect, name) ? "" : "UNEXPECTED ",
			 name);
		if (req && json_object_object_get_ex(req, "arguments", &v))
			snprintf(entry + strlen(entry), sizeof(entry) - strlen(entry), " %s",
				 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		snprintf(entry + strlen(entry), sizeof(entry) - strlen(entry), "%s\n", fd >= 0 ? " +fd" : "");
		fq_log(transcript, entry);
		if (fd >= 0) {
			if (last_fd >= 0)
				close(last_fd);
			last_fd = fd;
			fd = -1;
		}
		if (!st->expect || strcmp(st->expect, name)) {
			/* Off script: say so as QEMU would and stay at this step. */
			struct fq_step refuse = {
				.reply = "{\"error\": {\"class\": \"GenericError\", \"desc\": \"off script\"}}",
			};

			ok = false;
			fq_send_reply(conn, &refuse, id);
			json_object_put(req);
			st--;
			continue;
		}
		if (st->delay_ms)
			fq_sleep_ms(st->delay_ms);
		if (st->flags & FQ_WRITE_ELF && last_fd >= 0)
			fq_write_all(last_fd, FQ_ELF, strlen(FQ_ELF));
		if (st->before)
			fq_write_all(conn, st->before, strlen(st->before));
		if (st->flags & FQ_NO_REPLY)
			_exit(ok ? 0 : 1);
		fq_send_reply(conn, st, id);
		json_object_put(req);
		if (st->flags & FQ_CLOSE) {
			/* As QEMU at its exit: the socket closes, the process goes. */
			close(conn);
			_exit(ok ? 0 : 1);
		}
	}
}

/* ------------------------------------------------------------ the parent */

/*
 * Start a fake QEMU in @dir: socket @dir/qmp.sock, transcript
 * @dir/transcript. It changes to @dir (a relative mem-path is found
 * there) and maps each file of @map (NULL-terminated, relative to @dir)
 * as QEMU maps NVDIMM backing files. @greeting NULL: QEMU 7.2's.
 */
static inline void fq_start(struct fq_server *s, const char *dir, const char *greeting,
			    const struct fq_step *script, const char *const *map)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int ready[2];
	char c;

	snprintf(s->sock, sizeof(s->sock), "%s/qmp.sock", dir);
	snprintf(s->transcript, sizeof(s->transcript), "%s/transcript", dir);
	assert_true(strlen(s->sock) < sizeof(addr.sun_path));
	strcpy(addr.sun_path, s->sock);
	assert_int_equal(pipe(ready), 0);
	fflush(NULL);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		int lsock = socket(AF_UNIX, SOCK_STREAM, 0);

		close(ready[0]);
		/* A test that goes wrong must not hang the suite. */
		alarm(30);
		/* The client may be gone before the last "\r\n": as QEMU, do not die of it. */
		signal(SIGPIPE, SIG_IGN);
		if (chdir(dir) < 0)
			_exit(2);
		for (size_t i = 0; map && map[i]; i++) {
			int fd = open(map[i], O_RDWR);
			struct stat st;

			if (fd < 0 || fstat(fd, &st) < 0 ||
			    mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
				    MAP_FAILED)
				_exit(2);
			close(fd);
		}
		if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		    listen(lsock, 4) < 0)
			_exit(2);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		close(ready[1]);
		fq_serve(lsock, greeting ? greeting : FQ_GREETING, script, s->transcript);
		_exit(1);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
}

/* Wait for the fake QEMU; its exit status (0: the script ran to its end). */
static inline int fq_finish(struct fq_server *s)
{
	int status;

	assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* For a test whose client never connects. */
static inline void fq_kill(struct fq_server *s)
{
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
}

/* The transcript as one string ("" when nothing came), malloc'ed. */
static inline char *fq_transcript(const struct fq_server *s)
{
	char *text = calloc(1, 65536);
	ssize_t n = 0;
	int fd;

	assert_non_null(text);
	fd = open(s->transcript, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, text, 65535);
		close(fd);
	}
	assert_true(n >= 0);
	text[n] = '\0';
	return text;
}

#endif
