/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_TESTS_FAKEROOT_H
#define PMD_UTIL_TESTS_FAKEROOT_H

/*
 * A saved /sys and /proc in a temporary folder, for the readers that take
 * a root prefix. Include after <cmocka.h>: failures are test failures.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *fake_root_new(void)
{
	char *root = strdup("/tmp/pmd-fakeroot-XXXXXX");

	if (!root || !mkdtemp(root)) {
		perror("fake_root_new");
		abort();
	}
	return root;
}

/* mkdir -p of the folders above "<root>/<rel>". */
static inline void fake_parents(const char *root, const char *rel)
{
	char path[PATH_MAX];
	char *p;

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) < sizeof(path));
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
}

static inline void fake_write_len(const char *root, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	int fd;

	fake_parents(root, rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static inline void fake_write(const char *root, const char *rel, const char *text)
{
	fake_write_len(root, rel, text, strlen(text));
}

/* "<root>/<rel>" as a string in @buf (cut to @size - 1 bytes); NULL when missing. */
static inline char *fake_read(const char *root, const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static inline void fake_mkdir(const char *root, const char *rel)
{
	char path[PATH_MAX];

	fake_parents(root, rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

static inline void fake_symlink(const char *root, const char *rel, const char *target)
{
	char path[PATH_MAX];

	fake_parents(root, rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

static inline void fake_unlink(const char *root, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
}

static inline int fake_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void fake_root_free(char *root)
{
	nftw(root, fake_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

#define FAKE_NO_PADDR ((uint64_t)-1)

struct fake_kphdr {
	uint32_t type;
	uint64_t vaddr, paddr, size;
};

/*
 * A /proc/kcore with these program headers, as fs/proc/kcore.c lays them
 * out: a PT_NOTE first, then one PT_LOAD per kclist entry, p_paddr -1 for
 * vmalloc, modules and vmemmap. File offsets are small so the (sparse)
 * file stays small; nothing reads the data.
 */
static inline void fake_kcore(const char *root, const struct fake_kphdr *ph, unsigned int nr)
{
	uint8_t buf[4096] = { 0 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *p = (Elf64_Phdr *)(eh + 1);
	uint64_t file_size = 0x3000;
	char path[PATH_MAX];
	unsigned int i;
	int fd;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*p);
	eh->e_phnum = (Elf64_Half)(nr + 1);
	p[0].p_type = PT_NOTE;
	p[0].p_offset = 0x800;
	p[0].p_filesz = 0x100;	/* zeros: no notes, as padding */
	for (i = 0; i < nr; i++) {
		Elf64_Phdr *l = &p[i + 1];

		l->p_type = ph[i].type;
		l->p_flags = PF_R | PF_W | PF_X;
		l->p_offset = 0x2000;
		l->p_vaddr = ph[i].vaddr;
		l->p_paddr = ph[i].paddr;
		l->p_filesz = l->p_memsz = ph[i].size;
		l->p_align = 4096;
		if (ph[i].paddr != FAKE_NO_PADDR && 0x2000 + ph[i].size > file_size)
			file_size = 0x2000 + ph[i].size;
	}
	fake_write_len(root, "proc/kcore", buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s/proc/kcore", root);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)file_size), 0);
	close(fd);
}

#endif
