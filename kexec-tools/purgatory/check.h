/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PURGATORY_CHECK_H
#define PURGATORY_CHECK_H

/*
 * The purgatory's decision, apart from its I/O so that the unit tests
 * run it hosted: is the parameter block sane, and does every region
 * still hash to what the loader computed.
 */
#include "params.h"

/* One character of output (the serial port in the purgatory). */
typedef void purgatory_putc_fn(void *ctx, char c);

/*
 * 0: enter the kernel; one line was printed, "pmemdump purgatory: N
 * segments verified" (or "checks skipped"). -1: do not; one line was
 * printed: "... bad parameter block, not booting" or, for the first
 * region that does not match, "pmemdump purgatory: segment N (KIND) at
 * 0xADDR: sha256 mismatch, not booting", N its index in regions[]. Lines
 * end in "\r\n" (a terminal on the serial port). Region memory is read
 * at its address, identity mapped.
 */
int purgatory_check(const struct purgatory_params *params, purgatory_putc_fn *putc, void *ctx);

#endif
