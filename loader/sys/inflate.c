// SPDX-License-Identifier: BSD-2-Clause
/*
 * inflate.c - DEFLATE decompression (RFC 1951) and the gzip file format
 * around it (RFC 1952).  No syscalls.
 *
 * A DEFLATE stream is a sequence of blocks.  Each starts with 3 bits:
 * BFINAL (this is the last block) and BTYPE: 0 stored (bytes as they
 * are), 1 compressed with the fixed Huffman codes the RFC defines, 2
 * compressed with Huffman codes described at the start of the block, 3
 * invalid.  A compressed block is a sequence of symbols of the
 * literal/length alphabet (0..285): 0..255 is a byte to output, 256 ends
 * the block, 257..285 is a length of 3..258 bytes which, followed by a
 * symbol of the distance alphabet (0..29), copies that many bytes from
 * 1..32768 bytes back in the output.  Lengths and distances carry extra
 * bits after their symbols.
 *
 * Bits are taken from each byte starting at its least significant bit.
 * Huffman codes are packed starting with their most significant bit, all
 * other numbers starting with their least significant bit (RFC 1951
 * section 3.1.1): get_bits() returns the latter, decode() reads the
 * former one bit at a time.
 */
#include "sys/inflate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BITS 15		/* no Huffman code of DEFLATE is longer */
#define MAX_LITLEN_CODES 288	/* literal/length symbols (286, 287 never occur) */
#define MAX_DIST_CODES 32	/* distance symbols (30, 31 never occur) */

struct inflate_state {
	const unsigned char *in;
	size_t in_len;
	size_t in_pos;		/* next byte to load into bitbuf */
	uint32_t bitbuf;	/* loaded bits not yet used, the next in bit 0 */
	unsigned int bitcnt;	/* how many; always < 8 between get_bits() calls */
	unsigned char *out;
	size_t out_len;
	size_t out_cap;
	size_t max_out;
	size_t window_start;	/* copies may not reach before this (a gzip member's start) */
	struct bl_err *err;
};

static int corrupt(struct inflate_state *s, const char *why)
{
	return bl_fail(s->err, EBADMSG, "corrupt deflate data at byte %zu: %s", s->in_pos, why);
}

static int truncated(struct inflate_state *s)
{
	return bl_fail(s->err, EBADMSG, "deflate data ends early, after %zu bytes", s->in_len);
}

