/*
 * Probe: unused functions: an unused static function (gcc drops it and warns
 * with -Wall via -Wunused-function, suppressed here with
 * __attribute__((unused))), an unused global function, an unused static
 * function kept with __attribute__((used)), and an unused extern declaration.
 * Also a type that is only referenced by the dropped static function.
 *
 * Why avenues might drift: both avenues should drop what DWARF drops, but gcc
 * -gbtf could still emit the FUNC_PROTO or the type referenced only by the
 * discarded static function.
 */
struct only_in_dropped {
	int hidden;
};

__attribute__((unused)) static int dropped_static(struct only_in_dropped *p)
{
	return p->hidden;
}

int unused_global(int a)
{
	return a;
}

__attribute__((used)) static int kept_by_used(void)
{
	return 7;
}

extern int never_called_extern(double);
