// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `pmem-kdump check` on saved trees: a good system (tests/system.h's
 * namespaces, a /proc/iomem with 2 GiB of pmem, our kexec's load record,
 * fake kexec and makedumpfile programs that print what the real ones
 * print for their version), then one change at a time, each item's
 * PASS, WARN and FAIL with the values worked out by hand here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <endian.h>
#include <json-c/json.h>
#include <sys/time.h>

#include "src/check.h"
#include "src/cmd.h"
#include "src/kdumpenv.h"
#include "src/lastdump.h"
#include "tests/system.h"
#include "util/records.h"
#include "util/tests/fakeroot.h"

/*
 * RAM to 0x13fffffff, pmem 0x140000000-0x1bfffffff (2 GiB): the top of
 * memory is pfn 0x1c0000 = 1835008.
 */
static const char iomem_pmem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"00100000-bffdffff : System RAM\n"
	"  01000000-01ffffff : Kernel code\n"
	"  2a000000-39ffffff : Crash kernel\n"
	"100000000-13fffffff : System RAM\n"
	"140000000-1bfffffff : Persistent Memory\n"
	"  140000000-14fffffff : namespace0.0\n";

static const char iomem_nopmem[] =
	"00001000-0009fbff : System RAM\n"
	"00100000-bffdffff : System RAM\n"
	"  2a000000-39ffffff : Crash kernel\n"
	"100000000-13fffffff : System RAM\n";

/* What each program prints for its version (measured on bookworm and ours). */
#define KEXEC_OURS "#!/bin/sh\necho 'kexec (pmemdump) 0.1'\n"
#define KEXEC_DEBIAN "#!/bin/sh\necho 'kexec-tools 2.0.25'\n"
#define MDF_OURS "#!/bin/sh\necho 'makedumpfile (pmemdump) 0.1'\n"
#define MDF_DEBIAN "#!/bin/sh\n[ \"$1\" = -v ] || { echo \"$0: unrecognized option '$1'\" >&2; exit 1; }\n" \
	"printf 'makedumpfile: version 1.7.2 (released on 20 Oct 2022)\\nlzo\\tenabled\\n'\n"

#define RECORD(syscall, pmem, cmdline) \
	"syscall=" syscall "\nkernel=/boot/vmlinuz-capture\ninitrd=/boot/initrd.img-capture\n" \
	"pmem=" pmem "\ncmdline=" cmdline "\n"
#define CMDLINE_GUARD "root=/dev/vda1 ro nr_cpus=1 reset_devices module_blacklist=nfit"
#define CMDLINE_OPEN "root=/dev/vda1 ro nr_cpus=1 reset_devices"

/* init_size 32 MiB + initrd 16 MiB + 64 MiB floor + bitmaps (see need_values). */
#define INIT_SIZE (32 * MIB)
#define INITRD_SIZE (16 * MIB)
#define FILTER_BYTES 328192ULL
#define NEED (INIT_SIZE + INITRD_SIZE + 64 * MIB + FILTER_BYTES)

struct fixture {
	char *root;
	struct pk_table table;
	struct pk_backend be;
	struct pk_check_report r;
	struct log_ctx log;
};

static void write_exec(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX];

	fake_write(root, rel, text);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(chmod(path, 0755), 0);
}

static void sparse_file(const char *root, const char *rel, uint64_t size)
{
	char path[PATH_MAX];

	fake_write(root, rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(truncate(path, (off_t)size), 0);
}

/* A bzImage's first bytes: the boot sector signature and the setup header. */
static void fake_bzimage(const char *root, const char *rel, uint16_t version, uint32_t init_size)
{
	unsigned char h[0x1000] = { 0 };

	h[0x1fe] = 0x55;
	h[0x1ff] = 0xaa;
	memcpy(h + 0x202, "HdrS", 4);
	h[0x206] = version & 0xff;
	h[0x207] = version >> 8;
	h[0x260] = init_size & 0xff;
	h[0x261] = (init_size >> 8) & 0xff;
	h[0x262] = (init_size >> 16) & 0xff;
	h[0x263] = init_size >> 24;
	fake_write_len(root, rel, h, sizeof(h));
}

static void set_mtime(const char *root, const char *rel, time_t t)
{
	char path[PATH_MAX];
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(utimes(path, tv), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->root = fake_root_new();
	fx->table = (struct pk_table){
		.ns = test_ns, .nr_ns = NR_TEST_NS,
		.kernel = { .list = PK_LIST_PRESENT, .memmaps = test_list, .nr_memmaps = 2,
			    .page_struct_size = 64 },
	};
	fx->be = (struct pk_backend){ .ops = &pk_table_ops, .priv = &fx->table };
	fake_write(fx->root, "sys/kernel/kexec_crash_size", "268435456\n");
	fake_write(fx->root, "sys/kernel/kexec_crash_loaded", "1\n");
	fake_write(fx->root, "proc/iomem", iomem_pmem);
	fake_write(fx->root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro crashkernel=256M\n");
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_GUARD));
	fake_bzimage(fx->root, "boot/vmlinuz-capture", 0x020f, (uint32_t)INIT_SIZE);
	sparse_file(fx->root, "boot/initrd.img-capture", INITRD_SIZE);
	write_exec(fx->root, "sbin/kexec", KEXEC_OURS);
	write_exec(fx->root, "usr/sbin/makedumpfile", MDF_OURS);
	log_init(&fx->log, "pmem-kdump");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	log_destroy(&fx->log);
	fake_root_free(fx->root);
	free(fx);
	return 0;
}

static void run(struct fixture *fx)
{
	assert_int_equal(pk_check(fx->root, &fx->be, &fx->r, &fx->log), 0);
}

static void expect(const struct fixture *fx, enum pk_check_id id, enum pk_verdict v,
		   const char *reason_part)
{
	const struct pk_check_item *it = &fx->r.item[id];

	if (it->v != v || !strstr(it->reason, reason_part))
		fail_msg("%s: %s \"%s\", expected %s with \"%s\"", pk_check_name(id),
			 pk_verdict_name(it->v), it->reason, pk_verdict_name(v), reason_part);
	/* Every item that is not PASS says what to do. */
	assert_true(v == PK_PASS ? it->fix[0] == '\0' : it->fix[0] != '\0');
}

/* --------------------------------------------------------- the good system */

static void all_pass(void **state)
{
	struct fixture *fx = *state;

	run(fx);
	expect(fx, PK_CHK_CRASHKERNEL, PK_PASS, "256.00 MiB reserved at 0x2a000000-0x39ffffff");
	expect(fx, PK_CHK_CMDLINE, PK_PASS,
	       "/run/pmemdump/kexec-crash.load: \"module_blacklist=nfit\" keeps libnvdimm off pmem");
	expect(fx, PK_CHK_KEXEC, PK_PASS, "pmemdump's kexec, kexec_load, pmem=all");
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_PASS,
	       "/usr/sbin/makedumpfile (makedumpfile (pmemdump) 0.1), MAKEDUMP_ARGS \"-F -c -d 31\"");
	expect(fx, PK_CHK_RESERVATION, PK_PASS, "");
	assert_int_equal(pk_check_worst(&fx->r), PK_PASS);
	assert_true(fx->r.pmem);
}

