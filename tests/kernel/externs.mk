# SPDX-License-Identifier: BSD-2-Clause
# ktest_externs: __kconfig and __ksym externs, kfunc calls, and maps the
# kernel takes no BTF types for, on the running kernel.  Statically
# linkable: no libbpf, no libelf.
#
# externs_typed and externs_kfunc declare kernel types as libbpf users
# do, from a vmlinux.h that bpftool writes from this machine's BTF.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_externs

# $(VMLINUX_H): the rule is in tests/kern/vmlinux.mk.
EXTERNS_VMLINUX_OBJS := $(BUILD)/tests/kern/externs_typed.bpf.o $(BUILD)/tests/kern/externs_kfunc.bpf.o
$(EXTERNS_VMLINUX_OBJS): BPF_CFLAGS += -I$(BUILD)/gen
$(EXTERNS_VMLINUX_OBJS): $(VMLINUX_H) | check-libbpf-dev
$(BUILD)/tests/kern/externs_kconfig.bpf.o $(BUILD)/tests/kern/map_compat.bpf.o: | check-libbpf-dev

$(BUILD)/tests/bin/ktest_externs: $(BUILD)/tests/kernel/ktest_externs.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/kern/externs_kconfig.o $(BUILD)/embed/tests/kern/externs_typed.o \
		$(BUILD)/embed/tests/kern/externs_kfunc.o $(BUILD)/embed/tests/kern/map_compat.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
