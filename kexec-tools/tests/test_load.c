// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A whole capture-kernel load on a saved machine: the lab guest's
 * /proc/iomem, CPU notes, VMCOREINFO and /proc/kcore in a fake root, a
 * bzImage made from the lab kernel's setup header. The expected addresses
 * are worked out by hand from the placement rules (doc/kexec-design.md §3):
 * top-down from the end of the crash range 0x2f000000-0x3effffff.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../lib/util/tests/fakeroot.h"
#include "kabi/pmem_kdump.h"
#include "src/bootparams.h"
#include "src/load.h"
#include "util/sha256.h"

#ifndef KEXEC_TEST_DATA
#error "KEXEC_TEST_DATA must name kexec-tools/tests/data"
#endif
#ifndef KERNEL_TEST_DATA
#error "KERNEL_TEST_DATA must name lib/kernel/tests/data"
#endif

#define PAGE_OFFSET	0xffff8af3c0000000ull
#define CRASH_START	0x2f000000ull
#define CRASH_END	0x3f000000ull	/* exclusive */

struct machine {
	char *root;
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];
	struct log_ctx log;
	struct kexec_opts o;
};

static void copy_file(const char *from, const char *root, const char *rel)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(from, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fake_write_len(root, rel, buf, n);
}

/*
 * A bzImage: 31 setup sectors after the boot sector, the lab kernel's setup
 * header at 0x1f1 (version 2.15, 2 MiB alignment, init_size 0x1515000,
 * cmdline_size 2047), then 3 MiB of "kernel".
 */
