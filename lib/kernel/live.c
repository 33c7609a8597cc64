// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running kernel, for a crash ELF header built in user space: the
 * sysfs files kexec-tools reads (crash_notes, vmcoreinfo) and the program
 * headers of /proc/kcore, which give the direct map's base and the text
 * segment exactly as the kernel's own kexec_file header has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfcore/elfcore.h"
#include "kernel/live.h"
#include "util/sysfs.h"

/* NR_CPUS is at most 8192 on x86_64 (arch/x86/Kconfig, MAXSMP). */
#define LIVE_MAX_CPUS 8192

/*
 * kexec-tools 2.0.25 assumes this note size when a kernel has no
 * crash_notes_size file (kernels before 3.13).
 */
#define LIVE_NOTE_SIZE_DEFAULT 1024

/* A note larger than this is not a per-CPU ELF note buffer. */
#define LIVE_NOTE_SIZE_MAX (1u << 20)

/* The kernel image mapping (Documentation/x86/x86_64/mm.rst), modules above it. */
#define KTEXT_START 0xffffffff80000000ull
#define KTEXT_END 0xffffffffc0000000ull

/*
 * Lowest direct map base of 4-level paging: the start of its kernel half.
 * Under 5-level paging the base is at 0xff11000000000000 plus KASLR's
 * offset, far below this (kernel_randomize_memory() spreads the regions
 * over the first part of the range).
 */
#define KHALF_L4 0xffff800000000000ull
#define KHALF_L5 0xff00000000000000ull

static int read_cpu_notes(struct live_kernel *lk, const char *root, struct log_ctx *log)
{
	static const char possible[] = "/sys/devices/system/cpu/possible";
	uint64_t bits[LIVE_MAX_CPUS / 64];
	char line[SYSFS_LINE_MAX], path[96];
	unsigned int cpu, nr = 0;
	int ret;

	ret = sysfs_read_line(root, possible, line, sizeof(line), log);
	if (ret < 0)
		return ret;
	ret = sysfs_parse_cpulist(line, bits, LIVE_MAX_CPUS, possible, log);
	if (ret < 0)
		return ret;
	for (cpu = 0; cpu < LIVE_MAX_CPUS; cpu++)
		nr += (bits[cpu / 64] >> (cpu % 64)) & 1;
	lk->cpu_notes = calloc(nr, sizeof(*lk->cpu_notes));
	if (!lk->cpu_notes)
		return log_fail(log, PMD_ENOMEM, "out of memory for %u crash notes", nr);

	for (cpu = 0; cpu < LIVE_MAX_CPUS; cpu++) {
		struct live_note *n = &lk->cpu_notes[lk->nr_cpu_notes];

		if (!((bits[cpu / 64] >> (cpu % 64)) & 1))
			continue;
		/* A possible CPU that was never present has no device. */
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		if (!sysfs_exists(root, path))
			continue;
		ret = sysfs_read_hex(root, path, &n->paddr, log);
		if (ret < 0)
			return ret;
		if (!n->paddr)
			return log_fail(log, PMD_ECORRUPT, "%s: address 0", path);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes_size", cpu);
		if (sysfs_exists(root, path)) {
			ret = sysfs_read_dec(root, path, &n->size, log);
			if (ret < 0)
				return ret;
		} else {
			n->size = LIVE_NOTE_SIZE_DEFAULT;
		}
		if (!n->size || n->size > LIVE_NOTE_SIZE_MAX)
			return log_fail(log, PMD_ECORRUPT, "%s: implausible size %llu", path,
					(unsigned long long)n->size);
		if (n->paddr + n->size < n->paddr)
			return log_fail(log, PMD_ECORRUPT, "cpu%u: crash notes wrap around", cpu);
		n->cpu = cpu;
		lk->nr_cpu_notes++;
	}
	if (!lk->nr_cpu_notes)
		return log_fail(log, PMD_EUNSUPPORTED,
				"no CPU has crash notes: the kernel was built without kexec support");
	return 0;
}

