// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk ring reader on a hand-built Linux 6.1 ring in a fake memory:
 * the exact text of a small ring (a regular block, a block wrapped to the
 * start of the array, a data-less record, an open record), each kind of
 * damaged record left out, and hostile VMCOREINFO values, ring headers and
 * random ring contents, which must give an error or a log, never a read
 * outside a buffer (run it under --enable-sanitizers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/printk.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

static struct log_ctx test_log;

#define MEM_SIZE (1u << 20)
#define KVA(pa) (X86_64_START_KERNEL_MAP + (pa))
/* where the ring lives (physical; the kernel image maps it linearly) */
#define PRB_VAR 0x10100
#define PRB 0x10000
#define DESCS 0x11000
#define INFOS 0x12000
#define TEXT 0x13000
#define COUNT_BITS 2
#define SIZE_BITS 7
#define SV(id, st) (((uint64_t)(st) << 62) | (id))

struct fake_mem {
	uint8_t *bytes;
};

static int fake_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct fake_mem *m = priv;

	if (paddr > MEM_SIZE || len > MEM_SIZE - paddr)
		return log_fail(&test_log, PMD_EIO, "read past the fake memory");
	memcpy(buf, m->bytes + paddr, len);
	return 0;
}

static bool fake_present(void *priv, uint64_t pfn)
{
	(void)priv;
	return pfn < MEM_SIZE / 4096;
}

static const struct physmem_ops fake_ops = { .read = fake_read, .present = fake_present };

/* Linux 6.1 x86_64, as log_buf_vmcoreinfo_setup() exports it. */
static const char *const layout[][2] = {
	{ "SIZE(printk_ringbuffer)", "88" },
	{ "OFFSET(printk_ringbuffer.desc_ring)", "0" },
	{ "OFFSET(printk_ringbuffer.text_data_ring)", "48" },
	{ "OFFSET(prb_desc_ring.count_bits)", "0" },
	{ "OFFSET(prb_desc_ring.descs)", "8" },
	{ "OFFSET(prb_desc_ring.infos)", "16" },
	{ "OFFSET(prb_desc_ring.head_id)", "24" },
	{ "OFFSET(prb_desc_ring.tail_id)", "32" },
	{ "SIZE(prb_desc)", "24" },
	{ "OFFSET(prb_desc.state_var)", "0" },
	{ "OFFSET(prb_desc.text_blk_lpos)", "8" },
	{ "OFFSET(prb_data_blk_lpos.begin)", "0" },
	{ "OFFSET(prb_data_blk_lpos.next)", "8" },
	{ "SIZE(printk_info)", "88" },
	{ "OFFSET(printk_info.seq)", "0" },
	{ "OFFSET(printk_info.ts_nsec)", "8" },
	{ "OFFSET(printk_info.text_len)", "16" },
	{ "OFFSET(prb_data_ring.size_bits)", "0" },
	{ "OFFSET(prb_data_ring.data)", "8" },
	{ "OFFSET(atomic_long_t.counter)", "0" },
};
#define NR_LAYOUT (sizeof(layout) / sizeof(layout[0]))

struct fixture {
	struct fake_mem mem;
	struct physmem pm;
	struct kernel_info ki;
	struct x86_64_xlat x;
	char vmci[4096];
};

static void put64(struct fixture *f, uint64_t pa, uint64_t v)
{
	memcpy(f->mem.bytes + pa, &v, 8);
}

static void put32(struct fixture *f, uint64_t pa, uint32_t v)
{
	memcpy(f->mem.bytes + pa, &v, 4);
}

static void put16(struct fixture *f, uint64_t pa, uint16_t v)
{
	memcpy(f->mem.bytes + pa, &v, 2);
}

static void desc(struct fixture *f, uint64_t id, uint64_t sv, uint64_t begin, uint64_t next)
{
	uint64_t d = DESCS + (id & 3) * 24;

	put64(f, d, sv);
	put64(f, d + 8, begin);
	put64(f, d + 16, next);
}

static void info(struct fixture *f, uint64_t id, uint64_t seq, uint64_t ts, uint16_t len)
{
	uint64_t i = INFOS + (id & 3) * 88;

	put64(f, i, seq);
	put64(f, i + 8, ts);
	put16(f, i + 16, len);
}

