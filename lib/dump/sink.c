// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "dump/sink.h"
#include "util/fileio.h"
#include "util/log.h"

static int file_write_at(void *priv, const void *buf, size_t len, uint64_t off)
{
	return out_file_pwrite(priv, buf, len, off);
}

static const struct output_sink_ops file_sink_ops = {
	.write_at = file_write_at,
};

void output_sink_file(struct output_sink *s, struct out_file *of)
{
	s->ops = &file_sink_ops;
	s->priv = of;
	s->stream = false;
	s->log = of->log;
}

int sink_stream_init(struct sink_stream *s, const struct output_sink *out, size_t cap,
		     uint64_t off)
{
	memset(s, 0, sizeof(*s));
	s->buf = malloc(cap);
	if (!s->buf) {
		return log_fail(out->log, PMD_ENOMEM, "out of memory for a %zu-byte write buffer", cap);
	}
	s->out = out;
	s->cap = cap;
	s->off = off;
	return 0;
}

void sink_stream_free(struct sink_stream *s)
{
	free(s->buf);
	s->buf = NULL;
}

int sink_stream_flush(struct sink_stream *s)
{
	if (sink_write(s->out, s->buf, s->len, s->off) < 0)
		return -1;
	s->off += s->len;
	s->len = 0;
	return 0;
}

int sink_stream_seek(struct sink_stream *s, uint64_t off)
{
	if (off == sink_stream_pos(s))
		return 0;
	if (sink_stream_flush(s) < 0)
		return -1;
	s->off = off;
	return 0;
}

int sink_stream_append(struct sink_stream *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		size_t n = s->cap - s->len;

		if (!n) {
			if (sink_stream_flush(s) < 0)
				return -1;
			continue;
		}
		if (n > len)
			n = len;
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		p += n;
		len -= n;
	}
	return 0;
}

void *sink_stream_reserve(struct sink_stream *s, size_t len)
{
	if (len > s->cap)
		return NULL;
	if (s->len + len > s->cap && sink_stream_flush(s) < 0)
		return NULL;
	return s->buf + s->len;
}
