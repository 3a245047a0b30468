/*
 * Probe: GCC vector types (__attribute__((vector_size(N)))) for int, float
 * and char, via typedef, as globals and a struct member.
 *
 * Why avenues might drift: DWARF describes a vector as an array type with
 * DW_AT_GNU_vector; pahole should emit ARRAY. gcc -gbtf has no obvious BTF
 * mapping for vector types and may emit something else (or a dangling type).
 */
typedef int v4si __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef unsigned char v8qi __attribute__((vector_size(8)));

v4si vec_int;
v4sf vec_float;
v8qi vec_bytes;

struct simd_regs {
	v4si a;
	v4sf b;
};

struct simd_regs simd_var;
