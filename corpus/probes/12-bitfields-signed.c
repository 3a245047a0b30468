/*
 * Probe: signed bitfields (explicit `signed int`, plain `int`, `long`,
 * `signed char`), whose values sign-extend.
 *
 * Why avenues might drift: with a kind_flag=1 struct the member type is the
 * declared base type (int/long) so signedness comes from it; with kind_flag=0
 * an encoder must synthesise a SIGNED INT of nr_bits=N. Plain `int` bitfields
 * are implementation-defined signed; gcc treats them as signed.
 */
struct sbits {
	signed int s3 : 3;
	int plain5 : 5;
	long l20 : 20;
	signed char sc4 : 4;
	unsigned int u4 : 4;
};

struct sbits sbits_var;

int get_s3(struct sbits *p)
{
	return p->s3;
}
