// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/bzimage.h"
#include "src/kdumpenv.h"
#include "util/kvfile.h"
#include "util/sysfs.h"

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int pk_split_words(const char *s, struct pk_words *out)
{
	char *b = out->buf, *end = out->buf + sizeof(out->buf) - 1;
	bool in_word = false;

	out->nr = 0;
	while (*s) {
		char c = *s;

		if ((c == ' ' || c == '\t' || c == '\n') && in_word) {
			*b++ = '\0';
			in_word = false;
			s++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n') {
			s++;
			continue;
		}
		if (!in_word) {
			if (out->nr == PK_WORDS_MAX)
				return -PMD_EINVAL;
			out->w[out->nr++] = b;
			in_word = true;
		}
		if (b >= end)
			return -PMD_EINVAL;
		if (c == '\'') {
			const char *q = strchr(s + 1, '\'');

			if (!q || b + (q - s - 1) >= end)
				return -PMD_EINVAL;
			memcpy(b, s + 1, (size_t)(q - s - 1));
			b += q - s - 1;
			s = q + 1;
		} else if (c == '"') {
			for (s++; *s && *s != '"'; s++) {
				/* In "...", a backslash escapes only these. */
				if (*s == '\\' && s[1] && strchr("\"\\$`", s[1]))
					s++;
				if (b >= end)
					return -PMD_EINVAL;
				*b++ = *s;
			}
			if (*s != '"')
				return -PMD_EINVAL;
			s++;
		} else if (c == '\\' && s[1]) {
			*b++ = s[1];
			s += 2;
		} else {
			*b++ = c;
			s++;
		}
	}
	*b = '\0';
	return 0;
}

static int open_below(const char *root, const char *path, FILE **f, struct timespec *mtime,
		      struct log_ctx *log)
{
	char full[PATH_MAX];
	struct stat st;
	int rc = sysfs_path(full, sizeof(full), root, path, log);

	*f = NULL;
	if (rc)
		return rc;
	*f = fopen(full, "re");
	if (!*f)
		return errno == ENOENT ? 0 : log_fail(log, PMD_EIO, "cannot read %s: %s", full,
						      strerror(errno));
	if (mtime) {
		memset(mtime, 0, sizeof(*mtime));
		if (fstat(fileno(*f), &st) == 0)
			*mtime = st.st_mtim;
	}
	return 0;
}

/* A line without its newline; false at the end. Longer lines are cut. */
static bool read_line(FILE *f, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, f))
		return false;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	else if (n == size - 1)
		for (int c; (c = fgetc(f)) != EOF && c != '\n';)
			;
	return true;
}

/* The plain NAME=value assignments of the sh file @path into @c. */
static int conf_parse(const char *root, const char *path, struct pk_kdump_conf *c,
		      struct log_ctx *log)
{
	static char line[PK_CMDLINE_MAX * 2];
	struct pk_words *w;
	FILE *f;
	int rc;

