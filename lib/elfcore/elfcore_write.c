// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing ELF64 x86_64 core files: the headers of a dump (makedumpfile's
 * -E) and, for the kexec loader, the ELF core header of the capture kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "elfcore/elfcore.h"
#include "util/log.h"

#define NOTE_ALIGN(x) (((x) + 3) & ~(size_t)3)

void elfcore_ehdr_init(Elf64_Ehdr *eh, uint64_t phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	/* Past 65534 headers the count moves to section header 0. */
	eh->e_phnum = phnum >= PN_XNUM ? PN_XNUM : (Elf64_Half)phnum;
}

void elfcore_xnum_shdr(Elf64_Ehdr *eh, Elf64_Shdr *sh, uint64_t phnum, uint64_t shoff)
{
	memset(sh, 0, sizeof(*sh));
	sh->sh_type = SHT_NULL;
	sh->sh_size = 1;
	sh->sh_info = (Elf64_Word)phnum;
	eh->e_shoff = shoff;
	eh->e_shnum = 1;
	eh->e_shentsize = sizeof(*sh);
}

size_t elfcore_note_size(const char *name, size_t descsz)
{
	return sizeof(Elf64_Nhdr) + NOTE_ALIGN(strlen(name) + 1) + NOTE_ALIGN(descsz);
}

size_t elfcore_note_put(void *buf, const char *name, uint32_t type, const void *desc,
			size_t descsz)
{
	Elf64_Nhdr n = {
		.n_namesz = (Elf64_Word)(strlen(name) + 1),
		.n_descsz = (Elf64_Word)descsz,
		.n_type = type,
	};
	uint8_t *p = buf;
	size_t size = elfcore_note_size(name, descsz);

	memset(p, 0, size);
	memcpy(p, &n, sizeof(n));
	memcpy(p + sizeof(n), name, n.n_namesz);
	if (descsz)
		memcpy(p + sizeof(n) + NOTE_ALIGN(n.n_namesz), desc, descsz);
	return size;
}

int elfcore_build_header(const struct elfcore_seg *segs, unsigned int nr, void **buf,
			 size_t *len, struct log_ctx *log)
{
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	size_t size;
	unsigned int i;

	*buf = NULL;
	*len = 0;
	/* parse_crash_elf64_headers() (fs/proc/vmcore.c) reads e_phnum as is. */
	if (!nr || nr >= PN_XNUM)
		return log_fail(log, PMD_EINVAL, "a crash ELF header holds 1 to %u program headers, not %u",
				PN_XNUM - 1, nr);
	for (i = 0; i < nr; i++) {
		if (segs[i].type != PT_NOTE && segs[i].type != PT_LOAD)
			return log_fail(log, PMD_EINVAL, "program header %u: type %u is neither PT_NOTE nor PT_LOAD",
					i, segs[i].type);
		if (!segs[i].size || segs[i].paddr + segs[i].size < segs[i].paddr)
			return log_fail(log, PMD_EINVAL, "program header %u: bad range %#llx size %#llx",
					i, (unsigned long long)segs[i].paddr,
					(unsigned long long)segs[i].size);
	}
	size = sizeof(*eh) + (size_t)nr * sizeof(*ph);
	eh = calloc(1, size);
	if (!eh)
		return log_fail(log, PMD_ENOMEM, "out of memory for a %zu-byte ELF header", size);
	elfcore_ehdr_init(eh, nr);
	ph = (Elf64_Phdr *)(eh + 1);
	for (i = 0; i < nr; i++, ph++) {
		ph->p_type = segs[i].type;
		ph->p_flags = segs[i].flags;
		ph->p_offset = segs[i].paddr;
		ph->p_paddr = segs[i].paddr;
		ph->p_vaddr = segs[i].type == PT_LOAD ? segs[i].vaddr : 0;
		ph->p_filesz = segs[i].size;
		ph->p_memsz = segs[i].size;
	}
	*buf = eh;
	*len = size;
	return 0;
}
