// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The input of a run, whatever its format: the formats are tried in
 * order, each probing the file's first bytes before it opens it.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "dump/pmem_input.h"
#include "dump/source.h"
#include "util/fileio.h"
#include "util/log.h"

#define PAGE_SHIFT 12
#define PROBE_BYTES 4096

/* Signatures first; the ELF reader, which takes /proc/vmcore, before kcore. */
static const struct dump_format_ops *const formats[] = {
	&dump_format_kdump,
	&dump_format_flat,
	&dump_format_elf,
	&dump_format_kcore,
};

/*
 * The file's first bytes, or -status when it cannot be a dump (a
 * directory, a FIFO, ...) or cannot be opened: every format would fail
 * the same way, so the run stops here with that error.
 */
static int read_head(const char *path, uint8_t *head, size_t *len, struct log_ctx *log)
{
	uint64_t size;
	int fd = in_file_open(log, path, &size);
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return fd;
	n = pread(fd, head, PROBE_BYTES, 0);
	close(fd);
	if (n > 0)
		*len = (size_t)n;
	return 0;
}

/* Whatever the format, the notes say whether this is a whole live dump. */
static int check_livedump(struct dump_source *src, const char *path, struct log_ctx *log)
{
	int found = livedump_note_find(&src->livedump, src->notes, src->notes_size, path, log);
	int ret = found > 0 ? livedump_note_check_finished(&src->livedump, path, log) : found;

	if (ret < 0) {
		src->format->close(src);
		memset(src, 0, sizeof(*src));
		return ret;
	}
	src->is_livedump = found > 0;
	return 0;
}

int dump_source_open(struct dump_source *src, const char *path, const struct dump_open_opts *o)
{
	uint8_t head[PROBE_BYTES];
	size_t len;
	unsigned int i;
	int ret;

	memset(src, 0, sizeof(*src));
	if ((ret = read_head(path, head, &len, o->log)) < 0)
		return ret;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (formats[i]->probe(head, len) < 0)
			continue;
		src->format = formats[i];
		ret = formats[i]->open(src, path, o);
		if (!ret)
			return check_livedump(src, path, o->log);
		if (ret != -PMD_ENOTFMT)
			return ret;
		/* Not this one after all: its complaint is not the answer. */
		log_clear_error(o->log);
		memset(src, 0, sizeof(*src));
	}
	/* Nothing claimed it: the ELF reader says what is wrong with it. */
	src->format = &dump_format_elf;
	ret = dump_format_elf.open(src, path, o);
	if (ret < 0) {
		memset(src, 0, sizeof(*src));
		return ret;
	}
	return check_livedump(src, path, o->log);
}

void dump_source_close(struct dump_source *src)
{
	if (src->format)
		src->format->close(src);
	dump_source_free_pmem(src);
	memset(src, 0, sizeof(*src));
}

void dump_source_load_pages(const struct elf_load *l, uint64_t max_mapnr, bool partial,
			    uint64_t *start, uint64_t *end)
{
	*start = l->paddr >> PAGE_SHIFT;
	*end = (l->paddr + l->memsz) >> PAGE_SHIFT;
	if (*end > max_mapnr)
		*end = max_mapnr;
	if (partial && ((l->paddr + l->memsz) & 4095))
		(*end)++;
}

uint64_t dump_source_held_pages(const struct dump_source *src, uint64_t max_mapnr, bool partial)
{
	uint64_t held = 0, start, end;
	unsigned int i;

	for (i = 0; i < src->nr_loads; i++) {
		dump_source_load_pages(&src->loads[i], max_mapnr, partial, &start, &end);
		if (start < end)
			held += end - start;
	}
	return held;
}

uint64_t dump_source_memory_hole(const struct dump_source *src, uint64_t max_mapnr, bool partial)
{
	uint64_t held = dump_source_held_pages(src, max_mapnr, partial);

	return held > max_mapnr ? 0 : max_mapnr - held;
}
