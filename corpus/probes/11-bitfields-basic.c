/*
 * Probe: simple unsigned bitfields packed in one storage unit, mixed with an
 * ordinary member afterwards.
 *
 * Why avenues might drift: BTF describes bitfields either with the STRUCT
 * kind_flag=1 and per-member (bitfield_size << 24 | bit_offset), or with
 * kind_flag=0 and a dedicated INT of nr_bits=N. pahole uses kind_flag=1; gcc
 * -gbtf may choose either. Offsets themselves should agree.
 */
struct flags_word {
	unsigned int ready : 1;
	unsigned int mode : 3;
	unsigned int count : 12;
	unsigned int spare : 16;
	unsigned int after;
};

struct flags_word fw;

struct mixed_bits {
	unsigned char a : 2;
	unsigned short b : 9;
	unsigned long c : 40;
};

struct mixed_bits mb;
