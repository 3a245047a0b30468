/*
 * Probe: _Complex long double (32 bytes on x86-64), alone, so that an encoder
 * failure on it does not hide the results of 45-complex.c.
 *
 * Why avenues might drift: BTF has no complex kind. pahole 1.24 without
 * --btf_gen_floats maps complex types to INT of the full size, and a 256-bit
 * INT is invalid BTF; with --btf_gen_floats it refuses complex types. gcc
 * -gbtf has its own mapping. This probe therefore exercises the "one avenue
 * produced no BTF at all" path of the tool. clang-16 --target=bpf accepts it
 * (long double is 8 bytes there, so the complex is 16 bytes).
 */
_Complex long double cld_var;

struct cld_holder {
	_Complex long double z;
	int tag;
};

struct cld_holder cld_holder_var;
