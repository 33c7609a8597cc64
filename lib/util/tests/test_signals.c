// SPDX-License-Identifier: GPL-2.0-or-later
/* SIGINT, SIGTERM, SIGHUP into a flag (util/signals.h), the second one kills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/signals.h"

static void noted_then_default(void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction now;

	(void)state;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		signals_caught = 0;
		signals_catch();
		assert_int_equal(sigaction(sigs[i], NULL, &now), 0);
		assert_true(now.sa_handler != SIG_DFL && now.sa_handler != SIG_IGN);
		assert_int_equal(raise(sigs[i]), 0);
		assert_int_equal(signals_caught, sigs[i]);
		/* SA_RESETHAND: the next one would end the program. */
		assert_int_equal(sigaction(sigs[i], NULL, &now), 0);
		assert_true(now.sa_handler == SIG_DFL);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signals_caught = 0;
}

/* In a child, as a tool runs: the first SIGTERM is noted, the second kills. */
static void second_kills(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signals_catch();
		raise(SIGTERM);
		if (signals_caught != SIGTERM)
			_exit(1);
		raise(SIGTERM);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(noted_then_default),
		cmocka_unit_test(second_kills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
