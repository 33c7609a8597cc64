/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KABI_PMEM_KDUMP_H
#define PMD_KABI_PMEM_KDUMP_H

/*
 * The contract between our kernel patches (kernel-patches/) and user space:
 * every value here is one the kernel (patched or stock Linux 6.1) writes and
 * pmemdump reads. Layer 0: no code, no includes, nothing else in the tree.
 * test/kabi.sh checks the VMCOREINFO keys and PF_DEV against the patches.
 */

/* ---- ELF core header: patch 0002 (x86/crash, kexec_file_load) ---- */

/*
 * p_flags bit of a PT_LOAD that covers persistent memory rather than System
 * RAM. Patch 0002 defines PF_DEV as (1 << 4) in include/linux/crash_core.h
 * and crash_prepare_elf64_headers() ORs it into pmem ranges. The ELF ABI
 * leaves the bit unused (PF_X/W/R are bits 0-2, PF_MASKOS 0x0ff00000).
 * kexec_load(2) headers come from user space and carry it only if we set it.
 */
#define PMD_PF_DEV 0x10

/* ---- VMCOREINFO keys: patch 0001 (mm/memremap) ---- */

/*
 * kernel/crash_core.c exports these under CONFIG_ZONE_DEVICE; each string is
 * the part of a "KEY=value" line before the '='. The list is a list_head
 * of struct devm_memmap_vmcore (include/linux/crash_core.h), one per vmem_altmap
 * that memremap_pages() accepted: [start, end) physical bytes, end exclusive,
 * the device's part set aside for struct pages.
 */
/* VMCOREINFO_SYMBOL(): the list_head's virtual address, in hex. */
#define PMD_VMCI_DEVM_MEMMAP_HEAD "SYMBOL(devm_memmap_vmcore_head)"
/* VMCOREINFO_STRUCT_SIZE(): sizeof(struct devm_memmap_vmcore), decimal. */
#define PMD_VMCI_DEVM_MEMMAP_SIZE "SIZE(devm_memmap_vmcore)"
/* VMCOREINFO_OFFSET(): the struct's members, decimal byte offsets. */
#define PMD_VMCI_DEVM_MEMMAP_ENTRY "OFFSET(devm_memmap_vmcore.entry)"	/* list_head */
#define PMD_VMCI_DEVM_MEMMAP_START "OFFSET(devm_memmap_vmcore.start)"	/* unsigned long */
#define PMD_VMCI_DEVM_MEMMAP_END "OFFSET(devm_memmap_vmcore.end)"	/* unsigned long */

/* Every key above, for tables and for test/kabi.sh: keep it complete. */
#define PMD_VMCI_KEYS \
	PMD_VMCI_DEVM_MEMMAP_HEAD, \
	PMD_VMCI_DEVM_MEMMAP_SIZE, \
	PMD_VMCI_DEVM_MEMMAP_ENTRY, \
	PMD_VMCI_DEVM_MEMMAP_START, \
	PMD_VMCI_DEVM_MEMMAP_END

/* ---- libnvdimm pfn/dax info block: stock kernel, the fallback ---- */

/*
 * Without patch 0001 the device memmap is found from the info block that
 * libnvdimm writes into every fsdax (nd_pfn) and devdax (nd_dax) namespace:
 * struct nd_pfn_sb, drivers/nvdimm/pfn.h. It sits 4 KiB into the namespace
 * (nd_pfn_validate() reads it at SZ_4K), and 8 KiB from namespace start +
 * start_pad are kept for it (nd_info_block_reserve(), drivers/nvdimm/nd.h,
 * the altmap's reserve): with map=dev the struct pages run from there to
 * dataoff. All fields are little-endian.
 */
#define PMD_PFN_SB_NS_OFFSET 0x1000	/* info block, from the namespace start */
#define PMD_PFN_SB_RESERVE 0x2000	/* bytes reserved before the memmap */
#define PMD_PFN_SB_SIZE 4096		/* sizeof(struct nd_pfn_sb) */

/*
 * Signatures (PFN_SIG, DAX_SIG in pfn.h), NUL-padded to 16 bytes: the string
 * literals below are exactly PMD_PFN_SB_SIGNATURE_LEN bytes with their NUL.
 */
#define PMD_PFN_SB_SIGNATURE_LEN 16
#define PMD_PFN_SB_SIG_PFN "NVDIMM_PFN_INFO"	/* fsdax */
#define PMD_PFN_SB_SIG_DAX "NVDIMM_DAX_INFO"	/* devdax */

/* Byte offsets of the struct nd_pfn_sb members; the width is in the comment. */
#define PMD_PFN_SB_SIGNATURE_OFF 0		/* u8[16] */
#define PMD_PFN_SB_UUID_OFF 16			/* u8[16] */
#define PMD_PFN_SB_PARENT_UUID_OFF 32		/* u8[16], the namespace's uuid */
#define PMD_PFN_SB_FLAGS_OFF 48			/* le32 */
#define PMD_PFN_SB_VERSION_MAJOR_OFF 52		/* le16 */
#define PMD_PFN_SB_VERSION_MINOR_OFF 54		/* le16 */
#define PMD_PFN_SB_DATAOFF_OFF 56		/* le64, data from namespace + start_pad */
#define PMD_PFN_SB_NPFNS_OFF 64			/* le64, data pages */
#define PMD_PFN_SB_MODE_OFF 72			/* le32, PMD_PFN_MODE_* */
#define PMD_PFN_SB_START_PAD_OFF 76		/* le32, minor >= 1, else 0 */
#define PMD_PFN_SB_END_TRUNC_OFF 80		/* le32, minor >= 1, else 0 */
#define PMD_PFN_SB_ALIGN_OFF 84			/* le32, minor >= 2, else 0 */
#define PMD_PFN_SB_PAGE_SIZE_OFF 88		/* le32, minor >= 4 */
#define PMD_PFN_SB_PAGE_STRUCT_SIZE_OFF 92	/* le16, minor >= 4, else 64 */
/* le64: nd_sb_checksum(), fletcher64 over the le32 words, this field 0 */
#define PMD_PFN_SB_CHECKSUM_OFF 4088

/* The only major version the kernel writes (nd_pfn_init(): 1.4 in 6.1). */
#define PMD_PFN_SB_VERSION_MAJOR 1

/* The mode field: enum nd_pfn_mode, drivers/nvdimm/nd.h. */
#define PMD_PFN_MODE_NONE 0
#define PMD_PFN_MODE_RAM 1	/* struct pages in RAM (ndctl "map":"mem") */
#define PMD_PFN_MODE_PMEM 2	/* struct pages on the device ("map":"dev") */

/* ---- the live dump's note: patch 0005 (kernel/livedump.c) ---- */

/*
 * The image of a running kernel carries an ELF note with this name and
 * type (LD_NOTE_NAME, LD_NOTE_TYPE), whose text of KEY=value lines says
 * its state, the capture time and the pages it could not capture.
 */
#define PMD_LIVEDUMP_NOTE_NAME "LIVEDUMP"
#define PMD_LIVEDUMP_NOTE_TYPE 0x4c44

#endif
