// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reader of kdump-compressed dumps. Nothing in the file is trusted: every
 * offset and size is checked against the file before it is used, so a
 * truncated or damaged dump ends in one error line, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bitmap.h"
#include "dump/kdump/diskdump.h"
#include "dump/format.h"
#include "kernel/physmem.h"
#include "util/fileio.h"
#include "util/log.h"

#define RANK_BLOCK_PFNS 512
#define MAX_NOTES_SIZE (64u << 20)

bool diskdump_signature_matches(const void *head, size_t len)
{
	return len >= KDUMP_SIG_LEN && !memcmp(head, KDUMP_SIGNATURE, KDUMP_SIG_LEN);
}

/* Is [off, off + len) inside the file? Overflow-safe. */
static bool in_file(const struct diskdump *dd, uint64_t off, uint64_t len)
{
	return off <= dd->size && len <= dd->size - off;
}

static int read_at(struct diskdump *dd, void *buf, size_t len, uint64_t off,
		   const char *what)
{
	if (!in_file(dd, off, len)) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is truncated: %s (%zu bytes at offset %#llx) is past its end (%llu bytes)",
		       dd->path, what, len, (unsigned long long)off,
		       (unsigned long long)dd->size);
	}
	if (dd->map) {
		memcpy(buf, dd->map + off, len);
		return 0;
	}
	if (pread_full(dd->fd, buf, len, off) < 0) {
		return log_fail(dd->log, PMD_EIO, "cannot read %s of %s: %s", what, dd->path, strerror(errno));
	}
	return 0;
}

/*
 * A regular file, or a block device (a dump partition written in place):
 * both are read by offset, and a device's size bounds the dump like a
 * file's; what lies past the dump's end on a device is never read.
 */
static int open_file(struct diskdump *dd, const char *path)
{
	int fd;

	dd->path = strdup(path);
	if (!dd->path) {
		return log_fail(dd->log, PMD_ENOMEM, "out of memory");
	}
	fd = in_file_open(dd->log, path, &dd->size);
	if (fd < 0)
		return fd;
	dd->fd = fd;
	return 0;
}

static void map_file(struct diskdump *dd)
{
	void *m;

	if (!dd->size || dd->no_mmap)
		return;
	m = mmap(NULL, dd->size, PROT_READ, MAP_SHARED, dd->fd, 0);
	if (m != MAP_FAILED)
		dd->map = m;
}

static int check_main_header(struct diskdump *dd)
{
	const struct kdump_disk_header *dh = &dd->dh;
	uint32_t bs;

	if (dd->size < sizeof(*dh)) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is too small (%llu bytes) to be a kdump-compressed dump",
		       dd->path, (unsigned long long)dd->size);
	}
	if (read_at(dd, &dd->dh, sizeof(dd->dh), 0, "the main header") < 0)
		return -1;
	if (!diskdump_signature_matches(dh->signature, sizeof(dh->signature))) {
		return log_fail(dd->log, PMD_ENOTFMT, "%s is not a kdump-compressed dump (no \"%s\" signature)",
		       dd->path, KDUMP_SIGNATURE);
	}
	bs = (uint32_t)dh->block_size;
	if (dh->header_version < 1) {
		return log_fail(dd->log, PMD_EUNSUPPORTED, "%s has an unsupported header version %d", dd->path,
		       dh->header_version);
	}
	if (dh->block_size < 512 || bs > (1u << 20) || (bs & (bs - 1))) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: block size %d is not a page size", dd->path,
		       dh->block_size);
	}
	if (dh->sub_hdr_size < 1 || !dh->bitmap_blocks) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: %d sub-header blocks, %u bitmap blocks", dd->path,
		       dh->sub_hdr_size, dh->bitmap_blocks);
	}
	dd->page_size = bs;
	dd->desc_off = (1 + (uint64_t)dh->sub_hdr_size + dh->bitmap_blocks) * bs;
	if (dd->desc_off > dd->size) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is truncated: its headers and bitmaps need %llu bytes, the file has %llu",
		       dd->path, (unsigned long long)dd->desc_off,
		       (unsigned long long)dd->size);
	}
	return 0;
}

static uint64_t bitmap_half(const struct diskdump *dd)
{
	return (uint64_t)dd->dh.bitmap_blocks * dd->page_size / 2;
}

