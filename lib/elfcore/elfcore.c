// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reader for ELF64 x86_64 core files (/proc/vmcore, /proc/kcore, copies):
 * validates the headers against the file size before anything trusts them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "elfcore/elfcore.h"
#include "util/fileio.h"
#include "util/log.h"

#define NOTE_ALIGN(x) (((x) + 3) & ~(size_t)3)

static int check_ehdr(struct elfcore *ec)
{
	const Elf64_Ehdr *e = &ec->ehdr;

	if (memcmp(e->e_ident, ELFMAG, SELFMAG)) {
		return log_fail(ec->log, PMD_ENOTFMT, "%s is not an ELF file (bad magic)", ec->path);
	}
	if (e->e_ident[EI_CLASS] != ELFCLASS64) {
		return log_fail(ec->log, PMD_EUNSUPPORTED, "%s: wrong ELF class %u: only ELF64 vmcores are supported",
		       ec->path, e->e_ident[EI_CLASS]);
	}
	if (e->e_ident[EI_DATA] != ELFDATA2LSB) {
		return log_fail(ec->log, PMD_EUNSUPPORTED, "%s: not a little-endian ELF file", ec->path);
	}
	if (e->e_type != ET_CORE) {
		return log_fail(ec->log, PMD_EUNSUPPORTED, "%s: ELF type %u is not a core file", ec->path, e->e_type);
	}
	if (e->e_machine != EM_X86_64) {
		return log_fail(ec->log, PMD_EUNSUPPORTED, "%s: ELF machine %u is not x86_64", ec->path, e->e_machine);
	}
	if (e->e_phentsize != sizeof(Elf64_Phdr) || e->e_phnum == 0) {
		return log_fail(ec->log, PMD_ECORRUPT, "%s: corrupt program header table (entsize %u, count %u)",
		       ec->path, e->e_phentsize, e->e_phnum);
	}
	return 0;
}

/* With more than 65534 headers, the real count lives in section header 0. */
static int get_phnum(struct elfcore *ec, uint32_t *phnum)
{
	Elf64_Shdr sh;

	*phnum = ec->ehdr.e_phnum;
	if (*phnum != PN_XNUM)
		return 0;
	if (ec->ehdr.e_shoff == 0 ||
	    pread_full(ec->fd, &sh, sizeof(sh), ec->ehdr.e_shoff) < 0) {
		return log_fail(ec->log, PMD_EIO, "%s: cannot read the extended program header count", ec->path);
	}
	*phnum = sh.sh_info;
	return 0;
}

static int add_notes(struct elfcore *ec, const Elf64_Phdr *ph)
{
	uint8_t *grown;

	/* Nothing to add; and realloc() to 0 bytes would free the notes. */
	if (!ph->p_filesz)
		return 0;
	if (ph->p_filesz > (64u << 20) || ph->p_offset + ph->p_filesz > ec->size ||
	    ph->p_offset + ph->p_filesz < ph->p_offset) {
		return log_fail(ec->log, PMD_ECORRUPT, "%s: PT_NOTE (offset %#llx, size %#llx) lies outside the file",
		       ec->path, (unsigned long long)ph->p_offset,
		       (unsigned long long)ph->p_filesz);
	}
	/* PT_NOTEs may share file bytes: bound their sum, not each. */
	if (ec->notes_size + ph->p_filesz > (64u << 20)) {
		return log_fail(ec->log, PMD_ECORRUPT, "%s: the PT_NOTE segments add up to more than 64 MiB of notes",
				ec->path);
	}
	grown = realloc(ec->notes, ec->notes_size + ph->p_filesz);
	if (!grown) {
		return log_fail(ec->log, PMD_ENOMEM, "out of memory reading notes");
	}
	ec->notes = grown;
	if (pread_full(ec->fd, ec->notes + ec->notes_size, ph->p_filesz,
		       ph->p_offset) < 0) {
		return log_fail(ec->log, PMD_EIO, "cannot read notes of %s: %s", ec->path, strerror(errno));
	}
	ec->notes_size += ph->p_filesz;
	if (!ec->note_phdr.p_type)
		ec->note_phdr = *ph;
	return 0;
}

