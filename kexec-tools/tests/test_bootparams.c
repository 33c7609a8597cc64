// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The zero page segment: bytes at the offsets of struct boot_params
 * (arch/x86/include/uapi/asm/bootparam.h), written here by hand, the
 * setup_data chain, the command line, the size bound, and the firmware
 * values read from a saved /sys tree.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/bzimage.h"
#include "src/bootparams.h"
#include "src/sysmem.h"
#include "util/log.h"

static uint16_t get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	return get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, size_t off)
{
	return get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

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

#define IMAGE_SIZE 8192

/* A bzImage64 header (4 setup sectors, header to 0x26c) and marker bytes around it. */
static uint8_t *image(void)
{
	uint8_t *p = malloc(IMAGE_SIZE);

	assert_non_null(p);
	memset(p, 0x5a, IMAGE_SIZE);		/* nothing outside the header may leak */
	memset(p + 0x1f1, 0, 0x7b);
	p[0x1f1] = 4;
	put16(p, 0x1fe, 0xaa55);
	p[0x200] = 0xeb;
	p[0x201] = 0x6a;
	memcpy(p + 0x202, "HdrS", 4);
	put16(p, 0x206, 0x020f);
	p[0x211] = 0x81;			/* LOADED_HIGH | CAN_USE_HEAP: kept */
	put32(p, 0x230, 0x200000);
	p[0x234] = 1;
	put16(p, 0x236, 0x63);
	put32(p, 0x238, 64);			/* a short cmdline_size for the tests */
	put32(p, 0x250, 0xdeadbeef);		/* setup_data in the file: replaced */
	put32(p, 0x260, 0x1000000);
	return p;
}

static void parse(struct bzimage *bz, const uint8_t *p, struct log_ctx *log)
{
	assert_int_equal(bzimage_parse(bz, p, IMAGE_SIZE, false, log), 0);
}

static void zero_page_fields(void **state)
{
	static struct e820_ent ents[] = {
		{ 0x0, 0x1000, 2 },
		{ 0x1000, 0x9ec00, 1 },
		{ 0x2f000000, 0xffff000, 1 },
	};
	const struct e820_map e820 = { ents, 3, 3 };
	const char *cmdline = "console=ttyS0 elfcorehdr=0x3efff000";
	uint8_t *p = image(), *b;
	struct bootparams_in in = {
		.e820 = &e820,
		.cmdline = cmdline,
		.load_addr = 0x3eff7000,
		.initrd_addr = 0x13bc00000,	/* above 4 GiB: ext_ half 1 */
		.initrd_size = 0x1e00000,
		.acpi_rsdp = 0xf59c0,
		.hardware_subarch = 0,
	};
	struct bzimage bz;
	struct log_ctx log;
	size_t len, i;

	(void)state;
	log_init(&log, "test");
	parse(&bz, p, &log);
	in.bz = &bz;
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	/* 4096 + strlen 35 + NUL = 4132, 8-aligned 4136, no setup_data. */
	assert_int_equal(len, 4136);
	assert_true(len <= bootparams_size(strlen(cmdline), 3));

	/* Zero below the header, except the fields the loader sets. */
	for (i = 0; i < 0x1f1; i++)
		if (i < 0x070 || i >= 0x078)
			if (i < 0x0c0 || i >= 0x0cc)
				if (i != 0x1e8)
					assert_int_equal(b[i], 0);
	/* The header as the file has it, over 0x7b bytes, then zero. */
	assert_int_equal(b[0x1f1], 4);
	assert_memory_equal(b + 0x202, "HdrS", 4);
	assert_int_equal(get16(b, 0x1fe), 0xaa55);
	assert_int_equal(get16(b, 0x206), 0x020f);
	assert_int_equal(b[0x211], 0x81);
	assert_int_equal(get32(b, 0x230), 0x200000);
	assert_int_equal(get32(b, 0x260), 0x1000000);
	for (i = 0x26c; i < 0x2d0; i++)
		assert_int_equal(b[i], 0);

	assert_int_equal(b[0x210], 0xd0);			/* type_of_loader */
	assert_int_equal(get32(b, 0x228), 0x3eff8000);		/* cmd_line_ptr */
	assert_int_equal(get32(b, 0x0c8), 0);			/* ext_cmd_line_ptr */
	assert_int_equal(get32(b, 0x218), 0x3bc00000);		/* ramdisk_image */
	assert_int_equal(get32(b, 0x0c0), 1);			/* ext_ramdisk_image */
	assert_int_equal(get32(b, 0x21c), 0x1e00000);		/* ramdisk_size */
	assert_int_equal(get32(b, 0x0c4), 0);			/* ext_ramdisk_size */
	assert_int_equal(get64(b, 0x070), 0xf59c0);		/* acpi_rsdp_addr */
	assert_int_equal(get32(b, 0x23c), 0);			/* hardware_subarch */
	assert_int_equal(get64(b, 0x250), 0);			/* setup_data */

	assert_int_equal(b[0x1e8], 3);				/* e820_entries */
	assert_int_equal(get64(b, 0x2d0), 0x0);
	assert_int_equal(get64(b, 0x2d8), 0x1000);
	assert_int_equal(get32(b, 0x2e0), 2);
	assert_int_equal(get64(b, 0x2e4), 0x1000);
	assert_int_equal(get64(b, 0x2ec), 0x9ec00);
	assert_int_equal(get32(b, 0x2f4), 1);
	assert_int_equal(get64(b, 0x2f8), 0x2f000000);
	assert_int_equal(get64(b, 0x300), 0xffff000);
	assert_int_equal(get32(b, 0x308), 1);
	for (i = 0x30c; i < 0x1000; i++)
		assert_int_equal(b[i], 0);

	assert_string_equal((const char *)b + 4096, cmdline);
	for (i = 4096 + 35; i < len; i++)
		assert_int_equal(b[i], 0);
	free(b);
	free(p);
	log_destroy(&log);
}

/* A segment above 4 GiB and a large initrd: the high halves. */
static void high_halves(void **state)
{
	const struct e820_map e820 = { NULL, 0, 0 };
	uint8_t *p = image(), *b;
	struct bootparams_in in = {
		.e820 = &e820,
		.cmdline = "",
		.load_addr = 0x13fff7000,
		.initrd_addr = 0x12c000000,
		.initrd_size = 0x100001000,
		.hardware_subarch = 1,
	};
	struct bzimage bz;
	struct log_ctx log;
	size_t len;

	(void)state;
	log_init(&log, "test");
	parse(&bz, p, &log);
	in.bz = &bz;
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	assert_int_equal(len, 4104);
	assert_int_equal(get32(b, 0x228), 0x3fff8000);
	assert_int_equal(get32(b, 0x0c8), 1);
	assert_int_equal(get32(b, 0x218), 0x2c000000);
	assert_int_equal(get32(b, 0x0c0), 1);
	assert_int_equal(get32(b, 0x21c), 0x1000);
	assert_int_equal(get32(b, 0x0c4), 1);
	assert_int_equal(get32(b, 0x23c), 1);
	assert_int_equal(b[0x1e8], 0);
	assert_int_equal(b[4096], 0);
	free(b);
	free(p);
	log_destroy(&log);
}

/* 130 entries: 128 in the zero page, 2 in SETUP_E820_EXT, then the RNG seed. */
static void e820_ext_chain(void **state)
{
	struct e820_ent ents[130];
	struct e820_map e820 = { ents, 130, 130 };
	uint8_t seed[32], *p = image(), *b;
	struct bootparams_in in = {
		.e820 = &e820,
		.cmdline = "abc",
		.load_addr = 0x3eff7000,
	};
	struct bzimage bz;
	struct log_ctx log;
	size_t len, i;

	(void)state;
	for (i = 0; i < 130; i++)
		ents[i] = (struct e820_ent){ 0x100000000ull + i * 0x2000, 0x1000, 2 };
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)(0xa0 + i);
	log_init(&log, "test");
	parse(&bz, p, &log);
	in.bz = &bz;

	/* Without a seed: one block at 4096 + 8 = 4104, 16 + 40 bytes. */
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	assert_int_equal(len, 4104 + 56);
	assert_true(len <= bootparams_size(3, 130));
	assert_int_equal(b[0x1e8], 128);
	assert_int_equal(get64(b, 0x2d0 + 127 * 20), 0x100000000ull + 127 * 0x2000);
	assert_int_equal(get64(b, 0x250), 0x3eff7000 + 4104);
	assert_int_equal(get64(b, 4104), 0);			/* next */
	assert_int_equal(get32(b, 4104 + 8), 1);		/* SETUP_E820_EXT */
	assert_int_equal(get32(b, 4104 + 12), 40);		/* len */
	assert_int_equal(get64(b, 4120), 0x100000000ull + 128 * 0x2000);
	assert_int_equal(get64(b, 4128), 0x1000);
	assert_int_equal(get32(b, 4136), 2);
	assert_int_equal(get64(b, 4140), 0x100000000ull + 129 * 0x2000);
	assert_int_equal(get64(b, 4148), 0x1000);
	assert_int_equal(get32(b, 4156), 2);
	free(b);

	/* With a seed: chained after the e820 block, 8-aligned at 4160. */
	in.rng_seed = seed;
	in.rng_seed_len = sizeof(seed);
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	assert_int_equal(len, 4160 + 48);
	assert_int_equal(len, bootparams_size(3, 130));
	assert_int_equal(get64(b, 0x250), 0x3eff7000 + 4104);
	assert_int_equal(get64(b, 4104), 0x3eff7000 + 4160);
	assert_int_equal(get64(b, 4160), 0);
	assert_int_equal(get32(b, 4168), 9);			/* SETUP_RNG_SEED */
	assert_int_equal(get32(b, 4172), 32);
	assert_memory_equal(b + 4176, seed, 32);
	free(b);

	/* 128 entries and a seed: the seed alone, from setup_data. */
	e820.nr = 128;
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	assert_int_equal(len, 4104 + 48);
	assert_int_equal(get64(b, 0x250), 0x3eff7000 + 4104);
	assert_int_equal(get32(b, 4104 + 8), 9);
	free(b);

	in.rng_seed_len = 33;
	assert_int_equal(bootparams_build(&in, &b, &len, &log), -PMD_EINVAL);
	assert_null(b);
	assert_string_equal(log_error_text(&log), "an RNG seed of 33 bytes; at most 32 are passed");
	free(p);
	log_destroy(&log);
}

