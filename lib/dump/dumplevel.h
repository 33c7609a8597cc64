/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_DUMPLEVEL_H
#define PMD_DUMP_DUMPLEVEL_H

/* makedumpfile's dump level bits (-d), and the one pmemdump adds. */
enum dump_level_bit {
	DL_EXCLUDE_ZERO = 1,
	DL_EXCLUDE_CACHE = 2,
	DL_EXCLUDE_CACHE_PRI = 4,
	DL_EXCLUDE_USER_DATA = 8,
	DL_EXCLUDE_FREE = 16,
	/* Beyond makedumpfile's five: drop the pmem metadata too. */
	DL_EXCLUDE_PMEM_META = 32,
};

/* The highest level makedumpfile knows; the kdump header never holds more. */
#define DL_MAX 31
/* The highest level pmemdump takes. */
#define DL_MAX_PMEM 63

#endif
