// SPDX-License-Identifier: GPL-2.0
/*
 * dump_types.bpf.c - C types that a kernel's BTF may not show, for the
 * tests of the BTF writer (bpfload btf dump): clang compiles them, its BTF
 * describes them, and the header written back from that BTF must give
 * every one the same layout (tests/unit/test_vmlinux_h.sh).  No programs:
 * one global variable per type puts it in the BTF.
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

/* pointer cycles: to itself, and between two structs */
struct list {
	struct list *next, *prev;
};

struct node_a;
struct node_b {
	struct node_a *a;
	int x;
};
struct node_a {
	struct node_b *b;
	struct node_b embedded;
};

struct only_declared;
struct uses_fwd {
	struct only_declared *p;
};

/* packed: members off their alignment, a bitfield across its unit */
struct packed_one {
	char c;
	int i;
	short s;
} __attribute__((packed));

struct packed_bits {
	char c;
	unsigned int a: 7;
	unsigned int b: 30;
} __attribute__((packed));

/* aligned: gaps BTF shows only as offsets */
struct aligned_member {
	char c;
	int x __attribute__((aligned(64)));
	long tail;
};

struct aligned_struct {
	int x;
} __attribute__((aligned(32)));

struct contains_aligned {
	char c;
	struct aligned_struct s;
	char d;
};

union aligned_union {
	int i;
	char c;
} __attribute__((aligned(16)));

/* bitfields, with an unnamed zero-width one that BTF does not keep */
struct bits {
	unsigned int a: 3, b: 5;
	unsigned int: 0;
	unsigned char c: 2;
	u64 big: 40;
	u64 rest: 24;
	int signed_bits: 4;
	_Bool flag: 1;
};

/* anonymous and nested */
struct nested {
	int kind;
	union {
		struct {
			int x, y;
		} point;
		struct {
			u64 lo, hi;
		};
		char raw[16];
	};
	struct {
		int depth;
		struct {
			char tag;
		} inner;
	} more[2];
};

/* enums of every size, signed and 64-bit */
enum __attribute__((packed)) small {
	SMALL_A,
	SMALL_B,
};

enum __attribute__((packed)) half {
	HALF_BIG = 300,
};

enum wide : unsigned long long {
	WIDE_ONE = 1,
};

enum big64 {
	BIG_NEG = -5,
	BIG_HUGE = 0x100000000LL,
};

enum huge_unsigned {
	HU_TOP = 0xffffffffffffff00ULL,
};

struct with_enums {
	enum small s;
	char c;
	enum half h;
	enum wide w;
	enum big64 b;
	enum huge_unsigned u;
};

/* declarators: function pointers, arrays of them, pointers to arrays */
typedef int (*handler_t)(void *ctx, int n);
typedef void fn_t(int);

struct funcs {
	handler_t h[4];
	int (*(*get)(int))(void);
	void (*arr[2])(fn_t *cb, ...);
	int (*pa)[3];
	const char *const *names;
	volatile int *restrict vp;
	int m[2][3];
	float f;
	double d;
};

struct flex {
	int n;
	char data[];
};

struct wide_int {
	char c;
	__int128 v;
};

struct tagged {
	int __attribute__((btf_type_tag("user"))) *uptr;
};

struct list list_var;
struct node_a node_var;
struct uses_fwd fwd_var;
struct packed_one packed_var;
struct packed_bits packed_bits_var;
struct aligned_member aligned_member_var;
struct contains_aligned contains_aligned_var;
union aligned_union aligned_union_var;
struct bits bits_var;
struct nested nested_var;
struct with_enums enums_var;
struct funcs funcs_var;
struct flex flex_var;
struct wide_int wide_int_var;
struct tagged tagged_var;

char LICENSE[] __attribute__((section("license"), used)) = "GPL";
