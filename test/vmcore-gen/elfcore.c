// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMCOREINFO, the crash notes and the ELF file as /proc/vmcore shows it.
 *
 * File layout (fs/proc/vmcore.c, 6.1): ELF header and program headers,
 * padded to a page; the merged note segment (every CPU's NT_PRSTATUS, then
 * VMCOREINFO), padded to a page; then each PT_LOAD's pages back to back in
 * program header order.  The program headers are those of the kernel's
 * elfcorehdr (kexec_file): the kernel text mapping, then System RAM.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmcore-gen.h"

/* ---- VMCOREINFO ----------------------------------------------------- */

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			die("vsnprintf failed");
		if (sb->len + n < sb->cap)
			break;
		sb->cap = (sb->cap + n) * 2;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
	sb->len += n;
}

/*
 * log_buf_vmcoreinfo_setup() of 6.1, which crash_save_vmcoreinfo_init()
 * calls after LENGTH(zone.free_area): the ring's symbols, then the size
 * and member offsets of every structure a reader needs.
 */
static void printk_vmcoreinfo(struct gen_ctx *ctx, struct strbuf *sb)
{
	static const struct { const char *key; int val; } layout[] = {
		{ "SIZE(printk_ringbuffer)", SIZEOF_PRINTK_RINGBUFFER },
		{ "OFFSET(printk_ringbuffer.desc_ring)", PRB_OFF_DESC_RING },
		{ "OFFSET(printk_ringbuffer.text_data_ring)", PRB_OFF_TEXT_DATA_RING },
		{ "OFFSET(printk_ringbuffer.fail)", PRB_OFF_FAIL },
		{ "SIZE(prb_desc_ring)", SIZEOF_PRB_DESC_RING },
		{ "OFFSET(prb_desc_ring.count_bits)", DESC_RING_OFF_COUNT_BITS },
		{ "OFFSET(prb_desc_ring.descs)", DESC_RING_OFF_DESCS },
		{ "OFFSET(prb_desc_ring.infos)", DESC_RING_OFF_INFOS },
		{ "OFFSET(prb_desc_ring.head_id)", DESC_RING_OFF_HEAD_ID },
		{ "OFFSET(prb_desc_ring.tail_id)", DESC_RING_OFF_TAIL_ID },
		{ "SIZE(prb_desc)", SIZEOF_PRB_DESC },
		{ "OFFSET(prb_desc.state_var)", PRB_DESC_OFF_STATE_VAR },
		{ "OFFSET(prb_desc.text_blk_lpos)", PRB_DESC_OFF_TEXT_BLK_LPOS },
		{ "SIZE(prb_data_blk_lpos)", SIZEOF_PRB_DATA_BLK_LPOS },
		{ "OFFSET(prb_data_blk_lpos.begin)", LPOS_OFF_BEGIN },
		{ "OFFSET(prb_data_blk_lpos.next)", LPOS_OFF_NEXT },
		{ "SIZE(printk_info)", SIZEOF_PRINTK_INFO },
		{ "OFFSET(printk_info.seq)", INFO_OFF_SEQ },
		{ "OFFSET(printk_info.ts_nsec)", INFO_OFF_TS_NSEC },
		{ "OFFSET(printk_info.text_len)", INFO_OFF_TEXT_LEN },
		{ "OFFSET(printk_info.caller_id)", INFO_OFF_CALLER_ID },
		{ "OFFSET(printk_info.dev_info)", INFO_OFF_DEV_INFO },
		{ "SIZE(dev_printk_info)", SIZEOF_DEV_PRINTK_INFO },
		{ "OFFSET(dev_printk_info.subsystem)", DEV_INFO_OFF_SUBSYSTEM },
		{ "LENGTH(printk_info_subsystem)", DEV_INFO_SUBSYSTEM_LEN },
		{ "OFFSET(dev_printk_info.device)", DEV_INFO_OFF_DEVICE },
		{ "LENGTH(printk_info_device)", DEV_INFO_DEVICE_LEN },
		{ "SIZE(prb_data_ring)", SIZEOF_PRB_DATA_RING },
		{ "OFFSET(prb_data_ring.size_bits)", DATA_RING_OFF_SIZE_BITS },
		{ "OFFSET(prb_data_ring.data)", DATA_RING_OFF_DATA },
		{ "OFFSET(prb_data_ring.head_lpos)", DATA_RING_OFF_HEAD_LPOS },
		{ "OFFSET(prb_data_ring.tail_lpos)", DATA_RING_OFF_TAIL_LPOS },
		{ "SIZE(atomic_long_t)", SIZEOF_ATOMIC_LONG },
		{ "OFFSET(atomic_long_t.counter)", ATOMIC_LONG_OFF_COUNTER },
		{ "SIZE(latched_seq)", SIZEOF_LATCHED_SEQ },
		{ "OFFSET(latched_seq.val)", LATCHED_SEQ_OFF_VAL },
	};

	sb_printf(sb, "SYMBOL(prb)=%llx\n",
		  (unsigned long long)printk_symbol(ctx, "prb"));
	sb_printf(sb, "SYMBOL(printk_rb_static)=%llx\n",
		  (unsigned long long)printk_symbol(ctx, "printk_rb_static"));
	sb_printf(sb, "SYMBOL(clear_seq)=%llx\n",
		  (unsigned long long)printk_symbol(ctx, "clear_seq"));
	for (size_t i = 0; i < ARRAY_SIZE(layout); i++)
		sb_printf(sb, "%s=%d\n", layout[i].key, layout[i].val);
}

