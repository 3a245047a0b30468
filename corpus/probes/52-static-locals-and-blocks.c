/*
 * Probe: types and variables declared at block scope: a struct defined inside
 * a function and used by a local static, a static local array, and a nested
 * block with its own typedef.
 *
 * Why avenues might drift: these DWARF DIEs are children of the subprogram,
 * not the CU. pahole walks function-local types; gcc -gbtf emits VARs for
 * local statics (with static linkage) in .bss/.data. Whether block-scope
 * types/vars appear, and in which DATASEC, may differ.
 */
int counter_fn(void)
{
	struct local_state {
		int calls;
		long last;
	};
	static struct local_state st;
	static int history[4] = { 0 };

	st.calls++;
	{
		typedef unsigned short inner_t;
		inner_t tmp = (inner_t)st.calls;

		history[tmp & 3] = tmp;
	}
	return st.calls + history[0];
}
