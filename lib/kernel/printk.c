// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log out of a dump. Linux 5.10+ keeps it in a lockless ring of
 * descriptors (state, text position) with a parallel array of printk_info
 * (sequence number, timestamp, length) and a ring of text blocks, each
 * block starting with the id of the descriptor that owns it. VMCOREINFO
 * exports every offset.
 *
 * Nothing read from the dump is trusted: each VMCOREINFO offset is checked
 * against the size of the structure it indexes before the structure is
 * read, the ring's geometry against what the kernel can build, and each
 * record against the rules the kernel's own reader applies
 * (kernel/printk/printk_ringbuffer.c: desc_read_finalized_seq(),
 * get_data(), copy_data()). A record that breaks them is left out with a
 * warning; a ring whose header is broken is an error.
 *
 * Records are shown as makedumpfile shows them, walking the descriptor ids
 * from the tail to the head, committed and finalized records alike (the
 * kernel's readers wait for the newest record to be finalized; in a dump
 * nothing more will come, and its text is complete once committed).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/physmem.h"
#include "kernel/printk.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"
#include "util/unaligned.h"

#define DESC_STATE_SHIFT 62
#define DESC_ID_MASK (~(3ULL << DESC_STATE_SHIFT))
#define DESC_RESERVED 0
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2
#define DESC_REUSABLE 3
#define FAILED_LPOS 0x1ULL	/* a record whose text could not be stored */
#define NO_LPOS 0x3ULL		/* a record without text */
/* log_buf_len is at most 2 GiB (LOG_BUF_LEN_MAX), one descriptor per 32 bytes */
#define MAX_SIZE_BITS 31
#define MAX_COUNT_BITS 26
/* the smallest text ring that holds a block: id, one byte, the next id */
#define MIN_SIZE_BITS 5
/* no member of these structures lies this far in */
#define MAX_STRUCT 4096

/* The VMCOREINFO entries the reader uses; the last ones are optional. */
enum prb_key {
	K_SIZE_PRB, K_DESC_RING, K_TEXT_RING,
	K_COUNT_BITS, K_DESCS, K_INFOS, K_HEAD_ID, K_TAIL_ID,
	K_SIZE_DESC, K_STATE_VAR, K_TEXT_BLK_LPOS, K_LPOS_BEGIN, K_LPOS_NEXT,
	K_SIZE_INFO, K_TS_NSEC, K_TEXT_LEN,
	K_SIZE_BITS, K_DATA, K_COUNTER,
	NR_REQUIRED,
	K_SEQ = NR_REQUIRED,
	NR_KEYS
};

static const char *const prb_keys[NR_KEYS] = {
	[K_SIZE_PRB] = "SIZE(printk_ringbuffer)",
	[K_DESC_RING] = "OFFSET(printk_ringbuffer.desc_ring)",
	[K_TEXT_RING] = "OFFSET(printk_ringbuffer.text_data_ring)",
	[K_COUNT_BITS] = "OFFSET(prb_desc_ring.count_bits)",
	[K_DESCS] = "OFFSET(prb_desc_ring.descs)",
	[K_INFOS] = "OFFSET(prb_desc_ring.infos)",
	[K_HEAD_ID] = "OFFSET(prb_desc_ring.head_id)",
	[K_TAIL_ID] = "OFFSET(prb_desc_ring.tail_id)",
	[K_SIZE_DESC] = "SIZE(prb_desc)",
	[K_STATE_VAR] = "OFFSET(prb_desc.state_var)",
	[K_TEXT_BLK_LPOS] = "OFFSET(prb_desc.text_blk_lpos)",
	[K_LPOS_BEGIN] = "OFFSET(prb_data_blk_lpos.begin)",
	[K_LPOS_NEXT] = "OFFSET(prb_data_blk_lpos.next)",
	[K_SIZE_INFO] = "SIZE(printk_info)",
	[K_TS_NSEC] = "OFFSET(printk_info.ts_nsec)",
	[K_TEXT_LEN] = "OFFSET(printk_info.text_len)",
	[K_SIZE_BITS] = "OFFSET(prb_data_ring.size_bits)",
	[K_DATA] = "OFFSET(prb_data_ring.data)",
	[K_COUNTER] = "OFFSET(atomic_long_t.counter)",
	[K_SEQ] = "OFFSET(printk_info.seq)",
};

