# SPDX-License-Identifier: BSD-2-Clause
# read_trace: every read() joined from sys_enter_read and sys_exit_read.
TOOLS += read_trace
# The object comes in its generated skeleton, build/gen/read_trace.skel.h.
$(BINDIR)/read_trace: $(BUILD)/user/read_trace.o $(TOOL_COMMON) $(LIB)
$(BUILD)/user/read_trace.o: $(BUILD)/gen/read_trace.skel.h
