// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QMP client against a fake QEMU: the greeting and capabilities,
 * replies matched by id, events that come before a reply, a descriptor
 * passed with getfd, QEMU's error replies, a monitor that closes, a wait
 * that times out, and sockets that are no QMP monitor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/qmp.h"
#include "util/tests/fakeroot.h"
#include "tests/fakeqmp.h"

struct conn {
	char *dir;
	struct fq_server server;
	struct qmp q;
	struct log_ctx log;
};

static void conn_start(struct conn *c, const char *greeting, const struct fq_step *script)
{
	c->dir = fake_root_new();
	fq_start(&c->server, c->dir, greeting, script, NULL);
	log_init(&c->log, "pmemdump-vm");
}

/* Close our end, wait for the fake QEMU; the transcript (to free). */
static char *conn_end(struct conn *c, int want_status)
{
	char *transcript;

	qmp_close(&c->q);
	assert_int_equal(fq_finish(&c->server), want_status);
	transcript = fq_transcript(&c->server);
	log_destroy(&c->log);
	fake_root_free(c->dir);
	return transcript;
}

static void greeting_and_capabilities(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ 0 },
	};
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	assert_string_equal(c.q.version, "7.2.22");
	/* The peer is the fake QEMU itself (it listened), not this process. */
	assert_int_equal(c.q.peer_pid, c.server.pid);
	t = conn_end(&c, 0);
	assert_string_equal(t, "qmp_capabilities\n");
	free(t);
}

/*
 * Events before a reply are queued in order; the reply is matched by id
 * (a stale one is skipped); a reply over several lines parses.
 */
static void events_before_reply(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "query-status",
		  "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}",
		  FQ_EVENT("RTC_CHANGE", "{\"offset\": 1}") FQ_EVENT_AT("STOP", "{}", 1764450001, 5)
			  FQ_EVENT("RTC_CHANGE", "{\"offset\": 2}"),
		  FQ_STALE | FQ_PRETTY },
		{ 0 },
	};
	struct json_object *ret, *ev, *v;
	struct timespec ts;
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	assert_int_equal(qmp_call(&c.q, "query-status", NULL, -1, 5000, &ret), 0);
	assert_true(json_object_object_get_ex(ret, "status", &v));
	assert_string_equal(json_object_get_string(v), "running");
	json_object_put(ret);
	assert_int_equal(c.q.nr_events, 3);

	/* Taken by name, the others keep their order. */
	ev = qmp_take_event(&c.q, "STOP");
	assert_non_null(ev);
	assert_true(qmp_event_time(ev, &ts));
	assert_int_equal(ts.tv_sec, 1764450001);
	assert_int_equal(ts.tv_nsec, 5000);
	json_object_put(ev);
	assert_null(qmp_take_event(&c.q, "STOP"));
	/* A queued event is found by a wait without waiting. */
	assert_int_equal(qmp_wait_event(&c.q, "RTC_CHANGE", 0, &ev), 0);
	assert_true(json_object_object_get_ex(ev, "data", &v));
	assert_true(json_object_object_get_ex(v, "offset", &v));
	assert_int_equal(json_object_get_int(v), 1);
	json_object_put(ev);
	assert_int_equal(c.q.nr_events, 1);
	t = conn_end(&c, 0);
	assert_string_equal(t, "qmp_capabilities\nquery-status\n");
	free(t);
}

/* getfd brings the descriptor; what QEMU writes into it, this process reads. */
static void fd_passing(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "getfd" },
		{ "dump-guest-memory", NULL, FQ_EVENT("DUMP_COMPLETED", "{\"result\": {\"total\": 24, \"status\": \"completed\", \"completed\": 24}}"),
		  FQ_WRITE_ELF },
		{ 0 },
	};
	struct json_object *args, *ev;
	char buf[64] = { 0 };
	struct conn c;
	int fd;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	fd = memfd_create("test", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	args = json_object_new_object();
	json_object_object_add(args, "fdname", json_object_new_string("x"));
	assert_int_equal(qmp_call(&c.q, "getfd", args, fd, 5000, NULL), 0);
	args = json_object_new_object();
	json_object_object_add(args, "paging", json_object_new_boolean(0));
	json_object_object_add(args, "protocol", json_object_new_string("fd:x"));
	assert_int_equal(qmp_call(&c.q, "dump-guest-memory", args, -1, QMP_FOREVER, NULL), 0);
	ev = qmp_take_event(&c.q, "DUMP_COMPLETED");
	assert_non_null(ev);
	json_object_put(ev);
	assert_int_equal(pread(fd, buf, sizeof(buf) - 1, 0), (ssize_t)strlen(FQ_ELF));
	assert_string_equal(buf, FQ_ELF);
	close(fd);
	t = conn_end(&c, 0);
	assert_string_equal(t, "qmp_capabilities\n"
			       "getfd {\"fdname\":\"x\"} +fd\n"
			       "dump-guest-memory {\"paging\":false,\"protocol\":\"fd:x\"}\n");
	free(t);
}

