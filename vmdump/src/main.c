// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmemdump-vm: a host-side dump of a QEMU guest with NVDIMMs (issue 17).
 * The options; the run is src/run.c. Exit statuses: pmemdump-vm(8).
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/qmp.h"
#include "src/run.h"
#include "util/log.h"
#include "util/signals.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: pmemdump-vm --qmp SOCKET [options] DUMPFILE [-- MAKEDUMPFILE-OPTIONS...]\n"
	"\n"
	"Dump a QEMU guest with NVDIMMs when it panics (or at once with --now) and\n"
	"filter the dump with pmemdump's makedumpfile, which keeps pmem metadata and\n"
	"leaves pmem user data out; then restart or resume the guest.\n"
	"\n"
	"  -q, --qmp SOCKET         QEMU's QMP unix socket (-qmp unix:SOCKET,server=on)\n"
	"      --now                stop the running guest and dump it now\n"
	"  -t, --timeout SECONDS    give up when the guest has not panicked after SECONDS\n"
	"      --full               QEMU dumps all memory, pmem too, and makedumpfile\n"
	"                           filters it after the guest resumed (default: QEMU\n"
	"                           dumps RAM, pmem metadata is read from the NVDIMMs'\n"
	"                           backing files while the guest is paused)\n"
	"      --after ACTION       then: reset (system_reset and cont; the default for a\n"
	"                           panicked guest), cont (the default with --now),\n"
	"                           pause (leave it paused) or quit\n"
	"      --tmpdir DIR         hold QEMU's unfiltered dump in a nameless file in DIR\n"
	"                           (O_TMPFILE) instead of a memfd in RAM\n"
	"      --makedumpfile PATH  the makedumpfile to run (default: the one in PATH)\n"
	"  -h, --help               this text\n"
	"  -V, --version            the version\n"
	"\n"
	"MAKEDUMPFILE-OPTIONS default to -l -d 31. DUMPFILE must not exist.\n"
	"Exit status: 0 dumped, 1 failed (the guest is let go all the same), 2 bad usage.\n"
	"See pmemdump-vm(8).\n";

static char *default_mdf_args[] = { "-l", "-d", "31" };

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr and exit status 2. */
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pmemdump-vm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (pmemdump-vm --help)\n", stderr);
	return EXIT_USAGE;
}

/* -F makes makedumpfile write to standard output, not to DUMPFILE. */
static bool flattens(const char *arg)
{
	return arg[0] == '-' && arg[1] != '-' && strchr(arg + 1, 'F');
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "qmp", required_argument, NULL, 'q' },
		{ "now", no_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "full", no_argument, NULL, 'f' },
		{ "after", required_argument, NULL, 'a' },
		{ "tmpdir", required_argument, NULL, 'T' },
		{ "makedumpfile", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct vm_options opt = {
		.makedumpfile = "makedumpfile",
		.timeout_ms = QMP_FOREVER,
		.after = VM_AFTER_AUTO,
		.interrupted = &signals_caught,
	};
	struct log_ctx log;
	int c, ret;

	log_init(&log, "pmemdump-vm");
	log.msg = stderr;
	opterr = 0;
	/* "+": options end at DUMPFILE; what follows "--" is makedumpfile's. */
	while ((c = getopt_long(argc, argv, "+q:t:hV", longopts, NULL)) != -1) {
		char *end;
		double secs;

		switch (c) {
		case 'q':
			opt.qmp_path = optarg;
			break;
		case 'n':
			opt.now = true;
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(secs) || secs <= 0 ||
			    secs * 1000 > INT_MAX)
				return usage_error("--timeout %s: want seconds, more than 0", optarg);
			/* Rounded up: a timeout never ends early. */
			opt.timeout_ms = (int)(secs * 1000 + 0.999);
			break;
		case 'f':
			opt.full = true;
			break;
		case 'a':
			if (!vm_after_parse(optarg, &opt.after))
				return usage_error("--after %s: want reset, cont, pause or quit", optarg);
			break;
		case 'T':
			opt.tmpdir = optarg;
			break;
		case 'm':
			opt.makedumpfile = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("pmemdump-vm (pmemdump) %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			return usage_error("unknown option or missing argument: %s",
					   argv[optind - 1]);
		}
	}
	if (!opt.qmp_path)
		return usage_error("--qmp SOCKET is required");
	if (optind >= argc)
		return usage_error("no DUMPFILE");
	opt.dumpfile = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--"))
		return usage_error("after DUMPFILE only -- and makedumpfile's options: %s",
				   argv[optind]);
	if (optind < argc)
		optind++;
	opt.mdf_args = argv + optind;
	opt.nr_mdf_args = (size_t)(argc - optind);
	if (!opt.nr_mdf_args) {
		opt.mdf_args = default_mdf_args;
		opt.nr_mdf_args = sizeof(default_mdf_args) / sizeof(default_mdf_args[0]);
	}
	for (size_t i = 0; i < opt.nr_mdf_args; i++)
		if (flattens(opt.mdf_args[i]))
			return usage_error("makedumpfile option %s: the dump goes to DUMPFILE, not to standard output",
					   opt.mdf_args[i]);

	/*
	 * SIGINT, SIGTERM, SIGHUP give up a wait for the panic; once the guest
	 * is paused they are noted only, so that it is always let go. A second
	 * one kills, for a QEMU that never answers.
	 */
	signals_catch();
	ret = vm_run(&opt, &log);
	if (ret)
		log_print_error(&log, -log_error_status(&log));
	log_destroy(&log);
	return ret ? EXIT_FAIL : EXIT_OK;
}
