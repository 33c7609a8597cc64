// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmcore-check: verify an ELF dump against the vmcore it was made from.
 *
 *   vmcore-check [-q] ORIGINAL.vmcore DUMP.elf
 *
 * Every page a PT_LOAD of DUMP holds in the file (p_filesz; the part up to
 * p_memsz is "excluded", not held) must have, at the same physical
 * address, exactly the bytes ORIGINAL holds there (zeros where ORIGINAL's
 * PT_LOAD goes on past its p_filesz, as in ELF), and its virtual address
 * must be the one ORIGINAL gives that physical address.  The notes must be
 * the same.  Prints how many pages the dump holds; exits 1 on any
 * mismatch, on a page ORIGINAL does not have, or on a malformed file.
 *
 * Deliberately independent of the dump filter's own sources.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_SIZE	4096UL

struct segment {
	uint64_t paddr, vaddr, offset, filesz, memsz;
};

struct core {
	const char *path;
	int fd;
	uint64_t size;
	struct segment *loads;
	size_t nr_loads;
	uint64_t note_off, note_size;
	bool has_note;
};

struct check_ctx {
	struct core orig, dump;
	bool quiet;
	bool allow_zeroed;	/* -z: a page of zeros stands for an excluded page */
	uint64_t zeroed;	/* pages zero in the dump but not in the original */
	uint64_t errors;
	uint64_t pages;		/* pages held, counted per segment */
	uint64_t *pfns;		/* to count distinct page frames */
	size_t nr_pfns, cap_pfns;
};

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("vmcore-check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static bool is_zero(const uint8_t *p, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Report a mismatch; stop printing after a few, but keep counting. */
static void mismatch(struct check_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mismatch(struct check_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->errors++ >= 20)
		return;
	fputs("vmcore-check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void read_at(const struct core *c, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(c->fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("%s: read at %#" PRIx64 ": %s", c->path, off + done,
			     strerror(errno));
		if (n == 0)
			fail("%s: truncated: no data at %#" PRIx64, c->path,
			     off + done);
		done += n;
	}
}

static void open_core(struct core *c, const char *path)
{
	Elf64_Ehdr eh;
	struct stat st;

	c->path = path;
	c->fd = open(path, O_RDONLY);
	if (c->fd < 0 || fstat(c->fd, &st) < 0)
		fail("%s: %s", path, strerror(errno));
	c->size = st.st_size;
	read_at(c, &eh, sizeof(eh), 0);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		fail("%s: not a little-endian ELF64 file", path);
	if (eh.e_type != ET_CORE || eh.e_machine != EM_X86_64)
		fail("%s: not an x86_64 core file", path);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == PN_XNUM)
		fail("%s: unsupported program header table", path);

	c->loads = calloc(eh.e_phnum ? eh.e_phnum : 1, sizeof(*c->loads));
	if (!c->loads)
		fail("out of memory");
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		struct segment *s;

		read_at(c, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph));
		if (ph.p_type == PT_NOTE && !c->has_note) {
			c->has_note = true;
			c->note_off = ph.p_offset;
			c->note_size = ph.p_filesz;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			fail("%s: PT_LOAD %u has p_filesz > p_memsz", path, i);
		if (ph.p_filesz && ph.p_offset + ph.p_filesz > c->size)
			fail("%s: PT_LOAD %u extends past the end of the file",
			     path, i);
		s = &c->loads[c->nr_loads++];
		s->paddr = ph.p_paddr;
		s->vaddr = ph.p_vaddr;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
	}
	if (!c->nr_loads)
		fail("%s: no PT_LOAD", path);
}

static void close_core(struct core *c)
{
	free(c->loads);
	close(c->fd);
}

/*
 * The original segment holding @paddr.  The kernel text PT_LOAD overlaps a
 * System RAM one; both give the same bytes, and the virtual address of
 * the one the dump segment came from is checked by the caller.
 */
static const struct segment *orig_segment(const struct core *c, uint64_t paddr,
					  uint64_t delta)
{
	const struct segment *any = NULL;

	for (size_t i = 0; i < c->nr_loads; i++) {
		const struct segment *s = &c->loads[i];

		if (paddr < s->paddr || paddr >= s->paddr + s->memsz)
			continue;
		if (s->vaddr - s->paddr == delta)
			return s;
		if (!any)
			any = s;
	}
	return any;
}

/* ORIGINAL's bytes at @paddr in segment @o: past its p_filesz, zeros. */
static void read_orig(const struct core *c, const struct segment *o, uint8_t *buf,
		      uint64_t len, uint64_t paddr)
{
	uint64_t in_file = 0;

	if (paddr - o->paddr < o->filesz)
		in_file = o->filesz - (paddr - o->paddr);
	if (in_file > len)
		in_file = len;
	read_at(c, buf, in_file, o->offset + (paddr - o->paddr));
	memset(buf + in_file, 0, len - in_file);
}

