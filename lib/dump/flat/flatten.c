// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's flattened format: a dump as a sequence of
 * (offset, size, bytes) blocks that can travel down a pipe or ssh.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dump/flat/flatten.h"
#include "dump/sink.h"
#include "util/fileio.h"
#include "dump/format.h"
#include "util/log.h"

/* Block header: both fields big-endian, whatever the host. */
struct flat_block_header {
	int64_t offset;
	int64_t size;
};

#define REBUILD_READ_SIZE (1u << 20)
#define REBUILD_WRITE_SIZE (4u << 20)

/* writev until everything is out; retries short writes and EINTR. */
static int write_all(struct flat_writer *fw, struct iovec *iov, int iovcnt)
{
	while (iovcnt) {
		ssize_t n = writev(fw->fd, iov, iovcnt);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			return log_fail(fw->log, PMD_EIO, "cannot write the flattened dump to %s: %s", fw->name,
			       n < 0 ? strerror(errno) : "short write");
		}
		fw->bytes_written += (uint64_t)n;
		while (iovcnt && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int flat_writer_begin(struct flat_writer *fw, struct log_ctx *log, int fd, const char *name)
{
	uint8_t *hdr = calloc(1, FLAT_HEADER_SIZE);
	int64_t type = (int64_t)htobe64(FLAT_TYPE), version = (int64_t)htobe64(FLAT_VERSION);
	struct iovec iov;
	int ret;

	fw->log = log;
	fw->fd = fd;
	fw->name = name;
	fw->bytes_written = 0;
	if (!hdr) {
		return log_fail(fw->log, PMD_ENOMEM, "out of memory for the flattened header");
	}
	memcpy(hdr, FLAT_SIGNATURE, strlen(FLAT_SIGNATURE));
	memcpy(hdr + FLAT_SIGNATURE_FIELD, &type, sizeof(type));
	memcpy(hdr + FLAT_SIGNATURE_FIELD + sizeof(type), &version, sizeof(version));
	iov.iov_base = hdr;
	iov.iov_len = FLAT_HEADER_SIZE;
	ret = write_all(fw, &iov, 1);
	free(hdr);
	return ret;
}

static int flat_write_at(void *priv, const void *buf, size_t len, uint64_t off)
{
	struct flat_writer *fw = priv;
	struct flat_block_header bh;
	struct iovec iov[2];

	if (!len)
		return 0;	/* a zero-sized block would read as the end */
	if (off > INT64_MAX || len > INT64_MAX - off) {
		return log_fail(fw->log, PMD_ECORRUPT, "offset %#llx does not fit the flattened format",
		       (unsigned long long)off);
	}
	bh.offset = (int64_t)htobe64(off);
	bh.size = (int64_t)htobe64(len);
	iov[0].iov_base = &bh;
	iov[0].iov_len = sizeof(bh);
	iov[1].iov_base = (void *)buf;
	iov[1].iov_len = len;
	return write_all(fw, iov, 2);
}

static const struct output_sink_ops flat_sink_ops = {
	.write_at = flat_write_at,
};

void output_sink_flat(struct output_sink *s, struct flat_writer *fw)
{
	s->ops = &flat_sink_ops;
	s->priv = fw;
	s->stream = true;
	s->log = fw->log;
}

int flat_writer_end(struct flat_writer *fw)
{
	struct flat_block_header end;
	struct iovec iov;

	/* -1 is all ones in either byte order. */
	end.offset = FLAT_END_MARK;
	end.size = FLAT_END_MARK;
	iov.iov_base = &end;
	iov.iov_len = sizeof(end);
	return write_all(fw, &iov, 1);
}

/* -R: a read buffer on the input and a write-combining buffer on the output. */
struct rebuild {
	struct log_ctx *log;
	int in_fd;
	const char *in_name;
	uint8_t *in;
	size_t in_pos, in_len;

	struct out_file *out;
	uint8_t *wbuf;
	uint64_t wbuf_off;
	size_t wbuf_len;
};

/* Make at least one input byte available: 1, 0 at the end of input, -1 on error. */
static int refill(struct rebuild *r)
{
	ssize_t n;

	if (r->in_pos < r->in_len)
		return 1;
	do
		n = read(r->in_fd, r->in, REBUILD_READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		return log_fail(r->log, PMD_EIO, "cannot read %s: %s", r->in_name, strerror(errno));
	}
	r->in_pos = 0;
	r->in_len = (size_t)n;
	return n > 0;
}

/* Copy exactly @len input bytes to @dst; @what names them if input ends. */
static int read_exact(struct rebuild *r, void *dst, size_t len, const char *what)
{
	uint8_t *p = dst;

	while (len) {
		int ret = refill(r);
		size_t chunk;

		if (ret < 0)
			return ret;	/* refill() recorded the read error */
		if (!ret)
			return log_fail(r->log, PMD_ECORRUPT,
					"%s ends in the middle of %s: the flattened data is truncated",
					r->in_name, what);
		chunk = r->in_len - r->in_pos;
		if (chunk > len)
			chunk = len;
		memcpy(p, r->in + r->in_pos, chunk);
		r->in_pos += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

static int flush_out(struct rebuild *r)
{
	if (r->wbuf_len && out_file_pwrite(r->out, r->wbuf, r->wbuf_len, r->wbuf_off) < 0)
		return -1;
	r->wbuf_off += r->wbuf_len;
	r->wbuf_len = 0;
	return 0;
}

/* Queue @len bytes for offset @off; adjacent blocks become one pwrite. */
static int put_out(struct rebuild *r, const uint8_t *data, size_t len, uint64_t off)
{
	if (off != r->wbuf_off + r->wbuf_len || r->wbuf_len + len > REBUILD_WRITE_SIZE) {
		if (flush_out(r) < 0)
			return -1;
		r->wbuf_off = off;
	}
	if (len > REBUILD_WRITE_SIZE) {
		if (out_file_pwrite(r->out, data, len, off) < 0)
			return -1;
		r->wbuf_off = off + len;
		return 0;
	}
	memcpy(r->wbuf + r->wbuf_len, data, len);
	r->wbuf_len += len;
	return 0;
}

static int copy_block(struct rebuild *r, uint64_t off, uint64_t size)
{
	while (size) {
		int ret = refill(r);
		size_t chunk;

		if (ret < 0)
			return ret;
		if (!ret)
			return log_fail(r->log, PMD_ECORRUPT,
					"%s ends in the middle of a data block at offset %#llx: the flattened data is truncated",
					r->in_name, (unsigned long long)off);
		chunk = r->in_len - r->in_pos;
		if (chunk > size)
			chunk = (size_t)size;
		if (put_out(r, r->in + r->in_pos, chunk, off) < 0)
			return -1;
		r->in_pos += chunk;
		off += chunk;
		size -= chunk;
	}
	return 0;
}

static int check_flat_header(struct rebuild *r)
{
	uint8_t hdr[FLAT_HEADER_SIZE];
	int64_t type;

	if (read_exact(r, hdr, sizeof(hdr), "the flattened header") < 0)
		return -1;
	if (memcmp(hdr, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE))) {
		return log_fail(r->log, PMD_ENOTFMT, "%s is not in makedumpfile's flattened format (no \"%s\" signature)",
		       r->in_name, FLAT_SIGNATURE);
	}
	memcpy(&type, hdr + FLAT_SIGNATURE_FIELD, sizeof(type));
	if (be64toh((uint64_t)type) != FLAT_TYPE) {
		return log_fail(r->log, PMD_ECORRUPT, "%s has flattened type %lld, expected %d", r->in_name,
		       (long long)be64toh((uint64_t)type), FLAT_TYPE);
	}
	return 0;
}

static int rebuild_blocks(struct rebuild *r)
{
	for (;;) {
		struct flat_block_header bh;
		int64_t off, size;

		if (read_exact(r, &bh, sizeof(bh), "a block header") < 0)
			return -1;
		off = (int64_t)be64toh((uint64_t)bh.offset);
		size = (int64_t)be64toh((uint64_t)bh.size);
		if (off == FLAT_END_MARK && size == FLAT_END_MARK)
			return 0;
		if (off < 0 || size <= 0 || size > INT64_MAX - off) {
			return log_fail(r->log, PMD_ECORRUPT, "%s has an invalid flattened block (offset %lld, size %lld)",
			       r->in_name, (long long)off, (long long)size);
		}
		if (copy_block(r, (uint64_t)off, (uint64_t)size) < 0)
			return -1;
	}
}

int flat_rebuild(int in_fd, const char *in_name, struct out_file *out)
{
	struct rebuild r = { .log = out->log, .in_fd = in_fd, .in_name = in_name, .out = out };
	int ret = -1;

	r.in = malloc(REBUILD_READ_SIZE);
	r.wbuf = malloc(REBUILD_WRITE_SIZE);
	if (!r.in || !r.wbuf) {
		log_fail(out->log, PMD_ENOMEM, "out of memory for the rebuild buffers");
		goto out;
	}
	if (check_flat_header(&r) < 0 || rebuild_blocks(&r) < 0)
		goto out;
	ret = flush_out(&r);
out:
	free(r.in);
	free(r.wbuf);
	return ret;
}

int flat_file_verify(int fd, uint64_t size, const char *name, struct log_ctx *log)
{
	uint8_t sig[FLAT_SIGNATURE_FIELD];
	uint64_t pos = FLAT_HEADER_SIZE, nr = 0;

	if (size >= sizeof(sig) && pread_full(fd, sig, sizeof(sig), 0) < 0)
		return log_fail(log, PMD_EIO, "cannot read %s: %s", name, strerror(errno));
	if (size < sizeof(sig) || memcmp(sig, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)))
		return log_fail(log, PMD_ENOTFMT, "%s is not in makedumpfile's flattened format", name);
	if (size < FLAT_HEADER_SIZE)
		return log_fail(log, PMD_ECORRUPT, "%s ends in its flattened header after %llu bytes: cut short",
				name, (unsigned long long)size);
	for (;;) {
		struct flat_block_header bh;
		int64_t off, len;

		if (size - pos < sizeof(bh))
			return log_fail(log, PMD_ECORRUPT, "%s ends after %llu bytes and %llu data blocks without the flattened end marker: cut short",
					name, (unsigned long long)size, (unsigned long long)nr);
		if (pread_full(fd, &bh, sizeof(bh), pos) < 0)
			return log_fail(log, PMD_EIO, "cannot read %s: %s", name, strerror(errno));
		pos += sizeof(bh);
		off = (int64_t)be64toh((uint64_t)bh.offset);
		len = (int64_t)be64toh((uint64_t)bh.size);
		if (off == FLAT_END_MARK && len == FLAT_END_MARK)
			break;
		if (off < 0 || len <= 0 || len > INT64_MAX - off)
			return log_fail(log, PMD_ECORRUPT, "%s has an invalid flattened block at byte %llu (offset %lld, size %lld)",
					name, (unsigned long long)(pos - sizeof(bh)), (long long)off, (long long)len);
		if ((uint64_t)len > size - pos)
			return log_fail(log, PMD_ECORRUPT, "%s ends after %llu bytes, in the middle of data block %llu, without the flattened end marker: cut short",
					name, (unsigned long long)size, (unsigned long long)nr + 1);
		pos += (uint64_t)len;
		nr++;
	}
	if (pos != size)
		return log_fail(log, PMD_ECORRUPT, "%s has %llu bytes after its flattened end marker",
				name, (unsigned long long)(size - pos));
	return 0;
}

/*
 * As an input, a flattened stream is recognised so that the user hears
 * what to do with it: its blocks come in write order, not by offset, so
 * it is rebuilt into a file (-R) before anything can read it.
 */
static int flat_probe(const uint8_t *head, size_t len)
{
	return len >= sizeof(FLAT_SIGNATURE) && !memcmp(head, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)) ?
	       0 : -PMD_ENOTFMT;
}

static int flat_open(struct dump_source *src, const char *path, const struct dump_open_opts *o)
{
	return log_fail(o->log, PMD_EUNSUPPORTED,
			"%s is a flattened dump (makedumpfile -F): rebuild it first with makedumpfile -R", path);
}

static void flat_close(struct dump_source *src)
{
}

const struct dump_format_ops dump_format_flat = {
	.name = "flattened",
	.probe = flat_probe,
	.open = flat_open,
	.close = flat_close,
};
