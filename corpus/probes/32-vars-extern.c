/*
 * Probe: extern variable declarations that are referenced (so the compiler
 * must keep their DWARF declaration) and one that is not referenced.
 *
 * Why avenues might drift: DWARF has DW_TAG_variable with DW_AT_declaration
 * for used externs. BTF has VAR linkage "extern" (2) and the DATASEC of an
 * extern is not known at compile time. gcc -gbtf may emit VAR with linkage
 * extern (and no DATASEC, or a .extern-like section), pahole normally skips
 * declarations entirely.
 */
extern int ext_counter;
extern const char ext_name[];
extern struct ext_cfg {
	int level;
	long mask;
} ext_cfg;
extern int ext_unused;   /* never referenced */

int read_externs(void)
{
	return ext_counter + ext_name[0] + ext_cfg.level;
}
