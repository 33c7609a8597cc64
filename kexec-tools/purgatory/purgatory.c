// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The C side of the purgatory: the parameter block the loader fills, and
 * the check entry.S calls before it enters the capture kernel.
 */
#include <stdint.h>

#include "check.h"
#include "serial.h"

/*
 * Initialised, so it lands in .data with its bytes in purgatory.ro: the
 * loader finds it by name and checks the magic and version before
 * filling it.
 */
struct purgatory_params purgatory_params = {
	.magic = PURGATORY_MAGIC,
	.version = PURGATORY_VERSION,
};

void purgatory_main(void);

static void serial_out(void *ctx, char c)
{
	serial_putc(*(const uint16_t *)ctx, c);
}

/* Returns to entry.S only when the kernel may be entered. */
void purgatory_main(void)
{
	uint16_t port = purgatory_params.serial_port;

	if (purgatory_check(&purgatory_params, serial_out, &port))
		purgatory_halt();
}