static int read_vmcoreinfo(struct live_kernel *lk, const char *root, struct log_ctx *log)
{
	static const char vmcoreinfo[] = "/sys/kernel/vmcoreinfo";
	char line[SYSFS_LINE_MAX];
	int ret;

	ret = sysfs_read_line(root, vmcoreinfo, line, sizeof(line), log);
	if (ret < 0)
		return ret;
	ret = sysfs_parse_addr_size(line, &lk->vmcoreinfo_paddr, &lk->vmcoreinfo_size, vmcoreinfo,
				    log);
	if (ret < 0)
		return ret;
	if (!lk->vmcoreinfo_paddr || !lk->vmcoreinfo_size ||
	    lk->vmcoreinfo_size > LIVE_NOTE_SIZE_MAX ||
	    lk->vmcoreinfo_paddr + lk->vmcoreinfo_size < lk->vmcoreinfo_paddr)
		return log_fail(log, PMD_ECORRUPT, "%s: implausible note at %#llx size %#llx",
				vmcoreinfo, (unsigned long long)lk->vmcoreinfo_paddr,
				(unsigned long long)lk->vmcoreinfo_size);
	return 0;
}

/*
 * /proc/kcore gives p_paddr = __pa(vaddr) for the direct map (KCORE_RAM)
 * and __pa_symbol(_text) for the text segment [_text, _end); elfcore
 * drops the segments without a physical address (vmalloc, vmemmap).
 */
static int read_kcore(struct live_kernel *lk, const char *root, struct log_ctx *log)
{
	struct elfcore_open_opts opts = { .log = log, .no_mmap = true };
	struct elfcore ec;
	char path[4096];
	bool have_text = false, have_ram = false;
	unsigned int i;
	int ret;

	ret = sysfs_path(path, sizeof(path), root, "/proc/kcore", log);
	if (ret < 0)
		return ret;
	ret = elfcore_open(&ec, path, &opts);
	if (ret < 0)
		return ret;
	for (i = 0; i < ec.nr_loads; i++) {
		const struct elf_load *l = &ec.loads[i];
		uint64_t base = l->vaddr - l->paddr;

		if (l->vaddr >= KTEXT_START && l->vaddr < KTEXT_END) {
			/* One KCORE_TEXT entry in 6.1; should more come, the first is _text. */
			if (have_text)
				continue;
			if (!l->memsz || l->memsz > KTEXT_END - l->vaddr) {
				ret = log_fail(log, PMD_ECORRUPT,
					       "%s: the kernel text segment at %#llx has size %#llx",
					       path, (unsigned long long)l->vaddr,
					       (unsigned long long)l->memsz);
				goto out;
			}
			lk->text_vaddr = l->vaddr;
			lk->text_paddr = l->paddr;
			lk->text_size = l->memsz;
			have_text = true;
			continue;
		}
		if (have_ram && base != lk->page_offset) {
			ret = log_fail(log, PMD_ECORRUPT,
				       "%s: direct map segments disagree on the base (%#llx, then %#llx at vaddr %#llx)",
				       path, (unsigned long long)lk->page_offset,
				       (unsigned long long)base, (unsigned long long)l->vaddr);
			goto out;
		}
		lk->page_offset = base;
		have_ram = true;
	}
	if (!have_text) {
		ret = log_fail(log, PMD_ECORRUPT, "%s has no kernel text segment", path);
		goto out;
	}
	if (!have_ram) {
		ret = log_fail(log, PMD_ECORRUPT, "%s has no direct map segment", path);
		goto out;
	}
	if (lk->page_offset < KHALF_L5) {
		ret = log_fail(log, PMD_ECORRUPT, "%s: direct map base %#llx is not a kernel address",
			       path, (unsigned long long)lk->page_offset);
		goto out;
	}
	lk->la57 = lk->page_offset < KHALF_L4;
	ret = 0;
out:
	elfcore_close(&ec);
	return ret;
}

int live_kernel_read(struct live_kernel *lk, const char *root, struct log_ctx *log)
{
	int ret;

	memset(lk, 0, sizeof(*lk));
	ret = read_cpu_notes(lk, root, log);
	if (ret >= 0)
		ret = read_vmcoreinfo(lk, root, log);
	if (ret >= 0)
		ret = read_kcore(lk, root, log);
	if (ret < 0) {
		live_kernel_free(lk);
		return ret;
	}
	return 0;
}

void live_kernel_free(struct live_kernel *lk)
{
	free(lk->cpu_notes);
	memset(lk, 0, sizeof(*lk));
}
