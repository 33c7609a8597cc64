// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfcore/elfcore.h"
#include "kabi/pmem_kdump.h"
#include "util/log.h"

/*
 * The checks of the capture kernel's parse_crash_elf64_headers()
 * (fs/proc/vmcore.c, 6.1) and vmcore_elf64_check_arch() for x86_64.
 */
static void kernel_accepts(const void *buf, size_t len, unsigned int nr)
{
	const Elf64_Ehdr *eh = buf;

	assert_true(len >= sizeof(*eh));
	assert_memory_equal(eh->e_ident, "\177ELF", 4);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_X86_64);
	assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh->e_ident[EI_DATA], ELFDATA2LSB);
	assert_int_equal(eh->e_ident[EI_VERSION], EV_CURRENT);
	assert_int_equal(eh->e_version, EV_CURRENT);
	assert_int_equal(eh->e_ehsize, 64);
	assert_int_equal(eh->e_phentsize, 56);
	assert_int_equal(eh->e_phnum, nr);
	assert_true(nr > 0 && nr < 0xffff);
	/* What crash_prepare_elf64_headers() leaves zero. */
	assert_int_equal(eh->e_ident[EI_OSABI], 0);
	assert_int_equal(eh->e_entry, 0);
	assert_int_equal(eh->e_shoff, 0);
	assert_int_equal(eh->e_shnum, 0);
	assert_int_equal(eh->e_flags, 0);
	assert_int_equal(eh->e_phoff, 64);
	/* Nothing but the headers. */
	assert_int_equal(len, 64 + 56 * (size_t)nr);
}

static void lab_table(void **state)
{
	/* Two CPUs' notes, VMCOREINFO, text, two RAM pieces, the pmem. */
	static const struct elfcore_seg segs[] = {
		{ PT_NOTE, 0, 0x3fc1dd40, 0, 368 },
		{ PT_NOTE, 0, 0x3fd1dd40, 0, 368 },
		{ PT_NOTE, 0, 0x10f6000, 0, 4132 },
		{ PT_LOAD, 7, 0x1f600000, 0xffffffff81800000, 0x1230000 },
		{ PT_LOAD, 7, 0x100000, 0xffff8af3c0100000, 0x2ef00000 },
		{ PT_LOAD, 7, 0x3f000000, 0xffff8af3ff000000, 0xfdc000 },
		{ PT_LOAD, 7 | PMD_PF_DEV, 0x100000000, 0xffff8af4c0000000, 0x40000000 },
	};
	/* The same, field by field, as the bytes must hold them. */
	static const Elf64_Phdr want[] = {
		{ PT_NOTE, 0, 0x3fc1dd40, 0, 0x3fc1dd40, 368, 368, 0 },
		{ PT_NOTE, 0, 0x3fd1dd40, 0, 0x3fd1dd40, 368, 368, 0 },
		{ PT_NOTE, 0, 0x10f6000, 0, 0x10f6000, 0x1024, 0x1024, 0 },
		{ PT_LOAD, PF_R | PF_W | PF_X, 0x1f600000, 0xffffffff81800000, 0x1f600000,
		  0x1230000, 0x1230000, 0 },
		{ PT_LOAD, PF_R | PF_W | PF_X, 0x100000, 0xffff8af3c0100000, 0x100000,
		  0x2ef00000, 0x2ef00000, 0 },
		{ PT_LOAD, PF_R | PF_W | PF_X, 0x3f000000, 0xffff8af3ff000000, 0x3f000000,
		  0xfdc000, 0xfdc000, 0 },
		{ PT_LOAD, 0x17, 0x100000000, 0xffff8af4c0000000, 0x100000000,
		  0x40000000, 0x40000000, 0 },
	};
	struct log_ctx log;
	Elf64_Phdr ph;
	size_t len;
	void *buf;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(elfcore_build_header(segs, 7, &buf, &len, &log), 0);
	kernel_accepts(buf, len, 7);
	for (i = 0; i < 7; i++) {
		memcpy(&ph, (uint8_t *)buf + 64 + 56 * i, sizeof(ph));
		assert_int_equal(ph.p_type, want[i].p_type);
		assert_int_equal(ph.p_flags, want[i].p_flags);
		assert_true(ph.p_offset == want[i].p_offset);
		assert_true(ph.p_vaddr == want[i].p_vaddr);
		assert_true(ph.p_paddr == want[i].p_paddr);
		assert_true(ph.p_filesz == want[i].p_filesz);
		assert_true(ph.p_memsz == want[i].p_memsz);
		assert_true(ph.p_align == want[i].p_align);
	}
	free(buf);
	log_destroy(&log);
}

