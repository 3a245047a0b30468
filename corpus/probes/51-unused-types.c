/*
 * Probe: types that are declared but never used by any variable or function
 * (struct, enum, typedef, union), alongside one used type.
 *
 * Why avenues might drift: gcc prunes unused types from DWARF by default
 * (-feliminate-unused-debug-types), so pahole never sees them; gcc -gbtf is
 * built from the same debug info and should prune identically. With
 * -fno-eliminate-unused-debug-types both should emit them. Any difference here
 * means one avenue looks past DWARF.
 */
struct unused_s {
	int never;
};
union unused_u {
	int i;
	float f;
};
enum unused_e { UE_A, UE_B };
typedef long unused_t;

struct used_s {
	int kept;
};

struct used_s used_var;
