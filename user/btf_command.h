/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * btf_command.h - the "bpfload btf ..." subcommands.
 */
#ifndef BTF_COMMAND_H
#define BTF_COMMAND_H

/* argv[0] is "btf"; returns the exit status (0, 1 failed, 2 usage). */
int btf_command(int argc, char **argv);

#endif
