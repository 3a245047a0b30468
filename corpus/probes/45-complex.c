/*
 * Probe: C99 _Complex float and _Complex double (and GNU _Complex int), as
 * globals and struct members. (_Complex long double is in its own probe,
 * 53-complex-long-double.c, because it makes pahole 1.24 fail outright.)
 *
 * Why avenues might drift: BTF has no complex kind. DWARF says
 * DW_ATE_complex_float; pahole may encode it as an INT of the full size or
 * refuse; gcc -gbtf may encode it as FLOAT or INT. clang-16 --target=bpf
 * accepts _Complex types, so no guard is needed.
 */
_Complex float cfloat_var;
_Complex double cdouble_var;
_Complex int cint_var;   /* GNU extension */

struct waveform {
	_Complex double sample;
	int n;
};

struct waveform wave_var;
