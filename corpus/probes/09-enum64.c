/*
 * Probe: enums whose enumerators do not fit in 32 bits, so the enum is 8 bytes
 * (BTF_KIND_ENUM64 since kernel 6.0 / pahole 1.24): positive 64-bit values,
 * a negative 64-bit value, and a value exactly 2^32.
 *
 * Why avenues might drift: pahole 1.24 emits ENUM64 (unless
 * --skip_encoding_btf_enum64). gcc 12 -gbtf predates ENUM64 and may emit an
 * 8-byte ENUM with truncated 32-bit values, or drop it.
 */
enum big64 {
	B_SMALL = 1,
	B_2_32 = 0x100000000ULL,
	B_HUGE = 0xfedcba9876543210ULL,
};

enum signed64 {
	S_NEG = -0x100000000LL,
	S_POS = 0x7fffffffffffffffLL,
};

enum big64 big64_var;
enum signed64 signed64_var;

struct holds64 {
	enum big64 b;
	enum signed64 s;
};

struct holds64 holds64_var;
