// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_btf_dump_loops.c - the BTF writer (loader/btf/btf_dump*.c) on BTF
 * made by hand to be hostile, built with AddressSanitizer and UBSan.
 * Each blob passes the BTF reader (every id in range, every record in
 * bounds), so only the writer stands between it and a hang or a stack
 * overflow:
 *   - loops through typedefs, qualifiers, pointers, arrays and function
 *     prototypes; structs embedding themselves, directly or through an
 *     anonymous struct; anonymous structs pointing at each other;
 *   - legal but absurd depth: 5000 typedefs, 5000 pointers, 2000 nested
 *     anonymous structs, and anonymous structs used twice at each of 40
 *     levels (2^40 lines if written out);
 *   - a member outside its struct, a 4 GiB gap, a member of kind FUNC;
 *   - a stream that cannot be written (/dev/full).
 * Each must end with one error line naming the problem (a legal pointer
 * cycle must instead get its forward declaration), in bounded time.
 *
 * Usage: test_btf_dump_loops (arguments are ignored)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf/btf.h"
#include "btf/btf_dump.h"
#include "../testlib.h"

/* Every case must end long before this; a hang fails the whole binary. */
#define WATCHDOG_SECONDS 300

/* The dump as a string (malloc'd), or NULL with err filled. */
static char *dump(const struct bl_btf *btf, int raw, struct bl_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ret;

	if (!out) {
		bl_fail(err, errno, "open_memstream failed");
		return NULL;
	}
	ret = raw ? bl_btf_dump_raw(btf, out, err) : bl_btf_dump_c(btf, out, err);
	fclose(out);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

static int one_line(const struct bl_err *err)
{
	return err->msg[0] && !strchr(err->msg, '\n');
}

/* ---- hand-made BTF ----------------------------------------------------------- */

/* A BTF blob under construction: types as u32 words, strings. */
struct blob {
	uint32_t words[1 << 16];
	uint32_t nwords;
	uint32_t ntypes;
	char strs[1 << 16];
	uint32_t strs_len;
};

static void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->strs_len = 1;	/* "" at offset 0 */
}

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = b->strs_len;
	size_t len = s ? strlen(s) : 0;

	if (!len)
		return 0;
	/* the same name as the last one: share it (BTF strings may) */
	if (off > len + 1 && memcmp(b->strs + off - len - 1, s, len + 1) == 0 &&
	    b->strs[off - len - 2] == '\0')
		return off - (uint32_t)len - 1;
	if (off + len + 1 > sizeof(b->strs))
		abort();	/* a test that needs more strings */
	memcpy(b->strs + off, s, len + 1);
	b->strs_len += (uint32_t)len + 1;
	return off;
}

static void word(struct blob *b, uint32_t w)
{
	b->words[b->nwords++] = w;
}

/* A type record; returns its id.  size_or_type is the union field. */
static uint32_t type(struct blob *b, const char *name, unsigned int kind, uint32_t vlen,
		     uint32_t size_or_type)
{
	word(b, str(b, name));
	word(b, (kind << 24) | vlen);
	word(b, size_or_type);
	return ++b->ntypes;
}

static uint32_t add_int(struct blob *b, const char *name, uint32_t size)
{
	uint32_t id = type(b, name, BTF_KIND_INT, 0, size);

	word(b, size * 8);
	return id;
}

static uint32_t add_ref(struct blob *b, unsigned int kind, const char *name, uint32_t to)
{
	return type(b, name, kind, 0, to);
}

/* A struct of one member of type `member` at offset 0. */
static uint32_t add_struct1(struct blob *b, const char *name, uint32_t size, uint32_t member)
{
	uint32_t id = type(b, name, BTF_KIND_STRUCT, 1, size);

	word(b, str(b, "m"));
	word(b, member);
	word(b, 0);
	return id;
}

static uint32_t add_array(struct blob *b, uint32_t elem, uint32_t index, uint32_t n)
{
	uint32_t id = type(b, NULL, BTF_KIND_ARRAY, 0, 0);

	word(b, elem);
	word(b, index);
	word(b, n);
	return id;
}

/* A prototype with one parameter. */
static uint32_t add_proto(struct blob *b, uint32_t ret, uint32_t param)
{
	uint32_t id = type(b, NULL, BTF_KIND_FUNC_PROTO, 1, ret);

	word(b, str(b, "arg"));
	word(b, param);
	return id;
}

static struct bl_btf *blob_parse(const struct blob *b, struct bl_err *err)
{
	uint32_t hdr[6] = { 0xeB9F | (1u << 16), 24, 0, b->nwords * 4, b->nwords * 4, b->strs_len };
	size_t size = 24 + b->nwords * 4 + b->strs_len;
	unsigned char *data = malloc(size);
	struct bl_btf *btf;

