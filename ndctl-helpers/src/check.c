// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks of `pmem-kdump check`: the facts are gathered once (files
 * below the root, the backend, the programs' --version), then each item
 * is a verdict on them. An input that cannot be read is a verdict too,
 * never an error of the command: the point of a check is to say what is
 * wrong.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/check.h"
#include "src/dumpcase.h"
#include "src/kdumpenv.h"
#include "src/lastdump.h"
#include "src/table.h"
#include "util/iomem.h"
#include "util/sysfs.h"

/* Where the capture command line (and kernel, initrd) was learnt from. */
enum load_source {
	SRC_NONE,
	SRC_RECORD,		/* our kexec's record */
	SRC_KEXEC_CMD,		/* kdump-tools' saved command */
	SRC_CONF,		/* /etc/default/kdump-tools: the next load */
};

struct facts {
	const char *root;

	uint64_t crash_size;
	bool crash_size_ok;
	bool crash_in_iomem;
	uint64_t crash_start, crash_end;	/* inclusive end; 0 as non-root */
	bool loaded, loaded_ok;

	bool iomem_ok, iomem_addrs;
	uint64_t top;			/* end of the highest RAM or pmem range */
	bool pmem;
	uint64_t pmem_bytes;		/* from /proc/iomem, else the namespaces */
	uint64_t pmem_meta_bytes;	/* the namespaces' memmaps on pmem */
	struct pk_system sys;
	bool sys_ok;

	struct pk_kdump_conf conf;
	struct pk_load_record rec;
	bool rec_fresh;			/* describes the loaded kernel */
	struct pk_kexec_cmd kcmd;
	struct pk_capture cap;		/* makedumpfile's record of its last capture */
	struct pk_stamp_dir stamp;	/* kdump-tools' newest dump folder */

	enum load_source src;
	char cmdline[PK_CMDLINE_MAX];
	const char *kernel, *initrd;	/* NULL: unknown */

	char makedump_args[1024];
	bool userdata;			/* --pmem-userdata in them */
	int dump_level;			/* -1: none given */
};

static const char *const check_names[PK_CHK_NR] = {
	[PK_CHK_CRASHKERNEL] = "crash-kernel",
	[PK_CHK_CMDLINE] = "capture-cmdline",
	[PK_CHK_KEXEC] = "kexec",
	[PK_CHK_MAKEDUMPFILE] = "makedumpfile",
	[PK_CHK_RESERVATION] = "reservation",
	[PK_CHK_LAST_DUMP] = "last-dump",
};

const char *pk_check_name(enum pk_check_id id)
{
	return id < PK_CHK_NR ? check_names[id] : "?";
}

const char *pk_verdict_name(enum pk_verdict v)
{
	return v == PK_PASS ? "PASS" : v == PK_WARN ? "WARN" : "FAIL";
}

enum pk_verdict pk_check_worst(const struct pk_check_report *r)
{
	enum pk_verdict w = PK_PASS;

	for (int i = 0; i < PK_CHK_NR; i++)
		if (r->item[i].v > w)
			w = r->item[i].v;
	return w;
}

