/*
 * Probe: unprototyped (K&R) function declarations `int f();`, an old-style
 * K&R definition, a pointer to an unprototyped function, and `int g(void)`
 * for contrast.
 *
 * Why avenues might drift: DWARF marks prototyped functions with
 * DW_AT_prototyped; unprototyped ones have no parameter list. BTF has no such
 * flag: `int f()` may become FUNC_PROTO vlen=0 (same as `(void)`), or an
 * encoder might add an unspecified/vararg parameter. Old-style definitions
 * have parameters in DWARF but no prototype.
 *
 * -Wall is quiet here with gcc 12; clang-16 may warn under
 * -Wstrict-prototypes / -Wdeprecated-non-prototype (not errors).
 */
int unproto();
int proto_void(void);

int (*unproto_ptr)();
int (*proto_void_ptr)(void);

int old_style(a, b)
	int a;
	char b;
{
	return a + b;
}

int proto_void(void)
{
	return 1;
}

int call_both(void)
{
	return unproto() + proto_void();
}
