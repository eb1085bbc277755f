# SPDX-License-Identifier: BSD-2-Clause
# Generated skeletons against the kernel: build/gen/skel_globals.skel.h and
# skel_empty.skel.h, written at build time by `bpfload gen skeleton` from
# tests/kern/skel_globals.bpf.c and skel_empty.bpf.c (libbpf-style objects:
# they need libbpf-dev's <bpf/bpf_helpers.h>).
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_skeleton

$(BUILD)/tests/kern/skel_globals.bpf.o $(BUILD)/tests/kern/skel_empty.bpf.o \
	$(BUILD)/tests/kern/skel_types.bpf.o: | check-libbpf-dev
$(BUILD)/tests/kernel/ktest_skeleton.o: $(BUILD)/gen/skel_globals.skel.h $(BUILD)/gen/skel_empty.skel.h
$(BUILD)/tests/bin/ktest_skeleton: $(BUILD)/tests/kernel/ktest_skeleton.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
