/*
 * Probe: bitfields whose bits straddle a storage-unit boundary: in a packed
 * struct a 12-bit field starting at bit 6 of an `unsigned char` unit, and a
 * 40-bit field crossing a 32-bit boundary inside an unsigned long long unit.
 *
 * Why avenues might drift: DWARF 5 gives DW_AT_data_bit_offset, DWARF 4 gives
 * DW_AT_data_member_location + DW_AT_bit_offset relative to the storage unit;
 * pahole must convert; gcc -gbtf computes from its own layout. For fields that
 * span units the "storage unit" is ambiguous, so bit offsets may be computed
 * differently or an encoder may fall back to kind_flag=0 INTs.
 */
struct __attribute__((packed)) spanning_packed {
	unsigned char lo : 6;
	unsigned int mid : 12;   /* crosses byte boundaries, packed */
	unsigned int hi : 14;
};

struct spanning_packed span_packed;

struct spanning_wide {
	unsigned long long a : 30;
	unsigned long long b : 40;  /* crosses bit 32 and bit 64 is not crossed */
	unsigned long long c : 20;  /* moves to next 64-bit unit in gcc layout */
	unsigned int d : 31;
	unsigned int e : 2;         /* does not fit: starts a new unit */
};

struct spanning_wide span_wide;
