// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kabi/pmem_kdump.h"
#include "src/crashhdr.h"
#include "util/log.h"

#define RWX (PF_R | PF_W | PF_X)
#define DEV (RWX | PMD_PF_DEV)

/* The lab guest's /proc/iomem (kernel-series/results/first.iomem), as root saw it. */
static const char lab_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000c0000-000c05ff : Video ROM\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdbfff : System RAM\n"
	"  1f600000-1fe008f1 : Kernel code\n"
	"  20000000-201d8fff : Kernel rodata\n"
	"  20200000-2034f43f : Kernel data\n"
	"  20664000-207fffff : Kernel bss\n"
	"  2f000000-3effffff : Crash kernel\n"
	"3ffdc000-3fffffff : Reserved\n"
	"40000000-febfffff : PCI Bus 0000:00\n"
	"  febf0000-febf3fff : 0000:00:02.0\n"
	"    febf0000-febf3fff : virtio-pci-modern\n"
	"  febf4000-febf7fff : 0000:00:03.0\n"
	"    febf4000-febf7fff : virtio-pci-modern\n"
	"  febf8000-febfbfff : 0000:00:04.0\n"
	"    febf8000-febfbfff : virtio-pci-modern\n"
	"  febfd000-febfdfff : 0000:00:02.0\n"
	"  febfe000-febfefff : 0000:00:03.0\n"
	"  febff000-febfffff : 0000:00:04.0\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"fed00000-fed003ff : HPET 0\n"
	"  fed00000-fed003ff : PNP0103:00\n"
	"fee00000-fee00fff : Local APIC\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-13fffffff : Persistent Memory\n"
	"  100000000-13fffffff : namespace0.0\n"
	"240000000-2bfffffff : PCI Bus 0000:00\n"
	"fd00000000-ffffffffff : Reserved\n";

/*
 * The lab kernel as its kexec_file vmcore shows it (vmcore.phdrs): text
 * 0xffffffff81800000 at 0x1f600000 size 0x1230000, direct map base
 * 0xffff8af3c0000000; VMCOREINFO from first.vmcoreinfo.log. The CPU
 * notes were not logged: made-up addresses, 368 bytes (sizeof(note_buf_t)).
 */
static struct live_note lab_notes[] = {
	{ 0, 0x3fc1dd40, 368 },
	{ 1, 0x3fd1dd40, 368 },
};

static const struct live_kernel lab_kernel = {
	.page_offset = 0xffff8af3c0000000,
	.text_vaddr = 0xffffffff81800000,
	.text_paddr = 0x1f600000,
	.text_size = 0x1230000,
	.cpu_notes = lab_notes,
	.nr_cpu_notes = 2,
	.vmcoreinfo_paddr = 0x10f6000,
	.vmcoreinfo_size = 0x1024,
};

static const struct crash_ranges lab_crash = {
	.r = { { 0x2f000000, 0x3f000000 } },
	.nr = 1,
};

static const struct pmem_live_range lab_pmem_range[] = {
	{ 0x100000000, 0x140000000, "Persistent Memory" },
};
static const struct pmem_live lab_pmem = { (struct pmem_live_range *)lab_pmem_range, 1 };

struct want {
	uint32_t type, flags;
	uint64_t paddr, vaddr, size;
};

/*
 * The kernel's own kexec_file header of the lab (capture.loads and
 * vmcore.phdrs, after the capture kernel merged the notes), then our notes.
 */
static const struct want lab_want[] = {
	{ PT_NOTE, 0, 0x3fc1dd40, 0, 368 },
	{ PT_NOTE, 0, 0x3fd1dd40, 0, 368 },
	{ PT_NOTE, 0, 0x10f6000, 0, 4132 },
	{ PT_LOAD, RWX, 0x1f600000, 0xffffffff81800000, 0x1230000 },
	{ PT_LOAD, RWX, 0x100000, 0xffff8af3c0100000, 0x2ef00000 },
	{ PT_LOAD, RWX, 0x3f000000, 0xffff8af3ff000000, 0xfdc000 },
	{ PT_LOAD, DEV, 0x100000000, 0xffff8af4c0000000, 0x40000000 },
};
#define NR_LAB_WANT (sizeof(lab_want) / sizeof(lab_want[0]))

