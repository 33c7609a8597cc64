// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pmem the user names, for ELF inputs that do not mark it (a hypervisor's
 * dump of a guest). A range the input holds gets PF_DEV on its PT_LOADs;
 * a range it lacks is added as a PF_DEV PT_LOAD read from a file, through
 * a physmem that sends reads there to the file and the rest to the input.
 * The pmem filter then treats both as it treats a kexec-marked crash dump.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump/pmem_input.h"
#include "dump/source.h"
#include "kabi/pmem_kdump.h"
#include "kernel/x86_64.h"
#include "util/fileio.h"
#include "util/log.h"

#define PAGE_SIZE 4096ULL

struct pmem_file {
	uint64_t start, end;
	int fd;
	const char *path;
};

struct pmem_files {
	struct physmem inner;		/* the input's own */
	struct pmem_file *f;
	unsigned int nr;
	uint8_t *peek_buf;		/* for peek of file-backed bytes */
	size_t peek_size;
};

static const struct pmem_file *file_at(const struct pmem_files *pf, uint64_t paddr)
{
	for (unsigned int i = 0; i < pf->nr; i++)
		if (paddr >= pf->f[i].start && paddr < pf->f[i].end)
			return &pf->f[i];
	return NULL;
}

/* Bytes from @paddr up to the next file range (or up to @len). */
static size_t inner_span(const struct pmem_files *pf, uint64_t paddr, size_t len)
{
	for (unsigned int i = 0; i < pf->nr; i++)
		if (pf->f[i].start > paddr && pf->f[i].start - paddr < len)
			len = (size_t)(pf->f[i].start - paddr);
	return len;
}

static int pf_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct pmem_files *pf = priv;
	uint8_t *out = buf;

	while (len) {
		const struct pmem_file *f = file_at(pf, paddr);
		size_t chunk;
		int ret;

		if (f) {
			chunk = f->end - paddr < len ? (size_t)(f->end - paddr) : len;
			if (pread_full(f->fd, out, chunk, paddr - f->start) < 0)
				return log_fail(pf->inner.log, PMD_EIO, "cannot read %s at %#" PRIx64 ": %m",
						f->path, paddr - f->start);
		} else {
			chunk = inner_span(pf, paddr, len);
			if ((ret = physmem_read(&pf->inner, paddr, out, chunk)) < 0)
				return ret;
		}
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

static bool pf_present(void *priv, uint64_t pfn)
{
	struct pmem_files *pf = priv;

	return file_at(pf, pfn * PAGE_SIZE) || physmem_present(&pf->inner, pfn);
}

/* Only where no byte of the range comes from a file. */
static bool inner_only(const struct pmem_files *pf, uint64_t paddr, size_t len)
{
	return len && !file_at(pf, paddr) && inner_span(pf, paddr, len) == len;
}

static const void *pf_ptr(void *priv, uint64_t paddr, size_t len)
{
	struct pmem_files *pf = priv;

	return inner_only(pf, paddr, len) ? physmem_ptr(&pf->inner, paddr, len) : NULL;
}

static const void *pf_peek(void *priv, uint64_t paddr, size_t len)
{
	struct pmem_files *pf = priv;

	if (inner_only(pf, paddr, len))
		return physmem_peek(&pf->inner, paddr, len);
	if (len > pf->peek_size) {
		uint8_t *b = realloc(pf->peek_buf, len);

		if (!b)
			return NULL;
		pf->peek_buf = b;
		pf->peek_size = len;
	}
	return pf_read(pf, paddr, pf->peek_buf, len) < 0 ? NULL : pf->peek_buf;
}

static bool pf_known_zero(void *priv, uint64_t paddr, size_t len)
{
	struct pmem_files *pf = priv;

	return inner_only(pf, paddr, len) && physmem_known_zero(&pf->inner, paddr, len);
}

static int pf_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct pmem_files *pf = priv;
	const struct pmem_file *f = file_at(pf, pfn * PAGE_SIZE);

	if (!f)
		return physmem_read_page(&pf->inner, pfn, buf);
	return pf_read(pf, pfn * PAGE_SIZE, buf, PAGE_SIZE) < 0 ? -1 : 0;
}

