// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel log (--printk): Linux 6.1's lockless printk ring, written
 * into the synthetic kernel's memory (kmem.c) with its VMCOREINFO
 * symbols, and the log makedumpfile --dump-dmesg should print from it,
 * for the manifest.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcore-gen.h"

static void put64(uint8_t *p, unsigned int off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

/* ---- the ring ----------------------------------------------------------- */

/*
 * kernel/printk/printk_ringbuffer.[ch] of 6.1, replayed on one CPU.  A
 * record is a descriptor (state_var: two state bits over a 62-bit id; the
 * logical positions [begin, next) of its text block) and a printk_info
 * (seq, ts_nsec, text_len, facility, flags:5/level:3, caller_id,
 * dev_info) at the same index, id modulo the descriptor count.  A text
 * block is the owner's id and the text, 8-byte aligned; a block that
 * would reach the end of the data array is stored at its start instead
 * (the id is written at both places), its lpos going from the old place
 * into the next wrap.  Writers reserve the descriptor after the head
 * (pushing the tail descriptor out once the array is full) and a block
 * after the data head (pushing the oldest blocks out, their descriptors
 * becoming reusable).  A message without a trailing newline is only
 * committed; a continuation (KERN_CONT) from the same caller re-opens and
 * grows it; the next reservation finalizes it.
 *
 * Beside the ring, a journal by sequence number keeps each record's text
 * as the writer built it and whether the ring lost it: the expected
 * kernel log comes from the journal, never from reading the ring back.
 */

#define PRK_SV_SHIFT		62
#define PRK_ID_MASK		(~(3ULL << PRK_SV_SHIFT))
#define PRK_FAILED_LPOS		0x1ULL
#define PRK_NO_LPOS		0x3ULL
#define PRK_LOG_NEWLINE		2
#define PRK_LOG_CONT		8
#define PRK_LINE_MAX		(1024 - 32)	/* LOG_LINE_MAX, no PRINTK_CALLER */
#define PRK_AVGBITS		5
#define PRK_CALLER_CPU		0x80000000U	/* caller_id of a CPU context */

enum prk_state { PRK_MISS = -1, PRK_RESERVED = 0, PRK_COMMITTED = 1,
		 PRK_FINALIZED = 2, PRK_REUSABLE = 3 };

struct prk_desc {
	uint64_t sv, begin, next;
};

struct prk_info {
	uint64_t seq, ts;
	uint16_t text_len;
	uint8_t facility, flags, level;
	uint32_t caller;
	char subsys[DEV_INFO_SUBSYSTEM_LEN];
	char device[DEV_INFO_DEVICE_LEN];
};

struct prk_rec {
	uint64_t ts;
	char *text;
	size_t len;
	bool committed;		/* reserved records that never were are not shown */
	bool lost;		/* made reusable: its text is gone */
	bool damaged;		/* broken after the fact by --printk-damage */
};

struct prk_ring {
	unsigned int count_bits, size_bits;
	uint64_t count, size;
	struct prk_desc *desc;
	struct prk_info *info;
	uint8_t *data;
	uint64_t head_id, tail_id, last_final_id, head_lpos, tail_lpos, fail;
	/* the journal, by seq */
	struct prk_rec *rec;
	size_t nr_rec, cap_rec;
	/* what the writers did */
	uint64_t joined, cont_records, realloc_wraps, tail_pushes;
	/* where it lives: physical addresses, the pointers the ring holds */
	uint64_t rb_phys, descs_phys, infos_phys, data_phys;
	uint64_t descs_virt, infos_virt, data_virt;
};

struct printk_model {
	struct prk_ring stat, dyn;
	bool dynamic;			/* prb = &printk_rb_dynamic */
	uint64_t prb_off, clear_seq_off, rb_static_off, rb_dynamic_off;
	uint64_t ts, rng;		/* local_clock(), message choices */
	unsigned int damaged;
	char damage_what[160];		/* the first damaged record, for the manifest */
};

struct prk_msg {
	uint32_t caller;
	uint8_t facility, level;
	bool cont;
	const char *subsys, *device;
};

static struct prk_desc *prk_desc_of(struct prk_ring *r, uint64_t n)
{
	return &r->desc[n & (r->count - 1)];
}

static struct prk_info *prk_info_of(struct prk_ring *r, uint64_t n)
{
	return &r->info[n & (r->count - 1)];
}

static uint64_t prk_sv(uint64_t id, enum prk_state st)
{
	return (uint64_t)st << PRK_SV_SHIFT | (id & PRK_ID_MASK);
}

static enum prk_state prk_state_of(struct prk_ring *r, uint64_t id)
{
	uint64_t sv = prk_desc_of(r, id)->sv;

	if ((sv & PRK_ID_MASK) != id)
		return PRK_MISS;
	return (enum prk_state)(sv >> PRK_SV_SHIFT);
}

static uint64_t prk_wraps(const struct prk_ring *r, uint64_t lpos)
{
	return lpos >> r->size_bits;
}

static uint64_t prk_index(const struct prk_ring *r, uint64_t lpos)
{
	return lpos & (r->size - 1);
}

/* DEFINE_PRINTKRB / prb_init: empty, the last descriptor the initial tail. */
static void prk_init(struct prk_ring *r, unsigned int count_bits,
		     unsigned int size_bits)
{
	uint64_t id0;

	memset(r, 0, sizeof(*r));
	r->count_bits = count_bits;
	r->size_bits = size_bits;
	r->count = 1ULL << count_bits;
	r->size = 1ULL << size_bits;
	r->desc = xcalloc(r->count, sizeof(*r->desc));
	r->info = xcalloc(r->count, sizeof(*r->info));
	r->data = xcalloc(1, r->size);
	id0 = (0 - (r->count + 1)) & PRK_ID_MASK;	/* DESC0_ID */
	r->head_id = r->tail_id = r->last_final_id = id0;
	r->head_lpos = r->tail_lpos = 0 - r->size;	/* BLK0_LPOS */
	r->desc[r->count - 1].sv = prk_sv(id0, PRK_REUSABLE);
	r->desc[r->count - 1].begin = PRK_FAILED_LPOS;
	r->desc[r->count - 1].next = PRK_FAILED_LPOS;
	r->info[0].seq = 0 - r->count;
	r->info[r->count - 1].seq = 0;
}

static void prk_free(struct prk_ring *r)
{
	for (size_t i = 0; i < r->nr_rec; i++)
		free(r->rec[i].text);
	free(r->rec);
	free(r->desc);
	free(r->info);
	free(r->data);
}

static struct prk_rec *prk_rec_add(struct prk_ring *r, uint64_t seq, uint64_t ts)
{
	struct prk_rec *rec;

	if (seq != r->nr_rec)
		die("internal: printk seq %llu out of order",
		    (unsigned long long)seq);
	if (r->nr_rec == r->cap_rec) {
		r->cap_rec = r->cap_rec ? 2 * r->cap_rec : 256;
		r->rec = xrealloc(r->rec, r->cap_rec * sizeof(*r->rec));
	}
	rec = &r->rec[r->nr_rec++];
	memset(rec, 0, sizeof(*rec));
	rec->ts = ts;
	return rec;
}

static void prk_rec_append(struct prk_ring *r, uint64_t seq, const char *s,
			   size_t n)
{
	struct prk_rec *rec = &r->rec[seq];

	rec->text = xrealloc(rec->text, rec->len + n + 1);
	memcpy(rec->text + rec->len, s, n);
	rec->len += n;
	rec->text[rec->len] = '\0';
}

/* desc_make_reusable(): finalized -> reusable; the journal loses it. */
static void prk_make_reusable(struct prk_ring *r, uint64_t id)
{
	struct prk_desc *d = prk_desc_of(r, id);
	uint64_t seq = prk_info_of(r, id)->seq;

	if (d->sv != prk_sv(id, PRK_FINALIZED))
		return;
	d->sv = prk_sv(id, PRK_REUSABLE);
	if (seq < r->nr_rec)
		r->rec[seq].lost = true;
}

/* desc_make_final(): committed -> finalized. */
static void prk_make_final(struct prk_ring *r, uint64_t id)
{
	struct prk_desc *d = prk_desc_of(r, id);

	if (d->sv == prk_sv(id, PRK_COMMITTED))
		d->sv = prk_sv(id, PRK_FINALIZED);
	r->last_final_id = id;
}

/*
 * data_push_tail(): move the data tail to @lpos or beyond, block by
 * block, making each block's descriptor reusable; a block whose
 * descriptor is not finalized (or does not point back) stops it.
 */
static bool prk_data_push_tail(struct prk_ring *r, uint64_t lpos)
{
	uint64_t tail = r->tail_lpos;

	if (lpos & 1)
		return true;
	while ((lpos - tail) - 1 < r->size) {
		uint64_t id;
		enum prk_state st;

		memcpy(&id, r->data + prk_index(r, tail), sizeof(id));
		st = prk_state_of(r, id);
		if (st != PRK_FINALIZED && st != PRK_REUSABLE)
			return false;
		if (prk_desc_of(r, id)->begin != tail)
			return false;
		prk_make_reusable(r, id);
		tail = prk_desc_of(r, id)->next;
	}
	r->tail_lpos = tail;
	return true;
}

/* desc_push_tail(): retire the oldest descriptor, its data first. */
static bool prk_desc_push_tail(struct prk_ring *r, uint64_t tail_id)
{
	struct prk_desc *d = prk_desc_of(r, tail_id);
	enum prk_state st = prk_state_of(r, tail_id);

	if (st == PRK_MISS)
		return (d->sv & PRK_ID_MASK) != ((tail_id - r->count) & PRK_ID_MASK);
	if (st == PRK_RESERVED || st == PRK_COMMITTED)
		return false;
	prk_make_reusable(r, tail_id);
	if (!prk_data_push_tail(r, d->next))
		return false;
	st = prk_state_of(r, (tail_id + 1) & PRK_ID_MASK);
	if (st != PRK_FINALIZED && st != PRK_REUSABLE)
		return false;
	r->tail_id = (tail_id + 1) & PRK_ID_MASK;
	r->tail_pushes++;
	return true;
}

/* desc_reserve(): the descriptor after the head, in the reserved state. */
static bool prk_desc_reserve(struct prk_ring *r, uint64_t *id_out)
{
	uint64_t id = (r->head_id + 1) & PRK_ID_MASK;
	uint64_t prev = (id - r->count) & PRK_ID_MASK;
	struct prk_desc *d;

	if (prev == r->tail_id && !prk_desc_push_tail(r, prev))
		return false;
	r->head_id = id;
	d = prk_desc_of(r, id);
	if (d->sv && d->sv != prk_sv(prev, PRK_REUSABLE))
		die("internal: printk descriptor of id %#llx not reusable",
		    (unsigned long long)prev);
	d->sv = prk_sv(id, PRK_RESERVED);
	*id_out = id;
	return true;
}

/* to_blk_size(): the id, the data, padding to the id's alignment. */
static uint64_t prk_blk_size(uint64_t size)
{
	return ALIGN_UP(size + 8, 8);
}

/* data_check_size(): a block must leave room for the next block's id. */
static bool prk_size_ok(const struct prk_ring *r, uint64_t size)
{
	return !size || prk_blk_size(size) <= r->size - 8;
}

/* get_next_lpos(): a block that would reach the end goes to the start. */
static uint64_t prk_next_lpos(const struct prk_ring *r, uint64_t lpos,
			      uint64_t size)
{
	uint64_t next = lpos + size;

	if (prk_wraps(r, lpos) == prk_wraps(r, next))
		return next;
	return (next & ~(r->size - 1)) + size;
}

/* data_alloc(): a new block at the data head for descriptor @id. */
static uint8_t *prk_data_alloc(struct prk_ring *r, uint64_t size,
			       struct prk_desc *d, uint64_t id)
{
	uint64_t begin = r->head_lpos, next;
	uint8_t *blk;

	if (!size) {
		d->begin = d->next = PRK_NO_LPOS;
		return NULL;
	}
	size = prk_blk_size(size);
	next = prk_next_lpos(r, begin, size);
	if (!prk_data_push_tail(r, next - r->size)) {
		d->begin = d->next = PRK_FAILED_LPOS;
		return NULL;
	}
	r->head_lpos = next;
	blk = r->data + prk_index(r, begin);
	memcpy(blk, &id, sizeof(id));
	if (prk_wraps(r, begin) != prk_wraps(r, next)) {
		blk = r->data;
		memcpy(blk, &id, sizeof(id));
	}
	d->begin = begin;
	d->next = next;
	return blk + 8;
}

/*
 * data_realloc(): grow the newest block in place; if it now reaches the
 * end, it moves to the start of the array, its text copied along.
 */
static uint8_t *prk_data_realloc(struct prk_ring *r, uint64_t size,
				 struct prk_desc *d, uint64_t id)
{
	uint64_t head = r->head_lpos, next;
	bool wrapped;
	uint8_t *blk;

	if (head != d->next)
		return NULL;
	wrapped = prk_wraps(r, d->begin) != prk_wraps(r, d->next);
	size = prk_blk_size(size);
	next = prk_next_lpos(r, d->begin, size);
	if (head - next < r->size)	/* it does not grow */
		return (wrapped ? r->data : r->data + prk_index(r, d->begin)) + 8;
	if (!prk_data_push_tail(r, next - r->size))
		return NULL;
	r->head_lpos = next;
	blk = r->data + prk_index(r, d->begin);
	if (prk_wraps(r, d->begin) != prk_wraps(r, next)) {
		uint8_t *old = blk;

		blk = r->data;
		memcpy(blk, &id, sizeof(id));
		if (!wrapped) {
			memmove(blk + 8, old + 8, (d->next - d->begin) - 8);
			r->realloc_wraps++;
		}
	}
	d->next = next;
	return blk + 8;
}

/* _prb_commit(), prb_commit() and prb_final_commit(). */
static void prk_commit(struct prk_ring *r, uint64_t id, bool final)
{
	struct prk_desc *d = prk_desc_of(r, id);

	if (d->sv != prk_sv(id, PRK_RESERVED))
		die("internal: printk commit of a descriptor not reserved");
	d->sv = prk_sv(id, final ? PRK_FINALIZED : PRK_COMMITTED);
	r->rec[prk_info_of(r, id)->seq].committed = true;
	if (final)
		r->last_final_id = id;
	else if (r->head_id != id)
		prk_make_final(r, id);
}

/*
 * prb_reserve(): a new record of @size text bytes; its info cleared but
 * for seq, which advances by the descriptor count (first use: the index).
 */
static uint8_t *prk_reserve(struct prk_ring *r, uint64_t size, uint64_t ts,
			    uint64_t *id_out)
{
	struct prk_info *info;
	uint64_t id, seq;
	uint8_t *buf;

	if (!prk_size_ok(r, size) || !prk_desc_reserve(r, &id))
		die("internal: printk reservation of %llu bytes failed",
		    (unsigned long long)size);
	info = prk_info_of(r, id);
	seq = info->seq;
	memset(info, 0, sizeof(*info));
	if (seq == 0 && (id & (r->count - 1)))
		info->seq = id & (r->count - 1);
	else
		info->seq = seq + r->count;
	prk_rec_add(r, info->seq, ts);
	if (info->seq > 0)
		prk_make_final(r, (id - 1) & PRK_ID_MASK);
	buf = prk_data_alloc(r, size, prk_desc_of(r, id), id);
	if (size && !buf)
		die("internal: printk data ring cannot take %llu bytes",
		    (unsigned long long)size);
	*id_out = id;
	return buf;
}

/*
 * prb_reserve_in_last(): re-open the newest record if it is committed
 * (not finalized) and @caller's, and make room for @size more bytes.
 * Returns the start of its whole text, or NULL (then it is committed
 * again, and finalized if no longer the head).
 */
static uint8_t *prk_reserve_in_last(struct prk_ring *r, uint32_t caller,
				    uint64_t size, uint64_t *id_out)
{
	uint64_t id = r->head_id, total;
	struct prk_desc *d = prk_desc_of(r, id);
	struct prk_info *info = prk_info_of(r, id);
	uint8_t *buf;

	if (prk_state_of(r, id) != PRK_COMMITTED || info->caller != caller)
		return NULL;
	d->sv = prk_sv(id, PRK_RESERVED);
	total = size + info->text_len;
	if (!prk_size_ok(r, total) || total > PRK_LINE_MAX)
		goto fail;
	if ((d->begin & 1) && (d->next & 1))
		buf = prk_data_alloc(r, total, d, id);
	else
		buf = prk_data_realloc(r, total, d, id);
	if (total && !buf)
		goto fail;
	*id_out = id;
	return buf;
fail:
	prk_commit(r, id, false);
	return NULL;
}

/*
 * vprintk_store() for one formatted message: @text as vscnprintf made it
 * (no level prefix), with its trailing newline if any.  The buffer holds
 * the text, newline and NUL; text_len leaves out the newline.
 */
static void prk_printk(struct prk_ring *r, uint64_t ts, const struct prk_msg *m,
		       const char *text)
{
	size_t len = strlen(text), body = len;
	uint64_t reserve = len + 1, id;
	uint8_t flags = 0, *buf;
	struct prk_info *info;

	if (reserve > PRK_LINE_MAX)
		die("internal: printk message of %zu bytes", len);
	if (len && text[len - 1] == '\n') {
		body--;
		flags |= PRK_LOG_NEWLINE;
	}
	if (m->subsys)
		flags |= PRK_LOG_NEWLINE;
	if (m->cont) {
		buf = prk_reserve_in_last(r, m->caller, reserve, &id);
		if (buf) {
			info = prk_info_of(r, id);
			memcpy(buf + info->text_len, text, len + 1);
			prk_rec_append(r, info->seq, text, body);
			info->text_len += body;
			r->joined++;
			if (flags & PRK_LOG_NEWLINE)
				info->flags |= PRK_LOG_NEWLINE;
			prk_commit(r, id, flags & PRK_LOG_NEWLINE);
			return;
		}
		flags |= PRK_LOG_CONT;
		r->cont_records++;
	}
	buf = prk_reserve(r, reserve, ts, &id);
	info = prk_info_of(r, id);
	memcpy(buf, text, len + 1);
	prk_rec_append(r, info->seq, text, body);
	info->text_len = body;
	info->facility = m->facility;
	info->level = m->level & 7;
	info->flags = flags & 0x1f;
	info->ts = ts;
	info->caller = m->caller;
	if (m->subsys) {
		strncpy(info->subsys, m->subsys, sizeof(info->subsys) - 1);
		strncpy(info->device, m->device, sizeof(info->device) - 1);
	}
	prk_commit(r, id, flags & PRK_LOG_NEWLINE);
}

/* add_to_rb() of setup_log_buf(): a record copied, text_len bytes only. */
static void prk_copy(struct prk_ring *dst, struct prk_ring *src, uint64_t seq)
{
	const struct prk_info *from = prk_info_of(src, seq);
	const struct prk_rec *rec = &src->rec[seq];
	struct prk_info *info;
	uint64_t id, keep;
	uint8_t *buf;

	buf = prk_reserve(dst, from->text_len, from->ts, &id);
	if (buf)
		memcpy(buf, rec->text, from->text_len);
	info = prk_info_of(dst, id);
	keep = info->seq;
	*info = *from;
	info->seq = keep;
	prk_rec_append(dst, keep, rec->text, rec->len);
	prk_commit(dst, id, true);
}

/* ---- what the kernel said --------------------------------------------- */

static struct prk_ring *prk_ring_of(struct printk_model *pm)
{
	return pm->dynamic ? &pm->dyn : &pm->stat;
}

/* local_clock(): a few microseconds to a few milliseconds apart */
static uint64_t prk_tick(struct printk_model *pm, uint64_t max_ns)
{
	uint64_t z = (pm->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	pm->ts += 1000 + z % max_ns;
	return z;
}

static void prk_say(struct printk_model *pm, const struct prk_msg *m,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void prk_say(struct printk_model *pm, const struct prk_msg *m,
		    const char *fmt, ...)
{
	char text[PRK_LINE_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PRK_LINE_MAX)
		die("internal: printk message too long");
	prk_tick(pm, 2000000);
	prk_printk(prk_ring_of(pm), pm->ts, m, text);
}

/* Kernel messages of the boot CPU's first task. */
static const struct prk_msg prk_kernel = { .caller = 0, .level = 6 };

static void prk_boot_log(struct gen_ctx *ctx, struct printk_model *pm)
{
	const struct prk_msg *k = &prk_kernel;
	uint64_t mem = 0;

	prk_say(pm, k, "Linux version 6.1.0-vmcore-gen (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.0\n");
	prk_say(pm, k, "Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0 root=/dev/vda1 ro console=ttyS0 crashkernel=%lluM\n",
		(unsigned long long)((ctx->crashk_end - ctx->crashk_start) >> 20));
	prk_say(pm, k, "BIOS-provided physical RAM map:\n");
	for (int i = 0; i < ctx->nr_ram; i++) {
		prk_say(pm, k, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n",
			(unsigned long long)ctx->ram[i].start,
			(unsigned long long)ctx->ram[i].end - 1);
		mem += ctx->ram[i].end - ctx->ram[i].start;
	}
	prk_say(pm, k, "NX (Execute Disable) protection: active\n");
	prk_say(pm, k, "DMI: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n");
	prk_say(pm, k, "tsc: Detected 2495.312 MHz processor\n");
	prk_say(pm, k, "Reserving %lluMB of memory at %lluMB for crashkernel (System RAM: %lluMB)\n",
		(unsigned long long)((ctx->crashk_end - ctx->crashk_start) >> 20),
		(unsigned long long)(ctx->crashk_start >> 20),
		(unsigned long long)(mem >> 20));
	prk_say(pm, k, "smpboot: Allowing %d CPUs, 0 hotplug CPUs\n", ctx->opt.cpus);
	prk_say(pm, k, "Memory: %lluK/%lluK available\n",
		(unsigned long long)(mem >> 10) * 9 / 10,
		(unsigned long long)(mem >> 10));
	/* printk("\n"): a record with no text */
	prk_say(pm, k, "\n");
}

static void prk_devices(struct printk_model *pm, unsigned int n)
{
	static const unsigned int ids[] = { 0x29c0, 0x2918, 0x2922, 0x2930, 0x10d3 };

	for (unsigned int i = 0; i < n; i++)
		prk_say(pm, &prk_kernel, "pci 0000:00:%02x.0: [8086:%04x] type 00 class 0x%06x\n",
			i, ids[i % ARRAY_SIZE(ids)], 0x060000 + i * 0x100);
}

static void prk_panic_log(struct gen_ctx *ctx, struct printk_model *pm)
{
	static const char *const trace[] = {
		" <TASK>", " dump_stack_lvl+0x44/0x5c", " panic+0x118/0x2ed",
		" sysrq_handle_crash+0x16/0x20", " __handle_sysrq.cold+0x43/0x11b",
		" write_sysrq_trigger+0x24/0x40", " proc_reg_write+0x55/0xa0",
		" vfs_write+0xc9/0x3e0", " ksys_write+0x6b/0xf0",
		" do_syscall_64+0x58/0xc0",
		" entry_SYSCALL_64_after_hwframe+0x64/0xce", " </TASK>",
	};
	const struct prk_msg task = { .caller = 1234, .level = 0 };

	prk_say(pm, &task, "sysrq: Trigger a crash\n");
	prk_say(pm, &task, "Kernel panic - not syncing: sysrq triggered crash\n");
	prk_say(pm, &task, "CPU: 0 PID: 1234 Comm: bash Not tainted 6.1.0 #1  Debian 6.1.0\n");
	prk_say(pm, &task, "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n");
	prk_say(pm, &task, "Call Trace:\n");
	for (size_t i = 0; i < ARRAY_SIZE(trace); i++)
		prk_say(pm, &task, "%s\n", trace[i]);
	prk_say(pm, &task, "Kernel Offset: 0x%llx from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)\n",
		(unsigned long long)ctx->kaslr_offset);
}

/* The default ring (CONFIG_LOG_BUF_SHIFT=17), a boot, a panic. */
static void prk_scene_plain(struct gen_ctx *ctx, struct printk_model *pm)
{
	struct prk_ring *r = &pm->stat;
	uint64_t id;
	uint8_t *buf;

	prk_init(r, 17 - PRK_AVGBITS, 17);
	prk_boot_log(ctx, pm);
	prk_devices(pm, 12);
	prk_say(pm, &prk_kernel, "Run /sbin/init as init process\n");
	prk_say(pm, &prk_kernel, "EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.\n");
	prk_panic_log(ctx, pm);
	/*
	 * CPU 1 was inside printk when the NMI stopped it: its record is
	 * reserved, half written, and no reader shows it.
	 */
	prk_tick(pm, 1000);
	buf = prk_reserve(r, 48, pm->ts, &id);
	memcpy(buf, "NMI backtrace for c", 19);
}

/*
 * A small ring (CONFIG_LOG_BUF_SHIFT=12: 4 KiB of text, 128 descriptors)
 * that wraps many times over: descriptors recycled (the tail id moves,
 * ids pass 2^62 and start again at 0), blocks overwritten (descriptors
 * left reusable between tail and head), blocks stored at the start.
 * The clock is past 99990 s, so the seconds grow a sixth digit.
 */
static void prk_scene_wrapped(struct gen_ctx *ctx, struct printk_model *pm)
{
	const struct prk_msg user = { .caller = 2718, .level = 5 };
	const struct prk_msg irq = { .caller = PRK_CALLER_CPU | 1, .level = 4 };

	prk_init(&pm->stat, 12 - PRK_AVGBITS, 12);
	pm->ts = 99970ULL * 1000000000;
	prk_boot_log(ctx, pm);
	for (unsigned int i = 0; i < 700; i++) {
		uint64_t z = prk_tick(pm, 40000000), pick = (z >> 8) % 16;

		/* the last records cross 100000 s */
		if (i == 690 && pm->ts < 99999900000000ULL)
			pm->ts = 99999900000000ULL;
		/* a burst of short records: the descriptors run out first */
		if (i >= 300 && i < 500)
			pick = 0;
		if (pick < 6)
			prk_say(pm, &irq, "tick %u\n", i);
		else if (pick < 10)
			prk_say(pm, &user, "usb 1-%u: new high-speed USB device number %u using xhci_hcd\n",
				i % 4 + 1, i);
		else if (pick < 14)
			prk_say(pm, &user, "audit: type=1400 audit(%llu.%03u:%u): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/etc/ssl/private/%u.pem\" pid=%u comm=\"cupsd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n",
				(unsigned long long)(1700000000 + i), i % 1000, 200 + i, i, 900 + i);
		else if (pick < 15)
			prk_say(pm, &user, "Modules linked in: ext4 crc16 mbcache jbd2\n  Tainted: %u\n\tlast unloaded: loop%u\n",
				i, i % 8);
		else
			prk_say(pm, &irq, "%.*s\n", (int)(z % 600) + 100,
				"hung_task: blocked tasks: kworker/0:1 kworker/0:2 kworker/1:0 kworker/1:1 systemd-journal systemd-udevd rsyslogd in:imjournal in:imuxsock rs:main Q:Reg cron dbus-daemon polkitd sshd agetty bash kworker/u4:0 kworker/u4:1 kworker/u4:2 kworker/u4:3 jbd2/vda1-8 ext4-rsv-conver kworker/0:1H kworker/1:1H kworker/0:0H kworker/1:0H rcu_gp rcu_par_gp slub_flushwq netns mm_percpu_wq rcu_tasks_kthread rcu_tasks_rude_kthread rcu_tasks_trace_kthread ksoftirqd/0 rcu_preempt migration/0 idle_inject/0 cpuhp/0 cpuhp/1 idle_inject/1 migration/1 ksoftirqd/1 kdevtmpfs inet_frag_wq kauditd khungtaskd oom_reaper writeback kcompactd0 ksmd khugepaged kintegrityd kblockd blkcg_punt_bio tpm_dev_wq ata_sff md edac-poller devfreq_wq watchdogd kswapd0 ecryptfs-kthread kthrotld acpi_thermal_pm mld ipv6_addrconf kstrp zswap-shrink charger_manager");
	}
	prk_panic_log(ctx, pm);
}

/* Write fillers until the data head is at index @idx of the array. */
static void prk_fill_to(struct printk_model *pm, uint64_t idx)
{
	struct prk_ring *r = prk_ring_of(pm);
	const struct prk_msg filler = { .caller = 77, .level = 6 };
	static const char pad[] = "........................................................................................................................................................................................................";

	for (unsigned int guard = 0; prk_index(r, r->head_lpos) != idx; guard++) {
		uint64_t at = prk_index(r, r->head_lpos);
		uint64_t room = at < idx ? idx - at : 0;
		int len;

		if (guard > 1000)
			die("internal: printk filler does not converge");
		/*
		 * The message is len + 1 bytes ("filler: ", len - 8 dots, a
		 * newline), its block ALIGN(8 + len + 2, 8): exactly room
		 * for len = room - 16 (room is a multiple of 8).  Far away,
		 * 112-byte steps; too close or past it, once round the ring.
		 */
		if (room >= 24 && room <= 160)
			len = (int)room - 16;
		else if (room > 160)
			len = 100;
		else
			len = 150;
		prk_say(pm, &filler, "filler: %.*s\n", len - 8, pad);
	}
}

/*
 * Continuation lines (KERN_CONT): fragments of one caller joined in the
 * committed record; a fragment after another caller's record, after a
 * newline or too long for the record stays a record of its own (LOG_CONT);
 * a record that grows past the end of the array moves to its start; the
 * last record is left open (committed, not finalized).
 */
static void prk_scene_cont(struct gen_ctx *ctx, struct printk_model *pm)
{
	struct prk_msg t1 = { .caller = 1, .level = 6 }, t2 = { .caller = 2, .level = 5 };
	struct prk_msg t3 = { .caller = 3, .level = 6 }, t4 = { .caller = 4, .level = 4 };
	struct prk_msg t5 = { .caller = 5, .level = 6 };
	struct prk_msg cpu1 = { .caller = PRK_CALLER_CPU | 1, .level = 6 };
	struct prk_ring *r = &pm->stat;
	char long_line[700];

	/* CONFIG_LOG_BUF_SHIFT=13: 8 KiB, the scenes below fit in one wrap */
	prk_init(r, 13 - PRK_AVGBITS, 13);
	prk_boot_log(ctx, pm);
	/* a record at the very end of the array that a continuation moves */
	prk_fill_to(pm, r->size - 40);
	prk_say(pm, &t5, "ACPI: PM-Timer IO Port:");	/* a 32-byte block */
	t5.cont = true;
	prk_say(pm, &t5, " 0x608");		/* 40 bytes: to the start */
	prk_say(pm, &t5, " (32 bits)\n");
	t5.cont = false;
	/* joined: one record "x86/fpu: Supporting XSAVE features: x87 SSE AVX" */
	prk_say(pm, &t1, "x86/fpu: Supporting XSAVE features:");
	t1.cont = true;
	prk_say(pm, &t1, " x87");
	prk_say(pm, &t1, " SSE");
	prk_say(pm, &t1, " AVX\n");
	t1.cont = false;
	/* another caller in between: the fragment is a record of its own */
	prk_say(pm, &t1, "Freeing unused kernel image (initmem) memory:");
	prk_say(pm, &t2, "random: crng init done\n");
	t1.cont = true;
	prk_say(pm, &t1, " 2048K\n");
	t1.cont = false;
	/* after a newline the record is final: a new record */
	prk_say(pm, &t3, "raid6: avx2x4   gen() 30123 MB/s\n");
	t3.cont = true;
	prk_say(pm, &t3, "raid6: using algorithm avx2x4 gen() 30123 MB/s\n");
	t3.cont = false;
	/* several lines in one message */
	prk_say(pm, &t4, "Modules linked in: ext4 crc16 mbcache jbd2\n crc32c_generic virtio_blk\n\tvirtio_net net_failover failover\n");
	/* a continuation that would pass LOG_LINE_MAX: a record of its own */
	memset(long_line, 'x', sizeof(long_line));
	prk_say(pm, &t4, "long: %.600s", long_line);
	t4.cont = true;
	prk_say(pm, &t4, " more: %.450s\n", long_line);
	t4.cont = false;
	prk_devices(pm, 6);
	prk_panic_log(ctx, pm);
	/* the last record stays open: committed, not final */
	prk_say(pm, &cpu1, "smp: stopping secondary CPUs:");
	cpu1.cont = true;
	prk_say(pm, &cpu1, " 1");
}

/*
 * Device records (dev_printk: the dev_info dictionary of SUBSYSTEM and
 * DEVICE), caller ids of tasks and CPUs, facilities other than the
 * kernel's, bytes readers must escape; and the ring of a kernel booted
 * with log_buf_len=256K: setup_log_buf() copied the early records into
 * memblock buffers (an empty record becomes data-less there) and pointed
 * prb at printk_rb_dynamic.
 */
static void prk_scene_dict(struct gen_ctx *ctx, struct printk_model *pm)
{
	const struct prk_msg ahci = { .caller = 112, .level = 6, .subsys = "pci",
				      .device = "+pci:0000:00:1f.2" };
	const struct prk_msg usb = { .caller = 57, .level = 6, .subsys = "usb",
				     .device = "c189:1" };
	const struct prk_msg net = { .caller = 402, .level = 6, .subsys = "net",
				     .device = "n2" };
	const struct prk_msg mce = { .caller = PRK_CALLER_CPU | 1, .level = 2 };
	const struct prk_msg systemd = { .caller = 1, .facility = 3, .level = 6 };
	const struct prk_msg user = { .caller = 3301, .facility = 1, .level = 5 };
	uint64_t len = 1ULL << 18, descs, infos, data;
	struct prk_ring *s = &pm->stat, *d = &pm->dyn;

	prk_init(s, 17 - PRK_AVGBITS, 17);
	prk_boot_log(ctx, pm);
	/* setup_log_buf(): memblock buffers, prb_init(), the copy */
	data = memblock_alloc(ctx, len, 8);
	descs = memblock_alloc(ctx, (len >> PRK_AVGBITS) * SIZEOF_PRB_DESC, 8);
	infos = memblock_alloc(ctx, (len >> PRK_AVGBITS) * SIZEOF_PRINTK_INFO, 8);
	prk_init(d, 18 - PRK_AVGBITS, 18);
	d->data_phys = data;
	d->descs_phys = descs;
	d->infos_phys = infos;
	for (uint64_t seq = 0; seq < s->nr_rec; seq++)
		prk_copy(d, s, seq);
	pm->dynamic = true;
	prk_say(pm, &prk_kernel, "printk: log_buf_len: 262144 bytes\n");
	prk_say(pm, &prk_kernel, "printk: early log buf free: %llu(%llu%%)\n",
		(unsigned long long)(s->size - (s->head_lpos - s->tail_lpos)),
		(unsigned long long)((s->size - (s->head_lpos - s->tail_lpos)) * 100 / s->size));
	prk_devices(pm, 4);
	prk_say(pm, &ahci, "ahci 0000:00:1f.2: AHCI 0001.0000 32 slots 6 ports 1.5 Gbps 0x3f impl SATA mode\n");
	prk_say(pm, &ahci, "ahci 0000:00:1f.2: flags: 64bit ncq only\n");
	prk_say(pm, &usb, "usb 1-1: New USB device found, idVendor=0627, idProduct=0001, bcdDevice= 0.00\n");
	prk_say(pm, &net, "virtio_net virtio1 enp1s0: renamed from eth0\n");
	prk_say(pm, &mce, "mce: [Hardware Error]: Machine check events logged\n");
	prk_say(pm, &systemd, "systemd[1]: Started systemd-journald.service - Journal Service.\n");
	prk_say(pm, &user, "logger: tab\there, bell \a, delete \x7f, esc \x1b[0m\n");
	prk_say(pm, &prk_kernel, "EXT4-fs (vda1): mounted filesystem \"\xc3\xa9t\xc3\xa9\" with ordered data mode\n");
	prk_panic_log(ctx, pm);
}

/* ---- damage ----------------------------------------------------------- */

static void prk_note(struct printk_model *pm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void prk_note(struct printk_model *pm, const char *fmt, ...)
{
	va_list ap;

	if (pm->damage_what[0])
		return;
	va_start(ap, fmt);
	vsnprintf(pm->damage_what, sizeof(pm->damage_what), fmt, ap);
	va_end(ap);
}

/* The id of the live record with sequence number @seq. */
static uint64_t prk_id_of_seq(struct prk_ring *r, uint64_t seq)
{
	for (uint64_t id = r->tail_id;; id = (id + 1) & PRK_ID_MASK) {
		if (prk_info_of(r, id)->seq == seq && prk_state_of(r, id) != PRK_MISS)
			return id;
		if (id == r->head_id)
			die("internal: printk seq %llu not in the ring",
			    (unsigned long long)seq);
	}
}

/*
 * Per-record damage hits distinct shown records (never the first or the
 * last), each of which drops out of the expected log.
 */
static void prk_damage_records(struct printk_model *pm, unsigned int kinds)
{
	struct prk_ring *r = prk_ring_of(pm);
	uint64_t *live = xcalloc(r->nr_rec, sizeof(*live)), n = 0;
	unsigned int nr_kinds = __builtin_popcount(kinds), k = 0;
	uint64_t seq[5], id[5];

	/* shown records that have a text block */
	for (uint64_t s = 0; s < r->nr_rec; s++)
		if (r->rec[s].committed && !r->rec[s].lost && r->rec[s].len)
			live[n++] = s;
	if (n < nr_kinds + 3)
		die("--printk-damage: too few records to damage");
	/* pick every target before breaking anything */
	for (unsigned int bit = 0; bit < 5; bit++)
		if (kinds & (1U << bit)) {
			k++;
			seq[bit] = live[1 + k * (n - 2) / (nr_kinds + 1)];
			id[bit] = prk_id_of_seq(r, seq[bit]);
		}
	for (unsigned int bit = 0; bit < 5; bit++) {
		struct prk_desc *d;
		struct prk_info *info;
		uint64_t data_size;

		if (!(kinds & (1U << bit)))
			continue;
		d = prk_desc_of(r, id[bit]);
		info = prk_info_of(r, id[bit]);
		r->rec[seq[bit]].damaged = true;
		pm->damaged++;
		switch (1U << bit) {
		case PRK_DAMAGE_STATE:
			d->sv ^= 0x00000dead0000000ULL;
			prk_note(pm, "seq %llu: state_var %#llx", (unsigned long long)seq[bit],
				 (unsigned long long)d->sv);
			break;
		case PRK_DAMAGE_ID:
			d->sv = prk_sv(id[bit] + r->count, PRK_FINALIZED);
			prk_note(pm, "seq %llu: descriptor claims id %#llx", (unsigned long long)seq[bit],
				 (unsigned long long)((id[bit] + r->count) & PRK_ID_MASK));
			break;
		case PRK_DAMAGE_SEQ:
			info->seq += 5;
			prk_note(pm, "seq %llu: printk_info.seq %llu", (unsigned long long)seq[bit],
				 (unsigned long long)info->seq);
			break;
		case PRK_DAMAGE_LPOS:
			/* same size, but past the data head: no block of its own */
			data_size = d->next - d->begin;
			d->begin = ALIGN_UP(r->head_lpos + 64, 8);
			if (prk_wraps(r, d->begin) != prk_wraps(r, d->begin + data_size))
				d->begin = (d->begin | (r->size - 1)) + 1 + 64;
			d->next = d->begin + data_size;
			prk_note(pm, "seq %llu: text block %#llx-%#llx", (unsigned long long)seq[bit],
				 (unsigned long long)d->begin, (unsigned long long)d->next);
			break;
		case PRK_DAMAGE_LEN:
			if (prk_wraps(r, d->begin) == prk_wraps(r, d->next))
				data_size = d->next - d->begin - 8;
			else
				data_size = prk_index(r, d->next) - 8;
			info->text_len = data_size + 40;
			prk_note(pm, "seq %llu: text_len %u in a %llu-byte block", (unsigned long long)seq[bit],
				 info->text_len, (unsigned long long)data_size);
			break;
		}
	}
	free(live);
}

static void prk_damage_every(struct printk_model *pm)
{
	struct prk_ring *r = prk_ring_of(pm);

	for (uint64_t i = 0; i < r->count; i++)
		if (r->desc[i].sv)
			r->desc[i].sv ^= 0x00000dead0000000ULL;
	for (uint64_t seq = 0; seq < r->nr_rec; seq++)
		if (r->rec[seq].committed && !r->rec[seq].lost) {
			r->rec[seq].damaged = true;
			pm->damaged++;
		}
	prk_note(pm, "every state_var");
}

/* ---- into the dump ---------------------------------------------------- */

static void prk_store(struct gen_ctx *ctx, const struct printk_model *pm,
		      const struct prk_ring *r)
{
	unsigned int damage = ctx->opt.printk_damage;
	bool current = r == (pm->dynamic ? &pm->dyn : &pm->stat);
	uint8_t rb[SIZEOF_PRINTK_RINGBUFFER] = { 0 }, *descs, *infos;
	uint8_t *dr = rb + PRB_OFF_DESC_RING, *tr = rb + PRB_OFF_TEXT_DATA_RING;
	uint64_t head_id = r->head_id;

	if (current && (damage & PRK_DAMAGE_HEAD))
		head_id = (r->tail_id - 1) & PRK_ID_MASK;
	put32(dr, DESC_RING_OFF_COUNT_BITS,
	      current && (damage & PRK_DAMAGE_COUNT) ? 31 : r->count_bits);
	put64(dr, DESC_RING_OFF_DESCS, current && (damage & PRK_DAMAGE_DESCS) ?
	      ctx->vmalloc_base + 0x10000000 : r->descs_virt);
	put64(dr, DESC_RING_OFF_INFOS, r->infos_virt);
	put64(dr, DESC_RING_OFF_HEAD_ID + ATOMIC_LONG_OFF_COUNTER, head_id);
	put64(dr, DESC_RING_OFF_TAIL_ID + ATOMIC_LONG_OFF_COUNTER, r->tail_id);
	put64(dr, DESC_RING_OFF_LAST_FINALIZED + ATOMIC_LONG_OFF_COUNTER,
	      r->last_final_id);
	put32(tr, DATA_RING_OFF_SIZE_BITS,
	      current && (damage & PRK_DAMAGE_BITS) ? 0 : r->size_bits);
	put64(tr, DATA_RING_OFF_DATA, r->data_virt);
	put64(tr, DATA_RING_OFF_HEAD_LPOS + ATOMIC_LONG_OFF_COUNTER, r->head_lpos);
	put64(tr, DATA_RING_OFF_TAIL_LPOS + ATOMIC_LONG_OFF_COUNTER, r->tail_lpos);
	put64(rb, PRB_OFF_FAIL + ATOMIC_LONG_OFF_COUNTER, r->fail);
	kmem_write(ctx, r->rb_phys, rb, sizeof(rb));

	descs = xcalloc(r->count, SIZEOF_PRB_DESC);
	infos = xcalloc(r->count, SIZEOF_PRINTK_INFO);
	for (uint64_t i = 0; i < r->count; i++) {
		uint8_t *d = descs + i * SIZEOF_PRB_DESC;
		uint8_t *in = infos + i * SIZEOF_PRINTK_INFO;
		const struct prk_info *f = &r->info[i];

		put64(d, PRB_DESC_OFF_STATE_VAR + ATOMIC_LONG_OFF_COUNTER, r->desc[i].sv);
		put64(d, PRB_DESC_OFF_TEXT_BLK_LPOS + LPOS_OFF_BEGIN, r->desc[i].begin);
		put64(d, PRB_DESC_OFF_TEXT_BLK_LPOS + LPOS_OFF_NEXT, r->desc[i].next);
		put64(in, INFO_OFF_SEQ, f->seq);
		put64(in, INFO_OFF_TS_NSEC, f->ts);
		memcpy(in + INFO_OFF_TEXT_LEN, &f->text_len, 2);
		in[INFO_OFF_FACILITY] = f->facility;
		in[INFO_OFF_FLAGS_LEVEL] = (f->flags & 0x1f) | (f->level << 5);
		put32(in, INFO_OFF_CALLER_ID, f->caller);
		memcpy(in + INFO_OFF_DEV_INFO + DEV_INFO_OFF_SUBSYSTEM, f->subsys,
		       sizeof(f->subsys));
		memcpy(in + INFO_OFF_DEV_INFO + DEV_INFO_OFF_DEVICE, f->device,
		       sizeof(f->device));
	}
	kmem_write(ctx, r->descs_phys, descs, r->count * SIZEOF_PRB_DESC);
	kmem_write(ctx, r->infos_phys, infos, r->count * SIZEOF_PRINTK_INFO);
	kmem_write(ctx, r->data_phys, r->data, r->size);
	free(descs);
	free(infos);
}

/*
 * Where 6.1 keeps it: the pointer prb, clear_seq, printk_rb_static and
 * its descriptor and info arrays in .data, __log_buf in .bss,
 * printk_rb_dynamic in .bss with its buffers from memblock.
 */
void printk_build(struct gen_ctx *ctx)
{
	struct printk_model *pm;
	const struct kimage *k = &ctx->kimg;

	if (!ctx->opt.printk)
		return;
	pm = ctx->printk = xcalloc(1, sizeof(*pm));
	pm->prb_off = k->data_off + 0x7200;
	pm->clear_seq_off = k->data_off + 0x7240;
	pm->rb_static_off = k->data_off + 0x7300;
	pm->rb_dynamic_off = k->bss_off + 0x1000;
	pm->rng = 0x7072696e746bULL;
	switch (ctx->opt.printk) {
	case PRINTK_PLAIN:
		prk_scene_plain(ctx, pm);
		break;
	case PRINTK_WRAPPED:
		prk_scene_wrapped(ctx, pm);
		break;
	case PRINTK_CONT:
		prk_scene_cont(ctx, pm);
		break;
	case PRINTK_DICT:
		prk_scene_dict(ctx, pm);
		break;
	}
	if (ctx->opt.printk_damage & PRK_DAMAGE_RECORDS)
		prk_damage_records(pm, ctx->opt.printk_damage & PRK_DAMAGE_RECORDS);
	if (ctx->opt.printk_damage & PRK_DAMAGE_EVERY)
		prk_damage_every(pm);

	pm->stat.rb_phys = kimg_phys(ctx, pm->rb_static_off);
	pm->stat.descs_phys = kimg_phys(ctx, k->data_off + 0x20000);
	pm->stat.infos_phys = kimg_phys(ctx, k->data_off + 0x40000);
	pm->stat.data_phys = kimg_phys(ctx, k->bss_off + 0x100000);
	pm->stat.descs_virt = kimg_virt(ctx, k->data_off + 0x20000);
	pm->stat.infos_virt = kimg_virt(ctx, k->data_off + 0x40000);
	pm->stat.data_virt = kimg_virt(ctx, k->bss_off + 0x100000);
	if (pm->stat.count * SIZEOF_PRINTK_INFO > 0x100000 - 0x40000)
		die("internal: printk_rb_static does not fit in .data");
	prk_store(ctx, pm, &pm->stat);
	if (pm->dynamic) {
		pm->dyn.rb_phys = kimg_phys(ctx, pm->rb_dynamic_off);
		pm->dyn.descs_virt = phys_to_virt(ctx, pm->dyn.descs_phys);
		pm->dyn.infos_virt = phys_to_virt(ctx, pm->dyn.infos_phys);
		pm->dyn.data_virt = phys_to_virt(ctx, pm->dyn.data_phys);
		prk_store(ctx, pm, &pm->dyn);
	}
	kmem_write64(ctx, kimg_phys(ctx, pm->prb_off), kimg_virt(ctx, pm->dynamic ?
		     pm->rb_dynamic_off : pm->rb_static_off));
	/* clear_seq: a latched_seq with nothing cleared */
	kmem_write64(ctx, kimg_phys(ctx, pm->clear_seq_off), 0);
}

/* The address VMCOREINFO's SYMBOL(@name) gives, for elfcore.c. */
uint64_t printk_symbol(const struct gen_ctx *ctx, const char *name)
{
	const struct printk_model *pm = ctx->printk;

	if (!strcmp(name, "prb"))
		return kimg_virt(ctx, pm->prb_off);
	if (!strcmp(name, "printk_rb_static"))
		return kimg_virt(ctx, pm->rb_static_off);
	if (!strcmp(name, "clear_seq"))
		return kimg_virt(ctx, pm->clear_seq_off);
	die("internal: no printk symbol %s", name);
}

/* ---- the manifest: the log as makedumpfile --dump-dmesg writes it ----- */

/*
 * One record: "[seconds.microseconds] " and its text; a newline in the
 * text starts a line indented to the text's column; bytes other than
 * printable ASCII, tab and the other white space are written \xNN.
 */
static void prk_render(FILE *f, const struct prk_rec *rec)
{
	char prefix[48];
	int n = snprintf(prefix, sizeof(prefix), "[%5llu.%06llu] ",
			 (unsigned long long)(rec->ts / 1000000000),
			 (unsigned long long)(rec->ts % 1000000000 / 1000));

	fprintf(f, "dmesg.line=%s", prefix);
	for (size_t i = 0; i < rec->len; i++) {
		unsigned char c = (unsigned char)rec->text[i];

		if (c == '\n')
			fprintf(f, "\ndmesg.line=%*s", n, "");
		else if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\v' ||
			 c == '\f' || c == '\r')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('\n', f);
}

static bool prk_shown(const struct prk_rec *rec)
{
	return rec->committed && !rec->lost && !rec->damaged;
}

static const char *const prk_mode_names[] = {
	[PRINTK_PLAIN] = "plain", [PRINTK_WRAPPED] = "wrapped",
	[PRINTK_CONT] = "cont", [PRINTK_DICT] = "dict",
};

static const char *const prk_damage_names[] = {
	"state", "id", "seq", "lpos", "len", "head", "bits", "count", "descs",
	"every",
};

/* For the command line: a --printk or --printk-damage word. */
int printk_parse_mode(const char *s)
{
	for (size_t i = 1; i < ARRAY_SIZE(prk_mode_names); i++)
		if (!strcmp(s, prk_mode_names[i]))
			return (int)i;
	return -1;
}

unsigned int printk_parse_damage(const char *s)
{
	char *copy = xcalloc(1, strlen(s) + 1), *save = NULL;
	unsigned int bits = 0;

	strcpy(copy, s);
	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(prk_damage_names); i++)
			if (!strcmp(w, prk_damage_names[i]))
				break;
		if (i == ARRAY_SIZE(prk_damage_names))
			die("--printk-damage: unknown kind '%s'", w);
		bits |= 1U << i;
	}
	free(copy);
	return bits;
}

void printk_write_manifest(const struct gen_ctx *ctx, FILE *f)
{
	struct printk_model *pm = ctx->printk;
	struct prk_ring *r;
	uint64_t shown = 0, lost = 0, unfinished = 0, lines = 0;
	uint64_t wrapping = 0, reusable = 0, dataless = 0, open = 0, dev = 0;
	uint64_t cpu = 0, escaped = 0, multiline = 0, cont_flagged = 0;
	unsigned int damage = ctx->opt.printk_damage;
	bool fatal = damage & ~PRK_DAMAGE_RECORDS & ~PRK_DAMAGE_EVERY;

	if (!pm)
		return;
	r = prk_ring_of(pm);
	for (uint64_t seq = 0; seq < r->nr_rec; seq++) {
		const struct prk_rec *rec = &r->rec[seq];

		lost += rec->committed && rec->lost;
		unfinished += !rec->committed;
		if (!prk_shown(rec))
			continue;
		shown++;
		lines++;
		for (size_t i = 0; i < rec->len; i++) {
			unsigned char c = (unsigned char)rec->text[i];

			lines += c == '\n';
			if (!((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r'))) {
				escaped++;
				break;
			}
		}
		multiline += memchr(rec->text, '\n', rec->len) != NULL;
	}
	/* what the ring looks like between tail and head */
	for (uint64_t id = r->tail_id;; id = (id + 1) & PRK_ID_MASK) {
		const struct prk_desc *d = prk_desc_of(r, id);
		const struct prk_info *in = prk_info_of(r, id);
		enum prk_state st = prk_state_of(r, id);

		if (st == PRK_REUSABLE && !(d->begin & 1))
			reusable++;
		if ((st == PRK_COMMITTED || st == PRK_FINALIZED) &&
		    in->seq < r->nr_rec && prk_shown(&r->rec[in->seq])) {
			wrapping += !(d->begin & 1) &&
				    prk_wraps(r, d->begin) != prk_wraps(r, d->next);
			dataless += d->begin == PRK_NO_LPOS && d->next == PRK_NO_LPOS;
			open += st == PRK_COMMITTED;
			dev += in->subsys[0] != '\0';
			cpu += (in->caller & PRK_CALLER_CPU) != 0;
			cont_flagged += (in->flags & PRK_LOG_CONT) != 0;
		}
		if (id == r->head_id)
			break;
	}

	fprintf(f, "# printk ring (Linux 6.1 lockless ringbuffer); dmesg.line: the expected --dump-dmesg\n");
	fprintf(f, "printk=%s\n", prk_mode_names[ctx->opt.printk]);
	fprintf(f, "printk_damage=");
	if (!damage)
		fprintf(f, "none");
	for (size_t i = 0, first = 1; i < ARRAY_SIZE(prk_damage_names); i++)
		if (damage & (1U << i)) {
			fprintf(f, "%s%s", first ? "" : ",", prk_damage_names[i]);
			first = 0;
		}
	fprintf(f, "\n");
	fprintf(f, "printk_prb=0x%" PRIx64 "\n", printk_symbol(ctx, "prb"));
	fprintf(f, "printk_dynamic=%d\n", pm->dynamic);
	fprintf(f, "printk_desc_count=%" PRIu64 "\n", r->count);
	fprintf(f, "printk_text_size=%" PRIu64 "\n", r->size);
	fprintf(f, "printk_head_id=0x%" PRIx64 "\n", r->head_id);
	fprintf(f, "printk_tail_id=0x%" PRIx64 "\n", r->tail_id);
	fprintf(f, "printk_head_lpos=0x%" PRIx64 "\n", r->head_lpos);
	fprintf(f, "printk_tail_lpos=0x%" PRIx64 "\n", r->tail_lpos);
	fprintf(f, "printk_records=%" PRIu64 "\n", (uint64_t)r->nr_rec);
	fprintf(f, "printk_shown=%" PRIu64 "\n", shown);
	fprintf(f, "printk_lost=%" PRIu64 "\n", lost);
	fprintf(f, "printk_unfinished=%" PRIu64 "\n", unfinished);
	fprintf(f, "printk_damaged=%u\n", pm->damaged);
	if (pm->damage_what[0])
		fprintf(f, "printk_damaged_first=%s\n", pm->damage_what);
	fprintf(f, "printk_data_wraps=%" PRIu64 "\n",
		prk_wraps(r, r->head_lpos + r->size));
	fprintf(f, "printk_tail_pushes=%" PRIu64 "\n", r->tail_pushes);
	fprintf(f, "printk_id_wrapped=%d\n", r->head_id < r->tail_id ||
		r->nr_rec > r->count + 1);
	fprintf(f, "printk_reusable_in_window=%" PRIu64 "\n", reusable);
	fprintf(f, "printk_wrapping_blocks=%" PRIu64 "\n", wrapping);
	fprintf(f, "printk_joined=%" PRIu64 "\n", r->joined);
	fprintf(f, "printk_cont_records=%" PRIu64 "\n", cont_flagged);
	fprintf(f, "printk_realloc_wraps=%" PRIu64 "\n", r->realloc_wraps);
	fprintf(f, "printk_open=%" PRIu64 "\n", open);
	fprintf(f, "printk_multiline=%" PRIu64 "\n", multiline);
	fprintf(f, "printk_dataless=%" PRIu64 "\n", dataless);
	fprintf(f, "printk_dev_info=%" PRIu64 "\n", dev);
	fprintf(f, "printk_caller_cpu=%" PRIu64 "\n", cpu);
	fprintf(f, "printk_escaped=%" PRIu64 "\n", escaped);
	if (fatal || !shown) {
		fprintf(f, "dmesg_expect=error\n");
		return;
	}
	fprintf(f, "dmesg_expect=%s\n", pm->damaged ? "partial" : "log");
	fprintf(f, "dmesg_lines=%" PRIu64 "\n", lines);
	for (uint64_t seq = 0; seq < r->nr_rec; seq++)
		if (prk_shown(&r->rec[seq]))
			prk_render(f, &r->rec[seq]);
}

void printk_free(struct gen_ctx *ctx)
{
	if (!ctx->printk)
		return;
	prk_free(&ctx->printk->stat);
	prk_free(&ctx->printk->dyn);
	free(ctx->printk);
	ctx->printk = NULL;
}
