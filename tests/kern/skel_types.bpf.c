// SPDX-License-Identifier: GPL-2.0
/*
 * skel_types.bpf.c - global variables of the C types that are hard to
 * write back from BTF: packed and over-aligned structs, bitfields with
 * gaps, pointers to arrays and functions, const pointers, arrays of
 * pointers, typedef chains and a typedef of an anonymous struct, bool,
 * a 64-bit enum, a pointer to a struct only declared, unions with room
 * to spare.  The skeleton of this object must compile, and its
 * _Static_asserts check every layout against the BTF (no kernel needed).
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

typedef _Bool bool;
typedef __u32 u32;
typedef u32 id_t2;		/* a typedef of a typedef */

struct opaque;			/* never defined */

struct __attribute__((packed)) packed_hdr {
	__u8 kind;
	__u32 len;		/* at offset 1 */
	__u16 port;
};

struct __attribute__((aligned(16))) wide {
	__u64 lo;
};

struct bits {
	unsigned int a : 3;
	unsigned int : 5;	/* an unnamed gap */
	unsigned int b : 4;
	__u8 tail;
	unsigned long long c : 40;
};

union room {
	__u32 small;
	char bytes[3];
};

typedef struct {
	int x, y;
} pair_t;

/* 8 bytes with small values (clang 14 keeps enum values to 32 bits) */
enum big : unsigned long long { BIG_ONE = 1, BIG_TWO = 2 };
enum __attribute__((packed)) tiny { TINY_A = 1, TINY_B = 2 };
enum wider : short { WIDER_A = -1, WIDER_B = 1 };

struct with_ptrs {
	int (*table)[4];		/* pointer to an array */
	long (*fn)(int, const char *);	/* pointer to a function */
	char *const fixed;		/* const pointer */
	const char *names[3];		/* array of pointers */
	struct opaque *hidden;		/* pointer to an incomplete struct */
};

struct packed_hdr hdr = { 1, 2, 3 };
struct wide wide_one = { 4 };
struct bits bits = { .a = 5, .b = 6, .tail = 7, .c = 8 };
union room room = { 9 };
pair_t pair = { 10, 11 };
enum big big = BIG_TWO;
enum tiny tiny = TINY_B;
enum wider wider = WIDER_A;
struct with_ptrs ptrs = { 0 };
bool flag = 1;
id_t2 chained = 12;
const volatile u32 ro_matrix[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
__u8 odd_byte SEC(".data.odd") = 13;
struct wide odd_wide SEC(".data.odd") = { 14 };

SEC("tracepoint/syscalls/sys_enter_getppid")
int touch(void *ctx)
{
	chained += ro_matrix[1][2] + flag;
	return 0;
}

char _license[] SEC("license") = "GPL";
