# SPDX-License-Identifier: BSD-2-Clause
# syscall_tail: a BPF program per system call through tail calls (Learning
# eBPF's HelloTail), with the system call names of the architecture $(CC)
# builds for, generated from its <asm/unistd.h>.
TOOLS += syscall_tail
# The object comes in its generated skeleton, build/gen/syscall_tail.skel.h.
$(BINDIR)/syscall_tail: $(BUILD)/user/syscall_tail.o $(TOOL_COMMON) $(LIB)
$(BUILD)/user/syscall_tail.o: $(BUILD)/gen/syscall_tail.skel.h

SYSCALL_NAMES_H := $(BUILD)/gen/syscall_names.h
$(SYSCALL_NAMES_H): user/gen_syscall_names.sh | $(UAPI_STAMP)
	@mkdir -p $(dir $@)
	sh user/gen_syscall_names.sh $(CC) $(UAPI_CFLAGS) >$@.tmp && mv $@.tmp $@
$(BUILD)/user/syscall_tail.o: $(SYSCALL_NAMES_H)
