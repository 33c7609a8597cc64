// SPDX-License-Identifier: GPL-2.0-or-later
/* Address translation against hand-built page tables in a fake memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfcore/elfcore.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;

#define MEM_SIZE (8u << 20)
#define P 0x1ULL
#define RW 0x2ULL
#define PSE 0x80ULL
#define NX (1ULL << 63)

struct fake_mem {
	uint8_t *bytes;
};

static int fake_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct fake_mem *m = priv;

	if (paddr + len > MEM_SIZE)
		return -1;
	memcpy(buf, m->bytes + paddr, len);
	return 0;
}

static bool fake_present(void *priv, uint64_t pfn)
{
	(void)priv;
	return pfn < MEM_SIZE / 4096;
}

static const struct physmem_ops fake_ops = { .read = fake_read, .present = fake_present };

static void put_entry(struct fake_mem *m, uint64_t table, unsigned int idx, uint64_t val)
{
	memcpy(m->bytes + table + idx * 8, &val, 8);
}

struct fixture {
	struct fake_mem mem;
	struct physmem pm;
	struct kernel_info ki;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	log_init(&test_log, "test");
	test_log.level = 0;
	f->mem.bytes = calloc(1, MEM_SIZE);
	f->pm.ops = &fake_ops;
	f->pm.log = &test_log;
	f->pm.priv = &f->mem;
	f->ki.page_size = 4096;
	f->ki.max_physmem_bits = 46;
	f->ki.sym_init_top_pgt = X86_64_START_KERNEL_MAP + 0x1000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->mem.bytes);
	free(f);
	return 0;
}

static unsigned int idx(uint64_t v, int shift)
{
	return (unsigned int)((v >> shift) & 511);
}

static const uint64_t vmemmap = 0xffffea0000000000ULL;
static const uint64_t vmalloc = 0xffffc90000000000ULL;

/* 4 KiB, 2 MiB and 1 GiB mappings below one top-level table at 0x1000. */
static void build_tables(struct fixture *f, int levels)
{
	struct fake_mem *m = &f->mem;
	uint64_t top = 0x1000, pud;

	if (levels == 5) {
		put_entry(m, top, idx(vmemmap, 48), 0x6000 | P | RW);
		put_entry(m, top, idx(vmalloc, 48), 0x6000 | P | RW);
		top = 0x6000;	/* the p4d */
	}
	put_entry(m, top, idx(vmemmap, 39), 0x2000 | P | RW);
	put_entry(m, top, idx(vmalloc, 39), 0x5000 | P | RW);
	pud = 0x2000;
	put_entry(m, pud, idx(vmemmap, 30), 0x3000 | P | RW);
	put_entry(m, 0x3000, idx(vmemmap, 21), 0x4000 | P | RW);
	put_entry(m, 0x4000, idx(vmemmap, 12), 0x100000 | P | RW | NX);
	put_entry(m, 0x3000, idx(vmemmap + (2 << 20), 21), 0x200000 | P | RW | PSE);
	put_entry(m, 0x5000, idx(vmalloc, 30), 0x40000000ULL | P | RW | PSE);
}

static void check_translations(struct fixture *f)
{
	struct x86_64_xlat x;
	uint64_t pa;

	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), 0);
	assert_int_equal(x86_64_vtop(&x, vmemmap + 0x123, &pa), 0);
	assert_int_equal(pa, 0x100123);
	assert_int_equal(x86_64_vtop(&x, vmemmap + (2 << 20) + 0x1234f, &pa), 0);
	assert_int_equal(pa, 0x21234f);
	assert_int_equal(x86_64_vtop(&x, vmalloc + 0x3456789, &pa), 0);
	assert_int_equal(pa, 0x43456789ULL);
	/* Unmapped: next 4 KiB page, next 2 MiB, another pgd slot. */
	assert_int_equal(x86_64_vtop(&x, vmemmap + 0x1000, &pa), -1);
	assert_int_equal(x86_64_vtop(&x, vmemmap + (4 << 20), &pa), -1);
	assert_int_equal(x86_64_vtop(&x, 0xffffe00000000000ULL, &pa), -1);
	/* Linear regions need no tables. */
	assert_int_equal(x86_64_vtop(&x, X86_64_START_KERNEL_MAP + 0x1000000, &pa), 0);
	assert_int_equal(pa, 0x1000000 + f->ki.phys_base);
	assert_int_equal(x86_64_vtop(&x, x.page_offset + 0x7654321, &pa), 0);
	assert_int_equal(pa, 0x7654321);
}

static void four_level(void **state)
{
	struct fixture *f = *state;

	build_tables(f, 4);
	check_translations(f);
}

static void five_level(void **state)
{
	struct fixture *f = *state;

	f->ki.pgtable_l5 = true;
	f->ki.max_physmem_bits = 52;
	build_tables(f, 5);
	check_translations(f);
}

static void reads_cross_pages(void **state)
{
	struct fixture *f = *state;
	struct x86_64_xlat x;
	uint8_t buf[32];

	build_tables(f, 4);
	memset(f->mem.bytes + 0x100ff0, 0xab, 16);
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), 0);
	assert_int_equal(x86_64_read(&x, vmemmap + 0xff0, buf, 16), 0);
	assert_int_equal(buf[0], 0xab);
	assert_int_equal(buf[15], 0xab);
	/* The second half is unmapped. */
	assert_int_equal(x86_64_read(&x, vmemmap + 0xff0, buf, 32), -PMD_ECORRUPT);
}

static void wrong_layout_is_detected(void **state)
{
	struct fixture *f = *state;
	struct x86_64_xlat x;
	uint64_t po = X86_64_PAGE_OFFSET_L4;
	const struct elf_load ram = { .paddr = 0x100000, .vaddr = po + 0x100000,
				      .memsz = 0x700000, .filesz = 0x700000 };

	build_tables(f, 4);
	/* mem_section in the direct map, but the tables do not map it. */
	f->ki.sym_mem_section = po + 0x300000;
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), -PMD_ECORRUPT);

	/* Mapped, by a 2 MiB page of the direct map: now consistent. */
	put_entry(&f->mem, 0x1000, idx(po, 39), 0x7000 | P | RW);
	put_entry(&f->mem, 0x7000, idx(po, 30), 0x8000 | P | RW);
	put_entry(&f->mem, 0x8000, idx(po + 0x300000, 21), 0x200000 | P | RW | PSE);
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), 0);

	/* Mapped elsewhere than the PT_LOADs' direct map says: inconsistent. */
	put_entry(&f->mem, 0x8000, idx(po + 0x300000, 21), 0x400000 | P | RW | PSE);
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, &ram, 1), -PMD_ECORRUPT);

	/* Without PT_LOADs the base comes from the tables: consistent again. */
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), 0);
	assert_int_equal(x.page_offset, po - 0x200000);

	/* A page table root outside the kernel image is rejected. */
	f->ki.sym_init_top_pgt = 0x1000;
	assert_int_equal(x86_64_xlat_init(&x, &f->pm, &f->ki, NULL, 0), -PMD_ECORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(four_level, setup, teardown),
		cmocka_unit_test_setup_teardown(five_level, setup, teardown),
		cmocka_unit_test_setup_teardown(reads_cross_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_layout_is_detected, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
