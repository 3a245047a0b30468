/*
 * Probe: enums whose values need the full unsigned 32-bit range (0x80000000,
 * 0xffffffff), i.e. the compiler picks `unsigned int` as the underlying type.
 *
 * Why avenues might drift: the inverse of 07: values >= 2^31 must be marked
 * unsigned (kind_flag=0) and printed as large positive numbers. An encoder that
 * assumes signed would print them negative.
 */
enum flags32 {
	F_NONE = 0,
	F_LOW = 1u,
	F_HIGH = 0x80000000u,
	F_ALL = 0xffffffffu,
};

enum flags32 flags_var;

struct with_flags {
	enum flags32 f;
	unsigned int other;
};

struct with_flags with_flags_var;
