/*
 * Probe: variables placed in named sections with
 * __attribute__((section(".data.foo"))), several variables in the same custom
 * section, one in a second custom section, one in a "license"-style section
 * (as BPF programs do) and an ordinary .data variable for comparison.
 *
 * Why avenues might drift: each ELF section with variables gets its own
 * DATASEC named after the section. gcc -gbtf must create one DATASEC per
 * section; pahole 1.24 only encodes per-CPU variables so likely emits none.
 * (The variable is `_license`, not `license`: a global symbol with the same
 * name as its section makes both gas and clang fail "symbol already defined".)
 */
int foo_a __attribute__((section(".data.foo"))) = 1;
long foo_b __attribute__((section(".data.foo"))) = 2;
char bar_c __attribute__((section(".data.bar"))) = 'c';
char _license[] __attribute__((section("license"))) = "GPL";
int plain_data = 3;
