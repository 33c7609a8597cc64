// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's loader side: an x86_64 ET_REL (purgatory.ro) laid out as
 * one segment and relocated for the address the plan gives it. The object
 * is ours and embedded, but it is parsed as if hostile (fuzz/
 * fuzz_purgatory_rel.c): every offset, size and index is checked against
 * the object before it is used, and headers are copied out, never cast in
 * place, so an odd offset is harmless.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/purgatory_load.h"

#define PAGE_SIZE_4K 4096
/* Our purgatory is about 10 KiB; a larger image is not one of ours. */
#define PURGATORY_MEMSZ_MAX (16ull << 20)
#define SECTION_ALIGN_MAX (1ull << 20)
#define NO_OFFSET UINT64_MAX

/* [off, off + len) inside [0, size), without overflow. */
static bool in_object(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static void get_shdr(const struct purgatory *p, unsigned int i, Elf64_Shdr *sh)
{
	memcpy(sh, p->obj + p->shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
}

static bool is_allocated(const Elf64_Shdr *sh)
{
	return (sh->sh_flags & SHF_ALLOC) && sh->sh_type != SHT_NULL;
}

/*
 * A table section (symbols, relocations) whose bytes lie in the object
 * and whose entries have the size we read them as.
 */
static int check_table(const struct purgatory *p, unsigned int i, const Elf64_Shdr *sh,
		       size_t entsize, const char *what, struct log_ctx *log)
{
	if (sh->sh_entsize != entsize || sh->sh_size % entsize)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: %s section %u: entry size %llu, table size %llu", what,
				i, (unsigned long long)sh->sh_entsize,
				(unsigned long long)sh->sh_size);
	if (!in_object(sh->sh_offset, sh->sh_size, p->obj_size))
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: %s section %u at %#llx+%#llx is past the object's %zu bytes",
				what, i, (unsigned long long)sh->sh_offset,
				(unsigned long long)sh->sh_size, p->obj_size);
	return 0;
}

static int check_header(const void *obj, size_t size, Elf64_Ehdr *eh, struct log_ctx *log)
{
	if (size < sizeof(*eh))
		return log_fail(log, PMD_ECORRUPT, "purgatory: %zu bytes, too short for an ELF header",
				size);
	memcpy(eh, obj, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return log_fail(log, PMD_ECORRUPT, "purgatory: not an ELF object");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return log_fail(log, PMD_EUNSUPPORTED,
				"purgatory: not a little-endian ELF64 x86_64 object (class %u, data %u, machine %u)",
				eh->e_ident[EI_CLASS], eh->e_ident[EI_DATA], eh->e_machine);
	if (eh->e_type != ET_REL)
		return log_fail(log, PMD_EUNSUPPORTED,
				"purgatory: ELF type %u, want a relocatable object (ET_REL)",
				eh->e_type);
	/* Extended numbering (e_shnum 0, count in section 0) is not for a small object. */
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    eh->e_shnum >= SHN_LORESERVE)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: section header size %u, count %u", eh->e_shentsize,
				eh->e_shnum);
	if (!in_object(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size))
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: %u section headers at %#llx are past the object's %zu bytes",
				eh->e_shnum, (unsigned long long)eh->e_shoff, size);
	return 0;
}

/*
 * Offsets of the allocated sections in the image: those with bytes first
 * (text, data, notes), then NOBITS (bss, the stack), each aligned, so the
 * segment's buffer ends where its zero fill begins.
 */
static int lay_out_sections(struct purgatory *p, struct log_ctx *log)
{
	uint64_t end = 0, max_align = PAGE_SIZE_4K;
	unsigned int pass, i;
	Elf64_Shdr sh;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->nr_sec; i++) {
			uint64_t align;

			get_shdr(p, i, &sh);
			if (!is_allocated(&sh) || (sh.sh_type == SHT_NOBITS) != (pass == 1))
				continue;
			align = sh.sh_addralign ? sh.sh_addralign : 1;
			if (align & (align - 1) || align > SECTION_ALIGN_MAX)
				return log_fail(log, PMD_EUNSUPPORTED,
						"purgatory: section %u aligned to %#llx", i,
						(unsigned long long)sh.sh_addralign);
			if (sh.sh_type != SHT_NOBITS &&
			    !in_object(sh.sh_offset, sh.sh_size, p->obj_size))
				return log_fail(log, PMD_ECORRUPT,
						"purgatory: section %u at %#llx+%#llx is past the object's %zu bytes",
						i, (unsigned long long)sh.sh_offset,
						(unsigned long long)sh.sh_size, p->obj_size);
			/* end <= the maximum before and after: no sum overflows. */
			end = align_up(end, align);
			if (end > PURGATORY_MEMSZ_MAX || sh.sh_size > PURGATORY_MEMSZ_MAX - end)
				return log_fail(log, PMD_EUNSUPPORTED,
						"purgatory: its sections need more than %llu bytes",
						PURGATORY_MEMSZ_MAX);
			p->sec_off[i] = end;
			end += sh.sh_size;
			if (align > max_align)
				max_align = align;
		}
		if (pass == 0)
			p->bufsz = (size_t)end;
	}
	p->memsz = align_up(end, PAGE_SIZE_4K);
	p->align = max_align;
	return 0;
}