/*
 * Item 5's sum on the good system. The namespaces keep two 4 MiB - 8 KiB
 * memmaps on pmem: 2 * 0x3fe000 = 8372224 bytes; the rest of the 2 GiB
 * is user data makedumpfile skips: (2147483648 - 8372224) / 4096 = 522244
 * pages. It scans 1835008 - 522244 = 1312764 pfns, in 64-bit words:
 * 20512 words of 8 bytes, two bitmaps: 328192 bytes.
 */
static void need_values(void **state)
{
	struct fixture *fx = *state;

	run(fx);
	assert_true(fx->r.need.known);
	assert_int_equal(fx->r.need.reserved, 268435456);
	assert_int_equal(fx->r.need.init_size, 32 * MIB);
	assert_int_equal(fx->r.need.initrd, 16 * MIB);
	assert_int_equal(fx->r.need.floor, 64 * MIB);
	assert_int_equal(fx->r.need.filter, FILTER_BYTES);
	assert_int_equal(fx->r.need.total, 117768704);
	assert_int_equal(NEED, 117768704);
}

/* ------------------------------------------------------- 1: crash kernel */

static void crash_not_reserved(void **state)
{
	struct fixture *fx = *state;

	fake_unlink(fx->root, "sys/kernel/kexec_crash_size");
	fake_write(fx->root, "proc/iomem",
		   "00100000-bffdffff : System RAM\n140000000-1bfffffff : Persistent Memory\n");
	run(fx);
	expect(fx, PK_CHK_CRASHKERNEL, PK_FAIL, "no crash kernel reservation");
	expect(fx, PK_CHK_RESERVATION, PK_FAIL, "nothing reserved");
	assert_non_null(strstr(fx->r.item[PK_CHK_CRASHKERNEL].fix, "crashkernel="));
}

static void crash_size_zero(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "sys/kernel/kexec_crash_size", "0\n");
	run(fx);
	expect(fx, PK_CHK_CRASHKERNEL, PK_FAIL, "kexec_crash_size is 0");
}

static void crash_not_loaded(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "sys/kernel/kexec_crash_loaded", "0\n");
	run(fx);
	expect(fx, PK_CHK_CRASHKERNEL, PK_FAIL, "256.00 MiB reserved, but no capture kernel is loaded");
	/* A record left behind describes no loaded kernel: no source left. */
	expect(fx, PK_CHK_CMDLINE, PK_WARN, "the capture command line is unknown");
}

static void crash_loaded_unreadable(void **state)
{
	struct fixture *fx = *state;

	fake_unlink(fx->root, "sys/kernel/kexec_crash_loaded");
	run(fx);
	expect(fx, PK_CHK_CRASHKERNEL, PK_FAIL, "kexec_crash_loaded cannot be read");
}

/* -------------------------------------------------- 2: capture cmdline */

static void cmdline_open_fails(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_OPEN));
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_FAIL,
	       "/run/pmemdump/kexec-crash.load: the capture command line lets libnvdimm start");
	assert_non_null(strstr(fx->r.item[PK_CHK_CMDLINE].fix, "module_blacklist=nfit"));
}

static void cmdline_guards(void **state)
{
	static const struct {
		const char *cmdline;
		bool guard;
		const char *word;
	} cases[] = {
		{ "a initcall_blacklist=foo_init,nfit_init b", true, "initcall_blacklist=foo_init,nfit_init" },
		{ "modprobe.blacklist=nd_pmem,nfit", true, "modprobe.blacklist=nd_pmem,nfit" },
		{ "module_blacklist=nfit", true, "module_blacklist=nfit" },
		{ "module_blacklist=nfit_x", false, "" },
		{ "module_blacklist=libnvdimm", false, "" },	/* nfit still probes the bus */
		{ "initcall_blacklist=nfit", false, "" },	/* the initcall is nfit_init */
		{ "xmodule_blacklist=nfit", false, "" },
		{ "", false, "" },
	};
	char word[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		word[0] = '\0';
		assert_int_equal(pk_cmdline_guard(cases[i].cmdline, word, sizeof(word)), cases[i].guard);
		if (cases[i].guard)
			assert_string_equal(word, cases[i].word);
	}
}

static void cmdline_initcall_passes(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_OPEN " initcall_blacklist=nfit_init"));
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS, "\"initcall_blacklist=nfit_init\" keeps libnvdimm off pmem");
}

/* No pmem: an open command line is no danger. */
static void cmdline_no_pmem(void **state)
{
	struct fixture *fx = *state;

	fx->table.nr_ns = 0;
	fake_write(fx->root, "proc/iomem", iomem_nopmem);
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_OPEN));
	write_exec(fx->root, "sbin/kexec", KEXEC_DEBIAN);
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS, "no pmem");
	expect(fx, PK_CHK_KEXEC, PK_PASS, "no pmem");
	assert_false(fx->r.pmem);
	assert_int_equal(pk_check_worst(&fx->r), PK_PASS);
}

