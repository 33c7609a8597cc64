// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The whole makedumpfile run on a small vmcore: the input is the VMCORE
 * operand (an ELF vmcore, or a kdump-compressed dump to filter again) and
 * the tool's own dump path runs on it twice, as main() runs it
 * (options_parse(), dump_main()), messages and report going to /dev/null:
 *   makedumpfile -l -d 31 -f VMCORE DIR/out.kdump
 *   makedumpfile -E -d 31 -f VMCORE DIR/out.elf
 * The input's last byte, a byte of page data of the last PT_LOAD (or of a
 * kdump file's last page), varies the options; 0, as in every seed, gives
 * the two runs above:
 *   bits 0-1  kdump compression: -l, -c, -z, none
 *   bit 2     --cyclic-buffer 1: windows of 8192 pfns, carries between them
 *   bits 3-4  dump level: 31, 63 (pmem metadata too), 1, 0
 *   bit 5     --pmem-userdata
 *   bit 6     --non-mmap
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "src/dump.h"
#include "src/options.h"
#include "util/log.h"

static void run(char *vmcore, const char *format, uint8_t sel, const char *name)
{
	static const char *const levels[] = { "31", "63", "1", "0" };
	char out[FUZZ_PATH_MAX + 32], fmt[8], level[4], prog[] = "makedumpfile", d[] = "-d",
	     force[] = "-f", cyclic[] = "--cyclic-buffer", one[] = "1",
	     userdata[] = "--pmem-userdata", non_mmap[] = "--non-mmap";
	char *argv[16];
	struct options opt;
	struct log_ctx log;
	int argc = 0;

	snprintf(fmt, sizeof(fmt), "%s", format);
	snprintf(level, sizeof(level), "%s", levels[(sel >> 3) & 3]);
	snprintf(out, sizeof(out), "%s/%s", fuzz_tmpdir(), name);
	argv[argc++] = prog;
	if (fmt[0])
		argv[argc++] = fmt;
	argv[argc++] = d;
	argv[argc++] = level;
	argv[argc++] = force;
	if (sel & 4) {
		argv[argc++] = cyclic;
		argv[argc++] = one;
	}
	if (sel & 32)
		argv[argc++] = userdata;
	if (sel & 64)
		argv[argc++] = non_mmap;
	argv[argc++] = vmcore;
	argv[argc++] = out;
	argv[argc] = NULL;
	fuzz_log_init(&log);
	if (options_parse(&opt, &log, argc, argv) == OPTIONS_RUN)
		dump_main(&opt, NULL);
	unlink(out);
	fuzz_log_destroy(&log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const compression[] = { "-l", "-c", "-z", "" };
	uint8_t sel = size ? data[size - 1] : 0;
	char path[FUZZ_PATH_MAX];
	int fd = fuzz_file(data, size, path);

	run(path, compression[sel & 3], sel, "out.kdump");
	run(path, "-E", sel, "out.elf");
	fuzz_file_close(fd, path);
	return 0;
}