static void verdict(struct pk_check_item *it, enum pk_verdict v, const char *fix,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void verdict(struct pk_check_item *it, enum pk_verdict v, const char *fix,
		    const char *fmt, ...)
{
	va_list ap;

	it->v = v;
	va_start(ap, fmt);
	vsnprintf(it->reason, sizeof(it->reason), fmt, ap);
	va_end(ap);
	snprintf(it->fix, sizeof(it->fix), "%s", v == PK_PASS || !fix ? "" : fix);
}

static const char *size_text(uint64_t bytes, char *buf, size_t size)
{
	pk_short_size(bytes, buf, size);
	return buf;
}

/* Does the comma-separated @list hold @name? */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

bool pk_cmdline_guard(const char *cmdline, char *word, size_t size)
{
	struct pk_words *w = malloc(sizeof(*w));
	bool found = false;

	if (!w || pk_split_words(cmdline, w) < 0) {
		free(w);
		return false;
	}
	for (unsigned int i = 0; i < w->nr && !found; i++) {
		const char *v = w->w[i];

		/* The kernel takes "-" and "_" alike in parameter names. */
		if ((!strncmp(v, "module_blacklist=", 17) && list_has(v + 17, "nfit")) ||
		    (!strncmp(v, "modprobe.blacklist=", 19) && list_has(v + 19, "nfit")) ||
		    (!strncmp(v, "initcall_blacklist=", 19) && list_has(v + 19, "nfit_init"))) {
			snprintf(word, size, "%s", v);
			found = true;
		}
	}
	free(w);
	return found;
}

/* ------------------------------------------------------------------ facts */

static bool later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/*
 * Does kdump-tools' kexec_cmd describe the load our record describes?
 * kdump-config writes kexec_cmd after the kexec it ran succeeded, so with
 * our kexec it is always the newer file of the two. The same load names
 * the same kernel, and the command line our kexec recorded is kexec_cmd's
 * plus what kexec appends itself (elfcorehdr=).
 */
static bool same_load(const struct pk_kexec_cmd *k, const struct pk_load_record *r)
{
	static const char hdr[] = " elfcorehdr=";
	size_t n = strlen(k->cmdline);
	const char *rest = r->cmdline + n;

	if (!k->has_cmdline || strcmp(k->kernel, r->kernel) || strncmp(r->cmdline, k->cmdline, n))
		return false;
	return !*rest || (!strncmp(rest, hdr, sizeof(hdr) - 1) && !strchr(rest + 1, ' '));
}

static int gather_iomem(struct facts *f, struct log_ctx *scratch)
{
	char path[4096];
	struct iomem_tree t;
	const struct iomem_node *n = NULL;

	if (sysfs_path(path, sizeof(path), f->root, "/proc/iomem", scratch) < 0 ||
	    iomem_read(&t, path, scratch) < 0)
		return log_error_status(scratch) == PMD_ENOMEM ? -PMD_ENOMEM : 0;
	f->iomem_ok = true;
	while ((n = iomem_next(&t, n, NULL))) {
		bool pmem = !strncmp(n->name, "Persistent Memory", 17);

		if (n->end)
			f->iomem_addrs = true;
		if (!strcmp(n->name, "Crash kernel")) {
			f->crash_in_iomem = true;
			f->crash_start = n->start;
			f->crash_end = n->end;
		}
		if (n->depth == 0 && pmem) {
			f->pmem = true;
			if (n->end > n->start)
				f->pmem_bytes += n->end - n->start + 1;
		}
		if (n->depth == 0 && (pmem || !strcmp(n->name, "System RAM")) && n->end + 1 > f->top)
			f->top = n->end + 1;
	}
	iomem_free(&t);
	return 0;
}

static void gather_namespaces(struct facts *f, const struct pk_backend *be, struct log_ctx *scratch)
{
	uint64_t ns_bytes = 0;

	if (pk_system_load(&f->sys, be, scratch) < 0)
		return;
	f->sys_ok = true;
	for (unsigned int i = 0; i < f->sys.nr_ns; i++) {
		const struct pk_namespace *ns = &f->sys.ns[i];
		struct pk_assessment a;

		if (!ns->active || ns->ns_size == PK_UNKNOWN || !ns->ns_size)
			continue;
		f->pmem = true;
		ns_bytes += ns->ns_size;
		pk_assess(ns, &f->sys.kernel, PK_SCOPE_METADATA, &a);
		f->pmem_meta_bytes += a.pmem_metadata_bytes;
	}
	/* As non-root /proc/iomem shows no sizes: the namespaces' then. */
	if (!f->pmem_bytes)
		f->pmem_bytes = ns_bytes;
}

/*
 * KDUMP_CMDLINE's default: /proc/cmdline without what kdump-config drops
 * (crashkernel, hugepages, hugepagesz, abm).
 */
static void default_kdump_cmdline(struct facts *f, char *out, size_t size)
{
	static const char *const drop[] = { "crashkernel=", "hugepages=", "hugepagesz=", "abm=" };
	char line[PK_CMDLINE_MAX];
	struct pk_words *w = malloc(sizeof(*w));
	struct log_ctx quiet;

	out[0] = '\0';
	log_init(&quiet, "pmem-kdump");
	if (w && sysfs_read_line(f->root, "/proc/cmdline", line, sizeof(line), &quiet) == 0 &&
	    pk_split_words(line, w) == 0) {
		for (unsigned int i = 0; i < w->nr; i++) {
			bool skip = false;

			for (size_t d = 0; d < sizeof(drop) / sizeof(drop[0]); d++)
				skip |= !strncmp(w->w[i], drop[d], strlen(drop[d]));
			if (!skip)
				snprintf(out + strlen(out), size - strlen(out), "%s%s",
					 out[0] ? " " : "", w->w[i]);
		}
	}
	log_destroy(&quiet);
	free(w);
}

static void choose_source(struct facts *f)
{
	/*
	 * Our kexec removes its record on -p -u, but another kexec's
	 * unload or load does not: a record is believed only while a
	 * kernel is loaded and kdump-tools has not saved a newer command.
	 */
	f->rec_fresh = f->rec.present && f->loaded &&
		       !(f->kcmd.present && later(&f->kcmd.mtime, &f->rec.mtime) &&
			 !same_load(&f->kcmd, &f->rec));
	if (f->rec_fresh) {
		f->src = SRC_RECORD;
		snprintf(f->cmdline, sizeof(f->cmdline), "%s", f->rec.cmdline);
		f->kernel = f->rec.kernel[0] ? f->rec.kernel : NULL;
		f->initrd = f->rec.initrd[0] ? f->rec.initrd : NULL;
	} else if (f->loaded && f->kcmd.present && f->kcmd.has_cmdline) {
		f->src = SRC_KEXEC_CMD;
		snprintf(f->cmdline, sizeof(f->cmdline), "%s", f->kcmd.cmdline);
		f->kernel = f->kcmd.kernel[0] ? f->kcmd.kernel : NULL;
		f->initrd = f->kcmd.initrd[0] ? f->kcmd.initrd : NULL;
	} else if (f->conf.present) {
		/* Half each: the kernel takes 2048 bytes in all. */
		char base[PK_CMDLINE_MAX / 2];

		f->src = SRC_CONF;
		if (f->conf.has_cmdline)
			snprintf(base, sizeof(base), "%.*s", (int)sizeof(base) - 1, f->conf.cmdline);
		else
			default_kdump_cmdline(f, base, sizeof(base));
		snprintf(f->cmdline, sizeof(f->cmdline), "%s %.*s", base, PK_CMDLINE_MAX / 2 - 2,
			 f->conf.has_append ? f->conf.append : PK_KDUMP_APPEND_DEFAULT);
	}
}

static void gather_makedump_args(struct facts *f)
{
	struct pk_words *w = malloc(sizeof(*w));

	snprintf(f->makedump_args, sizeof(f->makedump_args), "%s",
		 f->conf.has_makedump_args ? f->conf.makedump_args : PK_MAKEDUMP_ARGS_DEFAULT);
	f->dump_level = -1;
	if (!w || pk_split_words(f->makedump_args, w) < 0) {
		free(w);
		return;
	}
	for (unsigned int i = 0; i < w->nr; i++) {
		const char *v = NULL;

		if (!strcmp(w->w[i], "--pmem-userdata"))
			f->userdata = true;
		else if (!strcmp(w->w[i], "-d") || !strcmp(w->w[i], "--dump-level"))
			v = i + 1 < w->nr ? w->w[++i] : NULL;
		else if (!strncmp(w->w[i], "-d", 2))
			v = w->w[i] + 2;
		else if (!strncmp(w->w[i], "--dump-level=", 13))
			v = w->w[i] + 13;
		if (v) {
			char *end;
			long l = strtol(v, &end, 10);

			if (*v && !*end && l >= 0 && l <= 63)
				f->dump_level = (int)l;
		}
	}
	free(w);
}

static int gather(struct facts *f, const struct pk_backend *be, struct log_ctx *log)
{
	struct log_ctx scratch;
	char line[64];
	uint64_t v;
	int ret;

	log_init(&scratch, log->owner);
	scratch.level = log->level;
	if (sysfs_read_dec(f->root, "/sys/kernel/kexec_crash_size", &f->crash_size, &scratch) == 0)
		f->crash_size_ok = true;
	if (sysfs_read_line(f->root, "/sys/kernel/kexec_crash_loaded", line, sizeof(line),
			    &scratch) == 0 &&
	    sysfs_parse_dec(line, &v, "kexec_crash_loaded", &scratch) == 0) {
		f->loaded_ok = true;
		f->loaded = v == 1;
	}
	ret = gather_iomem(f, &scratch);
	if (ret < 0)
		goto out;
	gather_namespaces(f, be, &scratch);
	/* Unreadable configuration files are as good as absent here. */
	log_clear_error(&scratch);
	pk_kdump_conf_read(f->root, &f->conf, &scratch);
	pk_load_record_read(f->root, &f->rec, &scratch);
	pk_kexec_cmd_read(f->root, f->conf.coredir, &f->kcmd, &scratch);
	pk_capture_read(f->root, &f->cap);
	pk_stamp_dir_read(f->root, f->conf.coredir, f->cap.unreadable ? NULL : f->cap.output,
			  &f->stamp);
	choose_source(f);
	gather_makedump_args(f);
	if (log_error_status(&scratch) == PMD_ENOMEM)
		ret = -PMD_ENOMEM;
out:
	if (ret < 0)
		log_fail(log, PMD_ENOMEM, "out of memory");
	log_destroy(&scratch);
	return ret;
}

/* ------------------------------------------------------------------ items */

#define FIX_RESERVE \
	"boot with crashkernel=SIZE (e.g. crashkernel=384M; Debian's kdump-tools sets it in " \
	"/etc/default/grub.d/kdump-tools.cfg, then update-grub and reboot)"

static void check_crashkernel(const struct facts *f, struct pk_check_item *it)
{
	char s[32];

	if (!f->crash_size_ok && !f->crash_in_iomem) {
		verdict(it, PK_FAIL, FIX_RESERVE,
			"no crash kernel reservation: no \"Crash kernel\" in /proc/iomem and no "
			"/sys/kernel/kexec_crash_size");
	} else if (!f->crash_size) {
		verdict(it, PK_FAIL, FIX_RESERVE,
			"no memory reserved for a crash kernel (kexec_crash_size is 0)");
	} else if (!f->loaded_ok) {
		verdict(it, PK_FAIL, "use a kernel built with CONFIG_CRASH_DUMP and CONFIG_KEXEC",
			"%s reserved, but /sys/kernel/kexec_crash_loaded cannot be read",
			size_text(f->crash_size, s, sizeof(s)));
	} else if (!f->loaded) {
		verdict(it, PK_FAIL,
			"load one: kdump-config load (kdump-tools), or kexec -p KERNEL "
			"--initrd=INITRD --append=\"... module_blacklist=nfit\"",
			"%s reserved, but no capture kernel is loaded",
			size_text(f->crash_size, s, sizeof(s)));
	} else if (f->crash_in_iomem && f->crash_end) {
		verdict(it, PK_PASS, NULL, "%s reserved at %#" PRIx64 "-%#" PRIx64
			", a capture kernel is loaded", size_text(f->crash_size, s, sizeof(s)),
			f->crash_start, f->crash_end);
	} else {
		verdict(it, PK_PASS, NULL, "%s reserved, a capture kernel is loaded",
			size_text(f->crash_size, s, sizeof(s)));
	}
}

static const char *source_name(const struct facts *f)
{
	static char buf[PATH_MAX + 64];

	switch (f->src) {
	case SRC_RECORD:
		return REC_LOAD_PATH;
	case SRC_KEXEC_CMD:
		snprintf(buf, sizeof(buf), "%s/kexec_cmd", f->conf.coredir);
		return buf;
	case SRC_CONF:
		return f->conf.append_from_hook ?
		       PK_KDUMP_TOOLS_CONF " and " PK_KDUMP_HOOK " (the next load)" :
		       PK_KDUMP_TOOLS_CONF " (the next load)";
	default:
		return "nothing";
	}
}

#define FIX_GUARD \
	"add module_blacklist=nfit (nfit a module, as in Debian) or initcall_blacklist=nfit_init " \
	"(built in) to the capture command line: KDUMP_CMDLINE_APPEND in /etc/default/kdump-tools, " \
	"or kexec's --append; then load again"

static void check_cmdline(const struct facts *f, struct pk_check_item *it)
{
	char word[256];

	if (!f->pmem) {
		verdict(it, PK_PASS, NULL, "no pmem: nothing for libnvdimm to touch");
	} else if (f->src == SRC_NONE) {
		verdict(it, PK_WARN,
			"load with pmemdump's kexec, which records the load in " REC_LOAD_PATH,
			"the capture command line is unknown: no load record of pmemdump's kexec, "
			"no kdump-tools configuration");
	} else if (pk_cmdline_guard(f->cmdline, word, sizeof(word))) {
		verdict(it, PK_PASS, NULL, "%s: \"%s\" keeps libnvdimm off pmem in the capture kernel",
			source_name(f), word);
	} else {
		/* Only a loaded kernel will run with it; a configuration may change. */
		verdict(it, f->loaded && f->src != SRC_CONF ? PK_FAIL : PK_WARN, FIX_GUARD,
			"%s: the capture command line lets libnvdimm start, which rewrites the memmap "
			"of fsdax/devdax namespaces before the dump is taken", source_name(f));
	}
}

#define FIX_KEXEC_FILE \
	"load with kexec_load (no -s; pmemdump's kexec writes a header with pmem), or boot a " \
	"kernel with pmemdump's kernel-patches/"
#define FIX_KEXEC_OURS \
	"install pmemdump's kexec as /sbin/kexec (kdump-config always runs /sbin/kexec), or, " \
	"on a kernel with pmemdump's kernel series, add -s to KDUMP_KEXEC_ARGS"

/* kexec_file_load: the kernel builds the header; only series 1 marks pmem. */
static void kexec_file_verdict(const struct facts *f, struct pk_check_item *it, const char *who)
{
	switch (f->sys.kernel.list) {
	case PK_LIST_PRESENT:
		verdict(it, PK_PASS, NULL, "%s, kexec_file_load: the running kernel has pmemdump's "
			"series (devm_memmap_vmcore in VMCOREINFO) and marks pmem itself", who);
		break;
	case PK_LIST_ABSENT:
		verdict(it, PK_FAIL, FIX_KEXEC_FILE, "%s, kexec_file_load without the series leaves "
			"pmem out (no devm_memmap_vmcore in VMCOREINFO)", who);
		break;
	default:
		verdict(it, PK_WARN, "run pmem-kdump check as root (it reads /proc/kcore)",
			"%s, kexec_file_load: pmem is in the header only with pmemdump's kernel "
			"series, and VMCOREINFO could not be read", who);
		break;
	}
}

static bool args_have_s(const char *args)
{
	struct pk_words *w = malloc(sizeof(*w));
	bool s = false;

	if (w && pk_split_words(args, w) == 0)
		for (unsigned int i = 0; i < w->nr; i++)
			s |= !strcmp(w->w[i], "-s") || !strcmp(w->w[i], "--kexec-file-syscall");
	free(w);
	return s;
}

static void check_kexec(const struct facts *f, struct pk_check_item *it, struct log_ctx *log)
{
	char first[256], who[PATH_MAX + 300];
	const char *prog;
	bool file;

	if (!f->pmem) {
		verdict(it, PK_PASS, NULL, "no pmem: any kexec will do");
		return;
	}
	if (f->rec_fresh) {
		if (f->rec.file_syscall) {
			kexec_file_verdict(f, it, "pmemdump's kexec (" REC_LOAD_PATH ")");
		} else if (!strcmp(f->rec.pmem, "none")) {
			verdict(it, PK_WARN, "load again without --pmem=none",
				"pmemdump's kexec, kexec_load with --pmem=none: the crash header "
				"leaves pmem out, no pmem in dumps");
		} else if (!strcmp(f->rec.pmem, "all") || !strcmp(f->rec.pmem, "memmap")) {
			verdict(it, PK_PASS, NULL, "pmemdump's kexec, kexec_load, pmem=%s: pmem is in "
				"the crash header (PF_DEV)", f->rec.pmem);
		} else {
			verdict(it, PK_WARN, "load again with pmemdump's kexec",
				"%s: unknown pmem=%s", REC_LOAD_PATH, f->rec.pmem);
		}
		return;
	}
	/* No record: the kexec kdump-tools ran, or will run. */
	if (f->loaded && f->kcmd.present) {
		prog = f->kcmd.kexec;
		file = f->kcmd.file_syscall;
	} else {
		prog = PK_KDUMP_KEXEC;
		file = f->conf.has_kexec_args && args_have_s(f->conf.kexec_args);
	}
	switch (pk_tool_identify(f->root, prog, "--version", first, sizeof(first), log)) {
	case PK_TOOL_OURS:
		snprintf(who, sizeof(who), "%s (%s)", prog, first);
		if (file)
			kexec_file_verdict(f, it, who);
		else if (f->loaded)
			/* Ours records every -p load: this one came from elsewhere. */
			verdict(it, PK_WARN, "load again with kdump-config load or kexec -p",
				"%s, but the loaded kernel has no load record: it was not loaded by "
				"it", who);
		else
			verdict(it, PK_PASS, NULL, "%s, kexec_load: pmem in the crash header (the next "
				"load)", who);
		break;
	case PK_TOOL_OTHER:
		snprintf(who, sizeof(who), "%s (%s)", prog, first);
		if (file)
			kexec_file_verdict(f, it, who);
		else
			verdict(it, PK_FAIL, FIX_KEXEC_OURS, "%s, kexec_load: its crash header has no "
				"pmem, so no pmem metadata in dumps", who);
		break;
	default:
		verdict(it, PK_FAIL, "install pmemdump's kexec as /sbin/kexec",
			"%s is missing or does not run", prog);
		break;
	}
}

#define FIX_MDF_PATH \
	"put pmemdump's makedumpfile first in kdump's PATH: install it as /usr/sbin/makedumpfile, " \
	"or set PATH= in /etc/default/kdump-tools"

static void check_makedumpfile(const struct facts *f, struct pk_check_item *it,
			       struct log_ctx *log)
{
	const char *path_list = f->conf.has_path ? f->conf.path : PK_KDUMP_PATH;
	char prog[PATH_MAX], first[256];

	if (pk_find_program(f->root, path_list, "makedumpfile", prog, sizeof(prog)) < 0) {
		verdict(it, PK_FAIL, FIX_MDF_PATH, "no makedumpfile in kdump's PATH (%s)", path_list);
		return;
	}
	switch (pk_tool_identify(f->root, prog, "-v", first, sizeof(first), log)) {
	case PK_TOOL_OURS:
		break;
	case PK_TOOL_OTHER:
		if (!f->pmem)
			verdict(it, PK_PASS, NULL, "%s (%s); no pmem", prog, first);
		else
			verdict(it, PK_FAIL, FIX_MDF_PATH, "%s (%s) is first in kdump's PATH (%s): it "
				"does not know pmem metadata from user data", prog, first, path_list);
		return;
	default:
		verdict(it, PK_FAIL, FIX_MDF_PATH, "%s does not run", prog);
		return;
	}
	if (f->userdata && f->pmem)
		verdict(it, PK_FAIL, "remove --pmem-userdata from MAKEDUMP_ARGS",
			"%s; MAKEDUMP_ARGS \"%s\" has --pmem-userdata: dumps hold pmem user data "
			"(file contents)", prog, f->makedump_args);
	else if (f->dump_level >= 32 && f->pmem)
		verdict(it, PK_WARN, "use -d with bit 32 clear (e.g. -d 31) in MAKEDUMP_ARGS",
			"%s; MAKEDUMP_ARGS \"%s\": bit 32 of -d drops pmem metadata", prog,
			f->makedump_args);
	else
		verdict(it, PK_PASS, NULL, "%s (%s), MAKEDUMP_ARGS \"%s\": pmem metadata kept, user "
			"data left out", prog, first, f->makedump_args);
}

static void check_reservation(const struct facts *f, struct pk_check_report *r,
			      struct log_ctx *log)
{
	struct pk_check_item *it = &r->item[PK_CHK_RESERVATION];
	struct pk_check_need *n = &r->need;
	char unknown[512] = "", s[5][32], fix[160];
	uint64_t user_pages = 0, scanned, mib;
	struct log_ctx quiet;

	if (!f->crash_size) {
		verdict(it, PK_FAIL, FIX_RESERVE, "nothing reserved (see crash-kernel)");
		return;
	}
	log_init(&quiet, log->owner);
	n->known = true;
	n->reserved = f->crash_size;
	n->floor = PK_CAPTURE_RAM_FLOOR;
	if (!f->kernel)
		snprintf(unknown, sizeof(unknown), "; the capture kernel is unknown");
	else if (pk_bzimage_init_size(f->root, f->kernel, &n->init_size, &quiet) < 0)
		snprintf(unknown, sizeof(unknown), "; %s", log_error_text(&quiet));
	log_clear_error(&quiet);
	if (f->initrd && pk_file_size(f->root, f->initrd, &n->initrd, &quiet) < 0)
		snprintf(unknown + strlen(unknown), sizeof(unknown) - strlen(unknown), "; %s",
			 log_error_text(&quiet));
	log_destroy(&quiet);
	if (f->iomem_addrs && f->top) {
		/*
		 * Our makedumpfile keeps two bitmaps (the page kinds, and what
		 * is present) of one bit per page frame from 0 to the top of
		 * memory, minus the pmem user data it skips whole.
		 */
		if (!f->userdata && f->pmem_bytes > f->pmem_meta_bytes)
			user_pages = (f->pmem_bytes - f->pmem_meta_bytes) / PK_PAGE_SIZE;
		scanned = f->top / PK_PAGE_SIZE;
		scanned = scanned > user_pages ? scanned - user_pages : 0;
		n->filter = 2 * ((scanned + 63) / 64 * 8);
	} else {
		snprintf(unknown + strlen(unknown), sizeof(unknown) - strlen(unknown),
			 "; /proc/iomem shows no addresses (not root): filter memory not counted");
	}
	n->total = n->init_size + n->initrd + n->floor + n->filter;
	/* A suggestion: the need plus 10 %, in whole 64 MiB. */
	mib = ((n->total + n->total / 10) + (64ULL << 20) - 1) / (64ULL << 20) * 64;
	snprintf(fix, sizeof(fix), "reserve more: crashkernel=%" PRIu64 "M", mib);
	size_text(n->total, s[0], sizeof(s[0]));
	size_text(n->init_size, s[1], sizeof(s[1]));
	size_text(n->initrd, s[2], sizeof(s[2]));
	size_text(n->filter, s[3], sizeof(s[3]));
	size_text(n->reserved, s[4], sizeof(s[4]));
	if (n->total > n->reserved)
		verdict(it, PK_FAIL, fix, "%s needed (kernel init_size %s + initrd %s + 64 MiB of RAM "
			"+ filter bitmaps %s), %s reserved%s", s[0], s[1], s[2], s[3], s[4], unknown);
	else if (n->total * 10 > n->reserved * 9)
		verdict(it, PK_WARN, fix, "%s needed (kernel init_size %s + initrd %s + 64 MiB of RAM "
			"+ filter bitmaps %s) is within 10 %% of the %s reserved%s", s[0], s[1], s[2],
			s[3], s[4], unknown);
	else if (unknown[0])
		verdict(it, PK_WARN, "run pmem-kdump check as root, after the capture kernel is loaded",
			"%s needed at least (kernel init_size %s + initrd %s + 64 MiB of RAM + filter "
			"bitmaps %s), %s reserved%s", s[0], s[1], s[2], s[3], s[4], unknown);
	else
		verdict(it, PK_PASS, NULL, "%s needed (kernel init_size %s + initrd %s + 64 MiB of RAM "
			"+ filter bitmaps %s), %s reserved", s[0], s[1], s[2], s[3], s[4]);
}

#define FIX_LAST_FAILED \
	"fix what the error says (room in KDUMP_COREDIR, crashkernel= memory, ...) and test " \
	"with a crash again; once handled, remove the folder and " REC_CAPTURE_PATH
#define FIX_LAST_OTHER \
	"have kdump-tools run pmemdump's makedumpfile (see the makedumpfile item); a dump by " \
	"another one has no pmem metadata"
#define FIX_LAST_ROOT "run pmem-kdump check as root"

/* Item 6 when kdump-tools has left no stamp folder. */
static void last_no_folder(const struct facts *f, struct pk_check_item *it)
{
	const struct pk_capture *c = &f->cap;

	if (!c->present) {
		verdict(it, PK_PASS, NULL, "no dump yet: no %s/2* folder, no record of a capture",
			f->conf.coredir);
	} else if (c->unreadable) {
		verdict(it, PK_WARN, FIX_LAST_ROOT, "%s", c->why);
	} else if (c->failed) {
		verdict(it, PK_FAIL, FIX_LAST_FAILED,
			"the capture of %s failed (%s): %s; no %s/2* folder", c->time, c->argv,
			c->error, f->conf.coredir);
	} else {
		verdict(it, PK_PASS, NULL, "the capture of %s ended well (%s, output %s); no %s/2* "
			"folder", c->time, c->argv, c->output, f->conf.coredir);
	}
}

/* Item 6: did the last capture leave a whole, private dump? */
static void check_last_dump(const struct facts *f, struct pk_check_report *r)
{
	struct pk_check_item *it = &r->item[PK_CHK_LAST_DUMP];
	const struct pk_stamp_dir *d = &f->stamp;
	const struct pk_capture *c = &f->cap;
	char fix[sizeof(it->fix)];
	bool ours;

	if (c->present && !c->unreadable) {
		snprintf(r->last.capture, sizeof(r->last.capture), "%s", c->failed ? "failed" : "ok");
		if (c->failed)
			snprintf(r->last.error, sizeof(r->last.error), "%s", c->error);
	}
	if (!d->present) {
		last_no_folder(f, it);
		return;
	}
	snprintf(r->last.dir, sizeof(r->last.dir), "%s", d->path);
	snprintf(r->last.dump, sizeof(r->last.dump), "%s", d->dump);
	/* The record is this folder's when the log or the dump it names is in it. */
	ours = c->present && !c->unreadable &&
	       (pk_path_in_dir(c->dmesg, d->path) || pk_path_in_dir(c->output, d->path));
	if (d->failed_file) {
		snprintf(r->last.error, sizeof(r->last.error), "%s", d->failed_error);
		verdict(it, PK_FAIL, FIX_LAST_FAILED,
			"%s: makedumpfile failed (" REC_CAPTURE_FAILED_NAME "): %s", d->path,
			d->failed_error);
	} else if (ours && c->failed) {
		verdict(it, PK_FAIL, FIX_LAST_FAILED, "%s: makedumpfile failed (%s): %s", d->path,
			c->time, c->error);
	} else if (d->state == PK_DUMP_EMPTY) {
		verdict(it, PK_FAIL, FIX_LAST_FAILED, "%s: %s is empty: makedumpfile wrote nothing",
			d->path, d->dump);
	} else if (d->state == PK_DUMP_CUT) {
		verdict(it, PK_FAIL, FIX_LAST_FAILED, "%s", d->why);
	} else if (!ours && c->present && !c->unreadable && c->failed &&
		   !later(&d->mtime, &c->mtime)) {
		/* The failure came after the newest folder: a capture that made none. */
		verdict(it, PK_FAIL, FIX_LAST_FAILED, "the capture of %s failed (%s): %s; the newest "
			"folder, %s, is older", c->time, c->argv, c->error, d->path);
	} else if (c->unreadable) {
		verdict(it, PK_WARN, FIX_LAST_ROOT, "%s: %s", d->path, c->why);
	} else if (!ours) {
		verdict(it, PK_WARN, FIX_LAST_OTHER, "%s: no record of pmemdump's makedumpfile names "
			"it: written by another makedumpfile", d->path);
	} else if (c->dmesg_mode) {
		verdict(it, PK_WARN, FIX_LAST_OTHER, "%s: pmemdump's makedumpfile saved the log, but "
			"the dump run left no record: written by another makedumpfile", d->path);
	} else if (d->state == PK_DUMP_NONE) {
		verdict(it, PK_FAIL, FIX_LAST_FAILED, "%s: no dump.* file: kdump-tools did not save "
			"the dump (its compressor failed?)", d->path);
	} else if (d->state == PK_DUMP_UNREADABLE) {
		verdict(it, PK_WARN, FIX_LAST_ROOT, "%s", d->why);
	} else if ((d->mode | d->dump_mode) & 0044) {
		/* Dumps hold kernel memory: keys, passwords, file data on pmem. */
		if (snprintf(fix, sizeof(fix), "chmod go-rwx %s %s/%s", d->path, d->path, d->dump) >=
		    (int)sizeof(fix))
			snprintf(fix, sizeof(fix), "chmod go-rwx the folder and the dump");
		verdict(it, PK_WARN, fix, "%s (mode %04o): %s (mode %04o) can be read by users other "
			"than root", d->path, d->mode, d->dump, d->dump_mode);
	} else {
		verdict(it, PK_PASS, NULL, "%s: %s %s, %s pages, saved by pmemdump's makedumpfile "
			"(%s)", d->path, d->dump,
			d->state == PK_DUMP_WHOLE ? "whole (flattened, end marker present)" :
			"(not flattened: its end is not checked)", c->pages[0] ? c->pages : "?",
			c->time);
	}
}

int pk_check(const char *root, const struct pk_backend *be, struct pk_check_report *r,
	     struct log_ctx *log)
{
	struct facts *f = calloc(1, sizeof(*f));
	struct log_ctx scratch;

	memset(r, 0, sizeof(*r));
	if (!f)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	f->root = root && *root ? root : NULL;
	if (gather(f, be, log) < 0) {
		pk_system_free(&f->sys);
		free(f);
		return -PMD_ENOMEM;
	}
	/* Programs that do not run are verdicts, not errors. */
	log_init(&scratch, log->owner);
	r->pmem = f->pmem;
	check_crashkernel(f, &r->item[PK_CHK_CRASHKERNEL]);
	check_cmdline(f, &r->item[PK_CHK_CMDLINE]);
	check_kexec(f, &r->item[PK_CHK_KEXEC], &scratch);
	check_makedumpfile(f, &r->item[PK_CHK_MAKEDUMPFILE], &scratch);
	check_reservation(f, r, log);
	check_last_dump(f, r);
	log_destroy(&scratch);
	pk_system_free(&f->sys);
	free(f);
	return 0;
}
