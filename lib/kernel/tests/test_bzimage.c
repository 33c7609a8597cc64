// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bzImage setup header: each refusal of the kernel's bzImage64_probe()
 * and ours, the fields a load uses, and the header alone as pmem-kdump
 * check reads it. Offsets and flags are written by
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

#include "kernel/bzimage.h"
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

/* The header fields image() writes. */
static const struct bzimage synthetic = {
	.protocol = 0x020f, .setup_sects = 4, .loadflags = 0x01, .xloadflags = 0x63,
	.relocatable = 1, .kernel_alignment = 0x200000, .init_size = 0x1000000,
	.cmdline_size = 2047, .pref_address = 0x1000000,
};

/* Each field read from the setup header is @want's. */
static void assert_header(const struct bzimage *bz, const struct bzimage *want)
{
	assert_int_equal(bz->protocol, want->protocol);
	assert_int_equal(bz->setup_sects, want->setup_sects);
	assert_int_equal(bz->loadflags, want->loadflags);
	assert_int_equal(bz->xloadflags, want->xloadflags);
	assert_int_equal(bz->relocatable, want->relocatable);
	assert_int_equal(bz->kernel_alignment, want->kernel_alignment);
	assert_int_equal(bz->init_size, want->init_size);
	assert_int_equal(bz->cmdline_size, want->cmdline_size);
	assert_int_equal(bz->pref_address, want->pref_address);
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

/* The first HEADER_REFUSALS rows are bzimage_header()'s refusals too. */
#define HEADER_REFUSALS 4
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
		if (i < HEADER_REFUSALS) {
			/* The header alone is refused alike, and nothing is kept. */
			log_clear_error(&log);
			assert_int_equal(bzimage_header(&bz, p, r->size, &log), r->status);
			assert_string_equal(log_error_text(&log), r->text);
			assert_null(bz.file);
		}
		log_destroy(&log);
		free(p);
	}
}

static void fields_read(void **state)
{
	uint8_t *p = image(8192);
	struct bzimage bz, want = synthetic;
	struct log_ctx log;

	(void)state;
	put32(p, 0x25c, 0x1);			/* pref_address high half */
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, 8192, true, &log), 0);
	assert_int_equal(log_error_status(&log), 0);
	assert_ptr_equal(bz.file, p);
	assert_int_equal(bz.file_size, 8192);
	want.pref_address = 0x101000000ull;
	assert_header(&bz, &want);
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

/*
 * The header alone, from its first 1024 bytes: bzimage_parse()'s refusals
 * beyond the first ones (each_refusal) are not its business; no kernel,
 * no header length.
 */
static void header_only(void **state)
{
	uint8_t *p = image(1024);
	struct bzimage bz, want = synthetic;
	struct log_ctx log;

	(void)state;
	p[0x201] = 0;				/* header "ends" at 0x202 */
	p[0x211] = 0;				/* a zImage */
	put16(p, 0x236, 0);			/* not 64-bit */
	put32(p, 0x230, 0x300000);		/* alignment no power of two */
	p[0x1f1] = 31;				/* setup sectors beyond the bytes */
	log_init(&log, "test");
	assert_int_equal(bzimage_header(&bz, p, 1024, &log), 0);
	assert_int_equal(log_error_status(&log), 0);
	assert_ptr_equal(bz.file, p);
	assert_int_equal(bz.file_size, 1024);
	want.setup_sects = 31;
	want.loadflags = 0;
	want.xloadflags = 0;
	want.kernel_alignment = 0x300000;
	assert_header(&bz, &want);
	assert_int_equal(bz.setup_header_len, 0);
	assert_null(bz.kernel);
	assert_int_equal(bz.kernel_size, 0);
	/* bzimage_parse() of the same bytes names its first refusal. */
	assert_int_equal(bzimage_parse(&bz, p, 1024, false, &log), -PMD_ENOTFMT);
	assert_string_equal(log_error_text(&log),
			    "not a bzImage: a zImage (loadflags 0x00 lacks LOADED_HIGH)");
	log_destroy(&log);
	free(p);
}

/* A field newer than the header's boot protocol reads 0. */
static void header_fields_by_protocol(void **state)
{
	static const struct {
		uint16_t protocol;
		bool alignment, cmdline, init_size, xloadflags;
	} cases[] = {
		{ 0x0204, false, false, false, false },
		{ 0x0205, true, false, false, false },
		{ 0x0206, true, true, false, false },
		{ 0x0209, true, true, false, false },
		{ 0x020a, true, true, true, false },	/* 2.10: init_size */
		{ 0x020b, true, true, true, false },
		{ 0x020c, true, true, true, true },	/* 2.12: xloadflags */
		{ 0x020f, true, true, true, true },
	};
	uint8_t *p = image(4096);
	struct bzimage bz;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bzimage want = synthetic;

		put16(p, 0x206, cases[i].protocol);
		print_message("protocol 0x%04x\n", cases[i].protocol);
		want.protocol = cases[i].protocol;
		if (!cases[i].alignment)
			want.kernel_alignment = want.relocatable = 0;
		if (!cases[i].cmdline)
			want.cmdline_size = 0;
		if (!cases[i].init_size)
			want.init_size = want.pref_address = 0;
		if (!cases[i].xloadflags)
			want.xloadflags = 0;
		assert_int_equal(bzimage_header(&bz, p, 4096, &log), 0);
		assert_header(&bz, &want);
	}
	assert_int_equal(log_error_status(&log), 0);
	log_destroy(&log);
	free(p);
}

/* The lab kernel's own setup header (saved bytes 0x1f1-0x26b) in a synthetic file. */
static void lab_header(void **state)
{
	size_t size = 32 * 512 + 65536, got;
	uint8_t *p = calloc(1, size);
	struct bzimage bz, want = synthetic;
	struct log_ctx log;
	FILE *f;

	(void)state;
	assert_non_null(p);
	f = fopen(KERNEL_TEST_DATA "/lab-bzimage-setup-header.bin", "rb");
	assert_non_null(f);
	got = fread(p + 0x1f1, 1, 0x100, f);
	fclose(f);
	assert_int_equal(got, 0x7b);
	log_init(&log, "test");
	assert_int_equal(bzimage_parse(&bz, p, size, false, &log), 0);
	/* As the synthetic header but for its setup sectors and init_size. */
	want.setup_sects = 31;
	want.init_size = 0x1515000;
	assert_header(&bz, &want);
	assert_int_equal(bz.setup_header_len, 0x7b);
	assert_ptr_equal(bz.kernel, p + 16384);
	assert_int_equal(bz.kernel_size, 65536);
	/* It can boot with 5-level paging: XLF_5LEVEL (0x20) is set. */
	assert_int_equal(bzimage_parse(&bz, p, size, true, &log), 0);
	/* Its first 1024 bytes alone give the same header (pmem-kdump check). */
	assert_int_equal(bzimage_header(&bz, p, BZ_HEAD_SIZE, &log), 0);
	assert_header(&bz, &want);
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
		cmocka_unit_test(header_only),
		cmocka_unit_test(header_fields_by_protocol),
		cmocka_unit_test(lab_header),
		cmocka_unit_test(lab_bzimage_file),
		cmocka_unit_test(installed_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
