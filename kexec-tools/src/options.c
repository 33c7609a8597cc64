// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec's command line. The options and their meanings are those of
 * kexec-tools 2.0.25 that kdump scripts use; the rest of 2.0.25's are
 * refused as unknown rather than silently ignored, so a site config that
 * relies on one finds out at load time, not after a crash.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "src/options.h"

enum {
	OPT_INITRD = 256,
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_PRINT_CKR,
	OPT_PMEM,
	OPT_DRY_RUN,
	OPT_SYSROOT,
	OPT_DEBUG_CORRUPT,
};

static const struct option long_options[] = {
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "status", no_argument, NULL, 'S' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "print-ckr-size", no_argument, NULL, OPT_PRINT_CKR },
	{ "pmem", required_argument, NULL, OPT_PMEM },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "debug-corrupt", required_argument, NULL, OPT_DEBUG_CORRUPT },
	{ NULL, 0, NULL, 0 },
};

void kexec_usage(FILE *f)
{
	fprintf(f,
		"Usage: kexec [OPTION]... [KERNEL]\n"
		"Load a kernel to boot on panic (-p) or with kexec -e (-l), unload it, or\n"
		"report whether one is loaded. x86_64 bzImage kernels only.\n"
		"\n"
		" -p, --load-panic        load KERNEL as the crash (capture) kernel\n"
		" -l, --load              load KERNEL for a later kexec -e\n"
		" -u, --unload            unload (with -p: the crash kernel)\n"
		" -e, --exec              boot the kernel loaded with -l now\n"
		" -S, --status            exit 1 if a kernel is loaded (with -p, default: the\n"
		"                         crash kernel; with -l: the -l one), 0 if not\n"
		" -c, --kexec-syscall     load with kexec_load(2) (the default)\n"
		" -s, --kexec-file-syscall  load with kexec_file_load(2): the kernel builds the\n"
		"                         crash header and checks signatures (lockdown)\n"
		"     --initrd=FILE, --ramdisk=FILE   the initrd\n"
		"     --append=TEXT, --command-line=TEXT   the kernel command line (the last\n"
		"                         one given wins)\n"
		"     --reuse-cmdline     start from /proc/cmdline (without BOOT_IMAGE= and,\n"
		"                         with -p, crashkernel=), then --append's text\n"
		"     --pmem=all|memmap|none   persistent memory in the crash header\n"
		"                         (kexec_load only; default all):\n"
		"           all     every pmem range, marked PF_DEV: the dump filter keeps\n"
		"                   the struct pages kept on the device and leaves user data\n"
		"                   out unread (makedumpfile -d 31); the same header the\n"
		"                   kernel builds for -s with pmemdump's kernel series.\n"
		"                   The default, because pmem metadata is what fsdax crashes\n"
		"                   are analysed with, and no pmem data reaches a dump file\n"
		"                   unless the filter is asked for it (--pmem-userdata)\n"
		"           memmap  only the device memmaps of active map=dev namespaces:\n"
		"                   /proc/vmcore itself never exposes pmem user data\n"
		"                   (reload after creating or changing a namespace)\n"
		"           none    no pmem, as kexec-tools 2.0.25\n"
		"     --print-ckr-size    print the crash kernel reservation's size in bytes\n"
		"     --dry-run           build and check the whole load, load nothing\n"
		" -d, --debug             print the segments, e820 map, command line and crash\n"
		"                         header\n"
		" -h, --help              this help\n"
		" -v, --version           print the version\n"
		"\n"
		"Exit status: 0 done; 1 usage error or no crash kernel memory reserved;\n"
		"255 the load, unload or exec failed. With -S: 1 loaded, 0 not loaded,\n"
		"255 the state cannot be read.\n");
}

static int set_action(struct kexec_opts *o, enum kexec_action a, const char *opt,
		      struct log_ctx *log)
{
	if (o->action != KEXEC_ACT_NONE && o->action != a)
		return log_fail(log, PMD_EINVAL, "%s cannot be combined with the other action given",
				opt);
	o->action = a;
	return 0;
}

static int parse_pmem(struct kexec_opts *o, const char *v, struct log_ctx *log)
{
	if (!strcmp(v, "all"))
		o->pmem = PMEM_LIVE_ALL;
	else if (!strcmp(v, "memmap"))
		o->pmem = PMEM_LIVE_MEMMAP;
	else if (!strcmp(v, "none"))
		o->pmem = PMEM_LIVE_NONE;
	else
		return log_fail(log, PMD_EINVAL, "--pmem takes all, memmap or none, not '%s'", v);
	return 0;
}

