# SPDX-License-Identifier: BSD-2-Clause
# tests/unit/check_skeletons.sh runs `bpfload gen skeleton` on every test
# object and compiles the headers (no kernel needed).
unit-tests: $(BINDIR)/bpfload
