// SPDX-License-Identifier: GPL-2.0-or-later
/* makedumpfile's command line, so kdump scripts can call us unchanged. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/classify.h"
#include "dump/dumplevel.h"
#include "src/options.h"
#include "util/log.h"

enum long_only {
	OPT_MESSAGE_LEVEL = 256,
	OPT_CYCLIC_BUFFER,
	OPT_NON_MMAP,
	OPT_CHECK_PARAMS,
	OPT_NON_CYCLIC,
	OPT_DUMP_DMESG,
	OPT_NUM_THREADS,
	OPT_PMEM_USERDATA,
	OPT_MEM_USAGE,
	OPT_PMEM_RANGE,
	OPT_SYSROOT,
};

static const struct option long_opts[] = {
	{ "message-level", required_argument, NULL, OPT_MESSAGE_LEVEL },
	{ "cyclic-buffer", required_argument, NULL, OPT_CYCLIC_BUFFER },
	{ "non-mmap", no_argument, NULL, OPT_NON_MMAP },
	{ "non-cyclic", no_argument, NULL, OPT_NON_CYCLIC },
	{ "check-params", no_argument, NULL, OPT_CHECK_PARAMS },
	{ "dump-dmesg", no_argument, NULL, OPT_DUMP_DMESG },
	{ "num-threads", required_argument, NULL, OPT_NUM_THREADS },
	{ "pmem-userdata", no_argument, NULL, OPT_PMEM_USERDATA },
	{ "mem-usage", no_argument, NULL, OPT_MEM_USAGE },
	{ "pmem-range", required_argument, NULL, OPT_PMEM_RANGE },
	/* Not in --help: tests give a saved /proc and /sys tree (util/sysfs.h). */
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *out)
{
	fprintf(out,
		"Usage:\n"
		"  makedumpfile [-c|-l|-z|-p] [-d DL] [-f] VMCORE DUMPFILE\n"
		"  makedumpfile -E [-d DL] [-f] VMCORE DUMPFILE\n"
		"  makedumpfile --dump-dmesg [-f] VMCORE LOGFILE\n"
		"  makedumpfile -F [-c|-l|-z|-E] [-d DL] VMCORE > FLATTENED\n"
		"  makedumpfile -R DUMPFILE < FLATTENED\n"
		"  makedumpfile --mem-usage /proc/kcore|VMCORE\n"
		"\n"
		"Filter a kernel crash dump (/proc/vmcore or a copy of it) into a smaller dump.\n"
		"\n"
		"Output format:\n"
		"  -E            write an ELF dump (crash, gdb and drgn read it)\n"
		"  (default)     kdump-compressed format (crash and libkdumpfile read it),\n"
		"                pages stored uncompressed\n"
		"  -c, -l, -z    kdump-compressed, pages compressed with zlib, lzo or zstd\n"
		"  -F            write the flattened format to standard output, to carry a\n"
		"                dump through a pipe: makedumpfile -F -l VMCORE | ssh host\n"
		"                'makedumpfile -R DUMPFILE'\n"
		"  -R            rebuild DUMPFILE from a flattened stream on standard input\n"
		"\n"
		"Filtering:\n"
		"  -d DL         dump level 0-63: the sum of the page kinds to leave out\n"
		"                  1  pages filled with zero\n"
		"                  2  page cache that is not private\n"
		"                  4  all page cache\n"
		"                  8  user process data (anonymous and hugetlbfs pages)\n"
		"                 16  free pages\n"
		"                 32  pmem metadata (struct pages kept on an NVDIMM namespace)\n"
		"                hwpoison and offline pages are always left out.\n"
		"\n"
		"Persistent memory (PT_LOADs kexec marks with p_flags 0x10):\n"
		"  by default its metadata, the struct pages of fsdax/devdax namespaces\n"
		"  with map=dev, is kept at every dump level (crash needs it to follow\n"
		"  fsdax pages), and its user data, the files' contents, is left out\n"
		"  without being read. Metadata is found from the devm_memmap_vmcore list\n"
		"  in VMCOREINFO, or else from each namespace's info block.\n"
		"  --pmem-userdata  also keep pmem user data, filtered by -d like RAM.\n"
		"                The dump then holds file contents, which may be secret.\n"
		"  --pmem-range START-END[:FILE]  physical bytes [START, END) are pmem\n"
		"                (an NVDIMM of a VM dumped by its host, which marks nothing).\n"
		"                Without FILE the input holds the range; with FILE it does\n"
		"                not, and the range reads from FILE (the NVDIMM's backing\n"
		"                file, opened read-only): only the metadata is read from it.\n"
		"                Repeat for each NVDIMM. ELF input only.\n"
		"\n"
		"Other options:\n"
		"  -f            overwrite DUMPFILE if it exists (never done otherwise)\n"
		"  --message-level ML  bits: 1 progress, 2 common, 4 errors, 8 debug,\n"
		"                16 report (the page counts makedumpfile prints); default 7\n"
		"  --cyclic-buffer KIB  memory for the page bitmap, in KiB; the dump is\n"
		"                processed in windows of KIB*8192 pages so peak memory does\n"
		"                not grow with the dumped machine's memory size\n"
		"  --dump-dmesg  write the dumped kernel's log to LOGFILE instead of a dump\n"
		"  --mem-usage   print the pages of each kind and the size a dump at -d 31\n"
		"                would have, pmem included; of the running system with\n"
		"                /proc/kcore (pmem and crashkernel from /proc/iomem), and\n"
		"                the size of its live dump when /sys/kernel/livedump is there\n"
		"  --num-threads N  compress on N threads (the output does not depend on N)\n"
		"  --non-mmap    read the input with pread instead of mmap\n"
		"  --check-params  check the command line and exit\n"
		"  -h, --help    this text;  -v, --version  the version\n"
		"\n"
		"VMCORE may also be a kdump-compressed dump, to filter it again at a higher\n"
		"dump level or turn it into ELF. Dump files are created with mode 0600; a\n"
		"dump that cannot be completed is removed.\n");
}