/*
 * Every field the reader takes out of a structure: the offsets that add
 * up to it, its width, and the size of the buffer it is read from.
 */
static const struct field_rule {
	enum prb_key container;
	enum prb_key part[3];
	unsigned int nr_parts, width;
} field_rules[] = {
	{ K_SIZE_PRB, { K_DESC_RING, K_COUNT_BITS }, 2, 4 },
	{ K_SIZE_PRB, { K_DESC_RING, K_DESCS }, 2, 8 },
	{ K_SIZE_PRB, { K_DESC_RING, K_INFOS }, 2, 8 },
	{ K_SIZE_PRB, { K_DESC_RING, K_HEAD_ID, K_COUNTER }, 3, 8 },
	{ K_SIZE_PRB, { K_DESC_RING, K_TAIL_ID, K_COUNTER }, 3, 8 },
	{ K_SIZE_PRB, { K_TEXT_RING, K_SIZE_BITS }, 2, 4 },
	{ K_SIZE_PRB, { K_TEXT_RING, K_DATA }, 2, 8 },
	{ K_SIZE_DESC, { K_STATE_VAR, K_COUNTER }, 2, 8 },
	{ K_SIZE_DESC, { K_TEXT_BLK_LPOS, K_LPOS_BEGIN }, 2, 8 },
	{ K_SIZE_DESC, { K_TEXT_BLK_LPOS, K_LPOS_NEXT }, 2, 8 },
	{ K_SIZE_INFO, { K_TS_NSEC }, 1, 8 },
	{ K_SIZE_INFO, { K_TEXT_LEN }, 1, 2 },
	{ K_SIZE_INFO, { K_SEQ }, 1, 8 },
};

struct prb_image {
	struct log_ctx *log;
	long long k[NR_KEYS];	/* VMCOREINFO values; K_SEQ may be VMCI_ABSENT */
	uint8_t *prb;
	uint8_t *descs;
	uint8_t *infos;
	uint8_t *text;
	unsigned int count_bits, size_bits;
	uint64_t desc_count;
	uint64_t text_size;
	uint64_t head, tail;
	uint64_t seq_delta;	/* (seq - id) of the ring's records, mod 2^62 */
	bool check_seq;
	/* what was left out */
	unsigned int damaged;
	char first_damage[200];
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

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || tb_reserve(tb, (size_t)n + 1) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(tb->data + tb->len, tb->cap - tb->len, fmt, ap);
	va_end(ap);
	tb->len += (size_t)n;
	return 0;
}

/* Is any printk ring entry in VMCOREINFO at all? */
static bool any_ring_entry(const struct vmcoreinfo *vi)
{
	unsigned int i;

	for (i = 0; i < NR_KEYS; i++)
		if (vmcoreinfo_get(vi, prb_keys[i]))
			return true;
	return false;
}