static void text(struct fixture *f, uint64_t idx, const char *s, size_t len)
{
	memcpy(f->mem.bytes + TEXT + idx, s, len);
}

/*
 * Four descriptors, 128 bytes of text, lpos in the ring's third wrap:
 *   id 5 [0x140, 0x160): "first\tline\nsecond"
 *   id 6 data-less (NO_LPOS): an empty record
 *   id 7 [0x170, 0x198): wrapped, its text at index 8
 *   id 8 [0x198, 0x1b0): committed, not finalized (the open head)
 */
static void build_ring(struct fixture *f)
{
	static const char wrapped[] = "wrapped \xc3\xa9\x01!";

	memset(f->mem.bytes, 0, MEM_SIZE);
	put64(f, PRB_VAR, KVA(PRB));
	put32(f, PRB + 0, COUNT_BITS);
	put64(f, PRB + 8, KVA(DESCS));
	put64(f, PRB + 16, KVA(INFOS));
	put64(f, PRB + 24, 8);		/* head_id */
	put64(f, PRB + 32, 5);		/* tail_id */
	put32(f, PRB + 48, SIZE_BITS);
	put64(f, PRB + 56, KVA(TEXT));

	desc(f, 5, SV(5, 2), 0x140, 0x160);
	info(f, 5, 105, 1000001000, 17);
	put64(f, TEXT + 0x40, 5);
	text(f, 0x48, "first\tline\nsecond", 17);

	desc(f, 6, SV(6, 2), 3, 3);
	info(f, 6, 106, 2000000000, 0);

	desc(f, 7, SV(7, 2), 0x170, 0x198);
	info(f, 7, 107, 3000000000, sizeof(wrapped) - 1);
	put64(f, TEXT + 0x70, 7);
	put64(f, TEXT + 0, 7);
	text(f, 8, wrapped, sizeof(wrapped) - 1);

	desc(f, 8, SV(8, 1), 0x198, 0x1b0);
	info(f, 8, 108, 4500000000, 9);
	put64(f, TEXT + 0x18, 8);
	text(f, 0x20, "open line", 9);
}

static const char expected[] =
	"[    1.000001] first\tline\n"
	"               second\n"
	"[    2.000000] \n"
	"[    3.000000] wrapped \\xc3\\xa9\\x01!\n"
	"[    4.500000] open line\n";

/* VMCOREINFO with @key set to @value (NULL: left out). */
static void set_vmci(struct fixture *f, const char *key, const char *value)
{
	size_t len = 0, i;

	len += (size_t)snprintf(f->vmci + len, sizeof(f->vmci) - len, "SYMBOL(prb)=%llx\n",
				(unsigned long long)KVA(PRB_VAR));
	for (i = 0; i < NR_LAYOUT; i++) {
		const char *v = layout[i][1];

		if (key && !strcmp(key, layout[i][0])) {
			if (!value)
				continue;
			v = value;
		}
		len += (size_t)snprintf(f->vmci + len, sizeof(f->vmci) - len, "%s=%s\n",
					layout[i][0], v);
	}
	if (key && !strcmp(key, "SYMBOL(prb)")) {
		/* replace the first line */
		char *nl = strchr(f->vmci, '\n') + 1;

		if (value) {
			char first[64];

			snprintf(first, sizeof(first), "SYMBOL(prb)=%s\n", value);
			memmove(f->vmci + strlen(first), nl, strlen(nl) + 1);
			memcpy(f->vmci, first, strlen(first));
		} else {
			memmove(f->vmci, nl, strlen(nl) + 1);
		}
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	log_init(&test_log, "test");
	test_log.level = 0;
	f->mem.bytes = calloc(1, MEM_SIZE);
	f->pm.ops = &fake_ops;
	f->pm.log = &test_log;
	f->pm.priv = &f->mem;
	f->ki.page_size = 4096;
	f->ki.max_physmem_bits = 46;
	f->ki.sym_init_top_pgt = KVA(0x1000);
	assert_int_equal(x86_64_xlat_init(&f->x, &f->pm, &f->ki, NULL, 0), 0);
	build_ring(f);
	set_vmci(f, NULL, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->mem.bytes);
	free(f);
	return 0;
}

/* Read the log with the fixture's VMCOREINFO; the text in @out. */
static int read_log(struct fixture *f, struct text_buf *out)
{
	struct vmcoreinfo vi;
	int ret;

	memset(out, 0, sizeof(*out));
	log_clear_error(&test_log);
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, f->vmci, strlen(f->vmci)), 0);
	ret = printk_read_log(&f->x, &vi, out);
	vmcoreinfo_free(&vi);
	if (ret < 0) {
		/* one line naming the problem */
		assert_int_equal(ret, -log_error_status(&test_log));
		assert_null(strchr(log_error_text(&test_log), '\n'));
		assert_non_null(strstr(log_error_text(&test_log), "kernel log"));
	} else {
		/* never an empty log */
		assert_true(out->len > 0);
		assert_int_equal(out->data[out->len - 1], '\n');
	}
	return ret;
}

