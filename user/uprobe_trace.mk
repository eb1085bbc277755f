# SPDX-License-Identifier: BSD-2-Clause
# uprobe_trace: each call of a user-space function, its arguments and result.
TOOLS += uprobe_trace
$(BINDIR)/uprobe_trace: $(BUILD)/user/uprobe_trace.o $(BUILD)/embed/kern/uprobe_trace.o $(TOOL_COMMON) $(LIB)
