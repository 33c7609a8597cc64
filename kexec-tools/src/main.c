// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec: load a capture kernel whose crash header puts persistent memory in
 * the dump (kexec_load), or let the kernel build it (kexec_file_load).
 * Exit statuses follow kexec-tools 2.0.25 (kexec --help, kexec(8)).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/load.h"
#include "src/options.h"
#include "src/record.h"
#include "src/syscalls.h"
#include "src/sysmem.h"
#include "util/iomem.h"
#include "util/sysfs.h"

/* Warn when the capture kernel would bring libnvdimm up on pmem (see kexec(8)). */
static void warn_nfit(const struct kexec_load *ld, struct log_ctx *log)
{
	const char *c = ld->cmdline;

	if (!iomem_next(&ld->iomem, NULL, "Persistent Memory"))
		return;
	if (strstr(c, "initcall_blacklist=") && strstr(c, "nfit_init"))
		return;
	if ((strstr(c, "module_blacklist=") || strstr(c, "modprobe.blacklist=")) &&
	    strstr(c, "nfit"))
		return;
	log_warn(log, "the capture command line lets libnvdimm start on pmem, which rewrites "
		 "the memmap being dumped: add module_blacklist=nfit (nfit as a module) or "
		 "initcall_blacklist=nfit_init (built in)\n");
}

/*
 * The load happened; a record that cannot be written only costs
 * `pmem-kdump check` its answer, so it is a warning.
 */
static void note_record(const struct kexec_opts *o, const struct kexec_record *r,
			struct log_ctx *log)
{
	struct log_ctx quiet;

	log_init(&quiet, "kexec");
	if (kexec_record_write(o->sysroot, r, &quiet))
		log_warn(log, "%s\n", log_error_text(&quiet));
	log_destroy(&quiet);
}

static void forget_record(const struct kexec_opts *o)
{
	struct log_ctx quiet;

	log_init(&quiet, "kexec");
	kexec_record_remove(o->sysroot, &quiet);
	log_destroy(&quiet);
}

static int do_load_file(const struct kexec_opts *o, struct log_ctx *log)
{
	int kfd, ifd = -1, rc;
	char *cmdline = kexec_base_cmdline(o, log);

	if (!cmdline)
		return -1;
	kfd = open(o->kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		free(cmdline);
		return log_fail(log, PMD_EIO, "cannot open kernel %s: %m", o->kernel);
	}
	if (o->initrd) {
		ifd = open(o->initrd, O_RDONLY | O_CLOEXEC);
		if (ifd < 0) {
			close(kfd);
			free(cmdline);
			return log_fail(log, PMD_EIO, "cannot open initrd %s: %m", o->initrd);
		}
	}
	if (o->debug)
		printf("kexec_file_load: kernel %s, initrd %s, command line: %s\n", o->kernel,
		       o->initrd ? o->initrd : "(none)", cmdline);
	rc = o->dry_run ? 0 : sys_kexec_file_load(kfd, ifd, cmdline, o->panic, log);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (rc && o->panic && !o->dry_run && kexec_state(o->sysroot, true) == 0)
		forget_record(o);
	if (!rc && o->panic && !o->dry_run) {
		const struct kexec_record r = {
			.syscall = "kexec_file_load",
			.kernel = o->kernel,
			.initrd = o->initrd,
			.cmdline = cmdline,
		};
		note_record(o, &r, log);
	}
	free(cmdline);
	return rc;
}

static int do_load(const struct kexec_opts *o, struct log_ctx *log, int *exit_code)
{
	struct kexec_load ld;
	int rc;

	if (o->file_syscall)
		return do_load_file(o, log);
	rc = kexec_load_build(&ld, o, log);
	if (o->panic && rc == -PMD_EUNSUPPORTED && !ld.crash.nr)
		*exit_code = KEXEC_EXIT_NOCRASHMEM;
	if (!rc) {
		if (o->panic)
			warn_nfit(&ld, log);
		if (o->debug)
			kexec_load_print(stdout, &ld);
		if (!o->dry_run) {
			struct kexec_seg segs[SEG_NR];
			unsigned int nr = kexec_load_segments(&ld, segs);

			rc = sys_kexec_load(ld.entry, segs, nr, o->panic, log);
			/* The kernel frees the old image before it loads the new one. */
			if (rc && o->panic && kexec_state(o->sysroot, true) == 0)
				forget_record(o);
		}
		if (!rc && o->panic && !o->dry_run) {
			static const char *const pmem_names[] = {
				[PMEM_LIVE_NONE] = "none",
				[PMEM_LIVE_ALL] = "all",
				[PMEM_LIVE_MEMMAP] = "memmap",
			};
			const struct kexec_record r = {
				.syscall = "kexec_load",
				.kernel = o->kernel,
				.initrd = o->initrd,
				.pmem = pmem_names[o->pmem],
				.cmdline = ld.cmdline,
			};
			note_record(o, &r, log);
		}
	}
	kexec_load_free(&ld);
	return rc;
}

static int print_ckr_size(const struct kexec_opts *o, struct log_ctx *log)
{
	struct iomem_tree t;
	struct crash_ranges cr;
	char path[4096];
	uint64_t size = 0;

	if (sysfs_path(path, sizeof(path), o->sysroot ? o->sysroot : "", "/proc/iomem", log) ||
	    iomem_read(&t, path, log))
		return -1;
	if (!crash_ranges_find(&t, &cr, log))
		size = crash_main(&cr)->end - crash_main(&cr)->start;
	log_clear_error(log);
	iomem_free(&t);
	printf("%" PRIu64 "\n", size);
	return 0;
}

int main(int argc, char **argv)
{
	struct kexec_opts o;
	struct log_ctx log;
	int rc, exit_code = KEXEC_EXIT_FAIL, state;

	log_init(&log, "kexec");
	if (kexec_opts_parse(&o, argc, argv, &log)) {
		log_print_error(&log, log_error_status(&log));
		log_destroy(&log);
		return o.usage_exit;
	}
	switch (o.action) {
	case KEXEC_ACT_HELP:
		kexec_usage(stdout);
		rc = 0;
		break;
	case KEXEC_ACT_VERSION:
		printf("kexec (pmemdump) %s\n", PACKAGE_VERSION);
		rc = 0;
		break;
	case KEXEC_ACT_STATUS:
		/* Nothing printed: scripts test the status only. */
		state = kexec_state(o.sysroot, !o.normal);
		log_destroy(&log);
		return state < 0 ? KEXEC_EXIT_FAIL : state;
	case KEXEC_ACT_PRINT_CKR:
		rc = print_ckr_size(&o, &log);
		break;
	case KEXEC_ACT_UNLOAD:
		if (o.dry_run)
			rc = 0;
		else if (o.file_syscall)
			rc = sys_kexec_file_load(-1, -1, NULL, o.panic, &log);
		else
			rc = sys_kexec_load(0, NULL, 0, o.panic, &log);
		if (!rc && o.panic && !o.dry_run)
			rc = kexec_record_remove(o.sysroot, &log);
		break;
	case KEXEC_ACT_EXEC:
		rc = o.dry_run ? 0 : sys_kexec_reboot(&log);
		break;
	case KEXEC_ACT_LOAD:
		rc = do_load(&o, &log, &exit_code);
		break;
	default:
		rc = log_fail(&log, PMD_EINVAL, "nothing to do; see kexec --help");
		break;
	}
	if (rc) {
		log_print_error(&log, rc);
		log_destroy(&log);
		return exit_code;
	}
	log_destroy(&log);
	return KEXEC_EXIT_OK;
}