/* kdump-tools: the saved command of the loaded kernel. */
static void cmdline_kexec_cmd(void **state)
{
	struct fixture *fx = *state;

	fake_unlink(fx->root, "run/pmemdump/kexec-crash.load");
	fake_write(fx->root, "var/crash/kexec_cmd",
		   "/sbin/kexec -p --command-line=\"root=/dev/vda1 ro reset_devices "
		   "systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb\" "
		   "--initrd=/boot/initrd.img-capture /boot/vmlinuz-capture\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_FAIL, "/var/crash/kexec_cmd: the capture command line lets");
	/* Debian's kexec would be FAIL; ours without a record loaded nothing. */
	expect(fx, PK_CHK_KEXEC, PK_WARN, "no load record");
	/* The kernel and initrd come from the saved command too. */
	assert_int_equal(fx->r.need.init_size, 32 * MIB);
	assert_int_equal(fx->r.need.initrd, 16 * MIB);
}

/* A record older than kdump-tools' saved command is another kexec's leftover. */
static void cmdline_stale_record(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "etc/default/kdump-tools", "KDUMP_COREDIR=\"/srv/crash\"\n");
	fake_write(fx->root, "srv/crash/kexec_cmd",
		   "/sbin/kexec -p --command-line=\"root=/dev/vda1 ro\" /boot/vmlinuz-capture\n");
	set_mtime(fx->root, "run/pmemdump/kexec-crash.load", 1000000);
	set_mtime(fx->root, "srv/crash/kexec_cmd", 2000000);
	write_exec(fx->root, "sbin/kexec", KEXEC_DEBIAN);
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_FAIL, "/srv/crash/kexec_cmd:");
	expect(fx, PK_CHK_KEXEC, PK_FAIL, "/sbin/kexec (kexec-tools 2.0.25), kexec_load: its crash header has no pmem");
	/* Newer than the saved command: the record wins. */
	set_mtime(fx->root, "run/pmemdump/kexec-crash.load", 3000000);
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS, "/run/pmemdump/kexec-crash.load:");
	expect(fx, PK_CHK_KEXEC, PK_PASS, "pmemdump's kexec");
}

/*
 * kdump-config writes kexec_cmd after our kexec loaded and recorded: the
 * newer file describes the same load (same kernel; the record's command
 * line is kexec_cmd's plus elfcorehdr=), so the record stays believed.
 * Seen in the kdump-tools lab, where the check said "no load record".
 */
static void cmdline_record_then_kexec_cmd(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_GUARD " elfcorehdr=0x3efff000"));
	fake_write(fx->root, "var/crash/kexec_cmd",
		   "/sbin/kexec -p --command-line=\"" CMDLINE_GUARD "\" "
		   "--initrd=/boot/initrd.img-capture /boot/vmlinuz-capture\n");
	set_mtime(fx->root, "run/pmemdump/kexec-crash.load", 1000000);
	set_mtime(fx->root, "var/crash/kexec_cmd", 1000001);
	write_exec(fx->root, "sbin/kexec", KEXEC_OURS);
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS, "/run/pmemdump/kexec-crash.load:");
	expect(fx, PK_CHK_KEXEC, PK_PASS, "pmemdump's kexec, kexec_load, pmem=all");
	/* Another kernel in the newer command: another load, the record is stale. */
	fake_write(fx->root, "var/crash/kexec_cmd",
		   "/sbin/kexec -p --command-line=\"" CMDLINE_GUARD "\" /boot/vmlinuz-other\n");
	set_mtime(fx->root, "var/crash/kexec_cmd", 1000001);
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_WARN, "no load record");
	/* The same kernel, another command line: stale too. */
	fake_write(fx->root, "var/crash/kexec_cmd",
		   "/sbin/kexec -p --command-line=\"" CMDLINE_OPEN "\" /boot/vmlinuz-capture\n");
	set_mtime(fx->root, "var/crash/kexec_cmd", 1000001);
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_FAIL, "/var/crash/kexec_cmd:");
}

/* Nothing loaded: the configuration is the next load; a gap only warns. */
static void cmdline_conf(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "sys/kernel/kexec_crash_loaded", "0\n");
	fake_unlink(fx->root, "run/pmemdump/kexec-crash.load");
	fake_write(fx->root, "etc/default/kdump-tools",
		   "# kdump-tools configuration\n"
		   "USE_KDUMP=1\n"
		   "export KDUMP_CMDLINE_APPEND='reset_devices systemd.unit=kdump-tools-dump.service "
		   "nr_cpus=1 module_blacklist=nfit'\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS,
	       "/etc/default/kdump-tools (the next load): \"module_blacklist=nfit\"");
	/* The default KDUMP_CMDLINE_APPEND has no guard. */
	fake_write(fx->root, "etc/default/kdump-tools", "USE_KDUMP=1\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_WARN, "/etc/default/kdump-tools (the next load): the capture");
	/* KDUMP_CMDLINE's default is /proc/cmdline: a guard there is inherited. */
	fake_write(fx->root, "proc/cmdline", "root=/dev/vda1 crashkernel=256M module_blacklist=nfit\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS, "\"module_blacklist=nfit\"");
}

/*
 * pmemdump's package hook sets KDUMP_CMDLINE_APPEND for kdump-config when
 * the admin file does not: with nothing loaded yet, that is the next
 * load's value. An admin's line still wins over it.
 */
static void cmdline_conf_hook(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "sys/kernel/kexec_crash_loaded", "0\n");
	fake_unlink(fx->root, "run/pmemdump/kexec-crash.load");
	fake_write(fx->root, "etc/default/kdump-tools", "USE_KDUMP=1\n");
	fake_write(fx->root, "lib/lsb/init-functions.d/60-pmemdump",
		   "case ${NAME-} in\nkdump-config | kdump-tools)\n\tumask 077\n"
		   "\tif [ -z \"${KDUMP_CMDLINE_APPEND+set}\" ]; then\n"
		   "\t\tKDUMP_CMDLINE_APPEND=\"reset_devices nr_cpus=1 module_blacklist=nfit "
		   "initcall_blacklist=nfit_init\"\n\tfi\n\t;;\nesac\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_PASS,
	       "/etc/default/kdump-tools and /lib/lsb/init-functions.d/60-pmemdump (the next load): "
	       "\"module_blacklist=nfit\"");
	fake_write(fx->root, "etc/default/kdump-tools",
		   "USE_KDUMP=1\nKDUMP_CMDLINE_APPEND=\"reset_devices nr_cpus=1\"\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_WARN, "/etc/default/kdump-tools (the next load): the capture");
}

