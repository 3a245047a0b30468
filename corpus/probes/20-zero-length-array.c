/*
 * Probe: GNU zero-length arrays (`T data[0];`), the pre-C99 flexible array
 * idiom, in the middle (as a marker) and at the end of structs.
 *
 * Why avenues might drift: in DWARF `[0]` is a subrange with
 * DW_AT_count 0 / DW_AT_upper_bound -1, distinct from `[]` (probe 19). Both
 * map to nr_elems=0 in BTF, but an encoder might not distinguish and another
 * might emit a different element count or index type.
 */
struct legacy_msg {
	unsigned short type;
	unsigned short len;
	unsigned char payload[0];
};

struct with_marker {
	int a;
	char mark[0];   /* marker in the middle: offset of b */
	int b;
	long tail[0];
};

struct legacy_msg legacy_var;
struct with_marker marker_var;
