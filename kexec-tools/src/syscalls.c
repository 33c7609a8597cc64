// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "src/syscalls.h"
#include "util/sysfs.h"

/* struct kexec_segment of include/uapi/linux/kexec.h */
struct kexec_segment_abi {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

/* A one-line state file; its absence is an answer, not an error. */
static int read_state_line(const char *root, const char *path, char *line, size_t size)
{
	struct log_ctx quiet;
	int rc;

	log_init(&quiet, "kexec");
	rc = sysfs_read_line(root, path, line, size, &quiet);
	log_destroy(&quiet);
	return rc;
}

/*
 * EPERM has four causes the kernel does not tell apart
 * (kexec_load_permitted(), security_kernel_load_data(),
 * security_locked_down()): find the one that holds, in the kernel's order.
 */
static int explain_eperm(struct log_ctx *log, bool file)
{
	char line[256];

	if (geteuid() != 0)
		return log_fail(log, PMD_EINVAL, "permission denied: kexec needs root (CAP_SYS_BOOT)");
	if (!read_state_line(NULL, "/proc/sys/kernel/kexec_load_disabled", line, sizeof(line)) && !strcmp(line, "1"))
		return log_fail(log, PMD_EINVAL,
				"kexec is disabled until reboot (kernel.kexec_load_disabled=1); "
				"it blocks kexec_file_load too");
	if (!file && !read_state_line(NULL, "/sys/kernel/security/lockdown", line, sizeof(line)) && !strstr(line, "[none]"))
		return log_fail(log, PMD_EINVAL,
				"kexec_load is locked down (%s): use -s with a signed kernel", line);
	return log_fail(log, PMD_EINVAL, "the kernel refused the load: %s",
			file ? "the image is not signed or not accepted by the security policy"
			     : "permission denied by the security policy");
}

static int load_error(struct log_ctx *log, int err, bool file)
{
	switch (err) {
	case EPERM:
		return explain_eperm(log, file);
	case EBUSY:
		return log_fail(log, PMD_EIO, "another kexec load is in progress; try again");
	case ENOSYS:
		return log_fail(log, PMD_EUNSUPPORTED, "this kernel has no %s",
				file ? "kexec_file_load (CONFIG_KEXEC_FILE)" : "kexec_load (CONFIG_KEXEC)");
	case EADDRNOTAVAIL:
		return log_fail(log, PMD_EINVAL,
				"the kernel refused the segments: outside the crash kernel memory");
	case ENOEXEC:
		return log_fail(log, PMD_EINVAL, "the kernel cannot load this image (ENOEXEC)");
	case EKEYREJECTED:
	case EBADMSG:
		return log_fail(log, PMD_EINVAL, "the kernel rejected the image's signature");
	default:
		return log_fail(log, PMD_EIO, "%s failed: %s", file ? "kexec_file_load" : "kexec_load",
				strerror(err));
	}
}

int sys_kexec_load(uint64_t entry, const struct kexec_seg *segs, unsigned int nr, bool crash,
		   struct log_ctx *log)
{
	struct kexec_segment_abi abi[16];
	unsigned long flags = KEXEC_ARCH_X86_64_FLAG | (crash ? KEXEC_FLAG_ON_CRASH : 0);

	if (nr > 16)
		return log_fail(log, PMD_EINVAL, "%u segments, the kernel takes 16", nr);
	for (unsigned int i = 0; i < nr; i++) {
		abi[i].buf = segs[i].buf;
		abi[i].bufsz = segs[i].bufsz;
		abi[i].mem = (const void *)(uintptr_t)segs[i].mem;
		abi[i].memsz = segs[i].memsz;
	}
	if (syscall(SYS_kexec_load, (unsigned long)entry, (unsigned long)nr, nr ? abi : NULL,
		    flags) != 0)
		return load_error(log, errno, false);
	return 0;
}

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, bool crash,
			struct log_ctx *log)
{
	unsigned long flags = crash ? KEXEC_FILE_FLAG_ON_CRASH : 0;
	unsigned long len = 0;

	if (kernel_fd < 0) {
		flags |= KEXEC_FILE_FLAG_UNLOAD;
		cmdline = NULL;
	} else {
		if (initrd_fd < 0)
			flags |= KEXEC_FILE_FLAG_NO_INITRAMFS;
		/* The kernel wants the terminating NUL counted. */
		len = cmdline ? strlen(cmdline) + 1 : 0;
	}
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len, len ? cmdline : NULL,
		    flags) != 0)
		return load_error(log, errno, true);
	return 0;
}

int kexec_state(const char *root, bool crash)
{
	char line[16];

	if (read_state_line(root, crash ? "/sys/kernel/kexec_crash_loaded" : "/sys/kernel/kexec_loaded",
			    line, sizeof(line)))
		return -1;
	if (!strcmp(line, "1"))
		return 1;
	if (!strcmp(line, "0"))
		return 0;
	return -1;
}

int sys_kexec_reboot(struct log_ctx *log)
{
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, NULL);
	if (errno == EINVAL)
		return log_fail(log, PMD_EINVAL, "no kernel is loaded for kexec -e (load one with -l)");
	return log_fail(log, PMD_EIO, "reboot into the loaded kernel failed: %s", strerror(errno));
}