static const struct physmem_ops pmem_files_ops = {
	.read = pf_read,
	.present = pf_present,
	.ptr = pf_ptr,
	.peek = pf_peek,
	.known_zero = pf_known_zero,
	.read_page = pf_read_page,
};

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

static int check_ranges(const struct dump_source *src, const struct dump_pmem_range *r,
			unsigned int nr, struct log_ctx *log)
{
	for (unsigned int i = 0; i < nr; i++) {
		bool held = false;

		if (r[i].start >= r[i].end || (r[i].start | r[i].end) & (PAGE_SIZE - 1))
			return log_fail(log, PMD_EINVAL, "pmem range %#" PRIx64 "-%#" PRIx64 " is empty or not page aligned",
					r[i].start, r[i].end);
		for (unsigned int j = 0; j < i; j++)
			if (overlaps(r[i].start, r[i].end, r[j].start, r[j].end))
				return log_fail(log, PMD_EINVAL, "pmem ranges %#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64 " overlap",
						r[j].start, r[j].end, r[i].start, r[i].end);
		for (unsigned int k = 0; k < src->nr_loads; k++)
			if (overlaps(r[i].start, r[i].end, src->loads[k].paddr,
				     src->loads[k].paddr + src->loads[k].memsz))
				held = true;
		if (r[i].file && held)
			return log_fail(log, PMD_EINVAL, "the input already holds memory in pmem range %#" PRIx64 "-%#" PRIx64 ": name the range without a file",
					r[i].start, r[i].end);
		if (!r[i].file && !held)
			return log_fail(log, PMD_EINVAL, "the input holds nothing in pmem range %#" PRIx64 "-%#" PRIx64 " (a dump of RAM only? give the range's backing file as START-END:FILE)",
					r[i].start, r[i].end);
	}
	return 0;
}

/* Where @l must be cut: the range ends strictly inside it, in order. */
static unsigned int cuts_in(const struct elf_load *l, const struct dump_pmem_range *r,
			    unsigned int nr, uint64_t *cut)
{
	uint64_t end = l->paddr + l->memsz;
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr; i++) {
		uint64_t b[2] = { r[i].start, r[i].end };

		if (r[i].file)
			continue;
		for (unsigned int k = 0; k < 2; k++) {
			unsigned int j;

			if (b[k] <= l->paddr || b[k] >= end)
				continue;
			for (j = n; j > 0 && cut[j - 1] > b[k]; j--)
				cut[j] = cut[j - 1];
			cut[j] = b[k];
			n++;
		}
	}
	return n;
}

static bool in_marked_range(uint64_t paddr, const struct dump_pmem_range *r, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		if (!r[i].file && paddr >= r[i].start && paddr < r[i].end)
			return true;
	return false;
}

/* A piece [@from, @to) of @l, with its file bytes where @l had them. */
static struct elf_load load_piece(const struct elf_load *l, uint64_t from, uint64_t to)
{
	struct elf_load p = *l;
	uint64_t skip = from - l->paddr, file_end = l->paddr + l->filesz;

	p.paddr = from;
	p.vaddr = l->vaddr + skip;
	p.offset = l->offset + skip;
	p.memsz = to - from;
	p.filesz = file_end <= from ? 0 : (file_end < to ? file_end : to) - from;
	return p;
}

/*
 * A file's PT_LOAD follows the input's convention for p_vaddr: the
 * direct-map address in a crash dump, the physical one in QEMU's (the
 * first load outside the kernel image tells which).
 */
static uint64_t vaddr_delta(const struct dump_source *src)
{
	for (unsigned int i = 0; i < src->nr_loads; i++)
		if (src->loads[i].vaddr < X86_64_START_KERNEL_MAP)
			return src->loads[i].vaddr - src->loads[i].paddr;
	return 0;
}

static int build_loads(struct dump_source *src, const struct dump_pmem_range *r, unsigned int nr,
		       struct log_ctx *log)
{
	/* Each load may be cut at both ends of every range; files add one each. */
	size_t max = (size_t)src->nr_loads * (2 * nr + 1) + nr;
	struct elf_load *out = calloc(max ? max : 1, sizeof(*out));
	uint64_t *cut = calloc(2 * (size_t)nr + 1, sizeof(*cut));
	uint64_t delta = vaddr_delta(src);
	unsigned int n = 0;

