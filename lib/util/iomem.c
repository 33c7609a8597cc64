// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/iomem as a tree, for --mem-usage on /proc/kcore. The text may be
 * a copy from anywhere (a bug report, a test), so every line is checked:
 * a bad one is an error naming its line, never a guess at what it meant.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/iomem.h"

#define IOMEM_PAGE_SHIFT 12

/* 1 to 16 hex digits: more cannot be a 64-bit address. */
static bool parse_hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	unsigned int n;
	int d;

	*v = 0;
	for (n = 0; s < end; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (n == 16)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	*p = s;
	return n > 0;
}

/* The error of line @line of @what, in add_line(). */
#define BAD(fmt, ...) \
	log_fail(log, PMD_ECORRUPT, "%s line %u: " fmt, what, line, ##__VA_ARGS__)

/*
 * Add the line [s, e) below @*last, the node of the line before. The
 * kernel prints "%*s%0*llx-%0*llx : %s", two spaces per level, parents
 * before their children and siblings in order.
 */
static int add_line(struct iomem_tree *t, struct iomem_node **last, const char *s,
		    const char *e, const char *what, unsigned int line, struct log_ctx *log)
{
	struct iomem_node *node, *prev, *parent;
	size_t len = (size_t)(e - s), spaces = 0, i;
	unsigned int depth;
	uint64_t start, end;

	if (len > IOMEM_LINE_MAX)
		return BAD("longer than %d bytes", IOMEM_LINE_MAX);
	/* Control bytes would reach the terminal through names: refuse them. */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20)
			return s[i] ? BAD("control character 0x%02x", s[i]) : BAD("NUL byte");
	while (spaces < len && s[spaces] == ' ')
		spaces++;
	if (spaces % 2)
		return BAD("indented by %zu spaces, not whole levels of two", spaces);
	depth = (unsigned int)(spaces / 2);
	if (depth > (*last ? (*last)->depth + 1 : 0))
		return BAD("indented to depth %u, more than one level below the line before", depth);
	s += spaces;
	if (!parse_hex(&s, e, &start) || s == e || *s++ != '-')
		return BAD("bad start address");
	if (!parse_hex(&s, e, &end) || (s < e && *s != ' '))
		return BAD("bad end address");
	if (e - s < 3 || memcmp(s, " : ", 3))
		return BAD("missing \" : \" after the range");
	s += 3;
	if (s == e)
		return BAD("empty name");
	if (start > end)
		return BAD("start 0x%llx is above end 0x%llx", (unsigned long long)start,
			   (unsigned long long)end);

	/*
	 * A line one level deeper is the first child of the line before;
	 * otherwise the ancestor of that line at the same depth (it has one
	 * at each depth) is the previous sibling.
	 */
	prev = *last;
	while (prev && prev->depth > depth)
		prev = prev->parent;
	if (prev && prev->depth < depth) {
		parent = prev;
		prev = NULL;
	} else {
		parent = prev ? prev->parent : NULL;
	}
	if (parent && (start < parent->start || end > parent->end))
		return BAD("0x%llx-0x%llx lies outside its parent 0x%llx-0x%llx",
			   (unsigned long long)start, (unsigned long long)end,
			   (unsigned long long)parent->start, (unsigned long long)parent->end);

	/* The name after the node, so one free() releases both. */
	len = (size_t)(e - s);
	node = calloc(1, sizeof(*node) + len + 1);
	if (!node)
		return log_fail(log, PMD_ENOMEM, "out of memory for %s", what);
	node->name = (char *)(node + 1);
	memcpy(node->name, s, len);
	node->start = start;
	node->end = end;
	node->depth = depth;
	node->parent = parent;
	if (prev)
		prev->next = node;
	else if (parent)
		parent->child = node;
	else
		t->first = node;
	t->nr_nodes++;
	*last = node;
	return 0;
}

/* @what names the text in errors: its path, or "iomem". */
static int parse(struct iomem_tree *t, const char *text, size_t len, const char *what,
		 struct log_ctx *log)
{
	const char *p = text, *end = text + len, *nl;
	struct iomem_node *last = NULL;
	unsigned int line = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	/* Bounds the node count (and so nr_nodes) as well as the memory. */
	if (len > IOMEM_SIZE_MAX)
		return log_fail(log, PMD_ECORRUPT, "%s is larger than %u bytes", what,
				IOMEM_SIZE_MAX);
	for (; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ret = add_line(t, &last, p, nl ? nl : end, what, ++line, log);
		if (ret) {
			iomem_free(t);
			return ret;
		}
	}
	return 0;
}

int iomem_parse(struct iomem_tree *t, const char *text, size_t len, struct log_ctx *log)
{
	return parse(t, text, len, "iomem", log);
}

int iomem_read(struct iomem_tree *t, const char *path, struct log_ctx *log)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *grown;
	ssize_t n;
	int fd, ret;

	memset(t, 0, sizeof(*t));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot open %s: %s", path, strerror(errno));
	/* /proc files show size 0: read to the end, or just past the limit. */
	for (;;) {
		if (len == cap) {
			if (len > IOMEM_SIZE_MAX)
				break;
			cap = cap ? 2 * cap : 16384;
			grown = realloc(buf, cap);
			if (!grown) {
				ret = log_fail(log, PMD_ENOMEM, "out of memory reading %s", path);
				goto out;
			}
			buf = grown;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = log_fail(log, PMD_EIO, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ret = parse(t, buf, len, path, log);
out:
	free(buf);
	close(fd);
	return ret;
}

/* Without recursion: children first, each parent freed once they are gone. */
void iomem_free(struct iomem_tree *t)
{
	struct iomem_node *n = t->first, *c, *up;

	while (n) {
		if (n->child) {
			c = n->child;
			n->child = NULL;
			n = c;
			continue;
		}
		up = n->next ? n->next : n->parent;
		free(n);
		n = up;
	}
	memset(t, 0, sizeof(*t));
}

static const struct iomem_node *successor(const struct iomem_node *n)
{
	if (n->child)
		return n->child;
	while (n && !n->next)
		n = n->parent;
	return n ? n->next : NULL;
}

const struct iomem_node *iomem_next(const struct iomem_tree *t, const struct iomem_node *from,
				    const char *prefix)
{
	const struct iomem_node *n = from ? successor(from) : t->first;
	size_t plen = prefix ? strlen(prefix) : 0;

	while (n && strncmp(n->name, prefix ? prefix : "", plen))
		n = successor(n);
	return n;
}

int iomem_find(struct log_ctx *log, const char *path, const char *name, struct pfn_ranges *out)
{
	const struct iomem_node *n;
	struct iomem_tree t;
	bool addresses = false;
	int ret = iomem_read(&t, path, log);

	if (ret)
		return ret;
	for (n = t.first; n; n = successor(n))
		addresses |= n->start || n->end;
	/* An empty or all-zero map would read as "no pmem here": refuse it. */
	if (!t.nr_nodes)
		ret = log_fail(log, PMD_ECORRUPT, "%s lists no resources", path);
	else if (!addresses)
		ret = log_fail(log, PMD_EIO, "%s shows no addresses: --mem-usage needs root", path);
	for (n = iomem_next(&t, NULL, name); n && !ret; n = iomem_next(&t, n, name))
		if (pfn_ranges_add(out, n->start >> IOMEM_PAGE_SHIFT,
				   (n->end >> IOMEM_PAGE_SHIFT) + 1) < 0)
			ret = log_fail(log, PMD_ENOMEM, "out of memory for the ranges of %s", path);
	iomem_free(&t);
	return ret;
}
