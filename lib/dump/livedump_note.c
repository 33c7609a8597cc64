// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The LIVEDUMP note of a live dump. The text is parsed where it lies,
 * each line and value bounded by its length: nothing is copied but the
 * state word and the reason, and nothing is allocated. Values are
 * checked, not escaped, so that what a message quotes is printable.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dump/livedump_note.h"
#include "elfcore/elfcore.h"
#include "util/log.h"

enum value_kind {
	V_NUMBER,	/* decimal, below 2^64 */
	V_TIME,		/* SECONDS.NANOSECONDS */
	V_WORD,		/* [a-z0-9_-], the state */
	V_TEXT,		/* printable ASCII, the reason */
	V_PFNS,		/* a pfn range list */
};

struct key {
	const char *name;
	enum value_kind kind;
	size_t off;	/* of the field in struct livedump_note */
};

#define FIELD(f) offsetof(struct livedump_note, f)

/* Keys the reader uses or checks; the index is the key's bit in `seen`. */
static const struct key keys[] = {
	{ "LIVEDUMP_VERSION", V_NUMBER, FIELD(version) },
	{ "STATE", V_WORD, FIELD(state_name) },
	{ "REASON", V_TEXT, FIELD(reason) },
	{ "CAPTURE_TIME", V_TIME, 0 },
	{ "STOP_US", V_NUMBER, FIELD(stop_us) },
	{ "PAGES_RAM", V_NUMBER, FIELD(pages_ram) },
	{ "PAGES_LOST", V_NUMBER, FIELD(pages_lost) },
	{ "PAGES_EXCLUDED", V_NUMBER, FIELD(pages_excluded) },
	{ "LOST_PFNS", V_PFNS, FIELD(lost) },
	{ "EXCLUDED_PFNS", V_PFNS, FIELD(excluded) },
};

enum { K_VERSION, K_STATE, K_REASON, K_TIME, K_STOP, K_RAM, K_LOST, K_EXCLUDED,
       K_LOST_PFNS, K_EXCLUDED_PFNS };

/* A piece of the note's text: never NUL-terminated, always bounded. */
struct span {
	const char *p;
	size_t len;
};

struct parser {
	struct livedump_note *ln;
	const char *path;
	struct log_ctx *log;
	const struct key *key;	/* whose value is being parsed */
	unsigned int line;
};

static int corrupt(const struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int corrupt(const struct parser *ps, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return log_fail(ps->log, PMD_ECORRUPT, "%s: corrupt LIVEDUMP note: %s", ps->path, what);
}

static bool span_is(struct span s, const char *word)
{
	return s.len == strlen(word) && !memcmp(s.p, word, s.len);
}

/* Take @n bytes off the front of @s. */
static void span_skip(struct span *s, size_t n)
{
	s->p += n;
	s->len -= n;
}

static bool span_eat(struct span *s, const char *word)
{
	size_t n = strlen(word);

	if (s->len < n || memcmp(s->p, word, n))
		return false;
	span_skip(s, n);
	return true;
}

/* Leading digits of @base (10 or 16) into *@v: how many, or 0 on none or overflow. */
static size_t take_number(struct span *s, unsigned int base, uint64_t *v)
{
	size_t n = 0;

	*v = 0;
	for (; n < s->len; n++) {
		char c = s->p[n];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (*v > (UINT64_MAX - d) / base)
			return 0;
		*v = *v * base + d;
	}
	span_skip(s, n);
	return n;
}

static int parse_number(const struct parser *ps, struct span v, uint64_t *out)
{
	if (!take_number(&v, 10, out) || v.len)
		return corrupt(ps, "%s is not a decimal number below 2^64", ps->key->name);
	return 0;
}

static int parse_time(const struct parser *ps, struct span v)
{
	uint64_t sec, frac;
	size_t digits;

	if (!take_number(&v, 10, &sec) || !span_eat(&v, ".") ||
	    !(digits = take_number(&v, 10, &frac)) || digits > 9 || v.len)
		return corrupt(ps, "CAPTURE_TIME is not SECONDS.NANOSECONDS");
	for (; digits < 9; digits++)
		frac *= 10;
	ps->ln->capture_sec = sec;
	ps->ln->capture_nsec = (uint32_t)frac;
	ps->ln->has_capture_time = true;
	return 0;
}

static int parse_word(const struct parser *ps, struct span v, char *out, size_t size)
{
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			v.len = 0;	/* not a word: refused below */
	}
	if (!v.len || v.len >= size)
		return corrupt(ps, "%s is not a word of at most %zu letters", ps->key->name, size - 1);
	memcpy(out, v.p, v.len);
	out[v.len] = '\0';
	return 0;
}

