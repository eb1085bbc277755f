// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt_args.c - parsing USDT argument operands for x86-64 and arm64, and
 * encoding them as libbpf's struct __bpf_usdt_spec.  No syscalls.
 *
 * Register offsets are those of the BPF context of a uprobe, the traced
 * task's registers: on x86-64 struct pt_regs
 * (arch/x86/include/uapi/asm/ptrace.h), on arm64 struct user_pt_regs
 * (x0..x30, sp, pc, pstate).  A register's 32-, 16- or 8-bit name (eax,
 * ax, al; w0) reads the whole register; SIZE cuts the value down.
 */
#include "attach/usdt_args.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X86_RIP_OFF 128

struct x86_reg {
	const char *names[4];	/* 64, 32, 16 and 8 bits */
	int off;
};

static const struct x86_reg x86_regs[] = {
	{ { "r15", "r15d", "r15w", "r15b" }, 0 },
	{ { "r14", "r14d", "r14w", "r14b" }, 8 },
	{ { "r13", "r13d", "r13w", "r13b" }, 16 },
	{ { "r12", "r12d", "r12w", "r12b" }, 24 },
	{ { "rbp", "ebp", "bp", "bpl" }, 32 },
	{ { "rbx", "ebx", "bx", "bl" }, 40 },
	{ { "r11", "r11d", "r11w", "r11b" }, 48 },
	{ { "r10", "r10d", "r10w", "r10b" }, 56 },
	{ { "r9", "r9d", "r9w", "r9b" }, 64 },
	{ { "r8", "r8d", "r8w", "r8b" }, 72 },
	{ { "rax", "eax", "ax", "al" }, 80 },
	{ { "rcx", "ecx", "cx", "cl" }, 88 },
	{ { "rdx", "edx", "dx", "dl" }, 96 },
	{ { "rsi", "esi", "si", "sil" }, 104 },
	{ { "rdi", "edi", "di", "dil" }, 112 },
	{ { "rip", "eip", "ip", NULL }, X86_RIP_OFF },
	{ { "rsp", "esp", "sp", "spl" }, 152 },
};

static int x86_reg_off(const char *name)
{
	size_t i, j;

	for (i = 0; i < sizeof(x86_regs) / sizeof(x86_regs[0]); i++)
		for (j = 0; j < 4; j++)
			if (x86_regs[i].names[j] && strcmp(name, x86_regs[i].names[j]) == 0)
				return x86_regs[i].off;
	return -1;
}

static int arm64_reg_off(const char *name)
{
	char *end;
	long n;

	if (strcmp(name, "sp") == 0 || strcmp(name, "wsp") == 0)
		return 31 * 8;	/* after regs[31] */
	if (name[0] != 'x' && name[0] != 'w')
		return -1;
	if (!isdigit((unsigned char)name[1]))
		return -1;
	n = strtol(name + 1, &end, 10);
	if (*end || n < 0 || n > 30)
		return -1;
	return (int)n * 8;
}

/* --- a small cursor over one operand ----------------------------------- */

struct cursor {
	const char *p;
	const char *operand;	/* start of the operand, for messages */
	int arg;
	struct bl_err *err;
};

static int bad(struct cursor *c, const char *why)
{
	size_t len = strcspn(c->operand, " ");

	return bl_fail(c->err, EINVAL, "USDT argument %d '%.*s': %s", c->arg + 1,
		       (int)(len > 40 ? 40 : len), c->operand, why);
}

