/*
 * Probe: multi-dimensional arrays (2-D, 3-D), arrays of arrays through a
 * typedef, an array of pointers and a pointer to an array.
 *
 * Why avenues might drift: DWARF describes int[3][4] as one DW_TAG_array_type
 * with two subranges. BTF has only 1-D ARRAY; an encoder may nest ARRAY of
 * ARRAY (int[3] of int[4]) or flatten to a single ARRAY of 12 elements. The
 * index type (int vs. unsigned long / sizetype) may also differ.
 */
int grid[3][4];
unsigned char cube[2][3][4];

typedef int row_t[4];
row_t rows[3];          /* same shape as grid, but via typedef */

char *names[5];
int (*grid_row_ptr)[4];

struct matrix {
	double m[4][4];
	short tri[2][2][2];
};

struct matrix mat_var;
