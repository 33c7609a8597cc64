/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_OUTPUT_SINK_H
#define MDF_OUTPUT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
};

static inline int sink_write(const struct output_sink *s, const void *buf, size_t len,
			     uint64_t off)
{
	return len ? s->ops->write_at(s->priv, buf, len, off) : 0;
}

/* A sink that pwrites into @of (which must outlive the sink). */
void output_sink_file(struct output_sink *s, struct out_file *of);

#endif
