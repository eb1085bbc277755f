# SPDX-License-Identifier: BSD-2-Clause
# vmlinux.h for test objects written the way libbpf users write them
# (#include "vmlinux.h"): the C declarations of this machine's kernel
# types, written by our own `bpfload btf dump` from its BTF (bpftool's
# header is only the oracle of tests/unit/test_vmlinux_h.sh).
#
# The writer is a copy of bpfload built with the host's compiler
# ($(BUILD)/host/bpfload, see the Makefile), so that it also runs while
# the tests are cross-compiled for the qemu guests.  The objects are
# built once, here, and loaded everywhere: CO-RE relocations adapt them
# to each kernel of the matrix.

VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_H := $(BUILD)/gen/vmlinux.h

$(VMLINUX_H): $(BUILD)/host/bpfload
	@mkdir -p $(dir $@)
	@test -r $(VMLINUX_BTF) || { echo "error: $(VMLINUX_BTF) is missing (a kernel without CONFIG_DEBUG_INFO_BTF); set VMLINUX_BTF to a BTF file or a vmlinux with .BTF" >&2; exit 1; }
	$(BUILD)/host/bpfload btf dump $(VMLINUX_BTF) > $@.tmp && mv $@.tmp $@