static void check_header(const void *buf, size_t len, const struct want *w, unsigned int nr)
{
	const Elf64_Ehdr *eh = buf;
	Elf64_Phdr ph;
	unsigned int i;

	assert_int_equal(len, 64 + 56 * (size_t)nr);
	assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh->e_type, ET_CORE);
	assert_int_equal(eh->e_machine, EM_X86_64);
	assert_int_equal(eh->e_phnum, nr);
	for (i = 0; i < nr; i++) {
		memcpy(&ph, (const uint8_t *)buf + 64 + 56 * i, sizeof(ph));
		if (ph.p_type != w[i].type || ph.p_flags != w[i].flags ||
		    ph.p_paddr != w[i].paddr || ph.p_vaddr != w[i].vaddr || ph.p_memsz != w[i].size)
			fail_msg("phdr %u: type %u flags %#x paddr %#llx vaddr %#llx size %#llx; "
				 "want %u %#x %#llx %#llx %#llx", i, ph.p_type, ph.p_flags,
				 (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_vaddr,
				 (unsigned long long)ph.p_memsz, w[i].type, w[i].flags,
				 (unsigned long long)w[i].paddr, (unsigned long long)w[i].vaddr,
				 (unsigned long long)w[i].size);
		/* The kernel's rules: offset = paddr, filesz = memsz, align 0. */
		assert_true(ph.p_offset == ph.p_paddr);
		assert_true(ph.p_filesz == ph.p_memsz);
		assert_true(ph.p_align == 0);
	}
}

static int build(const char *iomem_text, const struct crash_ranges *crash,
		 const struct live_kernel *k, const struct pmem_live *pmem, void **buf, size_t *len,
		 struct log_ctx *log)
{
	struct iomem_tree t;
	struct crashhdr_in in = { &t, crash, k, pmem };
	int ret;

	assert_int_equal(iomem_parse(&t, iomem_text, strlen(iomem_text), log), 0);
	ret = crashhdr_build(&in, buf, len, log);
	iomem_free(&t);
	return ret;
}

static void lab(void **state)
{
	struct log_ctx log;
	size_t len;
	void *buf;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(build(lab_iomem, &lab_crash, &lab_kernel, &lab_pmem, &buf, &len, &log), 0);
	check_header(buf, len, lab_want, NR_LAB_WANT);
	free(buf);

	/* --pmem=none: 2.0.25's header without its backup of the low RAM. */
	assert_int_equal(build(lab_iomem, &lab_crash, &lab_kernel, NULL, &buf, &len, &log), 0);
	check_header(buf, len, lab_want, NR_LAB_WANT - 1);
	free(buf);
	assert_int_equal(log_error_status(&log), 0);
	log_destroy(&log);
}

/* The same through pmem_live_ranges(PMEM_LIVE_ALL) on the same iomem. */
static void lab_pmem_all(void **state)
{
	struct pmem_live pl;
	struct iomem_tree t;
	struct log_ctx log;
	size_t len;
	void *buf;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, lab_iomem, strlen(lab_iomem), &log), 0);
	assert_int_equal(pmem_live_ranges(&pl, &t, NULL, PMEM_LIVE_ALL, &log), 0);
	iomem_free(&t);
	assert_int_equal(build(lab_iomem, &lab_crash, &lab_kernel, &pl, &buf, &len, &log), 0);
	check_header(buf, len, lab_want, NR_LAB_WANT);
	free(buf);
	pmem_live_free(&pl);
	log_destroy(&log);
}

