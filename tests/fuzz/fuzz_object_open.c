// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_object_open.c - bl_object_open_mem() on any bytes: the ELF reader,
 * section kinds, legacy and BTF-defined maps, .BTF and .BTF.ext, externs
 * and instruction relocations.  Nothing is loaded: no bpf(2) call.
 * Then every map and program is visited through the public API, the way
 * a tool lists an object.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <bpfload/object.h>

/* Read everything the object offers before load, so that a name or a
 * data image pointing outside what was parsed shows up here. */
static void visit(struct bl_object *obj)
{
	volatile size_t sum = strlen(bl_object_name(obj));
	struct bl_program *prog = NULL;
	struct bl_map *map = NULL;

	while ((map = bl_object_next_map(obj, map))) {
		size_t size = 0;
		const unsigned char *bytes = bl_map_data(map, &size);

		sum += strlen(bl_map_name(map)) + bl_map_key_size(map) + bl_map_value_size(map) +
		       bl_map_max_entries(map) + bl_map_type(map);
		if (bytes && size)
			sum += bytes[0] + bytes[size - 1];
	}
	while ((prog = bl_object_next_program(obj, prog)))
		sum += strlen(bl_program_name(prog)) + strlen(bl_program_section(prog)) +
		       bl_program_type(prog);
	(void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_err err = { 0 };
	struct bl_object *obj = bl_object_open_mem(data, size, "fuzz.bpf.o", NULL, &err);

	if (!obj) {
		/* a refusal must say why */
		if (!err.code || !err.msg[0])
			__builtin_trap();
		return 0;
	}
	visit(obj);
	bl_object_close(obj);
	return 0;
}
