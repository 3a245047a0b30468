/*
 * Probe: float, double and long double (BTF_KIND_FLOAT), as globals, struct
 * members and function parameters/returns.
 *
 * Why avenues might drift: BTF_KIND_FLOAT only exists since kernel 5.13, so
 * pahole 1.24 does NOT emit it unless --btf_gen_floats (or --btf_gen_all) is
 * given; without it pahole falls back to something else. gcc -gbtf decides on
 * its own. long double is 16 bytes on x86-64 (80-bit x87 in 16 bytes of
 * storage) but only 8 bytes for clang --target=bpf; that only matters for the
 * compile check, not for the gcc avenues compared here. BPF has no FP
 * instructions (clang: "A call to built-in function '__muldf3' is not
 * supported"), so `pick` only passes values through and does no arithmetic.
 */
float f32;
double f64;
long double f80;

struct floats {
	float f;
	double d;
	long double ld;
};

struct floats floats_var;

double pick(float a, double b, long double c)
{
	(void)a;
	(void)c;
	return b;
}
