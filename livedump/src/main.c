// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * livedump: a live dump of the running kernel (issue 15) through the
 * kernel's /sys/kernel/livedump (kernel-patches, livedump). The commands
 * and their options; the work is in src/run.c. Exit statuses: livedump(8).
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/run.h"
#include "util/log.h"
#include "util/signals.h"

static const char usage_text[] =
	"usage: livedump <command> [options]\n"
	"\n"
	"Take a consistent dump of this running kernel without a reboot: the kernel\n"
	"stops every CPU for a moment, write-protects RAM and copies each page before\n"
	"its first write while the system runs on.\n"
	"\n"
	"commands:\n"
	"  start [--target FILE|DEV] [--buffer SIZE] [--force]\n"
	"                  start a dump in the kernel and return\n"
	"  status [--json] the state of the dump, its page counts and times\n"
	"  wait [--timeout SECONDS]\n"
	"                  wait for the end, with a progress bar on a terminal\n"
	"  cancel          cancel the running dump and wait until it has ended\n"
	"  dump -o FILE [--filter 'MAKEDUMPFILE-OPTIONS'] [--target FILE|DEV]\n"
	"       [--buffer SIZE] [--keep-capture] [--force] [--makedumpfile PATH]\n"
	"                  start, wait, and with --filter run makedumpfile on the capture\n"
	"\n"
	"  --target FILE|DEV  where the kernel writes the image (an absolute path is\n"
	"                     given to it); a new file is created 0600, an existing file\n"
	"                     or device only with --force\n"
	"  --buffer SIZE      the copy buffer: MiB, or with K, M, G (default: the\n"
	"                     kernel's recommendation)\n"
	"\n"
	"Exit status: 0 done (the dump finished), 1 failed, 2 bad usage, 3 no live dump\n"
	"in this kernel or not root, 4 a dump is already running, 5 wait timed out,\n"
	"6 the dump was cancelled. An interrupt during wait or dump cancels the dump.\n"
	"See livedump(8).\n";

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line on stderr and exit status 2. */
static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "livedump%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (livedump --help)\n", stderr);
	return LD_EXIT_USAGE;
}

enum {
	OPT_TARGET = 256, OPT_BUFFER, OPT_FORCE, OPT_JSON, OPT_TIMEOUT, OPT_FILTER,
	OPT_KEEP, OPT_MAKEDUMPFILE,
};

/* What the options of any command set; each command takes its own. */
struct opts {
	const char *target, *output, *filter, *makedumpfile;
	uint64_t buffer_mb;
	double timeout_s;
	bool force, json, keep_capture;
};

/*
 * Parse a command's options (@argv[0] is the command). @allowed: the
 * OPT_* a command takes. -1: run; else the exit status (help or usage).
 */