static void cmdline_too_long(void **state)
{
	const struct e820_map e820 = { NULL, 0, 0 };
	char line[66];
	uint8_t *p = image(), *b;
	struct bootparams_in in = { .e820 = &e820, .cmdline = line };
	struct bzimage bz;
	struct log_ctx log;
	size_t len;

	(void)state;
	memset(line, 'x', 65);
	line[65] = '\0';
	log_init(&log, "test");
	parse(&bz, p, &log);
	in.bz = &bz;
	assert_int_equal(bootparams_build(&in, &b, &len, &log), -PMD_EINVAL);
	assert_null(b);
	assert_int_equal(len, 0);
	assert_string_equal(log_error_text(&log),
			    "the command line is 65 bytes; this kernel takes at most 64");
	log_clear_error(&log);
	line[64] = '\0';		/* cmdline_size excludes the NUL: 64 fits */
	assert_int_equal(bootparams_build(&in, &b, &len, &log), 0);
	assert_int_equal(len, 4096 + 72);
	assert_int_equal(b[4096 + 64], 0);
	free(b);
	free(p);
	log_destroy(&log);
}

static void size_bound(void **state)
{
	(void)state;
	/* 4096 + align8(len + 1) + e820 block + 48 (seed block) */
	assert_int_equal(bootparams_size(0, 0), 4096 + 8 + 48);
	assert_int_equal(bootparams_size(7, 128), 4096 + 8 + 48);
	assert_int_equal(bootparams_size(8, 128), 4096 + 16 + 48);
	assert_int_equal(bootparams_size(100, 129), 4096 + 104 + 40 + 48);
	assert_int_equal(bootparams_size(100, 130), 4096 + 104 + 56 + 48);
	assert_int_equal(bootparams_size(2047, 255), 4096 + 2048 + 2560 + 48);
}

