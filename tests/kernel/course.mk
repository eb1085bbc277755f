# SPDX-License-Identifier: BSD-2-Clause
# The course's programs (tests/course/), written as the course writes
# them: #include "vmlinux.h" (ours: bpfload btf dump of this machine's
# BTF, $(BUILD)/gen/vmlinux.h) and libbpf's <bpf/bpf_helpers.h>.
# ktest_course runs the execve counter under bpfload; test_btf_dump
# checks the CO-RE relocations of the kprobe program.
#
# The header's rule is in tests/kern/vmlinux.mk.

COURSE_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/course/*.bpf.c))

KERNEL_TESTS += $(BUILD)/tests/bin/ktest_course

$(COURSE_OBJS): BPF_CFLAGS += -I$(BUILD)/gen
$(COURSE_OBJS): $(VMLINUX_H) | check-libbpf-dev

$(BUILD)/tests/bin/ktest_course: $(BUILD)/tests/kernel/ktest_course.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/course/course_execve.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
