// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One capture-kernel load for kexec_load(2), in the order its pieces
 * depend on each other: sizes first (the crash header, purgatory, zero
 * page, kernel, initrd), then the placement, then the contents that name
 * addresses (elfcorehdr= on the command line, the e820 that keeps the
 * header, the zero page, the relocated purgatory), and the digests last.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kabi/pmem_kdump.h"
#include "kernel/bzimage.h"
#include "kernel/live.h"
#include "pmem/live.h"
#include "src/bootparams.h"
#include "src/crashhdr.h"
#include "src/load.h"
#include "util/sha256.h"
#include "util/sysfs.h"

#define PAGE_SIZE_4K	4096ull
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
/* The first kernel's console, where the purgatory reports a bad segment. */
#define PURGATORY_SERIAL_PORT	0x3f8
/* Kernel images are placed at or above 1 MiB (boot protocol). */
#define KERNEL_MIN_ADDR		(1ull << 20)

const char *const kexec_seg_names[SEG_NR] = {
	[SEG_ELFCOREHDR] = "elfcorehdr",
	[SEG_PURGATORY] = "purgatory",
	[SEG_BOOTPARAMS] = "bootparams",
	[SEG_KERNEL] = "kernel",
	[SEG_INITRD] = "initrd",
};

static const char *root_of(const struct kexec_opts *o)
{
	return o->sysroot ? o->sysroot : "";
}

int kexec_read_file(const char *path, const char *what, uint8_t **buf, size_t *size,
		    struct log_ctx *log)
{
	struct stat st;
	uint8_t *data;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot open %s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return log_fail(log, PMD_EINVAL, "%s %s is not a regular file", what, path);
	}
	/* Segments are at most half of RAM (the kernel's rule); 4 GiB is plenty. */
	if ((uint64_t)st.st_size > (4ull << 30)) {
		close(fd);
		return log_fail(log, PMD_EINVAL, "%s %s is too large (%lld bytes)", what, path,
				(long long)st.st_size);
	}
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data) {
		close(fd);
		return log_fail(log, PMD_ENOMEM, "no memory for %s %s", what, path);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, (size_t)st.st_size - done);

		if (n <= 0) {
			free(data);
			close(fd);
			return log_fail(log, PMD_EIO, "cannot read %s %s: %s", what, path,
					n ? strerror(errno) : "file shrank while read");
		}
		done += (size_t)n;
	}
	close(fd);
	*buf = data;
	*size = done;
	return 0;
}

/* Append @word to @out (capacity @cap), with a blank before it. */
static int cmdline_add(char *out, size_t cap, const char *word, size_t len)
{
	size_t used = strlen(out);

	if (used + !!used + len + 1 > cap)
		return -1;
	if (used)
		out[used++] = ' ';
	memcpy(out + used, word, len);
	out[used + len] = '\0';
	return 0;
}

