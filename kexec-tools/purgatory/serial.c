// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COM port output for the purgatory's one message. Port I/O only: no
 * interrupts, no FIFO setup, no baud rate (the lab's ttyS0 is already at
 * 115200 8N1 from the first kernel).
 */
#include <stdint.h>

#include "serial.h"

#define UART_TX		0	/* transmit holding register */
#define UART_LSR	5	/* line status register */
#define UART_LSR_THRE	0x20	/* transmit holding register empty */

/*
 * An I/O port read takes about 1 us on an LPC bus (longer under a
 * hypervisor), and a byte at 115200 baud 87 us: 1000 reads give the UART
 * ten times what it needs. A port with no UART reads 0xff, THRE set, so
 * the loop ends at once.
 */
#define THRE_POLLS	1000

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void serial_putc(uint16_t port, char c)
{
	unsigned int i;

	if (!port)
		return;
	for (i = 0; i < THRE_POLLS; i++)
		if (inb((uint16_t)(port + UART_LSR)) & UART_LSR_THRE)
			break;
	outb((uint16_t)(port + UART_TX), (uint8_t)c);
}

void purgatory_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
