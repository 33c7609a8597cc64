// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/sink.h"
#include "util/fileio.h"

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
}