static void copy_sections(struct purgatory *p)
{
	unsigned int i;
	Elf64_Shdr sh;

	for (i = 0; i < p->nr_sec; i++) {
		get_shdr(p, i, &sh);
		if (p->sec_off[i] != NO_OFFSET && sh.sh_type != SHT_NOBITS)
			memcpy(p->image + p->sec_off[i], p->obj + sh.sh_offset, sh.sh_size);
	}
}

static void get_sym(const struct purgatory *p, uint64_t idx, Elf64_Sym *sym)
{
	memcpy(sym, p->obj + p->symtab_off + idx * sizeof(*sym), sizeof(*sym));
}

/* The one symbol table and its strings, checked once for the lookups below. */
static int find_symtab(struct purgatory *p, struct log_ctx *log)
{
	unsigned int i, found = 0;
	Elf64_Shdr sh, strsh;
	int ret;

	for (i = 0; i < p->nr_sec; i++) {
		get_shdr(p, i, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (found++)
			return log_fail(log, PMD_ECORRUPT, "purgatory: more than one symbol table");
		ret = check_table(p, i, &sh, sizeof(Elf64_Sym), "symbol table", log);
		if (ret)
			return ret;
		if (sh.sh_link == 0 || sh.sh_link >= p->nr_sec)
			return log_fail(log, PMD_ECORRUPT,
					"purgatory: symbol table's string table %u of %u sections",
					sh.sh_link, p->nr_sec);
		get_shdr(p, sh.sh_link, &strsh);
		if (strsh.sh_type != SHT_STRTAB || !in_object(strsh.sh_offset, strsh.sh_size,
							      p->obj_size))
			return log_fail(log, PMD_ECORRUPT,
					"purgatory: section %u is not a string table in the object",
					sh.sh_link);
		p->symtab_sec = i;
		p->symtab_off = sh.sh_offset;
		p->nr_syms = sh.sh_size / sizeof(Elf64_Sym);
		p->strtab_off = strsh.sh_offset;
		p->strtab_size = strsh.sh_size;
	}
	if (!found)
		return log_fail(log, PMD_ECORRUPT, "purgatory: no symbol table");
	return 0;
}

/* @sym's name is @name: its bytes and the NUL inside the string table. */
static bool sym_named(const struct purgatory *p, const Elf64_Sym *sym, const char *name)
{
	size_t len = strlen(name);

	return sym->st_name < p->strtab_size && len < p->strtab_size - sym->st_name &&
	       !memcmp(p->obj + p->strtab_off + sym->st_name, name, len + 1);
}

/*
 * The image offset of the global symbol @name, defined in an allocated
 * section with at least @size bytes from it to the section's end.
 * *@nobits tells whether that section is NOBITS.
 */
static int find_symbol(const struct purgatory *p, const char *name, uint64_t size,
		       uint64_t *off, bool *nobits, struct log_ctx *log)
{
	Elf64_Shdr sh;
	Elf64_Sym sym;
	uint64_t i;

	for (i = 1; i < p->nr_syms; i++) {
		get_sym(p, i, &sym);
		if (ELF64_ST_BIND(sym.st_info) != STB_GLOBAL || !sym_named(p, &sym, name))
			continue;
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= p->nr_sec ||
		    p->sec_off[sym.st_shndx] == NO_OFFSET)
			return log_fail(log, PMD_ECORRUPT,
					"purgatory: %s is not defined in an allocated section (%u)",
					name, sym.st_shndx);
		get_shdr(p, sym.st_shndx, &sh);
		if (sym.st_value > sh.sh_size || size > sh.sh_size - sym.st_value)
			return log_fail(log, PMD_ECORRUPT,
					"purgatory: %s at %#llx does not hold %llu bytes of section %u",
					name, (unsigned long long)sym.st_value,
					(unsigned long long)size, sym.st_shndx);
		*off = p->sec_off[sym.st_shndx] + sym.st_value;
		*nobits = sh.sh_type == SHT_NOBITS;
		return 0;
	}
	return log_fail(log, PMD_ECORRUPT, "purgatory: no global symbol %s", name);
}