/* The next n (0..16) bits as a number, least significant bit first. */
static int get_bits(struct inflate_state *s, unsigned int n)
{
	uint32_t v;

	while (s->bitcnt < n) {
		if (s->in_pos == s->in_len)
			return truncated(s);
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	v = s->bitbuf & ((1u << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return (int)v;
}

/* Room for n more output bytes, growing the buffer up to max_out. */
static int reserve(struct inflate_state *s, size_t n)
{
	size_t need, cap;
	unsigned char *bigger;

	if (n <= s->out_cap - s->out_len)
		return 0;
	if (n > s->max_out - s->out_len)
		return bl_fail(s->err, E2BIG, "inflated data would exceed the limit of %zu bytes",
			       s->max_out);
	need = s->out_len + n;
	cap = s->out_cap ? s->out_cap : 16384;
	while (cap < need)
		cap = cap <= SIZE_MAX / 2 ? cap * 2 : SIZE_MAX;
	if (cap > s->max_out)
		cap = s->max_out;
	bigger = realloc(s->out, cap);
	if (!bigger)
		return bl_fail(s->err, ENOMEM, "out of memory for %zu bytes of inflated data", cap);
	s->out = bigger;
	s->out_cap = cap;
	return 0;
}

/* ---- stored blocks (BTYPE 0) ---------------------------------------------------- */

/* The rest of the current byte is skipped; then LEN and its one's
 * complement NLEN (16 bits each, little endian) and LEN bytes. */
static int stored_block(struct inflate_state *s)
{
	const unsigned char *p;
	unsigned int len, nlen;
	int ret;

	s->bitbuf = 0;	/* bitcnt < 8: these bits are the current byte's */
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4)
		return truncated(s);
	p = s->in + s->in_pos;
	len = p[0] | (unsigned int)p[1] << 8;
	nlen = p[2] | (unsigned int)p[3] << 8;
	if (len != (~nlen & 0xffffu))
		return corrupt(s, "a stored block's length does not match its complement");
	s->in_pos += 4;
	if (s->in_len - s->in_pos < len)
		return truncated(s);
	if ((ret = reserve(s, len)))
		return ret;
	if (len)	/* out may still be NULL */
		memcpy(s->out + s->out_len, s->in + s->in_pos, len);
	s->out_len += len;
	s->in_pos += len;
	return 0;
}

/* ---- Huffman codes ------------------------------------------------------------------ */

/*
 * A block does not send its Huffman codes, only the length in bits of
 * each symbol's code (0: the symbol does not occur).  The codes follow
 * from the lengths by the rule of "canonical" codes (RFC 1951 section
 * 3.2.2): shorter codes come first; codes of the same length are
 * consecutive numbers, given to the symbols in increasing order; the
 * first code of a length is one past the last code of the length below,
 * shifted left by one.  Lengths A:2 B:1 C:3 D:3 give B=0 A=10 C=110 D=111.
 *
 * That rule also decodes without building a table of codes.  Read a
 * code one bit at a time.  After len bits, the codes of length len are
 * the numbers first .. first + count[len] - 1.  If the bits read so far
 * are one of them, their distance from first says which symbol of that
 * length it is; symbol[] lists the symbols of each length in increasing
 * order, those of shorter lengths before.  Otherwise the code is longer:
 * move first past this length's codes, double it, read one more bit.
 * One step per bit is slower than zlib's lookup tables, and plainer.
 */
struct huffman {
	uint16_t count[MAX_BITS + 1];		/* codes of each length; [0]: unused symbols */
	uint16_t symbol[MAX_LITLEN_CODES];	/* by code length, then by value */
};

/*
 * Build h from the code lengths of n symbols.  Returns 0 for a complete
 * code (every bit pattern decodes), a positive number for an incomplete
 * one, and -1 for an over-subscribed one (more codes of some length than
 * bit patterns left for them), which no encoder produces.
 */
static int build_huffman(struct huffman *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t next[MAX_BITS + 1];
	unsigned int len, sym;
	int left = 1;	/* bit patterns still free at the current length */

	memset(h->count, 0, sizeof(h->count));
	for (sym = 0; sym < n; sym++)
		h->count[lengths[sym]]++;
	/* one more bit doubles the free patterns; each code takes one */
	for (len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -1;
	}
	/* where the symbols of each length start in symbol[] */
	next[1] = 0;
	for (len = 1; len < MAX_BITS; len++)
		next[len + 1] = (uint16_t)(next[len] + h->count[len]);
	for (sym = 0; sym < n; sym++)
		if (lengths[sym])
			h->symbol[next[lengths[sym]]++] = (uint16_t)sym;
	return left;
}

/* Incomplete codes are accepted when they hold no symbol or one symbol
 * of length 1: encoders send that for blocks that use one distance or
 * none (zlib accepts the same, and nothing more). */
static int acceptable_code(const struct huffman *h, unsigned int n, int built)
{
	unsigned int used = n - h->count[0];

	if (built < 0)
		return 0;
	return built == 0 || used == 0 || (used == 1 && h->count[1] == 1);
}

/* The next symbol coded with h. */
static int decode(struct inflate_state *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0, len, bit;

	for (len = 1; len <= MAX_BITS; len++) {
		if ((bit = get_bits(s, 1)) < 0)
			return bit;
		code |= bit;
		if (code - first < h->count[len])
			return h->symbol[index + (code - first)];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	return corrupt(s, "a bit pattern that is no code of this block");
}

/* ---- compressed blocks (BTYPE 1 and 2) ------------------------------------------------- */

/* Length symbols 257..285 and distance symbols 0..29: the smallest value
 * each stands for and how many extra bits follow (RFC 1951 3.2.5). */
static const uint16_t length_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t length_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* Copy len bytes from dist bytes back; the two may overlap (a run). */
static int copy_match(struct inflate_state *s, unsigned int len, unsigned int dist)
{
	size_t i, from;
	int ret;

	if (dist > s->out_len - s->window_start)
		return corrupt(s, "a copy reaches back before the start of the data");
	if ((ret = reserve(s, len)))
		return ret;
	from = s->out_len - dist;
	for (i = 0; i < len; i++)	/* byte by byte: the source may be what we write */
		s->out[s->out_len + i] = s->out[from + i];
	s->out_len += len;
	return 0;
}

/* Symbols until the end of the block (256). */
static int inflate_codes(struct inflate_state *s, const struct huffman *lit,
			 const struct huffman *dist)
{
	int sym, extra, ret;
	unsigned int len;

	for (;;) {
		if ((sym = decode(s, lit)) < 0)
			return sym;
		if (sym < 256) {
			if ((ret = reserve(s, 1)))
				return ret;
			s->out[s->out_len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return corrupt(s, "length symbol 286 or 287, which DEFLATE does not use");
		if ((extra = get_bits(s, length_extra[sym])) < 0)
			return extra;
		len = length_base[sym] + (unsigned int)extra;
		if ((sym = decode(s, dist)) < 0)
			return sym;
		if (sym >= 30)
			return corrupt(s, "distance symbol 30 or 31, which DEFLATE does not use");
		if ((extra = get_bits(s, dist_extra[sym])) < 0)
			return extra;
		if ((ret = copy_match(s, len, dist_base[sym] + (unsigned int)extra)))
			return ret;
	}
}

/* BTYPE 1: literal/length codes of 7, 8 and 9 bits and 5-bit distance
 * codes, defined once by the RFC. */
static int fixed_block(struct inflate_state *s)
{
	uint8_t lengths[MAX_LITLEN_CODES];
	struct huffman lit, dist;
	unsigned int i;

	for (i = 0; i < MAX_LITLEN_CODES; i++)
		lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	build_huffman(&lit, lengths, MAX_LITLEN_CODES);
	for (i = 0; i < MAX_DIST_CODES; i++)
		lengths[i] = 5;
	build_huffman(&dist, lengths, MAX_DIST_CODES);
	return inflate_codes(s, &lit, &dist);
}

/* The order in which a dynamic block sends the code lengths of the
 * code-length alphabet: the likely ones first, so the list can end early. */
static const uint8_t code_length_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/*
 * Code lengths 0..15 for nlen + ndist symbols, themselves Huffman coded
 * with the code-length code: 0..15 is a length, 16 repeats the previous
 * length 3..6 times, 17 gives 3..10 zeros, 18 gives 11..138 zeros.  One
 * run may go on from the literal/length lengths into the distance ones.
 */
static int read_code_lengths(struct inflate_state *s, const struct huffman *clen,
			     uint8_t *lengths, unsigned int total)
{
	unsigned int index = 0, repeat;
	int sym, extra;
	uint8_t len;

	while (index < total) {
		if ((sym = decode(s, clen)) < 0)
			return sym;
		if (sym < 16) {
			lengths[index++] = (uint8_t)sym;
			continue;
		}
		len = 0;
		if (sym == 16) {
			if (index == 0)
				return corrupt(s, "a code length repeat with no length before it");
			len = lengths[index - 1];
			extra = get_bits(s, 2);
			repeat = 3;
		} else if (sym == 17) {
			extra = get_bits(s, 3);
			repeat = 3;
		} else {
			extra = get_bits(s, 7);
			repeat = 11;
		}
		if (extra < 0)
			return extra;
		repeat += (unsigned int)extra;
		if (repeat > total - index)
			return corrupt(s, "a code length repeat runs past the last symbol");
		while (repeat--)
			lengths[index++] = len;
	}
	return 0;
}

/* BTYPE 2: HLIT, HDIST and HCLEN, the code-length code, then the code
 * lengths of both alphabets coded with it. */
static int dynamic_block(struct inflate_state *s)
{
	uint8_t lengths[MAX_LITLEN_CODES + MAX_DIST_CODES];
	struct huffman lit, dist;
	int nlen, ndist, ncode, i, v, built;

	if ((nlen = get_bits(s, 5)) < 0 || (ndist = get_bits(s, 5)) < 0 ||
	    (ncode = get_bits(s, 4)) < 0)
		return -EBADMSG;
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > 30)
		return corrupt(s, "more literal/length or distance codes than DEFLATE has");
	memset(lengths, 0, 19);
	for (i = 0; i < ncode; i++) {
		if ((v = get_bits(s, 3)) < 0)
			return v;
		lengths[code_length_order[i]] = (uint8_t)v;
	}
	if (build_huffman(&lit, lengths, 19) != 0)	/* it must be complete */
		return corrupt(s, "the code-length code is incomplete or over-subscribed");
	if ((v = read_code_lengths(s, &lit, lengths, (unsigned int)(nlen + ndist))))
		return v;
	if (lengths[256] == 0)
		return corrupt(s, "the block has no end-of-block code");
	built = build_huffman(&lit, lengths, (unsigned int)nlen);
	if (!acceptable_code(&lit, (unsigned int)nlen, built))
		return corrupt(s, "the literal/length code is incomplete or over-subscribed");
	built = build_huffman(&dist, lengths + nlen, (unsigned int)ndist);
	if (!acceptable_code(&dist, (unsigned int)ndist, built))
		return corrupt(s, "the distance code is incomplete or over-subscribed");
	return inflate_codes(s, &lit, &dist);
}

/* Blocks until the one marked final.  Every block consumes input, so
 * this ends: at the final block, or where the input does. */
static int inflate_blocks(struct inflate_state *s)
{
	int last, type, ret;

	s->bitbuf = 0;
	s->bitcnt = 0;
	do {
		if ((last = get_bits(s, 1)) < 0 || (type = get_bits(s, 2)) < 0)
			return -EBADMSG;
		switch (type) {
		case 0:
			ret = stored_block(s);
			break;
		case 1:
			ret = fixed_block(s);
			break;
		case 2:
			ret = dynamic_block(s);
			break;
		default:
			ret = corrupt(s, "block type 3, which DEFLATE does not define");
		}
		if (ret)
			return ret;
	} while (!last);
	return 0;
}

static void init_state(struct inflate_state *s, const void *in, size_t in_len, size_t max_out,
		       struct bl_err *err)
{
	memset(s, 0, sizeof(*s));
	s->in = in;
	s->in_len = in_len;
	s->max_out = max_out;
	s->err = err;
}

/* Hand the output over, or free it on error. */
static int finish(struct inflate_state *s, int ret, unsigned char **out, size_t *out_len)
{
	if (ret) {
		free(s->out);
		*out = NULL;
		*out_len = 0;
		return ret;
	}
	if (!s->out)
		s->out = malloc(1);	/* an empty result is still a buffer */
	if (!s->out)
		return bl_fail(s->err, ENOMEM, "out of memory");
	*out = s->out;
	*out_len = s->out_len;
	return 0;
}

int bl_inflate(const void *in, size_t in_len, size_t max_out, unsigned char **out,
	       size_t *out_len, size_t *in_used, struct bl_err *err)
{
	struct inflate_state s;
	int ret;

	init_state(&s, in, in_len, max_out, err);
	ret = inflate_blocks(&s);
	if (in_used)
		*in_used = s.in_pos;
	return finish(&s, ret, out, out_len);
}

/* ---- gzip ------------------------------------------------------------------------------- */

/* RFC 1952 section 2.3: the FLG byte. */
#define GZIP_FHCRC 0x02
#define GZIP_FEXTRA 0x04
#define GZIP_FNAME 0x08
#define GZIP_FCOMMENT 0x10
#define GZIP_RESERVED 0xe0

uint32_t bl_crc32(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	int k;

	/* bit-reversed polynomial 0xEDB88320, one bit at a time */
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

int bl_is_gzip(const void *data, size_t len)
{
	const unsigned char *p = data;

	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int gzip_truncated(struct bl_err *err, size_t start)
{
	return bl_fail(err, EBADMSG, "gzip member at byte %zu ends inside its header", start);
}

/* A zero-terminated field (FNAME, FCOMMENT) starting at *pos. */
static int skip_string(const unsigned char *in, size_t len, size_t *pos, size_t start,
		       struct bl_err *err)
{
	const unsigned char *nul = memchr(in + *pos, 0, len - *pos);

	if (!nul)
		return gzip_truncated(err, start);
	*pos = (size_t)(nul - in) + 1;
	return 0;
}

/* The header of the member at *pos: ID1 ID2 CM FLG MTIME(4) XFL OS, then
 * the optional fields FLG announces, in this order. */
static int gzip_header(const unsigned char *in, size_t len, size_t *pos, struct bl_err *err)
{
	size_t start = *pos, p = start + 10, xlen;
	unsigned int flags;

	if (!bl_is_gzip(in + start, len - start))
		return bl_fail(err, EBADMSG, "no gzip member at byte %zu (it must start with 1f 8b)", start);
	if (len - start < 10)
		return gzip_truncated(err, start);
	if (in[start + 2] != 8)
		return bl_fail(err, EBADMSG, "gzip member at byte %zu uses compression method %u; only 8 (deflate) exists",
			       start, in[start + 2]);
	flags = in[start + 3];
	if (flags & GZIP_RESERVED)
		return bl_fail(err, EBADMSG, "gzip member at byte %zu sets reserved flag bits %#x",
			       start, flags & GZIP_RESERVED);
	if (flags & GZIP_FEXTRA) {
		if (len - p < 2)
			return gzip_truncated(err, start);
		xlen = in[p] | (size_t)in[p + 1] << 8;
		p += 2;
		if (len - p < xlen)
			return gzip_truncated(err, start);
		p += xlen;
	}
	if ((flags & GZIP_FNAME) && skip_string(in, len, &p, start, err))
		return -EBADMSG;
	if ((flags & GZIP_FCOMMENT) && skip_string(in, len, &p, start, err))
		return -EBADMSG;
	if (flags & GZIP_FHCRC) {
		/* the low 16 bits of the CRC-32 of the header before it */
		if (len - p < 2)
			return gzip_truncated(err, start);
		if ((bl_crc32(0, in + start, p - start) & 0xffff) != (in[p] | (unsigned int)in[p + 1] << 8))
			return bl_fail(err, EBADMSG, "gzip member at byte %zu: header CRC mismatch", start);
		p += 2;
	}
	*pos = p;
	return 0;
}

/* One member: header, DEFLATE stream, then CRC32 and ISIZE (the length
 * modulo 2^32) of what it inflated to. */
static int gzip_member(struct inflate_state *s, struct bl_err *err)
{
	size_t start = s->in_pos, member_out = s->out_len;
	uint32_t crc, isize;
	int ret;

	if ((ret = gzip_header(s->in, s->in_len, &s->in_pos, err)))
		return ret;
	s->window_start = s->out_len;
	if ((ret = inflate_blocks(s)))
		return ret;
	if (s->in_len - s->in_pos < 8)
		return bl_fail(err, EBADMSG, "gzip member at byte %zu ends before its CRC and length",
			       start);
	crc = le32(s->in + s->in_pos);
	isize = le32(s->in + s->in_pos + 4);
	s->in_pos += 8;
	if (bl_crc32(0, s->out + member_out, s->out_len - member_out) != crc)
		return bl_fail(err, EBADMSG, "gzip member at byte %zu: CRC mismatch (the data is damaged)",
			       start);
	if ((uint32_t)(s->out_len - member_out) != isize)
		return bl_fail(err, EBADMSG, "gzip member at byte %zu: it inflated to %zu bytes, its trailer says %u",
			       start, s->out_len - member_out, isize);
	return 0;
}

int bl_gunzip(const void *in, size_t in_len, size_t max_out, unsigned char **out,
	      size_t *out_len, struct bl_err *err)
{
	struct inflate_state s;
	int ret = 0;

	init_state(&s, in, in_len, max_out, err);
	if (in_len == 0)
		ret = bl_fail(err, EBADMSG, "empty input, not gzip data");
	while (!ret && s.in_pos < s.in_len)
		ret = gzip_member(&s, err);
	return finish(&s, ret, out, out_len);
}
