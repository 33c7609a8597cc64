/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_FUZZ_FUZZ_H
#define PMD_FUZZ_FUZZ_H

/*
 * Coverage-guided fuzz targets, one per parser (fuzz/README.md). Each
 * target file defines LLVMFuzzerTestOneInput(); linked with libFuzzer
 * (clang -fsanitize=fuzzer) it is a fuzzer, linked with fuzz/replay.c
 * (any compiler) it replays a corpus in `make check`.
 */
#include <stddef.h>
#include <stdint.h>

struct log_ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A quiet log for one input: no message reaches the terminal (the
 * report and messages go to /dev/null, so their code still runs).
 */
void fuzz_log_init(struct log_ctx *log);
void fuzz_log_destroy(struct log_ctx *log);

/*
 * The bytes as a file the readers can open by path: an anonymous memory
 * file (memfd) named "/proc/self/fd/N" in @path, or a file in the
 * target's temporary directory when memfd is not available. Returns the
 * fd (offset 0), or -1; fuzz_file_close() removes it.
 */
#define FUZZ_PATH_MAX 256
int fuzz_file(const uint8_t *data, size_t size, char path[FUZZ_PATH_MAX]);
void fuzz_file_close(int fd, const char path[FUZZ_PATH_MAX]);

/* A directory of this process for output files, removed at exit. */
const char *fuzz_tmpdir(void);

/* Little-endian stores for building inputs in memory. */
static inline void fuzz_put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

#endif
