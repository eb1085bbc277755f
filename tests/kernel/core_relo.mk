# SPDX-License-Identifier: BSD-2-Clause
# CO-RE relocations.  tests/kern/core_*.bpf.c are written like libbpf
# users' programs: they include vmlinux.h, which is generated here from
# this machine's kernel BTF with bpftool (Debian: bpftool), and libbpf's
# <bpf/bpf_core_read.h> (libbpf-dev).  Without bpftool or kernel BTF the
# objects are not built and the tests that need them say so and skip.
#
#   ktest_core_relo  (kernel test, static in the guests) the values read
#                    through CO-RE match what user space knows
#   htest_core_oracle (host only: links libbpf) our instructions are
#                    libbpf's, up to map fds

CORE_BPF_OBJS := $(patsubst %.bpf.c,$(BUILD)/%.bpf.o,$(wildcard tests/kern/core_*.bpf.c))
$(CORE_BPF_OBJS): $(VMLINUX_H) | check-libbpf-dev
$(CORE_BPF_OBJS): BPF_CFLAGS += -I$(BUILD)/gen

KERNEL_TESTS += $(BUILD)/tests/bin/ktest_core_relo

$(BUILD)/tests/bin/ktest_core_relo: $(BUILD)/tests/kernel/ktest_core_relo.o $(SPAWN_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@

$(BUILD)/tests/kernel/ktest_core_relo.o: ALL_CFLAGS += -Itests/kern

HOST_ORACLE_TESTS += $(BUILD)/tests/bin/htest_core_oracle

$(BUILD)/tests/bin/htest_core_oracle: tests/kernel/htest_core_oracle.c $(LIB) tests/testlib.h | check-libbpf-dev
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Iloader -Iloader/include -Itests $< $(LIB) -lbpf -lelf -o $@
