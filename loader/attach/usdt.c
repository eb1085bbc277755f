// SPDX-License-Identifier: BSD-2-Clause
/*
 * usdt.c - a program on every place of a USDT probe, with its argument
 * specs where usdt.bpf.h looks for them.
 *
 * Syscalls: those of uprobe.c (perf_event_open, BPF_LINK_CREATE, ioctl,
 * tracefs), of usdt_specs.c (BPF_OBJ_GET_INFO_BY_FD, map lookups and
 * updates), bpf(BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM) on
 * __bpf_usdt_ip_to_spec_id, stat(2) and a read of /proc/PID/maps.
 *
 * Order matters twice.  Attaching: a place's spec (and, without cookies,
 * its address) is in the maps before its uprobe exists, so the first hit
 * already finds it.  Detaching: every uprobe is gone before the entries
 * are taken out.
 */
#include "attach/usdt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "attach/attachment.h"
#include "attach/binary_path.h"
#include "attach/uprobe.h"
#include "attach/usdt_args.h"
#include "attach/usdt_notes.h"
#include "elf/elf_file.h"
#include "elf/elf_segments.h"
#include "elf/elf_symbols.h"
#include "object/object.h"
#include "sys/bpf_link.h"

static int check_program(const struct bl_program *prog, const char *what, struct bl_err *err)
{
	if (prog->fd < 0)
		return bl_fail(err, EBADF, "attaching %s to %s: the program is not loaded", prog->name, what);
	if (prog->kind->prog_type != BPF_PROG_TYPE_KPROBE ||
	    prog->kind->expected_attach_type == BL_BPF_TRACE_UPROBE_MULTI)
		return bl_fail(err, EINVAL, "attaching %s to %s: USDT probes need a kprobe program (SEC(\"usdt\")), this is a %s program",
			       prog->name, what, bl_prog_type_name(prog->kind->prog_type));
	return 0;
}

static int find_symbol(const char *name, uint64_t *vaddr, void *ctx)
{
	return bl_elf_find_data_symbol(ctx, name, vaddr, NULL);
}

/* The slot holding exactly this spec, if we filled one already. */
static int find_same_spec(struct bl_usdt_attachment *u, const unsigned char *value,
			  unsigned char *const *values, uint32_t *id)
{
	size_t i;

	for (i = 0; i < u->spec_cnt; i++)
		if (memcmp(values[i], value, u->maps.spec_size) == 0) {
			*id = u->spec_ids[i];
			return 1;
		}
	return 0;
}

/* Parse each place's arguments, and fill one slot per distinct spec. */
static int fill_specs(struct bl_usdt_attachment *u, const struct bl_elf *elf, const char *path,
		      const struct bl_usdt_probe *probes, uint64_t cookie, struct bl_err *err)
{
	unsigned char **values = calloc(u->site_cnt, sizeof(*values));
	struct bl_usdt_args args;
	size_t i;
	int ret = 0;

	u->spec_ids = calloc(u->site_cnt, sizeof(*u->spec_ids));
	if (!values || !u->spec_ids) {
		free(values);
		return bl_fail(err, ENOMEM, "out of memory");
	}
	for (i = 0; !ret && i < u->site_cnt; i++) {
		const struct bl_usdt_probe *p = &probes[i];
		unsigned char *value = malloc(u->maps.spec_size);

		if (!value) {
			ret = bl_fail(err, ENOMEM, "out of memory");
			break;
		}
		ret = bl_usdt_parse_args(p->note.args, bl_elf_machine(elf), p->vaddr, find_symbol,
					 (void *)elf, &args, err);
		if (!ret)
			ret = bl_usdt_encode_spec(&args, cookie, u->maps.spec_size, value, err);
		if (ret) {
			bl_err_context(err, "%s: USDT probe %s:%s at 0x%llx", path, p->note.provider,
				       p->note.name, (unsigned long long)p->vaddr);
			free(value);
			break;
		}
		if (find_same_spec(u, value, values, &u->sites[i].spec_id)) {
			free(value);
			continue;
		}
		ret = bl_usdt_spec_add(&u->maps, value, &u->sites[i].spec_id, err);
		if (ret) {
			free(value);
			break;
		}
		values[u->spec_cnt] = value;
		u->spec_ids[u->spec_cnt++] = u->sites[i].spec_id;
	}
	for (i = 0; i < u->spec_cnt; i++)
		free(values[i]);
	free(values);
	return ret;
}

