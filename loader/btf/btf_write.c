// SPDX-License-Identifier: BSD-2-Clause
/*
 * btf/btf_write.c - adding types and strings to a parsed blob, which
 * fixup and sanitize need: the blob is rebuilt around the new records.
 *
 * Syscalls: none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf/btf_internal.h"

int bl_btf_append(struct bl_btf *btf, const void *rec, uint32_t rec_len, const char *name,
		  uint32_t *id, struct bl_err *err)
{
	uint32_t name_len = name ? (uint32_t)strlen(name) + 1 : 0;
	uint32_t types_len = btf->types_len + rec_len, strs_len = btf->strs_len + name_len;
	uint64_t size = (uint64_t)HDR_MIN + types_len + strs_len;
	unsigned char *d = size <= UINT32_MAX ? malloc(size) : NULL;
	uint32_t *offsets = realloc(btf->offsets, (btf->nr_types + 1) * sizeof(*offsets));
	uint32_t hdr[6];

	if (offsets)
		btf->offsets = offsets;
	if (!d || !offsets) {
		free(d);
		return bl_fail(err, ENOMEM, "out of memory for a BTF of %llu bytes", (unsigned long long)size);
	}
	memcpy(hdr, btf->data, 4);	/* magic, version, flags */
	hdr[1] = HDR_MIN;
	hdr[2] = 0;
	hdr[3] = types_len;
	hdr[4] = types_len;
	hdr[5] = strs_len;
	memcpy(d, hdr, HDR_MIN);
	memcpy(d + HDR_MIN, btf->data + btf->types, btf->types_len);
	if (rec_len)
		memcpy(d + HDR_MIN + btf->types_len, rec, rec_len);
	memcpy(d + HDR_MIN + types_len, btf->data + btf->strs, btf->strs_len);
	if (name_len)
		memcpy(d + HDR_MIN + types_len + btf->strs_len, name, name_len);
	if (!btf->borrowed)
		free(btf->data);
	btf->borrowed = 0;
	btf->data = d;
	btf->size = (uint32_t)size;
	btf->types = HDR_MIN;
	btf->strs = HDR_MIN + types_len;
	if (rec_len) {
		btf->offsets[btf->nr_types] = btf->types_len;
		*id = btf->start_id + btf->nr_types++;
	}
	btf->types_len = types_len;
	btf->strs_len = strs_len;
	return 0;
}

int bl_btf_add_string(struct bl_btf *btf, const char *s, uint32_t *off, struct bl_err *err)
{
	*off = bl_btf_string_bytes(btf);
	return bl_btf_append(btf, NULL, 0, s, NULL, err);
}

uint32_t bl_btf_info_word(unsigned int kind, uint32_t vlen, int kflag)
{
	return ((uint32_t)kflag << 31) | ((uint32_t)kind << 24) | vlen;
}

/* An INT record: name_off, info, size, then the encoding word. */
int bl_btf_add_int(struct bl_btf *btf, const char *name, uint32_t size, uint32_t *id,
		   struct bl_err *err)
{
	uint32_t rec[4] = { bl_btf_string_bytes(btf), bl_btf_info_word(BTF_KIND_INT, 0, 0), size, size * 8 };

	return bl_btf_append(btf, rec, sizeof(rec), name, id, err);
}

int bl_btf_add_var(struct bl_btf *btf, const char *name, uint32_t type, uint32_t *id,
		   struct bl_err *err)
{
	uint32_t rec[4] = { bl_btf_string_bytes(btf), bl_btf_info_word(BTF_KIND_VAR, 0, 0), type,
			    BTF_VAR_GLOBAL_ALLOCATED };

	return bl_btf_append(btf, rec, sizeof(rec), name, id, err);
}

int bl_btf_find_or_add_int(struct bl_btf *btf, uint32_t *id, struct bl_err *err)
{
	uint32_t i, count = bl_btf_type_count(btf);

	for (i = 1; i < count; i++) {
		const struct btf_type *t = bl_btf_type(btf, i);

		if (bl_btf_kind(t) == BTF_KIND_INT && t->size == 4 &&
		    BTF_INT_BITS(bl_btf_int_info(t)) == 32 && BTF_INT_OFFSET(bl_btf_int_info(t)) == 0) {
			*id = i;
			return 0;
		}
	}
	return bl_btf_add_int(btf, "int", 4, id, err);
}

