// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory's loader side (src/purgatory_load.c) and its digest check
 * (purgatory/check.c, compiled hosted here). Relocation is tested on an
 * ET_REL built below byte by byte, whose layout and relocated values are
 * worked out by hand in the comments; the embedded purgatory.ro is laid
 * out and relocated too, checked through bytes entry.S is known to hold
 * (its first instruction, its GDT), and its purgatory_check() run where
 * it was relocated to.
 *
 * `test_purgatory --write-object FILE` writes the hand-built object (a
 * seed of fuzz/corpus/purgatory_rel) and exits.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "purgatory/check.h"
#include "purgatory/params.h"
#include "src/purgatory_load.h"
#include "util/log.h"
#include "util/sha256.h"

/*
 * The hand-built object. File layout:
 *   0x000 ELF header
 *   0x040 .text, 32 bytes: 0xfc (cld) then nops; a PLT32 field at 1
 *   0x060 .data, 904 bytes: the parameter block (880), then relocated
 *         fields at 880 (64), 888 (32), 892 (32S), 896 (PC32), 900 (32)
 *   0x3e8 .rodata, 10 bytes
 *   0x3f8 .debug_info, 16 bytes (not allocated)
 *   0x408 .symtab, 10 symbols
 *   0x4f8 .strtab, 62 bytes
 *   0x538 .rela.text, 2 entries
 *   0x568 .rela.data, 5 entries
 *   0x5e0 .rela.debug_info, 1 entry of an unknown type (never applied)
 *   0x5f8 .shstrtab
 *   0x680 12 section headers, last in the file: any truncation cuts them
 */
enum {
	SEC_TEXT = 1, SEC_DATA, SEC_BSS, SEC_RODATA, SEC_DEBUG, SEC_SYMTAB, SEC_STRTAB,
	SEC_RELA_TEXT, SEC_RELA_DATA, SEC_RELA_DEBUG, SEC_SHSTRTAB, NR_SEC
};
enum {
	SYM_TEXT = 1, SYM_DATA, SYM_BSS, SYM_RODATA, SYM_START, SYM_PARAMS, SYM_STACK_END,
	SYM_ABS, SYM_UNDEF, NR_SYM
};
#define OFF_TEXT	0x040
#define OFF_DATA	0x060
#define OFF_RODATA	0x3e8
#define OFF_DEBUG	0x3f8
#define OFF_SYMTAB	0x408
#define OFF_STRTAB	0x4f8
#define OFF_RELA_TEXT	0x538
#define OFF_RELA_DATA	0x568
#define OFF_RELA_DEBUG	0x5e0
#define OFF_SHSTRTAB	0x5f8
#define OFF_SHDRS	0x680
#define OBJ_SIZE	(OFF_SHDRS + NR_SEC * 64)

#define DATA_SIZE	904
#define BSS_SIZE	8192
#define BSS_ALIGN	8192

/* .strtab: offsets 1, 17, 34, 44, 52 (counted by hand). */
static const char strtab[] =
	"\0purgatory_start\0purgatory_params\0stack_end\0abs_sym\0undef_sym";
#define STR_START	1
#define STR_PARAMS	17
#define STR_STACK_END	34
#define STR_ABS		44
#define STR_UNDEF	52
static const char shstrtab[] = "\0.text\0.data\0.bss\0.rodata\0.debug_info\0.symtab\0.strtab"
			       "\0.rela.text\0.rela.data\0.rela.debug_info\0.shstrtab";