int kexec_opts_parse(struct kexec_opts *o, int argc, char **argv, struct log_ctx *log)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->pmem = PMEM_LIVE_ALL;
	o->usage_exit = KEXEC_EXIT_USAGE;
	optind = 0;	/* glibc: start over, forgetting the last parse */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":lpueScsdhv", long_options, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case 'l':
			o->normal = true;
			break;
		case 'p':
			o->panic = true;
			break;
		case 'u':
			rc = set_action(o, KEXEC_ACT_UNLOAD, "-u", log);
			break;
		case 'e':
			rc = set_action(o, KEXEC_ACT_EXEC, "-e", log);
			break;
		case 'S':
			rc = set_action(o, KEXEC_ACT_STATUS, "-S", log);
			break;
		case 'c':
			o->file_syscall = false;
			break;
		case 's':
			o->file_syscall = true;
			break;
		case 'd':
			o->debug = true;
			break;
		case 'h':
			rc = set_action(o, KEXEC_ACT_HELP, "--help", log);
			break;
		case 'v':
			rc = set_action(o, KEXEC_ACT_VERSION, "--version", log);
			break;
		case OPT_INITRD:
			o->initrd = optarg;
			break;
		case OPT_APPEND:
			o->cmdline = optarg;
			break;
		case OPT_REUSE_CMDLINE:
			o->reuse_cmdline = true;
			break;
		case OPT_PRINT_CKR:
			rc = set_action(o, KEXEC_ACT_PRINT_CKR, "--print-ckr-size", log);
			break;
		case OPT_PMEM:
			rc = parse_pmem(o, optarg, log);
			o->pmem_given = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case OPT_DEBUG_CORRUPT:
			o->debug_corrupt = optarg;
			break;
		case ':':
			return log_fail(log, PMD_EINVAL, "option '%s' needs a value; see kexec --help",
					argv[optind - 1]);
		default:
			if (optopt)
				return log_fail(log, PMD_EINVAL,
						"unknown option '-%c'; see kexec --help", optopt);
			return log_fail(log, PMD_EINVAL, "unknown option '%s'; see kexec --help",
					argv[optind - 1]);
		}
		if (rc)
			return rc;
	}

	if (o->panic && o->normal)
		return log_fail(log, PMD_EINVAL, "-l and -p cannot be used together");
	if (optind < argc)
		o->kernel = argv[optind++];
	if (optind < argc)
		return log_fail(log, PMD_EINVAL, "unexpected argument '%s' after the kernel",
				argv[optind]);

	switch (o->action) {
	case KEXEC_ACT_NONE:
		if (!o->panic && !o->normal) {
			if (o->kernel)
				return log_fail(log, PMD_EINVAL,
						"say -p (crash kernel) or -l (for kexec -e) to load %s",
						o->kernel);
			/* 2.0.25 says "No kernel specified" and exits 255. */
			o->usage_exit = KEXEC_EXIT_FAIL;
			return log_fail(log, PMD_EINVAL, "nothing to do; see kexec --help");
		}
		if (!o->kernel) {
			o->usage_exit = KEXEC_EXIT_FAIL;
			return log_fail(log, PMD_EINVAL, "no kernel specified");
		}
		o->action = KEXEC_ACT_LOAD;
		break;
	case KEXEC_ACT_UNLOAD:
	case KEXEC_ACT_STATUS:
		if (o->kernel)
			return log_fail(log, PMD_EINVAL, "%s takes no kernel",
					o->action == KEXEC_ACT_UNLOAD ? "-u" : "-S");
		break;
	case KEXEC_ACT_EXEC:
		if (o->panic)
			return log_fail(log, PMD_EINVAL,
					"-e boots the -l kernel; a crash kernel starts on panic");
		if (o->kernel || o->normal)
			return log_fail(log, PMD_EINVAL,
					"load with -l first, then run kexec -e on its own");
		break;
	default:
		break;
	}
	if (o->action != KEXEC_ACT_LOAD && (o->initrd || o->cmdline || o->reuse_cmdline))
		return log_fail(log, PMD_EINVAL, "--initrd, --append and --reuse-cmdline go with a load");
	if (o->file_syscall && o->pmem_given && o->action == KEXEC_ACT_LOAD)
		return log_fail(log, PMD_EINVAL,
				"--pmem applies to kexec_load; with -s the kernel builds the crash header");
	return 0;
}