static void make_bzimage(const char *root, const char *rel)
{
	size_t setup = 32 * 512, size = setup + (3u << 20);
	uint8_t *img = calloc(1, size), hdr[123];
	FILE *f;

	assert_non_null(img);
	f = fopen(KERNEL_TEST_DATA "/lab-bzimage-setup-header.bin", "rb");
	assert_non_null(f);
	assert_int_equal(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	fclose(f);
	memcpy(img + 0x1f1, hdr, sizeof(hdr));
	for (size_t i = setup; i < size; i++)
		img[i] = (uint8_t)(i * 7);
	fake_write_len(root, rel, img, size);
	free(img);
}

static const struct fake_kphdr lab_kcore[] = {
	{ PT_LOAD, 0xffffffff8e600000ull, 0xe600000, 0x1200000 },
	{ PT_LOAD, 0xffffb53ec0000000ull, FAKE_NO_PADDR, 0x1fffffffffffull },
	{ PT_LOAD, PAGE_OFFSET + 0x1000, 0x1000, 0x9f000 },
	{ PT_LOAD, PAGE_OFFSET + 0x100000, 0x100000, 0x3fedc000 },
};

static int lab_machine(void **state)
{
	struct machine *m = calloc(1, sizeof(*m));
	uint8_t initrd[1 << 16];

	assert_non_null(m);
	m->root = fake_root_new();
	copy_file(KEXEC_TEST_DATA "/lab-first.iomem", m->root, "proc/iomem");
	fake_write(m->root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda crashkernel=256M\n");
	fake_write(m->root, "sys/devices/system/cpu/possible", "0-1\n");
	fake_write(m->root, "sys/devices/system/cpu/cpu0/crash_notes", "3fc1dd40\n");
	fake_write(m->root, "sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
	fake_write(m->root, "sys/devices/system/cpu/cpu1/crash_notes", "3fd1dd40\n");
	fake_write(m->root, "sys/devices/system/cpu/cpu1/crash_notes_size", "368\n");
	fake_write(m->root, "sys/kernel/vmcoreinfo", "0x00000000010f6000 1024\n");
	fake_write(m->root, "sys/kernel/kexec_crash_size", "268435456\n");
	fake_kcore(m->root, lab_kcore, sizeof(lab_kcore) / sizeof(lab_kcore[0]));
	make_bzimage(m->root, "boot/bzImage");
	memset(initrd, 0xa5, sizeof(initrd));
	fake_write_len(m->root, "boot/initrd", initrd, sizeof(initrd));
	snprintf(m->kernel, sizeof(m->kernel), "%s/boot/bzImage", m->root);
	snprintf(m->initrd, sizeof(m->initrd), "%s/boot/initrd", m->root);

	log_init(&m->log, "test");
	m->log.level = 0;
	m->o.action = KEXEC_ACT_LOAD;
	m->o.panic = true;
	m->o.kernel = m->kernel;
	m->o.initrd = m->initrd;
	m->o.cmdline = "root=/dev/vda console=ttyS0";
	m->o.pmem = PMEM_LIVE_ALL;
	m->o.sysroot = m->root;
	*state = m;
	return 0;
}

static int machine_free(void **state)
{
	struct machine *m = *state;

	log_destroy(&m->log);
	fake_root_free(m->root);
	free(m);
	return 0;
}

static void rmdir_rel(const char *root, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(rmdir(path), 0);
}

static uint64_t le64_at(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint32_t le32_at(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void whole_load(void **state)
{
	struct machine *m = *state;
	struct kexec_load ld;
	const struct kexec_seg *s;
	const Elf64_Phdr *ph;
	const struct purgatory_params *pp;
	static const uint32_t kinds[] = { PURGATORY_REGION_KERNEL, PURGATORY_REGION_INITRD,
					  PURGATORY_REGION_BOOTPARAMS,
					  PURGATORY_REGION_ELFCOREHDR };
	static const enum kexec_seg_id segs[] = { SEG_KERNEL, SEG_INITRD, SEG_BOOTPARAMS,
						  SEG_ELFCOREHDR };

	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), 0);
	assert_int_equal(ld.nr_seg, 5);

	/* 7 program headers (3 notes, text, 2 RAM, pmem): 456 bytes, the top page. */
	s = &ld.seg[SEG_ELFCOREHDR];
	assert_int_equal(s->bufsz, 64 + 7 * 56);
	assert_int_equal(s->mem, 0x3efff000);
	assert_int_equal(s->memsz, 0x1000);
	ph = (const Elf64_Phdr *)((const uint8_t *)s->buf + 64);
	assert_int_equal(ph[6].p_type, PT_LOAD);
	assert_int_equal(ph[6].p_paddr, 0x100000000ull);
	assert_int_equal(ph[6].p_memsz, 0x40000000ull);
	assert_int_equal(ph[6].p_flags, PF_R | PF_W | PF_X | PMD_PF_DEV);
	assert_int_equal(ph[6].p_vaddr, PAGE_OFFSET + 0x100000000ull);

	/*
	 * Kernel: init_size 0x1515000 at the highest 2 MiB boundary that ends
	 * below the zero page and purgatory (a few pages under 0x3efff000):
	 * 0x3efff000 - 0x1515000 = 0x3daea000, aligned down 0x3da00000.
	 */
	s = &ld.seg[SEG_KERNEL];
	assert_int_equal(s->mem, 0x3da00000);
	assert_int_equal(s->memsz, 0x1515000);
	assert_int_equal(s->bufsz, 3u << 20);
	/* The 64 KiB initrd right below it. */
	assert_int_equal(ld.seg[SEG_INITRD].mem, 0x3d9f0000);
	assert_int_equal(ld.seg[SEG_INITRD].memsz, 0x10000);
	/* Purgatory and zero page between the kernel's end and the header. */
	for (int i = SEG_PURGATORY; i <= SEG_BOOTPARAMS; i++) {
		s = &ld.seg[i];
		assert_true(s->mem >= 0x3da00000 + 0x1515000);
		assert_true(s->mem + s->memsz <= 0x3efff000);
		assert_int_equal(s->mem & 0xfff, 0);
		assert_true(s->bufsz <= s->memsz);
	}
	assert_true(ld.seg[SEG_PURGATORY].mem >= ld.seg[SEG_BOOTPARAMS].mem +
						  ld.seg[SEG_BOOTPARAMS].memsz);
	for (unsigned int i = 0; i < ld.nr_seg; i++)
		assert_true(ld.seg[i].mem >= CRASH_START + ld.reserve);
	assert_true(ld.entry >= ld.seg[SEG_PURGATORY].mem &&
		    ld.entry < ld.seg[SEG_PURGATORY].mem + ld.seg[SEG_PURGATORY].memsz);

	/* The command line, and the zero page that points at it. */
	assert_string_equal(ld.cmdline, "root=/dev/vda console=ttyS0 elfcorehdr=0x3efff000");
	s = &ld.seg[SEG_BOOTPARAMS];
	assert_int_equal(le32_at(s->buf, BP_CMD_LINE_PTR), s->mem + BOOTPARAMS_CMDLINE_OFF);
	assert_string_equal((const char *)s->buf + BOOTPARAMS_CMDLINE_OFF, ld.cmdline);
	assert_int_equal(le32_at(s->buf, BP_RAMDISK_IMAGE), 0x3d9f0000);
	assert_int_equal(le32_at(s->buf, BP_RAMDISK_SIZE), 0x10000);
	assert_int_equal(((const uint8_t *)s->buf)[BP_TYPE_OF_LOADER], BOOTPARAMS_LOADER_KEXEC);
	/* The crash range is RAM but for the header's page (kept for /proc/vmcore). */
	assert_int_equal(((const uint8_t *)s->buf)[BP_E820_ENTRIES], 9);
	assert_int_equal(le64_at(s->buf, BP_E820_TABLE + 4 * 20), 0x2f000000);
	assert_int_equal(le64_at(s->buf, BP_E820_TABLE + 4 * 20 + 8), 0xffff000);
	assert_int_equal(le32_at(s->buf, BP_E820_TABLE + 4 * 20 + 16), 1);
	assert_int_equal(le64_at(s->buf, BP_E820_TABLE + 7 * 20), 0x100000000ull);
	assert_int_equal(le32_at(s->buf, BP_E820_TABLE + 7 * 20 + 16), 7);

	/* The purgatory's parameters: entry state and one digest per segment. */
	pp = purgatory_params_of(&ld.purgatory);
	assert_true(pp->magic == PURGATORY_MAGIC);
	assert_int_equal(pp->kernel_entry, 0x3da00200);
	assert_int_equal(pp->boot_params, ld.seg[SEG_BOOTPARAMS].mem);
	assert_int_equal(pp->serial_port, 0x3f8);
	assert_int_equal(pp->nr_regions, 4);
	for (unsigned int i = 0; i < 4; i++) {
		struct sha256_ctx ctx;
		uint8_t want[32];

		s = &ld.seg[segs[i]];
		assert_int_equal(pp->regions[i].kind, kinds[i]);
		assert_int_equal(pp->regions[i].start, s->mem);
		assert_int_equal(pp->regions[i].len, s->memsz);
		sha256_init(&ctx);
		sha256_update(&ctx, s->buf, s->bufsz);
		for (uint64_t z = s->bufsz; z < s->memsz; z++)
			sha256_update(&ctx, "", 1);
		sha256_final(&ctx, want);
		assert_memory_equal(pp->regions[i].sha256, want, 32);
	}
	kexec_load_free(&ld);
}

/* --debug-corrupt: the kernel segment no longer matches its digest. */
static void corrupted_kernel(void **state)
{
	struct machine *m = *state;
	struct kexec_load ld;
	const struct purgatory_params *pp;
	uint8_t got[32];
	struct sha256_ctx ctx;
	const struct kexec_seg *s;

	m->o.debug_corrupt = "kernel";
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), 0);
	pp = purgatory_params_of(&ld.purgatory);
	s = &ld.seg[SEG_KERNEL];
	sha256_init(&ctx);
	sha256_update(&ctx, s->buf, s->bufsz);
	sha256_update_zeros(&ctx, s->memsz - s->bufsz);
	sha256_final(&ctx, got);
	assert_int_equal(pp->regions[0].kind, PURGATORY_REGION_KERNEL);
	assert_memory_not_equal(pp->regions[0].sha256, got, 32);
	kexec_load_free(&ld);

	m->o.debug_corrupt = "purgatory";
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EINVAL);
	kexec_load_free(&ld);
}