/* ----------------------------------------------------------- 3: kexec */

static void kexec_record_pmem(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "memmap", CMDLINE_GUARD));
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_PASS, "pmem=memmap: pmem is in the crash header");
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "none", CMDLINE_GUARD));
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_WARN, "--pmem=none: the crash header leaves pmem out");
	assert_int_equal(pk_check_worst(&fx->r), PK_WARN);
}

static void kexec_file_series(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_file_load", "", CMDLINE_GUARD));
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_PASS, "kexec_file_load: the running kernel has pmemdump's series");
	fx->table.kernel.list = PK_LIST_ABSENT;
	fx->table.kernel.nr_memmaps = 0;
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_FAIL, "kexec_file_load without the series leaves pmem out");
	fx->table.kernel.list = PK_LIST_UNKNOWN;
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_WARN, "VMCOREINFO could not be read");
}

/* No record, kdump-tools with Debian's kexec as /sbin/kexec. */
static void kexec_debian(void **state)
{
	struct fixture *fx = *state;

	fake_unlink(fx->root, "run/pmemdump/kexec-crash.load");
	fake_write(fx->root, "sys/kernel/kexec_crash_loaded", "0\n");
	fake_write(fx->root, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"\"\n");
	write_exec(fx->root, "sbin/kexec", KEXEC_DEBIAN);
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_FAIL,
	       "/sbin/kexec (kexec-tools 2.0.25), kexec_load: its crash header has no pmem");
	assert_non_null(strstr(fx->r.item[PK_CHK_KEXEC].fix, "install pmemdump's kexec as /sbin/kexec"));
	/* -s: kexec_file_load, and the running kernel has the series. */
	fake_write(fx->root, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\"-s\"\n");
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_PASS, "/sbin/kexec (kexec-tools 2.0.25), kexec_file_load");
	/* Ours, not loaded yet: the next load marks pmem. */
	fake_write(fx->root, "etc/default/kdump-tools", "KDUMP_KEXEC_ARGS=\n");
	write_exec(fx->root, "sbin/kexec", KEXEC_OURS);
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_PASS, "/sbin/kexec (kexec (pmemdump) 0.1), kexec_load");
	fake_unlink(fx->root, "sbin/kexec");
	run(fx);
	expect(fx, PK_CHK_KEXEC, PK_FAIL, "/sbin/kexec is missing or does not run");
}

/* ---------------------------------------------------- 4: makedumpfile */

static void mdf_path(void **state)
{
	struct fixture *fx = *state;

	/* Debian's in /usr/bin comes before ours in /usr/sbin. */
	write_exec(fx->root, "usr/bin/makedumpfile", MDF_DEBIAN);
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_FAIL,
	       "/usr/bin/makedumpfile (makedumpfile: version 1.7.2 (released on 20 Oct 2022)) is "
	       "first in kdump's PATH (/bin:/usr/bin:/sbin:/usr/sbin)");
	/* A PATH= in the configuration puts ours first, as the lab does. */
	write_exec(fx->root, "run/lab/bin/makedumpfile", MDF_OURS);
	fake_write(fx->root, "etc/default/kdump-tools", "PATH=/run/lab/bin:/bin:/usr/bin:/sbin:/usr/sbin\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_PASS, "/run/lab/bin/makedumpfile (makedumpfile (pmemdump) 0.1)");
	/* None at all. */
	fake_write(fx->root, "etc/default/kdump-tools", "PATH=/nowhere\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_FAIL, "no makedumpfile in kdump's PATH (/nowhere)");
}

static void mdf_not_executable(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX];

	/* Not executable: skipped, as execvp skips it. */
	fake_write(fx->root, "usr/bin/makedumpfile", MDF_DEBIAN);
	snprintf(path, sizeof(path), "%s/usr/bin/makedumpfile", fx->root);
	assert_int_equal(chmod(path, 0644), 0);
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_PASS, "/usr/sbin/makedumpfile");
}

static void mdf_args(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "etc/default/kdump-tools", "MAKEDUMP_ARGS=\"-c -d 31 --pmem-userdata\"\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_FAIL, "has --pmem-userdata: dumps hold pmem user data");
	/* With user data kept nothing is skipped: 1835008 pfns, 28672 words, two bitmaps. */
	assert_int_equal(fx->r.need.filter, 458752);
	fake_write(fx->root, "etc/default/kdump-tools", "MAKEDUMP_ARGS='-F -l -d 63'\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_WARN, "MAKEDUMP_ARGS \"-F -l -d 63\": bit 32 of -d drops");
	fake_write(fx->root, "etc/default/kdump-tools", "MAKEDUMP_ARGS=\"-d47 -c\"\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_WARN, "bit 32 of -d drops pmem metadata");
	fake_write(fx->root, "etc/default/kdump-tools", "MAKEDUMP_ARGS=\"-c -d 1\"\n");
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_PASS, "MAKEDUMP_ARGS \"-c -d 1\": pmem metadata kept");
}

static void mdf_debian_no_pmem(void **state)
{
	struct fixture *fx = *state;

	fx->table.nr_ns = 0;
	fake_write(fx->root, "proc/iomem", iomem_nopmem);
	fake_unlink(fx->root, "usr/sbin/makedumpfile");
	write_exec(fx->root, "usr/sbin/makedumpfile", MDF_DEBIAN);
	run(fx);
	expect(fx, PK_CHK_MAKEDUMPFILE, PK_PASS, "1.7.2 (released on 20 Oct 2022)); no pmem");
}

/* ----------------------------------------------------- 5: reservation */