static void note_pfn(struct check_ctx *ctx, uint64_t pfn)
{
	if (ctx->nr_pfns == ctx->cap_pfns) {
		ctx->cap_pfns = ctx->cap_pfns ? ctx->cap_pfns * 2 : 4096;
		ctx->pfns = realloc(ctx->pfns, ctx->cap_pfns * sizeof(*ctx->pfns));
		if (!ctx->pfns)
			fail("out of memory");
	}
	ctx->pfns[ctx->nr_pfns++] = pfn;
}

static void check_segment(struct check_ctx *ctx, const struct segment *d)
{
	static uint8_t a[PAGE_SIZE], b[PAGE_SIZE];
	uint64_t delta = d->vaddr - d->paddr;

	for (uint64_t pos = 0; pos < d->filesz;) {
		uint64_t paddr = d->paddr + pos;
		/* compare up to the next page boundary of the physical address */
		uint64_t len = PAGE_SIZE - (paddr & (PAGE_SIZE - 1));
		const struct segment *o;

		if (len > d->filesz - pos)
			len = d->filesz - pos;
		o = orig_segment(&ctx->orig, paddr, delta);
		if (!o || paddr + len > o->paddr + o->memsz) {
			mismatch(ctx, "paddr %#" PRIx64 ": not in %s", paddr,
				 ctx->orig.path);
		} else {
			if (o->vaddr - o->paddr != delta)
				mismatch(ctx, "paddr %#" PRIx64 ": vaddr %#" PRIx64
					 " but %s maps it at %#" PRIx64, paddr,
					 paddr + delta, ctx->orig.path,
					 paddr + o->vaddr - o->paddr);
			read_at(&ctx->dump, a, len, d->offset + pos);
			read_orig(&ctx->orig, o, b, len, paddr);
			if (memcmp(a, b, len)) {
				if (ctx->allow_zeroed && is_zero(a, len))
					ctx->zeroed++;
				else
					mismatch(ctx, "paddr %#" PRIx64 ": content differs",
						 paddr);
			}
		}
		ctx->pages++;
		note_pfn(ctx, paddr / PAGE_SIZE);
		pos += len;
	}
}

static void check_notes(struct check_ctx *ctx)
{
	const struct core *o = &ctx->orig, *d = &ctx->dump;
	uint8_t *a, *b;

	if (!o->has_note || !d->has_note) {
		mismatch(ctx, "PT_NOTE missing in %s",
			 o->has_note ? d->path : o->path);
		return;
	}
	if (o->note_size != d->note_size) {
		mismatch(ctx, "notes differ in size: %" PRIu64 " vs %" PRIu64,
			 o->note_size, d->note_size);
		return;
	}
	a = malloc(o->note_size + 1);
	b = malloc(o->note_size + 1);
	if (!a || !b)
		fail("out of memory");
	read_at(o, a, o->note_size, o->note_off);
	read_at(d, b, d->note_size, d->note_off);
	if (memcmp(a, b, o->note_size))
		mismatch(ctx, "notes differ");
	free(a);
	free(b);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static size_t count_distinct(uint64_t *v, size_t n)
{
	size_t distinct = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (!i || v[i] != v[i - 1])
			distinct++;
	return distinct;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: vmcore-check [-q] [-z] ORIGINAL.vmcore DUMP.elf\n"
"Check that every page held by DUMP's PT_LOADs has the bytes ORIGINAL has\n"
"at that physical address, and that the notes are the same.\n"
"  -q  print nothing on success\n"
"  -z  accept an all-zero page where ORIGINAL has data (an excluded page\n"
"      written as zeros) and print how many there were\n");
}

int main(int argc, char **argv)
{
	struct check_ctx ctx = { 0 };
	int opt;

	while ((opt = getopt(argc, argv, "qzh")) != -1) {
		switch (opt) {
		case 'q':
			ctx.quiet = true;
			break;
		case 'z':
			ctx.allow_zeroed = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	open_core(&ctx.orig, argv[optind]);
	open_core(&ctx.dump, argv[optind + 1]);

	check_notes(&ctx);
	for (size_t i = 0; i < ctx.dump.nr_loads; i++)
		check_segment(&ctx, &ctx.dump.loads[i]);

	if (ctx.errors)
		fprintf(stderr, "vmcore-check: FAIL: %" PRIu64 " mismatches in %"
			PRIu64 " pages of %s\n", ctx.errors, ctx.pages,
			ctx.dump.path);
	else if (!ctx.quiet)
		printf("vmcore-check: OK: %s holds %" PRIu64 " pages in %zu PT_LOADs "
		       "(%zu distinct page frames), all equal to %s\n",
		       ctx.dump.path, ctx.pages, ctx.dump.nr_loads,
		       count_distinct(ctx.pfns, ctx.nr_pfns), ctx.orig.path);
	if (ctx.allow_zeroed && !ctx.errors)
		printf("vmcore-check: zeroed=%" PRIu64 "\n", ctx.zeroed);
	free(ctx.pfns);
	close_core(&ctx.orig);
	close_core(&ctx.dump);
	return ctx.errors ? 1 : 0;
}