char *kexec_base_cmdline(const struct kexec_opts *o, struct log_ctx *log)
{
	size_t cap = 2 * SYSFS_LINE_MAX + 2;
	char *out = calloc(1, cap);
	char proc[SYSFS_LINE_MAX];

	if (!out) {
		log_fail(log, PMD_ENOMEM, "no memory for the command line");
		return NULL;
	}
	if (o->reuse_cmdline) {
		char *save = NULL, *w;

		if (sysfs_read_line(root_of(o), "/proc/cmdline", proc, sizeof(proc), log)) {
			free(out);
			return NULL;
		}
		for (w = strtok_r(proc, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			if (!strncmp(w, "BOOT_IMAGE=", 11))
				continue;
			/* The capture kernel must not reserve memory of its own. */
			if (o->panic && !strncmp(w, "crashkernel=", 12))
				continue;
			cmdline_add(out, cap, w, strlen(w));
		}
	}
	if (o->cmdline && cmdline_add(out, cap, o->cmdline, strlen(o->cmdline))) {
		free(out);
		log_fail(log, PMD_EINVAL, "the command line is too long");
		return NULL;
	}
	return out;
}

/* A request for each segment, in placement order (top-down). */
static void fill_reqs(struct plan_req *req, const struct kexec_load *ld, const struct bzimage *bz,
		      size_t cmdline_max, unsigned int nr_e820_max)
{
	uint64_t kalign = bz->kernel_alignment;
	uint64_t kmem = bz->init_size > bz->kernel_size ? bz->init_size : bz->kernel_size;

	/* A relocatable kernel states its alignment; never below a page. */
	if (kalign < PAGE_SIZE_4K || (kalign & (kalign - 1)))
		kalign = 2ull << 20;
	req[SEG_ELFCOREHDR] = (struct plan_req){ "elfcorehdr", ld->elfhdr_len, PAGE_SIZE_4K, 0 };
	req[SEG_PURGATORY] = (struct plan_req){ "purgatory", ld->purgatory.memsz,
						ld->purgatory.align, 0 };
	req[SEG_BOOTPARAMS] = (struct plan_req){ "bootparams",
						 bootparams_size(cmdline_max, nr_e820_max),
						 PAGE_SIZE_4K, 0 };
	req[SEG_KERNEL] = (struct plan_req){ "kernel", kmem, kalign, KERNEL_MIN_ADDR };
	req[SEG_INITRD] = (struct plan_req){ "initrd", ld->initrd_size, PAGE_SIZE_4K, 0 };
}

/* The segments' contents, once everything that names an address is built. */
static void fill_buffers(struct kexec_load *ld, const struct bzimage *bz,
			 const struct kexec_opts *o)
{
	ld->seg[SEG_PURGATORY].buf = ld->purgatory.image;
	ld->seg[SEG_PURGATORY].bufsz = ld->purgatory.bufsz;
	ld->seg[SEG_BOOTPARAMS].buf = ld->bootparams;
	ld->seg[SEG_BOOTPARAMS].bufsz = ld->bootparams_len;
	ld->seg[SEG_KERNEL].buf = bz->kernel;
	ld->seg[SEG_KERNEL].bufsz = bz->kernel_size;
	if (o->initrd) {
		ld->seg[SEG_INITRD].buf = ld->initrd;
		ld->seg[SEG_INITRD].bufsz = ld->initrd_size;
	}
	ld->entry = ld->purgatory.entry;
}

/* The kernel zero-fills memsz past bufsz; the digest covers both. */
static void digest_segment(const struct kexec_seg *s, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, s->buf, s->bufsz);
	sha256_update_zeros(&ctx, s->memsz - s->bufsz);
	sha256_final(&ctx, out);
}

static int fill_purgatory(struct kexec_load *ld, struct log_ctx *log)
{
	static const struct {
		enum kexec_seg_id seg;
		enum purgatory_region_kind kind;
	} checked[] = {
		{ SEG_KERNEL, PURGATORY_REGION_KERNEL },
		{ SEG_INITRD, PURGATORY_REGION_INITRD },
		{ SEG_BOOTPARAMS, PURGATORY_REGION_BOOTPARAMS },
		{ SEG_ELFCOREHDR, PURGATORY_REGION_ELFCOREHDR },
	};
	struct purgatory_params *pp = purgatory_params_of(&ld->purgatory);
	unsigned int n = 0;

	memset(pp, 0, sizeof(*pp));
	pp->magic = PURGATORY_MAGIC;
	pp->version = PURGATORY_VERSION;
	pp->kernel_entry = ld->seg[SEG_KERNEL].mem + 0x200;
	pp->boot_params = ld->seg[SEG_BOOTPARAMS].mem;
	pp->serial_port = PURGATORY_SERIAL_PORT;
	for (unsigned int i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct kexec_seg *s = &ld->seg[checked[i].seg];

		if (!s->memsz)
			continue;
		if (n == PURGATORY_REGIONS_MAX)
			return log_fail(log, PMD_EINVAL, "too many segments for the purgatory");
		pp->regions[n].start = s->mem;
		pp->regions[n].len = s->memsz;
		pp->regions[n].kind = checked[i].kind;
		digest_segment(s, pp->regions[n].sha256);
		n++;
	}
	pp->nr_regions = n;
	return 0;
}