static void reservation_warn_fail(void **state)
{
	struct fixture *fx = *state;

	/* 120 MiB: the need (117768704) is above 90 % of it (113246208). */
	fake_write(fx->root, "sys/kernel/kexec_crash_size", "125829120\n");
	run(fx);
	expect(fx, PK_CHK_RESERVATION, PK_WARN, "112.31 MiB needed (kernel init_size 32.00 MiB + "
	       "initrd 16.00 MiB + 64 MiB of RAM + filter bitmaps 320.50 KiB) is within 10 % of the "
	       "120.00 MiB reserved");
	/* need * 1.1 = 129545574, in whole 64 MiB: 128M. */
	assert_string_equal(fx->r.item[PK_CHK_RESERVATION].fix, "reserve more: crashkernel=128M");
	/* 112 MiB: below the need. */
	fake_write(fx->root, "sys/kernel/kexec_crash_size", "117440512\n");
	run(fx);
	expect(fx, PK_CHK_RESERVATION, PK_FAIL, "112.31 MiB needed");
	assert_int_equal(pk_check_worst(&fx->r), PK_FAIL);
}

static void reservation_kernel_unknown(void **state)
{
	struct fixture *fx = *state;

	/* Boot protocol 2.09 has no init_size. */
	fake_bzimage(fx->root, "boot/vmlinuz-capture", 0x0209, 0);
	run(fx);
	expect(fx, PK_CHK_RESERVATION, PK_WARN, "has no init_size");
	assert_int_equal(fx->r.need.init_size, 0);
	/* Not a bzImage at all. */
	fake_write(fx->root, "boot/vmlinuz-capture", "\177ELF");
	run(fx);
	expect(fx, PK_CHK_RESERVATION, PK_WARN, "is not a bzImage");
	/* As non-root: /proc/iomem without addresses. */
	fake_bzimage(fx->root, "boot/vmlinuz-capture", 0x020f, (uint32_t)INIT_SIZE);
	fake_write(fx->root, "proc/iomem",
		   "00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n"
		   "00000000-00000000 : Persistent Memory\n");
	run(fx);
	expect(fx, PK_CHK_RESERVATION, PK_WARN, "shows no addresses (not root)");
	assert_int_equal(fx->r.need.filter, 0);
	expect(fx, PK_CHK_CRASHKERNEL, PK_PASS, "256.00 MiB reserved, a capture kernel is loaded");
}

/* ------------------------------------------------------- 6: last dump */

#define STAMP "202405061718"
#define STAMP_DIR "var/crash/" STAMP
#define DMESG_PATH "/" STAMP_DIR "/dmesg." STAMP

/* makedumpfile's record (makedumpfile/src/capture_record.c writes it). */
static void capture_record(struct fixture *fx, const char *status, const char *mode,
			   const char *dmesg, const char *output, const char *error)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "boot_id=6f1c3e0a-8c55-4d2b-9a55-0d6a1f2b3c4d\ntime=2024-05-06T17:18:40Z\n"
		 "argv=makedumpfile -c -F -d 31 -F /proc/vmcore\nmode=%s\ndmesg=%s\noutput=%s\n"
		 "status=%s\nerror=%s\npages=%s\nbytes=%s\n", mode, dmesg, output, status, error,
		 strcmp(status, "ok") || strcmp(mode, "dump") ? "" : "4242",
		 strcmp(status, "ok") || strcmp(mode, "dump") ? "" : "17371648");
	fake_write(fx->root, "var/lib/pmemdump/last-capture", text);
}

/* A flattened dump as makedumpfile -F writes it: header, two blocks, end marker. */
static void flat_dump(struct fixture *fx, const char *rel, bool whole)
{
	uint8_t buf[4096 + 2 * (16 + 100) + 16] = { 0 };
	uint64_t be[2];
	size_t len = 4096;
	char path[PATH_MAX];

	memcpy(buf, "makedumpfile", 12);
	be[0] = htobe64(1);
	memcpy(buf + 16, be, 8);
	memcpy(buf + 24, be, 8);
	for (int i = 0; i < 2; i++) {
		be[0] = htobe64((uint64_t)i * 4096);
		be[1] = htobe64(100);
		memcpy(buf + len, be, 16);
		memset(buf + len + 16, 'a' + i, 100);
		len += 116;
	}
	memset(buf + len, 0xff, 16);
	len += 16;
	fake_write_len(fx->root, rel, buf, whole ? len : len - 16);
	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	assert_int_equal(chmod(path, 0600), 0);
}

static void chmod_below(struct fixture *fx, const char *rel, mode_t mode)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	assert_int_equal(chmod(path, mode), 0);
}

/* kdump-tools' capture with pmemdump's makedumpfile, as it should end. */
static void good_capture(struct fixture *fx)
{
	fake_mkdir(fx->root, STAMP_DIR);
	chmod_below(fx, STAMP_DIR, 0700);
	fake_write(fx->root, STAMP_DIR "/dmesg." STAMP, "[    0.000000] Linux version 6.1\n");
	flat_dump(fx, STAMP_DIR "/dump." STAMP, true);
	capture_record(fx, "ok", "dump", DMESG_PATH, "-", "");
}

static void last_no_dump(void **state)
{
	struct fixture *fx = *state;

	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "no dump yet: no /var/crash/2* folder");
	/* kexec_cmd is not a stamp folder. */
	fake_write(fx->root, "var/crash/kexec_cmd", "/sbin/kexec -p x\n");
	fake_mkdir(fx->root, "var/crash/other");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "no dump yet");
}

static void last_ok(void **state)
{
	struct fixture *fx = *state;

	good_capture(fx);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS,
	       "/var/crash/" STAMP ": dump." STAMP " whole (flattened, end marker present), 4242 pages, "
	       "saved by pmemdump's makedumpfile (2024-05-06T17:18:40Z)");
	assert_int_equal(pk_check_worst(&fx->r), PK_PASS);
	/* An older folder's failure does not count: the newest is by name. */
	fake_mkdir(fx->root, "var/crash/202301010000");
	fake_write(fx->root, "var/crash/202301010000/makedumpfile.FAILED", "status=failed\nerror=old\n");
	set_mtime(fx->root, STAMP_DIR, 1000);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "whole");
	/* A dump not flattened (a compress hook, no -F) cannot be checked to its end. */
	fake_unlink(fx->root, STAMP_DIR "/dump." STAMP);
	fake_write(fx->root, STAMP_DIR "/dump." STAMP ".gz", "\x1f\x8b compressed");
	chmod_below(fx, STAMP_DIR "/dump." STAMP ".gz", 0600);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "(not flattened: its end is not checked)");
}

