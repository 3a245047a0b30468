/*
 * Probe: inline function flavours: static inline (called), C99 `inline`
 * (inline definition + an extern declaration forcing an external copy),
 * __attribute__((always_inline)) and __attribute__((noinline)).
 *
 * Why avenues might drift: inlined functions in DWARF become an abstract
 * instance (DW_AT_inline) with concrete/inlined copies. pahole skips functions
 * without a concrete out-of-line copy; gcc -gbtf might emit a FUNC for the
 * abstract origin. At -O0 gcc still inlines always_inline functions only.
 */
static inline int sq(int x)
{
	return x * x;
}

inline int c99_inline(int x)
{
	return x + 1;
}
extern int c99_inline(int x);   /* forces an external definition */

static inline __attribute__((always_inline)) int forced(int x)
{
	return x - 1;
}

__attribute__((noinline)) int never_inlined(int x)
{
	return x ^ 0x55;
}

int inline_user(int v)
{
	return sq(v) + c99_inline(v) + forced(v) + never_inlined(v);
}