/* Lab hook: a segment that no longer matches its digest (doc/kexec-design.md §6). */
static int corrupt_segment(struct kexec_load *ld, const char *name, struct log_ctx *log)
{
	for (unsigned int i = 0; i < SEG_NR; i++) {
		struct kexec_seg *s = &ld->seg[i];

		if (!s->memsz || strcmp(kexec_seg_names[i], name))
			continue;
		if (i == SEG_PURGATORY || !s->bufsz)
			break;
		((uint8_t *)s->buf)[s->bufsz / 2] ^= 0x5a;
		log_warn(log, "--debug-corrupt: flipped a byte of %s at 0x%" PRIx64
			 " after its digest; the purgatory must refuse to boot\n", name,
			 s->mem + s->bufsz / 2);
		return 0;
	}
	return log_fail(log, PMD_EINVAL,
			"--debug-corrupt takes kernel, initrd, bootparams or elfcorehdr, not '%s'",
			name);
}

static int check_crash_size(const struct kexec_load *ld, const char *root, struct log_ctx *log)
{
	const struct mem_range *r = crash_main(&ld->crash);
	struct log_ctx quiet;
	uint64_t size;
	int rc;

	/* The file is the kernel's crashk_res; absent (old kernel, saved tree): skip. */
	log_init(&quiet, "kexec");
	rc = sysfs_read_dec(root, "/sys/kernel/kexec_crash_size", &size, &quiet);
	log_destroy(&quiet);
	if (rc)
		return 0;
	if (size != r->end - r->start)
		return log_fail(log, PMD_ECORRUPT,
				"/proc/iomem's crash kernel range 0x%" PRIx64 "-0x%" PRIx64
				" is not the kernel's (kexec_crash_size %" PRIu64 ")",
				r->start, r->end - 1, size);
	return 0;
}

/*
 * An initrd larger than the whole crash kernel range cannot fit: say so
 * before reading it, which would take as much memory (an OOM kill in a
 * busy machine, rather than the one-line refusal).
 */
static int check_initrd_fits(const char *path, const struct mem_range *r, struct log_ctx *log)
{
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= r->end - r->start)
		return 0;	/* kexec_read_file says what is wrong with it */
	return log_fail(log, PMD_EINVAL,
			"the capture kernel does not fit: %" PRIu64 " bytes needed, %" PRIu64
			" available in the crash kernel range (the initrd %s alone is larger)",
			(uint64_t)st.st_size, r->end - r->start, path);
}

/* What the zero page takes from the running system. */
struct boot_inputs {
	uint64_t acpi_rsdp;
	uint32_t subarch;
	/* Entropy for the new kernel's early boot, as kexec_file gives it. */
	uint8_t seed[BOOTPARAMS_RNG_SEED_MAX];
	size_t seed_len;
};

static int read_boot_inputs(const char *root, struct boot_inputs *bi, struct log_ctx *log)
{
	int rc;

	memset(bi, 0, sizeof(*bi));
	rc = bootparams_read_firmware(root, &bi->acpi_rsdp, &bi->subarch, log);
	if (!rc && getrandom(bi->seed, sizeof(bi->seed), GRND_NONBLOCK) == (ssize_t)sizeof(bi->seed))
		bi->seed_len = sizeof(bi->seed);
	return rc;
}

/*
 * Once every segment has its address and the command line and e820 are
 * final: the zero page, the relocated purgatory, the buffers and, last, so
 * that they are of what gets loaded, the digests.
 */