/* sh_name of each section: offsets in shstrtab, counted by hand. */
static const uint32_t shstrtab_name[NR_SEC] = { 0, 1, 7, 13, 18, 26, 38, 46, 54, 65, 76, 93 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t *shdr_at(uint8_t *obj, unsigned int i)
{
	return obj + OFF_SHDRS + 64 * i;
}

static void put_shdr(uint8_t *obj, unsigned int i, uint32_t type, uint64_t flags,
		     uint64_t offset, uint64_t size, uint32_t link, uint32_t info,
		     uint64_t align, uint64_t entsize)
{
	uint8_t *s = shdr_at(obj, i);

	put32(s + 4, type);
	put64(s + 8, flags);
	put64(s + 24, offset);
	put64(s + 32, size);
	put32(s + 40, link);
	put32(s + 44, info);
	put64(s + 48, align);
	put64(s + 56, entsize);
}

static uint8_t *sym_at(uint8_t *obj, unsigned int i)
{
	return obj + OFF_SYMTAB + 24 * i;
}

static void put_sym(uint8_t *obj, unsigned int i, uint32_t name, uint8_t bind, uint8_t type,
		    uint16_t shndx, uint64_t value, uint64_t size)
{
	uint8_t *s = sym_at(obj, i);

	put32(s, name);
	s[4] = (uint8_t)(bind << 4 | type);
	put16(s + 6, shndx);
	put64(s + 8, value);
	put64(s + 16, size);
}

/* Relocation @k of the RELA table at file offset @table. */
static uint8_t *rela_at(uint8_t *obj, unsigned int table, unsigned int k)
{
	return obj + table + 24 * k;
}

static void put_rela(uint8_t *obj, unsigned int table, unsigned int k, uint64_t offset,
		     uint32_t sym, uint32_t type, int64_t addend)
{
	uint8_t *r = rela_at(obj, table, k);

	put64(r, offset);
	put64(r + 8, (uint64_t)sym << 32 | type);
	put64(r + 16, (uint64_t)addend);
}

static void set_rela_type(uint8_t *obj, unsigned int table, unsigned int k, uint32_t type)
{
	put32(rela_at(obj, table, k) + 8, type);
}

static void set_rela_addend(uint8_t *obj, unsigned int table, unsigned int k, int64_t addend)
{
	put64(rela_at(obj, table, k) + 16, (uint64_t)addend);
}

/* .rela.data entries, by index. */
enum { RD_64, RD_32, RD_32S, RD_PC32, RD_32_ABS, NR_RELA_DATA };

static void build_object(uint8_t obj[OBJ_SIZE])
{
	unsigned int i;

	memset(obj, 0, OBJ_SIZE);
	memcpy(obj, ELFMAG, SELFMAG);
	obj[EI_CLASS] = ELFCLASS64;
	obj[EI_DATA] = ELFDATA2LSB;
	obj[EI_VERSION] = EV_CURRENT;
	put16(obj + 16, ET_REL);
	put16(obj + 18, EM_X86_64);
	put32(obj + 20, EV_CURRENT);
	put64(obj + 40, OFF_SHDRS);	/* e_shoff */
	put16(obj + 52, 64);		/* e_ehsize */
	put16(obj + 58, 64);		/* e_shentsize */
	put16(obj + 60, NR_SEC);
	put16(obj + 62, SEC_SHSTRTAB);

	/* .text: cld, then nops; the PLT32 field at 1 is overwritten. */
	memset(obj + OFF_TEXT, 0x90, 32);
	obj[OFF_TEXT] = 0xfc;
	/* .data: the parameter block as the purgatory initialises it. */
	put64(obj + OFF_DATA, PURGATORY_MAGIC);
	put32(obj + OFF_DATA + 8, PURGATORY_VERSION);
	for (i = 0; i < 10; i++)
		obj[OFF_RODATA + i] = (uint8_t)(0xa0 + i);
	memset(obj + OFF_DEBUG, 0xdd, 16);

	put_sym(obj, SYM_TEXT, 0, STB_LOCAL, STT_SECTION, SEC_TEXT, 0, 0);
	put_sym(obj, SYM_DATA, 0, STB_LOCAL, STT_SECTION, SEC_DATA, 0, 0);
	put_sym(obj, SYM_BSS, 0, STB_LOCAL, STT_SECTION, SEC_BSS, 0, 0);
	put_sym(obj, SYM_RODATA, 0, STB_LOCAL, STT_SECTION, SEC_RODATA, 0, 0);
	put_sym(obj, SYM_START, STR_START, STB_GLOBAL, STT_FUNC, SEC_TEXT, 0, 32);
	put_sym(obj, SYM_PARAMS, STR_PARAMS, STB_GLOBAL, STT_OBJECT, SEC_DATA, 0, 880);
	put_sym(obj, SYM_STACK_END, STR_STACK_END, STB_GLOBAL, STT_NOTYPE, SEC_BSS, BSS_SIZE, 0);
	put_sym(obj, SYM_ABS, STR_ABS, STB_GLOBAL, STT_NOTYPE, SHN_ABS, 0x1234, 0);
	put_sym(obj, SYM_UNDEF, STR_UNDEF, STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	memcpy(obj + OFF_STRTAB, strtab, sizeof(strtab));

	put_rela(obj, OFF_RELA_TEXT, 0, 1, SYM_PARAMS, R_X86_64_PLT32, -4);
	put_rela(obj, OFF_RELA_TEXT, 1, 8, 0, R_X86_64_NONE, 0);
	put_rela(obj, OFF_RELA_DATA, RD_64, 880, SYM_START, R_X86_64_64, 5);
	put_rela(obj, OFF_RELA_DATA, RD_32, 888, SYM_RODATA, R_X86_64_32, 3);
	put_rela(obj, OFF_RELA_DATA, RD_32S, 892, SYM_STACK_END, R_X86_64_32S, 0);
	put_rela(obj, OFF_RELA_DATA, RD_PC32, 896, SYM_RODATA, R_X86_64_PC32, -4);
	put_rela(obj, OFF_RELA_DATA, RD_32_ABS, 900, SYM_ABS, R_X86_64_32, 1);
	put_rela(obj, OFF_RELA_DEBUG, 0, 0, SYM_TEXT, 9999, 0);
	memcpy(obj + OFF_SHSTRTAB, shstrtab, sizeof(shstrtab));

	put_shdr(obj, SEC_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, OFF_TEXT, 32, 0, 0, 16,
		 0);
	put_shdr(obj, SEC_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, OFF_DATA, DATA_SIZE, 0, 0,
		 8, 0);
	put_shdr(obj, SEC_BSS, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, OFF_RODATA, BSS_SIZE, 0, 0,
		 BSS_ALIGN, 0);
	put_shdr(obj, SEC_RODATA, SHT_PROGBITS, SHF_ALLOC, OFF_RODATA, 10, 0, 0, 64, 0);
	put_shdr(obj, SEC_DEBUG, SHT_PROGBITS, 0, OFF_DEBUG, 16, 0, 0, 1, 0);
	put_shdr(obj, SEC_SYMTAB, SHT_SYMTAB, 0, OFF_SYMTAB, NR_SYM * 24, SEC_STRTAB,
		 SYM_START, 8, 24);
	put_shdr(obj, SEC_STRTAB, SHT_STRTAB, 0, OFF_STRTAB, sizeof(strtab), 0, 0, 1, 0);
	put_shdr(obj, SEC_RELA_TEXT, SHT_RELA, SHF_INFO_LINK, OFF_RELA_TEXT, 2 * 24, SEC_SYMTAB,
		 SEC_TEXT, 8, 24);
	put_shdr(obj, SEC_RELA_DATA, SHT_RELA, SHF_INFO_LINK, OFF_RELA_DATA, NR_RELA_DATA * 24,
		 SEC_SYMTAB, SEC_DATA, 8, 24);
	put_shdr(obj, SEC_RELA_DEBUG, SHT_RELA, SHF_INFO_LINK, OFF_RELA_DEBUG, 24, SEC_SYMTAB,
		 SEC_DEBUG, 8, 24);
	put_shdr(obj, SEC_SHSTRTAB, SHT_STRTAB, 0, OFF_SHSTRTAB, sizeof(shstrtab), 0, 0, 1, 0);
	/* Names, for readelf on the seed; the loader reads none. */
	for (i = 0; i < NR_SEC; i++)
		put32(shdr_at(obj, i), shstrtab_name[i]);
}

/*
 * The layout of that object, by hand. Sections with bytes in index
 * order: .text at 0 (16-aligned, 32 bytes), .data at 32 (8-aligned, ends
 * at 936), .rodata at 960 (64-aligned, ends at 970 = bufsz); then .bss at
 * 8192 (8192-aligned, ends at 16384 = memsz). align = 8192.
 */
#define IMG_TEXT	0
#define IMG_DATA	32
#define IMG_RODATA	960
#define IMG_BSS		8192
#define WANT_BUFSZ	970
#define WANT_MEMSZ	16384
#define WANT_ALIGN	8192

/* The lab's crash range starts at 0x2f000000 (/proc/iomem "Crash kernel"). */
#define LOAD_LAB	0x2f000000ull
/* The highest 8 KiB-aligned place whose 16 KiB end at 4 GiB. */
#define LOAD_UNDER_4G	0xffffc000ull
#define LOAD_ABOVE_4G	0x123400000ull

struct fixture {
	uint8_t obj[OBJ_SIZE];
	struct purgatory p;
	struct log_ctx log;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	build_object(f->obj);
	log_init(&f->log, "test");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	purgatory_free(&f->p);
	log_destroy(&f->log);
	free(f);
	return 0;
}

/* @ret is -@status, that status is recorded with a message, and @p is empty. */
static void assert_refused(struct fixture *f, int ret, enum pmd_status status)
{
	assert_int_equal(ret, -(int)status);
	assert_int_equal(log_error_status(&f->log), status);
	assert_true(strlen(log_error_text(&f->log)) > 0);
	log_clear_error(&f->log);
}

static void assert_layout_refused(struct fixture *f, size_t size, enum pmd_status status)
{
	assert_refused(f, purgatory_layout(&f->p, f->obj, size, &f->log), status);
	assert_null(f->p.image);
	assert_null(f->p.sec_off);
}

static void assert_relocate_refused(struct fixture *f, uint64_t load, enum pmd_status status)
{
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_refused(f, purgatory_relocate(&f->p, load, &f->log), status);
	purgatory_free(&f->p);
}

static void hand_object_layout(void **state)
{
	struct fixture *f = *state;
	struct purgatory *p = &f->p;
	unsigned int i;

	assert_int_equal(purgatory_layout(p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(p->bufsz, WANT_BUFSZ);
	assert_int_equal(p->memsz, WANT_MEMSZ);
	assert_int_equal(p->align, WANT_ALIGN);
	assert_int_equal(p->params_off, IMG_DATA);
	assert_int_equal(p->entry, IMG_TEXT);
	assert_int_equal(p->stack_end_off, IMG_BSS + BSS_SIZE);
	/* Section bytes copied to their offsets, the gaps zero. */
	assert_int_equal(p->image[IMG_TEXT], 0xfc);
	assert_int_equal(p->image[IMG_TEXT + 31], 0x90);
	for (i = 0; i < 10; i++)
		assert_int_equal(p->image[IMG_RODATA + i], 0xa0 + i);
	for (i = IMG_DATA + DATA_SIZE; i < IMG_RODATA; i++)
		assert_int_equal(p->image[i], 0);
	assert_true(purgatory_params_of(p)->magic == PURGATORY_MAGIC);
	assert_int_equal(purgatory_params_of(p)->version, PURGATORY_VERSION);
}

/* Every relocated field of the hand object at the lab's address. */
static void hand_object_relocated_low(void **state)
{
	struct fixture *f = *state;
	uint8_t *img;

	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	img = f->p.image;
	assert_true(f->p.load_addr == LOAD_LAB);
	assert_true(f->p.entry == LOAD_LAB);
	/* PLT32 to purgatory_params - 4 at text+1: (L + 32 - 4) - (L + 1) = 27. */
	assert_int_equal(get32(img + 1), 27);
	/* NONE at text+8 leaves the nops. */
	assert_int_equal(get32(img + 8), 0x90909090);
	/* 64: purgatory_start + 5. */
	assert_true(get64(img + IMG_DATA + 880) == 0x2f000005ull);
	/* 32: .rodata + 3 = L + 963. */
	assert_int_equal(get32(img + IMG_DATA + 888), 0x2f0003c3);
	/* 32S: stack_end = L + 8192 + 8192. */
	assert_int_equal(get32(img + IMG_DATA + 892), 0x2f004000);
	/* PC32: (L + 960 - 4) - (L + 32 + 896) = 28, at any address. */
	assert_int_equal(get32(img + IMG_DATA + 896), 28);
	/* 32 against an absolute symbol: 0x1234 + 1. */
	assert_int_equal(get32(img + IMG_DATA + 900), 0x1235);
	/* The .debug_info relocation of type 9999 was not applied, nor refused. */
	assert_int_equal(log_error_status(&f->log), 0);
}

/* Ending at 4 GiB: a 32 fits, the 32S (stack_end = 4 GiB) does not. */
static void hand_object_under_4g(void **state)
{
	struct fixture *f = *state;
	uint8_t *img;

	assert_relocate_refused(f, LOAD_UNDER_4G, PMD_ECORRUPT);

	set_rela_type(f->obj, OFF_RELA_DATA, RD_32S, R_X86_64_NONE);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_UNDER_4G, &f->log), 0);
	img = f->p.image;
	assert_true(get64(img + IMG_DATA + 880) == 0xffffc005ull);
	assert_int_equal(get32(img + IMG_DATA + 888), 0xffffc3c3);
	assert_int_equal(get32(img + IMG_DATA + 892), 0);
	assert_int_equal(get32(img + IMG_DATA + 896), 28);
	assert_int_equal(get32(img + 1), 27);
}

/* Above 4 GiB only 64 and the relative types fit (and 32 of an absolute). */
static void hand_object_above_4g(void **state)
{
	struct fixture *f = *state;
	uint8_t *img;

	assert_relocate_refused(f, LOAD_ABOVE_4G, PMD_ECORRUPT);
	set_rela_type(f->obj, OFF_RELA_DATA, RD_32S, R_X86_64_NONE);
	/* Now the R_X86_64_32 alone: L + 963 is above 4 GiB. */
	assert_relocate_refused(f, LOAD_ABOVE_4G, PMD_ECORRUPT);

	set_rela_type(f->obj, OFF_RELA_DATA, RD_32, R_X86_64_NONE);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_ABOVE_4G, &f->log), 0);
	img = f->p.image;
	assert_true(f->p.entry == LOAD_ABOVE_4G);
	assert_true(get64(img + IMG_DATA + 880) == 0x123400005ull);
	assert_int_equal(get32(img + IMG_DATA + 896), 28);
	assert_int_equal(get32(img + IMG_DATA + 900), 0x1235);
	assert_int_equal(get32(img + 1), 27);
}

