/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_SIGNALS_H
#define PMD_UTIL_SIGNALS_H

/*
 * SIGINT, SIGTERM and SIGHUP noted in a flag instead of ending the
 * program, for a tool whose long wait must end in order (livedump
 * cancels the kernel's dump, pmemdump-vm lets the guest go): the wait
 * polls the flag. A blocking call the signal interrupts fails with EINTR.
 */
#include <signal.h>

/* 0 until one of them came; then the number of the first. */
extern volatile sig_atomic_t signals_caught;

/*
 * Catch the three into signals_caught. The first one only sets the flag;
 * a second one kills (SA_RESETHAND), for a wait that never ends.
 */
void signals_catch(void);

#endif