static void cmdline_compose(void **state)
{
	static const struct {
		const char *user;
		uint64_t addr;
		const char *want;
	} cases[] = {
		{ "console=ttyS0 reset_devices", 0x3efff000,
		  "console=ttyS0 reset_devices elfcorehdr=0x3efff000" },
		{ NULL, 0x3efff000, "elfcorehdr=0x3efff000" },
		{ "", 0x13ffff000, "elfcorehdr=0x13ffff000" },
		{ "a ", 0x1000, "a elfcorehdr=0x1000" },
		{ "root=/dev/vda -- single", 0x3efff000,
		  "root=/dev/vda elfcorehdr=0x3efff000 -- single" },
		{ "-- single", 0x2000, "elfcorehdr=0x2000 -- single" },
		{ "x \"--\" y", 0x2000, "x elfcorehdr=0x2000 \"--\" y" },
		{ "x=\"a -- b\" --- y", 0x2000, "x=\"a -- b\" --- y elfcorehdr=0x2000" },
		{ "a\t--\tb", 0x2000, "a\telfcorehdr=0x2000 --\tb" },
	};
	struct log_ctx log;
	unsigned int i;
	char *s;

	(void)state;
	log_init(&log, "test");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(bootparams_cmdline(&s, cases[i].user, cases[i].addr, 2047, &log),
				 0);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
	/* "a b elfcorehdr=0x3efff000" is 25 bytes: 25 fits, 24 does not. */
	assert_int_equal(bootparams_cmdline(&s, "a b", 0x3efff000, 25, &log), 0);
	free(s);
	assert_int_equal(bootparams_cmdline(&s, "a b", 0x3efff000, 24, &log), -PMD_EINVAL);
	assert_null(s);
	assert_string_equal(log_error_text(&log),
			    "the command line with elfcorehdr= is 25 bytes; "
			    "this kernel takes at most 24");
	assert_true(strlen(" elfcorehdr=0xffffffffffffffff") == BOOTPARAMS_ELFCOREHDR_MAX);
	log_destroy(&log);
}