/* --pmem=none and --pmem=memmap change only the PF_DEV program headers. */
static void pmem_modes(void **state)
{
	struct machine *m = *state;
	struct kexec_load ld;
	const Elf64_Phdr *ph;

	m->o.pmem = PMEM_LIVE_NONE;
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), 0);
	assert_int_equal(ld.elfhdr_len, 64 + 6 * 56);
	kexec_load_free(&ld);

	/* fsdax map=dev as in the lab: namespace at 4 GiB, data at 0x101200000. */
	fake_write(m->root, "sys/bus/nd/devices/namespace0.0/resource", "0x100000000\n");
	fake_write(m->root, "sys/bus/nd/devices/pfn0.1/resource", "0x101200000\n");
	fake_write(m->root, "sys/bus/nd/devices/pfn0.1/mode", "pmem\n");
	fake_write(m->root, "sys/bus/nd/devices/pfn0.1/namespace", "namespace0.0\n");
	fake_mkdir(m->root, "sys/bus/nd/drivers/nd_pmem");
	fake_symlink(m->root, "sys/bus/nd/devices/pfn0.1/driver", "../../drivers/nd_pmem");
	m->o.pmem = PMEM_LIVE_MEMMAP;
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), 0);
	assert_int_equal(ld.elfhdr_len, 64 + 7 * 56);
	ph = (const Elf64_Phdr *)((const uint8_t *)ld.elfhdr + 64);
	assert_int_equal(ph[6].p_paddr, 0x100000000ull);
	assert_int_equal(ph[6].p_memsz, 0x1200000);
	assert_int_equal(ph[6].p_flags, PF_R | PF_W | PF_X | PMD_PF_DEV);
	kexec_load_free(&ld);
}

