// SPDX-License-Identifier: GPL-2.0-or-later
/* A child's end waited for and worded (util/child.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/child.h"
#include "util/log.h"

/* A child that exits @code, or with @sig > 0 is killed by it. */
static pid_t child(int code, int sig)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (sig) {
			signal(sig, SIG_DFL);
			raise(sig);
		}
		_exit(code);
	}
	return pid;
}

static void worded(void **state)
{
	char buf[128];

	(void)state;
	child_status_text(3 << 8, buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 3");
	child_status_text(0, buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 0");
	child_status_text(SIGKILL, buf, sizeof(buf));
	assert_string_equal(buf, "was killed by signal 9 (Killed)");
	/* Cut to the buffer, terminated. */
	child_status_text(SIGKILL, buf, 8);
	assert_string_equal(buf, "was kil");
}

static void waited(void **state)
{
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	log.level = 0;
	assert_int_equal(child_wait(child(0, 0), "makedumpfile", &log), 0);
	assert_int_equal(log_error_status(&log), 0);

	assert_int_equal(child_wait(child(5, 0), "makedumpfile", &log), -PMD_EIO);
	assert_string_equal(log_error_text(&log), "makedumpfile exited with status 5");
	log_clear_error(&log);

	assert_int_equal(child_wait(child(0, SIGTERM), "makedumpfile", &log), -PMD_EIO);
	assert_string_equal(log_error_text(&log), "makedumpfile was killed by signal 15 (Terminated)");
	log_clear_error(&log);

	/* No such child. */
	assert_int_equal(child_wait(getpid(), "x", &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "waitpid: "));
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(worded),
		cmocka_unit_test(waited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
