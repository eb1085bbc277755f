// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_inflate.c - our DEFLATE and gzip decoder (loader/sys/inflate.c)
 * against zlib and gzip(1), which serve as independent oracles.
 *
 * Inputs: this machine's /proc/config.gz when there is one, the test BPF
 * objects given as arguments, and generated data (text, zeros, runs,
 * random bytes, empty, several megabytes), compressed by zlib at every
 * level with every strategy, as raw DEFLATE and as gzip, and by gzip(1)
 * at every level.  Then every truncation, random damage and random bytes:
 * each must give an error or the same result as zlib, never a crash or a
 * read outside the input (the test runs under AddressSanitizer).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sys/inflate.h"
#include "../testlib.h"

#define LIMIT (64u << 20)

struct buf {
	unsigned char *data;
	size_t len;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n;

	b->len = 0;
	b->data = malloc(cap);
	if (!f || !b->data) {
		if (f)
			fclose(f);
		free(b->data);
		b->data = NULL;
		return -1;
	}
	while ((n = fread(b->data + b->len, 1, cap - b->len, f)) > 0) {
		b->len += n;
		if (b->len == cap)
			b->data = realloc(b->data, cap *= 2);
	}
	fclose(f);
	return 0;
}

/* zlib's deflate: window_bits -15..-9 raw, 31 gzip. */
static int z_compress(const struct buf *in, int level, int strategy, int window_bits, struct buf *out)
{
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, strategy) != Z_OK)
		return -1;
	out->len = deflateBound(&z, in->len) + 64;
	out->data = malloc(out->len);
	z.next_in = in->data;
	z.avail_in = (uInt)in->len;
	z.next_out = out->data;
	z.avail_out = (uInt)out->len;
	ret = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -1;
}

