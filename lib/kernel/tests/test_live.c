// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/live.h"
#include "util/log.h"
#include "util/tests/fakeroot.h"

/*
 * The lab guest (kernel series, 2 CPUs, 1 GiB) as far as its logs show it:
 * /sys/kernel/vmcoreinfo from first.vmcoreinfo.log, the text segment and
 * the direct map base from the kexec_file vmcore's program headers
 * (vmcore.phdrs: text 0xffffffff81800000 at 0x1f600000, size 0x1230000;
 * RAM 0x100000 at 0xffff8af3c0100000). The crash_notes addresses were not
 * logged: these two, one percpu unit (1 MiB, dmesg) apart, are made up.
 */
#define LAB_PAGE_OFFSET 0xffff8af3c0000000ull
#define LAB_TEXT_VADDR 0xffffffff81800000ull
#define LAB_TEXT_PADDR 0x1f600000ull
#define LAB_TEXT_SIZE 0x1230000ull
/* The lab's kcore: text, vmalloc, modules, then RAM below 640 KiB and above 1 MiB. */
static const struct fake_kphdr lab_kcore[] = {
	{ PT_LOAD, LAB_TEXT_VADDR, LAB_TEXT_PADDR, LAB_TEXT_SIZE },
	{ PT_LOAD, 0xffffb53ec0000000ull, FAKE_NO_PADDR, 0x1fffffffffffull },
	{ PT_LOAD, 0xffffffffc0000000ull, FAKE_NO_PADDR, 0x3f000000 },
	{ PT_LOAD, LAB_PAGE_OFFSET + 0x1000, 0x1000, 0x9f000 },
	{ PT_LOAD, 0xffffe57f40000000ull, FAKE_NO_PADDR, 0x1000 },
	{ PT_LOAD, LAB_PAGE_OFFSET + 0x100000, 0x100000, 0x3fedc000 },
	{ PT_LOAD, 0xffffe57f40004000ull, FAKE_NO_PADDR, 0xffc000 },
};
#define NR_LAB_KCORE (sizeof(lab_kcore) / sizeof(lab_kcore[0]))

