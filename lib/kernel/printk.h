/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_PRINTK_H
#define PMD_KERNEL_PRINTK_H

#include <stddef.h>

struct vmcoreinfo;
struct x86_64_xlat;

/* A growing text buffer for the log. */
struct text_buf {
	char *data;
	size_t len;
	size_t cap;
};

void text_buf_free(struct text_buf *tb);

/*
 * Append the kernel log of the dumped kernel (the lockless printk
 * ringbuffer of Linux 5.10 and later) to @out, one record a line in
 * makedumpfile's --dump-dmesg layout: "[seconds.micros] text", with
 * continuation lines indented under the text.
 *
 * Returns 0, or -PMD_E* with the error recorded in the log: VMCOREINFO
 * without the ring (PMD_EUNSUPPORTED), or with entries that are missing,
 * garbled or inconsistent with each other, a ring header out of range,
 * memory that cannot be read, or no intact record (PMD_ECORRUPT).
 * Damaged records among intact ones are left out with one warning.
 */
int printk_read_log(struct x86_64_xlat *x, const struct vmcoreinfo *vi,
		    struct text_buf *out);

#endif
