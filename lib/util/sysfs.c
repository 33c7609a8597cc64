// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One-value files of sysfs and procfs: a line read below a root prefix,
 * then parsed strictly, since a value that does not parse means a kernel
 * we do not understand (or a non-root read), never something to guess at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/sysfs.h"

int sysfs_path(char *buf, size_t size, const char *root, const char *path,
	       struct log_ctx *log)
{
	int n = snprintf(buf, size, "%s%s", root ? root : "", path);

	if (n < 0 || (size_t)n >= size)
		return log_fail(log, PMD_EINVAL, "path too long: %s%s", root ? root : "", path);
	return 0;
}

bool sysfs_exists(const char *root, const char *path)
{
	char full[4096];
	struct stat st;
	int n = snprintf(full, sizeof(full), "%s%s", root ? root : "", path);

	return n > 0 && (size_t)n < sizeof(full) && lstat(full, &st) == 0;
}

int sysfs_read_line(const char *root, const char *path, char *buf, size_t size,
		    struct log_ctx *log)
{
	char full[4096];
	size_t len = 0;
	ssize_t n;
	char *nl;
	int fd, ret;

	if (size < 2)
		return log_fail(log, PMD_EINVAL, "no room to read %s", path);
	ret = sysfs_path(full, sizeof(full), root, path, log);
	if (ret < 0)
		return ret;
	/* O_NONBLOCK: a FIFO planted in a saved tree must not hang us. */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot open %s: %s", full, strerror(errno));
	/* Read one byte more than fits, to tell a long line from a full one. */
	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = log_fail(log, PMD_EIO, "cannot read %s: %s", full, strerror(errno));
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(buf + len - (size_t)n, '\n', (size_t)n))
			break;
	}
	close(fd);
	nl = memchr(buf, '\n', len);
	if (nl)
		len = (size_t)(nl - buf);
	else if (len >= size)
		return log_fail(log, PMD_ECORRUPT, "%s: the value is longer than %zu bytes", full,
				size - 1);
	if (memchr(buf, '\0', len))
		return log_fail(log, PMD_ECORRUPT, "%s: the value holds a NUL byte", full);
	buf[len] = '\0';
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Digits of @base at *@s into *@out, *@s moved past them. No sign, no
 * wrap-around: strtoull takes "-1" and silently saturates, we refuse both.
 */
static bool take_number(const char **s, unsigned int base, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	int d;

	if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if ((d = hex_digit(*p)) < 0 || (unsigned int)d >= base)
		return false;
	while ((d = hex_digit(*p)) >= 0 && (unsigned int)d < base) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
		p++;
	}
	*s = p;
	*out = v;
	return true;
}

static int parse_one(const char *s, unsigned int base, uint64_t *out, const char *what,
		     struct log_ctx *log)
{
	const char *p = skip_blanks(s);

	if (!take_number(&p, base, out) || *skip_blanks(p))
		return log_fail(log, PMD_ECORRUPT, "%s: '%.64s' is not a %s number", what, s,
				base == 16 ? "hexadecimal" : "decimal");
	return 0;
}

int sysfs_parse_hex(const char *s, uint64_t *out, const char *what, struct log_ctx *log)
{
	return parse_one(s, 16, out, what, log);
}

int sysfs_parse_dec(const char *s, uint64_t *out, const char *what, struct log_ctx *log)
{
	return parse_one(s, 10, out, what, log);
}

int sysfs_parse_addr_size(const char *s, uint64_t *addr, uint64_t *size, const char *what,
			  struct log_ctx *log)
{
	const char *p = skip_blanks(s);

	/* "%pa" always prints the 0x; "%x" never does. */
	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || !take_number(&p, 16, addr) ||
	    !is_blank(*p))
		goto bad;
	p = skip_blanks(p);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		goto bad;
	if (!take_number(&p, 16, size) || *skip_blanks(p))
		goto bad;
	return 0;
bad:
	return log_fail(log, PMD_ECORRUPT, "%s: '%.64s' is not an \"address size\" pair", what, s);
}

int sysfs_parse_cpulist(const char *s, uint64_t *bits, unsigned int nbits, const char *what,
			struct log_ctx *log)
{
	const char *p = skip_blanks(s);
	uint64_t first, last, cpu;

	if (nbits)
		memset(bits, 0, (nbits + 63) / 64 * sizeof(*bits));
	if (!*p)
		return log_fail(log, PMD_ECORRUPT, "%s: empty cpu list", what);
	for (;;) {
		if (!take_number(&p, 10, &first))
			goto bad;
		last = first;
		if (*p == '-') {
			p++;
			if (!take_number(&p, 10, &last) || last < first)
				goto bad;
		}
		if (last >= nbits)
			return log_fail(log, PMD_ECORRUPT, "%s: cpu %llu is beyond the %u supported",
					what, (unsigned long long)last, nbits);
		for (cpu = first; cpu <= last; cpu++)
			bits[cpu / 64] |= 1ull << (cpu % 64);
		if (*p != ',')
			break;
		p++;
	}
	if (*skip_blanks(p))
		goto bad;
	return 0;
bad:
	return log_fail(log, PMD_ECORRUPT, "%s: '%.64s' is not a cpu list", what, s);
}

static int read_number(const char *root, const char *path, unsigned int base, uint64_t *out,
		       struct log_ctx *log)
{
	char line[128];
	int ret = sysfs_read_line(root, path, line, sizeof(line), log);

	if (ret < 0)
		return ret;
	return parse_one(line, base, out, path, log);
}

int sysfs_read_hex(const char *root, const char *path, uint64_t *out, struct log_ctx *log)
{
	return read_number(root, path, 16, out, log);
}

int sysfs_read_dec(const char *root, const char *path, uint64_t *out, struct log_ctx *log)
{
	return read_number(root, path, 10, out, log);
}
