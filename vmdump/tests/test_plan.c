// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan on hand-written devices: query-memory-devices parsed, the
 * mode chosen, the --pmem-range arguments and the expected dump size
 * worked out here by hand; backing files found on a saved /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "src/plan.h"
#include "util/tests/fakeroot.h"

/* As QEMU 7.2 answered here, plus a DIMM below and a second NVDIMM. */
#define DEVICES \
	"[{\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/mem2\", \"hotplugged\": false," \
	" \"addr\": 4563402752, \"hotpluggable\": true, \"size\": 134217728, \"slot\": 2," \
	" \"node\": 0, \"id\": \"nv2\"}}," \
	" {\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/mem1\", \"hotplugged\": false," \
	" \"addr\": 4294967296, \"hotpluggable\": true, \"size\": 268435456, \"slot\": 0," \
	" \"node\": 0, \"id\": \"nv1\"}}," \
	" {\"type\": \"dimm\", \"data\": {\"memdev\": \"/objects/ram1\", \"hotplugged\": false," \
	" \"addr\": 4160749568, \"hotpluggable\": true, \"size\": 67108864, \"slot\": 1," \
	" \"node\": 0}}]"

static void parse(struct vm_plan *p, const char *json, int want)
{
	struct json_object *list = json_tokener_parse(json);
	struct log_ctx log;

	assert_non_null(list);
	log_init(&log, "pmemdump-vm");
	memset(p, 0, sizeof(*p));
	assert_int_equal(vm_memdevs_parse(p, list, &log), want);
	json_object_put(list);
	log_destroy(&log);
}

static void parse_devices(void **state)
{
	struct vm_plan p;

	(void)state;
	parse(&p, DEVICES, 0);
	assert_int_equal(p.nr_devs, 3);
	/* Sorted by address: the DIMM at 0xf8000000, nv1, nv2. */
	assert_string_equal(p.devs[0].type, "dimm");
	assert_string_equal(p.devs[0].name, "dimm slot 1");
	assert_int_equal(p.devs[0].addr, 0xf8000000);
	assert_false(vm_memdev_is_nvdimm(&p.devs[0]));
	assert_string_equal(p.devs[1].name, "nv1");
	assert_string_equal(p.devs[1].memdev, "/objects/mem1");
	assert_int_equal(p.devs[1].addr, 0x100000000);
	assert_int_equal(p.devs[1].size, 0x10000000);
	assert_true(vm_memdev_is_nvdimm(&p.devs[1]));
	assert_string_equal(p.devs[2].name, "nv2");
	assert_int_equal(p.devs[2].addr, 0x110000000);
	vm_plan_free(&p);

	/* virtio-mem says "memaddr". */
	parse(&p, "[{\"type\": \"virtio-mem\", \"data\": {\"memaddr\": 8589934592, \"size\": 1048576,"
		  " \"id\": \"vm0\", \"memdev\": \"/objects/vmem\"}}]", 0);
	assert_true(p.devs[0].has_addr);
	assert_int_equal(p.devs[0].addr, 0x200000000);
	vm_plan_free(&p);

	/* An NVDIMM that is not whole pages cannot be a --pmem-range. */
	parse(&p, "[{\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/m\", \"addr\": 4294967296,"
		  " \"size\": 268434944, \"id\": \"odd\"}}]", -PMD_EUNSUPPORTED);
	vm_plan_free(&p);
	parse(&p, "{\"not\": \"a list\"}", -PMD_ECORRUPT);
	vm_plan_free(&p);
}