/* The edges of each field's range, at the lab's address L = 0x2f000000. */
static void overflow_edges(void **state)
{
	struct fixture *f = *state;

	/* 32: L + 960 + A = 0xffffffff fits; one more does not; below 0 wraps. */
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32, 0xffffffffll - 0x2f0003c0);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	assert_int_equal(get32(f->p.image + IMG_DATA + 888), 0xffffffff);
	purgatory_free(&f->p);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32, 0x100000000ll - 0x2f0003c0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32, -0x2f0003c0ll - 1);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32, 3);

	/* 32S: stack_end = L + 0x4000; INT32_MIN fits (as 0x80000000), INT32_MAX + 1 does not. */
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32S, -0x80000000ll - 0x2f004000);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	assert_int_equal(get32(f->p.image + IMG_DATA + 892), 0x80000000);
	purgatory_free(&f->p);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32S, 0x7fffffffll - 0x2f004000);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	assert_int_equal(get32(f->p.image + IMG_DATA + 892), 0x7fffffff);
	purgatory_free(&f->p);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32S, 0x80000000ll - 0x2f004000);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32S, -0x80000001ll - 0x2f004000);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_32S, 0);

	/* PC32: 28 + (A + 4) = 0x7fffffff fits; 0x80000000 and -0x80000001 do not. */
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_PC32, 0x7fffffffll - 32);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	assert_int_equal(get32(f->p.image + IMG_DATA + 896), 0x7fffffff);
	purgatory_free(&f->p);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_PC32, 0x80000000ll - 32);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	set_rela_addend(f->obj, OFF_RELA_DATA, RD_PC32, -0x80000001ll - 32);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
}