/*
 * crashkernel=256M,high on a 9 GiB machine: two crash ranges, both out of
 * the RAM PT_LOADs. RAM above the pmem comes after it (sorted by address;
 * the kernel lists pmem last). A GART aperture and a kmem range under a
 * second pmem region.
 */
static void high_kmem_gart(void **state)
{
	static const char iomem[] =
		"00001000-0009fbff : System RAM\n"
		"00100000-bffdffff : System RAM\n"
		"  01000000-01e02fff : Kernel code\n"
		"  8f000000-9effffff : Crash kernel\n"
		"  b0000000-b3ffffff : GART\n"
		"100000000-13fffffff : Persistent Memory (legacy)\n"
		"  100000000-13fffffff : namespace0.0\n"
		"140000000-33fffffff : System RAM\n"
		"  32f000000-33effffff : Crash kernel\n"
		"340000000-3bfffffff : Persistent Memory\n"
		"  340000000-3bfffffff : namespace1.0\n"
		"    341200000-3bfffffff : dax1.0\n"
		"      380000000-3bfffffff : System RAM (kmem)\n";
	static struct live_note notes[] = { { 0, 0x33fc1e2c8, 368 } };
	static const struct live_kernel k = {
		.page_offset = 0xffff888000000000,
		.text_vaddr = 0xffffffff81000000,
		.text_paddr = 0x1000000,
		.text_size = 0x2a00000,
		.cpu_notes = notes,
		.nr_cpu_notes = 1,
		.vmcoreinfo_paddr = 0x33ffde000,
		.vmcoreinfo_size = 0x1024,
	};
	static const struct crash_ranges crash = {
		.r = { { 0x8f000000, 0x9f000000 }, { 0x32f000000, 0x33f000000 } },
		.nr = 2,
	};
	static const struct pmem_live_range pr[] = {
		{ 0x100000000, 0x140000000, "Persistent Memory (legacy)" },
		{ 0x340000000, 0x380000000, "Persistent Memory" },
	};
	static const struct pmem_live pmem = { (struct pmem_live_range *)pr, 2 };
	static const struct want want[] = {
		{ PT_NOTE, 0, 0x33fc1e2c8, 0, 368 },
		{ PT_NOTE, 0, 0x33ffde000, 0, 4132 },
		{ PT_LOAD, RWX, 0x1000000, 0xffffffff81000000, 0x2a00000 },
		{ PT_LOAD, RWX, 0x100000, 0xffff888000100000, 0x8ef00000 },
		{ PT_LOAD, RWX, 0x9f000000, 0xffff88809f000000, 0x11000000 },
		{ PT_LOAD, RWX, 0xb4000000, 0xffff8880b4000000, 0xbfe0000 },
		{ PT_LOAD, DEV, 0x100000000, 0xffff888100000000, 0x40000000 },
		{ PT_LOAD, RWX, 0x140000000, 0xffff888140000000, 0x1ef000000 },
		{ PT_LOAD, RWX, 0x33f000000, 0xffff88833f000000, 0x1000000 },
		{ PT_LOAD, DEV, 0x340000000, 0xffff888340000000, 0x40000000 },
		{ PT_LOAD, RWX, 0x380000000, 0xffff888380000000, 0x40000000 },
	};
	struct pmem_live pl;
	struct iomem_tree t;
	struct log_ctx log;
	size_t len;
	void *buf;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(build(iomem, &crash, &k, &pmem, &buf, &len, &log), 0);
	check_header(buf, len, want, sizeof(want) / sizeof(want[0]));
	free(buf);

	/* pmem_live_ranges gives the same two ranges from this iomem. */
	assert_int_equal(iomem_parse(&t, iomem, strlen(iomem), &log), 0);
	assert_int_equal(pmem_live_ranges(&pl, &t, NULL, PMEM_LIVE_ALL, &log), 0);
	iomem_free(&t);
	assert_int_equal(build(iomem, &crash, &k, &pl, &buf, &len, &log), 0);
	check_header(buf, len, want, sizeof(want) / sizeof(want[0]));
	free(buf);
	pmem_live_free(&pl);
	log_destroy(&log);
}

