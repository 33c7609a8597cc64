// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/capture_record.h"
#include "util/kvfile.h"
#include "util/records.h"
#include "util/sysfs.h"

#define PROC_VMCORE "/proc/vmcore"
#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/* A record value is one line (util/kvfile.h): free text loses its breaks. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

int capture_record_init(struct capture_record *cr, struct log_ctx *log, int argc, char **argv)
{
	size_t len = 1;
	char *p;

	memset(cr, 0, sizeof(*cr));
	cr->log = log;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	cr->argv = malloc(len);
	if (!cr->argv)
		return -PMD_ENOMEM;
	p = cr->argv;
	*p = '\0';
	for (int i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	one_line(cr->argv);
	return 0;
}

void capture_record_free(struct capture_record *cr)
{
	free(cr->argv);
	cr->argv = NULL;
}

static bool has_word(int argc, char **argv, const char *word)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], word))
			return true;
	return false;
}

const char *capture_record_root(const struct options *o, int argc, char **argv)
{
	if (!o)
		return has_word(argc, argv, PROC_VMCORE) && !has_word(argc, argv, "--check-params") ?
		       "/" : NULL;
	if (o->check_params || o->mem_usage || o->rebuild || !o->vmcore)
		return NULL;
	return strcmp(o->vmcore, PROC_VMCORE) ? NULL : "/";
}

/* The root as a path prefix: "/" is the live system, "". */
static const char *prefix(const struct capture_record *cr)
{
	return strcmp(cr->root, "/") ? cr->root : "";
}

/*
 * An output path as it will be compared with a folder later: absolute,
 * since pmem-kdump check runs elsewhere than kdump-tools did.
 */
static void absolute(char *out, size_t size, const char *path)
{
	char cwd[PATH_MAX];
	int n = -1;

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		n = snprintf(out, size, "%s/%s", strcmp(cwd, "/") ? cwd : "", path);
	/* Too long a result, or no cwd: the path as given is still a clue. */
	if (n < 0 || (size_t)n >= size)
		snprintf(out, size, "%s", path);
	one_line(out);
}

static void warn_once(struct capture_record *cr, const char *what, const char *why)
{
	if (cr->warned)
		return;
	cr->warned = true;
	log_warn(cr->log, "%s: %s\n", what, why);
}

/*
 * The --dump-dmesg output that the run before this one, in the same boot,
 * recorded: in kdump-tools, the log of this very capture, in the stamp
 * folder the dump goes to. A record of another boot is a former capture.
 */
static void carry_dmesg(struct capture_record *cr)
{
	struct kvfile_map m = { 0 };
	struct log_ctx quiet;
	const char *id, *dmesg;

	log_init(&quiet, cr->log->owner);
	if (cr->boot_id[0] && kvfile_read(&m, prefix(cr), REC_CAPTURE_PATH, &quiet) == 0 &&
	    (id = kvfile_get(&m, REC_CAP_BOOT_ID)) && !strcmp(id, cr->boot_id) &&
	    (dmesg = kvfile_get(&m, REC_CAP_DMESG)))
		snprintf(cr->dmesg, sizeof(cr->dmesg), "%s", dmesg);
	kvfile_map_free(&m);
	log_destroy(&quiet);
}

/* The record as it stands: @status, @error (one line) and the dump's counts. */
static void build(const struct capture_record *cr, struct kvfile *kv, const char *status,
		  const char *error, const struct dump_report *done)
{
	kvfile_add(kv, REC_CAP_BOOT_ID, cr->boot_id);
	kvfile_add(kv, REC_CAP_TIME, cr->time);
	kvfile_add(kv, REC_CAP_ARGV, cr->argv);
	kvfile_add(kv, REC_CAP_MODE, cr->dmesg_mode ? REC_CAP_MODE_DMESG : REC_CAP_MODE_DUMP);
	kvfile_add(kv, REC_CAP_DMESG, cr->dmesg);
	kvfile_add(kv, REC_CAP_OUTPUT, cr->output);
	kvfile_add(kv, REC_CAP_STATUS, status);
	kvfile_add(kv, REC_CAP_ERROR, error);
	if (done) {
		kvfile_addf(kv, REC_CAP_PAGES, "%" PRIu64, report_pages_written(done));
		kvfile_addf(kv, REC_CAP_BYTES, "%" PRIu64, done->write_bytes);
	} else {
		kvfile_add(kv, REC_CAP_PAGES, NULL);
		kvfile_add(kv, REC_CAP_BYTES, NULL);
	}
}

