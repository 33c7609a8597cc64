/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMDUMP_PLAN_H
#define VMDUMP_PLAN_H

/*
 * What to ask of QEMU and of makedumpfile, from the guest's memory
 * devices (QMP query-memory-devices) and their backends:
 *
 *   backing  QEMU dumps [0, lowest NVDIMM) only; makedumpfile reads each
 *            NVDIMM's metadata from its backing file, which is the
 *            guest's pmem only while the guest is paused and only when
 *            guest writes reach it (share=on). pmem user data never
 *            leaves the file.
 *   full     QEMU dumps everything, NVDIMMs as plain PT_LOADs;
 *            makedumpfile is told where pmem lies and filters it.
 *
 * The choice and the makedumpfile arguments are pure functions of the
 * parsed devices, so that tests give them by hand.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "util/log.h"

enum vm_mode {
	VM_MODE_BACKING,
	VM_MODE_FULL,
};

struct vm_memdev {
	char type[32];			/* QMP's: "nvdimm", "dimm", "virtio-mem", ... */
	char name[80];			/* its id, else "slot N", else the type */
	char memdev[256];		/* the backend's QOM path; "" when none */
	bool has_addr;
	uint64_t addr, size;
	/* NVDIMMs, from their backends (vm_backing_resolve() and the caller): */
	char path[PATH_MAX];		/* the backing file; "" when unusable */
	char why[PATH_MAX + 256];	/* why it cannot stand in for pmem; "" when it can */
};

struct vm_plan {
	enum vm_mode mode;
	struct vm_memdev *devs;
	size_t nr_devs, nr_nvdimms;
	uint64_t lowest_nvdimm;		/* backing mode: the length QEMU dumps */
	uint64_t base_ram;		/* query-memory-size-summary's base-memory */
	uint64_t expected_bytes;	/* about what QEMU writes */
	char note[PATH_MAX + 512];	/* full mode: why; "" by --full or without NVDIMM */
};

/* Room for the ROMs, video memory and ELF headers QEMU dumps beside RAM. */
#define VM_DUMP_SLACK (32ULL << 20)

static inline bool vm_memdev_is_nvdimm(const struct vm_memdev *d)
{
	return d->has_addr && !strcmp(d->type, "nvdimm");
}

/*
 * The "return" of query-memory-devices into p->devs. NVDIMMs must have a
 * page-aligned address and size (makedumpfile's --pmem-range takes pages).
 */
int vm_memdevs_parse(struct vm_plan *p, struct json_object *list, struct log_ctx *log);

/*
 * The mode, p->lowest_nvdimm, p->expected_bytes and p->note, from p->devs
 * (with each NVDIMM's path/why filled) and p->base_ram.
 */
void vm_plan_choose(struct vm_plan *p, bool want_full);

/*
 * makedumpfile's --pmem-range arguments, one per NVDIMM in address order:
 * "--pmem-range=0xSTART-0xEND:PATH" in backing mode, without ":PATH" in
 * full mode. *@args is an array of *@nr malloc'ed strings (vm_args_free).
 */
int vm_plan_pmem_args(const struct vm_plan *p, char ***args, size_t *nr, struct log_ctx *log);
void vm_args_free(char **args, size_t nr);

/* One line: "backing mode: RAM [0, 0x100000000) from QEMU, nv1 ... from FILE". */
void vm_plan_describe(const struct vm_plan *p, char *buf, size_t size);
/* Whether two plans make the same dump: the mode, the NVDIMMs and their files. */
bool vm_plan_same(const struct vm_plan *a, const struct vm_plan *b);
void vm_plan_free(struct vm_plan *p);

/*
 * The backing file of an NVDIMM as this process can open it, from the
 * backend's mem-path. QEMU resolved a relative one against its own
 * working directory, so it is looked up below /proc/@qemu_pid/cwd and
 * confirmed in /proc/@qemu_pid/maps (QEMU maps the file); when QEMU moved
 * away (-daemonize changes to /), a unique mapped file ending in
 * "/mem-path" is taken. An absolute path is confirmed in the maps when
 * they can be read. @proc is "/proc" (tests may give another tree).
 * Fills d->path and returns true, or fills d->why and returns false.
 */
bool vm_backing_resolve(struct vm_memdev *d, const char *mem_path, pid_t qemu_pid, const char *proc);

/* "12.3 MiB", "403.0 MiB", "1.5 GiB": IEC, one decimal. */
void vm_human_bytes(uint64_t bytes, char *buf, size_t size);

#endif
