# SPDX-License-Identifier: BSD-2-Clause
# read_trace: every read() joined from sys_enter_read and sys_exit_read.
TOOLS += read_trace
$(BINDIR)/read_trace: $(BUILD)/user/read_trace.o $(BUILD)/embed/kern/read_trace.o $(TOOL_COMMON) $(LIB)