	memcpy(data, hdr, 24);
	memcpy(data + 24, b->words, b->nwords * 4);
	memcpy(data + 24 + b->nwords * 4, b->strs, b->strs_len);
	btf = bl_btf_parse(data, size, NULL, err);
	free(data);
	return btf;
}

/* Dump a hand-made BTF: expect_errno 0 means it must succeed (and the
 * text must contain `expect`), else fail with that errno and one line
 * naming `expect`. */
static void expect_dump(const char *name, struct blob *b, int expect_errno, const char *expect)
{
	struct bl_err err = { 0, "" };
	struct bl_btf *btf = blob_parse(b, &err);
	char *text;

	T_EXPECT(name, btf, "the reader refused the hand-made BTF: %s", err.msg);
	text = dump(btf, 0, &err);
	bl_btf_free(btf);
	if (expect_errno == 0 && !text)
		t_fail(name, "%s", err.msg);
	else if (expect_errno == 0 && !strstr(text, expect))
		t_fail(name, "\"%s\" is not in the output: %s", expect, text);
	else if (expect_errno && text)
		t_fail(name, "written, but should have been refused: %s", text);
	else if (expect_errno && (err.code != expect_errno || !one_line(&err) || !strstr(err.msg, expect)))
		t_fail(name, "error %s \"%s\", expected %s mentioning \"%s\"", bl_errno_name(err.code), err.msg,
		       bl_errno_name(expect_errno), expect);
	else
		t_pass(name);
	free(text);
}

