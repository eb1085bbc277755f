# SPDX-License-Identifier: BSD-2-Clause
# The course's programs (tests/course/), written as the course writes
# them: #include "vmlinux.h" (ours: bpfload btf dump of this machine's
# BTF, $(BUILD)/gen/vmlinux.h) and libbpf's <bpf/bpf_helpers.h>.
# ktest_course runs the execve counter under bpfload; test_btf_dump
# checks the CO-RE relocations of the kprobe program.
#
# The header is written by a copy of bpfload built with the host's
# compiler, so that it also runs while the tests are cross-compiled for
# the qemu guests (whose programs then use this machine's header: the
# tracepoint context they read is the same in every kernel tested).

HOSTCC ?= cc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPFLOAD_HOST := $(BUILD)/host/bpfload
BPFLOAD_SRCS := user/bpfload.c user/object_print.c user/btf_format.c user/btf_command.c user/tool_common.c
COURSE_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/course/*.bpf.c))

KERNEL_TESTS += $(BUILD)/tests/bin/ktest_course

$(BPFLOAD_HOST): $(BPFLOAD_SRCS) $(LOADER_SRCS) $(wildcard loader/*/*.h user/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -std=gnu11 -Iloader -Iuser $(BPFLOAD_SRCS) $(LOADER_SRCS) -o $@

$(BUILD)/gen/vmlinux.h: $(BPFLOAD_HOST)
	@mkdir -p $(dir $@)
	@test -r $(VMLINUX_BTF) || { echo "error: $(VMLINUX_BTF) is missing (a kernel without CONFIG_DEBUG_INFO_BTF); set VMLINUX_BTF to a BTF file or a vmlinux with .BTF" >&2; exit 1; }
	$(BPFLOAD_HOST) btf dump $(VMLINUX_BTF) > $@.tmp && mv $@.tmp $@

$(COURSE_OBJS): BPF_CFLAGS += -I$(BUILD)/gen
$(COURSE_OBJS): $(BUILD)/gen/vmlinux.h | check-libbpf-dev

$(BUILD)/tests/bin/ktest_course: $(BUILD)/tests/kernel/ktest_course.o $(SPAWN_OBJ) \
		$(BUILD)/embed/tests/course/course_execve.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@