/* Relocating again elsewhere equals relocating there once. */
static void relocate_twice(void **state)
{
	struct fixture *f = *state;
	struct purgatory once;
	uint8_t *copy;

	set_rela_type(f->obj, OFF_RELA_DATA, RD_32S, R_X86_64_NONE);
	set_rela_type(f->obj, OFF_RELA_DATA, RD_32, R_X86_64_NONE);
	assert_int_equal(purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_LAB, &f->log), 0);
	assert_int_equal(purgatory_relocate(&f->p, LOAD_ABOVE_4G, &f->log), 0);
	copy = malloc(f->p.bufsz);
	assert_non_null(copy);
	memcpy(copy, f->p.image, f->p.bufsz);
	assert_int_equal(purgatory_layout(&once, f->obj, OBJ_SIZE, &f->log), 0);
	assert_int_equal(purgatory_relocate(&once, LOAD_ABOVE_4G, &f->log), 0);
	assert_memory_equal(copy, once.image, once.bufsz);
	assert_true(f->p.entry == once.entry);
	purgatory_free(&once);
	free(copy);
}

static void bad_load_address(void **state)
{
	struct fixture *f = *state;

	assert_relocate_refused(f, LOAD_LAB + 4096, PMD_EINVAL);	/* align is 8 KiB */
	assert_relocate_refused(f, 0xffffffffffffe000ull, PMD_EINVAL);	/* wraps */
	/* Not laid out. */
	assert_refused(f, purgatory_relocate(&f->p, LOAD_LAB, &f->log), PMD_EINVAL);
}