static int finish_load(struct kexec_load *ld, const struct kexec_opts *o,
		       const struct bzimage *bz, const struct boot_inputs *bi, struct log_ctx *log)
{
	const struct bootparams_in in = {
		.bz = bz,
		.e820 = &ld->e820,
		.cmdline = ld->cmdline,
		.load_addr = ld->seg[SEG_BOOTPARAMS].mem,
		.initrd_addr = o->initrd ? ld->seg[SEG_INITRD].mem : 0,
		.initrd_size = ld->initrd_size,
		.acpi_rsdp = bi->acpi_rsdp,
		.hardware_subarch = bi->subarch,
		.rng_seed = bi->seed_len ? bi->seed : NULL,
		.rng_seed_len = bi->seed_len,
	};
	int rc;

	rc = bootparams_build(&in, &ld->bootparams, &ld->bootparams_len, log);
	if (!rc && ld->bootparams_len > ld->seg[SEG_BOOTPARAMS].memsz)
		rc = log_fail(log, PMD_EINVAL, "internal: zero page segment grew to %zu bytes",
			      ld->bootparams_len);
	if (!rc)
		rc = purgatory_relocate(&ld->purgatory, ld->seg[SEG_PURGATORY].mem, log);
	if (rc)
		return rc;
	fill_buffers(ld, bz, o);
	rc = fill_purgatory(ld, log);
	if (!rc && o->debug_corrupt)
		rc = corrupt_segment(ld, o->debug_corrupt, log);
	return rc;
}

/* The kernel and initrd files, the kernel's setup header checked. */
static int read_images(struct kexec_load *ld, const struct kexec_opts *o, bool need_5level,
		       struct bzimage *bz, struct log_ctx *log)
{
	int rc;

	rc = kexec_read_file(o->kernel, "kernel", &ld->kernel_file, &ld->kernel_file_size, log);
	if (!rc)
		rc = bzimage_parse(bz, ld->kernel_file, ld->kernel_file_size, need_5level, log);
	if (!rc && o->initrd)
		rc = kexec_read_file(o->initrd, "initrd", &ld->initrd, &ld->initrd_size, log);
	if (!rc && o->initrd && !ld->initrd_size)
		rc = log_fail(log, PMD_EINVAL, "initrd %s is empty", o->initrd);
	return rc;
}

/* What every load needs besides the images: purgatory, zero page inputs, command line. */
static int read_common(struct kexec_load *ld, const struct kexec_opts *o, struct boot_inputs *bi,
		       char **base, struct log_ctx *log)
{
	int rc;

	rc = purgatory_layout(&ld->purgatory, purgatory_blob,
			      (size_t)(purgatory_blob_end - purgatory_blob), log);
	if (!rc)
		rc = read_boot_inputs(root_of(o), bi, log);
	if (!rc) {
		*base = kexec_base_cmdline(o, log);
		if (!*base)
			rc = log_error_status(log) ? -log_error_status(log) : -PMD_ENOMEM;
	}
	return rc;
}

/*
 * Where a -l kernel goes: the largest top-level System RAM range below
 * 4 GiB (the one the firmware and the running kernel left whole), or the
 * largest of all. kexec_load may target memory in use: the kernel copies
 * the segments into place only at kexec -e.
 */
static int pick_ram(const struct iomem_tree *t, struct mem_range *out, struct log_ctx *log)
{
	const struct iomem_node *n, *best = NULL, *best_low = NULL;

	for (n = t->first; n; n = n->next) {
		if (strcmp(n->name, "System RAM"))
			continue;
		if (!best || n->end - n->start > best->end - best->start)
			best = n;
		if (n->end < (4ull << 30) &&
		    (!best_low || n->end - n->start > best_low->end - best_low->start))
			best_low = n;
	}
	if (best_low)
		best = best_low;
	if (!best || !best->end)
		return log_fail(log, PMD_EIO, "/proc/iomem shows no System RAM (run as root)");
	*out = (struct mem_range){ best->start, best->end + 1 };
	return 0;
}

/* Segments below 16 MiB stay free: the new kernel's early allocations go there. */
#define NORMAL_LOAD_FLOOR (16ull << 20)

