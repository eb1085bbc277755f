# SPDX-License-Identifier: BSD-2-Clause
# hello_map: execve() calls per user, from a BPF hash map (Learning eBPF's HelloMap).
TOOLS += hello_map
$(BINDIR)/hello_map: $(BUILD)/user/hello_map.o $(BUILD)/embed/kern/hello_map.o $(TOOL_COMMON) $(LIB)
