/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_INPUT_ELFCORE_H
#define MDF_INPUT_ELFCORE_H

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

/*
 * An ELF64 x86_64 core as /proc/vmcore presents it. The whole file is
 * mapped when the kernel lets us (reads are then plain memcpy); otherwise
 * every read is a pread.
 */
struct elfcore {
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

int elfcore_open(struct elfcore *ec, const char *path);
void elfcore_close(struct elfcore *ec);

/* The load that backs @paddr with file data, or NULL. */
const struct elf_load *elfcore_find_load(struct elfcore *ec, uint64_t paddr);

/* Read physical memory. Returns 0, or -1 with an error printed. */
int elfcore_read_phys(struct elfcore *ec, uint64_t paddr, void *buf, size_t len);

/*
 * A pointer to @len bytes at @paddr inside the mapping, or NULL when the
 * file is not mapped or the range is not backed by one load.
 */
const void *elfcore_phys_ptr(struct elfcore *ec, uint64_t paddr, size_t len);

/* Like elfcore_phys_ptr, but valid only until the next call: a sliding window. */
const void *elfcore_phys_peek(struct elfcore *ec, uint64_t paddr, size_t len);

/* Is this physical range a hole of a sparse input file (reads as zeros)? */
bool elfcore_phys_is_hole(struct elfcore *ec, uint64_t paddr, size_t len);

/* Read file bytes (for copying notes and page data by file offset). */
int elfcore_read_file(struct elfcore *ec, uint64_t off, void *buf, size_t len);

#endif