/* The panic's time; a live dump's capture (its CAPTURE_TIME's seconds). */
uint64_t crash_time(const struct gen_ctx *ctx)
{
	return 1700000000ULL + ctx->opt.kaslr_seed % 100000;
}

/*
 * The keys and their order follow crash_save_vmcoreinfo_init() and
 * arch_crash_save_vmcoreinfo() in 6.1 for a NUMA, SPARSEMEM_VMEMMAP x86_64
 * kernel.  Not emitted: kallsyms symbols, which would have to point at
 * valid data structures (the generator builds none), and the printk ring
 * unless --printk built one.
 */
void build_vmcoreinfo(struct gen_ctx *ctx)
{
	struct strbuf sb = { xcalloc(1, 4096), 0, 4096 };
	const struct kimage *k = &ctx->kimg;
	uint64_t seed = ctx->opt.kaslr_seed;

	sb_printf(&sb, "OSRELEASE=6.1.0\n");
	sb_printf(&sb, "BUILD-ID=%016llx%016llx%08x\n",
		  (unsigned long long)(0x766d636f72656765ULL ^ seed),
		  (unsigned long long)(ctx->opt.paging * 0x1111111111111111ULL),
		  (unsigned int)ctx->max_pfn);
	sb_printf(&sb, "PAGESIZE=%lu\n", PAGE_SIZE);
	sb_printf(&sb, "SYMBOL(init_uts_ns)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->init_uts_ns));
	sb_printf(&sb, "OFFSET(uts_namespace.name)=0\n");
	sb_printf(&sb, "SYMBOL(node_online_map)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->node_online_map));
	sb_printf(&sb, "SYMBOL(swapper_pg_dir)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->init_top_pgt));
	sb_printf(&sb, "SYMBOL(_stext)=%llx\n", (unsigned long long)k->text_virt);
	sb_printf(&sb, "SYMBOL(vmap_area_list)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->vmap_area_list));
	sb_printf(&sb, "SYMBOL(mem_section)=%llx\n",
		  (unsigned long long)phys_to_virt(ctx, ctx->mem_section_roots));
	sb_printf(&sb, "LENGTH(mem_section)=%llu\n",
		  (unsigned long long)ctx->nr_section_roots);
	sb_printf(&sb, "SIZE(mem_section)=%d\n", SIZEOF_MEM_SECTION);
	sb_printf(&sb, "OFFSET(mem_section.section_mem_map)=0\n");
	sb_printf(&sb, "NUMBER(SECTION_SIZE_BITS)=%d\n", SECTION_SIZE_BITS);
	sb_printf(&sb, "NUMBER(MAX_PHYSMEM_BITS)=%d\n", ctx->max_physmem_bits);
	sb_printf(&sb, "SIZE(page)=%d\n", SIZEOF_PAGE);
	sb_printf(&sb, "SIZE(pglist_data)=%llu\n",
		  (unsigned long long)SIZEOF_PGLIST_DATA);
	sb_printf(&sb, "SIZE(zone)=%d\n", SIZEOF_ZONE);
	sb_printf(&sb, "SIZE(free_area)=%d\n", SIZEOF_FREE_AREA);
	sb_printf(&sb, "SIZE(list_head)=%d\n", SIZEOF_LIST_HEAD);
	sb_printf(&sb, "SIZE(nodemask_t)=%d\n", SIZEOF_NODEMASK);
	sb_printf(&sb, "OFFSET(page.flags)=%d\n", PAGE_OFF_FLAGS);
	sb_printf(&sb, "OFFSET(page._refcount)=%d\n", PAGE_OFF_REFCOUNT);
	sb_printf(&sb, "OFFSET(page.mapping)=%d\n", PAGE_OFF_MAPPING);
	sb_printf(&sb, "OFFSET(page.lru)=%d\n", PAGE_OFF_LRU);
	sb_printf(&sb, "OFFSET(page._mapcount)=%d\n", PAGE_OFF_MAPCOUNT);
	sb_printf(&sb, "OFFSET(page.private)=%d\n", PAGE_OFF_PRIVATE);
	sb_printf(&sb, "OFFSET(page.compound_dtor)=%d\n", PAGE_OFF_COMPOUND_DTOR);
	sb_printf(&sb, "OFFSET(page.compound_order)=%d\n", PAGE_OFF_COMPOUND_ORDER);
	sb_printf(&sb, "OFFSET(page.compound_head)=%d\n", PAGE_OFF_COMPOUND_HEAD);
	sb_printf(&sb, "OFFSET(pglist_data.node_zones)=0\n");
	sb_printf(&sb, "OFFSET(pglist_data.nr_zones)=%d\n", PGDAT_OFF_NR_ZONES);
	sb_printf(&sb, "OFFSET(pglist_data.node_start_pfn)=%d\n", PGDAT_OFF_START_PFN);
	sb_printf(&sb, "OFFSET(pglist_data.node_spanned_pages)=%d\n",
		  PGDAT_OFF_SPANNED);
	sb_printf(&sb, "OFFSET(pglist_data.node_id)=%d\n", PGDAT_OFF_NODE_ID);
	sb_printf(&sb, "OFFSET(zone.free_area)=%d\n", ZONE_OFF_FREE_AREA);
	sb_printf(&sb, "OFFSET(zone.vm_stat)=%d\n", ZONE_OFF_VM_STAT);
	sb_printf(&sb, "OFFSET(zone.spanned_pages)=%d\n", ZONE_OFF_SPANNED);
	sb_printf(&sb, "OFFSET(free_area.free_list)=0\n");
	sb_printf(&sb, "OFFSET(list_head.next)=0\n");
	sb_printf(&sb, "OFFSET(list_head.prev)=8\n");
	sb_printf(&sb, "OFFSET(vmap_area.va_start)=0\n");
	sb_printf(&sb, "OFFSET(vmap_area.list)=40\n");
	sb_printf(&sb, "LENGTH(zone.free_area)=%d\n", MAX_ORDER);
	if (ctx->opt.printk)
		printk_vmcoreinfo(ctx, &sb);
	sb_printf(&sb, "LENGTH(free_area.free_list)=%d\n", MIGRATE_TYPES);
	sb_printf(&sb, "NUMBER(NR_FREE_PAGES)=0\n");
	sb_printf(&sb, "NUMBER(PG_lru)=%d\n", PG_lru);
	sb_printf(&sb, "NUMBER(PG_private)=%d\n", PG_private);
	sb_printf(&sb, "NUMBER(PG_swapcache)=%d\n", PG_swapcache);
	sb_printf(&sb, "NUMBER(PG_swapbacked)=%d\n", PG_swapbacked);
	sb_printf(&sb, "NUMBER(PG_slab)=%d\n", PG_slab);
	sb_printf(&sb, "NUMBER(PG_hwpoison)=%d\n", PG_hwpoison);
	sb_printf(&sb, "NUMBER(PG_head_mask)=%ld\n", 1L << PG_head);
	sb_printf(&sb, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=%d\n",
		  (int)PAGE_BUDDY_MAPCOUNT_VALUE);
	sb_printf(&sb, "NUMBER(HUGETLB_PAGE_DTOR)=%d\n", HUGETLB_PAGE_DTOR);
	sb_printf(&sb, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=%d\n",
		  (int)PAGE_OFFLINE_MAPCOUNT_VALUE);
	/* the devm_memmap_vmcore list of the kernel series (crash_core.c) */
	if (ctx->opt.pmem_list) {
		sb_printf(&sb, "SYMBOL(devm_memmap_vmcore_head)=%llx\n",
			  (unsigned long long)kimg_virt(ctx, ctx->devm_list_head));
		sb_printf(&sb, "SIZE(devm_memmap_vmcore)=%d\n",
			  SIZEOF_DEVM_MEMMAP_VMCORE);
		sb_printf(&sb, "OFFSET(devm_memmap_vmcore.entry)=0\n");
		sb_printf(&sb, "OFFSET(devm_memmap_vmcore.start)=16\n");
		sb_printf(&sb, "OFFSET(devm_memmap_vmcore.end)=24\n");
	}
	/* arch_crash_save_vmcoreinfo() */
	sb_printf(&sb, "NUMBER(phys_base)=%ld\n", (long)ctx->phys_base);
	sb_printf(&sb, "SYMBOL(init_top_pgt)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->init_top_pgt));
	sb_printf(&sb, "NUMBER(pgtable_l5_enabled)=%d\n", ctx->l5);
	sb_printf(&sb, "SYMBOL(node_data)=%llx\n",
		  (unsigned long long)kimg_virt(ctx, k->node_data));
	sb_printf(&sb, "LENGTH(node_data)=%d\n", MAX_NUMNODES);
	sb_printf(&sb, "KERNELOFFSET=%llx\n", (unsigned long long)ctx->kaslr_offset);
	sb_printf(&sb, "NUMBER(KERNEL_IMAGE_SIZE)=%lu\n", KERNEL_IMAGE_SIZE);
	sb_printf(&sb, "NUMBER(sme_mask)=0\n");
	/* crash_save_vmcoreinfo() at panic time */
	sb_printf(&sb, "CRASHTIME=%llu\n", (unsigned long long)crash_time(ctx));

	if (sb.len > PAGE_SIZE)	/* VMCOREINFO_BYTES */
		die("internal: VMCOREINFO is %zu bytes", sb.len);
	ctx->vmcoreinfo = sb.buf;
	ctx->vmcoreinfo_len = sb.len;
}

/* ---- notes ---------------------------------------------------------- */

#define PRSTATUS_SIZE	336	/* struct elf_prstatus on x86_64 */
#define PRSTATUS_PID	32
#define PRSTATUS_REG	112	/* elf_gregset_t: struct user_regs_struct */

enum user_reg { R_RBP = 4, R_RIP = 16, R_CS = 17, R_EFLAGS = 18,
		R_RSP = 19, R_SS = 20, NR_USER_REGS = 27 };

static size_t note_size(size_t namesz, size_t descsz)
{
	return sizeof(Elf64_Nhdr) + ALIGN_UP(namesz, 4) + ALIGN_UP(descsz, 4);
}

static size_t put_note(uint8_t *p, const char *name, uint32_t type,
		       const void *desc, size_t descsz)
{
	Elf64_Nhdr nh = {
		.n_namesz = strlen(name) + 1,
		.n_descsz = descsz,
		.n_type = type,
	};
	size_t off = sizeof(nh);

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + off, name, nh.n_namesz);
	off += ALIGN_UP(nh.n_namesz, 4);
	memcpy(p + off, desc, descsz);
	return off + ALIGN_UP(descsz, 4);
}

/* crash_save_cpu(): the registers of the CPU when it was stopped. */
static void fill_prstatus(const struct gen_ctx *ctx, int cpu, uint8_t *pr)
{
	uint64_t regs[NR_USER_REGS] = { 0 };
	uint32_t pid = cpu ? 0 : 1234;	/* the panicking task on CPU 0 */
	uint64_t stack = phys_to_virt(ctx, ctx->memblock_floor) + 0x1f00;

	for (int i = 0; i < NR_USER_REGS; i++)
		regs[i] = 0x1000ULL * (cpu + 1) + i;
	regs[R_RIP] = ctx->kimg.text_virt + 0x1234 + cpu * 0x40;
	regs[R_CS] = 0x10;
	regs[R_EFLAGS] = 0x246;
	regs[R_RSP] = stack - cpu * 0x4000;
	regs[R_RBP] = regs[R_RSP] + 0x80;
	regs[R_SS] = 0x18;

	memset(pr, 0, PRSTATUS_SIZE);
	memcpy(pr + PRSTATUS_PID, &pid, sizeof(pid));
	memcpy(pr + PRSTATUS_REG, regs, sizeof(regs));
}

/*
 * The merged note segment of /proc/vmcore, and the same notes in the
 * crashed kernel's memory (crash_notes per CPU, vmcoreinfo_note), where
 * the elfcorehdr's PT_NOTEs pointed.
 */
void build_notes(struct gen_ctx *ctx)
{
	size_t total = ctx->opt.cpus * note_size(5, PRSTATUS_SIZE) +
		       note_size(11, ctx->vmcoreinfo_len) +
		       (ctx->ld_note ? note_size(9, ctx->ld_note_len) : 0);
	uint8_t *notes = xcalloc(1, total), pr[PRSTATUS_SIZE];
	size_t off = 0, n;

	for (int cpu = 0; cpu < ctx->opt.cpus; cpu++) {
		fill_prstatus(ctx, cpu, pr);
		n = put_note(notes + off, "CORE", NT_PRSTATUS, pr, sizeof(pr));
		kmem_write(ctx, ctx->crash_notes_phys + cpu * 384, notes + off, n);
		off += n;
	}
	n = put_note(notes + off, "VMCOREINFO", 0, ctx->vmcoreinfo, ctx->vmcoreinfo_len);
	kmem_write(ctx, ctx->vmcoreinfo_note_phys, notes + off, n);
	off += n;
	/* a live dump's own, after VMCOREINFO as ld_write_header() puts it */
	if (ctx->ld_note)
		put_note(notes + off, "LIVEDUMP", LIVEDUMP_NOTE_TYPE, ctx->ld_note,
			 ctx->ld_note_len);
	/* the kernel's buffer holds the text too, at vmcoreinfo_data */
	kmem_write(ctx, ctx->vmcoreinfo_note_phys + PAGE_SIZE,
		   ctx->vmcoreinfo, ctx->vmcoreinfo_len);
	ctx->notes = notes;
	ctx->notes_len = total;
}

/* ---- the file ------------------------------------------------------- */

struct writer {
	int fd;
	const char *path;
	uint8_t *buf;		/* run of non-zero pages waiting for pwrite */
	size_t buf_len, buf_cap;
	off_t buf_off;
};

static void writer_flush(struct writer *w)
{
	size_t done = 0;

	while (done < w->buf_len) {
		ssize_t n = pwrite(w->fd, w->buf + done, w->buf_len - done,
				   w->buf_off + done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("%s: write: %s", w->path, strerror(errno));
		}
		done += n;
	}
	w->buf_len = 0;
}

/* Queue one page at @off; zero pages become holes of the sparse file. */
static void writer_page(struct writer *w, off_t off, const uint8_t *page,
			bool zero)
{
	if (w->buf_len && (zero || w->buf_off + (off_t)w->buf_len != off ||
			   w->buf_len == w->buf_cap))
		writer_flush(w);
	if (zero)
		return;
	if (!w->buf_len)
		w->buf_off = off;
	memcpy(w->buf + w->buf_len, page, PAGE_SIZE);
	w->buf_len += PAGE_SIZE;
}

static void set_phdr(Elf64_Phdr *ph, uint64_t vaddr, uint64_t paddr,
		     uint64_t size, off_t off)
{
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W | PF_X;
	ph->p_offset = off;
	ph->p_vaddr = vaddr;
	ph->p_paddr = paddr;
	ph->p_filesz = size;
	ph->p_memsz = size;
	ph->p_align = 0;
}

struct pmem_seg {
	struct writer *w;
	const Elf64_Phdr *ph;
};

/* The pages of a run that lie in the segment's file data. */
static void write_pmem_run(const struct gen_ctx *ctx, uint64_t pfn,
			   uint64_t npages, void *arg)
{
	struct pmem_seg *ps = arg;
	uint8_t page[PAGE_SIZE];

	for (uint64_t p = pfn; p < pfn + npages; p++) {
		bool zero;

		if (PFN_PHYS(p) < ps->ph->p_paddr ||
		    PFN_PHYS(p) >= ps->ph->p_paddr + ps->ph->p_filesz)
			continue;
		page_content(ctx, p, page, &zero);
		writer_page(ps->w, ps->ph->p_offset +
				      (PFN_PHYS(p) - ps->ph->p_paddr), page, zero);
	}
}

static void write_segment(const struct gen_ctx *ctx, struct writer *w,
			  const Elf64_Phdr *ph)
{
	if (pfn_in_pmem(ctx, PHYS_PFN(ph->p_paddr))) {
		/* only the non-zero pages: the rest stays a hole */
		struct pmem_seg ps = { w, ph };

		pmem_for_each_nonzero(ctx, write_pmem_run, &ps);
		writer_flush(w);
		return;
	}

	uint8_t page[PAGE_SIZE];

	for (uint64_t pa = ph->p_paddr; pa < ph->p_paddr + ph->p_filesz;
	     pa += PAGE_SIZE) {
		bool zero;

		page_content(ctx, PHYS_PFN(pa), page, &zero);
		writer_page(w, ph->p_offset + (pa - ph->p_paddr), page, zero);
	}
	writer_flush(w);
}

void write_vmcore(struct gen_ctx *ctx, const char *path)
{
	int phnum = 2 + ctx->nr_dump + ctx->nr_pieces;
	size_t hdr_len = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	size_t notes_len = ctx->notes_len;
	const uint8_t *notes = ctx->notes;
	uint64_t elfsz = ALIGN_UP(hdr_len, PAGE_SIZE);
	uint64_t off = elfsz + ALIGN_UP(notes_len, PAGE_SIZE);
	uint8_t *hdr = xcalloc(1, elfsz);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)hdr;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	struct writer w = { .path = path, .buf_cap = 256 * PAGE_SIZE };

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;

	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = elfsz;
	ph[0].p_filesz = ph[0].p_memsz = notes_len;

	set_phdr(&ph[1], ctx->kimg.text_virt, ctx->kimg.phys, ctx->kimg.size, off);
	off += ctx->kimg.size;
	for (int i = 0; i < ctx->nr_dump; i++) {
		uint64_t s = ctx->dump[i].start, size = ctx->dump[i].end - s;

		set_phdr(&ph[2 + i], phys_to_virt(ctx, s), s, size, off);
		if (ctx->opt.ram_filesz_cut && i == ctx->cut_dump)
			ph[2 + i].p_filesz -= PFN_PHYS(ctx->opt.ram_filesz_cut);
		off += ph[2 + i].p_filesz;
	}
	/* one PT_LOAD for the region, or a live dump's pieces (livedump.c) */
	for (int i = 0; i < ctx->nr_pieces; i++) {
		const struct pmem_piece *pc = &ctx->pieces[i];
		Elf64_Phdr *p = &ph[2 + ctx->nr_dump + i];

		/* no file data: the offset of the data, as kernel/livedump.c has it */
		set_phdr(p, phys_to_virt(ctx, pc->start), pc->start, pc->end - pc->start,
			 pc->filesz ? off : ph[1].p_offset);
		p->p_filesz = pc->filesz;
		if (ctx->opt.pmem_flag)
			p->p_flags |= PF_DEV;
		off += pc->filesz;
	}

	w.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (w.fd < 0)
		die("%s: %s", path, strerror(errno));
	w.buf = xcalloc(1, w.buf_cap);
	if (pwrite(w.fd, hdr, elfsz, 0) != (ssize_t)elfsz ||
	    pwrite(w.fd, notes, notes_len, elfsz) != (ssize_t)notes_len)
		die("%s: write: %s", path, strerror(errno));
	for (int i = 1; i < phnum; i++)
		write_segment(ctx, &w, &ph[i]);
	if (ftruncate(w.fd, off) < 0 || close(w.fd) < 0)
		die("%s: %s", path, strerror(errno));
	free(w.buf);
	free(hdr);
}