static char *lab_root(void)
{
	char *root = fake_root_new();

	fake_write(root, "sys/devices/system/cpu/possible", "0-1\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes", "3fc1dd40\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
	fake_write(root, "sys/devices/system/cpu/cpu1/crash_notes", "3fd1dd40\n");
	fake_write(root, "sys/devices/system/cpu/cpu1/crash_notes_size", "368\n");
	fake_write(root, "sys/kernel/vmcoreinfo", "0x00000000010f6000 1024\n");
	fake_kcore(root, lab_kcore, NR_LAB_KCORE);
	return root;
}

static void lab_machine(void **state)
{
	char *root = lab_root();
	struct live_kernel lk;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(live_kernel_read(&lk, root, &log), 0);
	assert_int_equal(log_error_status(&log), 0);
	assert_true(lk.page_offset == LAB_PAGE_OFFSET);
	assert_false(lk.la57);
	assert_true(lk.text_vaddr == LAB_TEXT_VADDR);
	assert_true(lk.text_paddr == LAB_TEXT_PADDR);
	assert_true(lk.text_size == LAB_TEXT_SIZE);
	assert_int_equal(lk.nr_cpu_notes, 2);
	assert_int_equal(lk.cpu_notes[0].cpu, 0);
	assert_true(lk.cpu_notes[0].paddr == 0x3fc1dd40);
	assert_true(lk.cpu_notes[0].size == 368);
	assert_int_equal(lk.cpu_notes[1].cpu, 1);
	assert_true(lk.cpu_notes[1].paddr == 0x3fd1dd40);
	assert_true(lk.cpu_notes[1].size == 368);
	assert_true(lk.vmcoreinfo_paddr == 0x10f6000);
	assert_true(lk.vmcoreinfo_size == 4132);
	live_kernel_free(&lk);
	assert_null(lk.cpu_notes);
	log_destroy(&log);
	fake_root_free(root);
}

/*
 * Possible CPUs that are not present have no cpuN folder; a kernel before
 * crash_notes_size (3.13) gets kexec-tools' 1024 bytes; 5-level paging.
 */
static void sparse_cpus_la57(void **state)
{
	static const struct fake_kphdr kcore[] = {
		{ PT_LOAD, 0xffffffff8e600000ull, 0xe600000, 0x2c00000 },
		{ PT_LOAD, 0xff4dfa2e40100000ull, 0x100000, 0x7fee0000 },
		{ PT_LOAD, 0xff4dfa2f40000000ull, 0x100000000, 0x80000000 },
	};
	char *root = fake_root_new();
	struct live_kernel lk;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	fake_write(root, "sys/devices/system/cpu/possible", "0-3,8\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes", "7dc1e2c8\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
	fake_mkdir(root, "sys/devices/system/cpu/cpu1");	/* no kexec attributes */
	fake_write(root, "sys/devices/system/cpu/cpu8/crash_notes", "17dc1e2c8\n");
	fake_write(root, "sys/kernel/vmcoreinfo", "0x000000017ffde000 1024\n");
	fake_kcore(root, kcore, 3);
	assert_int_equal(live_kernel_read(&lk, root, &log), 0);
	assert_true(lk.page_offset == 0xff4dfa2e40000000ull);
	assert_true(lk.la57);
	assert_true(lk.text_vaddr == 0xffffffff8e600000ull);
	assert_true(lk.text_paddr == 0xe600000);
	assert_true(lk.text_size == 0x2c00000);
	assert_int_equal(lk.nr_cpu_notes, 2);
	assert_int_equal(lk.cpu_notes[0].cpu, 0);
	assert_true(lk.cpu_notes[0].paddr == 0x7dc1e2c8 && lk.cpu_notes[0].size == 368);
	assert_int_equal(lk.cpu_notes[1].cpu, 8);
	assert_true(lk.cpu_notes[1].paddr == 0x17dc1e2c8 && lk.cpu_notes[1].size == 1024);
	assert_true(lk.vmcoreinfo_paddr == 0x17ffde000 && lk.vmcoreinfo_size == 0x1024);
	live_kernel_free(&lk);
	log_destroy(&log);
	fake_root_free(root);
}

/* Start from the lab's tree, break one thing, expect the error and its words. */
static void expect_failure(void (*breakit)(const char *root), int status, const char *words)
{
	char *root = lab_root();
	struct live_kernel lk;
	struct log_ctx log;

	log_init(&log, "test");
	breakit(root);
	assert_int_equal(live_kernel_read(&lk, root, &log), -status);
	assert_int_equal(log_error_status(&log), status);
	if (!strstr(log_error_text(&log), words))
		fail_msg("'%s' lacks '%s'", log_error_text(&log), words);
	assert_null(lk.cpu_notes);
	assert_int_equal(lk.nr_cpu_notes, 0);
	log_destroy(&log);
	fake_root_free(root);
}

static void no_possible(const char *r)
{
	fake_unlink(r, "sys/devices/system/cpu/possible");
}

static void bad_possible(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/possible", "0-x\n");
}

static void bad_notes(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/cpu1/crash_notes", "0x3fd1dd40 junk\n");
}

static void zero_notes(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/cpu1/crash_notes", "0\n");
}

static void bad_notes_size(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/cpu0/crash_notes_size", "-368\n");
}

static void huge_notes_size(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/cpu0/crash_notes_size", "4294967296\n");
}

static void wrapping_notes(const char *r)
{
	fake_write(r, "sys/devices/system/cpu/cpu0/crash_notes", "ffffffffffffff00\n");
}

static void no_notes(const char *r)
{
	fake_unlink(r, "sys/devices/system/cpu/cpu0/crash_notes");
	fake_unlink(r, "sys/devices/system/cpu/cpu1/crash_notes");
}

static void no_vmcoreinfo(const char *r)
{
	fake_unlink(r, "sys/kernel/vmcoreinfo");
}

static void bad_vmcoreinfo(const char *r)
{
	fake_write(r, "sys/kernel/vmcoreinfo", "10f6000 1024\n");
}

static void zero_vmcoreinfo(const char *r)
{
	fake_write(r, "sys/kernel/vmcoreinfo", "0x0000000000000000 1024\n");
}

static void no_kcore(const char *r)
{
	fake_unlink(r, "proc/kcore");
}

static void text_kcore(const char *r)
{
	fake_write(r, "proc/kcore",
		   "not an ELF file at all, but long enough to hold a header........");
}

static void disagreeing_kcore(const char *r)
{
	struct fake_kphdr k[NR_LAB_KCORE];

	memcpy(k, lab_kcore, sizeof(k));
	k[5].vaddr += 0x40000000;	/* the second RAM segment 1 GiB off */
	fake_kcore(r, k, NR_LAB_KCORE);
}

static void textless_kcore(const char *r)
{
	fake_kcore(r, lab_kcore + 1, NR_LAB_KCORE - 1);
}

static void ramless_kcore(const char *r)
{
	fake_kcore(r, lab_kcore, 3);
}

static void user_base_kcore(const char *r)
{
	struct fake_kphdr k[2] = { lab_kcore[0], { PT_LOAD, 0x100000, 0x100000, 0x1000 } };

	fake_kcore(r, k, 2);
}

static void huge_text_kcore(const char *r)
{
	struct fake_kphdr k[NR_LAB_KCORE];

	memcpy(k, lab_kcore, sizeof(k));
	k[0].size = 0x40000000;		/* past the image mapping's end */
	fake_kcore(r, k, NR_LAB_KCORE);
}

static void failures(void **state)
{
	(void)state;
	expect_failure(no_possible, PMD_EIO, "sys/devices/system/cpu/possible");
	expect_failure(bad_possible, PMD_ECORRUPT, "not a cpu list");
	expect_failure(bad_notes, PMD_ECORRUPT, "cpu1/crash_notes");
	expect_failure(zero_notes, PMD_ECORRUPT, "address 0");
	expect_failure(bad_notes_size, PMD_ECORRUPT, "crash_notes_size");
	expect_failure(huge_notes_size, PMD_ECORRUPT, "implausible size");
	expect_failure(wrapping_notes, PMD_ECORRUPT, "wrap");
	expect_failure(no_notes, PMD_EUNSUPPORTED, "without kexec support");
	expect_failure(no_vmcoreinfo, PMD_EIO, "sys/kernel/vmcoreinfo");
	expect_failure(bad_vmcoreinfo, PMD_ECORRUPT, "address size");
	expect_failure(zero_vmcoreinfo, PMD_ECORRUPT, "implausible note");
	expect_failure(no_kcore, PMD_EIO, "proc/kcore");
	expect_failure(text_kcore, PMD_ENOTFMT, "not an ELF file");
	expect_failure(disagreeing_kcore, PMD_ECORRUPT, "disagree on the base");
	expect_failure(textless_kcore, PMD_ECORRUPT, "no kernel text segment");
	expect_failure(ramless_kcore, PMD_ECORRUPT, "no direct map segment");
	expect_failure(user_base_kcore, PMD_ECORRUPT, "is not a kernel address");
	expect_failure(huge_text_kcore, PMD_ECORRUPT, "kernel text segment at");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab_machine),
		cmocka_unit_test(sparse_cpus_la57),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
