// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bzImage as `kexec -p` meets it (lib/kernel/bzimage, kexec-tools/src).
 * bzimage_header() of the first 1024 bytes, as pmem-kdump check reads
 * them; bzimage_parse() with and without 5-level paging; when it parses,
 * the load is planned as the loader plans it in the lab's crash kernel
 * range (sizes from the header, a fixed iomem's e820), and the zero page
 * segment is built with a command line as long as the header allows (up
 * to 4 KiB).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "kernel/bzimage.h"
#include "src/bootparams.h"
#include "src/plan.h"
#include "src/sysmem.h"
#include "util/iomem.h"
#include "util/log.h"

/* The lab machine's /proc/iomem, cut to what the e820 reads. */
static const char lab_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000f0000-000fffff : Reserved\n"
	"00100000-3ffdbfff : System RAM\n"
	"  2f000000-3effffff : Crash kernel\n"
	"3ffdc000-3fffffff : Reserved\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-13fffffff : Persistent Memory\n"
	"  100000000-13fffffff : namespace0.0\n";

#define CMDLINE_MAX 4096
#define PAGE 4096u

static void build_zero_page(const struct bzimage *bz, const struct e820_map *e820,
			    uint64_t load_addr, struct log_ctx *log)
{
	size_t len = bz->cmdline_size < CMDLINE_MAX ? bz->cmdline_size : CMDLINE_MAX;
	struct bootparams_in in = {
		.bz = bz,
		.e820 = e820,
		.load_addr = load_addr,
		.initrd_addr = 0x3bc00000,
		.initrd_size = 30u << 20,
	};
	char *line = malloc(len + 2);
	uint8_t *buf;
	size_t blen;

	if (!line)
		return;
	/* One byte more than allowed, then exactly the limit. */
	memset(line, 'x', len + 1);
	line[len + 1] = '\0';
	in.cmdline = line;
	if (bootparams_build(&in, &buf, &blen, log) == 0)
		free(buf);
	log_clear_error(log);
	line[len] = '\0';
	if (bootparams_build(&in, &buf, &blen, log) == 0) {
		if (blen > bootparams_size(len, e820->nr))
			abort();	/* the bound the plan relies on */
		free(buf);
	}
	log_clear_error(log);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m = { 0 };
	struct bzimage bz;
	struct log_ctx log;
	struct plan_req reqs[5];
	uint64_t addr[5], reserve;
	int ret;

	fuzz_log_init(&log);
	bzimage_header(&bz, data, size < BZ_HEAD_SIZE ? size : BZ_HEAD_SIZE, &log);
	log_clear_error(&log);
	bzimage_parse(&bz, data, size, true, &log);
	log_clear_error(&log);
	ret = bzimage_parse(&bz, data, size, false, &log);
	log_clear_error(&log);
	if (ret || iomem_parse(&t, lab_iomem, sizeof(lab_iomem) - 1, &log)) {
		fuzz_log_destroy(&log);
		return 0;
	}
	if (crash_ranges_find(&t, &cr, &log) || e820_build(&m, &t, &cr, NULL, &log))
		abort();	/* fixed input: cannot fail */

	reqs[0] = (struct plan_req){ "elfcorehdr", PAGE, PAGE, 0 };
	reqs[1] = (struct plan_req){ "purgatory", 6 * PAGE, PAGE, 0 };
	reqs[2] = (struct plan_req){ "bootparams",
				     bootparams_size(bz.cmdline_size, m.nr + 1), PAGE, 0 };
	reqs[3] = (struct plan_req){ "kernel", bz.init_size, bz.kernel_alignment, 1u << 20 };
	reqs[4] = (struct plan_req){ "initrd", bz.kernel_size, PAGE, 0 };
	reserve = plan_control_reserve(sysmem_ram_span(&t));
	if (plan_place(crash_main(&cr), reserve, reqs, 5, addr, &log) == 0) {
		struct mem_range keep = { addr[0], addr[0] + PAGE };

		e820_free(&m);
		if (e820_build(&m, &t, &cr, &keep, &log))
			abort();
	} else {
		addr[2] = 0x3eff7000;	/* the zero page is still built: it copies the header */
	}
	log_clear_error(&log);
	build_zero_page(&bz, &m, addr[2], &log);
	e820_free(&m);
	iomem_free(&t);
	fuzz_log_destroy(&log);
	return 0;
}
