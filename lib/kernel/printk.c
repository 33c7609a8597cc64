// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log out of a dump. Linux 5.10+ keeps it in a lockless ring of
 * descriptors (state, text position) with a parallel array of printk_info
 * (timestamp, length) and a ring of text blocks, each block starting with
 * the id of the descriptor that owns it. VMCOREINFO exports every offset.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

#define DESC_STATE_SHIFT 62
#define DESC_ID_MASK (~(3ULL << DESC_STATE_SHIFT))
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2
/* Rings larger than this are a corrupt dump, not a kernel config. */
#define MAX_RING_BITS 30

struct prb_layout {
	long long size_prb, off_desc_ring, off_text_ring;
	long long off_count_bits, off_descs, off_infos, off_head_id, off_tail_id;
	long long size_desc, off_state_var, off_text_blk_lpos;
	long long off_lpos_begin, off_lpos_next;
	long long size_info, off_ts_nsec, off_text_len;
	long long off_size_bits, off_data, off_counter;
};

struct prb_image {
	struct prb_layout lay;
	uint8_t *prb;
	uint8_t *descs;
	uint8_t *infos;
	uint8_t *text;
	uint64_t desc_count;
	uint64_t text_size;
};

static const struct {
	const char *key;
	size_t off;
} prb_keys[] = {
#define L(field) offsetof(struct prb_layout, field)
	{ "SIZE(printk_ringbuffer)", L(size_prb) },
	{ "OFFSET(printk_ringbuffer.desc_ring)", L(off_desc_ring) },
	{ "OFFSET(printk_ringbuffer.text_data_ring)", L(off_text_ring) },
	{ "OFFSET(prb_desc_ring.count_bits)", L(off_count_bits) },
	{ "OFFSET(prb_desc_ring.descs)", L(off_descs) },
	{ "OFFSET(prb_desc_ring.infos)", L(off_infos) },
	{ "OFFSET(prb_desc_ring.head_id)", L(off_head_id) },
	{ "OFFSET(prb_desc_ring.tail_id)", L(off_tail_id) },
	{ "SIZE(prb_desc)", L(size_desc) },
	{ "OFFSET(prb_desc.state_var)", L(off_state_var) },
	{ "OFFSET(prb_desc.text_blk_lpos)", L(off_text_blk_lpos) },
	{ "OFFSET(prb_data_blk_lpos.begin)", L(off_lpos_begin) },
	{ "OFFSET(prb_data_blk_lpos.next)", L(off_lpos_next) },
	{ "SIZE(printk_info)", L(size_info) },
	{ "OFFSET(printk_info.ts_nsec)", L(off_ts_nsec) },
	{ "OFFSET(printk_info.text_len)", L(off_text_len) },
	{ "OFFSET(prb_data_ring.size_bits)", L(off_size_bits) },
	{ "OFFSET(prb_data_ring.data)", L(off_data) },
	{ "OFFSET(atomic_long_t.counter)", L(off_counter) },
#undef L
};

void text_buf_free(struct text_buf *tb)
{
	free(tb->data);
	memset(tb, 0, sizeof(*tb));
}

static int tb_reserve(struct text_buf *tb, size_t more)
{
	char *grown;
	size_t cap = tb->cap ? tb->cap : 65536;

	if (tb->len + more <= tb->cap)
		return 0;
	while (cap < tb->len + more)
		cap *= 2;
	grown = realloc(tb->data, cap);
	if (!grown)
		return -PMD_ENOMEM;
	tb->data = grown;
	tb->cap = cap;
	return 0;
}

