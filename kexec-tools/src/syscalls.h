/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_SYSCALLS_H
#define KEXEC_SYSCALLS_H

/*
 * The kexec system calls and the kernel's kexec state files, with the
 * kernel's refusals turned into reasons a user can act on.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/log.h"

/* include/uapi/linux/kexec.h */
#define KEXEC_FLAG_ON_CRASH		0x00000001
#define KEXEC_ARCH_X86_64_FLAG		(62 << 16)
#define KEXEC_FILE_FLAG_UNLOAD		0x00000001
#define KEXEC_FILE_FLAG_ON_CRASH	0x00000002
#define KEXEC_FILE_FLAG_NO_INITRAMFS	0x00000004

struct kexec_seg {
	const void *buf;
	size_t bufsz;
	uint64_t mem;
	uint64_t memsz;
};

/*
 * kexec_load(2); @nr 0 unloads. 0, or -PMD_E* with the reason recorded:
 * not root, kexec_load_disabled, lockdown (use -s with a signed kernel),
 * a load in progress, or the kernel's refusal of the segments.
 */
int sys_kexec_load(uint64_t entry, const struct kexec_seg *segs, unsigned int nr, bool crash,
		   struct log_ctx *log);

/* kexec_file_load(2); @kernel_fd < 0 unloads. 0, or -PMD_E* as above. */
int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, bool crash,
			struct log_ctx *log);

/*
 * "<root>/sys/kernel/kexec_crash_loaded" (or kexec_loaded): 1 loaded,
 * 0 not, -1 when it cannot be read (a kernel without kexec).
 */
int kexec_state(const char *root, bool crash);

/* sync, then reboot(LINUX_REBOOT_CMD_KEXEC). Returns only on failure. */
int sys_kexec_reboot(struct log_ctx *log);

#endif
