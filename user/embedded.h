/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * embedded.h - naming a BPF object that the Makefile linked into a binary
 * with user/embed_object.S.
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>

#define EMBEDDED_OBJECT(sym) \
	extern const unsigned char sym[], sym##_end[]
#define EMBEDDED_SIZE(sym) ((size_t)(sym##_end - sym))

#endif