static void test_loops(void)
{
	static struct blob b;
	uint32_t i, n, first;

	blob_init(&b);			/* typedef a -> typedef b -> typedef a */
	add_ref(&b, BTF_KIND_TYPEDEF, "a", 2);
	add_ref(&b, BTF_KIND_TYPEDEF, "b", 1);
	expect_dump("btf_dump/loop-typedefs", &b, ELOOP, "nest more than");

	blob_init(&b);			/* const -> itself, under a typedef */
	add_ref(&b, BTF_KIND_CONST, NULL, 1);
	add_ref(&b, BTF_KIND_TYPEDEF, "c", 1);
	expect_dump("btf_dump/loop-const", &b, ELOOP, "nest more than");

	blob_init(&b);			/* pointer -> itself: void ****... */
	add_ref(&b, BTF_KIND_PTR, NULL, 1);
	add_ref(&b, BTF_KIND_TYPEDEF, "p", 1);
	expect_dump("btf_dump/loop-pointer", &b, ELOOP, "BTF type [");

	blob_init(&b);			/* array of itself */
	add_array(&b, 1, 2, 4);
	add_int(&b, "int", 4);
	add_ref(&b, BTF_KIND_TYPEDEF, "arr", 1);
	expect_dump("btf_dump/loop-array", &b, ELOOP, "nest more than");

	blob_init(&b);			/* a prototype returning a pointer to itself */
	add_proto(&b, 2, 0);
	add_ref(&b, BTF_KIND_PTR, NULL, 1);
	add_ref(&b, BTF_KIND_TYPEDEF, "fn", 2);
	expect_dump("btf_dump/loop-function", &b, ELOOP, "BTF type [");

	blob_init(&b);			/* struct s { struct s m; } */
	add_struct1(&b, "s", 4, 1);
	expect_dump("btf_dump/struct-embeds-itself", &b, ELOOP, "contains itself");

	blob_init(&b);			/* struct s { struct { struct s m; } m; } */
	add_struct1(&b, "s", 4, 2);
	add_struct1(&b, NULL, 4, 1);
	expect_dump("btf_dump/struct-embeds-itself-anonymously", &b, ELOOP, "contains itself");

	blob_init(&b);			/* two anonymous structs pointing at each other */
	add_struct1(&b, NULL, 8, 3);
	add_struct1(&b, NULL, 8, 4);
	add_ref(&b, BTF_KIND_PTR, NULL, 2);
	add_ref(&b, BTF_KIND_PTR, NULL, 1);
	add_ref(&b, BTF_KIND_TYPEDEF, "t", 1);
	expect_dump("btf_dump/anonymous-pointer-cycle", &b, ELOOP, "contains itself");

	blob_init(&b);			/* struct a { struct b *m; }; struct b { struct a *m; }: fine */
	add_struct1(&b, "a", 8, 3);
	add_struct1(&b, "b", 8, 4);
	add_ref(&b, BTF_KIND_PTR, NULL, 2);
	add_ref(&b, BTF_KIND_PTR, NULL, 1);
	expect_dump("btf_dump/named-pointer-cycle", &b, 0, "struct b;\n\nstruct a {\n\tstruct b *m;\n};\n\nstruct b {\n\tstruct a *m;\n};");

	blob_init(&b);			/* a member of kind FUNC has no C declaration */
	add_int(&b, "int", 4);
	add_proto(&b, 1, 1);
	add_ref(&b, BTF_KIND_FUNC, "f", 2);
	add_struct1(&b, "s", 4, 3);
	expect_dump("btf_dump/member-of-kind-func", &b, EINVAL, "FUNC");

	blob_init(&b);			/* 5000 typedefs in a row */
	n = 5000;
	for (i = 1; i < n; i++)
		add_ref(&b, BTF_KIND_TYPEDEF, "t", i + 1);
	add_int(&b, "int", 4);
	expect_dump("btf_dump/deep-typedefs", &b, ELOOP, "nest more than");

	blob_init(&b);			/* int ***...* (100 pointers: C allows it, we do not) */
	add_int(&b, "int", 4);
	for (i = 1; i < 101; i++)
		add_ref(&b, BTF_KIND_PTR, NULL, i);
	add_ref(&b, BTF_KIND_TYPEDEF, "deep", 101);
	expect_dump("btf_dump/long-pointer-chain", &b, ELOOP, "in a row");

	blob_init(&b);			/* int ***...* (5000 pointers) */
	add_int(&b, "int", 4);
	for (i = 1; i < n; i++)
		add_ref(&b, BTF_KIND_PTR, NULL, i);
	add_ref(&b, BTF_KIND_TYPEDEF, "deep", n);
	expect_dump("btf_dump/deep-pointers", &b, ELOOP, "nest more than");

	blob_init(&b);			/* struct s (4 bytes) { int m at byte 4; } */
	add_int(&b, "int", 4);
	type(&b, "s", BTF_KIND_STRUCT, 1, 4);
	word(&b, str(&b, "m"));
	word(&b, 1);
	word(&b, 32);
	expect_dump("btf_dump/member-outside-struct", &b, EINVAL, "outside its 4 bytes");

	blob_init(&b);			/* a 4 GiB struct: one int, then padding */
	add_int(&b, "int", 4);
	add_struct1(&b, "huge", 0xfffffff0u, 1);
	expect_dump("btf_dump/huge-gap", &b, EINVAL, "more than alignment explains");

	blob_init(&b);			/* 40 levels of anonymous structs, each used twice */
	first = add_int(&b, "int", 4);
	for (i = 0; i < 40; i++) {
		uint32_t id = type(&b, NULL, BTF_KIND_STRUCT, 2, 8);

		word(&b, str(&b, "x"));
		word(&b, first);
		word(&b, 0);
		word(&b, str(&b, "y"));
		word(&b, first);
		word(&b, 0);
		first = id;
	}
	add_ref(&b, BTF_KIND_TYPEDEF, "doubling", first);
	expect_dump("btf_dump/exponential-anonymous-types", &b, E2BIG, "more than");

	blob_init(&b);			/* 2000 anonymous structs, each inside the next */
	first = add_int(&b, "int", 4);
	for (i = 0; i < 2000; i++)
		first = add_struct1(&b, NULL, 4, first);
	add_ref(&b, BTF_KIND_TYPEDEF, "nest", first);
	expect_dump("btf_dump/deep-anonymous-nesting", &b, ELOOP, "nest more than");
}

static void test_write_error(void)
{
	const char *name = "btf_dump/write-error";
	struct bl_err err = { 0, "" };
	static struct blob b;
	struct bl_btf *btf;
	FILE *full = fopen("/dev/full", "w");
	uint32_t i;

	if (!full) {
		t_skip(name, "no /dev/full");
		return;
	}
	blob_init(&b);
	add_int(&b, "int", 4);
	for (i = 0; i < 3000; i++)	/* more than one stdio buffer of text */
		add_ref(&b, BTF_KIND_TYPEDEF, "a_typedef_with_a_long_name", 1);
	btf = blob_parse(&b, &err);
	T_EXPECT(name, btf, "%s", err.msg);
	if (bl_btf_dump_c(btf, full, &err) != -EIO || !strstr(err.msg, "failed"))
		t_fail(name, "writing into /dev/full: %s \"%s\", expected EIO", bl_errno_name(err.code), err.msg);
	else
		t_pass(name);
	fclose(full);
	bl_btf_free(btf);
}

static void watchdog(int sig)
{
	static const char msg[] = "FAIL btf_dump/watchdog: a case ran for more than 300 s (a loop?)\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

int main(void)
{
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	test_loops();
	test_write_error();
	return t_exit_code();
}