/* Fields newer than the file's header version are cleared, never guessed. */
static void clear_newer_fields(struct kdump_sub_header *kh, int version)
{
	if (version < 2) {
		kh->split = 0;
		kh->start_pfn = kh->end_pfn = 0;
	}
	if (version < 3)
		kh->offset_vmcoreinfo = kh->size_vmcoreinfo = 0;
	if (version < 4)
		kh->offset_note = kh->size_note = 0;
	if (version < 5)
		kh->offset_eraseinfo = kh->size_eraseinfo = 0;
	if (version < 6)
		kh->start_pfn_64 = kh->end_pfn_64 = kh->max_mapnr_64 = 0;
}

static int check_sub_header(struct diskdump *dd)
{
	struct kdump_sub_header *kh = &dd->kh;
	uint64_t need;

	if (read_at(dd, kh, sizeof(*kh), dd->page_size, "the sub header") < 0)
		return -1;
	clear_newer_fields(kh, dd->dh.header_version);
	if (kh->split) {
		log_fail(dd->log, PMD_ECORRUPT, "%s is one part of a split dump (--split); reassemble it with makedumpfile --reassemble",
		       dd->path);
		return -1;
	}
	dd->phys_base = kh->phys_base;
	dd->dump_level = (unsigned int)kh->dump_level;
	dd->nr_cpus = dd->dh.nr_cpus > 0 ? (unsigned int)dd->dh.nr_cpus : 0;
	dd->max_mapnr = dd->dh.header_version >= 6 ? kh->max_mapnr_64 : dd->dh.max_mapnr;
	if (!dd->max_mapnr) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: it covers no page frames (max_mapnr 0)", dd->path);
	}
	/* Not kdump_div_round_up(): max_mapnr + 7 would wrap to a 0-byte bitmap. */
	dd->bitmap_bytes = dd->max_mapnr / 8 + (dd->max_mapnr % 8 != 0);
	need = dd->bitmap_bytes;
	/* Like crash, the 2nd bitmap starts half way through the bitmap blocks. */
	if (need > bitmap_half(dd)) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: %u bitmap blocks cannot hold %llu page frames",
		       dd->path, dd->dh.bitmap_blocks, (unsigned long long)dd->max_mapnr);
	}
	return 0;
}

static int read_notes(struct diskdump *dd)
{
	const struct kdump_sub_header *kh = &dd->kh;
	uint64_t vm_off = kh->offset_vmcoreinfo, vm_size = kh->size_vmcoreinfo;

	if (kh->size_note) {
		if (kh->size_note > MAX_NOTES_SIZE || !in_file(dd, kh->offset_note, kh->size_note)) {
			return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt or truncated: notes of %llu bytes at %#llx",
			       dd->path, (unsigned long long)kh->size_note,
			       (unsigned long long)kh->offset_note);
		}
		dd->notes = malloc(kh->size_note);
		if (!dd->notes) {
			return log_fail(dd->log, PMD_ENOMEM, "out of memory for the notes");
		}
		dd->notes_size = kh->size_note;
		if (read_at(dd, dd->notes, dd->notes_size, kh->offset_note, "the notes") < 0)
			return -1;
	}
	if (!vm_size)
		return 0;
	if (vm_size > MAX_NOTES_SIZE || !in_file(dd, vm_off, vm_size)) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt or truncated: VMCOREINFO of %llu bytes at %#llx",
		       dd->path, (unsigned long long)vm_size, (unsigned long long)vm_off);
	}
	if (dd->notes && vm_off >= kh->offset_note &&
	    vm_off + vm_size <= kh->offset_note + kh->size_note) {
		dd->vmcoreinfo = (const char *)dd->notes + (vm_off - kh->offset_note);
	} else {
		dd->vmcoreinfo_copy = malloc(vm_size);
		if (!dd->vmcoreinfo_copy) {
			return log_fail(dd->log, PMD_ENOMEM, "out of memory for VMCOREINFO");
		}
		if (read_at(dd, dd->vmcoreinfo_copy, vm_size, vm_off, "VMCOREINFO") < 0)
			return -1;
		dd->vmcoreinfo = (const char *)dd->vmcoreinfo_copy;
	}
	dd->vmcoreinfo_size = vm_size;
	return 0;
}

static uint64_t popcount_bytes(const uint8_t *p, size_t len)
{
	uint64_t n = 0, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		n += (uint64_t)__builtin_popcountll(w);
	}
	for (; len; p++, len--)
		n += (uint64_t)__builtin_popcount(*p);
	return n;
}