static int load_layout(struct prb_image *m, const struct vmcoreinfo *vi, uint64_t *prb_sym)
{
	unsigned int i, j;

	if (!vmcoreinfo_get(vi, "SYMBOL(prb)")) {
		if (any_ring_entry(vi))
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO describes the printk ring but lacks SYMBOL(prb)");
		return log_fail(m->log, PMD_EUNSUPPORTED, "cannot read the kernel log: VMCOREINFO has no printk ring (no SYMBOL(prb)); kernels before 5.10 are not supported");
	}
	if (!vmcoreinfo_get_hex(vi, "SYMBOL(prb)", prb_sym)) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO entry SYMBOL(prb) has a bad value \"%.40s\"",
				vmcoreinfo_get(vi, "SYMBOL(prb)"));
	}
	for (i = 0; i < NR_KEYS; i++) {
		const char *key = prb_keys[i];

		if (!vmcoreinfo_get(vi, key)) {
			if (i >= NR_REQUIRED) {
				m->k[i] = VMCI_ABSENT;
				continue;
			}
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO has SYMBOL(prb) but lacks %s", key);
		}
		if (!vmcoreinfo_get_long(vi, key, &m->k[i])) {
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO entry %s has a bad value \"%.40s\"",
					key, vmcoreinfo_get(vi, key));
		}
		if (m->k[i] < 0 || m->k[i] > MAX_STRUCT) {
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO %s=%lld is out of range (0 to %d)",
					key, m->k[i], MAX_STRUCT);
		}
	}
	/* Each field must lie inside the buffer it is read from. */
	for (i = 0; i < sizeof(field_rules) / sizeof(field_rules[0]); i++) {
		const struct field_rule *r = &field_rules[i];
		long long end = r->width, size = m->k[r->container];
		char parts[200];
		size_t len = 0;

		if (r->part[0] >= NR_REQUIRED && m->k[r->part[0]] == VMCI_ABSENT)
			continue;
		for (j = 0; j < r->nr_parts; j++)
			end += m->k[r->part[j]];
		if (end <= size)
			continue;
		for (j = 0; j < r->nr_parts; j++)
			len += (size_t)snprintf(parts + len, sizeof(parts) - len, "%s%s=%lld",
						j ? " + " : "", prb_keys[r->part[j]],
						m->k[r->part[j]]);
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: VMCOREINFO %s puts a field of %u bytes past %s=%lld",
				parts, r->width, prb_keys[r->container], size);
	}
	return 0;
}

/* Read kernel memory, naming what was read if it fails. */
static int read_kernel(struct prb_image *m, struct x86_64_xlat *x, const char *what,
		       uint64_t vaddr, void *buf, uint64_t size)
{
	char why[sizeof(m->log->error)];
	int ret;

	if (log_error_status(m->log))
		return x86_64_read(x, vaddr, buf, size);
	ret = x86_64_read(x, vaddr, buf, size);
	if (ret >= 0)
		return 0;
	snprintf(why, sizeof(why), "%s", log_error_text(m->log));
	ret = log_error_status(m->log);
	log_clear_error(m->log);
	return log_fail(m->log, ret ? (enum pmd_status)ret : PMD_EIO, "cannot read the kernel log's %s (%" PRIu64 " bytes at %#" PRIx64 "): %s",
			what, size, vaddr, why);
}

/*
 * An array the ring's header sizes: its first and last byte must be in
 * the dump before it is allocated, so a garbled header cannot ask for
 * gigabytes.
 */
static int read_array(struct prb_image *m, struct x86_64_xlat *x, const char *what,
		      uint64_t vaddr, uint64_t size, uint8_t **out)
{
	uint64_t ends[2] = { vaddr, vaddr + size - 1 }, pa;
	unsigned int i;

	for (i = 0; size > 4096 && i < 2; i++) {
		if (ends[i] < vaddr || x86_64_vtop(x, ends[i], &pa) < 0) {
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log's %s (%" PRIu64 " bytes at %#" PRIx64 "): kernel address %#" PRIx64 " is not mapped in the dump",
					what, size, vaddr, ends[i]);
		}
		if (!physmem_present(x->pm, pa >> 12)) {
			return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log's %s (%" PRIu64 " bytes at %#" PRIx64 "): kernel address %#" PRIx64 " (physical %#" PRIx64 ") is not in the dump",
					what, size, vaddr, ends[i], pa);
		}
	}
	*out = malloc(size ? size : 1);
	if (!*out) {
		return log_fail(m->log, PMD_ENOMEM, "out of memory for the kernel log's %s (%" PRIu64 " bytes)",
				what, size);
	}
	return read_kernel(m, x, what, vaddr, *out, size);
}

