/*
 * Probe: function linkage: global (external) definitions, a static definition
 * kept alive by a call, a static definition kept alive by
 * __attribute__((used)), and extern declarations that are called.
 *
 * Why avenues might drift: BTF FUNC has linkage static(0)/global(1)/extern(2)
 * in the info vlen bits. pahole decides from DW_AT_external and may mark
 * everything static; gcc -gbtf may likewise not distinguish. Extern
 * declarations (DW_AT_declaration) may produce FUNC in one avenue only.
 * Flags: at -O0 static functions are not inlined; at -O2 `helper` would be
 * inlined and disappear from DWARF.
 */
extern int ext_call(int);
extern void ext_noret(void);

static int helper(int x)
{
	return x * 2;
}

__attribute__((used)) static int kept_static(void)
{
	return 3;
}

int global_api(int x)
{
	ext_noret();
	return helper(x) + ext_call(x);
}

long global_two(long a, long b)
{
	return a - b;
}