	rc = open_below(root, path, &f, NULL, log);
	if (rc || !f)
		return rc;
	w = malloc(sizeof(*w));
	if (!w) {
		fclose(f);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	c->present = true;
	while (read_line(f, line, sizeof(line))) {
		char *p = line, *eq, *name;

		p += strspn(p, " \t");
		if (!strncmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t'))
			p += 6 + strspn(p + 6, " \t");
		eq = strchr(p, '=');
		if (*p == '#' || !eq)
			continue;
		*eq = '\0';
		name = p;
		/* The value as sh would assign it: one word, quotes removed. */
		if (pk_split_words(eq + 1, w) < 0 || w->nr > 1)
			continue;
#define SET(var, flag) do { copy(var, sizeof(var), w->nr ? w->w[0] : ""); flag = true; } while (0)
		if (!strcmp(name, "KDUMP_CMDLINE"))
			SET(c->cmdline, c->has_cmdline);
		else if (!strcmp(name, "KDUMP_CMDLINE_APPEND"))
			SET(c->append, c->has_append);
		else if (!strcmp(name, "KDUMP_KEXEC_ARGS"))
			SET(c->kexec_args, c->has_kexec_args);
		else if (!strcmp(name, "MAKEDUMP_ARGS"))
			SET(c->makedump_args, c->has_makedump_args);
		else if (!strcmp(name, "PATH"))
			SET(c->path, c->has_path);
		else if (!strcmp(name, "KDUMP_COREDIR"))
			SET(c->coredir, c->has_coredir);
#undef SET
	}
	free(w);
	fclose(f);
	return 0;
}

int pk_kdump_conf_read(const char *root, struct pk_kdump_conf *c, struct log_ctx *log)
{
	struct pk_kdump_conf *hook;
	int rc;

	memset(c, 0, sizeof(*c));
	copy(c->coredir, sizeof(c->coredir), PK_KDUMP_COREDIR);
	rc = conf_parse(root, PK_KDUMP_TOOLS_CONF, c, log);
	if (rc || !c->present || c->has_append)
		return rc;
	/* Only its KDUMP_CMDLINE_APPEND: the hook sets nothing else. */
	hook = calloc(1, sizeof(*hook));
	if (!hook)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	rc = conf_parse(root, PK_KDUMP_HOOK, hook, log);
	if (!rc && hook->has_append) {
		copy(c->append, sizeof(c->append), hook->append);
		c->has_append = c->append_from_hook = true;
	}
	free(hook);
	return rc;
}

int pk_load_record_read(const char *root, struct pk_load_record *r, struct log_ctx *log)
{
	const char *syscall, *cmdline;
	struct kvfile_map m;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = kvfile_read(&m, root, REC_LOAD_PATH, log);
	if (rc || !m.present)
		goto out;
	r->mtime = m.mtime;
	syscall = kvfile_get(&m, REC_LOAD_SYSCALL);
	cmdline = kvfile_get(&m, REC_LOAD_CMDLINE);
	if (!syscall || !cmdline ||
	    (strcmp(syscall, "kexec_load") && strcmp(syscall, "kexec_file_load"))) {
		rc = log_fail(log, PMD_ECORRUPT, "%s: no syscall= or cmdline= line", REC_LOAD_PATH);
		goto out;
	}
	copy(r->syscall, sizeof(r->syscall), syscall);
	copy(r->kernel, sizeof(r->kernel), kvfile_get(&m, REC_LOAD_KERNEL));
	copy(r->initrd, sizeof(r->initrd), kvfile_get(&m, REC_LOAD_INITRD));
	copy(r->pmem, sizeof(r->pmem), kvfile_get(&m, REC_LOAD_PMEM));
	copy(r->cmdline, sizeof(r->cmdline), cmdline);
	r->file_syscall = !strcmp(r->syscall, "kexec_file_load");
	r->present = true;
out:
	kvfile_map_free(&m);
	return rc;
}

/* "--name=value" or "--name value": the value, advancing *@i for the latter. */
static const char *opt_value(const struct pk_words *w, unsigned int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(w->w[*i], name, n))
		return NULL;
	if (w->w[*i][n] == '=')
		return w->w[*i] + n + 1;
	if (w->w[*i][n] == '\0' && *i + 1 < w->nr)
		return w->w[++*i];
	return NULL;
}

int pk_kexec_cmd_read(const char *root, const char *coredir, struct pk_kexec_cmd *k,
		      struct log_ctx *log)
{
	static char line[PK_CMDLINE_MAX * 2];
	char path[PATH_MAX];
	struct pk_words *w;
	FILE *f;
	int rc;