static void last_failed(void **state)
{
	struct fixture *fx = *state;

	good_capture(fx);
	/* The record of this folder says failed; the stream was cut. */
	capture_record(fx, "failed", "dump", DMESG_PATH, "-",
		       "cannot write the flattened dump to standard output: Broken pipe");
	flat_dump(fx, STAMP_DIR "/dump." STAMP, false);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL,
	       "/var/crash/" STAMP ": makedumpfile failed (2024-05-06T17:18:40Z): cannot write the "
	       "flattened dump to standard output: Broken pipe");
	assert_non_null(strstr(fx->r.item[PK_CHK_LAST_DUMP].fix, REC_CAPTURE_PATH));
	assert_string_equal(fx->r.last.capture, "failed");
	assert_string_equal(fx->r.last.dir, "/var/crash/" STAMP);
	assert_string_equal(fx->r.last.dump, "dump." STAMP);

	/* Killed: the record still says what the run wrote at its start. */
	capture_record(fx, "failed", "dump", DMESG_PATH, "-", "did not finish (killed, or the system went down)");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL, "did not finish");

	/* makedumpfile.FAILED beside the dump, whatever the record says. */
	capture_record(fx, "ok", "dump", DMESG_PATH, "-", "");
	flat_dump(fx, STAMP_DIR "/dump." STAMP, true);
	fake_write(fx->root, STAMP_DIR "/" REC_CAPTURE_FAILED_NAME,
		   "status=failed\nerror=cannot read the kernel log: printk ring is corrupt\n");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL,
	       "/var/crash/" STAMP ": makedumpfile failed (makedumpfile.FAILED): cannot read the kernel "
	       "log: printk ring is corrupt");
	assert_int_equal(pk_check_worst(&fx->r), PK_FAIL);
}

/* The record says ok, but what kdump-tools kept is cut short or empty. */
static void last_cut_or_empty(void **state)
{
	struct fixture *fx = *state;

	good_capture(fx);
	flat_dump(fx, STAMP_DIR "/dump." STAMP, false);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL,
	       "/var/crash/" STAMP "/dump." STAMP " ends after 4328 bytes and 2 data blocks without the "
	       "flattened end marker: cut short");
	fake_write(fx->root, STAMP_DIR "/dump." STAMP, "");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL, "dump." STAMP " is empty");
	/* No dump.* at all: kdump-tools' compressor failed, it kept a vmcore copy. */
	fake_unlink(fx->root, STAMP_DIR "/dump." STAMP);
	fake_write(fx->root, STAMP_DIR "/vmcore." STAMP, "ELF");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL, "no dump.* file");
}

/* A failure with no folder: kdump-tools could not make one, or this ran by hand. */
static void last_failed_without_folder(void **state)
{
	struct fixture *fx = *state;

	capture_record(fx, "failed", "dump", "", "-", "/proc/vmcore: not an ELF file");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL,
	       "the capture of 2024-05-06T17:18:40Z failed (makedumpfile -c -F -d 31 -F /proc/vmcore): "
	       "/proc/vmcore: not an ELF file; no /var/crash/2* folder");
	capture_record(fx, "ok", "dump", "", "/srv/dump", "");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "ended well");

	/* With an older folder: the failure is the newer event. */
	good_capture(fx);
	set_mtime(fx->root, STAMP_DIR, 1000);
	capture_record(fx, "failed", "dump", "", "-", "/proc/vmcore: not an ELF file");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_FAIL, "the newest folder, /var/crash/" STAMP ", is older");
	/* A failure older than the newest folder: that folder is another tool's. */
	set_mtime(fx->root, "var/lib/pmemdump/last-capture", 500);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "written by another makedumpfile");
}

/* Dumps by another makedumpfile have no record naming their folder. */
static void last_other_makedumpfile(void **state)
{
	struct fixture *fx = *state;

	good_capture(fx);
	fake_unlink(fx->root, "var/lib/pmemdump/last-capture");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN,
	       "/var/crash/" STAMP ": no record of pmemdump's makedumpfile names it");
	/* Ours wrote the log only. */
	capture_record(fx, "ok", "dmesg", DMESG_PATH, DMESG_PATH, "");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "the dump run left no record");
	/* A record of another folder. */
	capture_record(fx, "ok", "dump", "/var/crash/202301010000/dmesg.202301010000", "-", "");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "no record of pmemdump's makedumpfile");
	/* A record that cannot be read (as a user: 0600 in a 0700 folder). */
	fake_unlink(fx->root, "var/lib/pmemdump/last-capture");
	fake_mkdir(fx->root, "var/lib/pmemdump/last-capture");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "is not a regular file");
	assert_string_equal(fx->r.item[PK_CHK_LAST_DUMP].fix, "run pmem-kdump check as root");
}

/* Readable by others: the chmod that fixes it. */
static void last_mode(void **state)
{
	struct fixture *fx = *state;

	good_capture(fx);
	chmod_below(fx, STAMP_DIR, 0755);
	chmod_below(fx, STAMP_DIR "/dump." STAMP, 0644);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN,
	       "/var/crash/" STAMP " (mode 0755): dump." STAMP " (mode 0644) can be read by users other "
	       "than root");
	assert_string_equal(fx->r.item[PK_CHK_LAST_DUMP].fix,
			    "chmod go-rwx /var/crash/" STAMP " /var/crash/" STAMP "/dump." STAMP);
	chmod_below(fx, STAMP_DIR, 0700);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "(mode 0644) can be read");
	chmod_below(fx, STAMP_DIR "/dump." STAMP, 0640);
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_WARN, "(mode 0640) can be read");
	chmod_below(fx, STAMP_DIR "/dump." STAMP, 0600);
	chmod_below(fx, STAMP_DIR, 0711);	/* searchable, not listable: fine */
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "whole");
}

