# SPDX-License-Identifier: BSD-2-Clause
# ktest_uprobe: uprobes, uretprobes, sleepable uprobes and uprobe_multi;
# ktest_usdt: USDT probes.  Both trace the target program and its library
# (tests/kernel/uprobe_target.mk), which sit next to them in
# $(BUILD)/tests/bin; the paths are spelled out because that fragment's
# variables are read after this one.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_uprobe $(BUILD)/tests/bin/ktest_usdt
UPROBE_TEST_OBJS := $(BUILD)/tests/kernel/uprobe_helpers.o $(SPAWN_OBJ)
UPROBE_TARGETS := $(BUILD)/tests/bin/uprobe_target $(BUILD)/tests/bin/libuprobe_target.so

$(BUILD)/tests/bin/ktest_uprobe: $(BUILD)/tests/kernel/ktest_uprobe.o $(UPROBE_TEST_OBJS) \
		$(BUILD)/embed/tests/kern/uprobe_test.o $(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/bin/ktest_usdt: $(BUILD)/tests/kernel/ktest_usdt.o $(UPROBE_TEST_OBJS) \
		$(BUILD)/embed/tests/kern/uprobe_test.o $(BUILD)/embed/tests/kern/usdt_args.o \
		$(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# ktest_uprobe_tool: uprobe_trace run from --bindir against the target.
KERNEL_TESTS += $(BUILD)/tests/bin/ktest_uprobe_tool
$(BUILD)/tests/bin/ktest_uprobe_tool: $(BUILD)/tests/kernel/ktest_uprobe_tool.o $(UPROBE_TEST_OBJS) \
		$(LIB) | $(UPROBE_TARGETS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

# The IP-lookup half of libbpf's USDT protocol, which kernels before 5.15
# (no BPF cookies) need and which no kernel of the matrix would take: the
# BPF side chooses it by the .kconfig constant LINUX_HAS_BPF_COOKIE, so
# usdt_args_ip.bpf.o is built from the installed <bpf/usdt.bpf.h> with
# that extern made a constant 0 (generated here, nothing copied into the
# tree).  ktest_usdt attaches it without cookies (PERF_EVENT_IOC_SET_BPF).
USDT_H := /usr/include/bpf/usdt.bpf.h
USDT_IP_H := $(BUILD)/gen/usdt-ip/bpf/usdt.bpf.h
USDT_EXTERN := extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig;

$(USDT_IP_H): $(USDT_H)
	@mkdir -p $(dir $@)
	@grep -qF '$(USDT_EXTERN)' $< || { \
	  echo "error: $< no longer declares '$(USDT_EXTERN)'; update tests/kernel/uprobe.mk" >&2; exit 1; }
	sed 's/^$(USDT_EXTERN)$$/static const _Bool LINUX_HAS_BPF_COOKIE = 0; \/* as before Linux 5.15 *\//' $< > $@

$(BUILD)/tests/kern/usdt/usdt_args_ip.bpf.o: tests/kern/usdt_args.bpf.c $(USDT_IP_H) | check-clang
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I$(BUILD)/gen/usdt-ip -c $< -o $@

$(BUILD)/tests/bin/ktest_usdt: $(BUILD)/embed/tests/kern/usdt/usdt_args_ip.o