/* Every prefix of the object: the section headers come last, so all fail. */
static void truncated(void **state)
{
	struct fixture *f = *state;
	size_t len;

	for (len = 0; len < OBJ_SIZE; len++) {
		int ret = purgatory_layout(&f->p, f->obj, len, &f->log);

		assert_true(ret == -PMD_ECORRUPT || ret == -PMD_EUNSUPPORTED);
		assert_int_equal(log_error_status(&f->log), -ret);
		log_clear_error(&f->log);
		assert_null(f->p.image);
	}
}

static void bad_headers(void **state)
{
	struct fixture *f = *state;

	f->obj[0] = 0x7e;					/* not ELF */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	f->obj[EI_CLASS] = ELFCLASS32;
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	build_object(f->obj);
	put16(f->obj + 18, EM_AARCH64);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	build_object(f->obj);
	put16(f->obj + 16, ET_EXEC);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	build_object(f->obj);
	put16(f->obj + 58, 40);					/* e_shentsize */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put16(f->obj + 60, 0);					/* e_shnum */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put16(f->obj + 60, NR_SEC + 1);				/* one header past the end */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(f->obj + 40, UINT64_MAX - 100);			/* e_shoff wraps */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
}

static void bad_sections(void **state)
{
	struct fixture *f = *state;

	/* .data's bytes past the end, at a wrapping offset, too long. */
	put64(shdr_at(f->obj, SEC_DATA) + 24, OBJ_SIZE - 100);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	put64(shdr_at(f->obj, SEC_DATA) + 24, UINT64_MAX - 10);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_DATA) + 32, UINT64_MAX);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	/* Alignments: not a power of two, absurd. */
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_RODATA) + 48, 48);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	put64(shdr_at(f->obj, SEC_RODATA) + 48, 1ull << 40);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	/* A bss of 4 EiB, and one just past the 16 MiB the loader takes. */
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_BSS) + 32, 1ull << 62);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	put64(shdr_at(f->obj, SEC_BSS) + 32, (16ull << 20) - IMG_BSS + 1);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	/* Symbol table: bad entry size, string table out of range or not one. */
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_SYMTAB) + 56, 16);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_SYMTAB) + 40, NR_SEC);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	put32(shdr_at(f->obj, SEC_SYMTAB) + 40, SEC_TEXT);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_SYMTAB) + 4, SHT_PROGBITS);	/* no symbol table */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_DEBUG) + 4, SHT_SYMTAB);	/* two */
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
}

static void bad_symbols(void **state)
{
	struct fixture *f = *state;

	/* purgatory_start misspelt, local, undefined, past its section. */
	f->obj[OFF_STRTAB + STR_START + 13] = 'A';
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	sym_at(f->obj, SYM_START)[4] = STB_LOCAL << 4 | STT_FUNC;
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put16(sym_at(f->obj, SYM_START) + 6, SHN_UNDEF);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(sym_at(f->obj, SYM_START) + 8, 32);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	/* A string table cut before the NUL of "purgatory_start". */
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_STRTAB) + 32, STR_START + 15);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	/* A name offset past the string table. */
	build_object(f->obj);
	put32(sym_at(f->obj, SYM_START), 0xfffffff0);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	/* purgatory_params: in bss, unaligned, too short for the block. */
	build_object(f->obj);
	put16(sym_at(f->obj, SYM_PARAMS) + 6, SEC_BSS);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(sym_at(f->obj, SYM_PARAMS) + 8, 4);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(sym_at(f->obj, SYM_PARAMS) + 8, DATA_SIZE - 872);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	/* Another build's block. */
	build_object(f->obj);
	f->obj[OFF_DATA] ^= 1;
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	build_object(f->obj);
	put32(f->obj + OFF_DATA + 8, PURGATORY_VERSION + 1);
	assert_layout_refused(f, OBJ_SIZE, PMD_EUNSUPPORTED);
	/* stack_end: missing, outside bss, not 16-byte aligned. */
	build_object(f->obj);
	f->obj[OFF_STRTAB + STR_STACK_END] = 'S';
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put16(sym_at(f->obj, SYM_STACK_END) + 6, SEC_DATA);
	put64(sym_at(f->obj, SYM_STACK_END) + 8, 896);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
	build_object(f->obj);
	put64(sym_at(f->obj, SYM_STACK_END) + 8, BSS_SIZE - 8);
	assert_layout_refused(f, OBJ_SIZE, PMD_ECORRUPT);
}

static void bad_relocations(void **state)
{
	struct fixture *f = *state;

	/* Unknown types: GOTPCREL (9), R_X86_64_PC64 (24), garbage. */
	set_rela_type(f->obj, OFF_RELA_DATA, RD_64, R_X86_64_GOTPCREL);
	assert_relocate_refused(f, LOAD_LAB, PMD_EUNSUPPORTED);
	set_rela_type(f->obj, OFF_RELA_DATA, RD_64, R_X86_64_PC64);
	assert_relocate_refused(f, LOAD_LAB, PMD_EUNSUPPORTED);
	set_rela_type(f->obj, OFF_RELA_DATA, RD_64, 0xffffffff);
	assert_relocate_refused(f, LOAD_LAB, PMD_EUNSUPPORTED);
	/* Symbol index past the table, huge; an undefined symbol. */
	build_object(f->obj);
	put_rela(f->obj, OFF_RELA_DATA, RD_64, 880, NR_SYM, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	put_rela(f->obj, OFF_RELA_DATA, RD_64, 880, 0xffffffff, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	put_rela(f->obj, OFF_RELA_DATA, RD_64, 880, SYM_UNDEF, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	/* The field past its section's end (8 bytes at 900 of 904), wrapping. */
	put_rela(f->obj, OFF_RELA_DATA, RD_64, 900, SYM_START, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	put_rela(f->obj, OFF_RELA_DATA, RD_64, UINT64_MAX - 3, SYM_START, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	/* Inside the parameter block, the loader's to fill. */
	put_rela(f->obj, OFF_RELA_DATA, RD_64, 876, SYM_START, R_X86_64_64, 0);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	/* The table: past the object, bad entry size, other symbol table, bad target. */
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_RELA_DATA) + 24, OBJ_SIZE - 24);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	build_object(f->obj);
	put64(shdr_at(f->obj, SEC_RELA_DATA) + 56, 16);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_RELA_DATA) + 40, SEC_STRTAB);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_RELA_DATA) + 44, NR_SEC);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	put32(shdr_at(f->obj, SEC_RELA_DATA) + 44, SEC_BSS);
	assert_relocate_refused(f, LOAD_LAB, PMD_ECORRUPT);
	/* REL (no addend) against an allocated section: not x86_64's. */
	build_object(f->obj);
	put32(shdr_at(f->obj, SEC_RELA_DATA) + 4, SHT_REL);
	assert_relocate_refused(f, LOAD_LAB, PMD_EUNSUPPORTED);
}