static void expect_text(struct fixture *f, const char *want)
{
	struct text_buf out;

	assert_int_equal(read_log(f, &out), 0);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.data, want, out.len);
	text_buf_free(&out);
}

static void expect_error(struct fixture *f, int status, const char *words)
{
	struct text_buf out;

	assert_int_equal(read_log(f, &out), -status);
	if (!strstr(log_error_text(&test_log), words))
		fail_msg("error \"%s\" lacks \"%s\"", log_error_text(&test_log), words);
	text_buf_free(&out);
}

static void good_ring(void **state)
{
	expect_text(*state, expected);
}

/* The expected text without the record of id 5, 7 or 8. */
static const char *without(uint64_t id)
{
	switch (id) {
	case 5:
		return "[    2.000000] \n"
		       "[    3.000000] wrapped \\xc3\\xa9\\x01!\n"
		       "[    4.500000] open line\n";
	case 7:
		return "[    1.000001] first\tline\n"
		       "               second\n"
		       "[    2.000000] \n"
		       "[    4.500000] open line\n";
	default:
		return "[    1.000001] first\tline\n"
		       "               second\n"
		       "[    2.000000] \n"
		       "[    3.000000] wrapped \\xc3\\xa9\\x01!\n";
	}
}

static void damaged_records(void **state)
{
	struct fixture *f = *state;

	/* a state_var of another id: 1.7.2 skips it too */
	desc(f, 5, SV(9, 2), 0x140, 0x160);
	expect_text(f, without(5));
	build_ring(f);
	/* a sequence number out of step with the others */
	info(f, 7, 111, 3000000000, 12);
	expect_text(f, without(7));
	build_ring(f);
	/* positions not 8-byte aligned */
	desc(f, 5, SV(5, 2), 0x141, 0x160);
	expect_text(f, without(5));
	build_ring(f);
	/* positions more than one wrap apart */
	desc(f, 5, SV(5, 2), 0x140, 0x260);
	expect_text(f, without(5));
	build_ring(f);
	/* next before begin in the same wrap */
	desc(f, 5, SV(5, 2), 0x160, 0x140);
	expect_text(f, without(5));
	build_ring(f);
	/* a block that belongs to another record */
	put64(f, TEXT + 0x40, 6);
	expect_text(f, without(5));
	build_ring(f);
	/* the id at the start of a wrapped block overwritten */
	put64(f, TEXT + 0, 8);
	expect_text(f, without(7));
	build_ring(f);
	/* text_len past the end of the block */
	info(f, 8, 108, 4500000000, 17);
	expect_text(f, without(8));
	build_ring(f);
	/* a wrapped block with no room for its id */
	desc(f, 7, SV(7, 2), 0x170, 0x180);
	expect_text(f, without(7));
	build_ring(f);
	/* a data-less record that claims text, and odd positions */
	info(f, 6, 106, 2000000000, 4);
	desc(f, 5, SV(5, 2), 1, 3);
	expect_text(f, "[    3.000000] wrapped \\xc3\\xa9\\x01!\n[    4.500000] open line\n");
	build_ring(f);
	/* reusable, reserved, failed: legitimately absent */
	desc(f, 5, SV(5, 3), 0x140, 0x160);
	desc(f, 7, SV(7, 0), 0x170, 0x198);
	desc(f, 8, SV(8, 2), 1, 1);
	expect_text(f, "[    2.000000] \n");
	build_ring(f);
	/* the head being reserved still holds its previous id */
	desc(f, 8, SV(4, 3), 0x198, 0x1b0);
	expect_text(f, without(8));
}

