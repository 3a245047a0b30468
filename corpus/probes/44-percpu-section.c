/*
 * Probe: variables in the kernel's per-CPU section
 * __attribute__((section(".data..percpu"))), next to an ordinary global.
 *
 * Why avenues might drift: pahole 1.24 encodes VAR/DATASEC only for variables
 * in ".data..percpu" (that is what it does for vmlinux), so this is the one
 * place pahole should emit VAR + DATASEC. gcc -gbtf emits VARs for all
 * sections, so the ordinary global is expected only on the gcc side, and the
 * DATASEC sizes/offsets may differ (gcc leaves them for the loader to fix up).
 */
int percpu_counter __attribute__((section(".data..percpu"))) = 0;
long percpu_stats[4] __attribute__((section(".data..percpu")));

struct pcpu_state {
	int cpu;
	unsigned long flags;
};
struct pcpu_state percpu_state __attribute__((section(".data..percpu")));

int ordinary_global = 1;