/*
 * Every byte of the object flipped three ways, laid out and relocated at
 * two addresses: refused cleanly or accepted, never a crash (the
 * sanitizer build checks the reads).
 */
static void flipped_bytes(void **state)
{
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	struct fixture *f = *state;
	unsigned int i, j;
	int ret;

	for (i = 0; i < OBJ_SIZE; i++) {
		for (j = 0; j < sizeof(flips); j++) {
			build_object(f->obj);
			f->obj[i] ^= flips[j];
			ret = purgatory_layout(&f->p, f->obj, OBJ_SIZE, &f->log);
			if (!ret) {
				purgatory_relocate(&f->p, LOAD_LAB, &f->log);
				purgatory_relocate(&f->p, LOAD_ABOVE_4G, &f->log);
				purgatory_free(&f->p);
			} else {
				assert_int_equal(log_error_status(&f->log), -ret);
			}
			log_clear_error(&f->log);
		}
	}
}

/* Offset of the first 8-byte little-endian @v in @img at a multiple of @step, or -1. */
static long find64(const uint8_t *img, size_t len, uint64_t v, size_t step)
{
	size_t i;

	for (i = 0; i + 8 <= len; i += step)
		if (get64(img + i) == v)
			return (long)i;
	return -1;
}

/*
 * The embedded purgatory.ro at the three addresses. Its own code is
 * checked through bytes entry.S puts there: the entry's first
 * instruction (cld), the 64-bit code descriptor at gdt + 16, and the GDT
 * pointer (limit 31, then the relocated address of gdt).
 */
static void embedded_purgatory(void **state)
{
	static const uint64_t loads[] = { LOAD_LAB, 0, LOAD_ABOVE_4G };
	struct fixture *f = *state;
	struct purgatory *p = &f->p;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint64_t load = loads[i];
		long gdt, ptr;

		assert_int_equal(purgatory_layout(p, purgatory_blob,
						  (size_t)(purgatory_blob_end - purgatory_blob),
						  &f->log), 0);
		assert_true(p->align >= 4096 && !(p->align & (p->align - 1)));
		assert_true(p->memsz % 4096 == 0);
		/* The 8 KiB stack of entry.S is bss, after the bytes. */
		assert_true(p->memsz >= p->bufsz + 8192);
		assert_true(p->stack_end_off <= p->memsz && p->stack_end_off >= p->bufsz + 8192);
		if (!load)	/* just under 4 GiB: its last byte at 0xffffffff or below */
			load = (0x100000000ull - p->memsz) & ~(p->align - 1);
		assert_int_equal(purgatory_relocate(p, load, &f->log), 0);
		assert_true(p->entry >= load && p->entry < load + p->bufsz);
		assert_int_equal(p->image[p->entry - load], 0xfc);

		gdt = find64(p->image, p->bufsz, 0x00af9b000000ffffull, 8);
		assert_true(gdt >= 16 && gdt % 16 == 0);
		gdt -= 16;
		assert_true(get64(p->image + gdt) == 0);
		assert_true(get64(p->image + gdt + 24) == 0x00cf93000000ffffull);
		ptr = find64(p->image, p->bufsz, load + (uint64_t)gdt, 1);
		assert_true(ptr >= 2);
		assert_int_equal(p->image[ptr - 2] | p->image[ptr - 1] << 8, 31);

		assert_true(purgatory_params_of(p)->magic == PURGATORY_MAGIC);
		assert_int_equal(purgatory_params_of(p)->version, PURGATORY_VERSION);
		assert_int_equal(purgatory_params_of(p)->nr_regions, 0);
		purgatory_free(p);
	}
}

/* purgatory_check(), hosted: output collected in a string. */
struct out {
	char text[512];
	size_t len;
};

static void out_putc(void *ctx, char c)
{
	struct out *o = ctx;

	assert_true(o->len + 1 < sizeof(o->text));
	o->text[o->len++] = c;
	o->text[o->len] = '\0';
}

typedef int check_fn(const struct purgatory_params *params, purgatory_putc_fn *putc, void *ctx);

/*
 * The purgatory's own code, as purgatory.ro compiled it (no SSE,
 * -mcmodel=large) and as the loader relocated it, run in this process:
 * the image is mapped at its load address and purgatory_check() called
 * there with this test's output function. It reads its constants
 * (SHA-256's table, the message strings, a switch's jump table) through
 * the relocated 64-bit pointers, so a wrong relocation shows as a wrong
 * digest, a wrong message or a crash. An address this process cannot map
 * (one inside the sanitizers' shadow) is skipped.
 */