static int parse_uint(struct log_ctx *log, const char *s, const char *what, uint64_t max, uint64_t *val)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > max) {
		log_fail(log, PMD_EINVAL, "invalid %s \"%s\" (expected 0-%llu)", what, s,
			 (unsigned long long)max);
		return -1;
	}
	*val = v;
	return 0;
}

/* START-END[:FILE]: numbers as C literals (0x... or decimal), END exclusive. */
static int parse_pmem_range(struct options *o, const char *arg)
{
	struct dump_pmem_range *r = &o->pmem_ranges[o->nr_pmem_ranges];
	unsigned long long start, end;
	char *p;

	if (o->nr_pmem_ranges == OPTIONS_MAX_PMEM_RANGES)
		return log_fail(o->log, PMD_EINVAL, "at most %d --pmem-range options", OPTIONS_MAX_PMEM_RANGES);
	errno = 0;
	start = strtoull(arg, &p, 0);
	if (errno || p == arg || *p != '-' || *arg == '-')
		goto bad;
	arg = p + 1;
	end = strtoull(arg, &p, 0);
	if (errno || p == arg || *arg == '-' || (*p && *p != ':') || (*p == ':' && !p[1]))
		goto bad;
	if (start >= end || (start | end) & 4095)
		return log_fail(o->log, PMD_EINVAL, "--pmem-range %#llx-%#llx: START must be below END and both page aligned (END is exclusive)",
				start, end);
	r->start = start;
	r->end = end;
	r->file = *p == ':' ? p + 1 : NULL;
	o->nr_pmem_ranges++;
	return 0;
bad:
	return log_fail(o->log, PMD_EINVAL, "invalid --pmem-range \"%s\" (expected START-END or START-END:FILE)", optarg);
}

static int set_compression(struct options *o, enum compression c)
{
	if (o->compression != COMPRESS_NONE && o->compression != c) {
		log_fail(o->log, PMD_EINVAL, "choose one compression: -c, -l, -p or -z");
		return -1;
	}
	o->compression = c;
	return 0;
}

