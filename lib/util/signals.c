// SPDX-License-Identifier: GPL-2.0-or-later
#include <signal.h>

#include "util/signals.h"

volatile sig_atomic_t signals_caught;

static void on_signal(int sig)
{
	signals_caught = sig;
}

void signals_catch(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
