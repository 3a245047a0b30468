/*
 * btf-load: ask the running kernel's BTF verifier about BTF blobs.
 *
 * Each blob is loaded with the BPF_BTF_LOAD command of bpf(2); an accepted
 * blob's file descriptor is closed at once. A rejected blob is loaded a
 * second time with a verifier log (log_level 1) so that the answer carries
 * the kernel's message. One JSON object per blob, one per line, on stdout:
 *
 *   {"accepted":true}
 *   {"accepted":false,"errno":22,"error":"EINVAL","log":["...", "..."]}
 *
 * "log" holds the last non-empty lines of the verifier log (at most 4),
 * oldest first; the last one is the verifier's reason.
 *
 * Input, so that thousands of loads cost one process:
 *   btf-load FILE...      each file is one blob
 *   btf-load -            blobs on stdin, each a little-endian u32 length
 *                         followed by that many bytes; ends at end of input
 *
 * Exit status: 0 when every blob was answered (accepted or not), 2 on a
 * usage or input error, 3 when bpf(2) itself is not permitted here (EPERM
 * or ENOSYS on the first load: no verdict can be had on this machine).
 *
 * No libbpf: a raw syscall with the uapi header, built by scripts/setup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_BLOB (64u << 20)
#define MAX_LOG (256u << 20)
#define TAIL_LINES 4

static char *log_buf;
static size_t log_cap;

static int btf_load(const void *data, uint32_t size, char *log, uint32_t log_size)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = size;
	if (log) {
		attr.btf_log_buf = (uint64_t)(uintptr_t)log;
		attr.btf_log_size = log_size;
		attr.btf_log_level = 1;
	}
	return (int)syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
}

static void json_string(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case ENOSPC: return "ENOSPC";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case ELOOP: return "ELOOP";
	case ENOENT: return "ENOENT";
	case 524: return "ENOTSUPP";
	default: return "E?";
	}
}

/* Print the last TAIL_LINES non-empty lines of the log as a JSON array. */
static void print_tail(const char *log, size_t len)
{
	size_t starts[TAIL_LINES], ends[TAIL_LINES];
	int found = 0;
	size_t end = len;

	while (found < TAIL_LINES && end > 0) {
		while (end > 0 && (log[end - 1] == '\n' || log[end - 1] == '\0'))
			end--;
		if (end == 0)
			break;
		size_t start = end;
		while (start > 0 && log[start - 1] != '\n')
			start--;
		starts[found] = start;
		ends[found] = end;
		found++;
		end = start;
	}
	putchar('[');
	for (int i = found - 1; i >= 0; i--) {
		json_string(log + starts[i], ends[i] - starts[i]);
		if (i)
			putchar(',');
	}
	putchar(']');
}

/* Returns 0, or 3 when the kernel does not let us load BTF at all. */
static int answer(const void *data, uint32_t size, int first)
{
	int fd = btf_load(data, size, NULL, 0);
	if (fd >= 0) {
		close(fd);
		puts("{\"accepted\":true}");
		return 0;
	}
	int err = errno;
	if (first && (err == EPERM || err == ENOSYS)) {
		fprintf(stderr, "btf-load: BPF_BTF_LOAD not permitted here (%s)\n", strerror(err));
		return 3;
	}
	/* Again with a log; the kernel answers ENOSPC while the log is too small. */
	size_t len = 0;
	for (;;) {
		if (!log_buf) {
			log_cap = 1u << 20;
			log_buf = malloc(log_cap);
			if (!log_buf) {
				perror("btf-load: malloc");
				exit(2);
			}
		}
		memset(log_buf, 0, log_cap);
		int fd2 = btf_load(data, size, log_buf, (uint32_t)log_cap);
		int err2 = errno;
		if (fd2 >= 0)
			close(fd2);
		len = strnlen(log_buf, log_cap);
		if (fd2 < 0 && err2 == ENOSPC && err != ENOSPC && log_cap < MAX_LOG) {
			free(log_buf);
			log_buf = NULL;
			log_cap *= 4;
			size_t next = log_cap;
			log_buf = malloc(next);
			if (!log_buf) {
				perror("btf-load: malloc");
				exit(2);
			}
			continue;
		}
		break;
	}
	printf("{\"accepted\":false,\"errno\":%d,\"error\":\"%s\",\"log\":", err, errno_name(err));
	print_tail(log_buf, len);
	puts("}");
	return 0;
}

static int read_full(FILE *f, void *buf, size_t n)
{
	return fread(buf, 1, n, f) == n;
}

static int run_stdin(void)
{
	unsigned char lenb[4];
	int first = 1;
	void *buf = NULL;

	while (read_full(stdin, lenb, 4)) {
		uint32_t n = (uint32_t)lenb[0] | (uint32_t)lenb[1] << 8 | (uint32_t)lenb[2] << 16 | (uint32_t)lenb[3] << 24;
		if (n > MAX_BLOB) {
			fprintf(stderr, "btf-load: blob of %u bytes is too large\n", n);
			return 2;
		}
		free(buf);
		buf = malloc(n ? n : 1);
		if (!buf || !read_full(stdin, buf, n)) {
			fprintf(stderr, "btf-load: truncated input\n");
			return 2;
		}
		int rc = answer(buf, n, first);
		if (rc)
			return rc;
		first = 0;
		fflush(stdout);
	}
	free(buf);
	return 0;
}

static int run_file(const char *path, int first)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "btf-load: %s: %s\n", path, strerror(errno));
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || (unsigned long)n > MAX_BLOB) {
		fprintf(stderr, "btf-load: %s: unusable size\n", path);
		fclose(f);
		return 2;
	}
	void *buf = malloc(n ? (size_t)n : 1);
	if (!buf || !read_full(f, buf, (size_t)n)) {
		fprintf(stderr, "btf-load: %s: cannot read\n", path);
		fclose(f);
		return 2;
	}
	fclose(f);
	int rc = answer(buf, (uint32_t)n, first);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: btf-load FILE... | btf-load -  (length-prefixed blobs on stdin)\n");
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "-") == 0)
		return run_stdin();
	for (int i = 1; i < argc; i++) {
		int rc = run_file(argv[i], i == 1);
		if (rc)
			return rc;
	}
	return 0;
}