static void refusals(void **state)
{
	struct machine *m = *state;
	struct kexec_load ld;
	uint8_t big[4096] = { 0 };

	/* No crash kernel: EUNSUPPORTED and no range (the caller exits 1). */
	fake_write(m->root, "proc/iomem", "00001000-0009fbff : System RAM\n"
					  "00100000-3ffdbfff : System RAM\n");
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EUNSUPPORTED);
	assert_int_equal(ld.crash.nr, 0);
	kexec_load_free(&ld);
	log_clear_error(&m->log);

	/* kexec_crash_size must be the same range as /proc/iomem's. */
	copy_file(KEXEC_TEST_DATA "/lab-first.iomem", m->root, "proc/iomem");
	fake_write(m->root, "sys/kernel/kexec_crash_size", "134217728\n");
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_ECORRUPT);
	kexec_load_free(&ld);
	log_clear_error(&m->log);
	fake_write(m->root, "sys/kernel/kexec_crash_size", "268435456\n");

	/* Not a bzImage. */
	fake_write_len(m->root, "boot/bzImage", big, sizeof(big));
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_ENOTFMT);
	kexec_load_free(&ld);
	log_clear_error(&m->log);
	make_bzimage(m->root, "boot/bzImage");

	/* An initrd larger than the reservation: the exact figures, nothing loaded. */
	{
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/boot/initrd", m->root);
		fd = open(path, O_WRONLY | O_TRUNC);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, 300 << 20), 0);
		close(fd);
	}
	/* Refused before it is read (the reservation is 256 MiB). */
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&m->log), "314572800 bytes needed, 268435456 available"));
	assert_non_null(strstr(log_error_text(&m->log), "alone is larger"));
	assert_null(ld.initrd);
	kexec_load_free(&ld);
	log_clear_error(&m->log);
	/* Smaller than the range, too big with the other segments: the plan says so. */
	{
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), "%s/boot/initrd", m->root);
		fd = open(path, O_WRONLY | O_TRUNC);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (256 << 20) - 4096), 0);
		close(fd);
	}
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&m->log), "bytes needed"));
	assert_non_null(strstr(log_error_text(&m->log), "is the first left out"));
	kexec_load_free(&ld);
	log_clear_error(&m->log);

	/* An empty initrd is an error of its own. */
	fake_write(m->root, "boot/initrd", "");
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&m->log) + strlen(log_error_text(&m->log)) - 9,
			    " is empty");
	kexec_load_free(&ld);
}