static void save(struct capture_record *cr, const struct kvfile *kv)
{
	struct log_ctx quiet;

	log_init(&quiet, cr->log->owner);
	if (kvfile_replace(kv, prefix(cr), REC_CAPTURE_PATH, REC_CAPTURE_DIR_MODE,
			   REC_CAPTURE_MODE, &quiet) < 0)
		warn_once(cr, "the capture record is not kept", log_error_text(&quiet));
	log_destroy(&quiet);
}

void capture_record_begin(struct capture_record *cr, const char *root, bool dmesg_mode,
			  const char *output)
{
	struct log_ctx quiet;
	struct kvfile kv;
	struct tm tm;
	time_t now;

	cr->root = root;
	if (!root)
		return;
	cr->dmesg_mode = dmesg_mode;
	log_init(&quiet, cr->log->owner);
	/* No boot id (no procfs): the record stands alone, nothing is carried. */
	if (sysfs_read_line(prefix(cr), BOOT_ID_PATH, cr->boot_id, sizeof(cr->boot_id), &quiet) < 0)
		cr->boot_id[0] = '\0';
	log_destroy(&quiet);
	now = time(NULL);
	if (!gmtime_r(&now, &tm) || !strftime(cr->time, sizeof(cr->time), "%Y-%m-%dT%H:%M:%SZ", &tm))
		cr->time[0] = '\0';
	if (output && strcmp(output, REC_CAP_OUTPUT_STDOUT))
		absolute(cr->output, sizeof(cr->output), output);
	else
		snprintf(cr->output, sizeof(cr->output), "%s", output ? output : "");
	if (dmesg_mode)
		snprintf(cr->dmesg, sizeof(cr->dmesg), "%s", cr->output);
	else
		carry_dmesg(cr);
	kvfile_init(&kv);
	build(cr, &kv, REC_CAP_STATUS_FAILED, REC_CAP_UNFINISHED, NULL);
	save(cr, &kv);
	kvfile_free(&kv);
}

/*
 * To the console through the kernel log: kdump-tools' output may go
 * nowhere a person sees. KERN_ERR shows even with "quiet".
 */
static void to_kmsg(const struct capture_record *cr, const char *error)
{
	char path[PATH_MAX], line[1024];
	struct log_ctx quiet;
	ssize_t written;
	int fd, n;

	log_init(&quiet, cr->log->owner);
	/* No O_CREAT: without a /dev/kmsg there is no console to reach. */
	fd = sysfs_path(path, sizeof(path), prefix(cr), "/dev/kmsg", &quiet) ? -1 :
	     open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	log_destroy(&quiet);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "<3>pmemdump %s: %s\n", cr->log->owner, error);
	if (n >= (int)sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write is one kernel log record; a failure has nowhere else to go. */
	written = write(fd, line, (size_t)n);
	(void)written;
	close(fd);
}

/* A copy in kdump-tools' stamp folder, where whoever looks at the dump looks. */
static void failed_copy(struct capture_record *cr, const struct kvfile *kv)
{
	char path[PATH_MAX + sizeof(REC_CAPTURE_FAILED_NAME)];
	const char *slash = strrchr(cr->dmesg, '/');
	struct log_ctx quiet;

	if (!slash)
		return;
	snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - cr->dmesg), cr->dmesg,
		 REC_CAPTURE_FAILED_NAME);
	log_init(&quiet, cr->log->owner);
	/* One there already (the dmesg run failed too) is the first failure: kept. */
	if (kvfile_create(kv, path, &quiet) < 0 && log_error_status(&quiet) != PMD_EEXIST)
		warn_once(cr, "no failure copy beside the dmesg log", log_error_text(&quiet));
	log_destroy(&quiet);
}

void capture_record_end(struct capture_record *cr, const char *error,
			const struct dump_report *done)
{
	char line[1024];
	struct kvfile kv;

	if (!cr->root)
		return;
	if (error) {
		snprintf(line, sizeof(line), "%s", error);
		one_line(line);
	}
	kvfile_init(&kv);
	build(cr, &kv, error ? REC_CAP_STATUS_FAILED : REC_CAP_STATUS_OK, error ? line : "",
	      error || cr->dmesg_mode ? NULL : done);
	save(cr, &kv);
	if (error) {
		to_kmsg(cr, line);
		if (cr->dmesg[0] == '/')
			failed_copy(cr, &kv);
	}
	kvfile_free(&kv);
}
