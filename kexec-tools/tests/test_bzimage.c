// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bzImage setup header: each refusal of the kernel's bzImage64_probe()
 * and ours, and the fields a load uses. Offsets and flags are written by
 * hand from Documentation/x86/boot.rst and
 * arch/x86/include/uapi/asm/bootparam.h.
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/bzimage.h"
#include "util/log.h"

#define LAB_BZIMAGE "/var/cache/pmemdump/kernel/5bbbd34ab0b71f10/bzImage"

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

/*
 * A synthetic image of @size bytes (zeroed) with a header like the lab
 * kernel's: protocol 2.15, LOADED_HIGH, xloadflags 0x63 (KERNEL_64,
 * ABOVE_4G, 5LEVEL, 5LEVEL_ENABLED), 2 MiB alignment, cmdline_size 2047,
 * init_size 16 MiB, pref_address 16 MiB, 4 setup sectors, jump 0x6a.
 */
static uint8_t *image(size_t size)
{
	uint8_t *p = calloc(1, size < 0x300 ? 0x300 : size);

	assert_non_null(p);
	p[0x1f1] = 4;				/* setup_sects */
	put16(p, 0x1fe, 0xaa55);		/* boot_flag */
	p[0x200] = 0xeb;			/* jmp short */
	p[0x201] = 0x6a;			/* to 0x26c: header ends there */
	memcpy(p + 0x202, "HdrS", 4);
	put16(p, 0x206, 0x020f);		/* version */
	p[0x211] = 0x01;			/* loadflags: LOADED_HIGH */
	put32(p, 0x230, 0x200000);		/* kernel_alignment */
	p[0x234] = 1;				/* relocatable_kernel */
	put16(p, 0x236, 0x63);			/* xloadflags */
	put32(p, 0x238, 2047);			/* cmdline_size */
	put32(p, 0x258, 0x1000000);		/* pref_address (low half) */
	put32(p, 0x260, 0x1000000);		/* init_size */
	return p;
}

struct refusal {
	const char *what;
	size_t size;
	size_t off;		/* byte to change, 0: none */
	unsigned int width;	/* 1, 2 or 4 */
	uint32_t value;
	bool need_5level;
	int status;
	const char *text;
};

static const struct refusal refusals[] = {
	{ "short", 1023, 0, 0, 0, false, -PMD_ENOTFMT,
	  "not a bzImage: 1023 bytes, a bzImage has at least 1024" },
	{ "empty", 0, 0, 0, 0, false, -PMD_ENOTFMT,
	  "not a bzImage: 0 bytes, a bzImage has at least 1024" },
	{ "no HdrS", 8192, 0x202, 4, 0x53726449, false, -PMD_ENOTFMT,
	  "not a bzImage: no \"HdrS\" at 0x202" },
	{ "no 0xAA55", 8192, 0x1fe, 2, 0x55aa, false, -PMD_ENOTFMT,
	  "not a bzImage: no boot sector flag 0xAA55 at 0x1fe" },
	{ "protocol 2.11", 8192, 0x206, 2, 0x020b, false, -PMD_ENOTFMT,
	  "not a bzImage64: boot protocol 2.11, at least 2.12 is needed" },
	{ "zImage", 8192, 0x211, 1, 0x80, false, -PMD_ENOTFMT,
	  "not a bzImage: a zImage (loadflags 0x80 lacks LOADED_HIGH)" },
	{ "no KERNEL_64", 8192, 0x236, 2, 0x62, false, -PMD_EUNSUPPORTED,
	  "not a 64-bit kernel: xloadflags 0x0062 lacks XLF_KERNEL_64" },
	{ "no ABOVE_4G", 8192, 0x236, 2, 0x61, false, -PMD_EUNSUPPORTED,
	  "not a 64-bit kernel: xloadflags 0x0061 lacks XLF_CAN_BE_LOADED_ABOVE_4G" },
	{ "no 5LEVEL", 8192, 0x236, 2, 0x03, true, -PMD_EUNSUPPORTED,
	  "this kernel cannot boot with 5-level paging, which is on: "
	  "xloadflags 0x0003 lacks XLF_5LEVEL" },
	{ "truncated", 2560, 0, 0, 0, false, -PMD_ECORRUPT,
	  "bzImage truncated: 2560 bytes, its 4 setup sectors and boot sector take 2560" },
	{ "31 sectors", 8192, 0x1f1, 1, 31, false, -PMD_ECORRUPT,
	  "bzImage truncated: 8192 bytes, its 31 setup sectors and boot sector take 16384" },
	{ "short header", 8192, 0x201, 1, 0x61, false, -PMD_ECORRUPT,
	  "bzImage setup header ends at 0x263, before the end of init_size (0x264)" },
	{ "alignment", 8192, 0x230, 4, 0x300000, false, -PMD_ECORRUPT,
	  "bzImage kernel_alignment 0x300000 is not a power of two" },
	{ "alignment 0", 8192, 0x230, 4, 0, false, -PMD_ECORRUPT,
	  "bzImage kernel_alignment 0x0 is not a power of two" },
	{ "init_size", 8192, 0x260, 4, 0x1000, false, -PMD_ECORRUPT,
	  "bzImage init_size 0x1000 is smaller than its 0x1600 bytes of kernel" },
};