static int load_image(struct prb_image *m, struct x86_64_xlat *x, uint64_t prb_sym)
{
	const uint8_t *dring, *tring;
	uint64_t prb_addr;

	if (read_kernel(m, x, "pointer prb", prb_sym, &prb_addr, sizeof(prb_addr)) < 0 ||
	    read_array(m, x, "struct printk_ringbuffer", prb_addr,
		       (uint64_t)m->k[K_SIZE_PRB], &m->prb) < 0)
		return -1;
	dring = m->prb + m->k[K_DESC_RING];
	tring = m->prb + m->k[K_TEXT_RING];
	m->count_bits = load_u32(dring, m->k[K_COUNT_BITS]);
	m->size_bits = load_u32(tring, m->k[K_SIZE_BITS]);
	if (m->count_bits > MAX_COUNT_BITS) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: its descriptor ring's count_bits %u is out of range (at most %d)",
				m->count_bits, MAX_COUNT_BITS);
	}
	if (m->size_bits < MIN_SIZE_BITS || m->size_bits > MAX_SIZE_BITS) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: its text data ring's size_bits %u is out of range (%d to %d)",
				m->size_bits, MIN_SIZE_BITS, MAX_SIZE_BITS);
	}
	m->desc_count = 1ULL << m->count_bits;
	m->text_size = 1ULL << m->size_bits;
	m->head = load_u64(dring, m->k[K_HEAD_ID] + m->k[K_COUNTER]);
	m->tail = load_u64(dring, m->k[K_TAIL_ID] + m->k[K_COUNTER]);
	if ((m->head | m->tail) & ~DESC_ID_MASK) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: its head id %#" PRIx64 " or tail id %#" PRIx64 " is not a descriptor id",
				m->head, m->tail);
	}
	if (((m->head - m->tail) & DESC_ID_MASK) >= m->desc_count) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: its head id %#" PRIx64 " is not within %" PRIu64 " descriptors after its tail id %#" PRIx64,
				m->head, m->desc_count, m->tail);
	}
	if (read_array(m, x, "descriptor array", load_u64(dring, m->k[K_DESCS]),
		       m->desc_count * (uint64_t)m->k[K_SIZE_DESC], &m->descs) < 0 ||
	    read_array(m, x, "printk_info array", load_u64(dring, m->k[K_INFOS]),
		       m->desc_count * (uint64_t)m->k[K_SIZE_INFO], &m->infos) < 0 ||
	    read_array(m, x, "text data ring", load_u64(tring, m->k[K_DATA]),
		       m->text_size, &m->text) < 0)
		return -1;
	return 0;
}

static const uint8_t *desc_of(const struct prb_image *m, uint64_t id)
{
	return m->descs + (id & (m->desc_count - 1)) * (uint64_t)m->k[K_SIZE_DESC];
}

static const uint8_t *info_of(const struct prb_image *m, uint64_t id)
{
	return m->infos + (id & (m->desc_count - 1)) * (uint64_t)m->k[K_SIZE_INFO];
}

static uint64_t state_var(const struct prb_image *m, uint64_t id)
{
	return load_u64(desc_of(m, id), m->k[K_STATE_VAR] + m->k[K_COUNTER]);
}

/* A descriptor that holds its id in a committed or finalized state. */
static bool has_record(const struct prb_image *m, uint64_t id)
{
	uint64_t sv = state_var(m, id), st = sv >> DESC_STATE_SHIFT;

	return (sv & DESC_ID_MASK) == id && (st == DESC_COMMITTED || st == DESC_FINALIZED);
}

static uint64_t seq_delta(const struct prb_image *m, uint64_t id)
{
	return (load_u64(info_of(m, id), m->k[K_SEQ]) - id) & DESC_ID_MASK;
}

