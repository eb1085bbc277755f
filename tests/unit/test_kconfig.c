// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_kconfig.c - the kernel config reader and LINUX_KERNEL_VERSION
 * (loader/sys/kconfig.c).
 *
 * Real configurations: this machine's /proc/config.gz and
 * /boot/config-$(uname -r) when they exist, and the Debian kernels'
 * config files the qemu harness caches (when it has run here).  Each is
 * checked line by line against a separate, simple reading done here.
 * Then crafted bad lines (refused with their number), every truncation
 * and random damage (an error or a result, never a crash), and the
 * version rules on Ubuntu, Debian and plain kernels.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys/inflate.h"
#include "sys/kconfig.h"
#include "../testlib.h"

#define VM_CACHE "/var/cache/bpfload-vm/kernels"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The file's text, inflated when it is gzip (with our inflater: its
 * own test compares it with zlib). */
static char *file_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20;
	unsigned char *raw, *text;
	struct bl_err err;
	size_t text_len;

	if (!f)
		return NULL;
	raw = malloc(cap);
	*len = fread(raw, 1, cap, f);
	fclose(f);
	if (!bl_is_gzip(raw, *len))
		return (char *)raw;
	if (bl_gunzip(raw, *len, 64u << 20, &text, &text_len, &err)) {
		free(raw);
		return NULL;
	}
	free(raw);
	*len = text_len;
	return (char *)text;
}

/*
 * The oracle: each line read with sscanf and strchr, not our parser.
 * Returns the number of options checked, or -1 after a failure.
 */
static long check_against_text(const char *name, const struct bl_kconfig *kc, char *text, size_t len)
{
	long checked = 0;
	char *line = text, *end = text + len;

	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line)), opt[256], *eq;
		const struct bl_kconfig_entry *e;

		if (nl)
			*nl = '\0';
		if (sscanf(line, "# %255s is not set", opt) == 1 && strstr(line, " is not set") &&
		    strncmp(opt, "CONFIG_", 7) == 0) {
			e = bl_kconfig_find(kc, opt);
			if (!e || e->kind != BL_KCONFIG_TRISTATE || e->tristate != 'n') {
				t_fail(name, "%s should be n", opt);
				return -1;
			}
			checked++;
		} else if (strncmp(line, "CONFIG_", 7) == 0 && (eq = strchr(line, '='))) {
			*eq = '\0';
			e = bl_kconfig_find(kc, line);
			if (!e) {
				t_fail(name, "%s is missing", line);
				return -1;
			}
			const char *v = eq + 1;
			int ok;

			if (*v == '"')
				ok = e->kind == BL_KCONFIG_STRING && e->string_len + 2 <= strlen(v) &&
				     (strchr(v + 1, '\\') || (strlen(v) == e->string_len + 2 &&
							     memcmp(v + 1, e->string, e->string_len) == 0));
			else if (!strcmp(v, "y") || !strcmp(v, "m") || !strcmp(v, "n"))
				ok = e->kind == BL_KCONFIG_TRISTATE && e->tristate == *v;
			else if (*v == '-')
				ok = e->kind == BL_KCONFIG_NUMBER && e->negative &&
				     (int64_t)(0 - e->magnitude) == strtoll(v, NULL, 0);
			else
				ok = e->kind == BL_KCONFIG_NUMBER && !e->negative &&
				     e->magnitude == strtoull(v, NULL, v[0] == '0' && v[1] == 'x' ? 16 : 10);
			if (!ok) {
				t_fail(name, "%s=%s read wrongly", line, v);
				return -1;
			}
			checked++;
		}
		line = nl ? nl + 1 : end;
	}
	return checked;
}

