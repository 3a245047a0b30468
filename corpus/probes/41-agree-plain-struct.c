/*
 * Probe (control, expected to AGREE): a plain struct of ints, a plain struct
 * nested by value, and a pointer to it. No bitfields, qualifiers, floats,
 * arrays or enums, and no functions or variables whose VAR/FUNC encoding
 * could differ: the type is kept alive by a non-static function signature.
 *
 * Why avenues might drift: they should not; this probe shows the tool
 * reports nothing when STRUCT/INT/PTR layouts are identical. (Type IDs and
 * emission order may still differ and must be normalised away.)
 */
struct point {
	int x;
	int y;
};

struct rect {
	struct point min;
	struct point max;
	unsigned int id;
};

int rect_area(struct rect *r)
{
	return (r->max.x - r->min.x) * (r->max.y - r->min.y);
}