/* A note's vaddr is written 0 whatever the entry says. */
static void note_vaddr_zero(void **state)
{
	static const struct elfcore_seg seg = { PT_NOTE, 4, 0x1000, 0xffff888000001000, 16 };
	struct log_ctx log;
	Elf64_Phdr ph;
	size_t len;
	void *buf;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(elfcore_build_header(&seg, 1, &buf, &len, &log), 0);
	kernel_accepts(buf, len, 1);
	memcpy(&ph, (uint8_t *)buf + 64, sizeof(ph));
	assert_true(ph.p_vaddr == 0);
	assert_int_equal(ph.p_flags, 4);
	free(buf);
	log_destroy(&log);
}

/* 65534 headers fit e_phnum; 65535 is PN_XNUM, which the kernel cannot read. */
static void phnum_limits(void **state)
{
	struct elfcore_seg *segs = calloc(65535, sizeof(*segs));
	struct log_ctx log;
	Elf64_Phdr ph;
	size_t len;
	void *buf = (void *)1;
	unsigned int i;

	(void)state;
	assert_non_null(segs);
	log_init(&log, "test");
	for (i = 0; i < 65535; i++)
		segs[i] = (struct elfcore_seg){ PT_LOAD, 7, (uint64_t)i << 12, 0, 4096 };
	assert_int_equal(elfcore_build_header(segs, 65534, &buf, &len, &log), 0);
	kernel_accepts(buf, len, 65534);
	memcpy(&ph, (uint8_t *)buf + 64 + 56 * 65533, sizeof(ph));
	assert_true(ph.p_paddr == 65533ull << 12);
	free(buf);

	assert_int_equal(elfcore_build_header(segs, 65535, &buf, &len, &log), -PMD_EINVAL);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(log_error_text(&log), "not 65535"));
	log_clear_error(&log);
	assert_int_equal(elfcore_build_header(segs, 0, &buf, &len, &log), -PMD_EINVAL);
	assert_null(buf);
	free(segs);
	log_destroy(&log);
}

static void bad_entries(void **state)
{
	static const struct elfcore_seg bad[] = {
		{ PT_DYNAMIC, 0, 0x1000, 0, 16 },
		{ PT_NULL, 0, 0x1000, 0, 16 },
		{ PT_LOAD, 7, 0x1000, 0, 0 },
		{ PT_LOAD, 7, 0xfffffffffffff000, 0, 0x2000 },
	};
	struct log_ctx log;
	struct elfcore_seg two[2];
	size_t len;
	void *buf;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	for (i = 0; i < 4; i++) {
		two[0] = (struct elfcore_seg){ PT_NOTE, 0, 0x1000, 0, 16 };
		two[1] = bad[i];
		log_clear_error(&log);
		assert_int_equal(elfcore_build_header(two, 2, &buf, &len, &log), -PMD_EINVAL);
		assert_null(buf);
		assert_non_null(strstr(log_error_text(&log), "program header 1"));
	}
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab_table),
		cmocka_unit_test(note_vaddr_zero),
		cmocka_unit_test(phnum_limits),
		cmocka_unit_test(bad_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
