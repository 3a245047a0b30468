/*
 * Probe: C99 flexible array members (`T data[];`) at the end of a struct,
 * including a flexible array of structs and a flexible array following a
 * bitfield.
 *
 * Why avenues might drift: DWARF represents `[]` as a subrange with no upper
 * bound (DW_AT_count absent); BTF has no "unknown length", so encoders use
 * nr_elems=0. gcc -gbtf and pahole may pick different index types or emit the
 * ARRAY vs. some placeholder.
 */
struct msg {
	unsigned int len;
	char data[];
};

struct entry {
	int key;
	int val;
};

struct table {
	unsigned int n;
	unsigned int flags : 4;
	struct entry entries[];
};

struct msg *msg_ptr;
struct table *table_ptr;

unsigned int msg_len(const struct msg *m)
{
	return m->len;
}
