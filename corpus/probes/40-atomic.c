/*
 * Probe: C11 _Atomic qualified types: _Atomic int, _Atomic pointer, _Atomic
 * struct member, _Atomic(long) specifier form, and atomic combined with
 * volatile/const.
 *
 * Why avenues might drift: DWARF 5 has DW_TAG_atomic_type; BTF has no atomic
 * kind. pahole 1.24 may skip the modifier (pass-through to the base type) or
 * fail; gcc -gbtf may also drop it or treat it as an unknown kind (type 0).
 * clang-16 --target=bpf crashes selecting a seq_cst AtomicLoad, so the
 * function only passes the atomic pointer through instead of loading from it.
 */
_Atomic int atomic_counter;
_Atomic(long) atomic_long_var;
int *_Atomic atomic_ptr;
volatile _Atomic unsigned int va_uint;
const _Atomic short ca_short = 1;

struct refcount {
	_Atomic int refs;
	int plain;
};

struct refcount rc_var;

_Atomic int *atomic_ref(_Atomic int *p)
{
	return p;
}