static void broken_rings(void **state)
{
	struct fixture *f = *state;

	/* every record damaged */
	for (uint64_t id = 5; id <= 8; id++)
		desc(f, id, SV(id + 1, 2), 0x140, 0x160);
	expect_error(f, PMD_ECORRUPT, "none of its records is intact (4 damaged; descriptor id 0x5:");
	build_ring(f);
	/* nothing to show, nothing damaged */
	for (uint64_t id = 5; id <= 8; id++)
		desc(f, id, SV(id, 3), 1, 1);
	expect_error(f, PMD_ECORRUPT, "holds no record from tail id 0x5 to head id 0x8");
	build_ring(f);
	put64(f, PRB + 24, 4);
	expect_error(f, PMD_ECORRUPT, "head id 0x4 is not within 4 descriptors after its tail id 0x5");
	put64(f, PRB + 24, 9);
	expect_error(f, PMD_ECORRUPT, "head id 0x9 is not within 4 descriptors");
	put64(f, PRB + 24, 8 | (1ULL << 63));
	expect_error(f, PMD_ECORRUPT, "is not a descriptor id");
	build_ring(f);
	put32(f, PRB + 0, 27);
	expect_error(f, PMD_ECORRUPT, "count_bits 27 is out of range");
	build_ring(f);
	/* 2^20 descriptors: the array would end past the dump */
	put32(f, PRB + 0, 20);
	expect_error(f, PMD_ECORRUPT, "descriptor array (25165824 bytes at 0xffffffff80011000): kernel address 0xffffffff81810fff (physical 0x1810fff) is not in the dump");
	build_ring(f);
	put32(f, PRB + 48, 4);
	expect_error(f, PMD_ECORRUPT, "size_bits 4 is out of range");
	put32(f, PRB + 48, 32);
	expect_error(f, PMD_ECORRUPT, "size_bits 32 is out of range");
	build_ring(f);
	put64(f, PRB + 56, KVA(MEM_SIZE - 64));
	expect_error(f, PMD_EIO, "text data ring (128 bytes at 0xffffffff800fffc0): read past the fake memory");
	build_ring(f);
	put64(f, PRB_VAR, 0xffffc90000000000ULL);
	expect_error(f, PMD_ECORRUPT, "struct printk_ringbuffer (88 bytes at 0xffffc90000000000): kernel address 0xffffc90000000000 is not mapped");
}

static void vmcoreinfo_wording(void **state)
{
	struct fixture *f = *state;

	/* really absent: the old ring or no ring */
	snprintf(f->vmci, sizeof(f->vmci), "SYMBOL(log_buf)=ffffffff82000000\nOSRELEASE=5.4.0\n");
	expect_error(f, PMD_EUNSUPPORTED, "no printk ring (no SYMBOL(prb)); kernels before 5.10 are not supported");
	/* damaged: never "before 5.10" */
	set_vmci(f, "SYMBOL(prb)", NULL);
	expect_error(f, PMD_ECORRUPT, "describes the printk ring but lacks SYMBOL(prb)");
	set_vmci(f, "SYMBOL(prb)", "xyz");
	expect_error(f, PMD_ECORRUPT, "SYMBOL(prb) has a bad value \"xyz\"");
	set_vmci(f, "OFFSET(prb_desc.state_var)", NULL);
	expect_error(f, PMD_ECORRUPT, "has SYMBOL(prb) but lacks OFFSET(prb_desc.state_var)");
	set_vmci(f, "SIZE(prb_desc)", "2x");
	expect_error(f, PMD_ECORRUPT, "SIZE(prb_desc) has a bad value \"2x\"");
	set_vmci(f, "OFFSET(printk_info.ts_nsec)", "-8");
	expect_error(f, PMD_ECORRUPT, "OFFSET(printk_info.ts_nsec)=-8 is out of range");
	set_vmci(f, "OFFSET(prb_desc_ring.tail_id)", "96");
	expect_error(f, PMD_ECORRUPT, "OFFSET(printk_ringbuffer.desc_ring)=0 + OFFSET(prb_desc_ring.tail_id)=96 + OFFSET(atomic_long_t.counter)=0 puts a field of 8 bytes past SIZE(printk_ringbuffer)=88");
	set_vmci(f, "OFFSET(printk_info.text_len)", "87");
	expect_error(f, PMD_ECORRUPT, "OFFSET(printk_info.text_len)=87 puts a field of 2 bytes past SIZE(printk_info)=88");
	set_vmci(f, "OFFSET(printk_info.seq)", "81");
	expect_error(f, PMD_ECORRUPT, "OFFSET(printk_info.seq)=81 puts a field of 8 bytes past SIZE(printk_info)=88");
	/* OFFSET(printk_info.seq) is optional: without it, no seq check */
	set_vmci(f, "OFFSET(printk_info.seq)", NULL);
	info(f, 7, 111, 3000000000, 12);
	expect_text(f, expected);
}