/*
 * A kernel for kexec -e (-l without -s): in the largest System RAM range
 * below 4 GiB, 0x100000-0x3ffdbfff, top-down; the firmware's e820 as it is;
 * no crash header, no elfcorehdr=.
 */
static void normal_load(void **state)
{
	static const char *const fw[][3] = {
		{ "0x0", "0x9fbff", "System RAM" },
		{ "0x9fc00", "0x9ffff", "Reserved" },
		{ "0xf0000", "0xfffff", "Reserved" },
		{ "0x100000", "0x3ffdbfff", "System RAM" },
		{ "0x3ffdc000", "0x3fffffff", "Reserved" },
		{ "0xfffc0000", "0xffffffff", "Reserved" },
		{ "0x100000000", "0x13fffffff", "Persistent Memory (legacy)" },
	};
	struct machine *m = *state;
	struct kexec_load ld;
	const struct kexec_seg *s;
	char rel[64];

	for (unsigned int i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
		static const char *const field[] = { "start", "end", "type" };

		for (unsigned int f = 0; f < 3; f++) {
			snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/%s", i, field[f]);
			fake_write(m->root, rel, fw[i][f]);
		}
	}
	m->o.panic = false;
	m->o.normal = true;
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), 0);
	assert_int_equal(ld.nr_seg, 4);
	assert_int_equal(ld.seg[SEG_ELFCOREHDR].memsz, 0);
	assert_string_equal(ld.cmdline, "root=/dev/vda console=ttyS0");
	/* Purgatory and zero page at the top, the kernel at the 2 MiB boundary below. */
	assert_true(ld.seg[SEG_PURGATORY].mem + ld.seg[SEG_PURGATORY].memsz == 0x3ffdc000);
	assert_int_equal(ld.seg[SEG_KERNEL].mem, 0x3ea00000);
	assert_int_equal(ld.seg[SEG_INITRD].mem, 0x3e9f0000);
	s = &ld.seg[SEG_BOOTPARAMS];
	assert_int_equal(((const uint8_t *)s->buf)[BP_E820_ENTRIES], 7);
	assert_int_equal(le64_at(s->buf, BP_E820_TABLE + 3 * 20), 0x100000);
	assert_int_equal(le64_at(s->buf, BP_E820_TABLE + 3 * 20 + 8), 0x3fedc000);
	assert_int_equal(le32_at(s->buf, BP_E820_TABLE + 3 * 20 + 16), 1);
	assert_int_equal(le32_at(s->buf, BP_E820_TABLE + 6 * 20 + 16), 12);
	assert_int_equal(purgatory_params_of(&ld.purgatory)->nr_regions, 3);
	kexec_load_free(&ld);

	/* Without the firmware map: a clear refusal. */
	fake_unlink(m->root, "sys/firmware/memmap/0/start");
	fake_unlink(m->root, "sys/firmware/memmap/0/end");
	fake_unlink(m->root, "sys/firmware/memmap/0/type");
	rmdir_rel(m->root, "sys/firmware/memmap/0");
	assert_int_equal(kexec_load_build(&ld, &m->o, &m->log), -PMD_EUNSUPPORTED);
	kexec_load_free(&ld);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(whole_load, lab_machine, machine_free),
		cmocka_unit_test_setup_teardown(corrupted_kernel, lab_machine, machine_free),
		cmocka_unit_test_setup_teardown(pmem_modes, lab_machine, machine_free),
		cmocka_unit_test_setup_teardown(refusals, lab_machine, machine_free),
		cmocka_unit_test_setup_teardown(normal_load, lab_machine, machine_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
