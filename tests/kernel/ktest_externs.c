// SPDX-License-Identifier: BSD-2-Clause
/*
 * ktest_externs.c - __kconfig and __ksym externs, kfunc calls, and maps
 * created without the BTF types the kernel refuses, on the running
 * kernel.  The test programs (tests/kern/externs_*.bpf.c, written as for
 * libbpf) are bare raw_tp programs run with BPF_PROG_TEST_RUN (5.10 has
 * that for raw tracepoints; syscall programs came in 5.14; the kfunc one
 * is a syscall program, as kfuncs are not for raw tracepoints); they copy
 * what they see into .bss, and this test compares it with what it reads
 * itself: the kernel's config file (/boot/config-$(uname -r), or gzip -dc
 * /proc/config.gz), uname, /proc/kallsyms.  Crafted config files (plain
 * and gzip) pin exact values and the refusals.  Runs as root on the host
 * and inside the qemu kernels (statically linked).
 *
 * Usage: ktest_externs [--bindir DIR] [--objdir DIR] [--expect-kprobes]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/types.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kern/externs_common.h"
#include "../testlib.h"
#include "embedded.h"
#include "ktest_options.h"
#include "object/global_data.h"
#include "object/kernel_types.h"
#include "object/object.h"
#include "sys/bpf_syscall.h"
#include "sys/inflate.h"

EMBEDDED_OBJECT(externs_kconfig_bpf);
EMBEDDED_OBJECT(externs_typed_bpf);
EMBEDDED_OBJECT(externs_kfunc_bpf);
EMBEDDED_OBJECT(map_compat_bpf);

#define KCONFIG_OBJ externs_kconfig_bpf, EMBEDDED_SIZE(externs_kconfig_bpf)

static struct bl_object *open_embedded(const char *name, const unsigned char *data, size_t size,
				       const char *kconfig_path, struct bl_err *err)
{
	struct bl_object_opts opts = { .kconfig_path = kconfig_path };

	return bl_object_open_mem(data, size, name, &opts, err);
}

static int test_run(int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (__u32)prog_fd;
	return (int)bl_sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
}

/* Create the maps, load one program and run it once. */
static int load_and_run(struct bl_object *obj, const char *prog_name, struct bl_err *err)
{
	struct bl_program *prog = bl_object_program(obj, prog_name);
	int ret;

	if (!prog)
		return bl_fail(err, ENOENT, "no program %s", prog_name);
	if ((ret = bl_object_create_maps(obj, err)) || (ret = bl_object_load_program(obj, prog, err)))
		return ret;
	ret = test_run(prog->fd);
	if (ret)
		return bl_fail(err, -ret, "BPF_PROG_TEST_RUN of %s failed: %s", prog_name, bl_errno_name(-ret));
	return 0;
}

/* ---- what the test reads itself ------------------------------------------------------- */

/* Lines of /proc/kallsyms named name: how many, and the first address. */
static int kallsyms_addr(const char *name, unsigned long long *addr)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[1024], sym[600];
	unsigned long long a;
	char type;
	int n = 0;

	*addr = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %599s", &a, &type, sym) == 3 && strcmp(sym, name) == 0 && !n++)
			*addr = a;
	if (f)
		fclose(f);
	return n;
}

static char *read_stream(FILE *f)
{
	size_t cap = 1 << 20, len = 0, n;
	char *buf = malloc(cap + 1);

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += n) == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* The running kernel's config text, where the loader looks for it. */
static char *running_config(char *path, size_t size)
{
	struct utsname u;
	char *text = NULL;
	FILE *f;

	uname(&u);
	snprintf(path, size, "/boot/config-%s", u.release);
	if ((f = fopen(path, "r"))) {
		text = read_stream(f);
		fclose(f);
	} else if (access("/proc/config.gz", R_OK) == 0 && (f = popen("gzip -dc /proc/config.gz", "r"))) {
		snprintf(path, size, "/proc/config.gz");
		text = read_stream(f);
		pclose(f);
	}
	return text;
}

/* The value after "NAME=" ("n" for "# NAME is not set"), or NULL. */
static const char *config_value(const char *text, const char *name, char *out, size_t size)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "\n%s=", name);
	if (strncmp(text, key + 1, strlen(key + 1)) == 0)
		p = text + strlen(key + 1);	/* on the first line */
	else if ((p = strstr(text, key)))
		p += strlen(key);
	if (p) {
		snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
		return out;
	}
	snprintf(key, sizeof(key), "# %s is not set\n", name);
	return strstr(text, key) ? strcpy(out, "n") : NULL;
}

static unsigned int tristate_of(const char *v)
{
	return !v ? 0 : !strcmp(v, "y") ? 1 : !strcmp(v, "m") ? 2 : 0;
}

