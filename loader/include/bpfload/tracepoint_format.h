/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bpfload/tracepoint_format.h - the layout of a tracepoint's record,
 * from tracefs.
 *
 * A BPF_PROG_TYPE_TRACEPOINT program gets as its context a pointer to the
 * record the tracepoint writes: the common header (common_type,
 * common_flags, common_preempt_count, common_pid), then the tracepoint's
 * own fields.  The kernel publishes that layout, one line per field, in
 * tracefs events/CATEGORY/NAME/format (Linux 2.6.31; the "signed:" column
 * since 2.6.32):
 *
 *   name: sys_enter_read
 *   ID: 842
 *   format:
 *           field:unsigned short common_type;  offset:0;  size:2;  signed:0;
 *           ...
 *           field:unsigned int fd;  offset:16;  size:8;  signed:0;
 *
 *   print fmt: "fd: 0x%08lx, ...", ...
 *
 * Offsets and sizes are what the kernel was built with, which is not
 * always what the C declaration suggests (the syscall tracepoints store
 * every argument in 8 bytes, "unsigned int fd" included).  A loader that
 * reads them here, instead of trusting a struct compiled into the
 * program, gets them right on every kernel.
 *
 * Syscalls: open/read/close of the format file (tracefs.h).
 */
#ifndef BPFLOAD_TRACEPOINT_FORMAT_H
#define BPFLOAD_TRACEPOINT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include <bpfload/error.h>

#define BL_TP_NAME_MAX 64	/* field and tracepoint names */
#define BL_TP_TYPE_MAX 96	/* the C type of a field, as the kernel spells it */
#define BL_TP_FIELDS_MAX 64	/* the largest tracepoints have about 30 */
#define BL_TP_FORMAT_MAX 16384	/* bytes of a format file we accept */

struct bl_tp_field {
	char name[BL_TP_NAME_MAX];	/* "fd" */
	char type[BL_TP_TYPE_MAX];	/* the declaration without the name: "unsigned int", "char[16]" */
	uint32_t offset;		/* bytes from the start of the record */
	uint32_t size;			/* bytes, arrays whole */
	int is_signed;			/* 1, 0, or -1 when the kernel does not say */
	int is_common;			/* one of the common_* header fields */
	int is_data_loc;		/* "__data_loc": a u32 (len << 16 | offset) of data further on */
	int is_array;			/* declared "name[N]" or "name[]" */
	uint32_t array_len;		/* N of "name[N]" when the kernel wrote a number, else 0 */
};

struct bl_tp_format {
	char name[BL_TP_NAME_MAX];	/* the tracepoint's name, "sys_enter_read" */
	uint32_t id;			/* its perf event id (also in .../id) */
	uint32_t record_size;		/* where the last field ends */
	size_t field_cnt;
	struct bl_tp_field fields[BL_TP_FIELDS_MAX];
};

/* Parse the text of a format file (len bytes, no NUL needed).  Every
 * number and name is checked; a malformed line gives -EINVAL (-E2BIG for
 * too many or too long fields) and a message naming the line. */
int bl_tp_format_parse(const char *text, size_t len, struct bl_tp_format *fmt, struct bl_err *err);

/* Read and parse tracefs events/category/name/format (mounting tracefs
 * if needed). */
int bl_tp_format_read(const char *category, const char *name, struct bl_tp_format *fmt,
		      struct bl_err *err);

/* The field called name, or NULL. */
const struct bl_tp_field *bl_tp_format_field(const struct bl_tp_format *fmt, const char *name);

/* The field called name if it is an integer a program can read in one
 * load: not an array or __data_loc, 1, 2, 4 or 8 bytes.  Otherwise -ENOENT
 * or -EINVAL, and a message listing the tracepoint's fields. */
int bl_tp_format_scalar(const struct bl_tp_format *fmt, const char *name,
			const struct bl_tp_field **field, struct bl_err *err);

#endif
