/*
 * Probe (control, expected to AGREE): simple one-level typedefs of int types
 * and of a named struct, used through a non-static function signature only.
 *
 * Why avenues might drift: they should not; TYPEDEF -> INT and
 * TYPEDEF -> STRUCT are the most basic encodings. Only ID order may differ.
 */
typedef unsigned int u32;
typedef long s64;

struct sample {
	u32 count;
	s64 total;
};

typedef struct sample sample_t;

s64 sample_total(sample_t *s, u32 scale)
{
	return s->total + (s64)(s->count * scale);
}
