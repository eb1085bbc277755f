# SPDX-License-Identifier: BSD-2-Clause
# ktest_hooks: tp_btf, fentry/fexit, fmod_ret, ksyscall/kretsyscall and
# lsm programs attached by section name and counted exactly.
# tests/kern/hooks.bpf.c is written as for libbpf, against vmlinux.h.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_hooks

# $(VMLINUX_H): the rule is in tests/kern/vmlinux.mk.
$(BUILD)/tests/kern/hooks.bpf.o: BPF_CFLAGS += -I$(BUILD)/gen
$(BUILD)/tests/kern/hooks.bpf.o: $(VMLINUX_H) | check-libbpf-dev

$(BUILD)/tests/bin/ktest_hooks: $(BUILD)/tests/kernel/ktest_hooks.o $(SPAWN_OBJ) \
		$(BUILD)/tests/kernel/uprobe_helpers.o \
		$(BUILD)/embed/tests/kern/hooks.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