/* zlib's inflate as the oracle: 0 and the output, or -1 (rejected). */
static int z_inflate(const unsigned char *in, size_t len, int window_bits, struct buf *out,
		     size_t *in_used)
{
	z_stream z;
	size_t cap = len * 4 + 1024;
	int ret;

	memset(&z, 0, sizeof(z));
	out->data = malloc(cap);
	out->len = 0;
	if (inflateInit2(&z, window_bits) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	for (;;) {
		z.next_out = out->data + out->len;
		z.avail_out = (uInt)(cap - out->len);
		ret = inflate(&z, Z_NO_FLUSH);
		out->len = cap - z.avail_out;
		if (ret == Z_STREAM_END || ret != Z_OK || z.avail_out != 0)
			break;
		if (cap >= LIMIT)
			break;
		out->data = realloc(out->data, cap *= 2);
	}
	if (in_used)
		*in_used = len - z.avail_in;
	inflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -1;
}

static int same(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* ---- the corpus ---------------------------------------------------------------- */

struct input {
	char name[64];
	struct buf b;
};

static struct input inputs[32];
static size_t input_cnt;

static void add_input(const char *name, unsigned char *data, size_t len)
{
	struct input *in = &inputs[input_cnt++];

	snprintf(in->name, sizeof(in->name), "%s", name);
	in->b.data = data;
	in->b.len = len;
}

static unsigned char *filled(size_t len, int kind)
{
	unsigned char *p = malloc(len ? len : 1);
	size_t i;

	for (i = 0; i < len; i++) {
		switch (kind) {
		case 0: p[i] = 0; break;
		case 1: p[i] = (unsigned char)rnd(); break;
		case 2: p[i] = "abcabcabd"[i % 9]; break;
		default: p[i] = (rnd() % 7 == 0) ? (unsigned char)rnd() : p[i ? i - 1 : 0]; break;
		}
	}
	return p;
}

static const struct buf *find_input(const char *name)
{
	size_t i;

	for (i = 0; i < input_cnt; i++)
		if (strcmp(inputs[i].name, name) == 0)
			return &inputs[i].b;
	abort();
}

static struct buf config_gz;	/* /proc/config.gz as it is, when readable */
static struct buf config_text;	/* ... inflated by zlib */

static void build_corpus(int argc, char **argv)
{
	struct buf b;
	unsigned char *big;
	int i;

	if (read_file("/proc/config.gz", &config_gz) == 0 &&
	    z_inflate(config_gz.data, config_gz.len, 31, &config_text, NULL) == 0)
		add_input("config", config_text.data, config_text.len);
	add_input("empty", filled(0, 0), 0);
	add_input("one-byte", filled(1, 1), 1);
	add_input("zeros-100k", filled(100000, 0), 100000);
	add_input("random-64k", filled(65536, 1), 65536);
	add_input("runs-300k", filled(300000, 2), 300000);
	add_input("mixed-200k", filled(200000, 3), 200000);
	for (i = 1; i < argc && input_cnt < 24; i++) {
		const char *base = strrchr(argv[i], '/');

		if (read_file(argv[i], &b) == 0)
			add_input(base ? base + 1 : argv[i], b.data, b.len);
	}
	/* several megabytes: far more than one window, many blocks */
	big = malloc(6u << 20);
	for (i = 0; i < (6 << 20); i++)
		big[i] = config_text.len ? config_text.data[(size_t)i % config_text.len] ^ (i % 4096 == 0)
					 : (unsigned char)(i * 7 / 5);
	add_input("large-6m", big, 6u << 20);
}

/* ---- round trips ----------------------------------------------------------------- */

static const int strategies[] = { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED };

static void test_zlib_round_trips(const struct input *in)
{
	char name[128];
	struct buf z, ours;
	struct bl_err err;
	size_t used, streams = 0, s;
	int level, wbits, ret;

	snprintf(name, sizeof(name), "inflate/zlib/%s", in->name);
	for (level = 0; level <= 9; level++) {
		for (s = 0; s < sizeof(strategies) / sizeof(strategies[0]); s++) {
			/* a large input: a few levels, one strategy */
			if (in->b.len > (1u << 20) && (s > 0 || level % 3 != 0))
				continue;
			for (wbits = -15; wbits <= 31; wbits += 46) {
				int window = (level == 3 && wbits < 0) ? -9 : wbits;	/* a small window too */

				T_EXPECT(name, z_compress(&in->b, level, strategies[s], window, &z) == 0,
					 "zlib's deflate failed");
				if (window < 0)
					ret = bl_inflate(z.data, z.len, LIMIT, &ours.data, &ours.len, &used, &err);
				else
					ret = bl_gunzip(z.data, z.len, LIMIT, &ours.data, &ours.len, &err);
				if (ret || !same(ours.data, ours.len, in->b.data, in->b.len) ||
				    (window < 0 && used != z.len)) {
					t_fail(name, "level %d strategy %d window bits %d: %s", level,
					       strategies[s], window, ret ? err.msg : "output or length differs");
					free(z.data);
					free(ours.data);
					return;
				}
				free(z.data);
				free(ours.data);
				streams++;
			}
		}
	}
	printf("# %s: %zu streams\n", name, streams);
	t_pass(name);
}

/* gzip(1) itself: FNAME headers, its own block choices, at every level. */
static void test_gzip_cli(const struct input *in)
{
	char name[128], path[] = "/tmp/test_inflate.XXXXXX", cmd[256];
	struct buf gz, ours;
	struct bl_err err;
	int level, fd;
	FILE *p;

	snprintf(name, sizeof(name), "gzip/cli/%s", in->name);
	if (system("command -v gzip >/dev/null 2>&1") != 0) {
		t_skip(name, "gzip(1) is not installed");
		return;
	}
	fd = mkstemp(path);
	T_EXPECT(name, fd >= 0 && write(fd, in->b.data, in->b.len) == (ssize_t)in->b.len, "temp file");
	close(fd);
	for (level = 1; level <= 9; level++) {
		snprintf(cmd, sizeof(cmd), "gzip -N -c -%d %s", level, path);
		p = popen(cmd, "r");
		gz.data = malloc(in->b.len * 2 + 4096);
		gz.len = fread(gz.data, 1, in->b.len * 2 + 4096, p);
		pclose(p);
		if (bl_gunzip(gz.data, gz.len, LIMIT, &ours.data, &ours.len, &err) ||
		    !same(ours.data, ours.len, in->b.data, in->b.len)) {
			t_fail(name, "gzip -%d: %s", level, ours.data ? "output differs" : err.msg);
			free(gz.data);
			free(ours.data);
			unlink(path);
			return;
		}
		free(gz.data);
		free(ours.data);
	}
	unlink(path);
	t_pass(name);
}

/* The running kernel's /proc/config.gz, compared with gzip -dc. */
static void test_proc_config(void)
{
	const char *name = "gzip/proc-config.gz";
	struct buf ours, ref;
	struct bl_err err;
	FILE *p;

	if (!config_gz.data) {
		t_skip(name, "this kernel has no /proc/config.gz (CONFIG_IKCONFIG_PROC is off)");
		return;
	}
	T_EXPECT(name, bl_gunzip(config_gz.data, config_gz.len, LIMIT, &ours.data, &ours.len, &err) == 0,
		 "%s", err.msg);
	p = popen("gzip -dc /proc/config.gz", "r");
	ref.data = malloc(LIMIT / 8);
	ref.len = p ? fread(ref.data, 1, LIMIT / 8, p) : 0;
	if (p)
		pclose(p);
	if (!same(ours.data, ours.len, ref.data, ref.len))
		t_fail(name, "%zu bytes differ from gzip -dc's %zu", ours.len, ref.len);
	else if (!same(ours.data, ours.len, config_text.data, config_text.len))
		t_fail(name, "differs from zlib");
	else {
		printf("# %s: %zu -> %zu bytes\n", name, config_gz.len, ours.len);
		t_pass(name);
	}
	free(ours.data);
	free(ref.data);
}

/* Every optional header field, through zlib's deflateSetHeader. */
static void test_header_fields(void)
{
	const char *name = "gzip/header-fields";
	unsigned char extra[] = "AB\x04\x00xyzw", out[4096];
	const char text[] = "a member with every optional header field";
	gz_header h;
	z_stream z;
	struct buf ours;
	struct bl_err err;

	memset(&h, 0, sizeof(h));
	h.extra = extra;
	h.extra_len = 8;
	h.name = (unsigned char *)"name.txt";
	h.comment = (unsigned char *)"a comment";
	h.hcrc = 1;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	deflateSetHeader(&z, &h);
	z.next_in = (unsigned char *)text;
	z.avail_in = sizeof(text);
	z.next_out = out;
	z.avail_out = sizeof(out);
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	T_EXPECT(name, (out[3] & 0x1e) == 0x1e, "zlib did not set FEXTRA, FNAME, FCOMMENT and FHCRC");
	T_EXPECT(name, bl_gunzip(out, z.total_out, LIMIT, &ours.data, &ours.len, &err) == 0, "%s", err.msg);
	T_EXPECT(name, same(ours.data, ours.len, (const unsigned char *)text, sizeof(text)), "output differs");
	free(ours.data);
	/* the header CRC covers the fields: damage the name */
	out[10 + 2 + 8] ^= 1;
	T_EXPECT(name, bl_gunzip(out, z.total_out, LIMIT, &ours.data, &ours.len, &err) != 0 &&
		 strstr(err.msg, "header CRC"), "a damaged name passed: %s", err.msg);
	t_pass(name);
}

/* Two members concatenated (as `cat a.gz b.gz`) inflate to both. */
static void test_members(void)
{
	const char *name = "gzip/two-members";
	const struct buf *first = find_input("mixed-200k"), *second = find_input("one-byte");
	struct buf a, b, cat, ours;
	struct bl_err err;

	T_EXPECT(name, z_compress(first, 6, 0, 31, &a) == 0 && z_compress(second, 6, 0, 31, &b) == 0,
		 "zlib");
	cat.len = a.len + b.len;
	cat.data = malloc(cat.len);
	memcpy(cat.data, a.data, a.len);
	memcpy(cat.data + a.len, b.data, b.len);
	T_EXPECT(name, bl_gunzip(cat.data, cat.len, LIMIT, &ours.data, &ours.len, &err) == 0, "%s", err.msg);
	T_EXPECT(name, ours.len == first->len + second->len &&
		 memcmp(ours.data, first->data, first->len) == 0 &&
		 memcmp(ours.data + first->len, second->data, second->len) == 0, "output differs");
	free(ours.data);
	/* anything after the last member that is not a member is refused */
	cat.data = realloc(cat.data, cat.len + 3);
	memcpy(cat.data + cat.len, "xyz", 3);
	T_EXPECT(name, bl_gunzip(cat.data, cat.len + 3, LIMIT, &ours.data, &ours.len, &err) != 0 &&
		 strstr(err.msg, "no gzip member"), "trailing bytes accepted: %s", err.msg);
	free(a.data);
	free(b.data);
	free(cat.data);
	t_pass(name);
}

static void test_limit(void)
{
	const char *name = "inflate/output-limit";
	const struct buf *in = find_input("zeros-100k");
	struct buf z, ours;
	struct bl_err err;

	T_EXPECT(name, z_compress(in, 9, 0, 31, &z) == 0, "zlib");
	T_EXPECT(name, bl_gunzip(z.data, z.len, in->len - 1, &ours.data, &ours.len, &err) == -E2BIG &&
		 !ours.data, "one byte under the size: %s", err.msg);
	T_EXPECT(name, bl_gunzip(z.data, z.len, in->len, &ours.data, &ours.len, &err) == 0 &&
		 ours.len == in->len, "exactly the size: %s", err.msg);
	free(ours.data);
	T_EXPECT(name, bl_gunzip(z.data, z.len, 0, &ours.data, &ours.len, &err) == -E2BIG, "limit 0");
	free(z.data);
	t_pass(name);
}

/* ---- bad input ------------------------------------------------------------------------ */

/* Every strict prefix of a stream lacks bits the decoder needs. */
static void test_truncations(const char *label, const struct buf *in, int level, size_t step)
{
	char name[128];
	struct buf z, ours;
	struct bl_err err;
	size_t cut, tried = 0;
	int gz;

	for (gz = 0; gz < 2; gz++) {
		snprintf(name, sizeof(name), "%s/truncations/%s/level%d", gz ? "gzip" : "inflate", label, level);
		T_EXPECT(name, z_compress(in, level, 0, gz ? 31 : -15, &z) == 0, "zlib");
		for (cut = 0; cut < z.len; cut += step) {
			int ret = gz ? bl_gunzip(z.data, cut, LIMIT, &ours.data, &ours.len, &err)
				     : bl_inflate(z.data, cut, LIMIT, &ours.data, &ours.len, NULL, &err);
			if (ret != -EBADMSG || ours.data) {
				t_fail(name, "%zu of %zu bytes: %s", cut, z.len, ret ? err.msg : "accepted");
				free(ours.data);
				free(z.data);
				return;
			}
			tried++;
		}
		free(z.data);
		printf("# %s: %zu prefixes refused\n", name, tried);
		t_pass(name);
	}
}

/*
 * Damaged streams: random bytes changed, bits flipped, bytes cut out.
 * Raw DEFLATE must agree with zlib (both refuse, or both give the same
 * bytes); gzip must refuse or give the original (its CRC catches the rest).
 */
static void test_damage(const char *label, const struct buf *in, unsigned int rounds)
{
	char name[128];
	struct buf z, copy, ours, ref;
	struct bl_err err;
	size_t used, ref_used;
	unsigned int i, refused = 0;
	int gz;

	for (gz = 0; gz < 2; gz++) {
		snprintf(name, sizeof(name), "%s/random-damage/%s", gz ? "gzip" : "inflate", label);
		T_EXPECT(name, z_compress(in, (int)(rnd() % 10), 0, gz ? 31 : -15, &z) == 0, "zlib");
		copy.data = malloc(z.len);
		for (i = 0; i < rounds; i++) {
			unsigned int k, hits = 1 + (unsigned int)(rnd() % 4);
			int ret, zret;

			memcpy(copy.data, z.data, z.len);
			copy.len = z.len;
			for (k = 0; k < hits; k++) {
				size_t at = (size_t)(rnd() % z.len);

				if (rnd() % 2)
					copy.data[at] ^= (unsigned char)(1u << (rnd() % 8));
				else
					copy.data[at] = (unsigned char)rnd();
			}
			if (rnd() % 8 == 0)
				copy.len = (size_t)(rnd() % z.len);
			ret = gz ? bl_gunzip(copy.data, copy.len, LIMIT, &ours.data, &ours.len, &err)
				 : bl_inflate(copy.data, copy.len, LIMIT, &ours.data, &ours.len, &used, &err);
			refused += ret != 0;
			if (gz) {
				if (!ret && !same(ours.data, ours.len, in->data, in->len)) {
					t_fail(name, "round %u: damaged gzip accepted with other contents", i);
					goto out;
				}
				free(ours.data);
				continue;
			}
			zret = z_inflate(copy.data, copy.len, -15, &ref, &ref_used);
			if ((ret == 0) != (zret == 0) ||
			    (!ret && (!same(ours.data, ours.len, ref.data, ref.len) || used != ref_used))) {
				t_fail(name, "round %u: ours %s, zlib %s", i, ret ? err.msg : "accepted",
				       zret ? "refused" : "accepted");
				free(ref.data);
				goto out;
			}
			free(ours.data);
			free(ref.data);
		}
		printf("# %s: %u rounds, %u refused\n", name, rounds, refused);
		t_pass(name);
out:
		free(copy.data);
		free(z.data);
		refused = 0;
	}
}

/* Bytes that were never DEFLATE: agree with zlib on every one. */
static void test_random_bytes(void)
{
	const char *name = "inflate/random-bytes";
	unsigned char data[512];
	struct buf ours, ref;
	struct bl_err err;
	size_t used, ref_used, len;
	unsigned int i, accepted = 0;

	for (i = 0; i < 20000; i++) {
		int ret, zret;

		len = (size_t)(rnd() % sizeof(data));
		for (size_t k = 0; k < len; k++)
			data[k] = (unsigned char)rnd();
		ret = bl_inflate(data, len, LIMIT, &ours.data, &ours.len, &used, &err);
		zret = z_inflate(data, len, -15, &ref, &ref_used);
		if ((ret == 0) != (zret == 0) ||
		    (!ret && (!same(ours.data, ours.len, ref.data, ref.len) || used != ref_used))) {
			t_fail(name, "buffer %u (%zu bytes): ours %s, zlib %s", i, len,
			       ret ? err.msg : "accepted", zret ? "refused" : "accepted");
			free(ours.data);
			free(ref.data);
			return;
		}
		accepted += ret == 0;
		free(ours.data);
		free(ref.data);
	}
	printf("# %s: 20000 buffers, %u accepted by both\n", name, accepted);
	t_pass(name);
}

/* A bit writer for hand-made streams: numbers LSB first, Huffman codes MSB first. */
struct bits {
	unsigned char b[64];
	size_t len;
	unsigned int bit;
};

static void put(struct bits *w, uint32_t v, unsigned int n)
{
	while (n--) {
		if (w->bit == 0)
			w->b[w->len++] = 0;
		w->b[w->len - 1] |= (unsigned char)((v & 1) << w->bit);
		v >>= 1;
		w->bit = (w->bit + 1) % 8;
	}
}

static void put_code(struct bits *w, uint32_t code, unsigned int n)
{
	while (n--)
		put(w, code >> n, 1);
}

static void expect_refused(const char *name, const unsigned char *data, size_t len, int gz,
			   const char *why)
{
	struct buf ours;
	struct bl_err err;
	int ret = gz ? bl_gunzip(data, len, LIMIT, &ours.data, &ours.len, &err)
		     : bl_inflate(data, len, LIMIT, &ours.data, &ours.len, NULL, &err);

	if (ret == 0) {
		t_fail(name, "accepted");
		free(ours.data);
	} else if (!strstr(err.msg, why)) {
		t_fail(name, "refused without saying \"%s\": %s", why, err.msg);
	} else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
}

static void test_crafted(void)
{
	struct bits w;
	unsigned char gz[64];
	struct buf z, small = { (unsigned char *)"hello", 5 };
	int i;

	memset(&w, 0, sizeof(w));
	put(&w, 1, 1), put(&w, 3, 2);
	expect_refused("inflate/crafted/block-type-3", w.b, w.len, 0, "block type 3");

	expect_refused("inflate/crafted/stored-length", (const unsigned char *)"\x01\x05\x00\x00\x00hello", 10, 0,
		       "complement");

	/* fixed block: literal 'a', then a copy of 3 bytes from 2 back */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1), put(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7);	/* symbol 257: length 3 */
	put_code(&w, 1, 5);	/* distance symbol 1: distance 2 */
	put_code(&w, 0, 7);	/* end of block */
	expect_refused("inflate/crafted/distance-too-far", w.b, w.len, 0, "reaches back");

	/* dynamic block whose code-length code has 19 codes of 1 bit */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1), put(&w, 2, 2);
	put(&w, 0, 5), put(&w, 0, 5), put(&w, 15, 4);
	for (i = 0; i < 19; i++)
		put(&w, 1, 3);
	expect_refused("inflate/crafted/over-subscribed", w.b, w.len, 0, "over-subscribed");

	/* dynamic block: lengths 1 for two code-length symbols (0 and 8),
	 * then all 286+... zero except nothing for 256 */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1), put(&w, 2, 2);
	put(&w, 0, 5), put(&w, 0, 5), put(&w, 4, 4);	/* 257 + 1 lengths, 8 code-length lengths */
	for (i = 0; i < 8; i++)	/* order 16 17 18 0 8 7 9 6: give 0 and 8 one bit each */
		put(&w, (i == 3 || i == 4) ? 1 : 0, 3);
	for (i = 0; i < 258; i++)
		put_code(&w, i == 'x' ? 1 : 0, 1);	/* 0 -> symbol 0 (length 0), 1 -> symbol 8 */
	expect_refused("inflate/crafted/no-end-of-block", w.b, w.len, 0, "no end-of-block");

	expect_refused("gzip/crafted/empty", (const unsigned char *)"", 0, 1, "empty");
	expect_refused("gzip/crafted/not-gzip", (const unsigned char *)"CONFIG_X=y\n", 11, 1, "no gzip member");
	if (z_compress(&small, 6, 0, 31, &z) != 0 || z.len > sizeof(gz))
		return;
	memcpy(gz, z.data, z.len);
	gz[2] = 7;
	expect_refused("gzip/crafted/method", gz, z.len, 1, "compression method 7");
	memcpy(gz, z.data, z.len);
	gz[3] |= 0x20;
	expect_refused("gzip/crafted/reserved-flags", gz, z.len, 1, "reserved flag");
	memcpy(gz, z.data, z.len);
	gz[3] |= 0x08;	/* FNAME, but the name never ends inside the data */
	memset(gz + 10, 'n', z.len - 10);
	expect_refused("gzip/crafted/unterminated-name", gz, z.len, 1, "inside its header");
	memcpy(gz, z.data, z.len);
	gz[z.len - 8] ^= 0xff;
	expect_refused("gzip/crafted/crc", gz, z.len, 1, "CRC mismatch");
	memcpy(gz, z.data, z.len);
	gz[z.len - 4] ^= 1;
	expect_refused("gzip/crafted/isize", gz, z.len, 1, "trailer says");
	expect_refused("gzip/crafted/no-trailer", z.data, z.len - 8, 1, "before its CRC");
	free(z.data);
}