static int parse(const char *cmd, int argc, char **argv, const int *allowed, struct opts *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "buffer", required_argument, NULL, OPT_BUFFER },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "output", required_argument, NULL, 'o' },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "keep-capture", no_argument, NULL, OPT_KEEP },
		{ "makedumpfile", required_argument, NULL, OPT_MAKEDUMPFILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_s = -1;
	opterr = 0;
	optind = 0;	/* afresh: GNU getopt reinitialises */
	while ((c = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		bool ok = c == 'h';

		for (const int *a = allowed; *a && !ok; a++)
			ok = *a == c;
		if (!ok || c == '?' || c == ':')
			return usage_error(cmd, "unknown option or missing argument: %s",
					   argv[optind - 1]);
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return LD_EXIT_OK;
		case OPT_TARGET:
			o->target = optarg;
			break;
		case OPT_BUFFER:
			if (ld_parse_buffer_mb(optarg, &o->buffer_mb))
				return usage_error(cmd, "--buffer %s: want a size such as 512M or 2G",
						   optarg);
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_TIMEOUT:
			o->timeout_s = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(o->timeout_s) || o->timeout_s < 0)
				return usage_error(cmd, "--timeout %s: want seconds, 0 or more", optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case OPT_KEEP:
			o->keep_capture = true;
			break;
		case OPT_MAKEDUMPFILE:
			o->makedumpfile = optarg;
			break;
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument: %s", argv[optind]);
	return -1;
}

static int cmd_start(struct ld_run *r, int argc, char **argv)
{
	static const int allowed[] = { OPT_TARGET, OPT_BUFFER, OPT_FORCE, 0 };
	struct ld_start_opts so;
	struct ld_target t;
	struct opts o;
	int ret = parse("start", argc, argv, allowed, &o);

	if (ret >= 0)
		return ret;
	so = (struct ld_start_opts){ .target = o.target, .buffer_mb = o.buffer_mb, .force = o.force };
	return ld_start(r, &so, &t);
}

static int cmd_status(struct ld_run *r, int argc, char **argv)
{
	static const int allowed[] = { OPT_JSON, 0 };
	struct opts o;
	int ret = parse("status", argc, argv, allowed, &o);

	return ret >= 0 ? ret : ld_show_status(r, o.json, stdout);
}

static int cmd_wait(struct ld_run *r, int argc, char **argv)
{
	static const int allowed[] = { OPT_TIMEOUT, 0 };
	struct opts o;
	int ret = parse("wait", argc, argv, allowed, &o);

	if (ret >= 0)
		return ret;
	signals_catch();
	return ld_wait(r, o.timeout_s, true, NULL);
}

static int cmd_cancel(struct ld_run *r, int argc, char **argv)
{
	static const int allowed[] = { 0 };
	struct opts o;
	int ret = parse("cancel", argc, argv, allowed, &o);

	if (ret >= 0)
		return ret;
	signals_catch();
	return ld_cancel(r);
}

static int cmd_dump(struct ld_run *r, int argc, char **argv)
{
	static const int allowed[] = {
		'o', OPT_TARGET, OPT_BUFFER, OPT_FORCE, OPT_FILTER, OPT_KEEP, OPT_MAKEDUMPFILE, 0
	};
	struct ld_dump_opts d;
	struct opts o;
	int ret = parse("dump", argc, argv, allowed, &o);

	if (ret >= 0)
		return ret;
	if (!o.output)
		return usage_error("dump", "-o FILE is required");
	if (!o.filter && (o.target || o.keep_capture || o.makedumpfile))
		return usage_error("dump", "--target, --keep-capture and --makedumpfile go with --filter (without it, FILE is the image)");
	if (!o.filter && o.force)
		return usage_error("dump", "--force goes with --filter --target: FILE is never overwritten");
	d = (struct ld_dump_opts){
		.output = o.output, .target = o.target, .buffer_mb = o.buffer_mb,
		.filter = o.filter, .makedumpfile = o.makedumpfile,
		.keep_capture = o.keep_capture, .force = o.force,
	};
	signals_catch();
	return ld_dump(r, &d);
}

static const struct {
	const char *name;
	int (*run)(struct ld_run *r, int argc, char **argv);
} commands[] = {
	{ "start", cmd_start },
	{ "status", cmd_status },
	{ "wait", cmd_wait },
	{ "cancel", cmd_cancel },
	{ "dump", cmd_dump },
};

int main(int argc, char **argv)
{
	struct log_ctx log;
	struct ld_run r;
	int ret = -1;

	if (argc < 2)
		return usage_error(NULL, "no command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return LD_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("livedump (pmemdump) %s\n", PACKAGE_VERSION);
		return LD_EXIT_OK;
	}
	log_init(&log, "livedump");
	/*
	 * wait, cancel and dump catch SIGINT, SIGTERM and SIGHUP
	 * (signals_catch): the dump is cancelled and waited for until the
	 * kernel has lifted the protection. A second signal kills, for a
	 * kernel that never ends it.
	 */
	ld_run_init(&r, &log, &signals_caught);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			ret = commands[i].run(&r, argc - 1, argv + 1);
	if (ret < 0)
		ret = usage_error(NULL, "unknown command '%s'", argv[1]);
	/* The one error line: what the work recorded. */
	else if (ret != LD_EXIT_OK && log_error_status(&log))
		log_print_error(&log, -log_error_status(&log));
	log_destroy(&log);
	return ret;
}
