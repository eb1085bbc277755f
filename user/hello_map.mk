# SPDX-License-Identifier: BSD-2-Clause
# hello_map: execve() calls per user, from a BPF hash map (Learning eBPF's HelloMap).
TOOLS += hello_map
# The object comes in its generated skeleton, build/gen/hello_map.skel.h.
$(BINDIR)/hello_map: $(BUILD)/user/hello_map.o $(TOOL_COMMON) $(LIB)
$(BUILD)/user/hello_map.o: $(BUILD)/gen/hello_map.skel.h
