/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * embed_object.S - put a compiled BPF object inside the tool's binary, so
 * the tool runs from any directory.  The Makefile assembles this file once
 * per object with OBJ_FILE (the .bpf.o path) and OBJ_SYM (a C name):
 *   extern const unsigned char OBJ_SYM[], OBJ_SYM##_end[];
 */
#define STR_(x) #x
#define STR(x) STR_(x)
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

	.section .rodata
	.balign 16
	.global OBJ_SYM
	.global CAT(OBJ_SYM, _end)
OBJ_SYM:
	.incbin STR(OBJ_FILE)
CAT(OBJ_SYM, _end):
	.byte 0

	.section .note.GNU-stack, "", %progbits