/* KDUMP_COREDIR of /etc/default/kdump-tools, trailing slash and all. */
static void last_coredir(void **state)
{
	struct fixture *fx = *state;

	fake_write(fx->root, "etc/default/kdump-tools", "KDUMP_COREDIR=\"/srv/crash/\"\n");
	fake_mkdir(fx->root, "srv/crash/" STAMP);
	chmod_below(fx, "srv/crash/" STAMP, 0700);
	flat_dump(fx, "srv/crash/" STAMP "/dump." STAMP, true);
	/* kdump-tools names the log "$KDUMP_COREDIR/$STAMP/dmesg.$STAMP". */
	capture_record(fx, "ok", "dump", "/srv/crash//" STAMP "/dmesg." STAMP, "-", "");
	run(fx);
	expect(fx, PK_CHK_LAST_DUMP, PK_PASS, "/srv/crash/" STAMP ": dump." STAMP " whole");
}

static void path_in_dir(void **state)
{
	(void)state;
	assert_true(pk_path_in_dir("/var/crash/1/dmesg.1", "/var/crash/1"));
	assert_true(pk_path_in_dir("/var/crash//1//dmesg.1", "/var/crash/1"));
	assert_true(pk_path_in_dir("/var/crash/1/dmesg.1", "/var/crash//1/"));
	assert_false(pk_path_in_dir("/var/crash/12/dmesg.1", "/var/crash/1"));
	assert_false(pk_path_in_dir("/var/crash/1/sub/dmesg.1", "/var/crash/1"));
	assert_false(pk_path_in_dir("/var/crash/1", "/var/crash/1"));
	assert_false(pk_path_in_dir("/var/crash/1/", "/var/crash/1"));
	assert_false(pk_path_in_dir("-", "/var/crash/1"));
	assert_false(pk_path_in_dir("", "/var/crash/1"));
	assert_false(pk_path_in_dir("/var/crash/1/x", ""));
	assert_true(pk_path_in_dir("/dump", "/"));
	assert_false(pk_path_in_dir("/a/dump", "/"));
}

/* ------------------------------------------------------- the command */

static char *run_cmd(struct fixture *fx, int *status, ...)
{
	struct pk_cmd_env env = { .backend = &fx->be, .log = &fx->log };
	char *argv[8] = { "check" }, rootopt[PATH_MAX + 16], *out = NULL;
	int argc = 1;
	size_t size;
	va_list ap;

	snprintf(rootopt, sizeof(rootopt), "--sysroot=%s", fx->root);
	va_start(ap, status);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc++] = rootopt;
	env.out = open_memstream(&out, &size);
	assert_non_null(env.out);
	*status = pk_cmd_check(argc, argv, &env);
	fclose(env.out);
	return out;
}

static void cmd_text_and_status(void **state)
{
	struct fixture *fx = *state;
	int status;
	char *out = run_cmd(fx, &status, NULL);

	assert_int_equal(status, PK_EXIT_OK);
	assert_non_null(strstr(out, "PASS  crash-kernel     256.00 MiB reserved at 0x2a000000-0x39ffffff, "
			       "a capture kernel is loaded\n"));
	assert_non_null(strstr(out, "\nresult: PASS (0 failed, 0 warned)\n"));
	free(out);
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "all", CMDLINE_OPEN));
	out = run_cmd(fx, &status, NULL);
	assert_int_equal(status, PK_EXIT_CHECK);
	assert_non_null(strstr(out, "FAIL  capture-cmdline  /run/pmemdump/kexec-crash.load: the capture"));
	assert_non_null(strstr(out, "\n                       fix: add module_blacklist=nfit"));
	assert_non_null(strstr(out, "\nresult: FAIL (1 failed, 0 warned)\n"));
	free(out);
	/* WARN alone: exit 0. */
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_load", "none", CMDLINE_GUARD));
	out = run_cmd(fx, &status, NULL);
	assert_int_equal(status, PK_EXIT_OK);
	assert_non_null(strstr(out, "\nresult: WARN (0 failed, 1 warned)\n"));
	free(out);
	out = run_cmd(fx, &status, "--bogus", NULL);
	assert_int_equal(status, PK_EXIT_USAGE);
	free(out);
}

static void cmd_json(void **state)
{
	struct fixture *fx = *state;
	struct json_object *j, *checks, *res, *v;
	int status;
	char *out;

	fake_write(fx->root, "sys/kernel/kexec_crash_size", "117440512\n");
	out = run_cmd(fx, &status, "-j", NULL);
	assert_int_equal(status, PK_EXIT_CHECK);
	j = json_tokener_parse(out);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "result", &v));
	assert_string_equal(json_object_get_string(v), "FAIL");
	assert_true(json_object_object_get_ex(j, "pmem", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(j, "checks", &checks));
	assert_int_equal(json_object_array_length(checks), 6);
	res = json_object_array_get_idx(checks, 4);
	assert_true(json_object_object_get_ex(res, "check", &v));
	assert_string_equal(json_object_get_string(v), "reservation");
	assert_true(json_object_object_get_ex(res, "status", &v));
	assert_string_equal(json_object_get_string(v), "FAIL");
	assert_true(json_object_object_get_ex(res, "needed", &v));
	assert_int_equal(json_object_get_int64(v), 117768704);
	assert_true(json_object_object_get_ex(res, "reserved", &v));
	assert_int_equal(json_object_get_int64(v), 117440512);
	assert_true(json_object_object_get_ex(res, "filter", &v));
	assert_int_equal(json_object_get_int64(v), 328192);
	assert_true(json_object_object_get_ex(res, "fix", &v));
	assert_string_equal(json_object_get_string(v), "reserve more: crashkernel=128M");
	/* A PASS item has no fix. */
	assert_false(json_object_object_get_ex(json_object_array_get_idx(checks, 0), "fix", NULL));
	res = json_object_array_get_idx(checks, 5);
	assert_true(json_object_object_get_ex(res, "check", &v));
	assert_string_equal(json_object_get_string(v), "last-dump");
	assert_false(json_object_object_get_ex(res, "directory", NULL));
	json_object_put(j);
	free(out);

	/* The last dump's facts, each when known. */
	good_capture(fx);
	capture_record(fx, "failed", "dump", DMESG_PATH, "-", "cannot write: Broken pipe");
	out = run_cmd(fx, &status, "-j", NULL);
	j = json_tokener_parse(out);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "checks", &checks));
	res = json_object_array_get_idx(checks, 5);
	assert_true(json_object_object_get_ex(res, "status", &v));
	assert_string_equal(json_object_get_string(v), "FAIL");
	assert_true(json_object_object_get_ex(res, "directory", &v));
	assert_string_equal(json_object_get_string(v), "/var/crash/" STAMP);
	assert_true(json_object_object_get_ex(res, "dump", &v));
	assert_string_equal(json_object_get_string(v), "dump." STAMP);
	assert_true(json_object_object_get_ex(res, "capture", &v));
	assert_string_equal(json_object_get_string(v), "failed");
	assert_true(json_object_object_get_ex(res, "error", &v));
	assert_string_equal(json_object_get_string(v), "cannot write: Broken pipe");
	json_object_put(j);
	free(out);
}

