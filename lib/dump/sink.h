/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_SINK_H
#define PMD_DUMP_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct log_ctx;
struct out_file;

/*
 * Where a dump writer's bytes go: "put these bytes at this offset of the
 * dump file". A regular file takes them with pwrite; makedumpfile's
 * flattened format (-F) sends them down a pipe, each preceded by its
 * offset (output/flatten.h). Writers never read back what they wrote.
 */
struct output_sink_ops {
	/* 0, or -1 with an error printed. @len may be 0 (nothing happens). */
	int (*write_at)(void *priv, const void *buf, size_t len, uint64_t off);
};

struct output_sink {
	const struct output_sink_ops *ops;
	void *priv;
	/*
	 * Bytes written twice at one offset all reach the reader of a
	 * stream, in order: a writer that rewrites a header on success
	 * (the "incomplete" flag) should write it only once to a stream.
	 */
	bool stream;
	struct log_ctx *log;	/* where write errors are recorded */
};

static inline int sink_write(const struct output_sink *s, const void *buf, size_t len,
			     uint64_t off)
{
	return len ? s->ops->write_at(s->priv, buf, len, off) : 0;
}

/* A sink that pwrites into @of (which must outlive the sink). */
void output_sink_file(struct output_sink *s, struct out_file *of);

/*
 * A buffered, sequential writer over a sink. Every byte is copied into its
 * buffer before it is written: bytes handed in may point into /proc/vmcore's
 * mapping, PFN-mapped old memory that a file system doing zero-copy writes
 * (9p over virtio) cannot pin.
 */
struct sink_stream {
	const struct output_sink *out;
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint64_t off;		/* file offset of buf[0] */
};

int sink_stream_init(struct sink_stream *s, const struct output_sink *out, size_t cap,
		     uint64_t off);
void sink_stream_free(struct sink_stream *s);
int sink_stream_flush(struct sink_stream *s);
int sink_stream_append(struct sink_stream *s, const void *data, size_t len);
/* Go on at @off; bytes between the end so far and @off stay a hole. */
int sink_stream_seek(struct sink_stream *s, uint64_t off);
/*
 * Room for @len contiguous bytes (at most the capacity) at the end, to be
 * filled in place and then counted with sink_stream_commit(); NULL on error.
 */
void *sink_stream_reserve(struct sink_stream *s, size_t len);

static inline void sink_stream_commit(struct sink_stream *s, size_t len)
{
	s->len += len;
}

/* The file offset the next appended byte gets. */
static inline uint64_t sink_stream_pos(const struct sink_stream *s)
{
	return s->off + s->len;
}

#endif
