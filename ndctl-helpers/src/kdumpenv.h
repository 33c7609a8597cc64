/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_KDUMPENV_H
#define PK_KDUMPENV_H

/*
 * The kdump configuration of a system as `pmem-kdump check` and
 * `forecast` read it: our kexec's record of its last crash load, Debian's
 * kdump-tools (/etc/default/kdump-tools and the kexec command it saved),
 * the programs kdump would run, and the capture kernel's bzImage header.
 * Every path is taken below a root prefix (NULL or "": the live system),
 * so the unit tests run on saved trees. Errors are recorded in the log,
 * never printed.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/log.h"
#include "util/records.h"

#define PK_KDUMP_TOOLS_CONF "/etc/default/kdump-tools"
/*
 * pmemdump's package hook (debian/hooks/60-pmemdump): kdump-config sources
 * it before the file above, and it sets KDUMP_CMDLINE_APPEND when nobody did.
 */
#define PK_KDUMP_HOOK "/lib/lsb/init-functions.d/60-pmemdump"
/* kdump-config's PATH and kexec, before the configuration is sourced. */
#define PK_KDUMP_PATH "/bin:/usr/bin:/sbin:/usr/sbin"
#define PK_KDUMP_KEXEC "/sbin/kexec"
#define PK_KDUMP_COREDIR "/var/crash"
#define PK_KDUMP_APPEND_DEFAULT \
	"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
#define PK_MAKEDUMP_ARGS_DEFAULT "-F -c -d 31"

/* x86 COMMAND_LINE_SIZE is 2048; room for a longer one all the same. */
#define PK_CMDLINE_MAX 4096

/*
 * Shell words of a string, as sh splits an unexpanded assignment or
 * command: blanks separate, '...' and "..." quote, backslash escapes
 * (not inside '...'). No expansion.
 */
#define PK_WORDS_MAX 128
struct pk_words {
	char *w[PK_WORDS_MAX];
	unsigned int nr;
	char buf[PK_CMDLINE_MAX * 2];
};
/* 0, or -PMD_EINVAL for an open quote, too many words or too long a text. */
int pk_split_words(const char *s, struct pk_words *out);

/*
 * /etc/default/kdump-tools: the plain assignments kdump-config sources
 * (NAME=value, quoted or not, "export" allowed). Values are not expanded:
 * a value with $ is taken as written.
 */
struct pk_kdump_conf {
	bool present;
	bool has_cmdline, has_append, has_kexec_args, has_makedump_args, has_path, has_coredir;
	bool append_from_hook;			/* append: PK_KDUMP_HOOK's value */
	char cmdline[PK_CMDLINE_MAX];		/* KDUMP_CMDLINE */
	char append[PK_CMDLINE_MAX];		/* KDUMP_CMDLINE_APPEND */
	char kexec_args[1024];			/* KDUMP_KEXEC_ARGS */
	char makedump_args[1024];		/* MAKEDUMP_ARGS */
	char path[1024];			/* PATH */
	char coredir[PATH_MAX];			/* KDUMP_COREDIR, else /var/crash */
};
/*
 * A missing file is present=false and 0; -PMD_EIO when unreadable. Without
 * KDUMP_CMDLINE_APPEND in the file, the value PK_KDUMP_HOOK assigns (if it
 * is installed) is the one kdump-config will use: append_from_hook.
 */
int pk_kdump_conf_read(const char *root, struct pk_kdump_conf *c, struct log_ctx *log);

/*
 * Our kexec's record of the loaded crash kernel (kexec(8), FILES;
 * REC_LOAD_PATH, written by kexec-tools/src/record.c).
 */
struct pk_load_record {
	bool present;
	bool file_syscall;			/* syscall=kexec_file_load */
	char syscall[32];
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];			/* "": none */
	char pmem[16];				/* all, memmap, none; "" with kexec_file_load */
	char cmdline[PK_CMDLINE_MAX];
	struct timespec mtime;
};
/* Missing: present=false, 0. -PMD_EIO unreadable, -PMD_ECORRUPT malformed. */
int pk_load_record_read(const char *root, struct pk_load_record *r, struct log_ctx *log);

/* The kexec command kdump-config saved in $KDUMP_COREDIR/kexec_cmd. */
struct pk_kexec_cmd {
	bool present;
	bool file_syscall;			/* -s, --kexec-file-syscall */
	bool has_cmdline;
	char kexec[PATH_MAX];			/* the first word */
	char cmdline[PK_CMDLINE_MAX];		/* --command-line= or --append= */
	char initrd[PATH_MAX];
	char kernel[PATH_MAX];			/* the last word that is not an option */
	struct timespec mtime;
};
int pk_kexec_cmd_read(const char *root, const char *coredir, struct pk_kexec_cmd *k,
		      struct log_ctx *log);

/*
 * @name in the directories of @path_list (":"-separated), each below
 * @root, as execvp would find it: its path without the root in @out. 0,
 * or -1 when no directory has an executable @name.
 */
int pk_find_program(const char *root, const char *path_list, const char *name, char *out,
		    size_t size);

/*
 * Run "<root><prog>" with @args (argv[1..], NULL-terminated), standard
 * input /dev/null, and collect its standard output and error into *@out
 * (NUL-terminated, to be freed). A program that runs longer than
 * @timeout_s seconds is killed. Its exit status in *@status (-1 when
 * killed or not a normal exit). 0, or -PMD_EIO / -PMD_ENOMEM recorded.
 */
int pk_run(const char *root, const char *prog, const char *const *args, unsigned int timeout_s,
	   char **out, int *status, struct log_ctx *log);

/*
 * What `PROG FLAG` says of the program: FLAG is --version for kexec, -v
 * for makedumpfile (1.7.2 knows no --version; ours takes both).
 */
enum pk_tool_kind {
	PK_TOOL_OURS,		/* "kexec (pmemdump) 0.1", "makedumpfile (pmemdump) 0.1" */
	PK_TOOL_OTHER,		/* "kexec-tools 2.0.25", "makedumpfile: version 1.7.2 ..." */
	PK_TOOL_BROKEN,		/* it did not run */
};
/* The kind, and the first line of the output in @first (for messages). */
enum pk_tool_kind pk_tool_identify(const char *root, const char *prog, const char *flag,
				   char *first, size_t size, struct log_ctx *log);

/*
 * init_size of a bzImage (boot protocol 2.10+, at 0x260 of the setup
 * header): the memory the kernel needs from its load address while it
 * decompresses and starts. Its first 1024 bytes are read with
 * lib/kernel's bzimage_header(). -PMD_EIO unreadable, -PMD_ENOTFMT not a
 * bzImage (shorter than 1024 bytes, no boot flag or "HdrS"),
 * -PMD_EUNSUPPORTED a protocol older than 2.10.
 */
int pk_bzimage_init_size(const char *root, const char *path, uint64_t *init_size,
			 struct log_ctx *log);

/* Size of "<root><path>". -PMD_EIO (recorded) when it cannot be stat'ed. */
int pk_file_size(const char *root, const char *path, uint64_t *size, struct log_ctx *log);

#endif
