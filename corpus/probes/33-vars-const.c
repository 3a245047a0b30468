/*
 * Probe: const-qualified global and static variables (placed in .rodata),
 * a const array, a const struct, and a const pointer to non-const data.
 *
 * Why avenues might drift: the VAR's type is CONST -> T, and the DATASEC is
 * .rodata. pahole may not encode VARs at all (see 31); gcc -gbtf emits VARs in
 * a .rodata DATASEC. A const pointer variable (`int *const p`) lives in
 * .data.rel.ro with -fPIC but .rodata otherwise.
 */
const int ro_int = 5;
const char ro_str[] = "hello";
static const long ro_static = 9;

struct limits {
	int lo, hi;
};
const struct limits ro_limits = { -1, 1 };

int writable;
int *const ro_ptr = &writable;

long use_static(void)
{
	return ro_static;
}
