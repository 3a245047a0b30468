/*
 * Probe: variables with different storage: initialised global (.data), zero
 * global (.bss), file-scope static (initialised and not), function-local
 * static, and a __thread (TLS) global.
 *
 * Why avenues might drift: BTF VAR linkage is global/static and each VAR is
 * listed in a DATASEC per section (.data, .bss). pahole 1.24 only encodes
 * variables in the kernel per-CPU section by default, so it may emit no VARs;
 * gcc -gbtf emits VAR + DATASEC for every variable. Function-local statics and
 * TLS variables are the edge cases.
 *
 * clang-16 --target=bpf rejects thread-local storage ("thread-local storage is
 * not supported for the current target"), so the __thread variable is guarded
 * with #ifndef __bpf__.
 */
int g_init = 42;
int g_zero;
static int s_init = 7;
static int s_zero;
long g_arr[3] = { 1, 2, 3 };

#ifndef __bpf__
__thread int tls_counter;
#endif

int bump(void)
{
	static int local_static;

	local_static++;
	s_zero += s_init;
#ifndef __bpf__
	tls_counter++;
#endif
	return local_static + s_zero;
}
