// SPDX-License-Identifier: GPL-2.0-or-later
/* makedumpfile on the capture: which one, its words, the run. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/filter.h"
#include "util/child.h"

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* "<folder of this program>/makedumpfile". */
static bool beside_us(char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return false;
	self[n] = '\0';
	return (size_t)snprintf(out, size, "%s/makedumpfile", dirname(self)) < size &&
	       executable(out);
}

/* The first makedumpfile of $PATH's folders. */
static bool in_path(char *out, size_t size)
{
	const char *env = getenv("PATH");
	char *dirs = strdup(env ? env : "/usr/sbin:/usr/bin:/sbin:/bin"), *save = NULL, *dir;
	bool found = false;

	for (dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save))
		found = (size_t)snprintf(out, size, "%s/makedumpfile", dir) < size && executable(out);
	free(dirs);
	return found;
}

int ld_find_makedumpfile(const char *given, char *out, size_t size, struct log_ctx *log)
{
	const char *env = getenv(LD_MAKEDUMPFILE_ENV);
	const char *named = given ? given : env && *env ? env : NULL;

	if (named) {
		if (!executable(named))
			return log_fail(log, PMD_EINVAL, "makedumpfile %s is not a program we can run%s",
					named, given ? "" : " ($" LD_MAKEDUMPFILE_ENV ")");
		if ((size_t)snprintf(out, size, "%s", named) >= size)
			return log_fail(log, PMD_EINVAL, "path too long: %s", named);
		return 0;
	}
	if (beside_us(out, size) || in_path(out, size))
		return 0;
	return log_fail(log, PMD_EINVAL,
			"no makedumpfile beside livedump nor in PATH (--makedumpfile PATH names one)");
}

void ld_free_words(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

/* One word from *@p into @word (as long as the text); *@p moved past it. */
static int take_word(const char **p, char *word, struct log_ctx *log)
{
	const char *s = *p;
	char quote = 0;

	for (; *s && (quote || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
		if (quote && *s == quote) {
			quote = 0;
		} else if (!quote && (*s == '\'' || *s == '"')) {
			quote = *s;
		} else if (*s == '\\' && quote != '\'') {
			if (!*++s)
				return log_fail(log, PMD_EINVAL, "--filter: a backslash ends the text");
			*word++ = *s;
		} else {
			*word++ = *s;
		}
	}
	if (quote)
		return log_fail(log, PMD_EINVAL, "--filter: an unclosed %c quote", quote);
	*word = '\0';
	*p = s;
	return 0;
}

int ld_split_words(const char *text, char ***argv, size_t *nr, struct log_ctx *log)
{
	size_t len = strlen(text), n = 0;
	char **v = calloc(len / 2 + 2, sizeof(*v));
	const char *p = text;
	int ret = 0;

	*argv = NULL;
	*nr = 0;
	if (!v)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		v[n] = malloc(len + 1);
		if (!v[n]) {
			ret = log_fail(log, PMD_ENOMEM, "out of memory");
			break;
		}
		ret = take_word(&p, v[n++], log);
		if (ret)
			break;
		/* -F: makedumpfile would write the dump to our standard output. */
		if (v[n - 1][0] == '-' && v[n - 1][1] != '-' && strchr(v[n - 1], 'F')) {
			ret = log_fail(log, PMD_EINVAL,
				       "--filter: %s writes to standard output; the dump goes to FILE (-o)",
				       v[n - 1]);
			break;
		}
	}
	if (ret) {
		ld_free_words(v);
		return ret;
	}
	*argv = v;
	*nr = n;
	return 0;
}

int ld_filter_run(const char *program, char *const *args, size_t nr, const char *capture,
		  const char *out, struct log_ctx *log)
{
	char **argv = calloc(nr + 4, sizeof(*argv));
	pid_t pid;

	if (!argv)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	argv[0] = (char *)program;
	memcpy(argv + 1, args, nr * sizeof(*argv));
	argv[nr + 1] = (char *)capture;
	argv[nr + 2] = (char *)out;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execv(program, argv);
		dprintf(STDERR_FILENO, "livedump: cannot run %s: %s\n", program, strerror(errno));
		_exit(127);
	}
	free(argv);
	if (pid < 0)
		return log_fail(log, PMD_EIO, "fork: %s", strerror(errno));
	/* An interrupt reached makedumpfile too; its end tells. */
	return child_wait(pid, "makedumpfile", log);
}