static void test_crc32(void)
{
	const char *name = "gzip/crc32";
	size_t i;

	for (i = 0; i < input_cnt; i++) {
		uint32_t ours = bl_crc32(0, inputs[i].b.data, inputs[i].b.len);
		uint32_t ref = (uint32_t)crc32(0, inputs[i].b.data, (uInt)inputs[i].b.len);

		T_EXPECT(name, ours == ref, "%s: %#x, zlib %#x", inputs[i].name, ours, ref);
	}
	/* in two steps, as a caller continuing over more data */
	T_EXPECT(name, bl_crc32(bl_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u,
		 "\"123456789\" in two parts");
	t_pass(name);
}

int main(int argc, char **argv)
{
	size_t i;

	build_corpus(argc, argv);
	test_crc32();
	test_proc_config();
	for (i = 0; i < input_cnt; i++) {
		test_zlib_round_trips(&inputs[i]);
		if (inputs[i].b.len < (1u << 20))
			test_gzip_cli(&inputs[i]);
	}
	test_header_fields();
	test_members();
	test_limit();
	test_truncations("mixed-4k", &(struct buf){ find_input("mixed-200k")->data, 4096 }, 9, 1);
	test_truncations("runs-4k", &(struct buf){ find_input("runs-300k")->data, 4096 }, 0, 1);
	if (config_text.data)
		test_truncations("config", &config_text, 6, 97);
	test_damage("mixed-8k", &(struct buf){ find_input("mixed-200k")->data, 8192 }, 3000);
	if (config_text.data)
		test_damage("config", &config_text, 300);
	test_random_bytes();
	test_crafted();
	return t_exit_code();
}