static void each_refusal(void **state)
{
	struct bzimage bz;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		uint8_t *p = image(r->size);

		if (r->width == 1)
			p[r->off] = (uint8_t)r->value;
		else if (r->width == 2)
			put16(p, r->off, (uint16_t)r->value);
		else if (r->width == 4)
			put32(p, r->off, r->value);
		log_init(&log, "test");
		print_message("%s\n", r->what);
		assert_int_equal(bzimage_parse(&bz, p, r->size, r->need_5level, &log), r->status);
		assert_int_equal(log_error_status(&log), -r->status);
		assert_string_equal(log_error_text(&log), r->text);
		log_destroy(&log);
		free(p);
	}
}

static void fields_read(void **state)
{
	uint8_t *p = image(8192);
	struct bzimage bz;
	struct log_ctx log;

	(void)state;
	put32(p, 0x25c, 0x1);			/* pref_address high half */
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, 8192, true, &log), 0);
	assert_int_equal(log_error_status(&log), 0);
	assert_ptr_equal(bz.file, p);
	assert_int_equal(bz.file_size, 8192);
	assert_int_equal(bz.protocol, 0x020f);
	assert_int_equal(bz.setup_sects, 4);
	assert_int_equal(bz.loadflags, 0x01);
	assert_int_equal(bz.xloadflags, 0x63);
	assert_int_equal(bz.relocatable, 1);
	assert_int_equal(bz.kernel_alignment, 0x200000);
	assert_int_equal(bz.init_size, 0x1000000);
	assert_int_equal(bz.cmdline_size, 2047);
	assert_int_equal(bz.pref_address, 0x101000000ull);
	assert_int_equal(bz.setup_header_len, 0x7b);	/* 0x202 + 0x6a - 0x1f1 */
	assert_ptr_equal(bz.kernel, p + 2560);		/* (4 + 1) * 512 */
	assert_int_equal(bz.kernel_size, 8192 - 2560);
	log_destroy(&log);
	free(p);
}

static void setup_sects_zero_means_four(void **state)
{
	uint8_t *p = image(4096);
	struct bzimage bz;
	struct log_ctx log;

	(void)state;
	p[0x1f1] = 0;
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, 4096, false, &log), 0);
	assert_int_equal(bz.setup_sects, 0);
	assert_ptr_equal(bz.kernel, p + 2560);
	assert_int_equal(bz.kernel_size, 4096 - 2560);
	/* One sector: the kernel starts at 1024. */
	p[0x1f1] = 1;
	assert_int_equal(bzimage_parse(&bz, p, 4096, false, &log), 0);
	assert_ptr_equal(bz.kernel, p + 1024);
	assert_int_equal(bz.kernel_size, 3072);
	/* The smallest file that parses: two sectors and one kernel byte. */
	assert_int_equal(bzimage_parse(&bz, p, 1025, false, &log), 0);
	assert_int_equal(bz.kernel_size, 1);
	assert_int_equal(bzimage_parse(&bz, p, 1024, false, &log), -PMD_ECORRUPT);
	log_destroy(&log);
	free(p);
}

static void header_length(void **state)
{
	static const struct {
		uint8_t jump;
		size_t len;
	} cases[] = {
		{ 0x62, 0x73 },		/* through init_size exactly (0x264) */
		{ 0x6a, 0x7b },		/* 6.1: through kernel_info_offset (0x26c) */
		{ 0x8e, 0x9f },		/* up to 0x290, the room in boot_params */
		{ 0x8f, 0x9f },		/* capped */
		{ 0xff, 0x9f },
	};
	uint8_t *p = image(4096);
	struct bzimage bz;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p[0x201] = cases[i].jump;
		assert_int_equal(bzimage_parse(&bz, p, 4096, false, &log), 0);
		assert_int_equal(bz.setup_header_len, cases[i].len);
	}
	log_destroy(&log);
	free(p);
}

