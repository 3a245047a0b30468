/*
 * Probe: variadic functions (`int f(const char *, ...)`): a definition, a
 * variadic function pointer, and a call to an extern variadic declaration.
 *
 * Why avenues might drift: BTF encodes `...` as a final FUNC_PROTO parameter
 * with name_off=0 and type=0. pahole copies DW_TAG_unspecified_parameters;
 * gcc -gbtf must do the same. Extern declarations may only appear in one
 * avenue.
 *
 * clang-16 --target=bpf rejects variadic function *definitions* ("functions
 * with VarArgs or StructRet are not supported"), so the definition is guarded
 * with #ifndef __bpf__. Declarations and calls to variadic externs are fine
 * there.
 */
extern int ext_printf(const char *fmt, ...);

int (*vfn_ptr)(int, ...);

#ifndef __bpf__
int sum_ints(int count, ...)
{
	__builtin_va_list ap;
	int total = 0;

	__builtin_va_start(ap, count);
	while (count--)
		total += __builtin_va_arg(ap, int);
	__builtin_va_end(ap);
	return total;
}
#endif

int log_twice(const char *msg)
{
	return ext_printf("%s", msg) + ext_printf("%s\n", msg);
}