static void run_relocated_check(struct fixture *f, uint64_t load)
{
	static const uint8_t segment[3000] = { [0] = 1, [2999] = 2 };
	struct purgatory *p = &f->p;
	struct purgatory_params params;
	struct out out = { .len = 0 };
	uint8_t copy[sizeof(segment)];
	uint64_t off;
	check_fn *check;
	void *map;
	char want[200];
	size_t size = (size_t)(purgatory_blob_end - purgatory_blob);

	assert_int_equal(purgatory_layout(p, purgatory_blob, size, &f->log), 0);
	assert_int_equal(purgatory_relocate(p, load, &f->log), 0);
	assert_int_equal(purgatory_symbol(p, "purgatory_check", &off, &f->log), 0);
	map = mmap((void *)(uintptr_t)load, p->memsz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (map != (void *)(uintptr_t)load) {
		if (map != MAP_FAILED)
			munmap(map, p->memsz);
		print_message("cannot map %#llx here: not run there\n", (unsigned long long)load);
		purgatory_free(p);
		return;
	}
	memcpy(map, p->image, p->bufsz);
	assert_int_equal(mprotect(map, p->memsz, PROT_READ | PROT_EXEC), 0);
	check = (check_fn *)(uintptr_t)(load + off);

	memcpy(copy, segment, sizeof(copy));
	memset(&params, 0, sizeof(params));
	params.magic = PURGATORY_MAGIC;
	params.version = PURGATORY_VERSION;
	params.kernel_entry = 0x1000200;
	params.boot_params = 0x2000;
	params.nr_regions = 2;
	params.regions[0].start = (uint64_t)(uintptr_t)copy;
	params.regions[0].len = sizeof(copy);
	params.regions[0].kind = PURGATORY_REGION_ELFCOREHDR;
	sha256(copy, sizeof(copy), params.regions[0].sha256);
	params.regions[1] = params.regions[0];
	assert_int_equal(check(&params, out_putc, &out), 0);
	assert_string_equal(out.text, "pmemdump purgatory: 2 segments verified\r\n");

	copy[1500] ^= 4;
	params.regions[1].kind = PURGATORY_REGION_INITRD;
	out.len = 0;
	assert_int_equal(check(&params, out_putc, &out), -1);
	snprintf(want, sizeof(want),
		 "pmemdump purgatory: segment 0 (elfcorehdr) at %#llx: sha256 mismatch, not booting\r\n",
		 (unsigned long long)(uintptr_t)copy);
	assert_string_equal(out.text, want);

	assert_int_equal(munmap(map, p->memsz), 0);
	purgatory_free(p);
}

static void relocated_purgatory_runs(void **state)
{
	struct fixture *f = *state;

	run_relocated_check(f, LOAD_LAB);
	run_relocated_check(f, LOAD_ABOVE_4G);
}

/* The block the loader and the purgatory share, field by field. */
static void params_layout(void **state)
{
	static const uint8_t magic[8] = { 'P', 'D', 'M', 'P', 'G', 'R', 'U', 'P' };
	uint8_t bytes[8];

	(void)state;
	assert_int_equal(offsetof(struct purgatory_params, magic), 0);
	assert_int_equal(offsetof(struct purgatory_params, version), 8);
	assert_int_equal(offsetof(struct purgatory_params, nr_regions), 12);
	assert_int_equal(offsetof(struct purgatory_params, kernel_entry), 16);
	assert_int_equal(offsetof(struct purgatory_params, boot_params), 24);
	assert_int_equal(offsetof(struct purgatory_params, serial_port), 32);
	assert_int_equal(offsetof(struct purgatory_params, skip_checks), 34);
	assert_int_equal(offsetof(struct purgatory_params, reserved), 35);
	assert_int_equal(offsetof(struct purgatory_params, regions), 40);
	assert_int_equal(sizeof(struct purgatory_params), 40 + 15 * 56);
	assert_int_equal(offsetof(struct purgatory_region, start), 0);
	assert_int_equal(offsetof(struct purgatory_region, len), 8);
	assert_int_equal(offsetof(struct purgatory_region, kind), 16);
	assert_int_equal(offsetof(struct purgatory_region, reserved), 20);
	assert_int_equal(offsetof(struct purgatory_region, sha256), 24);
	assert_int_equal(sizeof(struct purgatory_region), 56);
	assert_int_equal(PURGATORY_REGIONS_MAX, 15);
	assert_int_equal(PURGATORY_PARAMS_KERNEL_ENTRY, 16);
	assert_int_equal(PURGATORY_PARAMS_BOOT_PARAMS, 24);
	put64(bytes, PURGATORY_MAGIC);
	assert_memory_equal(bytes, magic, 8);
}

struct check_fixture {
	struct purgatory_params params;
	uint8_t kernel[5000], initrd[300], zero_page[4096 + 100];
	struct out out;
};

static void add_region(struct purgatory_params *params, const void *buf, size_t len,
		       uint32_t kind)
{
	struct purgatory_region *r = &params->regions[params->nr_regions++];

	r->start = (uint64_t)(uintptr_t)buf;
	r->len = len;
	r->kind = kind;
	sha256(buf, len, r->sha256);
}

static void check_setup(struct check_fixture *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(c->kernel); i++)
		c->kernel[i] = (uint8_t)(i * 13);
	memset(c->initrd, 0x5a, sizeof(c->initrd));
	c->params.magic = PURGATORY_MAGIC;
	c->params.version = PURGATORY_VERSION;
	c->params.kernel_entry = 0x2f200200;
	c->params.boot_params = 0x2e000000;
	c->params.serial_port = 0x3f8;
	add_region(&c->params, c->kernel, sizeof(c->kernel), PURGATORY_REGION_KERNEL);
	add_region(&c->params, c->initrd, sizeof(c->initrd), PURGATORY_REGION_INITRD);
	add_region(&c->params, c->zero_page, sizeof(c->zero_page), PURGATORY_REGION_BOOTPARAMS);
}