/* Without 5-level paging, a kernel lacking XLF_5LEVEL is fine. */
static void five_level_only_when_needed(void **state)
{
	uint8_t *p = image(4096);
	struct bzimage bz;
	struct log_ctx log;

	(void)state;
	put16(p, 0x236, 0x03);
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, 4096, false, &log), 0);
	put16(p, 0x236, 0x23);
	assert_int_equal(bzimage_parse(&bz, p, 4096, true, &log), 0);
	assert_int_equal(log_error_status(&log), 0);
	log_destroy(&log);
	free(p);
}

/* The lab kernel's own setup header (saved bytes 0x1f1-0x26b) in a synthetic file. */
static void lab_header(void **state)
{
	size_t size = 32 * 512 + 65536, got;
	uint8_t *p = calloc(1, size);
	struct bzimage bz;
	struct log_ctx log;
	FILE *f;

	(void)state;
	assert_non_null(p);
	f = fopen(KEXEC_TEST_DATA "/lab-bzimage-setup-header.bin", "rb");
	assert_non_null(f);
	got = fread(p + 0x1f1, 1, 0x100, f);
	fclose(f);
	assert_int_equal(got, 0x7b);
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, size, false, &log), 0);
	assert_int_equal(bz.protocol, 0x020f);
	assert_int_equal(bz.setup_sects, 31);
	assert_int_equal(bz.loadflags, 0x01);
	assert_int_equal(bz.xloadflags, 0x63);
	assert_int_equal(bz.relocatable, 1);
	assert_int_equal(bz.kernel_alignment, 0x200000);
	assert_int_equal(bz.cmdline_size, 2047);
	assert_int_equal(bz.pref_address, 0x1000000);
	assert_int_equal(bz.init_size, 0x1515000);
	assert_int_equal(bz.setup_header_len, 0x7b);
	assert_ptr_equal(bz.kernel, p + 16384);
	assert_int_equal(bz.kernel_size, 65536);
	/* It can boot with 5-level paging: XLF_5LEVEL (0x20) is set. */
	assert_int_equal(bzimage_parse(&bz, p, size, true, &log), 0);
	log_destroy(&log);
	free(p);
}

static uint8_t *read_all(const char *path, size_t *size)
{
	uint8_t *p = NULL;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)len);
		if (p && fread(p, 1, (size_t)len, f) != (size_t)len) {
			free(p);
			p = NULL;
		}
		*size = (size_t)len;
	}
	fclose(f);
	return p;
}

/* The whole lab bzImage, when this host has it. */
static void lab_bzimage_file(void **state)
{
	struct bzimage bz;
	struct log_ctx log;
	size_t size = 0;
	uint8_t *p = read_all(LAB_BZIMAGE, &size);

	(void)state;
	if (!p)
		skip();
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, size, false, &log), 0);
	assert_int_equal(size, 4916224);
	assert_int_equal(bz.setup_sects, 31);
	assert_int_equal(bz.kernel_size, 4916224 - 16384);
	assert_int_equal(bz.init_size, 0x1515000);
	assert_int_equal(bz.kernel_alignment, 0x200000);
	log_destroy(&log);
	free(p);
}

/* Debian's installed kernels, when there are any: each must be a bzImage64. */
static void installed_kernels(void **state)
{
	struct bzimage bz;
	struct log_ctx log;
	glob_t g;
	size_t i;

	(void)state;
	if (glob("/boot/vmlinuz-*", 0, NULL, &g) != 0)
		skip();
	log_init(&log, "test");
	for (i = 0; i < g.gl_pathc; i++) {
		size_t size = 0;
		uint8_t *p = read_all(g.gl_pathv[i], &size);

		if (!p)
			continue;	/* 0600 as non-root */
		print_message("%s\n", g.gl_pathv[i]);
		assert_int_equal(bzimage_parse(&bz, p, size, false, &log), 0);
		assert_true(bz.protocol >= 0x020c);
		assert_int_equal(bz.xloadflags & 3, 3);
		assert_true(bz.init_size >= bz.kernel_size);
		free(p);
	}
	log_destroy(&log);
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_refusal),
		cmocka_unit_test(fields_read),
		cmocka_unit_test(setup_sects_zero_means_four),
		cmocka_unit_test(header_length),
		cmocka_unit_test(five_level_only_when_needed),
		cmocka_unit_test(lab_header),
		cmocka_unit_test(lab_bzimage_file),
		cmocka_unit_test(installed_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