/* Count the 2nd bitmap once, so a pfn's descriptor is found in O(1). */
static int build_rank(struct diskdump *dd)
{
	uint64_t blocks = kdump_div_round_up(dd->max_mapnr, RANK_BLOCK_PFNS), b, total = 0;
	const size_t block_bytes = RANK_BLOCK_PFNS / 8;

	dd->rank = malloc((blocks + 1) * sizeof(*dd->rank));
	if (!dd->rank) {
		return log_fail(dd->log, PMD_ENOMEM, "out of memory for the page index of %s", dd->path);
	}
	for (b = 0; b < blocks; b++) {
		uint64_t off = b * block_bytes;
		size_t len = off + block_bytes <= dd->bitmap_bytes ?
				     block_bytes : (size_t)(dd->bitmap_bytes - off);

		dd->rank[b] = total;
		total += popcount_bytes(dd->bitmap2 + off, len);
	}
	dd->rank[blocks] = total;
	dd->nr_dumped = total;
	return 0;
}

static int read_bitmaps(struct diskdump *dd)
{
	uint64_t off1 = (1 + (uint64_t)dd->dh.sub_hdr_size) * dd->page_size;
	uint64_t off2 = off1 + bitmap_half(dd);
	unsigned int tail = dd->max_mapnr % 8;

	dd->bitmap1 = malloc(dd->bitmap_bytes);
	dd->bitmap2 = malloc(dd->bitmap_bytes);
	if (!dd->bitmap1 || !dd->bitmap2) {
		return log_fail(dd->log, PMD_ENOMEM, "out of memory for the bitmaps of %s", dd->path);
	}
	if (read_at(dd, dd->bitmap1, dd->bitmap_bytes, off1, "the 1st bitmap") < 0 ||
	    read_at(dd, dd->bitmap2, dd->bitmap_bytes, off2, "the 2nd bitmap") < 0)
		return -1;
	/* Bits past max_mapnr mean nothing; clear them so counts stay honest. */
	if (tail) {
		dd->bitmap1[dd->bitmap_bytes - 1] &= (uint8_t)((1u << tail) - 1);
		dd->bitmap2[dd->bitmap_bytes - 1] &= (uint8_t)((1u << tail) - 1);
	}
	if (build_rank(dd) < 0)
		return -1;
	if (!in_file(dd, dd->desc_off, dd->nr_dumped * sizeof(struct kdump_page_desc))) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is truncated: its %llu page descriptors end past the file's %llu bytes",
		       dd->path, (unsigned long long)dd->nr_dumped,
		       (unsigned long long)dd->size);
	}
	return 0;
}

static int alloc_cache(struct diskdump *dd)
{
	unsigned int i;

	if (page_decompressor_init(&dd->dec, dd->log, dd->page_size) < 0)
		return -1;
	dd->scratch = malloc(dd->page_size);
	if (!dd->scratch)
		goto oom;
	for (i = 0; i < DISKDUMP_CACHE_PAGES; i++) {
		dd->cache[i].page = malloc(dd->page_size);
		if (!dd->cache[i].page)
			goto oom;
	}
	return 0;
oom:
	return log_fail(dd->log, PMD_ENOMEM, "out of memory for the page cache of %s", dd->path);
}

int diskdump_open(struct diskdump *dd, const char *path, const struct dump_open_opts *o)
{
	int ret;

	memset(dd, 0, sizeof(*dd));
	dd->fd = -1;
	dd->log = o->log;
	dd->no_mmap = o->no_mmap;
	if ((ret = open_file(dd, path)) < 0 || (ret = check_main_header(dd)) < 0 ||
	    (ret = check_sub_header(dd)) < 0)
		goto err;
	map_file(dd);
	if ((ret = read_notes(dd)) < 0 || (ret = read_bitmaps(dd)) < 0 ||
	    (ret = alloc_cache(dd)) < 0)
		goto err;
	if (dd->dh.status & DUMP_DH_COMPRESSED_INCOMPLETE)
		log_warn(dd->log, "%s was not written completely; pages past its end cannot be read\n",
			dd->path);
	return 0;
err:
	diskdump_close(dd);
	return ret;
}

void diskdump_close(struct diskdump *dd)
{
	unsigned int i;

	for (i = 0; i < DISKDUMP_CACHE_PAGES; i++)
		free(dd->cache[i].page);
	page_decompressor_free(&dd->dec);
	free(dd->scratch);
	free(dd->rank);
	free(dd->bitmap1);
	free(dd->bitmap2);
	free(dd->vmcoreinfo_copy);
	free(dd->notes);
	if (dd->map)
		munmap((void *)dd->map, dd->size);
	if (dd->fd >= 0)
		close(dd->fd);
	free(dd->path);
	memset(dd, 0, sizeof(*dd));
	dd->fd = -1;
}

