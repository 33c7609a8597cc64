// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bitmap.h"
#include "dump/classify.h"
#include "dump/flat/flatten.h"
#include "dump/kdump/kdump_writer.h"
#include "dump/sink.h"
#include "dump/tests/fake_dump.h"
#include "util/fileio.h"
#include "util/log.h"

/* The fixture's own quiet log: the tests check return codes. */
static struct log_ctx fake_log;

static struct log_ctx *quiet_log(void)
{
	if (!fake_log.owner) {
		log_init(&fake_log, "fake_dump");
		fake_log.level = 0;
	}
	return &fake_log;
}

bool fake_present(uint64_t pfn)
{
	return pfn < FAKE_MAX_MAPNR && !(pfn >= 1000 && pfn < 1200) &&
	       !(pfn >= 2900 && pfn < 2950);
}

bool fake_dumpable(uint64_t pfn)
{
	return fake_present(pfn) && pfn % 11 != 3;
}

uint64_t fake_nr_dumpable(void)
{
	uint64_t pfn, n = 0;

	for (pfn = 0; pfn < FAKE_MAX_MAPNR; pfn++)
		n += fake_dumpable(pfn);
	return n;
}

static void fill_page(uint8_t *p, uint64_t pfn)
{
	uint32_t seed = (uint32_t)pfn * 2654435761u;
	size_t i;

	switch (pfn % 5) {
	case 0:		/* zero */
		memset(p, 0, FAKE_PS);
		break;
	case 1:		/* text: compresses well */
		for (i = 0; i < FAKE_PS; i++)
			p[i] = (uint8_t)("page cache of a file system "[(i + pfn) % 28]);
		break;
	case 2:		/* random: stored raw */
		for (i = 0; i < FAKE_PS; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = (uint8_t)(seed >> 16);
		}
		break;
	case 3:		/* almost zero: not a zero page */
		memset(p, 0, FAKE_PS);
		p[(pfn * 7) % FAKE_PS] = (uint8_t)(pfn | 1);
		break;
	default:	/* the pfn, repeated */
		for (i = 0; i < FAKE_PS / 8; i++)
			memcpy(p + i * 8, &pfn, 8);
		break;
	}
}

bool fake_page_is_zero(const struct fake_machine *m, uint64_t pfn)
{
	return page_is_zero(m->mem + pfn * FAKE_PS, FAKE_PS);
}

static int fm_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct fake_machine *m = priv;
	uint64_t pfn;

	for (pfn = paddr / FAKE_PS; pfn * FAKE_PS < paddr + len; pfn++)
		if (!fake_present(pfn))
			return -1;
	memcpy(buf, m->mem + paddr, len);
	return 0;
}

static bool fm_present(void *priv, uint64_t pfn)
{
	return fake_present(pfn);
}

static const void *fm_ptr(void *priv, uint64_t paddr, size_t len)
{
	struct fake_machine *m = priv;

	return m->with_ptr && fake_present(paddr / FAKE_PS) ? m->mem + paddr : NULL;
}

static const struct physmem_ops fake_ops = {
	.read = fm_read,
	.present = fm_present,
	.ptr = fm_ptr,
};

static size_t put_note(uint8_t *at, const char *name, uint32_t type, const void *desc,
		       uint32_t descsz, size_t *desc_off)
{
	Elf64_Nhdr n = { .n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = descsz,
			 .n_type = type };
	size_t name_len = (n.n_namesz + 3) & ~3u, off = sizeof(n);

	memcpy(at, &n, sizeof(n));
	memcpy(at + off, name, n.n_namesz);
	off += name_len;
	*desc_off = off;
	memcpy(at + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

static void make_notes(struct fake_machine *m)
{
	static const char vmcoreinfo[] =
		"OSRELEASE=6.1.0-test\nPAGESIZE=4096\nCRASHTIME=1700000000\n";
	uint8_t prstatus[336] = { 1, 2, 3 };
	size_t off = 0, desc;

	m->notes = calloc(1, 4096);
	off += put_note(m->notes + off, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus), &desc);
	off += put_note(m->notes + off, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus), &desc);
	m->vmcoreinfo_offset = off;
	off += put_note(m->notes + off, "VMCOREINFO", 0, vmcoreinfo, sizeof(vmcoreinfo) - 1,
			&desc);
	m->vmcoreinfo_offset += desc;
	m->vmcoreinfo_size = sizeof(vmcoreinfo) - 1;
	m->notes_size = off;
}