/*
 * Sequence numbers and ids both count records, so seq - id is the same
 * for every record of the ring (mod 2^62, ids being 62 bits): take the
 * value most records agree on, as the kernel's reader takes the tail's.
 */
static void find_seq_delta(struct prb_image *m)
{
	uint64_t id = m->tail, votes = 0;

	m->check_seq = m->k[K_SEQ] != VMCI_ABSENT;
	if (!m->check_seq)
		return;
	for (;; id = (id + 1) & DESC_ID_MASK) {
		if (has_record(m, id)) {
			uint64_t d = seq_delta(m, id);

			if (!votes)
				m->seq_delta = d;
			votes += d == m->seq_delta ? 1 : -1;
		}
		if (id == m->head)
			break;
	}
}

enum verdict { SHOW, SKIP, DAMAGED };

static enum verdict damaged(struct prb_image *m, uint64_t id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum verdict damaged(struct prb_image *m, uint64_t id, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!m->damaged++) {
		n = snprintf(m->first_damage, sizeof(m->first_damage), "descriptor id %#" PRIx64 ": ", id);
		va_start(ap, fmt);
		vsnprintf(m->first_damage + n, sizeof(m->first_damage) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return DAMAGED;
}

/*
 * Where the text of record @id is: its data block per get_data() (a
 * regular block inside one wrap, or a block wrapped to the start of the
 * array, its lpos one wrap apart), 8-byte aligned, starting with the
 * owner's id, and text_len within it per copy_data().
 */
static enum verdict check_record(struct prb_image *m, uint64_t id, const uint8_t **text,
				 uint16_t *len)
{
	const uint8_t *desc = desc_of(m, id), *info = info_of(m, id);
	uint64_t sv = state_var(m, id), st = sv >> DESC_STATE_SHIFT;
	uint64_t begin = load_u64(desc, m->k[K_TEXT_BLK_LPOS] + m->k[K_LPOS_BEGIN]);
	uint64_t next = load_u64(desc, m->k[K_TEXT_BLK_LPOS] + m->k[K_LPOS_NEXT]);
	uint64_t mask = m->text_size - 1, at, size;
	unsigned int bits = m->size_bits;
	uint16_t text_len;

	if ((sv & DESC_ID_MASK) != id) {
		/* the head, reserved a moment ago: still its previous id */
		if (id == m->head && (sv & DESC_ID_MASK) == ((id - m->desc_count) & DESC_ID_MASK))
			return SKIP;
		return damaged(m, id, "its state_var %#" PRIx64 " holds another id", sv);
	}
	if (st == DESC_RESERVED || st == DESC_REUSABLE)
		return SKIP;	/* being written, or its text is gone */
	if (m->check_seq && seq_delta(m, id) != m->seq_delta) {
		return damaged(m, id, "its printk_info.seq %" PRIu64 " is out of sequence",
			       load_u64(info, m->k[K_SEQ]));
	}
	memcpy(&text_len, info + m->k[K_TEXT_LEN], sizeof(text_len));
	if ((begin & 1) && (next & 1)) {
		if (begin == FAILED_LPOS && next == FAILED_LPOS)
			return SKIP;	/* the text did not fit: lost */
		if (begin != NO_LPOS || next != NO_LPOS)
			return damaged(m, id, "text block %#" PRIx64 "-%#" PRIx64 " is not a data-less block", begin, next);
		if (text_len)
			return damaged(m, id, "text_len %u but no text block", text_len);
		*text = NULL;
		*len = 0;
		return SHOW;
	}
	if ((begin | next) & 7)
		return damaged(m, id, "text block %#" PRIx64 "-%#" PRIx64 " is not 8-byte aligned", begin, next);
	if (begin >> bits == next >> bits && begin < next) {
		at = begin & mask;
		size = next - begin;
	} else if ((begin + m->text_size) >> bits == next >> bits) {
		at = 0;
		size = next & mask;
	} else {
		return damaged(m, id, "text block %#" PRIx64 "-%#" PRIx64 " is not within one wrap of the %" PRIu64 "-byte text ring",
			       begin, next, m->text_size);
	}
	if (size < sizeof(uint64_t))
		return damaged(m, id, "text block %#" PRIx64 "-%#" PRIx64 " is too short for its id", begin, next);
	if (load_u64(m->text, (long long)at) != id ||
	    load_u64(m->text, (long long)(begin & mask)) != id) {
		return damaged(m, id, "text block at %#" PRIx64 " belongs to id %#" PRIx64,
			       begin, load_u64(m->text, (long long)(begin & mask)));
	}
	size -= sizeof(uint64_t);
	if (text_len > size)
		return damaged(m, id, "text_len %u is past the end of its %" PRIu64 "-byte text block", text_len, size);
	*text = m->text + at + sizeof(uint64_t);
	*len = text_len;
	return SHOW;
}

/*
 * makedumpfile's layout: "[seconds.micros] text", a newline in the text
 * starting a line indented under it, bytes other than printable ASCII and
 * white space written as \xNN.
 */
static int append_record(struct text_buf *out, uint64_t ts, const uint8_t *text, uint16_t len)
{
	size_t start = out->len, indent;
	uint16_t i;

	if (tb_printf(out, "[%5" PRIu64 ".%06" PRIu64 "] ", ts / 1000000000,
		      ts % 1000000000 / 1000) < 0)
		return -1;
	indent = out->len - start;
	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		/* the worst case: a newline and the indent */
		if (tb_reserve(out, indent + 8) < 0)
			return -1;
		if (c == '\n') {
			out->data[out->len++] = '\n';
			memset(out->data + out->len, ' ', indent);
			out->len += indent;
		} else if ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r')) {
			out->data[out->len++] = (char)c;
		} else {
			out->len += (size_t)snprintf(out->data + out->len, 5, "\\x%02x", c);
		}
	}
	if (tb_reserve(out, 1) < 0)
		return -1;
	out->data[out->len++] = '\n';
	return 0;
}

