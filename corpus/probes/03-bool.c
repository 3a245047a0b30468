/*
 * Probe: C99 _Bool, alone, in a struct, as a bitfield and as a function
 * parameter/return.
 *
 * Why avenues might drift: BTF has a BTF_INT_BOOL encoding bit. DWARF marks
 * _Bool as DW_ATE_boolean (size 1, 8 bits). pahole may or may not set BOOL;
 * gcc -gbtf may encode it as an unsigned 8-bit INT without the BOOL bit.
 * A 1-bit _Bool bitfield also tests how the member bit size is carried.
 */
_Bool flag;

struct with_bool {
	_Bool b;
	_Bool bit : 1;
	unsigned int rest : 7;
};

struct with_bool wb;

_Bool negate(_Bool v)
{
	return !v;
}
