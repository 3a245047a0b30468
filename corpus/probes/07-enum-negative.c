/*
 * Probe: enums with negative enumerators (so the underlying type is signed int)
 * and one that mixes negative and positive values.
 *
 * Why avenues might drift: BTF stores enumerator values as 32-bit words; the
 * ENUM kind_flag (pahole >= 1.24, kernel >= 6.0) says whether they are signed.
 * pahole sets it from DWARF (DW_AT_type / DW_FORM_sdata); gcc 12 -gbtf predates
 * that flag, so it may leave it unset and the value prints as unsigned.
 */
enum errcode { E_FAIL = -1, E_OK = 0, E_AGAIN = -11, E_MAX = 100 };

enum all_negative { N1 = -1, N2 = -2, N3 = -2147483647 - 1 };

enum errcode last_err;
enum all_negative neg_var;

int is_fail(enum errcode e)
{
	return e == E_FAIL;
}
