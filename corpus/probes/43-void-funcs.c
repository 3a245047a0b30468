/*
 * Probe: FUNC and FUNC_PROTO shapes: void return, no parameters `(void)`,
 * many parameters of mixed kinds, unnamed parameters in a prototype vs named
 * ones in the definition, and a function taking a struct pointer and an enum.
 *
 * Why avenues might drift: FUNC_PROTO param names come from the DWARF
 * formal_parameter DIEs of the definition; return type void is type 0. gcc
 * -gbtf builds protos from its own function types, so parameter names or
 * dedup of identical protos could differ.
 * BPF allows at most 5 arguments (clang-16 --target=bpf: "defined with too
 * many args"), so the 8-argument function is guarded with #ifndef __bpf__ and
 * a 5-argument one is present everywhere.
 */
enum mode { M_READ, M_WRITE };
struct ctx {
	int fd;
};

void nothing(void)
{
}

void five(char a, short b, int c, struct ctx *g, enum mode h)
{
	(void)a; (void)b; (void)c; (void)g; (void)h;
}

#ifndef __bpf__
void many(char a, short b, int c, long d, unsigned long long e, void *f,
	  struct ctx *g, enum mode h)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g; (void)h;
}
#endif

int proto_then_def(int, char);
int proto_then_def(int named_a, char named_b)
{
	return named_a + named_b;
}

int same_shape_1(int a)
{
	return a;
}

int same_shape_2(int b)
{
	return -b;
}
