// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/dump/flat/flatten.c: makedumpfile's flattened stream (-F), rebuilt
 * into a file (-R) by flat_rebuild(). The output is an anonymous memory
 * file: blocks may name any offset below 2^63, which costs a page each.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump/flat/flatten.h"
#include "fuzz.h"
#include "util/fileio.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FUZZ_PATH_MAX], out_name[] = "rebuilt dump";
	struct out_file out = { 0 };
	struct log_ctx log;
	int in_fd;

	fuzz_log_init(&log);
	in_fd = fuzz_file(data, size, path);
	out.log = &log;
	out.path = out_name;
	out.fd = memfd_create("pmd-fuzz-rebuilt", MFD_CLOEXEC);
	if (out.fd < 0) {
		char name[FUZZ_PATH_MAX];

		snprintf(name, sizeof(name), "%s/rebuilt", fuzz_tmpdir());
		if (out_file_create(&out, &log, name, true) < 0) {
			perror("fuzz: cannot create the rebuilt file");
			return 0;
		}
		flat_rebuild(in_fd, "fuzz input", &out);
		out_file_abort(&out);
	} else {
		flat_rebuild(in_fd, "fuzz input", &out);
		close(out.fd);
	}
	fuzz_file_close(in_fd, path);
	fuzz_log_destroy(&log);
	return 0;
}