static void test_real(const char *label, const char *path)
{
	char name[300];
	struct bl_kconfig *kc;
	struct bl_err err;
	size_t len, i, numbers = 0, strings = 0, off = 0;
	char *text;
	long checked;

	snprintf(name, sizeof(name), "kconfig/real/%s", label);
	kc = bl_kconfig_read_file(path, &err);
	T_EXPECT(name, kc, "%s", err.msg);
	text = file_text(path, &len);
	T_EXPECT(name, text, "cannot read %s here", path);
	checked = check_against_text(name, kc, text, len);
	if (checked >= 0 && (size_t)checked != bl_kconfig_count(kc))
		t_fail(name, "%ld options in the text, %zu parsed", checked, bl_kconfig_count(kc));
	else if (checked >= 0) {
		for (i = 0; i < bl_kconfig_count(kc); i++) {
			const struct bl_kconfig_entry *e = bl_kconfig_entry(kc, i);

			numbers += e->kind == BL_KCONFIG_NUMBER;
			strings += e->kind == BL_KCONFIG_STRING;
			off += e->kind == BL_KCONFIG_TRISTATE && e->tristate == 'n';
		}
		printf("# %s: %zu options (%zu numbers, %zu strings, %zu not set)\n", name,
		       bl_kconfig_count(kc), numbers, strings, off);
		t_pass(name);
	}
	free(text);
	bl_kconfig_free(kc);
}

static void test_real_files(void)
{
	char boot[400], path[600];
	struct utsname u;
	DIR *d;
	struct dirent *de;
	int any = 0;

	uname(&u);
	snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
	if (access(BL_KCONFIG_PROC, R_OK) == 0) {
		test_real("proc-config.gz", BL_KCONFIG_PROC);
		any = 1;
	}
	if (access(boot, R_OK) == 0) {
		test_real("boot-config", boot);
		any = 1;
	}
	d = opendir(VM_CACHE);
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s/config", VM_CACHE, de->d_name);
		if (de->d_name[0] != '.' && access(path, R_OK) == 0) {
			test_real(de->d_name, path);
			any = 1;
		}
	}
	if (d)
		closedir(d);
	if (!any)
		t_skip("kconfig/real", "no kernel config file on this machine");
}

/* The running kernel's, found where the loader looks for it. */
static void test_running(void)
{
	const char *name = "kconfig/running";
	struct bl_kconfig *kc;
	struct bl_err err;
	char path[300];
	const struct bl_kconfig_entry *e;

	kc = bl_kconfig_read_running(path, sizeof(path), &err);
	if (!kc && err.code == ENOENT) {
		if (!strstr(err.msg, "/boot/config-") || !strstr(err.msg, "/proc/config.gz"))
			t_fail(name, "the message does not name both places: %s", err.msg);
		else
			t_skip(name, "%s", err.msg);
		return;
	}
	T_EXPECT(name, kc, "%s", err.msg);
	e = bl_kconfig_find(kc, "CONFIG_BPF_SYSCALL");
	T_EXPECT(name, e && e->kind == BL_KCONFIG_TRISTATE && e->tristate == 'y',
		 "%s has no CONFIG_BPF_SYSCALL=y", path);
	T_EXPECT(name, !bl_kconfig_find(kc, "CONFIG_NO_SUCH_OPTION_AT_ALL"), "found a missing option");
	printf("# %s: %s, %zu options\n", name, path, bl_kconfig_count(kc));
	bl_kconfig_free(kc);
	t_pass(name);
}

