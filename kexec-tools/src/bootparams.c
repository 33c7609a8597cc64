// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capture kernel's zero page, command line and setup_data chain, in
 * one segment as the kernel's bzImage64_load() lays them out
 * (arch/x86/kernel/kexec-bzimage64.c), per Documentation/x86/boot.rst.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/bootparams.h"

#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((size_t)(a) - 1))

static size_t e820_ext_bytes(unsigned int nr_e820)
{
	if (nr_e820 <= BOOTPARAMS_E820_MAX)
		return 0;
	return ALIGN_UP(SETUP_DATA_HDR_SIZE +
			(size_t)(nr_e820 - BOOTPARAMS_E820_MAX) * BOOTPARAMS_E820_ENT_SIZE,
			BOOTPARAMS_SETUP_ALIGN);
}

size_t bootparams_size(size_t cmdline_len, unsigned int nr_e820)
{
	return BOOTPARAMS_CMDLINE_OFF + ALIGN_UP(cmdline_len + 1, BOOTPARAMS_SETUP_ALIGN) +
	       e820_ext_bytes(nr_e820) +
	       ALIGN_UP(SETUP_DATA_HDR_SIZE + BOOTPARAMS_RNG_SEED_MAX, BOOTPARAMS_SETUP_ALIGN);
}

