/*
 * Probe: every standard integer width and signedness as BTF_KIND_INT
 * (short, int, long, long long, each signed and unsigned, plus the <stdint.h>-
 * style typedef spellings via builtin __INT*_TYPE__ macros).
 *
 * Why avenues might drift: pahole derives INT from DWARF DW_TAG_base_type
 * (DW_ATE_signed/unsigned, byte_size), while gcc -gbtf derives it from gcc's
 * internal CTF container. Names ("long int" vs "long"), the encoding bits
 * (SIGNED vs none) and nr_bits could be spelled differently, and the order in
 * which types get IDs differs between the two encoders.
 *
 * Every type is used by a global variable so DWARF (and thus both avenues)
 * keeps it. Compile at -O0 (default); no flags matter here.
 */
short s16;
unsigned short u16;
int s32;
unsigned int u32;
long sl;
unsigned long ul;
long long sll;
unsigned long long ull;
signed short int ss_full;      /* same type as short, different spelling */
long unsigned int lui_spelling; /* same type as unsigned long */

typedef __INT8_TYPE__ my_int8_t;
typedef __UINT8_TYPE__ my_uint8_t;
typedef __INT16_TYPE__ my_int16_t;
typedef __UINT16_TYPE__ my_uint16_t;
typedef __INT32_TYPE__ my_int32_t;
typedef __UINT32_TYPE__ my_uint32_t;
typedef __INT64_TYPE__ my_int64_t;
typedef __UINT64_TYPE__ my_uint64_t;

struct all_widths {
	my_int8_t i8;
	my_uint8_t u8;
	my_int16_t i16;
	my_uint16_t u16;
	my_int32_t i32;
	my_uint32_t u32;
	my_int64_t i64;
	my_uint64_t u64;
};

struct all_widths widths;
