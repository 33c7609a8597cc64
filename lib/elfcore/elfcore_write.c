// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing ELF64 x86_64 core files: the headers of a dump (makedumpfile's
 * -E) and, for the kexec loader, the ELF core header of the capture kernel.
 */
#include <string.h>

#include "elfcore/elfcore.h"

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