/* Where process pid mapped byte `offset` of the file (dev, ino), or 0. */
static int64_t address_in_process(int pid, dev_t dev, ino_t ino, uint64_t offset)
{
	char path[64], line[4096];
	unsigned long long start, end, off, inode;
	unsigned int major_, minor_;
	int64_t ip = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!ip && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx %*s %llx %x:%x %llu", &start, &end, &off, &major_,
			   &minor_, &inode) != 6)
			continue;
		if (inode != ino || makedev(major_, minor_) != dev)
			continue;
		if (offset >= off && offset - off < end - start)
			ip = (int64_t)(start + (offset - off));
	}
	fclose(f);
	return ip;
}

/* Each place's address in the process where it can be known, and its
 * entry in __bpf_usdt_ip_to_spec_id (used only without cookies). */
static void add_addresses(struct bl_usdt_attachment *u, const struct bl_usdt_probe *probes,
			  uint16_t elf_type, const char *path, int pid)
{
	struct stat st;
	int have_stat = stat(path, &st) == 0;
	size_t i;

	for (i = 0; i < u->site_cnt; i++) {
		struct bl_usdt_site *s = &u->sites[i];
		uint32_t old;

		if (elf_type == ET_EXEC)
			s->ip = (int64_t)probes[i].vaddr;	/* the run-time address */
		else if (pid > 0 && have_stat)
			s->ip = address_in_process(pid, st.st_dev, st.st_ino, s->offset);
		if (!s->ip || u->maps.ip_fd < 0 || u->maps.specs_fd < 0)
			continue;
		if (bl_map_update(u->maps.ip_fd, &s->ip, &s->spec_id, BPF_NOEXIST) == 0)
			s->ip_added = 1;
		else if (bl_map_lookup(u->maps.ip_fd, &s->ip, &old) != 0 || old != s->spec_id)
			s->ip = 0;	/* taken by another attachment: unusable */
	}
}

/* Without cookies every place needs its address in the map. */
static int check_without_cookies(const struct bl_usdt_attachment *u, uint16_t elf_type,
				 const char *path, uint64_t cookie, struct bl_err *err)
{
	size_t i;

	if (u->maps.specs_fd < 0)
		return cookie ? bl_fail(err, ENOTSUP, "%s: a cookie needs BPF links for perf events (Linux 5.15)", path) : 0;
	if (u->maps.ip_fd < 0)
		return bl_fail(err, ENOTSUP, "%s: this kernel has no BPF cookies (Linux 5.15), and the program does not use __bpf_usdt_ip_to_spec_id to find its specs otherwise",
			       path);
	for (i = 0; i < u->site_cnt; i++)
		if (!u->sites[i].ip_added)
			return bl_fail(err, ENOTSUP, elf_type == ET_DYN ?
				       "%s: this kernel has no BPF cookies (Linux 5.15), so the BPF side finds a probe by its address, which in a PIE executable or shared library is known only for a given process: give its pid" :
				       "%s: this kernel has no BPF cookies (Linux 5.15), and a probe's address is already in __bpf_usdt_ip_to_spec_id for another attachment",
				       path);
	return 0;
}

static int attach_sites(struct bl_usdt_attachment *u, const struct bl_program *prog,
			const char *path, uint16_t elf_type, const struct bl_usdt_opts *opts,
			struct bl_err *err)
{
	char what[BL_BINARY_PATH_MAX + 32];
	size_t i;
	int ret, has_cookie;