static int add_load(struct elfcore *ec, const Elf64_Phdr *ph, unsigned int idx)
{
	struct elf_load *l = &ec->loads[ec->nr_loads];

	if (ph->p_paddr == (Elf64_Addr)-1) {
		ec->live = true;	/* only /proc/kcore has such segments */
		return 0;
	}
	if (ph->p_filesz > ph->p_memsz) {
		return log_fail(ec->log, PMD_ECORRUPT, "%s: PT_LOAD %u has file size above memory size", ec->path, idx);
	}
	if (ph->p_offset + ph->p_filesz < ph->p_offset ||
	    ph->p_offset + ph->p_filesz > ec->size) {
		return log_fail(ec->log, PMD_ECORRUPT, "%s: PT_LOAD %u (paddr %#llx) extends past the end of the file (file offset %#llx, %#llx bytes of data; the file has %#llx): truncated vmcore?",
		       ec->path, idx, (unsigned long long)ph->p_paddr,
		       (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz,
		       (unsigned long long)ec->size);
	}
	l->paddr = ph->p_paddr;
	l->vaddr = ph->p_vaddr;
	l->offset = ph->p_offset;
	l->filesz = ph->p_filesz;
	l->memsz = ph->p_memsz;
	l->align = ph->p_align;
	l->flags = ph->p_flags;
	ec->nr_loads++;
	return 0;
}

int elfcore_note_next(const uint8_t *notes, size_t size, size_t *off,
		      struct elfcore_note *note)
{
	const Elf64_Nhdr *n;
	size_t name_off, desc_off, next;

	if (*off + sizeof(*n) > size)
		return 0;
	n = (const void *)(notes + *off);
	if (n->n_namesz == 0 && n->n_descsz == 0 && n->n_type == 0)
		return 0;	/* padding at the end of a PT_NOTE */
	if (n->n_namesz > size || n->n_descsz > size)
		return -PMD_ECORRUPT;
	name_off = *off + sizeof(*n);
	desc_off = name_off + NOTE_ALIGN(n->n_namesz);
	next = desc_off + NOTE_ALIGN(n->n_descsz);
	if (next > size)
		return -PMD_ECORRUPT;
	note->type = n->n_type;
	note->name = (const char *)notes + name_off;
	note->namesz = n->n_namesz;
	note->desc = notes + desc_off;
	note->descsz = n->n_descsz;
	note->offset = *off;
	*off = next;
	return 1;
}

bool elfcore_note_is(const struct elfcore_note *note, const char *name)
{
	size_t len = strlen(name) + 1;

	return note->namesz == len && !memcmp(note->name, name, len);
}

static int parse_notes(struct elfcore *ec)
{
	struct elfcore_note note;
	size_t off = 0;
	int ret;

	while ((ret = elfcore_note_next(ec->notes, ec->notes_size, &off, &note)) > 0) {
		if (elfcore_note_is(&note, "VMCOREINFO")) {
			ec->vmcoreinfo = (const char *)note.desc;
			ec->vmcoreinfo_size = note.descsz;
		} else if (note.type == NT_PRSTATUS) {
			ec->nr_prstatus++;
		}
	}
	if (ret < 0)
		return log_fail(ec->log, PMD_ECORRUPT, "%s: corrupt ELF note at offset %zu of PT_NOTE",
				ec->path, off);
	return 0;
}

/*
 * /proc/vmcore is read fastest through a mapping (a read() maps and copies
 * each page of the old kernel's memory) and its pages are no page cache.
 * A regular file is read with large preads instead: no page faults, and
 * the file's page cache never counts as our memory.
 */
static bool wants_mapping(const struct elfcore *ec)
{
	struct statfs sfs;

	if (ec->no_mmap)
		return false;
	return fstatfs(ec->fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

static void try_map(struct elfcore *ec)
{
	void *m;

	if (ec->size == UINT64_MAX || ec->size == 0 || !wants_mapping(ec))
		return;
	m = mmap(NULL, ec->size, PROT_READ, MAP_SHARED, ec->fd, 0);
	if (m == MAP_FAILED)
		return;
	ec->map = m;
}

int elfcore_open(struct elfcore *ec, const char *path, const struct elfcore_open_opts *o)
{
	Elf64_Phdr *phdrs = NULL;
	uint32_t phnum, i;
	uint64_t phsize;
	int ret;

	memset(ec, 0, sizeof(*ec));
	ec->fd = -1;
	ec->log = o->log;
	ec->no_mmap = o->no_mmap;
	ec->path = strdup(path);
	if (!ec->path) {
		ret = log_fail(ec->log, PMD_ENOMEM, "out of memory");
		goto err;
	}
	/* A regular file or a block device; the size bounds every header. */
	ret = in_file_open(ec->log, path, &ec->size);
	if (ret < 0)
		goto err;
	ec->fd = ret;
	if (ec->size < sizeof(ec->ehdr) ||
	    pread_full(ec->fd, &ec->ehdr, sizeof(ec->ehdr), 0) < 0) {
		ret = log_fail(ec->log, PMD_ECORRUPT, "%s is too short to be a vmcore (%llu bytes)", path,
		       (unsigned long long)ec->size);
		goto err;
	}
	if ((ret = check_ehdr(ec)) < 0 || (ret = get_phnum(ec, &phnum)) < 0)
		goto err;

	phsize = (uint64_t)phnum * sizeof(Elf64_Phdr);
	if (ec->ehdr.e_phoff + phsize > ec->size || ec->ehdr.e_phoff + phsize < phsize) {
		ret = log_fail(ec->log, PMD_ECORRUPT, "%s: program headers lie past the end of the file: truncated vmcore?",
		       path);
		goto err;
	}
	phdrs = malloc(phsize);
	ec->loads = calloc(phnum, sizeof(*ec->loads));
	if (!phdrs || !ec->loads) {
		ret = log_fail(ec->log, PMD_ENOMEM, "out of memory reading %u program headers", phnum);
		goto err;
	}
	if (pread_full(ec->fd, phdrs, phsize, ec->ehdr.e_phoff) < 0) {
		ret = log_fail(ec->log, PMD_EIO, "cannot read program headers of %s: %s", path, strerror(errno));
		goto err;
	}
	for (i = 0; i < phnum; i++) {
		ret = 0;
		if (phdrs[i].p_type == PT_NOTE)
			ret = add_notes(ec, &phdrs[i]);
		else if (phdrs[i].p_type == PT_LOAD)
			ret = add_load(ec, &phdrs[i], i);
		if (ret < 0)
			goto err;
	}
	free(phdrs);
	phdrs = NULL;

	if (!ec->nr_loads) {
		ret = log_fail(ec->log, PMD_ECORRUPT, "%s has no PT_LOAD segments", path);
		goto err;
	}
	if (!ec->notes_size) {
		ret = log_fail(ec->log, PMD_ECORRUPT, "%s has no PT_NOTE segment", path);
		goto err;
	}
	if ((ret = parse_notes(ec)) < 0)
		goto err;
	try_map(ec);
	return 0;
err:
	free(phdrs);
	elfcore_close(ec);
	return ret;
}

void elfcore_close(struct elfcore *ec)
{
	if (ec->map)
		munmap((void *)ec->map, ec->size);
	if (ec->win)
		munmap((void *)ec->win, ec->win_len);
	if (ec->fd >= 0)
		close(ec->fd);
	free(ec->loads);
	free(ec->notes);
	free(ec->path);
	memset(ec, 0, sizeof(*ec));
	ec->fd = -1;
}

const struct elf_load *elfcore_find_load(struct elfcore *ec, uint64_t paddr)
{
	const struct elf_load *l = &ec->loads[ec->last_load];
	unsigned int i;

	if (paddr >= l->paddr && paddr - l->paddr < l->filesz)
		return l;
	for (i = 0; i < ec->nr_loads; i++) {
		l = &ec->loads[i];
		if (paddr >= l->paddr && paddr - l->paddr < l->filesz) {
			ec->last_load = i;
			return l;
		}
	}
	return NULL;
}

/*
 * Bytes from @paddr on that a PT_LOAD's memory size covers past its file
 * size, up to the next file data of any PT_LOAD: they read as zeros (ELF
 * semantics; a live dump leaves pmem user data out of the file this way).
 * 0 when no PT_LOAD covers @paddr that way. The caller has found no file
 * data at @paddr itself. Such reads are rare: a walk of every load is fine.
 */
static uint64_t zero_run(const struct elfcore *ec, uint64_t paddr)
{
	uint64_t run = 0;
	unsigned int i;

	for (i = 0; i < ec->nr_loads; i++) {
		const struct elf_load *l = &ec->loads[i];

		if (paddr >= l->paddr && paddr - l->paddr < l->memsz &&
		    l->memsz - (paddr - l->paddr) > run)
			run = l->memsz - (paddr - l->paddr);
	}
	for (i = 0; run && i < ec->nr_loads; i++) {
		const struct elf_load *l = &ec->loads[i];

		if (l->filesz && l->paddr > paddr && l->paddr - paddr < run)
			run = l->paddr - paddr;
	}
	return run;
}

bool elfcore_phys_held(struct elfcore *ec, uint64_t paddr)
{
	return elfcore_find_load(ec, paddr) || zero_run(ec, paddr);
}

/*
 * Pages of a file mapping count as our memory while they are mapped. Drop
 * the mapping's pages every so often so a pass over a large vmcore keeps
 * a small footprint; the data stays in the page cache, and a pointer handed
 * out earlier stays valid (it faults the page back in).
 */
#define TRIM_EVERY (8ULL << 20)

/* A page fault maps this much around the faulting page (fault-around). */
#define FAULT_AROUND (64ULL << 10)

/*
 * The whole mapping is trimmed, not just the span handed out lately: a
 * compression batch reads its pages after they were handed out. Zapping
 * a mostly unmapped range costs little.
 */
static void trim_mapping(struct elfcore *ec, uint64_t off, size_t len)
{
	/* A scattered access maps a whole fault-around block. */
	bool follows = off >= ec->touched_hi && off < ec->touched_hi + FAULT_AROUND;

	ec->touched_hi = off + len;
	ec->mapped_since_trim += follows || len >= FAULT_AROUND ? len : FAULT_AROUND;
	if (ec->mapped_since_trim < TRIM_EVERY)
		return;
	madvise((void *)ec->map, ec->size, MADV_DONTNEED);
	ec->mapped_since_trim = 0;
}

int elfcore_read_file(struct elfcore *ec, uint64_t off, void *buf, size_t len)
{
	if (ec->map) {
		trim_mapping(ec, off, len);
		memcpy(buf, ec->map + off, len);
		return 0;
	}
	if (pread_full(ec->fd, buf, len, off) < 0) {
		return log_fail(ec->log, PMD_EIO, "cannot read %s at offset %#llx: %s", ec->path,
		       (unsigned long long)off, strerror(errno));
	}
	return 0;
}

const void *elfcore_phys_ptr(struct elfcore *ec, uint64_t paddr, size_t len)
{
	const struct elf_load *l;

	if (!ec->map)
		return NULL;
	l = elfcore_find_load(ec, paddr);
	if (!l || l->filesz - (paddr - l->paddr) < len)
		return NULL;
	trim_mapping(ec, l->offset + (paddr - l->paddr), len);
	return ec->map + l->offset + (paddr - l->paddr);
}

int elfcore_read_phys(struct elfcore *ec, uint64_t paddr, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		const struct elf_load *l = elfcore_find_load(ec, paddr);
		uint64_t in_load = l ? l->filesz - (paddr - l->paddr) : zero_run(ec, paddr);
		size_t chunk = len < in_load ? len : (size_t)in_load;

		if (!in_load) {
			return log_fail(ec->log, PMD_ECORRUPT, "physical address %#llx is not in the vmcore",
			       (unsigned long long)paddr);
		}
		if (!l)
			memset(out, 0, chunk);
		else if (elfcore_read_file(ec, l->offset + (paddr - l->paddr), out, chunk) < 0)
			return -1;
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * The window is makedumpfile's trick for regular files: mapped a few MiB
 * at a time and populated at once, it costs few faults and no copy, and
 * what is resident never exceeds it.
 */
#define PEEK_WINDOW (4ULL << 20)

const void *elfcore_phys_peek(struct elfcore *ec, uint64_t paddr, size_t len)
{
	const struct elf_load *l;
	uint64_t off, start, end;
	void *m;

	if (ec->map)
		return elfcore_phys_ptr(ec, paddr, len);
	l = elfcore_find_load(ec, paddr);
	if (!l || l->filesz - (paddr - l->paddr) < len || ec->size == UINT64_MAX)
		return NULL;
	off = l->offset + (paddr - l->paddr);
	if (ec->win && off >= ec->win_off && off + len <= ec->win_off + ec->win_len)
		return ec->win + (off - ec->win_off);
	if (ec->win)
		munmap((void *)ec->win, ec->win_len);
	ec->win = NULL;
	start = off & ~4095ULL;
	end = start + (len + (off - start) > PEEK_WINDOW ? len + (off - start) : PEEK_WINDOW);
	if (end > ec->size)
		end = ec->size;
	m = mmap(NULL, end - start, PROT_READ, MAP_SHARED | MAP_POPULATE, ec->fd, (off_t)start);
	if (m == MAP_FAILED)
		return NULL;	/* the caller reads instead */
	ec->win = m;
	ec->win_off = start;
	ec->win_len = end - start;
	return ec->win + (off - start);
}

/*
 * A vmcore copied with holes (cp --sparse, a generator) has long runs that
 * read as zeros; lseek(SEEK_DATA) finds them without reading. The answer
 * is remembered: scans ask about consecutive ranges.
 */
bool elfcore_phys_is_hole(struct elfcore *ec, uint64_t paddr, size_t len)
{
	const struct elf_load *l = elfcore_find_load(ec, paddr);
	uint64_t off;
	off_t data;

	if (!l)
		return len && zero_run(ec, paddr) >= len;
	if (ec->map || l->filesz - (paddr - l->paddr) < len)
		return false;
	off = l->offset + (paddr - l->paddr);
	if (off >= ec->hole_start && off + len <= ec->hole_end)
		return true;
	if (off < ec->hole_end && off >= ec->hole_start)
		return false;
	data = lseek(ec->fd, (off_t)off, SEEK_DATA);
	if (data < 0 && errno != ENXIO)
		return false;	/* no SEEK_DATA (a block device): all of it is data */
	if (data < 0)
		data = (off_t)ec->size;	/* ENXIO: only a hole up to the end */
	ec->hole_start = off;
	ec->hole_end = (uint64_t)data;
	return off + len <= ec->hole_end;
}
