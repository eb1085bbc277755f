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

# The kprobe example reads its argument through BPF_KPROBE(), which needs
# the pt_regs of the architecture it is built for; our vmlinux.h is this
# x86_64 machine's, so the arm64 guests' build leaves it out (and the
# test says so).
COURSE_EMBEDS := $(BUILD)/embed/tests/course/course_execve.o
ifeq ($(BPF_ARCH),x86)
COURSE_EMBEDS += $(BUILD)/embed/tests/course/course_blk.o
$(BUILD)/tests/kernel/ktest_course.o: ALL_CFLAGS += -DHAVE_COURSE_BLK
endif

$(BUILD)/tests/bin/ktest_course: $(BUILD)/tests/kernel/ktest_course.o $(SPAWN_OBJ) \
		$(COURSE_EMBEDS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
