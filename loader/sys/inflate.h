/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * inflate.h - DEFLATE (RFC 1951) and gzip (RFC 1952) decompression.
 *
 * The kernel keeps its build configuration in /proc/config.gz (with
 * CONFIG_IKCONFIG_PROC), a gzip stream.  Reading it needs an inflater;
 * this is a small one of our own, so the loader still depends on libc
 * alone.  It is written to be read (see the Huffman notes in inflate.c)
 * and to survive any input: every bit it reads is inside the input, every
 * byte it writes inside the output, the output never grows past the
 * caller's limit, and every input ends, in an error or a result.
 *
 * No syscalls.
 */
#ifndef BL_INFLATE_H
#define BL_INFLATE_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

/* Decompress one raw DEFLATE stream from in[0..in_len) into a malloc'd
 * buffer (*out, caller frees; also on error it is NULL) of at most
 * max_out bytes.  *in_used (may be NULL) receives the bytes the stream
 * took, up to and including its final block.  Errors: EBADMSG (corrupt
 * or truncated), E2BIG (more than max_out bytes), ENOMEM. */
int bl_inflate(const void *in, size_t in_len, size_t max_out, unsigned char **out,
	       size_t *out_len, size_t *in_used, struct bl_err *err);

/* Decompress a gzip file: one or more members, each header checked
 * (reserved flags, FEXTRA, FNAME, FCOMMENT, FHCRC), each member's CRC32
 * and ISIZE checked, nothing after the last member; like gzip -dc, the
 * members' contents are concatenated.  Same output rules as bl_inflate. */
int bl_gunzip(const void *in, size_t in_len, size_t max_out, unsigned char **out,
	      size_t *out_len, struct bl_err *err);

/* Whether data starts like a gzip member (bytes 0x1f 0x8b). */
int bl_is_gzip(const void *data, size_t len);

/* The CRC-32 of ISO 3309 that gzip uses; start with crc 0 and feed the
 * result back in to continue over more data. */
uint32_t bl_crc32(uint32_t crc, const void *data, size_t len);

#endif