	for (i = 0; i < u->site_cnt; i++) {
		struct bl_usdt_site *s = &u->sites[i];
		struct bl_uprobe_opts uo = {
			.pid = opts->pid, .ref_ctr_offset = s->sema_offset,
			.force_tracefs = opts->force_tracefs,
		};
		uint64_t cookie = u->maps.specs_fd >= 0 ? s->spec_id : opts->cookie;

		s->perf_fd = bl_uprobe_open(path, s->offset, 0, &uo, s->legacy_event, err);
		if (s->perf_fd < 0)
			return s->perf_fd;
		snprintf(what, sizeof(what), "USDT place %s:0x%llx", path, (unsigned long long)s->offset);
		ret = bl_perf_event_attach_bpf(s->perf_fd, prog->fd, cookie, opts->force_ioctl,
					       &s->link_fd, &has_cookie, what, err);
		if (!ret && i == 0) {
			u->by_cookie = has_cookie;
			if (!has_cookie)
				ret = check_without_cookies(u, elf_type, path, opts->cookie, err);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static struct bl_usdt_attachment *new_attachment(size_t site_cnt, const struct bl_usdt_probe *probes)
{
	struct bl_usdt_attachment *u = calloc(1, sizeof(*u));
	size_t i;

	if (!u)
		return NULL;
	u->maps.specs_fd = u->maps.ip_fd = -1;
	u->sites = calloc(site_cnt, sizeof(*u->sites));
	if (!u->sites) {
		free(u);
		return NULL;
	}
	u->site_cnt = site_cnt;
	for (i = 0; i < site_cnt; i++) {
		u->sites[i].offset = probes[i].offset;
		u->sites[i].sema_offset = probes[i].sema_offset;
		u->sites[i].perf_fd = u->sites[i].link_fd = -1;
	}
	return u;
}

static struct bl_attachment *wrap(struct bl_usdt_attachment *u, const char *path, const char *provider,
			    const char *name, struct bl_err *err)
{
	struct bl_attachment *link = calloc(1, sizeof(*link));

	if (!link) {
		bl_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	link->perf_fd = link->bpf_fd = -1;
	link->usdt = u;
	snprintf(link->target, sizeof(link->target), "usdt %.70s:%s:%s (%zu place%s)", path,
		 provider, name, u->site_cnt, u->site_cnt == 1 ? "" : "s");
	return link;
}

struct bl_attachment *bl_attach_usdt(const struct bl_program *prog, const char *binary,
			       const char *provider, const char *name,
			       const struct bl_usdt_opts *opts, struct bl_err *err)
{
	static const struct bl_usdt_opts none;
	char path[BL_BINARY_PATH_MAX];
	struct bl_usdt_attachment *u = NULL;
	struct bl_usdt_probe *probes = NULL;
	struct bl_elf_file file;
	struct bl_attachment *link = NULL;
	uint16_t elf_type;
	size_t count;

	if (!opts)
		opts = &none;
	if (check_program(prog, binary, err) || bl_binary_path(binary, opts->pid, path, err) ||
	    bl_elf_file_open(&file, path, err))
		return NULL;
	elf_type = bl_elf_file_type(&file.elf);
	if (bl_usdt_find_probes(&file.elf, path, provider, name, &probes, &count, err))
		goto out;
	u = new_attachment(count, probes);
	if (!u) {
		bl_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	if (bl_usdt_maps_of_program(prog->fd, &u->maps, err) ||
	    (u->maps.specs_fd >= 0 && fill_specs(u, &file.elf, path, probes, opts->cookie, err)))
		goto out;
	add_addresses(u, probes, elf_type, path, opts->pid);
	if (attach_sites(u, prog, path, elf_type, opts, err) == 0)
		link = wrap(u, path, provider, name, err);
out:
	if (!link && u)
		bl_usdt_detach(u, NULL);
	free(probes);
	bl_elf_file_close(&file);
	return link;
}

struct bl_attachment *bl_attach_usdt_spec(const struct bl_program *prog, const char *spec,
				    struct bl_err *err)
{
	char buf[BL_BINARY_PATH_MAX + 256], *provider, *name;

	snprintf(buf, sizeof(buf), "%s", spec);
	provider = strchr(buf, ':');
	name = provider ? strchr(provider + 1, ':') : NULL;
	if (strlen(spec) >= sizeof(buf) || !name || provider == buf || name == provider + 1 ||
	    !name[1] || strchr(name + 1, ':')) {
		bl_fail(err, EINVAL, "section %s: expected usdt/PATH:PROVIDER:NAME", prog->section_name);
		return NULL;
	}
	*provider++ = '\0';
	*name++ = '\0';
	return bl_attach_usdt(prog, buf, provider, name, NULL, err);
}

int bl_usdt_detach(struct bl_usdt_attachment *u, struct bl_err *err)
{
	size_t i;
	int ret = 0, r;

	if (!u)
		return 0;
	for (i = 0; i < u->site_cnt; i++) {
		struct bl_usdt_site *s = &u->sites[i];

		if (s->link_fd >= 0)
			close(s->link_fd);
		if (s->perf_fd >= 0)
			close(s->perf_fd);
		r = bl_uprobe_remove_legacy(s->legacy_event, ret ? NULL : err);
		if (r && !ret)
			ret = r;
	}
	for (i = 0; i < u->site_cnt; i++)
		if (u->sites[i].ip_added)
			bl_map_delete(u->maps.ip_fd, &u->sites[i].ip);
	for (i = 0; i < u->spec_cnt; i++)
		bl_usdt_spec_remove(&u->maps, u->spec_ids[i]);
	bl_usdt_maps_close(&u->maps);
	free(u->spec_ids);
	free(u->sites);
	free(u);
	return ret;
}