static bool test_bit(const uint8_t *bm, uint64_t pfn)
{
	return (bm[pfn / 8] >> (pfn % 8)) & 1;
}

bool diskdump_pfn_in_memory(const struct diskdump *dd, uint64_t pfn)
{
	return pfn < dd->max_mapnr && test_bit(dd->bitmap1, pfn);
}

uint64_t diskdump_find_bit(const struct diskdump *dd, int which, uint64_t pfn, uint64_t end,
			   bool set)
{
	const uint8_t *bm = which == 1 ? dd->bitmap1 : dd->bitmap2;
	uint64_t limit = end < dd->max_mapnr ? end : dd->max_mapnr, word;
	uint8_t other = set ? 0x00 : 0xff;

	while (pfn < limit) {
		if (!(pfn % 64) && limit - pfn >= 64) {
			memcpy(&word, bm + pfn / 8, sizeof(word));
			if (word == (set ? 0 : UINT64_MAX)) {
				pfn += 64;
				continue;
			}
		}
		if (!(pfn % 8) && limit - pfn >= 8 && bm[pfn / 8] == other) {
			pfn += 8;
			continue;
		}
		if (test_bit(bm, pfn) == set)
			return pfn;
		pfn++;
	}
	/* Past the bitmap every bit reads as clear. */
	return set ? end : pfn;
}

bool diskdump_pfn_dumped(const struct diskdump *dd, uint64_t pfn)
{
	return pfn < dd->max_mapnr && test_bit(dd->bitmap2, pfn);
}

void diskdump_fill_bitmap(const struct diskdump *dd, int which, struct bitmap *bm)
{
	const uint8_t *src = which == 1 ? dd->bitmap1 : dd->bitmap2;
	uint64_t pfn, end = bm->end < dd->max_mapnr ? bm->end : dd->max_mapnr;

	for (pfn = bm->start; pfn < end; pfn++) {
		if (!(pfn % 8) && !src[pfn / 8] && pfn + 8 <= end) {
			pfn += 7;	/* a clear byte: skip its 8 pfns */
			continue;
		}
		if (test_bit(src, pfn))
			bitmap_set(bm, pfn);
	}
}

/* Index of a dumped pfn among the descriptors: set bits before it. */
static uint64_t desc_index(const struct diskdump *dd, uint64_t pfn)
{
	uint64_t b = pfn / RANK_BLOCK_PFNS, first = b * RANK_BLOCK_PFNS;
	uint64_t n = dd->rank[b] + popcount_bytes(dd->bitmap2 + first / 8, (pfn - first) / 8);
	unsigned int bits = pfn % 8;

	if (bits)
		n += (uint64_t)__builtin_popcount(dd->bitmap2[pfn / 8] & ((1u << bits) - 1));
	return n;
}

static int check_desc(const struct diskdump *dd, uint64_t pfn,
		      const struct kdump_page_desc *pd)
{
	uint32_t comp = pd->flags & DUMP_DH_COMPRESSED_ANY;

	if (!pd->size || pd->size > dd->page_size || (!comp && pd->size != dd->page_size) ||
	    (comp & (comp - 1))) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: pfn %#llx has a descriptor of size %u, flags %#x",
		       dd->path, (unsigned long long)pfn, pd->size, pd->flags);
	}
	if (!in_file(dd, pd->offset, pd->size)) {
		return log_fail(dd->log, PMD_ECORRUPT, "%s is truncated: the data of pfn %#llx (%u bytes at %#llx) is past its end",
		       dd->path, (unsigned long long)pfn, pd->size,
		       (unsigned long long)pd->offset);
	}
	return 0;
}

static int lookup_desc(struct diskdump *dd, uint64_t pfn, struct kdump_page_desc *pd,
		       bool quiet)
{
	if (!diskdump_pfn_dumped(dd, pfn)) {
		if (quiet)
			return -1;
		if (pfn >= dd->max_mapnr)
			return log_fail(dd->log, PMD_ECORRUPT,
					"physical address %#llx is past the end of memory in %s (%#llx page frames)",
					(unsigned long long)pfn * dd->page_size, dd->path,
					(unsigned long long)dd->max_mapnr);
		return log_fail(dd->log, PMD_ECORRUPT, "physical address %#llx is not in %s: its page was excluded from the dump",
			       (unsigned long long)pfn * dd->page_size, dd->path);
	}
	if (dd->map)
		memcpy(pd, dd->map + dd->desc_off + desc_index(dd, pfn) * sizeof(*pd),
		       sizeof(*pd));
	else if (read_at(dd, pd, sizeof(*pd), dd->desc_off + desc_index(dd, pfn) * sizeof(*pd),
			 "a page descriptor") < 0)
		return -1;
	return quiet ? 0 : check_desc(dd, pfn, pd);
}