	memset(k, 0, sizeof(*k));
	snprintf(path, sizeof(path), "%s/kexec_cmd", coredir);
	rc = open_below(root, path, &f, &k->mtime, log);
	if (rc || !f)
		return rc;
	w = malloc(sizeof(*w));
	if (!w) {
		fclose(f);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	if (!read_line(f, line, sizeof(line)) || pk_split_words(line, w) < 0 || !w->nr) {
		rc = log_fail(log, PMD_ECORRUPT, "%s: not a kexec command", path);
		goto out;
	}
	copy(k->kexec, sizeof(k->kexec), w->w[0]);
	for (unsigned int i = 1; i < w->nr; i++) {
		const char *v;

		if (!strcmp(w->w[i], "-s") || !strcmp(w->w[i], "--kexec-file-syscall")) {
			k->file_syscall = true;
		} else if ((v = opt_value(w, &i, "--command-line")) ||
			   (v = opt_value(w, &i, "--append"))) {
			copy(k->cmdline, sizeof(k->cmdline), v);
			k->has_cmdline = true;
		} else if ((v = opt_value(w, &i, "--initrd")) || (v = opt_value(w, &i, "--ramdisk"))) {
			copy(k->initrd, sizeof(k->initrd), v);
		} else if (w->w[i][0] != '-') {
			copy(k->kernel, sizeof(k->kernel), w->w[i]);
		}
	}
	k->present = true;
out:
	free(w);
	fclose(f);
	return rc;
}

int pk_find_program(const char *root, const char *path_list, const char *name, char *out,
		    size_t size)
{
	const char *p = path_list;

	while (*p) {
		size_t n = strcspn(p, ":");
		char full[PATH_MAX];
		struct stat st;

		/* An empty PATH entry is the current folder: kdump never means that. */
		if (n && (size_t)snprintf(out, size, "%.*s/%s", (int)n, p, name) < size &&
		    (size_t)snprintf(full, sizeof(full), "%s%s", root ? root : "", out) <
		    sizeof(full) && stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(full, X_OK) == 0)
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	if (size)
		out[0] = '\0';
	return -1;
}

/* In the child: never returns. */
static void run_child(const char *full, const char *const *args, int out_fd)
{
	const char *argv[16] = { full };
	unsigned int n = 1;
	int null = open("/dev/null", O_RDONLY);

	for (; args && args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(127);
	execv(full, (char *const *)argv);
	_exit(127);
}

int pk_run(const char *root, const char *prog, const char *const *args, unsigned int timeout_s,
	   char **out, int *status, struct log_ctx *log)
{
	char full[PATH_MAX];
	size_t len = 0, cap = 4096;
	struct timespec t0, now;
	int fds[2], ws, rc;
	char *buf;
	pid_t pid;

	*out = NULL;
	*status = -1;
	rc = sysfs_path(full, sizeof(full), root, prog, log);
	if (rc)
		return rc;
	buf = malloc(cap);
	if (!buf)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	if (pipe2(fds, O_CLOEXEC) < 0) {
		free(buf);
		return log_fail(log, PMD_EIO, "cannot run %s: %s", full, strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return log_fail(log, PMD_EIO, "cannot run %s: %s", full, strerror(errno));
	}
	if (pid == 0)
		run_child(full, args, fds[1]);
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		long left_ms;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left_ms = (long)timeout_s * 1000 - ((now.tv_sec - t0.tv_sec) * 1000 +
						    (now.tv_nsec - t0.tv_nsec) / 1000000);
		if (left_ms <= 0 || poll(&pfd, 1, (int)left_ms) == 0) {
			/* A program that hangs must not hang the check. */
			kill(pid, SIGKILL);
			break;
		}
		if (len + 1024 > cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				close(fds[0]);
				free(buf);
				return log_fail(log, PMD_ENOMEM, "out of memory");
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fds[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	buf[len] = '\0';
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(ws))
		*status = WEXITSTATUS(ws);
	*out = buf;
	return 0;
}

enum pk_tool_kind pk_tool_identify(const char *root, const char *prog, const char *flag,
				   char *first, size_t size, struct log_ctx *log)
{
	const char *const version[] = { flag, NULL };
	enum pk_tool_kind kind = PK_TOOL_BROKEN;
	char *out;
	int status;

	copy(first, size, "");
	if (pk_run(root, prog, version, 10, &out, &status, log) < 0)
		return PK_TOOL_BROKEN;
	snprintf(first, size, "%.*s", (int)strcspn(out, "\n"), out);
	/* Both of ours print "<tool> (pmemdump) VERSION" (their main.c / options.c). */
	if (strstr(first, "(pmemdump)"))
		kind = PK_TOOL_OURS;
	else if (status != 127 && status != -1 && first[0])
		kind = PK_TOOL_OTHER;
	free(out);
	return kind;
}

int pk_bzimage_init_size(const char *root, const char *path, uint64_t *init_size,
			 struct log_ctx *log)
{
	unsigned char h[BZ_HEAD_SIZE];
	struct log_ctx quiet;
	struct bzimage bz;
	char full[PATH_MAX];
	ssize_t n;
	int fd, rc;

	rc = sysfs_path(full, sizeof(full), root, path, log);
	if (rc)
		return rc;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot read %s: %s", full, strerror(errno));
	n = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (n < 0)
		return log_fail(log, PMD_EIO, "cannot read %s: %s", full, strerror(errno));
	/* The header's own reason stays unsaid: the check names the file. */
	log_init(&quiet, log->owner);
	rc = bzimage_header(&bz, h, (size_t)n, &quiet);
	log_destroy(&quiet);
	if (rc)
		return log_fail(log, PMD_ENOTFMT, "%s is not a bzImage", full);
	if (bz.protocol < BZ_PROTOCOL_INIT_SIZE)
		return log_fail(log, PMD_EUNSUPPORTED, "%s: boot protocol %u.%02u has no init_size",
				full, bz.protocol >> 8, bz.protocol & 0xff);
	*init_size = bz.init_size;
	return 0;
}

int pk_file_size(const char *root, const char *path, uint64_t *size, struct log_ctx *log)
{
	char full[PATH_MAX];
	struct stat st;
	int rc = sysfs_path(full, sizeof(full), root, path, log);

	if (rc)
		return rc;
	if (stat(full, &st) < 0)
		return log_fail(log, PMD_EIO, "cannot stat %s: %s", full, strerror(errno));
	*size = (uint64_t)st.st_size;
	return 0;
}