static int parse_one(struct options *o, int opt, bool *elf)
{
	uint64_t v;

	switch (opt) {
	case 'd':
		if (parse_uint(o->log, optarg, "dump level", DL_MAX_PMEM, &v) < 0)
			return -1;
		o->dump_level = (unsigned int)v;
		return 0;
	case 'E':
		*elf = true;
		return 0;
	case 'c':
		return set_compression(o, COMPRESS_ZLIB);
	case 'l':
		return set_compression(o, COMPRESS_LZO);
	case 'p':
		return set_compression(o, COMPRESS_SNAPPY);
	case 'z':
		return set_compression(o, COMPRESS_ZSTD);
	case 'f':
		o->force = true;
		return 0;
	case 'D':
		o->message_level |= LOG_DEBUG;
		return 0;
	case OPT_MESSAGE_LEVEL:
		if (parse_uint(o->log, optarg, "message level", LOG_ALL, &v) < 0)
			return -1;
		o->message_level = (int)v;
		return 0;
	case OPT_CYCLIC_BUFFER:
		if (parse_uint(o->log, optarg, "cyclic buffer size", UINT64_MAX >> 13, &v) < 0)
			return -1;
		if (!v) {
			log_fail(o->log, PMD_EINVAL, "--cyclic-buffer must be at least 1 KiB");
			return -1;
		}
		o->cyclic_buffer_kib = v;
		return 0;
	case OPT_MEM_USAGE:
		o->mem_usage = true;
		return 0;
	case OPT_PMEM_USERDATA:
		o->pmem_userdata = true;
		return 0;
	case OPT_PMEM_RANGE:
		return parse_pmem_range(o, optarg) < 0 ? -1 : 0;
	case OPT_NON_MMAP:
		o->no_mmap = true;
		return 0;
	case OPT_SYSROOT:
		o->sysroot = optarg;
		return 0;
	case OPT_NON_CYCLIC:
		return 0;	/* accepted for compatibility; we always work in windows */
	case OPT_CHECK_PARAMS:
		o->check_params = true;
		return 0;
	case OPT_DUMP_DMESG:
		o->dump_dmesg = true;
		return 0;
	case OPT_NUM_THREADS:
		if (parse_uint(o->log, optarg, "thread count", 128, &v) < 0)
			return -1;
		o->threads = (unsigned int)v;
		return 0;
	case 'F':
		o->flatten = true;
		return 0;
	case 'R':
		o->rebuild = true;
		return 0;
	default:
		return -1;
	}
}

/* -F writes to stdout and -R reads stdin, so each takes one file name. */
static enum options_result check_operands(struct options *o, int n, char **files)
{
	if (o->flatten && o->rebuild) {
		log_fail(o->log, PMD_EINVAL, "-F and -R cannot be combined");
		return OPTIONS_ERROR;
	}
	if (o->rebuild) {
		if (n != 1) {
			log_fail(o->log, PMD_EINVAL, "-R takes one argument, the DUMPFILE to rebuild from standard input");
			return OPTIONS_ERROR;
		}
		o->dumpfile = files[0];
		return OPTIONS_RUN;
	}
	if (o->mem_usage) {
		if (n != 1 || o->flatten) {
			log_fail(o->log, PMD_EINVAL, "--mem-usage takes one argument, /proc/kcore or a VMCORE");
			return OPTIONS_ERROR;
		}
		o->vmcore = files[0];
		return OPTIONS_RUN;
	}
	if (o->flatten && !o->dump_dmesg) {
		if (n != 1) {
			log_fail(o->log, PMD_EINVAL, "-F takes one argument, the VMCORE; the dump goes to standard output");
			return OPTIONS_ERROR;
		}
		o->vmcore = files[0];
		return OPTIONS_RUN;
	}
	if (n != 2) {
		log_fail(o->log, PMD_EINVAL, "expected VMCORE and DUMPFILE arguments; see --help");
		return OPTIONS_ERROR;
	}
	o->vmcore = files[0];
	o->dumpfile = files[1];
	if (!strcmp(o->vmcore, o->dumpfile)) {
		log_fail(o->log, PMD_EINVAL, "VMCORE and DUMPFILE are the same file");
		return OPTIONS_ERROR;
	}
	return OPTIONS_RUN;
}

enum options_result options_parse(struct options *o, struct log_ctx *log, int argc, char **argv)
{
	bool elf = false;
	int opt;

	memset(o, 0, sizeof(*o));
	o->log = log;
	o->message_level = LOG_DEFAULT;
	optind = 0;	/* glibc: start over, forgetting the last parse (fuzz_run) */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "d:EclpzfFRDhv", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			options_usage(stdout);
			return OPTIONS_EXIT_OK;
		}
		if (opt == 'v') {
			printf("makedumpfile (pmemdump) %s\n", PACKAGE_VERSION);
			return OPTIONS_EXIT_OK;
		}
		if (opt == '?') {
			log_fail(o->log, PMD_EINVAL, "unknown or incomplete option \"%s\"; see --help",
				 argv[optind - 1]);
			return OPTIONS_ERROR;
		}
		if (parse_one(o, opt, &elf) < 0)
			return OPTIONS_ERROR;
	}
	if (elf && o->compression != COMPRESS_NONE) {
		log_fail(o->log, PMD_EINVAL, "-E writes an uncompressed ELF dump; it cannot be combined with -c, -l, -p or -z");
		return OPTIONS_ERROR;
	}
	o->format = elf ? OUTPUT_ELF : OUTPUT_KDUMP;
	return check_operands(o, argc - optind, argv + optind);
}

