/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PURGATORY_SERIAL_H
#define PURGATORY_SERIAL_H

#include <stdint.h>

/*
 * One byte to the 8250 UART at I/O @port, as the first kernel left it
 * programmed (never reprogrammed here). Port 0 prints nothing. The wait
 * for the transmitter is bounded, so a missing or stuck UART costs about
 * a millisecond per byte, never a hang.
 */
void serial_putc(uint16_t port, char c);

/* Interrupts off and halt, forever. */
void purgatory_halt(void) __attribute__((noreturn));

#endif