static int build_normal(struct kexec_load *ld, const struct kexec_opts *o, struct log_ctx *log)
{
	static const enum kexec_seg_id order[] = { SEG_PURGATORY, SEG_BOOTPARAMS, SEG_KERNEL,
						   SEG_INITRD };
	const char *root = root_of(o);
	struct plan_req all[SEG_NR], req[SEG_NR];
	uint64_t addr[SEG_NR];
	struct boot_inputs bi;
	struct bzimage bz;
	char path[4096], *base = NULL;
	unsigned int nr = 0;
	int rc;

	rc = sysfs_path(path, sizeof(path), root, "/proc/iomem", log);
	if (!rc)
		rc = iomem_read(&ld->iomem, path, log);
	if (!rc)
		rc = pick_ram(&ld->iomem, &ld->ram, log);
	/* No kcore needed for -l: the 5-level rule is the kernel's to check at exec. */
	if (!rc)
		rc = read_images(ld, o, false, &bz, log);
	if (!rc)
		rc = e820_from_firmware(&ld->e820, root, log);
	if (!rc)
		rc = read_common(ld, o, &bi, &base, log);
	if (!rc && strlen(base) > bz.cmdline_size)
		rc = log_fail(log, PMD_EINVAL, "the command line takes %zu bytes, the kernel accepts %u",
			      strlen(base), bz.cmdline_size);
	if (rc)
		goto out;
	ld->cmdline = base;
	base = NULL;

	fill_reqs(all, ld, &bz, strlen(ld->cmdline), ld->e820.nr);
	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i] == SEG_INITRD && !o->initrd)
			continue;
		req[nr] = all[order[i]];
		if (req[nr].min_addr < NORMAL_LOAD_FLOOR)
			req[nr].min_addr = NORMAL_LOAD_FLOOR;
		nr++;
	}
	rc = plan_place(&ld->ram, 0, req, nr, addr, log);
	if (rc)
		goto out;
	for (unsigned int i = 0; i < nr; i++) {
		ld->seg[order[i]].mem = addr[i];
		ld->seg[order[i]].memsz = ALIGN_UP(req[i].memsz, PAGE_SIZE_4K);
	}
	ld->nr_seg = nr;
	rc = finish_load(ld, o, &bz, &bi, log);
out:
	free(base);
	return rc;
}

int kexec_load_build(struct kexec_load *ld, const struct kexec_opts *o, struct log_ctx *log)
{
	const char *root = root_of(o);
	struct live_kernel lk = { 0 };
	struct pmem_live pmem = { 0 };
	struct plan_req req[SEG_NR];
	uint64_t addr[SEG_NR];
	struct boot_inputs bi;
	struct bzimage bz;
	char path[4096], *base = NULL;
	size_t cmdline_max;
	int rc;

	memset(ld, 0, sizeof(*ld));
	if (!o->panic)
		return build_normal(ld, o, log);
	rc = sysfs_path(path, sizeof(path), root, "/proc/iomem", log);
	if (!rc)
		rc = iomem_read(&ld->iomem, path, log);
	if (!rc)
		rc = crash_ranges_find(&ld->iomem, &ld->crash, log);
	if (!rc)
		rc = check_crash_size(ld, root, log);
	if (!rc && o->initrd)
		rc = check_initrd_fits(o->initrd, crash_main(&ld->crash), log);
	if (!rc)
		rc = live_kernel_read(&lk, root, log);
	if (!rc)
		rc = read_images(ld, o, lk.la57, &bz, log);
	if (!rc)
		rc = pmem_live_ranges(&pmem, &ld->iomem, root, o->pmem, log);
	if (!rc) {
		const struct crashhdr_in in = {
			.iomem = &ld->iomem,
			.crash = &ld->crash,
			.kernel = &lk,
			.pmem = &pmem,
		};
		rc = crashhdr_build(&in, &ld->elfhdr, &ld->elfhdr_len, log);
	}
	if (!rc)
		rc = read_common(ld, o, &bi, &base, log);
	if (rc)
		goto out;

	cmdline_max = strlen(base) + BOOTPARAMS_ELFCOREHDR_MAX;
	if (cmdline_max > bz.cmdline_size) {
		rc = log_fail(log, PMD_EINVAL,
			      "the command line with elfcorehdr= takes %zu bytes, the kernel accepts %u",
			      cmdline_max, bz.cmdline_size);
		goto out;
	}

	/* Sizes known: place the segments. The keep-out split adds one e820 entry. */
	rc = e820_build(&ld->e820, &ld->iomem, &ld->crash, NULL, log);
	if (rc)
		goto out;
	ld->nr_seg = o->initrd ? SEG_NR : SEG_INITRD;
	fill_reqs(req, ld, &bz, cmdline_max, ld->e820.nr + 2);
	e820_free(&ld->e820);
	ld->reserve = plan_control_reserve(sysmem_ram_span(&ld->iomem));
	rc = plan_place(crash_main(&ld->crash), ld->reserve, req, ld->nr_seg, addr, log);
	if (rc)
		goto out;
	for (unsigned int i = 0; i < ld->nr_seg; i++) {
		ld->seg[i].mem = addr[i];
		ld->seg[i].memsz = ALIGN_UP(req[i].memsz, PAGE_SIZE_4K);
	}

	/* Addresses known: the contents that name them. */
	rc = bootparams_cmdline(&ld->cmdline, base, addr[SEG_ELFCOREHDR], bz.cmdline_size, log);
	if (!rc) {
		/* The header must survive the capture kernel's boot: not RAM to it. */
		const struct mem_range keep = { addr[SEG_ELFCOREHDR],
						addr[SEG_ELFCOREHDR] + ld->seg[SEG_ELFCOREHDR].memsz };
		rc = e820_build(&ld->e820, &ld->iomem, &ld->crash, &keep, log);
	}
	if (rc)
		goto out;
	ld->seg[SEG_ELFCOREHDR].buf = ld->elfhdr;
	ld->seg[SEG_ELFCOREHDR].bufsz = ld->elfhdr_len;
	rc = finish_load(ld, o, &bz, &bi, log);
out:
	free(base);
	pmem_live_free(&pmem);
	live_kernel_free(&lk);
	return rc;
}