static void test_values(void)
{
	const char *name = "kconfig/values";
	const char text[] =
		"#\n# Automatically generated file; DO NOT EDIT.\n#\n\n"
		"CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_D=n\n"
		"CONFIG_HZ=250\nCONFIG_NEG=-17\nCONFIG_HEX=0xFFfe\nCONFIG_BIG=18446744073709551615\n"
		"CONFIG_S=\"a \\\"quoted\\\" \\\\ word\"\nCONFIG_EMPTY=\"\"\n"
		"CONFIG_TWICE=1\n# a comment with CONFIG_X=y inside\nCONFIG_TWICE=2";	/* no final newline */
	struct bl_kconfig *kc;
	struct bl_err err;
	const struct bl_kconfig_entry *e;

	kc = bl_kconfig_parse(text, sizeof(text) - 1, &err);
	T_EXPECT(name, kc, "%s", err.msg);
	T_EXPECT(name, bl_kconfig_count(kc) == 11, "%zu options", bl_kconfig_count(kc));
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_A")) && e->tristate == 'y' && e->line == 5, "A");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_B")) && e->tristate == 'm', "B");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_C")) && e->tristate == 'n', "C");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_D")) && e->tristate == 'n', "D");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_HZ")) && e->kind == BL_KCONFIG_NUMBER &&
		 e->magnitude == 250 && !e->negative, "HZ");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_NEG")) && e->magnitude == 17 && e->negative, "NEG");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_HEX")) && e->magnitude == 0xfffe, "HEX");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_BIG")) && e->magnitude == UINT64_MAX, "BIG");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_S")) && e->kind == BL_KCONFIG_STRING &&
		 strcmp(e->string, "a \"quoted\" \\ word") == 0 && e->string_len == 17, "S: [%s]",
		 e ? e->string : "");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_EMPTY")) && e->kind == BL_KCONFIG_STRING &&
		 e->string_len == 0, "EMPTY");
	T_EXPECT(name, (e = bl_kconfig_find(kc, "CONFIG_TWICE")) && e->magnitude == 2 && e->line == 17,
		 "the last setting wins");
	T_EXPECT(name, !bl_kconfig_find(kc, "CONFIG_X") && !bl_kconfig_find(kc, "A"), "phantoms");
	bl_kconfig_free(kc);
	t_pass(name);
}

static void expect_bad(const char *label, const char *text, const char *why)
{
	char name[128];
	struct bl_kconfig *kc;
	struct bl_err err;

	snprintf(name, sizeof(name), "kconfig/refused/%s", label);
	kc = bl_kconfig_parse(text, strlen(text) + (strcmp(label, "nul-byte") == 0 ? 3 : 0), &err);
	if (kc) {
		t_fail(name, "accepted");
		bl_kconfig_free(kc);
	} else if (!strstr(err.msg, why)) {
		t_fail(name, "message lacks \"%s\": %s", why, err.msg);
	} else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
}

static void test_refused(void)
{
	expect_bad("no-equals", "CONFIG_A=y\nCONFIG_B\n", "line 2: expected CONFIG_NAME=value");
	expect_bad("not-config", "CONFIG_A=y\n\nFOO=y\n", "line 3:");
	expect_bad("empty-name", "CONFIG_=y\n", "line 1:");
	expect_bad("empty-value", "CONFIG_A=\n", "line 1: the value is neither");
	expect_bad("word", "CONFIG_A=yes\n", "neither y, m, n");
	expect_bad("number-tail", "CONFIG_A=12k\n", "neither y, m, n");
	expect_bad("bare-0x", "CONFIG_A=0x\n", "neither y, m, n");
	expect_bad("overflow", "CONFIG_A=18446744073709551616\n", "64 bits");
	expect_bad("hex-overflow", "CONFIG_A=0x10000000000000000\n", "64 bits");
	expect_bad("unterminated", "CONFIG_A=\"abc\n", "no closing quote");
	expect_bad("escape-at-end", "CONFIG_A=\"abc\\", "no closing quote");
	expect_bad("after-quote", "CONFIG_A=\"abc\" x\n", "after the closing quote");
	expect_bad("leading-space", " CONFIG_A=y\n", "line 1:");
	expect_bad("nul-byte", "CONFIG_A=y\n\0\0\n", "line 2: a NUL byte");
}

/* Every prefix and random damage of a real file: a result or an error
 * naming a line, never a crash (ASan watches). */