int diskdump_page_desc(struct diskdump *dd, uint64_t pfn, struct kdump_page_desc *pd)
{
	return lookup_desc(dd, pfn, pd, false);
}

static const uint8_t *cached_page(struct diskdump *dd, uint64_t pfn)
{
	unsigned int i;

	for (i = 0; i < DISKDUMP_CACHE_PAGES; i++)
		if (dd->cache[i].valid && dd->cache[i].pfn == pfn)
			return dd->cache[i].page;
	return NULL;
}

/* The bytes of dumped @pfn: in the mapping, or decoded into the cache. */
static const uint8_t *page_bytes(struct diskdump *dd, uint64_t pfn)
{
	struct diskdump_cached_page *slot;
	struct kdump_page_desc pd;
	const uint8_t *data, *hit = cached_page(dd, pfn);
	const char *why = NULL;

	if (hit)
		return hit;
	if (diskdump_page_desc(dd, pfn, &pd) < 0)
		return NULL;
	if (dd->map && !(pd.flags & DUMP_DH_COMPRESSED_ANY))
		return dd->map + pd.offset;
	slot = &dd->cache[dd->cache_next];
	dd->cache_next = (dd->cache_next + 1) % DISKDUMP_CACHE_PAGES;
	slot->valid = false;
	if (!(pd.flags & DUMP_DH_COMPRESSED_ANY)) {
		if (read_at(dd, slot->page, pd.size, pd.offset, "page data") < 0)
			return NULL;
	} else {
		data = dd->map ? dd->map + pd.offset : dd->scratch;
		if (!dd->map && read_at(dd, dd->scratch, pd.size, pd.offset, "page data") < 0)
			return NULL;
		if (page_decompress(&dd->dec, pd.flags & DUMP_DH_COMPRESSED_ANY, data,
				    pd.size, slot->page, &why) < 0) {
			log_fail(dd->log, PMD_ECORRUPT, "%s is corrupt: pfn %#llx: %s", dd->path,
			       (unsigned long long)pfn, why);
			return NULL;
		}
	}
	slot->pfn = pfn;
	slot->valid = true;
	return slot->page;
}

int diskdump_read_page(struct diskdump *dd, uint64_t pfn, void *buf)
{
	const uint8_t *p = page_bytes(dd, pfn);

	if (!p)
		return -1;
	memcpy(buf, p, dd->page_size);
	return 0;
}

static int dd_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct diskdump *dd = priv;
	uint8_t *out = buf;

	while (len) {
		uint64_t pfn = paddr / dd->page_size, in_page = paddr % dd->page_size;
		size_t chunk = dd->page_size - in_page;
		const uint8_t *p = page_bytes(dd, pfn);

		if (!p)
			return -1;
		if (chunk > len)
			chunk = len;
		memcpy(out, p + in_page, chunk);
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

static bool dd_present(void *priv, uint64_t pfn)
{
	return diskdump_pfn_dumped(priv, pfn);
}

/* Only a raw page in the mapping stays valid: compressed ones live in the cache. */
static const void *dd_ptr(void *priv, uint64_t paddr, size_t len)
{
	struct diskdump *dd = priv;
	uint64_t pfn = paddr / dd->page_size, in_page = paddr % dd->page_size;
	struct kdump_page_desc pd;

	if (!dd->map || len > dd->page_size - in_page ||
	    lookup_desc(dd, pfn, &pd, true) < 0)
		return NULL;
	if ((pd.flags & DUMP_DH_COMPRESSED_ANY) || pd.size != dd->page_size ||
	    !in_file(dd, pd.offset, pd.size))
		return NULL;
	return dd->map + pd.offset + in_page;
}

static int dd_read_page(void *priv, uint64_t pfn, void *buf)
{
	return diskdump_read_page(priv, pfn, buf);
}

static const struct physmem_ops diskdump_physmem_ops = {
	.read = dd_read,
	.present = dd_present,
	.ptr = dd_ptr,
	.read_page = dd_read_page,
};

void diskdump_physmem(struct diskdump *dd, struct physmem *pm)
{
	pm->ops = &diskdump_physmem_ops;
	pm->priv = dd;
	pm->log = dd->log;
}
