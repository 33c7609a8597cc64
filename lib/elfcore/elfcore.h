/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_ELFCORE_ELFCORE_H
#define PMD_ELFCORE_ELFCORE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One PT_LOAD of the input, in the input's program header order. */
struct elf_load {
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
	uint32_t flags;
};

struct log_ctx;

struct elfcore_open_opts {
	struct log_ctx *log;
	/* Never map the file (makedumpfile's --non-mmap): pread only. */
	bool no_mmap;
};

/*
 * An ELF64 x86_64 core as /proc/vmcore presents it. The whole file is
 * mapped when the kernel lets us (reads are then plain memcpy); otherwise
 * every read is a pread.
 */
struct elfcore {
	struct log_ctx *log;
	bool no_mmap;
	int fd;
	char *path;
	uint64_t size;
	const uint8_t *map;

	Elf64_Ehdr ehdr;
	struct elf_load *loads;
	unsigned int nr_loads;
	/*
	 * /proc/kcore: segments without a physical address (vmalloc,
	 * vmemmap) are left out. Its kernel text segment stays: like a
	 * vmcore's, makedumpfile counts it besides the direct map.
	 */
	bool live;

	/* All PT_NOTE contents, concatenated, as they will be written out. */
	Elf64_Phdr note_phdr;
	uint8_t *notes;
	size_t notes_size;
	const char *vmcoreinfo;
	size_t vmcoreinfo_size;
	unsigned int nr_prstatus;

	unsigned int last_load;
	/* A small sliding mapping of a regular file, for physmem peeks. */
	const uint8_t *win;
	uint64_t win_off;
	uint64_t win_len;

	/* Where file data resumes after the last hole found (SEEK_DATA). */
	uint64_t hole_start;
	uint64_t hole_end;

	/* Mapped bytes handed out since the last trim; end of the last access. */
	uint64_t mapped_since_trim;
	uint64_t touched_hi;
};

/* 0, or -PMD_E* with the error recorded in @o->log (ENOTFMT: not ELF). */
int elfcore_open(struct elfcore *ec, const char *path, const struct elfcore_open_opts *o);
void elfcore_close(struct elfcore *ec);

/* The load that backs @paddr with file data, or NULL. */
const struct elf_load *elfcore_find_load(struct elfcore *ec, uint64_t paddr);

/*
 * Does the core hold @paddr: file data, or a PT_LOAD's memory past its
 * file size (p_filesz < p_memsz), which reads as zeros?
 */
bool elfcore_phys_held(struct elfcore *ec, uint64_t paddr);

/*
 * Read physical memory through the PT_LOADs; what a PT_LOAD holds past
 * its file size reads as zeros. 0, or -PMD_E* (recorded).
 */
int elfcore_read_phys(struct elfcore *ec, uint64_t paddr, void *buf, size_t len);

/*
 * A pointer to @len bytes at @paddr inside the mapping, or NULL when the
 * file is not mapped or the range is not backed by one load.
 */
const void *elfcore_phys_ptr(struct elfcore *ec, uint64_t paddr, size_t len);

/* Like elfcore_phys_ptr, but valid only until the next call: a sliding window. */
const void *elfcore_phys_peek(struct elfcore *ec, uint64_t paddr, size_t len);

/*
 * Does this physical range surely read as zeros without being read: a
 * hole of a sparse input file, or memory past a PT_LOAD's file size?
 */
bool elfcore_phys_is_hole(struct elfcore *ec, uint64_t paddr, size_t len);

/* Read file bytes (for copying notes and page data by file offset). */
int elfcore_read_file(struct elfcore *ec, uint64_t off, void *buf, size_t len);

/* One note of a PT_NOTE's contents. */
struct elfcore_note {
	uint32_t type;
	const char *name;	/* namesz bytes, NUL included */
	uint32_t namesz;
	const uint8_t *desc;
	uint32_t descsz;
	size_t offset;		/* of its header in the notes */
};

/*
 * The note at *@off of @notes: 1 and *@off moved past it, 0 at the end
 * (or at zero padding), -PMD_ECORRUPT when it does not fit.
 */
int elfcore_note_next(const uint8_t *notes, size_t size, size_t *off,
		      struct elfcore_note *note);
bool elfcore_note_is(const struct elfcore_note *note, const char *name);

/* Writing a core: the ELF header for @phnum program headers. */
void elfcore_ehdr_init(Elf64_Ehdr *eh, uint64_t phnum);
/* For phnum >= PN_XNUM: the section header 0 that holds the count, at @shoff. */
void elfcore_xnum_shdr(Elf64_Ehdr *eh, Elf64_Shdr *sh, uint64_t phnum, uint64_t shoff);
/* Bytes one note takes, padding included; write it into @buf. */
size_t elfcore_note_size(const char *name, size_t descsz);
size_t elfcore_note_put(void *buf, const char *name, uint32_t type, const void *desc,
			size_t descsz);

/*
 * A crash ELF header as kexec writes it for the capture kernel: the
 * ELF header, then one program header per @segs entry in that order, and
 * nothing else. For PT_NOTE and PT_LOAD alike p_offset = p_paddr =
 * @paddr (the capture kernel reads old memory there), p_filesz =
 * p_memsz = @size, p_align 0: what the kernel's own
 * crash_prepare_elf64_headers() writes for kexec_file_load. p_vaddr is
 * @vaddr for loads and 0 for notes.
 */
struct elfcore_seg {
	uint32_t type;		/* PT_NOTE or PT_LOAD */
	uint32_t flags;		/* p_flags (PF_R|PF_W|PF_X, PMD_PF_DEV) */
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t size;
};
/*
 * Build it into a malloc'ed *@buf of *@len bytes. 0, or -PMD_EINVAL
 * (recorded in @log) when @nr is 0 or >= PN_XNUM (the capture kernel's
 * reader has no PN_XNUM path), -PMD_ENOMEM.
 */
int elfcore_build_header(const struct elfcore_seg *segs, unsigned int nr, void **buf,
			 size_t *len, struct log_ctx *log);

#endif
