# SPDX-License-Identifier: BSD-2-Clause
# vmlinux.h for test objects written the way libbpf users write them
# (#include "vmlinux.h"): the C declarations of this machine's kernel
# types, from its BTF.  bpftool writes it; tests of our own writer
# (bpfload btf dump) compare against it.
#
# The objects are built on the host once and loaded everywhere: CO-RE
# relocations adapt them to each kernel of the matrix.

BPFTOOL ?= bpftool
VMLINUX_BTF_FILE ?= /sys/kernel/btf/vmlinux
VMLINUX_H := $(BUILD)/gen/vmlinux.h

$(VMLINUX_H):
	@mkdir -p $(dir $@)
	@command -v $(BPFTOOL) >/dev/null 2>&1 || { \
	  echo "error: vmlinux.h for the test objects is written by bpftool: apt-get install bpftool" >&2; exit 1; }
	@test -r $(VMLINUX_BTF_FILE) || { \
	  echo "error: $(VMLINUX_BTF_FILE) is missing: vmlinux.h comes from the kernel's BTF (CONFIG_DEBUG_INFO_BTF)" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF_FILE) format c > $@.tmp && mv $@.tmp $@
