# SPDX-License-Identifier: BSD-2-Clause
# hello_buffer: "Hello World" on every execve, by perf buffer or ring buffer.
TOOLS += hello_buffer
$(BINDIR)/hello_buffer: $(BUILD)/user/hello_buffer.o $(BUILD)/embed/kern/hello_buffer.o $(TOOL_COMMON) $(LIB)