static void skip_spaces(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static int eat(struct cursor *c, char ch)
{
	skip_spaces(c);
	if (*c->p != ch)
		return 0;
	c->p++;
	return 1;
}

/* A decimal or 0x number with an optional sign. */
static int parse_number(struct cursor *c, int64_t *v)
{
	const char *s = c->p;
	int neg = 0;
	uint64_t u;
	char *end;

	skip_spaces(c);
	s = c->p;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	u = strtoull(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (errno || u > (uint64_t)INT64_MAX + neg)
		return 0;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	c->p = end;
	return 1;
}

static int parse_word(struct cursor *c, char *buf, size_t size)
{
	size_t n = 0;

	skip_spaces(c);
	while (isalnum((unsigned char)c->p[n]) || c->p[n] == '_' || c->p[n] == '.' || c->p[n] == '$')
		n++;
	if (n == 0 || n >= size)
		return 0;
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	c->p += n;
	return 1;
}

/* --- x86-64 ------------------------------------------------------------- */

static int x86_register(struct cursor *c, int *off)
{
	char name[16];

	if (!eat(c, '%') || !parse_word(c, name, sizeof(name)))
		return bad(c, "expected a register such as %rdi");
	*off = x86_reg_off(name);
	if (*off < 0)
		return bad(c, strcmp(name, "ah") && strcmp(name, "bh") && strcmp(name, "ch") &&
			   strcmp(name, "dh") ? "unknown register" :
			   "a high-byte register (%ah, ...), which no BPF-side reader supports");
	return 0;
}

struct sym_ctx {
	uint64_t probe_vaddr;
	bl_usdt_symbol_fn symbol;
	void *ctx;
};

/* "counter", "table+16", "16+table" before (%rip): the symbol's address
 * plus the numbers, minus the probe's address. */
static int x86_rip_symbol(struct cursor *c, const struct sym_ctx *s, int64_t *disp)
{
	char name[128];
	int64_t add = 0, n;
	uint64_t vaddr;
	int ret;

	if (parse_number(c, &n)) {
		add += n;
		if (!eat(c, '+'))
			return bad(c, "expected NUMBER+SYMBOL(%rip)");
	}
	if (!parse_word(c, name, sizeof(name)))
		return bad(c, "expected a symbol");
	if (parse_number(c, &n))	/* "+16" or "-8": the sign is the operator */
		add += n;
	if (!s->symbol)
		return bad(c, "a global variable (%rip-relative), but no symbol table to find it in");
	ret = s->symbol(name, &vaddr, s->ctx);
	if (ret)
		return bl_fail(c->err, -ret, "USDT argument %d: symbol %s of '%s' is not in the file's symbol tables",
			       c->arg + 1, name, c->operand);
	*disp = (int64_t)(vaddr - s->probe_vaddr) + add;
	return 0;
}

/* [DISP](%BASE[,%INDEX[,SCALE]]) once DISP (or its absence) is read. */
static int x86_memory(struct cursor *c, struct bl_usdt_arg *a)
{
	int64_t scale = 1;
	int ret = x86_register(c, &a->reg_off);

	if (ret)
		return ret;
	a->kind = BL_USDT_ARG_REG_DEREF;
	if (eat(c, ',')) {
		ret = x86_register(c, &a->index_reg_off);
		if (ret)
			return ret;
		if (eat(c, ',') && !parse_number(c, &scale))
			return bad(c, "expected a scale");
		if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
			return bad(c, "the scale must be 1, 2, 4 or 8");
		a->kind = BL_USDT_ARG_SIB;
		a->scale = (int)scale;
	}
	if (!eat(c, ')'))
		return bad(c, "expected ')'");
	return 0;
}

static int x86_operand(struct cursor *c, const struct sym_ctx *s, struct bl_usdt_arg *a)
{
	const char *save;
	int ret;

	skip_spaces(c);
	if (eat(c, '$')) {
		a->kind = BL_USDT_ARG_CONST;
		return parse_number(c, &a->value) ? 0 : bad(c, "expected a number after $");
	}
	if (*c->p == '%') {
		a->kind = BL_USDT_ARG_REG;
		return x86_register(c, &a->reg_off);
	}
	if (eat(c, '('))
		return x86_memory(c, a);
	save = c->p;
	if (parse_number(c, &a->value) && eat(c, '('))
		return x86_memory(c, a);
	/* a symbol: only %rip-relative makes sense for a position-independent
	 * file, and only it says where the symbol is at run time */
	c->p = save;
	a->value = 0;
	ret = x86_rip_symbol(c, s, &a->value);
	if (ret)
		return ret;
	if (!eat(c, '(') || !eat(c, '%') || strncmp(c->p, "rip)", 4) != 0)
		return bad(c, "a symbol as an address must be %rip-relative: SYMBOL(%rip)");
	c->p += 4;
	a->kind = BL_USDT_ARG_REG_DEREF;
	a->reg_off = X86_RIP_OFF;
	return 0;
}

/* --- arm64 -------------------------------------------------------------- */

static int arm64_register(struct cursor *c, int *off)
{
	char name[16];

	if (!parse_word(c, name, sizeof(name)))
		return bad(c, "expected a register such as x0");
	*off = arm64_reg_off(name);
	return *off < 0 ? bad(c, "unknown register (x0..x30, w0..w30, sp)") : 0;
}

static int arm64_operand(struct cursor *c, struct bl_usdt_arg *a)
{
	int ret;

	skip_spaces(c);
	if (eat(c, '[')) {
		ret = arm64_register(c, &a->reg_off);
		if (ret)
			return ret;
		a->kind = BL_USDT_ARG_REG_DEREF;
		if (eat(c, ',')) {
			eat(c, '#');
			if (!parse_number(c, &a->value))
				return bad(c, "expected an offset after ','");
		}
		return eat(c, ']') ? 0 : bad(c, "expected ']'");
	}
	if (*c->p == '#' || *c->p == '-' || isdigit((unsigned char)*c->p)) {
		eat(c, '#');
		a->kind = BL_USDT_ARG_CONST;
		return parse_number(c, &a->value) ? 0 : bad(c, "expected a number");
	}
	a->kind = BL_USDT_ARG_REG;
	return arm64_register(c, &a->reg_off);
}

/* --- the whole string --------------------------------------------------- */

static int parse_size(struct cursor *c, struct bl_usdt_arg *a)
{
	int64_t size;

	if (!parse_number(c, &size) || !eat(c, '@'))
		return bad(c, "expected SIZE@OPERAND (this note predates sizes, or is damaged)");
	a->is_signed = size < 0;
	a->size = (int)(size < 0 ? -size : size);
	if (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8)
		return bad(c, "the size must be 1, 2, 4 or 8 bytes");
	return 0;
}

int bl_usdt_parse_args(const char *spec, uint16_t machine, uint64_t probe_vaddr,
		       bl_usdt_symbol_fn symbol, void *symbol_ctx, struct bl_usdt_args *out,
		       struct bl_err *err)
{
	struct sym_ctx s = { probe_vaddr, symbol, symbol_ctx };
	struct cursor c = { .p = spec, .err = err };
	int ret;

	memset(out, 0, sizeof(*out));
	if (machine != EM_X86_64 && machine != EM_AARCH64)
		return bl_fail(err, ENOTSUP, "USDT arguments of ELF machine %u cannot be read: only x86-64 and arm64 are known",
			       machine);
	for (;;) {
		struct bl_usdt_arg *a;

		skip_spaces(&c);
		if (!*c.p)
			return 0;
		if (out->count == BL_USDT_MAX_ARGS)
			return bl_fail(err, E2BIG, "USDT probe has more than %d arguments, the most usdt.bpf.h reads",
				       BL_USDT_MAX_ARGS);
		c.operand = c.p;
		c.arg = (int)out->count;
		a = &out->arg[out->count];
		ret = parse_size(&c, a);
		if (!ret)
			ret = machine == EM_X86_64 ? x86_operand(&c, &s, a) : arm64_operand(&c, a);
		if (ret)
			return ret;
		if (*c.p && *c.p != ' ')
			return bad(&c, "unexpected text after the operand");
		snprintf(a->text, sizeof(a->text), "%.*s", (int)(c.p - c.operand), c.operand);
		out->count++;
	}
}

/* --- struct __bpf_usdt_spec --------------------------------------------- */

static void put(unsigned char *at, const void *v, size_t n)
{
	memcpy(at, v, n);	/* little-endian, as both layouts are used here */
}

static void encode_arg(const struct bl_usdt_arg *a, int v2, unsigned char *at)
{
	uint64_t val_off = (uint64_t)a->value;
	int16_t reg_off = (int16_t)(a->kind == BL_USDT_ARG_CONST ? 0 : a->reg_off);
	uint8_t is_signed = (uint8_t)a->is_signed;
	int8_t bitshift = (int8_t)(64 - 8 * a->size);
	uint32_t type = (uint32_t)a->kind;

	put(at, &val_off, 8);
	if (!v2) {
		/* u64 val_off; enum arg_type; short reg_off; bool arg_signed;
		 * char arg_bitshift */
		put(at + 8, &type, 4);
		put(at + 12, &reg_off, 2);
		put(at + 14, &is_signed, 1);
		put(at + 15, &bitshift, 1);
		return;
	}
	/* u64 val_off; enum arg_type:8; u16 idx_reg_off:12, scale_bitshift:4
	 * (a u16 of its own at byte 10); u8 reserved:8; short reg_off at 14;
	 * bool arg_signed; char arg_bitshift */
	at[8] = (unsigned char)type;
	if (a->kind == BL_USDT_ARG_SIB) {
		uint16_t idx = (uint16_t)((a->index_reg_off & 0xfff) |
					  ((a->scale == 8 ? 3 : a->scale == 4 ? 2 : a->scale == 2 ? 1 : 0) << 12));

		put(at + 10, &idx, 2);
	}
	put(at + 14, &reg_off, 2);
	put(at + 16, &is_signed, 1);
	put(at + 17, &bitshift, 1);
}

int bl_usdt_encode_spec(const struct bl_usdt_args *args, uint64_t cookie, size_t value_size,
			unsigned char *value, struct bl_err *err)
{
	int v2 = value_size == BL_USDT_SPEC_SIZE_V2;
	size_t arg_size = v2 ? 24 : 16, i;
	int16_t cnt = (int16_t)args->count;

	if (value_size != BL_USDT_SPEC_SIZE_V1 && !v2)
		return bl_fail(err, EINVAL, "__bpf_usdt_specs has %zu-byte values, a struct __bpf_usdt_spec of no layout we know (%d bytes: libbpf 0.8-1.6, %d: 1.7)",
			       value_size, BL_USDT_SPEC_SIZE_V1, BL_USDT_SPEC_SIZE_V2);
	memset(value, 0, value_size);
	for (i = 0; i < args->count; i++) {
		if (args->arg[i].kind == BL_USDT_ARG_SIB && !v2)
			return bl_fail(err, ENOTSUP, "USDT argument %zu '%s' is base + index * scale, which this object's usdt.bpf.h cannot read (it needs libbpf 1.7's)",
				       i + 1, args->arg[i].text);
		if (args->arg[i].kind == BL_USDT_ARG_SIB && args->arg[i].index_reg_off > 0xfff)
			return bl_fail(err, ERANGE, "USDT argument %zu: index register offset too large", i + 1);
		encode_arg(&args->arg[i], v2, value + i * arg_size);
	}
	put(value + BL_USDT_MAX_ARGS * arg_size, &cookie, 8);
	put(value + BL_USDT_MAX_ARGS * arg_size + 8, &cnt, 2);
	return 0;
}
