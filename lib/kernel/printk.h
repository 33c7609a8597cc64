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
 */
int printk_read_log(struct x86_64_xlat *x, const struct vmcoreinfo *vi,
		    struct text_buf *out);

#endif