static void failures(void **state)
{
	static const struct pmem_live_range over[] = {
		{ 0x3f000000, 0x41000000, "Persistent Memory" },
	};
	static const struct pmem_live overlap = { (struct pmem_live_range *)over, 1 };
	struct live_kernel k = lab_kernel;
	struct log_ctx log;
	size_t len;
	void *buf;

	(void)state;
	log_init(&log, "test");
	/* Read as non-root: no addresses, so no RAM above 1 MiB. */
	assert_int_equal(build("00000000-00000000 : System RAM\n"
			       "00000000-00000000 : Crash kernel\n", &lab_crash, &lab_kernel,
			       NULL, &buf, &len, &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "run as root"));
	assert_null(buf);
	log_clear_error(&log);

	/* pmem claimed inside System RAM. */
	assert_int_equal(build(lab_iomem, &lab_crash, &lab_kernel, &overlap, &buf, &len, &log),
			 -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "overlap"));
	log_clear_error(&log);

	/* kcore and iomem from two different boots. */
	k.text_paddr = 0x1000000;
	assert_int_equal(build(lab_iomem, &lab_crash, &k, &lab_pmem, &buf, &len, &log),
			 -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "Kernel code"));
	log_clear_error(&log);

	/* A zero-sized note (a kernel that printed 0) never reaches the header. */
	k = lab_kernel;
	k.vmcoreinfo_size = 0;
	assert_int_equal(build(lab_iomem, &lab_crash, &k, &lab_pmem, &buf, &len, &log),
			 -PMD_EINVAL);
	log_destroy(&log);
}

static void print(void **state)
{
	static const char want[] =
		"elfcorehdr: 7 program headers, 456 bytes\n"
		"phdr[0] NOTE paddr 0x000000003fc1dd40 vaddr 0x0000000000000000 size 0x170 ---\n"
		"phdr[1] NOTE paddr 0x000000003fd1dd40 vaddr 0x0000000000000000 size 0x170 ---\n"
		"phdr[2] NOTE paddr 0x00000000010f6000 vaddr 0x0000000000000000 size 0x1024 ---\n"
		"phdr[3] LOAD paddr 0x000000001f600000 vaddr 0xffffffff81800000 size 0x1230000 RWX\n"
		"phdr[4] LOAD paddr 0x0000000000100000 vaddr 0xffff8af3c0100000 size 0x2ef00000 RWX\n"
		"phdr[5] LOAD paddr 0x000000003f000000 vaddr 0xffff8af3ff000000 size 0xfdc000 RWX\n"
		"phdr[6] LOAD paddr 0x0000000100000000 vaddr 0xffff8af4c0000000 size 0x40000000 RWX+DEV\n";
	struct log_ctx log;
	char *out = NULL;
	size_t outlen = 0, len;
	FILE *f;
	void *buf;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(build(lab_iomem, &lab_crash, &lab_kernel, &lab_pmem, &buf, &len, &log), 0);
	f = open_memstream(&out, &outlen);
	assert_non_null(f);
	crashhdr_print(f, buf, len);
	/* A cut-off buffer is named, not read past. */
	crashhdr_print(f, buf, 100);
	crashhdr_print(f, buf, 10);
	fclose(f);
	assert_true(strncmp(out, want, strlen(want)) == 0);
	assert_string_equal(out + strlen(want),
			    "elfcorehdr: 100 bytes, not a whole ELF header\n"
			    "elfcorehdr: 10 bytes, not a whole ELF header\n");
	free(out);
	free(buf);
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab),
		cmocka_unit_test(lab_pmem_all),
		cmocka_unit_test(high_kmem_gart),
		cmocka_unit_test(failures),
		cmocka_unit_test(print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