/* The kernel's next_arg() (lib/cmdline.c) splits at spaces outside double quotes. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Offset of a "--" word (parse_args() hands the rest to init), or the length. */
static size_t init_args_offset(const char *s)
{
	size_t i = 0, start, len = strlen(s);
	bool quote;

	while (i < len) {
		while (i < len && is_space(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		quote = false;
		while (i < len && (quote || !is_space(s[i]))) {
			if (s[i] == '"')
				quote = !quote;
			i++;
		}
		if ((i - start == 2 && !memcmp(s + start, "--", 2)) ||
		    (i - start == 4 && !memcmp(s + start, "\"--\"", 4)))
			return start;
	}
	return len;
}

int bootparams_cmdline(char **out, const char *user, uint64_t elfcorehdr, uint32_t cmdline_size,
		       struct log_ctx *log)
{
	char arg[BOOTPARAMS_ELFCOREHDR_MAX + 1];
	size_t ulen, at, alen, len;
	bool space_before;
	char *s;

	*out = NULL;
	if (!user)
		user = "";
	ulen = strlen(user);
	at = init_args_offset(user);
	/* Before "--" the word is followed by a space; at the end it needs one before it. */
	space_before = at == ulen && ulen > 0 && !is_space(user[ulen - 1]);
	alen = (size_t)snprintf(arg, sizeof(arg), "%selfcorehdr=0x%" PRIx64 "%s",
				space_before ? " " : "", elfcorehdr, at < ulen ? " " : "");
	len = ulen + alen;
	if (len > cmdline_size)
		return log_fail(log, PMD_EINVAL,
				"the command line with elfcorehdr= is %zu bytes; this kernel takes "
				"at most %" PRIu32, len, cmdline_size);
	s = malloc(len + 1);
	if (!s)
		return log_fail(log, PMD_ENOMEM, "out of memory for the command line");
	memcpy(s, user, at);
	memcpy(s + at, arg, alen);
	memcpy(s + at + alen, user + at, ulen - at);
	s[len] = '\0';
	*out = s;
	return 0;
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

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

static void put_e820(uint8_t *p, size_t off, const struct e820_ent *e)
{
	put64(p, off, e->addr);
	put64(p, off + 8, e->size);
	put32(p, off + 16, e->type);
}

/* Chain a setup_data block at @off: hdr.setup_data, or the previous block's next. */
static void chain_setup_data(uint8_t *buf, size_t *link, size_t off, uint64_t load_addr,
			     uint32_t type, uint32_t len)
{
	put64(buf, *link, load_addr + off);
	put64(buf, off, 0);
	put32(buf, off + 8, type);
	put32(buf, off + 12, len);
	*link = off;	/* next is the block's first field */
}

int bootparams_build(const struct bootparams_in *in, uint8_t **buf, size_t *len,
		     struct log_ctx *log)
{
	const struct bzimage *bz = in->bz;
	const char *cmdline = in->cmdline ? in->cmdline : "";
	unsigned int nr = in->e820 ? in->e820->nr : 0, i, nr_page;
	size_t cmdline_len = strlen(cmdline), off, total, link = BP_SETUP_DATA;
	uint64_t cmdline_addr;
	uint8_t *p;

	*buf = NULL;
	*len = 0;
	if (cmdline_len > bz->cmdline_size)
		return log_fail(log, PMD_EINVAL,
				"the command line is %zu bytes; this kernel takes at most %" PRIu32,
				cmdline_len, bz->cmdline_size);
	if (in->rng_seed && in->rng_seed_len > BOOTPARAMS_RNG_SEED_MAX)
		return log_fail(log, PMD_EINVAL, "an RNG seed of %zu bytes; at most %d are passed",
				in->rng_seed_len, BOOTPARAMS_RNG_SEED_MAX);

	total = BOOTPARAMS_CMDLINE_OFF + ALIGN_UP(cmdline_len + 1, BOOTPARAMS_SETUP_ALIGN) +
		e820_ext_bytes(nr);
	if (in->rng_seed)
		total += ALIGN_UP(SETUP_DATA_HDR_SIZE + in->rng_seed_len, BOOTPARAMS_SETUP_ALIGN);
	p = calloc(1, total);
	if (!p)
		return log_fail(log, PMD_ENOMEM, "out of memory for the zero page");

	/* The header as the file has it; the loader's fields are set after. */
	memcpy(p + BZ_SETUP_HEADER_OFF, bz->file + BZ_SETUP_HEADER_OFF, bz->setup_header_len);
	p[BP_TYPE_OF_LOADER] = BOOTPARAMS_LOADER_KEXEC;
	put64(p, BP_SETUP_DATA, 0);

	cmdline_addr = in->load_addr + BOOTPARAMS_CMDLINE_OFF;
	memcpy(p + BOOTPARAMS_CMDLINE_OFF, cmdline, cmdline_len + 1);
	put32(p, BP_CMD_LINE_PTR, (uint32_t)cmdline_addr);
	put32(p, BP_EXT_CMD_LINE_PTR, (uint32_t)(cmdline_addr >> 32));

	put32(p, BP_RAMDISK_IMAGE, (uint32_t)in->initrd_addr);
	put32(p, BP_EXT_RAMDISK_IMAGE, (uint32_t)(in->initrd_addr >> 32));
	put32(p, BP_RAMDISK_SIZE, (uint32_t)in->initrd_size);
	put32(p, BP_EXT_RAMDISK_SIZE, (uint32_t)(in->initrd_size >> 32));

	put64(p, BP_ACPI_RSDP_ADDR, in->acpi_rsdp);
	put32(p, BP_HARDWARE_SUBARCH, in->hardware_subarch);

	nr_page = nr < BOOTPARAMS_E820_MAX ? nr : BOOTPARAMS_E820_MAX;
	p[BP_E820_ENTRIES] = (uint8_t)nr_page;
	for (i = 0; i < nr_page; i++)
		put_e820(p, BP_E820_TABLE + (size_t)i * BOOTPARAMS_E820_ENT_SIZE, &in->e820->e[i]);

	off = BOOTPARAMS_CMDLINE_OFF + ALIGN_UP(cmdline_len + 1, BOOTPARAMS_SETUP_ALIGN);
	if (nr > BOOTPARAMS_E820_MAX) {
		size_t data = (size_t)(nr - BOOTPARAMS_E820_MAX) * BOOTPARAMS_E820_ENT_SIZE;

		chain_setup_data(p, &link, off, in->load_addr, SETUP_TYPE_E820_EXT,
				 (uint32_t)data);
		for (i = BOOTPARAMS_E820_MAX; i < nr; i++)
			put_e820(p, off + SETUP_DATA_HDR_SIZE +
				 (size_t)(i - BOOTPARAMS_E820_MAX) * BOOTPARAMS_E820_ENT_SIZE,
				 &in->e820->e[i]);
		off += e820_ext_bytes(nr);
	}
	if (in->rng_seed) {
		chain_setup_data(p, &link, off, in->load_addr, SETUP_TYPE_RNG_SEED,
				 (uint32_t)in->rng_seed_len);
		memcpy(p + off + SETUP_DATA_HDR_SIZE, in->rng_seed, in->rng_seed_len);
	}
	*buf = p;
	*len = total;
	return 0;
}

/* Join @root and @path; "" or NULL root is the real root. */
static void root_path(char *out, size_t size, const char *root, const char *path)
{
	snprintf(out, size, "%s%s", root ? root : "", path);
}

static int read_zero_page(const char *path, uint64_t *acpi_rsdp, uint32_t *subarch,
			  struct log_ctx *log)
{
	uint8_t zp[BOOTPARAMS_ZERO_PAGE_SIZE];
	size_t got;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return log_fail(log, PMD_EIO, "%s: %s", path, strerror(errno));
	}
	got = fread(zp, 1, sizeof(zp), f);
	if (ferror(f)) {
		fclose(f);
		return log_fail(log, PMD_EIO, "%s: read error", path);
	}
	fclose(f);
	if (got < BP_HARDWARE_SUBARCH + 4)
		return log_fail(log, PMD_ECORRUPT, "%s: %zu bytes, a zero page has %d", path, got,
				BOOTPARAMS_ZERO_PAGE_SIZE);
	memcpy(acpi_rsdp, zp + BP_ACPI_RSDP_ADDR, sizeof(*acpi_rsdp));
	memcpy(subarch, zp + BP_HARDWARE_SUBARCH, sizeof(*subarch));
	return 0;
}

/* "0x<hex>" and the end of the line. */
static bool parse_hex_value(const char *val, uint64_t *v)
{
	char *end;

	if (strncmp(val, "0x", 2) || !isxdigit((unsigned char)val[2]))
		return false;
	errno = 0;
	*v = strtoull(val + 2, &end, 16);
	return errno == 0 && (*end == '\0' || *end == '\n');
}

/* "KEY=0x<hex>" lines, as efi.c's systab_show() prints them. */
static int read_systab(const char *path, uint64_t *acpi_rsdp, struct log_ctx *log)
{
	uint64_t acpi20 = 0, acpi = 0, *v;
	char line[256];
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return log_fail(log, PMD_EIO, "%s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		const char *val;

		if (!strncmp(line, "ACPI20=", 7)) {
			v = &acpi20;
			val = line + 7;
		} else if (!strncmp(line, "ACPI=", 5)) {
			v = &acpi;
			val = line + 5;
		} else {
			continue;
		}
		if (!parse_hex_value(val, v)) {
			fclose(f);
			line[strcspn(line, "\n")] = '\0';
			return log_fail(log, PMD_ECORRUPT, "%s: bad line \"%.64s\"", path, line);
		}
	}
	if (ferror(f)) {
		fclose(f);
		return log_fail(log, PMD_EIO, "%s: read error", path);
	}
	fclose(f);
	*acpi_rsdp = acpi20 ? acpi20 : acpi;
	return 0;
}

int bootparams_read_firmware(const char *root, uint64_t *acpi_rsdp, uint32_t *subarch,
			     struct log_ctx *log)
{
	char path[4096];
	int ret;

	*acpi_rsdp = 0;
	*subarch = 0;
	root_path(path, sizeof(path), root, "/sys/kernel/boot_params/data");
	ret = read_zero_page(path, acpi_rsdp, subarch, log);
	if (ret || *acpi_rsdp)
		return ret;
	root_path(path, sizeof(path), root, "/sys/firmware/efi/systab");
	return read_systab(path, acpi_rsdp, log);
}