void fake_machine_init(struct fake_machine *m, bool with_ptr)
{
	uint64_t pfn;

	memset(m, 0, sizeof(*m));
	m->mem = calloc(FAKE_MAX_MAPNR, FAKE_PS);
	for (pfn = 0; pfn < FAKE_MAX_MAPNR; pfn++)
		if (fake_present(pfn))
			fill_page(m->mem + pfn * FAKE_PS, pfn);
	m->with_ptr = with_ptr;
	m->pm.ops = &fake_ops;
	m->pm.log = quiet_log();
	m->pm.priv = m;
	make_notes(m);
}

void fake_machine_free(struct fake_machine *m)
{
	free(m->mem);
	free(m->notes);
}

char *fake_tmpdir(void)
{
	char tmpl[] = "/tmp/mdf-test-XXXXXX", *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

char *fake_path(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void fill_params(struct kdump_params *p, struct fake_machine *m,
			const struct output_sink *out, enum compression c,
			unsigned int dump_level, unsigned int threads)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->pm = &m->pm;
	p->compression = c;
	p->page_size = FAKE_PS;
	p->max_mapnr = FAKE_MAX_MAPNR;
	p->dump_level = dump_level;
	p->phys_base = FAKE_PHYS_BASE;
	strcpy(p->utsname.release, "6.1.0-test");
	strcpy(p->utsname.nodename, "fakehost");
	p->crash_time = FAKE_CRASH_TIME;
	p->nr_cpus = FAKE_NR_CPUS;
	p->notes = m->notes;
	p->notes_size = m->notes_size;
	p->vmcoreinfo_offset = m->vmcoreinfo_offset;
	p->vmcoreinfo_size = m->vmcoreinfo_size;
	p->nr_dumpable = fake_nr_dumpable();
	p->threads = threads;
}

static int write_windows(struct kdump_writer *w, uint64_t window, uint64_t *zero)
{
	struct bitmap present, dumpable;
	struct page_counts cnt = { 0 };
	uint64_t start, pfn;
	int ret = -1;

	if (bitmap_alloc(&present, window) < 0 || bitmap_alloc(&dumpable, window) < 0)
		return -1;
	for (start = 0; start < FAKE_MAX_MAPNR; start += window) {
		uint64_t end = start + window < FAKE_MAX_MAPNR ? start + window : FAKE_MAX_MAPNR;

		bitmap_reset(&present, start, end);
		bitmap_reset(&dumpable, start, end);
		for (pfn = start; pfn < end; pfn++) {
			if (fake_present(pfn))
				bitmap_set(&present, pfn);
			if (fake_dumpable(pfn))
				bitmap_set(&dumpable, pfn);
		}
		if (kdump_writer_window(w, &present, &dumpable, &cnt) < 0)
			goto out;
	}
	*zero = cnt.zero;
	ret = 0;
out:
	bitmap_free(&present);
	bitmap_free(&dumpable);
	return ret;
}

int fake_write_kdump(struct fake_machine *m, const char *path, int flat_fd,
		     enum compression c, unsigned int dump_level, unsigned int threads,
		     uint64_t window, uint64_t *zero)
{
	struct out_file of;
	struct flat_writer fw;
	struct output_sink sink;
	struct kdump_params p;
	struct kdump_writer w;
	uint64_t bytes;
	int ret;

	if (flat_fd >= 0) {
		if (flat_writer_begin(&fw, quiet_log(), flat_fd, "the flattened test stream") < 0)
			return -1;
		output_sink_flat(&sink, &fw);
	} else {
		if (out_file_create(&of, quiet_log(), path, true) < 0)
			return -1;
		output_sink_file(&sink, &of);
	}
	fill_params(&p, m, &sink, c, dump_level, threads);
	ret = kdump_writer_begin(&w, &p);
	if (!ret)
		ret = write_windows(&w, window, zero);
	if (!ret)
		ret = kdump_writer_finish(&w, &bytes);
	kdump_writer_free(&w);
	if (flat_fd >= 0)
		return ret ? ret : flat_writer_end(&fw);
	if (ret) {
		out_file_abort(&of);
		return ret;
	}
	return out_file_finish(&of);
}

uint8_t *fake_slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (pread_full(fd, buf, (size_t)st.st_size, 0) < 0) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

int fake_tmpdir_remove(char *dir)
{
	char cmd[512];
	int ret;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ret = system(cmd) ? -1 : 0;
	free(dir);
	return ret;
}
