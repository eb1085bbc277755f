// SPDX-License-Identifier: GPL-2.0
/*
 * custom_section.bpf.c - a program in a section whose name says nothing
 * about its type; loading it needs bpfload --type.
 */
#include "bpf_kern.h"

SEC("my_filters/accept_all")
int accept_all(void *skb)
{
	return -1;	/* a socket filter keeps the whole packet */
}

char _license[] SEC("license") = "GPL";
