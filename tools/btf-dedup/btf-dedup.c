/*
 * btf-dedup: deduplicate every BTF blob of its inputs with libbpf's
 * btf__dedup, the deduplicator the kernel tooling uses, and write the
 * result as raw BTF.
 *
 *   btf-dedup OUT IN...
 *
 * Each IN is an ELF file (its .BTF section is read) or a raw BTF file. In
 * either case the data may hold several blobs back to back, as a
 * BTF-unaware linker concatenates per-object .BTF sections (a "BTF
 * archive"); zero padding between blobs is skipped. The first blob is
 * loaded with btf__new, every other one is appended with btf__add_btf,
 * then btf__dedup runs once over the whole.
 *
 * On success prints one line to stdout:
 *   blobs=N types_in=M types_out=K
 * (type counts exclude void). Errors are one line on stderr, exit 1 for
 * bad input, 3 when libbpf fails.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(int code, const char *fmt, const char *a, long b)
{
	fprintf(stderr, "btf-dedup: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(code);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	unsigned char *buf;

	if (!f || fstat(fileno(f), &st) != 0)
		die(1, "%s: cannot open (errno %ld)", path, errno);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size)
		die(1, "%s: cannot read (errno %ld)", path, errno);
	fclose(f);
	*len = st.st_size;
	return buf;
}

/* The .BTF section of an ELF file, copied out; NULL if the file is no ELF. */
static unsigned char *elf_btf(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	unsigned char *out = NULL;

	if (fd < 0)
		die(1, "%s: cannot open (errno %ld)", path, errno);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(fd);
		return NULL;
	}
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		die(1, "%s: bad ELF section header string table%s", path, 0);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".BTF") != 0)
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size == 0)
			die(1, "%s: empty .BTF section%s", path, 0);
		out = malloc(data->d_size);
		memcpy(out, data->d_buf, data->d_size);
		*len = data->d_size;
		break;
	}
	elf_end(elf);
	close(fd);
	if (!out)
		die(1, "%s: ELF file has no .BTF section%s", path, 0);
	return out;
}

int main(int argc, char **argv)
{
	struct btf *all = NULL;
	long blobs = 0, types_in = 0;
	int i, err;
	const void *raw;
	__u32 raw_size;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: btf-dedup OUT IN...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		size_t len = 0, at = 0;
		unsigned char *data = elf_btf(argv[i], &len);

		if (!data)
			data = read_file(argv[i], &len);
		while (at < len) {
			const struct btf_header *h = (const void *)(data + at);
			size_t size;
			struct btf *b;

			if (len - at < sizeof(*h) || h->magic != BTF_MAGIC)
				die(1, "%s: no BTF magic at byte %ld", argv[i], (long)at);
			size = (size_t)h->hdr_len + h->str_off + h->str_len;
			if ((size_t)h->hdr_len + h->type_off + h->type_len > size)
				size = (size_t)h->hdr_len + h->type_off + h->type_len;
			if (size > len - at)
				die(1, "%s: truncated BTF blob at byte %ld", argv[i], (long)at);
			b = btf__new(data + at, size);
			if (!b)
				die(1, "%s: libbpf rejects the BTF blob at byte %ld", argv[i], (long)at);
			types_in += btf__type_cnt(b) - 1;
			blobs++;
			if (!all) {
				all = b;
			} else {
				err = btf__add_btf(all, b);
				if (err < 0)
					die(3, "%s: btf__add_btf failed (%ld)", argv[i], err);
				btf__free(b);
			}
			at += size;
			while (at < len && data[at] == 0)
				at++;
		}
		free(data);
	}
	if (!all)
		die(1, "no BTF blob in the inputs%s", "", 0);
	err = btf__dedup(all, NULL);
	if (err < 0)
		die(3, "btf__dedup failed%s (%ld)", "", err);
	raw = btf__raw_data(all, &raw_size);
	if (!raw)
		die(3, "btf__raw_data failed%s", "", 0);
	out = fopen(argv[1], "wb");
	if (!out || fwrite(raw, 1, raw_size, out) != raw_size || fclose(out) != 0)
		die(1, "%s: cannot write (errno %ld)", argv[1], errno);
	printf("blobs=%ld types_in=%ld types_out=%ld\n", blobs, types_in, (long)btf__type_cnt(all) - 1);
	btf__free(all);
	return 0;
}
