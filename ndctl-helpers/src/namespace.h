/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_NAMESPACE_H
#define PK_NAMESPACE_H

/*
 * What pmem-kdump knows of a system: its namespaces as libndctl reports
 * them, and the running kernel as a dump of it would see it. Both come
 * through a backend (struct pk_backend_ops): libndctl/libdaxctl and
 * /proc/kcore on a live system, or a C table in the unit tests. Nothing
 * after the backend touches sysfs or the kernel, so the case logic, the
 * JSON and the table are tested on hand-written systems.
 */
#include <stdbool.h>
#include <stdint.h>

#include "util/log.h"

/* An address or size the backend could not learn (ndctl's ULLONG_MAX). */
#define PK_UNKNOWN UINT64_MAX

/* ndctl's namespace modes, named as `ndctl list` prints them. */
enum pk_mode {
	PK_MODE_UNKNOWN,	/* a seed, or a mode libndctl does not name */
	PK_MODE_RAW,
	PK_MODE_SECTOR,
	PK_MODE_FSDAX,
	PK_MODE_DEVDAX,
};

/* Where a fsdax/devdax namespace keeps its struct pages (ndctl "map"). */
enum pk_map {
	PK_MAP_NONE,		/* raw, sector: no struct pages */
	PK_MAP_MEM,		/* in RAM */
	PK_MAP_DEV,		/* on the device, before the data */
};

struct pk_range {
	uint64_t start;		/* bytes, [start, end) */
	uint64_t end;
};

/*
 * A devdax namespace's device-dax region, as `ndctl list -Nv` nests it
 * ("daxregion", in place of "chardev"). A pmem dax region has one device;
 * more are kept up to PK_DAX_DEVS.
 */
#define PK_DAX_DEVS 4

struct pk_daxregion {
	bool present;
	int id;
	uint64_t size;
	uint64_t align;
	unsigned int nr_devs;
	struct pk_daxdev {
		char chardev[32];
		uint64_t size;
		int target_node;	/* -1: none */
		uint64_t align;		/* 0: none */
		char mode[16];		/* "devdax", "system-ram" */
	} devs[PK_DAX_DEVS];
};

/*
 * One namespace. Strings are empty when libndctl has no value (ndctl then
 * leaves the JSON field out); numbers are PK_UNKNOWN, or 0 where ndctl
 * treats 0 as absent (align, sector_size).
 */
struct pk_namespace {
	char dev[32];		/* "namespace0.0" */
	char region[32];	/* "region0" */
	unsigned int region_id;
	unsigned int id;	/* the Y of namespaceX.Y */
	enum pk_mode mode;
	enum pk_map map;	/* PK_MAP_NONE unless fsdax/devdax */
	bool active;		/* ndctl_namespace_is_active() */

	uint64_t size;		/* what ndctl prints: the pfn/dax/btt device's usable size */
	char uuid[40];		/* of the pfn/dax/btt device, else the namespace's */
	char raw_uuid[40];	/* the namespace's own, under a claim (ndctl -v) */
	unsigned int sector_size; /* 0: not printed (devdax) */
	uint64_t align;		/* 0: not printed */
	char blockdev[32];	/* "pmem0", "pmem1s" */
	char chardev[32];	/* "dax0.1" */
	char name[64];		/* the namespace's alt name */
	int numa_node;		/* -1: none */
	int target_node;	/* -1: none */
	struct pk_daxregion daxregion;	/* devdax only */

	/* The physical layout (sysfs "resource" and "size" through libndctl). */
	uint64_t ns_start;	/* namespace resource */
	uint64_t ns_size;	/* namespace size, info block and memmap included */
	uint64_t data_start;	/* pfn/dax device resource: the first user data byte */
	uint64_t data_size;	/* pfn/dax device size */
	/*
	 * From the info block when the backend can read it, else
	 * PK_UNKNOWN: a live namespace's block cannot be read (it sits
	 * below the pfn device; /dev/mem refuses pmem), and Linux 6.1
	 * writes start_pad 0 and a 64-byte struct page into new blocks.
	 */
	uint64_t start_pad;
	unsigned int page_struct_size;	/* 0: unknown */
};

/* What the running kernel tells about device memmaps (VMCOREINFO). */
enum pk_list_state {
	PK_LIST_UNKNOWN,	/* VMCOREINFO could not be read (not root, no kcore) */
	PK_LIST_ABSENT,		/* a kernel without the devm_memmap_vmcore series */
	PK_LIST_PRESENT,	/* the list was walked: ranges below */
};

struct pk_kernel {
	enum pk_list_state list;
	struct pk_range *memmaps;	/* the list's [start, end), in list order */
	unsigned int nr_memmaps;
	unsigned int page_struct_size;	/* SIZE(page) from VMCOREINFO; 0: unknown */
};

struct pk_system {
	struct pk_namespace *ns;
	unsigned int nr_ns;
	struct pk_kernel kernel;
};

/*
 * A source of namespaces and kernel facts. namespaces() appends every
 * namespace of every region, idle ones (seeds, disabled) included, in
 * libndctl's order (bus, region, namespace); the caller filters. kernel()
 * fills what it can; a kernel it cannot read is PK_LIST_UNKNOWN with a
 * warning, not an error: namespaces are still worth listing. Both return
 * 0 or -PMD_E* recorded in @log.
 */
struct pk_backend_ops {
	const char *name;
	int (*namespaces)(void *priv, struct pk_system *sys, struct log_ctx *log);
	int (*kernel)(void *priv, struct pk_kernel *k, struct log_ctx *log);
	/*
	 * Optional: read what can be read below @root (NULL: /), for the
	 * hidden --sysroot of check. libndctl has no root: only the kernel
	 * facts (/proc/kcore) move.
	 */
	void (*set_root)(void *priv, const char *root);
};

struct pk_backend {
	const struct pk_backend_ops *ops;
	void *priv;
};

/* Append a zeroed namespace (numbers unknown) to @sys; NULL when out of memory. */
struct pk_namespace *pk_system_add(struct pk_system *sys);
int pk_kernel_add_memmap(struct pk_kernel *k, uint64_t start, uint64_t end);
int pk_system_load(struct pk_system *sys, const struct pk_backend *be, struct log_ctx *log);
void pk_system_free(struct pk_system *sys);

const char *pk_mode_name(enum pk_mode mode);	/* "fsdax", ...; NULL for unknown */
const char *pk_map_name(enum pk_map map);	/* "mem", "dev"; NULL for none */
/* 16 bytes as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (libuuid's lower case). */
void pk_uuid_format(const unsigned char uu[16], char out[40]);
bool pk_uuid_is_null(const unsigned char uu[16]);

/*
 * The table backend: namespaces and kernel copied from arrays, for the
 * unit tests and for anything that wants to describe a system by hand.
 */
struct pk_table {
	const struct pk_namespace *ns;
	unsigned int nr_ns;
	struct pk_kernel kernel;	/* memmaps copied too */
};
extern const struct pk_backend_ops pk_table_ops;

#endif
