/*
 * Probe: functions that pass and return structs and unions by value, large
 * (memory-returned) and small (register-returned).
 *
 * Why avenues might drift: FUNC_PROTO references the STRUCT type directly.
 * In DWARF, gcc may describe the hidden return pointer differently than its
 * internal function type; pahole could see an artificial parameter.
 *
 * clang-16 --target=bpf rejects every function returning an aggregate by
 * value, even an 8-byte one ("functions with VarArgs or StructRet are not
 * supported"), so both returning definitions are guarded with
 * #ifndef __bpf__. Passing aggregates by value compiles for BPF.
 */
struct small {
	int a;
	int b;
};

struct large {
	long v[8];
};

#ifndef __bpf__
struct small make_small(int a)
{
	struct small s = { a, a };
	return s;
}

struct large make_large(long x)
{
	struct large l = { { x } };
	return l;
}
#endif

long sum_large(struct large l)
{
	return l.v[0] + l.v[7];
}

int sum_small(struct small s)
{
	return s.a + s.b;
}