static void error_reply(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "qom-get", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Property 'memory-backend-file.offset' not found\"}}" },
		{ "stop", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"nope\"}}" },
		{ 0 },
	};
	struct json_object *ret;
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	/* qmp_execute: QEMU's refusal is an answer, not an error of the run. */
	assert_int_equal(qmp_execute(&c.q, "qom-get", NULL, -1, 5000, &ret), QMP_REFUSED);
	assert_null(ret);
	assert_string_equal(c.q.error_class, "GenericError");
	assert_string_equal(c.q.error_desc, "Property 'memory-backend-file.offset' not found");
	assert_int_equal(log_error_status(&c.log), 0);
	/* qmp_call: it is, with QEMU's desc. */
	assert_int_equal(qmp_call(&c.q, "stop", NULL, -1, 5000, NULL), -PMD_EINVAL);
	assert_string_equal(log_error_text(&c.log), "QEMU refused stop: nope");
	t = conn_end(&c, 0);
	assert_string_equal(t, "qmp_capabilities\nqom-get\nstop\n");
	free(t);
}

/* A QEMU that goes away mid-command is an error at once, not a hang. */
static void eof_during_command(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ "dump-guest-memory", NULL, NULL, FQ_NO_REPLY },
		{ 0 },
	};
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	assert_int_equal(qmp_call(&c.q, "dump-guest-memory", NULL, -1, QMP_FOREVER, NULL), -PMD_EIO);
	assert_string_equal(log_error_text(&c.log), "QEMU closed the QMP connection");
	assert_true(c.q.closed);
	/* And the next command fails the same way, at once. */
	log_clear_error(&c.log);
	assert_int_equal(qmp_call(&c.q, "cont", NULL, -1, QMP_FOREVER, NULL), -PMD_EIO);
	assert_string_equal(log_error_text(&c.log), "QEMU closed the QMP connection");
	t = conn_end(&c, 0);
	free(t);
}

static void wait_timeout_and_interrupt(void **state)
{
	static const struct fq_step script[] = {
		{ "qmp_capabilities" },
		{ NULL, NULL, FQ_EVENT("GUEST_PANICKED", "{\"action\": \"pause\"}"), 0, 300 },
		{ 0 },
	};
	volatile sig_atomic_t stop = 1;
	struct json_object *ev;
	struct timespec t0, t1;
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, NULL, script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), 0);
	/* The event comes after 300 ms: a 50 ms wait ends without it. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(qmp_wait_event(&c.q, "GUEST_PANICKED", 50, &ev), QMP_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 50);
	assert_int_equal(log_error_status(&c.log), 0);
	/* A signal's flag ends a wait. */
	c.q.interrupted = &stop;
	assert_int_equal(qmp_wait_event(&c.q, "GUEST_PANICKED", QMP_FOREVER, &ev), QMP_INTERRUPTED);
	stop = 0;
	assert_int_equal(qmp_wait_event(&c.q, "GUEST_PANICKED", 5000, &ev), 0);
	json_object_put(ev);
	t = conn_end(&c, 0);
	free(t);
}

/* An HMP monitor greets in text: said so, not "malformed JSON". */
static void not_qmp(void **state)
{
	static const struct fq_step script[] = { { 0 } };
	struct conn c;
	char *t;

	(void)state;
	conn_start(&c, "QEMU 7.2.22 monitor - type 'help' for more information\r\n(qemu) ", script);
	assert_int_equal(qmp_connect(&c.q, c.server.sock, &c.log), -PMD_ENOTFMT);
	assert_string_equal(log_error_text(&c.log),
			    "not a QMP monitor: the socket does not speak JSON (an HMP -monitor socket?)");
	t = conn_end(&c, 0);
	assert_string_equal(t, "");
	free(t);
}

static void no_socket(void **state)
{
	char *dir = fake_root_new(), path[PATH_MAX];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct log_ctx log;
	struct qmp q;
	int fd;

	(void)state;
	log_init(&log, "pmemdump-vm");
	snprintf(path, sizeof(path), "%s/none.sock", dir);
	assert_int_equal(qmp_connect(&q, path, &log), -PMD_EIO);
	assert_true(strstr(log_error_text(&log), ": no such socket (is QEMU running with -qmp unix:"));
	qmp_close(&q);
	log_clear_error(&log);

	/* A socket file nobody listens on any more: QEMU died. */
	snprintf(path, sizeof(path), "%s/dead.sock", dir);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	assert_int_equal(qmp_connect(&q, path, &log), -PMD_EIO);
	assert_true(strstr(log_error_text(&log), "dead.sock: connection refused (no QEMU listens there any more)"));
	qmp_close(&q);
	log_destroy(&log);
	fake_root_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(greeting_and_capabilities),
		cmocka_unit_test(events_before_reply),
		cmocka_unit_test(fd_passing),
		cmocka_unit_test(error_reply),
		cmocka_unit_test(eof_during_command),
		cmocka_unit_test(wait_timeout_and_interrupt),
		cmocka_unit_test(not_qmp),
		cmocka_unit_test(no_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