/* Both NVDIMMs file-backed: backing mode, QEMU dumps [0, nv1's start). */
static void choose_backing(void **state)
{
	struct log_ctx log;
	char **args, text[1024];
	struct vm_plan p;
	size_t nr;

	(void)state;
	log_init(&log, "pmemdump-vm");
	parse(&p, DEVICES, 0);
	strcpy(p.devs[1].path, "/srv/nv1.img");
	strcpy(p.devs[2].path, "/srv/nv2.img");
	p.base_ram = 128 << 20;
	vm_plan_choose(&p, false);
	assert_int_equal(p.mode, VM_MODE_BACKING);
	assert_int_equal(p.nr_nvdimms, 2);
	assert_int_equal(p.lowest_nvdimm, 0x100000000);
	assert_string_equal(p.note, "");
	/* 128 MiB of RAM + the 64 MiB DIMM + 32 MiB slack; no pmem. */
	assert_int_equal(p.expected_bytes, (128 + 64 + 32) << 20);
	assert_int_equal(vm_plan_pmem_args(&p, &args, &nr, &log), 0);
	assert_int_equal(nr, 2);
	assert_string_equal(args[0], "--pmem-range=0x100000000-0x110000000:/srv/nv1.img");
	assert_string_equal(args[1], "--pmem-range=0x110000000-0x118000000:/srv/nv2.img");
	vm_args_free(args, nr);
	vm_plan_describe(&p, text, sizeof(text));
	assert_string_equal(text, "backing mode: QEMU dumps [0, 0x100000000); pmem nv1 [0x100000000, "
				  "0x110000000) from /srv/nv1.img, nv2 [0x110000000, 0x118000000) from "
				  "/srv/nv2.img");

	/* --full: the same devices, everything from QEMU, ranges without files. */
	vm_plan_choose(&p, true);
	assert_int_equal(p.mode, VM_MODE_FULL);
	assert_int_equal(p.expected_bytes, (128 + 64 + 256 + 128 + 32) << 20);
	assert_int_equal(vm_plan_pmem_args(&p, &args, &nr, &log), 0);
	assert_int_equal(nr, 2);
	assert_string_equal(args[0], "--pmem-range=0x100000000-0x110000000");
	assert_string_equal(args[1], "--pmem-range=0x110000000-0x118000000");
	vm_args_free(args, nr);
	vm_plan_describe(&p, text, sizeof(text));
	assert_string_equal(text, "full mode (--full): QEMU dumps all memory; makedumpfile filters pmem "
				  "nv1 [0x100000000, 0x110000000), nv2 [0x110000000, 0x118000000)");
	vm_plan_free(&p);
	log_destroy(&log);
}

static void choose_full(void **state)
{
	struct vm_plan p, q;
	char text[1024];

	(void)state;
	/* One NVDIMM that cannot stand in: full mode, its reason the note. */
	parse(&p, DEVICES, 0);
	strcpy(p.devs[1].path, "/srv/nv1.img");
	strcpy(p.devs[2].why, "its backend has share=off: the guest's writes do not reach nv2.img");
	vm_plan_choose(&p, false);
	assert_int_equal(p.mode, VM_MODE_FULL);
	assert_string_equal(p.note, "NVDIMM nv2: its backend has share=off: the guest's writes do not reach nv2.img");

	/* RAM above the NVDIMMs: begin/length cannot cut it out. */
	parse(&q, "[{\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/mem1\", \"addr\": 4294967296,"
		  " \"size\": 268435456, \"id\": \"nv1\"}},"
		  " {\"type\": \"virtio-mem\", \"data\": {\"memaddr\": 8589934592, \"size\": 1048576,"
		  " \"id\": \"vm0\", \"memdev\": \"/objects/vmem\"}}]", 0);
	strcpy(q.devs[0].path, "/srv/nv1.img");
	vm_plan_choose(&q, false);
	assert_int_equal(q.mode, VM_MODE_FULL);
	assert_string_equal(q.note, "the virtio-mem device vm0 at 0x200000000 lies above the lowest NVDIMM (0x100000000)");
	assert_false(vm_plan_same(&p, &q));
	vm_plan_free(&q);

	/* A device without an address might be anywhere. */
	parse(&q, "[{\"type\": \"nvdimm\", \"data\": {\"memdev\": \"/objects/mem1\", \"addr\": 4294967296,"
		  " \"size\": 268435456, \"id\": \"nv1\"}},"
		  " {\"type\": \"hv-balloon\", \"data\": {\"id\": \"hvb\"}}]", 0);
	strcpy(q.devs[0].path, "/srv/nv1.img");
	vm_plan_choose(&q, false);
	assert_int_equal(q.mode, VM_MODE_FULL);
	assert_string_equal(q.note, "the hv-balloon device hvb has no address: a dump below the NVDIMMs might miss it");
	vm_plan_free(&q);

	/* No NVDIMM: full, nothing to say but that. */
	parse(&q, "[]", 0);
	q.base_ram = 1 << 30;
	vm_plan_choose(&q, false);
	assert_int_equal(q.mode, VM_MODE_FULL);
	assert_int_equal(q.nr_nvdimms, 0);
	assert_int_equal(q.expected_bytes, (1 << 30) + (32 << 20));
	vm_plan_describe(&q, text, sizeof(text));
	assert_string_equal(text, "full mode: the guest has no NVDIMM");
	vm_plan_free(&q);

	/* Same plans: another file is another plan. */
	parse(&q, DEVICES, 0);
	strcpy(q.devs[1].path, "/srv/nv1.img");
	strcpy(q.devs[2].why, p.devs[2].why);
	vm_plan_choose(&q, false);
	assert_true(vm_plan_same(&p, &q));
	strcpy(q.devs[1].path, "/srv/other.img");
	vm_plan_choose(&q, false);
	assert_false(vm_plan_same(&p, &q));
	vm_plan_free(&q);
	vm_plan_free(&p);
}