static int run_check(struct check_fixture *c)
{
	c->out.len = 0;
	c->out.text[0] = '\0';
	return purgatory_check(&c->params, out_putc, &c->out);
}

static void check_passes(void **state)
{
	struct check_fixture c;

	(void)state;
	check_setup(&c);
	assert_int_equal(run_check(&c), 0);
	assert_string_equal(c.out.text, "pmemdump purgatory: 3 segments verified\r\n");
	c.params.nr_regions = 0;
	assert_int_equal(run_check(&c), 0);
	assert_string_equal(c.out.text, "pmemdump purgatory: 0 segments verified\r\n");
}

static void check_mismatch(void **state)
{
	static const struct {
		uint32_t kind;
		const char *name;
	} kinds[] = {
		{ PURGATORY_REGION_KERNEL, "kernel" },
		{ PURGATORY_REGION_INITRD, "initrd" },
		{ PURGATORY_REGION_BOOTPARAMS, "bootparams" },
		{ PURGATORY_REGION_ELFCOREHDR, "elfcorehdr" },
		{ 0, "unknown" },
		{ 99, "unknown" },
	};
	struct check_fixture c;
	char want[200];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		check_setup(&c);
		c.params.regions[1].kind = kinds[i].kind;
		c.initrd[299] ^= 0x10;		/* the last byte */
		assert_int_equal(run_check(&c), -1);
		snprintf(want, sizeof(want),
			 "pmemdump purgatory: segment 1 (%s) at %#llx: sha256 mismatch, not booting\r\n",
			 kinds[i].name, (unsigned long long)(uintptr_t)c.initrd);
		assert_string_equal(c.out.text, want);
	}
	/* The first bad region is named, even when a later one is bad too. */
	check_setup(&c);
	c.zero_page[4096 + 50] = 1;		/* in the zero fill past the buffer */
	c.kernel[0] ^= 1;
	assert_int_equal(run_check(&c), -1);
	snprintf(want, sizeof(want),
		 "pmemdump purgatory: segment 0 (kernel) at %#llx: sha256 mismatch, not booting\r\n",
		 (unsigned long long)(uintptr_t)c.kernel);
	assert_string_equal(c.out.text, want);
	c.kernel[0] ^= 1;
	assert_int_equal(run_check(&c), -1);
	snprintf(want, sizeof(want),
		 "pmemdump purgatory: segment 2 (bootparams) at %#llx: sha256 mismatch, not booting\r\n",
		 (unsigned long long)(uintptr_t)c.zero_page);
	assert_string_equal(c.out.text, want);

	/* skip_checks jumps anyway. */
	c.params.skip_checks = 1;
	assert_int_equal(run_check(&c), 0);
	assert_string_equal(c.out.text, "pmemdump purgatory: checks skipped\r\n");
}

static void check_bad_params(void **state)
{
	static const char want[] = "pmemdump purgatory: bad parameter block, not booting\r\n";
	struct check_fixture c;

	(void)state;
	check_setup(&c);
	c.params.magic ^= 1;
	assert_int_equal(run_check(&c), -1);
	assert_string_equal(c.out.text, want);
	check_setup(&c);
	c.params.version = 2;
	assert_int_equal(run_check(&c), -1);
	assert_string_equal(c.out.text, want);
	check_setup(&c);
	c.params.nr_regions = 16;
	assert_int_equal(run_check(&c), -1);
	assert_string_equal(c.out.text, want);
	check_setup(&c);
	c.params.kernel_entry = 0;
	assert_int_equal(run_check(&c), -1);
	assert_string_equal(c.out.text, want);
	check_setup(&c);
	c.params.boot_params = 0;
	c.params.skip_checks = 1;
	assert_int_equal(run_check(&c), -1);
	assert_string_equal(c.out.text, want);
}

static int write_object(const char *path)
{
	uint8_t obj[OBJ_SIZE];
	FILE *out = fopen(path, "wb");

	build_object(obj);
	if (!out || fwrite(obj, 1, sizeof(obj), out) != sizeof(obj) || fclose(out)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hand_object_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(hand_object_relocated_low, setup, teardown),
		cmocka_unit_test_setup_teardown(hand_object_under_4g, setup, teardown),
		cmocka_unit_test_setup_teardown(hand_object_above_4g, setup, teardown),
		cmocka_unit_test_setup_teardown(overflow_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(relocate_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_load_address, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_symbols, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_relocations, setup, teardown),
		cmocka_unit_test_setup_teardown(flipped_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(embedded_purgatory, setup, teardown),
		cmocka_unit_test_setup_teardown(relocated_purgatory_runs, setup, teardown),
		cmocka_unit_test(params_layout),
		cmocka_unit_test(check_passes),
		cmocka_unit_test(check_mismatch),
		cmocka_unit_test(check_bad_params),
	};

	if (argc == 3 && !strcmp(argv[1], "--write-object"))
		return write_object(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
