/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_PURGATORY_LOAD_H
#define KEXEC_PURGATORY_LOAD_H

/*
 * Our purgatory is a relocatable object (ET_REL, purgatory.ro) linked into
 * kexec. The loader lays its allocated sections out as one segment and
 * applies its RELA relocations for the address the segment gets.
 */
#include <stddef.h>
#include <stdint.h>

#include "purgatory/params.h"
#include "util/log.h"

struct purgatory {
	uint8_t *image;		/* laid-out sections, bufsz bytes, owned */
	size_t bufsz;		/* up to the end of the last PROGBITS section */
	uint64_t memsz;		/* NOBITS (bss, stack) included, 4 KiB rounded */
	uint64_t align;		/* largest section alignment, >= 4096 */
	uint64_t load_addr;	/* after purgatory_relocate() */
	uint64_t entry;		/* purgatory_start, relocated */
	size_t params_off;	/* offset of purgatory_params in image */

	/* Private: the object, parsed. */
	const uint8_t *obj;
	size_t obj_size;
	uint64_t shoff;		/* section headers in obj */
	uint64_t *sec_off;	/* per section: offset in image, or UINT64_MAX */
	unsigned int nr_sec;
	unsigned int symtab_sec;
	uint64_t symtab_off, nr_syms;
	uint64_t strtab_off, strtab_size;
	uint64_t entry_off;	/* purgatory_start in image */
	uint64_t stack_end_off;	/* stack_end in image (bss), 16-byte aligned */
};

/*
 * Parse the ET_REL at @obj (kept, not copied: it must outlive @p) and lay
 * it out: sections with bytes first, then NOBITS, each at its alignment.
 * 0, or -PMD_ECORRUPT / -PMD_EUNSUPPORTED / -PMD_ENOMEM (recorded) for
 * anything not an x86_64 ELF64 ET_REL with the global symbols
 * purgatory_start, purgatory_params (in a section with bytes, 8-byte
 * aligned, holding the magic and version of params.h) and stack_end (in
 * bss, 16-byte aligned). On failure @p holds nothing to free.
 */
int purgatory_layout(struct purgatory *p, const void *obj, size_t size, struct log_ctx *log);

/*
 * Apply the relocations for @load_addr (aligned to p->align). Types:
 * R_X86_64_NONE, 64, 32, 32S, PC32, PLT32; any other is -PMD_EUNSUPPORTED,
 * a value that does not fit its field (R_X86_64_32 zero-extended, 32S
 * sign-extended, PC32/PLT32 relative) -PMD_ECORRUPT, an unaligned or
 * wrapping @load_addr -PMD_EINVAL (all recorded). RELA values do not
 * depend on what the field held, so relocating again at another address
 * gives the same image as relocating there once. Bytes outside the
 * relocated fields (the parameter block) are left as they are. After a
 * failure the image is partly relocated: relocate again or free it.
 * Sets p->load_addr and p->entry.
 */
int purgatory_relocate(struct purgatory *p, uint64_t load_addr, struct log_ctx *log);

/*
 * The parameter block inside p->image. Fill it after purgatory_relocate()
 * (either order works: no relocation touches it). The purgatory segment
 * itself is not digested, so filling it last is fine.
 */
static inline struct purgatory_params *purgatory_params_of(struct purgatory *p)
{
	return (struct purgatory_params *)(p->image + p->params_off);
}

/*
 * The image offset of the global symbol @name, defined in an allocated
 * section (for tests and debug output). 0, or -PMD_ECORRUPT (recorded)
 * when there is none.
 */
int purgatory_symbol(const struct purgatory *p, const char *name, uint64_t *off,
		     struct log_ctx *log);

void purgatory_free(struct purgatory *p);

/* The purgatory.ro linked into kexec (purgatory_blob.S). */
extern const uint8_t purgatory_blob[];
extern const uint8_t purgatory_blob_end[];

#endif
