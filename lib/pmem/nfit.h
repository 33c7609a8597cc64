/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_PMEM_NFIT_H
#define PMD_PMEM_NFIT_H

/*
 * Persistent memory of a dumped x86_64 machine from its own ACPI NFIT, for
 * an input that marks no pmem: a hypervisor's dump (QEMU dump-guest-memory)
 * holds an NVDIMM as a plain PT_LOAD, but also the BIOS area and the ACPI
 * tables, which say what that memory is.
 */
#include "util/pfn_ranges.h"

struct physmem;

/*
 * Persistent-memory ranges (pfn ranges, whole pages: the start rounded
 * down, the end up) from the ACPI NFIT of the dumped machine: the System
 * Physical Address range structures whose GUID is the persistent-memory
 * one. @out must be empty on entry.
 *
 * The RSDP is searched where a legacy BIOS puts it (the first KiB of the
 * EBDA, 0xE0000-0xFFFFF), on pages physmem_present() says the dump holds;
 * an RSDP that a UEFI system table alone points at is not found. The XSDT
 * is used when the RSDP has one, else (or when the dump does not hold it
 * or it is damaged) the RSDT.
 *
 * 0 with @out empty when the dump holds no valid RSDP, no usable root
 * table, no NFIT, or not the whole of the NFIT: a kdump /proc/vmcore
 * usually holds none of them, and a root table or an NFIT on a page the
 * dump lacks is the same case. -PMD_ECORRUPT only for an NFIT that is held
 * but malformed (length, checksum, a structure's length); -PMD_ENOMEM;
 * -PMD_EIO when a held page cannot be read. Errors are recorded in
 * pm->log, and @out is left empty.
 */
int pmem_nfit_ranges(const struct physmem *pm, struct pfn_ranges *out);

#endif
