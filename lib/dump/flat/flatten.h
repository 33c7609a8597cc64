/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_FLAT_FLATTEN_H
#define PMD_DUMP_FLAT_FLATTEN_H

#include <stdint.h>

/*
 * makedumpfile's flattened format, for dumps sent down a pipe (-F) and
 * turned back into a dump file (-R):
 *
 *   a 4096-byte header: "makedumpfile" (NUL-padded to 16 bytes), then
 *   type = 1 and version = 1 as big-endian int64, then zeros;
 *   data blocks: { int64 offset, int64 size } big-endian, then size bytes
 *   that belong at that offset of the dump file;
 *   an end marker: offset = size = -1.
 *
 * Blocks come in any order and may overlap; a later block wins.
 */
#define FLAT_HEADER_SIZE 4096
#define FLAT_SIGNATURE "makedumpfile"
#define FLAT_SIGNATURE_FIELD 16
#define FLAT_TYPE 1
#define FLAT_VERSION 1
#define FLAT_END_MARK (-1)

struct out_file;
struct output_sink;

struct log_ctx;

struct flat_writer {
	struct log_ctx *log;
	int fd;
	const char *name;	/* for messages, e.g. "standard output" */
	uint64_t bytes_written;	/* including the format's own headers */
};

/* Write the flattened header to @fd. 0, or -1 with an error printed. */
int flat_writer_begin(struct flat_writer *fw, struct log_ctx *log, int fd, const char *name);

/* A sink whose writes become data blocks of @fw (its stream flag is set). */
void output_sink_flat(struct output_sink *s, struct flat_writer *fw);

/* Write the end marker; the stream is complete after this. */
int flat_writer_end(struct flat_writer *fw);

/*
 * -R: read flattened data from @in_fd (named @in_name in messages) and
 * write each block at its offset of @out. 0, or -1 with an error printed;
 * the caller then aborts @out.
 */
int flat_rebuild(int in_fd, const char *in_name, struct out_file *out);

/*
 * Is the flattened dump in the file @fd (@size bytes, @name in messages)
 * whole: the header, then blocks one after the other up to an end marker
 * that is the file's last 16 bytes? A stream cut short (a reader that
 * died, a full disk, a killed writer) has no end marker. Only the block
 * headers are read, one pread each, so a large dump is checked quickly;
 * the data is not. 0: whole. -PMD_ENOTFMT: not flattened (no signature);
 * -PMD_ECORRUPT: cut short or damaged; -PMD_EIO: unreadable. Recorded.
 */
int flat_file_verify(int fd, uint64_t size, const char *name, struct log_ctx *log);

#endif
