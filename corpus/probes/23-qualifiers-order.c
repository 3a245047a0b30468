/*
 * Probe: const and volatile in every order and position: `const volatile int`,
 * `volatile const int`, `int const volatile`, const pointer to volatile,
 * volatile pointer to const, const-qualified struct member, const typedef.
 *
 * Why avenues might drift: BTF chains CONST/VOLATILE modifiers; C says the
 * order of cv-qualifiers is irrelevant but the encoders must pick one order
 * (CONST->VOLATILE->INT or VOLATILE->CONST->INT). DWARF from gcc has its own
 * order and pahole copies it; gcc -gbtf may choose differently, which is
 * structurally different but semantically equal.
 */
const volatile int cv_int = 1;
volatile const int vc_int = 2;
int const volatile icv_int = 3;
volatile int v_int;

const int *p_to_const;
int *const const_p = 0;
volatile int *const cp_to_v = 0;
const volatile int *volatile vp_to_cv;
const char *const *const ccc;

typedef const int cint_t;
volatile cint_t v_cint;

struct qualified_members {
	const int ro;
	volatile unsigned int hw;
	const volatile long both;
	const struct qualified_members *self;
};

struct qualified_members qm_var;