/* libbpf's LINUX_KERNEL_VERSION, done again with sscanf. */
static __u32 expected_version(void)
{
	unsigned int a, b, c;
	struct utsname u;
	const char *debian;

	uname(&u);
	debian = strstr(u.version, "Debian ");
	if (!(debian && sscanf(debian, "Debian %u.%u.%u", &a, &b, &c) == 3) &&
	    sscanf(u.release, "%u.%u.%u", &a, &b, &c) != 3)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* ---- .kconfig and typeless ksyms on the running kernel ---------------------------------- */

static int check_seen_common(const char *name, const struct externs_seen *s)
{
	unsigned long long addr;
	__u32 version = expected_version();
	char wrapper[64];

	snprintf(wrapper, sizeof(wrapper), "__%s_sys_bpf",
#if defined(__x86_64__)
		 "x64"
#elif defined(__aarch64__)
		 "arm64"
#else
		 "none"
#endif
	);
	if (s->kernel_version != version)
		t_fail(name, "LINUX_KERNEL_VERSION %#x, uname says %#x", s->kernel_version, version);
	else if (s->has_cookie != (version >= 0x050f00))
		t_fail(name, "LINUX_HAS_BPF_COOKIE %u on %#x (cookies came in 5.15)", s->has_cookie, version);
	else if (s->has_wrapper != (kallsyms_addr(wrapper, &addr) > 0))
		t_fail(name, "LINUX_HAS_SYSCALL_WRAPPER %u, but kallsyms %s %s", s->has_wrapper,
		       s->has_wrapper ? "lacks" : "has", wrapper);
	else if (kallsyms_addr("schedule", &addr) != 1 || s->schedule != addr || !addr)
		t_fail(name, "&schedule is %#llx, kallsyms says %#llx", (unsigned long long)s->schedule, addr);
	else if (kallsyms_addr("bpf_prog_active", &addr), s->prog_active != addr)
		t_fail(name, "weak &bpf_prog_active is %#llx, kallsyms says %#llx (0: not listed)",
		       (unsigned long long)s->prog_active, addr);
	else if (s->no_such_symbol || s->no_such_variable_exists || s->no_such_kfunc_exists ||
		 s->kfunc_branch_ran || s->no_such_option || s->future_linux)
		t_fail(name, "a weak extern the kernel lacks is not 0 (%llu %u %u %u %u %d)",
		       (unsigned long long)s->no_such_symbol, s->no_such_variable_exists,
		       s->no_such_kfunc_exists, s->kfunc_branch_ran, s->no_such_option, s->future_linux);
	else
		return 0;
	return -1;
}

static void test_running_kernel(void)
{
	const char *name = "externs/kconfig/running-kernel";
	char path[300], v[256], *text = running_config(path, sizeof(path));
	struct externs_seen s;
	struct bl_object *obj;
	struct bl_err err;
	int ret;

	obj = open_embedded("externs_kconfig", KCONFIG_OBJ, NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	ret = load_and_run(obj, "read_externs", &err);
	if (!text) {
		/* no config anywhere: the strong CONFIG_ externs are refused */
		if (ret == 0)
			t_fail("externs/kconfig/no-config", "loaded without a kernel config");
		else if (!strstr(err.msg, "CONFIG_") || !strstr(err.msg, "/proc/config.gz"))
			t_fail("externs/kconfig/no-config", "the message names no extern or place: %s", err.msg);
		else
			t_pass("externs/kconfig/no-config");
		t_skip(name, "the kernel's config is in neither %s nor /proc/config.gz", path);
		bl_object_close(obj);
		return;
	}
	if (ret || bl_object_var_read(obj, "seen", &s, sizeof(s), &err)) {
		t_fail(name, "%s", err.msg);
		goto out;
	}
	if (check_seen_common(name, &s))
		goto out;
#define EXPECT_CFG(cond, what) \
	if (!(cond)) { t_fail(name, "%s (config %s)", what, path); goto out; }
	EXPECT_CFG(s.bpf_syscall == (config_value(text, "CONFIG_BPF_SYSCALL", v, sizeof(v)) &&
				    !strcmp(v, "y")), "CONFIG_BPF_SYSCALL");
	EXPECT_CFG(config_value(text, "CONFIG_HZ", v, sizeof(v)) && s.hz == atoi(v), "CONFIG_HZ");
	EXPECT_CFG(s.blk_dev_loop == tristate_of(config_value(text, "CONFIG_BLK_DEV_LOOP", v, sizeof(v))),
		   "CONFIG_BLK_DEV_LOOP");
	EXPECT_CFG(s.ikconfig == tristate_of(config_value(text, "CONFIG_IKCONFIG", v, sizeof(v))),
		   "CONFIG_IKCONFIG");
	EXPECT_CFG(s.bpf_jit == (config_value(text, "CONFIG_BPF_JIT", v, sizeof(v)) ? v[0] : 0),
		   "char CONFIG_BPF_JIT");
	EXPECT_CFG(s.nr_cpus == (config_value(text, "CONFIG_NR_CPUS", v, sizeof(v)) ? atoi(v) : 0),
		   "CONFIG_NR_CPUS");
	EXPECT_CFG(s.redboot_block == (config_value(text, "CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK", v, sizeof(v))
				       ? atoi(v) : 0), "CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK");
	EXPECT_CFG(s.illegal_pointer == (config_value(text, "CONFIG_ILLEGAL_POINTER_VALUE", v, sizeof(v))
					 ? strtoull(v, NULL, 16) : 0), "CONFIG_ILLEGAL_POINTER_VALUE");
	EXPECT_CFG(config_value(text, "CONFIG_DEFAULT_HOSTNAME", v, sizeof(v)) &&
		   strlen(v) == strlen(s.hostname) + 2 && !strncmp(v + 1, s.hostname, strlen(s.hostname)),
		   "CONFIG_DEFAULT_HOSTNAME");
	EXPECT_CFG(config_value(text, "CONFIG_LOCALVERSION", v, sizeof(v)) &&
		   !strncmp(v + 1, s.localversion, strlen(s.localversion)) && strlen(s.localversion) < 8 &&
		   (strlen(v) - 2 > 7 ? strlen(s.localversion) == 7 && strstr(obj->notes, "CONFIG_LOCALVERSION")
				      : strlen(s.localversion) == strlen(v) - 2), "CONFIG_LOCALVERSION");
	printf("# %s: %s: version %#x, HZ %d, BLK_DEV_LOOP %u, hostname \"%s\", localversion \"%s\", schedule at %#llx, cookie %u, wrapper %u\n",
	       name, path, s.kernel_version, s.hz, s.blk_dev_loop, s.hostname, s.localversion,
	       (unsigned long long)s.schedule, s.has_cookie, s.has_wrapper);
	t_pass(name);
out:
	free(text);
	bl_object_close(obj);
}

/* The .kconfig map: read-only for programs, frozen for user space. */
static void test_kconfig_map(void)
{
	const char *name = "externs/kconfig/map-frozen";
	struct bpf_map_info info;
	uint32_t len = sizeof(info), zero = 0;
	unsigned char value[512];
	struct bl_object *obj;
	struct bl_map *map;
	struct bl_err err;
	int ret;

	obj = open_embedded("externs_kconfig", KCONFIG_OBJ, NULL, &err);
	T_EXPECT(name, obj && (map = bl_object_map(obj, ".kconfig")), "%s", obj ? "no .kconfig map" : err.msg);
	if (bl_object_create_maps(obj, &err)) {
		t_skip(name, "maps not created: %s", err.msg);
		bl_object_close(obj);
		return;
	}
	memset(&info, 0, sizeof(info));
	T_EXPECT(name, bl_obj_get_info(map->fd, &info, &len) == 0 && info.value_size <= sizeof(value), "info");
	ret = bl_map_lookup(map->fd, &zero, value);
	if (ret || memcmp(value, map->initial_value, info.value_size) != 0)
		t_fail(name, "the map does not hold the values written");
	else if (!(info.map_flags & BPF_F_RDONLY_PROG) || !strstr(info.name, ".kconfig"))
		t_fail(name, "flags %#x, name %s", info.map_flags, info.name);
	else if ((ret = bl_map_update(map->fd, &zero, value, BPF_ANY)) != -EPERM)
		t_fail(name, "updating the frozen map gave %d, not -EPERM", ret);
	/* mapped into memory like the other global data, unless the kernel
	 * refused BPF_F_MMAPABLE (then the loader created it without) */
	else if (!strstr(bl_object_notes(obj), "refused BPF_F_MMAPABLE") &&
		 (!(info.map_flags & BPF_F_MMAPABLE) || !bl_map_data_mapped(map) ||
		  memcmp(bl_map_data(map, NULL), value, info.value_size) != 0))
		t_fail(name, "the .kconfig map was asked to be mmapable, but it is not mapped (flags %#x) or its mapping differs from the map",
		       info.map_flags);
	else {
		printf("# %s: %s, %u bytes\n", name, info.name, info.value_size);
		t_pass(name);
	}
	bl_object_close(obj);
}

/* ---- crafted config files: exact values and the refusals ---------------------------------- */

static const char crafted[] =
	"# a crafted configuration\n"
	"CONFIG_BPF_SYSCALL=y\n"
	"CONFIG_HZ=1000\n"
	"CONFIG_BLK_DEV_LOOP=m\n"
	"# CONFIG_IKCONFIG is not set\n"
	"CONFIG_BPF_JIT=m\n"
	"CONFIG_NR_CPUS=65535\n"
	"CONFIG_MTD_REDBOOT_DIRECTORY_BLOCK=-5\n"
	"CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000100\n"
	"CONFIG_DEFAULT_HOSTNAME=\"a \\\"b\\\" \\\\c\"\n"
	"CONFIG_LOCALVERSION=\"-1234567890\"\n";

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* A gzip file with one stored DEFLATE block, made by hand (no zlib in
 * the guests): header, block, CRC32 and length. */
static void write_gzip(const char *path, const char *text)
{
	unsigned char out[4096];
	size_t len = strlen(text), n = 0;
	uint32_t crc = bl_crc32(0, text, len);

	memcpy(out, "\x1f\x8b\x08\x00\0\0\0\0\x00\x03", 10);
	n = 10;
	out[n++] = 1;	/* BFINAL, stored */
	out[n++] = (unsigned char)len;
	out[n++] = (unsigned char)(len >> 8);
	out[n++] = (unsigned char)~len;
	out[n++] = (unsigned char)(~len >> 8);
	memcpy(out + n, text, len);
	n += len;
	for (int i = 0; i < 4; i++)
		out[n++] = (unsigned char)(crc >> (8 * i));
	for (int i = 0; i < 4; i++)
		out[n++] = (unsigned char)(len >> (8 * i));
	write_file(path, out, n);
}

static void test_crafted(const char *label, const char *path)
{
	char name[128];
	struct externs_seen s;
	struct bl_object *obj;
	struct bl_err err;

	snprintf(name, sizeof(name), "externs/kconfig/crafted-%s", label);
	obj = open_embedded("externs_kconfig", KCONFIG_OBJ, path, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	if (load_and_run(obj, "read_externs", &err) || bl_object_var_read(obj, "seen", &s, sizeof(s), &err))
		t_fail(name, "%s", err.msg);
	else if (check_seen_common(name, &s) == 0) {
		if (s.bpf_syscall != 1 || s.hz != 1000 || s.blk_dev_loop != 2 || s.ikconfig != 0 ||
		    s.bpf_jit != 'm' || s.nr_cpus != 65535 || s.redboot_block != -5 ||
		    s.illegal_pointer != 0xdead000000000100ull || strcmp(s.hostname, "a \"b\" \\c") ||
		    strcmp(s.localversion, "-123456"))
			t_fail(name, "values: %u %d %u %u %c %u %d %#llx [%s] [%s]", s.bpf_syscall, s.hz,
			       s.blk_dev_loop, s.ikconfig, s.bpf_jit, s.nr_cpus, s.redboot_block,
			       (unsigned long long)s.illegal_pointer, s.hostname, s.localversion);
		else if (!strstr(obj->notes, "CONFIG_LOCALVERSION holds only the first 7 bytes"))
			t_fail(name, "no note on the cut string: %s", obj->notes);
		else
			t_pass(name);
	}
	bl_object_close(obj);
}

static void expect_refused(const char *label, const char *config, const char *path, const char *want,
			   const char *want2)
{
	char name[128];
	struct bl_object *obj;
	struct bl_err err;
	int ret;

	snprintf(name, sizeof(name), "externs/kconfig/refused-%s", label);
	if (config)
		write_file(path, config, strlen(config));
	obj = open_embedded("externs_kconfig", KCONFIG_OBJ, path, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	ret = load_and_run(obj, "read_externs", &err);
	if (ret == 0)
		t_fail(name, "loaded");
	else if (!strstr(err.msg, want) || (want2 && !strstr(err.msg, want2)))
		t_fail(name, "the message lacks \"%s\"%s%s: %s", want, want2 ? " or " : "", want2 ? want2 : "", err.msg);
	else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
	bl_object_close(obj);
}

static char *replaced(const char *line, const char *with)
{
	static char buf[2048];
	const char *p = strstr(crafted, line);

	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - crafted), crafted, with, p + strlen(line));
	return buf;
}

static void test_crafted_configs(void)
{
	char plain[] = "/tmp/ktest_externs_cfg.XXXXXX", gz[64];
	int fd = mkstemp(plain);

	T_EXPECT("externs/kconfig/crafted", fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	snprintf(gz, sizeof(gz), "%s.gz", plain);
	write_file(plain, crafted, strlen(crafted));
	write_gzip(gz, crafted);
	test_crafted("plain", plain);
	test_crafted("gzip", gz);
	unlink(gz);

	expect_refused("missing-strong", replaced("CONFIG_HZ=1000\n", ""), plain, "extern CONFIG_HZ",
		       "__weak");
	expect_refused("bool-is-module", replaced("CONFIG_BPF_SYSCALL=y", "CONFIG_BPF_SYSCALL=m"), plain,
		       "CONFIG_BPF_SYSCALL is a bool", "module");
	expect_refused("out-of-range", replaced("CONFIG_NR_CPUS=65535", "CONFIG_NR_CPUS=65536"), plain,
		       "CONFIG_NR_CPUS", "does not fit");
	expect_refused("string-for-int", replaced("CONFIG_HZ=1000", "CONFIG_HZ=\"fast\""), plain,
		       "CONFIG_HZ is an integer", "string");
	expect_refused("malformed-line", replaced("CONFIG_HZ=1000", "CONFIG_HZ 1000"), plain, "line 3", plain);
	unlink(plain);
	expect_refused("no-file", NULL, "/nonexistent/kernel-config", "/nonexistent/kernel-config",
		       "needs the kernel's configuration");
}

/* A weak kfunc the kernel lacks, called without bpf_ksym_exists(). */
static void test_unguarded_call(void)
{
	const char *name = "externs/kfunc/weak-missing-unguarded";
	struct bl_object *obj;
	struct bl_err err;
	int ret;

	obj = open_embedded("externs_kconfig", KCONFIG_OBJ, NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	ret = bl_object_create_maps(obj, &err);
	if (ret) {
		t_skip(name, "maps not created: %s", err.msg);
	} else if (bl_object_load_program(obj, bl_object_program(obj, "call_unguarded"), &err) == 0) {
		t_fail(name, "the verifier accepted a call of a kfunc that does not exist");
	} else if (!strstr(err.msg, "bl_no_such_kfunc") || !strstr(err.msg, "bpf_ksym_exists")) {
		t_fail(name, "the message does not name the kfunc: %s", err.msg);
	} else {
		printf("# %s: %s\n", name, err.msg);
		t_pass(name);
	}
	bl_object_close(obj);
}

static int read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -100;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -100;
		fclose(f);
	}
	return v;
}

/* Without privileges kallsyms shows addresses as 0: a typeless ksym is
 * then refused, saying why, rather than silently set to 0. */
static void test_hidden_addresses(void)
{
	const char *name = "externs/ksym/hidden-addresses";
	int restrict_ = read_sysctl("/proc/sys/kernel/kptr_restrict");
	int paranoid = read_sysctl("/proc/sys/kernel/perf_event_paranoid");
	int status;
	pid_t pid;

	if (restrict_ == 0 && paranoid <= 1) {
		t_skip(name, "kernel.kptr_restrict 0 and perf_event_paranoid %d show addresses to everyone", paranoid);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct bl_object *obj;
		struct bl_err err;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		obj = open_embedded("externs_kconfig", KCONFIG_OBJ, NULL, &err);
		if (!obj)
			_exit(4);
		if (bl_object_create_maps(obj, &err) == 0)
			_exit(5);
		printf("# %s: as uid 65534: %s\n", name, err.msg);
		fflush(stdout);
		_exit(strstr(err.msg, "extern schedule") && strstr(err.msg, "every address as 0") ? 0 : 6);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		t_fail(name, "the unprivileged load did not fail saying addresses are hidden (status %d)",
		       WEXITSTATUS(status));
	else
		t_pass(name);
}

/* ---- a typed ksym: per-CPU run queues ------------------------------------------------------- */

static int run_on_cpu(struct bl_object *obj, int cpu, struct typed_seen *t, struct bl_err *err)
{
	struct bl_program *prog = bl_object_program(obj, "read_runqueues");
	cpu_set_t set;
	int ret;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return bl_fail(err, errno, "cannot run on CPU %d", cpu);
	ret = test_run(prog->fd);
	if (ret)
		return bl_fail(err, -ret, "BPF_PROG_TEST_RUN: %s", bl_errno_name(-ret));
	return bl_object_var_read(obj, "typed", t, sizeof(*t), err);
}

/* Is there a BTF_KIND_VAR named name in the kernel's vmlinux BTF?  Our
 * own walk over the raw types, independent of the loader's reader; -1
 * when the file cannot be read. */
static int btf_has_var(const char *name)
{
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");
	unsigned char *buf = NULL;
	size_t size = 0, cap = 0, n;
	struct btf_header hdr;
	size_t off, end;
	int found = 0;

	if (!f)
		return -1;
	do {
		if (size == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 1 << 22)))
			break;
		size += n = fread(buf + size, 1, cap - size, f);
	} while (n);
	fclose(f);
	if (!buf || size < sizeof(hdr)) {
		free(buf);
		return -1;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	off = hdr.hdr_len + hdr.type_off;
	end = off + hdr.type_len;
	if (end > size || hdr.hdr_len + (size_t)hdr.str_off + hdr.str_len > size) {
		free(buf);
		return -1;
	}
	while (!found && off + sizeof(struct btf_type) <= end) {
		struct btf_type t;
		unsigned int kind, vlen;
		size_t extra = 0;

		memcpy(&t, buf + off, sizeof(t));
		kind = BTF_INFO_KIND(t.info);
		vlen = BTF_INFO_VLEN(t.info);
		switch (kind) {
		case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: extra = 4; break;
		case BTF_KIND_ARRAY: extra = 12; break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
			extra = 12 * (size_t)vlen; break;
		case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO: extra = 8 * (size_t)vlen; break;
		default: break;	/* PTR, FWD, TYPEDEF, qualifiers, FUNC, FLOAT, TYPE_TAG */
		}
		if (kind == BTF_KIND_VAR && t.name_off < hdr.str_len &&
		    strncmp((char *)buf + hdr.hdr_len + hdr.str_off + t.name_off, name,
			    hdr.str_len - t.name_off) == 0)
			found = 1;
		off += sizeof(t) + extra;
	}
	free(buf);
	return found;
}

static void test_typed_ksym(void)
{
	const char *name = "externs/typed-ksym/runqueues";
	unsigned long long addr;
	int listed = kallsyms_addr("runqueues", &addr), cpus = (int)sysconf(_SC_NPROCESSORS_ONLN), cpu;
	struct typed_seen t[2];
	struct bl_object *obj;
	struct bl_err err;
	cpu_set_t all;
	int ret;

	obj = open_embedded("externs_typed", externs_typed_bpf, EMBEDDED_SIZE(externs_typed_bpf), NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	ret = bl_object_create_maps(obj, &err);
	if (!ret)
		ret = bl_object_load_program(obj, bl_object_program(obj, "read_runqueues"), &err);
	if (!listed && ret && btf_has_var("runqueues") == 0) {
		listed = 1;	/* no VAR in BTF: the refusal below comes first */
	} else if (!listed) {
		/* the verifier finds a typed ksym's address in kallsyms */
		if (ret == 0)
			t_fail("externs/typed-ksym/refused-without-kallsyms-all", "loaded, but kallsyms has no runqueues");
		else if (!strstr(err.msg, "CONFIG_KALLSYMS_ALL"))
			t_fail("externs/typed-ksym/refused-without-kallsyms-all", "no reason given: %s", err.msg);
		else {
			printf("# externs/typed-ksym/refused-without-kallsyms-all: %s\n", err.msg);
			t_pass("externs/typed-ksym/refused-without-kallsyms-all");
		}
		t_skip(name, "this kernel lists no variables in /proc/kallsyms (CONFIG_KALLSYMS_ALL is off), so the verifier cannot place typed ksyms");
		bl_object_close(obj);
		return;
	}
	if (ret && btf_has_var("runqueues") == 0) {
		/* pahole put per-CPU variables into BTF from 1.18 on: Debian's
		 * 5.10 BTF has none; the loader must say so and what to do */
		if (!strstr(err.msg, "no VAR named runqueues") || !strstr(err.msg, "__weak"))
			t_fail("externs/typed-ksym/refused-without-btf-var", "no reason given: %s", err.msg);
		else {
			printf("# externs/typed-ksym/refused-without-btf-var: %s\n", err.msg);
			t_pass("externs/typed-ksym/refused-without-btf-var");
		}
		t_skip(name, "this kernel's BTF has no VAR runqueues (per-CPU variables are in BTF from pahole 1.18 on)");
		bl_object_close(obj);
		return;
	}
	if (ret) {
		t_fail(name, "%s", err.msg);
		bl_object_close(obj);
		return;
	}
	sched_getaffinity(0, sizeof(all), &all);
	for (cpu = 0; cpu < 2 && cpu < cpus; cpu++) {
		if (run_on_cpu(obj, cpu, &t[cpu], &err)) {
			t_fail(name, "%s", err.msg);
			goto out;
		}
		if (!t[cpu].ran || t[cpu].cpu != (__u32)cpu || !t[cpu].this_rq ||
		    t[cpu].this_rq != t[cpu].cpu_rq || t[cpu].bad_rq || t[cpu].addr != addr) {
			t_fail(name, "CPU %d: cpu %u, this %#llx, per_cpu %#llx, bad %#llx, &runqueues %#llx (kallsyms %#llx)",
			       cpu, t[cpu].cpu, (unsigned long long)t[cpu].this_rq,
			       (unsigned long long)t[cpu].cpu_rq, (unsigned long long)t[cpu].bad_rq,
			       (unsigned long long)t[cpu].addr, addr);
			goto out;
		}
	}
	if (cpus > 1 && t[0].this_rq == t[1].this_rq)
		t_fail(name, "CPUs 0 and 1 have the same run queue %#llx", (unsigned long long)t[0].this_rq);
	else {
		printf("# %s: &runqueues %#llx, CPU 0's at %#llx\n", name, addr, (unsigned long long)t[0].this_rq);
		t_pass(name);
	}
out:
	sched_setaffinity(0, sizeof(all), &all);
	bl_object_close(obj);
}

/* ---- kfuncs -------------------------------------------------------------------------------------- */

static void test_kfuncs(void)
{
	const char *name = "externs/kfunc/task-from-pid";
	unsigned long long addr;
	struct kfunc_seen k;
	struct bl_object *obj;
	struct bl_err err;
	int pid = getpid(), ret;

	obj = open_embedded("externs_kfunc", externs_kfunc_bpf, EMBEDDED_SIZE(externs_kfunc_bpf), NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	T_EXPECT(name, bl_object_var_write(obj, "target_pid", &pid, sizeof(pid), &err) == 0, "%s", err.msg);
	ret = load_and_run(obj, "call_kfuncs", &err);
	if (!kallsyms_addr("bpf_task_from_pid", &addr)) {
		if (ret == 0)
			t_fail("externs/kfunc/refused-missing", "loaded, but the kernel has no bpf_task_from_pid");
		else if (!strstr(err.msg, "extern bpf_") || !strstr(err.msg, "bpf_ksym_exists"))
			t_fail("externs/kfunc/refused-missing", "the message names no kfunc: %s", err.msg);
		else {
			printf("# externs/kfunc/refused-missing: %s\n", err.msg);
			t_pass("externs/kfunc/refused-missing");
		}
		t_skip(name, "this kernel has no bpf_task_from_pid (Linux 6.2 added it)");
	} else if (ret || bl_object_var_read(obj, "kfunc", &k, sizeof(k), &err)) {
		t_fail(name, "%s", err.msg);
	} else if (!k.ran || !k.exists || !k.found || k.found != k.current || k.missing) {
		t_fail(name, "ran %u, exists %u, task of pid %d %#llx, current %#llx, pid -1 %#llx", k.ran,
		       k.exists, pid, (unsigned long long)k.found, (unsigned long long)k.current,
		       (unsigned long long)k.missing);
	} else {
		printf("# %s: bpf_task_from_pid(%d) is the current task %#llx\n", name, pid,
		       (unsigned long long)k.found);
		t_pass(name);
	}
	bl_object_close(obj);
}

/* Does any BTF object the kernel lists answer with a name and the
 * kernel_btf flag (Linux 5.11)?  Asked with the raw calls, not through
 * the loader's lookup under test. */
static int kernel_names_btf(void)
{
	uint32_t id = 0;
	int named = 0;

	while (!named && bl_btf_get_next_id(id, &id) == 0) {
		struct bpf_btf_info info;
		char info_name[64] = "";
		uint32_t len = sizeof(info);
		int fd = bl_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (__u64)(uintptr_t)info_name;
		info.name_len = sizeof(info_name);
		named = bl_obj_get_info(fd, &info, &len) == 0 && info.kernel_btf && info_name[0];
		close(fd);
	}
	return named;
}

/* The kernel's BTF objects by name: vmlinux always, modules if any. */
static void test_kernel_btf_fds(void)
{
	const char *name = "externs/kernel-btf-fd";
	struct bpf_btf_info info;
	char info_name[64] = "";
	uint32_t len = sizeof(info);
	struct bl_err err;
	struct dirent *de;
	DIR *d;
	int fd = bl_kernel_btf_fd("vmlinux", &err), modules = 0, bad = 0;

	if (fd < 0 && !kernel_names_btf()) {
		/* Only module BTF needs an fd (vmlinux is fd 0 to the kernel):
		 * on such a kernel the loader must say why it cannot have one. */
		if (!strstr(err.msg, "vmlinux"))
			t_fail("externs/kernel-btf-fd/unnamed", "the message does not name the BTF: %s", err.msg);
		else {
			printf("# externs/kernel-btf-fd/unnamed: %s\n", err.msg);
			t_pass("externs/kernel-btf-fd/unnamed");
		}
		t_skip(name, "this kernel lists no named kernel BTF objects (bpf_btf_info.name, Linux 5.11)");
		t_skip("externs/module-btf", "this kernel has no module BTF (Linux 5.11)");
		return;
	}
	T_EXPECT(name, fd >= 0, "%s", err.msg);
	memset(&info, 0, sizeof(info));
	info.name = (__u64)(uintptr_t)info_name;
	info.name_len = sizeof(info_name);
	T_EXPECT(name, bl_obj_get_info(fd, &info, &len) == 0 && info.kernel_btf &&
		 strcmp(info_name, "vmlinux") == 0, "fd %d is BTF %s", fd, info_name);
	close(fd);
	T_EXPECT(name, bl_kernel_btf_fd("bl_no_such_module", &err) == -ENOENT, "a module that does not exist");
	t_pass(name);

	d = opendir(BL_KERNEL_BTF_DIR);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		modules++;
		fd = bl_kernel_btf_fd(de->d_name, &err);
		bad += fd < 0;
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
	if (!modules)
		t_skip("externs/module-btf", "no kernel module with BTF is loaded (%s has only vmlinux): module ksyms, module kfuncs and fd_array are not tried here",
		       BL_KERNEL_BTF_DIR);
	else if (bad)
		t_fail("externs/module-btf", "%d of %d modules' BTF not found by name", bad, modules);
	else
		t_pass("externs/module-btf");
}

/* ---- maps the kernel takes no BTF types for ------------------------------------------------ */

static int map_info(const struct bl_map *m, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bl_obj_get_info(m->fd, info, &len);
}

/* What the kernel itself says to a map of this kind with BTF types. */
static int refused_with_btf(const struct bl_object *obj, const struct bl_map *m)
{
	struct bl_map_spec spec = m->spec;
	int fd;

	spec.btf_fd = obj->btf_fd;
	spec.btf_key_type_id = m->btf_key_type_id;
	spec.btf_value_type_id = m->btf_value_type_id;
	fd = bl_map_create(&spec);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -fd : 0;
}

static void test_map_compat(void)
{
	const char *name = "map-compat/btf-types";
	const char *no_btf[] = { "cgroups", "stacks", "timers" };
	struct bpf_map_info info;
	struct bl_object *obj;
	struct bl_map *m;
	struct bl_err err;
	size_t i;
	int code, timers_refused;

	obj = open_embedded("map_compat", map_compat_bpf, EMBEDDED_SIZE(map_compat_bpf), NULL, &err);
	T_EXPECT(name, obj, "%s", err.msg);
	if (bl_object_load(obj, &err)) {
		t_fail(name, "%s", err.msg);
		bl_object_close(obj);
		return;
	}
	if (obj->btf_fd < 0) {
		t_skip(name, "the kernel refused the object's BTF: %s", obj->notes);
		bl_object_close(obj);
		return;
	}
	/* cgroup arrays and stack traces never get BTF types from the
	 * loader; the per-CPU map holding a bpf_timer is retried without
	 * them only where the kernel refuses it with them (5.15 and later
	 * know bpf_timer and refuse it in per-CPU maps; 5.10 takes the
	 * struct as any other) */
	timers_refused = refused_with_btf(obj, bl_object_map(obj, "timers"));
	for (i = 0; i < 3; i++) {
		int want_btf = i == 2 && !timers_refused;

		m = bl_object_map(obj, no_btf[i]);
		if (!m || map_info(m, &info) || !m->btf_value_type_id ||
		    (info.btf_value_type_id != 0) != want_btf || (info.btf_key_type_id != 0) != want_btf) {
			t_fail(name, "map %s: created with BTF key %u value %u (declared %u)", no_btf[i],
			       info.btf_key_type_id, info.btf_value_type_id, m ? m->btf_value_type_id : 0);
			goto out;
		}
	}
	m = bl_object_map(obj, "counts");
	if (map_info(m, &info) || !info.btf_value_type_id || info.btf_value_type_id != m->btf_value_type_id) {
		t_fail(name, "map counts lost its BTF value type");
		goto out;
	}
	if (!strstr(obj->notes, "map timers was created without") != !timers_refused ||
	    strstr(obj->notes, "cgroups") || strstr(obj->notes, "stacks")) {
		t_fail(name, "notes: %s", obj->notes);
		goto out;
	}
	printf("# %s: note: %s%s\n", name, obj->notes,
	       timers_refused ? "" : " (this kernel takes the bpf_timer map with its BTF types)");
	t_pass(name);

	/* the kernel's own answers, for the record */
	for (i = 0; i < 3; i++) {
		char what[64];

		snprintf(what, sizeof(what), "map-compat/kernel-refuses-btf/%s", no_btf[i]);
		code = refused_with_btf(obj, bl_object_map(obj, no_btf[i]));
		if (code)
			printf("# %s: BPF_MAP_CREATE with BTF types: %s\n", what, bl_errno_name(code));
		if (code)
			t_pass(what);
		else
			t_skip(what, "this kernel accepts BTF types for it");
	}
out:
	bl_object_close(obj);
}

int main(int argc, char **argv)
{
	struct ktest_options opts;

	if (ktest_parse_options(argc, argv, &opts))
		return 2;
	if (geteuid() != 0) {
		printf("SKIP externs: not root; run as root (sudo make test-host)\n");
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	bl_raise_memlock_limit();
	test_running_kernel();
	test_kconfig_map();
	test_crafted_configs();
	test_unguarded_call();
	test_hidden_addresses();
	test_typed_ksym();
	test_kfuncs();
	test_kernel_btf_fds();
	test_map_compat();
	return t_exit_code();
}