static void test_damage(void)
{
	const char *name = "kconfig/damage";
	struct bl_kconfig *kc;
	struct bl_err err;
	size_t len, cut, refused = 0, i;
	char *text = file_text(BL_KCONFIG_PROC, &len), *copy;

	if (!text) {
		t_skip(name, "no /proc/config.gz to damage");
		return;
	}
	for (cut = 0; cut <= len; cut += 1 + cut / 64) {
		kc = bl_kconfig_parse(text, cut, &err);
		if (!kc && !strstr(err.msg, "line ")) {
			t_fail(name, "prefix of %zu bytes: %s", cut, err.msg);
			free(text);
			return;
		}
		refused += !kc;
		bl_kconfig_free(kc);
	}
	copy = malloc(len);
	for (i = 0; i < 2000; i++) {
		memcpy(copy, text, len);
		for (int k = 0; k < 8; k++)
			copy[rnd() % len] = (char)rnd();
		kc = bl_kconfig_parse(copy, len, &err);
		if (!kc && !strstr(err.msg, "line ")) {
			t_fail(name, "round %zu: %s", i, err.msg);
			break;
		}
		refused += !kc;
		bl_kconfig_free(kc);
	}
	printf("# %s: prefixes and 2000 damaged copies, %zu refused\n", name, refused);
	if (i == 2000)
		t_pass(name);
	free(copy);
	free(text);
}

/* ---- LINUX_KERNEL_VERSION ------------------------------------------------------------- */

static void expect_version(const char *label, const char *sig, const char *ver, const char *rel,
			   uint32_t want)
{
	char name[128];
	uint32_t got = bl_kernel_version_code(sig, ver, rel);

	snprintf(name, sizeof(name), "kconfig/version/%s", label);
	if (got != want)
		t_fail(name, "%#x, expected %#x", got, want);
	else
		t_pass(name);
}

static void test_versions(void)
{
	struct utsname u;
	unsigned int a, b, c;
	uint32_t want;

	expect_version("plain", NULL, "#1 SMP PREEMPT_DYNAMIC", "6.18.44-fc-v1098", 0x6122c);
	expect_version("debian", NULL, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2025-11-21)",
		       "6.1.0-57-amd64", 0x601c0);
	expect_version("debian-5.10", NULL, "#1 SMP Debian 5.10.223-1 (2024-08-10)", "5.10.0-32-amd64",
		       0x50adf);	/* 223 fits in 8 bits */
	expect_version("ubuntu", "Ubuntu 5.15.0-91.101-generic 5.15.131\n", "#101-Ubuntu SMP",
		       "5.15.0-91-generic", 0x50f83);
	expect_version("sublevel-saturates", NULL, "#1", "4.19.300", 0x413ff);
	expect_version("two-numbers", NULL, "#1", "6.18-rc3", 0);
	expect_version("debian-unreadable", NULL, "#1 Debian x.y", "6.1.7", 0x60107);
	expect_version("ubuntu-unreadable", "Ubuntu", "#1", "5.4.0", 0x50400);
	expect_version("nothing", NULL, NULL, NULL, 0);

	/* this machine: the rules done again with sscanf */
	uname(&u);
	if (strstr(u.version, "Debian ") && sscanf(strstr(u.version, "Debian "), "Debian %u.%u.%u", &a, &b, &c) == 3)
		want = (a << 16) + (b << 8) + (c > 255 ? 255 : c);
	else if (sscanf(u.release, "%u.%u.%u", &a, &b, &c) == 3)
		want = (a << 16) + (b << 8) + (c > 255 ? 255 : c);
	else
		want = 0;
	if (access("/proc/version_signature", F_OK) == 0)
		t_skip("kconfig/version/running", "an Ubuntu kernel: see the ubuntu case");
	else if (bl_linux_kernel_version() != want)
		t_fail("kconfig/version/running", "%#x, expected %#x from uname", bl_linux_kernel_version(), want);
	else {
		printf("# kconfig/version/running: %s -> %#x\n", u.release, want);
		t_pass("kconfig/version/running");
	}
}

int main(void)
{
	test_values();
	test_refused();
	test_real_files();
	test_running();
	test_damage();
	test_versions();
	return t_exit_code();
}