/*
 * Every entry set to values around the sizes that matter: an error or a
 * log, never a read outside a buffer, and "before 5.10" never said.
 */
static void hostile_vmcoreinfo(void **state)
{
	static const char *const values[] = {
		NULL, "", "z", "-1", "0", "1", "2", "4", "7", "8", "9", "16", "23",
		"24", "25", "47", "48", "80", "81", "87", "88", "89", "4088",
		"4095", "4096", "4097", "65536", "9223372036854775807",
		"99999999999999999999",
	};
	struct fixture *f = *state;
	unsigned int i, j, ok = 0, errors = 0;

	for (i = 0; i < NR_LAYOUT + 1; i++) {
		const char *key = i < NR_LAYOUT ? layout[i][0] : "SYMBOL(prb)";

		for (j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			struct text_buf out;

			set_vmci(f, key, values[j]);
			if (read_log(f, &out) < 0) {
				assert_null(strstr(log_error_text(&test_log), "5.10"));
				errors++;
			} else {
				ok++;
			}
			text_buf_free(&out);
		}
	}
	/* the layout's own values and a few harmless ones read the log */
	assert_true(ok >= NR_LAYOUT);
	assert_true(errors > 10 * NR_LAYOUT);
}

/* Ring headers swept: geometry, ids, pointers. */
static void hostile_headers(void **state)
{
	static const uint64_t ids[] = { 0, 1, 3, 4, 5, 7, 8, 9, 0x3fffffffffffffffULL,
					0x4000000000000000ULL, ~0ULL };
	struct fixture *f = *state;

	for (uint32_t cb = 0; cb <= 40; cb++) {
		for (uint32_t sb = 0; sb <= 40; sb += 3) {
			struct text_buf out;

			build_ring(f);
			put32(f, PRB + 0, cb);
			put32(f, PRB + 48, sb);
			/* small geometries fit the fake memory; big ones fail to read */
			read_log(f, &out);
			text_buf_free(&out);
		}
	}
	for (size_t h = 0; h < sizeof(ids) / sizeof(ids[0]); h++) {
		for (size_t t = 0; t < sizeof(ids) / sizeof(ids[0]); t++) {
			struct text_buf out;

			build_ring(f);
			put64(f, PRB + 24, ids[h]);
			put64(f, PRB + 32, ids[t]);
			read_log(f, &out);
			text_buf_free(&out);
		}
	}
}

/* Random bytes over the descriptors, infos and text: never out of bounds. */
static void random_rings(void **state)
{
	struct fixture *f = *state;
	uint64_t rng = 0x5eed;
	unsigned int logs = 0;

	for (unsigned int round = 0; round < 3000; round++) {
		struct text_buf out;
		unsigned int n = 1 + round % 12;

		build_ring(f);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t z, pa;

			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			z = rng >> 11;
			switch (z % 4) {
			case 0:
				pa = DESCS + z / 4 % (4 * 24);
				break;
			case 1:
				pa = INFOS + z / 4 % (4 * 88);
				break;
			case 2:
				pa = TEXT + z / 4 % 128;
				break;
			default:
				pa = PRB + z / 4 % 64;
				break;
			}
			f->mem.bytes[pa] = (uint8_t)(z >> 40);
		}
		if (read_log(f, &out) == 0)
			logs++;
		text_buf_free(&out);
	}
	assert_true(logs > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_records, setup, teardown),
		cmocka_unit_test_setup_teardown(broken_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(vmcoreinfo_wording, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_vmcoreinfo, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(random_rings, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
