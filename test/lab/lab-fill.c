/*
 * lab-fill: fills guest memory with recognisable data for the VM lab.
 *
 *   lab-fill file PATH MARKER MIB
 *	write MIB MiB of MARKER (exactly 16 bytes) repeated to PATH, fsync.
 *   lab-fill anon MARKER MIB ZERO_MIB READY_PATH
 *	allocate MIB MiB of anonymous memory filled with MARKER and ZERO_MIB MiB
 *	of anonymous memory touched with zeros, create READY_PATH, then sleep
 *	until killed, so the pages are live when the kernel crashes.
 *
 * Built statically by scripts/lab so the guest needs nothing but the binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER_LEN 16
#define MIB (1024UL * 1024UL)

static void die(const char *what)
{
	fprintf(stderr, "lab-fill: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long parse_mib(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > 1024 * 1024) {
		fprintf(stderr, "lab-fill: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

static void check_marker(const char *m)
{
	if (strlen(m) != MARKER_LEN) {
		fprintf(stderr, "lab-fill: marker must be %d bytes: '%s'\n",
			MARKER_LEN, m);
		exit(2);
	}
}

static void pattern(char *buf, size_t len, const char *marker)
{
	size_t off;

	for (off = 0; off + MARKER_LEN <= len; off += MARKER_LEN)
		memcpy(buf + off, marker, MARKER_LEN);
}

static int fill_file(const char *path, const char *marker, unsigned long mib)
{
	static char buf[MIB];
	unsigned long i;
	int fd;

	pattern(buf, sizeof(buf), marker);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	for (i = 0; i < mib; i++) {
		size_t done = 0;

		while (done < sizeof(buf)) {
			ssize_t n = write(fd, buf + done, sizeof(buf) - done);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				die("write");
			}
			done += (size_t)n;
		}
	}
	if (fsync(fd) < 0)
		die("fsync");
	if (close(fd) < 0)
		die("close");
	return 0;
}

/* Stay alive, the pages in use, once READY says the filling is done. */
static void announce_and_wait(const char *ready)
{
	int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(ready);
	close(fd);
	for (;;)
		pause();
}

static char *map_anon(unsigned long mib)
{
	void *p;

	if (mib == 0)
		return NULL;
	p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static int fill_anon(const char *marker, unsigned long mib,
		     unsigned long zero_mib, const char *ready)
{
	long page = sysconf(_SC_PAGESIZE);
	char *data = map_anon(mib);
	char *zero = map_anon(zero_mib);
	unsigned long off;

	if (data)
		pattern(data, mib * MIB, marker);
	/* Writing a zero still faults in a private page of its own. */
	for (off = 0; zero && off < zero_mib * MIB; off += (unsigned long)page)
		((volatile char *)zero)[off] = 0;
	announce_and_wait(ready);
	return 0;
}

/*
 * Map a file shared and write-fault every page with its own byte: on a
 * DAX file system each pmem page then belongs to the file's mapping
 * (what crash's kmem -p shows), and the contents do not change.
 */
static int map_file(const char *path, const char *ready)
{
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	volatile char *p;
	off_t off;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0)
		die(path);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (off = 0; off < st.st_size; off += page)
		p[off] = p[off];
	announce_and_wait(ready);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "file") == 0) {
		check_marker(argv[3]);
		return fill_file(argv[2], argv[3], parse_mib(argv[4]));
	}
	if (argc == 6 && strcmp(argv[1], "anon") == 0) {
		check_marker(argv[2]);
		return fill_anon(argv[2], parse_mib(argv[3]),
				 parse_mib(argv[4]), argv[5]);
	}
	if (argc == 4 && strcmp(argv[1], "map") == 0)
		return map_file(argv[2], argv[3]);
	fprintf(stderr,
		"usage: lab-fill file PATH MARKER MIB\n"
		"       lab-fill anon MARKER MIB ZERO_MIB READY_PATH\n"
		"       lab-fill map PATH READY_PATH\n");
	return 2;
}
