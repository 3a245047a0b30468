/*
 * Probe: __attribute__((aligned(N))) on a struct, on a member and on a
 * typedef, producing tail padding and holes.
 *
 * Why avenues might drift: BTF has no alignment field; alignment shows up only
 * as struct size and member offsets. An encoder that loses the attribute on a
 * typedef'd member (the aligned typedef is a distinct type in gcc) could emit
 * a different offset; the typedef itself may or may not appear.
 */
struct __attribute__((aligned(64))) cacheline {
	int counter;
};

struct cacheline cl_var;

typedef int aligned_int __attribute__((aligned(16)));

struct with_aligned_member {
	char c;
	int x __attribute__((aligned(32)));
	aligned_int y;
	char tail;
};

struct with_aligned_member wam_var;
aligned_int aligned_global;