/* ------------------------------------------------ backing files */

static struct vm_memdev nvdimm(uint64_t size)
{
	struct vm_memdev d = { .has_addr = true, .addr = 0x100000000, .size = size };

	strcpy(d.type, "nvdimm");
	strcpy(d.name, "nv1");
	return d;
}

static void backing_files(void **state)
{
	char *dir = fake_root_new(), path[PATH_MAX + 64], want[2 * PATH_MAX];
	struct vm_memdev d = nvdimm(8192);
	char zero[8192] = { 0 };

	(void)state;
	fake_write_len(dir, "nv1.img", zero, sizeof(zero));
	fake_write_len(dir, "short.img", zero, 4096);
	fake_mkdir(dir, "hugepages");
	snprintf(path, sizeof(path), "%s/nv1.img", dir);

	/* Absolute, nobody's maps to check (pid unknown): taken as it is. */
	assert_true(vm_backing_resolve(&d, path, 0, "/proc"));
	assert_string_equal(d.path, path);
	assert_string_equal(d.why, "");

	/* Absolute, but the process does not map it: replaced, or another file. */
	assert_false(vm_backing_resolve(&d, path, getpid(), "/proc"));
	snprintf(want, sizeof(want), "QEMU does not map its mem-path %s (replaced since QEMU opened it?)", path);
	assert_string_equal(d.why, want);
	assert_string_equal(d.path, "");

	snprintf(path, sizeof(path), "%s/short.img", dir);
	assert_false(vm_backing_resolve(&d, path, 0, "/proc"));
	snprintf(want, sizeof(want), "its mem-path %s is shorter than the NVDIMM", path);
	assert_string_equal(d.why, want);

	/* A directory: QEMU made a nameless file in it. */
	snprintf(path, sizeof(path), "%s/hugepages", dir);
	assert_false(vm_backing_resolve(&d, path, 0, "/proc"));
	snprintf(want, sizeof(want), "its mem-path %s is not a regular file or block device", path);
	assert_string_equal(d.why, want);

	snprintf(path, sizeof(path), "%s/gone.img", dir);
	assert_false(vm_backing_resolve(&d, path, 0, "/proc"));
	snprintf(want, sizeof(want), "its mem-path %s: No such file or directory", path);
	assert_string_equal(d.why, want);

	/* Relative, and QEMU's pid unknown: no directory to resolve it in. */
	assert_false(vm_backing_resolve(&d, "nv1.img", 0, "/proc"));
	assert_string_equal(d.why, "its mem-path nv1.img is relative and QEMU's pid is unknown: "
				   "give QEMU an absolute mem-path");
	fake_root_free(dir);
}

/*
 * Relative paths on a saved /proc: QEMU's cwd still the folder it opened
 * the file in; moved to / (-daemonize), the file found in its maps by its
 * name; two mapped files of that name: not guessed.
 */
