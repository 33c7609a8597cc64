/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_TESTS_FAKE_DUMP_H
#define PMD_DUMP_TESTS_FAKE_DUMP_H

/*
 * A small fake machine for the dump format tests: known page contents
 * (zero, text, random, sparse), holes, excluded pages, and ELF notes with
 * VMCOREINFO; and a driver that writes it through the kdump writer the
 * way the dump driver does, window by window.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/physmem.h"
#include "dump/compress.h"

#define FAKE_PS 4096
#define FAKE_MAX_MAPNR 2997ULL	/* not a multiple of 8: the last byte is partial */
#define FAKE_PHYS_BASE 0x1000000ULL
#define FAKE_CRASH_TIME 1700000000LL
#define FAKE_NR_CPUS 2

struct fake_machine {
	uint8_t *mem;		/* FAKE_MAX_MAPNR pages */
	bool with_ptr;		/* offer zero-copy pointers, like a mapped vmcore */
	struct physmem pm;
	uint8_t *notes;
	size_t notes_size;
	size_t vmcoreinfo_offset;
	size_t vmcoreinfo_size;
};

void fake_machine_init(struct fake_machine *m, bool with_ptr);
void fake_machine_free(struct fake_machine *m);

bool fake_present(uint64_t pfn);
bool fake_dumpable(uint64_t pfn);	/* present and not excluded by the "filter" */
bool fake_page_is_zero(const struct fake_machine *m, uint64_t pfn);
uint64_t fake_nr_dumpable(void);

/* A temporary directory, and paths inside it. */
char *fake_tmpdir(void);
/* Remove a directory made by fake_tmpdir() and free its name; 0 or -1. */
int fake_tmpdir_remove(char *dir);
char *fake_path(const char *dir, const char *name);

/*
 * Write the machine as a kdump-compressed file at @path (or, with @flat_fd
 * >= 0, flattened to that fd), in windows of @window pfns. Returns 0 or
 * -1; *zero gets the zero pages counted.
 */
int fake_write_kdump(struct fake_machine *m, const char *path, int flat_fd,
		     enum compression c, unsigned int dump_level, unsigned int threads,
		     uint64_t window, uint64_t *zero);

/* Whole file in memory; *len gets its size. */
uint8_t *fake_slurp(const char *path, size_t *len);

#endif
