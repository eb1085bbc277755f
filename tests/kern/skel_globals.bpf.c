// SPDX-License-Identifier: GPL-2.0
/*
 * skel_globals.bpf.c - every kind of global variable a generated skeleton
 * must give a C type to, written the way libbpf users write objects
 * (<bpf/bpf_helpers.h>): scalars, arrays, structs with padding,
 * bitfields and an anonymous union, enums, typedefs, a pointer, an
 * anonymous struct type, `const volatile` in .rodata, named .data.* and
 * .rodata.* sections, a section whose last variable is smaller than its
 * alignment, and static variables (which skeletons leave out).
 *
 * On every getppid() of the process whose id user space wrote into
 * target_tgid, the program copies what user space set in .rodata and
 * .data into .bss, so that a test can check both directions: .rodata
 * written before load, .bss read after, .data written after load.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

typedef unsigned int counter_t;

enum mode { MODE_OFF = 0, MODE_ADD = 3, MODE_SCALE = 7 };

struct point {
	int x;
	int y;
};

/* Padding after tag, bitfields, an anonymous union, a nested struct. */
struct sample {
	char tag[5];
	__u64 value;
	struct point where;
	union {
		__u32 word;
		unsigned char bytes[4];
	};
	unsigned int flag : 1;
	unsigned int level : 3;
	enum mode how;
};

/* .rodata: constants user space sets before load; the verifier then
 * treats them as known values. */
const volatile __u32 target_tgid = 0;
const volatile __u32 slot = 0;
const volatile __s64 factor = 1;
const volatile enum mode mode = MODE_OFF;
const volatile char greeting[8] = "hi";
const volatile struct point origin = { 1, 2 };
const volatile struct {
	__u16 a;
	__u64 b;
} anon_cfg = { 3, 4 };

/* .data: initialised variables. */
__u64 data_counter = 5;
counter_t typed = 9;
struct sample sample = { .tag = "abc", .value = 1, .flag = 1, .level = 5, .how = MODE_ADD };
int *unused_ptr = 0;

/* .bss: zeroed variables; small makes the section end before its
 * alignment does. */
__u64 total;
__u32 hits[4];
struct point last;
__s64 scaled;
enum mode seen_mode;
char seen_greeting[8];
__u64 seen_data_counter;
__u64 seen_custom;
__u8 small;

/* Named sections become maps of their own. */
__u64 custom_a SEC(".data.custom") = 11;
__u32 custom_b SEC(".data.custom") = 12;
const volatile __u32 ro_custom SEC(".rodata.custom") = 13;

/* Static variables are in the sections too, but not in skeletons. */
static __u64 hidden_calls;

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	int i;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	hidden_calls++;
	total = total + 1;
	hits[slot & 3]++;
	last.x = origin.x;
	last.y = origin.y;
	scaled = factor * (__s64)anon_cfg.b;
	seen_mode = mode;
	for (i = 0; i < 8; i++)
		seen_greeting[i] = greeting[i];
	seen_data_counter = data_counter;
	seen_custom = custom_a + ro_custom;
	sample.value++;
	small = (__u8)hidden_calls;
	return 0;
}

char _license[] SEC("license") = "GPL";