static const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return "usable";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI data";
	case E820_NVS:
		return "ACPI NVS";
	case E820_PMEM:
		return "persistent (type 7)";
	default:
		return "type ?";
	}
}

void kexec_load_print(FILE *f, const struct kexec_load *ld)
{
	unsigned int n = 0;

	fprintf(f, "nr_segments = %u\n", ld->nr_seg);
	for (unsigned int i = 0; i < SEG_NR; i++) {
		const struct kexec_seg *s = &ld->seg[i];

		if (!s->memsz)
			continue;
		fprintf(f, "segment[%u].buf   = %p (%s)\n", n, s->buf, kexec_seg_names[i]);
		fprintf(f, "segment[%u].bufsz = 0x%zx\n", n, s->bufsz);
		fprintf(f, "segment[%u].mem   = 0x%" PRIx64 "\n", n, s->mem);
		fprintf(f, "segment[%u].memsz = 0x%" PRIx64 "\n", n, s->memsz);
		n++;
	}
	fprintf(f, "entry = 0x%" PRIx64 " (purgatory)\n", ld->entry);
	if (ld->crash.nr)
		fprintf(f, "crash kernel range: 0x%" PRIx64 "-0x%" PRIx64 ", control reserve 0x%"
			PRIx64 "\n", crash_main(&ld->crash)->start, crash_main(&ld->crash)->end - 1,
			ld->reserve);
	else
		fprintf(f, "placed in System RAM 0x%" PRIx64 "-0x%" PRIx64 "\n", ld->ram.start,
			ld->ram.end - 1);
	for (unsigned int i = 0; i < ld->e820.nr; i++) {
		const struct e820_ent *e = &ld->e820.e[i];

		fprintf(f, "BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n", e->addr,
			e->addr + e->size - 1, e820_type_name(e->type));
	}
	fprintf(f, "command line: %s\n", ld->cmdline ? ld->cmdline : "");
	if (ld->elfhdr)
		crashhdr_print(f, ld->elfhdr, ld->elfhdr_len);
}

unsigned int kexec_load_segments(const struct kexec_load *ld, struct kexec_seg *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SEG_NR; i++)
		if (ld->seg[i].memsz)
			out[n++] = ld->seg[i];
	return n;
}

void kexec_load_free(struct kexec_load *ld)
{
	iomem_free(&ld->iomem);
	e820_free(&ld->e820);
	purgatory_free(&ld->purgatory);
	free(ld->kernel_file);
	free(ld->initrd);
	free(ld->elfhdr);
	free(ld->bootparams);
	free(ld->cmdline);
	memset(ld, 0, sizeof(*ld));
}
