/*
 * Probe: the ORDER of multi-dimensional array dimensions, with asymmetric
 * shapes so that a reversed order is visible ([2][3] is not [3][2]).
 *
 * Why avenues might drift: C's int m[2][3] is "array of 2 arrays of 3 int".
 * BTF has no multi-dimensional array, only ARRAY of ARRAY, and the encoder
 * must nest them outermost-first. pahole 1.24 flattens a DWARF array with
 * several subranges into one dimension (int[6]), which keeps size and
 * layout but loses the shape; a compiler writing BTF itself may nest the
 * dimensions in the wrong order (gcc 12 -gbtf was seen to write int[3][2]),
 * which keeps the size but changes what m[1] means. Comparing against a
 * flattening encoder hides that; comparing two compilers shows it.
 */
struct grid {
	int m[2][3];
	unsigned char pix[4][2][3];
	long tail;
};

struct grid grid_var;
short table[5][7];

int grid_cell(struct grid *g, int r, int c)
{
	return g->m[r][c];
}
