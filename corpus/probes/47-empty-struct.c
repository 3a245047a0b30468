/*
 * Probe: GNU empty structs and unions (size 0 in GNU C), an empty struct as a
 * member, and a struct containing only a zero-length array.
 *
 * Why avenues might drift: STRUCT with vlen=0 and size=0 is legal BTF but is
 * also what a FWD might be "lowered" to; encoders must not confuse an empty
 * complete struct with a forward declaration.
 */
struct empty {};
union empty_u {};

struct contains_empty {
	int a;
	struct empty e;
	int b;
};

struct only_zla {
	int zla[0];
};

struct empty empty_var;
union empty_u empty_u_var;
struct contains_empty ce_var;
struct only_zla zla_var;