static int find_symbols(struct purgatory *p, struct log_ctx *log)
{
	struct purgatory_params params;
	uint64_t off;
	bool nobits;
	int ret;

	ret = find_symbol(p, "purgatory_start", 1, &off, &nobits, log);
	if (ret)
		return ret;
	if (nobits)
		return log_fail(log, PMD_ECORRUPT, "purgatory: purgatory_start is in bss");
	p->entry_off = off;
	p->entry = off;

	/* The loader writes the block through a pointer: 8-byte aligned. */
	ret = find_symbol(p, "purgatory_params", sizeof(params), &off, &nobits, log);
	if (ret)
		return ret;
	if (nobits || off % 8)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: purgatory_params at %#llx is in bss or unaligned",
				(unsigned long long)off);
	p->params_off = (size_t)off;

	/* The stack's top, as entry.S loads it: in bss (zeroed), 16-byte aligned. */
	ret = find_symbol(p, "stack_end", 0, &off, &nobits, log);
	if (ret)
		return ret;
	if (!nobits || off % 16)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: stack_end at %#llx is not in bss or not 16-byte aligned",
				(unsigned long long)off);
	p->stack_end_off = off;
	return 0;
}

int purgatory_layout(struct purgatory *p, const void *obj, size_t size, struct log_ctx *log)
{
	struct purgatory_params params;
	Elf64_Ehdr eh;
	unsigned int i;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = check_header(obj, size, &eh, log);
	if (ret)
		return ret;
	p->obj = obj;
	p->obj_size = size;
	p->shoff = eh.e_shoff;
	p->nr_sec = eh.e_shnum;
	p->sec_off = malloc(p->nr_sec * sizeof(*p->sec_off));
	if (!p->sec_off)
		return log_fail(log, PMD_ENOMEM, "purgatory: out of memory");
	for (i = 0; i < p->nr_sec; i++)
		p->sec_off[i] = NO_OFFSET;

	ret = lay_out_sections(p, log);
	if (!ret)
		ret = find_symtab(p, log);
	if (!ret)
		ret = find_symbols(p, log);
	if (ret)
		goto fail;
	p->image = calloc(1, p->bufsz ? p->bufsz : 1);
	if (!p->image) {
		ret = log_fail(log, PMD_ENOMEM, "purgatory: out of memory for %zu bytes", p->bufsz);
		goto fail;
	}
	copy_sections(p);

	/* A purgatory of another build would read the block differently. */
	memcpy(&params, p->image + p->params_off, sizeof(params));
	if (params.magic != PURGATORY_MAGIC || params.version != PURGATORY_VERSION) {
		ret = log_fail(log, PMD_EUNSUPPORTED,
			       "purgatory: parameter block magic %#llx version %u, want %#llx version %u",
			       (unsigned long long)params.magic, params.version,
			       (unsigned long long)PURGATORY_MAGIC, PURGATORY_VERSION);
		goto fail;
	}
	return 0;
fail:
	purgatory_free(p);
	return ret;
}

int purgatory_symbol(const struct purgatory *p, const char *name, uint64_t *off,
		     struct log_ctx *log)
{
	bool nobits;

	if (!p->image)
		return log_fail(log, PMD_EINVAL, "purgatory: symbol lookup before the layout");
	return find_symbol(p, name, 0, off, &nobits, log);
}

/* S: where the relocation's symbol is once the image is at @load_addr. */
static int symbol_address(const struct purgatory *p, uint64_t idx, uint64_t load_addr,
			  uint64_t *s, struct log_ctx *log)
{
	Elf64_Sym sym;

	if (idx >= p->nr_syms)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation names symbol %llu of %llu",
				(unsigned long long)idx, (unsigned long long)p->nr_syms);
	get_sym(p, idx, &sym);
	if (sym.st_shndx == SHN_ABS) {
		*s = sym.st_value;
		return 0;
	}
	if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= p->nr_sec ||
	    p->sec_off[sym.st_shndx] == NO_OFFSET)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation against symbol %llu, undefined or outside the image (section %u)",
				(unsigned long long)idx, sym.st_shndx);
	*s = load_addr + p->sec_off[sym.st_shndx] + sym.st_value;
	return 0;
}

static void put_le(uint8_t *where, uint64_t v, unsigned int width)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		where[i] = (uint8_t)(v >> (8 * i));
}

/*
 * One RELA entry against the section at image offset @sec_off with
 * @sec_size bytes. The types of the kernel's
 * arch_kexec_apply_relocations_add() (arch/x86/kernel/machine_kexec_64.c).
 */
