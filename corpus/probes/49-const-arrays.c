/*
 * Probe: const and volatile applied to arrays: `const int arr[4]` (the
 * qualifier attaches to the element type in C), a typedef'd array type
 * qualified as a whole, a const array of const pointers, and a volatile
 * 2-D array.
 *
 * Why avenues might drift: DWARF from gcc may put DW_TAG_const_type either
 * around the array or around the element; BTF conventionally wants
 * ARRAY -> CONST -> INT. An encoder might emit CONST -> ARRAY instead.
 */
const int const_elems[4] = { 1, 2, 3, 4 };

typedef int quad_t[4];
const quad_t const_quad = { 5, 6, 7, 8 };

const char *const names_tbl[2] = { "a", "b" };

volatile unsigned int vol_grid[2][2];

struct with_const_array {
	const char label[8];
	volatile int regs[4];
};

struct with_const_array wca_var;