/* Printable text, cut with "..." to fit @size. */
static int parse_text(const struct parser *ps, struct span v, char *out, size_t size)
{
	size_t n = v.len < size ? v.len : size - 4;

	for (size_t i = 0; i < v.len; i++)
		if (v.p[i] < 0x20 || v.p[i] > 0x7e)
			return corrupt(ps, "%s holds a byte that is not printable ASCII (%#x)",
				       ps->key->name, (unsigned char)v.p[i]);
	memcpy(out, v.p, n);
	strcpy(out + n, v.len < size ? "" : "...");
	return 0;
}

/* A hexadecimal pfn, "0x" optional, as the kernel writes them. */
static bool take_pfn(struct span *s, uint64_t *pfn)
{
	if (!span_eat(s, "0x"))
		span_eat(s, "0X");
	return take_number(s, 16, pfn) != 0;
}

/*
 * The end of a list that the kernel cut: " (+N more)", or ",...(T ranges)"
 * with T all the ranges. The ranges it leaves out, or -1.
 */
static int64_t take_tail(struct span *s, uint64_t listed)
{
	uint64_t n;

	if (span_eat(s, " (+") && take_number(s, 10, &n) && span_eat(s, " more)") && !s->len)
		return n <= INT64_MAX ? (int64_t)n : -1;
	if (span_eat(s, ",...(") && take_number(s, 10, &n) && span_eat(s, " ranges)") && !s->len)
		return n >= listed && n - listed <= INT64_MAX ? (int64_t)(n - listed) : -1;
	return -1;
}

static int parse_pfns(const struct parser *ps, struct span v, struct livedump_pfns *l)
{
	const char *value = v.p;
	uint64_t start, end, prev_end = 0;

	while (v.len) {
		if (l->nr_listed) {
			struct span tail = v;
			int64_t more = take_tail(&tail, l->nr_listed);

			if (more >= 0) {
				l->nr_more = (uint64_t)more;
				return 0;
			}
			if (!span_eat(&v, ","))
				goto bad;
		}
		if (!take_pfn(&v, &start) || !span_eat(&v, "-") || !take_pfn(&v, &end))
			goto bad;
		if (start > end || (l->nr_listed && start <= prev_end) ||
		    end - start == UINT64_MAX || l->pages + (end - start + 1) < l->pages)
			return corrupt(ps, "%s: range %#llx-%#llx is reversed, out of order or too large",
				       ps->key->name, (unsigned long long)start,
				       (unsigned long long)end);
		if (l->nr_shown < LIVEDUMP_RANGES_SHOWN)
			l->shown[l->nr_shown++] = (struct livedump_pfn_range){ start, end };
		l->nr_listed++;
		l->pages += end - start + 1;
		prev_end = end;
	}
	return 0;
bad:
	return corrupt(ps, "%s is not a list of pfn ranges START-END (at byte %zu of the value)",
		       ps->key->name, (size_t)(v.p - value));
}

static int parse_value(struct parser *ps, struct span v)
{
	void *field = (uint8_t *)ps->ln + ps->key->off;

	switch (ps->key->kind) {
	case V_NUMBER:
		return parse_number(ps, v, field);
	case V_TIME:
		return parse_time(ps, v);
	case V_WORD:
		return parse_word(ps, v, field, sizeof(ps->ln->state_name));
	case V_TEXT:
		return parse_text(ps, v, field, sizeof(ps->ln->reason));
	case V_PFNS:
		return parse_pfns(ps, v, field);
	}
	return 0;
}

/* One "KEY=value" line; @seen has a bit per key of keys[] met so far. */
static int parse_line(struct parser *ps, struct span line, uint32_t *seen)
{
	const char *eq = memchr(line.p, '=', line.len);
	struct span key, value;

	if (!eq || eq == line.p)
		return corrupt(ps, "line %u is not KEY=value", ps->line);
	key = (struct span){ line.p, (size_t)(eq - line.p) };
	value = (struct span){ eq + 1, line.len - key.len - 1 };
	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!span_is(key, keys[i].name))
			continue;
		if (*seen & (1u << i))
			return corrupt(ps, "%s is given twice", keys[i].name);
		*seen |= 1u << i;
		ps->key = &keys[i];
		return parse_value(ps, value);
	}
	return 0;	/* a key of a later kernel: nothing to check */
}

