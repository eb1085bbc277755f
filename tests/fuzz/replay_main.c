// SPDX-License-Identifier: BSD-2-Clause
/*
 * replay_main.c - run a fuzz target's LLVMFuzzerTestOneInput over files,
 * without libFuzzer: make test replays the seed corpus and every crash
 * input kept in tests/fuzz/regress/ under AddressSanitizer and UBSan.
 *
 * Usage: replay_TARGET FILE...  Prints "N inputs replayed" and exits 0
 * when every input ran; a sanitizer report aborts with its own message.
 * Each input is copied into a buffer of exactly its size, as libFuzzer
 * does, so that a read one byte past the end is caught.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	struct stat st;
	long size;

	/* a directory opens, and "ends" at LONG_MAX */
	if (f && (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))) {
		fprintf(stderr, "replay: %s is not a regular file\n", path);
		fclose(f);
		return -1;
	}
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay(argv[i]))
			return 1;
	printf("%d inputs replayed\n", argc - 1);
	return 0;
}
