// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay driver: runs a fuzz target over files, as libFuzzer would run it
 * over a corpus, with any compiler. Arguments are files or directories
 * (every regular file in them, in name order); with none, the target's
 * seed corpus $top_srcdir/fuzz/corpus/NAME. `make check` runs it that way.
 * Exit 0 when every input ran (a crash or a sanitizer report ends it
 * first), 99 when the corpus cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET names the target's corpus folder"
#endif

#define HARD_ERROR 99

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long nr_inputs;

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *data;
	FILE *f;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: %s: not a regular file\n", path);
		return -1;
	}
	/* Exactly the input's size, so a sanitizer sees a read past it. */
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	f = fopen(path, "rb");
	if (!data || !f || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	if (getenv("FUZZ_REPLAY_VERBOSE"))
		fprintf(stderr, "replay: %s (%lld bytes)\n", path, (long long)st.st_size);
	LLVMFuzzerTestOneInput(data, (size_t)st.st_size);
	free(data);
	nr_inputs++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, i, ret = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &names, NULL, by_name);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char file[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && run_file(file) < 0)
				ret = -1;
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	char corpus[4096];
	const char *top = getenv("top_srcdir");
	int i, ret = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		snprintf(corpus, sizeof(corpus), "%s/fuzz/corpus/%s", top && *top ? top : ".",
			 FUZZ_TARGET);
		ret = run_path(corpus);
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			ret = -1;
	if (ret < 0)
		return HARD_ERROR;
	if (!nr_inputs) {
		fprintf(stderr, "replay: fuzz target %s: no input found\n", FUZZ_TARGET);
		return HARD_ERROR;
	}
	printf("PASS: fuzz replay %s: %lu inputs, no report\n", FUZZ_TARGET, nr_inputs);
	return 0;
}