/* ---------------------------------------------------- the file readers */

static void split_words(void **state)
{
	struct pk_words w;

	(void)state;
	assert_int_equal(pk_split_words("  -p  --command-line=\"a b\\\"c\" 'x y' z\\ w ", &w), 0);
	assert_int_equal(w.nr, 4);
	assert_string_equal(w.w[0], "-p");
	assert_string_equal(w.w[1], "--command-line=a b\"c");
	assert_string_equal(w.w[2], "x y");
	assert_string_equal(w.w[3], "z w");
	assert_int_equal(pk_split_words("", &w), 0);
	assert_int_equal(w.nr, 0);
	assert_int_equal(pk_split_words("a \"open", &w), -PMD_EINVAL);
	assert_int_equal(pk_split_words("'open", &w), -PMD_EINVAL);
}

static void record_malformed(void **state)
{
	struct fixture *fx = *state;
	struct pk_load_record rec;

	fake_write(fx->root, "run/pmemdump/kexec-crash.load", "kernel=/boot/x\n");
	assert_int_equal(pk_load_record_read(fx->root, &rec, &fx->log), -PMD_ECORRUPT);
	log_clear_error(&fx->log);
	/* cmdline keeps every '=' after the first. */
	fake_write(fx->root, "run/pmemdump/kexec-crash.load",
		   RECORD("kexec_file_load", "", "root=UUID=1234 a=b=c"));
	assert_int_equal(pk_load_record_read(fx->root, &rec, &fx->log), 0);
	assert_true(rec.present);
	assert_true(rec.file_syscall);
	assert_string_equal(rec.cmdline, "root=UUID=1234 a=b=c");
	assert_string_equal(rec.initrd, "/boot/initrd.img-capture");
	assert_string_equal(rec.pmem, "");
	/* A malformed record: the command-line item cannot use it. */
	fake_write(fx->root, "run/pmemdump/kexec-crash.load", "garbage\n");
	run(fx);
	expect(fx, PK_CHK_CMDLINE, PK_WARN, "unknown");
}

static void kexec_cmd_parse(void **state)
{
	struct fixture *fx = *state;
	struct pk_kexec_cmd k;

	fake_write(fx->root, "var/crash/kexec_cmd",
		   "/sbin/kexec -p -s --args-linux --command-line=\"root=/dev/sda1 ro irqpoll\" "
		   "--initrd=/var/lib/kdump/initrd.img /var/lib/kdump/vmlinuz\n");
	assert_int_equal(pk_kexec_cmd_read(fx->root, "/var/crash", &k, &fx->log), 0);
	assert_true(k.present);
	assert_true(k.file_syscall);
	assert_string_equal(k.kexec, "/sbin/kexec");
	assert_string_equal(k.cmdline, "root=/dev/sda1 ro irqpoll");
	assert_string_equal(k.initrd, "/var/lib/kdump/initrd.img");
	assert_string_equal(k.kernel, "/var/lib/kdump/vmlinuz");
	fake_unlink(fx->root, "var/crash/kexec_cmd");
	assert_int_equal(pk_kexec_cmd_read(fx->root, "/var/crash", &k, &fx->log), 0);
	assert_false(k.present);
}

/* A program that hangs is killed; its output so far is kept. */
static void run_timeout(void **state)
{
	struct fixture *fx = *state;
	char *out;
	int status;

	write_exec(fx->root, "bin/hang", "#!/bin/sh\necho started\nexec sleep 30\n");
	assert_int_equal(pk_run(fx->root, "/bin/hang", NULL, 1, &out, &status, &fx->log), 0);
	assert_int_equal(status, -1);
	assert_string_equal(out, "started\n");
	free(out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(all_pass),
		T(need_values),
		T(crash_not_reserved),
		T(crash_size_zero),
		T(crash_not_loaded),
		T(crash_loaded_unreadable),
		T(cmdline_open_fails),
		cmocka_unit_test(cmdline_guards),
		T(cmdline_initcall_passes),
		T(cmdline_no_pmem),
		T(cmdline_kexec_cmd),
		T(cmdline_stale_record),
		T(cmdline_record_then_kexec_cmd),
		T(cmdline_conf_hook),
		T(cmdline_conf),
		T(kexec_record_pmem),
		T(kexec_file_series),
		T(kexec_debian),
		T(mdf_path),
		T(mdf_not_executable),
		T(mdf_args),
		T(mdf_debian_no_pmem),
		T(reservation_warn_fail),
		T(reservation_kernel_unknown),
		T(last_no_dump),
		T(last_ok),
		T(last_failed),
		T(last_cut_or_empty),
		T(last_failed_without_folder),
		T(last_other_makedumpfile),
		T(last_mode),
		T(last_coredir),
		cmocka_unit_test(path_in_dir),
		T(cmd_text_and_status),
		T(cmd_json),
		cmocka_unit_test(split_words),
		T(record_malformed),
		T(kexec_cmd_parse),
		T(run_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