/* What the whole note must say, once every line is read. */
static int check_note(const struct parser *ps, uint32_t seen)
{
	struct livedump_note *ln = ps->ln;

	if (!(seen & (1u << K_VERSION)))
		return corrupt(ps, "no LIVEDUMP_VERSION");
	if (ln->version != 1)
		return log_fail(ps->log, PMD_EUNSUPPORTED, "%s: LIVEDUMP note version %llu is not supported (version 1 is)",
				ps->path, (unsigned long long)ln->version);
	if (!(seen & (1u << K_STATE)))
		strcpy(ln->state_name, "finished");
	if (!strcmp(ln->state_name, "finished"))
		ln->state = LIVEDUMP_FINISHED;
	else if (!strcmp(ln->state_name, "running"))
		ln->state = LIVEDUMP_RUNNING;
	else
		ln->state = LIVEDUMP_UNFINISHED;
	/* Only a finished dump is read, and it must say when and what it lost. */
	if (ln->state == LIVEDUMP_FINISHED && !(seen & (1u << K_TIME)))
		return corrupt(ps, "a finished dump without CAPTURE_TIME");
	if (ln->state == LIVEDUMP_FINISHED && !(seen & (1u << K_LOST)))
		return corrupt(ps, "a finished dump without PAGES_LOST");
	ln->has_pages_lost = seen & (1u << K_LOST);
	if (ln->lost.pages > ln->pages_lost)
		return corrupt(ps, "LOST_PFNS lists %llu pages, PAGES_LOST says %llu",
			       (unsigned long long)ln->lost.pages, (unsigned long long)ln->pages_lost);
	if (ln->excluded.pages > ln->pages_excluded)
		return corrupt(ps, "EXCLUDED_PFNS lists %llu pages, PAGES_EXCLUDED says %llu",
			       (unsigned long long)ln->excluded.pages,
			       (unsigned long long)ln->pages_excluded);
	if ((seen & (1u << K_RAM)) && ln->pages_lost > ln->pages_ram)
		return corrupt(ps, "PAGES_LOST %llu is more than PAGES_RAM %llu",
			       (unsigned long long)ln->pages_lost, (unsigned long long)ln->pages_ram);
	return 0;
}

int livedump_note_parse(struct livedump_note *ln, const uint8_t *desc, size_t size,
			const char *path, struct log_ctx *log)
{
	struct parser ps = { .ln = ln, .path = path ? path : "the input", .log = log };
	const char *nul = memchr(desc, '\0', size);
	struct span text;
	uint32_t seen = 0;
	int ret;

	memset(ln, 0, sizeof(*ln));
	/* The kernel writes the NUL: without it the text may be cut short. */
	if (!nul)
		return corrupt(&ps, "its text (%zu bytes) has no terminating NUL", size);
	text = (struct span){ (const char *)desc, (size_t)(nul - (const char *)desc) };
	while (text.len) {
		const char *nl = memchr(text.p, '\n', text.len);
		struct span line = { text.p, nl ? (size_t)(nl - text.p) : text.len };

		span_skip(&text, line.len + (nl ? 1 : 0));
		ps.line++;
		if (line.len && (ret = parse_line(&ps, line, &seen)) < 0)
			return ret;
	}
	return check_note(&ps, seen);
}

int livedump_note_find(struct livedump_note *ln, const uint8_t *notes, size_t size,
		       const char *path, struct log_ctx *log)
{
	struct elfcore_note note;
	size_t off = 0;
	int found = 0, ret;

	memset(ln, 0, sizeof(*ln));
	/*
	 * A corrupt note ends the walk: the ELF reader refuses such notes
	 * itself, and a kdump-compressed input has always been read past them.
	 */
	while (elfcore_note_next(notes, size, &off, &note) > 0) {
		if (!elfcore_note_is(&note, LIVEDUMP_NOTE_NAME) || note.type != LIVEDUMP_NOTE_TYPE)
			continue;
		if (found++)
			return log_fail(log, PMD_ECORRUPT, "%s has two LIVEDUMP notes", path);
		if ((ret = livedump_note_parse(ln, note.desc, note.descsz, path, log)) < 0)
			return ret;
	}
	return found;
}

int livedump_note_check_finished(const struct livedump_note *ln, const char *path,
				 struct log_ctx *log)
{
	const char *why = ln->reason[0] ? ln->reason : "no reason given";

	if (ln->state == LIVEDUMP_FINISHED)
		return 0;
	/* The provisional header's REASON is empty: say what it means. */
	if (ln->state == LIVEDUMP_RUNNING && !ln->reason[0])
		why = "the dump was interrupted or is still being written";
	return log_fail(log, PMD_ECORRUPT, "%s is a live dump that did not finish (state %s: %s)",
			path, ln->state_name, why);
}
