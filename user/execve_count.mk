# SPDX-License-Identifier: BSD-2-Clause
# execve_count: a map counts execve calls; trace_pipe or a perf buffer says so.
TOOLS += execve_count
$(BINDIR)/execve_count: $(BUILD)/user/execve_count.o $(BUILD)/embed/kern/execve_count.o $(TOOL_COMMON) $(LIB)