/* A fake root: <root>/sys/kernel/boot_params/data and <root>/sys/firmware/efi/systab. */
static void mkdirs(const char *root, const char *sub)
{
	char path[256], *s;

	snprintf(path, sizeof(path), "%s/%s", root, sub);
	for (s = path + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0700);
			*s = '/';
		}
	}
	mkdir(path, 0700);
}

static void write_file(const char *root, const char *sub, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, sub);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void remove_path(const char *root, const char *sub, bool dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, sub);
	if (dir)
		rmdir(path);
	else
		unlink(path);
}

static void firmware(void **state)
{
	char root[] = "/tmp/test_bootparams.XXXXXX";
	uint8_t zp[4096] = { 0 };
	uint64_t rsdp;
	uint32_t subarch;
	struct log_ctx log;
	static const char systab[] = "SMBIOS=0x7f8f1000\nACPI20=0x7fb7e014\nACPI=0x7fb7e000\n";
	static const char systab_v1[] = "ACPI=0x7fb7e000\n";

	(void)state;
	assert_non_null(mkdtemp(root));
	mkdirs(root, "sys/kernel/boot_params");
	mkdirs(root, "sys/firmware/efi");
	log_init(&log, "test");

	/* Nothing there: zeros, no error. */
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), 0);
	assert_int_equal(rsdp, 0);
	assert_int_equal(subarch, 0);

	/* The lab's zero page: acpi_rsdp_addr 0xf59c0 at 0x70, subarch 0 at 0x23c. */
	zp[0x70] = 0xc0;
	zp[0x71] = 0x59;
	zp[0x72] = 0x0f;
	zp[0x23c] = 2;				/* X86_SUBARCH_XEN, to see it read */
	write_file(root, "sys/kernel/boot_params/data", zp, sizeof(zp));
	write_file(root, "sys/firmware/efi/systab", systab, strlen(systab));
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), 0);
	assert_int_equal(rsdp, 0xf59c0);
	assert_int_equal(subarch, 2);

	/* acpi_rsdp_addr 0: ACPI20= of the systab, then ACPI=. */
	memset(zp + 0x70, 0, 8);
	write_file(root, "sys/kernel/boot_params/data", zp, sizeof(zp));
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), 0);
	assert_int_equal(rsdp, 0x7fb7e014);
	write_file(root, "sys/firmware/efi/systab", systab_v1, strlen(systab_v1));
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), 0);
	assert_int_equal(rsdp, 0x7fb7e000);

	write_file(root, "sys/firmware/efi/systab", "ACPI20=7fb7e014\n", 16);
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "bad line \"ACPI20=7fb7e014\""));
	log_clear_error(&log);
	write_file(root, "sys/firmware/efi/systab", "ACPI=0x12zz\n", 12);
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), -PMD_ECORRUPT);
	log_clear_error(&log);

	/* A short zero page. */
	write_file(root, "sys/kernel/boot_params/data", zp, 0x23f);
	assert_int_equal(bootparams_read_firmware(root, &rsdp, &subarch, &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "575 bytes, a zero page has 4096"));

	remove_path(root, "sys/kernel/boot_params/data", false);
	remove_path(root, "sys/firmware/efi/systab", false);
	remove_path(root, "sys/kernel/boot_params", true);
	remove_path(root, "sys/kernel", true);
	remove_path(root, "sys/firmware/efi", true);
	remove_path(root, "sys/firmware", true);
	remove_path(root, "sys", true);
	assert_int_equal(rmdir(root), 0);
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_page_fields),
		cmocka_unit_test(high_halves),
		cmocka_unit_test(e820_ext_chain),
		cmocka_unit_test(cmdline_too_long),
		cmocka_unit_test(size_bound),
		cmocka_unit_test(cmdline_compose),
		cmocka_unit_test(firmware),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
