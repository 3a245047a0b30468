/*
 * Probe: the three distinct C character types: plain `char`, `signed char`
 * and `unsigned char`, alone, in arrays and behind pointers.
 *
 * Why avenues might drift: plain char is a distinct type whose signedness is
 * target-defined (signed on x86-64). BTF encodes it as INT with
 * BTF_INT_CHAR and/or BTF_INT_SIGNED; pahole maps DW_ATE_signed_char to
 * SIGNED (maybe CHAR), gcc -gbtf decides from its own type node. Either may
 * set or omit the CHAR/SIGNED encoding bits differently, or merge names.
 */
char plain_c;
signed char signed_c;
unsigned char unsigned_c;

char plain_buf[8];
signed char signed_buf[4];
unsigned char unsigned_buf[2];

const char *str_ptr;
unsigned char *ubyte_ptr;

struct chars {
	char c;
	signed char sc;
	unsigned char uc;
};

struct chars chars_var;
