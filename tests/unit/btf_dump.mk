# SPDX-License-Identifier: BSD-2-Clause
# The vmlinux.h writer (loader/btf/btf_dump*.c, bpfload btf dump):
#   test_btf_dump   the writer and the BTF file reader on real and damaged
#                   input, with ASan and UBSan; the course's CO-RE program
#   test_btf_dump_loops  the writer on hand-made hostile BTF (ASan, UBSan)
#   test_vmlinux_h  the headers for this machine's kernel and every cached
#                   guest kernel, against bpftool's and against BTF
#                   (a shell script; btf_layout, linked with libbpf, is its
#                   independent checker)

UNIT_TESTS += $(BUILD)/tests/bin/test_btf_dump $(BUILD)/tests/bin/test_btf_dump_loops \
	$(BUILD)/tests/bin/test_vmlinux_h

$(BUILD)/tests/bin/test_btf_dump: tests/unit/test_btf_dump.c $(LOADER_SRCS) $(wildcard loader/*/*.h) \
		tests/testlib.h $(BUILD)/tests/course/course_kprobe.bpf.o
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -DCOURSE_DIR='"$(BUILD)/tests/course"' tests/unit/test_btf_dump.c $(LOADER_SRCS) -o $@

$(BUILD)/tests/bin/test_btf_dump_loops: tests/unit/test_btf_dump_loops.c $(LOADER_SRCS) \
		$(wildcard loader/*/*.h) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) tests/unit/test_btf_dump_loops.c $(LOADER_SRCS) -o $@

$(BUILD)/tests/bin/btf_layout: tests/unit/btf_layout.c | check-libbpf-dev
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra $< -lbpf -lelf -o $@

# run in place (tests/run-all.sh runs from the repository root)
$(BUILD)/tests/bin/test_vmlinux_h: tests/unit/test_vmlinux_h.sh tests/unit/kernel_btf.sh \
		$(BUILD)/tests/bin/btf_layout $(BINDIR)/bpfload
	@mkdir -p $(dir $@)
	ln -sf $(abspath tests/unit/test_vmlinux_h.sh) $@