	if (!out || !cut) {
		free(out);
		free(cut);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	for (unsigned int i = 0; i < src->nr_loads; i++) {
		const struct elf_load *l = &src->loads[i];
		unsigned int nc = cuts_in(l, r, nr, cut);
		uint64_t from = l->paddr;

		for (unsigned int c = 0; c <= nc; c++) {
			uint64_t to = c < nc ? cut[c] : l->paddr + l->memsz;

			out[n] = load_piece(l, from, to);
			if (in_marked_range(from, r, nr))
				out[n].flags |= PMD_PF_DEV;
			n++;
			from = to;
		}
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (!r[i].file)
			continue;
		out[n++] = (struct elf_load){
			.paddr = r[i].start, .vaddr = r[i].start + delta,
			.filesz = r[i].end - r[i].start, .memsz = r[i].end - r[i].start,
			.flags = PMD_PF_DEV,
		};
		if ((r[i].end >> 12) > src->max_pfn)
			src->max_pfn = r[i].end >> 12;
	}
	free(cut);
	src->pmem_loads = out;
	src->loads = out;
	src->nr_loads = n;
	return 0;
}

static int open_files(struct dump_source *src, const struct dump_pmem_range *r, unsigned int nr,
		      struct log_ctx *log)
{
	struct pmem_files *pf = calloc(1, sizeof(*pf));
	unsigned int i;

	if (pf)
		pf->f = calloc(nr, sizeof(*pf->f));
	if (!pf || !pf->f) {
		free(pf);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	pf->inner = src->pm;
	src->pmem_files = pf;	/* closed by dump_source_free_pmem() on failure too */
	for (i = 0; i < nr; i++) {
		struct pmem_file *f = &pf->f[pf->nr];
		uint64_t size;

		if (!r[i].file)
			continue;
		f->fd = in_file_open(log, r[i].file, &size);
		if (f->fd < 0)
			return f->fd;
		f->start = r[i].start;
		f->end = r[i].end;
		f->path = r[i].file;
		pf->nr++;
		if (size < r[i].end - r[i].start)
			return log_fail(log, PMD_EINVAL, "%s holds %" PRIu64 " bytes, fewer than pmem range %#" PRIx64 "-%#" PRIx64 " needs",
					r[i].file, size, r[i].start, r[i].end);
	}
	if (pf->nr) {
		src->pm.ops = &pmem_files_ops;
		src->pm.priv = pf;
	}
	return 0;
}

int dump_source_add_pmem(struct dump_source *src, const struct dump_pmem_range *r,
			 unsigned int nr, struct log_ctx *log)
{
	int ret;

	if (!nr)
		return 0;
	if (!dump_source_has(src, DUMP_SRC_PT_LOADS) || dump_source_has(src, DUMP_SRC_LIVE))
		return log_fail(log, PMD_EINVAL, "--pmem-range needs an ELF vmcore as input, not a %s",
				src->format->name);
	if ((ret = check_ranges(src, r, nr, log)) < 0 ||
	    (ret = open_files(src, r, nr, log)) < 0 ||
	    (ret = build_loads(src, r, nr, log)) < 0) {
		dump_source_free_pmem(src);
		return ret;
	}
	for (unsigned int i = 0; i < nr; i++)
		log_debug(log, "pmem: range %#" PRIx64 "-%#" PRIx64 "%s%s\n", r[i].start, r[i].end,
			  r[i].file ? " from " : " in the input", r[i].file ? r[i].file : "");
	return 0;
}

void dump_source_free_pmem(struct dump_source *src)
{
	struct pmem_files *pf = src->pmem_files;

	if (pf) {
		if (src->pm.priv == pf)
			src->pm = pf->inner;
		for (unsigned int i = 0; i < pf->nr; i++)
			close(pf->f[i].fd);
		free(pf->f);
		free(pf->peek_buf);
		free(pf);
		src->pmem_files = NULL;
	}
	free(src->pmem_loads);
	src->pmem_loads = NULL;
}
