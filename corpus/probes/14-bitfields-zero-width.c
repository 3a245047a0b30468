/*
 * Probe: zero-width bitfields (`int : 0;`, forcing alignment to the next unit)
 * and unnamed padding bitfields (`unsigned : 5;`).
 *
 * Why avenues might drift: unnamed bitfields are not members in DWARF at all
 * (gcc omits them), so neither avenue should list them; but their effect on
 * the following member's bit offset must agree. gcc -gbtf might emit unnamed
 * members that DWARF does not have, or vice versa.
 */
struct zw {
	unsigned int a : 3;
	unsigned int : 0;        /* zero-width: next field starts new int */
	unsigned int b : 4;
	unsigned int : 5;        /* unnamed padding */
	unsigned int c : 2;
	char : 0;                /* zero-width of another type */
	char d;
	long : 0;
	int e;
};

struct zw zw_var;

struct only_padding {
	int x;
	int : 16;
	short y;
};

struct only_padding op_var;
