/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen_skeleton.h - `bpfload gen skeleton FILE.o [NAME]`: write a C header
 * that embeds a BPF object and gives typed access to its maps, programs
 * and global variables (<bpfload/skeleton.h> describes the header).
 */
#ifndef GEN_SKELETON_H
#define GEN_SKELETON_H

/* `bpfload gen ...`: argv[0] is "gen".  Returns main()'s exit status. */
int gen_main(int argc, char **argv);

#endif