static int show_records(struct prb_image *m, struct text_buf *out)
{
	uint64_t id, shown = 0;

	find_seq_delta(m);
	for (id = m->tail;; id = (id + 1) & DESC_ID_MASK) {
		const uint8_t *text = NULL;
		uint16_t len = 0;

		if (check_record(m, id, &text, &len) == SHOW) {
			if (append_record(out, load_u64(info_of(m, id), m->k[K_TS_NSEC]), text, len) < 0)
				return log_fail(m->log, PMD_ENOMEM, "out of memory for the kernel log");
			shown++;
		}
		if (id == m->head)
			break;
	}
	if (!shown && m->damaged) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: none of its records is intact (%u damaged; %s)",
				m->damaged, m->first_damage);
	}
	if (!shown) {
		return log_fail(m->log, PMD_ECORRUPT, "cannot read the kernel log: its ring holds no record from tail id %#" PRIx64 " to head id %#" PRIx64,
				m->tail, m->head);
	}
	if (m->damaged)
		log_warn(m->log, "kernel log: %u damaged record%s left out (%s)\n", m->damaged,
			 m->damaged == 1 ? "" : "s", m->first_damage);
	return 0;
}

int printk_read_log(struct x86_64_xlat *x, const struct vmcoreinfo *vi,
		    struct text_buf *out)
{
	struct prb_image m;
	uint64_t prb_sym = 0;
	int ret = -1;

	memset(&m, 0, sizeof(m));
	m.log = x->pm->log;
	if (load_layout(&m, vi, &prb_sym) < 0 || load_image(&m, x, prb_sym) < 0 ||
	    show_records(&m, out) < 0)
		goto out;
	ret = 0;
out:
	free(m.prb);
	free(m.descs);
	free(m.infos);
	free(m.text);
	return ret < 0 ? -(log_error_status(m.log) ? log_error_status(m.log) : PMD_ECORRUPT) : 0;
}