static int apply_rela(struct purgatory *p, const Elf64_Rela *r, unsigned int rela_sec,
		      uint64_t sec_off, uint64_t sec_size, uint64_t load_addr, struct log_ctx *log)
{
	uint32_t type = ELF64_R_TYPE(r->r_info);
	uint64_t s = 0, v, where;
	unsigned int width;
	int64_t sv;
	int ret;

	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		width = 8;
		break;
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		width = 4;
		break;
	default:
		return log_fail(log, PMD_EUNSUPPORTED,
				"purgatory: relocation type %u in section %u is not supported", type,
				rela_sec);
	}
	if (r->r_offset > sec_size || width > sec_size - r->r_offset)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation at %#llx is past its section's %llu bytes (section %u)",
				(unsigned long long)r->r_offset, (unsigned long long)sec_size,
				rela_sec);
	/* The block is the loader's to fill, before or after relocating. */
	if (sec_off + r->r_offset < p->params_off + sizeof(struct purgatory_params) &&
	    p->params_off < sec_off + r->r_offset + width)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation at %#llx of section %u is inside purgatory_params",
				(unsigned long long)r->r_offset, rela_sec);
	ret = symbol_address(p, ELF64_R_SYM(r->r_info), load_addr, &s, log);
	if (ret)
		return ret;
	where = load_addr + sec_off + r->r_offset;
	/* Unsigned arithmetic wraps as the CPU's does; the checks catch what does not fit. */
	v = s + (uint64_t)r->r_addend;
	if (type == R_X86_64_PC32 || type == R_X86_64_PLT32)
		v -= where;
	sv = (int64_t)v;
	if ((type == R_X86_64_32 && v > UINT32_MAX) ||
	    (type != R_X86_64_32 && width == 4 && (sv < INT32_MIN || sv > INT32_MAX)))
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation type %u at %#llx: value %#llx does not fit 32 bits (loaded at %#llx)",
				type, (unsigned long long)where, (unsigned long long)v,
				(unsigned long long)load_addr);
	put_le(p->image + sec_off + r->r_offset, v, width);
	return 0;
}

/* The RELA section @i, when it relocates an allocated section. */
static int apply_rela_section(struct purgatory *p, unsigned int i, const Elf64_Shdr *sh,
			      uint64_t load_addr, struct log_ctx *log)
{
	Elf64_Shdr target;
	Elf64_Rela r;
	uint64_t n, k;
	int ret;

	if (sh->sh_info >= p->nr_sec)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation section %u applies to section %u of %u", i,
				sh->sh_info, p->nr_sec);
	/* Debug info and the like: not in the image, nothing to do. */
	if (p->sec_off[sh->sh_info] == NO_OFFSET)
		return 0;
	get_shdr(p, sh->sh_info, &target);
	if (target.sh_type == SHT_NOBITS)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation section %u applies to bss section %u", i,
				sh->sh_info);
	if (sh->sh_link != p->symtab_sec)
		return log_fail(log, PMD_ECORRUPT,
				"purgatory: relocation section %u uses symbol table %u, not %u", i,
				sh->sh_link, p->symtab_sec);
	ret = check_table(p, i, sh, sizeof(Elf64_Rela), "relocation", log);
	if (ret)
		return ret;
	n = sh->sh_size / sizeof(Elf64_Rela);
	for (k = 0; k < n; k++) {
		memcpy(&r, p->obj + sh->sh_offset + k * sizeof(r), sizeof(r));
		ret = apply_rela(p, &r, i, p->sec_off[sh->sh_info], target.sh_size, load_addr,
				 log);
		if (ret)
			return ret;
	}
	return 0;
}

int purgatory_relocate(struct purgatory *p, uint64_t load_addr, struct log_ctx *log)
{
	unsigned int i;
	Elf64_Shdr sh;
	int ret;

	if (!p->image)
		return log_fail(log, PMD_EINVAL, "purgatory: relocated before it was laid out");
	if (load_addr % p->align || load_addr > UINT64_MAX - p->memsz)
		return log_fail(log, PMD_EINVAL,
				"purgatory: load address %#llx: not aligned to %#llx or too high",
				(unsigned long long)load_addr, (unsigned long long)p->align);
	for (i = 0; i < p->nr_sec; i++) {
		get_shdr(p, i, &sh);
		if (sh.sh_type == SHT_REL && sh.sh_info < p->nr_sec &&
		    p->sec_off[sh.sh_info] != NO_OFFSET)
			return log_fail(log, PMD_EUNSUPPORTED,
					"purgatory: section %u has REL relocations, x86_64 uses RELA",
					i);
		if (sh.sh_type != SHT_RELA)
			continue;
		ret = apply_rela_section(p, i, &sh, load_addr, log);
		if (ret)
			return ret;
	}
	p->load_addr = load_addr;
	p->entry = load_addr + p->entry_off;
	return 0;
}

void purgatory_free(struct purgatory *p)
{
	free(p->image);
	free(p->sec_off);
	memset(p, 0, sizeof(*p));
}
