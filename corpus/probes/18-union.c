/*
 * Probe: named unions (BTF_KIND_UNION) with members of different sizes, a union
 * containing a struct and an array, and a union with a bitfield member.
 *
 * Why avenues might drift: UNION is structurally like STRUCT with all offsets
 * 0; the bitfield member inside a union exercises kind_flag on UNION. Size
 * must be the largest member rounded to alignment. (Returned through a pointer
 * because clang-16 --target=bpf rejects by-value aggregate returns.)
 */
struct pair {
	int x, y;
};

union value {
	char c;
	int i;
	double d;
	struct pair p;
	unsigned char bytes[12];
	unsigned int bits : 5;
};

union value value_var;

union value *value_ptr;

void pick(union value *out, union value v, int which)
{
	if (which)
		v.i = 0;
	*out = v;
}
