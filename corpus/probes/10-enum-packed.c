/*
 * Probe: __attribute__((packed)) enums, which the compiler shrinks to the
 * smallest integer that holds all values (1 byte, 2 bytes), one with a
 * negative value, and one packed enum used as a struct member.
 *
 * Why avenues might drift: the BTF ENUM size field must carry 1 or 2 rather
 * than 4. pahole reads DW_AT_byte_size; gcc -gbtf may use the size of the
 * underlying mode, or 4. Signedness of a packed negative enum tests kind_flag.
 */
enum __attribute__((packed)) tiny { T0, T1, T2 = 200 };

enum __attribute__((packed)) tiny_neg { TN_NEG = -5, TN_POS = 5 };

enum __attribute__((packed)) short_enum { SE_A = 1, SE_B = 0x1234 };

enum tiny tiny_var;
enum tiny_neg tiny_neg_var;
enum short_enum short_var;

struct packed_enum_holder {
	enum tiny t;
	enum tiny_neg tn;
	enum short_enum se;
};

struct packed_enum_holder peh_var;