static int tb_printf(struct text_buf *tb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int tb_printf(struct text_buf *tb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (tb_reserve(tb, 64) < 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(tb->data + tb->len, tb->cap - tb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= tb->cap - tb->len)
		return -1;
	tb->len += (size_t)n;
	return 0;
}

static uint64_t u64_at(const uint8_t *p, long long off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static int load_layout(struct prb_layout *lay, const struct vmcoreinfo *vi)
{
	unsigned int i;

	for (i = 0; i < sizeof(prb_keys) / sizeof(prb_keys[0]); i++) {
		long long *dst = (long long *)((char *)lay + prb_keys[i].off);

		if (!vmcoreinfo_get_long(vi, prb_keys[i].key, dst) || *dst < 0) {
			return log_fail(vi->log, PMD_EUNSUPPORTED, "cannot read the kernel log: VMCOREINFO lacks %s (kernels before 5.10 are not supported)",
			       prb_keys[i].key);
		}
	}
	return 0;
}

static int read_array(struct x86_64_xlat *x, uint64_t vaddr, uint64_t size, uint8_t **out)
{
	*out = malloc(size ? size : 1);
	if (!*out) {
		return log_fail(x->pm->log, PMD_ENOMEM, "out of memory for the kernel log");
	}
	return x86_64_read(x, vaddr, *out, size);
}

static int ring_bits(struct log_ctx *log, const uint8_t *p, long long off, uint64_t *count)
{
	uint32_t bits;

	memcpy(&bits, p + off, sizeof(bits));
	if (bits > MAX_RING_BITS) {
		return log_fail(log, PMD_ECORRUPT, "kernel log ring of 2^%u entries is corrupt", bits);
	}
	*count = 1ULL << bits;
	return 0;
}

static int load_image(struct prb_image *m, struct x86_64_xlat *x, const struct vmcoreinfo *vi)
{
	const struct prb_layout *lay = &m->lay;
	const uint8_t *dring, *tring;
	uint64_t prb_addr;

	if (!vmcoreinfo_get_hex(vi, "SYMBOL(prb)", &prb_addr)) {
		return log_fail(x->pm->log, PMD_EUNSUPPORTED, "cannot read the kernel log: VMCOREINFO lacks SYMBOL(prb) (kernels before 5.10 are not supported)");
	}
	if (x86_64_read(x, prb_addr, &prb_addr, sizeof(prb_addr)) < 0 ||
	    read_array(x, prb_addr, (uint64_t)lay->size_prb, &m->prb) < 0)
		return -1;
	dring = m->prb + lay->off_desc_ring;
	tring = m->prb + lay->off_text_ring;
	if (ring_bits(x->pm->log, dring, lay->off_count_bits, &m->desc_count) < 0 ||
	    ring_bits(x->pm->log, tring, lay->off_size_bits, &m->text_size) < 0)
		return -1;
	if (read_array(x, u64_at(dring, lay->off_descs),
		       m->desc_count * (uint64_t)lay->size_desc, &m->descs) < 0 ||
	    read_array(x, u64_at(dring, lay->off_infos),
		       m->desc_count * (uint64_t)lay->size_info, &m->infos) < 0 ||
	    read_array(x, u64_at(tring, lay->off_data), m->text_size, &m->text) < 0)
		return -1;
	return 0;
}

static int append_text(struct text_buf *out, const uint8_t *text, uint64_t len,
		       unsigned int indent)
{
	uint64_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = text[i];
		int ret;

		if (c == '\n')
			ret = tb_printf(out, "\n%*s", indent, "");
		else if (isprint(c) || isspace(c))
			ret = tb_printf(out, "%c", c);
		else
			ret = tb_printf(out, "\\x%02x", c);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* One record: committed or finalized descriptors with text only. */
static int dump_record(const struct prb_image *m, uint64_t id, struct text_buf *out)
{
	const struct prb_layout *lay = &m->lay;
	const uint8_t *desc = m->descs + (id % m->desc_count) * (uint64_t)lay->size_desc;
	const uint8_t *info = m->infos + (id % m->desc_count) * (uint64_t)lay->size_info;
	uint64_t sv = u64_at(desc, lay->off_state_var + lay->off_counter);
	uint64_t begin, next, ts;
	uint16_t text_len;
	int before;

	if ((sv & DESC_ID_MASK) != id ||
	    ((sv >> DESC_STATE_SHIFT) != DESC_COMMITTED &&
	     (sv >> DESC_STATE_SHIFT) != DESC_FINALIZED))
		return 0;
	begin = u64_at(desc, lay->off_text_blk_lpos + lay->off_lpos_begin) % m->text_size;
	next = u64_at(desc, lay->off_text_blk_lpos + lay->off_lpos_next) % m->text_size;
	if (begin == next)
		return 0;
	if (begin > next)	/* the block wrapped: its data starts at 0 */
		begin = 0;
	begin += sizeof(uint64_t);	/* skip the owner id */
	if (begin > next)
		return 0;
	memcpy(&text_len, info + lay->off_text_len, sizeof(text_len));
	if (next - begin < text_len)
		text_len = (uint16_t)(next - begin);
	memcpy(&ts, info + lay->off_ts_nsec, sizeof(ts));

	before = (int)out->len;
	if (tb_printf(out, "[%5llu.%06llu] ", (unsigned long long)(ts / 1000000000),
		      (unsigned long long)(ts % 1000000000 / 1000)) < 0)
		return -1;
	if (append_text(out, m->text + begin, text_len, (unsigned int)(out->len - before)) < 0)
		return -1;
	return tb_printf(out, "\n");
}

int printk_read_log(struct x86_64_xlat *x, const struct vmcoreinfo *vi,
		    struct text_buf *out)
{
	struct prb_image m;
	uint64_t id, head, tail;
	int ret = -1;

	memset(&m, 0, sizeof(m));
	if (load_layout(&m.lay, vi) < 0 || load_image(&m, x, vi) < 0)
		goto out;
	head = u64_at(m.prb + m.lay.off_desc_ring, m.lay.off_head_id + m.lay.off_counter);
	tail = u64_at(m.prb + m.lay.off_desc_ring, m.lay.off_tail_id + m.lay.off_counter);
	if (((head - tail) & DESC_ID_MASK) >= m.desc_count) {
		log_fail(x->pm->log, PMD_ECORRUPT, "kernel log ring is corrupt (head id %#llx, tail id %#llx)",
		       (unsigned long long)head, (unsigned long long)tail);
		goto out;
	}
	/* Walk tail..head inclusive; ids wrap within the id bits. */
	for (id = tail; id != head; id = (id + 1) & DESC_ID_MASK)
		if (dump_record(&m, id, out) < 0)
			goto out;
	if (dump_record(&m, head, out) < 0)
		goto out;
	ret = 0;
out:
	free(m.prb);
	free(m.descs);
	free(m.infos);
	free(m.text);
	return ret;
}