static void backing_relative(void **state)
{
	char *dir = fake_root_new(), *proc = fake_root_new(), real[PATH_MAX], path[PATH_MAX + 64];
	char maps[3 * PATH_MAX], want[PATH_MAX + 64];
	struct vm_memdev d = nvdimm(8192);
	char zero[8192] = { 0 };
	struct stat st;

	(void)state;
	fake_write_len(dir, "img/nv1.img", zero, sizeof(zero));
	fake_write_len(dir, "other/nv1.img", zero, sizeof(zero));
	assert_non_null(realpath(dir, real));
	snprintf(path, sizeof(path), "%s/img/nv1.img", real);
	assert_int_equal(stat(path, &st), 0);
	/* A maps line as the kernel prints it: dev in hex, inode in decimal. */
	snprintf(maps, sizeof(maps),
		 "55d0c0000000-55d0c0100000 r-xp 00000000 fd:01 1234 /usr/bin/qemu-system-x86_64\n"
		 "7f0000000000-7f0000002000 rw-s 00000000 %02x:%02x %llu                  %s\n"
		 "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n",
		 major(st.st_dev), minor(st.st_dev), (unsigned long long)st.st_ino, path);
	fake_write(proc, "4242/maps", maps);
	snprintf(want, sizeof(want), "%s/img", real);
	fake_symlink(proc, "4242/cwd", want);

	assert_true(vm_backing_resolve(&d, "nv1.img", 4242, proc));
	assert_string_equal(d.path, path);
	assert_true(vm_backing_resolve(&d, "./nv1.img", 4242, proc));
	assert_string_equal(d.path, path);
	/* Absolute and in the maps. */
	assert_true(vm_backing_resolve(&d, path, 4242, proc));

	/* -daemonize: the cwd is / now; the maps still name the file. */
	fake_unlink(proc, "4242/cwd");
	fake_symlink(proc, "4242/cwd", "/");
	assert_true(vm_backing_resolve(&d, "nv1.img", 4242, proc));
	assert_string_equal(d.path, path);
	assert_true(vm_backing_resolve(&d, "img/nv1.img", 4242, proc));
	assert_string_equal(d.path, path);

	/* Two mapped files end in /nv1.img: which one QEMU meant is unknown. */
	snprintf(path, sizeof(path), "%s/other/nv1.img", real);
	snprintf(maps + strlen(maps), sizeof(maps) - strlen(maps),
		 "7f0000100000-7f0000102000 rw-s 00000000 00:00 1 %s\n", path);
	fake_write(proc, "4242/maps", maps);
	assert_false(vm_backing_resolve(&d, "nv1.img", 4242, proc));
	assert_string_equal(d.why, "its mem-path nv1.img is relative and QEMU's working directory does not "
				   "lead to it: give QEMU an absolute mem-path");
	fake_root_free(proc);
	fake_root_free(dir);
}

/* The live case: this process maps the file and resolves it from its own cwd. */
static void backing_live(void **state)
{
	char *dir = fake_root_new(), real[PATH_MAX], want[PATH_MAX + 64], old[PATH_MAX];
	struct vm_memdev d = nvdimm(8192);
	char zero[8192] = { 0 };
	void *map;
	int fd;

	(void)state;
	fake_write_len(dir, "nv1.img", zero, sizeof(zero));
	assert_non_null(realpath(dir, real));
	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(dir), 0);
	assert_false(vm_backing_resolve(&d, "nv1.img", getpid(), "/proc"));
	fd = open("nv1.img", O_RDWR);
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(map != MAP_FAILED);
	close(fd);
	assert_true(vm_backing_resolve(&d, "nv1.img", getpid(), "/proc"));
	snprintf(want, sizeof(want), "%s/nv1.img", real);
	assert_string_equal(d.path, want);
	munmap(map, 8192);
	assert_int_equal(chdir(old), 0);
	fake_root_free(dir);
}

static void human(void **state)
{
	char buf[32];

	(void)state;
	vm_human_bytes(5, buf, sizeof(buf));
	assert_string_equal(buf, "5 B");
	vm_human_bytes(151127123, buf, sizeof(buf));
	assert_string_equal(buf, "144.1 MiB");
	vm_human_bytes(3ULL << 30, buf, sizeof(buf));
	assert_string_equal(buf, "3.0 GiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_devices),
		cmocka_unit_test(choose_backing),
		cmocka_unit_test(choose_full),
		cmocka_unit_test(backing_files),
		cmocka_unit_test(backing_relative),
		cmocka_unit_test(backing_live),
		cmocka_unit_test(human),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
